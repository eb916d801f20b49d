/*
 * prober: schedules probe rounds for every monitored target.
 *
 * Contract: each job runs one round per interval: `count` attempts spaced by
 * spacing_ms, each given timeout_ms, then ONE probe_result goes to the
 * callback (when every attempt has answered or timed out).  With both
 * methods an attempt sends an ICMP echo and a TCP connect; the round is OK
 * if either answered, and its figures come from ICMP unless only TCP got
 * answers.  Jitter is over answers in arrival order.  First rounds are
 * spread evenly over the interval, later ones keep their phase (a little
 * jitter).  TCP connects in flight are bounded; a round that finds no
 * budget, or whose first name resolution has not finished, waits, and
 * reports PROBE_LOCAL_ERROR / PROBE_UNRESOLVED if it cannot start in time
 * to end before the next one is due.  Local errors are logged once per
 * burst.  prober_remove() is safe at any time, also inside a callback;
 * prober_init/shutdown are not to be called from one.  Loop thread only.
 */
#ifndef TSLCD_PROBER_H
#define TSLCD_PROBER_H

#include <stdint.h>

#include "probe_result.h"
#include "prober_params.h"

enum {
	PROBE_METHOD_ICMP = 1,
	PROBE_METHOD_TCP = 2, /* bit flags: ICMP | TCP probes both */
};

#define PROBER_INFLIGHT_DEFAULT 1024
#define PROBER_FD_RESERVE       64 /* fds kept free for the AgentX link, state file, ... */

struct prober_job;
typedef void (*prober_result_cb)(void *ctx, const struct probe_result *r);

struct prober_stats {
	unsigned jobs;
	unsigned tcp_inflight;
	unsigned tcp_limit;
	uint64_t rounds;             /* results delivered */
	uint64_t rounds_delayed;     /* waited for TCP budget or a first resolution */
	uint64_t rounds_local_error; /* reported PROBE_LOCAL_ERROR */
};

/* After loop_init().  max_inflight 0: PROBER_INFLIGHT_DEFAULT; resolve_refresh_s
 * 0: RESOLVER_REFRESH_DEFAULT_S.  Opens the ICMP sockets (never fatal). */
int prober_init(unsigned max_inflight, unsigned resolve_refresh_s);
/* Removes every job left, closes sockets. */
void prober_shutdown(void);

/* host: literal IPv4/IPv6 address or DNS name.  NULL with errno EINVAL
 * (bad methods, port or params) or ENOMEM. */
struct prober_job *prober_add(const char *host, unsigned methods, uint16_t tcp_port,
                              const struct prober_params *params, prober_result_cb cb, void *ctx);
void prober_remove(struct prober_job *job);

void prober_get_stats(struct prober_stats *out);

#endif
