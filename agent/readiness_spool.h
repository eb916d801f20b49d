/*
 * readiness_spool: the directory offices drop signed readiness reports into.
 *
 * Contract: a report is complete when both REPORT and REPORT.sig exist in
 * the spool directory; names starting with '.' or ending in .tmp, .part,
 * .swp or ~ are someone's temp files and are left alone (write there, then
 * rename, .sig last).  Each complete pair is read (regular files only,
 * never through a symbolic link, size-limited) and its bytes go to the
 * handler once.  Accepted: exactly those bytes are written to new files of
 * the agent's own in accepted/ and the uploaded files are removed, so the
 * uploader can change nothing a restart restores.  Rejected: the files are
 * moved, never deleted, to rejected/ with a .reason file beside it.  Both
 * under "YYYYMMDDTHHMMSS[-N]-NAME" so resubmissions never collide.
 * Anything else in the spool (a symbolic link, a FIFO, a directory, a
 * device) and a report still without its .sig (or a .sig without its
 * report) sig_wait seconds after it arrived are rejected the same way, and
 * the handler hears of every rejection.  Names in messages and .reason
 * files are escaped (log_escape).
 *
 * The spool must belong to the agent's user, and when others may write to
 * it, have the sticky bit (so an uploader cannot rename or replace
 * accepted/, rejected/ or another's files); readiness_spool_start() refuses it
 * otherwise.  accepted/ and rejected/ are opened relative to the spool
 * without following links and must be the agent's own and writable by no
 * one else; anything else of that name is moved aside (".NAME-unsafe-STAMP")
 * and a new directory made, checked on every scan.  Changes are noticed
 * through inotify at once, and by a rescan every rescan_s seconds; a large
 * directory is read in batches, each continuing where the last stopped.
 * Loop thread only.
 */
#ifndef TSLCD_READINESS_SPOOL_H
#define TSLCD_READINESS_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One report as the handler sees it. */
struct readiness_spool_item {
	const char *name; /* escaped, for messages only */
	const char *body; /* NUL-terminated; NULL when it could not be read */
	size_t blen;
	const uint8_t *sig; /* NULL when absent or unreadable */
	size_t slen;
	const char *refused; /* non-NULL: the spool rejects it for this reason */
};

/* true: accepted; false: rejected, with a one-line reason written to
 * reason.  When item->refused is set the verdict is made already: the
 * handler only counts and logs it (body, if any, says who it claims to be
 * from). */
typedef bool (*readiness_spool_handle_fn)(void *ctx, const struct readiness_spool_item *item,
                                          char *reason, size_t reasonlen);

enum readiness_spool_role { READINESS_SPOOL_IGNORE, READINESS_SPOOL_REPORT, READINESS_SPOOL_SIG };

/* How the spool treats a directory entry of this name. */
enum readiness_spool_role readiness_spool_role(const char *name);

int readiness_spool_start(const char *dir, unsigned rescan_s, unsigned sig_wait_s,
                          readiness_spool_handle_fn fn, void *ctx);
void readiness_spool_stop(void);
/* Look at the directory now (also what the timers call). */
void readiness_spool_scan(void);
/* Each report in accepted/ that is the agent's own file with its .sig, to
 * fn (refused NULL); returns how many fn took.  After readiness_spool_start(). */
unsigned readiness_spool_each_accepted(readiness_spool_handle_fn fn, void *ctx);

#endif
