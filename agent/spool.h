/*
 * spool: the directory offices drop signed readiness reports into.
 *
 * Contract: a report is complete when both REPORT and REPORT.sig exist in
 * the spool directory; names starting with '.' or ending in .tmp, .part,
 * .swp or ~ are someone's temp files and are left alone (write there, then
 * rename, .sig last).  Each complete pair goes to the handler once, then is
 * moved, never deleted: to accepted/ or to rejected/ with a .reason file
 * beside it, under "YYYYMMDDTHHMMSS-NAME" so resubmissions never collide.
 * A report still without its .sig (or a .sig without its report) after
 * sig_wait seconds is rejected as unsigned.  Changes are noticed through
 * inotify at once, and by a rescan every rescan_s seconds in case inotify
 * is unavailable or missed something.  Loop thread only.
 */
#ifndef TSLCD_SPOOL_H
#define TSLCD_SPOOL_H

#include <stdbool.h>
#include <stddef.h>

/* true: accepted; false: rejected, with a one-line reason written to
 * reason.  reasonlen 0: the spool itself rejected the file (unsigned) for
 * the reason given; the handler only counts and logs it. */
typedef bool (*spool_handle_fn)(void *ctx, const char *path, const char *name, char *reason,
                                size_t reasonlen);

enum spool_role { SPOOL_IGNORE, SPOOL_REPORT, SPOOL_SIG };

/* How the spool treats a directory entry of this name. */
enum spool_role spool_role(const char *name);

int spool_start(const char *dir, unsigned rescan_s, unsigned sig_wait_s, spool_handle_fn fn,
                void *ctx);
void spool_stop(void);
/* Look at the directory now (also what the timers call). */
void spool_scan(void);

#endif
