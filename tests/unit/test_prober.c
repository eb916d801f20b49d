/*
 * test_prober: the probing engine on the real event loop, loopback only.
 *
 * Every probe goes to 127.0.0.1 or ::1, or to a network namespace the test
 * creates (unshare(CLONE_NEWNET) in check's forked child), where nothing
 * can leave the machine.  The unresolvable name is looked up only inside
 * such a namespace, so its query cannot reach any DNS server.
 */
#include "unit.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

#include "log.h"
#include "loop.h"
#include "probe_icmp.h"
#include "prober.h"
#include "resolver.h"

#define MAX_RESULTS 64

struct collect {
	struct probe_result r[MAX_RESULTS];
	uint64_t at_ms[MAX_RESULTS];
	unsigned n, want;
	struct prober_job *job;
	bool remove_after_first;
};

static unsigned results_total, results_wanted;

static void on_result(void *ctx, const struct probe_result *r)
{
	struct collect *c = ctx;

	if (c->n < MAX_RESULTS) {
		c->r[c->n] = *r;
		c->at_ms[c->n] = loop_now_ms_fresh();
	}
	c->n++;
	if (c->remove_after_first) {
		prober_remove(c->job);
		c->job = NULL;
	}
	results_total++;
	if ((c->want && c->n == c->want) || (results_wanted && results_total == results_wanted))
		loop_stop();
}

static void deadline_cb(void *arg)
{
	*(bool *)arg = true;
	loop_stop();
}

/* Run the loop until a callback stops it or ms pass; true if stopped early.
 * loop_stop() is final, so a test runs the loop once. */
static bool run_for(unsigned ms)
{
	bool expired = false;

	ck_assert(!loop_stopping());
	struct loop_timer *t = loop_timer_add(ms, deadline_cb, &expired);
	loop_run();
	if (!expired)
		loop_timer_cancel(t);
	return !expired;
}

static struct prober_params quick_params(void)
{
	struct prober_params p;

	prober_params_default(&p);
	p.interval_ms = 500;
	p.spacing_ms = 50;
	p.timeout_ms = 300;
	return p;
}

static struct prober_job *add_job(const char *host, unsigned methods, uint16_t port,
                                  struct prober_params p, struct collect *c)
{
	struct prober_job *j = prober_add(host, methods, port, &p, on_result, c);

	ck_assert_msg(j != NULL, "prober_add(%s): %s", host, strerror(errno));
	c->job = j;
	return j;
}

static void setup(void)
{
	loop_init();
	results_total = results_wanted = 0;
}

static void teardown(void)
{
	prober_shutdown();
	loop_shutdown();
}

/* ---- sockets and namespaces of the test's own ---- */

static socklen_t loopback_sa(int family, uint16_t port, struct sockaddr_storage *ss)
{
	struct probe_addr a;

	resolver_parse_literal(family == AF_INET ? "127.0.0.1" : "::1", &a);
	return probe_addr_to_sockaddr(&a, port, ss);
}

static uint16_t bound_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	getsockname(fd, (struct sockaddr *)&ss, &sl);
	return ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
	                                     : ((struct sockaddr_in6 *)&ss)->sin6_port);
}

/* A listening socket on loopback; -1 if the family is not there. */
static int listener(int family, int backlog, uint16_t *port)
{
	struct sockaddr_storage ss;
	socklen_t sl = loopback_sa(family, 0, &ss);
	int fd = socket(family, SOCK_STREAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, backlog) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port = bound_port(fd);
	return fd;
}

/* A loopback port with nothing listening. */
static uint16_t closed_port(int family)
{
	uint16_t port;
	int fd = listener(family, 1, &port);

	ck_assert_int_ge(fd, 0);
	close(fd);
	return port;
}

/* A listener whose accept queue is full: new SYNs are dropped unanswered. */
static int silent_listener(uint16_t *port, int fill[2])
{
	struct sockaddr_storage ss;
	int fd = listener(AF_INET, 0, port);

	ck_assert_int_ge(fd, 0);
	socklen_t sl = loopback_sa(AF_INET, *port, &ss);
	for (int i = 0; i < 2; i++) {
		fill[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		connect(fill[i], (struct sockaddr *)&ss, sl);
	}
	poll(NULL, 0, 50);
	return fd;
}

static bool icmp_usable(int family)
{
	if (icmp_mode(family) != ICMP_MODE_UNAVAILABLE)
		return true;
	fprintf(stderr, "SKIP: no ICMP socket for %s (neither datagram nor raw allowed)\n",
	        family == AF_INET ? "IPv4" : "IPv6");
	return false;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Enter a new, empty network namespace with lo up.  Only root can. */
static bool netns_try(void)
{
	struct ifreq ifr = {0};

	if (unshare(CLONE_NEWNET) < 0)
		return false;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	ck_assert(ioctl(fd, SIOCGIFFLAGS, &ifr) == 0);
	ifr.ifr_flags |= IFF_UP;
	ck_assert(ioctl(fd, SIOCSIFFLAGS, &ifr) == 0);
	close(fd);
	return true;
}

static bool netns_enter(bool allow_ping_sockets)
{
	if (!netns_try()) {
		fprintf(stderr, "SKIP: cannot create a network namespace: %s\n", strerror(errno));
		return false;
	}
	/* Only inside the namespace just made: the host's setting is untouched. */
	if (allow_ping_sockets)
		ck_assert(write_file("/proc/sys/net/ipv4/ping_group_range", "0 2147483647") == 0);
	return true;
}

/* ---- stderr capture, to count log lines ---- */

static FILE *capture;
static int saved_stderr = -1;

static void capture_begin(void)
{
	capture = tmpfile();
	ck_assert(capture != NULL);
	fflush(stderr);
	saved_stderr = dup(2);
	dup2(fileno(capture), 2);
}

static unsigned capture_end_count(const char *needle)
{
	char line[1024];
	unsigned n = 0;

	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	rewind(capture);
	while (fgets(line, sizeof(line), capture)) {
		fputs(line, stderr);
		n += strstr(line, needle) != NULL;
	}
	fclose(capture);
	return n;
}

static void assert_rtts(const struct probe_result *r, unsigned timeout_ms)
{
	ck_assert_uint_le(r->rtt_min_us, r->rtt_avg_us);
	ck_assert_uint_le(r->rtt_avg_us, r->rtt_max_us);
	ck_assert_uint_lt(r->rtt_max_us, timeout_ms * 1000u);
	ck_assert_uint_le(r->jitter_us, r->rtt_max_us - r->rtt_min_us);
}

/* ---- TCP ---- */

static void tcp_expect(int family, bool listening, enum probe_outcome want)
{
	struct collect c = {.want = 1};
	uint16_t port = 0;
	int lfd = -1;

	ck_assert_int_eq(prober_init(0, 0), 0);
	if (listening) {
		lfd = listener(family, 16, &port);
		if (lfd < 0) {
			fprintf(stderr, "SKIP: no %s loopback\n",
			        family == AF_INET ? "IPv4" : "IPv6");
			return;
		}
	} else {
		port = closed_port(family);
	}
	add_job(family == AF_INET ? "127.0.0.1" : "::1", PROBE_METHOD_TCP, port, quick_params(),
	        &c);
	ck_assert(run_for(3000));
	ck_assert_uint_eq(c.n, 1);
	ck_assert_int_eq(c.r[0].outcome, want);
	ck_assert_uint_eq(c.r[0].sent, 3);
	ck_assert_uint_eq(c.r[0].received, want == PROBE_OK ? 3 : 0);
	if (want == PROBE_OK)
		assert_rtts(&c.r[0], 300);
	if (lfd >= 0)
		close(lfd);
}

START_TEST(tcp_ok_ipv4)
{
	tcp_expect(AF_INET, true, PROBE_OK);
}
END_TEST

START_TEST(tcp_refused_ipv4)
{
	tcp_expect(AF_INET, false, PROBE_REFUSED);
}
END_TEST

START_TEST(tcp_ok_ipv6)
{
	tcp_expect(AF_INET6, true, PROBE_OK);
}
END_TEST

START_TEST(tcp_refused_ipv6)
{
	tcp_expect(AF_INET6, false, PROBE_REFUSED);
}
END_TEST

START_TEST(tcp_no_answer)
{
	struct collect c = {.want = 1};
	struct prober_stats st;
	struct prober_params p = quick_params();
	uint16_t port;
	int fill[2];
	int lfd = silent_listener(&port, fill);

	p.timeout_ms = 200;
	ck_assert_int_eq(prober_init(0, 0), 0);
	add_job("127.0.0.1", PROBE_METHOD_TCP, port, p, &c);
	ck_assert(run_for(3000));
	ck_assert_int_eq(c.r[0].outcome, PROBE_NO_ANSWER);
	ck_assert_uint_eq(c.r[0].sent, 3);
	ck_assert_uint_eq(c.r[0].received, 0);
	prober_get_stats(&st);
	ck_assert_uint_eq(st.tcp_inflight, 0);
	close(lfd);
	close(fill[0]);
	close(fill[1]);
}
END_TEST

/* ---- ICMP ---- */

static void icmp_loopback(unsigned payload, enum icmp_mode want_mode)
{
	struct collect c4 = {.want = 1}, c6 = {.want = 1};
	struct prober_params p = quick_params();

	ck_assert_int_eq(prober_init(0, 0), 0);
	if (!icmp_usable(AF_INET))
		return;
	if (want_mode)
		ck_assert_int_eq(icmp_mode(AF_INET), want_mode);
	p.payload = payload;
	add_job("127.0.0.1", PROBE_METHOD_ICMP, 0, p, &c4);
	if (icmp_usable(AF_INET6))
		add_job("::1", PROBE_METHOD_ICMP, 0, p, &c6);
	results_wanted = c6.job ? 2 : 1;
	c4.want = c6.want = 0;
	ck_assert(run_for(3000));
	ck_assert_int_eq(c4.r[0].outcome, PROBE_OK);
	ck_assert_uint_eq(c4.r[0].received, 3);
	assert_rtts(&c4.r[0], 300);
	if (c6.job) {
		if (want_mode)
			ck_assert_int_eq(icmp_mode(AF_INET6), want_mode);
		ck_assert_int_eq(c6.r[0].outcome, PROBE_OK);
		ck_assert_uint_eq(c6.r[0].received, 3);
		assert_rtts(&c6.r[0], 300);
	}
}

#define BATCH_JOBS 500

/* The attempts of many lines fall into shared slots and their echoes go
 * out together: on average several per sendmmsg(), where one per line
 * and attempt would be one each (delays only merge more slots). */
START_TEST(icmp_echoes_batched)
{
	static struct collect c[BATCH_JOBS];
	struct prober_params p = quick_params();
	struct icmp_stats st;

	if (!netns_enter(true))
		return; /* alone: no other program's ICMP on our socket */
	p.interval_ms = 1000;
	p.spacing_ms = 200;
	ck_assert_int_eq(prober_init(0, 0), 0);
	if (!icmp_usable(AF_INET))
		return;
	for (int i = 0; i < BATCH_JOBS; i++) {
		c[i].remove_after_first = true;
		add_job("127.0.0.1", PROBE_METHOD_ICMP, 0, p, &c[i]);
	}
	results_wanted = BATCH_JOBS;
	ck_assert(run_for(5000));
	icmp_get_stats(&st);
	ck_assert_uint_eq(st.sent, 3 * BATCH_JOBS);
	ck_assert_msg(st.batches * 4 <= st.sent, "%llu echoes in %llu sendmmsg calls",
	              (unsigned long long)st.sent, (unsigned long long)st.batches);
	for (int i = 0; i < BATCH_JOBS; i++)
		ck_assert_uint_eq(c[i].r[0].received, 3);
}
END_TEST

/* Echo requests of another program, with identifier `id`, to 127.0.0.1. */
static void foreign_pings(uint16_t id, int n)
{
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};

	ck_assert_int_ge(fd, 0);
	for (int i = 0; i < n; i++) {
		uint8_t pkt[16] = {8, 0, 0, 0, (uint8_t)(id >> 8), (uint8_t)id, 0, (uint8_t)i};
		uint16_t ck = icmp_checksum(pkt, sizeof(pkt));
		pkt[2] = (uint8_t)(ck >> 8);
		pkt[3] = (uint8_t)ck;
		ck_assert_int_eq(
		    sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&to, sizeof(to)),
		    (ssize_t)sizeof(pkt));
	}
	close(fd);
}

/* A raw socket sees every ICMP message of the host; other programs'
 * replies must not even be read (each would be a wakeup).  Two
 * identifiers: at most one can be ours by chance. */
START_TEST(icmp_raw_ignores_foreign_replies)
{
	struct icmp_stats st;

	if (!netns_enter(false))
		return;
	ck_assert_int_eq(prober_init(0, 0), 0);
	if (icmp_mode(AF_INET) != ICMP_MODE_RAW)
		return;
	foreign_pings(0x1234, 50);
	foreign_pings(0x4321, 50);
	run_for(300);
	icmp_get_stats(&st);
	ck_assert_uint_le(st.received, 50);
}
END_TEST

#define BUSY_MS 20

static void busy_cb(int fd, short revents, void *arg)
{
	(void)fd, (void)revents, (void)arg;
	uint64_t until = loop_clock_us() + BUSY_MS * 1000u;
	while (loop_clock_us() < until)
		;
}

/* Replies wait BUSY_MS on every pass (a watch dispatched before the ICMP
 * socket's keeps the loop busy), yet the RTTs are the loopback's: they
 * come from the kernel's receive timestamps, not from when we read.  In a
 * namespace with a datagram socket, where no other program's ICMP queues
 * up in front of ours while we are busy. */
START_TEST(icmp_rtt_from_kernel_stamps)
{
	struct collect c = {.want = 1};
	int pfd[2];

	if (!netns_enter(true))
		return;
	ck_assert_int_eq(pipe(pfd), 0);
	ck_assert_int_eq(write(pfd[1], "x", 1), 1); /* never read: always ready */
	ck_assert_int_eq(loop_fd_add(pfd[0], POLLIN, busy_cb, NULL), 0);
	ck_assert_int_eq(prober_init(0, 0), 0);
	if (icmp_usable(AF_INET)) {
		add_job("127.0.0.1", PROBE_METHOD_ICMP, 0, quick_params(), &c);
		ck_assert(run_for(5000));
		ck_assert_uint_eq(c.r[0].received, 3);
		ck_assert_msg(c.r[0].rtt_max_us < BUSY_MS * 1000 / 2, "rtt max %u us",
		              c.r[0].rtt_max_us);
	}
	loop_fd_del(pfd[0]);
	close(pfd[0]);
	close(pfd[1]);
}
END_TEST

START_TEST(icmp_ok)
{
	icmp_loopback(56, 0);
}
END_TEST

START_TEST(icmp_big_payload)
{
	icmp_loopback(ICMP_PAYLOAD_MAX, 0);
}
END_TEST

START_TEST(icmp_datagram_socket)
{
	if (!netns_enter(true))
		return;
	icmp_loopback(56, ICMP_MODE_DATAGRAM);
}
END_TEST

/* An nftables reject in our own namespace answers echo requests to
 * 127.0.0.2 with "administratively prohibited": the host is there. */
static void icmp_unreachable(bool datagram)
{
	struct collect c = {.want = 1};

	if (!netns_enter(datagram))
		return;
	if (system("nft 'add table inet t; add chain inet t in { type filter hook input "
	           "priority 0; }; add rule inet t in ip daddr 127.0.0.2 icmp type echo-request "
	           "reject with icmp type admin-prohibited' 2>/dev/null") != 0) {
		fprintf(stderr, "SKIP: nft not usable\n");
		return;
	}
	ck_assert_int_eq(prober_init(0, 0), 0);
	if (!icmp_usable(AF_INET))
		return;
	ck_assert_int_eq(icmp_mode(AF_INET), datagram ? ICMP_MODE_DATAGRAM : ICMP_MODE_RAW);
	add_job("127.0.0.2", PROBE_METHOD_ICMP, 0, quick_params(), &c);
	ck_assert(run_for(3000));
	ck_assert_int_eq(c.r[0].outcome, PROBE_REFUSED);
	ck_assert_uint_eq(c.r[0].sent, 3);
	ck_assert_uint_eq(c.r[0].received, 0);
}

START_TEST(icmp_unreachable_raw)
{
	icmp_unreachable(false);
}
END_TEST

START_TEST(icmp_unreachable_datagram)
{
	icmp_unreachable(true);
}
END_TEST

START_TEST(both_methods)
{
	struct collect c = {.want = 1};

	ck_assert_int_eq(prober_init(0, 0), 0);
	if (!icmp_usable(AF_INET))
		return;
	/* TCP is refused, ICMP answers: OK, with ICMP's figures. */
	add_job("127.0.0.1", PROBE_METHOD_ICMP | PROBE_METHOD_TCP, closed_port(AF_INET),
	        quick_params(), &c);
	ck_assert(run_for(3000));
	ck_assert_int_eq(c.r[0].outcome, PROBE_OK);
	ck_assert_uint_eq(c.r[0].sent, 3);
	ck_assert_uint_eq(c.r[0].received, 3);
}
END_TEST

START_TEST(both_methods_tcp_only_answers)
{
	struct collect c = {.want = 1};
	uint16_t port;
	int lfd;

	if (!netns_enter(false))
		return;
	/* No ICMP answers in this namespace; TCP still connects. */
	ck_assert(write_file("/proc/sys/net/ipv4/icmp_echo_ignore_all", "1") == 0);
	ck_assert_int_eq(prober_init(0, 0), 0);
	lfd = listener(AF_INET, 16, &port);
	ck_assert_int_ge(lfd, 0);
	add_job("127.0.0.1", PROBE_METHOD_ICMP | PROBE_METHOD_TCP, port, quick_params(), &c);
	ck_assert(run_for(3000));
	ck_assert_int_eq(c.r[0].outcome, PROBE_OK);
	ck_assert_uint_eq(c.r[0].received, 3); /* TCP's figures */
	close(lfd);
}
END_TEST

/* ---- names ---- */

/* Stops the loop once the name is settled and the job reported. */
struct name_wait {
	struct resolver_name *name;
	struct collect *c;
	enum resolver_status status;
	struct probe_addr addr;
};

static void poll_name_cb(void *arg)
{
	struct name_wait *w = arg;

	if (w->status == RESOLVER_PENDING)
		w->status = resolver_get(w->name, &w->addr);
	if (w->status != RESOLVER_PENDING && w->c->n > 0)
		loop_stop();
	else
		loop_timer_add(5, poll_name_cb, w);
}

/* Resolves host and runs a job of `methods` on it.  The interval leaves a
 * slow first lookup (valgrind) time before the round would give up. */
static void resolve_and_probe(const char *host, unsigned methods, struct name_wait *w)
{
	struct prober_params p = quick_params();

	p.interval_ms = 1500;
	w->name = resolver_add(host);
	ck_assert(w->name != NULL);
	w->c->want = 0;
	add_job(host, methods, 9, p, w->c);
	loop_timer_add(5, poll_name_cb, w);
	ck_assert(run_for(4000));
	ck_assert_uint_ge(w->c->n, 1);
	resolver_remove(w->name);
	/* glibc's idle getaddrinfo_a threads exit after about a second; until
	 * then their per-thread resolver state looks leaked to valgrind. */
	if (RUNNING_ON_VALGRIND)
		sleep(2);
}

START_TEST(literal_addresses)
{
	struct probe_addr a;
	char buf[INET6_ADDRSTRLEN];

	ck_assert(resolver_parse_literal("127.0.0.1", &a));
	ck_assert_int_eq(a.family, AF_INET);
	ck_assert_str_eq(probe_addr_str(&a, buf, sizeof(buf)), "127.0.0.1");
	ck_assert(resolver_parse_literal("::1", &a));
	ck_assert_int_eq(a.family, AF_INET6);
	ck_assert(!resolver_parse_literal("localhost", &a));
	ck_assert(!resolver_parse_literal("127.0.0", &a));
	ck_assert(!resolver_parse_literal("[::1]", &a));
	ck_assert(!resolver_parse_literal("", &a));
}
END_TEST

START_TEST(localhost_resolves)
{
	struct probe_addr lo4, lo6;
	struct collect c = {0};
	struct name_wait w = {.c = &c};

	/* /etc/hosts should answer; in an empty namespace, should it not, no
	 * DNS query can leave the machine either. */
	netns_try();
	ck_assert_int_eq(prober_init(0, 0), 0);
	/* ICMP if we can; else TCP to port 9 on loopback, refused: the name
	 * was resolved either way. */
	resolve_and_probe("localhost", icmp_usable(AF_INET) ? PROBE_METHOD_ICMP : PROBE_METHOD_TCP,
	                  &w);
	ck_assert_int_eq(w.status, RESOLVER_OK);
	resolver_parse_literal("127.0.0.1", &lo4);
	resolver_parse_literal("::1", &lo6);
	ck_assert(probe_addr_equal(&w.addr, &lo4) || probe_addr_equal(&w.addr, &lo6));
	ck_assert(c.r[0].outcome == PROBE_OK || c.r[0].outcome == PROBE_REFUSED);
}
END_TEST

START_TEST(unresolvable_name)
{
	struct collect c = {0};
	struct name_wait w = {.c = &c};

	/* An empty namespace: the lookup cannot leave the machine. */
	if (!netns_enter(false))
		return;
	ck_assert_int_eq(prober_init(0, 0), 0);
	resolve_and_probe("nonexistent.invalid", PROBE_METHOD_TCP, &w);
	ck_assert_int_eq(w.status, RESOLVER_FAILED);
	ck_assert_int_eq(c.r[0].outcome, PROBE_UNRESOLVED);
	ck_assert_uint_eq(c.r[0].sent, 0);
}
END_TEST

/* ---- scheduling ---- */

#define SPREAD_JOBS 1000

START_TEST(first_rounds_spread)
{
	static struct collect c[SPREAD_JOBS];
	struct prober_params p = quick_params();
	unsigned slice[10] = {0};
	uint16_t port = closed_port(AF_INET);

	ck_assert_int_eq(prober_init(0, 0), 0);
	p.interval_ms = 2000;
	p.count = 1;
	p.timeout_ms = 200;
	uint64_t t0 = loop_now_ms_fresh();
	for (int i = 0; i < SPREAD_JOBS; i++) {
		c[i].remove_after_first = true;
		add_job("127.0.0.1", PROBE_METHOD_TCP, port, p, &c[i]);
	}
	results_wanted = SPREAD_JOBS;
	ck_assert(run_for(4000));
	for (int i = 0; i < SPREAD_JOBS; i++) {
		ck_assert_uint_eq(c[i].n, 1);
		ck_assert_int_eq(c[i].r[0].outcome, PROBE_REFUSED);
		uint64_t k = (c[i].at_ms[0] - t0) * 10 / p.interval_ms;
		slice[k > 9 ? 9 : k]++;
	}
	for (int k = 0; k < 10; k++)
		ck_assert_msg(slice[k] <= SPREAD_JOBS * 15 / 100, "slice %d has %u first rounds", k,
		              slice[k]);
}
END_TEST

/* Rounds keep the phase of their anchor: round i starts at anchor +
 * i x interval (+ the wheel's slot and at most interval/50 of jitter), not
 * one interval after the last round ended.  A loaded machine (ASan, CI)
 * may deliver a result late now and then, and that must not fail the test:
 * the phase is read from the earliest rounds, a late one is allowed if the
 * rounds after it are back on phase, and what fails is drift (every round a
 * little later than the one before) or a round that comes early. */
START_TEST(rounds_keep_phase)
{
	enum { ROUNDS = 8, LATE_ALLOWED = 2 };
	struct collect c = {.want = ROUNDS};
	struct prober_params p = quick_params();

	ck_assert_int_eq(prober_init(0, 0), 0);
	p.interval_ms = 250;
	p.count = 1;
	p.timeout_ms = 100;
	add_job("127.0.0.1", PROBE_METHOD_TCP, closed_port(AF_INET), p, &c);
	ck_assert(run_for(4000));
	unsigned tol = RUNNING_ON_VALGRIND ? 80 : 30;
	/* The phase: the earliest start among the rounds, each moved back by
	 * its multiple of the interval (a delay only ever makes one later). */
	uint64_t phase = UINT64_MAX;
	for (unsigned i = 0; i < ROUNDS; i++)
		if (c.at_ms[i] - (uint64_t)i * 250 < phase)
			phase = c.at_ms[i] - (uint64_t)i * 250;
	unsigned late = 0;
	for (unsigned i = 0; i < ROUNDS; i++) {
		uint64_t off = c.at_ms[i] - (uint64_t)i * 250 - phase;
		if (off > tol)
			late++;
	}
	ck_assert_msg(late <= LATE_ALLOWED, "%u of %u rounds off their phase by more than %u ms",
	              late, (unsigned)ROUNDS, tol);
}
END_TEST

static void stop_cb(void *arg)
{
	(void)arg;
	loop_stop();
}

/* Once the job's first connect hangs, remove it; then watch for 500 ms
 * that nothing more happens. */
static void remove_when_busy(void *arg)
{
	struct collect *c = arg;
	struct prober_stats st;

	prober_get_stats(&st);
	if (st.tcp_inflight == 0) {
		loop_timer_add(1, remove_when_busy, c);
		return;
	}
	prober_remove(c->job);
	c->job = NULL;
	loop_timer_add(500, stop_cb, NULL);
}

START_TEST(remove_mid_round)
{
	struct collect c = {0};
	struct prober_params p = quick_params();
	struct prober_stats st;
	uint16_t port;
	int fill[2];
	int lfd = silent_listener(&port, fill);

	ck_assert_int_eq(prober_init(0, 0), 0);
	add_job("127.0.0.1", PROBE_METHOD_TCP | PROBE_METHOD_ICMP, port, p, &c);
	loop_timer_add(1, remove_when_busy, &c);
	ck_assert(run_for(2000));
	ck_assert_ptr_null(c.job);
	ck_assert_uint_eq(c.n, 0);
	prober_get_stats(&st);
	ck_assert_uint_eq(st.jobs, 0);
	ck_assert_uint_eq(st.tcp_inflight, 0);
	close(lfd);
	close(fill[0]);
	close(fill[1]);
}
END_TEST

static unsigned max_inflight_seen;

static void sample_inflight(void *arg)
{
	struct prober_stats st;

	(void)arg;
	prober_get_stats(&st);
	if (st.tcp_inflight > max_inflight_seen)
		max_inflight_seen = st.tcp_inflight;
	loop_timer_add(2, sample_inflight, NULL);
}

START_TEST(tcp_budget)
{
	enum { JOBS = 8 };
	struct collect c[JOBS];
	struct prober_params p = quick_params();
	struct prober_stats st;
	unsigned local_errors = 0;
	uint16_t port;
	int fill[2];
	int lfd = silent_listener(&port, fill);

	capture_begin();
	ck_assert_int_eq(prober_init(1, 0), 0);
	p.count = 2;
	p.timeout_ms = 300;
	memset(c, 0, sizeof(c));
	for (int i = 0; i < JOBS; i++)
		add_job("127.0.0.1", PROBE_METHOD_TCP, port, p, &c[i]);
	loop_timer_add(2, sample_inflight, NULL);
	run_for(1500);
	prober_get_stats(&st);
	unsigned logged = capture_end_count("budget exhausted");
	for (int i = 0; i < JOBS; i++)
		for (unsigned k = 0; k < c[i].n && k < MAX_RESULTS; k++)
			local_errors += c[i].r[k].outcome == PROBE_LOCAL_ERROR;
	ck_assert_uint_le(max_inflight_seen, 1);
	ck_assert_uint_gt(st.rounds_delayed, 0);
	ck_assert_uint_gt(local_errors, 0);
	ck_assert_uint_eq(local_errors, st.rounds_local_error);
	ck_assert_uint_eq(logged, 1);
	close(lfd);
	close(fill[0]);
	close(fill[1]);
}
END_TEST

START_TEST(bad_params)
{
	struct prober_params p;
	struct collect c = {0};

	ck_assert_int_eq(prober_init(0, 0), 0);
	prober_params_default(&p);
	ck_assert_ptr_null(prober_params_check(&p));
	p.count = 0;
	ck_assert_ptr_nonnull(prober_params_check(&p));
	prober_params_default(&p);
	p.interval_ms = 1400; /* 2 * 200 + 1000 does not fit strictly */
	ck_assert_ptr_nonnull(prober_params_check(&p));
	prober_params_default(&p);
	p.payload = 4;
	ck_assert_ptr_nonnull(prober_params_check(&p));
	prober_params_default(&p);
	ck_assert_ptr_null(prober_add("127.0.0.1", 0, 0, &p, on_result, &c));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(prober_add("127.0.0.1", PROBE_METHOD_TCP, 0, &p, on_result, &c));
	ck_assert_ptr_null(prober_add("127.0.0.1", 4, 80, &p, on_result, &c));
	ck_assert_ptr_null(prober_add("", PROBE_METHOD_ICMP, 0, &p, on_result, &c));
}
END_TEST

/* ---- packet parsing ---- */

static size_t put_ipv4(uint8_t *b, size_t payload_len, const char *src, const char *dst)
{
	memset(b, 0, 20);
	b[0] = 0x45;
	b[2] = (uint8_t)((20 + payload_len) >> 8);
	b[3] = (uint8_t)(20 + payload_len);
	b[8] = 64;
	b[9] = IPPROTO_ICMP;
	inet_pton(AF_INET, src, b + 12);
	inet_pton(AF_INET, dst, b + 16);
	return 20;
}

static size_t put_echo(uint8_t *b, uint8_t type, uint16_t id, uint16_t seq, uint64_t cookie,
                       size_t payload)
{
	memset(b, 0, 8 + payload);
	b[0] = type;
	b[4] = (uint8_t)(id >> 8);
	b[5] = (uint8_t)id;
	b[6] = (uint8_t)(seq >> 8);
	b[7] = (uint8_t)seq;
	if (payload >= 8)
		memcpy(b + 8, &cookie, 8);
	return 8 + payload;
}

static void put_checksum(uint8_t *icmp, size_t len)
{
	icmp[2] = icmp[3] = 0;
	uint16_t ck = icmp_checksum(icmp, len);
	icmp[2] = (uint8_t)(ck >> 8);
	icmp[3] = (uint8_t)ck;
}

START_TEST(parse_valid_ipv4)
{
	uint8_t b[128];
	struct icmp_reply r;
	uint64_t cookie = 0x0123456789abcdefULL;
	size_t n = put_echo(b + 20, 0, 0x1234, 0xbeef, cookie, 56);

	put_checksum(b + 20, n);
	put_ipv4(b, n, "127.0.0.1", "127.0.0.1");
	ck_assert_int_eq(icmp_reply_parse(b, 20 + n, AF_INET, true, &r), 0);
	ck_assert_int_eq(r.kind, ICMP_KIND_ECHO_REPLY);
	ck_assert_uint_eq(r.id, 0x1234);
	ck_assert_uint_eq(r.seq, 0xbeef);
	ck_assert(r.has_cookie);
	ck_assert(r.cookie == cookie);
	/* Datagram sockets hand over the ICMP message alone. */
	ck_assert_int_eq(icmp_reply_parse(b + 20, n, AF_INET, false, &r), 0);
	ck_assert_uint_eq(r.seq, 0xbeef);
	/* Link-layer padding after the IP total length is ignored. */
	memset(b + 20 + n, 0, 6);
	ck_assert_int_eq(icmp_reply_parse(b, 20 + n + 6, AF_INET, true, &r), 0);
	/* A corrupted byte breaks the checksum. */
	b[40] ^= 1;
	ck_assert_int_eq(icmp_reply_parse(b, 20 + n, AF_INET, true, &r), -1);
}
END_TEST

START_TEST(parse_truncated)
{
	uint8_t b[128];
	struct icmp_reply r;
	size_t n = put_echo(b + 20, 0, 1, 2, 3, 56);

	put_checksum(b + 20, n);
	put_ipv4(b, n, "127.0.0.1", "127.0.0.1");
	for (size_t len = 0; len < 20 + n; len++) {
		/* Exactly-sized heap copies, so ASan sees any over-read. */
		uint8_t *copy = malloc(len ? len : 1);
		memcpy(copy, b, len);
		ck_assert_int_eq(icmp_reply_parse(copy, len, AF_INET, true, &r), -1);
		int rc = icmp_reply_parse(copy + (len > 20 ? 20 : len), len > 20 ? len - 20 : 0,
		                          AF_INET, false, &r);
		ck_assert_int_eq(rc, len >= 28 ? 0 : -1);
		if (rc == 0)
			ck_assert(r.has_cookie == (len >= 36));
		free(copy);
	}
}
END_TEST

START_TEST(parse_rejects)
{
	uint8_t b[128];
	struct icmp_reply r;
	size_t n = put_echo(b + 20, 13 /* timestamp */, 1, 2, 3, 56);

	put_checksum(b + 20, n);
	put_ipv4(b, n, "127.0.0.1", "127.0.0.1");
	ck_assert_int_eq(icmp_reply_parse(b, 20 + n, AF_INET, true, &r), -1);
	ck_assert_int_eq(icmp_reply_parse(NULL, 10, AF_INET, false, &r), -1);
	ck_assert_int_eq(icmp_reply_parse(b, 20 + n, AF_UNIX, false, &r), -1);
	b[0] = 0x44; /* IHL 4 words: shorter than any IPv4 header */
	ck_assert_int_eq(icmp_reply_parse(b, 20 + n, AF_INET, true, &r), -1);
	b[0] = 0x4f; /* IHL 60 bytes, past the end of a short packet */
	ck_assert_int_eq(icmp_reply_parse(b, 40, AF_INET, true, &r), -1);
	b[0] = 0x65; /* IPv6 version on the IPv4 socket */
	ck_assert_int_eq(icmp_reply_parse(b, 20 + n, AF_INET, true, &r), -1);
	b[0] = 0x45;
	b[9] = IPPROTO_TCP;
	ck_assert_int_eq(icmp_reply_parse(b, 20 + n, AF_INET, true, &r), -1);
}
END_TEST

START_TEST(parse_ipv4_unreachable)
{
	uint8_t b[128];
	struct icmp_reply r;
	char buf[INET6_ADDRSTRLEN];
	/* outer IP | ICMP 3/13 | quoted IP | first 8 bytes of our echo request */
	uint8_t *icmp = b + 20, *inner = icmp + 8;
	size_t qn = put_echo(inner + 20, 8, 7, 9, 0, 0);

	put_ipv4(inner, qn, "127.0.0.1", "192.0.2.7");
	memset(icmp, 0, 8);
	icmp[0] = 3;
	icmp[1] = 13;
	put_checksum(icmp, 8 + 20 + qn);
	put_ipv4(b, 8 + 20 + qn, "192.0.2.1", "127.0.0.1");
	ck_assert_int_eq(icmp_reply_parse(b, 20 + 8 + 20 + qn, AF_INET, true, &r), 0);
	ck_assert_int_eq(r.kind, ICMP_KIND_UNREACHABLE);
	ck_assert_uint_eq(r.code, 13);
	ck_assert_uint_eq(r.id, 7);
	ck_assert_uint_eq(r.seq, 9);
	ck_assert(!r.has_cookie);
	ck_assert(r.has_dst);
	ck_assert_str_eq(probe_addr_str(&r.dst, buf, sizeof(buf)), "192.0.2.7");
	/* The quoted packet cut short of the echo header is not ours to match. */
	put_checksum(icmp, 8 + 20 + 4);
	put_ipv4(b, 8 + 20 + 4, "192.0.2.1", "127.0.0.1");
	ck_assert_int_eq(icmp_reply_parse(b, 20 + 8 + 20 + 4, AF_INET, true, &r), -1);
}
END_TEST

static size_t put_ipv6(uint8_t *b, uint8_t next, const char *dst)
{
	memset(b, 0, 40);
	b[0] = 0x60;
	b[6] = next;
	b[7] = 64;
	inet_pton(AF_INET6, "::1", b + 8);
	inet_pton(AF_INET6, dst, b + 24);
	return 40;
}

START_TEST(parse_ipv6)
{
	uint8_t b[256];
	struct icmp_reply r;
	char buf[INET6_ADDRSTRLEN];
	size_t n = put_echo(b, 129, 5, 6, 42, 56);

	ck_assert_int_eq(icmp_reply_parse(b, n, AF_INET6, true, &r), 0);
	ck_assert_int_eq(r.kind, ICMP_KIND_ECHO_REPLY);
	ck_assert(r.has_cookie && r.cookie == 42);
	/* Destination unreachable quoting our request to 2001:db8::5 */
	memset(b, 0, 8);
	b[0] = 1;
	b[1] = 3;
	size_t qn = put_ipv6(b + 8, 58, "2001:db8::5");
	qn += put_echo(b + 8 + qn, 128, 5, 6, 42, 56);
	ck_assert_int_eq(icmp_reply_parse(b, 8 + qn, AF_INET6, true, &r), 0);
	ck_assert_int_eq(r.kind, ICMP_KIND_UNREACHABLE);
	ck_assert(r.has_cookie && r.cookie == 42 && r.seq == 6);
	ck_assert_str_eq(probe_addr_str(&r.dst, buf, sizeof(buf)), "2001:db8::5");
	b[8 + 6] = 6; /* the quoted packet is TCP, not ours */
	ck_assert_int_eq(icmp_reply_parse(b, 8 + qn, AF_INET6, true, &r), -1);
	ck_assert_int_eq(icmp_reply_parse(b, 8 + 39, AF_INET6, true, &r), -1);
}
END_TEST

START_TEST(parse_garbage)
{
	unsigned seed = 12345;
	struct icmp_reply r;

	for (int i = 0; i < 20000; i++) {
		size_t len = (size_t)rand_r(&seed) % 160;
		uint8_t *b = malloc(len ? len : 1);
		for (size_t k = 0; k < len; k++)
			b[k] = (uint8_t)rand_r(&seed);
		/* Steer some inputs past the first checks. */
		if (len > 0 && i % 3 == 0)
			b[0] = i % 2 ? 0x45 : 3;
		if (len > 28 && i % 5 == 0)
			b[20] = 3, b[9] = IPPROTO_ICMP, b[0] = 0x45;
		for (int fam = 0; fam < 2; fam++)
			for (int raw = 0; raw < 2; raw++)
				icmp_reply_parse(b, len, fam ? AF_INET6 : AF_INET, raw, &r);
		free(b);
	}
}
END_TEST

START_TEST(checksum_known)
{
	/* RFC 1071 section 3 example: sum 0xddf2, checksum 0x220d */
	const uint8_t b[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
	ck_assert_uint_eq(icmp_checksum(b, sizeof(b)), 0x220d);
	const uint8_t odd[] = {0x01};
	ck_assert_uint_eq(icmp_checksum(odd, 1), 0xfeff);
}
END_TEST

static Suite *prober_suite(void)
{
	Suite *s = suite_create("prober");
	TCase *net = tcase_create("net");
	TCase *parse = tcase_create("parse");

	tcase_add_checked_fixture(net, setup, teardown);
	tcase_set_timeout(net, 15);
	tcase_add_test(net, tcp_ok_ipv4);
	tcase_add_test(net, tcp_refused_ipv4);
	tcase_add_test(net, tcp_ok_ipv6);
	tcase_add_test(net, tcp_refused_ipv6);
	tcase_add_test(net, tcp_no_answer);
	tcase_add_test(net, icmp_ok);
	tcase_add_test(net, icmp_echoes_batched);
	tcase_add_test(net, icmp_raw_ignores_foreign_replies);
	tcase_add_test(net, icmp_rtt_from_kernel_stamps);
	tcase_add_test(net, icmp_big_payload);
	tcase_add_test(net, icmp_datagram_socket);
	tcase_add_test(net, icmp_unreachable_raw);
	tcase_add_test(net, icmp_unreachable_datagram);
	tcase_add_test(net, both_methods);
	tcase_add_test(net, both_methods_tcp_only_answers);
	tcase_add_test(net, literal_addresses);
	tcase_add_test(net, localhost_resolves);
	tcase_add_test(net, unresolvable_name);
	tcase_add_test(net, first_rounds_spread);
	tcase_add_test(net, rounds_keep_phase);
	tcase_add_test(net, remove_mid_round);
	tcase_add_test(net, tcp_budget);
	tcase_add_test(net, bad_params);
	suite_add_tcase(s, net);

	tcase_add_test(parse, parse_valid_ipv4);
	tcase_add_test(parse, parse_truncated);
	tcase_add_test(parse, parse_rejects);
	tcase_add_test(parse, parse_ipv4_unreachable);
	tcase_add_test(parse, parse_ipv6);
	tcase_add_test(parse, parse_garbage);
	tcase_add_test(parse, checksum_known);
	suite_add_tcase(s, parse);
	return s;
}

int main(void)
{
	return unit_run(prober_suite());
}
