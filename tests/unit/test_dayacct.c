/* Unit tests for dayacct: local midnight splits, the day before kept,
 * older days dropped, unknown by construction, RTT/loss and traffic. */
#include "unit.h"
#include <stdlib.h>
#include <string.h>

#include "dayacct.h"

/* 2026-03-01 00:00 in Asia/Ho_Chi_Minh (UTC+7) is 2026-02-28 17:00 UTC. */
#define MIDNIGHT 1772298000

static void setup(void)
{
	setenv("TZ", "Asia/Ho_Chi_Minh", 1);
	tzset();
	dayacct_zone_changed();
}

START_TEST(test_local_day_and_bounds)
{
	time_t start, end;
	int32_t day = dayacct_local_day(MIDNIGHT);

	ck_assert_int_eq(dayacct_local_day(MIDNIGHT - 1), day - 1);
	dayacct_bounds(day, &start, &end);
	ck_assert_int_eq(start, MIDNIGHT);
	ck_assert_int_eq(end, MIDNIGHT + 86400);
	ck_assert_int_eq(day, 20513); /* 2026-03-01 */
}
END_TEST

START_TEST(test_split_at_local_midnight)
{
	struct day_acct a = {0};
	int32_t day = dayacct_local_day(MIDNIGHT);

	dayacct_time(&a, DAY_UP, MIDNIGHT - 600, MIDNIGHT - 300);
	dayacct_time(&a, DAY_DOWN, MIDNIGHT - 300, MIDNIGHT + 200);
	dayacct_time(&a, DAY_DEGRADED, MIDNIGHT + 200, MIDNIGHT + 260);
	dayacct_time(&a, DAY_UNKNOWN, MIDNIGHT + 260, MIDNIGHT + 900);
	dayacct_time(&a, DAY_MAINT, MIDNIGHT + 900, MIDNIGHT + 1000);
	const struct day_totals *y = dayacct_get(&a, day - 1), *t = dayacct_get(&a, day);
	ck_assert_ptr_nonnull(y);
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(y->up_s, 300);
	ck_assert_uint_eq(y->down_s, 300);
	ck_assert_uint_eq(t->down_s, 200);
	ck_assert_uint_eq(t->degraded_s, 60);
	ck_assert_uint_eq(t->maint_s, 100);
	/* Unknown: what the day so far leaves over; the whole rest once over. */
	ck_assert_uint_eq(dayacct_unknown_s(t, MIDNIGHT + 1000), 1000 - 360);
	ck_assert_uint_eq(dayacct_unknown_s(y, MIDNIGHT + 1000), 86400 - 600);
	/* Two days on: yesterday rolls out; an old interval is dropped. */
	dayacct_time(&a, DAY_UP, MIDNIGHT + 2 * 86400, MIDNIGHT + 2 * 86400 + 10);
	ck_assert_ptr_null(dayacct_get(&a, day - 1));
	ck_assert_ptr_null(dayacct_get(&a, day)); /* not the day before the new one */
	dayacct_time(&a, DAY_DOWN, MIDNIGHT, MIDNIGHT + 50);
	ck_assert_ptr_null(dayacct_get(&a, day));
	ck_assert_uint_eq(dayacct_get(&a, day + 2)->up_s, 10);
}
END_TEST

START_TEST(test_never_more_than_a_day)
{
	struct day_acct a = {0};

	for (int i = 0; i < 3; i++) /* the same day accounted three times over */
		dayacct_time(&a, DAY_UP, MIDNIGHT, MIDNIGHT + 86399);
	ck_assert_uint_le(a.cur.up_s, 86400 + 3600);
}
END_TEST

START_TEST(test_rounds_and_traffic)
{
	struct day_acct a = {0};
	uint64_t oct[2] = {1000, 2000}, bps[2] = {800, 1600}, bps2[2] = {900, 100};

	dayacct_round(&a, MIDNIGHT + 5, 3, 3, 1000, 1500);
	dayacct_round(&a, MIDNIGHT + 15, 3, 1, 4000, 4000);
	dayacct_round(&a, MIDNIGHT + 25, 3, 0, 0, 0);
	ck_assert_uint_eq(a.cur.attempts, 9);
	ck_assert_uint_eq(a.cur.answers, 4);
	ck_assert_uint_eq(a.cur.rtt_sum_us / a.cur.answers, 1750);
	ck_assert_uint_eq(a.cur.rtt_max_us, 4000);
	dayacct_traffic(&a, MIDNIGHT + 60, oct, 1000, bps);
	dayacct_traffic(&a, MIDNIGHT + 70, oct, 1000, bps2);
	ck_assert_uint_eq(a.cur.octets[1], 4000);
	ck_assert_uint_eq(a.cur.poll_cs, 2000);
	ck_assert_uint_eq(a.cur.peak_bps[0], 900);
	ck_assert_uint_eq(a.cur.peak_bps[1], 1600);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("dayacct");
	TCase *tc = tcase_create("dayacct");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_local_day_and_bounds);
	tcase_add_test(tc, test_split_at_local_midnight);
	tcase_add_test(tc, test_never_more_than_a_day);
	tcase_add_test(tc, test_rounds_and_traffic);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
