/*
 * store: the crash-safe state file (history, outages, availability).
 *
 * Contract: STATE_DIR/state.bin holds the model's state; it is always either
 * the previous complete file or the new complete file (temp file in the same
 * directory, fsync, rename, fsync of the directory).
 *
 * Format (all integers little-endian, fixed width, no struct dumps):
 *   header   "TSLCDST\0" (8) | u32 version | i64 written_at
 *   records  u32 type | u32 length | payload[length], any number, any order
 *   trailer  SHA-256 of everything before it (32)
 * Record types (STORE_REC_*) are append-only: a reader skips types it does
 * not know, and ignores bytes past the end of a known record's payload, so
 * later engines add record types or fields without breaking old readers.
 * A new version number is only for changes old readers must refuse.
 *
 * Loading matches offices and lines by id; records of ids no longer
 * configured are dropped and counted.  The file is hostile input (the
 * directory may be writable by others): it is opened O_NONBLOCK, and must
 * be a regular file of at most 1 GiB, through a symlink only if the agent
 * or root owns the link; every value is range-checked (times no later than
 * a day after the file was written, periods likewise, enums, lengths).  A
 * file that fails any check (kind, magic, version, checksum, framing, a
 * value out of range) is renamed aside to state.bin.corrupt-YYYYMMDDTHHMMSS
 * with a reason naming the record and the field, and the model is left
 * untouched.
 *
 * Record 7 holds only the running interval of a line (count 0): closed
 * intervals go once to intervals.log (ivlog.h), which is read before this
 * file.  A file whose record 7 still holds closed records (written before
 * the log existed) loads them as well, and the first save logs them.
 *
 * Saving is split so saver.c can encode on the loop in slices and write
 * from a thread: store_enc_*() build the bytes, ivlog_append() then
 * store_write_file() frame and write them (they touch nothing but their
 * arguments and the log's own state).
 */
#ifndef TSLCD_STORE_H
#define TSLCD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "alarm.h"
#include "ivlog.h"
#include "model.h"

#define STORE_FILE    "state.bin"
#define STORE_VERSION 1u

/* Record types: never renumber or reuse. */
enum store_rec {
	STORE_REC_OFFICE = 1,
	STORE_REC_LINE = 2,
	STORE_REC_BANDWIDTH = 3, /* a line's bandwidth state (bandwidth.h), after its line */
	STORE_REC_ALARM = 4,     /* an active alarm (alarm.h), after every line */
	STORE_REC_DAYS = 5,      /* day totals (dayacct.h) of a line, or of an office (line 0) */
	STORE_REC_AGENT = 6,     /* agent-wide: the last notification sequence number */
	STORE_REC_INTERVALS = 7, /* a line's measurement intervals (interval.h) */
	STORE_REC_SHELF = 8,     /* an operator's shelf of alarms (alarm_shelf.h) */
	STORE_REC_NOTELOG = 9,   /* a notification log entry (alarmlog.h), oldest first */
	STORE_REC_CLEARED = 10,  /* a cleared alarm (alarmlog.h), oldest first */
};

enum store_load_status {
	STORE_LOADED,  /* state restored */
	STORE_MISSING, /* no file: first start */
	STORE_CORRUPT, /* rejected and moved aside (or could not be moved) */
	STORE_IOERROR, /* could not be read; left where it is */
};

struct store_load_info {
	time_t written_at;
	size_t offices, lines;                 /* restored */
	size_t dropped_offices, dropped_lines; /* ids no longer configured */
	size_t skipped_records;                /* unknown types */
	uint32_t notify_seq;                   /* last notification seq saved, 0 = none */
	char reason[128];                      /* why it was rejected */
	char moved_to[512];                    /* where a corrupt file went */
	/* The alarms active when the file was written, ids kept, seq 0 (not
	 * announced by this run); the caller takes them (notify_restore()) or
	 * frees them.  Empty unless STORE_LOADED. */
	struct alarm_set alarms;
	struct ivlog_load_info iv; /* the closed intervals' file (ivlog.h), read first */
};

struct store_buf {
	uint8_t *p;
	size_t len, cap;
	bool oom;
};

/* A cursor over the model's offices and lines. */
struct store_encoder {
	struct store_buf b;
	size_t office, line;
	size_t lines;         /* encoded so far */
	struct ivlog_enc log; /* closed intervals not yet in intervals.log */
};

/* Start an encoding stamped with now, sized for size_hint bytes (0: grow),
 * in reuse's memory (whose contents are dropped; {0} for fresh memory). */
void store_enc_begin(struct store_encoder *e, struct store_buf reuse, time_t now, size_t size_hint);
/* Encode up to max_lines more lines of m (with their offices); true when
 * the whole model is in.  m may change between steps, not during one. */
bool store_enc_step(struct store_encoder *e, const struct model *m, size_t max_lines);
/* The encoding's memory other than b (which the saver keeps). */
void store_enc_free_log(struct store_encoder *e);
/* Then the active alarms (NULL: none), so a restart can judge each again. */
void store_enc_alarms(struct store_encoder *e, const struct alarm_set *alarms);
/* Frame b (adding its SHA-256) into dir/state.bin crash-safely; 0, or -1
 * with the reason in err.  Thread-safe. */
int store_write_file(const struct store_buf *b, const char *dir, char *err, size_t errlen);
/* Make room for cap bytes in all (false when out of memory). */
bool store_buf_reserve(struct store_buf *b, size_t cap);
void store_buf_free(struct store_buf *b);

/* Write the state file synchronously (after appending the newly closed
 * intervals to intervals.log); 0 on success, else -1 with the reason in
 * err.  The previous file stays intact on failure. */
int store_save(const struct model *m, const struct alarm_set *alarms, const char *dir, time_t now,
               char *err, size_t errlen);

/* Restore dir/state.bin into a freshly created model (no logging). */
enum store_load_status store_load(struct model *m, const char *dir, struct store_load_info *info);

/* store_load() plus the log lines an operator needs; used by main.  The
 * restored alarms go to *alarms (the caller owns them). */
void store_restore(struct model *m, struct alarm_set *alarms);

#endif
