/*
 * bandwidth: percentile known answers, counter wraps and resets, router
 * reboots, discontinuities, 32-bit wraps, the sample window and the
 * utilisation alarm's hysteresis.  Pure logic: no Net-SNMP.
 */
#include "unit.h"
#include <stdlib.h>

#include "bandwidth.h"

#define U64_MAX_ UINT64_C(18446744073709551615)

/* ---- percentile (nearest rank) ---- */

START_TEST(p95_empty)
{
	uint16_t out = 7;
	ck_assert(!bw_percentile(NULL, 0, 95, &out));
	ck_assert_uint_eq(out, 7);
}
END_TEST

START_TEST(p95_one_to_hundred)
{
	uint16_t v[100], out;
	for (int i = 0; i < 100; i++)
		v[i] = (uint16_t)(100 - i); /* unsorted input */
	ck_assert(bw_percentile(v, 100, 95, &out));
	ck_assert_uint_eq(out, 95); /* rank ceil(95) = 95 */
}
END_TEST

/* Exactly 95 % of the samples low: p95 is the highest low one. */
START_TEST(p95_exactly_95_percent)
{
	uint16_t v[20], out;
	for (int i = 0; i < 20; i++)
		v[i] = i < 19 ? 1000 : 9000;
	ck_assert(bw_percentile(v, 20, 95, &out));
	ck_assert_uint_eq(out, 1000); /* rank 19 of 20 */
}
END_TEST

/* Fewer than 20 samples: rank ceil(0.95 n) = n, the maximum. */
START_TEST(p95_few_samples_is_max)
{
	uint16_t v[] = {10, 500, 20, 30}, out;
	ck_assert(bw_percentile(v, 4, 95, &out));
	ck_assert_uint_eq(out, 500);
	uint16_t one = 42;
	ck_assert(bw_percentile(&one, 1, 95, &out));
	ck_assert_uint_eq(out, 42);
}
END_TEST

START_TEST(p95_2016_samples)
{
	uint16_t v[2016], out;
	for (int i = 0; i < 2016; i++)
		v[i] = (uint16_t)i;
	ck_assert(bw_percentile(v, 2016, 95, &out));
	ck_assert_uint_eq(out, 1915); /* ceil(1915.2) = 1916th value */
}
END_TEST

/* ---- counter arithmetic ---- */

START_TEST(delta_64bit_wrap)
{
	uint64_t d;
	ck_assert(bw_counter_delta(U64_MAX_ - 99, 50, BW_WIDTH_HC64, &d));
	ck_assert_uint_eq(d, 150);
}
END_TEST

START_TEST(delta_64bit_reset_refused)
{
	uint64_t d;
	/* going back by a little is a reset, not a wrap of 2^64 - 1000 */
	ck_assert(!bw_counter_delta(1000000, 999000, BW_WIDTH_HC64, &d));
}
END_TEST

START_TEST(delta_32bit_wrap)
{
	uint64_t d;
	ck_assert(bw_counter_delta(4294967000u, 704, BW_WIDTH_C32, &d));
	ck_assert_uint_eq(d, 1000);
}
END_TEST

START_TEST(util_ppm)
{
	ck_assert_uint_eq(bw_util_ppm(500000, 1000), 500000);
	ck_assert_uint_eq(bw_util_ppm(3000000, 1000), 1000000); /* capped */
	ck_assert_uint_eq(bw_util_ppm(1, 4294967295u), 0);
}
END_TEST

/* ---- polls ---- */

static struct bw_params params(void)
{
	struct bw_params p = bw_params_default();
	p.sample_s = 300;
	p.window_s = 3600; /* 12 samples */
	p.min_samples = 3;
	return p;
}

/* A reading at uptime `cs` with counters rate * cs. */
static struct bw_reading at(uint32_t cs, uint64_t base, uint64_t in_per_cs, uint64_t out_per_cs)
{
	return (struct bw_reading){.uptime_cs = cs,
	                           .width = BW_WIDTH_HC64,
	                           .in = base + in_per_cs * cs,
	                           .out = base + out_per_cs * cs,
	                           .has_disc = true,
	                           .disc_cs = 5,
	                           .ifindex = 3};
}

static unsigned poll_at(struct bw_line *b, const struct bw_params *p, struct bw_reading r, time_t t)
{
	return bw_on_poll(b, p, &r, t);
}

START_TEST(steady_rate)
{
	struct bw_params p = params();
	struct bw_line *b = bw_line_new(&p, 2000); /* 2 Mbit/s */
	time_t t = 1700000000;

	ck_assert_uint_eq(poll_at(b, &p, at(0, 0, 1250, 625), t) & BW_EV_RATE,
	                  0); /* first reading: no rate */
	struct bw_reading r = at(6000, 0, 1250, 625);
	ck_assert(bw_on_poll(b, &p, &r, t + 60) & BW_EV_RATE);
	ck_assert(b->rate_valid);
	ck_assert_uint_eq(b->bps[BW_IN], 1000000);
	ck_assert_uint_eq(b->bps[BW_OUT], 500000);
	ck_assert_uint_eq(bw_util_ppm(b->bps[BW_IN], b->contract_kbps), 500000);
	bw_line_free(b);
}
END_TEST

START_TEST(wrap_64_no_discontinuity)
{
	struct bw_params p = params();
	struct bw_line *b = bw_line_new(&p, 2000);
	struct bw_reading r1 = at(100, U64_MAX_ - 1000, 0, 0), r2 = at(200, 0, 0, 0);

	r2.in = 249000 - 1001; /* 1001 to reach 0, then 247999: 249000 octets */
	bw_on_poll(b, &p, &r1, 1000);
	unsigned ev = bw_on_poll(b, &p, &r2, 1001);
	ck_assert(ev & BW_EV_RATE);
	ck_assert(!(ev & BW_EV_DISCONTINUITY));
	ck_assert_uint_eq(b->bps[BW_IN], 249000u * 8u);
	ck_assert_int_eq(b->disc_time, 0);
	bw_line_free(b);
}
END_TEST

START_TEST(wrap_32)
{
	struct bw_params p = params();
	struct bw_line *b = bw_line_new(&p, 2000);
	struct bw_reading r1 = {.uptime_cs = 100, .width = BW_WIDTH_C32, .in = 4294967000u};
	struct bw_reading r2 = {.uptime_cs = 200, .width = BW_WIDTH_C32, .in = 704};

	bw_on_poll(b, &p, &r1, 1000);
	ck_assert(bw_on_poll(b, &p, &r2, 1001) & BW_EV_RATE);
	ck_assert_uint_eq(b->bps[BW_IN], 8000); /* 1000 octets in 1 s */
	ck_assert_uint_eq(b->width, BW_WIDTH_C32);
	bw_line_free(b);
}
END_TEST

/* Uptime goes back and counters restart: no rate, no spike, time noted. */
START_TEST(reboot_no_spike)
{
	struct bw_params p = params();
	struct bw_line *b = bw_line_new(&p, 2000);
	struct bw_reading before = at(900000, 5000000000u, 1250, 1250);
	struct bw_reading after = at(1500, 0, 1250, 1250);

	poll_at(b, &p, at(894000, 5000000000u, 1250, 1250), 1000);
	bw_on_poll(b, &p, &before, 1060);
	ck_assert(b->rate_valid);
	unsigned ev = bw_on_poll(b, &p, &after, 1120);
	ck_assert(ev & BW_EV_DISCONTINUITY);
	ck_assert(!(ev & BW_EV_RATE));
	ck_assert(!b->rate_valid);
	ck_assert_int_eq(b->disc_time, 1120);
	struct bw_reading next = at(7500, 0, 1250, 1250);
	ck_assert(bw_on_poll(b, &p, &next, 1180) & BW_EV_RATE);
	ck_assert_uint_eq(b->bps[BW_IN], 1000000);
	bw_line_free(b);
}
END_TEST

/* After 497 days sysUpTime wraps while the counters go on: the rate
 * continues; the same step back after a reboot is a discontinuity. */
START_TEST(uptime_wrap_is_not_a_reboot)
{
	struct bw_params p = params();
	struct bw_line *b = bw_line_new(&p, 2000);
	const uint32_t before = UINT32_MAX - 2999u; /* 30 s before the wrap */
	struct bw_reading r1 = at(before, 0, 0, 0), r2 = at(3000, 0, 0, 0);

	r1.in = 5000000000u;
	r2.in = r1.in + 1250u * 6000u; /* 1 Mbit/s for the 60 s across the wrap */
	r2.out = r1.out;
	bw_on_poll(b, &p, &r1, 1000);
	unsigned ev = bw_on_poll(b, &p, &r2, 1060);
	ck_assert(!(ev & BW_EV_DISCONTINUITY));
	ck_assert(ev & BW_EV_RATE);
	ck_assert_uint_eq(b->bps[BW_IN], 1000000);
	bw_line_free(b);

	/* A step back the wall clock cannot explain is a reboot. */
	b = bw_line_new(&p, 2000);
	bw_on_poll(b, &p, &r2, 1000);
	struct bw_reading r3 = at(200, 0, 0, 0);
	ck_assert(bw_on_poll(b, &p, &r3, 1060) & BW_EV_DISCONTINUITY);
	bw_line_free(b);

	/* So are HC counters that went back, however well the uptime fits. */
	b = bw_line_new(&p, 2000);
	bw_on_poll(b, &p, &r1, 1000);
	struct bw_reading r4 = r2;
	r4.in = 100;
	ck_assert(bw_on_poll(b, &p, &r4, 1060) & BW_EV_DISCONTINUITY);
	bw_line_free(b);
}
END_TEST

/* ifCounterDiscontinuityTime changed while uptime went on: interval invalid. */
START_TEST(discontinuity_time_changed)
{
	struct bw_params p = params();
	struct bw_line *b = bw_line_new(&p, 2000);
	struct bw_reading r1 = at(100, 0, 10, 10), r2 = at(200, 0, 10, 10);

	r2.disc_cs = 150;
	r2.in = 5; /* counters were cleared */
	bw_on_poll(b, &p, &r1, 1000);
	unsigned ev = bw_on_poll(b, &p, &r2, 1001);
	ck_assert(ev & BW_EV_DISCONTINUITY);
	ck_assert_int_eq(b->disc_time, 1001);
	ck_assert(!b->rate_valid);
	bw_line_free(b);
}
END_TEST

/* A counter going back with the same uptime and discontinuity time is a reset. */
START_TEST(silent_reset_is_discontinuity)
{
	struct bw_params p = params();
	struct bw_line *b = bw_line_new(&p, 2000);
	struct bw_reading r1 = at(100, 1000000, 0, 0), r2 = at(200, 0, 0, 0);

	bw_on_poll(b, &p, &r1, 1000);
	ck_assert(bw_on_poll(b, &p, &r2, 1001) & BW_EV_DISCONTINUITY);
	bw_line_free(b);
}
END_TEST

START_TEST(failure_keeps_history)
{
	struct bw_params p = params();
	struct bw_line *b = bw_line_new(&p, 2000);

	poll_at(b, &p, at(0, 0, 10, 10), 1000);
	poll_at(b, &p, at(6000, 0, 10, 10), 1060);
	bw_on_poll_failed(b, BW_TIMEOUT, 1120);
	ck_assert_uint_eq(b->status, BW_TIMEOUT);
	ck_assert_int_eq(b->last_fail, 1120);
	ck_assert_int_eq(b->last_ok, 1060);
	ck_assert(!b->rate_valid);
	/* the next reading pairs with the last good one */
	ck_assert(poll_at(b, &p, at(18000, 0, 10, 10), 1180) & BW_EV_RATE);
	ck_assert_uint_eq(b->bps[BW_IN], 8000);
	bw_line_free(b);
}
END_TEST

/* ---- window, p95 and the alarm ---- */

/* Drive one 300 s period at `in_per_cs` octets per centisecond (1 Mbit/s
 * contract: 1250 octets/cs is 100 %). */
static unsigned run_period(struct bw_line *b, const struct bw_params *p, time_t *t, uint32_t *cs,
                           uint64_t *ctr, uint64_t in_per_cs)
{
	unsigned ev = 0;
	for (int i = 0; i < 5; i++) {
		*t += 60;
		*cs += 6000;
		*ctr += in_per_cs * 6000;
		struct bw_reading r = {.uptime_cs = *cs, .width = BW_WIDTH_HC64, .in = *ctr};
		ev |= bw_on_poll(b, p, &r, *t);
	}
	return ev;
}

START_TEST(alarm_hysteresis)
{
	struct bw_params p = params();
	struct bw_line *b = bw_line_new(&p, 1000);
	time_t t = 1700000100 - 1700000100 % 300;
	uint32_t cs = 0;
	uint64_t ctr = 0;
	unsigned ev = 0;

	bw_on_poll(b, &p, &(struct bw_reading){.width = BW_WIDTH_HC64}, t);
	for (int i = 0; i < 3; i++)
		ev |= run_period(b, &p, &t, &cs, &ctr, 1188); /* 95.04 % */
	ev |= bw_advance(b, &p, t + 1);
	ck_assert_msg(ev & BW_EV_ALARM_RAISED, "samples %u p95 %u", b->n_samples,
	              b->p95_ppm[BW_IN]);
	ck_assert_uint_eq(b->alarm_dir, BW_IN);
	ck_assert_uint_eq(b->p95_ppm[BW_IN], 950400);
	/* 87 %: between clear and raise, the alarm holds */
	ev = 0;
	for (int i = 0; i < 12; i++)
		ev |= run_period(b, &p, &t, &cs, &ctr, 1088);
	ck_assert(!(ev & BW_EV_ALARM_CLEARED));
	ck_assert(b->alarm);
	/* 50 %: once the window is below 85 %, cleared */
	ev = 0;
	for (int i = 0; i < 12; i++)
		ev |= run_period(b, &p, &t, &cs, &ctr, 625);
	ck_assert(ev & BW_EV_ALARM_CLEARED);
	ck_assert(!b->alarm);
	ck_assert_uint_eq(b->n_samples, 12);
	ck_assert_uint_eq(b->month.peak[BW_IN], 9504);
	bw_line_free(b);
}
END_TEST

/* Below min_samples the alarm never rises, whatever the level. */
START_TEST(alarm_waits_for_samples)
{
	struct bw_params p = params();
	struct bw_line *b = bw_line_new(&p, 1000);
	time_t t = 1700000100 - 1700000100 % 300;
	uint32_t cs = 0;
	uint64_t ctr = 0;

	bw_on_poll(b, &p, &(struct bw_reading){.width = BW_WIDTH_HC64}, t);
	unsigned ev = run_period(b, &p, &t, &cs, &ctr, 1250);
	ev |= run_period(b, &p, &t, &cs, &ctr, 1250);
	ck_assert(!(ev & BW_EV_ALARM_RAISED));
	ck_assert_uint_le(b->n_samples, 2);
	bw_line_free(b);
}
END_TEST

/* Old samples leave the window as time passes, even without polls. */
START_TEST(window_slides)
{
	struct bw_params p = params();
	struct bw_line *b = bw_line_new(&p, 1000);
	time_t t = 1700000100 - 1700000100 % 300;
	uint32_t cs = 0;
	uint64_t ctr = 0;

	bw_on_poll(b, &p, &(struct bw_reading){.width = BW_WIDTH_HC64}, t);
	for (int i = 0; i < 4; i++)
		run_period(b, &p, &t, &cs, &ctr, 100);
	bw_advance(b, &p, t + 1);
	ck_assert_uint_eq(b->n_samples, 4);
	bw_advance(b, &p, t + 3600 + 301); /* past the last period too */
	ck_assert_uint_eq(b->n_samples, 0);
	bw_line_free(b);
}
END_TEST

/* A reload keeps the window when the period length is unchanged. */
START_TEST(adopt_keeps_window)
{
	struct bw_params p = params();
	struct bw_line *a = bw_line_new(&p, 1000);
	time_t t = 1700000100 - 1700000100 % 300;
	uint32_t cs = 0;
	uint64_t ctr = 0;

	bw_on_poll(a, &p, &(struct bw_reading){.width = BW_WIDTH_HC64}, t);
	for (int i = 0; i < 4; i++)
		run_period(a, &p, &t, &cs, &ctr, 1250);
	bw_advance(a, &p, t + 1);
	struct bw_params q = p;
	q.window_s = 1800; /* smaller window, same period */
	struct bw_line *b = bw_line_new(&q, 2000);
	bw_line_adopt(b, a);
	ck_assert_uint_eq(b->n_samples, a->n_samples);
	ck_assert_uint_eq(b->contract_kbps, 2000);
	ck_assert_uint_eq(b->p95_ppm[BW_IN], 1000000);
	bw_line_free(a);
	bw_line_free(b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bandwidth");
	TCase *tc = tcase_create("bandwidth");

	tcase_add_test(tc, p95_empty);
	tcase_add_test(tc, p95_one_to_hundred);
	tcase_add_test(tc, p95_exactly_95_percent);
	tcase_add_test(tc, p95_few_samples_is_max);
	tcase_add_test(tc, p95_2016_samples);
	tcase_add_test(tc, delta_64bit_wrap);
	tcase_add_test(tc, delta_64bit_reset_refused);
	tcase_add_test(tc, delta_32bit_wrap);
	tcase_add_test(tc, util_ppm);
	tcase_add_test(tc, steady_rate);
	tcase_add_test(tc, wrap_64_no_discontinuity);
	tcase_add_test(tc, wrap_32);
	tcase_add_test(tc, reboot_no_spike);
	tcase_add_test(tc, uptime_wrap_is_not_a_reboot);
	tcase_add_test(tc, discontinuity_time_changed);
	tcase_add_test(tc, silent_reset_is_discontinuity);
	tcase_add_test(tc, failure_keeps_history);
	tcase_add_test(tc, alarm_hysteresis);
	tcase_add_test(tc, alarm_waits_for_samples);
	tcase_add_test(tc, window_slides);
	tcase_add_test(tc, adopt_keeps_window);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
