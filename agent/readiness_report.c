/*
 * readiness_report: parse, verify and read readiness reports.  See readiness_report.h.
 *
 * The parser runs on untrusted bytes before the signature is checked (the
 * office id inside the report selects the keys), so it is strict, bounded
 * and fuzzed (tests/fuzz/fuzz_report.c).
 */
#include "readiness_report.h"

#include "config_error.h"
#include "config_text.h"
#include "smallfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <confuse.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

/* Line of each option as it was parsed, for checks made after parsing. */
#define REPORT_MAX_OPTS 32
static struct {
	const char *opt[REPORT_MAX_OPTS];
	int line[REPORT_MAX_OPTS];
	unsigned n;
} seen;

/* Records where opt was written; false (with a message) when it was
 * written before, since libconfuse would silently keep the last value. */
static bool seen_record(cfg_t *cfg, const char *opt)
{
	for (unsigned i = 0; i < seen.n; i++) {
		if (!strcmp(seen.opt[i], opt)) {
			cfg_error(cfg, "'%s' is given twice (first at line %d)", opt, seen.line[i]);
			return false;
		}
	}
	if (seen.n < REPORT_MAX_OPTS) {
		seen.opt[seen.n] = opt;
		seen.line[seen.n++] = cfg->line;
	}
	return true;
}

static int line_of(const char *opt, int fallback)
{
	for (unsigned i = 0; i < seen.n; i++)
		if (!strcmp(seen.opt[i], opt))
			return seen.line[i];
	return fallback;
}

/* ---- dates: "YYYY-MM-DD" and ISO 8601 date-times ---- */

static bool date_fields(const char *s, struct tm *tm, const char **rest)
{
	int y, mo, d, n = 0;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		return false;
	if (y < 1990 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31)
		return false;
	*tm = (struct tm){.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_isdst = -1};
	*rest = s + n;
	return true;
}

/* mktime normalises 31 February into March; refuse such days. */
static bool date_exists(const struct tm *want, time_t t, bool utc)
{
	struct tm got;
	if (!(utc ? gmtime_r(&t, &got) : localtime_r(&t, &got)))
		return false;
	return got.tm_mday == want->tm_mday && got.tm_mon == want->tm_mon;
}

static bool parse_date(const char *s, time_t *out)
{
	struct tm tm;
	const char *rest;

	if (!date_fields(s, &tm, &rest) || *rest)
		return false;
	struct tm want = tm;
	*out = mktime(&tm);
	return *out != (time_t)-1 && date_exists(&want, *out, false);
}

/* "Z" or "+HH:MM"/"-HH:MM" into seconds east of UTC. */
static bool parse_utc_offset(const char *s, long *off)
{
	int h, m, n = 0;

	if (!strcmp(s, "Z")) {
		*off = 0;
		return true;
	}
	if ((s[0] != '+' && s[0] != '-') || sscanf(s + 1, "%2d:%2d%n", &h, &m, &n) != 2 || n != 5 ||
	    s[6] || h > 14 || m > 59)
		return false;
	*off = (s[0] == '-' ? -1 : 1) * (h * 3600L + m * 60L);
	return true;
}

static bool parse_datetime(const char *s, time_t *out)
{
	struct tm tm;
	const char *rest;
	int hh, mm, ss = 0, n = 0;
	long off;

	if (!date_fields(s, &tm, &rest) || (*rest != 'T' && *rest != ' '))
		return false;
	if (sscanf(rest + 1, "%2d:%2d%n:%2d%n", &hh, &mm, &n, &ss, &n) < 2 || hh > 23 || mm > 59 ||
	    ss > 60 || hh < 0 || mm < 0 || ss < 0)
		return false;
	rest += 1 + n;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	struct tm want = tm;
	if (!*rest) { /* no offset written: the agent's own timezone */
		*out = mktime(&tm);
		return *out != (time_t)-1 && date_exists(&want, *out, false);
	}
	if (!parse_utc_offset(rest, &off))
		return false;
	tm.tm_isdst = 0;
	*out = timegm(&tm);
	if (*out == (time_t)-1 || !date_exists(&want, *out, true))
		return false;
	*out -= off;
	return true;
}

const char *readiness_report_date_str(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (t <= 0 || !localtime_r(&t, &tm))
		snprintf(buf, len, "none");
	else
		strftime(buf, len, "%Y-%m-%d", &tm);
	return buf;
}

/* ---- libconfuse callbacks: each checks its value on its own line ---- */

static int cb_date(cfg_t *cfg, cfg_opt_t *opt, const char *value, void *result)
{
	time_t t = 0;

	if (!seen_record(cfg, opt->name))
		return -1;
	if (strcmp(value, "none") && !parse_date(value, &t)) {
		cfg_error(cfg, "option '%s': '%s' is not a date YYYY-MM-DD or \"none\"", opt->name,
		          value);
		return -1;
	}
	*(long *)result = (long)t;
	return 0;
}

static int cb_datetime(cfg_t *cfg, cfg_opt_t *opt, const char *value, void *result)
{
	time_t t;

	if (!seen_record(cfg, opt->name))
		return -1;
	if (!parse_datetime(value, &t)) {
		cfg_error(cfg, "option '%s': '%s' is not a time such as 2026-03-01T09:30:00+07:00",
		          opt->name, value);
		return -1;
	}
	*(long *)result = (long)t;
	return 0;
}

static const struct config_error_range ranges[] = {
    {"office", 1, 4294967295L},         {"security-level", 0, 5},
    {"desk-pcs-protected", 0, 1000000}, {"desk-pcs-total", 0, 1000000},
    {"pcs-protected", 0, 1000000},      {"pcs-total", 0, 1000000},
};

static int cb_number(cfg_t *cfg, cfg_opt_t *opt, const char *value, void *result)
{
	if (!seen_record(cfg, opt->name))
		return -1;
	return config_error_ranged_int(cfg, opt, value, ranges, sizeof(ranges) / sizeof(ranges[0]),
	                               result);
}

static const char *const framework_words[] = {"unknown", "decree85", "decree331", NULL};
static const char *const approval_words[] = {"none", "proposed", "appraised", "approved", NULL};

static int cb_keyword(cfg_t *cfg, cfg_opt_t *opt, const char *value, void *result)
{
	const char *const *w = strcmp(opt->name, "framework") ? approval_words : framework_words;

	if (!seen_record(cfg, opt->name))
		return -1;
	for (long i = 0; w[i]; i++) {
		if (!strcmp(w[i], value)) {
			*(long *)result = i + 1; /* MIB enumerations start at 1 */
			return 0;
		}
	}
	cfg_error(cfg, "option '%s': '%s' is not one of: %s", opt->name, value,
	          w == approval_words ? "none, proposed, appraised, approved"
	                              : "unknown, decree85, decree331");
	return -1;
}

/* Booleans: only "yes"/"no"/"true"/"false", so a typo cannot read as false. */
static int cb_bool(cfg_t *cfg, cfg_opt_t *opt, const char *value, void *result)
{
	if (!seen_record(cfg, opt->name))
		return -1;
	if (!strcmp(value, "yes") || !strcmp(value, "true")) {
		*(long *)result = 1;
		return 0;
	}
	if (!strcmp(value, "no") || !strcmp(value, "false")) {
		*(long *)result = 0;
		return 0;
	}
	cfg_error(cfg, "option '%s': '%s' is not yes or no", opt->name, value);
	return -1;
}

#define R_NUM(n)  CFG_INT_CB(n, 0, CFGF_NODEFAULT, cb_number)
#define R_DATE(n) CFG_INT_CB(n, 0, CFGF_NODEFAULT, cb_date)
#define R_KW(n)   CFG_INT_CB(n, 0, CFGF_NODEFAULT, cb_keyword)
#define R_BOOL(n) CFG_INT_CB(n, 0, CFGF_NODEFAULT, cb_bool)

/* Every item is required: an office must state "none" rather than forget. */
static cfg_opt_t report_opts[] = {
    R_NUM("office"),           CFG_INT_CB("report-time", 0, CFGF_NODEFAULT, cb_datetime),
    R_NUM("security-level"),   R_KW("framework"),
    R_KW("approval"),          R_DATE("pre-check"),
    R_BOOL("lan-segmented"),   R_NUM("desk-pcs-protected"),
    R_NUM("desk-pcs-total"),   R_NUM("pcs-protected"),
    R_NUM("pcs-total"),        R_BOOL("monitoring"),
    R_DATE("last-inspection"), R_DATE("next-inspection"),
    R_DATE("last-drill"),      CFG_END(),
};

/* ---- whole-report checks ---- */

static bool all_present(cfg_t *root, int last_line)
{
	bool ok = true;

	for (cfg_opt_t *o = report_opts; o->name; o++) {
		if (cfg_size(root, o->name) == 0) {
			config_error_report(last_line, "missing required item '%s'", o->name);
			ok = false;
		}
	}
	return ok;
}

static bool counts_consistent(const struct readiness_report *r, int last_line)
{
	bool ok = true;

	if (r->desk_protected > r->desk_total) {
		config_error_report(line_of("desk-pcs-protected", last_line),
		                    "desk-pcs-protected (%u) exceeds desk-pcs-total (%u)",
		                    r->desk_protected, r->desk_total);
		ok = false;
	}
	if (r->pcs_protected > r->pcs_total) {
		config_error_report(line_of("pcs-protected", last_line),
		                    "pcs-protected (%u) exceeds pcs-total (%u)", r->pcs_protected,
		                    r->pcs_total);
		ok = false;
	}
	if (r->desk_total > r->pcs_total) {
		config_error_report(
		    line_of("desk-pcs-total", last_line),
		    "desk-pcs-total (%u) exceeds pcs-total (%u): the desk is part of the "
		    "office",
		    r->desk_total, r->pcs_total);
		ok = false;
	}
	return ok;
}

static void fill(struct readiness_report *r, cfg_t *root)
{
	*r = (struct readiness_report){
	    .office = (uint32_t)cfg_getint(root, "office"),
	    .report_time = (time_t)cfg_getint(root, "report-time"),
	    .security_level = (uint8_t)cfg_getint(root, "security-level"),
	    .framework = (uint8_t)cfg_getint(root, "framework"),
	    .approval = (uint8_t)cfg_getint(root, "approval"),
	    .lan_segmented = cfg_getint(root, "lan-segmented") != 0,
	    .monitoring = cfg_getint(root, "monitoring") != 0,
	    .pre_check = (time_t)cfg_getint(root, "pre-check"),
	    .desk_protected = (uint32_t)cfg_getint(root, "desk-pcs-protected"),
	    .desk_total = (uint32_t)cfg_getint(root, "desk-pcs-total"),
	    .pcs_protected = (uint32_t)cfg_getint(root, "pcs-protected"),
	    .pcs_total = (uint32_t)cfg_getint(root, "pcs-total"),
	    .last_inspection = (time_t)cfg_getint(root, "last-inspection"),
	    .next_inspection = (time_t)cfg_getint(root, "next-inspection"),
	    .last_drill = (time_t)cfg_getint(root, "last-drill"),
	};
}

/* libconfuse would otherwise follow `include` and @-directives; a report
 * names no other files, and it is read as one plain buffer. */
static bool plain_text(const char *text)
{
	for (const char *p = text; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r')
			return false;
	return true;
}

static int count_lines(const char *text)
{
	int n = 1;
	for (const char *p = text; *p; p++)
		n += *p == '\n';
	return n;
}

bool readiness_report_parse(const char *name, const char *text, struct readiness_report *out,
                            readiness_report_error_fn err, void *ctx)
{
	cfg_t *root;
	bool ok = false;
	int last_line = count_lines(text);

	struct config_error sink;
	int bad_line = 0, unclosed = 0;
	const char *what = NULL;

	config_error_begin(&sink, name, err, ctx);
	seen.n = 0;
	if (!plain_text(text)) {
		config_error_report(1, "not a text file (control characters)");
		config_error_end(&sink);
		return false;
	}
	/* The same comment handling as the config (see config_text.h). */
	char *plain = config_text_strip(text, strlen(text), &bad_line, &what, &unclosed);
	if (!plain && what)
		config_error_report(bad_line, "%s", what);
	root = plain ? cfg_init(report_opts, CFGF_NOCASE) : NULL;
	if (!root) {
		free(plain);
		config_error_end(&sink);
		return false;
	}
	cfg_set_error_function(root, config_error_confuse);
	if (config_error_parse_buf(root, plain) == CFG_SUCCESS && all_present(root, last_line)) {
		fill(out, root);
		ok = counts_consistent(out, last_line) && config_error_count() == 0;
	} else if (config_error_count() == 0) {
		config_error_report(last_line, "parse error");
	}
	if (unclosed) {
		config_error_report(unclosed,
		                    "this section is never closed: '}' missing (truncated file?)");
		ok = false;
	}
	cfg_free(root);
	free(plain);
	config_error_end(&sink);
	return ok;
}

/* ---- keys and signatures ---- */

static bool raw_key_of(EVP_PKEY *k, uint8_t pub[READINESS_REPORT_KEY_BYTES], char *err,
                       size_t errlen)
{
	size_t len = READINESS_REPORT_KEY_BYTES;

	if (EVP_PKEY_get_id(k) != EVP_PKEY_ED25519) {
		snprintf(err, errlen,
		         "not an Ed25519 key (make one with: openssl genpkey "
		         "-algorithm ed25519)");
		return false;
	}
	if (EVP_PKEY_get_raw_public_key(k, pub, &len) != 1 || len != READINESS_REPORT_KEY_BYTES) {
		snprintf(err, errlen, "cannot read the Ed25519 public key");
		return false;
	}
	return true;
}

#define KEY_MAX_BYTES 16384u /* a PEM public key is a few hundred bytes */

bool readiness_report_key_load(const char *path, uint8_t pub[READINESS_REPORT_KEY_BYTES], char *err,
                               size_t errlen)
{
	char *text, why[300];
	size_t len;
	EVP_PKEY *k = NULL;
	bool ok;

	if (!smallfile_read(path, 0, KEY_MAX_BYTES, &text, &len, why, sizeof(why))) {
		snprintf(err, errlen, "cannot read key '%s': %s", path, why);
		return false;
	}
	BIO *bio = BIO_new_mem_buf(text, (int)len);
	if (bio)
		k = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	BIO_free(bio);
	free(text);
	if (!k) {
		snprintf(
		    err, errlen,
		    "'%s' is not a PEM public key (give the .pub from: openssl pkey -in key.pem "
		    "-pubout)",
		    path);
		return false;
	}
	ok = raw_key_of(k, pub, err, errlen);
	EVP_PKEY_free(k);
	return ok;
}

bool readiness_report_verify(const uint8_t pub[READINESS_REPORT_KEY_BYTES], const void *body,
                             size_t len, const uint8_t *sig, size_t siglen)
{
	EVP_PKEY *k;
	EVP_MD_CTX *md;
	bool ok = false;

	if (siglen != READINESS_REPORT_SIG_BYTES)
		return false;
	k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, READINESS_REPORT_KEY_BYTES);
	md = EVP_MD_CTX_new();
	/* Ed25519 hashes internally: no digest, one-shot verify over the bytes. */
	if (k && md && EVP_DigestVerifyInit(md, NULL, NULL, NULL, k) == 1)
		ok = EVP_DigestVerify(md, sig, siglen, body, len) == 1;
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(k);
	return ok;
}

/* ---- reading a report and its signature ---- */

bool readiness_report_read_pair(const char *path, char **body, size_t *len, uint8_t **sig,
                                size_t *siglen, char *reason, size_t reasonlen)
{
	char sigpath[4096];

	snprintf(sigpath, sizeof(sigpath), "%s.sig", path);
	char why[128];

	*sig = NULL;
	if (!smallfile_read(path, O_NOFOLLOW, READINESS_REPORT_MAX_BYTES, body, len, why,
	                    sizeof(why))) {
		snprintf(reason, reasonlen, "%s: %s", path, why);
		return false;
	}
	if (!smallfile_read(sigpath, O_NOFOLLOW, READINESS_REPORT_SIG_MAX_BYTES, (char **)sig,
	                    siglen, why, sizeof(why))) {
		snprintf(reason, reasonlen, "%s: %s", sigpath, why);
		free(*body);
		*body = NULL;
		return false;
	}
	return true;
}

/* ---- the whole check ---- */

/* Try the office's own key, then every authority that covers the office. */
static const struct key_cfg *find_signer(const struct tslcd_config *cfg, const struct office_cfg *o,
                                         const char *body, size_t len, const uint8_t *sig,
                                         size_t siglen, unsigned *tried)
{
	*tried = 0;
	if (o->ready.has_key && ++*tried &&
	    readiness_report_verify(o->ready.key.pub, body, len, sig, siglen))
		return &o->ready.key;
	for (size_t i = 0; i < cfg->n_authorities; i++) {
		const struct authority_cfg *a = &cfg->authorities[i];
		if (config_authority_covers(a, o->id) && ++*tried &&
		    readiness_report_verify(a->key.pub, body, len, sig, siglen))
			return &a->key;
	}
	return NULL;
}

static void first_error(void *ctx, const char *msg)
{
	char *reason = ctx;
	if (!reason[0])
		snprintf(reason, READINESS_REPORT_REASON_MAX, "malformed: %s", msg);
}

static bool check_signature(const struct tslcd_config *cfg, const struct office_cfg *o,
                            const char *body, size_t len, const uint8_t *sig, size_t siglen,
                            const uint8_t *key, char signer[READINESS_REPORT_SIGNER_MAX],
                            char *reason, size_t reasonlen)
{
	unsigned tried = 1;
	const struct key_cfg *k;

	if (siglen != READINESS_REPORT_SIG_BYTES) {
		snprintf(reason, reasonlen,
		         "signature is %zu bytes, an Ed25519 signature is 64 (unsigned or damaged)",
		         siglen);
		return false;
	}
	if (key) {
		if (!readiness_report_verify(key, body, len, sig, siglen))
			goto forged;
		snprintf(signer, READINESS_REPORT_SIGNER_MAX, "command-line key");
		return true;
	}
	k = find_signer(cfg, o, body, len, sig, siglen, &tried);
	if (k) {
		snprintf(signer, READINESS_REPORT_SIGNER_MAX, "%s", k->name);
		return true;
	}
	if (!tried) {
		snprintf(reason, reasonlen, "no key is configured for office %u", o->id);
		return false;
	}
forged:
	snprintf(reason, reasonlen,
	         "signature does not verify with %s key allowed for office %u (forged, altered, "
	         "or signed with another office's key)",
	         key ? "the given" : "any", o ? o->id : 0);
	return false;
}

bool readiness_report_check(const struct tslcd_config *cfg, const char *name, const char *body,
                            size_t len, const uint8_t *sig, size_t siglen, const uint8_t *key,
                            struct readiness_report *out, char signer[READINESS_REPORT_SIGNER_MAX],
                            uint32_t *office, char *reason, size_t reasonlen)
{
	const struct office_cfg *o = NULL;
	char first[READINESS_REPORT_REASON_MAX] = "";

	*office = 0;
	reason[0] = '\0';
	if (strlen(body) != len) {
		snprintf(reason, reasonlen, "malformed: %s contains NUL bytes", name);
		return false;
	}
	if (!readiness_report_parse(name, body, out, first_error, first)) {
		snprintf(reason, reasonlen, "%s", first[0] ? first : "malformed");
		return false;
	}
	if (cfg && !(o = config_find_office(cfg, out->office))) {
		snprintf(reason, reasonlen, "office %u is not in the configuration", out->office);
		return false;
	}
	*office = out->office;
	if (!key && !o) {
		snprintf(reason, reasonlen, "no key to check the signature with");
		return false;
	}
	return check_signature(cfg, o, body, len, sig, siglen, key, signer, reason, reasonlen);
}

/* ---- template ---- */

void readiness_report_template(FILE *out, uint32_t office, const char *code, const char *name,
                               time_t now)
{
	struct tm tm;
	char stamp[40];

	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S%z", &tm);
	/* %z gives +0700; ISO 8601 as the parser reads it wants +07:00. */
	size_t n = strlen(stamp);
	if (n >= 5)
		memmove(stamp + n - 1, stamp + n - 2, 3), stamp[n - 2] = ':';
	fprintf(out,
	        "# TSLCD security-readiness report%s%s\n"
	        "# Fill in every item, then sign it (see README, \"Readiness reports\"):\n"
	        "#   openssl pkeyutl -sign -rawin -inkey key.pem -in FILE -out FILE.sig\n"
	        "# Any change after signing makes the signature invalid.\n"
	        "office = %u\n"
	        "report-time = \"%s\"\n"
	        "security-level = 0          # 0 (not classified) .. 5\n"
	        "framework = unknown         # unknown | decree85 | decree331\n"
	        "approval = none             # none | proposed | appraised | approved\n"
	        "pre-check = \"none\"          # date of the pre-connection check, YYYY-MM-DD\n"
	        "lan-segmented = no          # LAN on TSLCD separated from other networks\n"
	        "desk-pcs-protected = 0      # one-stop desk PCs with central anti-malware\n"
	        "desk-pcs-total = 0          # all one-stop desk PCs (0: no desk)\n"
	        "pcs-protected = 0           # all office PCs with central anti-malware\n"
	        "pcs-total = 0               # all office PCs\n"
	        "monitoring = no             # connected to central security monitoring\n"
	        "last-inspection = \"none\"    # last periodic security inspection\n"
	        "next-inspection = \"none\"    # when the next one is due\n"
	        "last-drill = \"none\"         # last incident-response drill\n",
	        code ? " for " : "", code ? code : "", office, stamp);
	if (name)
		fprintf(out, "# office name: %s\n", name);
}
