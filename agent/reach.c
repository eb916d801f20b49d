/*
 * reach: one prober job per probed line; each round result goes to the
 * model together with the line's maintenance state at that moment.
 * Maintenance windows are therefore applied with round granularity (one
 * probe interval), which keeps this free of extra timers.
 */
#include "reach.h"

#include <time.h>

#include "log.h"
#include "loop.h"
#include "prober.h"

static struct model *current;

static void on_round(void *ctx, const struct probe_result *r)
{
	struct line *l = ctx;
	time_t now = time(NULL);
	bool in_maint = maint_active(l->cfg->maint, l->cfg->n_maint, now);

	model_line_round(current, l, r, in_maint, now, loop_now_ms());
}

static unsigned methods_of(const struct line_cfg *c)
{
	switch (c->method) {
	case METHOD_ICMP:
		return PROBE_METHOD_ICMP;
	case METHOD_TCP:
		return PROBE_METHOD_TCP;
	case METHOD_ICMP_TCP:
		return PROBE_METHOD_ICMP | PROBE_METHOD_TCP;
	default:
		return 0;
	}
}

int reach_start(struct model *m)
{
	unsigned jobs = 0, failed = 0;

	current = m;
	for (size_t i = 0; i < m->n_offices; i++) {
		struct office *o = &m->offices[i];
		for (size_t j = 0; j < o->n_lines; j++) {
			struct line *l = &o->lines[j];
			unsigned methods = methods_of(l->cfg);
			if (!methods)
				continue;
			l->probe_job = prober_add(l->cfg->target, methods, l->cfg->tcp_port,
			                          &m->cfg->probe, on_round, l);
			if (l->probe_job)
				jobs++;
			else
				failed++;
		}
	}
	if (failed)
		log_msg(LOG_ERR, "could not start probing %u lines (out of memory?)", failed);
	log_msg(LOG_INFO, "probing %u lines", jobs);
	return failed ? -1 : 0;
}

void reach_stop(struct model *m)
{
	for (size_t i = 0; m && i < m->n_offices; i++) {
		struct office *o = &m->offices[i];
		for (size_t j = 0; j < o->n_lines; j++) {
			prober_remove(o->lines[j].probe_job);
			o->lines[j].probe_job = NULL;
		}
	}
}
