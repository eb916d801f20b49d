/*
 * Readiness reports: the parser accepts a good report with the right
 * values and rejects each kind of bad one naming the file and line; the
 * signature check accepts the right key only (flipped bits in body,
 * signature or key, another office's key and an empty signature fail).
 */
#include "unit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "config.h"
#include "readiness_report.h"

static char errors[4096];

static void collect(void *ctx, const char *msg)
{
	(void)ctx;
	strncat(errors, msg, sizeof(errors) - strlen(errors) - 2);
	strcat(errors, "\n");
}

#define GOOD                                                                                       \
	"# readiness report\n"                                                                     \
	"office = 12\n"                                                                            \
	"report-time = \"2026-03-01T09:30:00+07:00\"\n"                                            \
	"security-level = 3\n"                                                                     \
	"framework = decree331\n"                                                                  \
	"approval = approved\n"                                                                    \
	"pre-check = \"2025-11-20\"   # done before connecting\n"                                  \
	"lan-segmented = yes\n"                                                                    \
	"desk-pcs-protected = 4\n"                                                                 \
	"desk-pcs-total = 4\n"                                                                     \
	"pcs-protected = 38\n"                                                                     \
	"pcs-total = 40\n"                                                                         \
	"monitoring = true\n"                                                                      \
	"last-inspection = \"2025-12-10\"\n"                                                       \
	"next-inspection = \"none\"\n"                                                             \
	"last-drill = \"2025-10-05\"\n"

START_TEST(good_report)
{
	struct readiness_report r;

	errors[0] = '\0';
	ck_assert_msg(readiness_report_parse("r.conf", GOOD, &r, collect, NULL), "errors: %s",
	              errors);
	ck_assert_uint_eq(r.office, 12);
	ck_assert_int_eq((long)r.report_time, 1772332200L); /* 2026-03-01 02:30 UTC */
	ck_assert_uint_eq(r.security_level, 3);
	ck_assert_uint_eq(r.framework, 3);
	ck_assert_uint_eq(r.approval, READINESS_REPORT_APPROVED);
	ck_assert(r.lan_segmented && r.monitoring);
	ck_assert_uint_eq(r.desk_protected, 4);
	ck_assert_uint_eq(r.pcs_total, 40);
	ck_assert_int_ne((long)r.pre_check, 0);
	ck_assert_int_eq((long)r.next_inspection, 0);
	char d[16];
	ck_assert_str_eq(readiness_report_date_str(r.last_drill, d, sizeof(d)), "2025-10-05");
}
END_TEST

/* Replace the line starting with `key` in GOOD by `line` (NULL: drop it). */
static char *variant(const char *key, const char *line)
{
	static char buf[2048];
	const char *p = strstr(GOOD, key); /* keys are looked up after a newline */
	const char *eol = strchr(p + 1, '\n') + 1;

	snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(p - GOOD), GOOD, line ? line : "", eol);
	return buf;
}

static const struct {
	const char *key, *line;
	int at;
	const char *words;
} bad[] = {
    {"office =", "office = 0\n", 2, "outside 1..4294967295"},
    {"office =", "office = twelve\n", 2, "whole number"},
    {"office =", NULL, 16, "missing required item 'office'"},
    {"report-time", "report-time = \"yesterday\"\n", 3, "is not a time"},
    {"report-time", "report-time = \"2026-02-30T09:00:00Z\"\n", 3, "is not a time"},
    {"report-time", "report-time = \"2026-03-01T09:00:00+25:00\"\n", 3, "is not a time"},
    {"security-level", "security-level = 6\n", 4, "outside 0..5"},
    {"framework", "framework = decree99\n", 5, "not one of"},
    {"approval", "approval = maybe\n", 6, "none, proposed, appraised, approved"},
    {"pre-check", "pre-check = \"20/11/2025\"\n", 7, "not a date"},
    {"lan-segmented", "lan-segmented = perhaps\n", 8, "not yes or no"},
    {"desk-pcs-protected", "desk-pcs-protected = 5\n", 9, "exceeds desk-pcs-total"},
    {"\npcs-protected", "\npcs-protected = 41\n", 11, "exceeds pcs-total"},
    {"monitoring", "monitoring = yes\ncolour = red\n", 14, "colour"},
    {"last-drill", "last-drill = \"2025-10-05\"\n}\n", 17, "unexpected"},
    {"last-drill", "last-drill = \"2025-10-05\n", 16, "does not end on its line"},
    {"monitoring", "monitoring = yes\nmonitoring = no\n", 14,
     "'monitoring' is given twice (first at line 13)"},
};

START_TEST(bad_report)
{
	struct readiness_report r;
	char where[32];

	errors[0] = '\0';
	ck_assert_msg(!readiness_report_parse("r.conf", variant(bad[_i].key, bad[_i].line), &r,
	                                      collect, NULL),
	              "accepted: %s", variant(bad[_i].key, bad[_i].line));
	snprintf(where, sizeof(where), "r.conf:%d:", bad[_i].at);
	ck_assert_msg(strstr(errors, where) != NULL, "expected '%s' in: %s", where, errors);
	ck_assert_msg(strstr(errors, bad[_i].words) != NULL, "expected '%s' in: %s", bad[_i].words,
	              errors);
}
END_TEST

/* "${PATH}" is not expanded from the agent's environment (agent/config_text.h)
 * (an unsigned report put the agent's PATH into its .reason file). */
START_TEST(environment_not_expanded)
{
	char signer[READINESS_REPORT_SIGNER_MAX], reason[READINESS_REPORT_REASON_MAX];
	struct readiness_report r;
	uint32_t office;
	uint8_t sig[64] = {0};
	const char *body = variant("security-level", "security-level = ${PATH}\n");

	ck_assert(!readiness_report_check(NULL, "r.conf", body, strlen(body), sig, 64, sig, &r,
	                                  signer, &office, reason, sizeof(reason)));
	ck_assert_msg(strstr(reason, "malformed: r.conf:4: '${' is refused"), "reason: %s", reason);
	ck_assert_msg(!strstr(reason, getenv("PATH")), "reason: %s", reason);
}
END_TEST

START_TEST(control_characters_refused)
{
	struct readiness_report r;

	errors[0] = '\0';
	ck_assert(!readiness_report_parse("r.conf", "office = 12\x01\n", &r, collect, NULL));
	ck_assert_ptr_nonnull(strstr(errors, "r.conf:1: not a text file"));
}
END_TEST

/* ---- signatures ---- */

static EVP_PKEY *keygen(uint8_t pub[32])
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	size_t len = 32;
	ck_assert_ptr_nonnull(k);
	ck_assert_int_eq(EVP_PKEY_get_raw_public_key(k, pub, &len), 1);
	return k;
}

static void sign(EVP_PKEY *k, const char *body, uint8_t sig[64])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	size_t len = 64;
	ck_assert_int_eq(EVP_DigestSignInit(md, NULL, NULL, NULL, k), 1);
	ck_assert_int_eq(EVP_DigestSign(md, sig, &len, (const uint8_t *)body, strlen(body)), 1);
	ck_assert_uint_eq(len, 64);
	EVP_MD_CTX_free(md);
}

START_TEST(signature_checks)
{
	uint8_t pub[32], other_pub[32], sig[64];
	EVP_PKEY *k = keygen(pub), *other = keygen(other_pub);
	char body[2048];

	snprintf(body, sizeof(body), "%s", GOOD);
	sign(k, body, sig);
	size_t len = strlen(body);
	ck_assert(readiness_report_verify(pub, body, len, sig, 64));
	body[40] ^= 0x01; /* one bit of the body */
	ck_assert(!readiness_report_verify(pub, body, len, sig, 64));
	body[40] ^= 0x01;
	sig[10] ^= 0x80; /* one bit of the signature */
	ck_assert(!readiness_report_verify(pub, body, len, sig, 64));
	sig[10] ^= 0x80;
	pub[5] ^= 0x04; /* one bit of the key */
	ck_assert(!readiness_report_verify(pub, body, len, sig, 64));
	pub[5] ^= 0x04;
	ck_assert(
	    !readiness_report_verify(other_pub, body, len, sig, 64)); /* another office's key */
	ck_assert(!readiness_report_verify(pub, body, len, sig, 0));  /* empty signature */
	ck_assert(!readiness_report_verify(pub, body, len, sig, 63));
	ck_assert(readiness_report_verify(pub, body, len, sig, 64)); /* and all is restored */
	EVP_PKEY_free(k);
	EVP_PKEY_free(other);
}
END_TEST

/* readiness_report_check() with a config: keys per office and per authority. */
static char dir[64];

static void write_pub(EVP_PKEY *k, const char *name)
{
	char p[128];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(PEM_write_PUBKEY(f, k), 1);
	fclose(f);
}

/* auth_offices: the authority's `offices` line ("" for none at all). */
static struct tslcd_config *config_with_keys(EVP_PKEY *k12, EVP_PKEY *k13, EVP_PKEY *auth,
                                             const char *auth_offices)
{
	char p[128];
	snprintf(dir, sizeof(dir), "/tmp/tslcd-report-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	write_pub(k12, "office-12.pub");
	write_pub(k13, "office-13.pub");
	write_pub(auth, "so-khcn.pub");
	snprintf(p, sizeof(p), "%s/tslcd.conf", dir);
	FILE *f = fopen(p, "w");
	fprintf(f, "authority \"so-khcn\" {\n key = \"so-khcn.pub\"\n%s}\n", auth_offices);
	fputs("office {\n id = 12\n code = \"A\"\n name = \"A\"\n level = province\n"
	      " readiness-key = \"office-12.pub\"\n}\n"
	      "office {\n id = 13\n code = \"B\"\n name = \"B\"\n level = province\n"
	      " readiness-key = \"office-13.pub\"\n}\n",
	      f);
	fclose(f);
	errors[0] = '\0';
	struct tslcd_config *c = config_load(p, collect, NULL);
	ck_assert_msg(c != NULL, "config: %s", errors);
	return c;
}

static bool check(const struct tslcd_config *c, const char *body, const uint8_t *sig, size_t siglen,
                  char *signer, char *reason)
{
	struct readiness_report r;
	uint32_t office;
	return readiness_report_check(c, "r.conf", body, strlen(body), sig, siglen, NULL, &r,
	                              signer, &office, reason, READINESS_REPORT_REASON_MAX);
}

START_TEST(check_with_config)
{
	uint8_t p12[32], p13[32], pa[32], sig[64];
	EVP_PKEY *k12 = keygen(p12), *k13 = keygen(p13), *ka = keygen(pa);
	struct tslcd_config *c = config_with_keys(k12, k13, ka, " offices = {13}\n");
	char signer[READINESS_REPORT_SIGNER_MAX], reason[READINESS_REPORT_REASON_MAX];
	const char *for13 = variant("office =", "office = 13\n");
	char body13[2048];
	snprintf(body13, sizeof(body13), "%s", for13);

	sign(k12, GOOD, sig);
	ck_assert_msg(check(c, GOOD, sig, 64, signer, reason), "%s", reason);
	ck_assert_str_eq(signer, "office-12"); /* the key's name */
	sign(k13, GOOD, sig);                  /* office 13's key on office 12's report */
	ck_assert(!check(c, GOOD, sig, 64, signer, reason));
	ck_assert_ptr_nonnull(strstr(reason, "does not verify"));
	sign(ka, GOOD, sig); /* the authority does not cover office 12 */
	ck_assert(!check(c, GOOD, sig, 64, signer, reason));
	sign(ka, body13, sig); /* but does cover 13 */
	ck_assert_msg(check(c, body13, sig, 64, signer, reason), "%s", reason);
	ck_assert_str_eq(signer, "so-khcn");
	ck_assert(!check(c, body13, sig, 0, signer, reason)); /* empty .sig */
	ck_assert_ptr_nonnull(strstr(reason, "unsigned"));
	ck_assert(!check(c, variant("office =", "office = 99\n"), sig, 64, signer, reason));
	ck_assert_ptr_nonnull(strstr(reason, "not in the configuration"));
	ck_assert(!check(c, "office = 12\n", sig, 64, signer, reason));
	ck_assert_ptr_nonnull(strstr(reason, "malformed: r.conf:"));
	config_free(c);
	EVP_PKEY_free(k12);
	EVP_PKEY_free(k13);
	EVP_PKEY_free(ka);
}
END_TEST

/* `offices = {}` signs for no office (it used to mean
 * every office); only a list never written means every office. */
START_TEST(authority_empty_list_covers_none)
{
	uint8_t p12[32], p13[32], pa[32], sig[64];
	EVP_PKEY *k12 = keygen(p12), *k13 = keygen(p13), *ka = keygen(pa);
	char signer[READINESS_REPORT_SIGNER_MAX], reason[READINESS_REPORT_REASON_MAX];
	struct tslcd_config *c = config_with_keys(k12, k13, ka, " offices = {}\n");

	sign(ka, GOOD, sig);
	ck_assert_msg(!check(c, GOOD, sig, 64, signer, reason), "accepted, signed by %s", signer);
	ck_assert_ptr_nonnull(strstr(reason, "does not verify"));
	config_free(c);
	c = config_with_keys(k12, k13, ka, "");
	ck_assert_msg(check(c, GOOD, sig, 64, signer, reason), "%s", reason);
	ck_assert_str_eq(signer, "so-khcn");
	config_free(c);
	EVP_PKEY_free(k12);
	EVP_PKEY_free(k13);
	EVP_PKEY_free(ka);
}
END_TEST

START_TEST(key_file_errors)
{
	uint8_t pub[32];
	char err[256];

	ck_assert(!readiness_report_key_load("/nonexistent.pub", pub, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "cannot read key"));
	ck_assert(!readiness_report_key_load("/etc/hostname", pub, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "not a PEM public key"));
	/* A wrong path must not hang a reload or eat memory. */
	ck_assert(!readiness_report_key_load("/dev/zero", pub, err, sizeof(err)));
	ck_assert_msg(strstr(err, "'/dev/zero': not a regular file"), "err: %s", err);
	char big[] = "/tmp/tslcd-bigkey-XXXXXX";
	int fd = mkstemp(big);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, 1 << 20), 0);
	close(fd);
	ck_assert(!readiness_report_key_load(big, pub, err, sizeof(err)));
	ck_assert_msg(strstr(err, "too large"), "err: %s", err);
	unlink(big);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("readiness_report");
	TCase *tc = tcase_create("report");

	setenv("TZ", "Asia/Ho_Chi_Minh", 1);
	tcase_add_test(tc, good_report);
	tcase_add_loop_test(tc, bad_report, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, environment_not_expanded);
	tcase_add_test(tc, control_characters_refused);
	tcase_add_test(tc, signature_checks);
	tcase_add_test(tc, check_with_config);
	tcase_add_test(tc, authority_empty_list_covers_none);
	tcase_add_test(tc, key_file_errors);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
