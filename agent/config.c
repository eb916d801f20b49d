/*
 * config: libconfuse schema for tslcd.conf, value checks with exact line
 * numbers (done in parse callbacks, while libconfuse still knows the line),
 * then whole-file checks (required options, duplicate ids) that report the
 * line where the offending section starts.
 */
#include "grow.h"
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <confuse.h>
#include <openssl/evp.h>

#include "log.h"
#include "config_error.h"
#include "config_text.h"
#include "flap.h"
#include "privilege.h"
#include "readiness_report.h"
#include "secrets.h"
#include "smallfile.h"
#include "textcheck.h"

/* Errors go to the current config_error sink as "FILE:LINE: message". */
#define report config_error_report

/* ---- where each option was written ----
 * libconfuse only knows the current line while parsing, and a section's
 * line is where it ends; so every value callback records its line here,
 * and whole-file checks report at the line of the option concerned. */

struct seen {
	const cfg_t *sec;
	const char *opt;
	int line;
	bool list; /* a list option: one record per value */
};

/* Per thread: a reload parses off the loop (main.c). */
static _Thread_local struct {
	struct seen *v;
	size_t n, cap;
	bool sorted;
} seen;

static void seen_record(const cfg_t *sec, const cfg_opt_t *opt)
{
	struct seen *v = grow_array(seen.v, &seen.cap, seen.n + 1, sizeof(*v), 256);

	if (!v)
		return; /* only costs precision in messages */
	seen.v = v;
	seen.v[seen.n++] = (struct seen){
	    .sec = sec, .opt = opt->name, .line = sec->line, .list = opt->flags & CFGF_LIST};
	seen.sorted = false;
}

static int seen_cmp(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;

	if (x->sec != y->sec)
		return (uintptr_t)x->sec < (uintptr_t)y->sec ? -1 : 1;
	return x->line - y->line;
}

/* Lookups happen after parsing, so one sort makes every lookup O(log n):
 * a 10k-line file stays fast. */
static void seen_sort(void)
{
	if (!seen.sorted) {
		if (seen.n > 0) /* qsort(NULL, 0, ...) is undefined (found by fuzz_config) */
			qsort(seen.v, seen.n, sizeof(*seen.v), seen_cmp);
		seen.sorted = true;
	}
}

/* First entry of `sec` in the sorted table. */
static size_t seen_first(const cfg_t *sec)
{
	size_t lo = 0, hi = seen.n;

	seen_sort();
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if ((uintptr_t)seen.v[mid].sec < (uintptr_t)sec)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Line of `opt` in `sec`; NULL opt: the section's first recorded option. */
static int line_of(const cfg_t *sec, const char *opt)
{
	for (size_t i = seen_first(sec); i < seen.n && seen.v[i].sec == sec; i++)
		if (!opt || !strcmp(seen.v[i].opt, opt))
			return seen.v[i].line;
	return opt ? line_of(sec, NULL) : sec->line;
}

/* Line of value k (from 0) of the list option `opt`: a list has one record
 * per value, in the order written. */
static int line_of_nth(const cfg_t *sec, const char *opt, size_t k)
{
	for (size_t i = seen_first(sec); i < seen.n && seen.v[i].sec == sec; i++)
		if (!strcmp(seen.v[i].opt, opt) && k-- == 0)
			return seen.v[i].line;
	return line_of(sec, opt);
}

/* libconfuse accepts `id = 1 id = 2` in one section and keeps the last
 * value, so a pasted line silently overrides the one above it: refuse it.
 * Runs after parsing, on the sorted records; only single values are looked
 * back for, so a 20,000-value list costs one pass. */
static bool no_repeated_options(void)
{
	bool ok = true;

	seen_sort();
	for (size_t g = 0, end; g < seen.n; g = end) {
		for (end = g; end < seen.n && seen.v[end].sec == seen.v[g].sec; end++)
			;
		for (size_t j = g; j < end; j++) {
			for (size_t i = g; i < j && !seen.v[j].list; i++) {
				if (strcmp(seen.v[i].opt, seen.v[j].opt))
					continue;
				report(seen.v[j].line,
				       "option '%s' is set twice in one section (first at line %d)",
				       seen.v[j].opt, seen.v[i].line);
				ok = false;
				break;
			}
		}
	}
	return ok;
}

/* ---- strings: the MIB's SIZE and character set ---- */

/* Strings served in TSLCD-MIB: the SIZE there, and DisplayString (RFC 2579:
 * printable ASCII) or TslcdUtf8String.  Province and commune codes have
 * their own stricter digit checks.  The first rule whose section (NULL:
 * any) and option match applies; no object: text shown in notifications
 * and reports only. */
static const struct str_rule {
	const char *section, *option, *object;
	size_t max;
	enum text_kind kind;
} str_rules[] = {
    {NULL, "code", "tslcdOfficeCode", 32, TEXT_ASCII},
    {NULL, "circuit", "tslcdLineCircuitId", 64, TEXT_ASCII},
    {"node", "name", "tslcdNodeName", 255, TEXT_UTF8},
    {NULL, "name", "tslcdOfficeName", 255, TEXT_UTF8},
    {NULL, "contact", "tslcdOfficeContact", 255, TEXT_UTF8},
    {NULL, "district", NULL, 255, TEXT_UTF8},
    {NULL, "groups", NULL, 64, TEXT_UTF8},
};

/* Every other string (paths, host names, SNMP credentials): no MIB
 * object, but no sane value is longer than a path. */
#define STR_MAX_OTHER 4096u

static int parse_str(cfg_t *cfg, cfg_opt_t *opt, const char *value, void *result)
{
	struct str_rule rule = {NULL, opt->name, NULL, STR_MAX_OTHER, TEXT_UTF8};
	size_t len = strlen(value);

	seen_record(cfg, opt);
	for (size_t i = 0; i < sizeof(str_rules) / sizeof(str_rules[0]); i++) {
		const struct str_rule *r = &str_rules[i];
		if (!strcmp(r->option, opt->name) &&
		    (!r->section || !strcmp(r->section, cfg->name))) {
			rule = *r;
			break;
		}
	}
	if (len > rule.max && rule.object) {
		cfg_error(cfg, "option '%s': %zu bytes, but %s in TSLCD-MIB holds at most %zu",
		          opt->name, len, rule.object, rule.max);
		return -1;
	}
	if (len > rule.max) { /* the value itself may be a secret: never quoted */
		cfg_error(cfg, "option '%s': %zu bytes, at most %zu allowed", opt->name, len,
		          rule.max);
		return -1;
	}
	const char *why = textcheck_problem(value, rule.kind);
	if (why) {
		cfg_error(cfg, "option '%s' %s", opt->name, why);
		return -1;
	}
	*(const char **)result = value; /* libconfuse copies it */
	return 0;
}

/* ---- keyword and range checks, run by libconfuse while parsing ---- */

struct keyword {
	const char *name;
	long value;
};

static const struct keyword kw_level[] = {
    {"central", 1}, {"province", 2}, {"district", 3}, {"commune", 4}, {NULL, 0}};
static const struct keyword kw_org[] = {{"other", 1},
                                        {"party-committee", 2},
                                        {"peoples-council", 3},
                                        {"peoples-committee", 4},
                                        {"department", 5},
                                        {"court", 6},
                                        {"procuracy", 7},
                                        {"public-service-centre", 8},
                                        {"mass-organisation", 9},
                                        {NULL, 0}};
static const struct keyword kw_framework[] = {
    {"unknown", 1}, {"decree85", 2}, {"decree331", 3}, {NULL, 0}};
static const struct keyword kw_carrier[] = {{"other", 1}, {"vnpt", 2}, {"viettel", 3}, {NULL, 0}};

const char *config_carrier_name(unsigned carrier)
{
	return carrier == CARRIER_VNPT ? "VNPT" : carrier == CARRIER_VIETTEL ? "Viettel" : "other";
}
static const struct keyword kw_medium[] = {{"other", 1},    {"fiber", 2},     {"copper", 3},
                                           {"wireless", 4}, {"satellite", 5}, {"mobile", 6},
                                           {NULL, 0}};
static const struct keyword kw_role[] = {{"primary", 1}, {"backup", 2}, {NULL, 0}};
/* enum avail_window + 1 (keyword values start at 1). */
static const struct keyword kw_window[] = {{"24h", 1},   {"7d", 2},      {"30d", 3},
                                           {"month", 4}, {"quarter", 5}, {NULL, 0}};
static const struct keyword kw_probe[] = {
    {"none", 1}, {"icmp", 2}, {"tcp", 3}, {"icmp-tcp", 4}, {NULL, 0}};
/* TslcdSeverity; cleared(1) is for clearing notifications only. */
static const struct keyword kw_severity[] = {
    {"indeterminate", 2}, {"critical", 3}, {"major", 4}, {"minor", 5},
    {"warning", 6},       {"info", 7},     {NULL, 0}};

/* enum group_kind: what makes an area-outage group. */
static const struct keyword kw_group_kind[] = {{"commune", GROUP_COMMUNE},
                                               {"district", GROUP_DISTRICT},
                                               {"carrier", GROUP_CARRIER},
                                               {"group", GROUP_NAMED},
                                               {NULL, 0}};
/* area-outage.by when it is not written. */
static const unsigned by_default[] = {GROUP_COMMUNE, GROUP_NAMED};

static const struct keyword kw_version[] = {{"2c", 2}, {"3", 3}, {NULL, 0}};
static const struct keyword kw_auth[] = {{"SHA", SNMP_AUTH_SHA1},
                                         {"SHA-256", SNMP_AUTH_SHA256},
                                         {"SHA-512", SNMP_AUTH_SHA512},
                                         {NULL, 0}};
static const struct keyword kw_priv[] = {{"AES", SNMP_PRIV_AES128},
                                         {"AES-128", SNMP_PRIV_AES128},
                                         {"AES-256", SNMP_PRIV_AES256},
                                         {NULL, 0}};

static const struct {
	const char *option;
	const struct keyword *words;
} keyword_options[] = {
    {"level", kw_level},         {"org", kw_org},
    {"framework", kw_framework}, {"carrier", kw_carrier},
    {"medium", kw_medium},       {"role", kw_role},
    {"probe", kw_probe},         {"sla-window", kw_window},
    {"severity", kw_severity},   {"version", kw_version},
    {"auth-protocol", kw_auth},  {"priv-protocol", kw_priv},
    {"by", kw_group_kind},
};

static const struct keyword *keywords_for(const char *option)
{
	for (size_t i = 0; i < sizeof(keyword_options) / sizeof(keyword_options[0]); i++)
		if (!strcmp(keyword_options[i].option, option))
			return keyword_options[i].words;
	return NULL;
}

const char *config_keyword_name(const char *option, long value)
{
	const struct keyword *k = keywords_for(option);

	for (; k && k->name; k++)
		if (k->value == value)
			return k->name;
	return NULL;
}

static int parse_keyword(cfg_t *cfg, cfg_opt_t *opt, const char *value, void *result)
{
	const struct keyword *k = keywords_for(opt->name);
	char allowed[256] = "";

	seen_record(cfg, opt);
	for (; k && k->name; k++) {
		if (!strcasecmp(k->name, value)) {
			*(long *)result = k->value;
			return 0;
		}
		if (allowed[0])
			strncat(allowed, ", ", sizeof(allowed) - strlen(allowed) - 1);
		strncat(allowed, k->name, sizeof(allowed) - strlen(allowed) - 1);
	}
	cfg_error(cfg, "option '%s': '%s' is not one of: %s", opt->name, value, allowed);
	return -1;
}

static const struct config_error_range ranges[] = {
    {"id", 1, 4294967295L},
    {"security-level", 0, 5},
    {"tier", 1, 2},
    {"required-lines", 1, 16},
    {"bandwidth", 1, 4294967295L},
    {"port", 1, 65535},
    {"path", 0, 4294967295L},
    {"save-interval", 5, 86400},
    {"history-retention", 0, 36500},
    {"history-interval", 1, 86400},
    {"interval-minutes", 1, 15},
    {"interval", 1, 3600},
    {"count", 1, 20},
    {"spacing", 10, 10000},
    {"timeout", 10, 60000},
    {"payload", 8, 1472},
    {"down-after", 1, 100},
    {"up-after", 1, 100},
    {"degrade-after", 1, 100},
    {"degrade-clear-after", 1, 100},
    {"loss-raise", 0, 100},
    {"loss-clear", 0, 100},
    {"rtt-raise", 0, 60000},
    {"rtt-clear", 0, 60000},
    {"outage-history", 1, 1024},
    {"rate", 1, 10000},
    {"burst", 1, 100000},
    {"flap-count", 1, FLAP_COUNT_MAX},
    {"flap-window", 10, 86400},
    {"log-size", 0, 100000},
    {"cleared-size", 0, 100000},
    {"sla-min-monitored", 1, 2678400},
    {"offices", 1, 4294967295L},
    {"max-age", 1, 3650},
    {"coverage-target", 0, 100},
    {"inspection-max-age", 1, 3650},
    {"drill-max-age", 0, 3650},
    {"rescan", 1, 3600},
    {"sig-wait", 0, 86400},
    {"tls-interval", 10, 604800},
    {"tls-timeout", 1, 120},
    {"cert-warn", 0, 3650},
    {"cert-clear", 0, 3650},
    {"poll-interval", 10, 3600},
    {"retries", 0, 10},
    {"sample", 10, 3600},
    {"window", 10, 90 * 86400},
    {"threshold-raise", 1, 100},
    {"threshold-clear", 0, 100},
    {"max-inflight", 1, 65535},
    {"get-batch", 1, 4096},
    {"min-samples", 1, 1000000},
    {"ifindex", 1, 2147483647},
    {"parent", 0, 4294967295L},
    {"via", 0, 4294967295L},
    {"min-offices", 0, 100000},
    {"clear-below", 0, 100000},
    {"hold", 0, 3600},
};

static int parse_ranged_int(cfg_t *cfg, cfg_opt_t *opt, const char *value, void *result)
{
	seen_record(cfg, opt);
	return config_error_ranged_int(cfg, opt, value, ranges, sizeof(ranges) / sizeof(ranges[0]),
	                               result);
}

/* A percentage such as 99.5, with its line recorded like the rest. */
static int parse_percent(cfg_t *cfg, cfg_opt_t *opt, const char *value, void *result)
{
	char *end;
	double v;

	seen_record(cfg, opt);
	errno = 0;
	v = strtod(value, &end);
	if (errno || end == value || *end || v < 0.0 || v > 100.0) {
		cfg_error(cfg, "option '%s': '%s' is not a percentage from 0 to 100", opt->name,
		          value);
		return -1;
	}
	*(double *)result = v;
	return 0;
}

/* Checked here so a bad window is reported on its own line. */
static int parse_maintenance(cfg_t *cfg, cfg_opt_t *opt, const char *value, void *result)
{
	struct maint_window w;
	char err[128];

	seen_record(cfg, opt);
	if (!maint_parse(value, &w, err, sizeof(err))) {
		cfg_error(cfg, "option '%s': '%s': %s", opt->name, value, err);
		return -1;
	}
	*(const char **)result = value;
	return 0;
}

/* ---- schema ---- */

#define KW(name, def)  CFG_INT_CB(name, def, CFGF_NONE, parse_keyword)
#define KW_REQ(name)   CFG_INT_CB(name, 0, CFGF_NODEFAULT, parse_keyword)
#define NUM(name, def) CFG_INT_CB(name, def, CFGF_NONE, parse_ranged_int)
#define NUM_REQ(name)  CFG_INT_CB(name, 0, CFGF_NODEFAULT, parse_ranged_int)
#define STR(name, def) CFG_STR_CB(name, def, CFGF_NONE, parse_str)
#define STR_REQ(name)  CFG_STR_CB(name, NULL, CFGF_NODEFAULT, parse_str)

/* counters { ... } inside a line: where its traffic counters are read. */
static cfg_opt_t counters_opts[] = {
    STR_REQ("router"),
    KW("version", 2),
    STR("community", ""),
    STR("user", ""),
    KW("auth-protocol", SNMP_AUTH_SHA256),
    STR("auth-key", ""),
    KW("priv-protocol", SNMP_PRIV_AES128),
    STR("priv-key", ""),
    NUM("ifindex", 0),
    STR("ifname", ""),
    STR("ifdescr", ""),
    NUM("interval", 0), /* 0: bandwidth.poll-interval */
    CFG_END(),
};

static cfg_opt_t line_opts[] = {
    NUM_REQ("id"),
    KW_REQ("carrier"),
    STR("circuit", ""),
    KW("medium", 2),
    KW("role", 1),
    NUM("path", 0),
    NUM_REQ("bandwidth"),
    KW("probe", 2),
    STR_REQ("target"),
    NUM("port", 0),
    CFG_STR_LIST_CB("maintenance", NULL, CFGF_NONE, parse_maintenance),
    CFG_SEC("counters", counters_opts, CFGF_MULTI),
    NUM("via", 0), /* written (even 0): overrides the office's */
    CFG_END(),
};

static cfg_opt_t office_opts[] = {
    NUM_REQ("id"),
    STR_REQ("code"),
    STR_REQ("name"),
    KW_REQ("level"),
    STR("province", ""),
    STR("commune", ""),
    KW("org", 1),
    NUM("tier", 2),
    NUM("security-level", 0),
    KW("framework", 1),
    NUM("required-lines", 0),
    STR("contact", ""),
    STR("district", ""),
    NUM("via", 0),
    CFG_STR_LIST_CB("groups", NULL, CFGF_NONE, parse_str),
    CFG_STR_LIST_CB("maintenance", NULL, CFGF_NONE, parse_maintenance),
    CFG_SEC("line", line_opts, CFGF_MULTI),
    STR("readiness-key", ""),
    STR("tls-endpoint", ""),
    STR("tls-ca", ""),
    STR("tls-name", ""),
    CFG_END(),
};

static cfg_opt_t agent_opts[] = {
    STR("agentx-socket", "/var/agentx/master"),
    STR("state-dir", "/var/lib/tslcd"),
    STR("timezone", "Asia/Ho_Chi_Minh"),
    STR("user", ""),
    STR("control-socket", "/run/tslcd/control.sock"),
    NUM("save-interval", 60),
    STR("province-code", ""),
    STR("province-name", ""),
    NUM("history-retention", 400), /* days; 0 keeps everything */
    NUM("history-interval", 300),  /* seconds between writes of the running day */
    NUM("interval-minutes", 15),   /* tslcdIntervalTable: 15 or 5 (1: tests only) */
    CFG_END(),
};

static cfg_opt_t probe_opts[] = {
    NUM("interval", 10),   NUM("count", 3),           NUM("spacing", 200),
    NUM("timeout", 1000),  NUM("payload", 56),        NUM("down-after", 3),
    NUM("up-after", 2),    NUM("degrade-after", 3),   NUM("degrade-clear-after", 3),
    NUM("loss-raise", 20), NUM("loss-clear", 5),      NUM("rtt-raise", 0),
    NUM("rtt-clear", 0),   NUM("outage-history", 16), CFG_END(),
};

/* Security readiness: report ingestion, rules, TLS checks (see README). */
static cfg_opt_t readiness_opts[] = {
    STR("spool-dir", ""),        NUM("max-age", 35),
    NUM("coverage-target", 100), NUM("inspection-max-age", 365),
    NUM("drill-max-age", 365),   NUM("rescan", 60),
    NUM("sig-wait", 60),         NUM("tls-interval", 3600),
    NUM("tls-timeout", 10),      NUM("cert-warn", 30),
    NUM("cert-clear", 30),       CFG_END(),
};

static cfg_opt_t authority_opts[] = {
    STR_REQ("key"),
    CFG_INT_LIST_CB("offices", NULL, CFGF_NONE, parse_ranged_int),
    CFG_END(),
};

/* notify { rate burst flap-* resend-on-connect log-size cleared-size  alarm TYPE { }  heightened
 * "NAME" { } } */
static int parse_local_time(cfg_t *cfg, cfg_opt_t *opt, const char *value, void *result);
static int parse_bool(cfg_t *cfg, cfg_opt_t *opt, const char *value, void *result);
#define FLAG(name, def) CFG_BOOL_CB(name, def, CFGF_NONE, parse_bool)

static cfg_opt_t alarm_type_opts[] = {
    FLAG("enable", cfg_true),
    KW("severity", 0), /* 0: the type's default */
    CFG_END(),
};

/* Thresholds left out keep their value from `probe`. */
static cfg_opt_t heightened_opts[] = {
    CFG_STR_CB("from", NULL, CFGF_NODEFAULT, parse_local_time),
    CFG_STR_CB("to", NULL, CFGF_NODEFAULT, parse_local_time),
    FLAG("raise-severity", cfg_true),
    NUM_REQ("down-after"),
    NUM_REQ("up-after"),
    NUM_REQ("degrade-after"),
    NUM_REQ("loss-raise"),
    NUM_REQ("rtt-raise"),
    CFG_END(),
};

static cfg_opt_t notify_opts[] = {
    NUM("rate", 10),
    NUM("burst", 100),
    NUM("flap-count", 5),
    NUM("flap-window", 600),
    FLAG("resend-on-connect", cfg_true),
    NUM("log-size", 1000),
    NUM("cleared-size", 1000),
    CFG_FLOAT_CB("sla-target", 99.0, CFGF_NONE, parse_percent),
    KW("sla-window", 3),
    NUM("sla-min-monitored", 3600),
    CFG_SEC("alarm", alarm_type_opts, CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
    CFG_SEC("heightened", heightened_opts, CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
    CFG_END(),
};

/* bandwidth { ... }: defaults of the counter poller and the congestion rule. */
static cfg_opt_t bandwidth_opts[] = {
    NUM("poll-interval", 60),
    NUM("timeout", 2000),
    NUM("retries", 1),
    NUM("sample", 300),
    NUM("window", 604800),
    NUM("threshold-raise", 90),
    NUM("threshold-clear", 85),
    NUM("max-inflight", 256),
    NUM("min-samples", 288),
    NUM("get-batch", 256),
    CFG_END(),
};

/* node { }: an upstream node whose targets are probed like lines. */
static cfg_opt_t node_opts[] = {
    NUM_REQ("id"),
    STR_REQ("name"),
    KW("carrier", CARRIER_OTHER),
    CFG_STR_LIST_CB("targets", NULL, CFGF_NONE, parse_str),
    KW("probe", METHOD_ICMP),
    NUM("port", 0),
    NUM("parent", 0),
    CFG_END(),
};

/* self-check { }: reference targets; none: off. */
static cfg_opt_t selfcheck_opts[] = {
    CFG_STR_LIST_CB("targets", NULL, CFGF_NONE, parse_str),
    KW("probe", METHOD_ICMP),
    NUM("port", 0),
    CFG_END(),
};

/* area-outage { }: many offices of one group isolated at once.  `by` has no
 * libconfuse default (by_default stands in): a list default would run the
 * shared lexer in cfg_init(), outside config_error_parse_buf()'s lock. */
static cfg_opt_t area_opts[] = {
    NUM("min-offices", 0), /* 0: off */
    NUM("window", 60),
    NUM("clear-below", 0), /* 0: min-offices */
    NUM("hold", 0),        /* 0: probe interval + timeout, rounded up, + 1 s */
    CFG_INT_LIST_CB("by", NULL, CFGF_NONE, parse_keyword),
    CFG_END(),
};

static cfg_opt_t root_opts[] = {
    CFG_SEC("agent", agent_opts, CFGF_NONE),
    CFG_SEC("probe", probe_opts, CFGF_NONE),
    CFG_SEC("readiness", readiness_opts, CFGF_NONE),
    CFG_SEC("authority", authority_opts, CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
    CFG_SEC("node", node_opts, CFGF_MULTI),
    CFG_SEC("self-check", selfcheck_opts, CFGF_NONE),
    CFG_SEC("area-outage", area_opts, CFGF_NONE),
    CFG_SEC("office", office_opts, CFGF_MULTI),
    CFG_SEC("notify", notify_opts, CFGF_NONE),
    CFG_SEC("bandwidth", bandwidth_opts, CFGF_NONE),
    CFG_END(),
};

/* ---- the schema, for the tslcd.conf(5) man page ---- */

static const struct config_error_range *range_of(const char *option)
{
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if (!strcmp(ranges[i].option, option))
			return &ranges[i];
	return NULL;
}

static const char *keyword_name(const struct keyword *k, long value)
{
	for (; k->name; k++)
		if (k->value == value)
			return k->name;
	return "(per alarm type)"; /* alarm severity 0 */
}

static void dump_by_default(FILE *out)
{
	size_t n = sizeof(by_default) / sizeof(by_default[0]);

	fputc('{', out);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%s", config_group_kind_name(by_default[i]), i + 1 < n ? ", " : "}");
}

static void dump_value(FILE *out, const cfg_opt_t *o)
{
	const struct keyword *k = keywords_for(o->name);
	const struct config_error_range *r = range_of(o->name);
	bool list = o->flags & CFGF_LIST;

	if (o->type == CFGT_STR)
		fprintf(out, "%s\t", list ? "string list" : "string");
	else if (o->type == CFGT_BOOL)
		fprintf(out, "boolean\t");
	else if (o->type == CFGT_FLOAT)
		fprintf(out, "number\t");
	else if (k)
		fprintf(out, "%s\t", list ? "keyword list" : "keyword");
	else
		fprintf(out, "%s\t", list ? "integer list" : "integer");
	if (o->flags & CFGF_NODEFAULT)
		fprintf(out, "(required)");
	else if (!strcmp(o->name, "by"))
		dump_by_default(out);
	else if (list)
		fprintf(out, "(empty)");
	else if (o->type == CFGT_STR)
		fprintf(out, "\"%s\"", o->def.string ? o->def.string : "");
	else if (o->type == CFGT_BOOL)
		fprintf(out, "%s", o->def.boolean ? "true" : "false");
	else if (o->type == CFGT_FLOAT)
		fprintf(out, "%g", o->def.fpnumber);
	else if (k)
		fprintf(out, "%s", keyword_name(k, o->def.number));
	else
		fprintf(out, "%ld", o->def.number);
	fputc('\t', out);
	if (k)
		for (; k->name; k++)
			fprintf(out, "%s%s", k->name, k[1].name ? " | " : "");
	else if (r)
		fprintf(out, "%ld..%ld", r->min, r->max);
	else if (o->type == CFGT_FLOAT)
		fprintf(out, "0..100");
	else if (o->type == CFGT_BOOL)
		fprintf(out, "true | false");
	fputc('\n', out);
}

static void dump_section(FILE *out, const char *path, const cfg_opt_t *opts)
{
	for (const cfg_opt_t *o = opts; o->name; o++) {
		char sub[256];
		snprintf(sub, sizeof(sub), "%s%s%s%s", path, *path ? "." : "", o->name,
		         o->type == CFGT_SEC && (o->flags & CFGF_TITLE) ? " NAME" : "");
		if (o->type == CFGT_SEC) {
			dump_section(out, sub, o->subopts);
			continue;
		}
		fprintf(out, "%s\t", sub);
		dump_value(out, o);
	}
}

void config_dump_schema(FILE *out)
{
	dump_section(out, "", root_opts);
}

/* ---- conversion and whole-file checks ---- */

/* Most optional text is left empty, and each strdup("") took a 32-byte
 * chunk: 1.2 MB at 7,500 offices.  Every empty string from dup_str() is
 * this one instead (nothing writes into config strings), and str_free()
 * leaves it alone. */
static char empty_str[1];

static char *dup_str(cfg_t *sec, const char *name)
{
	const char *s = cfg_getstr(sec, name);
	return s && s[0] ? strdup(s) : empty_str;
}

static void str_free(char *s)
{
	if (s != empty_str)
		free(s);
}

static bool require(cfg_t *sec, const char *what, const char *name)
{
	if (cfg_size(sec, name) > 0)
		return true;
	report(line_of(sec, NULL), "%s: missing required option '%s'", what, name);
	return false;
}

static bool all_digits(const char *s)
{
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static bool valid_dns_name(const char *s)
{
	size_t len = strlen(s), label = 0;

	if (len == 0 || len > 253)
		return false;
	for (; *s; s++) {
		if (*s == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else if (isalnum((unsigned char)*s) || *s == '-' || *s == '_') {
			if (++label > 63)
				return false;
		} else {
			return false;
		}
	}
	return true;
}

/* What a probe target may be: lines, nodes and self-check references. */
#define TARGET_BAD "target '%s' is neither an IPv4/IPv6 address nor a host name"

/* A literal IPv4 or IPv6 address (RFC 4001 bytes in bin) or a DNS name;
 * false: none of them. */
static bool target_classify(const char *t, uint8_t *type, uint8_t *len, uint8_t bin[16])
{
	if (inet_pton(AF_INET, t, bin) == 1) {
		*type = ADDR_IPV4;
		*len = 4;
	} else if (inet_pton(AF_INET6, t, bin) == 1) {
		*type = ADDR_IPV6;
		*len = 16;
	} else if (valid_dns_name(t)) {
		*type = ADDR_DNS;
	} else {
		return false;
	}
	return true;
}

static bool target_parse(struct line_cfg *l, cfg_t *sec)
{
	const char *t = cfg_getstr(sec, "target");

	l->target = strdup(t ? t : "");
	if (!target_classify(l->target, &l->target_type, &l->target_len, l->target_bin)) {
		report(line_of(sec, "target"), "line %u: " TARGET_BAD, l->id, l->target);
		return false;
	}
	return true;
}

/* A probe with TCP needs a port, one without must not have one; `what`
 * names the section ("line 3", "node 10") and port_opt its port option. */
static bool probe_port_check(const char *what, uint8_t method, uint16_t port, cfg_t *sec,
                             const char *port_opt)
{
	bool needs_port = method == METHOD_TCP || method == METHOD_ICMP_TCP;

	if (needs_port && !port) {
		report(line_of(sec, "probe"), "%s: probe '%s' needs a '%s'", what,
		       config_keyword_name("probe", method), port_opt);
		return false;
	}
	if (!needs_port && port) {
		report(line_of(sec, port_opt), "%s: '%s' is set but the probe method uses no TCP",
		       what, port_opt);
		return false;
	}
	return true;
}

static bool line_probe_parse(struct line_cfg *l, cfg_t *sec)
{
	char what[32];

	if (l->method != METHOD_NONE) {
		if (!require(sec, "line", "target") || !target_parse(l, sec))
			return false;
	} else if (cfg_size(sec, "target")) {
		if (!target_parse(l, sec))
			return false;
	}
	l->tcp_port = (uint16_t)cfg_getint(sec, "port");
	snprintf(what, sizeof(what), "line %u", l->id);
	return probe_port_check(what, l->method, l->tcp_port, sec, "port");
}

/* Values were validated while parsing, so maint_parse cannot fail here. */
static size_t windows_add(struct maint_window *dst, cfg_t *sec)
{
	size_t n = cfg_size(sec, "maintenance");
	char err[8];

	for (size_t i = 0; i < n; i++)
		maint_parse(cfg_getnstr(sec, "maintenance", (unsigned)i), &dst[i], err,
		            sizeof(err));
	return n;
}

static bool line_windows(struct line_cfg *l, cfg_t *line_sec, cfg_t *office_sec)
{
	size_t n = cfg_size(line_sec, "maintenance") + cfg_size(office_sec, "maintenance");

	if (!n)
		return true;
	l->maint = calloc(n, sizeof(*l->maint));
	if (!l->maint)
		return false;
	l->n_maint = windows_add(l->maint, office_sec);
	l->n_maint += windows_add(l->maint + l->n_maint, line_sec);
	return true;
}

/* ---- counters sources and the bandwidth section ---- */

static _Thread_local const struct bandwidth_cfg *bw_defaults; /* set by bandwidth_parse() */
static bool allow_readable_secrets;

void config_allow_readable_secrets(bool allow)
{
	allow_readable_secrets = allow;
}

static void counters_cfg_free(struct counters_cfg *cc)
{
	if (!cc)
		return;
	str_free(cc->router);
	free(cc->peername);
	str_free(cc->community);
	str_free(cc->user);
	str_free(cc->auth_key);
	str_free(cc->priv_key);
	free(cc->ifname);
	free(cc);
}

/* "A.B.C.D[:port]", "[v6]:port" or a bare v6 address.  Literal addresses
 * only: Net-SNMP would resolve a name synchronously, stalling the loop. */
static bool router_parse(struct counters_cfg *cc)
{
	char host[64];
	const char *s = cc->router, *colon = strrchr(s, ':');
	unsigned long port = 161;

	if (s[0] == '[') {
		const char *end = strchr(s, ']');
		if (!end || (size_t)(end - s - 1) >= sizeof(host) || (end[1] && end[1] != ':'))
			return false;
		snprintf(host, sizeof(host), "%.*s", (int)(end - s - 1), s + 1);
		colon = end[1] ? end + 1 : NULL;
	} else if (colon && strchr(s, ':') == colon) {
		snprintf(host, sizeof(host), "%.*s", (int)(colon - s), s);
	} else {
		snprintf(host, sizeof(host), "%s", s);
		colon = NULL;
	}
	if (colon) {
		char *end;
		port = strtoul(colon + 1, &end, 10);
		if (*end || !colon[1] || port < 1 || port > 65535)
			return false;
	}
	cc->port = (uint16_t)port;
	if (inet_pton(AF_INET, host, cc->addr_bin) == 1) {
		cc->addr_type = ADDR_IPV4;
		cc->addr_len = 4;
		return asprintf(&cc->peername, "udp:%s:%lu", host, port) > 0;
	}
	if (inet_pton(AF_INET6, host, cc->addr_bin) == 1) {
		cc->addr_type = ADDR_IPV6;
		cc->addr_len = 16;
		return asprintf(&cc->peername, "udp6:[%s]:%lu", host, port) > 0;
	}
	return false;
}

/* Exactly one of ifindex / ifname / ifdescr names the interface. */
static bool counters_interface(struct counters_cfg *cc, cfg_t *sec, uint32_t line_id)
{
	const char *name = cfg_getstr(sec, "ifname"), *descr = cfg_getstr(sec, "ifdescr");
	unsigned n = (cfg_getint(sec, "ifindex") > 0) + (name[0] != 0) + (descr[0] != 0);

	if (n != 1) {
		report(cc->cfg_line,
		       "line %u: counters need exactly one of 'ifindex', 'ifname', 'ifdescr'",
		       line_id);
		return false;
	}
	cc->ifindex = (uint32_t)cfg_getint(sec, "ifindex");
	cc->match = cc->ifindex ? IFMATCH_INDEX : name[0] ? IFMATCH_NAME : IFMATCH_DESCR;
	cc->ifname = strdup(name[0] ? name : descr);
	return cc->ifname != NULL;
}

/* v2c needs a community; v3 is always authPriv, with keys of 8+ characters (RFC 3414). */
static bool counters_credentials(struct counters_cfg *cc, cfg_t *sec, uint32_t line_id)
{
	cc->community = dup_str(sec, "community");
	cc->user = dup_str(sec, "user");
	cc->auth_key = dup_str(sec, "auth-key");
	cc->priv_key = dup_str(sec, "priv-key");
	cc->auth_proto = (uint8_t)cfg_getint(sec, "auth-protocol");
	cc->priv_proto = (uint8_t)cfg_getint(sec, "priv-protocol");
	if (cc->version == 2 && (!cc->community[0] || cc->user[0])) {
		report(line_of(sec, cc->user[0] ? "user" : "version"),
		       "line %u: SNMPv2c counters need a 'community' and no 'user'", line_id);
		return false;
	}
	if (cc->version == 3 && (!cc->user[0] || cc->community[0])) {
		report(line_of(sec, cc->community[0] ? "community" : "version"),
		       "line %u: SNMPv3 counters need a 'user' and no 'community'", line_id);
		return false;
	}
	if (cc->version == 3 && (strlen(cc->auth_key) < 8 || strlen(cc->priv_key) < 8)) {
		report(line_of(sec, strlen(cc->auth_key) < 8 ? "auth-key" : "priv-key"),
		       "line %u: SNMPv3 'auth-key' and 'priv-key' must be at least 8 characters",
		       line_id);
		return false;
	}
	return true;
}

static bool counters_parse(struct line_cfg *l, cfg_t *line_sec)
{
	size_t n = cfg_size(line_sec, "counters");
	if (!n)
		return true;
	cfg_t *sec = cfg_getnsec(line_sec, "counters", 0);
	struct counters_cfg *cc = calloc(1, sizeof(*cc));
	if (!cc)
		return false;
	l->counters = cc;
	cc->cfg_line = line_of(sec, NULL);
	if (n > 1) {
		report(line_of(cfg_getnsec(line_sec, "counters", 1), NULL),
		       "line %u: only one 'counters' section per line", l->id);
		return false;
	}
	if (!require(sec, "counters", "router"))
		return false;
	cc->router = dup_str(sec, "router");
	cc->version = (uint8_t)cfg_getint(sec, "version");
	cc->interval_s = (unsigned)cfg_getint(sec, "interval");
	if (!router_parse(cc)) {
		report(line_of(sec, "router"),
		       "line %u: router '%s' must be an IPv4 or IPv6 address with an optional port "
		       "(A.B.C.D:P or [v6]:P)",
		       l->id, cc->router);
		return false;
	}
	bool ok = counters_interface(cc, sec, l->id);
	return counters_credentials(cc, sec, l->id) && ok; /* report both */
}

/* Line-level checks that need the bandwidth defaults (parsed first). */
static bool counters_check_interval(struct counters_cfg *cc, uint32_t line_id)
{
	if (!cc->interval_s)
		cc->interval_s = bw_defaults->poll_interval_s;
	if (cc->interval_s > bw_defaults->bw.sample_s) {
		report(cc->cfg_line,
		       "line %u: counters interval %u s is longer than the sample period %u s",
		       line_id, cc->interval_s, bw_defaults->bw.sample_s);
		return false;
	}
	return true;
}

static bool bandwidth_parse(struct tslcd_config *c, cfg_t *sec)
{
	struct bandwidth_cfg *b = &c->bandwidth;

	bw_defaults = b;
	b->poll_interval_s = (unsigned)cfg_getint(sec, "poll-interval");
	b->timeout_ms = (unsigned)cfg_getint(sec, "timeout");
	b->retries = (unsigned)cfg_getint(sec, "retries");
	b->max_inflight = (unsigned)cfg_getint(sec, "max-inflight");
	b->get_batch = (unsigned)cfg_getint(sec, "get-batch");
	b->bw = bw_params_default();
	b->bw.sample_s = (unsigned)cfg_getint(sec, "sample");
	b->bw.window_s = (unsigned)cfg_getint(sec, "window");
	b->bw.raise_ppm = (uint32_t)cfg_getint(sec, "threshold-raise") * 10000u;
	b->bw.clear_ppm = (uint32_t)cfg_getint(sec, "threshold-clear") * 10000u;
	b->bw.min_samples = (unsigned)cfg_getint(sec, "min-samples");
	if (b->bw.clear_ppm > b->bw.raise_ppm) {
		report(line_of(sec, "threshold-clear"),
		       "bandwidth: threshold-clear must not exceed threshold-raise");
		return false;
	}
	if (b->bw.window_s % b->bw.sample_s ||
	    b->bw.window_s / b->bw.sample_s < b->bw.min_samples) {
		report(
		    line_of(sec, "window"),
		    "bandwidth: window must be a multiple of sample and hold min-samples samples");
		return false;
	}
	if ((uint64_t)b->timeout_ms * (b->retries + 1) >= (uint64_t)b->poll_interval_s * 1000u) {
		report(line_of(sec, "timeout"),
		       "bandwidth: timeout x (retries + 1) must be shorter than poll-interval");
		return false;
	}
	return true;
}

/* Communities and keys must not sit in a file others can read (README,
 * "Secrets"; secrets.h judges the file; the override only downgrades it to
 * a warning). */
static bool secrets_check(const struct tslcd_config *c)
{
	const struct counters_cfg *first = NULL;
	char why[512];

	for (size_t i = 0; i < c->n_offices && !first; i++)
		for (size_t j = 0; j < c->offices[i].n_lines && !first; j++)
			first = c->offices[i].lines[j].counters;
	if (!first ||
	    secrets_file_private(c->path, privilege_run_uid(c->agent.user), why, sizeof(why)))
		return true;
	if (allow_readable_secrets) {
		log_msg(LOG_WARNING, "%s (allowed by --allow-readable-secrets)", why);
		return true;
	}
	report(first->cfg_line, "%s", why);
	return false;
}

static bool line_parse(struct line_cfg *l, cfg_t *sec)
{
	bool ok = true;
	ok &= require(sec, "line", "id");
	ok &= require(sec, "line", "carrier");
	ok &= require(sec, "line", "bandwidth");

	l->cfg_line = line_of(sec, "id");
	if (!ok)
		return false;
	l->id = (uint32_t)cfg_getint(sec, "id");
	l->carrier = (uint8_t)cfg_getint(sec, "carrier");
	l->medium = (uint8_t)cfg_getint(sec, "medium");
	l->role = (uint8_t)cfg_getint(sec, "role");
	l->method = (uint8_t)cfg_getint(sec, "probe");
	/* 0 = path not recorded; the redundancy rule counts all such lines as one path. */
	l->path_group = (uint32_t)cfg_getint(sec, "path");
	l->contract_kbps = (uint32_t)cfg_getint(sec, "bandwidth");
	l->circuit = dup_str(sec, "circuit");
	bool probe_ok = line_probe_parse(l, sec);
	return counters_parse(l, sec) &&
	       (!l->counters || counters_check_interval(l->counters, l->id)) && probe_ok;
}

static int cmp_line(const void *a, const void *b)
{
	const struct line_cfg *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_office(const void *a, const void *b)
{
	const struct office_cfg *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Sorted input makes duplicates adjacent; report the later section. */
static bool no_duplicate_lines(const struct office_cfg *o)
{
	bool ok = true;
	for (size_t i = 1; i < o->n_lines; i++) {
		if (o->lines[i].id != o->lines[i - 1].id)
			continue;
		const struct line_cfg *a = &o->lines[i - 1], *b = &o->lines[i];
		report(a->cfg_line > b->cfg_line ? a->cfg_line : b->cfg_line,
		       "office %u: duplicate line id %u (first defined at line %d)", o->id, a->id,
		       a->cfg_line < b->cfg_line ? a->cfg_line : b->cfg_line);
		ok = false;
	}
	return ok;
}

static bool office_codes_check(const struct office_cfg *o, cfg_t *sec)
{
	bool ok = true;

	if (o->province[0] && (strlen(o->province) != 2 || !all_digits(o->province))) {
		report(line_of(sec, "province"), "office %u: province code '%s' must be 2 digits",
		       o->id, o->province);
		ok = false;
	}
	if (o->commune[0] && (strlen(o->commune) != 5 || !all_digits(o->commune))) {
		report(line_of(sec, "commune"), "office %u: commune code '%s' must be 5 digits",
		       o->id, o->commune);
		ok = false;
	}
	if (o->admin_level == LEVEL_COMMUNE && !o->commune[0]) {
		report(line_of(sec, "level"),
		       "office %u: a commune-level office needs a 'commune' code", o->id);
		ok = false;
	}
	/* The upper bounds were checked while parsing (str_rules). */
	if (!o->code[0]) {
		report(line_of(sec, "code"), "office %u: 'code' must be 1 to 32 characters", o->id);
		ok = false;
	}
	if (!o->name[0]) {
		report(line_of(sec, "name"), "office %u: 'name' must be 1 to 255 bytes", o->id);
		ok = false;
	}
	return ok;
}

/* The redundancy rule of the network's operating circular (19/2023/TT-BTTTT,
 * now 06/2026/TT-BKHCN): a tier I (cap I) office, or one hosting a system of
 * security level 4-5, needs two lines on separate paths (TSLCD-MIB,
 * tslcdOfficeRequiredLines). */
static uint32_t default_required_lines(const struct office_cfg *o)
{
	return (o->access_tier == 1 || o->security_level >= 4) ? 2 : 1;
}

/* Nodes are parsed before the offices, so `via` can be checked here. */
static bool via_known(const struct tslcd_config *c, uint32_t via, cfg_t *sec, const char *what)
{
	if (!via || config_find_node(c, via))
		return true;
	report(line_of(sec, "via"), "%s: via %u is not a defined node", what, via);
	return false;
}

/* A line's own `via`, once written (0 too: no node for this line), wins
 * over the office's. */
static bool line_via(const struct tslcd_config *c, const struct office_cfg *o, struct line_cfg *l,
                     cfg_t *sec)
{
	char what[48];

	if (!(cfg_getopt(sec, "via")->flags & CFGF_MODIFIED)) {
		l->via = o->via;
		return true;
	}
	l->via = (uint32_t)cfg_getint(sec, "via");
	snprintf(what, sizeof(what), "office %u, line %u", o->id, l->id);
	return via_known(c, l->via, sec, what);
}

static bool office_lines_parse(const struct tslcd_config *c, struct office_cfg *o, cfg_t *sec)
{
	bool ok = true;

	o->n_lines = cfg_size(sec, "line");
	o->lines = calloc(o->n_lines ? o->n_lines : 1, sizeof(*o->lines));
	if (!o->lines)
		return false;
	for (size_t i = 0; i < o->n_lines; i++) {
		cfg_t *ls = cfg_getnsec(sec, "line", (unsigned)i);
		ok &= line_parse(&o->lines[i], ls) && line_windows(&o->lines[i], ls, sec) &&
		      line_via(c, o, &o->lines[i], ls);
	}
	if (!ok)
		return false;
	qsort(o->lines, o->n_lines, sizeof(*o->lines), cmp_line);
	return no_duplicate_lines(o);
}

static bool office_ready_parse(struct office_cfg *o, cfg_t *sec); /* readiness, below */

/* Group names are kept in the parsed tree until groups_build() reads them;
 * here only the empty ones are refused (the length was checked while
 * parsing). */
static bool office_group_names_check(const struct office_cfg *o, cfg_t *sec)
{
	bool ok = true;

	for (size_t i = 0; i < cfg_size(sec, "groups"); i++) {
		if (cfg_getnstr(sec, "groups", (unsigned)i)[0])
			continue;
		report(line_of_nth(sec, "groups", i),
		       "office %u: a group name must be 1 to 64 bytes", o->id);
		ok = false;
	}
	return ok;
}

static bool office_parse(const struct tslcd_config *c, struct office_cfg *o, cfg_t *sec)
{
	bool ok = true;
	ok &= require(sec, "office", "id");
	ok &= require(sec, "office", "code");
	ok &= require(sec, "office", "name");
	ok &= require(sec, "office", "level");

	o->cfg_line = line_of(sec, "id");
	if (!ok)
		return false;
	o->id = (uint32_t)cfg_getint(sec, "id");
	o->admin_level = (uint8_t)cfg_getint(sec, "level");
	o->org_type = (uint8_t)cfg_getint(sec, "org");
	o->access_tier = (uint8_t)cfg_getint(sec, "tier");
	o->security_level = (uint8_t)cfg_getint(sec, "security-level");
	o->framework = (uint8_t)cfg_getint(sec, "framework");
	o->code = dup_str(sec, "code");
	o->name = dup_str(sec, "name");
	o->province = dup_str(sec, "province");
	o->commune = dup_str(sec, "commune");
	o->contact = dup_str(sec, "contact");
	o->district = dup_str(sec, "district");
	o->via = (uint32_t)cfg_getint(sec, "via");
	o->required_lines = (uint32_t)cfg_getint(sec, "required-lines");
	if (!o->required_lines)
		o->required_lines = default_required_lines(o);
	char what[32];
	snprintf(what, sizeof(what), "office %u", o->id);
	ok = office_codes_check(o, sec);
	ok &= office_ready_parse(o, sec);
	ok &= office_group_names_check(o, sec);
	ok &= via_known(c, o->via, sec, what);
	return office_lines_parse(c, o, sec) && ok;
}

static bool no_duplicate_offices(const struct tslcd_config *c)
{
	bool ok = true;
	for (size_t i = 1; i < c->n_offices; i++) {
		const struct office_cfg *a = &c->offices[i - 1], *b = &c->offices[i];
		if (a->id != b->id)
			continue;
		report(a->cfg_line > b->cfg_line ? a->cfg_line : b->cfg_line,
		       "duplicate office id %u (first defined at line %d)", a->id,
		       a->cfg_line < b->cfg_line ? a->cfg_line : b->cfg_line);
		ok = false;
	}
	return ok;
}

/* ---- upstream nodes, the self-check, area-outage groups ---- */

/* Targets of a node or of the self-check: min..CONFIG_TARGETS_MAX values,
 * each a probe target as a line's `target` is. */
static bool targets_parse(cfg_t *sec, const char *what, size_t min, char ***out, size_t *n_out)
{
	size_t n = cfg_size(sec, "targets");
	uint8_t type, len, bin[16];
	bool ok = true;

	*out = calloc(n ? n : 1, sizeof(**out));
	if (!*out)
		return false;
	if (n < min) {
		report(line_of(sec, "targets"), "%s: no targets (at least %zu required)", what,
		       min);
		return false;
	}
	if (n > CONFIG_TARGETS_MAX) {
		report(line_of_nth(sec, "targets", CONFIG_TARGETS_MAX),
		       "%s: %zu targets, at most %d allowed", what, n, CONFIG_TARGETS_MAX);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		const char *t = cfg_getnstr(sec, "targets", (unsigned)i);
		if (!((*out)[i] = strdup(t)))
			return false;
		*n_out = i + 1;
		if (!target_classify(t, &type, &len, bin)) {
			report(line_of_nth(sec, "targets", i), "%s: " TARGET_BAD, what, t);
			ok = false;
		}
	}
	return ok;
}

/* A node or a reference that is never probed can never be judged. */
static bool probe_not_none(const char *what, uint8_t method, cfg_t *sec)
{
	if (method != METHOD_NONE)
		return true;
	report(line_of(sec, "probe"),
	       "%s: probe 'none' is not allowed here (icmp, tcp or icmp-tcp)", what);
	return false;
}

static bool node_parse(struct node_cfg *n, cfg_t *sec)
{
	bool ok = true;
	char what[32];
	ok &= require(sec, "node", "id");
	ok &= require(sec, "node", "name");

	n->cfg_line = line_of(sec, "id");
	if (!ok)
		return false;
	n->id = (uint32_t)cfg_getint(sec, "id");
	n->name = dup_str(sec, "name");
	n->carrier = (uint8_t)cfg_getint(sec, "carrier");
	n->method = (uint8_t)cfg_getint(sec, "probe");
	n->tcp_port = (uint16_t)cfg_getint(sec, "port");
	n->parent = (uint32_t)cfg_getint(sec, "parent");
	snprintf(what, sizeof(what), "node %u", n->id);
	if (!n->name[0]) { /* the upper bound was checked while parsing */
		report(line_of(sec, "name"), "%s: 'name' must be 1 to 255 bytes", what);
		ok = false;
	}
	ok &= probe_not_none(what, n->method, sec) &&
	      probe_port_check(what, n->method, n->tcp_port, sec, "port");
	ok &= targets_parse(sec, what, 1, &n->targets, &n->n_targets);
	return ok;
}

static int cmp_node(const void *a, const void *b)
{
	const struct node_cfg *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

const struct node_cfg *config_find_node(const struct tslcd_config *c, uint32_t id)
{
	struct node_cfg key = {.id = id};

	if (!c->n_nodes)
		return NULL;
	return bsearch(&key, c->nodes, c->n_nodes, sizeof(key), cmp_node);
}

static bool no_duplicate_nodes(const struct tslcd_config *c)
{
	bool ok = true;
	for (size_t i = 1; i < c->n_nodes; i++) {
		const struct node_cfg *a = &c->nodes[i - 1], *b = &c->nodes[i];
		if (a->id != b->id)
			continue;
		report(a->cfg_line > b->cfg_line ? a->cfg_line : b->cfg_line,
		       "duplicate node id %u (first defined at line %d)", a->id,
		       a->cfg_line < b->cfg_line ? a->cfg_line : b->cfg_line);
		ok = false;
	}
	return ok;
}

/* The node's parent, NULL for none, itself or an unknown id (reported by
 * nodes_parents_check()). */
static const struct node_cfg *node_parent(const struct tslcd_config *c, const struct node_cfg *n)
{
	return n->parent && n->parent != n->id ? config_find_node(c, n->parent) : NULL;
}

/* parent_line: the line of each node's `parent` option, by index into
 * c->nodes. */
static bool nodes_parents_check(const struct tslcd_config *c, const int *parent_line)
{
	bool ok = true;

	for (size_t i = 0; i < c->n_nodes; i++) {
		const struct node_cfg *n = &c->nodes[i];
		if (n->parent == n->id) {
			report(parent_line[i], "node %u: parent is the node itself", n->id);
			ok = false;
		} else if (n->parent && !node_parent(c, n)) {
			report(parent_line[i], "node %u: parent %u is not a defined node", n->id,
			       n->parent);
			ok = false;
		}
	}
	return ok;
}

/* "3 -> 5 -> 3", from the smallest id of the loop (ring: indices into
 * c->nodes, each the parent of the one before, the last's parent the
 * first), reported at that node's `parent`. */
static void report_cycle(const struct tslcd_config *c, const size_t *ring, size_t n,
                         const int *parent_line)
{
	char text[256];
	size_t start = 0, used = 0;

	for (size_t i = 1; i < n; i++)
		if (ring[i] < ring[start]) /* nodes are sorted: the smaller index, the smaller id */
			start = i;
	for (size_t i = 0; i <= n && used < sizeof(text); i++) {
		int w = snprintf(text + used, sizeof(text) - used, "%s%u", i ? " -> " : "",
		                 c->nodes[ring[(start + i) % n]].id);
		used += w > 0 ? (size_t)w : 0;
	}
	if (used >= sizeof(text))
		memcpy(text + sizeof(text) - 4, "...", 4);
	report(parent_line[ring[start]], "node %u: parent cycle %s", c->nodes[ring[start]].id,
	       text);
}

/* Follows each chain of parents once (state: 0 not seen, 1 on this walk,
 * 2 done); a walk that meets itself has found a loop, reported once. */
static bool no_parent_cycles(const struct tslcd_config *c, const int *parent_line)
{
	uint8_t *state = calloc(c->n_nodes + 1, 1);
	size_t *path = calloc(c->n_nodes + 1, sizeof(*path));
	bool ok = state && path;

	for (size_t i = 0; state && path && i < c->n_nodes; i++) {
		size_t len = 0, k = i;
		bool loop = false;
		while (!state[k]) {
			state[k] = 1;
			path[len++] = k;
			const struct node_cfg *p = node_parent(c, &c->nodes[k]);
			if (!p)
				break;
			k = (size_t)(p - c->nodes);
			loop = state[k] == 1;
		}
		if (loop) {
			size_t from = 0;
			while (path[from] != k)
				from++;
			report_cycle(c, path + from, len - from, parent_line);
			ok = false;
		}
		for (size_t j = 0; j < len; j++)
			state[path[j]] = 2;
	}
	free(state);
	free(path);
	return ok;
}

/* Parsed into `src` (with each `parent` line) and sorted there, then
 * moved to c->nodes, so checks after the sort still know the lines. */
struct node_src {
	struct node_cfg cfg;
	int parent_line;
};

static int cmp_node_src(const void *a, const void *b)
{
	return cmp_node(&((const struct node_src *)a)->cfg, &((const struct node_src *)b)->cfg);
}

static bool nodes_parse(struct tslcd_config *c, cfg_t *root)
{
	size_t n = cfg_size(root, "node");
	struct node_src *src = calloc(n ? n : 1, sizeof(*src));
	int *parent_line = calloc(n ? n : 1, sizeof(*parent_line));
	bool ok = src && parent_line;

	c->nodes = calloc(n ? n : 1, sizeof(*c->nodes));
	if (!ok || !c->nodes) {
		free(src);
		free(parent_line);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		cfg_t *sec = cfg_getnsec(root, "node", (unsigned)i);
		ok &= node_parse(&src[i].cfg, sec);
		src[i].parent_line = line_of(sec, "parent");
	}
	qsort(src, n, sizeof(*src), cmp_node_src);
	for (size_t i = 0; i < n; i++) {
		c->nodes[i] = src[i].cfg; /* c owns the strings from here */
		parent_line[i] = src[i].parent_line;
	}
	c->n_nodes = n;
	free(src);
	ok = ok && no_duplicate_nodes(c);
	if (ok) { /* both checks run, so every problem is reported */
		ok = nodes_parents_check(c, parent_line);
		ok &= no_parent_cycles(c, parent_line);
	}
	free(parent_line);
	return ok;
}

static bool selfcheck_parse(struct tslcd_config *c, cfg_t *sec)
{
	struct selfcheck_cfg *s = &c->selfcheck;

	s->method = (uint8_t)cfg_getint(sec, "probe");
	s->tcp_port = (uint16_t)cfg_getint(sec, "port");
	bool ok = targets_parse(sec, "self-check", 0, &s->targets, &s->n_targets);
	return probe_not_none("self-check", s->method, sec) &&
	       probe_port_check("self-check", s->method, s->tcp_port, sec, "port") && ok;
}

/* Runs after probe_parse(): the default hold is one probe round's worth
 * (interval + timeout, rounded up to seconds) + 1 s, so a node found down
 * in the same round as its lines still suppresses their raises. */
static bool area_parse(struct tslcd_config *c, cfg_t *sec)
{
	struct area_cfg *a = &c->area;

	a->min_offices = (unsigned)cfg_getint(sec, "min-offices");
	a->window_s = (unsigned)cfg_getint(sec, "window");
	a->clear_below = (unsigned)cfg_getint(sec, "clear-below");
	a->hold_s = (unsigned)cfg_getint(sec, "hold");
	if (!a->clear_below)
		a->clear_below = a->min_offices;
	if (!a->hold_s)
		a->hold_s = (c->probe.interval_ms + c->probe.timeout_ms + 999) / 1000 + 1;
	if (!(cfg_getopt(sec, "by")->flags & CFGF_MODIFIED))
		for (size_t i = 0; i < sizeof(by_default) / sizeof(by_default[0]); i++)
			a->by[by_default[i]] = true;
	for (size_t i = 0; i < cfg_size(sec, "by"); i++)
		a->by[cfg_getnint(sec, "by", (unsigned)i)] = true; /* a kw_group_kind value */
	if (a->min_offices == 1) {
		report(line_of(sec, "min-offices"),
		       "area-outage: min-offices must be 0 (off) or at least 2 (one office is "
		       "officeIsolated's business)");
		return false;
	}
	if (a->clear_below > a->min_offices) {
		report(line_of(sec, "clear-below"),
		       "area-outage: clear-below (%u) must not exceed min-offices (%u)",
		       a->clear_below, a->min_offices);
		return false;
	}
	bool any = false;
	for (unsigned k = GROUP_COMMUNE; k <= GROUP_NAMED; k++)
		any |= a->by[k];
	if (a->min_offices && !any) { /* `by = {}` */
		report(line_of(sec, "by"), "area-outage: 'by' names no kind of group");
		return false;
	}
	return true;
}

const char *config_group_kind_name(unsigned kind)
{
	const char *name = config_keyword_name("by", (long)kind);
	return name ? name : "unknown";
}

/* One office in one group, before the groups exist. */
struct member {
	uint8_t kind;
	const char *name; /* in the parsed tree or a static string */
	uint32_t office;
};

static int cmp_member(const void *a, const void *b)
{
	const struct member *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	int n = strcmp(x->name, y->name);
	return n ? n : x->office < y->office ? -1 : x->office > y->office;
}

/* Every (kind, name, office) of the kinds area.by enables; `sec` is the
 * office's section, for its `groups` names.  Returns how many were added. */
static size_t office_members(const struct tslcd_config *c, const struct office_cfg *o, cfg_t *sec,
                             struct member *m)
{
	const bool *by = c->area.by;
	size_t n = 0;

	if (by[GROUP_COMMUNE] && o->commune[0])
		m[n++] = (struct member){GROUP_COMMUNE, o->commune, o->id};
	if (by[GROUP_DISTRICT] && o->district[0])
		m[n++] = (struct member){GROUP_DISTRICT, o->district, o->id};
	for (size_t i = 0; by[GROUP_CARRIER] && i < o->n_lines; i++)
		m[n++] = (struct member){
		    GROUP_CARRIER, config_keyword_name("carrier", o->lines[i].carrier), o->id};
	for (size_t i = 0; by[GROUP_NAMED] && i < cfg_size(sec, "groups"); i++)
		m[n++] =
		    (struct member){GROUP_NAMED, cfg_getnstr(sec, "groups", (unsigned)i), o->id};
	return n;
}

/* Sorted, with repeats (two lines of one carrier, a name listed twice)
 * removed. */
static struct member *members_collect(const struct tslcd_config *c, cfg_t *root, size_t *n_out)
{
	size_t cap = 0, n = 0;

	for (unsigned i = 0; i < cfg_size(root, "office"); i++) {
		cfg_t *sec = cfg_getnsec(root, "office", i);
		const struct office_cfg *o = config_find_office(c, (uint32_t)cfg_getint(sec, "id"));
		cap += 2 + cfg_size(sec, "groups") + (o ? o->n_lines : 0);
	}
	struct member *m = calloc(cap ? cap : 1, sizeof(*m));
	if (!m)
		return NULL;
	for (unsigned i = 0; i < cfg_size(root, "office"); i++) {
		cfg_t *sec = cfg_getnsec(root, "office", i);
		const struct office_cfg *o = config_find_office(c, (uint32_t)cfg_getint(sec, "id"));
		if (o)
			n += office_members(c, o, sec, m + n);
	}
	if (n)
		qsort(m, n, sizeof(*m), cmp_member);
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (!u || cmp_member(&m[u - 1], &m[i]))
			m[u++] = m[i];
	*n_out = u;
	return m;
}

/* Does member i (sorted) start a group? */
static bool member_starts_group(const struct member *m, size_t i)
{
	return i == 0 || m[i].kind != m[i - 1].kind || strcmp(m[i].name, m[i - 1].name);
}

/* fill false: name the groups and count their and the offices' members;
 * true: store the members.  Members are sorted by group, so each office's
 * list of groups comes out ascending. */
static bool members_place(struct tslcd_config *c, const struct member *m, size_t n, bool fill)
{
	for (size_t i = 0, g = 0; i < n; i++) {
		g += i && member_starts_group(m, i);
		struct group_cfg *grp = &c->groups[g];
		struct office_cfg *o = &c->offices[config_find_office(c, m[i].office) - c->offices];
		if (fill) {
			grp->offices[grp->n_offices++] = m[i].office;
			o->groups[o->n_groups++] = (uint32_t)g;
			continue;
		}
		if (member_starts_group(m, i)) {
			grp->kind = m[i].kind;
			if (!(grp->name = strdup(m[i].name)))
				return false;
		}
		grp->n_offices++;
		o->n_groups++;
	}
	return true;
}

/* Room for the counted members; the counts restart from 0 for the fill. */
static bool members_alloc(struct tslcd_config *c)
{
	for (size_t g = 0; g < c->n_groups; g++) {
		c->groups[g].offices = calloc(c->groups[g].n_offices, sizeof(uint32_t));
		c->groups[g].n_offices = 0;
		if (!c->groups[g].offices)
			return false;
	}
	for (size_t i = 0; i < c->n_offices; i++) {
		struct office_cfg *o = &c->offices[i];
		o->groups = calloc(o->n_groups ? o->n_groups : 1, sizeof(*o->groups));
		o->n_groups = 0;
		if (!o->groups)
			return false;
	}
	return true;
}

/* The groups area.by asks for; none while the rule is off.  Runs after
 * the offices are sorted and known to have unique ids. */
static bool groups_build(struct tslcd_config *c, cfg_t *root)
{
	size_t n = 0, ng = 0;

	if (!c->area.min_offices)
		return true;
	struct member *m = members_collect(c, root, &n);
	if (!m)
		return false;
	for (size_t i = 0; i < n; i++)
		ng += member_starts_group(m, i);
	c->groups = calloc(ng ? ng : 1, sizeof(*c->groups));
	if (c->groups)
		c->n_groups = ng;
	bool ok = c->groups && members_place(c, m, n, false) && members_alloc(c) &&
	          members_place(c, m, n, true);
	free(m);
	return ok;
}

static bool timezone_known(const char *tz)
{
	char path[512];

	if (!tz[0] || strstr(tz, ".."))
		return false;
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tz);
	return access(path, R_OK) == 0;
}

static bool agent_parse(struct tslcd_config *c, cfg_t *sec)
{
	c->agent.agentx_socket = dup_str(sec, "agentx-socket");
	c->agent.state_dir = dup_str(sec, "state-dir");
	c->agent.timezone = dup_str(sec, "timezone");
	c->agent.user = dup_str(sec, "user");
	c->agent.control_socket = dup_str(sec, "control-socket");
	c->agent.save_interval_s = (unsigned)cfg_getint(sec, "save-interval");
	c->agent.province_code = dup_str(sec, "province-code");
	c->agent.province_name = dup_str(sec, "province-name");
	c->agent.history_retention_days = (unsigned)cfg_getint(sec, "history-retention");
	c->agent.history_interval_s = (unsigned)cfg_getint(sec, "history-interval");
	c->agent.interval_s = 60u * (unsigned)cfg_getint(sec, "interval-minutes");
	if (c->agent.interval_s != 60 && c->agent.interval_s != 300 && c->agent.interval_s != 900) {
		report(line_of(sec, "interval-minutes"),
		       "agent: interval-minutes must be 15 or 5 (1 is for tests)");
		return false;
	}
	if (!timezone_known(c->agent.timezone)) {
		report(line_of(sec, "timezone"),
		       "agent: unknown timezone '%s' (expected a name such as "
		       "Asia/Ho_Chi_Minh from /usr/share/zoneinfo)",
		       c->agent.timezone);
		return false;
	}
	return true;
}

static bool probe_parse(struct tslcd_config *c, cfg_t *sec)
{
	c->probe.interval_ms = (unsigned)cfg_getint(sec, "interval") * 1000u;
	c->probe.count = (unsigned)cfg_getint(sec, "count");
	c->probe.spacing_ms = (unsigned)cfg_getint(sec, "spacing");
	c->probe.timeout_ms = (unsigned)cfg_getint(sec, "timeout");
	c->probe.payload = (unsigned)cfg_getint(sec, "payload");
	c->state = linestate_params_default();
	c->state.down_after = (unsigned)cfg_getint(sec, "down-after");
	c->state.up_after = (unsigned)cfg_getint(sec, "up-after");
	c->state.degrade_after = (unsigned)cfg_getint(sec, "degrade-after");
	c->state.degrade_clear_after = (unsigned)cfg_getint(sec, "degrade-clear-after");
	c->state.loss_raise_ppm = (uint32_t)cfg_getint(sec, "loss-raise") * 10000u;
	c->state.loss_clear_ppm = (uint32_t)cfg_getint(sec, "loss-clear") * 10000u;
	c->state.rtt_raise_us = (uint32_t)cfg_getint(sec, "rtt-raise") * 1000u;
	c->state.rtt_clear_us = (uint32_t)cfg_getint(sec, "rtt-clear") * 1000u;
	c->outage_history = (unsigned)cfg_getint(sec, "outage-history");
	if (c->state.loss_clear_ppm > c->state.loss_raise_ppm ||
	    c->state.rtt_clear_us > c->state.rtt_raise_us) {
		report(line_of(sec, NULL),
		       "probe: a clear threshold must not exceed its raise threshold");
		return false;
	}
	const char *why = prober_params_check(&c->probe);
	if (why) {
		report(line_of(sec, NULL), "probe: %s", why);
		return false;
	}
	/* A round must end before the next one starts, or rounds would overlap. */
	uint64_t round_ms =
	    (uint64_t)(c->probe.count - 1) * c->probe.spacing_ms + c->probe.timeout_ms;
	if (round_ms >= c->probe.interval_ms) {
		report(line_of(sec, "interval"),
		       "probe: a round (count x spacing + timeout = %llu ms) must be shorter "
		       "than the interval (%u ms)",
		       (unsigned long long)round_ms, c->probe.interval_ms);
		return false;
	}
	return true;
}

/* ---- readiness: keys, authorities, TLS endpoints ---- */

/* Relative key and CA paths are relative to the config file's directory. */
static char *path_near_config(const char *p)
{
	const char *slash = strrchr(config_error_path(), '/');
	char *out;

	if (p[0] == '/' || !slash)
		return strdup(p);
	if (asprintf(&out, "%.*s/%s", (int)(slash - config_error_path()), config_error_path(), p) <
	    0)
		return NULL;
	return out;
}

/* A section title served in TSLCD-MIB (tslcdHeightenedPeriod, or
 * tslcdReadinessReportSigner for an authority): a TslcdUtf8String. */
static bool title_ok(const char *title, int line, const char *what)
{
	const char *why = textcheck_problem(title, TEXT_UTF8);

	if (!title[0] || strlen(title) > 255) {
		report(line, "%s: the name must be 1 to 255 bytes", what);
		return false;
	}
	if (why)
		report(line, "%s: the name %s", what, why);
	return !why;
}

/* A key's name defaults to its file name without the extension. */
static bool key_parse(struct key_cfg *k, const char *name, const char *path, int line)
{
	char err[256];

	k->path = path_near_config(path);
	if (name) {
		k->name = strdup(name);
	} else {
		const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
		const char *dot = strrchr(base, '.');
		k->name = strndup(base, dot && dot != base ? (size_t)(dot - base) : strlen(base));
	}
	if (!k->path || !k->name)
		return false;
	if (!readiness_report_key_load(k->path, k->pub, err, sizeof(err))) {
		report(line, "%s", err);
		return false;
	}
	return true;
}

/* "127.0.0.1:8443" or "[::1]:8443"; literal addresses only, so checks
 * never wait for DNS. */
static bool tls_endpoint_parse(struct office_ready_cfg *r, int line)
{
	const char *e = r->tls_endpoint, *colon = strrchr(e, ':');
	uint8_t bin[16];
	char *end;

	if (colon && e[0] == '[' && colon > e && colon[-1] == ']')
		r->tls_host = strndup(e + 1, (size_t)(colon - e - 2));
	else if (colon && strchr(e, ':') == colon)
		r->tls_host = strndup(e, (size_t)(colon - e));
	unsigned long port = colon ? strtoul(colon + 1, &end, 10) : 0;
	if (!r->tls_host || !colon || *end || port < 1 || port > 65535 ||
	    (inet_pton(AF_INET, r->tls_host, bin) != 1 &&
	     inet_pton(AF_INET6, r->tls_host, bin) != 1)) {
		report(line, "tls-endpoint '%s' must be ADDRESS:PORT or [IPv6]:PORT", e);
		return false;
	}
	r->tls_port = (uint16_t)port;
	return true;
}

/* Read as readiness_tls will read it (smallfile.h: a FIFO must not block). */
static bool ca_check(const char *path, int line)
{
	char *pem, why[256];
	size_t len;

	if (!smallfile_read(path, 0, CONFIG_CA_MAX_BYTES, &pem, &len, why, sizeof(why))) {
		report(line, "cannot read CA bundle '%s': %s", path, why);
		return false;
	}
	bool ok = strstr(pem, "-----BEGIN CERTIFICATE-----") != NULL;
	free(pem);
	if (!ok)
		report(line, "CA bundle '%s' holds no PEM certificate", path);
	return ok;
}

static bool office_tls_parse(struct office_ready_cfg *r, cfg_t *sec)
{
	const char *ca = cfg_getstr(sec, "tls-ca");

	r->tls_endpoint = dup_str(sec, "tls-endpoint");
	r->tls_name = dup_str(sec, "tls-name");
	r->tls_ca = ca && ca[0] ? path_near_config(ca) : empty_str;
	if (!r->tls_endpoint[0]) {
		if (!r->tls_ca[0] && !r->tls_name[0])
			return true;
		report(line_of(sec, r->tls_ca[0] ? "tls-ca" : "tls-name"),
		       "'tls-ca' and 'tls-name' need a 'tls-endpoint'");
		return false;
	}
	if (!tls_endpoint_parse(r, line_of(sec, "tls-endpoint")))
		return false;
	return !r->tls_ca[0] || ca_check(r->tls_ca, line_of(sec, "tls-ca"));
}

static bool office_ready_parse(struct office_cfg *o, cfg_t *sec)
{
	const char *key = cfg_getstr(sec, "readiness-key");
	bool ok = true;

	if (key && key[0]) {
		o->ready.has_key = true;
		ok = key_parse(&o->ready.key, NULL, key, line_of(sec, "readiness-key"));
	}
	return office_tls_parse(&o->ready, sec) && ok;
}

static bool readiness_parse(struct tslcd_config *c, cfg_t *sec)
{
	struct readiness_cfg *r = &c->readiness;
	const char *spool = cfg_getstr(sec, "spool-dir");

	r->spool_dir = spool && spool[0] ? path_near_config(spool) : strdup("");
	r->max_age_days = (unsigned)cfg_getint(sec, "max-age");
	r->coverage_target_pct = (unsigned)cfg_getint(sec, "coverage-target");
	r->inspection_max_age_days = (unsigned)cfg_getint(sec, "inspection-max-age");
	r->drill_max_age_days = (unsigned)cfg_getint(sec, "drill-max-age");
	r->rescan_s = (unsigned)cfg_getint(sec, "rescan");
	r->sig_wait_s = (unsigned)cfg_getint(sec, "sig-wait");
	r->tls_interval_s = (unsigned)cfg_getint(sec, "tls-interval");
	r->tls_timeout_s = (unsigned)cfg_getint(sec, "tls-timeout");
	r->cert_warn_days = (unsigned)cfg_getint(sec, "cert-warn");
	r->cert_clear_days = (unsigned)cfg_getint(sec, "cert-clear");
	if (r->cert_clear_days < r->cert_warn_days) {
		report(line_of(sec, "cert-clear"),
		       "readiness: 'cert-clear' (%u days) must not be below 'cert-warn' (%u days)",
		       r->cert_clear_days, r->cert_warn_days);
		return false;
	}
	return r->spool_dir != NULL;
}

/* Runs after the offices are parsed and sorted, so it can check the ids. */
static bool authority_parse(const struct tslcd_config *c, struct authority_cfg *a, cfg_t *sec)
{
	bool ok = title_ok(cfg_title(sec), line_of(sec, NULL), "authority") &&
	          require(sec, "authority", "key") &&
	          key_parse(&a->key, cfg_title(sec), cfg_getstr(sec, "key"), line_of(sec, "key"));

	/* Only an absent list means every office: `offices = {}` (emptied by
	 * mistake or by a template) must fail closed, so look at whether it was
	 * written, which cfg_size() cannot tell. */
	a->every_office = !(cfg_getopt(sec, "offices")->flags & CFGF_MODIFIED);
	a->n_offices = cfg_size(sec, "offices");
	a->offices = calloc(a->n_offices ? a->n_offices : 1, sizeof(*a->offices));
	if (!a->offices)
		return false;
	for (size_t i = 0; i < a->n_offices; i++) {
		a->offices[i] = (uint32_t)cfg_getnint(sec, "offices", (unsigned)i);
		if (!config_find_office(c, a->offices[i])) {
			report(line_of(sec, "offices"), "authority '%s': no office with id %u",
			       cfg_title(sec), a->offices[i]);
			ok = false;
		}
	}
	return ok;
}

bool config_authority_covers(const struct authority_cfg *a, uint32_t office)
{
	if (a->every_office)
		return true;
	for (size_t i = 0; i < a->n_offices; i++)
		if (a->offices[i] == office)
			return true;
	return false;
}

static bool authorities_parse(struct tslcd_config *c, cfg_t *root)
{
	bool ok = true;

	c->n_authorities = cfg_size(root, "authority");
	c->authorities = calloc(c->n_authorities ? c->n_authorities : 1, sizeof(*c->authorities));
	if (!c->authorities)
		return false;
	for (size_t i = 0; i < c->n_authorities; i++)
		ok &= authority_parse(c, &c->authorities[i],
		                      cfg_getnsec(root, "authority", (unsigned)i));
	return ok;
}

static void key_free(struct key_cfg *k)
{
	free(k->name);
	free(k->path);
}

static void readiness_free(struct tslcd_config *c)
{
	for (size_t i = 0; c->authorities && i < c->n_authorities; i++) {
		key_free(&c->authorities[i].key);
		free(c->authorities[i].offices);
	}
	free(c->authorities);
	free(c->readiness.spool_dir);
}

/* Secrets stay out of the published fingerprint: a hash of a short
 * community is easy to reverse by guessing. */
static int skip_secrets(cfg_t *cfg, cfg_opt_t *opt)
{
	static const char *const secret[] = {"community", "auth-key", "priv-key"};

	(void)cfg;
	for (size_t i = 0; i < sizeof(secret) / sizeof(secret[0]); i++)
		if (!strcmp(opt->name, secret[i]))
			return 1;
	return 0;
}

static bool fingerprint(struct tslcd_config *c, cfg_t *root)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	unsigned int out_len = 0;

	if (!mem)
		return false;
	cfg_set_print_filter_func(root, skip_secrets);
	cfg_print(root, mem);
	fclose(mem);
	bool ok = EVP_Digest(text, len, c->fingerprint, &out_len, EVP_sha256(), NULL) == 1;
	free(text);
	return ok;
}

/* ---- notify section ---- */

/* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM" (local time, agent.timezone) as the
 * number YYYYMMDDHHMM: comparing such numbers compares the times, and no
 * time zone is needed while the file is read. */
static bool local_time_key(const char *s, int64_t *key)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, mo, d, h = 0, mi = 0, used = 0;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3 || used != 10)
		return false;
	if (s[10] && (sscanf(s + 10, "T%2d:%2d%n", &h, &mi, &used) != 2 || used != 6 || s[16]))
		return false;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59)
		return false;
	if (mo == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400)))
		return false;
	*key = (((((int64_t)y * 100 + mo) * 100 + d) * 100 + h) * 100) + mi;
	return true;
}

static int parse_local_time(cfg_t *cfg, cfg_opt_t *opt, const char *value, void *result)
{
	int64_t key;

	seen_record(cfg, opt);
	if (!local_time_key(value, &key)) {
		cfg_error(cfg,
		          "option '%s': '%s' is not a local time YYYY-MM-DD or YYYY-MM-DDTHH:MM",
		          opt->name, value);
		return -1;
	}
	*(const char **)result = value;
	return 0;
}

/* A callback only to record the option's line, as the other types do. */
static int parse_bool(cfg_t *cfg, cfg_opt_t *opt, const char *value, void *result)
{
	static const char *const yes[] = {"true", "yes", "on"}, *const no[] = {"false", "no",
	                                                                       "off"};

	seen_record(cfg, opt);
	for (size_t i = 0; i < 3; i++) {
		if (!strcasecmp(value, yes[i]) || !strcasecmp(value, no[i])) {
			*(cfg_bool_t *)result = strcasecmp(value, yes[i]) ? cfg_false : cfg_true;
			return 0;
		}
	}
	cfg_error(cfg, "option '%s': '%s' is not true or false", opt->name, value);
	return -1;
}

/* Defaults by enum alarm_type: losing service is worse than losing quality. */
static const uint8_t default_severity[ALARM_TYPE_MAX + 1] = {
    0,
    SEV_MAJOR,
    SEV_CRITICAL,
    SEV_MINOR,
    SEV_WARNING,
    SEV_MAJOR,
    SEV_WARNING,
    SEV_WARNING,
    SEV_WARNING,
    SEV_MINOR,
    SEV_MINOR,
    /* nodeDown, areaOutage: many offices cut off at once; impaired: blind */
    SEV_CRITICAL,
    SEV_MAJOR,
    SEV_CRITICAL,
};

static bool notify_alarm_parse(struct notify_cfg *n, cfg_t *sec)
{
	unsigned t = alarm_type_from_name(cfg_title(sec));

	if (!t) {
		report(line_of(sec, NULL),
		       "notify: unknown alarm type '%s' (expected a "
		       "TslcdAlarmTypeTC name such as lineDown or officeIsolated)",
		       cfg_title(sec));
		return false;
	}
	n->enable[t] = cfg_getbool(sec, "enable");
	if (cfg_getint(sec, "severity"))
		n->severity[t] = (uint8_t)cfg_getint(sec, "severity");
	return true;
}

/* A period's thresholds: those of `probe`, tightened where it says so. */
static bool heightened_state(struct heightened_cfg *h, cfg_t *sec, const struct tslcd_config *c)
{
	h->state = c->state;
	if (cfg_size(sec, "down-after"))
		h->state.down_after = (unsigned)cfg_getint(sec, "down-after");
	if (cfg_size(sec, "up-after"))
		h->state.up_after = (unsigned)cfg_getint(sec, "up-after");
	if (cfg_size(sec, "degrade-after"))
		h->state.degrade_after = (unsigned)cfg_getint(sec, "degrade-after");
	if (cfg_size(sec, "loss-raise"))
		h->state.loss_raise_ppm = (uint32_t)cfg_getint(sec, "loss-raise") * 10000u;
	if (cfg_size(sec, "rtt-raise"))
		h->state.rtt_raise_us = (uint32_t)cfg_getint(sec, "rtt-raise") * 1000u;
	if (h->state.loss_clear_ppm > h->state.loss_raise_ppm ||
	    (h->state.rtt_raise_us && h->state.rtt_clear_us > h->state.rtt_raise_us)) {
		report(line_of(sec, NULL),
		       "heightened \"%s\": a raise threshold must not be "
		       "below its clear threshold in probe",
		       h->name);
		return false;
	}
	return true;
}

static bool heightened_parse(struct heightened_cfg *h, cfg_t *sec, const struct tslcd_config *c)
{
	bool ok = true;
	ok &= require(sec, "heightened", "from");
	ok &= require(sec, "heightened", "to");

	h->name = strdup(cfg_title(sec));
	h->cfg_line = line_of(sec, NULL);
	h->raise_severity = cfg_getbool(sec, "raise-severity");
	if (!h->name || !ok)
		return false;
	if (!title_ok(h->name, h->cfg_line, "heightened"))
		return false;
	local_time_key(cfg_getstr(sec, "from"), &h->from);
	local_time_key(cfg_getstr(sec, "to"), &h->to);
	if (h->from >= h->to) {
		report(line_of(sec, "to"), "heightened \"%s\": 'to' must be after 'from'", h->name);
		return false;
	}
	return heightened_state(h, sec, c);
}

static bool notify_parse(struct tslcd_config *c, cfg_t *sec)
{
	struct notify_cfg *n = &c->notify;
	bool ok = true;

	n->rate = (unsigned)cfg_getint(sec, "rate");
	n->burst = (unsigned)cfg_getint(sec, "burst");
	n->flap_count = (unsigned)cfg_getint(sec, "flap-count");
	n->flap_window_s = (unsigned)cfg_getint(sec, "flap-window");
	n->resend_on_connect = cfg_getbool(sec, "resend-on-connect");
	n->log_size = (unsigned)cfg_getint(sec, "log-size");
	n->cleared_size = (unsigned)cfg_getint(sec, "cleared-size");
	n->sla_target_ppm = (uint32_t)(cfg_getfloat(sec, "sla-target") * 10000.0 + 0.5);
	n->sla_window = (unsigned)cfg_getint(sec, "sla-window") - 1; /* enum avail_window */
	n->sla_min_monitored_s = (unsigned)cfg_getint(sec, "sla-min-monitored");
	for (unsigned t = 1; t <= ALARM_TYPE_MAX; t++) {
		n->enable[t] = true;
		n->severity[t] = default_severity[t];
	}
	for (unsigned i = 0; i < cfg_size(sec, "alarm"); i++)
		ok &= notify_alarm_parse(n, cfg_getnsec(sec, "alarm", i));
	n->n_periods = cfg_size(sec, "heightened");
	n->periods = calloc(n->n_periods ? n->n_periods : 1, sizeof(*n->periods));
	if (!n->periods)
		return false;
	for (size_t i = 0; i < n->n_periods; i++)
		ok &= heightened_parse(&n->periods[i], cfg_getnsec(sec, "heightened", (unsigned)i),
		                       c);
	return ok;
}

static int cmp_v3_source(const void *a, const void *b)
{
	const struct counters_cfg *x = *(const struct counters_cfg *const *)a,
	                          *y = *(const struct counters_cfg *const *)b;
	int c = strcmp(x->peername, y->peername);
	return c ? c : strcmp(x->user, y->user);
}

bool config_same_keys(const struct counters_cfg *a, const struct counters_cfg *b)
{
	return a->auth_proto == b->auth_proto && a->priv_proto == b->priv_proto &&
	       !strcmp(a->auth_key, b->auth_key) && !strcmp(a->priv_key, b->priv_key);
}

/* A router's SNMP engine keeps one key set per user, and so does Net-SNMP's
 * process-wide USM table: two lines naming the same router and user with
 * different keys cannot both be right, and one would be polled with the
 * other's keys.  Refused here (bw_poller.c also catches two addresses of one
 * engine at run time). */
static bool v3_keys_consistent(const struct tslcd_config *c)
{
	size_t n = 0, k = 0;
	bool ok = true;

	for (size_t i = 0; i < c->n_offices; i++)
		for (size_t j = 0; j < c->offices[i].n_lines; j++)
			n += c->offices[i].lines[j].counters &&
			     c->offices[i].lines[j].counters->version == 3;
	const struct counters_cfg **v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return false;
	for (size_t i = 0; i < c->n_offices; i++)
		for (size_t j = 0; j < c->offices[i].n_lines; j++) {
			const struct counters_cfg *cc = c->offices[i].lines[j].counters;
			if (cc && cc->version == 3)
				v[k++] = cc;
		}
	qsort(v, n, sizeof(*v), cmp_v3_source);
	for (size_t i = 1; i < n; i++) {
		if (cmp_v3_source(&v[i - 1], &v[i]) || config_same_keys(v[i - 1], v[i]))
			continue;
		const struct counters_cfg *a =
		    v[i - 1]->cfg_line < v[i]->cfg_line ? v[i - 1] : v[i];
		const struct counters_cfg *b = a == v[i] ? v[i - 1] : v[i];
		report(b->cfg_line,
		       "router %s, SNMPv3 user \"%s\": other keys or protocols than at line %d "
		       "(a router keeps one key set per user)",
		       b->router, b->user, a->cfg_line);
		ok = false;
	}
	free(v);
	return ok;
}

static bool tree_build(struct tslcd_config *c, cfg_t *root)
{
	bool ok = true;
	ok &= agent_parse(c, cfg_getsec(root, "agent"));
	ok &= probe_parse(c, cfg_getsec(root, "probe"));
	/* After probe_parse: heightened periods start from its thresholds. */
	ok &= notify_parse(c, cfg_getsec(root, "notify"));
	/* Before the offices: counters sections take their defaults from it. */
	ok &= bandwidth_parse(c, cfg_getsec(root, "bandwidth"));

	ok &= readiness_parse(c, cfg_getsec(root, "readiness"));
	/* Before the offices: their `via` must name a node.  After probe_parse:
	 * the default hold comes from its timing. */
	ok &= nodes_parse(c, root);
	ok &= selfcheck_parse(c, cfg_getsec(root, "self-check"));
	ok &= area_parse(c, cfg_getsec(root, "area-outage"));

	c->n_offices = cfg_size(root, "office");
	c->offices = calloc(c->n_offices ? c->n_offices : 1, sizeof(*c->offices));
	if (!c->offices)
		return false;
	for (size_t i = 0; i < c->n_offices; i++) {
		ok &= office_parse(c, &c->offices[i], cfg_getnsec(root, "office", (unsigned)i));
		c->n_lines += c->offices[i].n_lines;
	}
	if (!ok)
		return false;
	qsort(c->offices, c->n_offices, sizeof(*c->offices), cmp_office);
	return no_duplicate_offices(c) && v3_keys_consistent(c) && authorities_parse(c, root) &&
	       groups_build(c, root) && fingerprint(c, root);
}

/* libconfuse parses the text with the comments blanked out (config_text.h
 * says why). */
static int parse_text(cfg_t *root, const char *path)
{
	int bad_line, unclosed;
	const char *what = "";
	char why[256];
	char *text = config_text_read(path, why, sizeof(why), &bad_line, &what, &unclosed);

	if (!text && bad_line) {
		report(bad_line, "%s", what);
		return CFG_PARSE_ERROR;
	}
	if (!text) {
		/* Say as whom: after the drop a reload reads as the agent's user. */
		report(0, "cannot read (as uid %u): %s", (unsigned)geteuid(), why);
		return CFG_FILE_ERROR;
	}
	int rc = config_error_parse_buf(root, text);
	free(text);
	if (rc == CFG_SUCCESS && unclosed) { /* libconfuse loads a truncated file */
		report(unclosed, "this section is never closed: '}' missing (truncated file?)");
		return CFG_PARSE_ERROR;
	}
	return rc;
}

struct tslcd_config *config_load(const char *path, config_error_fn err, void *ctx)
{
	struct tslcd_config *c = calloc(1, sizeof(*c));
	cfg_t *root = cfg_init(root_opts, CFGF_NONE);
	bool ok = false;
	struct config_error sink;

	config_error_begin(&sink, path, err, ctx);
	seen.n = 0;
	if (!c || !root)
		goto out;
	c->path = strdup(path);
	cfg_set_error_function(root, config_error_confuse);
	switch (parse_text(root, path)) {
	case CFG_SUCCESS:
		ok = no_repeated_options();
		ok = tree_build(c, root) && ok && secrets_check(c) && config_error_count() == 0;
		break;
	default:
		if (config_error_count() == 0)
			report(0, "parse error");
		break;
	}
out:
	if (root)
		cfg_free(root);
	if (!ok) {
		config_free(c);
		c = NULL;
	}
	config_error_end(&sink);
	free(seen.v);
	seen.v = NULL;
	seen.n = seen.cap = 0;
	return c;
}

static void office_cfg_free(struct office_cfg *o)
{
	for (size_t j = 0; o->lines && j < o->n_lines; j++) {
		str_free(o->lines[j].circuit);
		free(o->lines[j].target);
		free(o->lines[j].maint);
		counters_cfg_free(o->lines[j].counters);
	}
	free(o->lines);
	str_free(o->code);
	str_free(o->name);
	str_free(o->province);
	str_free(o->commune);
	str_free(o->contact);
	str_free(o->district);
	free(o->groups);
	key_free(&o->ready.key);
	str_free(o->ready.tls_endpoint);
	free(o->ready.tls_host);
	str_free(o->ready.tls_ca);
	str_free(o->ready.tls_name);
}

static void strings_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

/* Nodes, the self-check's references and the groups. */
static void nodes_free(struct tslcd_config *c)
{
	for (size_t i = 0; c->nodes && i < c->n_nodes; i++) {
		str_free(c->nodes[i].name);
		strings_free(c->nodes[i].targets, c->nodes[i].n_targets);
	}
	free(c->nodes);
	strings_free(c->selfcheck.targets, c->selfcheck.n_targets);
	for (size_t i = 0; c->groups && i < c->n_groups; i++) {
		free(c->groups[i].name);
		free(c->groups[i].offices);
	}
	free(c->groups);
}

void config_free(struct tslcd_config *c)
{
	if (!c)
		return;
	for (size_t i = 0; c->offices && i < c->n_offices; i++)
		office_cfg_free(&c->offices[i]);
	free(c->offices);
	readiness_free(c);
	str_free(c->agent.agentx_socket);
	str_free(c->agent.state_dir);
	str_free(c->agent.timezone);
	str_free(c->agent.user);
	str_free(c->agent.control_socket);
	str_free(c->agent.province_code);
	str_free(c->agent.province_name);
	for (size_t i = 0; c->notify.periods && i < c->notify.n_periods; i++)
		free(c->notify.periods[i].name);
	free(c->notify.periods);
	nodes_free(c);
	free(c->path);
	free(c);
}

const struct office_cfg *config_find_office(const struct tslcd_config *c, uint32_t id)
{
	struct office_cfg key = {.id = id};
	return bsearch(&key, c->offices, c->n_offices, sizeof(key), cmp_office);
}

const struct line_cfg *config_find_line(const struct office_cfg *o, uint32_t id)
{
	struct line_cfg key = {.id = id};
	return bsearch(&key, o->lines, o->n_lines, sizeof(key), cmp_line);
}
