/*
 * config_text: comments become blanks with every newline kept (so libconfuse's
 * line numbers are right), strings are left alone, and the defects
 * libconfuse would let through are found at the right line.
 */
#include "unit.h"
#include <stdlib.h>
#include <string.h>

#include "config_text.h"

static int bad, unclosed;
static const char *what;

static char *strip(const char *s)
{
	what = "";
	return config_text_strip(s, strlen(s), &bad, &what, &unclosed);
}

START_TEST(comments_become_blanks)
{
	char *t = strip("# a\nid = 1 // b\n/* c\n d */ x = 2\n");

	ck_assert_ptr_nonnull(t);
	ck_assert_str_eq(t, "   \nid = 1     \n    \n      x = 2\n");
	ck_assert_int_eq(unclosed, 0);
	free(t);
}
END_TEST

START_TEST(strings_untouched)
{
	const char *in = "a = \"x # y // z /* w\"\nb = 'it''s # not'\nc = \"q\\\"#\"\n"
	                 "d = '${literal}'\ne = \"\\${escaped}\"\n";
	char *t = strip(in);

	ck_assert_ptr_nonnull(t);
	ck_assert_str_eq(t, in);
	free(t);
}
END_TEST

START_TEST(env_syntax_in_comment_is_fine)
{
	char *t = strip("x = 1 # ${comment}\n");

	ck_assert_ptr_nonnull(t);
	free(t);
}
END_TEST

START_TEST(slash_star_slash_does_not_close)
{
	char *t = strip("/*/ still comment */a\n");

	ck_assert_ptr_nonnull(t);
	ck_assert_str_eq(t, "                    a\n");
	free(t);
}
END_TEST

static const struct {
	const char *text;
	int line;
	const char *words;
} defects[] = {
    {"a = 1\nb = \"x\0y\"\n", 2, "NUL byte"},
    {"a = 1\n\n/* open\n\n", 3, "never closed"},
    {"a = 1\nname = \"no end\nb = 2\n", 2, "does not end on its line"},
    {"a = 'x", 1, "never closed"},
    /* libconfuse would put the environment there (README, "Design notes") */
    {"a = 1\nb = ${PATH}\n", 2, "'${' is refused"},
    {"a = 1\n\nb = \"x${HOME:-y}\"\n", 3, "environment variable"},
};

START_TEST(defect_found)
{
	size_t len = strlen(defects[_i].text);

	if (_i == 0)
		len = 15; /* past the NUL */
	what = "";
	ck_assert_ptr_null(config_text_strip(defects[_i].text, len, &bad, &what, &unclosed));
	ck_assert_int_eq(bad, defects[_i].line);
	ck_assert_msg(strstr(what, defects[_i].words), "'%s' not in '%s'", defects[_i].words, what);
}
END_TEST

START_TEST(unclosed_section_line)
{
	char *t = strip("office {\n id = 1\n line {\n }\n line { # }\n");

	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(unclosed, 5); /* the innermost open section */
	free(t);
	t = strip("office {\n}\n");
	ck_assert_int_eq(unclosed, 0);
	free(t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("config_text");
	TCase *tc = tcase_create("config_text");

	tcase_add_test(tc, comments_become_blanks);
	tcase_add_test(tc, strings_untouched);
	tcase_add_test(tc, env_syntax_in_comment_is_fine);
	tcase_add_test(tc, slash_star_slash_does_not_close);
	tcase_add_loop_test(tc, defect_found, 0, sizeof(defects) / sizeof(defects[0]));
	tcase_add_test(tc, unclosed_section_line);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
