/*
 * resolver: probe target names -> addresses, without blocking the loop.
 *
 * Contract: literal IPv4/IPv6 addresses are parsed with no lookup at all
 * (resolver_parse_literal).  Names get a resolver_name whose first lookup
 * starts at once; resolver_get() returns the current state and, when the
 * answer is older than the refresh period, quietly queues a new lookup while
 * still handing out the old address.  A failed lookup makes the name FAILED
 * until a later lookup succeeds (retried sooner than the refresh period).
 * Lookups run in glibc's getaddrinfo_a() worker threads; the loop polls
 * their completion with a short timer while any is outstanding, so no
 * foreign thread ever touches our fds or state.  Loop thread only.
 */
#ifndef TSLCD_RESOLVER_H
#define TSLCD_RESOLVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "probe_addr.h"

enum resolver_status {
	RESOLVER_PENDING = 0, /* no answer yet */
	RESOLVER_OK,
	RESOLVER_FAILED,
};

struct resolver_name;

#define RESOLVER_REFRESH_DEFAULT_S 300

/* refresh_s == 0 selects RESOLVER_REFRESH_DEFAULT_S.  Needs loop_init(). */
int resolver_init(unsigned refresh_s);
/* Cancels outstanding lookups; names still registered are freed. */
void resolver_shutdown(void);

/* true when host is a literal address (no brackets, no scope id). */
bool resolver_parse_literal(const char *host, struct probe_addr *out);

/* Track a name; the string is copied.  NULL on out of memory. */
struct resolver_name *resolver_add(const char *host);
void resolver_remove(struct resolver_name *n);
/* Current state; *out is filled when RESOLVER_OK. */
enum resolver_status resolver_get(struct resolver_name *n, struct probe_addr *out);

#endif
