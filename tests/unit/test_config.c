/*
 * Config parsing: good files load with the right values; each kind of bad
 * file is rejected with a message naming the file and the right line.
 */
#include "unit.h"
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
/* Line 6 "line {", 11 "counters {", the body from line 12. */
#define LINE_CTR(body)                                                                             \
	" line {\n  id = 1\n  carrier = vnpt\n  bandwidth = 1000\n  probe = none\n  counters "     \
	"{\n" body "  }\n }\n}\n"
/* A line (id N) polled with SNMPv3 user "u" on 127.0.0.1:1161: 14 lines,
 * "router =" on its 7th. */
#define LINE_V3(n, key)                                                                            \
	" line {\n  id = " #n "\n  carrier = vnpt\n  bandwidth = 1000\n  probe = none\n"           \
	"  counters {\n   router = \"127.0.0.1:1161\"\n   version = 3\n   user = \"u\"\n"          \
	"   auth-key = \"" key "\"\n   priv-key = \"privpass1\"\n   ifindex = 2\n  }\n }\n"
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

/* A fingerprint must not let anyone test guesses of a community. */
START_TEST(fingerprint_leaves_out_secrets)
{
	struct tslcd_config *a = load_text(OFFICE_HEAD LINE_CTR(
	    "   router = \"127.0.0.1\"\n   community = \"alpha\"\n   ifindex = 2\n"));
	struct tslcd_config *b = load_text(OFFICE_HEAD LINE_CTR(
	    "   router = \"127.0.0.1\"\n   community = \"bravo\"\n   ifindex = 2\n"));
	ck_assert_msg(a != NULL, "errors: %s", errors);
	ck_assert_ptr_nonnull(b);
	ck_assert(memcmp(a->fingerprint, b->fingerprint, 32) == 0);
	config_free(a);
	config_free(b);
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
    {"notify {\n sla-target = 120\n}\n", 2, "percentage from 0 to 100"},
    {"notify {\n sla-window = week\n}\n", 2, "not one of"},
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
    /* readiness: keys, TLS endpoints, rules */
    {"authority \"so-khcn\" {\n key = \"/nonexistent/so-khcn.pub\"\n}\n", 2,
     "cannot read key '/nonexistent/so-khcn.pub'"},
    {OFFICE_HEAD " readiness-key = \"/etc/hostname\"\n}\n", 6, "not a PEM public key"},
    {OFFICE_HEAD " tls-endpoint = \"example.org:443\"\n}\n", 6, "ADDRESS:PORT"},
    {OFFICE_HEAD " tls-endpoint = \"127.0.0.1:0\"\n}\n", 6, "ADDRESS:PORT"},
    {OFFICE_HEAD " tls-ca = \"/etc/hostname\"\n}\n", 6, "need a 'tls-endpoint'"},
    {"readiness {\n cert-warn = 30\n cert-clear = 10\n}\n", 3, "must not be below"},
    {"readiness {\n max-age = 0\n}\n", 2, "outside 1..3650"},
    {"readiness {\n coverage-target = 101\n}\n", 2, "outside 0..100"},
    /* notify: storm control, alarm types, heightened periods */
    {"notify {\n rate = 0\n}\n", 2, "outside"},
    {"notify {\n flap-count = 50\n}\n", 2, "outside"},
    {"notify {\n alarm lineDwn {\n  enable = false\n }\n}\n", 3, "unknown alarm type 'lineDwn'"},
    {"notify {\n alarm lineDown {\n  severity = urgent\n }\n}\n", 3, "not one of"},
    {"notify {\n heightened \"Tet\" {\n  from = \"2027-02-30T00:00\"\n  to = \"2027-03-01\"\n "
     "}\n}\n",
     3, "not a local time"},
    {"notify {\n heightened \"Tet\" {\n  from = \"2027-02-20\"\n  to = \"2027-02-10\"\n }\n}\n", 4,
     "'to' must be after 'from'"},
    {"notify {\n heightened \"Tet\" {\n  from = \"2027-02-20\"\n }\n}\n", 3,
     "missing required option 'to'"},
    {"notify {\n heightened \"T\" {\n  from = \"2027-02-10\"\n  to = \"2027-02-20\"\n"
     "  loss-raise = 2\n }\n}\n",
     3, "raise threshold"},
    /* bandwidth: counters sources and the congestion rule */
    {OFFICE_HEAD LINE_CTR("   router = \"127.0.0.1\"\n   community = \"c\"\n"), 12,
     "exactly one of 'ifindex', 'ifname', 'ifdescr'"},
    {OFFICE_HEAD LINE_CTR("   router = \"rtr.example\"\n   community = \"c\"\n   ifindex = 2\n"),
     12, "must be an IPv4 or IPv6 address"},
    {OFFICE_HEAD LINE_CTR(
         "   router = \"127.0.0.1:99999\"\n   community = \"c\"\n   ifindex = 2\n"),
     12, "must be an IPv4 or IPv6 address"},
    {OFFICE_HEAD LINE_CTR(
         "   router = \"127.0.0.1:1161\"\n   version = 3\n   user = \"u\"\n"
         "   auth-key = \"short\"\n   priv-key = \"longenough\"\n   ifindex = 2\n"),
     15, "at least 8 characters"},
    {OFFICE_HEAD LINE_CTR("   router = \"[::1]:1161\"\n   ifindex = 2\n"), 12,
     "need a 'community'"},
    {OFFICE_HEAD LINE_CTR("   router = \"127.0.0.1\"\n   version = 1\n"), 13, "not one of: 2c, 3"},
    {OFFICE_HEAD LINE_CTR("   router = \"127.0.0.1\"\n   community = \"c\"\n   ifindex = 2\n"
                          "   interval = 400\n"),
     12, "longer than the sample period"},
    {OFFICE_HEAD LINE_CTR("   router = \"127.0.0.1\"\n   community = \"c\"\n"
                          "   auth-protocol = MD5\n"),
     14, "not one of"},
    {"bandwidth {\n threshold-raise = 80\n threshold-clear = 90\n}\n", 3, "threshold-clear"},
    {"bandwidth {\n sample = 300\n window = 1000\n}\n", 3, "multiple of sample"},
    {"bandwidth {\n poll-interval = 10\n timeout = 6000\n retries = 1\n}\n", 3,
     "shorter than poll-interval"},
    /* one router and SNMPv3 user, other keys: one line would use the other's */
    {OFFICE_HEAD LINE_V3(1, "authpass1") LINE_V3(2, "otherpass") "}\n", 26,
     "user \"u\": other keys or protocols than at line 12"},
};

/* A counters section with its defaults and the bandwidth section. */
START_TEST(counters_section)
{
	struct tslcd_config *c = load_text(
	    "bandwidth { window = 86400  threshold-raise = 80  threshold-clear = 70 }\n" OFFICE_HEAD
	        LINE_CTR("   router = \"[::1]:1161\"\n   version = 3\n   user = \"nms\"\n"
	                 "   auth-key = \"authpass1\"\n   priv-key = \"privpass1\"\n"
	                 "   priv-protocol = AES-256\n   ifname = \"wan0\"\n"));
	ck_assert_msg(c != NULL, "errors: %s", errors);
	const struct counters_cfg *cc = c->offices[0].lines[0].counters;
	ck_assert_ptr_nonnull(cc);
	ck_assert_str_eq(cc->peername, "udp6:[::1]:1161");
	ck_assert_uint_eq(cc->addr_type, ADDR_IPV6);
	ck_assert_uint_eq(cc->version, 3);
	ck_assert_uint_eq(cc->auth_proto, SNMP_AUTH_SHA256);
	ck_assert_uint_eq(cc->priv_proto, SNMP_PRIV_AES256);
	ck_assert_uint_eq(cc->match, IFMATCH_NAME);
	ck_assert_str_eq(cc->ifname, "wan0");
	ck_assert_uint_eq(cc->interval_s, 60);
	ck_assert_uint_eq(c->bandwidth.bw.sample_s, 300);
	ck_assert_uint_eq(c->bandwidth.bw.window_s, 86400);
	ck_assert_uint_eq(c->bandwidth.bw.raise_ppm, 800000);
	ck_assert_uint_eq(c->bandwidth.bw.clear_ppm, 700000);
	ck_assert_uint_eq(c->bandwidth.max_inflight, 256);
	config_free(c);
	c = load_text(OFFICE_HEAD LINE_CTR("   router = \"127.0.0.1\"\n   version = 2c\n"
	                                   "   community = \"c\"\n   ifindex = 2\n"));
	ck_assert_msg(c != NULL, "errors: %s", errors);
	ck_assert_str_eq(c->offices[0].lines[0].counters->peername, "udp:127.0.0.1:161");
	ck_assert_uint_eq(c->offices[0].lines[0].counters->version, 2);
	config_free(c);
}
END_TEST

START_TEST(notify_section)
{
	struct tslcd_config *c =
	    load_text("probe { down-after = 3 }\n"
	              "notify {\n rate = 5\n flap-count = 3\n"
	              " alarm lineDegraded { enable = false  severity = info }\n"
	              " heightened \"Tết 2027\" {\n"
	              "  from = \"2027-02-10T00:00\"\n  to = \"2027-02-20\"\n"
	              "  down-after = 1\n }\n}\n");
	ck_assert_msg(c != NULL, "errors: %s", errors);
	const struct notify_cfg *n = &c->notify;
	ck_assert_uint_eq(n->rate, 5);
	ck_assert_uint_eq(n->burst, 100);
	ck_assert_uint_eq(n->flap_count, 3);
	ck_assert_uint_eq(n->flap_window_s, 600);
	ck_assert(n->resend_on_connect);
	ck_assert(!n->enable[ALARM_LINE_DEGRADED]);
	ck_assert_uint_eq(n->severity[ALARM_LINE_DEGRADED], SEV_INFO);
	ck_assert(n->enable[ALARM_LINE_DOWN]);
	ck_assert_uint_eq(n->severity[ALARM_LINE_DOWN], SEV_MAJOR);
	ck_assert_uint_eq(n->severity[ALARM_OFFICE_ISOLATED], SEV_CRITICAL);
	ck_assert_uint_eq(n->n_periods, 1);
	ck_assert_str_eq(n->periods[0].name, "Tết 2027");
	ck_assert(n->periods[0].from == 202702100000LL);
	ck_assert(n->periods[0].to == 202702200000LL);
	ck_assert(n->periods[0].raise_severity);
	ck_assert_uint_eq(n->periods[0].state.down_after, 1);
	ck_assert_uint_eq(n->periods[0].state.up_after, c->state.up_after);
	ck_assert_uint_eq(c->state.down_after, 3);
	config_free(c);
}
END_TEST

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

static Suite *suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");

	tcase_add_test(tc, good_file);
	tcase_add_test(tc, fingerprint_tracks_content);
	tcase_add_test(tc, fingerprint_leaves_out_secrets);
	tcase_add_test(tc, notify_section);
	tcase_add_loop_test(tc, bad_file, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, missing_file);
	tcase_add_test(tc, counters_section);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
