/*
 * readiness_run: glue between the readiness engine and the daemon: spool
 * handler, TLS results, the re-judgement timer, MIB binding, and the
 * listener (alarm_rules decides what the transitions raise and clear).
 */
#include "readiness_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alarm_rules.h"
#include "histfeed.h"
#include "log.h"
#include "loop.h"
#include "mib.h"
#include "notify.h"
#include "readiness_spool.h"
#include "readiness_tls.h"

#define TICK_MS 60000u /* staleness is counted in days: a minute is plenty */

static struct {
	struct readiness *rd;
	const struct tslcd_config *cfg;
	struct loop_timer *tick;
	struct readiness *next; /* a reload's, from prepare to swap */
	const struct tslcd_config *next_cfg;
} R;

struct readiness *readiness_run_engine(void)
{
	return R.rd;
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
			alarm_rules_readiness_state(
			    NULL, e, not_ready ? READINESS_UNKNOWN : READINESS_NOT_READY);
		if (e->stale != notify_is_active(ALARM_REPORT_STALE, e->office_id, 0))
			alarm_rules_report_stale(NULL, e, e->stale);
		if (e->cert_expiring != notify_is_active(ALARM_CERT_EXPIRING, e->office_id, 0) &&
		    (e->cert_expiring || cert_judged(e)))
			alarm_rules_cert_expiring(NULL, e, e->cert_expiring);
	}
}

/* The rules decide; the notifier (their sink) sends. */
static const struct readiness_listener listener = {
    .state_changed = alarm_rules_readiness_state,
    .stale_changed = alarm_rules_report_stale,
    .cert_changed = alarm_rules_cert_expiring,
};

/* ---- report ingestion ---- */

/* For the per-office counter only: who a refused file claims to be from. */
static uint32_t claimed_office(const char *body)
{
	struct readiness_report r;
	return body && readiness_report_parse("-", body, &r, NULL, NULL) ? r.office : 0;
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
static bool ingest(void *ctx, const struct readiness_spool_item *it, char *reason, size_t len)
{
	char signer[READINESS_REPORT_SIGNER_MAX];
	struct readiness_report r;
	uint32_t office = 0;

	(void)ctx;
	if (it->refused)
		return refuse(it->name, claimed_office(it->body), it->refused);
	if (!readiness_report_check(R.cfg, it->name, it->body, it->blen, it->sig, it->slen, NULL,
	                            &r, signer, &office, reason, len) ||
	    !readiness_accept(R.rd, &r, signer, time(NULL), reason, len))
		return refuse(it->name, office ? office : claimed_office(it->body), reason);
	const struct office_readiness *e = readiness_find(R.rd, r.office);
	log_msg(LOG_INFO, "readiness report %s accepted: office %u, signed by %s, state %s",
	        it->name, r.office, signer, readiness_state_name(e->eval.state));
	histfeed_report(r.office, &r, true, readiness_state_name(e->eval.state),
	                readiness_reason(e));
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

	if (!readiness_report_parse("-", body, r, NULL, NULL))
		return false;
	e = readiness_find(R.rd, r->office);
	return e && (!e->have_report || r->report_time > e->d->report.report_time);
}

static bool restore_one(void *ctx, const struct readiness_spool_item *it, char *reason, size_t len)
{
	char signer[READINESS_REPORT_SIGNER_MAX];
	struct readiness_report r;
	uint32_t office;

	(void)ctx;
	if (!newer_than_held(it->body, &r) ||
	    !readiness_report_check(R.cfg, it->name, it->body, it->blen, it->sig, it->slen, NULL,
	                            &r, signer, &office, reason, len))
		return false;
	if (!readiness_restore(R.rd, &r, signer, time(NULL))) {
		log_msg(LOG_ERR, "readiness report %s not restored: out of memory", it->name);
		return false;
	}
	return true;
}

static void restore_accepted(const char *spool)
{
	unsigned n = readiness_spool_each_accepted(restore_one, NULL);

	if (n)
		log_msg(LOG_INFO, "readiness: restored from %s/accepted (%u report(s) verified)",
		        spool, n);
}

/* ---- lifecycle ---- */

static void spool_begin(const struct tslcd_config *cfg)
{
	if (cfg->readiness.spool_dir[0])
		readiness_spool_start(cfg->readiness.spool_dir, cfg->readiness.rescan_s,
		                      cfg->readiness.sig_wait_s, ingest, NULL);
}

static void services_start(const struct tslcd_config *cfg)
{
	readiness_tls_start(cfg, on_tls, NULL);
	R.tick = loop_timer_add(TICK_MS, on_tick, NULL);
}

static void services_stop(void)
{
	readiness_spool_stop();
	readiness_tls_stop();
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

/* The reload, in the daemon's phases (main.c): the next engine is built
 * first, so a failure leaves the running one untouched. */
bool readiness_run_prepare(const struct tslcd_config *cfg)
{
	R.next = readiness_create(cfg, R.rd, time(NULL));
	R.next_cfg = cfg;
	return R.next != NULL;
}

void readiness_run_abort(void)
{
	readiness_free(R.next);
	R.next = NULL;
}

void readiness_run_pause(void)
{
	services_stop();
}

void readiness_run_swap(void)
{
	mib_readiness_bind(R.next);
	readiness_free(R.rd);
	R.rd = R.next;
	R.cfg = R.next_cfg;
	R.next = NULL;
	readiness_tick(R.rd, time(NULL)); /* the rules may have changed */
}

void readiness_run_resume(void)
{
	spool_begin(R.cfg);
	services_start(R.cfg);
}

void readiness_run_stop(void)
{
	services_stop();
	mib_readiness_bind(NULL);
	readiness_free(R.rd);
	R.rd = NULL;
}
