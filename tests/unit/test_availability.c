/*
 * Unit tests for availability: exact arithmetic across hour, day, month and
 * quarter boundaries, unknown gaps, maintenance, pro rata, clock jumps.
 * Vietnam is UTC+7 with no DST, so local midnight is 17:00 UTC.
 */
#include "unit.h"
#include <stdlib.h>
#include <string.h>

#include "availability.h"

#define H 3600
#define D 86400

static void tz_vietnam(void)
{
	setenv("TZ", "Asia/Ho_Chi_Minh", 1);
	tzset();
	avail_zone_changed();
}

static void tz_utc(void)
{
	setenv("TZ", "UTC0", 1);
	tzset();
	avail_zone_changed();
}

static void tz_none(void)
{
}

/* Local wall time in the test's TZ. */
static time_t lt(int y, int mo, int d, int h, int mi)
{
	struct tm tm = {.tm_year = y - 1900,
	                .tm_mon = mo - 1,
	                .tm_mday = d,
	                .tm_hour = h,
	                .tm_min = mi,
	                .tm_isdst = -1};

	return mktime(&tm);
}

static struct avail_figures win(const struct avail *a, enum avail_window w, time_t now)
{
	struct avail_figures f;

	ck_assert(avail_window(a, w, now, &f));
	return f;
}

static uint32_t ppm(bool (*fn)(const struct avail_figures *, uint32_t *),
                    const struct avail_figures *f)
{
	uint32_t v = 12345678;

	ck_assert(fn(f, &v));
	return v;
}

START_TEST(test_size)
{
	ck_assert_uint_lt(sizeof(struct avail), 700);
}
END_TEST

START_TEST(test_fresh_is_unknown)
{
	time_t t0 = lt(2026, 3, 10, 10, 0);
	struct avail a;
	struct avail_figures f;
	uint32_t v = 7;

	avail_init(&a, t0);
	f = win(&a, AVAIL_24H, t0 + 600);
	ck_assert_uint_eq(f.window_s, D);
	ck_assert_uint_eq(f.up_s + f.down_s + f.maint_s, 0);
	ck_assert(!avail_ppm_raw(&f, &v));
	ck_assert(!avail_ppm_adjusted(&f, &v));
	ck_assert_uint_eq(v, 7);
	ck_assert_uint_eq(ppm(avail_ppm_monitored, &f), 0);
	/* Exactly at a month start the month window is empty: nothing defined. */
	f = win(&a, AVAIL_MONTH, lt(2026, 4, 1, 0, 0));
	ck_assert_uint_eq(f.window_s, 0);
	ck_assert(!avail_ppm_monitored(&f, &v));
	ck_assert(!avail_window(&a, (enum avail_window)99, t0, &f));
}
END_TEST

START_TEST(test_unknown_adds_nothing)
{
	time_t t0 = lt(2026, 3, 10, 10, 0);
	struct avail a, b;

	avail_init(&a, t0);
	b = a;
	avail_account(&a, AVAIL_UNKNOWN, t0, t0 + H);
	avail_account(&a, AVAIL_UP, t0 + H, t0 + H);
	avail_account(&a, AVAIL_UP, t0 + H, t0);
	ck_assert_mem_eq(&a, &b, sizeof(a));
}
END_TEST

START_TEST(test_hour_boundary_and_pro_rata)
{
	time_t t0 = lt(2026, 3, 10, 10, 30);
	struct avail a;
	struct avail_figures f;

	avail_init(&a, t0);
	avail_account(&a, AVAIL_UP, t0, t0 + H);             /* 10:30-11:30 */
	avail_account(&a, AVAIL_DOWN, t0 + H, t0 + H + 600); /* 11:30-11:40 */
	f = win(&a, AVAIL_24H, t0 + H + 600);
	ck_assert_uint_eq(f.up_s, 3600);
	ck_assert_uint_eq(f.down_s, 600);
	ck_assert_uint_eq(f.maint_s, 0);
	ck_assert_uint_eq(ppm(avail_ppm_raw, &f), 857142); /* 3600/4200 */
	ck_assert_uint_eq(ppm(avail_ppm_adjusted, &f), 857142);
	ck_assert_uint_eq(ppm(avail_ppm_monitored, &f), 48611); /* 4200/86400 */

	/* Next day 10:45: the 10:00 hour is 15 min inside the window, so its
	 * 1800 s up count pro rata: 1800 * 900 / 3600 = 450. */
	f = win(&a, AVAIL_24H, lt(2026, 3, 11, 10, 45));
	ck_assert_uint_eq(f.up_s, 450 + 1800);
	ck_assert_uint_eq(f.down_s, 600);
	/* At 11:00 the 10:00 hour has left the window entirely. */
	f = win(&a, AVAIL_24H, lt(2026, 3, 11, 11, 0));
	ck_assert_uint_eq(f.up_s, 1800);
	/* At 11:40 the 11:00 hour is one third in: 1800/3 up, 600/3 down. */
	f = win(&a, AVAIL_24H, lt(2026, 3, 11, 11, 40));
	ck_assert_uint_eq(f.up_s, 600);
	ck_assert_uint_eq(f.down_s, 200);
	f = win(&a, AVAIL_24H, lt(2026, 3, 11, 12, 0));
	ck_assert_uint_eq(f.up_s + f.down_s, 0);
}
END_TEST

START_TEST(test_day_boundary_and_7d_pro_rata)
{
	time_t from = lt(2026, 3, 10, 20, 0); /* 13:00 UTC */
	time_t to = lt(2026, 3, 12, 8, 0);    /* 01:00 UTC on the 12th */
	struct avail a;
	struct avail_figures f;

	avail_init(&a, from);
	avail_account(&a, AVAIL_UP, from, to);
	f = win(&a, AVAIL_24H, to);
	ck_assert_uint_eq(f.up_s, D);
	ck_assert_uint_eq(ppm(avail_ppm_monitored, &f), 1000000);
	f = win(&a, AVAIL_7D, to);
	ck_assert_uint_eq(f.up_s, 36 * H);
	ck_assert_uint_eq(f.window_s, 7 * D);
	f = win(&a, AVAIL_30D, to);
	ck_assert_uint_eq(f.up_s, 36 * H);
	ck_assert_uint_eq(f.window_s, 30 * D);

	/* Window start 19:00 UTC Mar 10: the UTC day holds 11 h of up, 5 h of
	 * the day are in the window: 39600 * 5/24 = 8250 (the true 5 h would be
	 * 18000: the documented pro-rata resolution). */
	f = win(&a, AVAIL_7D, from + 7 * D + 6 * H);
	ck_assert_uint_eq(f.up_s, 8250 + D + H);
	f = win(&a, AVAIL_30D, from + 7 * D + 6 * H);
	ck_assert_uint_eq(f.up_s, 36 * H);
}
END_TEST

START_TEST(test_long_interval_fills_30d)
{
	time_t to = lt(2026, 5, 20, 9, 17);
	struct avail a;
	struct avail_figures f;

	avail_init(&a, to - 60 * D);
	avail_account(&a, AVAIL_UP, to - 60 * D, to);
	f = win(&a, AVAIL_30D, to);
	ck_assert_uint_eq(f.up_s, 30 * D);
	f = win(&a, AVAIL_7D, to);
	ck_assert_uint_eq(f.up_s, 7 * D);
	f = win(&a, AVAIL_24H, to);
	ck_assert_uint_eq(f.up_s, D);
	f = win(&a, AVAIL_MONTH, to);
	ck_assert_uint_eq(f.up_s, to - lt(2026, 5, 1, 0, 0));
	ck_assert_uint_eq(f.window_s, f.up_s);
	f = win(&a, AVAIL_PREV_MONTH, to);
	ck_assert_uint_eq(f.up_s, 30 * D);
	ck_assert_uint_eq(f.window_s, 30 * D);
}
END_TEST

START_TEST(test_month_boundary_local)
{
	time_t from = lt(2026, 3, 31, 23, 0), to = lt(2026, 4, 1, 1, 0);
	struct avail a;
	struct avail_figures f;

	avail_init(&a, from);
	avail_account(&a, AVAIL_UP, from, to);
	f = win(&a, AVAIL_MONTH, to);
	ck_assert_uint_eq(f.up_s, H);
	ck_assert_uint_eq(f.window_s, H);
	ck_assert_uint_eq(ppm(avail_ppm_monitored, &f), 1000000);
	f = win(&a, AVAIL_PREV_MONTH, to);
	ck_assert_uint_eq(f.up_s, H);
	ck_assert_uint_eq(f.window_s, 31 * D);
	f = win(&a, AVAIL_QUARTER, to);
	ck_assert_uint_eq(f.up_s, H);
	ck_assert_uint_eq(f.window_s, H);
	f = win(&a, AVAIL_PREV_QUARTER, to);
	ck_assert_uint_eq(f.up_s, H);
	ck_assert_uint_eq(f.window_s, 90 * D);
}
END_TEST

/* The same UTC instants as test_month_boundary_local, all March in UTC. */
START_TEST(test_month_boundary_utc)
{
	time_t from = lt(2026, 3, 31, 16, 0), to = lt(2026, 3, 31, 18, 0);
	struct avail a;
	struct avail_figures f;

	ck_assert_int_eq(from, 1774972800);
	avail_init(&a, from);
	avail_account(&a, AVAIL_UP, from, to);
	f = win(&a, AVAIL_MONTH, to);
	ck_assert_uint_eq(f.up_s, 2 * H);
	ck_assert_uint_eq(f.window_s, 30 * D + 18 * H);
	f = win(&a, AVAIL_PREV_MONTH, to);
	ck_assert_uint_eq(f.up_s, 0);
	ck_assert_uint_eq(f.window_s, 28 * D);
	/* An hour later it is April in UTC too. */
	avail_account(&a, AVAIL_DOWN, lt(2026, 3, 31, 23, 0), lt(2026, 4, 1, 1, 0));
	f = win(&a, AVAIL_MONTH, lt(2026, 4, 1, 1, 0));
	ck_assert_uint_eq(f.down_s, H);
	f = win(&a, AVAIL_PREV_QUARTER, lt(2026, 4, 1, 1, 0));
	ck_assert_uint_eq(f.up_s, 2 * H);
	ck_assert_uint_eq(f.down_s, H);
}
END_TEST

START_TEST(test_quarter_change_new_year)
{
	time_t from = lt(2025, 12, 31, 22, 0), to = lt(2026, 1, 1, 3, 0);
	struct avail a;
	struct avail_figures f;

	avail_init(&a, lt(2025, 12, 31, 0, 0));
	avail_account(&a, AVAIL_UP, lt(2025, 12, 31, 0, 0), from);
	avail_outage_started(&a, from);
	avail_account(&a, AVAIL_DOWN, from, to);

	f = win(&a, AVAIL_QUARTER, to);
	ck_assert_uint_eq(f.down_s, 3 * H);
	ck_assert_uint_eq(f.up_s, 0);
	ck_assert_uint_eq(f.window_s, 3 * H);
	ck_assert_uint_eq(f.outages, 0);
	ck_assert_uint_eq(ppm(avail_ppm_adjusted, &f), 0);

	f = win(&a, AVAIL_PREV_QUARTER, to);
	ck_assert_uint_eq(f.up_s, 22 * H);
	ck_assert_uint_eq(f.down_s, 2 * H);
	ck_assert_uint_eq(f.outages, 1);
	ck_assert_uint_eq(f.window_s, 92 * D);
	ck_assert_uint_eq(ppm(avail_ppm_adjusted, &f), 916666); /* 22/24 */
	ck_assert_uint_eq(ppm(avail_ppm_monitored, &f), 10869); /* 1 d / 92 d */

	f = win(&a, AVAIL_PREV_MONTH, to);
	ck_assert_uint_eq(f.down_s, 2 * H);
	ck_assert_uint_eq(f.outages, 1);
	ck_assert_uint_eq(f.window_s, 31 * D);
	/* Rolling windows do not care about the calendar. */
	f = win(&a, AVAIL_24H, to);
	ck_assert_uint_eq(f.up_s, 19 * H);
	ck_assert_uint_eq(f.down_s, 5 * H);
}
END_TEST

START_TEST(test_outage_counts_roll)
{
	struct avail a;
	struct avail_figures f;

	avail_init(&a, lt(2026, 1, 5, 0, 0));
	avail_outage_started(&a, lt(2026, 1, 5, 1, 0));
	avail_outage_started(&a, lt(2026, 2, 5, 1, 0));
	avail_outage_started(&a, lt(2026, 2, 6, 1, 0));
	f = win(&a, AVAIL_MONTH, lt(2026, 2, 7, 0, 0));
	ck_assert_uint_eq(f.outages, 2);
	f = win(&a, AVAIL_PREV_MONTH, lt(2026, 2, 7, 0, 0));
	ck_assert_uint_eq(f.outages, 1);
	f = win(&a, AVAIL_QUARTER, lt(2026, 2, 7, 0, 0));
	ck_assert_uint_eq(f.outages, 3);
	/* Read in May, nothing accounted since: Q2 empty, Q1 is the previous. */
	f = win(&a, AVAIL_QUARTER, lt(2026, 5, 1, 0, 0));
	ck_assert_uint_eq(f.outages, 0);
	f = win(&a, AVAIL_PREV_QUARTER, lt(2026, 5, 1, 0, 0));
	ck_assert_uint_eq(f.outages, 3);
	/* In July Q1 is two quarters back: not reported as the previous. */
	f = win(&a, AVAIL_PREV_QUARTER, lt(2026, 7, 1, 0, 0));
	ck_assert_uint_eq(f.outages, 0);
	/* The stale month is not mistaken for March. */
	f = win(&a, AVAIL_PREV_MONTH, lt(2026, 4, 2, 0, 0));
	ck_assert_uint_eq(f.outages, 0);
	ck_assert_uint_eq(f.window_s, 31 * D);
}
END_TEST

START_TEST(test_unknown_gaps_and_restore)
{
	time_t t0 = lt(2026, 1, 20, 8, 0);
	struct avail a, saved;
	struct avail_figures f;

	avail_init(&a, t0);
	avail_account(&a, AVAIL_UP, t0, t0 + H);
	avail_account(&a, AVAIL_UP, t0 + 3 * H, t0 + 4 * H); /* 2 h not running */
	f = win(&a, AVAIL_24H, t0 + 4 * H);
	ck_assert_uint_eq(f.up_s, 2 * H);
	ck_assert_uint_eq(ppm(avail_ppm_raw, &f), 1000000);
	ck_assert_uint_eq(ppm(avail_ppm_monitored, &f), 83333);

	/* "Restart" 3 days later from a saved copy: the gap is unknown and the
	 * stale hours never resurface in the recycled ring slots. */
	memcpy(&saved, &a, sizeof(a));
	avail_account(&saved, AVAIL_DOWN, t0 + 3 * D, t0 + 3 * D + 1800);
	f = win(&saved, AVAIL_24H, t0 + 3 * D + 1800);
	ck_assert_uint_eq(f.up_s, 0);
	ck_assert_uint_eq(f.down_s, 1800);
	f = win(&saved, AVAIL_7D, t0 + 3 * D + 1800);
	ck_assert_uint_eq(f.up_s, 2 * H);
	ck_assert_uint_eq(f.down_s, 1800);

	/* A whole month missed: February reads all unknown, not January's. */
	avail_account(&saved, AVAIL_UP, lt(2026, 3, 2, 0, 0), lt(2026, 3, 2, 1, 0));
	f = win(&saved, AVAIL_PREV_MONTH, lt(2026, 3, 2, 1, 0));
	ck_assert_uint_eq(f.up_s + f.down_s + f.maint_s, 0);
	ck_assert_uint_eq(f.window_s, 28 * D);
	f = win(&saved, AVAIL_QUARTER, lt(2026, 3, 2, 1, 0));
	ck_assert_uint_eq(f.up_s, 3 * H);
	ck_assert_uint_eq(f.down_s, 1800);
}
END_TEST

START_TEST(test_maintenance_raw_vs_adjusted)
{
	time_t t0 = lt(2026, 6, 1, 9, 0);
	struct avail a;
	struct avail_figures f;
	uint32_t v;

	avail_init(&a, t0);
	avail_account(&a, AVAIL_UP, t0, t0 + 3000);
	avail_account(&a, AVAIL_MAINT, t0 + 3000, t0 + 3400);
	avail_account(&a, AVAIL_DOWN, t0 + 3400, t0 + 3600);
	f = win(&a, AVAIL_24H, t0 + H);
	ck_assert_uint_eq(f.maint_s, 400);
	ck_assert_uint_eq(ppm(avail_ppm_raw, &f), 833333);      /* 3000/3600 */
	ck_assert_uint_eq(ppm(avail_ppm_adjusted, &f), 937500); /* 3000/3200 */
	ck_assert_uint_eq(ppm(avail_ppm_monitored, &f), 41666); /* 3600/86400 */

	avail_init(&a, t0);
	avail_account(&a, AVAIL_MAINT, t0, t0 + H);
	f = win(&a, AVAIL_MONTH, t0 + H);
	ck_assert_uint_eq(ppm(avail_ppm_raw, &f), 0);
	ck_assert(!avail_ppm_adjusted(&f, &v));
	ck_assert_uint_eq(ppm(avail_ppm_monitored, &f), 100000); /* 1 h of 10 h */
}
END_TEST

START_TEST(test_bucket_never_overfills)
{
	time_t t0 = lt(2026, 6, 1, 9, 0);
	struct avail a;
	struct avail_figures f;

	avail_init(&a, t0);
	avail_account(&a, AVAIL_UP, t0, t0 + H);
	avail_account(&a, AVAIL_DOWN, t0, t0 + H); /* caller bug: same hour twice */
	f = win(&a, AVAIL_24H, t0 + H);
	ck_assert_uint_eq(f.up_s, H);
	ck_assert_uint_eq(f.down_s, 0);
}
END_TEST

START_TEST(test_window_clamped_when_ledger_ahead)
{
	time_t t = lt(2026, 6, 2, 9, 0);
	struct avail a;
	struct avail_figures f;

	avail_init(&a, t - D);
	avail_account(&a, AVAIL_UP, t - D, t + 600);
	/* Wall stepped back 10 s behind the ledger: never more than 100 %. */
	f = win(&a, AVAIL_24H, t - 10);
	ck_assert_uint_eq(f.up_s, D);
	ck_assert_uint_eq(ppm(avail_ppm_monitored, &f), 1000000);
	f = win(&a, AVAIL_MONTH, t - 10);
	ck_assert_uint_le(f.up_s, f.window_s);
}
END_TEST

START_TEST(test_clock_normal_and_backwards)
{
	time_t w = lt(2026, 6, 1, 12, 0), from, to;
	struct avail_clock c;

	avail_clock_start(&c, 1000, w);
	ck_assert(avail_clock_advance(&c, 11000, w + 10, &from, &to));
	ck_assert_int_eq(from, w);
	ck_assert_int_eq(to, w + 10);
	ck_assert(!avail_clock_advance(&c, 11000, w + 10, &from, &to));

	/* Wall steps back 15 s: the 10 monotonic seconds go on from w+10. */
	ck_assert(avail_clock_advance(&c, 21000, w + 5, &from, &to));
	ck_assert_int_eq(from, w + 10);
	ck_assert_int_eq(to, w + 20);
	/* Still behind; the 500 ms remainder is carried, not lost. */
	ck_assert(avail_clock_advance(&c, 31500, w + 15, &from, &to));
	ck_assert_int_eq(from, w + 20);
	ck_assert_int_eq(to, w + 30);
	ck_assert(avail_clock_advance(&c, 32000, w + 16, &from, &to));
	ck_assert_int_eq(from, w + 30);
	ck_assert_int_eq(to, w + 31);
	/* Sub-second step while behind: nothing yet. */
	ck_assert(!avail_clock_advance(&c, 32400, w + 16, &from, &to));
	/* Wall catches up: back to plain wall intervals, nothing counted twice. */
	ck_assert(avail_clock_advance(&c, 48000, w + 32, &from, &to));
	ck_assert_int_eq(from, w + 31);
	ck_assert_int_eq(to, w + 32);
	ck_assert(avail_clock_advance(&c, 58000, w + 42, &from, &to));
	ck_assert_int_eq(from, w + 32);
	ck_assert_int_eq(to, w + 42);
}
END_TEST

START_TEST(test_clock_forward_jump)
{
	time_t w = lt(2026, 6, 1, 12, 0), from, to;
	struct avail_clock c;
	struct avail a;
	struct avail_figures f;

	avail_init(&a, w);
	avail_clock_start(&c, 0, w);
	/* Within the 2 s slack: plain wall interval. */
	ck_assert(avail_clock_advance(&c, 10000, w + 12, &from, &to));
	ck_assert_int_eq(from, w);
	ck_assert_int_eq(to, w + 12);
	ck_assert_int_eq(c.skipped, 0);
	avail_account(&a, AVAIL_UP, from, to);
	/* Jump of an hour in 10 s of monotonic time: only 10 s are known. */
	ck_assert(avail_clock_advance(&c, 20000, w + 12 + H, &from, &to));
	ck_assert_int_eq(from, w + 2 + H);
	ck_assert_int_eq(to, w + 12 + H);
	ck_assert_int_eq(c.skipped, H - 10); /* what the log reports */
	c.skipped = 0;                       /* as the log clears it */
	avail_account(&a, AVAIL_UP, from, to);
	f = win(&a, AVAIL_24H, to);
	ck_assert_uint_eq(f.up_s, 22);
	ck_assert_uint_eq(f.down_s, 0);
	/* Monotonic going backwards (should not happen) counts as 0 elapsed:
	 * the wall step looks like a jump, nothing is accounted, and the next
	 * round goes on normally from there. */
	ck_assert(!avail_clock_advance(&c, 100, w + 20 + H, &from, &to));
	ck_assert(avail_clock_advance(&c, 5100, w + 25 + H, &from, &to));
	ck_assert_int_eq(from, w + 20 + H);
	ck_assert_int_eq(to, w + 25 + H);
	ck_assert_int_eq(c.skipped, 8); /* the step back of monotonic time, kept until read */
}
END_TEST

/* Calendar periods are kept between calls (one localtime_r + mktime per
 * period, not per result).  Account UP until boundary b and DOWN after, in
 * one-minute steps as the agent's ticks do, reading the windows after each
 * step: every figure must follow the boundaries computed here with mktime.
 * month0/quarter0: the starts of the month and quarter b ends. */
static void expect_cur_prev(const struct avail *a, enum avail_window cur, enum avail_window prev,
                            time_t t, time_t from, time_t b, time_t start0, bool crossed)
{
	struct avail_figures f = win(a, cur, t);

	if (t < b || !crossed) {
		ck_assert_uint_eq(f.up_s, (t < b ? t : b) - from);
		ck_assert_uint_eq(f.down_s, t < b ? 0 : t - b);
		ck_assert_uint_eq(f.window_s, t - start0);
		return;
	}
	ck_assert_uint_eq(f.up_s, 0);
	ck_assert_uint_eq(f.down_s, t - b);
	ck_assert_uint_eq(f.window_s, t - b);
	f = win(a, prev, t);
	ck_assert_uint_eq(f.up_s, b - from);
	ck_assert_uint_eq(f.down_s, 0);
	ck_assert_uint_eq(f.window_s, b - start0);
}

static void step_across(time_t b, time_t month0, time_t quarter0, bool quarter_end)
{
	time_t from = b - 4 * H, to = b + 4 * H;
	struct avail a;

	avail_init(&a, from);
	for (time_t t = from; t < to; t += 60) {
		avail_account(&a, t < b ? AVAIL_UP : AVAIL_DOWN, t, t + 60);
		expect_cur_prev(&a, AVAIL_MONTH, AVAIL_PREV_MONTH, t + 60, from, b, month0, true);
		expect_cur_prev(&a, AVAIL_QUARTER, AVAIL_PREV_QUARTER, t + 60, from, b, quarter0,
		                quarter_end);
	}
}

START_TEST(test_kept_periods_month_end)
{
	step_across(lt(2026, 3, 1, 0, 0), lt(2026, 2, 1, 0, 0), lt(2026, 1, 1, 0, 0), false);
}
END_TEST

START_TEST(test_kept_periods_quarter_end)
{
	step_across(lt(2026, 4, 1, 0, 0), lt(2026, 3, 1, 0, 0), lt(2026, 1, 1, 0, 0), true);
	step_across(lt(2027, 1, 1, 0, 0), lt(2026, 12, 1, 0, 0), lt(2026, 10, 1, 0, 0), true);
}
END_TEST

/* Vietnam to UTC, neither with DST: July 1 in Vietnam begins at 17:00 UTC
 * on June 30, so 18:00-20:00 UTC is July there and June here.  Periods
 * kept from Vietnam must not be used once the zone has changed. */
START_TEST(test_kept_periods_zone_change)
{
	time_t vn_july = 1782838800; /* 2026-06-30 17:00 UTC */
	struct avail a;
	struct avail_figures f;

	ck_assert_int_eq(lt(2026, 7, 1, 0, 0), vn_july);
	avail_init(&a, vn_july + 30 * 60);
	avail_account(&a, AVAIL_UP, vn_july + 30 * 60, vn_july + H);
	f = win(&a, AVAIL_MONTH, vn_july + H);
	ck_assert_uint_eq(f.window_s, H);
	f = win(&a, AVAIL_PREV_QUARTER, vn_july + H);
	ck_assert_uint_eq(f.window_s, 91 * D);

	tz_utc();
	ck_assert_int_eq(lt(2026, 6, 30, 17, 0), vn_july);
	avail_init(&a, vn_july + H);
	for (time_t t = vn_july + H; t < vn_july + 3 * H; t += 60)
		avail_account(&a, AVAIL_UP, t, t + 60);
	f = win(&a, AVAIL_MONTH, vn_july + 3 * H);
	ck_assert_uint_eq(f.up_s, 2 * H);
	ck_assert_uint_eq(f.window_s, 29 * D + 20 * H);
	f = win(&a, AVAIL_PREV_MONTH, vn_july + 3 * H);
	ck_assert_uint_eq(f.up_s, 0);
	ck_assert_uint_eq(f.window_s, 31 * D);
	f = win(&a, AVAIL_QUARTER, vn_july + 3 * H);
	ck_assert_uint_eq(f.up_s, 2 * H);
	ck_assert_uint_eq(f.window_s, 90 * D + 20 * H);
	f = win(&a, AVAIL_PREV_QUARTER, vn_july + 3 * H);
	ck_assert_uint_eq(f.window_s, 90 * D);

	/* And back: the same instants are July again. */
	tz_vietnam();
	avail_init(&a, vn_july + H);
	avail_account(&a, AVAIL_UP, vn_july + H, vn_july + 3 * H);
	f = win(&a, AVAIL_MONTH, vn_july + 3 * H);
	ck_assert_uint_eq(f.up_s, 2 * H);
	ck_assert_uint_eq(f.window_s, 3 * H);
}
END_TEST

static Suite *availability_suite(void)
{
	Suite *s = suite_create("availability");
	TCase *vn = tcase_create("vietnam");
	TCase *utc = tcase_create("utc");
	TCase *any = tcase_create("any");

	tcase_add_checked_fixture(vn, tz_vietnam, tz_none);
	tcase_add_checked_fixture(utc, tz_utc, tz_none);
	tcase_add_checked_fixture(any, tz_vietnam, tz_none);
	tcase_add_test(any, test_size);
	tcase_add_test(vn, test_fresh_is_unknown);
	tcase_add_test(vn, test_unknown_adds_nothing);
	tcase_add_test(vn, test_hour_boundary_and_pro_rata);
	tcase_add_test(vn, test_day_boundary_and_7d_pro_rata);
	tcase_add_test(vn, test_long_interval_fills_30d);
	tcase_add_test(vn, test_month_boundary_local);
	tcase_add_test(vn, test_quarter_change_new_year);
	tcase_add_test(vn, test_outage_counts_roll);
	tcase_add_test(vn, test_unknown_gaps_and_restore);
	tcase_add_test(vn, test_maintenance_raw_vs_adjusted);
	tcase_add_test(vn, test_bucket_never_overfills);
	tcase_add_test(vn, test_window_clamped_when_ledger_ahead);
	tcase_add_test(vn, test_clock_normal_and_backwards);
	tcase_add_test(vn, test_clock_forward_jump);
	tcase_add_test(vn, test_kept_periods_month_end);
	tcase_add_test(vn, test_kept_periods_quarter_end);
	tcase_add_test(vn, test_kept_periods_zone_change);
	tcase_add_test(utc, test_month_boundary_utc);
	tcase_add_test(utc, test_hour_boundary_and_pro_rata);
	tcase_add_test(utc, test_quarter_change_new_year);
	suite_add_tcase(s, any);
	suite_add_tcase(s, vn);
	suite_add_tcase(s, utc);
	return s;
}

int main(void)
{
	return unit_run(availability_suite());
}
