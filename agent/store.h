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
 * configured are dropped and counted.  A file that fails any check (magic,
 * version, checksum, framing, a value out of range) is renamed aside to
 * state.bin.corrupt-YYYYMMDDTHHMMSS and the model is left untouched.
 *
 * The periodic save runs in a fork()ed child that encodes its copy-on-write
 * snapshot and _exit()s; it never touches Net-SNMP or the loop.  The parent
 * learns the result through a pipe watched by the loop, and publishes it in
 * agent_status (mib.h).  At most one save runs at a time.
 */
#ifndef TSLCD_STORE_H
#define TSLCD_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "model.h"

#define STORE_FILE    "state.bin"
#define STORE_VERSION 1u

/* Record types: never renumber or reuse. */
enum store_rec {
	STORE_REC_OFFICE = 1,
	STORE_REC_LINE = 2,
	STORE_REC_BANDWIDTH = 3, /* a line's bandwidth state (bandwidth.h), after its line */
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
	char reason[128];                      /* why it was rejected */
	char moved_to[512];                    /* where a corrupt file went */
};

/* Write the state file synchronously; 0 on success, else -1 with the
 * reason in err.  The previous file stays intact on failure. */
int store_save(const struct model *m, const char *dir, time_t now, char *err, size_t errlen);

/* Restore dir/state.bin into a freshly created model (no logging). */
enum store_load_status store_load(struct model *m, const char *dir, struct store_load_info *info);

/* store_load() plus the log lines an operator needs; used by main. */
void store_restore(struct model *m);

/* Start periodic background saves of *mp (re-read at each save, so a
 * config reload may replace the model, the directory or the interval). */
void store_start(struct model **mp);
/* Stop the timer, abandon a running background save, save synchronously. */
void store_stop(void);

#endif
