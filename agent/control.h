/*
 * control: the local control socket that tslcdctl talks to.
 *
 * Contract: a unix stream socket (mode 0660, so access follows the file's
 * owner and group); each connection sends one request line and gets one
 * reply line, "ok ..." or "error: ..." (`alarm list' answers several).  Requests change the model
 * only through its public functions.  Every peer may be hostile (a member of the socket's group
 * included), so the socket costs the agent a bounded amount:
 *  - at most CONTROL_MAX_CLIENTS connections are open; one more closes the
 *    oldest (a real client sends its line at once, an idle one is the oldest);
 *  - a connection whose request line has not arrived CONTROL_TIMEOUT_MS
 *    after it was accepted is closed;
 *  - when accept() fails for want of fds the listener pauses instead of
 *    spinning, and fds stay free for probing and state saves;
 *  - the peer's uid and pid (SO_PEERCRED) are logged with every change.
 * Requests:
 *   outage-cause OFFICE.LINE OUTAGE CAUSE [TICKET]
 *   status
 *   bandwidth OFFICE.LINE      month and quarter averages and peaks
 */
#ifndef TSLCD_CONTROL_H
#define TSLCD_CONTROL_H

#include <stddef.h>
#include <sys/socket.h>

#include "model.h"

#define CONTROL_MAX_CLIENTS 32
#define CONTROL_TIMEOUT_MS  5000

int control_start(const char *path, struct model *const *model);
void control_stop(void);

/* Executes one request line; the reply goes to out (no I/O but the log line
 * of a change, which names peer; peer may be NULL). */
void control_execute(struct model *m, const struct ucred *peer, char *request, char *out,
                     size_t outlen);

#endif
