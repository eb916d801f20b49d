/*
 * grow: the one doubling array used by the loop, the alarm set, shelves
 * and the ICMP send queue.
 */
#include "unit.h"

#include <stdint.h>
#include <stdlib.h>

#include "grow.h"

START_TEST(doubles_from_first)
{
	size_t cap = 0;
	int *v = grow_array(NULL, &cap, 1, sizeof(*v), 8);

	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(cap, 8);
	for (int i = 0; i < 8; i++)
		v[i] = i;
	v = grow_array(v, &cap, 9, sizeof(*v), 8);
	ck_assert_uint_eq(cap, 16);
	for (int i = 0; i < 8; i++)
		ck_assert_int_eq(v[i], i); /* kept across the move */
	v = grow_array(v, &cap, 100, sizeof(*v), 8);
	ck_assert_uint_eq(cap, 128); /* doubled until it fits */
	free(v);
}
END_TEST

START_TEST(enough_room_is_a_no_op)
{
	size_t cap = 4;
	int *v = calloc(cap, sizeof(*v));

	ck_assert_ptr_eq(grow_array(v, &cap, 4, sizeof(*v), 8), v);
	ck_assert_uint_eq(cap, 4);
	free(v);
}
END_TEST

/* An overflowing size must fail, never wrap to a small allocation. */
START_TEST(overflow_refused_and_untouched)
{
	size_t cap = 4;
	int *v = calloc(cap, sizeof(*v));

	ck_assert_ptr_null(grow_array(v, &cap, SIZE_MAX, sizeof(*v), 8));
	ck_assert_ptr_null(grow_array(v, &cap, SIZE_MAX / 2, 16, 8));
	ck_assert_uint_eq(cap, 4);
	v[3] = 7; /* still ours, still valid */
	free(v);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("grow");
	TCase *tc = tcase_create("grow");

	tcase_add_test(tc, doubles_from_first);
	tcase_add_test(tc, enough_room_is_a_no_op);
	tcase_add_test(tc, overflow_refused_and_untouched);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
