/* history_db: the database layer of history.db (see history_db.h). */
#include "history_db.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "history.h"
#include "history_schema.h"

#define DAY_S 86400

/* Statement text by enum history_stmt; every one is an upsert or append,
 * but for the removal of open outages a restart found orphaned. */
static const char *const stmt_sql[HSTMT_COUNT] = {
    [HSTMT_META] = "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
    [HSTMT_OFFICE] = "INSERT OR REPLACE INTO offices (office_id, code, name, level, tier,"
                     " province, commune, required_lines, sla_target_ppm, updated)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [HSTMT_LINE] = "INSERT OR REPLACE INTO lines (office_id, line_id, carrier, circuit, kbps,"
                   " role, updated) VALUES (?, ?, ?, ?, ?, ?, ?)",
    [HSTMT_OUTAGE] = "INSERT OR REPLACE INTO outages (office_id, line_id, outage_idx, start, end,"
                     " duration, cause, ticket, node_id, last_rtt_us, last_loss_ppm)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [HSTMT_LINE_DAY] = "INSERT OR REPLACE INTO line_days (office_id, line_id, day, up_s,"
                       " degraded_s, down_s, maint_s, unknown_s, rtt_avg_us, rtt_max_us,"
                       " loss_ppm, in_avg_bps, in_peak_bps, in_p95_bps, out_avg_bps,"
                       " out_peak_bps, out_p95_bps, in_bytes, out_bytes)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [HSTMT_OFFICE_DAY] = "INSERT OR REPLACE INTO office_days (office_id, day, up_s, down_s,"
                         " maint_s, unknown_s, redundancy, readiness, readiness_reason)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [HSTMT_NOTIFICATION] = "INSERT OR REPLACE INTO notifications (seq, time, type, raise,"
                           " office_id, line_id, severity, value, threshold, text)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [HSTMT_REPORT] = "INSERT INTO reports (time, office_id, report_time, accepted, state,"
                     " reason) VALUES (?, ?, ?, ?, ?, ?)",
    [HSTMT_CONFIG_LOAD] = "INSERT INTO config_loads (time, fingerprint, ok, message)"
                          " VALUES (?, ?, ?, ?)",
    /* NULL start kept: no outage of the line is open any more. */
    [HSTMT_OUTAGE_ORPHANS] = "DELETE FROM outages WHERE office_id = ? AND line_id = ?"
                             " AND end IS NULL AND start IS NOT ?",
    /* The office row knows not its start when the office is restored: the
     * open one is closed (at start, histfeed leaves at most one open). */
    [HSTMT_OFFICE_OUTAGE_CLOSE] = "UPDATE outages SET end = ?2, duration = ?2 - start"
                                  " WHERE office_id = ?1 AND line_id = 0 AND end IS NULL",
    /* The rule of history_schema.h: an office outage's cause is the one its
     * isolating line outages (those open at its start) share, else unknown;
     * for the office rows that start in [?2, ?3] (?3 NULL: no end). */
    [HSTMT_OFFICE_OUTAGE_CAUSE] =
        "UPDATE outages SET cause = COALESCE((SELECT CASE WHEN COUNT(DISTINCT l.cause) = 1"
        " THEN MIN(l.cause) END FROM outages AS l WHERE l.office_id = outages.office_id"
        " AND l.line_id > 0 AND l.start <= outages.start"
        " AND (l.end IS NULL OR l.end > outages.start)), 'unknown')"
        " WHERE office_id = ?1 AND line_id = 0 AND start >= ?2"
        " AND (?3 IS NULL OR start <= ?3)",
};

int history_db_result_of(sqlite3 *db, int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return HISTORY_OK;
	case SQLITE_FULL:
		return HISTORY_DISK_FULL;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return HISTORY_LOCKED;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return HISTORY_CORRUPT;
	case SQLITE_READONLY:
	case SQLITE_PERM:
		return HISTORY_READ_ONLY;
	default:
		/* I/O errors: the system errno says whether the disk is full. */
		if (db && sqlite3_system_errno(db) == ENOSPC)
			return HISTORY_DISK_FULL;
		if (db && (sqlite3_system_errno(db) == EROFS || sqlite3_system_errno(db) == EACCES))
			return HISTORY_READ_ONLY;
		return HISTORY_ERROR;
	}
}

static int fail(sqlite3 *db, int rc, const char *path, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: %s: %s", path, what,
	         db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	return history_db_result_of(db, rc);
}

/* ---- schema ---- */

static int exec(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
	}
	return rc;
}

static int user_version(sqlite3 *db, int *v)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);

	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*v = sqlite3_column_int(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Is column col in table tbl of db (main schema)?  -1 if the table is missing. */
static int has_column(sqlite3 *db, const char *tbl, const char *col)
{
	char sql[160];
	sqlite3_stmt *st;
	int found = -1;

	snprintf(sql, sizeof(sql), "PRAGMA main.table_info(\"%s\")", tbl);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		found = found < 0 ? 0 : found;
		if (!strcmp((const char *)sqlite3_column_text(st, 1), col))
			found = 1;
	}
	sqlite3_finalize(st);
	return found;
}

/* Add to db the columns of canon's table tbl that an older layout lacks.
 * A missing key column cannot be added: that layout is refused. */
static int add_missing_columns(sqlite3 *db, sqlite3 *canon, const char *tbl, char *err,
                               size_t errlen)
{
	char sql[256];
	sqlite3_stmt *st;
	int rc = SQLITE_OK;

	snprintf(sql, sizeof(sql), "PRAGMA table_info(\"%s\")", tbl);
	if (sqlite3_prepare_v2(canon, sql, -1, &st, NULL) != SQLITE_OK)
		return SQLITE_ERROR;
	while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		const char *col = (const char *)sqlite3_column_text(st, 1);
		const char *type = (const char *)sqlite3_column_text(st, 2);
		int have = has_column(db, tbl, col);

		if (have != 0)
			continue; /* present, or the whole table is missing */
		if (sqlite3_column_int(st, 5)) {
			snprintf(err, errlen, "table %s lacks key column %s (unknown older layout)",
			         tbl, col);
			rc = SQLITE_ERROR;
			break;
		}
		snprintf(sql, sizeof(sql), "ALTER TABLE \"%s\" ADD COLUMN \"%s\" %s", tbl, col,
		         type);
		rc = exec(db, sql, err, errlen);
	}
	sqlite3_finalize(st);
	return rc;
}

/* The canonical layout comes from HISTORY_SCHEMA_SQL itself, built in
 * memory, so the migration cannot drift from the schema header. */
static int bring_tables_forward(sqlite3 *db, char *err, size_t errlen)
{
	sqlite3 *canon;
	sqlite3_stmt *st;
	int rc = sqlite3_open(":memory:", &canon);

	if (rc == SQLITE_OK)
		rc = exec(canon, HISTORY_SCHEMA_SQL, err, errlen);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(
		    canon, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
			rc = add_missing_columns(
			    db, canon, (const char *)sqlite3_column_text(st, 0), err, errlen);
		sqlite3_finalize(st);
	}
	sqlite3_close(canon);
	if (rc == SQLITE_OK)
		rc = exec(db, HISTORY_SCHEMA_SQL, err, errlen); /* missing tables and indexes */
	return rc;
}

int history_db_migrate(sqlite3 *db, char *err, size_t errlen)
{
	int v = 0;
	char sql[64];
	int rc = user_version(db, &v);

	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "reading user_version: %s", sqlite3_errmsg(db));
		return rc;
	}
	if (v == HISTORY_SCHEMA_VERSION)
		return SQLITE_OK;
	if (v > HISTORY_SCHEMA_VERSION || v < 0) {
		snprintf(err, errlen, "schema version %d is newer than this agent's (%d)", v,
		         HISTORY_SCHEMA_VERSION);
		return SQLITE_ERROR;
	}
	/* Version 0: before versioning, some tables or columns may be missing.
	 * Later versions add their steps here, each from the one before. */
	rc = exec(db, "BEGIN IMMEDIATE", err, errlen);
	if (rc == SQLITE_OK)
		rc = bring_tables_forward(db, err, errlen);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", HISTORY_SCHEMA_VERSION);
	if (rc == SQLITE_OK)
		rc = exec(db, sql, err, errlen);
	if (rc == SQLITE_OK)
		rc = exec(db, "COMMIT", err, errlen);
	/* The failing step's code is returned, not the ROLLBACK's ("no
	 * transaction" after a BEGIN that was busy): a database locked by
	 * another process reads locked(3), not error(6). */
	if (rc != SQLITE_OK)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* ---- open and close ---- */

static int prepare_all(struct history_db *h)
{
	for (int i = 0; i < HSTMT_COUNT; i++) {
		int rc = sqlite3_prepare_v3(h->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
		                            &h->stmt[i], NULL);
		if (rc != SQLITE_OK)
			return rc;
	}
	return SQLITE_OK;
}

int history_db_open(struct history_db *h, const char *path, char *err, size_t errlen, int *result)
{
	char why[200] = "";
	int rc;

	memset(h, 0, sizeof(*h));
	snprintf(h->path, sizeof(h->path), "%s", path);
	/* NOFOLLOW: a symlink planted in the state dir is refused, not written through. */
	rc = sqlite3_open_v2(path, &h->db,
	                     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW |
	                         SQLITE_OPEN_NOMUTEX,
	                     NULL);
	/* SQLite falls back to a read-only connection when the file or its
	 * directory cannot be written (EROFS, EACCES): refused, so the writer
	 * opens again once the fault ends instead of failing every batch. */
	if (rc == SQLITE_OK && sqlite3_db_readonly(h->db, "main") == 1) {
		rc = SQLITE_READONLY;
		snprintf(why, sizeof(why),
		         "cannot be opened for writing (read-only file or directory)");
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_busy_timeout(h->db, HISTORY_BUSY_MS);
	/* WAL: readers (tslcdctl report) never block the writer, nor it them. */
	if (rc == SQLITE_OK)
		rc = exec(h->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL", why,
		          sizeof(why));
	/* Keep -wal and -shm when the agent stops: a report run by someone who
	 * may read the state dir but not write it (group tslcd) can open a WAL
	 * database read-only only while both files exist.  The size limit
	 * empties the kept -wal at close, so no stale frame outlives a stop
	 * (a history.db restored from a copy never meets an old -wal's pages). */
	int persist = 1;
	if (rc == SQLITE_OK)
		rc = sqlite3_file_control(h->db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
	if (rc == SQLITE_OK)
		rc = exec(h->db, "PRAGMA journal_size_limit = 4194304", why, sizeof(why));
	if (rc == SQLITE_OK)
		rc = history_db_migrate(h->db, why, sizeof(why));
	if (rc == SQLITE_OK)
		rc = prepare_all(h);
	if (rc == SQLITE_OK)
		return 0;
	if (why[0])
		snprintf(err, errlen, "%s: %s", path, why);
	else
		fail(h->db, rc, path, "open", err, errlen);
	*result = history_db_result_of(h->db, rc);
	history_db_close(h);
	return -1;
}

void history_db_close(struct history_db *h)
{
	for (int i = 0; i < HSTMT_COUNT; i++) {
		sqlite3_finalize(h->stmt[i]);
		h->stmt[i] = NULL;
	}
	if (h->db)
		sqlite3_close(h->db);
	h->db = NULL;
}

/* ---- writing ---- */

static int bind_row(sqlite3_stmt *st, const struct hrow *r)
{
	int rc = SQLITE_OK;

	for (int i = 0; i < r->n && rc == SQLITE_OK; i++) {
		const struct hval *v = &r->v[i];
		if (v->type == HVAL_INT)
			rc = sqlite3_bind_int64(st, i + 1, v->i);
		else if (v->type == HVAL_TEXT)
			rc = sqlite3_bind_text(st, i + 1, v->s, -1, SQLITE_STATIC);
		else
			rc = sqlite3_bind_null(st, i + 1);
	}
	return rc;
}

static int write_row(struct history_db *h, const struct hrow *r)
{
	sqlite3_stmt *st = h->stmt[r->stmt];
	int rc = bind_row(st, r);

	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int history_db_write(struct history_db *h, struct hrow *const *rows, size_t n, char *err,
                     size_t errlen, int *result)
{
	int rc = sqlite3_exec(h->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);

	for (size_t i = 0; i < n && rc == SQLITE_OK; i++)
		rc = write_row(h, rows[i]);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		return 0;
	*result = fail(h->db, rc, h->path, "write", err, errlen);
	if (!sqlite3_get_autocommit(h->db))
		sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* ---- retention ---- */

void history_db_day_text(int32_t day, char *buf, size_t len)
{
	time_t t = (time_t)day * DAY_S;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d", &tm);
}

int history_db_prune_step(sqlite3 *db, int64_t cutoff)
{
	static const char *const tables[][2] = {
	    {"outages", "start < ?1 AND end IS NOT NULL"},
	    {"line_days", "day < ?2"},
	    {"office_days", "day < ?2"},
	    {"notifications", "time < ?1"},
	    {"reports", "time < ?1"},
	    {"config_loads", "time < ?1"},
	};
	char day[16], sql[256];

	/* The UTC day: no time zone lookup in the writer thread (the loop may
	 * change TZ on a reload); a day either way in 400 does not matter. */
	history_db_day_text((int32_t)(cutoff / DAY_S), day, sizeof(day));
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		sqlite3_stmt *st;
		snprintf(sql, sizeof(sql),
		         "DELETE FROM %s WHERE rowid IN (SELECT rowid FROM %s WHERE %s LIMIT %d)",
		         tables[i][0], tables[i][0], tables[i][1], HISTORY_PRUNE_STEP);
		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
			return -1;
		sqlite3_bind_int64(st, 1, cutoff);
		sqlite3_bind_text(st, 2, day, -1, SQLITE_TRANSIENT);
		int rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return -1;
		if (sqlite3_changes(db) > 0)
			return sqlite3_changes(db);
	}
	return 0;
}

uint32_t history_db_last_seq(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	uint32_t seq = 0;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW, NULL) ==
	    SQLITE_OK) {
		sqlite3_busy_timeout(db, HISTORY_BUSY_MS);
		if (sqlite3_prepare_v2(db, "SELECT max(seq) FROM notifications", -1, &st, NULL) ==
		    SQLITE_OK) {
			if (sqlite3_step(st) == SQLITE_ROW)
				seq = (uint32_t)sqlite3_column_int64(st, 0);
			sqlite3_finalize(st);
		}
	}
	sqlite3_close(db);
	return seq;
}
