/*
 * log_escape: control characters (C0, DEL, C1 in UTF-8) become \xNN so a
 * file name cannot forge a log line; other UTF-8 (Vietnamese names) is
 * kept; truncation never cuts an escape in half.
 */
#include "unit.h"
#include <string.h>

#include "log.h"

START_TEST(controls_escaped)
{
	char out[128];

	log_escape(out, sizeof(out), "evil\nFORGED\x1b[31m\x7f\xc2\x9b.conf");
	ck_assert_str_eq(out, "evil\\x0aFORGED\\x1b[31m\\x7f\\xc2\\x9b.conf");
	log_escape(out, sizeof(out), "UBND X\xc3\xa3 M\xc6\xb0\xe1\xbb\x9di Hai\t1");
	ck_assert_str_eq(out, "UBND X\xc3\xa3 M\xc6\xb0\xe1\xbb\x9di Hai\\x091");
}
END_TEST

START_TEST(truncation_keeps_escapes_whole)
{
	char out[8];

	log_escape(out, sizeof(out), "ab\ncd");
	ck_assert_str_eq(out, "ab\\x0ac"); /* 7 bytes and the NUL */
	log_escape(out, 6, "ab\ncd");
	ck_assert_str_eq(out, "ab"); /* "\x0a" would not fit whole */
	log_escape(out, 1, "abc");
	ck_assert_str_eq(out, "");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("log");

	tcase_add_test(tc, controls_escaped);
	tcase_add_test(tc, truncation_keeps_escapes_whole);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
