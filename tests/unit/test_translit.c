/* Unit tests for translit: Vietnamese folds to ASCII, the rest is safe. */
#include "unit.h"

#include "translit.h"

static const char *fold(const char *in)
{
	static char out[128];
	return translit_ascii(in, out, sizeof(out));
}

START_TEST(test_vietnamese_names)
{
	ck_assert_str_eq(fold("Ủy ban nhân dân tỉnh Bắc Ninh"), "Uy ban nhan dan tinh Bac Ninh");
	ck_assert_str_eq(fold("Sở Khoa học và Công nghệ"), "So Khoa hoc va Cong nghe");
	ck_assert_str_eq(fold("Đà Nẵng, đường Trần Phú"), "Da Nang, duong Tran Phu");
	ck_assert_str_eq(fold("ƯỚC ĐỊNH ỲÝỶỸỴ"), "UOC DINH YYYYY");
	ck_assert_str_eq(fold("plain ASCII 100 %"), "plain ASCII 100 %");
}
END_TEST

START_TEST(test_decomposed_and_foreign)
{
	/* "Việt" written with combining marks: base letters stay, marks go. */
	ck_assert_str_eq(fold("Vi\x65\xcc\x82\xcc\xa3t"), "Viet");
	ck_assert_str_eq(fold("Zürich €"), "Z?rich ?");
	ck_assert_str_eq(fold("bad \xff\xc3 byte"), "bad ?? byte");
	ck_assert_str_eq(fold(NULL), "");
}
END_TEST

START_TEST(test_truncation)
{
	char out[6];
	ck_assert_str_eq(translit_ascii("Đường dài", out, sizeof(out)), "Duong");
	ck_assert_str_eq(translit_ascii("abc", out, 1), "");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("translit");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_vietnamese_names);
	tcase_add_test(tc, test_decomposed_and_foreign);
	tcase_add_test(tc, test_truncation);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
