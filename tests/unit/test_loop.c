/* Unit tests for the loop's timers: order by (due, insertion), cancels. */
#include "unit.h"
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "loop.h"

#define N_TIMERS 3000

static unsigned fired[N_TIMERS], n_fired;
static unsigned delay_of[N_TIMERS];

static void on_timer(void *arg)
{
	fired[n_fired++] = (unsigned)(uintptr_t)arg;
}

static void on_stop(void *arg)
{
	(void)arg;
	loop_stop();
}

/* Thousands of timers with few distinct delays, a third cancelled in a
 * scattered order (middles of the heap, not only its end): the rest fire
 * by delay, and in insertion order within one delay. */
START_TEST(timers_fire_in_order)
{
	static struct loop_timer *t[N_TIMERS];

	ck_assert_int_eq(loop_init(), 0);
	srandom(7);
	for (unsigned i = 0; i < N_TIMERS; i++) {
		delay_of[i] = (unsigned)(random() % 20);
		t[i] = loop_timer_add(delay_of[i], on_timer, (void *)(uintptr_t)i);
		ck_assert_ptr_nonnull(t[i]);
	}
	for (unsigned i = 0; i < N_TIMERS; i += 3) {
		loop_timer_cancel(t[(i * 7919u) % N_TIMERS]);
		t[(i * 7919u) % N_TIMERS] = NULL;
	}
	ck_assert_ptr_nonnull(loop_timer_add(60, on_stop, NULL));
	ck_assert_int_eq(loop_run(), 0);

	unsigned expect = 0;
	for (unsigned i = 0; i < N_TIMERS; i++)
		expect += t[i] != NULL;
	ck_assert_uint_eq(n_fired, expect);
	for (unsigned k = 0; k < n_fired; k++) {
		ck_assert_ptr_nonnull(t[fired[k]]); /* never a cancelled one */
		if (k == 0)
			continue;
		unsigned a = fired[k - 1], b = fired[k];
		ck_assert(delay_of[a] < delay_of[b] || (delay_of[a] == delay_of[b] && a < b));
	}
	loop_shutdown();
}
END_TEST

/* ---- deferred calls ---- */

static char trace[16];
static unsigned n_trace;

static void on_deferred_again(void *arg)
{
	(void)arg;
	trace[n_trace++] = 'e';
}

static void on_deferred(void *arg)
{
	(void)arg;
	trace[n_trace++] = 'd';
	ck_assert_int_eq(loop_defer(on_deferred_again, NULL), 0);
}

static void on_mark(void *arg)
{
	trace[n_trace++] = (char)(uintptr_t)arg;
	if (trace[n_trace - 1] == 'a')
		ck_assert_int_eq(loop_defer(on_deferred, NULL), 0);
}

/* A deferred call runs once, after every timer due in its pass (the batch
 * is complete) and, with what it defers in turn, before the loop sleeps
 * (the timer 20 ms later comes after both). */
START_TEST(deferred_after_due_timers)
{
	ck_assert_int_eq(loop_init(), 0);
	n_trace = 0;
	ck_assert_ptr_nonnull(loop_timer_add(5, on_mark, (void *)(uintptr_t)'a'));
	ck_assert_ptr_nonnull(loop_timer_add(5, on_mark, (void *)(uintptr_t)'b'));
	ck_assert_ptr_nonnull(loop_timer_add(25, on_mark, (void *)(uintptr_t)'z'));
	ck_assert_ptr_nonnull(loop_timer_add(60, on_stop, NULL));
	ck_assert_int_eq(loop_run(), 0);
	trace[n_trace] = 0;
	ck_assert_str_eq(trace, "abdez");
	loop_shutdown();
}
END_TEST

/* ---- the clock a callback sees ---- */

static uint64_t seen_ms, true_ms;

static void on_slow(void *arg)
{
	(void)arg;
	struct timespec ts = {0, 300 * 1000000L};
	while (nanosleep(&ts, &ts) != 0)
		;
}

static void on_read_clock(void *arg)
{
	(void)arg;
	seen_ms = loop_now_ms();
	true_ms = loop_clock_us() / 1000u;
	loop_stop();
}

/* Two timers due together, the first slow (300 ms): the second's
 * loop_now_ms() is the time it began, not the pass's start.  The per-second
 * tick pairs it with time(NULL); 300 ms stale would book as a wall-clock
 * step (seconds left unknown in every line's interval). */
START_TEST(callback_sees_fresh_clock)
{
	ck_assert_int_eq(loop_init(), 0);
	ck_assert_ptr_nonnull(loop_timer_add(5, on_slow, NULL));
	ck_assert_ptr_nonnull(loop_timer_add(5, on_read_clock, NULL));
	ck_assert_int_eq(loop_run(), 0);
	ck_assert_uint_le(seen_ms, true_ms);
	ck_assert_msg(true_ms - seen_ms < 100, "the callback's clock was %llu ms stale",
	              (unsigned long long)(true_ms - seen_ms));
	loop_shutdown();
}
END_TEST

static Suite *loop_suite(void)
{
	Suite *s = suite_create("loop");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, timers_fire_in_order);
	tcase_add_test(tc, deferred_after_due_timers);
	tcase_add_test(tc, callback_sees_fresh_clock);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(loop_suite)
