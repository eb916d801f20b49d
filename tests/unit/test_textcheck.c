/*
 * textcheck: what a configured string may hold to be served as an SNMP
 * DisplayString (printable ASCII) or TslcdUtf8String (UTF-8 text).
 */
#include "unit.h"

#include <string.h>

#include "textcheck.h"

static const struct {
	const char *s;
	enum text_kind kind;
	const char *words; /* NULL: fit */
} cases[] = {
    {"", TEXT_ASCII, NULL},
    {"BN-01 x~", TEXT_ASCII, NULL},
    {"UBND t\xe1\xbb\x89nh B\xe1\xba\xaf"
     "c Ninh",
     TEXT_UTF8, NULL},
    {"\xf0\x9f\x98\x80", TEXT_UTF8, NULL}, /* U+1F600, 4 bytes */
    {"\xf4\x8f\xbf\xbf", TEXT_UTF8, NULL}, /* U+10FFFF, the last */
    {"B\xe1\xba\xaf", TEXT_ASCII, "not printable ASCII"},
    {"tab\there", TEXT_ASCII, "control character"},
    {"tab\there", TEXT_UTF8, "control character"},
    {"del\x7f", TEXT_UTF8, "control character"},
    {"c1 \xc2\x85", TEXT_UTF8, "control character"},    /* U+0085 NEL */
    {"latin1 \xe9t\xe9", TEXT_UTF8, "not valid UTF-8"}, /* bare continuation */
    {"\xc0\xaf", TEXT_UTF8, "not valid UTF-8"},         /* overlong '/' */
    {"\xe0\x80\xaf", TEXT_UTF8, "not valid UTF-8"},     /* overlong, 3 bytes */
    {"\xed\xa0\x80", TEXT_UTF8, "not valid UTF-8"},     /* surrogate U+D800 */
    {"\xf4\x90\x80\x80", TEXT_UTF8, "not valid UTF-8"}, /* above U+10FFFF */
    {"cut \xe1\xba", TEXT_UTF8, "not valid UTF-8"},     /* truncated at the end */
    {"\xff", TEXT_UTF8, "not valid UTF-8"},
};

START_TEST(classified)
{
	const char *why = textcheck_problem(cases[_i].s, cases[_i].kind);

	if (!cases[_i].words)
		ck_assert_msg(why == NULL, "case %d: %s", _i, why);
	else
		ck_assert_msg(why && strstr(why, cases[_i].words), "case %d: %s", _i,
		              why ? why : "(fit)");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("textcheck");
	TCase *tc = tcase_create("textcheck");

	tcase_add_loop_test(tc, classified, 0, sizeof(cases) / sizeof(cases[0]));
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
