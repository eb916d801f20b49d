/*
 * mib_line: tslcdLineTable, indexed by (office id, line id).
 */
#include "mib.h"
#include "mib_columns.h" /* generated from the MIB (Makefile) */
#include "notify.h"

#define LINE_GETTER(fn, call) MIB_GETTER(fn, const struct line *l = p, call)

static bool target_value(const struct line_cfg *c, struct mib_value *v)
{
	if (c->target_type == ADDR_DNS)
		return mib_set_str(v, c->target);
	return mib_set_bytes(v, c->target_bin, c->target_len);
}

/* Which of min/avg/max/jitter a getter wants from the rolling window. */
enum rtt_pick { RTT_MIN, RTT_AVG, RTT_MAX, RTT_JITTER };

static bool rtt_value(const struct line *l, enum rtt_pick pick, struct mib_value *v)
{
	uint32_t x[4];
	if (!line_stats_rtt(&l->stats, &x[RTT_MIN], &x[RTT_AVG], &x[RTT_MAX], &x[RTT_JITTER]))
		return false;
	return mib_set_u32(v, x[pick]);
}

static bool loss_value(const struct line *l, struct mib_value *v)
{
	uint32_t ppm;
	return line_stats_loss_ppm(&l->stats, &ppm) && mib_set_u32(v, ppm);
}

static bool stats_window(const struct line *l, struct mib_value *v)
{
	const struct model *m = mib_model();
	if (!m || !l->stats.count)
		return false;
	return mib_set_u32(v, (uint32_t)(l->stats.count * (m->cfg->probe.interval_ms / 1000u)));
}

static bool rtt_pct(const struct line *l, unsigned pct, struct mib_value *v)
{
	uint32_t us;
	return line_stats_rtt_pct(&l->stats, pct, &us) && mib_set_u32(v, us);
}

/* The line's availability, booked up to the last tick (model.h). */
static const struct avail *line_avail(const struct line *l)
{
	const struct model *m = mib_model();
	if (m)
		model_line_settle(m, l);
	return &l->av;
}

static bool quarter_value(const struct line *l, bool downtime, struct mib_value *v)
{
	struct avail_figures f;
	if (!avail_window(line_avail(l), AVAIL_QUARTER, time(NULL), &f))
		return false;
	return mib_set_u32(v, downtime ? f.down_s : f.outages);
}

static bool probed(const struct line *l)
{
	return l->cfg->method != METHOD_NONE;
}

LINE_GETTER(tslcdLineCarrier, mib_set_int(v, l->cfg->carrier))
LINE_GETTER(tslcdLineCircuitId, mib_set_str(v, l->cfg->circuit))
LINE_GETTER(tslcdLineMedium, mib_set_int(v, l->cfg->medium))
LINE_GETTER(tslcdLineRole, mib_set_int(v, l->cfg->role))
LINE_GETTER(tslcdLinePathGroup, mib_set_u32(v, l->cfg->path_group))
LINE_GETTER(tslcdLineContractKbps, mib_set_u32(v, l->cfg->contract_kbps))
LINE_GETTER(tslcdLineProbeMethod, mib_set_int(v, l->cfg->method))
LINE_GETTER(tslcdLineTargetType, mib_set_int(v, l->cfg->target_type))
LINE_GETTER(tslcdLineTarget, target_value(l->cfg, v))
LINE_GETTER(tslcdLineTcpPort, mib_set_u32(v, l->cfg->tcp_port))
LINE_GETTER(tslcdLineOperStatus, mib_set_int(v, linestate_reported(&l->ls)))
LINE_GETTER(tslcdLineLastChange, mib_set_datetime(v, l->last_change))
LINE_GETTER(tslcdLineRttLast, l->stats.last_rtt_us &&mib_set_u32(v, l->stats.last_rtt_us))
LINE_GETTER(tslcdLineRttMin, rtt_value(l, RTT_MIN, v))
LINE_GETTER(tslcdLineRttAvg, rtt_value(l, RTT_AVG, v))
LINE_GETTER(tslcdLineRttMax, rtt_value(l, RTT_MAX, v))
LINE_GETTER(tslcdLineJitter, rtt_value(l, RTT_JITTER, v))
LINE_GETTER(tslcdLineLoss, loss_value(l, v))
LINE_GETTER(tslcdLineStatsWindow, stats_window(l, v))
LINE_GETTER(tslcdLineRttP50, rtt_pct(l, 50, v))
LINE_GETTER(tslcdLineRttP95, rtt_pct(l, 95, v))
LINE_GETTER(tslcdLineRttP99, rtt_pct(l, 99, v))
/* The availability columns offices have too (mib.h); none while unprobed. */
MIB_AVAIL_GETTERS(LINE_GETTER, tslcdLine, line_avail(l), probed(l))
LINE_GETTER(tslcdLineOutagesQuarter, probed(l) && quarter_value(l, false, v))
LINE_GETTER(tslcdLineDowntimeQuarter, probed(l) && quarter_value(l, true, v))

/* TruthValue: false(2) also while the state is unknown (the MIB says so). */
LINE_GETTER(tslcdLineIsFlapping,
            mib_set_int(v, notify_line_is_flapping(l->office->cfg->id, l->cfg->id) ? 1 : 2))

/* ---- bandwidth (30..47): absent without a counters source or before the
 * data exists, never a made-up zero (bandwidth.h) ---- */

static const struct bw_line *bw_of(const void *p)
{
	return ((const struct line *)p)->bw;
}

static bool bw_rate(const void *p, enum bw_dir d, bool util, struct mib_value *v)
{
	const struct bw_line *b = bw_of(p);
	if (!b || !b->rate_valid)
		return false;
	return util ? mib_set_u32(v, bw_util_ppm(b->bps[d], b->contract_kbps))
	            : mib_set_u64(v, b->bps[d]);
}

static bool bw_p95(const void *p, enum bw_dir d, struct mib_value *v)
{
	const struct bw_line *b = bw_of(p);
	return b && b->n_samples && mib_set_u32(v, b->p95_ppm[d]);
}

static bool tslcdLineInBps(const void *p, struct mib_value *v)
{
	return bw_rate(p, BW_IN, false, v);
}

static bool tslcdLineOutBps(const void *p, struct mib_value *v)
{
	return bw_rate(p, BW_OUT, false, v);
}

static bool tslcdLineInUtil(const void *p, struct mib_value *v)
{
	return bw_rate(p, BW_IN, true, v);
}

static bool tslcdLineOutUtil(const void *p, struct mib_value *v)
{
	return bw_rate(p, BW_OUT, true, v);
}

static bool tslcdLineInUtilP95(const void *p, struct mib_value *v)
{
	return bw_p95(p, BW_IN, v);
}

static bool tslcdLineOutUtilP95(const void *p, struct mib_value *v)
{
	return bw_p95(p, BW_OUT, v);
}

static bool tslcdLineCongestionWindow(const void *p, struct mib_value *v)
{
	const struct model *m = mib_model();
	return bw_of(p) && m && mib_set_u32(v, m->cfg->bandwidth.bw.window_s);
}

/* How many samples the window holds; 0 is a real count here. */
LINE_GETTER(tslcdLineCongestionSamples, l->bw &&mib_set_u32(v, l->bw->n_samples))
/* The MIB wants unknown(0) and an empty address for lines without a source. */
LINE_GETTER(tslcdLineCountersSourceType,
            mib_set_int(v, l->cfg->counters ? l->cfg->counters->addr_type : 0))
LINE_GETTER(tslcdLineCountersSource, l->cfg->counters ? mib_set_bytes(v, l->cfg->counters->addr_bin,
                                                                      l->cfg->counters->addr_len)
                                                      : mib_set_bytes(v, "", 0))
/* The resolved ifIndex (lines named by ifName/ifDescr: once found). */
LINE_GETTER(tslcdLineCountersIfIndex, l->bw && l->bw->ifindex && mib_set_u32(v, l->bw->ifindex))
LINE_GETTER(tslcdLineCountersStatus, l->bw ? l->bw->status &&mib_set_int(v, l->bw->status)
                                           : mib_set_int(v, BW_NOT_CONFIGURED))
LINE_GETTER(tslcdLineCountersLastOk, l->bw &&mib_set_datetime(v, l->bw->last_ok))
LINE_GETTER(tslcdLineCountersLastFail, l->bw &&mib_set_datetime(v, l->bw->last_fail))
LINE_GETTER(tslcdLineHCInOctets, l->bw && l->bw->have_prev && mib_set_u64(v, l->bw->prev.in))
LINE_GETTER(tslcdLineHCOutOctets, l->bw && l->bw->have_prev && mib_set_u64(v, l->bw->prev.out))
LINE_GETTER(tslcdLineDiscontinuityTime, l->bw &&mib_set_datetime(v, l->bw->disc_time))
LINE_GETTER(tslcdLineCounterWidth,
            mib_set_int(v, l->bw && l->bw->have_prev ? l->bw->width : BW_WIDTH_UNKNOWN))

/* The previous month and quarter (mib.h), as for offices. */
MIB_PREV_PERIOD_GETTERS(LINE_GETTER, tslcdLine, line_avail(l))
/* ---- twins for generic tools (60 and up): names of the office, text for
 * enumerations and addresses, percentages in hundredths ---- */

static bool target_text(const struct line_cfg *c, struct mib_value *v)
{
	if (c->target_type == ADDR_DNS)
		return mib_set_str(v, c->target);
	return mib_set_addr_text(v, c->target_bin, c->target_len);
}

LINE_GETTER(tslcdLineOfficeCode, mib_set_str(v, l->office->cfg->code))
LINE_GETTER(tslcdLineOfficeName, mib_set_str(v, l->office->cfg->name))
LINE_GETTER(tslcdLineOfficeNameAscii, mib_set_ascii(v, l->office->cfg->name))
LINE_GETTER(tslcdLineCarrierText, mib_set_str(v, config_carrier_name(l->cfg->carrier)))
LINE_GETTER(tslcdLineStatusText, mib_set_str(v, line_status_name(linestate_reported(&l->ls))))
LINE_GETTER(tslcdLineTargetText, target_text(l->cfg, v))
LINE_GETTER(tslcdLineLossPct, mib_ppm_to_pct100(loss_value(l, v), v))
LINE_GETTER(tslcdLineAvail24hPct, mib_ppm_to_pct100(tslcdLineAvail24h(l, v), v))
LINE_GETTER(tslcdLineAvail30dPct, mib_ppm_to_pct100(tslcdLineAvail30d(l, v), v))
LINE_GETTER(tslcdLineInUtilPct, mib_ppm_to_pct100(tslcdLineInUtil(l, v), v))
LINE_GETTER(tslcdLineOutUtilPct, mib_ppm_to_pct100(tslcdLineOutUtil(l, v), v))
LINE_GETTER(tslcdLineCountersSourceText,
            l->cfg->counters
                ? mib_set_addr_text(v, l->cfg->counters->addr_bin, l->cfg->counters->addr_len)
                : mib_set_str(v, ""))
LINE_GETTER(tslcdLineRttAvgMs,
            rtt_value(l, RTT_AVG, v) && mib_set_u32(v, (v->buf.u32 + 500) / 1000))

static const struct mib_column line_cols[] = {TSLCD_COLUMNS_tslcdLineEntry(MIB_COLUMN)};

MIB_TABLE(line_table, "tslcdLineTable", TSLCD_OID_LINE_TABLE, 2, line_cols);

void mib_line_bind(const struct model *m)
{
	size_t n = 0, at = 0;

	for (size_t i = 0; m && i < m->n_offices; i++)
		n += m->offices[i].n_lines;
	struct mib_row *rows = mib_rows_alloc(&line_table, n);
	if (!rows)
		return;
	for (size_t i = 0; m && i < m->n_offices; i++) {
		const struct office *o = &m->offices[i];
		for (size_t j = 0; j < o->n_lines; j++, at++)
			rows[at] =
			    (struct mib_row){{o->cfg->id, o->lines[j].cfg->id}, &o->lines[j]};
	}
	mib_table_rebind(&line_table, rows, n);
}

struct mib_table *mib_line_table(void)
{
	return &line_table;
}
