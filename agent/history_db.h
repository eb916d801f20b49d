/*
 * history_db: the database layer of the history (history.h), no threads.
 *
 * Contract: open history.db safely (no symlink followed, WAL, a short busy
 * timeout so a locked database fails fast and the caller retries), bring
 * an older schema forward, write a batch of rows in one transaction, and
 * prune old rows in small steps.  Rows are statement + values, built by
 * history.c; every statement is an idempotent upsert or an append.
 * Errors name the file and map to enum history_result.
 */
#ifndef TSLCD_HISTORY_DB_H
#define TSLCD_HISTORY_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

enum history_stmt {
	HSTMT_META,
	HSTMT_OFFICE,
	HSTMT_LINE,
	HSTMT_OUTAGE,
	HSTMT_LINE_DAY,
	HSTMT_OFFICE_DAY,
	HSTMT_NOTIFICATION,
	HSTMT_REPORT,
	HSTMT_CONFIG_LOAD,
	HSTMT_OUTAGE_ORPHANS,
	HSTMT_OFFICE_OUTAGE_CLOSE,
	HSTMT_OFFICE_OUTAGE_CAUSE,
	HSTMT_COUNT,
};

enum hval_type { HVAL_NULL, HVAL_INT, HVAL_TEXT };

struct hval {
	uint8_t type;
	int64_t i;
	char *s; /* owned by the row */
};

/* One row to write: the statement's parameters in order. */
struct hrow {
	uint8_t stmt; /* enum history_stmt */
	uint8_t n;
	struct hval v[];
};

struct history_db {
	sqlite3 *db;
	sqlite3_stmt *stmt[HSTMT_COUNT];
	char path[4096];
};

/* Open (creating) path: 0, or -1 with the reason in err and the result
 * (enum history_result) in *result. */
int history_db_open(struct history_db *h, const char *path, char *err, size_t errlen, int *result);
void history_db_close(struct history_db *h);
/* Bring the schema to HISTORY_SCHEMA_VERSION: SQLITE_OK, or the SQLite
 * result code of the step that failed (SQLITE_BUSY: another process holds
 * the write lock), with the reason in err. */
int history_db_migrate(sqlite3 *db, char *err, size_t errlen);
/* rows[0..n) in one transaction: 0, or -1 with err/result (rolled back). */
int history_db_write(struct history_db *h, struct hrow *const *rows, size_t n, char *err,
                     size_t errlen, int *result);
/* At most HISTORY_PRUNE_STEP rows older than cutoff (Unix seconds) in one
 * transaction: the number deleted (0: nothing left), -1 on error. */
int history_db_prune_step(sqlite3 *db, int64_t cutoff);
/* Highest notification seq in path, 0 if none or unreadable. */
uint32_t history_db_last_seq(const char *path);
/* "YYYY-MM-DD" of a local day number (days since 1970-01-01); len >= 11. */
void history_db_day_text(int32_t day, char *buf, size_t len);
/* Map an SQLite result (and errno) to enum history_result. */
int history_db_result_of(sqlite3 *db, int rc);

#endif
