/* Unit tests for the figures in notification texts: the units people read. */
#include "unit.h"

#include "notify.h"

START_TEST(test_percent)
{
	char b[24];
	ck_assert_str_eq(notify_human(b, sizeof(b), 1000000, false), "100 %");
	ck_assert_str_eq(notify_human(b, sizeof(b), 400000, false), "40 %");
	ck_assert_str_eq(notify_human(b, sizeof(b), 12345, false), "1.23 %");
	ck_assert_str_eq(notify_human(b, sizeof(b), 999950, false), "99.99 %");
	ck_assert_str_eq(notify_human(b, sizeof(b), 0, false), "0 %");
}
END_TEST

START_TEST(test_milliseconds)
{
	char b[24];
	ck_assert_str_eq(notify_human(b, sizeof(b), 200000, true), "200 ms");
	ck_assert_str_eq(notify_human(b, sizeof(b), 1500, true), "1.50 ms");
	ck_assert_str_eq(notify_human(b, sizeof(b), 999, true), "0.99 ms");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("notify_text");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_percent);
	tcase_add_test(tc, test_milliseconds);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
