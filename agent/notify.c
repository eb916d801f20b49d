/*
 * notify: alarm table, storm control and TSLCD-MIB notifications.  See
 * notify.h for the contract; the Net-SNMP-free bookkeeping is in alarm.c.
 */
#include "notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alarm_rules.h"
#include "alarm_shelf.h"
#include "alarmlog.h"
#include "flap.h"
#include "heightened.h"
#include "histfeed.h"
#include "log.h"
#include "loop.h"
#include "mib.h"
#include "token_bucket.h"

/* What the NOC was told: an entry per alarm whose raise was delivered and
 * whose clear was not.  severity SEV_CLEARED marks a clear still owed,
 * kept with the clear's figures so it can be sent later. */
struct line_watch {
	uint32_t office, line;
	struct flap flap;
};

static struct {
	const struct model *m;
	struct alarm_set alarms;
	struct alarm_set told;
	struct token_bucket bucket;
	struct line_watch *watch; /* sorted by (office, line), like the model */
	size_t n_watch;
	uint32_t seq, suppressed;
	uint32_t session_seq; /* last seq before the current master session */
	bool connected;
	bool restored; /* alarms from the state file, not judged yet */
	struct loop_timer *resync;
	struct loop_timer *hold_timer; /* the earliest hold's end */
	uint32_t hold_timer_at;        /* monotonic s it fires at */
	int64_t changed_ms;            /* wall ms: tslcdAlarmsLastChanged */
	struct alarm_shelves shelves;
} N;

/* A notification about to be sent. */
struct notice {
	struct alarm_key key;
	bool clear;
	uint8_t severity;
	int32_t value, threshold;
	const char *text;
	const struct alarm_extra *extra;
};

static const struct notify_cfg *cfg(void)
{
	return &N.m->cfg->notify;
}

static struct flap_params flap_params(void)
{
	return (struct flap_params){cfg()->flap_count, cfg()->flap_window_s};
}

static uint32_t mono_s(void)
{
	return (uint32_t)(loop_now_ms() / 1000u);
}

static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Every change of a row's presence, severity or seq goes through here,
 * so tslcdAlarmsLastChanged follows the table. */
static void alarm_row(const struct alarm *a, bool present)
{
	mib_alarm_row(a, present);
	N.changed_ms = wall_ms();
}

/* ---- varbinds ---- */

/* Where an object of a notification comes from: a column of the office or
 * line row (read through the table's own descriptor, as a GET would), the
 * readiness figures of the edge (kept in struct alarm, so an owed clear or
 * a restored alarm carries what was judged), or the tslcdNotify*.0
 * objects of this notification. */
enum src { SRC_END, SRC_OFFICE, SRC_LINE, SRC_READY, SRC_NOTIFY, SRC_NODE, SRC_AGENT };

/* An object of a notification: its source and column, in one number. */
#define OBJ(src, col) ((src) << 8 | (col))
/* tslcdOfficeCode, Name; tslcdOfficeOperStatus */
#define VB_HEAD          OBJ(SRC_OFFICE, 2), OBJ(SRC_OFFICE, 3)
#define VB_OFFICE_STATUS OBJ(SRC_OFFICE, 13)
/* tslcdLineCarrier, CircuitId; tslcdLineOperStatus */
#define VB_LINE_ID     OBJ(SRC_LINE, 2), OBJ(SRC_LINE, 3)
#define VB_LINE_STATUS OBJ(SRC_LINE, 12)
/* tslcdOfficeLinesUp, RequiredLines */
#define VB_PATHS OBJ(SRC_OFFICE, 16), OBJ(SRC_OFFICE, 11)
#define VB_NOTIFY_TAIL                                                                             \
	OBJ(SRC_NOTIFY, NV_SEVERITY), OBJ(SRC_NOTIFY, NV_VALUE), OBJ(SRC_NOTIFY, NV_THRESHOLD),    \
	    OBJ(SRC_NOTIFY, NV_SEQ), OBJ(SRC_NOTIFY, NV_TEXT)
#define VB_TEXT_ASCII OBJ(SRC_NOTIFY, NV_TEXT_ASCII)
/* tslcdNodeName, OperStatus, OfficesAffected, LinesAffected */
#define VB_NODE OBJ(SRC_NODE, 2), OBJ(SRC_NODE, 5), OBJ(SRC_NODE, 11), OBJ(SRC_NODE, 12)
/* tslcdMonitoringState, ReferencesUp, ReferencesTotal (.0) */
#define VB_MONITORING                                                                              \
	OBJ(SRC_AGENT, AV_MON_STATE), OBJ(SRC_AGENT, AV_REFS_UP), OBJ(SRC_AGENT, AV_REFS)
/* tslcdNotifyGroup, OfficesDown, OfficesTotal, Cause (.0) */
#define VB_AREA                                                                                    \
	OBJ(SRC_NOTIFY, NV_GROUP), OBJ(SRC_NOTIFY, NV_OFFICES_DOWN), OBJ(SRC_NOTIFY, NV_OFFICES),  \
	    OBJ(SRC_NOTIFY, NV_CAUSE)

/* tslcdNotify* (instance .0) and tslcdReadiness* column numbers. */
enum {
	NV_SEQ = 1,
	NV_SEVERITY = 2,
	NV_VALUE = 3,
	NV_THRESHOLD = 4,
	NV_TEXT = 5,
	NV_TEXT_ASCII = 20,
	NV_GROUP = 21,
	NV_OFFICES_DOWN = 22,
	NV_OFFICES = 23,
	NV_CAUSE = 24,
};
/* tslcdAgent scalars the monitoring notifications carry. */
enum { AV_MON_STATE = 32, AV_REFS = 33, AV_REFS_UP = 34 };
enum { RV_STATE = 1, RV_REASON = 3, RV_REPORT_TIME = 19, RV_CERT_DAYS = 22 };

/* The OBJECTS clause of each type's NOTIFICATION-TYPE pair, in order; the
 * ASCII twin of the text comes last, for receivers that strip UTF-8. */
static const uint16_t objects[ALARM_TYPE_MAX + 1][12] = {
    [ALARM_LINE_DOWN] = {VB_HEAD, VB_LINE_ID, VB_LINE_STATUS, VB_NOTIFY_TAIL, VB_TEXT_ASCII},
    [ALARM_OFFICE_ISOLATED] = {VB_HEAD, VB_OFFICE_STATUS, VB_NOTIFY_TAIL, VB_TEXT_ASCII},
    [ALARM_LINE_DEGRADED] = {VB_HEAD, VB_LINE_ID, VB_LINE_STATUS, VB_NOTIFY_TAIL, VB_TEXT_ASCII},
    [ALARM_UTILISATION_HIGH] = {VB_HEAD, VB_LINE_ID, VB_NOTIFY_TAIL, VB_TEXT_ASCII},
    [ALARM_AVAILABILITY_LOW] = {VB_HEAD, VB_NOTIFY_TAIL, VB_TEXT_ASCII},
    [ALARM_READINESS_NOT_READY] = {VB_HEAD, VB_NOTIFY_TAIL, OBJ(SRC_READY, RV_STATE),
                                   OBJ(SRC_READY, RV_REASON), VB_TEXT_ASCII},
    [ALARM_REPORT_STALE] = {VB_HEAD, VB_NOTIFY_TAIL, OBJ(SRC_READY, RV_REPORT_TIME), VB_TEXT_ASCII},
    [ALARM_CERT_EXPIRING] = {VB_HEAD, VB_NOTIFY_TAIL, OBJ(SRC_READY, RV_CERT_DAYS), VB_TEXT_ASCII},
    [ALARM_REDUNDANCY] = {VB_HEAD, VB_NOTIFY_TAIL, VB_PATHS, VB_TEXT_ASCII},
    [ALARM_LINE_FLAPPING] = {VB_HEAD, VB_LINE_ID, VB_LINE_STATUS, VB_NOTIFY_TAIL, VB_TEXT_ASCII},
    [ALARM_NODE_DOWN] = {VB_NODE, VB_NOTIFY_TAIL, VB_TEXT_ASCII},
    [ALARM_MONITORING_IMPAIRED] = {VB_MONITORING, VB_NOTIFY_TAIL, VB_TEXT_ASCII},
    [ALARM_AREA_OUTAGE] = {VB_AREA, VB_NOTIFY_TAIL, VB_TEXT_ASCII},
};

/* The area objects: the group from the config (key.office is its number),
 * the count of the edge (value), the cause judged at the edge. */
static u_char area_value(unsigned col, const struct notice *n, struct mib_value *v)
{
	const struct tslcd_config *c = N.m->cfg;
	const struct group_cfg *g = n->key.office >= 1 && n->key.office <= c->n_groups
	                                ? &c->groups[n->key.office - 1]
	                                : NULL;

	if (col == NV_GROUP) {
		static char name[96];
		snprintf(name, sizeof(name), "%s %s", g ? config_group_kind_name(g->kind) : "?",
		         g ? g->name : "");
		mib_set_str(v, name);
		return ASN_OCTET_STR;
	}
	if (col == NV_CAUSE) {
		uint8_t cause = n->extra ? n->extra->outage_cause : 0;
		mib_set_int(v, cause ? cause : OUTAGE_CAUSE_UNKNOWN);
		return ASN_INTEGER;
	}
	mib_set_u32(v, col == NV_OFFICES_DOWN ? (uint32_t)(n->value > 0 ? n->value : 0)
	                                      : (uint32_t)(g ? g->n_offices : 0));
	return ASN_UNSIGNED;
}

/* tslcdMonitoringState and the reference counts, as the scalars read. */
static u_char agent_value(unsigned col, struct mib_value *v)
{
	const struct monitoring *mon = &N.m->mon;
	unsigned up = 0;

	if (col == AV_MON_STATE) {
		mib_set_int(v, mon->state ? mon->state : MONITORING_OFF);
		return ASN_INTEGER;
	}
	for (size_t i = 0; i < mon->n_refs; i++) {
		enum line_status s = linestate_tracked(&mon->refs[i].ls);
		up += s == LINE_UP || s == LINE_DEGRADED;
	}
	mib_set_u32(v, col == AV_REFS ? (uint32_t)mon->n_refs : up);
	return col == AV_REFS ? ASN_UNSIGNED : ASN_GAUGE;
}

/* tslcdNotify*.0: the figures of this notification. */
static u_char notify_value(unsigned col, const struct notice *n, uint32_t seq, struct mib_value *v)
{
	if (col == NV_TEXT || col == NV_TEXT_ASCII) {
		if (col == NV_TEXT)
			mib_set_str(v, n->text);
		else
			mib_set_ascii(v, n->text);
		return ASN_OCTET_STR;
	}
	if (col == NV_SEQ) {
		mib_set_u32(v, seq);
		return ASN_UNSIGNED;
	}
	if (col >= NV_GROUP)
		return area_value(col, n, v);
	mib_set_int(v, col == NV_SEVERITY ? n->severity
	               : col == NV_VALUE  ? n->value
	                                  : n->threshold);
	return ASN_INTEGER;
}

/* tslcdReadiness*.OFFICE as the readiness engine judged it at the edge. */
static u_char ready_value(unsigned col, const struct alarm_extra *x, struct mib_value *v)
{
	switch (col) {
	case RV_STATE:
		mib_set_int(v, x->readiness_state ? x->readiness_state : 1);
		return ASN_INTEGER;
	case RV_REASON:
		mib_set_str(v, x->readiness_reason);
		return ASN_OCTET_STR;
	case RV_REPORT_TIME:
		/* The MIB: never-reported is '0000000000000000'H. */
		if (x->report_time <= 0 || !mib_set_datetime(v, (time_t)x->report_time))
			mib_set_bytes(v, "\0\0\0\0\0\0\0\0", 8);
		return ASN_OCTET_STR;
	default:
		mib_set_int(v, x->cert_days_left);
		return ASN_INTEGER;
	}
}

static void add_own(netsnmp_variable_list **vars, unsigned src, unsigned col,
                    const struct notice *n, uint32_t seq)
{
	static const struct alarm_extra none;
	static const oid notify_objs[] = {TSLCD_OID_NOTIFY_OBJS};
	static const oid ready_entry[] = {TSLCD_OID_READY_TABLE, 1};
	static const oid agent[] = {TSLCD_OID_AGENT};
	oid name[MAX_OID_LEN];
	struct mib_value v = {0};
	u_char type;
	size_t len;

	if (src == SRC_NOTIFY || src == SRC_AGENT) {
		len = src == SRC_NOTIFY ? OID_LENGTH(notify_objs) : OID_LENGTH(agent);
		memcpy(name, src == SRC_NOTIFY ? notify_objs : agent, len * sizeof(oid));
		name[len++] = col;
		name[len++] = 0;
		type = src == SRC_NOTIFY ? notify_value(col, n, seq, &v) : agent_value(col, &v);
	} else {
		len = OID_LENGTH(ready_entry);
		memcpy(name, ready_entry, sizeof(ready_entry));
		name[len++] = col;
		name[len++] = n->key.office;
		type = ready_value(col, n->extra ? n->extra : &none, &v);
	}
	snmp_varlist_add_variable(vars, name, len, type, v.ptr, v.len);
}

static netsnmp_variable_list *build(const struct notice *n, uint32_t seq)
{
	static const oid trap_oid_name[] = {1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0}; /* snmpTrapOID.0 */
	const oid trap[] = {TSLCD_OID_NOTIFICATIONS, 2 * n->key.type - (n->clear ? 0 : 1)};
	const uint32_t index[2] = {n->key.office, n->key.line};
	const struct office *o = N.m ? model_find_office(N.m, n->key.office) : NULL;
	const struct line *l =
	    N.m && n->key.line ? model_find_line(N.m, n->key.office, n->key.line) : NULL;
	const struct node *node =
	    N.m && n->key.type == ALARM_NODE_DOWN ? model_find_node(N.m, n->key.office) : NULL;
	netsnmp_variable_list *vars = NULL;

	snmp_varlist_add_variable(&vars, trap_oid_name, OID_LENGTH(trap_oid_name), ASN_OBJECT_ID,
	                          trap, sizeof(trap));
	for (const uint16_t *k = objects[n->key.type]; *k; k++) {
		unsigned src = *k >> 8, col = *k & 0xff;
		if (src == SRC_OFFICE)
			mib_table_column_vb(&vars, mib_office_table(), index, o, col);
		else if (src == SRC_NODE && mib_node_table())
			mib_table_column_vb(&vars, mib_node_table(), index, node, col);
		else if (src == SRC_LINE)
			mib_table_column_vb(&vars, mib_line_table(), index, l, col);
		else
			add_own(&vars, src, col, n, seq);
	}
	return vars;
}

/* ---- emitting ---- */

static void told_update(const struct notice *n, bool delivered)
{
	struct alarm *t = alarm_find(&N.told, &n->key);

	if (!n->clear) {
		if (delivered && !t)
			t = alarm_add(&N.told, &n->key);
		if (t)
			t->severity = n->severity; /* believed active (again) */
		return;
	}
	if (!t)
		return; /* the NOC never heard of it: no clear is owed */
	if (delivered) {
		free(alarm_detach(&N.told, &n->key));
		return;
	}
	/* Owed: keep the clear's figures for later. */
	t->severity = SEV_CLEARED;
	t->value = n->value;
	t->threshold = n->threshold;
	snprintf(t->text, sizeof(t->text), "%s", n->text);
	if (n->extra)
		t->extra = *n->extra;
}

/* The watches' order: the model's, by office then line. */
static bool watch_before(const struct line_watch *a, const struct line_watch *b)
{
	return a->office < b->office || (a->office == b->office && a->line < b->line);
}

/* Flap dampening holds a flapping line's edges, and its office's. */
static const struct line_watch *watch_find(uint32_t office, uint32_t line)
{
	size_t lo = 0, hi = N.n_watch;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct line_watch *w = &N.watch[mid];
		if (w->office == office && w->line == line)
			return w;
		if (watch_before(w, &(struct line_watch){.office = office, .line = line}))
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static bool office_flapping(uint32_t office)
{
	const struct office *o = model_find_office(N.m, office);
	for (size_t i = 0; o && i < o->n_lines; i++)
		if (notify_line_is_flapping(office, o->lines[i].cfg->id))
			return true;
	return false;
}

/* Not announced yet: waiting out its hold, or covered by a root alarm. */
static bool pending(const struct alarm_key *k)
{
	const struct alarm *a = alarm_find(&N.alarms, k);
	return a && a->hold_until;
}

/* An operator shelved it: nothing is sent until the shelf ends. */
static bool shelved(const struct alarm_key *k)
{
	return alarm_shelf_find(&N.shelves, k, time(NULL)) != NULL;
}

static bool held(const struct alarm_key *k)
{
	if (pending(k) || shelved(k))
		return true;
	if (k->type == ALARM_LINE_DOWN || k->type == ALARM_LINE_DEGRADED)
		return notify_line_is_flapping(k->office, k->line);
	return k->type == ALARM_OFFICE_ISOLATED && office_flapping(k->office);
}

/* The notification log keeps every seq, whatever its fate. */
static void log_notice(const struct notice *n, uint32_t seq, enum notify_fate fate)
{
	struct notelog_entry e = {.seq = seq,
	                          .time = time(NULL),
	                          .type = (uint8_t)n->key.type,
	                          .clear = n->clear,
	                          .severity = n->severity,
	                          .fate = (uint8_t)fate,
	                          .office = n->key.office,
	                          .line = n->key.line,
	                          .value = n->value,
	                          .threshold = n->threshold};
	snprintf(e.text, sizeof(e.text), "%s", n->text);
	alarmlog_note(&e);
}

/* Send one notification if storm control allows; returns its sequence
 * number (0: the type is disabled, nothing was due). */
static uint32_t emit(const struct notice *n)
{
	if (!N.m || !cfg()->enable[n->key.type])
		return 0;
	uint32_t seq = ++N.seq ? N.seq : (N.seq = 1); /* wraps to 1, the MIB says */
	enum notify_fate fate = FATE_NO_MASTER;

	if (shelved(&n->key)) {
		fate = FATE_SHELVED;
		log_msg(LOG_INFO, "notification %u not sent, its alarm is shelved: %s", seq,
		        n->text);
	} else if (held(&n->key) || !token_bucket_take(&N.bucket, loop_now_ms())) {
		N.suppressed++;
		fate = FATE_SUPPRESSED;
		log_msg(LOG_DEBUG, "notification %u suppressed: %s", seq, n->text);
	} else if (N.connected) {
		netsnmp_variable_list *vars = build(n, seq);
		send_v2trap(vars);
		snmp_free_varbind(vars);
		fate = FATE_SENT;
	}
	told_update(n, fate == FATE_SENT);
	log_notice(n, seq, fate);
	histfeed_notification(seq, n->key.type, !n->clear, n->key.office, n->key.line, n->severity,
	                      n->value, n->threshold, n->text);
	return seq;
}

/* ---- raise and clear ---- */

static void default_text(char *buf, size_t len, const struct alarm_key *k, bool clear)
{
	const struct office *o = model_find_office(N.m, k->office);
	int w = snprintf(buf, len, "%s %s", alarm_type_name(k->type), clear ? "cleared" : "raised");
	if (o && w > 0 && (size_t)w < len)
		snprintf(buf + w, len - (size_t)w, ": %s %s", o->cfg->code, o->cfg->name);
	if (k->line && o && strlen(buf) + 16 < len)
		snprintf(buf + strlen(buf), len - strlen(buf), " line %u", k->line);
}

static struct notice notice_of(const struct alarm *a)
{
	return (struct notice){.key = a->key,
	                       .severity = a->severity,
	                       .value = a->value,
	                       .threshold = a->threshold,
	                       .text = a->text,
	                       .extra = &a->extra};
}

static void holds_end(void);
static void shelves_end(void);

static void on_hold_timer(void *arg)
{
	(void)arg;
	N.hold_timer = NULL;
	holds_end();
}

/* One timer for the earliest hold; the tick catches any other. */
static void hold_timer_arm(uint32_t at)
{
	if (N.hold_timer && N.hold_timer_at <= at)
		return;
	if (N.hold_timer)
		loop_timer_cancel(N.hold_timer);
	uint32_t now = mono_s();
	N.hold_timer_at = at;
	N.hold_timer =
	    loop_timer_add((uint64_t)(at > now ? at - now : 0) * 1000u + 100u, on_hold_timer, NULL);
}

/* Idempotent: an active alarm only takes the new figures and text. */
static void raise_alarm(const struct alarm_decision *d)
{
	const struct alarm_key *k = &d->key;
	struct alarm *a = alarm_find(&N.alarms, k);
	bool fresh = !a;

	if (!N.m || k->type < 1 || k->type > ALARM_TYPE_MAX)
		return;
	if (fresh && !(a = alarm_add(&N.alarms, k))) {
		log_msg(LOG_ERR, "out of memory: alarm %s office %u line %u lost",
		        alarm_type_name(k->type), k->office, k->line);
		return;
	}
	a->value = d->value;
	a->threshold = d->threshold;
	if (d->text[0])
		snprintf(a->text, sizeof(a->text), "%s", d->text);
	else
		default_text(a->text, sizeof(a->text), k, false);
	if (d->extra)
		a->extra = *d->extra;
	if (!fresh) {
		if (a->hold_until && d->hold_s) { /* raised again: a fresh hold */
			a->hold_until = mono_s() + d->hold_s;
			hold_timer_arm(a->hold_until);
		}
		return; /* already announced (or waiting): only the figures change */
	}
	a->severity = d->severity;
	a->raised = time(NULL);
	if (d->hold_s) {
		/* In the table now; announced when the hold ends, if it stands. */
		a->hold_until = mono_s() + d->hold_s;
		hold_timer_arm(a->hold_until);
		alarm_row(a, true);
		log_msg(LOG_INFO, "alarm %u raised, held %u s: %s", a->id, d->hold_s, a->text);
		return;
	}
	struct notice n = notice_of(a);
	a->seq = emit(&n);
	alarm_row(a, true);
	log_msg(LOG_WARNING, "alarm %u raised (seq %u): %s", a->id, a->seq, a->text);
}

/* The cleared-alarm table: a leaves the active set, clear_seq 0 when no
 * clear was issued. */
static void log_cleared(const struct alarm *a, uint32_t clear_seq)
{
	struct cleared_entry e = {.alarm_id = a->id,
	                          .type = (uint8_t)a->key.type,
	                          .severity = a->severity,
	                          .office = a->key.office,
	                          .line = a->key.line,
	                          .raised = a->raised,
	                          .cleared = time(NULL),
	                          .raise_seq = a->hold_until ? 0 : a->seq,
	                          .clear_seq = clear_seq,
	                          .acked = a->acked};
	snprintf(e.text, sizeof(e.text), "%s", a->text);
	snprintf(e.acked_by, sizeof(e.acked_by), "%s", a->acked_by);
	alarmlog_cleared(&e);
}

/* Idempotent: clearing an inactive alarm does nothing. */
static void clear_alarm(const struct alarm_decision *d)
{
	struct alarm *a = alarm_detach(&N.alarms, &d->key);
	char buf[256];

	if (!a)
		return;
	alarm_row(a, false);
	if (a->hold_until && !alarm_find(&N.told, &d->key)) {
		/* Never announced: nothing to clear at the NOC. */
		log_msg(LOG_INFO, "alarm %u cleared before it was announced: %s", a->id, a->text);
		log_cleared(a, 0);
		free(a);
		return;
	}
	if (!d->text[0])
		default_text(buf, sizeof(buf), &d->key, true);
	struct notice n = {.key = d->key,
	                   .clear = true,
	                   .severity = SEV_CLEARED,
	                   .value = d->value,
	                   .threshold = d->threshold,
	                   .text = d->text[0] ? d->text : buf,
	                   .extra = d->extra};
	uint32_t seq = emit(&n);
	log_msg(LOG_NOTICE, "alarm %u cleared (seq %u): %s", a->id, seq, n.text);
	log_cleared(a, seq);
	free(a);
}

void notify_apply(const struct alarm_decision *d)
{
	if (d->raise)
		raise_alarm(d);
	else
		clear_alarm(d);
}

bool notify_is_active(enum alarm_type type, uint32_t office, uint32_t line)
{
	struct alarm_key k = {type, office, line};
	return alarm_find(&N.alarms, &k) != NULL;
}

/* ---- reconciliation: tell the NOC what it missed ---- */

/* Announce an active alarm again (resync, end of a flap hold). */
static void announce(struct alarm *a)
{
	struct notice n = notice_of(a);
	uint32_t before = N.suppressed;
	uint32_t seq = emit(&n);
	if (seq && N.suppressed == before && N.connected)
		a->seq = seq; /* the row now matches the notification received */
	alarm_row(a, true);
}

static void settle_key(const struct alarm_key *k, bool resend)
{
	struct alarm *a = alarm_find(&N.alarms, k);
	struct alarm *t = alarm_find(&N.told, k);

	if (held(k))
		return;
	/* A resend skips what this session already announced. */
	bool announced = t && a && t->severity != SEV_CLEARED && a->seq > N.session_seq;
	if (a && (resend ? !announced : !t)) {
		announce(a);
	} else if (a) {
		t->severity = a->severity; /* still active, as the NOC believes */
	} else if (t && t->severity == SEV_CLEARED) {
		struct alarm owed = *t;
		struct notice n = notice_of(&owed);
		n.clear = true;
		emit(&n);
	}
}

/* Every key that is active or told (of those only covers, when given),
 * copied first: settling changes the sets. */
static void settle_where(bool resend, const struct shelf *only)
{
	size_t n = N.alarms.n + N.told.n;
	struct alarm_key *keys = malloc((n ? n : 1) * sizeof(*keys));

	if (!keys)
		return;
	for (size_t i = 0; i < N.alarms.n; i++)
		keys[i] = N.alarms.v[i]->key;
	for (size_t i = 0; i < N.told.n; i++)
		keys[N.alarms.n + i] = N.told.v[i]->key;
	for (size_t i = 0; i < n; i++)
		if ((i < N.alarms.n || !alarm_find(&N.alarms, &keys[i])) &&
		    (!only || alarm_shelf_covers(only, &keys[i])))
			settle_key(&keys[i], resend);
	free(keys);
}

static void settle_all(bool resend)
{
	settle_where(resend, NULL);
}

static void settle_line(uint32_t office, uint32_t line)
{
	const struct alarm_key keys[] = {{ALARM_LINE_DOWN, office, line},
	                                 {ALARM_LINE_DEGRADED, office, line},
	                                 {ALARM_OFFICE_ISOLATED, office, 0}};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		settle_key(&keys[i], false);
}

/* Deferred from the connect callback so the session is fully up. */
static void on_resync(void *arg)
{
	(void)arg;
	N.resync = NULL;
	if (!N.m || !N.connected)
		return;
	log_msg(LOG_INFO, "master connected: %zu active alarm(s)%s", N.alarms.n,
	        cfg()->resend_on_connect ? ", announcing them again" : "");
	settle_all(cfg()->resend_on_connect);
}

void notify_master_connected(void)
{
	N.connected = true;
	N.session_seq = N.seq;
	if (!N.resync)
		N.resync = loop_timer_add(200, on_resync, NULL);
}

void notify_master_lost(void)
{
	N.connected = false;
}

/* ---- model transitions ---- */

static struct line_watch *watch_of(const struct line *l)
{
	return (struct line_watch *)watch_find(l->office->cfg->id, l->cfg->id);
}

static void line_flap_edge(const struct line *l, enum line_status old)
{
	struct line_watch *w = watch_of(l);
	struct flap_params fp = flap_params();

	if (!w || !flap_counts(old, linestate_reported(&l->ls)))
		return;
	if (flap_change(&w->flap, &fp, mono_s()))
		alarm_rules_flapping(l, true, flap_changes(&w->flap, &fp, mono_s()), &fp);
}

void notify_line_changed(const struct line *l, enum line_status old)
{
	if (N.m)
		line_flap_edge(l, old);
}

/* ---- periodic work ---- */

static void flap_ends(void)
{
	struct flap_params fp = flap_params();

	for (size_t i = 0; i < N.n_watch; i++) {
		struct line_watch *w = &N.watch[i];
		if (!flap_settled(&w->flap, &fp, mono_s()))
			continue;
		const struct line *l = model_find_line(N.m, w->office, w->line);
		if (!l)
			continue;
		alarm_rules_flapping(l, false, flap_changes(&w->flap, &fp, mono_s()), &fp);
		settle_line(w->office, w->line);
	}
}

/* Severities are "current": active alarms follow the period. */
void notify_regrade(void)
{
	for (size_t i = 0; i < N.alarms.n; i++) {
		struct alarm *a = N.alarms.v[i];
		uint8_t sev = (uint8_t)heightened_severity(a->key.type);
		if (a->severity != sev) {
			a->severity = sev;
			alarm_row(a, true);
		}
	}
}

/* Holds that ended: announce what still stands and no root alarm covers. */
static void holds_end(void)
{
	uint32_t now = mono_s();

	for (size_t i = 0; i < N.alarms.n; i++) {
		struct alarm *a = N.alarms.v[i];
		if (a->hold_until > now)
			hold_timer_arm(a->hold_until);
		if (!a->hold_until || now < a->hold_until || alarm_rules_covered(&a->key))
			continue;
		a->hold_until = 0;
		announce(a);
		log_msg(LOG_WARNING, "alarm %u announced after its hold (seq %u): %s", a->id,
		        a->seq, a->text);
	}
}

void notify_tick(void)
{
	if (!N.m)
		return;
	flap_ends();
	holds_end();
	shelves_end();
}

/* ---- operator actions: acknowledge and shelve ---- */

static struct alarm *alarm_by_id(uint32_t id)
{
	for (size_t i = 0; i < N.alarms.n; i++)
		if (N.alarms.v[i]->id == id)
			return N.alarms.v[i];
	return NULL;
}

const struct alarm *notify_alarm_by_id(uint32_t id)
{
	return alarm_by_id(id);
}

const char *notify_ack(uint32_t id, const char *who, const char *note)
{
	struct alarm *a = alarm_by_id(id);

	if (!a)
		return "no active alarm has that id";
	a->acked = time(NULL);
	snprintf(a->acked_by, sizeof(a->acked_by), "%s", who);
	if (note)
		snprintf(a->note, sizeof(a->note), "%s", note);
	alarm_row(a, true);
	return NULL;
}

const char *notify_unack(uint32_t id)
{
	struct alarm *a = alarm_by_id(id);

	if (!a)
		return "no active alarm has that id";
	if (!a->acked)
		return "that alarm is not acknowledged";
	a->acked = 0;
	a->acked_by[0] = '\0';
	alarm_row(a, true);
	return NULL;
}

const char *notify_shelve(const struct shelf *sh)
{
	if (sh->until <= time(NULL))
		return "the end time is in the past";
	if (!alarm_shelf_put(&N.shelves, sh))
		return "too many shelves (or out of memory)";
	N.changed_ms = wall_ms();
	return NULL;
}

const char *notify_unshelve(const struct shelf *target)
{
	struct shelf gone;

	if (!alarm_shelf_remove(&N.shelves, target, &gone))
		return "nothing is shelved there";
	N.changed_ms = wall_ms();
	settle_where(true, &gone); /* what the NOC was not told (this session) goes out now */
	return NULL;
}

/* Shelves end by themselves; then as for unshelve. */
static void shelves_end(void)
{
	struct shelf sh;

	while (alarm_shelf_take_ended(&N.shelves, time(NULL), &sh)) {
		log_msg(LOG_NOTICE, "shelf of %s %u.%u (%s) ended",
		        alarm_type_name(sh.key.type) ? alarm_type_name(sh.key.type)
		        : sh.kind == SHELF_LINE      ? "line"
		                                     : "office",
		        sh.key.office, sh.key.line, sh.by);
		N.changed_ms = wall_ms();
		settle_where(true, &sh);
	}
}

const struct shelf *notify_shelf_of(const struct alarm_key *k)
{
	return alarm_shelf_find(&N.shelves, k, time(NULL));
}

const struct alarm_shelves *notify_shelves(void)
{
	return &N.shelves;
}

/* ---- binding ---- */

static bool alarm_target_exists(const struct model *m, const struct alarm_key *k)
{
	switch (k->type) {
	case ALARM_NODE_DOWN:
		return model_find_node(m, k->office) != NULL;
	case ALARM_MONITORING_IMPAIRED:
		return m->mon.n_refs > 0;
	case ALARM_AREA_OUTAGE:
		return k->office >= 1 && k->office <= m->cfg->n_groups;
	default:
		return k->line ? model_find_line(m, k->office, k->line) != NULL
		               : model_find_office(m, k->office) != NULL;
	}
}

/* Clear (with the old identity, still readable) what the new config dropped. */
static void clear_removed(const struct model *m)
{
	for (size_t i = N.alarms.n; i-- > 0;) {
		if (i >= N.alarms.n || alarm_target_exists(m, &N.alarms.v[i]->key))
			continue;
		struct alarm_decision d = {.key = N.alarms.v[i]->key,
		                           .severity = SEV_CLEARED,
		                           .text = "removed from the configuration"};
		clear_alarm(&d);
	}
}

/* Both arrays are in (office, line) order, the model's: one merge carries
 * the flap history over, not a search per line. */
static bool watches_build(const struct model *m)
{
	size_t n = 0, at = 0, k = 0;
	for (size_t i = 0; i < m->n_offices; i++)
		n += m->offices[i].n_lines;
	struct line_watch *w = calloc(n ? n : 1, sizeof(*w));
	if (!w)
		return false;
	for (size_t i = 0; i < m->n_offices; i++) {
		for (size_t j = 0; j < m->offices[i].n_lines; j++, at++) {
			w[at].office = m->offices[i].cfg->id;
			w[at].line = m->offices[i].lines[j].cfg->id;
			while (k < N.n_watch && watch_before(&N.watch[k], &w[at]))
				k++;
			if (k < N.n_watch && !watch_before(&w[at], &N.watch[k]))
				w[at].flap = N.watch[k].flap; /* a reload keeps a line's history */
		}
	}
	free(N.watch);
	N.watch = w;
	N.n_watch = n;
	return true;
}

void notify_restore(struct alarm_set *s)
{
	alarm_set_free(&N.alarms);
	N.alarms = *s;
	alarm_set_init(s);
	/* The NOC holds them: a clear is owed whatever becomes of them. */
	for (size_t i = 0; i < N.alarms.n; i++) {
		struct alarm *t = alarm_add(&N.told, &N.alarms.v[i]->key);
		if (t)
			t->severity = N.alarms.v[i]->severity;
	}
	N.restored = N.alarms.n > 0;
}

/* The changes that made a line flap were before the restart, unseen by
 * this run: it counts as flapping from now, and flap_ends() clears it once
 * the line has been stable for the window. */
static void restore_flapping(const struct alarm_key *k)
{
	struct line_watch *w = (struct line_watch *)watch_find(k->office, k->line);

	if (!w)
		return;
	w->flap = (struct flap){.flapping = true, .n = 1, .head = 1};
	w->flap.at[0] = mono_s();
}

/* The rules judge the restored line and office alarms (alarm_rules_standing);
 * what is left here is bookkeeping: targets gone, flap history. */
static void judge_restored(const struct model *m)
{
	N.restored = false;
	clear_removed(m); /* ids no longer configured */
	for (size_t i = 0; i < N.alarms.n; i++)
		if (N.alarms.v[i]->key.type == ALARM_LINE_FLAPPING)
			restore_flapping(&N.alarms.v[i]->key);
}

void notify_logs_resize(const struct notify_cfg *c)
{
	if (!alarmlog_resize(ALARMLOG_NOTIFY, c->log_size) ||
	    !alarmlog_resize(ALARMLOG_CLEARED, c->cleared_size))
		log_msg(LOG_ERR,
		        "out of memory: notification log or cleared-alarm table not resized");
}

void notify_bind_model(const struct model *m)
{
	if (N.m && m)
		clear_removed(m);
	if (m && !watches_build(m))
		log_msg(LOG_ERR, "out of memory: flap detection off until the next reload");
	if (!N.m && m) {
		token_bucket_init(&N.bucket, m->cfg->notify.rate, m->cfg->notify.burst,
		                  loop_now_ms());
		N.changed_ms = wall_ms(); /* a restart reads as a change */
	} else if (m)
		token_bucket_set(&N.bucket, m->cfg->notify.rate, m->cfg->notify.burst);
	N.m = m;
	if (!m)
		return;
	notify_logs_resize(&m->cfg->notify);
	notify_regrade();
	if (N.restored)
		judge_restored(m);
}

void notify_shutdown(void)
{
	if (N.resync)
		loop_timer_cancel(N.resync);
	if (N.hold_timer)
		loop_timer_cancel(N.hold_timer);
	alarm_set_free(&N.alarms);
	alarm_set_free(&N.told);
	alarm_shelf_free(&N.shelves);
	alarmlog_reset();
	free(N.watch);
	memset(&N, 0, sizeof(N));
}

/* ---- read by the MIB ---- */

void notify_seq_resume(uint32_t last)
{
	if (last > N.seq)
		N.seq = last;
}

uint32_t notify_seq(void)
{
	return N.seq;
}

int64_t notify_alarms_changed_ms(void)
{
	return N.changed_ms;
}

uint32_t notify_suppressed(void)
{
	return N.suppressed;
}

const struct alarm_set *notify_alarms(void)
{
	return &N.alarms;
}

bool notify_line_is_flapping(uint32_t office, uint32_t line)
{
	const struct line_watch *w = watch_find(office, line);
	return w && w->flap.flapping;
}
