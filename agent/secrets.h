/*
 * secrets: files that hold SNMP communities, SNMPv3 keys or private keys
 * must be private to their owner.
 *
 * Contract: secrets_file_private() succeeds only for a regular file that
 * neither its group nor others may read or write, owned by root or by
 * agent_uid, the user the agent runs as once it has dropped root
 * (privilege_run_uid()), so that one file passes both at start (as root)
 * and on reload (as that user), and nobody else can rewrite it.  Otherwise it
 * returns false with why = "PATH holds secrets but ...: chmod 600 PATH ..."
 * (one line, ready to log or report at the offending config line).  It does
 * no logging and no override: callers decide (`--allow-readable-secrets`
 * makes the config loader warn instead of refusing).
 */
#ifndef TSLCD_SECRETS_H
#define TSLCD_SECRETS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

bool secrets_file_private(const char *path, uid_t agent_uid, char *why, size_t whylen);

/* The same check on an open file, avoiding a race with a rename. */
bool secrets_fd_private(int fd, const char *path, uid_t agent_uid, char *why, size_t whylen);

#endif
