/* Unit tests for interval (clock alignment, seconds summing to the length,
 * suspect reasons, a restart mid-interval, RTT and rates) and rtthist
 * (percentiles from the 16-bin histogram).  Time is a fake clock: plain
 * epoch seconds handed in. */
#include "unit.h"
#include <string.h>

#include "interval.h"
#include "rtthist.h"

#define LEN 900
#define T0  ((time_t)1772298000) /* a multiple of 900 */

START_TEST(test_alignment)
{
	struct interval_line v;
	time_t start;

	interval_init(&v, LEN, T0 + 437, INTERVAL_AGENT_START);
	ck_assert_ptr_null(interval_get(&v, 1, NULL));
	interval_time(&v, DAY_UP, T0 + 437, T0 + LEN + 10);
	const struct interval_rec *r = interval_get(&v, 1, &start);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(start, T0); /* aligned to the clock, not to the start */
	ck_assert_uint_eq(interval_secs(r, IV_UP), LEN - 437);
	ck_assert_uint_eq(interval_unknown_s(&v, r), 437);
	ck_assert_uint_eq(r->suspect, INTERVAL_AGENT_START);
	ck_assert_uint_eq(v.cur.secs[IV_UP], 10);
	ck_assert_uint_eq(v.cur.suspect, 0);
	/* 5-minute intervals are aligned to 5 minutes. */
	interval_init(&v, 300, T0 + 301, 0);
	interval_time(&v, DAY_DOWN, T0 + 301, T0 + 601);
	ck_assert_ptr_nonnull(interval_get(&v, 1, &start));
	ck_assert_int_eq(start, T0 + 300);
}
END_TEST

/* A line changing state every 7 s, accounted in 5 s ticks: every closed
 * interval's seconds add up to its length, and none is unknown. */
START_TEST(test_seconds_sum_to_length)
{
	static const enum day_state cycle[] = {DAY_UP, DAY_DEGRADED, DAY_DOWN, DAY_MAINT};
	struct interval_line v;

	interval_init(&v, LEN, T0, 0);
	for (time_t t = T0; t < T0 + 4 * LEN; t += 5) {
		enum day_state s = cycle[(t / 7) % 4];
		interval_time(&v, s, t, t + 5);
	}
	ck_assert_uint_eq(v.count, 3);
	for (unsigned k = 1; k <= 3; k++) {
		const struct interval_rec *r = interval_get(&v, k, NULL);
		unsigned sum = 0;
		for (int i = 0; i < IV_N_SECS; i++) {
			ck_assert_uint_gt(interval_secs(r, (enum interval_secs)i), 0);
			sum += interval_secs(r, (enum interval_secs)i);
		}
		ck_assert_uint_eq(sum, LEN);
		ck_assert_uint_eq(interval_unknown_s(&v, r), 0);
	}
	ck_assert_ptr_null(interval_check(&v));
}
END_TEST

START_TEST(test_suspect_reasons)
{
	struct interval_line v;
	time_t start;

	interval_init(&v, LEN, T0, 0);
	interval_time(&v, DAY_UP, T0, T0 + 100);
	interval_mark(&v, INTERVAL_MASTER_DOWN);
	interval_mark(&v, INTERVAL_CONFIG_RELOAD);
	/* The wall clock steps forward 40 min: the skipped intervals are unknown
	 * and suspect (clockStep); the interval of the step keeps its marks. */
	interval_time(&v, DAY_UP, T0 + 100 + 2400, T0 + 2510);
	ck_assert_uint_eq(v.count, 2);
	const struct interval_rec *r = interval_get(&v, 2, &start);
	ck_assert_int_eq(start, T0);
	ck_assert_uint_eq(r->suspect, INTERVAL_MASTER_DOWN | INTERVAL_CONFIG_RELOAD);
	ck_assert_uint_eq(interval_secs(r, IV_UP), 100);
	r = interval_get(&v, 1, &start);
	ck_assert_int_eq(start, T0 + LEN);
	ck_assert_uint_eq(r->suspect, INTERVAL_CLOCK_STEP);
	ck_assert_uint_eq(interval_unknown_s(&v, r), LEN);
	ck_assert_uint_eq(v.cur.secs[IV_UP], 10);
	/* Time before the running interval is dropped, never re-counted. */
	interval_time(&v, DAY_DOWN, T0, T0 + 50);
	ck_assert_uint_eq(interval_secs(interval_get(&v, 2, NULL), IV_DOWN), 0);
}
END_TEST

/* The state file keeps the struct; the agent comes back later. */
START_TEST(test_restart_mid_interval)
{
	struct interval_line v, saved;

	interval_init(&v, LEN, T0, 0);
	interval_time(&v, DAY_UP, T0, T0 + 300);
	saved = v;
	/* Back in the same interval 100 s later: one interval, both marks, the
	 * seconds before the stop kept, the 100 s away unknown. */
	interval_resume(&v, T0 + 400);
	ck_assert_uint_eq(v.count, 0);
	ck_assert_uint_eq(v.cur.suspect, INTERVAL_AGENT_STOP | INTERVAL_AGENT_START);
	interval_time(&v, DAY_DOWN, T0 + 400, T0 + LEN);
	interval_roll(&v, T0 + LEN);
	const struct interval_rec *r = interval_get(&v, 1, NULL);
	ck_assert_uint_eq(interval_secs(r, IV_UP), 300);
	ck_assert_uint_eq(interval_secs(r, IV_DOWN), 500);
	ck_assert_uint_eq(interval_unknown_s(&v, r), 100);
	/* Back two intervals later: stopped one, one unseen, started one. */
	v = saved;
	interval_resume(&v, T0 + 2 * LEN + 60);
	ck_assert_uint_eq(v.count, 2);
	ck_assert_uint_eq(interval_get(&v, 2, NULL)->suspect, INTERVAL_AGENT_STOP);
	ck_assert_uint_eq(interval_secs(interval_get(&v, 2, NULL), IV_UP), 300);
	ck_assert_uint_eq(interval_get(&v, 1, NULL)->suspect, INTERVAL_AGENT_STOP);
	ck_assert_uint_eq(interval_unknown_s(&v, interval_get(&v, 1, NULL)), LEN);
	ck_assert_uint_eq(v.cur.suspect, INTERVAL_AGENT_START);
	/* Away longer than the ring: it holds the last INTERVAL_KEEP only. */
	v = saved;
	interval_resume(&v, T0 + 500 * LEN);
	ck_assert_uint_eq(v.count, INTERVAL_KEEP);
	ck_assert_ptr_null(interval_check(&v));
}
END_TEST

START_TEST(test_rtt_loss_and_rates)
{
	struct interval_line v;
	uint32_t ppm;
	const uint64_t oct[2] = {1125000, 2250000}; /* over 100 s: 90 and 180 kbps */

	interval_init(&v, 300, T0, 0);
	interval_round(&v, T0 + 10, 3, 3, 1000, 2000, 3000);
	interval_round(&v, T0 + 20, 3, 1, 700000, 700000, 700000); /* over 16 bits */
	interval_round(&v, T0 + 30, 4, 0, 0, 0, 0);
	interval_traffic(&v, T0 + 40, oct, 10000);
	interval_time(&v, DAY_UP, T0, T0 + 301);
	const struct interval_rec *r = interval_get(&v, 1, NULL);
	ck_assert_uint_eq(r->sent, 10);
	ck_assert_uint_eq(r->answered, 4);
	ck_assert(interval_loss_ppm(r, &ppm));
	ck_assert_uint_eq(ppm, 600000);
	ck_assert_uint_eq(r->rtt_min, 100);
	ck_assert_uint_eq(r->rtt_max, UINT16_MAX); /* saturates */
	ck_assert_uint_eq(r->rtt_avg, (2000 * 3 + 700000) / 4 / 10);
	ck_assert_uint_eq(r->rtt_p95, UINT16_MAX);
	ck_assert(r->has_rate);
	ck_assert_uint_le(interval_rate_decode(r->rate[0]) - 90000, 90);
	ck_assert_uint_le(interval_rate_decode(r->rate[1]) - 180000, 180);
	/* Rates of any size stay within 0.1 %. */
	for (uint64_t bps = 1; bps < (1ull << 40); bps = bps * 3 + 7) {
		uint64_t back = interval_rate_decode(interval_rate_encode(bps));
		ck_assert_uint_le(back > bps ? back - bps : bps - back, bps / 1000 + 1);
	}
	/* A round just before the running interval counts nowhere. */
	interval_round(&v, T0 + 299, 3, 3, 1, 1, 1);
	ck_assert_uint_eq(v.cur.sent, 0);
}
END_TEST

START_TEST(test_rtthist_percentiles)
{
	struct rtthist h = {0};
	uint32_t x;

	ck_assert(!rtthist_percentile(&h, 50, 0, 0, &x));
	/* Equal samples give their exact value. */
	rtthist_add_round(&h, 5, 5000, 5000, 5000);
	ck_assert(rtthist_percentile(&h, 99, 5000, 5000, &x));
	ck_assert_uint_eq(x, 5000);
	/* 100 samples: 90 at ~1 ms, 10 at ~40 ms.  p50 in the 1 ms bin, p95
	 * and p99 in the 40 ms bin (within a factor 2, the bin width). */
	memset(&h, 0, sizeof(h));
	for (int i = 0; i < 30; i++)
		rtthist_add_round(&h, 3, 900, 1000, 1100);
	rtthist_add_round(&h, 10, 39000, 40000, 41000);
	ck_assert(rtthist_percentile(&h, 50, 900, 41000, &x));
	ck_assert_uint_ge(x, 512);
	ck_assert_uint_lt(x, 2048);
	ck_assert(rtthist_percentile(&h, 95, 900, 41000, &x));
	ck_assert_uint_ge(x, 32768);
	ck_assert_uint_le(x, 41000);
	ck_assert(rtthist_percentile(&h, 99, 900, 41000, &x));
	ck_assert_uint_ge(x, 32768);
	ck_assert_uint_le(x, 41000);
	/* Bins: below 128 us, then powers of two, the last open. */
	ck_assert_uint_eq(rtthist_bin(0), 0);
	ck_assert_uint_eq(rtthist_bin(127), 0);
	ck_assert_uint_eq(rtthist_bin(128), 1);
	ck_assert_uint_eq(rtthist_bin(4000000), RTTHIST_BINS - 1);
}
END_TEST

/* Field by field, so a failure names the field. */
static void rec_eq(const struct interval_rec *a, const struct interval_rec *b)
{
	for (int i = 0; i < IV_N_SECS; i++)
		ck_assert_uint_eq(interval_secs(a, (enum interval_secs)i),
		                  interval_secs(b, (enum interval_secs)i));
	ck_assert_uint_eq(a->sent, b->sent);
	ck_assert_uint_eq(a->answered, b->answered);
	ck_assert_uint_eq(a->rtt_min, b->rtt_min);
	ck_assert_uint_eq(a->rtt_avg, b->rtt_avg);
	ck_assert_uint_eq(a->rtt_max, b->rtt_max);
	ck_assert_uint_eq(a->rtt_p95, b->rtt_p95);
	ck_assert_uint_eq(a->rate[0], b->rate[0]);
	ck_assert_uint_eq(a->rate[1], b->rate[1]);
	ck_assert_uint_eq(a->suspect, b->suspect);
	ck_assert_uint_eq(a->has_rate, b->has_rate);
}

/* The 26 bytes on disk carry every field; stray suspect bits are dropped;
 * seconds beyond the 10-bit fields stay beyond any length.  In memory a
 * record is 22 bytes: each second count's low byte, and its two high bits
 * in secs_hi. */
START_TEST(test_pack_round_trip)
{
	const struct interval_rec r = {.secs_lo = {1, 2, 3, 894 & 0xff},
	                               .secs_hi = (894 >> 8) << (2 * IV_MAINT),
	                               .sent = 60,
	                               .answered = 57,
	                               .rtt_min = 10,
	                               .rtt_avg = 20,
	                               .rtt_max = 65535,
	                               .rtt_p95 = 30,
	                               .rate = {0x1234, 0xfedc},
	                               .suspect = 0x1f,
	                               .has_rate = 1};
	struct interval_rec back;
	uint8_t b[INTERVAL_REC_BYTES];

	ck_assert_uint_eq(sizeof(struct interval_rec), 22);
	interval_pack(&r, b);
	ck_assert_uint_eq(b[0], 1);
	ck_assert_uint_eq(b[6] | b[7] << 8, 894);
	interval_unpack(b, &back);
	rec_eq(&r, &back);
	b[24] = 0xff;
	interval_unpack(b, &back);
	ck_assert_uint_eq(back.suspect, INTERVAL_SUSPECT_ALL);
	ck_assert_ptr_null(interval_rec_check(&r, LEN));
	back.answered = back.sent + 1;
	ck_assert_ptr_nonnull(interval_rec_check(&back, LEN));
	b[2] = 0x01; /* degraded 1025 s: more than a 10-bit field holds */
	b[3] = 0x04;
	b[6] = b[7] = 0;
	interval_unpack(b, &back);
	ck_assert_uint_eq(interval_secs(&back, IV_DEGRADED), INTERVAL_SECS_MAX);
	ck_assert_ptr_nonnull(interval_rec_check(&back, 900));
}
END_TEST

/* Every count a 10-bit field holds, in every state's slot, reads back as
 * written, and setting one state leaves the others alone. */
START_TEST(test_secs_fields)
{
	for (int s = 0; s < IV_N_SECS; s++)
		for (unsigned x = 0; x <= INTERVAL_SECS_MAX; x++) {
			uint8_t b[INTERVAL_REC_BYTES] = {0};
			struct interval_rec r;

			b[2 * s] = (uint8_t)x;
			b[2 * s + 1] = (uint8_t)(x >> 8);
			interval_unpack(b, &r);
			for (int t = 0; t < IV_N_SECS; t++)
				ck_assert_uint_eq(interval_secs(&r, (enum interval_secs)t),
				                  t == s ? x : 0);
		}
}
END_TEST

static bool restore_up(struct interval_line *v, int32_t num, uint16_t up_s)
{
	uint8_t b[INTERVAL_REC_BYTES] = {(uint8_t)up_s, (uint8_t)(up_s >> 8)};
	struct interval_rec r;

	interval_unpack(b, &r);
	return interval_restore(v, num, &r);
}

/* Records restored from disk in ascending order rebuild the ring: a gap
 * between two becomes unknown agentStop rows, a repeat replaces, one older
 * than the ring (or not closed by the running interval) is dropped, and
 * interval_join() fills the time up to the running interval. */
START_TEST(test_restore_and_join)
{
	struct interval_line v;
	const int32_t n0 = (int32_t)(T0 / LEN);

	interval_init(&v, LEN, T0 + 10 * LEN, INTERVAL_AGENT_START); /* running: n0 + 10 */
	ck_assert(restore_up(&v, n0 + 2, 100));
	ck_assert(restore_up(&v, n0 + 5, 500));
	ck_assert_uint_eq(v.count, 4);
	ck_assert_uint_eq(interval_secs(interval_get(&v, 1, NULL), IV_UP), 500);
	ck_assert_uint_eq(interval_get(&v, 2, NULL)->suspect, INTERVAL_AGENT_STOP);
	ck_assert(restore_up(&v, n0 + 5, 501)); /* the later copy wins */
	ck_assert_uint_eq(interval_secs(interval_get(&v, 1, NULL), IV_UP), 501);
	ck_assert(restore_up(&v, n0 + 1, 10)); /* just before the oldest */
	ck_assert_uint_eq(v.count, 5);
	ck_assert(!restore_up(&v, n0 - 5, 1));  /* not adjacent */
	ck_assert(!restore_up(&v, n0 + 10, 1)); /* still running */
	interval_join(&v);
	ck_assert_uint_eq(v.count, 9); /* n0+1 .. n0+9 */
	ck_assert_int_eq(v.head, n0 + 9);
	ck_assert_uint_eq(interval_get(&v, 1, NULL)->suspect, INTERVAL_AGENT_STOP);
	ck_assert_uint_eq(interval_unknown_s(&v, interval_get(&v, 1, NULL)), LEN);
	ck_assert_ptr_null(interval_check(&v));
	interval_forget_closed(&v);
	ck_assert_uint_eq(v.count, 0);
	ck_assert_ptr_null(interval_check(&v));
	/* The ring keeps INTERVAL_KEEP: 200 restored, the newest 96 kept. */
	interval_init(&v, LEN, T0 + 300 * LEN, 0);
	for (int32_t i = 0; i < 200; i++)
		ck_assert(restore_up(&v, n0 + i, (uint16_t)i));
	ck_assert_uint_eq(v.count, INTERVAL_KEEP);
	ck_assert_uint_eq(interval_secs(interval_get(&v, INTERVAL_KEEP, NULL), IV_UP),
	                  200 - INTERVAL_KEEP);
	ck_assert_ptr_null(interval_check(&v));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("interval");
	TCase *tc = tcase_create("interval");

	tcase_add_test(tc, test_alignment);
	tcase_add_test(tc, test_seconds_sum_to_length);
	tcase_add_test(tc, test_suspect_reasons);
	tcase_add_test(tc, test_restart_mid_interval);
	tcase_add_test(tc, test_rtt_loss_and_rates);
	tcase_add_test(tc, test_rtthist_percentiles);
	tcase_add_test(tc, test_pack_round_trip);
	tcase_add_test(tc, test_secs_fields);
	tcase_add_test(tc, test_restore_and_join);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
