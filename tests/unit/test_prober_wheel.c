/* Unit tests for prober_wheel: slot order, arming order within a slot,
 * cancels from callbacks, re-arms wait for the next pass, entries due a
 * whole turn later are passed over. */
#include "unit.h"
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "loop.h"
#include "prober_wheel.h"

#define N    2000
#define SLOT PROBER_WHEEL_SLOT_MS
#define TURN (4096u * SLOT) /* the wheel's length, prober_wheel.c */

struct item {
	struct prober_wheel_entry e;
	unsigned id;
	uint64_t at_ms, fired_ms;
	unsigned pass; /* loop pass it fired in */
};

static struct item items[N];
static unsigned order[N], n_fired, pass_no;
static void (*on_fire)(struct item *it);

static void fire(struct prober_wheel_entry *e)
{
	struct item *it = (struct item *)((char *)e - offsetof(struct item, e));

	it->fired_ms = loop_now_ms();
	it->pass = pass_no;
	order[n_fired++] = it->id;
	if (on_fire)
		on_fire(it);
}

/* Counts loop passes: a deferred call runs once per pass. */
static void count_pass(void *arg);

static void tick(void *arg)
{
	(void)arg;
	loop_defer(count_pass, NULL);
	loop_timer_add(1, tick, NULL);
}

static void count_pass(void *arg)
{
	(void)arg;
	pass_no++;
}

static void on_stop(void *arg)
{
	(void)arg;
	loop_stop();
}

static void setup(void)
{
	ck_assert_int_eq(loop_init(), 0);
	prober_wheel_init(fire);
	memset(items, 0, sizeof(items));
	n_fired = pass_no = 0;
	on_fire = NULL;
	for (unsigned i = 0; i < N; i++)
		items[i].id = i;
}

static void teardown(void)
{
	prober_wheel_shutdown();
	loop_shutdown();
}

static void run_ms(uint64_t ms)
{
	ck_assert_ptr_nonnull(loop_timer_add(ms, on_stop, NULL));
	ck_assert_int_eq(loop_run(), 0);
}

static uint64_t slot_of(uint64_t ms)
{
	return (ms + SLOT - 1) / SLOT;
}

/* Thousands of entries over a few slots, a third cancelled and some moved:
 * the rest fire once, never before their slot, by slot and then in the
 * order they were (last) armed. */
START_TEST(fires_by_slot_then_arming_order)
{
	uint64_t now = loop_now_ms_fresh();
	unsigned seq[N], next_seq = 0;

	srandom(11);
	for (unsigned i = 0; i < N; i++) {
		items[i].at_ms = now + (uint64_t)(random() % 80);
		prober_wheel_arm(&items[i].e, items[i].at_ms);
		seq[i] = next_seq++;
	}
	for (unsigned i = 0; i < N; i += 3)
		prober_wheel_cancel(&items[(i * 7919u) % N].e);
	prober_wheel_cancel(&items[(3 * 7919u) % N].e); /* idle already: no-op */
	for (unsigned i = 1; i < N; i += 50) {
		if (!prober_wheel_armed(&items[i].e))
			continue;
		items[i].at_ms = now + 5;
		prober_wheel_arm(&items[i].e, items[i].at_ms);
		seq[i] = next_seq++;
	}
	run_ms(150);

	unsigned expect = 0;
	for (unsigned i = 0; i < N; i++)
		expect += items[i].fired_ms != 0;
	ck_assert_uint_eq(n_fired, expect);
	ck_assert_uint_gt(n_fired, N / 2);
	for (unsigned k = 0; k < n_fired; k++) {
		struct item *b = &items[order[k]];

		ck_assert(!prober_wheel_armed(&b->e));
		ck_assert_uint_ge(b->fired_ms, slot_of(b->at_ms) * SLOT);
		if (k == 0)
			continue;
		struct item *a = &items[order[k - 1]];
		uint64_t sa = slot_of(a->at_ms), sb = slot_of(b->at_ms);
		ck_assert(sa < sb || (sa == sb && seq[a->id] < seq[b->id]));
	}
}
END_TEST

/* Inside a callback: cancel another entry due in the same pass, and re-arm
 * itself for a past time; the cancelled one never fires, the re-armed one
 * fires once more, on a later pass. */
static void cancel_and_rearm(struct item *it)
{
	if (it->id != 0 || n_fired > 1)
		return;
	prober_wheel_cancel(&items[1].e);
	prober_wheel_arm(&it->e, 0);
}

START_TEST(callback_cancels_and_rearms)
{
	uint64_t now = loop_now_ms_fresh();

	on_fire = cancel_and_rearm;
	loop_timer_add(0, tick, NULL);
	for (unsigned i = 0; i < 3; i++)
		prober_wheel_arm(&items[i].e, now + 20);
	run_ms(100);
	ck_assert_uint_eq(n_fired, 3);
	ck_assert_uint_eq(order[0], 0);
	ck_assert_uint_eq(order[1], 2);
	ck_assert_uint_eq(order[2], 0);
	ck_assert_uint_eq(items[1].fired_ms, 0);
	ck_assert_uint_gt(items[0].pass, items[2].pass);
}
END_TEST

/* An entry due a whole turn later shares its bucket with one due now: it
 * is passed over, and stays armed. */
START_TEST(later_turns_passed_over)
{
	uint64_t now = loop_now_ms_fresh();

	prober_wheel_arm(&items[0].e, now + 30 + TURN);
	prober_wheel_arm(&items[1].e, now + 30);
	prober_wheel_arm(&items[2].e, now + 60 + 2 * TURN);
	run_ms(120);
	ck_assert_uint_eq(n_fired, 1);
	ck_assert_uint_eq(order[0], 1);
	ck_assert(prober_wheel_armed(&items[0].e));
	ck_assert(prober_wheel_armed(&items[2].e));
}
END_TEST

/* Few entries far apart: the wheel sleeps until the next one, and an
 * earlier arm moves the wake-up forward. */
START_TEST(earlier_arm_wakes_sooner)
{
	uint64_t now = loop_now_ms_fresh();

	prober_wheel_arm(&items[0].e, now + 2000);
	prober_wheel_arm(&items[1].e, now + 40);
	run_ms(200);
	ck_assert_uint_eq(n_fired, 1);
	ck_assert_uint_eq(order[0], 1); /* else not within 200 ms */
}
END_TEST

static Suite *wheel_suite(void)
{
	Suite *s = suite_create("prober_wheel");
	TCase *tc = tcase_create("wheel");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, fires_by_slot_then_arming_order);
	tcase_add_test(tc, callback_cancels_and_rearms);
	tcase_add_test(tc, later_turns_passed_over);
	tcase_add_test(tc, earlier_arm_wakes_sooner);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(wheel_suite)
