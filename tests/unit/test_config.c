/*
 * Config parsing: good files load with the right values; each kind of bad
 * file is rejected with a message naming the file and the right line.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

static char path[64];
static char errors[4096];

static void collect(void *ctx, const char *msg)
{
	(void)ctx;
	strncat(errors, msg, sizeof(errors) - strlen(errors) - 2);
	strcat(errors, "\n");
}

static struct tslcd_config *load_text(const char *text)
{
	snprintf(path, sizeof(path), "/tmp/tslcd-test-XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	errors[0] = '\0';
	struct tslcd_config *c = config_load(path, collect, NULL);
	unlink(path);
	return c;
}

/* The first error must contain "PATH:LINE:" and the given words. */
static void expect_error(const char *text, int line, const char *words)
{
	struct tslcd_config *c = load_text(text);
	char where[96];

	ck_assert_msg(c == NULL, "config was accepted: %s", text);
	snprintf(where, sizeof(where), "%s:%d:", path, line);
	ck_assert_msg(strstr(errors, where) != NULL, "expected '%s' in: %s", where, errors);
	ck_assert_msg(strstr(errors, words) != NULL, "expected '%s' in: %s", words, errors);
}

#define OFFICE_HEAD "office {\n id = 1\n code = \"X\"\n name = \"Xã A\"\n level = province\n"
#define LINE_OK                                                                                    \
	" line {\n  id = 1\n  carrier = vnpt\n  bandwidth = 1000\n  target = \"127.0.0.1\"\n }\n"

START_TEST(good_file)
{
	struct tslcd_config *c = load_text(
	    "probe { interval = 5 }\n"
	    "office {\n id = 20\n code = \"BN-X01\"\n name = \"UBND Phường Kinh Bắc\"\n"
	    " level = commune\n province = \"24\"\n commune = \"09100\"\n tier = 2\n"
	    " line {\n  id = 2\n  carrier = viettel\n  bandwidth = 20000\n  probe = tcp\n"
	    "  target = \"::1\"\n  port = 443\n }\n"
	    " line {\n  id = 1\n  carrier = vnpt\n  circuit = \"VNPT-1\"\n  bandwidth = 50000\n"
	    "  target = \"localhost\"\n }\n}\n"
	    "office {\n id = 3\n code = \"TU\"\n name = \"Tỉnh ủy\"\n level = province\n"
	    " tier = 1\n}\n");
	ck_assert_msg(c != NULL, "errors: %s", errors);
	ck_assert_uint_eq(c->n_offices, 2);
	ck_assert_uint_eq(c->n_lines, 2);
	ck_assert_uint_eq(c->offices[0].id, 3);             /* sorted by id */
	ck_assert_uint_eq(c->offices[0].required_lines, 2); /* tier I needs two */
	const struct office_cfg *o = config_find_office(c, 20);
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(o->name, "UBND Phường Kinh Bắc");
	ck_assert_uint_eq(o->required_lines, 1);
	ck_assert_uint_eq(o->lines[0].id, 1);
	ck_assert_uint_eq(o->lines[0].target_type, ADDR_DNS);
	ck_assert_uint_eq(o->lines[1].target_type, ADDR_IPV6);
	ck_assert_uint_eq(o->lines[1].tcp_port, 443);
	ck_assert_uint_eq(o->lines[1].carrier, CARRIER_VIETTEL);
	ck_assert_uint_eq(c->probe.interval_ms, 5000);
	ck_assert_uint_eq(c->state.down_after, 3);
	config_free(c);
}
END_TEST

START_TEST(fingerprint_tracks_content)
{
	struct tslcd_config *a = load_text(OFFICE_HEAD LINE_OK "}\n");
	struct tslcd_config *b = load_text(OFFICE_HEAD LINE_OK "}\n");
	struct tslcd_config *c = load_text(OFFICE_HEAD " contact = \"x\"\n" LINE_OK "}\n");
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_nonnull(c);
	ck_assert(memcmp(a->fingerprint, b->fingerprint, 32) == 0);
	ck_assert(memcmp(a->fingerprint, c->fingerprint, 32) != 0);
	config_free(a);
	config_free(b);
	config_free(c);
}
END_TEST

/* Each bad file: text, line the message must name, words it must contain. */
static const struct {
	const char *text;
	int line;
	const char *words;
} bad[] = {
    {OFFICE_HEAD " colour = red\n}\n", 6, "colour"},
    {"office {\n id = 1\n code = \"X\"\n level = province\n}\n", 2, "'name'"},
    {OFFICE_HEAD "}\n" OFFICE_HEAD "}\n", 8, "duplicate office id 1 (first defined at line 2)"},
    {OFFICE_HEAD LINE_OK LINE_OK "}\n", 13, "duplicate line id 1 (first defined at line 7)"},
    {OFFICE_HEAD " line {\n  id = 1\n  carrier = mobifone\n", 8, "mobifone"},
    {"office {\n id = 0\n", 2, "outside"},
    {OFFICE_HEAD " line {\n  id = 1\n  carrier = vnpt\n  bandwidth = fast\n", 9, "whole number"},
    {OFFICE_HEAD " line {\n  id = 1\n  carrier = vnpt\n  bandwidth = 10\n  probe = tcp\n"
                 "  target = \"127.0.0.1\"\n }\n}\n",
     10, "needs a 'port'"},
    {OFFICE_HEAD " line {\n  id = 1\n  carrier = vnpt\n  bandwidth = 10\n"
                 "  target = \"300.1.1.1x!\"\n }\n}\n",
     10, "neither an IPv4/IPv6 address"},
    {"office {\n id = 1\n code = \"X\"\n name = \"A\"\n level = province\n"
     " province = \"2A\"\n}\n",
     6, "2 digits"},
    {"office {\n id = 1\n code = \"X\"\n name = \"A\"\n level = commune\n}\n", 5,
     "needs a 'commune'"},
    {"agent {\n timezone = \"Mars/Olympus\"\n}\n", 2, "unknown timezone"},
    {"office {\n id = 1\n code = \"X\" }}\n", 3, "unexpected closing brace"},
    {"probe {\n interval = 1\n count = 5\n spacing = 500\n}\n", 2, "interval"},
    {OFFICE_HEAD " line {\n  id = 1\n  carrier = vnpt\n  bandwidth = 10\n"
                 "  target = \"127.0.0.1\"\n  port = 80\n }\n}\n",
     11, "uses no TCP"},
    {OFFICE_HEAD " level = moon\n}\n", 6, "not one of"},
    {"probe {\n loss-raise = 5\n loss-clear = 10\n}\n", 2, "clear threshold"},
    {OFFICE_HEAD " security-level = 7\n}\n", 6, "0..5"},
    {OFFICE_HEAD " maintenance = {\"weekly SUN 01:00-02:00\",\n"
                 "  \"weekly SNU 01:00-02:00\"}\n}\n",
     7, "SNU"},
};

START_TEST(bad_file)
{
	expect_error(bad[_i].text, bad[_i].line, bad[_i].words);
}
END_TEST

START_TEST(missing_file)
{
	errors[0] = '\0';
	ck_assert_ptr_null(config_load("/nonexistent/tslcd.conf", collect, NULL));
	ck_assert_ptr_nonnull(strstr(errors, "/nonexistent/tslcd.conf: cannot read"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");

	tcase_add_test(tc, good_file);
	tcase_add_test(tc, fingerprint_tracks_content);
	tcase_add_loop_test(tc, bad_file, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, missing_file);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
