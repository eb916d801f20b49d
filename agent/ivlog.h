/*
 * ivlog: closed measurement intervals (interval.h) in their own
 * append-only file, STATE_DIR/intervals.log; the state file (store.h)
 * keeps only each line's running interval.
 *
 * Why: a closed interval never changes, yet the state file rewrote all 96
 * of every line at each save (25 MB at 10,000 lines: a 40 MB file, saves
 * of 180-340 ms, a 40 MB save buffer kept resident).  Each record is now
 * written once, by the first save after its interval closes.
 *
 * Format (integers little-endian):
 *   header  "TSLCDIV\0" (8) | u32 version
 *   frame   u32 "IVFR" | u32 length | payload[length] |
 *           SHA-256 of the frame's bytes before it (32)
 *   payload u16 len_s | i32 first | i32 last (interval numbers covered) |
 *           u32 entries | entry...
 *   entry   u32 office | u32 line | i32 newest | u8 n |
 *           n records (INTERVAL_REC_BYTES) numbered newest-n+1..newest
 * Frames are appended in ascending order; a number may come twice (a save
 * whose state file failed after its append): the later copy wins.
 *
 * Contract:
 *  - ivlog_load(), at start on the fresh model before the state file is
 *    read, rebuilds the rings of configured lines of the same length.
 *    The file is hostile input (the directory may be writable by others).
 *    A torn last frame (a crash during an append: short, or its checksum
 *    wrong, or zeros) is cut off, and only it is lost.  Anything else (a
 *    symlink, not a regular file, another owner, over 1 GiB, a bad header,
 *    a damaged frame before the last, a good checksum around values no
 *    agent writes) refuses the whole file: every ring is emptied again, the
 *    file is renamed aside (statefile.h), and the reason says where.
 *  - Encoding runs with the state file's, on the loop: ivlog_enc_line()
 *    takes the records a line closed since the last append.
 *  - ivlog_append() writes one frame and fsyncs it, or leaves the file as
 *    it was.  When the file covers more than 2 * INTERVAL_KEEP intervals
 *    it is compacted (the newest INTERVAL_KEEP intervals' frames are
 *    copied to a new file renamed over it).
 *  - One log per process, as there is one state directory: what was
 *    appended last is module state, written by ivlog_load() and
 *    ivlog_append() and read by ivlog_enc_line().  The saver never runs
 *    these at once (one save at a time), so no lock.
 */
#ifndef TSLCD_IVLOG_H
#define TSLCD_IVLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "model.h"

#define IVLOG_FILE    "intervals.log"
#define IVLOG_VERSION 1u

/* Frames hold at most this much payload, so a reader never needs more
 * (a save with more to append writes several frames at once). */
#define IVLOG_FRAME_TARGET (1u << 20)

/* The frames of one append being encoded. */
struct ivlog_enc {
	uint8_t *p;
	size_t len, cap;
	bool oom;
	bool started;
	uint16_t len_s;      /* of the records in it */
	int32_t after;       /* records newer than this go in */
	int32_t logged;      /* all lines' records up to this are in */
	int32_t lowest;      /* the oldest number in any frame */
	size_t frame;        /* where the frame being filled starts */
	int32_t first, last; /* the numbers its entries cover */
	uint32_t entries;    /* in it */
	uint32_t total;      /* in all frames */
};

enum ivlog_status {
	IVLOG_LOADED,  /* read (a torn last frame may have been cut) */
	IVLOG_MISSING, /* no file */
	IVLOG_REFUSED, /* rejected, moved aside (or not), rings left empty */
};

struct ivlog_load_info {
	enum ivlog_status status;
	size_t frames, records; /* read; records restored into lines */
	size_t torn_bytes;      /* cut off the end */
	char reason[160];
	char moved_to[512];
};

/* Restore the rings of m's lines from dir/intervals.log, judging times
 * against now. */
enum ivlog_status ivlog_load(struct model *m, const char *dir, time_t now,
                             struct ivlog_load_info *info);

void ivlog_enc_begin(struct ivlog_enc *e);
void ivlog_enc_line(struct ivlog_enc *e, uint32_t office, uint32_t line,
                    const struct interval_line *v);
void ivlog_enc_free(struct ivlog_enc *e);

/* Append e's frame (none when it holds no record) to dir/intervals.log,
 * compacting when due; 0, or -1 with the reason (naming the file) in err. */
int ivlog_append(struct ivlog_enc *e, const char *dir, char *err, size_t errlen);

#endif
