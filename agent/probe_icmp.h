/*
 * probe_icmp: ICMP echo (IPv4) and ICMPv6 echo (IPv6) over one socket per
 * family, shared by every target.
 *
 * Contract: icmp_init() opens, per family, an unprivileged datagram ICMP
 * socket when net.ipv4.ping_group_range allows it, else a raw socket (needs
 * CAP_NET_RAW), and logs which; a family with neither is UNAVAILABLE and its
 * sends fail with EPERM.  The caller owns each outstanding request (struct
 * icmp_echo) until the callback reports it or icmp_forget() drops it.  A
 * reply is accepted only with the right sequence number (and identifier on
 * raw sockets; the kernel rewrites it on datagram ones), the request's
 * random cookie in the payload, and the target as sender; the first reply
 * wins, so duplicates are dropped.  Requests are queued and go out in a
 * few sendmmsg() calls per socket before the loop next sleeps (loop_defer),
 * with the replies already there read in between; each request's send
 * time is taken just before its batch goes out, and the RTT (`rtt_us`, set
 * before the callback) comes from the kernel's receive timestamp
 * (SO_TIMESTAMPNS) when it has one, so it does not include the time the
 * reply waited to be read.
 * A send error found when the batch goes out is reported through the
 * callback with its errno.  Callback `err`: 0 answered,
 * ECONNREFUSED for a port/protocol/administratively prohibited unreachable,
 * EHOSTUNREACH for a net/host unreachable.  Timeouts are the caller's job.
 * Never changes sysctls.  Loop thread only.
 */
#ifndef TSLCD_PROBE_ICMP_H
#define TSLCD_PROBE_ICMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probe_addr.h"

/* Values as in the MIB. */
enum icmp_mode {
	ICMP_MODE_UNAVAILABLE = 1,
	ICMP_MODE_DATAGRAM = 2,
	ICMP_MODE_RAW = 3,
};

#define ICMP_PAYLOAD_MIN 8 /* room for the cookie */
#define ICMP_PAYLOAD_MAX 1472

struct icmp_echo {
	uint64_t cookie;
	uint64_t sent_us;     /* monotonic, when its batch went out */
	int64_t sent_real_ns; /* the same moment on CLOCK_REALTIME, as kernel timestamps are */
	uint32_t rtt_us;      /* set before the callback */
	struct probe_addr to;
	uint16_t seq;
	bool pending;
};

struct icmp_stats {
	uint64_t sent;     /* echo requests handed to the kernel */
	uint64_t batches;  /* sendmmsg() calls that sent them */
	uint64_t received; /* packets read from the sockets (not from the error queue) */
};

typedef void (*icmp_echo_cb)(struct icmp_echo *e, int err);

/* Returns the number of usable families (0..2); never fatal. */
int icmp_init(icmp_echo_cb cb);
void icmp_shutdown(void);
enum icmp_mode icmp_mode(int family);

/* Queue one echo request of `payload` data bytes (clamped to MIN..MAX).
 * 0: outstanding (a send error comes through the callback); else an errno
 * (nothing outstanding). */
int icmp_send(struct icmp_echo *e, const struct probe_addr *to, unsigned payload);
/* Stop waiting for e's reply (or sending it).  No-op when nothing is outstanding. */
void icmp_forget(struct icmp_echo *e);
void icmp_get_stats(struct icmp_stats *out);

/* ---- packet parsing, pure (no I/O, no state): fuzzable ---- */

enum icmp_kind {
	ICMP_KIND_ECHO_REPLY = 1,
	ICMP_KIND_ECHO_REQUEST, /* our own request: seen on raw loopback, or an error queue copy */
	ICMP_KIND_UNREACHABLE,  /* quotes one of our echo requests */
	ICMP_KIND_OTHER_ERROR,  /* time exceeded, packet too big, ...: quotes a request */
};

struct icmp_reply {
	enum icmp_kind kind;
	uint8_t type, code;
	uint16_t id, seq; /* of the echo, or of the quoted echo for errors */
	bool has_cookie;
	uint64_t cookie;
	bool has_dst; /* errors: destination of the quoted request */
	struct probe_addr dst;
};

/* Parse what recv() returned: with an IP header on a raw IPv4 socket (raw),
 * from the ICMP header otherwise.  0 when it is an ICMP echo message or an
 * error quoting an echo request, -1 for anything else (truncated, bad
 * checksum on raw IPv4, other types, ...). */
int icmp_reply_parse(const uint8_t *buf, size_t len, int family, bool raw, struct icmp_reply *out);

/* The Internet checksum (RFC 1071) of buf. */
uint16_t icmp_checksum(const uint8_t *buf, size_t len);

#endif
