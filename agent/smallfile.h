/*
 * smallfile: a bounded read of a regular file named by the config or a
 * report (the config itself, keys, CA bundles).
 *
 * Why: open(2) of a FIFO blocks until a writer appears and a device such
 * as /dev/zero never ends, so a path that is not a plain file would hang
 * the loop.  Contract: smallfile_read() opens non-blocking, refuses
 * anything but a regular file and anything over max bytes, and returns the
 * contents NUL-terminated (caller frees) with their length; or false with
 * *buf NULL and a short reason ("not a regular file", "too large (over N
 * bytes)", strerror) in reason.  flags adds open(2) flags (O_NOFOLLOW).
 * smallfile_read_fd() is the same on a file the caller opened (the spool
 * opens relative to its directory fd); it leaves fd open.
 */
#ifndef TSLCD_SMALLFILE_H
#define TSLCD_SMALLFILE_H

#include <stdbool.h>
#include <stddef.h>

bool smallfile_read(const char *path, int flags, size_t max, char **buf, size_t *len, char *reason,
                    size_t reasonlen);
bool smallfile_read_fd(int fd, size_t max, char **buf, size_t *len, char *reason, size_t reasonlen);

#endif
