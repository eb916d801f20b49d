/* Unit tests for history: rows in through the writer thread and read back
 * with the sqlite3 API, migration of an older database, pruning in steps,
 * a corrupt file set aside, a symlink refused. */
#include "unit.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dayacct.h"
#include "history.h"
#include "history_db.h"
#include "history_schema.h"

static char dir[] = "/tmp/tslcd-history-XXXXXX";
static char path[256];

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(strcpy(dir, "/tmp/tslcd-history-XXXXXX")));
	snprintf(path, sizeof(path), "%s/" HISTORY_FILE, dir);
}

static void teardown(void)
{
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* The test's own connection waits for the writer thread (which may be
 * opening the database or writing a batch at that moment, the more so on a
 * loaded machine) instead of failing at once with SQLITE_BUSY. */
static sqlite3 *open_db(void)
{
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_busy_timeout(db, 10000), SQLITE_OK);
	return db;
}

/* The first column of the first row of sql, as an integer (-1: no row/NULL). */
static int64_t query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
	              sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void start(void)
{
	struct history_params p = {.dir = dir, .retention_days = 400};
	history_start(&p);
}

/* Recent times: rows older than the retention would be pruned at once. */
START_TEST(test_rows_round_trip)
{
	int64_t t0 = (int64_t)time(NULL) - 3600;
	struct history_outage o = {.office = 12,
	                           .line = 2,
	                           .index = 3,
	                           .start = t0,
	                           .end = 0,
	                           .cause = "unknown",
	                           .ticket = "",
	                           .last_rtt_us = 850,
	                           .loss_ppm = 1000000};
	struct history_day d = {.office = 12,
	                        .line = 2,
	                        .day = dayacct_local_day(t0),
	                        .up_s = 80000,
	                        .down_s = 6400,
	                        .has_rtt = true,
	                        .rtt_avg_us = 900,
	                        .rtt_max_us = 4000};
	struct history_notification n = {.seq = 7,
	                                 .time = t0 + 100,
	                                 .type = "lineDown",
	                                 .raise = true,
	                                 .office = 12,
	                                 .line = 2,
	                                 .severity = "major"};
	struct history_status st;

	start();
	history_put_outage(&o);
	o.end = t0 + 600;
	o.cause = "powerLoss";
	o.ticket = "OMC-1";
	history_put_outage(&o); /* the same outage closed: one row */
	history_put_day(&d);
	d.down_s = 6500;
	history_put_day(&d); /* totals, not increments */
	history_put_notification(&n);
	history_put_config_load(t0, "abcd", true, NULL);
	history_put_meta("province_code", "24");
	history_stop(5000);
	history_status(&st);
	ck_assert_uint_eq(st.written, 7);
	ck_assert_uint_eq(st.dropped, 0);
	ck_assert_uint_eq(st.pending, 0);
	ck_assert_uint_eq(st.result, HISTORY_OK);

	sqlite3 *db = open_db();
	ck_assert_int_eq(query_int(db, "PRAGMA user_version"), HISTORY_SCHEMA_VERSION);
	ck_assert_int_eq(query_int(db, "SELECT count(*) FROM outages"), 1);
	ck_assert_int_eq(query_int(db, "SELECT duration FROM outages WHERE cause = 'powerLoss'"
	                               " AND ticket = 'OMC-1' AND outage_idx = 3"),
	                 600);
	ck_assert_int_eq(
	    query_int(
	        db, "SELECT down_s FROM line_days WHERE day = date('now', '-1 hour', 'localtime')"),
	    6500);
	ck_assert_int_eq(query_int(db, "SELECT loss_ppm FROM line_days"), -1); /* not known */
	ck_assert_int_eq(query_int(db, "SELECT seq FROM notifications WHERE \"raise\" = 1"), 7);
	ck_assert_int_eq(query_int(db, "SELECT ok FROM config_loads WHERE fingerprint = 'abcd'"),
	                 1);
	ck_assert_int_eq(query_int(db, "SELECT count(*) FROM meta WHERE value = '24'"), 1);
	ck_assert_str_eq((const char *)sqlite3_db_filename(db, "main"), path);
	ck_assert_int_eq(query_int(db, "SELECT count(*) FROM pragma_journal_mode"
	                               " WHERE journal_mode = 'wal'"),
	                 1);
	sqlite3_close(db);
	/* The next start carries the notification sequence on. */
	struct history_params p = {.dir = dir};
	ck_assert_uint_eq(history_start(&p), 7);
	history_stop(1000);
}
END_TEST

/* A database of before versioning (user_version 0): some tables missing,
 * line_days without the bandwidth columns.  It is brought forward in place
 * and keeps its rows. */
START_TEST(test_migrate_version_0)
{
	sqlite3 *db = open_db();
	char err[256] = "";
	struct history_db h;
	int result = 0;

	ck_assert_int_eq(
	    sqlite3_exec(db,
	                 "CREATE TABLE line_days (office_id INTEGER, line_id INTEGER, day TEXT,"
	                 " up_s INTEGER, down_s INTEGER, PRIMARY KEY (office_id, line_id, day));"
	                 "INSERT INTO line_days VALUES (1, 1, '2026-01-01', 86000, 400);"
	                 "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);",
	                 NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);

	ck_assert_msg(history_db_open(&h, path, err, sizeof(err), &result) == 0, "%s", err);
	history_db_close(&h);
	db = open_db();
	ck_assert_int_eq(query_int(db, "PRAGMA user_version"), HISTORY_SCHEMA_VERSION);
	ck_assert_int_eq(query_int(db, "SELECT down_s FROM line_days WHERE day = '2026-01-01'"),
	                 400);
	ck_assert_int_eq(query_int(db, "SELECT count(*) FROM pragma_table_info('line_days')"
	                               " WHERE name IN ('in_p95_bps', 'out_bytes', 'unknown_s')"),
	                 3);
	ck_assert_int_eq(query_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
	                               " AND name IN ('outages', 'office_days', 'notifications',"
	                               " 'reports', 'config_loads', 'offices', 'lines')"),
	                 7);
	sqlite3_close(db);
}
END_TEST

/* A layout that lacks a key column cannot be brought forward: refused
 * with the file named, nothing changed. */
START_TEST(test_migrate_refuses_unknown_layout)
{
	sqlite3 *db = open_db();
	char err[512] = "";
	struct history_db h;
	int result = 0;

	ck_assert_int_eq(
	    sqlite3_exec(db, "CREATE TABLE outages (office_id INTEGER, x TEXT)", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	ck_assert_int_eq(history_db_open(&h, path, err, sizeof(err), &result), -1);
	ck_assert_ptr_nonnull(strstr(err, path));
	ck_assert_ptr_nonnull(strstr(err, "outages"));
	db = open_db();
	ck_assert_int_eq(query_int(db, "PRAGMA user_version"), 0);
	sqlite3_close(db);
}
END_TEST

/* Another process holds the write lock while the schema must be made:
 * the open fails as locked(3), the state the MIB and the retry expect,
 * not error(6). */
START_TEST(test_open_locked_reads_locked)
{
	sqlite3 *db = open_db();
	char err[512] = "";
	struct history_db h;
	int result = 0;

	ck_assert_int_eq(sqlite3_exec(db,
	                              "PRAGMA journal_mode = WAL; BEGIN IMMEDIATE;"
	                              " CREATE TABLE other (x INTEGER)",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	ck_assert_int_eq(history_db_open(&h, path, err, sizeof(err), &result), -1);
	ck_assert_int_eq(result, HISTORY_LOCKED);
	ck_assert_ptr_nonnull(strstr(err, path));
	ck_assert_int_eq(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	ck_assert_msg(history_db_open(&h, path, err, sizeof(err), &result) == 0, "%s", err);
	history_db_close(&h);
}
END_TEST

START_TEST(test_prune_in_steps)
{
	char err[256] = "";
	struct history_db h;
	int result = 0, n, steps = 0, total = 0;

	ck_assert_msg(history_db_open(&h, path, err, sizeof(err), &result) == 0, "%s", err);
	ck_assert_int_eq(
	    sqlite3_exec(
	        h.db,
	        "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k"
	        " WHERE i < 1200) INSERT INTO notifications (seq, time, type)"
	        " SELECT i, 1000 + i, 'lineDown' FROM k;"
	        "INSERT INTO notifications (seq, time, type) VALUES (5000, 99999, 'new');"
	        "INSERT INTO line_days (office_id, line_id, day) VALUES (1, 1, '1969-12-30'),"
	        " (1, 1, '2000-01-01');",
	        NULL, NULL, NULL),
	    SQLITE_OK);
	while ((n = history_db_prune_step(h.db, 50000)) > 0) {
		ck_assert_int_le(n, HISTORY_PRUNE_STEP);
		total += n;
		steps++;
	}
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(total, 1201);
	ck_assert_int_eq(steps, 4); /* 500 + 500 + 200 notifications, 1 day */
	ck_assert_int_eq(query_int(h.db, "SELECT count(*) FROM notifications"), 1);
	ck_assert_int_eq(query_int(h.db, "SELECT count(*) FROM line_days"), 1);
	history_db_close(&h);
}
END_TEST

/* The writer thread prunes by the retention it is given: a notification
 * older than it goes after the batch that brought it, a recent one stays. */
START_TEST(test_thread_prunes_by_retention)
{
	int64_t now = (int64_t)time(NULL);
	struct history_notification n = {.type = "lineDown", .raise = true, .office = 1};
	struct history_params p = {.dir = dir, .retention_days = 3};

	history_start(&p);
	n.seq = 1;
	n.time = now - 4 * 86400;
	history_put_notification(&n);
	n.seq = 2;
	n.time = now - 2 * 86400;
	history_put_notification(&n);
	history_stop(5000);
	sqlite3 *db = open_db();
	ck_assert_int_eq(query_int(db, "SELECT group_concat(seq) FROM notifications"), 2);
	sqlite3_close(db);
}
END_TEST

static bool corrupt_copy_exists(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool found = false;

	while (d && (e = readdir(d)))
		found |= !strncmp(e->d_name, HISTORY_FILE ".corrupt-", strlen(HISTORY_FILE) + 9);
	if (d)
		closedir(d);
	return found;
}

START_TEST(test_corrupt_set_aside)
{
	FILE *f = fopen(path, "w");
	struct history_status st;

	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < 512; i++)
		fputs("this is not a database ", f);
	fclose(f);
	start();
	history_put_config_load(time(NULL), "ff", true, NULL);
	history_stop(5000);
	history_status(&st);
	ck_assert(corrupt_copy_exists());
	sqlite3 *db = open_db();
	ck_assert_int_eq(query_int(db, "SELECT count(*) FROM config_loads"), 1);
	sqlite3_close(db);
}
END_TEST

START_TEST(test_symlink_refused)
{
	char target[300];
	struct history_status st;

	snprintf(target, sizeof(target), "%s/elsewhere", dir);
	ck_assert_int_eq(symlink(target, path), 0);
	start();
	history_put_config_load(1, "ff", true, NULL);
	usleep(300 * 1000);
	history_status(&st);
	ck_assert_uint_eq(st.result, HISTORY_ERROR);
	ck_assert_ptr_nonnull(strstr(st.message, path));
	ck_assert_ptr_nonnull(strstr(st.message, "symbolic link"));
	ck_assert_uint_eq(st.pending, 1); /* kept, not lost */
	history_stop(1000);
	ck_assert_int_eq(access(target, F_OK), -1); /* nothing written through it */
}
END_TEST

/* The writer cannot write (a symlink): rows wait up to the queue's size
 * plus the batch in hand; beyond that each refused row is counted. */
START_TEST(test_queue_full_counts)
{
	char target[300];
	struct history_status st;
	const unsigned total = HISTORY_QUEUE_MIN + HISTORY_BATCH + 100;

	snprintf(target, sizeof(target), "%s/elsewhere", dir);
	ck_assert_int_eq(symlink(target, path), 0);
	start();
	usleep(100 * 1000); /* the writer has taken its (empty) first look */
	for (unsigned i = 0; i < total; i++)
		history_put_meta("k", "v");
	history_status(&st);
	ck_assert_uint_ge(st.dropped, 100);
	ck_assert_uint_eq(st.dropped + st.pending, total);
	history_stop(1000);
	history_status(&st);
	ck_assert_uint_eq(st.pending, 0);
	ck_assert_uint_eq(st.dropped, total); /* nothing could be written: all counted */
}
END_TEST

/* A batch built ahead (a reload's config rows) is written like rows put
 * one by one; a full queue refuses the rest, which are counted and stay
 * in the batch for its owner to free. */
START_TEST(test_batch_rows_written)
{
	struct history_batch *b = history_batch_new();
	struct history_status st;
	int64_t now = (int64_t)time(NULL);

	ck_assert_ptr_nonnull(b);
	for (uint32_t id = 1; id <= 3; id++) {
		struct history_office o = {.id = id, .code = "HN", .name = "Ha Noi"};
		history_batch_office(b, &o, now);
		struct history_line l = {.office = id, .id = 1, .kbps = 2000, .circuit = "C1"};
		history_batch_line(b, &l, now);
	}
	start();
	history_batch_put(b);
	history_batch_free(b);
	history_stop(5000);
	history_status(&st);
	ck_assert_uint_eq(st.written, 6);
	ck_assert_uint_eq(st.dropped, 0);
	sqlite3 *db = open_db();
	ck_assert_int_eq(query_int(db, "SELECT count(*) FROM offices"), 3);
	ck_assert_int_eq(query_int(db, "SELECT count(*) FROM lines WHERE kbps = 2000"), 3);
	sqlite3_close(db);
}
END_TEST

START_TEST(test_batch_queue_full_counts)
{
	char target[300];
	struct history_status st;
	const unsigned total = HISTORY_QUEUE_MIN + HISTORY_BATCH + 100;
	struct history_batch *b = history_batch_new();

	ck_assert_ptr_nonnull(b);
	for (unsigned i = 0; i < total; i++)
		history_batch_office(b, &(struct history_office){.id = i + 1, .code = "x"}, 0);
	snprintf(target, sizeof(target), "%s/elsewhere", dir);
	ck_assert_int_eq(symlink(target, path), 0);
	start();
	usleep(100 * 1000); /* the writer has taken its (empty) first look */
	history_batch_put(b);
	history_status(&st);
	ck_assert_uint_ge(st.dropped, 100);
	ck_assert_uint_eq(st.dropped + st.pending, total);
	history_batch_free(b); /* the refused rows */
	history_stop(1000);
	history_status(&st);
	ck_assert_uint_eq(st.dropped, total);
}
END_TEST

/* Another connection holds the write lock: the writer's batches fail
 * (locked) and wait, as with a database another process has locked. */
static sqlite3 *lock_db(void)
{
	sqlite3 *db = open_db();

	ck_assert_int_eq(
	    sqlite3_exec(db, "PRAGMA journal_mode=WAL; BEGIN EXCLUSIVE", NULL, NULL, NULL),
	    SQLITE_OK);
	return db;
}

static void unlock_db(sqlite3 *db)
{
	ck_assert_int_eq(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void wait_drained(void)
{
	struct history_status st;

	for (int i = 0; i < 6000; i++) { /* a failed batch is retried after 2 s */
		history_status(&st);
		if (!st.pending)
			return;
		usleep(10 * 1000);
	}
	ck_abort_msg("the writer did not drain the queue");
}

/* The writer has tried and failed (the lock): it holds its batch. */
static void wait_failed(void)
{
	struct history_status st;

	for (int i = 0; i < 3000; i++) {
		history_status(&st);
		if (st.failures)
			return;
		usleep(10 * 1000);
	}
	ck_abort_msg("the writer has not failed: result %u", st.result);
}

/* The reload bench's config (100,001 offices, 133,334 lines): its config
 * rows come in one burst while the database is locked.  The bound follows
 * the config: none is dropped, and every office is in the database once
 * the lock goes. */
START_TEST(test_bound_follows_config)
{
	const uint32_t offices = 100001, lines = 133334;
	struct history_batch *b = history_batch_new();
	struct history_status st;
	int64_t now = (int64_t)time(NULL);

	ck_assert_ptr_nonnull(b);
	for (uint32_t id = 1, line = 0; id <= offices; id++) {
		history_batch_office(b, &(struct history_office){.id = id, .code = "x"}, now);
		for (uint32_t j = 1; j <= (id % 3 ? 1u : 2u) && line < lines; j++, line++)
			history_batch_line(b, &(struct history_line){.office = id, .id = j}, now);
	}
	sqlite3 *lock = lock_db();
	start();
	history_queue_bound(offices, lines);
	history_batch_put(b);
	history_batch_free(b);
	wait_failed();
	history_status(&st);
	ck_assert_uint_eq(st.dropped, 0);
	ck_assert_uint_eq(st.pending, offices + lines);
	ck_assert_uint_eq(st.bound, HISTORY_QUEUE_MIN + 3u * (offices + lines));
	unlock_db(lock);
	wait_drained();
	history_stop(5000);
	history_status(&st);
	ck_assert_uint_eq(st.dropped, 0);
	ck_assert_uint_eq(st.written, offices + lines);
	sqlite3 *db = open_db();
	ck_assert_int_eq(query_int(db, "SELECT count(*) FROM offices"), offices);
	ck_assert_int_eq(query_int(db, "SELECT count(*) FROM lines"), lines);
	sqlite3_close(db);
}
END_TEST

/* The ring grows while it has wrapped (the writer took rows from its
 * front): the rows still come out once each and in the order put, so the
 * last value of a key is the last one put. */
START_TEST(test_ring_grows_in_order)
{
	const unsigned first = 1500, burst = 100000;
	struct history_status st;
	char v[16];

	start();
	history_queue_bound(burst, 0);
	for (unsigned i = 0; i < first; i++)
		history_put_meta("k", "first");
	wait_drained(); /* the ring's head is past its start now */
	sqlite3 *lock = lock_db();
	for (unsigned i = 0; i < burst; i++) {
		snprintf(v, sizeof(v), "%u", i);
		history_put_meta("k", v);
		history_put_meta(i % 2 ? "odd" : "even", v);
	}
	wait_failed();
	history_status(&st);
	ck_assert_uint_eq(st.dropped, 0);
	unlock_db(lock);
	wait_drained();
	history_stop(5000);
	history_status(&st);
	ck_assert_uint_eq(st.dropped, 0);
	ck_assert_uint_eq(st.written, first + 2 * burst);
	sqlite3 *db = open_db();
	ck_assert_int_eq(query_int(db, "SELECT value FROM meta WHERE key = 'k'"), burst - 1);
	ck_assert_int_eq(query_int(db, "SELECT value FROM meta WHERE key = 'odd'"), burst - 1);
	ck_assert_int_eq(query_int(db, "SELECT value FROM meta WHERE key = 'even'"), burst - 2);
	sqlite3_close(db);
}
END_TEST

/* A reload to a smaller config lowers the bound below what is queued:
 * the queued rows stay, new ones are refused until the writer catches up. */
START_TEST(test_lower_bound_keeps_queued)
{
	char target[300];
	struct history_status st;
	const unsigned total = HISTORY_QUEUE_MIN + 10000;

	snprintf(target, sizeof(target), "%s/elsewhere", dir);
	ck_assert_int_eq(symlink(target, path), 0);
	start();
	history_queue_bound(10000, 0);
	for (unsigned i = 0; i < total; i++)
		history_put_meta("k", "v");
	history_status(&st);
	ck_assert_uint_eq(st.dropped, 0);
	ck_assert_uint_eq(st.pending, total);
	history_queue_bound(1, 1);
	history_put_meta("k", "refused");
	history_status(&st);
	ck_assert_uint_eq(st.bound, HISTORY_QUEUE_MIN + 6);
	ck_assert_uint_eq(st.dropped, 1);
	ck_assert_uint_eq(st.pending, total); /* none of the queued rows went */
	history_stop(1000);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("history");
	TCase *tc = tcase_create("history");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 90);
	tcase_add_test(tc, test_rows_round_trip);
	tcase_add_test(tc, test_migrate_version_0);
	tcase_add_test(tc, test_migrate_refuses_unknown_layout);
	tcase_add_test(tc, test_open_locked_reads_locked);
	tcase_add_test(tc, test_prune_in_steps);
	tcase_add_test(tc, test_thread_prunes_by_retention);
	tcase_add_test(tc, test_corrupt_set_aside);
	tcase_add_test(tc, test_symlink_refused);
	tcase_add_test(tc, test_queue_full_counts);
	tcase_add_test(tc, test_batch_rows_written);
	tcase_add_test(tc, test_batch_queue_full_counts);
	tcase_add_test(tc, test_bound_follows_config);
	tcase_add_test(tc, test_ring_grows_in_order);
	tcase_add_test(tc, test_lower_bound_keeps_queued);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
