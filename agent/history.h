/*
 * history: the long record in STATE_DIR/history.db (SQLite, WAL), written
 * by one writer thread so the event loop never waits on the disk.
 *
 * Contract
 *  - history_put_*() copy a row into a bounded queue and return at once;
 *    call them from the loop only.  The writer thread takes up to
 *    HISTORY_BATCH rows and writes them in one transaction; it never calls
 *    Net-SNMP and touches nothing but the queue, its own connection and
 *    the status (under the mutex).
 *  - Every write is an idempotent upsert: an outage is keyed by (office,
 *    line, start), a day by (office, line, day) and carries the day's
 *    totals, a notification by its sequence number.  Writing a row twice
 *    (a retry, a restart, kill -9) changes nothing.  The one deletion,
 *    history_put_orphans(), is idempotent too.
 *  - Faults (disk full, database locked, corrupt, read-only, a symlink or
 *    anything else) are logged with the file name once per episode, shown
 *    by history_status() and retried every HISTORY_RETRY_S seconds with
 *    the same batch, so nothing is lost while the queue has room.
 *  - The queue's bound is there to cap memory while the database fails,
 *    not to drop a normal burst: the config rows of a start or reload (one
 *    per office and line, the orphan rows of a start as many again) and
 *    the day rows after midnight (two per office and line) come at once,
 *    faster than the writer takes them.  history_queue_bound() sets it
 *    from the config at start and at every load: HISTORY_QUEUE_PER_ITEM
 *    rows per office and line (two days of day rows and the config rows;
 *    a start's config and orphan rows) plus HISTORY_QUEUE_MIN headroom (outages, notifications,
 * reports); before that call it is HISTORY_QUEUE_MIN.  The ring of row pointers grows on demand
 * (doubling, under the mutex) up to the bound and is given back when it drains above a lowered
 * bound, so a small config never pays for a big one's bound.  A full queue refuses the new row and
 * counts it in `dropped` (logged once per episode); a row already queued is never dropped, not even
 * when a reload lowers the bound.
 *  - A database that is not SQLite or is malformed when opened is renamed
 *    to history.db.corrupt-YYYYMMDDTHHMMSS (kept, never deleted) and a new
 *    one is created.  A symlink is refused (O_NOFOLLOW), never followed.
 *  - Schema: history_schema.h; the database layer is history_db.h.
 *  - Retention: rows older than `retention_days` are pruned by the writer
 *    thread in steps of HISTORY_PRUNE_STEP rows, one transaction each,
 *    between batches, so a reader is never blocked for long.
 */
#ifndef TSLCD_HISTORY_H
#define TSLCD_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define HISTORY_FILE           "history.db"
#define HISTORY_QUEUE_MIN      65536u /* the queue's bound, at least; headroom */
#define HISTORY_QUEUE_PER_ITEM 3u     /* rows of bound per office and per line */
#define HISTORY_BATCH          2000u  /* rows per transaction */
#define HISTORY_PRUNE_STEP     500    /* rows per pruning transaction */
#define HISTORY_RETRY_S        2u     /* after a failed batch */
#define HISTORY_BUSY_MS        200    /* SQLite busy timeout: retry, never block */

/* MIB TslcdHistoryResult: do not renumber. */
enum history_result {
	HISTORY_OK = 1,
	HISTORY_DISK_FULL = 2,
	HISTORY_LOCKED = 3,
	HISTORY_CORRUPT = 4,
	HISTORY_READ_ONLY = 5,
	HISTORY_ERROR = 6,
};

struct history_status {
	time_t last_write; /* last committed batch, 0 = none yet */
	uint8_t result;    /* enum history_result of the last attempt; 0 = none */
	uint32_t pending;  /* rows queued or in the batch being written */
	uint64_t written;  /* rows committed */
	uint64_t dropped;  /* rows refused because the queue was full */
	uint32_t bound;    /* the queue's bound (history_queue_bound) */
	uint64_t failures; /* attempts to open or write that failed */
	char message[160]; /* the last error, "" when fine */
};

/* Short text fields are copied; longer ones are cut. */
#define HISTORY_TEXT_MAX 255

struct history_outage {
	uint32_t office, line, index;
	int64_t start, end; /* end 0: still open */
	const char *cause;  /* MIB name */
	const char *ticket; /* "" = none */
	uint32_t last_rtt_us, loss_ppm;
	uint32_t node; /* the upstream node that was down, 0: none (NULL) */
};

/* A day's totals; has_* false stores NULL (not known). */
struct history_day {
	uint32_t office, line; /* line 0: office_days */
	int32_t day;           /* local days since 1970-01-01 */
	uint32_t up_s, degraded_s, down_s, maint_s, unknown_s;
	bool has_rtt, has_loss, has_bw;
	uint32_t rtt_avg_us, rtt_max_us, loss_ppm;
	uint64_t avg_bps[2], peak_bps[2], p95_bps[2], bytes[2]; /* [BW_IN], [BW_OUT] */
	const char *redundancy, *readiness, *readiness_reason;  /* offices; NULL = unknown */
};

struct history_notification {
	uint32_t seq;
	int64_t time;
	const char *type; /* alarm type name */
	bool raise;
	uint32_t office, line;
	const char *severity;
	int32_t value, threshold;
	const char *text;
};

struct history_report {
	int64_t time, report_time; /* report_time 0: not known */
	uint32_t office;           /* 0: not known */
	bool accepted;
	const char *state, *reason;
};

struct history_office {
	uint32_t id, required_lines, sla_target_ppm;
	const char *code, *name, *level, *tier, *province, *commune;
};

struct history_line {
	uint32_t office, id, kbps;
	const char *carrier, *circuit, *role;
};

struct history_params {
	const char *dir;         /* state directory */
	unsigned retention_days; /* rows older than this are pruned; 0 = keep all */
};

/* Start the writer thread on dir/history.db (opened by the thread).
 * Returns the highest notification seq in the database (0 if none or
 * unreadable within the busy timeout), so sequence numbers carry on. */
uint32_t history_start(const struct history_params *p);
/* Config reload: the directory or the retention may change. */
void history_reconfigure(const struct history_params *p);
/* Write what is queued, then stop the thread (waiting at most timeout_ms;
 * with the database failing, what is left is counted as dropped). */
void history_stop(unsigned timeout_ms);

void history_put_meta(const char *key, const char *value);

/* Rows built ahead, off the loop (a reload's thread: 233,000 office and
 * line rows at 100k offices), then queued on it in one go: the loop pays
 * neither their copies nor a lock per row.  A row the batch has no room
 * for is counted as dropped when the batch is put. */
struct history_batch;
struct history_batch *history_batch_new(void);
void history_batch_office(struct history_batch *b, const struct history_office *o, int64_t now);
void history_batch_line(struct history_batch *b, const struct history_line *l, int64_t now);
/* Queue b's rows in order (as history_put_* would).  The rows a full
 * queue refused (counted as dropped) stay in b, so that the caller can
 * free them where it suits: 170,000 rows take 50 ms to free. */
void history_batch_put(struct history_batch *b);
/* Free b and the rows still in it; NULL does nothing, as for put. */
void history_batch_free(struct history_batch *b);
void history_put_office(const struct history_office *o, int64_t now);
void history_put_line(const struct history_line *l, int64_t now);
void history_put_outage(const struct history_outage *o);
/* Office outages (line 0) are opened with history_put_outage(); the
 * office's open one is closed at end, and the cause of its rows that start
 * in [from, to] (to 0: no bound) is derived again from its lines' rows (the
 * rule is in history_schema.h). */
void history_put_office_outage_close(uint32_t office, int64_t end);
void history_put_office_outage_cause(uint32_t office, int64_t from, int64_t to);
void history_put_day(const struct history_day *d);
void history_put_notification(const struct history_notification *n);
void history_put_report(const struct history_report *r);
void history_put_config_load(int64_t time, const char *fingerprint, bool ok, const char *message);
/* At start: the line's open outages other than the one that began at
 * open_start (0: none is open) are removed.  They were opened after the
 * last state save and the agent was then killed: the restored state, the
 * source of every total, never knew them, and left open they would count
 * as downtime to the end of any report. */
void history_put_orphans(uint32_t office, uint32_t line, int64_t open_start);

/* The queue's bound for a config of offices and lines (see the contract);
 * call it before queueing that config's rows. */
void history_queue_bound(size_t offices, size_t lines);
void history_status(struct history_status *out);
const char *history_result_name(unsigned r);

#endif
