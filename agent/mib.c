/*
 * mib: registers the TSLCD-MIB groups and binds them to the current model.
 */
#include "mib.h"

#include <time.h>

static const struct model *bound;

int mib_register_all(void)
{
	if (mib_agent_register() || mib_table_register(mib_office_table()) ||
	    mib_table_register(mib_line_table()) || mib_table_register(mib_outage_table()) ||
	    mib_readiness_register() || mib_alarm_register() || mib_interval_register() ||
	    mib_table_register(mib_node_table()) || mib_alarmlog_register())
		return -1;
	if (bound)
		mib_bind_model(bound);
	return 0;
}

void mib_bind_model(const struct model *m)
{
	bound = m;
	mib_office_bind(m);
	mib_line_bind(m);
	mib_outage_bind(m);
	mib_node_bind(m);
}

const struct model *mib_model(void)
{
	return bound;
}

/* In OID order: tests/unit/test_mib_order.c checks it. */
void mib_dump_oids(FILE *out)
{
	mib_agent_dump(out);
	mib_dump_table_oids(out, mib_office_table());
	mib_dump_table_oids(out, mib_line_table());
	mib_dump_table_oids(out, mib_outage_table());
	mib_readiness_dump(out);
	mib_alarm_dump(out);
	mib_interval_dump(out);
	mib_dump_table_oids(out, mib_node_table());
	mib_alarmlog_dump(out);
}

static bool avail_figures_now(const struct avail *av, enum avail_window w, struct avail_figures *f)
{
	return avail_window(av, w, time(NULL), f);
}

bool mib_avail_raw(const struct avail *av, enum avail_window w, struct mib_value *v)
{
	struct avail_figures f;
	uint32_t ppm;
	return avail_figures_now(av, w, &f) && avail_ppm_raw(&f, &ppm) && mib_set_u32(v, ppm);
}

bool mib_avail_adjusted(const struct avail *av, enum avail_window w, struct mib_value *v)
{
	struct avail_figures f;
	uint32_t ppm;
	return avail_figures_now(av, w, &f) && avail_ppm_adjusted(&f, &ppm) && mib_set_u32(v, ppm);
}

/* Downtime and outage count of a calendar period: absent when the agent
 * holds no monitored time for it (the previous month before it ran). */
static bool period_known(const struct avail *av, enum avail_window w, struct avail_figures *f)
{
	return avail_figures_now(av, w, f) && (uint64_t)f->up_s + f->down_s + f->maint_s > 0;
}

bool mib_avail_downtime(const struct avail *av, enum avail_window w, struct mib_value *v)
{
	struct avail_figures f;
	return period_known(av, w, &f) && mib_set_u32(v, f.down_s);
}

bool mib_avail_outages(const struct avail *av, enum avail_window w, struct mib_value *v)
{
	struct avail_figures f;
	return period_known(av, w, &f) && mib_set_u32(v, f.outages);
}

bool mib_avail_monitored(const struct avail *av, enum avail_window w, struct mib_value *v)
{
	struct avail_figures f;
	uint32_t ppm;
	return avail_figures_now(av, w, &f) && avail_ppm_monitored(&f, &ppm) && mib_set_u32(v, ppm);
}
