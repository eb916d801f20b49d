/*
 * config: libconfuse schema for tslcd.conf, value checks with exact line
 * numbers (done in parse callbacks, while libconfuse still knows the line),
 * then whole-file checks (required options, duplicate ids) that report the
 * line where the offending section starts.
 */
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

/* ---- error sink: libconfuse's error hook carries no context pointer ---- */

static struct {
	config_error_fn fn;
	void *ctx;
	const char *path;
	unsigned count;
} sink;

static void report(int line, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void report_v(int line, const char *fmt, va_list ap)
{
	char msg[512];
	char full[768];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (line > 0)
		snprintf(full, sizeof(full), "%s:%d: %s", sink.path, line, msg);
	else
		snprintf(full, sizeof(full), "%s: %s", sink.path, msg);
	sink.count++;
	if (sink.fn)
		sink.fn(sink.ctx, full);
}

static void report(int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_v(line, fmt, ap);
	va_end(ap);
}

static void confuse_error(cfg_t *cfg, const char *fmt, va_list ap)
{
	report_v(cfg ? cfg->line : 0, fmt, ap);
}

/* ---- where each option was written ----
 * libconfuse only knows the current line while parsing, and a section's
 * line is where it ends; so every value callback records its line here,
 * and whole-file checks report at the line of the option concerned. */

struct seen {
	const cfg_t *sec;
	const char *opt;
	int line;
};

static struct {
	struct seen *v;
	size_t n, cap;
} seen;

static void seen_record(const cfg_t *sec, const char *opt)
{
	if (seen.n == seen.cap) {
		size_t cap = seen.cap ? seen.cap * 2 : 256;
		struct seen *v = realloc(seen.v, cap * sizeof(*v));
		if (!v)
			return; /* only costs precision in messages */
		seen.v = v;
		seen.cap = cap;
	}
	seen.v[seen.n++] = (struct seen){.sec = sec, .opt = opt, .line = sec->line};
}

/* Line of `opt` in `sec`; NULL opt: the section's first recorded option. */
static int line_of(const cfg_t *sec, const char *opt)
{
	for (size_t i = 0; i < seen.n; i++)
		if (seen.v[i].sec == sec && (!opt || !strcmp(seen.v[i].opt, opt)))
			return seen.v[i].line;
	return opt ? line_of(sec, NULL) : sec->line;
}

static int parse_str(cfg_t *cfg, cfg_opt_t *opt, const char *value, void *result)
{
	seen_record(cfg, opt->name);
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
static const struct keyword kw_medium[] = {{"other", 1},    {"fiber", 2},     {"copper", 3},
                                           {"wireless", 4}, {"satellite", 5}, {"mobile", 6},
                                           {NULL, 0}};
static const struct keyword kw_role[] = {{"primary", 1}, {"backup", 2}, {NULL, 0}};
static const struct keyword kw_probe[] = {
    {"none", 1}, {"icmp", 2}, {"tcp", 3}, {"icmp-tcp", 4}, {NULL, 0}};

static const struct {
	const char *option;
	const struct keyword *words;
} keyword_options[] = {
    {"level", kw_level},   {"org", kw_org},   {"framework", kw_framework}, {"carrier", kw_carrier},
    {"medium", kw_medium}, {"role", kw_role}, {"probe", kw_probe},
};

static const struct keyword *keywords_for(const char *option)
{
	for (size_t i = 0; i < sizeof(keyword_options) / sizeof(keyword_options[0]); i++)
		if (!strcmp(keyword_options[i].option, option))
			return keyword_options[i].words;
	return NULL;
}

static int parse_keyword(cfg_t *cfg, cfg_opt_t *opt, const char *value, void *result)
{
	const struct keyword *k = keywords_for(opt->name);
	char allowed[256] = "";

	seen_record(cfg, opt->name);
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

struct range {
	const char *option;
	long min, max;
};

static const struct range ranges[] = {
    {"id", 1, 4294967295L},
    {"security-level", 0, 5},
    {"tier", 1, 2},
    {"required-lines", 1, 16},
    {"bandwidth", 1, 4294967295L},
    {"port", 1, 65535},
    {"path", 0, 4294967295L},
    {"save-interval", 5, 86400},
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
};

static int parse_ranged_int(cfg_t *cfg, cfg_opt_t *opt, const char *value, void *result)
{
	char *end;
	long long v;

	seen_record(cfg, opt->name);
	errno = 0;
	v = strtoll(value, &end, 10);
	if (errno || end == value || *end) {
		cfg_error(cfg, "option '%s': '%s' is not a whole number", opt->name, value);
		return -1;
	}
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		if (strcmp(ranges[i].option, opt->name))
			continue;
		if (v < ranges[i].min || v > ranges[i].max) {
			cfg_error(cfg, "option '%s': %lld is outside %ld..%ld", opt->name, v,
			          ranges[i].min, ranges[i].max);
			return -1;
		}
	}
	*(long *)result = (long)v;
	return 0;
}

/* Checked here so a bad window is reported on its own line. */
static int parse_maintenance(cfg_t *cfg, cfg_opt_t *opt, const char *value, void *result)
{
	struct maint_window w;
	char err[128];

	seen_record(cfg, opt->name);
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
    STR("spool-dir", ""),        NUM("max-age", 35),      NUM("coverage-target", 100),
    NUM("inspection-max-age", 365), NUM("drill-max-age", 365), NUM("rescan", 60),
    NUM("sig-wait", 60),         NUM("tls-interval", 3600), NUM("tls-timeout", 10),
    NUM("cert-warn", 30),        NUM("cert-clear", 30),   CFG_END(),
};

static cfg_opt_t authority_opts[] = {
    STR_REQ("key"),
    CFG_INT_LIST_CB("offices", NULL, CFGF_NONE, parse_ranged_int),
    CFG_END(),
};

static cfg_opt_t root_opts[] = {
    CFG_SEC("agent", agent_opts, CFGF_NONE),
    CFG_SEC("probe", probe_opts, CFGF_NONE),
    CFG_SEC("readiness", readiness_opts, CFGF_NONE),
    CFG_SEC("authority", authority_opts, CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
    CFG_SEC("office", office_opts, CFGF_MULTI),
    CFG_END(),
};

/* ---- conversion and whole-file checks ---- */

static char *dup_str(cfg_t *sec, const char *name)
{
	const char *s = cfg_getstr(sec, name);
	return strdup(s ? s : "");
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

static bool target_parse(struct line_cfg *l, cfg_t *sec)
{
	const char *t = cfg_getstr(sec, "target");

	l->target = strdup(t ? t : "");
	if (inet_pton(AF_INET, l->target, l->target_bin) == 1) {
		l->target_type = ADDR_IPV4;
		l->target_len = 4;
	} else if (inet_pton(AF_INET6, l->target, l->target_bin) == 1) {
		l->target_type = ADDR_IPV6;
		l->target_len = 16;
	} else if (valid_dns_name(l->target)) {
		l->target_type = ADDR_DNS;
	} else {
		report(line_of(sec, "target"),
		       "line %u: target '%s' is neither an IPv4/IPv6 address nor a host name",
		       l->id, l->target);
		return false;
	}
	return true;
}

static bool line_probe_parse(struct line_cfg *l, cfg_t *sec)
{
	bool needs_port = l->method == METHOD_TCP || l->method == METHOD_ICMP_TCP;

	if (l->method != METHOD_NONE) {
		if (!require(sec, "line", "target") || !target_parse(l, sec))
			return false;
	} else if (cfg_size(sec, "target")) {
		if (!target_parse(l, sec))
			return false;
	}
	l->tcp_port = (uint16_t)cfg_getint(sec, "port");
	if (needs_port && !l->tcp_port) {
		report(line_of(sec, "probe"), "line %u: probe '%s' needs a 'port'", l->id,
		       l->method == METHOD_TCP ? "tcp" : "icmp-tcp");
		return false;
	}
	if (!needs_port && l->tcp_port) {
		report(line_of(sec, "port"),
		       "line %u: 'port' is set but the probe method uses no TCP", l->id);
		return false;
	}
	return true;
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

static bool line_parse(struct line_cfg *l, cfg_t *sec)
{
	bool ok = require(sec, "line", "id") & require(sec, "line", "carrier") &
	          require(sec, "line", "bandwidth");

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
	return line_probe_parse(l, sec);
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
	if (!o->code[0] || strlen(o->code) > 32) {
		report(line_of(sec, "code"), "office %u: 'code' must be 1 to 32 characters", o->id);
		ok = false;
	}
	if (!o->name[0] || strlen(o->name) > 255) {
		report(line_of(sec, "name"), "office %u: 'name' must be 1 to 255 bytes", o->id);
		ok = false;
	}
	return ok;
}

/* DOMAIN.md: tier I offices and hosts of level 4-5 systems need two paths. */
static uint32_t default_required_lines(const struct office_cfg *o)
{
	return (o->access_tier == 1 || o->security_level >= 4) ? 2 : 1;
}

static bool office_lines_parse(struct office_cfg *o, cfg_t *sec)
{
	bool ok = true;

	o->n_lines = cfg_size(sec, "line");
	o->lines = calloc(o->n_lines ? o->n_lines : 1, sizeof(*o->lines));
	if (!o->lines)
		return false;
	for (size_t i = 0; i < o->n_lines; i++) {
		cfg_t *ls = cfg_getnsec(sec, "line", (unsigned)i);
		ok &= line_parse(&o->lines[i], ls) && line_windows(&o->lines[i], ls, sec);
	}
	if (!ok)
		return false;
	qsort(o->lines, o->n_lines, sizeof(*o->lines), cmp_line);
	return no_duplicate_lines(o);
}

static bool office_parse(struct office_cfg *o, cfg_t *sec)
{
	bool ok = require(sec, "office", "id") & require(sec, "office", "code") &
	          require(sec, "office", "name") & require(sec, "office", "level");

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
	o->required_lines = (uint32_t)cfg_getint(sec, "required-lines");
	if (!o->required_lines)
		o->required_lines = default_required_lines(o);
	ok = office_codes_check(o, sec);
	return office_lines_parse(o, sec) && ok;
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

static bool fingerprint(struct tslcd_config *c, cfg_t *root)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	unsigned int out_len = 0;

	if (!mem)
		return false;
	cfg_print(root, mem);
	fclose(mem);
	bool ok = EVP_Digest(text, len, c->fingerprint, &out_len, EVP_sha256(), NULL) == 1;
	free(text);
	return ok;
}

static bool tree_build(struct tslcd_config *c, cfg_t *root)
{
	bool ok =
	    agent_parse(c, cfg_getsec(root, "agent")) & probe_parse(c, cfg_getsec(root, "probe"));

	c->n_offices = cfg_size(root, "office");
	c->offices = calloc(c->n_offices ? c->n_offices : 1, sizeof(*c->offices));
	if (!c->offices)
		return false;
	for (size_t i = 0; i < c->n_offices; i++) {
		ok &= office_parse(&c->offices[i], cfg_getnsec(root, "office", (unsigned)i));
		c->n_lines += c->offices[i].n_lines;
	}
	if (!ok)
		return false;
	qsort(c->offices, c->n_offices, sizeof(*c->offices), cmp_office);
	return no_duplicate_offices(c) && fingerprint(c, root);
}

struct tslcd_config *config_load(const char *path, config_error_fn err, void *ctx)
{
	struct tslcd_config *c = calloc(1, sizeof(*c));
	cfg_t *root = cfg_init(root_opts, CFGF_NONE);
	bool ok = false;

	sink.fn = err;
	sink.ctx = ctx;
	sink.path = path;
	sink.count = 0;
	seen.n = 0;
	if (!c || !root)
		goto out;
	c->path = strdup(path);
	cfg_set_error_function(root, confuse_error);
	switch (cfg_parse(root, path)) {
	case CFG_SUCCESS:
		ok = tree_build(c, root) && sink.count == 0;
		break;
	case CFG_FILE_ERROR:
		report(0, "cannot read: %s", strerror(errno));
		break;
	default:
		if (sink.count == 0)
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
	sink.fn = NULL;
	free(seen.v);
	seen.v = NULL;
	seen.n = seen.cap = 0;
	return c;
}

static void office_cfg_free(struct office_cfg *o)
{
	for (size_t j = 0; o->lines && j < o->n_lines; j++) {
		free(o->lines[j].circuit);
		free(o->lines[j].target);
		free(o->lines[j].maint);
	}
	free(o->lines);
	free(o->code);
	free(o->name);
	free(o->province);
	free(o->commune);
	free(o->contact);
}

void config_free(struct tslcd_config *c)
{
	if (!c)
		return;
	for (size_t i = 0; c->offices && i < c->n_offices; i++)
		office_cfg_free(&c->offices[i]);
	free(c->offices);
	free(c->agent.agentx_socket);
	free(c->agent.state_dir);
	free(c->agent.timezone);
	free(c->agent.user);
	free(c->agent.control_socket);
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
