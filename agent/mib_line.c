/*
 * mib_line: tslcdLineTable, indexed by (office id, line id).
 */
#include "mib.h"

#define LINE_GETTER(fn, call)                                                                      \
	static bool fn(const void *p, struct mib_value *v)                                         \
	{                                                                                          \
		const struct line *l = p;                                                          \
		return call;                                                                       \
	}

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
LINE_GETTER(get_av24h, probed(l) && mib_avail_raw(&l->av, AVAIL_24H, v))
LINE_GETTER(get_av7d, probed(l) && mib_avail_raw(&l->av, AVAIL_7D, v))
LINE_GETTER(get_av30d, probed(l) && mib_avail_raw(&l->av, AVAIL_30D, v))
LINE_GETTER(get_avmonth, probed(l) && mib_avail_raw(&l->av, AVAIL_MONTH, v))
LINE_GETTER(get_avq, probed(l) && mib_avail_raw(&l->av, AVAIL_QUARTER, v))
LINE_GETTER(get_avq_adj, probed(l) && mib_avail_adjusted(&l->av, AVAIL_QUARTER, v))
LINE_GETTER(get_monq, probed(l) && mib_avail_monitored(&l->av, AVAIL_QUARTER, v))
LINE_GETTER(get_outages_q, probed(l) && quarter_value(l, false, v))
LINE_GETTER(get_downtime_q, probed(l) && quarter_value(l, true, v))

/* Bandwidth columns (30..47) and flapping (48) arrive with their engines:
 * until then they are absent, never a made-up zero. */
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
    {30, "tslcdLineInBps", ASN_COUNTER64, NULL},
    {31, "tslcdLineOutBps", ASN_COUNTER64, NULL},
    {32, "tslcdLineInUtil", ASN_UNSIGNED, NULL},
    {33, "tslcdLineOutUtil", ASN_UNSIGNED, NULL},
    {34, "tslcdLineInUtilP95", ASN_UNSIGNED, NULL},
    {35, "tslcdLineOutUtilP95", ASN_UNSIGNED, NULL},
    {36, "tslcdLineCongestionWindow", ASN_UNSIGNED, NULL},
    {37, "tslcdLineCongestionSamples", ASN_GAUGE, NULL},
    {38, "tslcdLineCountersSourceType", ASN_INTEGER, NULL},
    {39, "tslcdLineCountersSource", ASN_OCTET_STR, NULL},
    {40, "tslcdLineCountersIfIndex", ASN_UNSIGNED, NULL},
    {41, "tslcdLineCountersStatus", ASN_INTEGER, NULL},
    {42, "tslcdLineCountersLastOk", ASN_OCTET_STR, NULL},
    {43, "tslcdLineCountersLastFail", ASN_OCTET_STR, NULL},
    {44, "tslcdLineHCInOctets", ASN_COUNTER64, NULL},
    {45, "tslcdLineHCOutOctets", ASN_COUNTER64, NULL},
    {46, "tslcdLineDiscontinuityTime", ASN_OCTET_STR, NULL},
    {47, "tslcdLineCounterWidth", ASN_INTEGER, NULL},
    {48, "tslcdLineIsFlapping", ASN_INTEGER, NULL},
};

static const oid line_table_oid[] = {TSLCD_OID_LINE_TABLE};

static struct mib_table line_table = {
    .name = "tslcdLineTable",
    .table_oid = line_table_oid,
    .table_oid_len = OID_LENGTH(line_table_oid),
    .n_index = 2,
    .cols = line_cols,
    .n_cols = sizeof(line_cols) / sizeof(line_cols[0]),
};

int mib_line_register(void)
{
	return mib_table_register(&line_table);
}

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

void mib_line_dump(FILE *out)
{
	mib_dump_table_oids(out, &line_table);
}
