/*
 * mib_line: tslcdLineTable, indexed by (office id, line id).
 */
#include "mib.h"
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

static bool quarter_value(const struct line *l, bool downtime, struct mib_value *v)
{
	struct avail_figures f;
	if (!avail_window(&l->av, AVAIL_QUARTER, time(NULL), &f))
		return false;
	return mib_set_u32(v, downtime ? f.down_s : f.outages);
}

static bool probed(const struct line *l)
{
	return l->cfg->method != METHOD_NONE;
}

LINE_GETTER(get_carrier, mib_set_int(v, l->cfg->carrier))
LINE_GETTER(get_circuit, mib_set_str(v, l->cfg->circuit))
LINE_GETTER(get_medium, mib_set_int(v, l->cfg->medium))
LINE_GETTER(get_role, mib_set_int(v, l->cfg->role))
LINE_GETTER(get_path, mib_set_u32(v, l->cfg->path_group))
LINE_GETTER(get_kbps, mib_set_u32(v, l->cfg->contract_kbps))
LINE_GETTER(get_method, mib_set_int(v, l->cfg->method))
LINE_GETTER(get_target_type, mib_set_int(v, l->cfg->target_type))
LINE_GETTER(get_target, target_value(l->cfg, v))
LINE_GETTER(get_port, mib_set_u32(v, l->cfg->tcp_port))
LINE_GETTER(get_status, mib_set_int(v, linestate_reported(&l->ls)))
LINE_GETTER(get_last_change, mib_set_datetime(v, l->last_change))
LINE_GETTER(get_rtt_last, l->stats.last_rtt_us &&mib_set_u32(v, l->stats.last_rtt_us))
LINE_GETTER(get_rtt_min, rtt_value(l, RTT_MIN, v))
LINE_GETTER(get_rtt_avg, rtt_value(l, RTT_AVG, v))
LINE_GETTER(get_rtt_max, rtt_value(l, RTT_MAX, v))
LINE_GETTER(get_jitter, rtt_value(l, RTT_JITTER, v))
LINE_GETTER(get_loss, loss_value(l, v))
LINE_GETTER(get_window, stats_window(l, v))
LINE_GETTER(get_rtt_p50, rtt_pct(l, 50, v))
LINE_GETTER(get_rtt_p95, rtt_pct(l, 95, v))
LINE_GETTER(get_rtt_p99, rtt_pct(l, 99, v))
/* The availability columns offices have too (mib.h); none while unprobed. */
MIB_AVAIL_GETTERS(LINE_GETTER, &l->av, probed(l))
LINE_GETTER(get_outages_q, probed(l) && quarter_value(l, false, v))
LINE_GETTER(get_downtime_q, probed(l) && quarter_value(l, true, v))

/* TruthValue: false(2) also while the state is unknown (the MIB says so). */
LINE_GETTER(get_flapping,
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

static bool get_in_bps(const void *p, struct mib_value *v)
{
	return bw_rate(p, BW_IN, false, v);
}

static bool get_out_bps(const void *p, struct mib_value *v)
{
	return bw_rate(p, BW_OUT, false, v);
}

static bool get_in_util(const void *p, struct mib_value *v)
{
	return bw_rate(p, BW_IN, true, v);
}

static bool get_out_util(const void *p, struct mib_value *v)
{
	return bw_rate(p, BW_OUT, true, v);
}

static bool get_in_p95(const void *p, struct mib_value *v)
{
	return bw_p95(p, BW_IN, v);
}

static bool get_out_p95(const void *p, struct mib_value *v)
{
	return bw_p95(p, BW_OUT, v);
}

static bool get_cong_window(const void *p, struct mib_value *v)
{
	const struct model *m = mib_model();
	return bw_of(p) && m && mib_set_u32(v, m->cfg->bandwidth.bw.window_s);
}

/* How many samples the window holds; 0 is a real count here. */
LINE_GETTER(get_cong_samples, l->bw &&mib_set_u32(v, l->bw->n_samples))
/* The MIB wants unknown(0) and an empty address for lines without a source. */
LINE_GETTER(get_src_type, mib_set_int(v, l->cfg->counters ? l->cfg->counters->addr_type : 0))
LINE_GETTER(get_src, l->cfg->counters
                         ? mib_set_bytes(v, l->cfg->counters->addr_bin, l->cfg->counters->addr_len)
                         : mib_set_bytes(v, "", 0))
/* The resolved ifIndex (lines named by ifName/ifDescr: once found). */
LINE_GETTER(get_ifindex, l->bw && l->bw->ifindex && mib_set_u32(v, l->bw->ifindex))
LINE_GETTER(get_poll_status, l->bw ? l->bw->status &&mib_set_int(v, l->bw->status)
                                   : mib_set_int(v, BW_NOT_CONFIGURED))
LINE_GETTER(get_last_ok, l->bw &&mib_set_datetime(v, l->bw->last_ok))
LINE_GETTER(get_last_fail, l->bw &&mib_set_datetime(v, l->bw->last_fail))
LINE_GETTER(get_hc_in, l->bw && l->bw->have_prev && mib_set_u64(v, l->bw->prev.in))
LINE_GETTER(get_hc_out, l->bw && l->bw->have_prev && mib_set_u64(v, l->bw->prev.out))
LINE_GETTER(get_disc_time, l->bw &&mib_set_datetime(v, l->bw->disc_time))
LINE_GETTER(get_width, mib_set_int(v, l->bw && l->bw->have_prev ? l->bw->width : BW_WIDTH_UNKNOWN))

/* The previous month and quarter (mib.h), as for offices. */
MIB_PREV_PERIOD_GETTERS(LINE_GETTER, &l->av)
/* ---- twins for generic tools (60 and up): names of the office, text for
 * enumerations and addresses, percentages in hundredths ---- */

static bool target_text(const struct line_cfg *c, struct mib_value *v)
{
	if (c->target_type == ADDR_DNS)
		return mib_set_str(v, c->target);
	return mib_set_addr_text(v, c->target_bin, c->target_len);
}

LINE_GETTER(get_office_code, mib_set_str(v, l->office->cfg->code))
LINE_GETTER(get_office_name, mib_set_str(v, l->office->cfg->name))
LINE_GETTER(get_office_ascii, mib_set_ascii(v, l->office->cfg->name))
LINE_GETTER(get_carrier_text, mib_set_str(v, config_carrier_name(l->cfg->carrier)))
LINE_GETTER(get_status_text, mib_set_str(v, line_status_name(linestate_reported(&l->ls))))
LINE_GETTER(get_target_text, target_text(l->cfg, v))
LINE_GETTER(get_loss_pct, mib_ppm_to_pct100(loss_value(l, v), v))
LINE_GETTER(get_av24h_pct, mib_ppm_to_pct100(get_av24h(l, v), v))
LINE_GETTER(get_av30d_pct, mib_ppm_to_pct100(get_av30d(l, v), v))
LINE_GETTER(get_in_util_pct, mib_ppm_to_pct100(get_in_util(l, v), v))
LINE_GETTER(get_out_util_pct, mib_ppm_to_pct100(get_out_util(l, v), v))
LINE_GETTER(get_src_text, l->cfg->counters ? mib_set_addr_text(v, l->cfg->counters->addr_bin,
                                                               l->cfg->counters->addr_len)
                                           : mib_set_str(v, ""))
LINE_GETTER(get_rtt_avg_ms, rtt_value(l, RTT_AVG, v) && mib_set_u32(v, (v->buf.u32 + 500) / 1000))

static const struct mib_column line_cols[] = {
    {2, "tslcdLineCarrier", ASN_INTEGER, get_carrier},
    {3, "tslcdLineCircuitId", ASN_OCTET_STR, get_circuit},
    {4, "tslcdLineMedium", ASN_INTEGER, get_medium},
    {5, "tslcdLineRole", ASN_INTEGER, get_role},
    {6, "tslcdLinePathGroup", ASN_UNSIGNED, get_path},
    {7, "tslcdLineContractKbps", ASN_UNSIGNED, get_kbps},
    {8, "tslcdLineProbeMethod", ASN_INTEGER, get_method},
    {9, "tslcdLineTargetType", ASN_INTEGER, get_target_type},
    {10, "tslcdLineTarget", ASN_OCTET_STR, get_target},
    {11, "tslcdLineTcpPort", ASN_UNSIGNED, get_port},
    {12, "tslcdLineOperStatus", ASN_INTEGER, get_status},
    {13, "tslcdLineLastChange", ASN_OCTET_STR, get_last_change},
    {14, "tslcdLineRttLast", ASN_UNSIGNED, get_rtt_last},
    {15, "tslcdLineRttMin", ASN_UNSIGNED, get_rtt_min},
    {16, "tslcdLineRttAvg", ASN_UNSIGNED, get_rtt_avg},
    {17, "tslcdLineRttMax", ASN_UNSIGNED, get_rtt_max},
    {18, "tslcdLineJitter", ASN_UNSIGNED, get_jitter},
    {19, "tslcdLineLoss", ASN_UNSIGNED, get_loss},
    {20, "tslcdLineStatsWindow", ASN_UNSIGNED, get_window},
    {21, "tslcdLineAvail24h", ASN_UNSIGNED, get_av24h},
    {22, "tslcdLineAvail7d", ASN_UNSIGNED, get_av7d},
    {23, "tslcdLineAvail30d", ASN_UNSIGNED, get_av30d},
    {24, "tslcdLineAvailMonth", ASN_UNSIGNED, get_avmonth},
    {25, "tslcdLineAvailQuarter", ASN_UNSIGNED, get_avq},
    {26, "tslcdLineAvailQuarterAdj", ASN_UNSIGNED, get_avq_adj},
    {27, "tslcdLineMonitoredQuarter", ASN_UNSIGNED, get_monq},
    {28, "tslcdLineOutagesQuarter", ASN_GAUGE, get_outages_q},
    {29, "tslcdLineDowntimeQuarter", ASN_UNSIGNED, get_downtime_q},
    {30, "tslcdLineInBps", ASN_COUNTER64, get_in_bps},
    {31, "tslcdLineOutBps", ASN_COUNTER64, get_out_bps},
    {32, "tslcdLineInUtil", ASN_UNSIGNED, get_in_util},
    {33, "tslcdLineOutUtil", ASN_UNSIGNED, get_out_util},
    {34, "tslcdLineInUtilP95", ASN_UNSIGNED, get_in_p95},
    {35, "tslcdLineOutUtilP95", ASN_UNSIGNED, get_out_p95},
    {36, "tslcdLineCongestionWindow", ASN_UNSIGNED, get_cong_window},
    {37, "tslcdLineCongestionSamples", ASN_GAUGE, get_cong_samples},
    {38, "tslcdLineCountersSourceType", ASN_INTEGER, get_src_type},
    {39, "tslcdLineCountersSource", ASN_OCTET_STR, get_src},
    {40, "tslcdLineCountersIfIndex", ASN_UNSIGNED, get_ifindex},
    {41, "tslcdLineCountersStatus", ASN_INTEGER, get_poll_status},
    {42, "tslcdLineCountersLastOk", ASN_OCTET_STR, get_last_ok},
    {43, "tslcdLineCountersLastFail", ASN_OCTET_STR, get_last_fail},
    {44, "tslcdLineHCInOctets", ASN_COUNTER64, get_hc_in},
    {45, "tslcdLineHCOutOctets", ASN_COUNTER64, get_hc_out},
    {46, "tslcdLineDiscontinuityTime", ASN_OCTET_STR, get_disc_time},
    {47, "tslcdLineCounterWidth", ASN_INTEGER, get_width},
    {48, "tslcdLineIsFlapping", ASN_INTEGER, get_flapping},
    {49, "tslcdLineAvailPrevMonth", ASN_UNSIGNED, get_av_pm},
    {50, "tslcdLineAvailPrevMonthAdj", ASN_UNSIGNED, get_av_pm_adj},
    {51, "tslcdLineDowntimePrevMonth", ASN_UNSIGNED, get_down_pm},
    {52, "tslcdLineOutagesPrevMonth", ASN_GAUGE, get_outages_pm},
    {53, "tslcdLineAvailPrevQuarter", ASN_UNSIGNED, get_av_pq},
    {54, "tslcdLineAvailPrevQuarterAdj", ASN_UNSIGNED, get_av_pq_adj},
    {55, "tslcdLineDowntimePrevQuarter", ASN_UNSIGNED, get_down_pq},
    {56, "tslcdLineOutagesPrevQuarter", ASN_GAUGE, get_outages_pq},
    {60, "tslcdLineOfficeCode", ASN_OCTET_STR, get_office_code},
    {61, "tslcdLineOfficeName", ASN_OCTET_STR, get_office_name},
    {62, "tslcdLineOfficeNameAscii", ASN_OCTET_STR, get_office_ascii},
    {63, "tslcdLineCarrierText", ASN_OCTET_STR, get_carrier_text},
    {64, "tslcdLineStatusText", ASN_OCTET_STR, get_status_text},
    {65, "tslcdLineTargetText", ASN_OCTET_STR, get_target_text},
    {66, "tslcdLineLossPct", ASN_UNSIGNED, get_loss_pct},
    {67, "tslcdLineAvail24hPct", ASN_UNSIGNED, get_av24h_pct},
    {68, "tslcdLineAvail30dPct", ASN_UNSIGNED, get_av30d_pct},
    {69, "tslcdLineInUtilPct", ASN_UNSIGNED, get_in_util_pct},
    {70, "tslcdLineOutUtilPct", ASN_UNSIGNED, get_out_util_pct},
    {71, "tslcdLineRttAvgMs", ASN_UNSIGNED, get_rtt_avg_ms},
    {72, "tslcdLineCountersSourceText", ASN_OCTET_STR, get_src_text},
    {80, "tslcdLineRttP50", ASN_UNSIGNED, get_rtt_p50},
    {81, "tslcdLineRttP95", ASN_UNSIGNED, get_rtt_p95},
    {82, "tslcdLineRttP99", ASN_UNSIGNED, get_rtt_p99},
};

MIB_TABLE(line_table, "tslcdLineTable", TSLCD_OID_LINE_TABLE, 2, line_cols);

void mib_line_bind(const struct model *m)
{
	mib_table_clear(&line_table);
	for (size_t i = 0; m && i < m->n_offices; i++) {
		const struct office *o = &m->offices[i];
		for (size_t j = 0; j < o->n_lines; j++) {
			uint32_t idx[2] = {o->cfg->id, o->lines[j].cfg->id};
			mib_table_set_row(&line_table, idx, &o->lines[j]);
		}
	}
}

struct mib_table *mib_line_table(void)
{
	return &line_table;
}
