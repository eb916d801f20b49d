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

/* node N: lines 1-4 ("node {", id, name, targets), EXTRA from line 5. */
#define NODE(n, extra)                                                                             \
	"node {\n id = " #n "\n name = \"N" #n "\"\n targets = {\"198.18.0." #n "\"}\n" extra "}"  \
	"\n"
#define LINE_VIA(v)                                                                                \
	" line {\n  id = 1\n  carrier = vnpt\n  bandwidth = 1000\n  target = \"127.0.0.1\"\n"      \
	"  via = " #v "\n }\n"

/* Offices 3, 5, 7 for the area-outage groups: communes, districts,
 * carriers of their lines, named groups (repeats on purpose). */
#define GROUPED_OFFICES                                                                            \
	"office {\n id = 7\n code = \"X7\"\n name = \"X7\"\n level = commune\n"                    \
	" commune = \"09100\"\n district = \"Từ Sơn\"\n groups = {\"z\", \"flood\"}\n"          \
	" line { id = 1  carrier = vnpt  bandwidth = 1  target = \"127.0.0.1\" }\n"                \
	" line { id = 2  carrier = viettel  bandwidth = 1  target = \"127.0.0.1\" }\n"             \
	" line { id = 3  carrier = vnpt  bandwidth = 1  target = \"127.0.0.1\" }\n}\n"             \
	"office {\n id = 3\n code = \"X3\"\n name = \"X3\"\n level = commune\n"                    \
	" commune = \"09100\"\n groups = {\"flood\", \"flood\"}\n"                                 \
	" line { id = 1  carrier = vnpt  bandwidth = 1  target = \"127.0.0.1\" }\n}\n"             \
	"office {\n id = 5\n code = \"X5\"\n name = \"X5\"\n level = province\n"                   \
	" district = \"Yên Phong\"\n}\n"

START_TEST(nodes_and_via)
{
	struct tslcd_config *c = load_text(
	    "probe { interval = 5  timeout = 1500 }\n"
	    "self-check { targets = {\"198.18.0.1\", \"gw.example\"}  probe = tcp  port = 53 "
	    "}\n"
	    "node {\n id = 10\n name = \"VNPT PoP Từ Sơn\"\n carrier = vnpt\n"
	    " targets = {\"198.18.0.1\", \"2001:db8::1\", \"pop.example\"}\n parent = 2\n}\n"
	    "node {\n id = 2\n name = \"Province GW\"\n targets = {\"198.18.0.254\"}\n"
	    " probe = icmp-tcp\n port = 443\n}\n"
	    "office {\n id = 1\n code = \"X\"\n name = \"A\"\n level = province\n"
	    " district = \"Từ Sơn\"\n via = 10\n"
	    " line { id = 1  carrier = vnpt  bandwidth = 1  target = \"127.0.0.1\" }\n"
	    " line { id = 2  carrier = vnpt  bandwidth = 1  target = \"127.0.0.1\"  via = 2 }\n"
	    " line { id = 3  carrier = vnpt  bandwidth = 1  target = \"127.0.0.1\"  via = 0 }\n}\n"
	    "office {\n id = 4\n code = \"Y\"\n name = \"B\"\n level = province\n"
	    " line { id = 1  carrier = vnpt  bandwidth = 1  target = \"127.0.0.1\" }\n}\n");
	ck_assert_msg(c != NULL, "errors: %s", errors);
	ck_assert_uint_eq(c->n_nodes, 2);
	ck_assert_uint_eq(c->nodes[0].id, 2); /* sorted by id */
	ck_assert_uint_eq(c->nodes[0].method, METHOD_ICMP_TCP);
	ck_assert_uint_eq(c->nodes[0].tcp_port, 443);
	ck_assert_uint_eq(c->nodes[0].carrier, CARRIER_OTHER);
	ck_assert_uint_eq(c->nodes[0].parent, 0);
	const struct node_cfg *n = config_find_node(c, 10);
	ck_assert_ptr_eq(n, &c->nodes[1]);
	ck_assert_ptr_null(config_find_node(c, 11));
	ck_assert_str_eq(n->name, "VNPT PoP Từ Sơn");
	ck_assert_uint_eq(n->carrier, CARRIER_VNPT);
	ck_assert_uint_eq(n->method, METHOD_ICMP);
	ck_assert_uint_eq(n->parent, 2);
	ck_assert_uint_eq(n->n_targets, 3);
	ck_assert_str_eq(n->targets[1], "2001:db8::1");
	ck_assert_str_eq(n->targets[2], "pop.example");
	ck_assert_uint_eq(c->selfcheck.n_targets, 2);
	ck_assert_str_eq(c->selfcheck.targets[1], "gw.example");
	ck_assert_uint_eq(c->selfcheck.method, METHOD_TCP);
	ck_assert_uint_eq(c->selfcheck.tcp_port, 53);
	const struct office_cfg *o = config_find_office(c, 1);
	ck_assert_str_eq(o->district, "Từ Sơn");
	ck_assert_uint_eq(o->via, 10);
	ck_assert_uint_eq(o->lines[0].via, 10); /* the office's */
	ck_assert_uint_eq(o->lines[1].via, 2);  /* its own */
	ck_assert_uint_eq(o->lines[2].via, 0);  /* its own 0: no node */
	o = config_find_office(c, 4);
	ck_assert_str_eq(o->district, "");
	ck_assert_uint_eq(o->lines[0].via, 0);
	/* area-outage off: defaults, and no groups */
	ck_assert_uint_eq(c->area.min_offices, 0);
	ck_assert_uint_eq(c->area.window_s, 60);
	ck_assert_uint_eq(c->area.hold_s, 8); /* 5 s + 1.5 s -> 7 s, + 1 */
	ck_assert_uint_eq(c->n_groups, 0);
	ck_assert_uint_eq(o->n_groups, 0);
	config_free(c);
}
END_TEST

/* No node, self-check or area-outage section: all off. */
START_TEST(nodes_absent)
{
	struct tslcd_config *c = load_text(OFFICE_HEAD LINE_OK "}\n");
	ck_assert_msg(c != NULL, "errors: %s", errors);
	ck_assert_uint_eq(c->n_nodes, 0);
	ck_assert_ptr_null(config_find_node(c, 1));
	ck_assert_uint_eq(c->selfcheck.n_targets, 0);
	ck_assert_uint_eq(c->selfcheck.method, METHOD_ICMP);
	ck_assert_uint_eq(c->area.min_offices, 0);
	ck_assert_uint_eq(c->area.hold_s, 12); /* 10 s + 1 s, + 1 */
	ck_assert(c->area.by[GROUP_COMMUNE] && c->area.by[GROUP_NAMED]);
	ck_assert(!c->area.by[GROUP_DISTRICT] && !c->area.by[GROUP_CARRIER]);
	ck_assert_uint_eq(c->offices[0].lines[0].via, 0);
	ck_assert_uint_eq(c->n_groups, 0);
	config_free(c);
}
END_TEST

static void expect_group(const struct tslcd_config *c, size_t i, unsigned kind, const char *name,
                         size_t n, const uint32_t *offices)
{
	ck_assert_uint_lt(i, c->n_groups);
	ck_assert_uint_eq(c->groups[i].kind, kind);
	ck_assert_str_eq(c->groups[i].name, name);
	ck_assert_uint_eq(c->groups[i].n_offices, n);
	for (size_t k = 0; k < n; k++)
		ck_assert_uint_eq(c->groups[i].offices[k], offices[k]);
}

static void expect_office_groups(const struct tslcd_config *c, uint32_t id, size_t n,
                                 const uint32_t *groups)
{
	const struct office_cfg *o = config_find_office(c, id);
	ck_assert_uint_eq(o->n_groups, n);
	for (size_t k = 0; k < n; k++)
		ck_assert_uint_eq(o->groups[k], groups[k]);
}

START_TEST(groups_every_kind)
{
	struct tslcd_config *c =
	    load_text("area-outage {\n min-offices = 2\n window = 120\n hold = 30\n"
	              " by = {commune, district, carrier, group}\n}\n" GROUPED_OFFICES);
	ck_assert_msg(c != NULL, "errors: %s", errors);
	ck_assert_uint_eq(c->area.min_offices, 2);
	ck_assert_uint_eq(c->area.clear_below, 2); /* default: min-offices */
	ck_assert_uint_eq(c->area.window_s, 120);
	ck_assert_uint_eq(c->area.hold_s, 30);
	ck_assert_uint_eq(c->n_groups, 7);
	expect_group(c, 0, GROUP_COMMUNE, "09100", 2, (const uint32_t[]){3, 7});
	expect_group(c, 1, GROUP_DISTRICT, "Từ Sơn", 1, (const uint32_t[]){7});
	expect_group(c, 2, GROUP_DISTRICT, "Yên Phong", 1, (const uint32_t[]){5});
	expect_group(c, 3, GROUP_CARRIER, "viettel", 1, (const uint32_t[]){7});
	expect_group(c, 4, GROUP_CARRIER, "vnpt", 2, (const uint32_t[]){3, 7});
	expect_group(c, 5, GROUP_NAMED, "flood", 2, (const uint32_t[]){3, 7});
	expect_group(c, 6, GROUP_NAMED, "z", 1, (const uint32_t[]){7});
	expect_office_groups(c, 3, 3, (const uint32_t[]){0, 4, 5});
	expect_office_groups(c, 5, 1, (const uint32_t[]){2});
	expect_office_groups(c, 7, 6, (const uint32_t[]){0, 1, 3, 4, 5, 6});
	config_free(c);
}
END_TEST

START_TEST(groups_default_kinds)
{
	struct tslcd_config *c =
	    load_text("area-outage {\n min-offices = 3\n clear-below = 2\n}\n" GROUPED_OFFICES);
	ck_assert_msg(c != NULL, "errors: %s", errors);
	ck_assert_uint_eq(c->area.clear_below, 2);
	ck_assert_uint_eq(c->n_groups, 3); /* commune and group only */
	expect_group(c, 0, GROUP_COMMUNE, "09100", 2, (const uint32_t[]){3, 7});
	expect_group(c, 1, GROUP_NAMED, "flood", 2, (const uint32_t[]){3, 7});
	expect_group(c, 2, GROUP_NAMED, "z", 1, (const uint32_t[]){7});
	expect_office_groups(c, 3, 2, (const uint32_t[]){0, 1});
	expect_office_groups(c, 5, 0, NULL);
	expect_office_groups(c, 7, 3, (const uint32_t[]){0, 1, 2});
	config_free(c);
	c = load_text("area-outage {\n by = {carrier}\n}\n" GROUPED_OFFICES);
	ck_assert_msg(c != NULL, "errors: %s", errors);
	ck_assert(c->area.by[GROUP_CARRIER] && !c->area.by[GROUP_COMMUNE]);
	ck_assert_uint_eq(c->n_groups, 0); /* min-offices 0: off */
	config_free(c);
}
END_TEST

START_TEST(group_kind_names)
{
	ck_assert_str_eq(config_group_kind_name(GROUP_COMMUNE), "commune");
	ck_assert_str_eq(config_group_kind_name(GROUP_DISTRICT), "district");
	ck_assert_str_eq(config_group_kind_name(GROUP_CARRIER), "carrier");
	ck_assert_str_eq(config_group_kind_name(GROUP_NAMED), "group");
	ck_assert_str_eq(config_group_kind_name(0), "unknown");
	ck_assert_str_eq(config_group_kind_name(9), "unknown");
}
END_TEST

/* The new sections and options count in the fingerprint. */
START_TEST(fingerprint_tracks_nodes)
{
	static const char *const text[] = {
	    OFFICE_HEAD LINE_OK "}\n",
	    NODE(1, "") OFFICE_HEAD LINE_OK "}\n",
	    NODE(1, " parent = 0\n carrier = vnpt\n") OFFICE_HEAD LINE_OK "}\n",
	    NODE(1, "") OFFICE_HEAD " via = 1\n" LINE_OK "}\n",
	    NODE(1, "") OFFICE_HEAD LINE_VIA(1) "}\n",
	    "self-check { targets = {\"198.18.0.1\"} }\n" OFFICE_HEAD LINE_OK "}\n",
	    "area-outage { min-offices = 2 }\n" OFFICE_HEAD LINE_OK "}\n",
	    "area-outage { by = {district} }\n" OFFICE_HEAD LINE_OK "}\n",
	    OFFICE_HEAD " district = \"D\"\n" LINE_OK "}\n",
	    OFFICE_HEAD " groups = {\"g\"}\n" LINE_OK "}\n",
	};
	uint8_t fp[sizeof(text) / sizeof(text[0])][32];

	for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++) {
		struct tslcd_config *c = load_text(text[i]);
		ck_assert_msg(c != NULL, "%zu: errors: %s", i, errors);
		memcpy(fp[i], c->fingerprint, 32);
		config_free(c);
		for (size_t j = 0; j < i; j++)
			ck_assert_msg(memcmp(fp[i], fp[j], 32) != 0, "configs %zu and %zu: same", j,
			              i);
	}
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
    /* upstream nodes */
    {NODE(7, "") NODE(7, ""), 7, "duplicate node id 7 (first defined at line 2)"},
    {NODE(1, " parent = 9\n"), 5, "node 1: parent 9 is not a defined node"},
    {NODE(1, " parent = 1\n"), 5, "node 1: parent is the node itself"},
    {NODE(5, " parent = 3\n") NODE(3, " parent = 5\n"), 11, "node 3: parent cycle 3 -> 5 -> 3"},
    /* a tail into a loop: the loop alone, from its smallest id */
    {NODE(1, " parent = 9\n") NODE(9, " parent = 8\n") NODE(8, " parent = 9\n"), 17,
     "node 8: parent cycle 8 -> 9 -> 8"},
    {"node {\n id = 1\n name = \"A\"\n}\n", 2, "node 1: no targets"},
    {"node {\n id = 1\n name = \"A\"\n targets = {}\n}\n", 2, "node 1: no targets"},
    {"node {\n id = 1\n name = \"A\"\n targets = {\"198.18.0.1\",\n  \"bad name!\"}\n}\n", 5,
     "node 1: target 'bad name!' is neither an IPv4/IPv6 address"},
    {"node {\n id = 1\n name = \"A\"\n targets = {\"a\", \"b\", \"c\", \"d\",\n"
     "  \"e\", \"f\", \"g\", \"h\",\n  \"i\"}\n}\n",
     6, "9 targets, at most 8"},
    {NODE(1, " probe = none\n"), 5, "probe 'none' is not allowed"},
    {NODE(1, " probe = tcp\n"), 5, "node 1: probe 'tcp' needs a 'port'"},
    {NODE(1, " port = 80\n"), 5, "node 1: 'port' is set but the probe method uses no TCP"},
    {NODE(1, " carrier = fpt\n"), 5, "not one of"},
    {"node {\n id = 1\n name = \"\"\n targets = {\"198.18.0.1\"}\n}\n", 3,
     "node 1: 'name' must be 1 to 255 bytes"},
    {"node {\n id = 1\n targets = {\"198.18.0.1\"}\n}\n", 2, "missing required option 'name'"},
    {"node {\n id = 0\n", 2, "outside"},
    {OFFICE_HEAD " via = 4\n" LINE_OK "}\n", 6, "office 1: via 4 is not a defined node"},
    {NODE(4, "") OFFICE_HEAD LINE_VIA(5) "}\n", 16,
     "office 1, line 1: via 5 is not a defined node"},
    /* the self-check */
    {"self-check {\n targets = {\"x y\"}\n}\n", 2, "self-check: target 'x y' is neither"},
    {"self-check {\n targets = {\"198.18.0.1\"}\n probe = none\n}\n", 3,
     "self-check: probe 'none' is not allowed"},
    {"self-check {\n targets = {\"198.18.0.1\"}\n probe = icmp-tcp\n}\n", 3,
     "self-check: probe 'icmp-tcp' needs a 'port'"},
    /* area outages and groups */
    {"area-outage {\n min-offices = 3\n clear-below = 4\n}\n", 3,
     "clear-below (4) must not exceed min-offices (3)"},
    {"area-outage {\n clear-below = 2\n}\n", 2, "must not exceed min-offices (0)"},
    {"area-outage {\n min-offices = 1\n}\n", 2, "min-offices must be 0 (off) or at least 2"},
    {"area-outage {\n window = 0\n}\n", 2, "option 'window': 0 is outside"},
    {"area-outage {\n by = {commune,\n  county}\n}\n", 3,
     "'county' is not one of: commune, district, carrier, group"},
    {"area-outage {\n min-offices = 2\n by = {}\n}\n", 2, "'by' names no kind of group"},
    {OFFICE_HEAD " groups = {\"a\",\n  \"\"}\n}\n", 7, "office 1: a group name must be 1 to 64"},
    {OFFICE_HEAD " groups = {\"0123456789012345678901234567890123456789012345678901234567890123"
                 "4\"}\n}\n",
     6, "65 bytes, at most 64"},
    {OFFICE_HEAD " groups = {\"a\\tb\"}\n}\n", 6, "control character"},
    {OFFICE_HEAD " district = \"a\\tb\"\n}\n", 6, "option 'district' contains a control"},
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
	tcase_add_test(tc, nodes_and_via);
	tcase_add_test(tc, nodes_absent);
	tcase_add_test(tc, groups_every_kind);
	tcase_add_test(tc, groups_default_kinds);
	tcase_add_test(tc, group_kind_names);
	tcase_add_test(tc, fingerprint_tracks_nodes);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
