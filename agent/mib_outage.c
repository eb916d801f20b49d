/*
 * mib_outage: tslcdOutageTable, the last N outages of every line, indexed
 * by (office id, line id, outage index).  Rows point into the lines' rings
 * and follow them through the model's outage events.
 */
#include "mib.h"

#define OUTAGE_GETTER(fn, call) MIB_GETTER(fn, const struct outage *o = p, call)

static uint32_t duration_s(const struct outage *o)
{
	int64_t end = o->end ? o->end : (int64_t)time(NULL);
	return end > o->start ? (uint32_t)(end - o->start) : 0;
}

OUTAGE_GETTER(get_start, mib_set_datetime(v, (time_t)o->start))
OUTAGE_GETTER(get_end, o->end &&mib_set_datetime(v, (time_t)o->end))
OUTAGE_GETTER(get_state, mib_set_int(v, o->end ? 2 : 1))
OUTAGE_GETTER(get_duration, mib_set_u32(v, duration_s(o)))
OUTAGE_GETTER(get_cause, mib_set_int(v, o->cause))
OUTAGE_GETTER(get_ticket, mib_set_str(v, o->ticket))
OUTAGE_GETTER(get_last_rtt, o->last_rtt_us &&mib_set_u32(v, o->last_rtt_us))
OUTAGE_GETTER(get_loss, mib_set_u32(v, o->loss_ppm))
OUTAGE_GETTER(get_node_id, mib_set_u32(v, o->node))

static const struct mib_column outage_cols[] = {
    {2, "tslcdOutageStart", ASN_OCTET_STR, get_start},
    {3, "tslcdOutageEnd", ASN_OCTET_STR, get_end},
    {4, "tslcdOutageState", ASN_INTEGER, get_state},
    {5, "tslcdOutageDuration", ASN_UNSIGNED, get_duration},
    {6, "tslcdOutageCause", ASN_INTEGER, get_cause},
    {7, "tslcdOutageTicket", ASN_OCTET_STR, get_ticket},
    {8, "tslcdOutageLastRtt", ASN_UNSIGNED, get_last_rtt},
    {9, "tslcdOutageLastLoss", ASN_UNSIGNED, get_loss},
    {10, "tslcdOutageNode", ASN_UNSIGNED, get_node_id},
};

MIB_TABLE(outage_table, "tslcdOutageTable", TSLCD_OID_OUTAGE_TABLE, 3, outage_cols);

static void outage_row(const struct line *l, uint32_t index, const struct outage *o)
{
	uint32_t idx[3] = {l->office->cfg->id, l->cfg->id, index};
	mib_table_set_row(&outage_table, idx, o);
}

void mib_outage_added(const struct line *l, const struct outage *o, uint32_t evicted)
{
	if (evicted)
		outage_row(l, evicted, NULL);
	outage_row(l, o->index, o);
}

static void line_outages_bind(const struct line *l)
{
	for (const struct outage *o = outage_next(&l->outages, 0); o;
	     o = outage_next(&l->outages, o->index))
		outage_row(l, o->index, o);
}

void mib_outage_bind(const struct model *m)
{
	mib_table_clear(&outage_table);
	for (size_t i = 0; m && i < m->n_offices; i++)
		for (size_t j = 0; j < m->offices[i].n_lines; j++)
			line_outages_bind(&m->offices[i].lines[j]);
}

struct mib_table *mib_outage_table(void)
{
	return &outage_table;
}
