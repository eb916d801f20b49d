/*
 * readiness_run: glue between the readiness engine and the daemon: spool
 * handler, TLS results, the re-judgement timer, MIB binding, and the
 * listener that turns transitions into log lines and notify_raise/clear.
 */
#include "readiness_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "histfeed.h"
#include "log.h"
#include "loop.h"
#include "mib.h"
#include "notify.h"
#include "probe_tls.h"
#include "spool.h"

#define TICK_MS 60000u /* staleness is counted in days: a minute is plenty */

static struct {
	struct readiness *rd;
	const struct tslcd_config *cfg;
	struct loop_timer *tick;
} R;

struct readiness *readiness_run_engine(void)
{
	return R.rd;
}

/* ---- transitions -> log and notifications ---- */

static void extra_of(const struct office_readiness *e, struct alarm_extra *x)
{
	memset(x, 0, sizeof(*x));
	x->readiness_state = (int32_t)e->eval.state;
	snprintf(x->readiness_reason, sizeof(x->readiness_reason), "%s", e->eval.reason);
	x->report_time = e->have_report ? (int64_t)e->report.report_time : 0;
	x->cert_days_left = e->tls_days_left;
}

static void on_state(void *ctx, const struct office_readiness *e, enum readiness_state old)
{
	struct alarm_extra x;
	char text[256];

	(void)ctx;
	log_msg(LOG_NOTICE, "office %u (%s): readiness %s -> %s%s%s", e->office_id, e->cfg->code,
	        readiness_state_name(old), readiness_state_name(e->eval.state),
	        e->eval.reason[0] ? ": " : "", e->eval.reason);
	extra_of(e, &x);
	snprintf(text, sizeof(text), "%s: readiness %s%s%s", e->cfg->code,
	         readiness_state_name(e->eval.state), e->eval.reason[0] ? ": " : "",
	         e->eval.reason);
	/* Raised while notReady; any other state (even unknown) clears it, the
	 * staleness alarm then says why the state is not known. */
	if (e->eval.state == READINESS_NOT_READY)
		notify_raise_ex(ALARM_READINESS_NOT_READY, e->office_id, 0, (int32_t)e->eval.score,
		                100, text, &x);
	else if (old == READINESS_NOT_READY)
		notify_clear_ex(ALARM_READINESS_NOT_READY, e->office_id, 0, (int32_t)e->eval.score,
		                100, text, &x);
}

static void on_stale(void *ctx, const struct office_readiness *e, bool stale)
{
	struct alarm_extra x;
	char text[256];
	long age = readiness_report_age_days(e, time(NULL));
	int32_t max = (int32_t)R.cfg->readiness.max_age_days;

	(void)ctx;
	extra_of(e, &x);
	if (stale) {
		snprintf(text, sizeof(text), "%s: %s", e->cfg->code,
		         e->have_report ? e->eval.reason : "no readiness report received");
		log_msg(LOG_WARNING, "office %u (%s): readiness report stale: %s", e->office_id,
		        e->cfg->code, text);
		notify_raise_ex(ALARM_REPORT_STALE, e->office_id, 0, (int32_t)age, max, text, &x);
	} else {
		snprintf(text, sizeof(text), "%s: readiness report of %ld days accepted",
		         e->cfg->code, age);
		log_msg(LOG_INFO, "office %u (%s): readiness report fresh", e->office_id,
		        e->cfg->code);
		notify_clear_ex(ALARM_REPORT_STALE, e->office_id, 0, (int32_t)age, max, text, &x);
	}
}

static void on_cert(void *ctx, const struct office_readiness *e, bool expiring)
{
	struct alarm_extra x;
	char text[256];
	const struct readiness_cfg *c = &R.cfg->readiness;

	(void)ctx;
	extra_of(e, &x);
	snprintf(text, sizeof(text), "%s: TLS certificate of %s %s in %d days", e->cfg->code,
	         e->cfg->ready.tls_endpoint, e->tls_days_left < 0 ? "expired" : "expires",
	         e->tls_days_left);
	log_msg(expiring ? LOG_WARNING : LOG_INFO, "office %u: %s%s", e->office_id, text,
	        expiring ? "" : " (renewed)");
	if (expiring)
		notify_raise_ex(ALARM_CERT_EXPIRING, e->office_id, 0, e->tls_days_left,
		                (int32_t)c->cert_warn_days, text, &x);
	else
		notify_clear_ex(ALARM_CERT_EXPIRING, e->office_id, 0, e->tls_days_left,
		                (int32_t)c->cert_clear_days, text, &x);
}

/* The certificate has been judged: checked, or no endpoint to check. */
static bool cert_judged(const struct office_readiness *e)
{
	return e->tls_verify != TLS_NOT_CHECKED || !e->cfg->ready.tls_endpoint ||
	       !e->cfg->ready.tls_endpoint[0];
}

/* Alarms are level-triggered on our side too: re-assert every condition
 * that holds (raise is idempotent), so state restored at start or an alarm
 * the notifier lost is raised again; and clear an active one whose
 * condition is judged not to hold (an alarm restored from the state file
 * that no engine transition would clear). */
static void alarms_assert(void)
{
	for (size_t i = 0; i < R.rd->n; i++) {
		const struct office_readiness *e = &R.rd->v[i];
		bool not_ready = e->eval.state == READINESS_NOT_READY;
		if (not_ready != notify_is_active(ALARM_READINESS_NOT_READY, e->office_id, 0))
			on_state(NULL, e, not_ready ? READINESS_UNKNOWN : READINESS_NOT_READY);
		if (e->stale != notify_is_active(ALARM_REPORT_STALE, e->office_id, 0))
			on_stale(NULL, e, e->stale);
		if (e->cert_expiring != notify_is_active(ALARM_CERT_EXPIRING, e->office_id, 0) &&
		    (e->cert_expiring || cert_judged(e)))
			on_cert(NULL, e, e->cert_expiring);
	}
}

static const struct readiness_listener listener = {
    .state_changed = on_state,
    .stale_changed = on_stale,
    .cert_changed = on_cert,
};

/* ---- report ingestion ---- */

/* For the per-office counter only: who a refused file claims to be from. */
static uint32_t claimed_office(const char *body)
{
	struct readiness_report r;
	return body && report_parse("-", body, &r, NULL, NULL) ? r.office : 0;
}

static bool refuse(const char *name, uint32_t office, const char *reason)
{
	log_msg(LOG_WARNING, "readiness report %s rejected: %s", name, reason);
	readiness_reject(R.rd, office);
	histfeed_report(office, NULL, false, NULL, reason);
	return false;
}

/* Every rejection, the spool's own ones included, is logged and counted,
 * per office too when the body names one. */
static bool ingest(void *ctx, const struct spool_item *it, char *reason, size_t len)
{
	char signer[REPORT_SIGNER_MAX];
	struct readiness_report r;
	uint32_t office = 0;

	(void)ctx;
	if (it->refused)
		return refuse(it->name, claimed_office(it->body), it->refused);
	if (!report_check(R.cfg, it->name, it->body, it->blen, it->sig, it->slen, NULL, &r, signer,
	                  &office, reason, len) ||
	    !readiness_accept(R.rd, &r, signer, time(NULL), reason, len))
		return refuse(it->name, office ? office : claimed_office(it->body), reason);
	const struct readiness_eval *ev = &readiness_find(R.rd, r.office)->eval;
	log_msg(LOG_INFO, "readiness report %s accepted: office %u, signed by %s, state %s",
	        it->name, r.office, signer, readiness_state_name(ev->state));
	histfeed_report(r.office, &r, true, readiness_state_name(ev->state), ev->reason);
	return true;
}

static void on_tls(void *ctx, uint32_t office, const struct tls_result *t)
{
	(void)ctx;
	readiness_tls_result(R.rd, office, t, time(NULL));
}

static void on_tick(void *arg)
{
	(void)arg;
	R.tick = loop_timer_add(TICK_MS, on_tick, NULL);
	readiness_tick(R.rd, time(NULL));
	alarms_assert();
}

/* ---- restart: the accepted reports are the saved state ----
 * spool/accepted/ keeps every accepted report with its signature, so on
 * start the newest one per office is verified again with today's keys and
 * restored: nothing to keep in step with the state file, and a revoked key
 * stops counting.  Per-file cost is a parse; only reports newer than the
 * one already restored are verified. */

static bool newer_than_held(const char *body, struct readiness_report *r)
{
	const struct office_readiness *e;

	if (!report_parse("-", body, r, NULL, NULL))
		return false;
	e = readiness_find(R.rd, r->office);
	return e && (!e->have_report || r->report_time > e->report.report_time);
}

static bool restore_one(void *ctx, const struct spool_item *it, char *reason, size_t len)
{
	char signer[REPORT_SIGNER_MAX];
	struct readiness_report r;
	uint32_t office;

	(void)ctx;
	if (!newer_than_held(it->body, &r) ||
	    !report_check(R.cfg, it->name, it->body, it->blen, it->sig, it->slen, NULL, &r, signer,
	                  &office, reason, len))
		return false;
	readiness_restore(R.rd, &r, signer, time(NULL));
	return true;
}

static void restore_accepted(const char *spool)
{
	unsigned n = spool_each_accepted(restore_one, NULL);

	if (n)
		log_msg(LOG_INFO, "readiness: restored from %s/accepted (%u report(s) verified)",
		        spool, n);
}

/* ---- lifecycle ---- */

static void spool_begin(const struct tslcd_config *cfg)
{
	if (cfg->readiness.spool_dir[0])
		spool_start(cfg->readiness.spool_dir, cfg->readiness.rescan_s,
		            cfg->readiness.sig_wait_s, ingest, NULL);
}

static void services_start(const struct tslcd_config *cfg)
{
	tls_checks_start(cfg, on_tls, NULL);
	R.tick = loop_timer_add(TICK_MS, on_tick, NULL);
}

static void services_stop(void)
{
	spool_stop();
	tls_checks_stop();
	loop_timer_cancel(R.tick);
	R.tick = NULL;
}

int readiness_run_start(const struct tslcd_config *cfg)
{
	R.cfg = cfg;
	R.rd = readiness_create(cfg, NULL, time(NULL));
	if (!R.rd)
		return -1;
	spool_begin(cfg); /* checks the spool; its first scan waits for the loop */
	if (cfg->readiness.spool_dir[0])
		restore_accepted(cfg->readiness.spool_dir); /* before anyone listens */
	readiness_set_listener(R.rd, &listener);
	mib_readiness_bind(R.rd);
	readiness_tick(R.rd, time(NULL));
	alarms_assert();
	services_start(cfg);
	return 0;
}

void readiness_run_reload(const struct tslcd_config *cfg)
{
	struct readiness *next = readiness_create(cfg, R.rd, time(NULL));

	if (!next) {
		log_msg(LOG_ERR, "readiness: out of memory on reload, state kept");
		return;
	}
	services_stop();
	mib_readiness_bind(next);
	readiness_free(R.rd);
	R.rd = next;
	R.cfg = cfg;
	readiness_tick(R.rd, time(NULL)); /* the rules may have changed */
	spool_begin(cfg);
	services_start(cfg);
}

void readiness_run_stop(void)
{
	services_stop();
	mib_readiness_bind(NULL);
	readiness_free(R.rd);
	R.rd = NULL;
}
