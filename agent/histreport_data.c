/*
 * histreport_data: history.db into report structs; see the header for the
 * definitions every figure follows.
 */
#include "histreport_data.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "history_schema.h"

const char *const histreport_data_causes[HISTREPORT_NCAUSES] = {
    "unknown",     "powerLoss",       "fiberCut",          "cpeFault",    "providerNetwork",
    "customerLan", "naturalDisaster", "securityIsolation", "plannedWork", "upstream"};
const char *const histreport_data_carriers[HISTREPORT_NCARRIERS] = {"vnpt", "viettel", "other"};
const char *const histreport_data_traffic_names[HR_NTRAFFIC] = {
    "in_avg_bps",   "in_peak_bps", "in_p95_bps", "out_avg_bps",
    "out_peak_bps", "out_p95_bps", "in_bytes",   "out_bytes"};

const char *const histreport_data_use_names[HR_NUSE] = {"in_avg_use_ppm", "in_peak_use_ppm",
                                                        "out_avg_use_ppm", "out_peak_use_ppm"};
/* The traffic figure each use figure is of. */
static const int use_of[HR_NUSE] = {HR_IN_AVG, HR_IN_PEAK, HR_OUT_AVG, HR_OUT_PEAK};

const char *const histreport_data_dist_names[HISTREPORT_DIST_BUCKETS] = {
    ">=99.9", "99.5-99.9", "99-99.5", "95-99", "<95", "no data"};

/* How a day's value folds into the period's (see the header). */
enum fold { FOLD_MEAN, FOLD_MAX, FOLD_SUM };
static const enum fold traffic_fold[HR_NTRAFFIC] = {FOLD_MEAN, FOLD_MAX, FOLD_MAX, FOLD_MEAN,
                                                    FOLD_MAX,  FOLD_MAX, FOLD_SUM, FOLD_SUM};

struct ctx {
	sqlite3 *db;
	struct histreport *r;
	char *err;
	size_t errlen;
};

static int fail(struct ctx *c, const char *what)
{
	snprintf(c->err, c->errlen, "%s: %s", what, sqlite3_errmsg(c->db));
	return -1;
}

static char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? strdup((const char *)t) : NULL;
}

static int64_t col_int(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, i);
}

static int name_index(const char *const *names, int n, const char *s, int fallback)
{
	for (int i = 0; s && i < n; i++)
		if (!strcmp(names[i], s))
			return i;
	return fallback;
}

/* Grows *arr (of *n items of size sz) by one zeroed item; NULL on OOM. */
static void *push(void *arr_p, size_t *n, size_t sz)
{
	void **arr = arr_p;
	void *grown = realloc(*arr, (*n + 1) * sz);

	if (!grown)
		return NULL;
	*arr = grown;
	memset((char *)grown + *n * sz, 0, sz);
	return (char *)grown + (*n)++ * sz;
}

static int prepare(struct ctx *c, const char *sql, sqlite3_stmt **st)
{
	return sqlite3_prepare_v2(c->db, sql, -1, st, NULL) == SQLITE_OK ? 0
	                                                                 : fail(c, "history.db");
}

static int open_db(struct ctx *c, const char *path)
{
	sqlite3_stmt *st;

	/* One thread reads: no mutexes.  A quarter of a province is tens of MB
	 * read once, mapped rather than copied through the page cache. */
	if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK)
		return fail(c, path);
	sqlite3_busy_timeout(c->db, 5000); /* the agent may be checkpointing */
	sqlite3_exec(c->db, "PRAGMA mmap_size=1073741824; PRAGMA cache_size=-65536", NULL, NULL,
	             NULL);
	if (prepare(c, "PRAGMA user_version", &st) < 0)
		return -1;
	/* The first read: an unreadable file or a WAL index this user may not
	 * create fails here, and says so rather than "version -1". */
	if (sqlite3_step(st) != SQLITE_ROW) {
		fail(c, path);
		if ((sqlite3_errcode(c->db) & 0xff) == SQLITE_READONLY)
			snprintf(c->err + strlen(c->err), c->errlen - strlen(c->err),
			         " (a WAL database: history.db-wal and -shm must exist and be "
			         "readable)");
		sqlite3_finalize(st);
		return -1;
	}
	int version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version != HISTORY_SCHEMA_VERSION) {
		snprintf(c->err, c->errlen,
		         "%s: history schema version %d, this tslcdctl reads version %d", path,
		         version, HISTORY_SCHEMA_VERSION);
		return -1;
	}
	return 0;
}

/* A number in 1..max in meta, or the default when absent or bad. */
static int64_t meta_number(sqlite3_stmt *st, int64_t max, int64_t dflt)
{
	const char *v = (const char *)sqlite3_column_text(st, 1);
	char *end;
	long long n = v ? strtoll(v, &end, 10) : 0;

	return v && *v && !*end && n > 0 && n <= max ? n : dflt;
}

/* The agent's settings the figures depend on (history_schema.h, meta). */
static void meta_setting(struct histreport *r, const char *k, sqlite3_stmt *st)
{
	if (!strcmp(k, "readiness_max_age_days"))
		r->fresh_days = meta_number(st, 36500, HISTREPORT_FRESH_DAYS);
	else if (!strcmp(k, "congestion_raise_ppm"))
		r->congestion_ppm = meta_number(st, 1000000, HISTREPORT_DEFAULT_CONGESTION);
}

static int load_meta(struct ctx *c)
{
	sqlite3_stmt *st;

	c->r->fresh_days = HISTREPORT_FRESH_DAYS;
	c->r->congestion_ppm = HISTREPORT_DEFAULT_CONGESTION;
	if (prepare(c, "SELECT key, value FROM meta", &st) < 0)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);
		if (k)
			meta_setting(c->r, k, st);
		char **slot = !k                            ? NULL
		              : !strcmp(k, "province_code") ? &c->r->province_code
		              : !strcmp(k, "province_name") ? &c->r->province_name
		              : !strcmp(k, "timezone")      ? &c->r->timezone
		                                            : NULL;
		if (slot && !*slot)
			*slot = col_text(st, 1);
	}
	sqlite3_finalize(st);
	/* Days in history.db are the province's days: read times the same way. */
	if (c->r->timezone && *c->r->timezone)
		setenv("TZ", c->r->timezone, 1);
	tzset();
	return 0;
}

static bool wanted(const struct histreport_query *q, const char *province, int64_t id)
{
	if (q->province && (!province || strcmp(q->province, province)))
		return false;
	for (size_t i = 0; i < q->noffice_ids; i++)
		if (q->office_ids[i] == id)
			return true;
	return q->noffice_ids == 0;
}

static int load_offices(struct ctx *c, const struct histreport_query *q)
{
	sqlite3_stmt *st;
	struct histreport *r = c->r;

	if (prepare(c,
	            "SELECT office_id, code, name, level, tier, province, commune,"
	            " required_lines, sla_target_ppm FROM offices ORDER BY office_id",
	            &st) < 0)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *prov = (const char *)sqlite3_column_text(st, 5);
		if (!wanted(q, prov, sqlite3_column_int64(st, 0)))
			continue;
		struct histreport_office *o = push(&r->offices, &r->noffices, sizeof(*o));
		if (!o)
			break;
		o->id = sqlite3_column_int64(st, 0);
		o->code = col_text(st, 1);
		o->name = col_text(st, 2);
		o->level = col_text(st, 3);
		o->tier = col_text(st, 4);
		o->province = col_text(st, 5);
		o->commune = col_text(st, 6);
		o->required_lines = col_int(st, 7);
		o->sla_ppm = col_int(st, 8) < 0 ? HISTREPORT_DEFAULT_SLA : col_int(st, 8);
	}
	sqlite3_finalize(st);
	return 0;
}

long histreport_data_find_office(const struct histreport *r, int64_t id)
{
	size_t lo = 0, hi = r->noffices;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (r->offices[mid].id == id)
			return (long)mid;
		if (r->offices[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

long histreport_data_find_line(const struct histreport *r, int64_t office_id, int64_t line_id)
{
	long o = histreport_data_find_office(r, office_id);

	if (o < 0)
		return -1;
	for (size_t i = 0; i < r->offices[o].nlines; i++)
		if (r->lines[r->offices[o].line0 + i].line_id == line_id)
			return (long)(r->offices[o].line0 + i);
	return -1;
}

/* Reports a --office id or --province that selects nothing. */
static int check_selection(struct ctx *c, const struct histreport_query *q)
{
	for (size_t i = 0; i < q->noffice_ids; i++)
		if (histreport_data_find_office(c->r, q->office_ids[i]) < 0) {
			snprintf(c->err, c->errlen, "unknown office %lld%s%s",
			         (long long)q->office_ids[i], q->province ? " in province " : "",
			         q->province ? q->province : "");
			return -1;
		}
	if (c->r->noffices == 0) {
		snprintf(c->err, c->errlen,
		         "unknown province '%s' (no office of it in the history)",
		         q->province ? q->province : "");
		return -1;
	}
	return 0;
}

static int load_lines(struct ctx *c)
{
	sqlite3_stmt *st;
	struct histreport *r = c->r;

	if (prepare(c,
	            "SELECT office_id, line_id, carrier, circuit, kbps, role FROM lines"
	            " ORDER BY office_id, line_id",
	            &st) < 0)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		long o = histreport_data_find_office(r, sqlite3_column_int64(st, 0));
		struct histreport_line *l = o < 0 ? NULL : push(&r->lines, &r->nlines, sizeof(*l));
		if (!l)
			continue;
		if (r->offices[o].nlines++ == 0)
			r->offices[o].line0 = r->nlines - 1;
		l->office_id = sqlite3_column_int64(st, 0);
		l->line_id = sqlite3_column_int64(st, 1);
		l->carrier = col_text(st, 2);
		l->circuit = col_text(st, 3);
		l->kbps = col_int(st, 4);
		l->role = col_text(st, 5);
		for (int k = 0; k < HR_NTRAFFIC; k++)
			l->t[k] = -1;
	}
	sqlite3_finalize(st);
	return 0;
}

static int bind_days(struct ctx *c, sqlite3_stmt *st)
{
	sqlite3_bind_text(st, 1, c->r->period.first, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->r->period.through, -1, SQLITE_STATIC);
	return 0;
}

static void office_day(struct histreport_office *o, sqlite3_stmt *st)
{
	int64_t v[4];

	for (int k = 0; k < 4; k++)
		v[k] = col_int(st, 1 + k) < 0 ? 0 : col_int(st, 1 + k);
	o->up_s += v[0];
	o->down_s += v[1];
	o->maint_s += v[2];
	o->unknown_s += v[3];
	o->has_data = true;
	/* Rows come by day: the last one seen is the state at the period's end. */
	for (int k = 0; k < 3; k++) {
		char **slot = k == 0   ? &o->redundancy
		              : k == 1 ? &o->readiness
		                       : &o->readiness_reason;
		free(*slot);
		*slot = col_text(st, 5 + k);
	}
}

static int load_office_days(struct ctx *c)
{
	sqlite3_stmt *st;

	if (prepare(c,
	            "SELECT office_id, up_s, down_s, maint_s, unknown_s, redundancy, readiness,"
	            " readiness_reason FROM office_days WHERE day BETWEEN ?1 AND ?2"
	            " ORDER BY office_id, day",
	            &st) < 0)
		return -1;
	bind_days(c, st);
	long o = -1;
	int64_t last_id = -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		if (id != last_id)
			o = histreport_data_find_office(c->r, last_id = id);
		if (o >= 0)
			office_day(&c->r->offices[o], st);
	}
	sqlite3_finalize(st);
	return 0;
}

/* Folding one day's traffic into a total; counts[] carries the means' n. */
static void fold_day(int64_t *t, int64_t *counts, sqlite3_stmt *st, int col0)
{
	for (int k = 0; k < HR_NTRAFFIC; k++) {
		int64_t v = col_int(st, col0 + k);
		if (v < 0)
			continue;
		if (traffic_fold[k] == FOLD_MAX)
			t[k] = v > t[k] ? v : t[k];
		else
			t[k] = (t[k] < 0 ? 0 : t[k]) + v;
		counts[k]++;
	}
}

static void finish_means(int64_t *t, const int64_t *counts)
{
	for (int k = 0; k < HR_NTRAFFIC; k++)
		if (traffic_fold[k] == FOLD_MEAN && counts[k] > 0)
			t[k] = (t[k] + counts[k] / 2) / counts[k];
}

static int64_t ppm(int64_t num, int64_t den)
{
	return den > 0 && num >= 0 ? (num * 1000000 + den / 2) / den : -1;
}

int64_t histreport_data_use_ppm(int64_t bps, int64_t kbps)
{
	return ppm(bps, kbps > 0 ? kbps * 1000 : 0);
}

struct usage_acc {
	long line;
	char month[8];
	int64_t t[HR_NTRAFFIC], n[HR_NTRAFFIC];
	int64_t line_n[HR_NTRAFFIC];
};

static int flush_month(struct ctx *c, struct usage_acc *a)
{
	if (a->line < 0)
		return 0;
	struct histreport_usage *u = push(&c->r->usage, &c->r->nusage, sizeof(*u));
	if (!u)
		return -1;
	finish_means(a->t, a->n);
	u->line = (size_t)a->line;
	memcpy(u->month, a->month, sizeof(u->month));
	memcpy(u->t, a->t, sizeof(u->t));
	for (int k = 0; k < HR_NUSE; k++)
		u->use[k] = histreport_data_use_ppm(u->t[use_of[k]], c->r->lines[a->line].kbps);
	return 0;
}

/* One row of line_days, in (office, line, day) order. */
static int line_day(struct ctx *c, struct usage_acc *a, sqlite3_stmt *st)
{
	long l = histreport_data_find_line(c->r, sqlite3_column_int64(st, 0),
	                                   sqlite3_column_int64(st, 1));
	const char *day = (const char *)sqlite3_column_text(st, 2);

	if (l < 0 || !day)
		return 0;
	if (l != a->line || strncmp(a->month, day, 7)) {
		if (l != a->line && a->line >= 0)
			finish_means(c->r->lines[a->line].t, a->line_n);
		if (flush_month(c, a) < 0)
			return -1;
		if (l != a->line)
			memset(a->line_n, 0, sizeof(a->line_n));
		a->line = l;
		snprintf(a->month, sizeof(a->month), "%.7s", day);
		for (int k = 0; k < HR_NTRAFFIC; k++)
			a->t[k] = -1, a->n[k] = 0;
	}
	fold_day(a->t, a->n, st, 3);
	fold_day(c->r->lines[l].t, a->line_n, st, 3);
	return 0;
}

static int load_line_days(struct ctx *c)
{
	sqlite3_stmt *st;
	struct usage_acc a = {.line = -1};
	int rc = 0;

	if (prepare(c,
	            "SELECT office_id, line_id, day, in_avg_bps, in_peak_bps, in_p95_bps,"
	            " out_avg_bps, out_peak_bps, out_p95_bps, in_bytes, out_bytes"
	            " FROM line_days WHERE day BETWEEN ?1 AND ?2 ORDER BY office_id, line_id, day",
	            &st) < 0)
		return -1;
	bind_days(c, st);
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW)
		rc = line_day(c, &a, st);
	sqlite3_finalize(st);
	if (a.line >= 0)
		finish_means(c->r->lines[a.line].t, a.line_n);
	return rc < 0 ? rc : flush_month(c, &a);
}

/* The part of [start, end) inside the period (end 0: still open). */
static int64_t inside_period(const struct histreport_period *p, int64_t start, int64_t end)
{
	int64_t from = start > p->start ? start : p->start;
	int64_t to = end == 0 || end > p->until ? p->until : end;

	return to > from ? to - from : 0;
}

/* An office outage (line_id 0): the office's own figures. */
static void count_office_outage(struct histreport_office *o, int cause, int64_t inside_s)
{
	o->outages++;
	o->by_cause[cause]++;
	o->downtime_s += inside_s;
	if (inside_s > o->longest_s)
		o->longest_s = inside_s;
}

/* A line outage: an incident of the list and of the summary's tallies. */
static int add_incident(struct histreport *r, sqlite3_stmt *st, int cause, int64_t inside_s)
{
	struct histreport_outage *u = push(&r->outages, &r->noutages, sizeof(*u));

	if (!u)
		return -1;
	u->office_id = sqlite3_column_int64(st, 0);
	u->line_id = sqlite3_column_int64(st, 1);
	u->start = sqlite3_column_int64(st, 2);
	u->end = col_int(st, 3) < 0 ? 0 : col_int(st, 3);
	u->inside_s = inside_s;
	u->cause = cause;
	u->ticket = col_text(st, 5);
	long l = histreport_data_find_line(r, u->office_id, u->line_id);
	u->carrier = l < 0 ? -1
	                   : name_index(histreport_data_carriers, HISTREPORT_NCARRIERS,
	                                r->lines[l].carrier, HISTREPORT_NCARRIERS - 1);
	r->sum.cause_count[cause]++;
	r->sum.cause_s[cause] += inside_s;
	if (u->carrier >= 0) {
		r->sum.carrier_count[u->carrier]++;
		r->sum.carrier_s[u->carrier] += inside_s;
	}
	return 0;
}

static int load_outages(struct ctx *c)
{
	sqlite3_stmt *st;
	struct histreport *r = c->r;
	int rc = 0;

	if (prepare(c,
	            "SELECT office_id, line_id, start, end, cause, ticket FROM outages"
	            " WHERE start < ?1 AND (end IS NULL OR end = 0 OR end > ?2) ORDER BY start",
	            &st) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, r->period.until);
	sqlite3_bind_int64(st, 2, r->period.start);
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		long o = histreport_data_find_office(r, sqlite3_column_int64(st, 0));
		if (o < 0)
			continue;
		int64_t inside_s = inside_period(&r->period, sqlite3_column_int64(st, 2),
		                                 col_int(st, 3) < 0 ? 0 : col_int(st, 3));
		int cause = name_index(histreport_data_causes, HISTREPORT_NCAUSES,
		                       (const char *)sqlite3_column_text(st, 4), 0);
		if (sqlite3_column_int64(st, 1) == 0)
			count_office_outage(&r->offices[o], cause, inside_s);
		else
			rc = add_incident(r, st, cause, inside_s);
	}
	sqlite3_finalize(st);
	return 0;
}

static int load_reports(struct ctx *c)
{
	sqlite3_stmt *st;
	struct histreport *r = c->r;

	if (prepare(c,
	            "SELECT office_id, MAX(report_time) FROM reports"
	            " WHERE accepted = 1 AND report_time <= ?1 GROUP BY office_id",
	            &st) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, r->period.until);
	while (sqlite3_step(st) == SQLITE_ROW) {
		long o = histreport_data_find_office(r, sqlite3_column_int64(st, 0));
		if (o >= 0)
			r->offices[o].last_report = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return 0;
}

/* Today's row may count a little past `until` (the writer's last flush):
 * a share of the period is never above the whole. */
static int64_t at_most_whole(int64_t v)
{
	return v > 1000000 ? 1000000 : v;
}

static void office_figures(struct histreport *r, struct histreport_office *o)
{
	int64_t covered = o->up_s + o->down_s + o->maint_s + o->unknown_s;

	if (covered < r->period_s)
		o->unknown_s += r->period_s - covered;
	int64_t monitored = r->period_s - o->unknown_s;
	o->raw_ppm = at_most_whole(ppm(o->up_s, monitored));
	o->adj_ppm = at_most_whole(ppm(o->up_s, monitored - o->maint_s));
	o->monitored_ppm = at_most_whole(ppm(monitored, r->period_s));
	o->below_sla = o->adj_ppm >= 0 && o->adj_ppm < o->sla_ppm;
	o->fresh = o->last_report > 0 && r->period.until - o->last_report <= r->fresh_days * 86400;
}

static int dist_bucket(int64_t adj)
{
	static const int64_t floor_ppm[] = {999000, 995000, 990000, 950000, 0};

	for (int b = 0; adj >= 0 && b < 5; b++)
		if (adj >= floor_ppm[b])
			return b;
	return 5;
}

/* Worse first: lower adjusted availability, then more downtime; no data last. */
static int by_worse(const void *a, const void *b, void *ctx)
{
	const struct histreport *r = ctx;
	const struct histreport_office *x = &r->offices[*(const size_t *)a];
	const struct histreport_office *y = &r->offices[*(const size_t *)b];
	int64_t ax = x->adj_ppm < 0 ? 2000000 : x->adj_ppm,
	        ay = y->adj_ppm < 0 ? 2000000 : y->adj_ppm;

	if (ax != ay)
		return ax < ay ? -1 : 1;
	if (x->downtime_s != y->downtime_s)
		return x->downtime_s > y->downtime_s ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* An office with nothing to regret (100 %, no outage) is not among the worst. */
static bool has_faults(const struct histreport_office *o)
{
	return o->has_data && (o->adj_ppm < 1000000 || o->outages > 0);
}

static void summarise(struct histreport *r)
{
	struct histreport_summary *s = &r->sum;
	size_t *order = malloc((r->noffices + 1) * sizeof(*order));

	s->offices = (unsigned)r->noffices;
	for (size_t i = 0; i < r->noffices; i++) {
		struct histreport_office *o = &r->offices[i];
		office_figures(r, o);
		s->connected += o->up_s > 0;
		s->dist[dist_bucket(o->adj_ppm)]++;
		s->below_sla += o->below_sla;
		s->stale += !o->fresh;
		if (order)
			order[i] = i;
	}
	if (!order)
		return;
	qsort_r(order, r->noffices, sizeof(*order), by_worse, r);
	for (size_t i = 0; i < r->noffices && s->nworst < HISTREPORT_WORST; i++)
		if (has_faults(&r->offices[order[i]]))
			s->worst[s->nworst++] = order[i];
	free(order);
}

static int check_data(struct ctx *c)
{
	for (size_t i = 0; i < c->r->noffices; i++)
		if (c->r->offices[i].has_data)
			return 0;
	if (c->r->nusage || c->r->noutages)
		return 0;
	snprintf(c->err, c->errlen, "no history for the period %s (%s..%s)", c->r->period.label,
	         c->r->period.first, c->r->period.last);
	return -1;
}

int histreport_data_load(const struct histreport_query *q, struct histreport *r, char *err,
                         size_t errlen)
{
	struct ctx c = {.r = r, .err = err, .errlen = errlen};
	int rc;

	memset(r, 0, sizeof(*r));
	rc = histreport_period_parse(q->period, &r->period, err, errlen);
	if (rc == 0)
		rc = open_db(&c, q->db);
	if (rc == 0)
		rc = load_meta(&c);
	if (rc == 0)
		rc = histreport_period_bind(&r->period, (time_t)q->now, err, errlen);
	r->period_s = r->period.until - r->period.start;
	if (rc == 0)
		rc = load_offices(&c, q);
	if (rc == 0)
		rc = check_selection(&c, q);
	if (rc == 0)
		rc = load_lines(&c);
	if (rc == 0)
		rc = load_office_days(&c);
	if (rc == 0)
		rc = load_line_days(&c);
	if (rc == 0)
		rc = load_outages(&c);
	if (rc == 0)
		rc = load_reports(&c);
	if (rc == 0)
		rc = check_data(&c);
	if (rc == 0)
		summarise(r);
	sqlite3_close(c.db);
	if (rc < 0)
		histreport_data_free(r);
	return rc;
}

void histreport_data_free(struct histreport *r)
{
	for (size_t i = 0; i < r->noffices; i++) {
		struct histreport_office *o = &r->offices[i];
		char *s[] = {o->code,       o->name,      o->level,
		             o->tier,       o->province,  o->commune,
		             o->redundancy, o->readiness, o->readiness_reason};
		for (size_t k = 0; k < sizeof(s) / sizeof(s[0]); k++)
			free(s[k]);
	}
	for (size_t i = 0; i < r->nlines; i++) {
		free(r->lines[i].carrier);
		free(r->lines[i].circuit);
		free(r->lines[i].role);
	}
	for (size_t i = 0; i < r->noutages; i++)
		free(r->outages[i].ticket);
	free(r->offices);
	free(r->lines);
	free(r->outages);
	free(r->usage);
	free(r->province_code);
	free(r->province_name);
	free(r->timezone);
	memset(r, 0, sizeof(*r));
}
