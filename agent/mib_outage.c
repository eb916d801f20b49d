/*
 * mib_outage: tslcdOutageTable, the last N outages of every line, indexed
 * by (office id, line id, outage index).  Rows point into the lines' rings
 * and follow them through the model's outage events.
 */
#include "mib.h"
#include "mib_columns.h" /* generated from the MIB (Makefile) */

#define OUTAGE_GETTER(fn, call) MIB_GETTER(fn, const struct outage *o = p, call)

static uint32_t duration_s(const struct outage *o)
{
	int64_t end = o->end ? o->end : (int64_t)time(NULL);
	return end > o->start ? (uint32_t)(end - o->start) : 0;
}

OUTAGE_GETTER(tslcdOutageStart, mib_set_datetime(v, (time_t)o->start))
OUTAGE_GETTER(tslcdOutageEnd, o->end &&mib_set_datetime(v, (time_t)o->end))
OUTAGE_GETTER(tslcdOutageState, mib_set_int(v, o->end ? 2 : 1))
OUTAGE_GETTER(tslcdOutageDuration, mib_set_u32(v, duration_s(o)))
OUTAGE_GETTER(tslcdOutageCause, mib_set_int(v, o->cause))
OUTAGE_GETTER(tslcdOutageTicket, mib_set_str(v, o->ticket))
OUTAGE_GETTER(tslcdOutageLastRtt, o->last_rtt_us &&mib_set_u32(v, o->last_rtt_us))
OUTAGE_GETTER(tslcdOutageLastLoss, mib_set_u32(v, o->loss_ppm))
OUTAGE_GETTER(tslcdOutageNode, mib_set_u32(v, o->node))

static const struct mib_column outage_cols[] = {TSLCD_COLUMNS_tslcdOutageEntry(MIB_COLUMN)};

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

/* The line's outages in index order, from rows[at]; the next free slot. */
static size_t line_outages_rows(const struct line *l, struct mib_row *rows, size_t at)
{
	for (const struct outage *o = outage_next(&l->outages, 0); o;
	     o = outage_next(&l->outages, o->index))
		rows[at++] = (struct mib_row){{l->office->cfg->id, l->cfg->id, o->index}, o};
	return at;
}

void mib_outage_bind(const struct model *m)
{
	size_t n = 0, at = 0;

	for (size_t i = 0; m && i < m->n_offices; i++)
		for (size_t j = 0; j < m->offices[i].n_lines; j++)
			n += m->offices[i].lines[j].outages.count;
	struct mib_row *rows = mib_rows_alloc(&outage_table, n);
	if (!rows)
		return;
	for (size_t i = 0; m && i < m->n_offices; i++)
		for (size_t j = 0; j < m->offices[i].n_lines; j++)
			at = line_outages_rows(&m->offices[i].lines[j], rows, at);
	mib_table_rebind(&outage_table, rows, at);
}

struct mib_table *mib_outage_table(void)
{
	return &outage_table;
}
