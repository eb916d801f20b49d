/*
 * readiness_tls: periodic TLS handshakes with offices' endpoints, in the loop.
 *
 * Contract: readiness_tls_start() schedules one check per office that has a
 * `tls-endpoint`, the first soon after start (staggered), then every
 * readiness.tls-interval seconds.  A check is a non-blocking connect and
 * SSL_connect driven by loop_fd_events() on WANT_READ/WANT_WRITE, bounded
 * by readiness.tls-timeout; it never blocks the loop.  The chain is
 * verified against the office's CA bundle (or the system store) without
 * failing the handshake, so an untrusted certificate still yields its
 * expiry.  Each result goes to the callback once.  readiness_tls_stop()
 * aborts running checks with no callback.  Loop thread only.
 */
#ifndef TSLCD_READINESS_TLS_H
#define TSLCD_READINESS_TLS_H

#include <stdint.h>

#include "config.h"
#include "readiness.h"

typedef void (*readiness_tls_done_fn)(void *ctx, uint32_t office_id, const struct tls_result *r);

/* The config must outlive the checks (stop before freeing it). */
int readiness_tls_start(const struct tslcd_config *cfg, readiness_tls_done_fn done, void *ctx);
void readiness_tls_stop(void);

#endif
