/*
 * probe_tls: periodic TLS handshakes with offices' endpoints, in the loop.
 *
 * Contract: tls_checks_start() schedules one check per office that has a
 * `tls-endpoint`, the first soon after start (staggered), then every
 * readiness.tls-interval seconds.  A check is a non-blocking connect and
 * SSL_connect driven by loop_fd_events() on WANT_READ/WANT_WRITE, bounded
 * by readiness.tls-timeout; it never blocks the loop.  The chain is
 * verified against the office's CA bundle (or the system store) without
 * failing the handshake, so an untrusted certificate still yields its
 * expiry.  Each result goes to the callback once.  tls_checks_stop()
 * aborts running checks with no callback.  Loop thread only.
 */
#ifndef TSLCD_PROBE_TLS_H
#define TSLCD_PROBE_TLS_H

#include <stdint.h>

#include "config.h"
#include "readiness.h"

typedef void (*tls_done_fn)(void *ctx, uint32_t office_id, const struct tls_result *r);

/* The config must outlive the checks (stop before freeing it). */
int tls_checks_start(const struct tslcd_config *cfg, tls_done_fn done, void *ctx);
void tls_checks_stop(void);

#endif
