/* Unit tests for outage: ring order, wraparound, annotate, cause names. */
#include "unit.h"
#include <stdlib.h>
#include <string.h>

#include "outage.h"

/* Open and close one outage per call, starting at 1000*i. */
static void open_close(struct outage_ring *r, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		int64_t t = 1000 * (int64_t)(r->last_index + 1);

		ck_assert_ptr_nonnull(outage_open(r, t, 0, 0, NULL));
		ck_assert_ptr_nonnull(outage_close(r, t + 60));
	}
}

START_TEST(test_lazy_allocation)
{
	struct outage_ring r, zero = {0};
	struct outage *o;

	outage_ring_init(&r, 0);
	ck_assert_uint_eq(r.capacity, OUTAGE_RING_DEFAULT);
	ck_assert_ptr_null(r.slot);
	ck_assert_ptr_null(outage_next(&r, 0));
	ck_assert_ptr_null(outage_find(&r, 1));
	ck_assert_ptr_null(outage_current(&r));
	ck_assert_ptr_null(outage_close(&r, 5));
	outage_ring_free(&r);
	outage_ring_init(&r, 100000);
	ck_assert_uint_eq(r.capacity, OUTAGE_RING_MAX_ENTRIES);
	outage_ring_free(&r);

	/* A zeroed ring (calloc'd line) works without init. */
	o = outage_open(&zero, 10, 0, 0, NULL);
	ck_assert_ptr_nonnull(o);
	ck_assert_uint_eq(o->index, 1);
	ck_assert_uint_eq(zero.capacity, OUTAGE_RING_DEFAULT);
	outage_ring_free(&zero);
}
END_TEST

START_TEST(test_open_close)
{
	struct outage_ring r;
	struct outage *o, *again;
	bool already = true;

	outage_ring_init(&r, 4);
	o = outage_open(&r, 1000, 12345, 1000000, &already);
	ck_assert_ptr_nonnull(o);
	ck_assert(!already);
	ck_assert_uint_eq(o->index, 1);
	ck_assert_int_eq(o->start, 1000);
	ck_assert_int_eq(o->end, 0);
	ck_assert_uint_eq(o->cause, OUTAGE_CAUSE_UNKNOWN);
	ck_assert_str_eq(o->ticket, "");
	ck_assert_uint_eq(o->last_rtt_us, 12345);
	ck_assert_uint_eq(o->loss_ppm, 1000000);
	ck_assert_ptr_eq(outage_current(&r), o);

	/* A second open while one is open returns the same, untouched. */
	again = outage_open(&r, 2000, 1, 1, &already);
	ck_assert(already);
	ck_assert_ptr_eq(again, o);
	ck_assert_int_eq(o->start, 1000);
	ck_assert_uint_eq(r.count, 1);

	ck_assert_ptr_eq(outage_close(&r, 1500), o);
	ck_assert_int_eq(o->end, 1500);
	ck_assert_ptr_null(outage_current(&r));
	ck_assert_ptr_null(outage_close(&r, 1600));

	/* Clock stepped back: the end never precedes the start. */
	o = outage_open(&r, 3000, 0, 0, NULL);
	ck_assert_uint_eq(o->index, 2);
	outage_close(&r, 2900);
	ck_assert_int_eq(o->end, 3000);
	outage_ring_free(&r);
}
END_TEST

START_TEST(test_wraparound_and_order)
{
	struct outage_ring r;
	struct outage *o;
	uint32_t want = 7, after = 0;

	outage_ring_init(&r, 4);
	open_close(&r, 10);
	ck_assert_uint_eq(r.count, 4);
	ck_assert_uint_eq(r.last_index, 10);
	/* Only 7..10 survive, walked in index order. */
	while ((o = outage_next(&r, after)) != NULL) {
		ck_assert_uint_eq(o->index, want);
		ck_assert_int_eq(o->start, 1000 * (int64_t)want);
		after = o->index;
		want++;
	}
	ck_assert_uint_eq(want, 11);
	ck_assert_ptr_null(outage_find(&r, 6));
	ck_assert_ptr_null(outage_find(&r, 11));
	ck_assert_uint_eq(outage_find(&r, 9)->index, 9);
	ck_assert_uint_eq(outage_next(&r, 3)->index, 7);
	ck_assert_uint_eq(outage_next(&r, 8)->index, 9);
	ck_assert_ptr_null(outage_next(&r, 10));
	ck_assert_ptr_null(outage_next(&r, UINT32_MAX));
	outage_ring_free(&r);
}
END_TEST

START_TEST(test_index_never_reused)
{
	struct outage_ring r, saved;
	struct outage *o;

	outage_ring_init(&r, 2);
	open_close(&r, 5);
	/* Restart with the persisted last_index and entries. */
	outage_ring_init(&saved, 2);
	for (o = outage_next(&r, 0); o; o = outage_next(&r, o->index))
		ck_assert_ptr_null(outage_restore(&saved, o));
	saved.last_index = r.last_index;
	o = outage_open(&saved, 9000, 0, 0, NULL);
	ck_assert_uint_eq(o->index, 6);
	outage_close(&saved, 9100);
	ck_assert_ptr_null(outage_find(&saved, 4));
	ck_assert_uint_eq(outage_next(&saved, 0)->index, 5);

	/* Even a restore without last_index cannot make an index go back. */
	outage_ring_free(&saved);
	outage_ring_init(&saved, 2);
	ck_assert_ptr_null(outage_restore(&saved, outage_find(&r, 5)));
	ck_assert_uint_eq(saved.last_index, 5);
	ck_assert_ptr_nonnull(outage_restore(&saved, outage_find(&r, 4)));

	/* The end of the index space stops opening rather than wrapping. */
	saved.last_index = UINT32_MAX - 1;
	o = outage_open(&saved, 10000, 0, 0, NULL);
	ck_assert_uint_eq(o->index, UINT32_MAX);
	outage_close(&saved, 10001);
	ck_assert_ptr_null(outage_open(&saved, 10002, 0, 0, NULL));
	ck_assert_ptr_eq(outage_next(&saved, 5), o);
	outage_ring_free(&saved);
	outage_ring_free(&r);
}
END_TEST

START_TEST(test_restore_checks)
{
	struct outage_ring r;
	struct outage o = {.index = 3, .start = 100, .end = 0, .cause = 2};

	outage_ring_init(&r, 4);
	ck_assert_ptr_null(outage_restore(&r, &o));
	ck_assert_ptr_eq(outage_current(&r), outage_find(&r, 3));
	o.index = 4;
	ck_assert_ptr_nonnull(outage_restore(&r, &o)); /* after an open one */
	outage_close(&r, 200);
	o.cause = 0;
	ck_assert_ptr_nonnull(outage_restore(&r, &o));
	o.cause = 9;
	memset(o.ticket, 'x', sizeof(o.ticket));
	ck_assert_ptr_nonnull(outage_restore(&r, &o));
	strcpy(o.ticket, "OMC-1");
	o.index = 0;
	ck_assert_ptr_nonnull(outage_restore(&r, &o));
	o.index = 4;
	ck_assert_ptr_null(outage_restore(&r, &o));
	ck_assert_str_eq(outage_find(&r, 4)->ticket, "OMC-1");
	outage_ring_free(&r);
}
END_TEST

START_TEST(test_set_capacity)
{
	struct outage_ring r;

	outage_ring_init(&r, 8);
	ck_assert(outage_ring_set_capacity(&r, 3));
	ck_assert_ptr_null(r.slot);
	open_close(&r, 5);
	ck_assert(outage_ring_set_capacity(&r, 2));
	ck_assert_uint_eq(r.count, 2);
	ck_assert_uint_eq(outage_next(&r, 0)->index, 4);
	ck_assert(outage_ring_set_capacity(&r, 6));
	open_close(&r, 2);
	ck_assert_uint_eq(r.count, 4);
	ck_assert_uint_eq(outage_next(&r, 0)->index, 4);
	ck_assert_uint_eq(outage_find(&r, 7)->index, 7);
	outage_ring_free(&r);
}
END_TEST

START_TEST(test_annotate)
{
	struct outage_ring r;
	struct outage *open, *closed;

	outage_ring_init(&r, 4);
	closed = outage_open(&r, 100, 0, 0, NULL);
	outage_close(&r, 200);
	open = outage_open(&r, 300, 0, 0, NULL);

	ck_assert_ptr_null(
	    outage_annotate(closed, OUTAGE_CAUSE_POWER_LOSS, "VNPT-HD-2026-0042", 17));
	ck_assert_uint_eq(closed->cause, OUTAGE_CAUSE_POWER_LOSS);
	ck_assert_str_eq(closed->ticket, "VNPT-HD-2026-0042");
	ck_assert_ptr_null(outage_annotate(open, OUTAGE_CAUSE_FIBER_CUT, "abc", 3));
	ck_assert_uint_eq(open->cause, OUTAGE_CAUSE_FIBER_CUT);
	ck_assert_str_eq(open->ticket, "abc");
	ck_assert_int_eq(open->end, 0);

	/* Bad cause or bad ticket: nothing changes. */
	ck_assert_ptr_nonnull(outage_annotate(open, 0, "new", 3));
	ck_assert_ptr_nonnull(outage_annotate(open, 11, "new", 3));
	ck_assert_ptr_nonnull(outage_annotate(open, OUTAGE_CAUSE_CPE_FAULT, "a\tb", 3));
	ck_assert_ptr_nonnull(outage_annotate(open, OUTAGE_CAUSE_CPE_FAULT, "\xc3\xa1", 2));
	ck_assert_ptr_nonnull(
	    outage_annotate(open, OUTAGE_CAUSE_CPE_FAULT, "123456789012345678901234567890123", 33));
	ck_assert_uint_eq(open->cause, OUTAGE_CAUSE_FIBER_CUT);
	ck_assert_str_eq(open->ticket, "abc");

	/* 32 characters fit; a buffer that is not NUL-terminated is fine; len 0 clears. */
	ck_assert_ptr_null(outage_annotate(open, OUTAGE_CAUSE_CPE_FAULT,
	                                   "12345678901234567890123456789012XYZ", 32));
	ck_assert_str_eq(open->ticket, "12345678901234567890123456789012");
	ck_assert_ptr_null(outage_annotate(open, OUTAGE_CAUSE_UNKNOWN, NULL, 0));
	ck_assert_str_eq(open->ticket, "");
	outage_ring_free(&r);
}
END_TEST

START_TEST(test_cause_names)
{
	static const char *const names[] = {
	    "unknown",     "powerLoss",       "fiberCut",          "cpeFault",    "providerNetwork",
	    "customerLan", "naturalDisaster", "securityIsolation", "plannedWork", "upstream",
	};

	for (int c = 1; c <= 10; c++) {
		ck_assert_str_eq(outage_cause_name(c), names[c - 1]);
		ck_assert_int_eq(outage_cause_parse(names[c - 1]), c);
	}
	ck_assert_int_eq(outage_cause_parse("POWERLOSS"), OUTAGE_CAUSE_POWER_LOSS);
	ck_assert_int_eq(outage_cause_parse("fibercut"), OUTAGE_CAUSE_FIBER_CUT);
	ck_assert_int_eq(outage_cause_parse("power"), -1);
	ck_assert_int_eq(outage_cause_parse(""), -1);
	ck_assert_ptr_null(outage_cause_name(0));
	ck_assert_ptr_null(outage_cause_name(11));
	ck_assert_ptr_null(outage_cause_name(-1));
}
END_TEST

static Suite *outage_suite(void)
{
	Suite *s = suite_create("outage");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_lazy_allocation);
	tcase_add_test(tc, test_open_close);
	tcase_add_test(tc, test_wraparound_and_order);
	tcase_add_test(tc, test_index_never_reused);
	tcase_add_test(tc, test_restore_checks);
	tcase_add_test(tc, test_set_capacity);
	tcase_add_test(tc, test_annotate);
	tcase_add_test(tc, test_cause_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(outage_suite());
}
