/*
 * mib_agent: the tslcdAgent scalars (identity, config, counts, counters).
 */
#include "agent_status.h"
#include "heightened.h"
#include "history.h"
#include "mib.h"
#include "mib_columns.h" /* generated from the MIB (Makefile) */
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

COUNT_GETTER(tslcdOfficesTotal, c.offices[1] + c.offices[2] + c.offices[3] + c.offices[4] +
                                    c.offices[5] + c.offices[OFFICE_UNREACHABLE])
COUNT_GETTER(tslcdOfficesUp, c.offices[OFFICE_UP])
COUNT_GETTER(tslcdOfficesDegraded, c.offices[OFFICE_DEGRADED])
COUNT_GETTER(tslcdOfficesIsolated, c.offices[OFFICE_ISOLATED])
COUNT_GETTER(tslcdOfficesUnknown, c.offices[OFFICE_UNKNOWN])
COUNT_GETTER(tslcdLinesTotal, c.lines[1] + c.lines[2] + c.lines[3] + c.lines[4] + c.lines[5] +
                                  c.lines[6] + c.lines[LINE_UNREACHABLE])
COUNT_GETTER(tslcdLinesUp, c.lines[LINE_UP])
COUNT_GETTER(tslcdLinesDegraded, c.lines[LINE_DEGRADED])
COUNT_GETTER(tslcdLinesDown, c.lines[LINE_DOWN])
COUNT_GETTER(tslcdLinesUnknown, c.lines[LINE_UNKNOWN] + c.lines[LINE_UNRESOLVED])
COUNT_GETTER(tslcdLinesMaintenance, c.lines[LINE_MAINTENANCE])

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

STATUS_GETTER(tslcdAgentVersion, mib_set_str(v, agent_status_get()->version))
STATUS_GETTER(tslcdAgentStartTime, mib_set_datetime(v, agent_status_get()->start_time))
STATUS_GETTER(tslcdConfigFingerprint, fingerprint(v))
STATUS_GETTER(tslcdConfigLoadTime, mib_set_datetime(v, agent_status_get()->config_load_time))
STATUS_GETTER(tslcdConfigLoadResult, agent_status_get()->config_load_time &&mib_set_int(
                                         v, agent_status_get()->config_load_ok ? 1 : 2))
STATUS_GETTER(tslcdConfigLoadMessage, mib_set_str(v, agent_status_get()->config_message))
STATUS_GETTER(tslcdConfigLoadMessageAscii, mib_set_ascii(v, agent_status_get()->config_message))
STATUS_GETTER(tslcdIcmpMode,
              agent_status_get()->icmp_mode &&mib_set_int(v, agent_status_get()->icmp_mode))
STATUS_GETTER(tslcdStateSaveTime, mib_set_datetime(v, agent_status_get()->state_save_time))
STATUS_GETTER(tslcdStateSaveResult, mib_set_int(v, agent_status_get()->state_save_result))
STATUS_GETTER(tslcdNotificationSeq, mib_set_u32(v, notify_seq()))
STATUS_GETTER(tslcdNotificationsSuppressed, mib_set_u32(v, notify_suppressed()))
STATUS_GETTER(tslcdAlarmsActive, mib_set_u32(v, (uint32_t)notify_alarms()->n))
STATUS_GETTER(tslcdHeightenedPeriod, mib_set_str(v, heightened_name()))
STATUS_GETTER(tslcdHeightenedPeriodAscii, mib_set_ascii(v, heightened_name()))
STATUS_GETTER(tslcdReportsAccepted, mib_reports_accepted(v))
STATUS_GETTER(tslcdReportsRejected, mib_reports_rejected(v))

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

STATUS_GETTER(tslcdHistoryLastWrite, history_figure(v, 0))
STATUS_GETTER(tslcdHistoryWriteResult, history_figure(v, 1))
STATUS_GETTER(tslcdHistoryRowsPending, history_figure(v, 2))
STATUS_GETTER(tslcdHistoryRowsWritten, history_figure(v, 3))
STATUS_GETTER(tslcdHistoryRowsDropped, history_figure(v, 4))
STATUS_GETTER(tslcdHistoryWriteFailures, history_figure(v, 5))
STATUS_GETTER(tslcdMonitoringState, monitoring_state(v))
STATUS_GETTER(tslcdReferencesTotal, references_total(v))
STATUS_GETTER(tslcdReferencesUp, references_up(v))
STATUS_GETTER(tslcdMonitoringLastChange, monitoring_last_change(v))
STATUS_GETTER(tslcdNodesTotal, nodes_total(v))
STATUS_GETTER(tslcdNodesDown, nodes_down(v))
STATUS_GETTER(tslcdAlarmsLastChanged, alarms_last_changed(v))

static const struct mib_column agent_cols[] = {TSLCD_COLUMNS_tslcdAgent(MIB_COLUMN)};

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
