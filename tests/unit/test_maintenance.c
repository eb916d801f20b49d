/*
 * Unit tests for maintenance windows: parsing, activity and next change.
 * TZ is Asia/Ho_Chi_Minh; 2026-03-01 is a Sunday.
 */
#include "unit.h"
#include <stdlib.h>
#include <string.h>

#include "maintenance.h"

static void tz_vietnam(void)
{
	setenv("TZ", "Asia/Ho_Chi_Minh", 1);
	tzset();
}

static void tz_berlin(void)
{
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
}

static void tz_none(void)
{
}

static time_t lt(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm = {.tm_year = y - 1900,
	                .tm_mon = mo - 1,
	                .tm_mday = d,
	                .tm_hour = h,
	                .tm_min = mi,
	                .tm_sec = s,
	                .tm_isdst = -1};

	return mktime(&tm);
}

static struct maint_window parse_ok(const char *spec)
{
	struct maint_window w;
	char err[160] = "";

	ck_assert_msg(maint_parse(spec, &w, err, sizeof(err)), "'%s': %s", spec, err);
	return w;
}

START_TEST(test_parse_good)
{
	struct maint_window w;

	w = parse_ok("weekly SUN 01:00-03:30");
	ck_assert_uint_eq(w.kind, MAINT_RECURRING);
	ck_assert_uint_eq(w.days, 0x01);
	ck_assert_uint_eq(w.start_min, 60);
	ck_assert_uint_eq(w.end_min, 210);
	w = parse_ok("daily 23:00-01:00");
	ck_assert_uint_eq(w.days, MAINT_ALL_DAYS);
	ck_assert_uint_eq(w.start_min, 23 * 60);
	ck_assert_uint_eq(w.end_min, 60);
	w = parse_ok("  WEEKLY\tsat,Sun  00:00-24:00 ");
	ck_assert_uint_eq(w.days, 0x41);
	ck_assert_uint_eq(w.end_min, 1440);
	w = parse_ok("weekly MON-FRI 12:00-13:00");
	ck_assert_uint_eq(w.days, 0x3e);
	w = parse_ok("weekly FRI-MON,WED 12:00-13:00");
	ck_assert_uint_eq(w.days, 0x6b);
	w = parse_ok("once 2026-02-10T22:00 2026-02-11T02:00");
	ck_assert_uint_eq(w.kind, MAINT_ONCE);
	ck_assert_int_eq(w.start, lt(2026, 2, 10, 22, 0, 0));
	ck_assert_int_eq(w.end, lt(2026, 2, 11, 2, 0, 0));
	ck_assert_int_eq(w.end - w.start, 4 * 3600);
	w = parse_ok("once 2028-02-29T00:00 2028-02-29T01:00");
	ck_assert_int_eq(w.end - w.start, 3600);
}
END_TEST

static const struct {
	const char *spec;
	const char *why; /* expected substring of the error */
} bad_specs[] = {
    {"", "empty"},
    {"   ", "empty"},
    {"monthly 01:00-02:00", "unknown window kind 'monthly'"},
    {"weekly SNU 01:00-02:00", "bad day 'SNU'"},
    {"weekly SUNDAY 01:00-02:00", "bad day 'SUNDAY'"},
    {"weekly SUN,,MON 01:00-02:00", "bad day ''"},
    {"weekly SUN, 01:00-02:00", "ends with a comma"},
    {"weekly MON-XYZ 01:00-02:00", "bad day 'MON-XYZ'"},
    {"weekly SUN 1:00-02:00", "bad time range '1:00-02:00'"},
    {"weekly SUN 25:00-02:00", "bad time range"},
    {"weekly SUN 01:60-02:00", "bad time range"},
    {"weekly SUN 24:00-02:00", "bad time range"},
    {"weekly SUN 01:00-24:01", "bad time range"},
    {"weekly SUN 01:00-02:00x", "bad time range"},
    {"weekly SUN 01:00+02:00", "bad time range"},
    {"weekly SUN +1:00-02:00", "bad time range"},
    {"daily 01:00-01:00", "is empty"},
    {"weekly 01:00-02:00", "'weekly' needs"},
    {"daily 01:00-02:00 03:00-04:00", "'daily' needs"},
    {"once 2026-02-10T22:00", "'once' needs"},
    {"once 2026-02-10 22:00 2026-02-11T02:00", "'once' needs"},
    {"once 2026-02-11T02:00 2026-02-10T22:00", "is not after start"},
    {"once 2026-02-10T22:00 2026-02-10T22:00", "is not after start"},
    {"once 2026-02-30T22:00 2026-03-01T00:00", "no such date '2026-02-30T22:00'"},
    {"once 2026-02-28T22:00 2026-13-01T00:00", "no such date"},
    {"once 2026-2-10T22:00 2026-02-11T02:00", "bad date-time '2026-2-10T22:00'"},
    {"once 2026-02-10T24:00 2026-02-11T02:00", "bad date-time"},
    {"once 2026-02-10t22:00 2026-02-11T02:00", "bad date-time"},
    {"weekly SUN 01:00-02:00 extra", "'weekly' needs"},
    {"a b c d e", "too many fields"},
};

START_TEST(test_parse_bad)
{
	struct maint_window w = {.kind = 77};
	char err[160] = "";

	ck_assert_msg(!maint_parse(bad_specs[_i].spec, &w, err, sizeof(err)), "'%s' accepted",
	              bad_specs[_i].spec);
	ck_assert_msg(strstr(err, bad_specs[_i].why), "'%s': error '%s' lacks '%s'",
	              bad_specs[_i].spec, err, bad_specs[_i].why);
	ck_assert_uint_eq(w.kind, 77); /* untouched on failure */
}
END_TEST

START_TEST(test_parse_error_buffer)
{
	struct maint_window w;
	char err[8];

	memset(err, 'x', sizeof(err));
	ck_assert(!maint_parse("weekly SNU 01:00-02:00", &w, err, sizeof(err)));
	ck_assert_uint_eq(strlen(err), sizeof(err) - 1);
	ck_assert(!maint_parse("weekly SNU 01:00-02:00", &w, NULL, 0));
}
END_TEST

START_TEST(test_weekly_crossing_week_end)
{
	struct maint_window w = parse_ok("weekly SUN 23:00-01:00");

	ck_assert(!maint_active(&w, 1, lt(2026, 3, 1, 22, 59, 59)));
	ck_assert(maint_active(&w, 1, lt(2026, 3, 1, 23, 0, 0)));
	ck_assert(maint_active(&w, 1, lt(2026, 3, 2, 0, 30, 0))); /* Monday */
	ck_assert(maint_active(&w, 1, lt(2026, 3, 2, 0, 59, 59)));
	ck_assert(!maint_active(&w, 1, lt(2026, 3, 2, 1, 0, 0)));
	ck_assert(!maint_active(&w, 1, lt(2026, 2, 28, 23, 30, 0))); /* Saturday */
	ck_assert(!maint_active(&w, 1, lt(2026, 3, 3, 0, 30, 0)));   /* Tuesday */

	ck_assert_int_eq(maint_next_change(&w, 1, lt(2026, 3, 1, 22, 0, 0)),
	                 lt(2026, 3, 1, 23, 0, 0));
	ck_assert_int_eq(maint_next_change(&w, 1, lt(2026, 3, 1, 23, 0, 0)),
	                 lt(2026, 3, 2, 1, 0, 0));
	ck_assert_int_eq(maint_next_change(&w, 1, lt(2026, 3, 2, 0, 10, 0)),
	                 lt(2026, 3, 2, 1, 0, 0));
	ck_assert_int_eq(maint_next_change(&w, 1, lt(2026, 3, 2, 1, 0, 0)),
	                 lt(2026, 3, 8, 23, 0, 0));
	ck_assert_int_eq(maint_next_change(&w, 1, lt(2026, 3, 7, 23, 30, 0)),
	                 lt(2026, 3, 8, 23, 0, 0));
}
END_TEST

START_TEST(test_weekly_same_day)
{
	struct maint_window w = parse_ok("weekly SUN 01:00-03:30");

	ck_assert(!maint_active(&w, 1, lt(2026, 3, 1, 0, 59, 59)));
	ck_assert(maint_active(&w, 1, lt(2026, 3, 1, 1, 0, 0)));
	ck_assert(maint_active(&w, 1, lt(2026, 3, 1, 3, 29, 59)));
	ck_assert(!maint_active(&w, 1, lt(2026, 3, 1, 3, 30, 0)));
	ck_assert(!maint_active(&w, 1, lt(2026, 3, 7, 1, 30, 0)));
	ck_assert_int_eq(maint_next_change(&w, 1, lt(2026, 3, 1, 4, 0, 0)),
	                 lt(2026, 3, 8, 1, 0, 0));
	ck_assert_int_eq(maint_next_change(&w, 1, lt(2026, 3, 1, 2, 0, 0)),
	                 lt(2026, 3, 1, 3, 30, 0));
}
END_TEST

START_TEST(test_daily_crossing_midnight)
{
	struct maint_window w = parse_ok("daily 23:00-01:00");

	for (int d = 1; d <= 7; d++) {
		ck_assert(maint_active(&w, 1, lt(2026, 3, d, 0, 30, 0)));
		ck_assert(maint_active(&w, 1, lt(2026, 3, d, 23, 0, 0)));
		ck_assert(!maint_active(&w, 1, lt(2026, 3, d, 1, 0, 0)));
		ck_assert(!maint_active(&w, 1, lt(2026, 3, d, 22, 59, 59)));
	}
	ck_assert_int_eq(maint_next_change(&w, 1, lt(2026, 3, 4, 12, 0, 0)),
	                 lt(2026, 3, 4, 23, 0, 0));
	ck_assert_int_eq(maint_next_change(&w, 1, lt(2026, 3, 4, 23, 59, 0)),
	                 lt(2026, 3, 5, 1, 0, 0));
	/* Crossing a month and a year end. */
	ck_assert(maint_active(&w, 1, lt(2027, 1, 1, 0, 15, 0)));
	ck_assert_int_eq(maint_next_change(&w, 1, lt(2026, 12, 31, 23, 30, 0)),
	                 lt(2027, 1, 1, 1, 0, 0));
}
END_TEST

START_TEST(test_once)
{
	struct maint_window w = parse_ok("once 2026-02-10T22:00 2026-02-11T02:00");
	time_t s = lt(2026, 2, 10, 22, 0, 0), e = lt(2026, 2, 11, 2, 0, 0);

	ck_assert(!maint_active(&w, 1, s - 1));
	ck_assert(maint_active(&w, 1, s));
	ck_assert(maint_active(&w, 1, e - 1));
	ck_assert(!maint_active(&w, 1, e));
	ck_assert_int_eq(maint_next_change(&w, 1, s - 3600), s);
	ck_assert_int_eq(maint_next_change(&w, 1, s), e);
	ck_assert_int_eq(maint_next_change(&w, 1, e), MAINT_NO_CHANGE);
	ck_assert_int_eq(maint_next_change(&w, 1, e + 86400), MAINT_NO_CHANGE);
}
END_TEST

START_TEST(test_several_windows)
{
	struct maint_window w[3];

	w[0] = parse_ok("daily 01:00-03:00");
	w[1] = parse_ok("once 2026-03-04T02:00 2026-03-04T05:00");
	w[2] = parse_ok("weekly SAT 10:00-11:00");
	ck_assert(!maint_active(w, 3, lt(2026, 3, 4, 0, 0, 0)));
	ck_assert(maint_active(w, 3, lt(2026, 3, 4, 4, 0, 0)));
	ck_assert(maint_active(w, 3, lt(2026, 3, 7, 10, 30, 0)));
	ck_assert(!maint_active(w, 2, lt(2026, 3, 7, 10, 30, 0)));
	ck_assert_int_eq(maint_next_change(w, 3, lt(2026, 3, 4, 0, 0, 0)), lt(2026, 3, 4, 1, 0, 0));
	/* 02:00 and 03:00 are boundaries but no flip: the once window covers them. */
	ck_assert_int_eq(maint_next_change(w, 3, lt(2026, 3, 4, 1, 30, 0)),
	                 lt(2026, 3, 4, 5, 0, 0));
	ck_assert_int_eq(maint_next_change(w, 3, lt(2026, 3, 7, 3, 0, 0)),
	                 lt(2026, 3, 7, 10, 0, 0));

	/* Back-to-back windows are one maintenance period. */
	w[0] = parse_ok("daily 01:00-02:00");
	w[1] = parse_ok("daily 02:00-03:00");
	ck_assert_int_eq(maint_next_change(w, 2, lt(2026, 3, 4, 1, 30, 0)),
	                 lt(2026, 3, 4, 3, 0, 0));
}
END_TEST

START_TEST(test_no_windows_and_always)
{
	time_t now = lt(2026, 3, 4, 12, 0, 0);
	struct maint_window w = parse_ok("daily 00:00-24:00");

	ck_assert(!maint_active(NULL, 0, now));
	ck_assert_int_eq(maint_next_change(NULL, 0, now), MAINT_NO_CHANGE);
	ck_assert(maint_active(&w, 1, now));
	ck_assert(maint_active(&w, 1, lt(2026, 3, 5, 0, 0, 0)));
	/* Never flips: a distant wake-up rather than none or a busy loop. */
	ck_assert_int_gt(maint_next_change(&w, 1, now), now + 30 * 86400);
}
END_TEST

/* DST zone: on 2026-03-29 02:00-03:00 does not exist in Berlin; mktime
 * moves the window past the gap, to 03:00-03:30 CEST, as cron would. */
START_TEST(test_dst_gap)
{
	struct maint_window w = parse_ok("daily 02:00-02:30");
	time_t gap_start = lt(2026, 3, 29, 1, 59, 59) + 1;

	ck_assert(maint_active(&w, 1, lt(2026, 3, 28, 2, 15, 0)));
	ck_assert(!maint_active(&w, 1, lt(2026, 3, 29, 1, 59, 0)));
	ck_assert(maint_active(&w, 1, gap_start + 10 * 60));
	ck_assert(!maint_active(&w, 1, gap_start + 30 * 60));
	ck_assert_int_eq(maint_next_change(&w, 1, lt(2026, 3, 28, 12, 0, 0)), gap_start);
	ck_assert_int_eq(maint_next_change(&w, 1, gap_start), gap_start + 30 * 60);
	ck_assert_int_eq(maint_next_change(&w, 1, gap_start + 30 * 60), lt(2026, 3, 30, 2, 0, 0));
}
END_TEST

static Suite *maintenance_suite(void)
{
	Suite *s = suite_create("maintenance");
	TCase *tc = tcase_create("vietnam");
	TCase *dst = tcase_create("dst");

	tcase_add_checked_fixture(tc, tz_vietnam, tz_none);
	tcase_add_test(tc, test_parse_good);
	tcase_add_loop_test(tc, test_parse_bad, 0, sizeof(bad_specs) / sizeof(bad_specs[0]));
	tcase_add_test(tc, test_parse_error_buffer);
	tcase_add_test(tc, test_weekly_crossing_week_end);
	tcase_add_test(tc, test_weekly_same_day);
	tcase_add_test(tc, test_daily_crossing_midnight);
	tcase_add_test(tc, test_once);
	tcase_add_test(tc, test_several_windows);
	tcase_add_test(tc, test_no_windows_and_always);
	tcase_add_checked_fixture(dst, tz_berlin, tz_none);
	tcase_add_test(dst, test_dst_gap);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, dst);
	return s;
}

int main(void)
{
	return unit_run(maintenance_suite());
}
