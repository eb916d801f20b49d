/*
 * probe_addr: a compact IPv4/IPv6 address, what a probe job keeps per
 * target, and its conversions to and from socket addresses and text.
 *
 * Contract: family is AF_INET (the first 4 bytes count) or AF_INET6 (all
 * 16); bytes beyond the family's length are zero in every probe_addr these
 * functions fill, and probe_addr_equal() compares only the family's bytes.
 * Ports live in the sockaddr only.  No I/O, no globals, no allocation.
 */
#ifndef TSLCD_PROBE_ADDR_H
#define TSLCD_PROBE_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct probe_addr {
	uint16_t family; /* AF_INET or AF_INET6 */
	uint8_t bytes[16];
};

/* Fill *ss for a and port; returns the length to pass to the socket call. */
socklen_t probe_addr_to_sockaddr(const struct probe_addr *a, uint16_t port,
                                 struct sockaddr_storage *ss);
/* false (and *out zeroed) for a family other than IPv4/IPv6 or a short len. */
bool probe_addr_from_sockaddr(const struct sockaddr *sa, socklen_t len, struct probe_addr *out);
bool probe_addr_equal(const struct probe_addr *a, const struct probe_addr *b);
/* a as text in buf ("?" when it does not fit); returns buf. */
const char *probe_addr_str(const struct probe_addr *a, char *buf, size_t len);

#endif
