/*
 * resolver: asynchronous name lookups for probe targets.
 *
 * Why polling and not a SIGEV_THREAD notification: a notification thread is
 * created per completed lookup, and one that is still running at shutdown
 * could write into an fd number that has been closed and reused.  With
 * GAI_NOWAIT and no notification, glibc's workers only write into our gaicb,
 * and a 20 ms timer that exists only while lookups are outstanding reaps
 * them with gai_error().  DNS latency dwarfs the polling delay.
 *
 * At most MAX_LOOKUPS run at once; the rest wait in a FIFO, so a config with
 * thousands of names does not start thousands of glibc threads.
 */
#include "resolver.h"

#include "log.h"
#include "loop.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#define MAX_LOOKUPS       16
#define POLL_MS           20
#define FAIL_RETRY_MAX_MS 30000u /* failed names are retried at least this often */
#define SHUTDOWN_WAIT_MS  2000u
#define FAILURES_LOGGED   5 /* per outage; the rest are only counted */

struct lookup {
	struct gaicb req;
	struct addrinfo hints;
	struct resolver_name *owner;
	struct lookup *next; /* R.inflight list */
};

struct resolver_name {
	struct resolver_name *q_prev, *q_next; /* waiting for a lookup slot */
	struct lookup *lookup;                 /* outstanding lookup, or NULL */
	uint64_t refresh_at;                   /* monotonic ms when the next lookup is due */
	struct probe_addr addr;
	uint8_t status; /* enum resolver_status */
	bool queued;
	bool removed; /* freed when its uncancellable lookup ends */
	char host[];
};

static struct {
	struct resolver_name *q_head, *q_tail;
	struct lookup *inflight;
	unsigned n_inflight;
	struct loop_timer *poll_timer;
	uint64_t refresh_ms;
	unsigned failures; /* failed lookups since the last success */
} R;

/* ---- addresses ---- */

bool resolver_parse_literal(const char *host, struct probe_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, host, out->bytes) == 1) {
		out->family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, host, out->bytes) == 1) {
		out->family = AF_INET6;
		return true;
	}
	return false;
}

/* ---- lookups ---- */

static void poll_timer_cb(void *arg);

static void poll_timer_arm(void)
{
	if (R.n_inflight && !R.poll_timer)
		R.poll_timer = loop_timer_add(POLL_MS, poll_timer_cb, NULL);
}

static void log_failure(const struct resolver_name *n, int rc)
{
	R.failures++;
	if (R.failures <= FAILURES_LOGGED)
		log_msg(LOG_WARNING, "cannot resolve %s: %s; its probes report unresolved", n->host,
		        rc == EAI_SYSTEM ? "system error" : gai_strerror(rc));
	if (R.failures == FAILURES_LOGGED)
		log_msg(LOG_WARNING, "further name resolution failures are counted, not logged");
}

static void log_success(const struct resolver_name *n, const struct probe_addr *a)
{
	char now[INET6_ADDRSTRLEN], was[INET6_ADDRSTRLEN];

	if (R.failures > FAILURES_LOGGED)
		log_msg(LOG_INFO, "name resolution works again; %u failures were not logged",
		        R.failures - FAILURES_LOGGED);
	R.failures = 0;
	if (n->status == RESOLVER_FAILED)
		log_msg(LOG_INFO, "%s resolves again, to %s", n->host,
		        probe_addr_str(a, now, sizeof(now)));
	else if (n->status == RESOLVER_OK && !probe_addr_equal(a, &n->addr))
		log_msg(LOG_INFO, "%s now resolves to %s (was %s)", n->host,
		        probe_addr_str(a, now, sizeof(now)),
		        probe_addr_str(&n->addr, was, sizeof(was)));
}

/* The first answer wins: glibc already sorted them per RFC 6724, which puts
 * addresses we have no route to last. */
static int first_usable(const struct addrinfo *ai, struct probe_addr *out)
{
	for (; ai; ai = ai->ai_next)
		if (ai->ai_addr && probe_addr_from_sockaddr(ai->ai_addr, ai->ai_addrlen, out))
			return 0;
	return EAI_NODATA;
}

static void name_apply(struct resolver_name *n, int rc, const struct addrinfo *res)
{
	struct probe_addr a;
	uint64_t now = loop_now_ms();

	if (rc == 0)
		rc = first_usable(res, &a);
	if (rc != 0) {
		if (n->status != RESOLVER_FAILED)
			log_failure(n, rc);
		n->status = RESOLVER_FAILED;
		n->refresh_at =
		    now + (R.refresh_ms < FAIL_RETRY_MAX_MS ? R.refresh_ms : FAIL_RETRY_MAX_MS);
		return;
	}
	log_success(n, &a);
	n->addr = a;
	n->status = RESOLVER_OK;
	n->refresh_at = now + R.refresh_ms;
}

static void inflight_unlink(struct lookup *lk)
{
	for (struct lookup **pp = &R.inflight; *pp; pp = &(*pp)->next) {
		if (*pp == lk) {
			*pp = lk->next;
			R.n_inflight--;
			return;
		}
	}
}

/* lk is finished (or was cancelled, rc == EAI_CANCELED) and unlinked. */
static void lookup_finish(struct lookup *lk, int rc)
{
	struct resolver_name *n = lk->owner;

	n->lookup = NULL;
	if (n->removed)
		free(n);
	else if (rc != EAI_CANCELED)
		name_apply(n, rc, lk->req.ar_result);
	if (lk->req.ar_result)
		freeaddrinfo(lk->req.ar_result);
	free(lk);
}

static void lookup_start(struct resolver_name *n)
{
	struct lookup *lk = calloc(1, sizeof(*lk));
	if (!lk) {
		name_apply(n, EAI_MEMORY, NULL);
		return;
	}
	lk->hints.ai_family = AF_UNSPEC;
	lk->hints.ai_socktype = SOCK_STREAM; /* one entry per address, not per type */
	lk->req.ar_name = n->host;
	lk->req.ar_request = &lk->hints;
	lk->owner = n;

	struct gaicb *list[1] = {&lk->req};
	int rc = getaddrinfo_a(GAI_NOWAIT, list, 1, NULL);
	if (rc != 0) {
		free(lk);
		name_apply(n, rc, NULL);
		return;
	}
	n->lookup = lk;
	lk->next = R.inflight;
	R.inflight = lk;
	R.n_inflight++;
}

static void queue_unlink(struct resolver_name *n)
{
	if (n->q_prev)
		n->q_prev->q_next = n->q_next;
	else
		R.q_head = n->q_next;
	if (n->q_next)
		n->q_next->q_prev = n->q_prev;
	else
		R.q_tail = n->q_prev;
	n->q_prev = n->q_next = NULL;
	n->queued = false;
}

static void queue_pump(void)
{
	while (R.n_inflight < MAX_LOOKUPS && R.q_head) {
		struct resolver_name *n = R.q_head;
		queue_unlink(n);
		lookup_start(n);
	}
	poll_timer_arm();
}

static void enqueue(struct resolver_name *n)
{
	if (n->queued || n->lookup)
		return;
	n->q_prev = R.q_tail;
	if (R.q_tail)
		R.q_tail->q_next = n;
	else
		R.q_head = n;
	R.q_tail = n;
	n->queued = true;
	queue_pump();
}

static void reap_finished(void)
{
	struct lookup *lk = R.inflight;

	while (lk) {
		struct lookup *next = lk->next;
		int rc = gai_error(&lk->req);
		if (rc != EAI_INPROGRESS) {
			inflight_unlink(lk);
			lookup_finish(lk, rc);
		}
		lk = next;
	}
}

static void poll_timer_cb(void *arg)
{
	(void)arg;
	R.poll_timer = NULL;
	reap_finished();
	queue_pump();
}

/* A request glibc is running cannot be cancelled: it is reaped later.  A
 * cancelled one never completes (gai_error stays EAI_INPROGRESS). */
static void lookup_try_cancel(struct lookup *lk)
{
	int rc = gai_cancel(&lk->req);

	if (rc == EAI_NOTCANCELED)
		return;
	inflight_unlink(lk);
	lookup_finish(lk, rc == EAI_CANCELED ? EAI_CANCELED : gai_error(&lk->req));
}

/* ---- public ---- */

int resolver_init(unsigned refresh_s)
{
	memset(&R, 0, sizeof(R));
	R.refresh_ms = (uint64_t)(refresh_s ? refresh_s : RESOLVER_REFRESH_DEFAULT_S) * 1000u;
	return 0;
}

struct resolver_name *resolver_add(const char *host)
{
	size_t len = strlen(host);
	struct resolver_name *n = calloc(1, sizeof(*n) + len + 1);

	if (!n)
		return NULL;
	memcpy(n->host, host, len + 1);
	n->status = RESOLVER_PENDING;
	enqueue(n);
	return n;
}

enum resolver_status resolver_get(struct resolver_name *n, struct probe_addr *out)
{
	if (n->status == RESOLVER_OK)
		*out = n->addr;
	if (n->status != RESOLVER_PENDING && loop_now_ms() >= n->refresh_at)
		enqueue(n);
	return (enum resolver_status)n->status;
}

void resolver_remove(struct resolver_name *n)
{
	if (!n)
		return;
	if (n->queued)
		queue_unlink(n);
	struct lookup *lk = n->lookup;
	if (!lk) {
		free(n);
		return;
	}
	n->removed = true;
	lookup_try_cancel(lk);
}

/* Lookups glibc is running still write into their gaicb: wait for them a
 * little, and leak the stragglers rather than free memory in use. */
static void wait_inflight(void)
{
	uint64_t end = loop_now_ms_fresh() + SHUTDOWN_WAIT_MS;

	while (R.inflight && loop_now_ms_fresh() < end) {
		const struct gaicb *list[MAX_LOOKUPS];
		int n = 0;
		for (struct lookup *lk = R.inflight; lk && n < MAX_LOOKUPS; lk = lk->next)
			list[n++] = &lk->req;
		struct timespec ts = {0, 100 * 1000000L};
		gai_suspend(list, n, &ts);
		reap_finished();
	}
	if (R.inflight)
		log_msg(LOG_DEBUG, "resolver: %u lookups still running at shutdown", R.n_inflight);
}

void resolver_shutdown(void)
{
	loop_timer_cancel(R.poll_timer);
	R.poll_timer = NULL;
	while (R.q_head)
		queue_unlink(R.q_head);
	struct lookup *lk = R.inflight;
	while (lk) {
		struct lookup *next = lk->next;
		lookup_try_cancel(lk);
		lk = next;
	}
	wait_inflight();
}
