/*
 * statefile: file-system steps shared by the files of the state directory
 * (state.bin, intervals.log).
 *
 * Contract: statefile_fsync_dir() makes a rename or a create in dir
 * durable (0 or an errno value).  statefile_move_aside() renames
 * dir/name to dir/name.corrupt-YYYYMMDDTHHMMSS (-N when taken), never
 * over an earlier one, so the evidence of a rejected file is kept; where
 * it went, or "(not moved: reason)", goes to moved_to.  Thread-safe.
 */
#ifndef TSLCD_STATEFILE_H
#define TSLCD_STATEFILE_H

#include <stddef.h>

int statefile_fsync_dir(const char *dir);
void statefile_move_aside(const char *dir, const char *name, char *moved_to, size_t len);

#endif
