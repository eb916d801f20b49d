/*
 * histreport_cli: option parsing and dispatch for `tslcdctl report`.
 */
#include "histreport_cli.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "histreport_csv.h"
#include "histreport_data.h"
#include "histreport_html.h"
#include "histreport_json.h"

#define MAX_OFFICES 1024

enum format { FMT_CSV, FMT_JSON, FMT_HTML };

struct opts {
	struct histreport_query q;
	char db[4096];
	enum format format;
	enum histreport_lang lang;
	const char *out;
	int64_t ids[MAX_OFFICES];
};

static int bad(const char *fmt, const char *arg)
{
	fputs("tslcdctl report: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return 1;
}

/* "12,104,7" into o->ids. */
static int parse_ids(struct opts *o, const char *text)
{
	char *copy = strdup(text), *save = NULL;
	int rc = copy ? 0 : -1;

	for (char *t = copy ? strtok_r(copy, ",", &save) : NULL; t && rc == 0;
	     t = strtok_r(NULL, ",", &save)) {
		char *end;
		errno = 0;
		long long v = strtoll(t, &end, 10);
		if (errno || *end || v < 0 || o->q.noffice_ids >= MAX_OFFICES)
			rc = -1;
		else
			o->ids[o->q.noffice_ids++] = v;
	}
	free(copy);
	return rc == 0 && o->q.noffice_ids > 0 ? 0 : -1;
}

static int parse_enum(const char *v, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(v, names[i]))
			return i;
	return -1;
}

static const char usage_text[] =
    "usage: tslcdctl report --period 2026-Q4|2026-11|2026-11-01..2026-11-30\n"
    "                [--province CODE] [--office ID[,ID...]] [--format csv|json|html]\n"
    "                [--lang vi|en] [-o FILE|DIR] [--db PATH]\n"
    "default: HTML in Vietnamese on stdout, from the state directory of\n"
    "tslcdctl -c CONFIG report ..., else " HISTREPORT_CLI_DEFAULT_DB "\n";

/* A usage error: exit status 2, as for tslcdctl's own options. */
static int unknown_option(const char *name)
{
	bad("unknown option '%s'", name);
	fputs(usage_text, stderr);
	return 2;
}

/* One option with its value; 0, or the exit status on a bad one. */
static int option(struct opts *o, const char *name, const char *v)
{
	static const char *const formats[] = {"csv", "json", "html"};
	static const char *const langs[] = {"vi", "en"};
	int k;

	if (!strcmp(name, "--period"))
		o->q.period = v;
	else if (!strcmp(name, "--province"))
		o->q.province = v;
	else if (!strcmp(name, "--db"))
		o->q.db = v;
	else if (!strcmp(name, "-o"))
		o->out = v;
	else if (!strcmp(name, "--office"))
		return parse_ids(o, v) == 0 ? 0
		                            : bad("bad office list '%s' (expected ID[,ID...])", v);
	else if (!strcmp(name, "--format"))
		return (k = parse_enum(v, formats, 3)) < 0
		           ? bad("unknown format '%s' (csv, json or html)", v)
		           : (o->format = (enum format)k, 0);
	else if (!strcmp(name, "--lang"))
		return (k = parse_enum(v, langs, 2)) < 0
		           ? bad("unknown language '%s' (vi or en)", v)
		           : (o->lang = (enum histreport_lang)k, 0);
	else
		return unknown_option(name);
	return 0;
}

/* For an option given last, with no value: a known one lacks its value
 * (bad input, 1), anything else is a usage error (2). */
static bool known_option(const char *name)
{
	static const char *const names[] = {"--period", "--province", "--db",  "-o",
	                                    "--office", "--format",   "--lang"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

static int parse(struct opts *o, int argc, char **argv)
{
	o->q.office_ids = o->ids;
	o->format = FMT_HTML;
	for (int i = 1; i < argc; i += 2) {
		if (i + 1 >= argc)
			return known_option(argv[i]) ? bad("option '%s' needs a value", argv[i])
			                             : unknown_option(argv[i]);
		int rc = option(o, argv[i], argv[i + 1]);
		if (rc)
			return rc;
	}
	if (!o->q.period)
		return bad("%s", "--period is required (e.g. --period 2026-Q4)");
	if (o->format == FMT_CSV && !o->out)
		return bad("%s", "--format csv writes one file per table: give -o DIR");
	return 0;
}

static void on_config_error(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "tslcdctl report: %s\n", msg);
}

/* Without --db, -c CONFIG says where the agent keeps its history. */
static int db_from_config(struct opts *o, const char *config)
{
	struct tslcd_config *c = config_load(config, on_config_error, NULL);

	if (!c)
		return bad("cannot use the configuration %s", config);
	snprintf(o->db, sizeof(o->db), "%s/history.db", c->agent.state_dir);
	o->q.db = o->db;
	config_free(c);
	return 0;
}

static int write_report(const struct opts *o, const struct histreport *r)
{
	char err[512];

	if (o->format == FMT_CSV)
		return histreport_csv_write(r, o->out, err, sizeof(err)) == 0 ? 0 : bad("%s", err);
	FILE *f = o->out ? fopen(o->out, "w") : stdout;
	if (!f)
		return bad("cannot write %s", o->out);
	int rc = o->format == FMT_JSON ? histreport_json_write(r, f)
	                               : histreport_html_write(r, o->lang, f);
	if (o->out && fclose(f) != 0)
		rc = -1;
	return rc == 0 ? 0 : bad("cannot write %s", o->out ? o->out : "the report");
}

int histreport_cli(const char *config, int argc, char **argv)
{
	struct opts o = {0};
	struct histreport r;
	char err[512];

	if (argc < 1 || strcmp(argv[0], "report"))
		return -1;
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage_text, stdout);
		return 0;
	}
	int rc = parse(&o, argc, argv);
	if (rc == 0 && config && !o.q.db)
		rc = db_from_config(&o, config);
	if (rc)
		return rc;
	if (!o.q.db)
		o.q.db = HISTREPORT_CLI_DEFAULT_DB;
	o.q.now = (int64_t)time(NULL);
	if (histreport_data_load(&o.q, &r, err, sizeof(err)) < 0)
		return bad("%s", err);
	rc = write_report(&o, &r);
	histreport_data_free(&r);
	return rc;
}
