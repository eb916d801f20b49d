/*
 * bw_poller: reads the office routers' IF-MIB octet counters with Net-SNMP's
 * asynchronous client API, inside the one event loop (loop.c services every
 * session opened with snmp_open()), and hands the readings to the model.
 *
 * Contract:
 * - One session per router (same address, version and credentials); all
 *   lines on a router are read with one GET: sysUpTime.0 and, per line,
 *   ifHCInOctets.N, ifHCOutOctets.N, ifCounterDiscontinuityTime.N (plus
 *   ifInOctets/ifOutOctets until the router has shown whether it has HC
 *   counters, and ifName/ifDescr.N for lines named by interface name, to
 *   notice a renumbering).  A router's poll interval is the shortest of its
 *   lines' intervals.
 * - Lines named by ifName/ifDescr are resolved with an asynchronous GETBULK
 *   walk of that column before their first read, and again whenever the
 *   name at the resolved ifIndex no longer matches.
 * - SNMPv3 is authPriv (SHA/SHA-256/SHA-512, AES-128/AES-256).  The engine
 *   ID is discovered with an asynchronous probe; nothing here blocks.
 *   Each router's USM entry (localised keys) is made from its own keys,
 *   shared only by routers with the same keys, and removed by
 *   bw_poller_stop(), so a reload with a new key uses it.  Two addresses of
 *   one engine with other keys for one user: neither is polled (error).
 * - At most bandwidth.max-inflight routers are being polled at once; the
 *   rest wait in FIFO order.  A router still busy when its next poll is due
 *   skips that poll (counted as an overrun).
 * - Every request is retried bandwidth.retries times before it times out.
 * - Failures reach the model per line (timeout, error, noSuchInterface,
 *   authFailure: the router refused the SNMPv3 user, logged once with
 *   router and user) and never touch the line's reachability state; the
 *   next poll comes at the normal interval.
 */
#ifndef TSLCD_BW_POLLER_H
#define TSLCD_BW_POLLER_H

#include <stdint.h>

#include "model.h"

struct bw_poller_stats {
	unsigned routers, lines, inflight;
	uint64_t polls, ok, failed, overruns, walks;
};

/* Open the sessions for every line with a counters source and schedule
 * their polls.  Call after init_snmp().  0 on success. */
int bw_poller_start(struct model *m);
/* Close every session; pending callbacks are dropped.  Safe if not started. */
void bw_poller_stop(void);
void bw_poller_get_stats(struct bw_poller_stats *out);

#endif
