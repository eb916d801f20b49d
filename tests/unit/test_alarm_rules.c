/*
 * alarm_rules: model transitions in, raise/clear decisions out, with the
 * severity, figures and text the NOC receives.  No Net-SNMP: the rules'
 * sink is a recorder here.
 */
#include "unit.h"
#include "unit_config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alarm_rules.h"
#include "heightened.h"
#include "model.h"

#define T0 1767225600 /* 2026-01-01 00:00:00 UTC */

static struct alarm_decision got[64];
static size_t n_got;

static void record(const struct alarm_decision *d)
{
	if (n_got < sizeof(got) / sizeof(got[0]))
		got[n_got++] = *d;
}

/* The first decision about type, or NULL. */
static const struct alarm_decision *decision(unsigned type)
{
	for (size_t i = 0; i < n_got; i++)
		if (got[i].key.type == type)
			return &got[i];
	return NULL;
}

static const struct model_listener rules = {
    .line_changed = alarm_rules_line_changed,
    .office_changed = alarm_rules_office_changed,
};

#define OFFICE_7                                                                                   \
	"office {\n id = 7\n code = \"BN-X01\"\n name = \"UBND\"\n level = province\n"             \
	" line { id = 2 carrier = vnpt circuit = \"VNPT-1\" bandwidth = 100000"                    \
	" target = \"127.0.0.1\" }\n}\n"

static struct model *model_of(const char *notify, const char *offices);

/* Office 7 "BN-X01" with one VNPT line; down after 3 bad rounds, up after
 * 2 good ones; a heightened period on 1 January 2026. */
static struct model *model_one_line(const char *notify)
{
	return model_of(notify, OFFICE_7);
}

/* The same settings with other offices (and sections after them). */
static struct model *model_of(const char *notify, const char *offices)
{
	setenv("TZ", "UTC", 1);
	tzset();
	struct tslcd_config *cfg =
	    unit_config("probe {\n down-after = 3\n up-after = 2\n}\n"
	                "notify {\n %s\n heightened \"Tet\" { from = \"2026-01-01T00:00\""
	                " to = \"2026-01-02T00:00\" }\n}\n%s",
	                notify, offices);
	struct model *m = model_create(cfg, NULL, T0, 1000u);
	ck_assert_ptr_nonnull(m);
	model_set_listener(m, &rules);
	heightened_bind(&cfg->notify);
	alarm_rules_set_sink(record);
	alarm_rules_bind(m);
	n_got = 0;
	return m;
}

static void line_rounds(struct model *m, uint32_t office, uint32_t line, bool ok, int n, time_t *t)
{
	struct probe_result r = {.outcome = PROBE_NO_ANSWER, .sent = 3};

	if (ok)
		r = (struct probe_result){PROBE_OK, 3, 3, 900, 1000, 1100, 40};
	for (int i = 0; i < n; i++, *t += 10) {
		uint64_t mono = (uint64_t)(*t - T0) * 1000u + 1000u;
		model_tick(m, *t, mono);
		model_line_round(m, model_find_line(m, office, line), &r, false, *t, mono);
	}
}

static void rounds(struct model *m, bool ok, int n, time_t *t)
{
	line_rounds(m, 7, 2, ok, n, t);
}

START_TEST(line_down_and_up)
{
	struct model *m = model_one_line("");
	time_t t = T0;

	rounds(m, true, 3, &t);
	n_got = 0;
	rounds(m, false, 3, &t);
	const struct alarm_decision *d = decision(ALARM_LINE_DOWN);
	ck_assert_ptr_nonnull(d);
	ck_assert(d->raise);
	ck_assert_uint_eq(d->key.office, 7);
	ck_assert_uint_eq(d->key.line, 2);
	ck_assert_uint_eq(d->severity, m->cfg->notify.severity[ALARM_LINE_DOWN]);
	ck_assert_int_eq(d->value, 3);
	ck_assert_int_eq(d->threshold, 3);
	ck_assert_str_eq(d->text,
	                 "Line 2 (VNPT VNPT-1) of BN-X01 UBND is down: 3 failed probe rounds "
	                 "(limit 3)");
	/* Its only line down: the office is isolated, after the line. */
	d = decision(ALARM_OFFICE_ISOLATED);
	ck_assert_ptr_nonnull(d);
	ck_assert(d->raise && d == &got[1]);
	ck_assert_int_eq(d->value, 0);
	ck_assert_int_eq(d->threshold, 1);
	ck_assert_str_eq(d->text, "Office BN-X01 UBND is isolated: none of its 1 line(s) works");

	n_got = 0;
	rounds(m, true, 2, &t);
	d = decision(ALARM_LINE_DOWN);
	ck_assert_ptr_nonnull(d);
	ck_assert(!d->raise);
	ck_assert_uint_eq(d->severity, SEV_CLEARED);
	ck_assert_int_eq(d->value, 2);
	ck_assert_int_eq(d->threshold, 2);
	ck_assert_str_eq(d->text, "Line 2 (VNPT VNPT-1) of BN-X01 UBND is up again");
	d = decision(ALARM_OFFICE_ISOLATED);
	ck_assert_ptr_nonnull(d);
	ck_assert(!d->raise);
	ck_assert_str_eq(d->text, "Office BN-X01 UBND is restored: 1 line(s) up (now up)");
	model_free(m);
}
END_TEST

/* After a restart: what holds is raised, what no longer holds is cleared. */
START_TEST(standing_states)
{
	struct model *m = model_one_line("");
	time_t t = T0;

	rounds(m, true, 3, &t);
	n_got = 0;
	alarm_rules_standing(m, false);
	ck_assert_uint_eq(n_got, 0); /* up: nothing to raise */
	alarm_rules_standing(m, true);
	ck_assert_uint_eq(n_got, 3); /* down, isolated, degraded: all owed clears */
	for (size_t i = 0; i < n_got; i++)
		ck_assert(!got[i].raise);
	ck_assert_uint_eq(got[0].key.type, ALARM_LINE_DOWN);
	ck_assert_uint_eq(got[1].key.type, ALARM_OFFICE_ISOLATED);
	ck_assert_uint_eq(got[2].key.type, ALARM_LINE_DEGRADED);

	model_set_listener(m, &(struct model_listener){0});
	rounds(m, false, 3, &t);
	n_got = 0;
	alarm_rules_standing(m, false);
	ck_assert_uint_eq(n_got, 2);
	ck_assert(got[0].raise && got[0].key.type == ALARM_LINE_DOWN);
	ck_assert(got[1].raise && got[1].key.type == ALARM_OFFICE_ISOLATED);
	model_free(m);
}
END_TEST

START_TEST(utilisation_redundancy_flapping)
{
	struct model *m = model_one_line("");
	const struct line *l = model_find_line(m, 7, 2);
	struct flap_params fp = {4, 60};

	alarm_rules_utilisation_high(NULL, l, BW_OUT, 931000, 900000);
	ck_assert(got[0].raise && got[0].key.type == ALARM_UTILISATION_HIGH);
	ck_assert_int_eq(got[0].value, 931000);
	ck_assert_int_eq(got[0].threshold, 900000);
	ck_assert_str_eq(
	    got[0].text,
	    "Line 2 (VNPT-1) of BN-X01: p95 out 93.10 % of 100 Mbit/s (raise at 90 %)");
	alarm_rules_utilisation_cleared(NULL, l, BW_IN, 700000, 800000);
	ck_assert(!got[1].raise);
	ck_assert_str_eq(got[1].text,
	                 "Line 2 (VNPT-1) of BN-X01: p95 in 70 % of 100 Mbit/s (clear at 80 %)");

	n_got = 0;
	alarm_rules_redundancy_noncompliant(NULL, l->office, 1, 2);
	alarm_rules_redundancy_compliant(NULL, l->office, 2, 2);
	ck_assert(got[0].raise && got[0].key.type == ALARM_REDUNDANCY);
	ck_assert_uint_eq(got[0].key.line, 0);
	ck_assert_int_eq(got[0].value, 1);
	ck_assert_int_eq(got[0].threshold, 2);
	ck_assert_str_eq(got[0].text, ""); /* the notifier's default names the office */
	ck_assert(!got[1].raise && got[1].value == 2);

	n_got = 0;
	alarm_rules_flapping(l, true, 5, &fp);
	alarm_rules_flapping(l, false, 0, &fp);
	ck_assert(got[0].raise && got[0].key.type == ALARM_LINE_FLAPPING);
	ck_assert_int_eq(got[0].value, 5);
	ck_assert_int_eq(got[0].threshold, 4);
	ck_assert_str_eq(got[0].text, "Line 2 (VNPT VNPT-1) of BN-X01 UBND is flapping: 5 state "
	                              "changes in 60 s (limit 4)");
	ck_assert(!got[1].raise);
	ck_assert_str_eq(got[1].text,
	                 "Line 2 (VNPT VNPT-1) of BN-X01 UBND is stable again for 60 s: unknown");
	model_free(m);
}
END_TEST

/* No target: an availability alarm left from an earlier config is cleared. */
START_TEST(availability_without_target)
{
	struct model *m = model_one_line("sla-target = 0");

	alarm_rules_availability(m, T0 + 3600);
	ck_assert_uint_eq(n_got, 1);
	ck_assert(!got[0].raise && got[0].key.type == ALARM_AVAILABILITY_LOW);
	ck_assert_str_eq(got[0].text, "no availability target configured");
	model_free(m);
}
END_TEST

/* A heightened period raises severities one step and ends on time. */
START_TEST(heightened_period)
{
	struct model *m = model_one_line("");
	uint8_t normal = heightened_severity(ALARM_LINE_DOWN);

	ck_assert_str_eq(heightened_name(), "");
	ck_assert(heightened_tick(T0 + 60));
	ck_assert_str_eq(heightened_name(), "Tet");
	ck_assert_ptr_nonnull(heightened_thresholds());
	ck_assert_uint_eq(heightened_severity(ALARM_LINE_DOWN),
	                  alarm_severity_raised((enum severity)normal));
	alarm_rules_flapping(model_find_line(m, 7, 2), true, 5, &(struct flap_params){4, 60});
	ck_assert_uint_eq(got[0].severity, heightened_severity(ALARM_LINE_FLAPPING));
	ck_assert(!heightened_tick(T0 + 120));
	ck_assert(heightened_tick(T0 + 86400));
	ck_assert_ptr_null(heightened_thresholds());
	ck_assert_uint_eq(heightened_severity(ALARM_LINE_DOWN), normal);
	model_free(m);
}
END_TEST

/* The readiness rules carry the engine's figures for the notification. */
START_TEST(readiness_edges)
{
	struct model *m = model_one_line("");
	struct readiness_detail d = {.reason = "no inspection"};
	struct office_readiness e = {.office_id = 7, .cfg = m->offices[0].cfg, .d = &d};

	e.eval = (struct readiness_verdict){READINESS_NOT_READY, 40};
	alarm_rules_readiness_state(NULL, &e, READINESS_READY);
	ck_assert_uint_eq(n_got, 1);
	ck_assert(got[0].raise && got[0].key.type == ALARM_READINESS_NOT_READY);
	ck_assert_int_eq(got[0].value, 40);
	ck_assert_int_eq(got[0].threshold, 100);
	ck_assert_str_eq(got[0].text, "BN-X01: readiness notReady: no inspection");
	ck_assert_ptr_nonnull(got[0].extra);

	e.eval = (struct readiness_verdict){READINESS_PARTIAL, 70};
	d.reason[0] = '\0';
	alarm_rules_readiness_state(NULL, &e, READINESS_READY);
	ck_assert_uint_eq(n_got, 1); /* neither from nor to notReady: nothing due */
	alarm_rules_readiness_state(NULL, &e, READINESS_NOT_READY);
	ck_assert(!got[1].raise && got[1].severity == SEV_CLEARED);
	ck_assert_str_eq(got[1].text, "BN-X01: readiness partial");

	alarm_rules_report_stale(NULL, &e, true);
	ck_assert(got[2].raise && got[2].key.type == ALARM_REPORT_STALE);
	ck_assert_int_eq(got[2].threshold, (int32_t)m->cfg->readiness.max_age_days);
	ck_assert_str_eq(got[2].text, "BN-X01: no readiness report received");
	model_free(m);
}
END_TEST

START_TEST(human_figures)
{
	char b[24];
	ck_assert_str_eq(alarm_rules_human(b, sizeof(b), 1000000, false), "100 %");
	ck_assert_str_eq(alarm_rules_human(b, sizeof(b), 400000, false), "40 %");
	ck_assert_str_eq(alarm_rules_human(b, sizeof(b), 12345, false), "1.23 %");
	ck_assert_str_eq(alarm_rules_human(b, sizeof(b), 999950, false), "99.99 %");
	ck_assert_str_eq(alarm_rules_human(b, sizeof(b), 0, false), "0 %");
	ck_assert_str_eq(alarm_rules_human(b, sizeof(b), 200000, true), "200 ms");
	ck_assert_str_eq(alarm_rules_human(b, sizeof(b), 1500, true), "1.50 ms");
	ck_assert_str_eq(alarm_rules_human(b, sizeof(b), 999, true), "0.99 ms");
}
END_TEST

#define COMMUNE_OFFICE(id)                                                                         \
	"office {\n id = " #id " code = \"X" #id "\" name = \"X" #id "\" level = commune"          \
	" commune = \"09100\"\n line { id = 1 carrier = vnpt bandwidth = 1000"                     \
	" target = \"127.0.0.1\" }\n}\n"

static size_t count_decisions(unsigned type, bool raise)
{
	size_t n = 0;
	for (size_t i = 0; i < n_got; i++)
		n += got[i].key.type == type && got[i].raise == raise;
	return n;
}

/* Three offices of commune 09100 isolated within the window: one
 * areaOutage, and the offices' own raises wait a hold and are covered.
 * When fewer than clear-below are isolated it clears, and the office
 * still isolated gets a fresh hold. */
START_TEST(area_outage)
{
	struct model *m = model_of(
	    "", "area-outage { min-offices = 3 window = 120 clear-below = 2 }\n" COMMUNE_OFFICE(1)
	            COMMUNE_OFFICE(2) COMMUNE_OFFICE(3) COMMUNE_OFFICE(4));
	time_t t = T0;

	for (uint32_t o = 1; o <= 4; o++)
		line_rounds(m, o, 1, true, 2, &t);
	n_got = 0;
	for (uint32_t o = 1; o <= 4; o++)
		line_rounds(m, o, 1, false, 3, &t);
	const struct alarm_decision *d = decision(ALARM_LINE_DOWN);
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(d->hold_s, m->cfg->area.hold_s);
	ck_assert_uint_gt(d->hold_s, 0);
	ck_assert_uint_eq(count_decisions(ALARM_AREA_OUTAGE, true), 1);
	d = decision(ALARM_AREA_OUTAGE);
	ck_assert_uint_eq(d->key.office, 1); /* the only group */
	ck_assert_int_eq(d->value, 3);
	ck_assert_int_eq(d->threshold, 3);
	ck_assert_str_eq(d->text,
	                 "Area outage in commune 09100: 3 of 4 offices isolated within 120 s "
	                 "(cause: unknown)");
	struct alarm_key k = {ALARM_OFFICE_ISOLATED, 4, 0};
	ck_assert(alarm_rules_covered(&k));
	k.type = ALARM_AREA_OUTAGE;
	ck_assert(!alarm_rules_covered(&k));
	n_got = 0;
	for (uint32_t o = 1; o <= 3; o++)
		line_rounds(m, o, 1, true, 2, &t);
	ck_assert_uint_eq(count_decisions(ALARM_AREA_OUTAGE, false), 1);
	k.type = ALARM_OFFICE_ISOLATED;
	ck_assert(!alarm_rules_covered(&k));
	/* Office 4 is still cut: raised again, with a fresh hold. */
	size_t again = 0;
	for (size_t i = 0; i < n_got; i++)
		again += got[i].raise && got[i].key.office == 4 && got[i].hold_s > 0;
	ck_assert_uint_eq(again, 3); /* lineDown, officeIsolated, redundancy */
	model_free(m);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("alarm_rules");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, line_down_and_up);
	tcase_add_test(tc, standing_states);
	tcase_add_test(tc, utilisation_redundancy_flapping);
	tcase_add_test(tc, availability_without_target);
	tcase_add_test(tc, heightened_period);
	tcase_add_test(tc, readiness_edges);
	tcase_add_test(tc, human_figures);
	tcase_add_test(tc, area_outage);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
