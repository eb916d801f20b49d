/*
 * numarg: strict whole numbers for tslcdctl and the control socket
 * ("4294967297" and "1abc" were both once taken as 1).
 */
#include "unit.h"

#include "numarg.h"

static const char *const refused[] = {
    "",     "1abc", "4294967297", "4294967296",           "-1", "+1",  " 1", "1 ",
    "0x10", "1.5",  "abc",        "18446744073709551617", "0",  "1e3",
};

START_TEST(refuses_loose_numbers)
{
	uint32_t v = 77;

	ck_assert_msg(!numarg_u32(refused[_i], 1, UINT32_MAX, &v), "'%s' accepted", refused[_i]);
	ck_assert_uint_eq(v, 77);
}
END_TEST

START_TEST(accepts_whole_numbers)
{
	uint32_t v = 0;

	ck_assert(numarg_u32("1", 1, UINT32_MAX, &v) && v == 1);
	ck_assert(numarg_u32("4294967295", 1, UINT32_MAX, &v) && v == UINT32_MAX);
	ck_assert(numarg_u32("007", 1, UINT32_MAX, &v) && v == 7);
	ck_assert(numarg_u32("0", 0, 10, &v) && v == 0);
	ck_assert(!numarg_u32("11", 0, 10, &v));
	ck_assert(!numarg_u32(NULL, 0, 10, &v));
}
END_TEST

static const char *const bad_refs[] = {
    "1",   "1.",  ".1",   "1.1abc", "1abc.1", "4294967297.1", "1.4294967297",
    "0.1", "1.0", "1..1", "1.1.1",  "-1.1",   "1.-1",         " 1.1",
};

START_TEST(refuses_loose_line_refs)
{
	uint32_t o = 5, l = 6;

	ck_assert_msg(!numarg_line_ref(bad_refs[_i], &o, &l), "'%s' accepted", bad_refs[_i]);
	ck_assert(o == 5 && l == 6);
}
END_TEST

START_TEST(accepts_line_refs)
{
	uint32_t o = 0, l = 0;

	ck_assert(numarg_line_ref("12.2", &o, &l) && o == 12 && l == 2);
	ck_assert(numarg_line_ref("4294967295.4294967295", &o, &l) && o == UINT32_MAX &&
	          l == UINT32_MAX);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("numarg");
	TCase *tc = tcase_create("numarg");

	tcase_add_loop_test(tc, refuses_loose_numbers, 0, sizeof(refused) / sizeof(refused[0]));
	tcase_add_test(tc, accepts_whole_numbers);
	tcase_add_loop_test(tc, refuses_loose_line_refs, 0, sizeof(bad_refs) / sizeof(bad_refs[0]));
	tcase_add_test(tc, accepts_line_refs);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
