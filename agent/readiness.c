/*
 * readiness: rules that turn a report into a state, score and reason, and
 * the per-office state machine around them.  See readiness.h.
 */
#include "readiness.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_S 86400L
/* A report stamped up to this far ahead of our clock is still accepted:
 * office PCs' clocks drift. */
#define FUTURE_SKEW_S 3600L

const char *readiness_state_name(enum readiness_state s)
{
	static const char *const names[] = {"?", "unknown", "ready", "partial", "notReady"};
	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

long readiness_report_age_days(const struct office_readiness *r, time_t now)
{
	if (!r->have_report)
		return -1;
	return now > r->d->report.report_time ? (long)((now - r->d->report.report_time) / DAY_S)
	                                      : 0;
}

#define NO_REPORT_REASON "no readiness report accepted yet"

const char *readiness_reason(const struct office_readiness *e)
{
	return e->d ? e->d->reason : NO_REPORT_REASON;
}

/* ---- rules ---- */

/* Items are judged in a fixed order, mandatory ones first, so the reason is
 * the most important thing to fix. */
struct tally {
	unsigned total, met;
	bool mandatory_failed, other_failed;
	char reason[READINESS_REASON_MAX];
};

static void item(struct tally *t, bool mandatory, bool met, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void item(struct tally *t, bool mandatory, bool met, const char *fmt, ...)
{
	va_list ap;

	t->total++;
	if (met) {
		t->met++;
		return;
	}
	if (!t->mandatory_failed && !t->other_failed) {
		va_start(ap, fmt);
		vsnprintf(t->reason, sizeof(t->reason), fmt, ap);
		va_end(ap);
	}
	if (mandatory)
		t->mandatory_failed = true;
	else
		t->other_failed = true;
}

static bool coverage_met(uint32_t protected_pcs, uint32_t total, unsigned target_pct)
{
	return total == 0 || (uint64_t)protected_pcs * 100u >= (uint64_t)target_pct * total;
}

static unsigned pct(uint32_t part, uint32_t whole)
{
	return whole ? (unsigned)((uint64_t)part * 100u / whole) : 100u;
}

static void coverage_items(struct tally *t, const struct readiness_report *r, unsigned target)
{
	item(t, true, coverage_met(r->desk_protected, r->desk_total, target),
	     "anti-malware coverage at the one-stop desk %u %% (%u of %u PCs), target %u %%",
	     pct(r->desk_protected, r->desk_total), r->desk_protected, r->desk_total, target);
	item(t, false, coverage_met(r->pcs_protected, r->pcs_total, target),
	     "anti-malware coverage of the office's PCs %u %% (%u of %u), target %u %%",
	     pct(r->pcs_protected, r->pcs_total), r->pcs_protected, r->pcs_total, target);
}

static void inspection_item(struct tally *t, const struct readiness_report *r,
                            const struct readiness_cfg *rules, time_t now)
{
	char d[16];
	long age = r->last_inspection ? (long)((now - r->last_inspection) / DAY_S) : 0;

	if (!r->last_inspection)
		item(t, false, false, "no periodic security inspection recorded");
	else if (age > (long)rules->inspection_max_age_days)
		item(t, false, false,
		     "last periodic security inspection %s is %ld days old (max %u)",
		     readiness_report_date_str(r->last_inspection, d, sizeof(d)), age,
		     rules->inspection_max_age_days);
	else if (r->next_inspection && r->next_inspection + DAY_S <= now)
		item(t, false, false, "periodic security inspection overdue since %s",
		     readiness_report_date_str(r->next_inspection, d, sizeof(d)));
	else
		item(t, false, true, "-");
}

static void drill_item(struct tally *t, const struct readiness_report *r, unsigned max_days,
                       time_t now)
{
	char d[16];
	long age = r->last_drill ? (long)((now - r->last_drill) / DAY_S) : 0;

	if (!max_days)
		return; /* not judged */
	if (!r->last_drill)
		item(t, false, false, "no incident-response drill recorded");
	else
		item(t, false, age <= (long)max_days,
		     "last incident-response drill %s is %ld days old (max %u)",
		     readiness_report_date_str(r->last_drill, d, sizeof(d)), age, max_days);
}

static void approval_item(struct tally *t, const struct readiness_report *r)
{
	static const char *const words[] = {"?", "none", "proposed", "appraised", "approved"};

	if (r->security_level == 0)
		item(t, false, false, "information system not classified by security level");
	else
		item(t, false, r->approval == READINESS_REPORT_APPROVED,
		     "security level %u dossier not approved (state: %s)", r->security_level,
		     words[r->approval <= READINESS_REPORT_APPROVED ? r->approval : 0]);
}

/* Judged only once the agent has checked the endpoint. */
static void tls_item(struct tally *t, const struct office_readiness *e,
                     const struct readiness_cfg *rules)
{
	if (!e || e->tls_verify == TLS_NOT_CHECKED)
		return;
	if (e->tls_verify == TLS_UNREACHABLE)
		item(t, false, false, "TLS endpoint unreachable");
	else if (e->tls_verify == TLS_FAILED)
		item(t, false, false, "TLS endpoint certificate does not verify");
	else
		item(t, false,
		     !e->tls_have_cert || e->tls_days_left > (int32_t)rules->cert_warn_days,
		     "TLS endpoint certificate expires in %d days (warning at %u)",
		     e->tls_days_left, rules->cert_warn_days);
}

void readiness_evaluate(const struct readiness_report *r, const struct readiness_cfg *rules,
                        const struct office_readiness *tls, time_t now, struct readiness_eval *out)
{
	struct tally t = {0};

	item(&t, true, r->pre_check != 0, "no pre-connection security check recorded");
	item(&t, true, r->lan_segmented, "LAN on TSLCD is not segmented from other networks");
	coverage_items(&t, r, rules->coverage_target_pct);
	item(&t, false, r->monitoring, "not connected to central security monitoring");
	inspection_item(&t, r, rules, now);
	drill_item(&t, r, rules->drill_max_age_days, now);
	approval_item(&t, r);
	tls_item(&t, tls, rules);
	out->score = t.total ? t.met * 100u / t.total : 0;
	out->state = t.mandatory_failed ? READINESS_NOT_READY
	             : t.other_failed   ? READINESS_PARTIAL
	                                : READINESS_READY;
	snprintf(out->reason, sizeof(out->reason), "%s",
	         out->state == READINESS_READY ? "" : t.reason);
}

/* ---- engine ---- */

static int cmp_entry(const void *key, const void *elem)
{
	uint32_t id = *(const uint32_t *)key;
	const struct office_readiness *e = elem;
	return id < e->office_id ? -1 : id > e->office_id;
}

struct office_readiness *readiness_find(const struct readiness *rd, uint32_t office_id)
{
	return rd ? bsearch(&office_id, rd->v, rd->n, sizeof(*rd->v), cmp_entry) : NULL;
}

/* Can this office submit at all?  Otherwise silence is not staleness. */
static bool can_report(const struct tslcd_config *cfg, const struct office_cfg *o)
{
	if (o->ready.has_key)
		return true;
	for (size_t i = 0; i < cfg->n_authorities; i++)
		if (config_authority_covers(&cfg->authorities[i], o->id))
			return true;
	return false;
}

static void entry_init(struct office_readiness *e, const struct office_cfg *o)
{
	*e = (struct office_readiness){
	    .office_id = o->id,
	    .cfg = o,
	    .eval = {.state = READINESS_UNKNOWN},
	    .tls_verify = TLS_NOT_CHECKED,
	};
}

/* The entry's detail, allocated on first need with the reason it had. */
static struct readiness_detail *detail_of(struct office_readiness *e)
{
	if (!e->d && (e->d = calloc(1, sizeof(*e->d))) != NULL)
		snprintf(e->d->reason, sizeof(e->d->reason), "%s", NO_REPORT_REASON);
	return e->d;
}

struct readiness *readiness_create(const struct tslcd_config *cfg, struct readiness *old,
                                   time_t now)
{
	struct readiness *rd = calloc(1, sizeof(*rd));

	(void)now;
	if (!rd || !(rd->v = calloc(cfg->n_offices ? cfg->n_offices : 1, sizeof(*rd->v)))) {
		free(rd);
		return NULL;
	}
	rd->cfg = cfg;
	rd->n = cfg->n_offices;
	/* Both are sorted by office id: one merge pairs the entries (100k
	 * offices: no search each, on the loop). */
	for (size_t i = 0, k = 0; i < rd->n; i++) {
		const struct office_cfg *o = &cfg->offices[i];
		while (old && k < old->n && old->v[k].office_id < o->id)
			k++;
		struct office_readiness *prev =
		    old && k < old->n && old->v[k].office_id == o->id ? &old->v[k] : NULL;
		entry_init(&rd->v[i], o);
		if (prev) {
			rd->v[i] = *prev; /* state survives a reload */
			rd->v[i].cfg = o;
			prev->d = NULL; /* moved: the old engine's free leaves it */
		}
		if (!o->ready.tls_endpoint || !o->ready.tls_endpoint[0])
			rd->v[i].tls_verify = TLS_NOT_CHECKED;
	}
	if (old) {
		rd->accepted = old->accepted;
		rd->rejected = old->rejected;
		rd->listener = old->listener;
	}
	return rd;
}

void readiness_free(struct readiness *rd)
{
	if (!rd)
		return;
	for (size_t i = 0; i < rd->n; i++)
		free(rd->v[i].d);
	free(rd->v);
	free(rd);
}

void readiness_set_listener(struct readiness *rd, const struct readiness_listener *l)
{
	rd->listener = *l;
}

static void stale_judge(struct readiness *rd, struct office_readiness *e, time_t now)
{
	long age = readiness_report_age_days(e, now);
	char d[16];

	if (e->have_report && age > (long)rd->cfg->readiness.max_age_days) {
		e->eval.state = READINESS_UNKNOWN;
		snprintf(e->d->reason, sizeof(e->d->reason),
		         "last readiness report (%s) is %ld days old (max %u)",
		         readiness_report_date_str(e->d->report.report_time, d, sizeof(d)), age,
		         rd->cfg->readiness.max_age_days);
	}
}

/* Recompute one office and tell the listener what changed. */
static void reeval(struct readiness *rd, struct office_readiness *e, time_t now)
{
	enum readiness_state old = e->eval.state;
	bool was_stale = e->stale;

	if (e->have_report) {
		struct readiness_eval ev;
		readiness_evaluate(&e->d->report, &rd->cfg->readiness, e, now, &ev);
		e->eval = (struct readiness_verdict){ev.state, ev.score};
		memcpy(e->d->reason, ev.reason, sizeof(e->d->reason));
		stale_judge(rd, e, now);
		e->stale = e->eval.state == READINESS_UNKNOWN;
	} else {
		/* Never reported: stale only for an office that holds a key, so
		 * the operator hears about offices that should report. */
		e->stale = can_report(rd->cfg, e->cfg);
	}
	if (old != e->eval.state && rd->listener.state_changed)
		rd->listener.state_changed(rd->listener.ctx, e, old);
	if (was_stale != e->stale && rd->listener.stale_changed)
		rd->listener.stale_changed(rd->listener.ctx, e, e->stale);
}

bool readiness_accept(struct readiness *rd, const struct readiness_report *r, const char *signer,
                      time_t now, char *reason, size_t reasonlen)
{
	struct office_readiness *e = readiness_find(rd, r->office);
	char held[32], got[32];

	if (!e) {
		snprintf(reason, reasonlen, "office %u is not in the configuration", r->office);
		return false;
	}
	if (r->report_time > now + FUTURE_SKEW_S) {
		snprintf(reason, reasonlen, "report time is in the future (check the PC's clock)");
		return false;
	}
	if (e->have_report && r->report_time <= e->d->report.report_time) {
		snprintf(held, sizeof(held), "%lld", (long long)e->d->report.report_time);
		snprintf(got, sizeof(got), "%lld", (long long)r->report_time);
		snprintf(reason, reasonlen,
		         "not newer than the report already held (time %s <= %s): replayed or "
		         "out of order",
		         got, held);
		return false;
	}
	if (!readiness_restore(rd, r, signer, now)) {
		snprintf(reason, reasonlen, "out of memory holding the report of office %u",
		         r->office);
		return false;
	}
	rd->accepted++;
	return true;
}

bool readiness_restore(struct readiness *rd, const struct readiness_report *r, const char *signer,
                       time_t now)
{
	struct office_readiness *e = readiness_find(rd, r->office);

	if (!e)
		return true;
	if (!detail_of(e))
		return false;
	e->d->report = *r;
	e->have_report = true;
	snprintf(e->d->signer, sizeof(e->d->signer), "%s", signer);
	reeval(rd, e, now);
	return true;
}

void readiness_reject(struct readiness *rd, uint32_t office_id)
{
	struct office_readiness *e = readiness_find(rd, office_id);

	rd->rejected++;
	if (e)
		e->rejected++;
}

static void cert_judge(struct readiness *rd, struct office_readiness *e)
{
	const struct readiness_cfg *c = &rd->cfg->readiness;
	bool was = e->cert_expiring;

	if (!e->tls_have_cert)
		return;
	/* Two limits, so a certificate hovering at the limit does not flap. */
	if (!was && e->tls_days_left <= (int32_t)c->cert_warn_days)
		e->cert_expiring = true;
	else if (was && e->tls_days_left > (int32_t)c->cert_clear_days)
		e->cert_expiring = false;
	if (was != e->cert_expiring && rd->listener.cert_changed)
		rd->listener.cert_changed(rd->listener.ctx, e, e->cert_expiring);
}

void readiness_tls_result(struct readiness *rd, uint32_t office_id, const struct tls_result *t,
                          time_t now)
{
	struct office_readiness *e = readiness_find(rd, office_id);

	if (!e)
		return;
	e->tls_verify = t->verify;
	if (t->have_cert) {
		e->tls_have_cert = true;
		e->tls_days_left = t->days_left;
		if (detail_of(e)) { /* else only the names go missing */
			snprintf(e->d->tls_protocol, sizeof(e->d->tls_protocol), "%s", t->protocol);
			snprintf(e->d->tls_cipher, sizeof(e->d->tls_cipher), "%s", t->cipher);
		}
	}
	cert_judge(rd, e);
	reeval(rd, e, now);
}

void readiness_tick(struct readiness *rd, time_t now)
{
	for (size_t i = 0; i < rd->n; i++)
		reeval(rd, &rd->v[i], now);
}
