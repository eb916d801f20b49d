/*
 * mib_agent: the tslcdAgent scalars (identity, config, counts, counters).
 */
#include "agent_status.h"
#include "heightened.h"
#include "history.h"
#include "mib.h"
#include "notify.h"

static bool counts(struct model_counts *c)
{
	const struct model *m = mib_model();
	if (!m)
		return false;
	model_count(m, c);
	return true;
}

/* Count getters: which bucket(s) of model_counts a scalar sums. */
#define COUNT_GETTER(fn, expr)                                                                     \
	MIB_GETTER(fn, struct model_counts c, counts(&c) && mib_set_u32(v, (expr)))

COUNT_GETTER(get_offices_total, c.offices[1] + c.offices[2] + c.offices[3] + c.offices[4] +
                                    c.offices[5] + c.offices[OFFICE_UNREACHABLE])
COUNT_GETTER(get_offices_up, c.offices[OFFICE_UP])
COUNT_GETTER(get_offices_degraded, c.offices[OFFICE_DEGRADED])
COUNT_GETTER(get_offices_isolated, c.offices[OFFICE_ISOLATED])
COUNT_GETTER(get_offices_unknown, c.offices[OFFICE_UNKNOWN])
COUNT_GETTER(get_lines_total, c.lines[1] + c.lines[2] + c.lines[3] + c.lines[4] + c.lines[5] +
                                  c.lines[6] + c.lines[LINE_UNREACHABLE])
COUNT_GETTER(get_lines_up, c.lines[LINE_UP])
COUNT_GETTER(get_lines_degraded, c.lines[LINE_DEGRADED])
COUNT_GETTER(get_lines_down, c.lines[LINE_DOWN])
COUNT_GETTER(get_lines_unknown, c.lines[LINE_UNKNOWN] + c.lines[LINE_UNRESOLVED])
COUNT_GETTER(get_lines_maint, c.lines[LINE_MAINTENANCE])

/* Upstream nodes: the bound model's array. */
static bool nodes_total(struct mib_value *v)
{
	const struct model *m = mib_model();
	return m && mib_set_u32(v, (uint32_t)m->n_nodes);
}

static bool nodes_down(struct mib_value *v)
{
	const struct model *m = mib_model();
	uint32_t down = 0;
	if (!m)
		return false;
	for (size_t i = 0; i < m->n_nodes; i++)
		down += m->nodes[i].status == NODE_DOWN;
	return mib_set_u32(v, down);
}

/* The self-check.  Without references it is off whatever the model holds;
 * a state of 0 (not judged yet by a model that predates the self-check)
 * reads the same way rather than as an invalid enumeration. */
static bool monitoring_state(struct mib_value *v)
{
	const struct model *m = mib_model();
	if (!m)
		return false;
	if (!m->mon.n_refs || !m->mon.state)
		return mib_set_int(v, MONITORING_OFF);
	return mib_set_int(v, m->mon.state);
}

static bool references_total(struct mib_value *v)
{
	const struct model *m = mib_model();
	return m && mib_set_u32(v, (uint32_t)m->mon.n_refs);
}

/* A reference answers with the lines' meaning of available. */
static bool references_up(struct mib_value *v)
{
	const struct model *m = mib_model();
	uint32_t up = 0;
	if (!m)
		return false;
	for (size_t i = 0; i < m->mon.n_refs; i++) {
		enum line_status s = linestate_reported(&m->mon.refs[i].ls);
		up += s == LINE_UP || s == LINE_DEGRADED;
	}
	return mib_set_u32(v, up);
}

static bool monitoring_last_change(struct mib_value *v)
{
	const struct model *m = mib_model();
	return m && mib_set_datetime(v, m->mon.last_change);
}

/* DateAndTime with its deci-seconds: two changes a second apart differ. */
static bool alarms_last_changed(struct mib_value *v)
{
	int64_t ms = notify_alarms_changed_ms();
	if (ms <= 0 || !mib_set_datetime(v, (time_t)(ms / 1000)))
		return false;
	v->buf.bytes[7] = (uint8_t)(ms % 1000 / 100);
	return true;
}

#define STATUS_GETTER(fn, call) MIB_GETTER(fn, , call)

static bool fingerprint(struct mib_value *v)
{
	const struct model *m = mib_model();
	return m && mib_set_bytes(v, m->cfg->fingerprint, sizeof(m->cfg->fingerprint));
}

STATUS_GETTER(get_version, mib_set_str(v, agent_status_get()->version))
STATUS_GETTER(get_start, mib_set_datetime(v, agent_status_get()->start_time))
STATUS_GETTER(get_fingerprint, fingerprint(v))
STATUS_GETTER(get_load_time, mib_set_datetime(v, agent_status_get()->config_load_time))
STATUS_GETTER(get_load_result, agent_status_get()->config_load_time &&mib_set_int(
                                   v, agent_status_get()->config_load_ok ? 1 : 2))
STATUS_GETTER(get_load_msg, mib_set_str(v, agent_status_get()->config_message))
STATUS_GETTER(get_load_msg_ascii, mib_set_ascii(v, agent_status_get()->config_message))
STATUS_GETTER(get_icmp_mode,
              agent_status_get()->icmp_mode &&mib_set_int(v, agent_status_get()->icmp_mode))
STATUS_GETTER(get_save_time, mib_set_datetime(v, agent_status_get()->state_save_time))
STATUS_GETTER(get_save_result, mib_set_int(v, agent_status_get()->state_save_result))
STATUS_GETTER(get_notify_seq, mib_set_u32(v, notify_seq()))
STATUS_GETTER(get_suppressed, mib_set_u32(v, notify_suppressed()))
STATUS_GETTER(get_alarms_active, mib_set_u32(v, (uint32_t)notify_alarms()->n))
STATUS_GETTER(get_heightened, mib_set_str(v, heightened_name()))
STATUS_GETTER(get_heightened_ascii, mib_set_ascii(v, heightened_name()))
STATUS_GETTER(get_reports_accepted, mib_reports_accepted(v))
STATUS_GETTER(get_reports_rejected, mib_reports_rejected(v))

/* The writer thread's figures, read under its lock: one copy per GET. */
static bool history_figure(struct mib_value *v, int which)
{
	struct history_status st;

	history_status(&st);
	switch (which) {
	case 0:
		return st.last_write && mib_set_datetime(v, st.last_write);
	case 1:
		return st.result && mib_set_int(v, st.result);
	case 2:
		return mib_set_u32(v, st.pending);
	case 3:
		return mib_set_u32(v, (uint32_t)st.written); /* Counter32: wraps */
	case 4:
		return mib_set_u32(v, (uint32_t)st.dropped);
	default:
		return mib_set_u32(v, (uint32_t)st.failures);
	}
}

STATUS_GETTER(get_hist_last_write, history_figure(v, 0))
STATUS_GETTER(get_hist_result, history_figure(v, 1))
STATUS_GETTER(get_hist_pending, history_figure(v, 2))
STATUS_GETTER(get_hist_written, history_figure(v, 3))
STATUS_GETTER(get_hist_dropped, history_figure(v, 4))
STATUS_GETTER(get_hist_failures, history_figure(v, 5))
STATUS_GETTER(get_mon_state, monitoring_state(v))
STATUS_GETTER(get_refs_total, references_total(v))
STATUS_GETTER(get_refs_up, references_up(v))
STATUS_GETTER(get_mon_last_change, monitoring_last_change(v))
STATUS_GETTER(get_nodes_total, nodes_total(v))
STATUS_GETTER(get_nodes_down, nodes_down(v))
STATUS_GETTER(get_alarms_last_changed, alarms_last_changed(v))

static const struct mib_column agent_cols[] = {
    {1, "tslcdAgentVersion", ASN_OCTET_STR, get_version},
    {2, "tslcdAgentStartTime", ASN_OCTET_STR, get_start},
    {3, "tslcdConfigFingerprint", ASN_OCTET_STR, get_fingerprint},
    {4, "tslcdConfigLoadTime", ASN_OCTET_STR, get_load_time},
    {5, "tslcdConfigLoadResult", ASN_INTEGER, get_load_result},
    {6, "tslcdConfigLoadMessage", ASN_OCTET_STR, get_load_msg},
    {7, "tslcdOfficesTotal", ASN_GAUGE, get_offices_total},
    {8, "tslcdOfficesUp", ASN_GAUGE, get_offices_up},
    {9, "tslcdOfficesDegraded", ASN_GAUGE, get_offices_degraded},
    {10, "tslcdOfficesIsolated", ASN_GAUGE, get_offices_isolated},
    {11, "tslcdOfficesUnknown", ASN_GAUGE, get_offices_unknown},
    {12, "tslcdLinesTotal", ASN_GAUGE, get_lines_total},
    {13, "tslcdLinesUp", ASN_GAUGE, get_lines_up},
    {14, "tslcdLinesDegraded", ASN_GAUGE, get_lines_degraded},
    {15, "tslcdLinesDown", ASN_GAUGE, get_lines_down},
    {16, "tslcdLinesUnknown", ASN_GAUGE, get_lines_unknown},
    {17, "tslcdLinesMaintenance", ASN_GAUGE, get_lines_maint},
    {18, "tslcdNotificationSeq", ASN_UNSIGNED, get_notify_seq},
    {19, "tslcdNotificationsSuppressed", ASN_COUNTER, get_suppressed},
    {20, "tslcdAlarmsActive", ASN_GAUGE, get_alarms_active},
    {21, "tslcdReportsAccepted", ASN_COUNTER, get_reports_accepted},
    {22, "tslcdReportsRejected", ASN_COUNTER, get_reports_rejected},
    {23, "tslcdHeightenedPeriod", ASN_OCTET_STR, get_heightened},
    {24, "tslcdIcmpMode", ASN_INTEGER, get_icmp_mode},
    {25, "tslcdStateSaveTime", ASN_OCTET_STR, get_save_time},
    {26, "tslcdStateSaveResult", ASN_INTEGER, get_save_result},
    {27, "tslcdHistoryLastWrite", ASN_OCTET_STR, get_hist_last_write},
    {28, "tslcdHistoryWriteResult", ASN_INTEGER, get_hist_result},
    {29, "tslcdHistoryRowsPending", ASN_GAUGE, get_hist_pending},
    {30, "tslcdHistoryRowsWritten", ASN_COUNTER, get_hist_written},
    {31, "tslcdHistoryRowsDropped", ASN_COUNTER, get_hist_dropped},
    {32, "tslcdMonitoringState", ASN_INTEGER, get_mon_state},
    {33, "tslcdReferencesTotal", ASN_UNSIGNED, get_refs_total},
    {34, "tslcdReferencesUp", ASN_GAUGE, get_refs_up},
    {35, "tslcdMonitoringLastChange", ASN_OCTET_STR, get_mon_last_change},
    {36, "tslcdNodesTotal", ASN_UNSIGNED, get_nodes_total},
    {37, "tslcdNodesDown", ASN_GAUGE, get_nodes_down},
    {38, "tslcdAlarmsLastChanged", ASN_OCTET_STR, get_alarms_last_changed},
    {39, "tslcdConfigLoadMessageAscii", ASN_OCTET_STR, get_load_msg_ascii},
    {40, "tslcdHeightenedPeriodAscii", ASN_OCTET_STR, get_heightened_ascii},
    {41, "tslcdHistoryWriteFailures", ASN_COUNTER, get_hist_failures},
};

static const oid agent_oid[] = {TSLCD_OID_AGENT};

int mib_agent_register(void)
{
	return mib_scalars_register("tslcdAgent", agent_oid, OID_LENGTH(agent_oid), agent_cols,
	                            MIB_N_COLS(agent_cols));
}

void mib_agent_dump(FILE *out)
{
	mib_dump_scalar_oids(out, agent_oid, OID_LENGTH(agent_oid), agent_cols,
	                     MIB_N_COLS(agent_cols));
}
