/*
 * Flap detection starts and ends where the configuration says, and counts
 * only real changes of a line's reported state.
 */
#include "unit.h"

#include "flap.h"
#include "linestate.h"

START_TEST(flap_start_and_end)
{
	struct flap f = {0};
	struct flap_params p = {.count = 4, .window_s = 60};
	uint32_t t = 100;

	/* Four changes in the window are allowed... */
	for (int i = 0; i < 4; i++)
		ck_assert(!flap_change(&f, &p, t += 5));
	ck_assert(!f.flapping);
	/* ...the fifth starts flapping, once. */
	ck_assert(flap_change(&f, &p, t += 5));
	ck_assert(f.flapping);
	ck_assert_uint_eq(flap_changes(&f, &p, t), 5);
	for (int i = 0; i < 40; i++)
		ck_assert(!flap_change(&f, &p, t += 1));
	ck_assert_uint_eq(flap_changes(&f, &p, t), FLAP_COUNT_MAX + 1); /* ring limit */
	ck_assert(!flap_settled(&f, &p, t + 59));
	ck_assert(flap_settled(&f, &p, t + 60));
	ck_assert(!f.flapping);
	ck_assert(!flap_settled(&f, &p, t + 61)); /* reported once */
	ck_assert_uint_eq(flap_changes(&f, &p, t + 60), 0);
}
END_TEST

START_TEST(flap_slow_changes_never_flap)
{
	struct flap f = {0};
	struct flap_params p = {.count = 2, .window_s = 30};

	/* A change every 11 s: at most 3 within 30 s... */
	for (uint32_t t = 0; t < 1000; t += 16)
		ck_assert(!flap_change(&f, &p, t)); /* every 16 s: 2 per window */
	ck_assert(!f.flapping);
	f = (struct flap){0};
	bool started = false;
	for (uint32_t t = 0; t < 100; t += 11)
		started |= flap_change(&f, &p, t); /* 3 within 30 s */
	ck_assert(started);
}
END_TEST

START_TEST(flap_counts_real_changes_only)
{
	/* The first verdict after start-up is not a flap, nor is maintenance. */
	ck_assert(!flap_counts(LINE_UNKNOWN, LINE_UP));
	ck_assert(!flap_counts(LINE_UNKNOWN, LINE_DOWN));
	ck_assert(!flap_counts(LINE_UP, LINE_MAINTENANCE));
	ck_assert(!flap_counts(LINE_MAINTENANCE, LINE_DOWN));
	ck_assert(flap_counts(LINE_UP, LINE_DOWN));
	ck_assert(flap_counts(LINE_DOWN, LINE_UP));
	ck_assert(flap_counts(LINE_UP, LINE_DEGRADED));
	ck_assert(flap_counts(LINE_UNRESOLVED, LINE_UP));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("flap");
	TCase *tc = tcase_create("flap");

	tcase_add_test(tc, flap_start_and_end);
	tcase_add_test(tc, flap_slow_changes_never_flap);
	tcase_add_test(tc, flap_counts_real_changes_only);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
