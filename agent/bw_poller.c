/*
 * bw_poller: asynchronous IF-MIB counter polls, one Net-SNMP session per
 * router.  See bw_poller.h for the contract.
 *
 * A router's poll is a small state machine driven by response callbacks:
 *   [v3 engine-ID probe] -> [ifName/ifDescr walks] -> counters GET -> done.
 * Every step sends at most one request; its callback starts the next step
 * (or finishes the poll).  Callbacks run inside snmp_read2()/snmp_timeout()
 * on the loop's thread.
 */
#include "bw_poller.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "log.h"
#include "loop.h"

/* IF-MIB and SNMPv2-MIB objects we read. */
static const oid oid_sysuptime[] = {1, 3, 6, 1, 2, 1, 1, 3, 0};
static const oid oid_ifentry[] = {1, 3, 6, 1, 2, 1, 2, 2, 1};      /* ifTable entry */
static const oid oid_ifxentry[] = {1, 3, 6, 1, 2, 1, 31, 1, 1, 1}; /* ifXTable entry */
#define COL_IFDESCR      2                                         /* ifEntry */
#define COL_IFIN         10                                        /* ifEntry */
#define COL_IFOUT        16                                        /* ifEntry */
#define COL_IFNAME       1                                         /* ifXEntry */
#define COL_HCIN         6                                         /* ifXEntry */
#define COL_HCOUT        10                                        /* ifXEntry */
#define COL_DISC         19                                        /* ifXEntry */
#define WALK_REPETITIONS 16
#define WALK_MAX_STEPS   256 /* 4096 interfaces: enough for any CPE */

enum step { STEP_IDLE, STEP_QUEUED, STEP_PROBE, STEP_WALK, STEP_GET };

struct target {
	struct line *line;
	const struct counters_cfg *cc;
	uint32_t ifindex; /* 0: not resolved yet */
	uint8_t width;    /* BW_WIDTH_UNKNOWN: ask for both HC and 32-bit */
	bool in_get;      /* part of the GET in flight */
};

struct router {
	netsnmp_session *ss;
	const struct counters_cfg *cc; /* address and credentials */
	struct target *t;
	size_t n;
	unsigned interval_ms;
	uint64_t due;
	struct loop_timer *timer, *cont;
	enum step step;
	long reqid; /* request whose answer we wait for; 0 none */
	long msgid; /* its SNMPv3 msgID (new at each retry): a Report may carry reqid 0 */
	bool v3_ready, probe_answered;
	bool reported;       /* it answered with a Report (logged once per episode) */
	bool ever_ok;        /* an authenticated answer came on this session */
	bool hinted;         /* the wrong-priv-key hint was logged */
	bool conflict;       /* another address of its engine has other keys: not polled */
	bool usm_mine;       /* `usm` was created for this router: removed at stop */
	struct usmUser *usm; /* the USM entry whose keys its session uses */
	bool sending;        /* inside snmp_async_send(): its failure callbacks are not ours */
	size_t batch;        /* interfaces per GET; halved when the router says tooBig */
	size_t chunk_lo;     /* first target of the GET in flight */
	size_t chunk_hi;     /* one past its last */
	uint8_t walk_col;    /* IFMATCH_NAME / IFMATCH_DESCR being walked */
	unsigned walk_steps;
	oid walk_oid[MAX_OID_LEN];
	size_t walk_len;
	struct router *next_queued;
};

static struct {
	struct model *m;
	struct router *r;
	size_t n;
	struct router *q_head, *q_tail;
	struct bw_poller_stats st;
	bool running;
} P;

static void poll_begin(struct router *r);
static void resolve_or_read(struct router *r, uint8_t from);

/* ---- finishing a poll and the in-flight budget ---- */

static void queue_push(struct router *r)
{
	r->step = STEP_QUEUED;
	r->next_queued = NULL;
	if (P.q_tail)
		P.q_tail->next_queued = r;
	else
		P.q_head = r;
	P.q_tail = r;
}

static struct router *queue_pop(void)
{
	struct router *r = P.q_head;
	if (r) {
		P.q_head = r->next_queued;
		if (!P.q_head)
			P.q_tail = NULL;
	}
	return r;
}

static void poll_done(struct router *r)
{
	r->step = STEP_IDLE;
	r->reqid = 0;
	P.st.inflight--;
	struct router *next = queue_pop();
	if (next)
		poll_begin(next);
}

/* Every line of the router from target `from` on failed the same way
 * (the ones before it were read by earlier GETs of this poll). */
static void poll_fail_from(struct router *r, size_t from, enum bw_status st)
{
	time_t now = time(NULL);

	static const char *const steps[] = {"idle", "queued", "engine-ID probe", "interface walk",
	                                    "counters GET"};
	log_msg(LOG_DEBUG, "counters: poll of %s failed at the %s: %s (%s)", r->cc->router,
	        steps[r->step], st == BW_TIMEOUT ? "timeout" : "error",
	        snmp_api_errstring(r->ss->s_snmp_errno));
	for (size_t i = from; i < r->n; i++)
		model_line_counters_failed(P.m, r->t[i].line, st, now);
	P.st.failed++;
	poll_done(r);
}

static void poll_fail_all(struct router *r, enum bw_status st)
{
	poll_fail_from(r, 0, st);
}

/* Reports that mean "not these credentials" (RFC 3414 3.2): the router
 * could not even read the request, so it is not worth a retry before the
 * next poll. */
static bool report_refuses(int type)
{
	return type == SNMPERR_AUTHENTICATION_FAILURE || type == SNMPERR_UNKNOWN_USER_NAME ||
	       type == SNMPERR_UNSUPPORTED_SEC_LEVEL || type == SNMPERR_DECRYPTION_ERR;
}

/* Said once per episode (until a poll succeeds), at the default log level,
 * naming router and user: nothing else tells the operator which key is
 * wrong, and every interval would flood the log. */
static void report_log(struct router *r, int type)
{
	if (r->reported)
		return;
	r->reported = true;
	if (report_refuses(type))
		log_msg(LOG_WARNING,
		        "counters: router %s refused SNMPv3 user \"%s\": %s; check the line's keys "
		        "and protocols (polled again every %u s)",
		        r->cc->router, r->cc->user, snmp_api_errstring(type),
		        r->interval_ms / 1000u);
	else
		log_msg(LOG_WARNING,
		        "counters: router %s answered SNMPv3 user \"%s\" with a Report: %s",
		        r->cc->router, r->cc->user, snmp_api_errstring(type));
}

/* A router drops, without a Report, what it cannot decrypt: a wrong priv
 * key looks like a timeout.  One that answered the (unauthenticated)
 * engine-ID probe but never an authPriv request is worth a word. */
static void silence_hint(struct router *r)
{
	if (r->cc->version != 3 || !r->probe_answered || r->ever_ok || r->hinted)
		return;
	r->hinted = true;
	log_msg(LOG_WARNING,
	        "counters: router %s answers engine-ID discovery but not SNMPv3 user \"%s\"'s "
	        "requests: wrong priv key or priv protocol?",
	        r->cc->router, r->cc->user);
}

static enum bw_status status_of(struct router *r, int op, netsnmp_pdu *pdu)
{
	if (op == NETSNMP_CALLBACK_OP_TIMED_OUT) {
		silence_hint(r);
		return BW_TIMEOUT;
	}
	if (pdu && pdu->command == SNMP_MSG_REPORT) {
		int type = snmpv3_get_report_type(pdu);
		report_log(r, type);
		if (report_refuses(type))
			return BW_AUTH_FAILURE;
	}
	return BW_ERROR;
}

/* ---- sending ---- */

/* Net-SNMP may also report a failed send through the callback, before it
 * returns: `sending` makes ours() ignore that, so a failure is handled
 * once, here. */
static bool send_pdu(struct router *r, netsnmp_pdu *pdu, snmp_callback cb)
{
	r->reqid = pdu->reqid;
	r->msgid = pdu->msgid;
	r->sending = true;
	int ok = snmp_async_send(r->ss, pdu, cb, r);
	r->sending = false;
	if (ok)
		return true;
	if (r->ss->s_snmp_errno != SNMPERR_TOO_LONG) /* too long: the GET is split */
		log_msg(LOG_WARNING, "counters: cannot send to %s: %s", r->cc->router,
		        snmp_api_errstring(r->ss->s_snmp_errno));
	snmp_free_pdu(pdu);
	r->reqid = 0;
	return false;
}

/* A Report the router could not tie to a request (it could not read it:
 * wrong key, unknown user) carries reqid 0; Net-SNMP matched it to ours
 * by msgID. */
static bool same_request(const struct router *r, int reqid, const netsnmp_pdu *pdu)
{
	return reqid == r->reqid ||
	       (reqid == 0 && pdu && pdu->command == SNMP_MSG_REPORT && pdu->msgid == r->msgid);
}

/* Was this callback the answer (or the end) of the request we wait for?
 * Net-SNMP may call twice for one request (a Report, then SEC_ERROR), once
 * per request when a session closes, and before each retry (RESEND: not an
 * answer, the request goes on). */
static bool ours(struct router *r, int op, int reqid, const netsnmp_pdu *pdu)
{
	if (!P.running || r->sending || !r->reqid || !same_request(r, reqid, pdu))
		return false;
	if (op == NETSNMP_CALLBACK_OP_RESEND) {
		if (pdu)
			r->msgid = pdu->msgid;
		return false;
	}
	/* notInTimeWindow: Net-SNMP resends by itself, or ends it with SEC_ERROR. */
	if (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && pdu && pdu->command == SNMP_MSG_REPORT &&
	    snmpv3_get_report_type((netsnmp_pdu *)pdu) == SNMPERR_NOT_IN_TIME_WINDOW)
		return false;
	r->reqid = 0;
	return true;
}

/* ---- SNMPv3 engine-ID discovery, asynchronously ---- */

static bool same_router_keys(const struct counters_cfg *a, const struct counters_cfg *b)
{
	return !strcmp(a->user, b->user) && config_same_keys(a, b);
}

/* The probe goes out as the empty user at noAuthNoPriv (RFC 3414 4.);
 * USM needs that user to exist to encode the message. */
static void empty_user_ensure(void)
{
	if (usm_get_user(NULL, 0, "") != NULL)
		return;
	struct usmUser *u = calloc(1, sizeof(*u));
	if (!u)
		return;
	u->name = strdup("");
	u->secName = strdup("");
	u->authProtocolLen = OID_LENGTH(usmNoAuthProtocol);
	u->authProtocol = snmp_duplicate_objid(usmNoAuthProtocol, u->authProtocolLen);
	u->privProtocolLen = OID_LENGTH(usmNoPrivProtocol);
	u->privProtocol = snmp_duplicate_objid(usmNoPrivProtocol, u->privProtocolLen);
	usm_add_user(u);
}

/* The router holding USM entry u (its owner, or one sharing it), if any. */
static struct router *usm_holder(const struct usmUser *u)
{
	for (size_t i = 0; i < P.n; i++)
		if (P.r[i].usm == u)
			return &P.r[i];
	return NULL;
}

static void usm_drop(struct usmUser *u)
{
	usm_remove_user(u);
	usm_free_user(u);
}

/* Two addresses of one engine, one user, two key sets: whichever entry USM
 * kept, one line would be read with the other's keys.  Neither is polled
 * until a reload fixes it. */
static void usm_conflict(struct router *r, struct router *o, struct usmUser *u)
{
	log_msg(LOG_ERR,
	        "counters: routers %s and %s are one SNMP engine, but SNMPv3 user \"%s\" has other "
	        "keys or protocols on each: neither is polled until the configuration is fixed",
	        o->cc->router, r->cc->router, r->cc->user);
	for (size_t i = 0; i < P.n; i++) {
		if (P.r[i].usm == u) {
			P.r[i].usm = NULL;
			P.r[i].usm_mine = false;
			P.r[i].conflict = true;
		}
	}
	r->conflict = true;
	usm_drop(u);
}

/* Net-SNMP keeps one USM entry (with the localised keys) per engine ID and
 * user for the whole process, and a session sends with that entry's keys,
 * whoever created it: so each router's entry is made from its own keys,
 * shared only with the same keys, and removed when the poller stops. */
static bool usm_claim(struct router *r)
{
	netsnmp_session *s = r->ss;
	struct usmUser *u = usm_get_user(s->securityEngineID, s->securityEngineIDLen, r->cc->user);

	if (u) {
		struct router *o = usm_holder(u);
		if (o && same_router_keys(o->cc, r->cc)) {
			r->usm = u;
			return true;
		}
		if (o) {
			usm_conflict(r, o, u);
			return false;
		}
		usm_drop(u); /* left by a session we no longer have */
	}
	s->flags &= ~SNMP_FLAGS_USER_CREATED;
	if (usm_create_user_from_session(s) != SNMPERR_SUCCESS)
		return false;
	r->usm = usm_get_user(s->securityEngineID, s->securityEngineIDLen, r->cc->user);
	r->usm_mine = r->usm != NULL;
	return r->usm_mine;
}

/* Net-SNMP stores the discovered engine ID only after our callback returns,
 * so the keys are localised from a zero-delay timer. */
static void probe_continue(void *arg)
{
	struct router *r = arg;

	r->cont = NULL;
	if (!r->ss->securityEngineIDLen || !usm_claim(r)) {
		poll_fail_all(r, BW_ERROR);
		return;
	}
	r->v3_ready = true;
	resolve_or_read(r, IFMATCH_NAME);
}

static int on_probe(int op, netsnmp_session *ss, int reqid, netsnmp_pdu *pdu, void *arg)
{
	struct router *r = arg;

	(void)ss;
	if (!ours(r, op, reqid, pdu))
		return 1;
	/* The Report comes as SEC_ERROR first, then RECEIVED_MESSAGE (5.9). */
	if ((op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE || op == NETSNMP_CALLBACK_OP_SEC_ERROR) &&
	    pdu && pdu->command == SNMP_MSG_REPORT) {
		r->probe_answered = true;
		r->cont = loop_timer_add(0, probe_continue, r);
		if (r->cont)
			return 1;
	}
	poll_fail_all(r, status_of(r, op, pdu));
	return 1;
}

static void probe_send(struct router *r)
{
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET);

	r->step = STEP_PROBE;
	empty_user_ensure();
	pdu->version = SNMP_VERSION_3;
	pdu->securityName = strdup("");
	pdu->securityNameLen = 0;
	pdu->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
	pdu->securityModel = SNMP_SEC_MODEL_USM;
	if (!send_pdu(r, pdu, on_probe))
		poll_fail_all(r, BW_ERROR);
}

/* ---- resolving ifName / ifDescr to ifIndex ---- */

static bool needs_walk(const struct router *r, uint8_t col)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->t[i].cc->match == col && !r->t[i].ifindex)
			return true;
	return false;
}

static size_t column_oid(uint8_t match, oid *out)
{
	if (match == IFMATCH_NAME) {
		memcpy(out, oid_ifxentry, sizeof(oid_ifxentry));
		out[OID_LENGTH(oid_ifxentry)] = COL_IFNAME;
		return OID_LENGTH(oid_ifxentry) + 1;
	}
	memcpy(out, oid_ifentry, sizeof(oid_ifentry));
	out[OID_LENGTH(oid_ifentry)] = COL_IFDESCR;
	return OID_LENGTH(oid_ifentry) + 1;
}

static void walk_match(struct router *r, const netsnmp_variable_list *v)
{
	uint32_t ifindex = (uint32_t)v->name[v->name_length - 1];

	for (size_t i = 0; i < r->n; i++) {
		struct target *t = &r->t[i];
		if (t->cc->match != r->walk_col || t->ifindex)
			continue;
		if (strlen(t->cc->ifname) == v->val_len &&
		    !memcmp(t->cc->ifname, v->val.string, v->val_len)) {
			t->ifindex = ifindex;
			t->width = BW_WIDTH_UNKNOWN;
		}
	}
}

/* Consume one GETBULK answer; true when the walk should go on. */
static bool walk_absorb(struct router *r, const netsnmp_pdu *pdu)
{
	oid col[MAX_OID_LEN];
	size_t col_len = column_oid(r->walk_col, col);
	const netsnmp_variable_list *v;

	if (pdu->errstat != SNMP_ERR_NOERROR)
		return false;
	for (v = pdu->variables; v; v = v->next_variable) {
		if (v->type != ASN_OCTET_STR || v->name_length != col_len + 1 ||
		    snmp_oid_compare(v->name, col_len, col, col_len) ||
		    snmp_oid_compare(v->name, v->name_length, r->walk_oid, r->walk_len) <= 0)
			return false; /* left the column, or the agent went backwards */
		walk_match(r, v);
		memcpy(r->walk_oid, v->name, v->name_length * sizeof(oid));
		r->walk_len = v->name_length;
	}
	return pdu->variables && needs_walk(r, r->walk_col) && ++r->walk_steps < WALK_MAX_STEPS;
}

static void walk_send(struct router *r);

static int on_walk(int op, netsnmp_session *ss, int reqid, netsnmp_pdu *pdu, void *arg)
{
	struct router *r = arg;

	(void)ss;
	if (!ours(r, op, reqid, pdu))
		return 1;
	if (op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE || pdu->command != SNMP_MSG_RESPONSE) {
		poll_fail_all(r, status_of(r, op, pdu));
		return 1;
	}
	if (walk_absorb(r, pdu)) {
		walk_send(r);
		return 1;
	}
	/* This column is done; names still unresolved are reported by the GET step. */
	resolve_or_read(r, (uint8_t)(r->walk_col + 1));
	return 1;
}

static void walk_send(struct router *r)
{
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GETBULK);

	pdu->non_repeaters = 0;
	pdu->max_repetitions = WALK_REPETITIONS;
	snmp_add_null_var(pdu, r->walk_oid, r->walk_len);
	if (!send_pdu(r, pdu, on_walk))
		poll_fail_all(r, BW_ERROR);
}

static void walk_start(struct router *r, uint8_t col)
{
	r->step = STEP_WALK;
	r->walk_col = col;
	r->walk_steps = 0;
	r->walk_len = column_oid(col, r->walk_oid);
	P.st.walks++;
	walk_send(r);
}

/* ---- the counters GET ---- */

static void add_col(netsnmp_pdu *pdu, const oid *entry, size_t len, unsigned col, uint32_t idx)
{
	oid name[MAX_OID_LEN];

	memcpy(name, entry, len * sizeof(oid));
	name[len] = col;
	name[len + 1] = idx;
	snmp_add_null_var(pdu, name, len + 2);
}

static void add_target(netsnmp_pdu *pdu, struct target *t)
{
	const size_t xl = OID_LENGTH(oid_ifxentry), il = OID_LENGTH(oid_ifentry);

	if (t->cc->match == IFMATCH_NAME)
		add_col(pdu, oid_ifxentry, xl, COL_IFNAME, t->ifindex);
	else if (t->cc->match == IFMATCH_DESCR)
		add_col(pdu, oid_ifentry, il, COL_IFDESCR, t->ifindex);
	/* HC counters always: a router that gains them (a software upgrade)
	 * moves back to 64-bit; one without them answers two noSuchObjects. */
	add_col(pdu, oid_ifxentry, xl, COL_HCIN, t->ifindex);
	add_col(pdu, oid_ifxentry, xl, COL_HCOUT, t->ifindex);
	if (t->width != BW_WIDTH_HC64) {
		add_col(pdu, oid_ifentry, il, COL_IFIN, t->ifindex);
		add_col(pdu, oid_ifentry, il, COL_IFOUT, t->ifindex);
	}
	add_col(pdu, oid_ifxentry, xl, COL_DISC, t->ifindex);
}

static bool is_exception(const netsnmp_variable_list *v)
{
	return !v || v->type == SNMP_NOSUCHOBJECT || v->type == SNMP_NOSUCHINSTANCE ||
	       v->type == SNMP_ENDOFMIBVIEW;
}

static bool counter_value(const netsnmp_variable_list *v, uint64_t *out)
{
	if (is_exception(v))
		return false;
	if (v->type == ASN_COUNTER64) {
		*out = ((uint64_t)v->val.counter64->high << 32) | (uint32_t)v->val.counter64->low;
		return true;
	}
	if (v->type == ASN_COUNTER) {
		*out = (uint32_t)*v->val.integer;
		return true;
	}
	return false;
}

/* Read one target's varbinds (advancing *vp); false: noSuchInterface. */
static bool target_read(struct target *t, const netsnmp_variable_list **vp, struct bw_reading *rd)
{
	const netsnmp_variable_list *v = *vp;
	uint64_t hc[2], c32[2];
	bool name_ok = true, have_hc = false, have_32 = false;

#define NEXT() (v = v ? v->next_variable : NULL)
	if (t->cc->match != IFMATCH_INDEX) {
		name_ok = v && v->type == ASN_OCTET_STR && v->val_len == strlen(t->cc->ifname) &&
		          !memcmp(v->val.string, t->cc->ifname, v->val_len);
		NEXT();
	}
	have_hc = counter_value(v, &hc[0]);
	NEXT();
	have_hc &= counter_value(v, &hc[1]);
	NEXT();
	if (t->width != BW_WIDTH_HC64) {
		have_32 = counter_value(v, &c32[0]);
		NEXT();
		have_32 &= counter_value(v, &c32[1]);
		NEXT();
	}
	rd->has_disc = v && v->type == ASN_TIMETICKS;
	rd->disc_cs = rd->has_disc ? (uint32_t)*v->val.integer : 0;
	NEXT();
#undef NEXT
	*vp = v;
	if (!name_ok) {
		t->ifindex = 0; /* renumbered: walk again next time */
		return false;
	}
	/* 32-bit counters only when the router has no HC ones for it. */
	t->width = have_hc ? BW_WIDTH_HC64 : have_32 ? BW_WIDTH_C32 : BW_WIDTH_UNKNOWN;
	rd->width = t->width;
	rd->in = have_hc ? hc[0] : c32[0];
	rd->out = have_hc ? hc[1] : c32[1];
	rd->ifindex = t->ifindex;
	return have_hc || have_32;
}

static void get_send_chunk(struct router *r);
static bool get_send_some(struct router *r);

/* One GET's answer: the targets of [chunk_lo, chunk_hi) that were asked. */
static void get_absorb(struct router *r, const netsnmp_pdu *pdu)
{
	const netsnmp_variable_list *v = pdu->variables;
	time_t now = time(NULL);
	struct bw_reading rd = {0};

	if (pdu->errstat != SNMP_ERR_NOERROR || !v || v->type != ASN_TIMETICKS) {
		poll_fail_from(r, r->chunk_lo, BW_ERROR);
		return;
	}
	rd.uptime_cs = (uint32_t)*v->val.integer;
	v = v->next_variable;
	for (size_t i = r->chunk_lo; i < r->chunk_hi; i++) {
		struct target *t = &r->t[i];
		if (!t->in_get)
			continue;
		if (target_read(t, &v, &rd))
			model_line_counters(P.m, t->line, &rd, now);
		else
			model_line_counters_failed(P.m, t->line, BW_NO_SUCH_IF, now);
	}
	get_send_chunk(r); /* the next GET, or the end of the poll */
}

/* The request or its answer would not fit in one message: ask for fewer
 * interfaces at a time, from now on (a router's limit does not change
 * between polls).  False when already down to one. */
static bool get_fewer(struct router *r, const char *why)
{
	if (r->batch <= 1)
		return false;
	r->batch /= 2;
	log_msg(LOG_INFO, "counters: %s: %s; asking for %zu interfaces per GET from now on",
	        r->cc->router, why, r->batch);
	r->chunk_hi = r->chunk_lo;
	return true;
}

static bool get_too_big(struct router *r, const netsnmp_pdu *pdu)
{
	if (pdu->errstat != SNMP_ERR_TOOBIG || !get_fewer(r, "the router says tooBig"))
		return false;
	get_send_chunk(r);
	return true;
}

static int on_get(int op, netsnmp_session *ss, int reqid, netsnmp_pdu *pdu, void *arg)
{
	struct router *r = arg;

	(void)ss;
	if (!ours(r, op, reqid, pdu))
		return 1;
	if (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && pdu->command == SNMP_MSG_RESPONSE) {
		if (!get_too_big(r, pdu))
			get_absorb(r, pdu);
	} else {
		poll_fail_from(r, r->chunk_lo, status_of(r, op, pdu));
	}
	return 1;
}

/* Ask for up to r->batch of the resolved targets from chunk_hi on; a
 * request too long for one message is retried smaller. */
static void get_send_chunk(struct router *r)
{
	while (!get_send_some(r)) {
		if (r->ss->s_snmp_errno != SNMPERR_TOO_LONG ||
		    !get_fewer(r, "the request is too long for one message")) {
			poll_fail_from(r, r->chunk_lo, BW_ERROR);
			return;
		}
	}
}

/* One GET, or the end of the poll when nothing is left to ask; false
 * when Net-SNMP could not send it. */
static bool get_send_some(struct router *r)
{
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET);
	size_t n = 0, i = r->chunk_hi;

	snmp_add_null_var(pdu, oid_sysuptime, OID_LENGTH(oid_sysuptime));
	for (r->chunk_lo = i; i < r->n && n < r->batch; i++) {
		if (r->t[i].in_get) {
			add_target(pdu, &r->t[i]);
			n++;
		}
	}
	r->chunk_hi = i;
	if (!n) { /* all asked (or only unresolved targets were left) */
		snmp_free_pdu(pdu);
		P.st.ok++;
		if (r->reported)
			log_msg(LOG_NOTICE, "counters: router %s answers SNMPv3 user \"%s\" again",
			        r->cc->router, r->cc->user);
		r->reported = false;
		r->ever_ok = true;
		poll_done(r);
		return true;
	}
	return send_pdu(r, pdu, on_get);
}

static void get_send(struct router *r)
{
	time_t now = time(NULL);
	size_t n = 0;

	r->step = STEP_GET;
	for (size_t i = 0; i < r->n; i++) {
		struct target *t = &r->t[i];
		t->in_get = t->ifindex != 0;
		n += t->in_get;
		if (!t->in_get) /* its name matched no interface */
			model_line_counters_failed(P.m, t->line, BW_NO_SUCH_IF, now);
	}
	if (!n) {
		poll_done(r);
		P.st.failed++;
		return;
	}
	r->chunk_hi = 0;
	get_send_chunk(r);
}

/* ---- a poll from start to finish ---- */

/* Engine known (or v2c): walk the columns, from `from` on, that have names
 * to resolve, then read the counters. */
static void resolve_or_read(struct router *r, uint8_t from)
{
	for (uint8_t col = from; col <= IFMATCH_DESCR; col++) {
		if (needs_walk(r, col)) {
			walk_start(r, col);
			return;
		}
	}
	get_send(r);
}

static void poll_begin(struct router *r)
{
	P.st.inflight++;
	P.st.polls++;
	if (r->conflict) { /* logged once, by usm_conflict() */
		poll_fail_all(r, BW_ERROR);
		return;
	}
	if (r->cc->version == 3 && !r->v3_ready) {
		probe_send(r);
		return;
	}
	resolve_or_read(r, IFMATCH_NAME);
}

static void on_due(void *arg)
{
	struct router *r = arg;
	uint64_t now = loop_now_ms();

	/* Fixed rate; after a long stall, start afresh rather than catch up. */
	r->due += r->interval_ms;
	if (r->due <= now)
		r->due = now + r->interval_ms;
	r->timer = loop_timer_add(r->due - now, on_due, r);
	if (r->step != STEP_IDLE) {
		P.st.overruns++;
		return;
	}
	if (P.st.inflight >= P.m->cfg->bandwidth.max_inflight)
		queue_push(r);
	else
		poll_begin(r);
}

/* ---- sessions ---- */

static void v3_protocols(const struct counters_cfg *cc, netsnmp_session *s)
{
	switch (cc->auth_proto) {
	case SNMP_AUTH_SHA1:
		s->securityAuthProto = usmHMACSHA1AuthProtocol;
		s->securityAuthProtoLen = OID_LENGTH(usmHMACSHA1AuthProtocol);
		break;
	case SNMP_AUTH_SHA512:
		s->securityAuthProto = usmHMAC384SHA512AuthProtocol;
		s->securityAuthProtoLen = OID_LENGTH(usmHMAC384SHA512AuthProtocol);
		break;
	default:
		s->securityAuthProto = usmHMAC192SHA256AuthProtocol;
		s->securityAuthProtoLen = OID_LENGTH(usmHMAC192SHA256AuthProtocol);
		break;
	}
	if (cc->priv_proto == SNMP_PRIV_AES256) {
		s->securityPrivProto = usmAES256PrivProtocol;
		s->securityPrivProtoLen = OID_LENGTH(usmAES256PrivProtocol);
	} else {
		s->securityPrivProto = usmAESPrivProtocol;
		s->securityPrivProtoLen = OID_LENGTH(usmAESPrivProtocol);
	}
}

/* Passwords become master keys (Ku) here; USM localises them once the
 * engine ID is known (probe_continue). */
static bool v3_setup(const struct counters_cfg *cc, netsnmp_session *s)
{
	s->securityName = cc->user;
	s->securityNameLen = strlen(cc->user);
	s->securityLevel = SNMP_SEC_LEVEL_AUTHPRIV;
	s->securityModel = SNMP_SEC_MODEL_USM;
	v3_protocols(cc, s);
	s->securityAuthKeyLen = USM_AUTH_KU_LEN;
	s->securityPrivKeyLen = USM_PRIV_KU_LEN;
	/* We probe for the engine ID ourselves, asynchronously. */
	s->flags |= SNMP_FLAGS_DONT_PROBE;
	return generate_Ku(s->securityAuthProto, (u_int)s->securityAuthProtoLen,
	                   (const u_char *)cc->auth_key, strlen(cc->auth_key), s->securityAuthKey,
	                   &s->securityAuthKeyLen) == SNMPERR_SUCCESS &&
	       generate_Ku(s->securityAuthProto, (u_int)s->securityAuthProtoLen,
	                   (const u_char *)cc->priv_key, strlen(cc->priv_key), s->securityPrivKey,
	                   &s->securityPrivKeyLen) == SNMPERR_SUCCESS;
}

static bool router_open(struct router *r, const struct bandwidth_cfg *bc)
{
	netsnmp_session s;
	const struct counters_cfg *cc = r->cc;

	snmp_sess_init(&s);
	s.peername = cc->peername;
	s.timeout = (long)bc->timeout_ms * 1000L;
	s.retries = (int)bc->retries;
	if (cc->version == 3) {
		s.version = SNMP_VERSION_3;
		if (!v3_setup(cc, &s))
			return false;
	} else {
		s.version = SNMP_VERSION_2c;
		s.community = (u_char *)cc->community;
		s.community_len = strlen(cc->community);
	}
	r->ss = snmp_open(&s);
	if (!r->ss)
		return false;
	r->ss->flags |= cc->version == 3 ? SNMP_FLAGS_DONT_PROBE : 0; /* open clears it */
	return true;
}

/* ---- grouping lines into routers ---- */

static bool same_router(const struct counters_cfg *a, const struct counters_cfg *b)
{
	return !strcmp(a->peername, b->peername) && a->version == b->version &&
	       !strcmp(a->community, b->community) && same_router_keys(a, b);
}

static int cmp_target(const void *a, const void *b)
{
	const struct counters_cfg *x = ((const struct target *)a)->cc,
	                          *y = ((const struct target *)b)->cc;
	int c = strcmp(x->peername, y->peername);
	if (c)
		return c;
	c = (int)x->version - (int)y->version;
	if (c)
		return c;
	c = strcmp(x->community, y->community);
	return c ? c : strcmp(x->user, y->user);
}

/* Every line with a counters source, sorted so that a router's lines are adjacent. */
static struct target *targets_collect(struct model *m, size_t *n_out)
{
	size_t n = 0;
	struct target *t;

	for (size_t i = 0; i < m->n_offices; i++)
		for (size_t j = 0; j < m->offices[i].n_lines; j++)
			n += m->offices[i].lines[j].bw != NULL;
	t = calloc(n ? n : 1, sizeof(*t));
	if (!t)
		return NULL;
	n = 0;
	for (size_t i = 0; i < m->n_offices; i++) {
		for (size_t j = 0; j < m->offices[i].n_lines; j++) {
			struct line *l = &m->offices[i].lines[j];
			if (!l->bw)
				continue;
			const struct counters_cfg *cc = l->cfg->counters;
			t[n++] =
			    (struct target){.line = l,
			                    .cc = cc,
			                    .ifindex = cc->match == IFMATCH_INDEX ? cc->ifindex : 0,
			                    .width = BW_WIDTH_UNKNOWN};
		}
	}
	qsort(t, n, sizeof(*t), cmp_target);
	*n_out = n;
	return t;
}

/* Routers own slices of one target array (the first router owns it). */
static size_t routers_build(struct target *t, size_t n)
{
	size_t nr = 0;

	for (size_t i = 0; i < n; nr++) {
		size_t j = i + 1;
		while (j < n && same_router(t[i].cc, t[j].cc))
			j++;
		struct router *r = &P.r[nr];
		r->cc = t[i].cc;
		r->t = &t[i];
		r->n = j - i;
		r->batch = P.m->cfg->bandwidth.get_batch;
		r->interval_ms = UINT32_MAX;
		for (size_t k = i; k < j; k++)
			if (t[k].cc->interval_s * 1000u < r->interval_ms)
				r->interval_ms = t[k].cc->interval_s * 1000u;
		i = j;
	}
	return nr;
}

/* One socket per router: make sure the fd limit allows them. */
static void fd_limit_raise(size_t routers)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= routers + 1024)
		return;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur < routers + 1024)
		log_msg(LOG_WARNING, "counters: %zu routers but only %llu file descriptors",
		        routers, (unsigned long long)rl.rlim_cur);
}

/* Spread first polls evenly over the interval, so 2,000 routers do not all
 * fire in the same millisecond. */
static void routers_schedule(void)
{
	uint64_t now = loop_now_ms_fresh();

	for (size_t i = 0; i < P.n; i++) {
		struct router *r = &P.r[i];
		/* Whole seconds: the routers due in the same second go out in
		 * one loop pass, and every pass costs O(sessions) in Net-SNMP. */
		uint64_t offset =
		    1000u + (uint64_t)r->interval_ms * i / (P.n ? P.n : 1) / 1000u * 1000u;
		r->due = now + offset;
		r->timer = loop_timer_add(offset, on_due, r);
	}
}

int bw_poller_start(struct model *m)
{
	size_t n_t = 0, failed = 0;
	struct target *t = targets_collect(m, &n_t);

	memset(&P, 0, sizeof(P));
	P.m = m;
	if (!t)
		return -1;
	if (!n_t) {
		free(t);
		return 0;
	}
	P.r = calloc(n_t, sizeof(*P.r));
	if (!P.r) {
		free(t);
		return -1;
	}
	P.n = routers_build(t, n_t);
	fd_limit_raise(P.n);
	P.running = true;
	for (size_t i = 0; i < P.n; i++) {
		if (router_open(&P.r[i], &m->cfg->bandwidth))
			continue;
		failed++;
		log_msg(LOG_ERR, "counters: cannot open a session to %s: %s", P.r[i].cc->router,
		        snmp_api_errstring(snmp_errno));
	}
	routers_schedule();
	P.st.routers = (unsigned)P.n;
	P.st.lines = (unsigned)n_t;
	log_msg(LOG_INFO, "counters: polling %zu lines on %zu routers", n_t, P.n);
	return failed ? -1 : 0;
}

void bw_poller_stop(void)
{
	/* Closing a session calls back its pending requests; `running` makes
	 * the callbacks ignore them. */
	P.running = false;
	if (P.n)
		log_msg(LOG_INFO,
		        "counters: %llu polls (%llu ok, %llu failed, %llu overruns, %llu walks)",
		        (unsigned long long)P.st.polls, (unsigned long long)P.st.ok,
		        (unsigned long long)P.st.failed, (unsigned long long)P.st.overruns,
		        (unsigned long long)P.st.walks);
	for (size_t i = 0; i < P.n; i++) {
		struct router *r = &P.r[i];
		loop_timer_cancel(r->timer);
		loop_timer_cancel(r->cont);
		if (r->ss)
			snmp_close(r->ss);
		/* Its keys must not outlive it: a reload with a new key would
		 * otherwise still send with the old one. */
		if (r->usm_mine)
			usm_drop(r->usm);
	}
	if (P.n)
		free(P.r[0].t);
	free(P.r);
	memset(&P, 0, sizeof(P));
}

void bw_poller_get_stats(struct bw_poller_stats *out)
{
	*out = P.st;
}
