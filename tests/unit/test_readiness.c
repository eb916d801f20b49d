/*
 * Readiness rules and state machine: state, score and reason from a
 * report; replays refused; staleness makes the state unknown and reports
 * stale/fresh edges; certificate expiry raises and clears with hysteresis;
 * a reload keeps the state.
 */
#include "unit.h"
#include <stdlib.h>
#include <string.h>

#include "readiness.h"

#define DAY 86400L
static const time_t NOW = 1772332200; /* 2026-03-01 */

static struct office_cfg office = {.id = 12, .code = "X", .ready = {.has_key = true}};
static struct tslcd_config cfg = {
    .offices = &office,
    .n_offices = 1,
    .readiness = {.max_age_days = 35,
                  .coverage_target_pct = 100,
                  .inspection_max_age_days = 365,
                  .drill_max_age_days = 365,
                  .cert_warn_days = 30,
                  .cert_clear_days = 30},
};

static struct readiness_report good(time_t when)
{
	return (struct readiness_report){
	    .office = 12,
	    .report_time = when,
	    .security_level = 2,
	    .framework = 2,
	    .approval = READINESS_REPORT_APPROVED,
	    .lan_segmented = true,
	    .monitoring = true,
	    .pre_check = NOW - 100 * DAY,
	    .desk_protected = 4,
	    .desk_total = 4,
	    .pcs_protected = 40,
	    .pcs_total = 40,
	    .last_inspection = NOW - 30 * DAY,
	    .last_drill = NOW - 60 * DAY,
	};
}

START_TEST(rules)
{
	struct readiness_report r = good(NOW);
	struct readiness_eval ev;

	readiness_evaluate(&r, &cfg.readiness, NULL, NOW, &ev);
	ck_assert_int_eq(ev.state, READINESS_READY);
	ck_assert_uint_eq(ev.score, 100);
	ck_assert_str_eq(ev.reason, "");

	r.pcs_protected = 38; /* not mandatory: partial */
	readiness_evaluate(&r, &cfg.readiness, NULL, NOW, &ev);
	ck_assert_int_eq(ev.state, READINESS_PARTIAL);
	ck_assert_str_eq(ev.reason,
	                 "anti-malware coverage of the office's PCs 95 % (38 of 40), target 100 %");

	r.desk_protected = 3; /* mandatory: notReady, and it becomes the reason */
	readiness_evaluate(&r, &cfg.readiness, NULL, NOW, &ev);
	ck_assert_int_eq(ev.state, READINESS_NOT_READY);
	ck_assert_str_eq(ev.reason, "anti-malware coverage at the one-stop desk 75 % (3 of 4 "
	                            "PCs), target 100 %");
	ck_assert_uint_eq(ev.score, 75); /* 6 of 8 items */

	r = good(NOW);
	r.pre_check = 0;
	readiness_evaluate(&r, &cfg.readiness, NULL, NOW, &ev);
	ck_assert_str_eq(ev.reason, "no pre-connection security check recorded");

	r = good(NOW);
	r.last_inspection = NOW - 400 * DAY;
	readiness_evaluate(&r, &cfg.readiness, NULL, NOW, &ev);
	ck_assert_int_eq(ev.state, READINESS_PARTIAL);
	ck_assert_ptr_nonnull(strstr(ev.reason, "is 400 days old (max 365)"));
}
END_TEST

static struct {
	int state_calls, stale_calls, cert_calls;
	enum readiness_state last_old;
	bool stale, expiring;
} seen;

static void on_state(void *ctx, const struct office_readiness *r, enum readiness_state old)
{
	(void)ctx, (void)r;
	seen.state_calls++;
	seen.last_old = old;
}

static void on_stale(void *ctx, const struct office_readiness *r, bool stale)
{
	(void)ctx, (void)r;
	seen.stale_calls++;
	seen.stale = stale;
}

static void on_cert(void *ctx, const struct office_readiness *r, bool expiring)
{
	(void)ctx, (void)r;
	seen.cert_calls++;
	seen.expiring = expiring;
}

static const struct readiness_listener listener = {
    .state_changed = on_state, .stale_changed = on_stale, .cert_changed = on_cert};

START_TEST(accept_replay_stale)
{
	struct readiness *rd = readiness_create(&cfg, NULL, NOW);
	char reason[256];
	struct readiness_report r = good(NOW - DAY);

	memset(&seen, 0, sizeof(seen));
	readiness_set_listener(rd, &listener);
	readiness_tick(rd, NOW);
	ck_assert(seen.stale);                         /* has a key, never reported */
	ck_assert_ptr_null(readiness_find(rd, 12)->d); /* nothing held: no detail */
	ck_assert_str_eq(readiness_reason(readiness_find(rd, 12)),
	                 "no readiness report accepted yet");
	ck_assert(readiness_accept(rd, &r, "office-12", NOW, reason, sizeof(reason)));
	struct office_readiness *e = readiness_find(rd, 12);
	ck_assert_int_eq(e->eval.state, READINESS_READY);
	ck_assert(!seen.stale);
	ck_assert_int_eq(seen.last_old, READINESS_UNKNOWN);
	ck_assert_uint_eq(rd->accepted, 1);

	/* The same report again, and an older one: replays. */
	ck_assert(!readiness_accept(rd, &r, "office-12", NOW, reason, sizeof(reason)));
	ck_assert_ptr_nonnull(strstr(reason, "replayed"));
	r.report_time -= DAY;
	r.desk_protected = 0;
	ck_assert(!readiness_accept(rd, &r, "office-12", NOW, reason, sizeof(reason)));
	readiness_reject(rd, 12);
	ck_assert_int_eq(e->eval.state, READINESS_READY); /* previous state stays */
	ck_assert_uint_eq(e->rejected, 1);
	ck_assert_uint_eq(rd->rejected, 1);

	/* From the future (beyond clock skew). */
	r = good(NOW + 2 * DAY);
	ck_assert(!readiness_accept(rd, &r, "office-12", NOW, reason, sizeof(reason)));

	/* 40 days on: stale, unknown, score kept. */
	readiness_tick(rd, NOW + 40 * DAY);
	ck_assert_int_eq(e->eval.state, READINESS_UNKNOWN);
	ck_assert(seen.stale);
	ck_assert_ptr_nonnull(strstr(readiness_reason(e), "days old (max 35)"));
	r = good(NOW + 39 * DAY);
	ck_assert(readiness_accept(rd, &r, "office-12", NOW + 40 * DAY, reason, sizeof(reason)));
	ck_assert(!seen.stale);
	ck_assert_int_eq(e->eval.state, READINESS_READY);

	/* A reload keeps everything. */
	struct readiness *next = readiness_create(&cfg, rd, NOW + 40 * DAY);
	readiness_free(rd);
	e = readiness_find(next, 12);
	ck_assert(e->have_report);
	ck_assert_str_eq(e->d->signer, "office-12"); /* the detail moved over */
	ck_assert_uint_eq(next->accepted, 2);
	ck_assert_int_eq(e->eval.state, READINESS_READY);
	readiness_free(next);
}
END_TEST

START_TEST(cert_expiry)
{
	struct readiness *rd = readiness_create(&cfg, NULL, NOW);
	struct tls_result t = {.verify = TLS_OK, .have_cert = true, .days_left = 4};

	memset(&seen, 0, sizeof(seen));
	readiness_set_listener(rd, &listener);
	snprintf(t.protocol, sizeof(t.protocol), "TLSv1.3");
	readiness_tls_result(rd, 12, &t, NOW);
	ck_assert(seen.expiring);
	ck_assert_int_eq(seen.cert_calls, 1);
	t.days_left = 30; /* still at the limit: no clear */
	readiness_tls_result(rd, 12, &t, NOW);
	ck_assert_int_eq(seen.cert_calls, 1);
	struct tls_result down = {.verify = TLS_UNREACHABLE};
	readiness_tls_result(rd, 12, &down, NOW); /* keeps what it knew */
	ck_assert_int_eq(readiness_find(rd, 12)->tls_days_left, 30);
	ck_assert_str_eq(readiness_find(rd, 12)->d->tls_protocol, "TLSv1.3");
	t.days_left = 399;
	readiness_tls_result(rd, 12, &t, NOW);
	ck_assert(!seen.expiring);
	ck_assert_int_eq(seen.cert_calls, 2);
	readiness_free(rd);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("readiness");
	TCase *tc = tcase_create("readiness");

	setenv("TZ", "Asia/Ho_Chi_Minh", 1);
	tcase_add_test(tc, rules);
	tcase_add_test(tc, accept_replay_stale);
	tcase_add_test(tc, cert_expiry);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
