/*
 * History reports: a known history.db built here with the shared schema
 * (offices, lines, outages with causes, line_days, office_days, reports)
 * gives exact figures: availability ppm raw and adjusted, monitored
 * fraction, downtime, outage counts by cause, a straddling outage clipped
 * to the period, an open one run to its end, traffic folded over days and
 * months; an office's outages are its own (line_id 0 rows: the time it was
 * isolated), not the sum of its lines' incidents, so a backup line that
 * carried it leaves it none and two lines down together make one; the CSV
 * carries them in its documented columns; periods parse
 * (and bad ones are refused), a period in progress is partial, a readiness
 * report is fresh by the max-age the agent recorded in meta, the HTML's p95
 * chart marks congestion by its threshold-raise, and bad
 * input (unknown province or office, no data, wrong schema) is refused.
 */
#include "unit.h"
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "histreport_csv.h"
#include "histreport_data.h"
#include "histreport_html.h"
#include "history_schema.h"

#define DAY 86400
/* 2026-11-01 00:00 in Asia/Ho_Chi_Minh (UTC+7, no DST). */
#define NOV1 (1793491200LL - 7 * 3600)
#define DEC1 (NOV1 + 30 * DAY)

static char dbpath[64], dir[64];

static void exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK, "%s: %s", sql, msg);
}

static void execf(sqlite3 *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void execf(sqlite3 *db, const char *fmt, ...)
{
	char sql[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	exec(db, sql);
}

static void offices(sqlite3 *db)
{
	exec(db, "INSERT INTO meta VALUES ('province_code','24'),"
	         "('province_name','Bắc Ninh'),('timezone','Asia/Ho_Chi_Minh');"
	         "INSERT INTO offices VALUES (1,'CBDTW','Cục Bưu điện Trung ương','central',"
	         " 'tier1','24',NULL,2,NULL,0),"
	         "(10,'BN-TU','Tỉnh ủy Bắc Ninh','province','tier1','24',NULL,2,999000,0),"
	         "(104,'X-DAP','UBND xã Đáp Cầu','commune','tier2','24','25882',1,NULL,0),"
	         "(9,'HN-X','Hà Nội office','province','tier2','01',NULL,1,NULL,0),"
	         "(11,'BN-SO','Sở TTTT Bắc Ninh','province','tier1','24',NULL,2,NULL,0);"
	         "INSERT INTO lines VALUES (10,1,'vnpt','VNPT-1',100000,'primary',0),"
	         "(10,2,'viettel','VT-2',50000,'backup',0),(104,1,'vnpt','VNPT-104',20000,"
	         " 'primary',0),(9,1,'vnpt','HN-1',1000,'primary',0),"
	         "(11,1,'vnpt','SO-1',100000,'primary',0),(11,2,'viettel','SO-2',50000,"
	         " 'backup',0);");
}

/* Office 10: 30 days, 1 h down on day 5, 2 h maintenance on day 10; its
 * state changes on the last day.  Office 104: only days 1..20, day 15 all
 * down.  Office 11: November all up (its backup line carried it).  Office 9
 * (another province) and days outside November too. */
static void office_days(sqlite3 *db)
{
	for (int d = 1; d <= 30; d++) {
		int down = d == 5 ? 3600 : 0, maint = d == 10 ? 7200 : 0;
		execf(db,
		      "INSERT INTO office_days VALUES (10,'2026-11-%02d',%d,%d,%d,0,'%s','%s',%s)",
		      d, DAY - down - maint, down, maint, d == 30 ? "compliant" : "nonCompliant",
		      d == 30 ? "ready" : "partial", d == 30 ? "NULL" : "'old'");
		if (d <= 20)
			execf(db,
			      "INSERT INTO office_days VALUES (104,'2026-11-%02d',%d,%d,0,0,"
			      "'compliant','notReady','no report')",
			      d, d == 15 ? 0 : DAY, d == 15 ? DAY : 0);
		for (int id = 9; id <= 11; id += 2)
			execf(
			    db,
			    "INSERT INTO office_days VALUES (%d,'2026-11-%02d',%d,0,0,0,NULL,NULL,"
			    "NULL)",
			    id, d, DAY);
	}
	exec(db, "INSERT INTO office_days VALUES (10,'2026-10-31',0,86400,0,0,NULL,NULL,NULL),"
	         "(10,'2026-12-01',0,86400,0,0,NULL,NULL,NULL)");
}

/* Line 10.1: 20 Mbit/s average in, 10 out, peak 50 (95 on day 7), p95 40
 * (60 on day 7); a month outside too.  Line 10.2 knows no counters. */
static void line_days(sqlite3 *db)
{
	for (int d = 1; d <= 30; d++)
		execf(db,
		      "INSERT INTO line_days VALUES (10,1,'2026-11-%02d',%d,0,0,0,0,NULL,NULL,NULL,"
		      "20000000,%d,%d,10000000,20000000,15000000,216000000000,108000000000)",
		      d, DAY, d == 7 ? 95000000 : 50000000, d == 7 ? 60000000 : 40000000);
	exec(db, "INSERT INTO line_days VALUES (10,1,'2026-10-31',86400,0,0,0,0,NULL,NULL,NULL,"
	         "99000000,99000000,99000000,99000000,99000000,99000000,1,1),"
	         "(10,2,'2026-11-01',86400,0,0,0,0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,"
	         "NULL,NULL)");
}

/* The office outages (line_id 0) the agent records with them: office 10
 * isolated once (both lines down on day 5), office 104 each time its one
 * line was down, office 11 never. */
static void office_outages(sqlite3 *db)
{
	execf(db,
	      "INSERT INTO outages VALUES (10,0,%lld,%lld,%lld,3600,'powerLoss',NULL,NULL,NULL,"
	      "NULL),(104,0,%lld,%lld,%lld,86400,'naturalDisaster',NULL,NULL,NULL,NULL),"
	      "(104,0,%lld,%lld,NULL,NULL,'powerLoss',NULL,NULL,NULL,NULL)",
	      NOV1 + 4 * DAY + 10 * 3600, NOV1 + 4 * DAY + 10 * 3600, NOV1 + 4 * DAY + 11 * 3600,
	      NOV1 + 14 * DAY, NOV1 + 14 * DAY, NOV1 + 15 * DAY, DEC1 - 3600, DEC1 - 3600);
}

static void outages(sqlite3 *db)
{
	/* 10.1 and 10.2 powerLoss together 1 h on day 5; 10.2 fiber cut from
	 * Oct 31 23:00 to Nov 1 01:30 (1.5 h inside, 10.1 carrying the office);
	 * 104.1 a natural disaster all day 15 and a power loss still open since
	 * Nov 30 23:00; one in October only; 11.1 a CPE fault of 2 h on day 10
	 * (11.2 carrying the office). */
	execf(
	    db,
	    "INSERT INTO outages VALUES (10,1,1,%lld,%lld,3600,'powerLoss','VNPT-123',0,NULL,NULL),"
	    "(10,2,1,%lld,%lld,9000,'fiberCut','VT-9',0,NULL,NULL),"
	    "(104,1,1,%lld,%lld,86400,'naturalDisaster',NULL,0,NULL,NULL),"
	    "(104,1,2,%lld,NULL,NULL,'powerLoss',NULL,0,NULL,NULL),"
	    "(10,1,0,%lld,%lld,600,'cpeFault',NULL,0,NULL,NULL),"
	    "(10,2,2,%lld,%lld,3600,'powerLoss',NULL,0,NULL,NULL),"
	    "(11,1,1,%lld,%lld,7200,'cpeFault',NULL,0,NULL,NULL)",
	    NOV1 + 4 * DAY + 10 * 3600, NOV1 + 4 * DAY + 11 * 3600, NOV1 - 3600, NOV1 + 5400,
	    NOV1 + 14 * DAY, NOV1 + 15 * DAY, DEC1 - 3600, NOV1 - 5 * DAY, NOV1 - 5 * DAY + 600,
	    NOV1 + 4 * DAY + 10 * 3600, NOV1 + 4 * DAY + 11 * 3600, NOV1 + 9 * DAY,
	    NOV1 + 9 * DAY + 7200);
	office_outages(db);
	execf(db,
	      "INSERT INTO reports VALUES (1,0,10,%lld,1,'ready',NULL),"
	      "(2,0,104,%lld,1,'ready',NULL),(3,0,104,%lld,0,'ready',NULL)",
	      DEC1 - 10 * DAY, NOV1 - 90 * DAY, DEC1 - DAY);
}

static void make_db(int version)
{
	sqlite3 *db;

	strcpy(dbpath, "/tmp/histreport-XXXXXX");
	int fd = mkstemp(dbpath);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	exec(db, "PRAGMA journal_mode=WAL");
	exec(db, HISTORY_SCHEMA_SQL);
	execf(db, "PRAGMA user_version=%d", version);
	exec(db, "BEGIN");
	offices(db);
	office_days(db);
	line_days(db);
	outages(db);
	exec(db, "COMMIT");
	sqlite3_close(db);
}

static void drop_db(void)
{
	char p[96];

	if (!dbpath[0])
		return;

	unlink(dbpath);
	snprintf(p, sizeof(p), "%s-wal", dbpath);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", dbpath);
	unlink(p);
}

static int load(const char *period, const char *province, const int64_t *ids, size_t n, int64_t now,
                struct histreport *r, char *err)
{
	struct histreport_query q = {.db = dbpath,
	                             .period = period,
	                             .province = province,
	                             .office_ids = ids,
	                             .noffice_ids = n,
	                             .now = now};
	return histreport_data_load(&q, r, err, 256);
}

static const struct histreport_office *office(const struct histreport *r, int64_t id)
{
	long i = histreport_data_find_office(r, id);
	ck_assert_int_ge(i, 0);
	return &r->offices[i];
}

/* Entries of the incident list of office id (line outages only). */
static unsigned incidents_of(const struct histreport *r, int64_t id)
{
	unsigned n = 0;

	for (size_t i = 0; i < r->noutages; i++) {
		ck_assert_int_gt(r->outages[i].line_id, 0);
		n += r->outages[i].office_id == id;
	}
	return n;
}

START_TEST(office_figures)
{
	struct histreport r;
	char err[256];

	make_db(HISTORY_SCHEMA_VERSION);
	ck_assert_msg(load("2026-11", "24", NULL, 0, DEC1 + DAY, &r, err) == 0, "%s", err);
	ck_assert_int_eq(r.noffices, 4); /* office 9 is in province 01 */
	ck_assert(!r.period.partial);
	ck_assert_int_eq(r.period_s, 30 * DAY);
	const struct histreport_office *o = office(&r, 10);
	ck_assert_int_eq(o->up_s, 30 * DAY - 10800);
	ck_assert_int_eq(o->down_s, 3600);
	ck_assert_int_eq(o->maint_s, 7200);
	ck_assert_int_eq(o->unknown_s, 0);
	ck_assert_int_eq(o->raw_ppm, 995833); /* 2581200 / 2592000 */
	ck_assert_int_eq(o->adj_ppm, 998607); /* 2581200 / 2584800 */
	ck_assert_int_eq(o->monitored_ppm, 1000000);
	ck_assert(o->below_sla); /* its target is 99.9 % */
	/* Two lines down together are one office outage; the fiber cut of its
	 * backup line, 10.1 carrying it, none. */
	ck_assert_int_eq(o->outages, 1);
	ck_assert_int_eq(o->downtime_s, 3600);
	ck_assert_int_eq(o->longest_s, 3600);
	ck_assert_int_eq(o->by_cause[1], 1);       /* powerLoss */
	ck_assert_int_eq(o->by_cause[2], 0);       /* fiberCut */
	ck_assert_int_eq(o->by_cause[3], 0);       /* the October cpeFault is out */
	ck_assert_int_eq(incidents_of(&r, 10), 3); /* the incident list stays per line */
	ck_assert_str_eq(o->redundancy, "compliant");
	ck_assert_str_eq(o->readiness, "ready");
	ck_assert_ptr_eq(o->readiness_reason, NULL);
	ck_assert(o->fresh);
	o = office(&r, 104);
	ck_assert_int_eq(o->unknown_s, 10 * DAY); /* days 21..30 have no rows */
	ck_assert_int_eq(o->monitored_ppm, 666667);
	ck_assert_int_eq(o->raw_ppm, 950000);
	ck_assert_int_eq(o->adj_ppm, 950000);
	ck_assert(o->below_sla);                     /* default target 99 % */
	ck_assert_int_eq(o->downtime_s, DAY + 3600); /* the open one runs to Dec 1 */
	ck_assert_int_eq(o->longest_s, DAY);
	ck_assert_int_eq(o->outages, 2); /* its one line's outages, at office level */
	ck_assert_int_eq(o->by_cause[6], 1);
	ck_assert(!o->fresh); /* its only accepted report is 120 days old */
	ck_assert_str_eq(o->readiness_reason, "no report");
	o = office(&r, 11); /* its backup line carried it */
	ck_assert_int_eq(o->adj_ppm, 1000000);
	ck_assert_int_eq(o->outages, 0);
	ck_assert_int_eq(o->downtime_s, 0);
	ck_assert_int_eq(o->longest_s, 0);
	ck_assert_int_eq(o->by_cause[3], 0);
	ck_assert_int_eq(incidents_of(&r, 11), 1);
	o = office(&r, 1);
	ck_assert_int_eq(o->adj_ppm, -1);
	ck_assert_int_eq(o->monitored_ppm, 0);
	/* The province summary: office 1 (no data) is not connected; the
	 * buckets hold 11 (100 %), 10 (99.86 %), 104 (95 %) and office 1. */
	ck_assert_uint_eq(r.sum.offices, 4);
	ck_assert_uint_eq(r.sum.connected, 3);
	static const unsigned dist[HISTREPORT_DIST_BUCKETS] = {1, 1, 0, 1, 0, 1};
	for (int b = 0; b < HISTREPORT_DIST_BUCKETS; b++)
		ck_assert_msg(r.sum.dist[b] == dist[b], "bucket %s: %u",
		              histreport_data_dist_names[b], r.sum.dist[b]);
	ck_assert_uint_eq(r.sum.below_sla, 2); /* 10 and 104 */
	ck_assert_uint_eq(r.sum.stale, 3);     /* 1 and 11 (no report), 104 (old) */
	histreport_data_free(&r);
	drop_db();
}
END_TEST

START_TEST(summary_and_traffic)
{
	struct histreport r;
	char err[256];

	make_db(HISTORY_SCHEMA_VERSION);
	ck_assert_msg(load("2026-Q4", NULL, NULL, 0, DEC1 + 40 * DAY, &r, err) == 0, "%s", err);
	ck_assert_int_eq(r.noffices, 5);
	/* Incidents are the lines' outages; the October cpeFault is in Q4. */
	ck_assert_int_eq(r.noutages, 7);
	ck_assert_int_eq(r.sum.cause_count[3], 2);
	ck_assert_int_eq(r.sum.cause_count[1], 3);
	/* The open power loss runs on to the end of December. */
	ck_assert_int_eq(r.sum.cause_s[1], 3 * 3600 + 31 * DAY);
	ck_assert_int_eq(r.sum.cause_count[6], 1); /* naturalDisaster */
	ck_assert_int_eq(r.sum.carrier_count[0], 5);
	ck_assert_int_eq(r.sum.carrier_s[0], 3600 + DAY + 3600 + 31 * DAY + 600 + 7200);
	ck_assert_int_eq(r.sum.carrier_count[1], 2);
	ck_assert_int_eq(r.sum.carrier_s[1], 9000 + 3600); /* the fiber cut, whole in Q4 */
	/* Office 9 and 11: 100 %, no outage of their own; office 1: no data. */
	ck_assert_int_eq(r.sum.nworst, 2);
	/* Office 10 was down all of Oct 31 and Dec 1: 93.6 % against 95 %. */
	ck_assert_int_eq(r.offices[r.sum.worst[0]].id, 10);
	ck_assert_int_eq(r.offices[r.sum.worst[1]].id, 104);
	long l = histreport_data_find_line(&r, 10, 1);
	ck_assert_int_ge(l, 0);
	/* October 31 and Nov 1..30 are in Q4: the Oct 31 day counts here. */
	ck_assert_int_eq(r.lines[l].t[HR_IN_PEAK], 99000000);
	ck_assert_int_eq(r.lines[l].t[HR_IN_BYTES], 30 * 216000000000LL + 1);
	ck_assert_int_eq(r.nusage, 3); /* 10.1 Oct, 10.1 Nov, 10.2 Nov */
	ck_assert_str_eq(r.usage[1].month, "2026-11");
	ck_assert_int_eq(r.usage[1].t[HR_IN_AVG], 20000000);
	ck_assert_int_eq(r.usage[1].t[HR_IN_PEAK], 95000000);
	ck_assert_int_eq(r.usage[1].t[HR_IN_P95], 60000000);
	ck_assert_int_eq(r.usage[2].t[HR_IN_AVG], -1); /* no counters: unknown, not 0 */
	ck_assert_int_eq(histreport_data_use_ppm(r.usage[1].t[HR_IN_AVG], 100000), 200000);
	histreport_data_free(&r);
	drop_db();
}
END_TEST

static char *slurp(const char *name)
{
	char path[128];
	static char buf[16384];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

START_TEST(csv_columns)
{
	struct histreport r;
	char err[256];

	make_db(HISTORY_SCHEMA_VERSION);
	ck_assert_msg(load("2026-11", "24", NULL, 0, DEC1 + DAY, &r, err) == 0, "%s", err);
	strcpy(dir, "/tmp/histreport-csv-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_msg(histreport_csv_write(&r, dir, err, sizeof(err)) == 0, "%s", err);
	char *s = slurp("offices.csv");
	ck_assert_msg(!strncmp(s, "\xEF\xBB\xBFoffice_id,code,name,", 22), "BOM and header");
	ck_assert_msg(strstr(s, "\n10,BN-TU,Tỉnh ủy Bắc Ninh,province,tier1,24,,2,2,2592000,"
	                        "2581200,3600,7200,0,995833,998607,1000000,999000,1,1,3600,3600,"
	                        "0,1,0,0,0,0,0,0,0,0,compliant,ready,,"),
	              "office 10 row in:\n%s", s);
	s = slurp("incidents.csv");
	ck_assert_msg(strstr(s, "\n10,BN-TU,2,viettel,2026-10-31T23:00:00+07:00,"
	                        "2026-11-01T01:30:00+07:00,5400,fiberCut,VT-9\n"),
	              "straddling outage clipped in:\n%s", s);
	ck_assert_msg(strstr(s, "\n104,X-DAP,1,vnpt,2026-11-30T23:00:00+07:00,,3600,powerLoss,\n"),
	              "open outage in:\n%s", s);
	ck_assert_msg(!strstr(s, "\n104,X-DAP,0,"), "office rows are no incidents:\n%s", s);
	s = slurp("usage.csv");
	ck_assert_msg(strstr(s, "\n2026-11,10,BN-TU,1,vnpt,100000,20000000,95000000,10000000,"
	                        "20000000,6480000000000,3240000000000,200000,950000,100000,"
	                        "200000\n"),
	              "usage row in:\n%s", s);
	s = slurp("summary.csv");
	ck_assert_msg(strstr(s, "\ncause_count,powerLoss,3\n"), "summary:\n%s", s);
	ck_assert_msg(strstr(s, "\npartial,,0\n"), "summary:\n%s", s);
	histreport_data_free(&r);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
	drop_db();
}
END_TEST

START_TEST(partial_period)
{
	struct histreport r;
	char err[256];

	make_db(HISTORY_SCHEMA_VERSION);
	int64_t now = NOV1 + 15 * DAY + 12 * 3600;
	ck_assert_msg(load("2026-11", NULL, NULL, 0, now, &r, err) == 0, "%s", err);
	ck_assert(r.period.partial);
	ck_assert_int_eq(r.period.until, now);
	ck_assert_int_eq(r.period_s, 15 * DAY + 12 * 3600);
	ck_assert_str_eq(r.period.through, "2026-11-16");
	/* Days 1..16 read, not the 14 future ones: 16 days of rows (the fixture's
	 * Nov 16 row is whole) over 15.5 days, capped at the whole. */
	const struct histreport_office *o = office(&r, 10);
	ck_assert_int_eq(o->down_s, 3600);
	ck_assert_int_eq(o->maint_s, 7200);
	ck_assert_int_eq(o->up_s, 16 * DAY - 10800);
	ck_assert_int_eq(o->raw_ppm, 1000000);
	ck_assert_int_eq(o->monitored_ppm, 1000000);
	histreport_data_free(&r);
	drop_db();
}
END_TEST

/* November, with meta key = value recorded by the agent (value NULL: none). */
static void load_with_meta(const char *key, const char *value, struct histreport *r)
{
	char err[256];
	sqlite3 *db;

	make_db(HISTORY_SCHEMA_VERSION);
	ck_assert_int_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	if (value)
		execf(db, "INSERT INTO meta VALUES ('%s','%s')", key, value);
	sqlite3_close(db);
	ck_assert_msg(load("2026-11", NULL, NULL, 0, DEC1 + DAY, r, err) == 0, "%s", err);
	drop_db();
}

/* Office 10's report is 10 days old at the end of November. */
static bool fresh_with_max_age(const char *days)
{
	struct histreport r;

	load_with_meta("readiness_max_age_days", days, &r);
	bool fresh = office(&r, 10)->fresh;
	histreport_data_free(&r);
	return fresh;
}

/* Freshness follows the max-age the agent applied (meta), not a constant. */
START_TEST(readiness_max_age)
{
	ck_assert(fresh_with_max_age(NULL)); /* no meta: the default 35 days */
	ck_assert(!fresh_with_max_age("7"));
	ck_assert(fresh_with_max_age("10"));
	ck_assert(!fresh_with_max_age("9"));
	ck_assert(fresh_with_max_age("x")); /* unreadable: the default */
}
END_TEST

/* Bars of the HTML's p95 chart drawn red: those at or above the threshold. */
static int red_p95_bars(const char *threshold_ppm)
{
	struct histreport r;
	char *html = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&html, &len);

	load_with_meta("congestion_raise_ppm", threshold_ppm, &r);
	ck_assert_int_eq(histreport_html_write(&r, HISTREPORT_EN, f), 0);
	fclose(f);
	histreport_data_free(&r);
	const char *chart = strstr(html, "id=\"chart-p95\"");
	ck_assert_ptr_nonnull(chart);
	const char *chart_end = strstr(chart, "</figure>");
	int red = 0;
	for (const char *p = chart; (p = strstr(p, "#c62828")) && p < chart_end; p++)
		red++;
	free(html);
	return red;
}

/* The chart marks congestion by the agent's threshold-raise (meta). */
START_TEST(congestion_threshold)
{
	ck_assert_int_eq(red_p95_bars(NULL), 2); /* default 90 %: 90-100 and above */
	ck_assert_int_eq(red_p95_bars("900000"), 2);
	ck_assert_int_eq(red_p95_bars("500000"), 6);  /* 50-60 % and up */
	ck_assert_int_eq(red_p95_bars("1000000"), 1); /* only above the contract */
}
END_TEST

static void refused(const char *period, const char *province, const int64_t *ids, size_t n,
                    const char *want)
{
	struct histreport r;
	char err[256] = "";

	ck_assert_int_eq(load(period, province, ids, n, DEC1 + DAY, &r, err), -1);
	ck_assert_msg(strstr(err, want) != NULL, "'%s' lacks '%s'", err, want);
	ck_assert_ptr_null(strchr(err, '\n'));
}

START_TEST(bad_input)
{
	static const int64_t unknown[] = {10, 555};

	make_db(HISTORY_SCHEMA_VERSION);
	refused("2026-13", NULL, NULL, 0, "bad period '2026-13'");
	refused("2026-Q5", NULL, NULL, 0, "bad period");
	refused("2026-02-29..2026-03-01", NULL, NULL, 0, "bad period");
	refused("2026-11-30..2026-11-01", NULL, NULL, 0, "ends before it begins");
	refused("2027-01", NULL, NULL, 0, "has not begun");
	refused("2026-11", "99", NULL, 0, "unknown province '99'");
	refused("2026-11", NULL, unknown, 2, "unknown office 555");
	refused("2025-01", NULL, NULL, 0, "no history for the period 2025-01");
	drop_db();
	make_db(HISTORY_SCHEMA_VERSION + 1);
	refused("2026-11", NULL, NULL, 0, "schema version");
	drop_db();
	strcpy(dbpath, "/nonexistent/history.db");
	refused("2026-11", NULL, NULL, 0, "/nonexistent/history.db");
}
END_TEST

START_TEST(periods)
{
	struct histreport_period p;
	char err[128];

	ck_assert_int_eq(histreport_period_parse("2024-Q1", &p, err, sizeof(err)), 0);
	ck_assert_str_eq(p.first, "2024-01-01");
	ck_assert_str_eq(p.last, "2024-03-31");
	ck_assert_int_eq(histreport_period_parse("2024-02", &p, err, sizeof(err)), 0);
	ck_assert_str_eq(p.last, "2024-02-29"); /* leap year */
	ck_assert_int_eq(histreport_period_parse("2026-11-03..2026-11-03", &p, err, sizeof(err)),
	                 0);
	ck_assert_str_eq(p.first, p.last);
	ck_assert_int_eq(histreport_period_parse("2026-1", &p, err, sizeof(err)), -1);
	ck_assert_int_eq(histreport_period_parse("", &p, err, sizeof(err)), -1);
	ck_assert_int_eq(histreport_period_parse("2026-11-01..", &p, err, sizeof(err)), -1);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("histreport");
	TCase *tc = tcase_create("core");

	/* The fixture goes even when a check fails (the test stops there). */
	tcase_add_checked_fixture(tc, NULL, drop_db);
	tcase_add_test(tc, office_figures);
	tcase_add_test(tc, summary_and_traffic);
	tcase_add_test(tc, csv_columns);
	tcase_add_test(tc, partial_period);
	tcase_add_test(tc, readiness_max_age);
	tcase_add_test(tc, congestion_threshold);
	tcase_add_test(tc, bad_input);
	tcase_add_test(tc, periods);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
