/*
 * probe_tcp: TCP connect probes over IPv4/IPv6.
 *
 * Contract: tcp_probe_start() opens a non-blocking socket and connects; the
 * callback reports completion once (0 connected, ECONNREFUSED, or another
 * errno), after the socket is closed.  The connection is closed at once
 * with SO_LINGER 0 (a RST, no TIME_WAIT), so 10k lines do not pile up
 * sockets.  Timeouts are the caller's: tcp_probe_abort() closes a pending
 * probe without a callback.  Sockets whose fd number would reach the fd
 * ceiling are refused with EMFILE, which keeps a reserve of low fds for the
 * AgentX link and the state file.  The struct is owned by the caller and
 * must stay put while pending.  Loop thread only.
 */
#ifndef TSLCD_PROBE_TCP_H
#define TSLCD_PROBE_TCP_H

#include <stdbool.h>
#include <stdint.h>

#include "probe_addr.h"

struct tcp_probe;
typedef void (*tcp_probe_cb)(struct tcp_probe *p, int err);

struct tcp_probe {
	int fd; /* -1 when idle */
	tcp_probe_cb cb;
};

/* fd_ceiling: no probe socket gets an fd number >= this. */
void tcp_probe_init(int fd_ceiling);

/* 0: pending, the callback follows.  Else an errno; nothing is pending. */
int tcp_probe_start(struct tcp_probe *p, const struct probe_addr *to, uint16_t port,
                    tcp_probe_cb cb);
/* Close a pending probe; no callback.  No-op when idle. */
void tcp_probe_abort(struct tcp_probe *p);

#endif
