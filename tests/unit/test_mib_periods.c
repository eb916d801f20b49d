/* The previous month and quarter as the office and line tables serve them
 * (mib_avail_*): absent without data, the period's figures with it. */
#include "unit.h"
#include <stdlib.h>
#include <time.h>

#include "mib.h"

static uint32_t u32_of(const struct mib_value *v)
{
	return *(const uint32_t *)v->ptr;
}

/* Local midnight of the first day of the month before now's. */
static time_t prev_month_start(time_t now)
{
	struct tm tm;

	localtime_r(&now, &tm);
	struct tm s = {
	    .tm_year = tm.tm_year, .tm_mon = tm.tm_mon - 1, .tm_mday = 1, .tm_isdst = -1};
	return mktime(&s);
}

/* Local midnight of the first day of the quarter before now's. */
static time_t prev_quarter_start(time_t now)
{
	struct tm tm;

	localtime_r(&now, &tm);
	struct tm s = {
	    .tm_year = tm.tm_year, .tm_mon = tm.tm_mon / 3 * 3 - 3, .tm_mday = 1, .tm_isdst = -1};
	return mktime(&s);
}

START_TEST(test_absent_without_data)
{
	struct avail a;
	struct mib_value v;
	time_t now = time(NULL);

	avail_init(&a, now);
	avail_account(&a, AVAIL_UP, now - 60, now); /* this month only */
	for (int w = AVAIL_PREV_MONTH; w <= AVAIL_PREV_QUARTER; w++) {
		ck_assert(!mib_avail_raw(&a, w, &v));
		ck_assert(!mib_avail_adjusted(&a, w, &v));
		ck_assert(!mib_avail_downtime(&a, w, &v));
		ck_assert(!mib_avail_outages(&a, w, &v));
	}
}
END_TEST

START_TEST(test_previous_month_figures)
{
	struct avail a;
	struct mib_value v;
	time_t now = time(NULL), pm = prev_month_start(now);

	avail_init(&a, pm);
	avail_account(&a, AVAIL_UP, pm, pm + 3600);
	avail_outage_started(&a, pm + 3600);
	avail_account(&a, AVAIL_DOWN, pm + 3600, pm + 5400);
	avail_account(&a, AVAIL_MAINT, pm + 5400, pm + 7200);
	avail_account(&a, AVAIL_UP, now - 60, now); /* rolls the month over */
	ck_assert(mib_avail_raw(&a, AVAIL_PREV_MONTH, &v));
	ck_assert_uint_eq(u32_of(&v), 500000); /* 3600 up of 7200 */
	ck_assert(mib_avail_adjusted(&a, AVAIL_PREV_MONTH, &v));
	ck_assert_uint_eq(u32_of(&v), 666666); /* 3600 of 5400 */
	ck_assert(mib_avail_downtime(&a, AVAIL_PREV_MONTH, &v));
	ck_assert_uint_eq(u32_of(&v), 1800);
	ck_assert(mib_avail_outages(&a, AVAIL_PREV_MONTH, &v));
	ck_assert_uint_eq(u32_of(&v), 1);
}
END_TEST

/* The quarter's figures, from the same buckets through the same getters
 * the office and line tables share (MIB_PREV_PERIOD_GETTERS). */
START_TEST(test_previous_quarter_figures)
{
	struct avail a;
	struct mib_value v;
	time_t now = time(NULL), pq = prev_quarter_start(now);

	avail_init(&a, pq);
	avail_account(&a, AVAIL_UP, pq, pq + 7200);
	avail_outage_started(&a, pq + 7200);
	avail_account(&a, AVAIL_DOWN, pq + 7200, pq + 10800);
	avail_account(&a, AVAIL_UP, pq + 10800, pq + 14400);
	avail_outage_started(&a, pq + 14400);
	avail_account(&a, AVAIL_DOWN, pq + 14400, pq + 16200);
	avail_account(&a, AVAIL_MAINT, pq + 16200, pq + 18000);
	avail_account(&a, AVAIL_UP, now - 60, now); /* rolls the quarter over */
	ck_assert(mib_avail_raw(&a, AVAIL_PREV_QUARTER, &v));
	ck_assert_uint_eq(u32_of(&v), 600000); /* 10800 up of 18000 */
	ck_assert(mib_avail_adjusted(&a, AVAIL_PREV_QUARTER, &v));
	ck_assert_uint_eq(u32_of(&v), 666666); /* 10800 of 16200 */
	ck_assert(mib_avail_downtime(&a, AVAIL_PREV_QUARTER, &v));
	ck_assert_uint_eq(u32_of(&v), 5400);
	ck_assert(mib_avail_outages(&a, AVAIL_PREV_QUARTER, &v));
	ck_assert_uint_eq(u32_of(&v), 2);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("mib_periods");
	TCase *tc = tcase_create("mib_periods");

	setenv("TZ", "Asia/Ho_Chi_Minh", 1);
	tzset();
	tcase_add_test(tc, test_absent_without_data);
	tcase_add_test(tc, test_previous_month_figures);
	tcase_add_test(tc, test_previous_quarter_figures);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
