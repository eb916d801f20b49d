/*
 * readiness_cli: the readiness commands of tslcdctl, which work on files
 * and need no running agent:
 *
 *   tslcdctl [-c CONFIG] readiness-template OFFICE
 *   tslcdctl [-c CONFIG] readiness-verify FILE [-k KEY.pub]
 *
 * readiness-verify runs the agent's own checks (readiness_report_check() and the
 * rules of readiness_evaluate()); only the replay check needs the agent's
 * state and is left to it.
 */
#include "readiness_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "numarg.h"
#include "readiness.h"
#include "readiness_report.h"

#define DEFAULT_CONFIG "/etc/tslcd/tslcd.conf"

static void print_error(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "%s\n", msg);
}

static struct tslcd_config *load(const char *path)
{
	struct tslcd_config *c = config_load(path, print_error, NULL);
	if (!c)
		fprintf(stderr, "tslcdctl: cannot use the configuration %s\n", path);
	return c;
}

static int do_template(const char *config, int argc, char **argv)
{
	uint32_t id = 0;
	struct tslcd_config *c = NULL;
	const struct office_cfg *o = NULL;

	if (argc != 2 || !numarg_u32(argv[1], 1, UINT32_MAX, &id)) {
		fprintf(stderr, "usage: tslcdctl [-c CONFIG] readiness-template OFFICE-ID\n");
		return 2;
	}
	/* The config only adds the office's code and name; it is optional. */
	if (config && !(c = load(config)))
		return 2;
	if (c && !(o = config_find_office(c, id))) {
		fprintf(stderr, "tslcdctl: office %u is not in %s\n", id, config);
		config_free(c);
		return 1;
	}
	readiness_report_template(stdout, id, o ? o->code : NULL, o ? o->name : NULL, time(NULL));
	config_free(c);
	return 0;
}

static int verdict(const struct tslcd_config *c, const char *file, const struct readiness_report *r,
                   const char *signer)
{
	struct readiness_cfg defaults = {.max_age_days = 35,
	                                 .coverage_target_pct = 100,
	                                 .inspection_max_age_days = 365,
	                                 .drill_max_age_days = 365,
	                                 .cert_warn_days = 30};
	const struct readiness_cfg *rules = c ? &c->readiness : &defaults;
	struct readiness_eval ev;
	char when[32];
	time_t now = time(NULL);

	readiness_evaluate(r, rules, NULL, now, &ev);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M", localtime(&r->report_time));
	printf("ok %s: office %u, signed by %s, report time %s\n", file, r->office, signer, when);
	printf("readiness %s, score %u%s%s\n", readiness_state_name(ev.state), ev.score,
	       ev.reason[0] ? ": " : "", ev.reason);
	if (now - r->report_time > (time_t)rules->max_age_days * 86400)
		printf("warning: older than %u days, the agent will treat it as stale\n",
		       rules->max_age_days);
	return 0;
}

static int verify_file(const struct tslcd_config *c, const char *file, const uint8_t *key)
{
	char *body = NULL, reason[READINESS_REPORT_REASON_MAX], signer[READINESS_REPORT_SIGNER_MAX];
	uint8_t *sig = NULL;
	size_t len = 0, siglen = 0;
	struct readiness_report r;
	uint32_t office;
	int rc = 1;

	if (!readiness_report_read_pair(file, &body, &len, &sig, &siglen, reason, sizeof(reason))) {
		fprintf(stderr, "rejected %s: %s\n", file, reason);
	} else if (!readiness_report_check(c, file, body, len, sig, siglen, key, &r, signer,
	                                   &office, reason, sizeof(reason))) {
		fprintf(stderr, "rejected %s: %s\n", file, reason);
	} else {
		rc = verdict(c, file, &r, signer);
	}
	free(body);
	free(sig);
	return rc;
}

static int do_verify(const char *config, int argc, char **argv)
{
	const char *file = NULL, *keyfile = NULL;
	uint8_t key[READINESS_REPORT_KEY_BYTES];
	char err[256];
	struct tslcd_config *c = NULL;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-k") && i + 1 < argc)
			keyfile = argv[++i];
		else if (!file && argv[i][0] != '-')
			file = argv[i];
		else
			file = NULL, i = argc; /* anything else: usage */
	}
	if (!file) {
		fprintf(stderr, "usage: tslcdctl [-c CONFIG] readiness-verify FILE [-k KEY.pub]\n");
		return 2;
	}
	if (keyfile && !readiness_report_key_load(keyfile, key, err, sizeof(err))) {
		fprintf(stderr, "tslcdctl: %s\n", err);
		return 2;
	}
	/* With -k the config is optional (it only adds the office check and rules). */
	if ((config || !keyfile) && !(c = load(config ? config : DEFAULT_CONFIG)))
		return 2;
	int rc = verify_file(c, file, keyfile ? key : NULL);
	config_free(c);
	return rc;
}

int readiness_cli(const char *config, int argc, char **argv)
{
	if (argc < 1)
		return -1;
	if (!strcmp(argv[0], "readiness-template"))
		return do_template(config, argc, argv);
	if (!strcmp(argv[0], "readiness-verify"))
		return do_verify(config, argc, argv);
	return -1;
}
