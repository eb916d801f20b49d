/*
 * probe_icmp: one ICMP socket per family serving every target.
 *
 * Outstanding requests are found by sequence number in a 64k table per
 * family, so a reply costs one lookup whatever the number of lines.  Each
 * request carries a fresh 64-bit cookie: a late reply to a sequence number
 * that has since been reused, or a forged one, does not match.
 */
#include "grow.h"
#include "probe_icmp.h"

#include "log.h"
#include "loop.h"

#include <errno.h>
#include <linux/errqueue.h>
#include <linux/filter.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef ICMP_FILTER
#define ICMP_FILTER 1 /* <linux/icmp.h>, which clashes with <netinet/ip_icmp.h> */
#endif

#define SEQ_SPACE    65536
#define RX_BATCH     128 /* packets per wakeup, so one busy socket cannot starve the loop */
#define RX_BUF       2048
#define RX_MMSG      RX_BATCH /* packets per recvmmsg(): a slot's replies in one call */
#define RCVBUF_BYTES (1 << 20)
#define ECHO_HDR     8
#define TX_CHUNK     16 /* echoes per sendmmsg(): see tx_flush() */
#define CTL_BUF      64 /* room for one SCM_TIMESTAMPNS */

/* A queued request; e is only looked at while by_seq[seq] still holds it. */
struct tx_entry {
	struct icmp_echo *e;
	uint16_t seq, payload;
};

struct icmp_sock {
	int fd;
	int family;
	enum icmp_mode mode;
	uint16_t ident; /* echo identifier; only meaningful on raw sockets */
	uint16_t next_seq;
	struct icmp_echo **by_seq;
	struct tx_entry *tx; /* requests waiting for the batch to go out */
	size_t tx_n, tx_cap;
	bool df_probe; /* raw IPv4 sends with IP_PMTUDISC_PROBE (see df_small) */
};

static struct {
	struct icmp_sock sock[2]; /* IPv4, IPv6 */
	icmp_echo_cb cb;
	uint64_t rng;
	bool flush_deferred;
	struct icmp_stats stats;
	unsigned pattern_len; /* sum16() of the fill bytes after the cookie, for this length */
	uint32_t pattern_sum;
} I = {.sock = {{.fd = -1}, {.fd = -1}}};

/* ---- parsing ---- */

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The ones'-complement sum of len bytes added to sum, not yet folded. */
static uint32_t sum16(const uint8_t *buf, size_t len, uint32_t sum)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += be16(buf + i);
	if (len & 1)
		sum += (uint32_t)buf[len - 1] << 8;
	return sum;
}

static uint16_t sum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t icmp_checksum(const uint8_t *buf, size_t len)
{
	return sum_fold(sum16(buf, len, 0));
}

static enum icmp_kind kind_of(int family, uint8_t type)
{
	if (family == AF_INET) {
		switch (type) {
		case ICMP_ECHOREPLY:
			return ICMP_KIND_ECHO_REPLY;
		case ICMP_ECHO:
			return ICMP_KIND_ECHO_REQUEST;
		case ICMP_DEST_UNREACH:
			return ICMP_KIND_UNREACHABLE;
		case ICMP_TIME_EXCEEDED:
		case ICMP_PARAMETERPROB:
			return ICMP_KIND_OTHER_ERROR;
		}
		return 0;
	}
	switch (type) {
	case ICMP6_ECHO_REPLY:
		return ICMP_KIND_ECHO_REPLY;
	case ICMP6_ECHO_REQUEST:
		return ICMP_KIND_ECHO_REQUEST;
	case ICMP6_DST_UNREACH:
		return ICMP_KIND_UNREACHABLE;
	case ICMP6_PACKET_TOO_BIG:
	case ICMP6_TIME_EXCEEDED:
	case ICMP6_PARAM_PROB:
		return ICMP_KIND_OTHER_ERROR;
	}
	return 0;
}

/* Length of a valid IPv4 header carrying ICMP at p, or 0. */
static size_t ipv4_icmp_header_len(const uint8_t *p, size_t len)
{
	if (len < 20 || p[0] >> 4 != 4 || p[9] != IPPROTO_ICMP)
		return 0;
	size_t hl = (size_t)(p[0] & 0x0f) * 4;
	return hl >= 20 && hl <= len ? hl : 0;
}

static void parse_echo(const uint8_t *p, size_t len, struct icmp_reply *out)
{
	out->id = be16(p + 4);
	out->seq = be16(p + 6);
	out->has_cookie = len >= ECHO_HDR + sizeof(out->cookie);
	if (out->has_cookie)
		memcpy(&out->cookie, p + ECHO_HDR, sizeof(out->cookie));
}

/* An error message quotes the invoking packet: IP header, then at least the
 * first 8 bytes of our echo request (more on most modern stacks). */
static int parse_quoted(const uint8_t *q, size_t len, int family, struct icmp_reply *out)
{
	size_t hl;

	if (family == AF_INET) {
		hl = ipv4_icmp_header_len(q, len);
		if (!hl)
			return -1;
		out->dst.family = AF_INET;
		memcpy(out->dst.bytes, q + 16, 4);
	} else {
		if (len < 40 || q[0] >> 4 != 6 || q[6] != IPPROTO_ICMPV6)
			return -1;
		hl = 40;
		out->dst.family = AF_INET6;
		memcpy(out->dst.bytes, q + 24, 16);
	}
	if (len - hl < ECHO_HDR || kind_of(family, q[hl]) != ICMP_KIND_ECHO_REQUEST)
		return -1;
	out->has_dst = true;
	parse_echo(q + hl, len - hl, out);
	return 0;
}

static int parse_message(const uint8_t *p, size_t len, int family, struct icmp_reply *out)
{
	if (len < ECHO_HDR)
		return -1;
	out->type = p[0];
	out->code = p[1];
	out->kind = kind_of(family, p[0]);
	switch (out->kind) {
	case ICMP_KIND_ECHO_REPLY:
	case ICMP_KIND_ECHO_REQUEST:
		parse_echo(p, len, out);
		return 0;
	case ICMP_KIND_UNREACHABLE:
	case ICMP_KIND_OTHER_ERROR:
		return parse_quoted(p + ECHO_HDR, len - ECHO_HDR, family, out);
	}
	return -1;
}

int icmp_reply_parse(const uint8_t *buf, size_t len, int family, bool raw, struct icmp_reply *out)
{
	memset(out, 0, sizeof(*out));
	if (!buf || (family != AF_INET && family != AF_INET6))
		return -1;
	if (family == AF_INET && raw) {
		/* Only raw IPv4 sees the IP header, and only there has the
		 * kernel not verified the ICMP checksum before handing it over. */
		size_t hl = ipv4_icmp_header_len(buf, len);
		if (!hl)
			return -1;
		size_t total = be16(buf + 2);
		if (total < hl || total > len)
			return -1; /* truncated, or nonsense */
		len = total;       /* drops any link-layer padding */
		buf += hl;
		len -= hl;
		if (len < ECHO_HDR || icmp_checksum(buf, len) != 0)
			return -1;
	}
	return parse_message(buf, len, family, out);
}

/* ---- matching ---- */

static struct icmp_sock *sock_of(int family)
{
	if (family == AF_INET)
		return &I.sock[0];
	if (family == AF_INET6)
		return &I.sock[1];
	return NULL;
}

/* Port, protocol and administrative unreachables come from a host (or its
 * firewall) that is there; net and host unreachables say it is not. */
static int unreachable_errno(int family, uint8_t code)
{
	if (family == AF_INET) {
		switch (code) {
		case ICMP_PROT_UNREACH:
		case ICMP_PORT_UNREACH:
		case ICMP_NET_ANO:
		case ICMP_HOST_ANO:
		case ICMP_PKT_FILTERED:
			return ECONNREFUSED;
		}
		return EHOSTUNREACH;
	}
	switch (code) {
	case ICMP6_DST_UNREACH_ADMIN:
	case ICMP6_DST_UNREACH_NOPORT:
	case 5: /* source address failed ingress/egress policy */
	case 6: /* reject route to destination */
		return ECONNREFUSED;
	}
	return EHOSTUNREACH;
}

static int64_t real_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

/* rx_real_ns: the kernel's receive timestamp, 0 when there is none.  It is
 * used unless a step of the realtime clock made it nonsense. */
static uint32_t echo_rtt_us(const struct icmp_echo *e, int64_t rx_real_ns)
{
	uint64_t mono = loop_clock_us() - e->sent_us;

	if (rx_real_ns > 0) {
		int64_t k = (rx_real_ns - e->sent_real_ns) / 1000;
		if (k >= 0 && (uint64_t)k <= mono)
			return (uint32_t)k;
	}
	return mono > UINT32_MAX ? UINT32_MAX : (uint32_t)mono;
}

static void report(struct icmp_sock *s, struct icmp_echo *e, int err, uint32_t rtt_us)
{
	s->by_seq[e->seq] = NULL;
	e->pending = false;
	e->rtt_us = rtt_us;
	I.cb(e, err);
}

/* `from` is the sender for replies and the quoted destination for errors. */
static void deliver(struct icmp_sock *s, const struct icmp_reply *r, const struct probe_addr *from,
                    int err, int64_t rx_real_ns)
{
	struct icmp_echo *e = s->by_seq[r->seq];

	if (!e)
		return; /* late, duplicate, or another program's */
	if (s->mode == ICMP_MODE_RAW && r->id != s->ident)
		return;
	/* A reply must echo the cookie; an error may quote only 8 bytes. */
	if (r->has_cookie ? r->cookie != e->cookie : err == 0)
		return;
	if (!probe_addr_equal(from, &e->to))
		return;
	report(s, e, err, echo_rtt_us(e, rx_real_ns));
}

static void handle_packet(struct icmp_sock *s, const uint8_t *buf, size_t len,
                          const struct probe_addr *from, int64_t rx_real_ns)
{
	struct icmp_reply r;

	if (icmp_reply_parse(buf, len, s->family, s->mode == ICMP_MODE_RAW, &r) < 0)
		return;
	if (r.kind == ICMP_KIND_ECHO_REPLY)
		deliver(s, &r, from, 0, rx_real_ns);
	else if (r.kind == ICMP_KIND_UNREACHABLE)
		deliver(s, &r, &r.dst, unreachable_errno(s->family, r.code), rx_real_ns);
	/* Our own requests (raw loopback) and other errors: the timeout decides. */
}

/* Up to RX_MMSG packets per system call: at thousands of echoes a second a
 * call per packet (plus the one that finds the socket empty) was a good
 * part of the agent's probing CPU (bench "probe"). */
static const void *cmsg_find(struct msghdr *msg, int level, int type)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level == level && c->cmsg_type == type)
			return CMSG_DATA(c);
	}
	return NULL;
}

static int64_t rx_stamp_ns(struct msghdr *msg)
{
	const void *p = cmsg_find(msg, SOL_SOCKET, SCM_TIMESTAMPNS);
	struct timespec ts;

	if (!p)
		return 0;
	memcpy(&ts, p, sizeof(ts));
	return real_ns(&ts);
}

static void read_replies(struct icmp_sock *s)
{
	static uint8_t buf[RX_MMSG][RX_BUF];
	static struct sockaddr_storage ss[RX_MMSG];
	static union {
		char b[CTL_BUF];
		struct cmsghdr align;
	} ctl[RX_MMSG];
	struct iovec iov[RX_MMSG];
	struct mmsghdr mm[RX_MMSG];

	for (int i = 0; i < RX_MMSG; i++) {
		iov[i] = (struct iovec){buf[i], RX_BUF};
		mm[i] = (struct mmsghdr){
		    .msg_hdr = {.msg_name = &ss[i], .msg_iov = &iov[i], .msg_iovlen = 1}};
	}
	for (int got = 0; got < RX_BATCH;) {
		for (int i = 0; i < RX_MMSG; i++) { /* the kernel shrinks them */
			mm[i].msg_hdr.msg_namelen = sizeof(ss[i]);
			mm[i].msg_hdr.msg_control = ctl[i].b;
			mm[i].msg_hdr.msg_controllen = sizeof(ctl[i].b);
		}
		int n = recvmmsg(s->fd, mm, RX_MMSG, MSG_DONTWAIT, NULL);
		I.stats.received += n > 0 ? (unsigned)n : 0;
		for (int i = 0; i < n; i++) {
			struct probe_addr from;
			if (probe_addr_from_sockaddr((struct sockaddr *)&ss[i],
			                             mm[i].msg_hdr.msg_namelen, &from))
				handle_packet(s, buf[i], mm[i].msg_len, &from,
				              rx_stamp_ns(&mm[i].msg_hdr));
		}
		if (n < RX_MMSG)
			return; /* drained (or an error): no call just to find it empty */
		got += n;
	}
}

static const struct sock_extended_err *find_ee(struct msghdr *msg)
{
	const void *p = cmsg_find(msg, SOL_IP, IP_RECVERR);

	return p ? p : cmsg_find(msg, SOL_IPV6, IPV6_RECVERR);
}

/* Datagram sockets get ICMP errors on the error queue: a copy of our request
 * plus the error's type and code, addressed with the request's destination. */
static void read_errors(struct icmp_sock *s)
{
	uint8_t buf[RX_BUF];
	union {
		char b[512];
		struct cmsghdr align;
	} ctl;

	for (int i = 0; i < RX_BATCH; i++) {
		struct sockaddr_storage ss;
		struct iovec iov = {buf, sizeof(buf)};
		struct msghdr msg = {.msg_name = &ss,
		                     .msg_namelen = sizeof(ss),
		                     .msg_iov = &iov,
		                     .msg_iovlen = 1,
		                     .msg_control = ctl.b,
		                     .msg_controllen = sizeof(ctl.b)};
		ssize_t n = recvmsg(s->fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT);
		if (n < 0)
			return;
		const struct sock_extended_err *ee = find_ee(&msg);
		struct icmp_reply r;
		struct probe_addr to;
		if (!ee ||
		    (ee->ee_origin != SO_EE_ORIGIN_ICMP && ee->ee_origin != SO_EE_ORIGIN_ICMP6))
			continue;
		if (icmp_reply_parse(buf, (size_t)n, s->family, false, &r) < 0 ||
		    r.kind != ICMP_KIND_ECHO_REQUEST ||
		    kind_of(s->family, ee->ee_type) != ICMP_KIND_UNREACHABLE ||
		    !probe_addr_from_sockaddr((struct sockaddr *)&ss, msg.msg_namelen, &to))
			continue;
		deliver(s, &r, &to, unreachable_errno(s->family, ee->ee_code), 0);
	}
}

static void sock_event(int fd, short revents, void *arg)
{
	struct icmp_sock *s = arg;

	if (revents & POLLERR) {
		if (s->mode == ICMP_MODE_DATAGRAM) {
			read_errors(s);
		} else {
			int err;
			socklen_t el = sizeof(err);
			getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el); /* clear it */
		}
	}
	if (revents & POLLIN)
		read_replies(s);
}

/* ---- sending ---- */

static uint64_t rng_next(void)
{
	/* splitmix64: cheap, and good enough for cookies seeded from getrandom */
	uint64_t z = (I.rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int seq_alloc(struct icmp_sock *s)
{
	for (unsigned i = 0; i < SEQ_SPACE; i++) {
		uint16_t q = s->next_seq++;
		if (!s->by_seq[q])
			return q;
	}
	return -1;
}

static size_t build_echo(uint8_t *buf, const struct icmp_sock *s, const struct icmp_echo *e,
                         unsigned payload)
{
	buf[0] = s->family == AF_INET ? ICMP_ECHO : ICMP6_ECHO_REQUEST;
	buf[1] = 0;
	buf[2] = buf[3] = 0;
	buf[4] = (uint8_t)(s->ident >> 8);
	buf[5] = (uint8_t)s->ident;
	buf[6] = (uint8_t)(e->seq >> 8);
	buf[7] = (uint8_t)e->seq;
	memcpy(buf + ECHO_HDR, &e->cookie, sizeof(e->cookie));
	for (unsigned i = sizeof(e->cookie); i < payload; i++)
		buf[ECHO_HDR + i] = (uint8_t)i;
	size_t len = ECHO_HDR + payload, head = ECHO_HDR + sizeof(e->cookie);
	/* The kernel fills the checksum in for datagram sockets and ICMPv6.
	 * The fill bytes (from an even offset) are the same in every request
	 * of a length: their sum is kept, only the header and cookie are summed. */
	if (s->family == AF_INET && s->mode == ICMP_MODE_RAW) {
		if (I.pattern_len != payload) {
			I.pattern_sum = sum16(buf + head, len - head, 0);
			I.pattern_len = payload;
		}
		uint16_t ck = sum_fold(sum16(buf, head, I.pattern_sum));
		buf[2] = (uint8_t)(ck >> 8);
		buf[3] = (uint8_t)ck;
	}
	return len;
}

/* The send time of every request still to go, taken just before its batch does. */
static void stamp(struct icmp_echo **e, unsigned n)
{
	struct timespec rt;
	uint64_t mono = loop_clock_us();

	clock_gettime(CLOCK_REALTIME, &rt);
	for (unsigned i = 0; i < n; i++) {
		e[i]->sent_us = mono;
		e[i]->sent_real_ns = real_ns(&rt);
	}
}

/* Builds up to TX_CHUNK live requests from tx[*pos...]; returns how many. */
static unsigned tx_build(struct icmp_sock *s, size_t *pos, struct mmsghdr *mm, struct icmp_echo **e,
                         uint16_t *seq)
{
	static uint8_t pkt[TX_CHUNK][ECHO_HDR + ICMP_PAYLOAD_MAX];
	static struct sockaddr_storage ss[TX_CHUNK];
	static struct iovec iov[TX_CHUNK];
	unsigned n = 0;

	for (; *pos < s->tx_n && n < TX_CHUNK; (*pos)++) {
		const struct tx_entry *t = &s->tx[*pos];
		if (s->by_seq[t->seq] != t->e)
			continue; /* forgotten while queued */
		iov[n] = (struct iovec){pkt[n], build_echo(pkt[n], s, t->e, t->payload)};
		mm[n] = (struct mmsghdr){
		    .msg_hdr = {.msg_name = &ss[n],
		                .msg_namelen = probe_addr_to_sockaddr(&t->e->to, 0, &ss[n]),
		                .msg_iov = &iov[n],
		                .msg_iovlen = 1}};
		e[n] = t->e;
		seq[n++] = t->seq;
	}
	return n;
}

/* One sendmmsg() per chunk; a request the kernel refuses is skipped and
 * reported once the chunk is out (a callback may forget others of it). */
static void tx_chunk(struct icmp_sock *s, size_t *pos)
{
	struct mmsghdr mm[TX_CHUNK];
	struct icmp_echo *e[TX_CHUNK];
	uint16_t seq[TX_CHUNK];
	int err[TX_CHUNK] = {0};
	unsigned n = tx_build(s, pos, mm, e, seq);

	for (unsigned i = 0; i < n;) {
		stamp(e + i, n - i);
		int r = sendmmsg(s->fd, mm + i, n - i, MSG_DONTWAIT);
		if (r > 0) {
			I.stats.sent += (unsigned)r;
			I.stats.batches++;
			i += (unsigned)r;
		} else {
			err[i++] = r < 0 ? errno : EIO;
		}
	}
	for (unsigned i = 0; i < n; i++) {
		if (err[i] && s->by_seq[seq[i]] == e[i])
			report(s, e[i], err[i], 0);
	}
}

/* A slot's requests go out TX_CHUNK at a time, and the replies already
 * queued are read between chunks.  On a fast path (loopback above all) a
 * reply is queued while its batch is still going out, so a batch of 128
 * (one call per slot at 10k lines) had the kernel hold 256 buffers at once,
 * ours and its own cold by the time they were read: small chunks with
 * reads between took about 7 % less CPU per probe (bench "probe").  A
 * reply's callback may queue or forget requests: tx_n is read afresh and
 * tx_build() checks every entry. */
static void tx_flush(void *arg)
{
	(void)arg;
	I.flush_deferred = false;
	for (int i = 0; i < 2; i++) {
		struct icmp_sock *s = &I.sock[i];
		for (size_t pos = 0; pos < s->tx_n;) {
			tx_chunk(s, &pos);
			if (pos < s->tx_n)
				read_replies(s);
		}
		s->tx_n = 0;
	}
}

static int tx_queue(struct icmp_sock *s, struct icmp_echo *e, unsigned payload)
{
	struct tx_entry *t = grow_array(s->tx, &s->tx_cap, s->tx_n + 1, sizeof(*t), 256);
	if (!t)
		return ENOMEM;
	s->tx = t;
	if (!I.flush_deferred) {
		if (loop_defer(tx_flush, NULL) < 0)
			return ENOMEM;
		I.flush_deferred = true;
	}
	s->tx[s->tx_n++] = (struct tx_entry){e, e->seq, (uint16_t)payload};
	return 0;
}

/* A raw IPv4 socket's default (IP_PMTUDISC_WANT) sends DF packets whose
 * IP ID the kernel still draws at random per packet, a visible part of the
 * send path at thousands of echoes a second; with IP_PMTUDISC_PROBE the
 * packets are the same (DF set) and the ID is 0.  They differ only for a
 * packet longer than a learned path MTU, which WANT fragments locally:
 * learned MTUs are at least 552 bytes (net.ipv4.route.min_pmtu's default;
 * a smaller one is locked, and only then would WANT drop DF on a request
 * that fits in 552), so PROBE is kept only while every request fits in
 * that, and the socket goes back to WANT for good at the first longer one. */
#define DF_SMALL_MAX 552 /* IP packet bytes */

static void df_small(struct icmp_sock *s, bool on)
{
	int v = on ? IP_PMTUDISC_PROBE : IP_PMTUDISC_WANT;

	s->df_probe = on && setsockopt(s->fd, SOL_IP, IP_MTU_DISCOVER, &v, sizeof(v)) == 0;
	if (!on)
		setsockopt(s->fd, SOL_IP, IP_MTU_DISCOVER, &v, sizeof(v));
}

int icmp_send(struct icmp_echo *e, const struct probe_addr *to, unsigned payload)
{
	struct icmp_sock *s = sock_of(to->family);

	if (!s)
		return EAFNOSUPPORT;
	if (s->fd < 0)
		return EPERM;
	int seq = seq_alloc(s);
	if (seq < 0)
		return ENOBUFS;
	payload = payload < ICMP_PAYLOAD_MIN ? ICMP_PAYLOAD_MIN : payload;
	payload = payload > ICMP_PAYLOAD_MAX ? ICMP_PAYLOAD_MAX : payload;
	if (s->df_probe && 20 + ECHO_HDR + payload > DF_SMALL_MAX)
		df_small(s, false);
	e->cookie = rng_next();
	e->to = *to;
	e->seq = (uint16_t)seq;
	int err = tx_queue(s, e, payload);
	if (err)
		return err;
	s->by_seq[seq] = e;
	e->pending = true;
	return 0;
}

void icmp_get_stats(struct icmp_stats *out)
{
	*out = I.stats;
}

void icmp_forget(struct icmp_echo *e)
{
	struct icmp_sock *s = sock_of(e->to.family);

	if (!e->pending || !s)
		return;
	if (s->by_seq && s->by_seq[e->seq] == e)
		s->by_seq[e->seq] = NULL;
	e->pending = false;
}

/* ---- sockets ---- */

static void sock_filter(const struct icmp_sock *s)
{
	if (s->family == AF_INET) {
		uint32_t blocked = ~(uint32_t)(1u << ICMP_ECHOREPLY | 1u << ICMP_DEST_UNREACH |
		                               1u << ICMP_TIME_EXCEEDED | 1u << ICMP_PARAMETERPROB);
		setsockopt(s->fd, SOL_RAW, ICMP_FILTER, &blocked, sizeof(blocked));
		return;
	}
	struct icmp6_filter f;
	ICMP6_FILTER_SETBLOCKALL(&f);
	ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
	ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &f);
	ICMP6_FILTER_SETPASS(ICMP6_PACKET_TOO_BIG, &f);
	ICMP6_FILTER_SETPASS(ICMP6_TIME_EXCEEDED, &f);
	ICMP6_FILTER_SETPASS(ICMP6_PARAM_PROB, &f);
	setsockopt(s->fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f));
}

/* A raw socket gets every ICMP message of the host: other programs' echo
 * replies (another pinger, a monitoring tool) would each wake us.  This
 * filter lets through only echo replies with our identifier, and the error
 * types ICMP_FILTER passes.  IPv4 raw sockets see the IP header first. */
static void sock_bpf(const struct icmp_sock *s)
{
	uint8_t reply = s->family == AF_INET ? ICMP_ECHOREPLY : ICMP6_ECHO_REPLY;
	struct sock_filter code[] = {
	    s->family == AF_INET ? (struct sock_filter)BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0)
	                         : (struct sock_filter)BPF_STMT(BPF_LDX | BPF_IMM, 0),
	    BPF_STMT(BPF_LD | BPF_B | BPF_IND, 0), /* type */
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, reply, 0, 2),
	    BPF_STMT(BPF_LD | BPF_H | BPF_IND, 4), /* identifier */
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, s->ident, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, 0xffffffffu),
	    BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = {.len = sizeof(code) / sizeof(code[0]), .filter = code};

	setsockopt(s->fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
}

/* Best effort: every option here only improves matters. */
static void sock_options(struct icmp_sock *s)
{
	int one = 1, rcvbuf = RCVBUF_BYTES;

	setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	setsockopt(s->fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	if (s->mode == ICMP_MODE_RAW) {
		sock_filter(s);
		sock_bpf(s);
		if (s->family == AF_INET)
			df_small(s, true);
	} else if (s->family == AF_INET)
		setsockopt(s->fd, SOL_IP, IP_RECVERR, &one, sizeof(one));
	else
		setsockopt(s->fd, SOL_IPV6, IPV6_RECVERR, &one, sizeof(one));
}

static const char *family_name(int family)
{
	return family == AF_INET ? "ICMP (IPv4)" : "ICMPv6";
}

/* On failure *why says what both attempts ran into. */
static int sock_open(struct icmp_sock *s, int family, char *why, size_t whylen)
{
	int proto = family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	int flags = SOCK_NONBLOCK | SOCK_CLOEXEC;

	s->family = family;
	s->fd = socket(family, SOCK_DGRAM | flags, proto);
	s->mode = ICMP_MODE_DATAGRAM;
	int dgram_err = errno;
	if (s->fd < 0) {
		s->fd = socket(family, SOCK_RAW | flags, proto);
		s->mode = ICMP_MODE_RAW;
	}
	if (s->fd < 0) {
		snprintf(why, whylen,
		         "datagram socket: %s (is our group in net.ipv4.ping_group_range?), "
		         "raw socket: %s (needs CAP_NET_RAW)",
		         strerror(dgram_err), strerror(errno));
		s->mode = ICMP_MODE_UNAVAILABLE;
		return -1;
	}
	s->by_seq = calloc(SEQ_SPACE, sizeof(*s->by_seq));
	if (!s->by_seq || loop_fd_add(s->fd, POLLIN, sock_event, s) < 0) {
		snprintf(why, whylen, "out of memory");
		free(s->by_seq);
		s->by_seq = NULL;
		close(s->fd);
		s->fd = -1;
		s->mode = ICMP_MODE_UNAVAILABLE;
		return -1;
	}
	sock_options(s);
	log_msg(LOG_INFO, "%s probes use %s", family_name(family),
	        s->mode == ICMP_MODE_RAW ? "a raw socket" : "an unprivileged datagram socket");
	return 0;
}

static void rng_seed(void)
{
	if (getrandom(&I.rng, sizeof(I.rng), GRND_NONBLOCK) != sizeof(I.rng)) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		I.rng = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ (uint64_t)getpid();
	}
}

int icmp_init(icmp_echo_cb cb)
{
	char why[2][256];
	int ok[2];

	I.cb = cb;
	I.flush_deferred = false; /* a deferred flush dies with the loop it was queued on */
	I.stats = (struct icmp_stats){0};
	rng_seed();
	for (int i = 0; i < 2; i++) {
		I.sock[i].ident = (uint16_t)rng_next(); /* before sock_open: its filter uses it */
		ok[i] = sock_open(&I.sock[i], i ? AF_INET6 : AF_INET, why[i], sizeof(why[i])) == 0;
		I.sock[i].next_seq = (uint16_t)rng_next();
	}
	if (!ok[0] && !ok[1])
		log_msg(LOG_ERR,
		        "ICMP probes are unavailable and will report local errors: %s; "
		        "for IPv6, %s",
		        why[0], why[1]);
	else if (!ok[0] || !ok[1])
		log_msg(LOG_WARNING, "%s probes are unavailable and will report local errors: %s",
		        family_name(ok[0] ? AF_INET6 : AF_INET), why[ok[0] ? 1 : 0]);
	return ok[0] + ok[1];
}

enum icmp_mode icmp_mode(int family)
{
	const struct icmp_sock *s = sock_of(family);

	return s && s->fd >= 0 ? s->mode : ICMP_MODE_UNAVAILABLE;
}

void icmp_shutdown(void)
{
	for (int i = 0; i < 2; i++) {
		struct icmp_sock *s = &I.sock[i];
		if (s->fd >= 0) {
			loop_fd_del(s->fd);
			close(s->fd);
		}
		free(s->by_seq);
		free(s->tx);
		*s = (struct icmp_sock){.fd = -1, .mode = ICMP_MODE_UNAVAILABLE};
	}
}
