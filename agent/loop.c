/*
 * loop: poll(2) based event loop that also drives Net-SNMP.
 *
 * Net-SNMP is not thread-safe, so its sessions (the AgentX link and the
 * async router polls) are serviced here, between our own fds and timers:
 * snmp_select_info2() tells us its fds and next deadline, we poll them with
 * ours, then hand readable ones to snmp_read2() and let run_alarms() and
 * snmp_timeout() do their bookkeeping.
 */
#include "grow.h"
#include "loop.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/library/large_fd_set.h>

struct loop_timer {
	size_t heap_pos;
	loop_timer_cb cb;
	void *arg;
};

/* The keys live in the heap array itself: with 10k lines the heap holds
 * tens of thousands of timers, and following a pointer per comparison was
 * a cache miss each (timer work was the top user-space cost in probing). */
struct heap_slot {
	uint64_t due;
	uint64_t seq; /* FIFO among timers due at the same ms */
	struct loop_timer *t;
};

struct watch {
	loop_fd_cb cb;
	void *arg;
};

struct deferred {
	loop_timer_cb cb;
	void *arg;
};

static struct {
	struct pollfd *pfd; /* our watches first, Net-SNMP's appended per pass */
	struct watch *watch;
	size_t n, cap;
	int *slot_of_fd; /* fd -> index in pfd, or -1 */
	size_t slot_cap;
	bool dirty; /* some pfd[i].fd == -1 awaiting compaction */

	struct heap_slot *heap;
	size_t heap_n, heap_cap;
	uint64_t timer_seq;

	struct deferred *defer;
	size_t defer_n, defer_cap;

	uint64_t now;
	volatile bool stop;
} L;

uint64_t loop_clock_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static uint64_t clock_ms(void)
{
	return loop_clock_us() / 1000u;
}

uint64_t loop_now_ms(void)
{
	return L.now ? L.now : loop_now_ms_fresh();
}

uint64_t loop_now_ms_fresh(void)
{
	L.now = clock_ms();
	return L.now;
}

int loop_init(void)
{
	memset(&L, 0, sizeof(L));
	L.now = clock_ms();
	return 0;
}

void loop_shutdown(void)
{
	for (size_t i = 0; i < L.heap_n; i++)
		free(L.heap[i].t);
	free(L.heap);
	free(L.defer);
	free(L.pfd);
	free(L.watch);
	free(L.slot_of_fd);
	memset(&L, 0, sizeof(L));
}

/* ---- fd watches ---- */

static int slot_map_grow(int fd)
{
	size_t want = L.slot_cap ? L.slot_cap : 64;
	while (want <= (size_t)fd)
		want *= 2;
	if (want == L.slot_cap)
		return 0;
	int *m = realloc(L.slot_of_fd, want * sizeof(*m));
	if (!m)
		return -1;
	for (size_t i = L.slot_cap; i < want; i++)
		m[i] = -1;
	L.slot_of_fd = m;
	L.slot_cap = want;
	return 0;
}

static int watch_array_grow(size_t need)
{
	/* Two arrays, one capacity: each grows from the old one, and L.cap
	 * moves only when both have. */
	size_t pcap = L.cap, wcap = L.cap;
	struct pollfd *p = grow_array(L.pfd, &pcap, need, sizeof(*p), 64);
	if (!p)
		return -1;
	L.pfd = p;
	struct watch *w = grow_array(L.watch, &wcap, need, sizeof(*w), 64);
	if (!w)
		return -1;
	L.watch = w;
	L.cap = wcap;
	return 0;
}

int loop_fd_add(int fd, short events, loop_fd_cb cb, void *arg)
{
	if (fd < 0 || slot_map_grow(fd) < 0 || watch_array_grow(L.n + 1) < 0)
		return -1;
	if (L.slot_of_fd[fd] >= 0)
		return -1;
	L.pfd[L.n] = (struct pollfd){.fd = fd, .events = events};
	L.watch[L.n] = (struct watch){.cb = cb, .arg = arg};
	L.slot_of_fd[fd] = (int)L.n;
	L.n++;
	return 0;
}

int loop_fd_events(int fd, short events)
{
	if (fd < 0 || (size_t)fd >= L.slot_cap || L.slot_of_fd[fd] < 0)
		return -1;
	L.pfd[L.slot_of_fd[fd]].events = events;
	return 0;
}

void loop_fd_del(int fd)
{
	if (fd < 0 || (size_t)fd >= L.slot_cap || L.slot_of_fd[fd] < 0)
		return;
	/* Only mark: we may be inside the dispatch loop over pfd[]. */
	L.pfd[L.slot_of_fd[fd]].fd = -1;
	L.slot_of_fd[fd] = -1;
	L.dirty = true;
}

unsigned loop_fd_count(void)
{
	unsigned n = 0;
	for (size_t i = 0; i < L.n; i++)
		n += L.pfd[i].fd >= 0;
	return n;
}

static void watches_compact(void)
{
	size_t j = 0;

	if (!L.dirty)
		return;
	for (size_t i = 0; i < L.n; i++) {
		if (L.pfd[i].fd < 0)
			continue;
		L.pfd[j] = L.pfd[i];
		L.watch[j] = L.watch[i];
		L.slot_of_fd[L.pfd[j].fd] = (int)j;
		j++;
	}
	L.n = j;
	L.dirty = false;
}

/* ---- timers: binary min-heap on (due, seq) ---- */

static bool slot_before(const struct heap_slot *a, const struct heap_slot *b)
{
	return a->due < b->due || (a->due == b->due && a->seq < b->seq);
}

static void heap_place(size_t pos, struct heap_slot s)
{
	L.heap[pos] = s;
	s.t->heap_pos = pos;
}

/* Returns where the slot settled. */
static size_t heap_up(size_t pos)
{
	struct heap_slot s = L.heap[pos];
	while (pos > 0) {
		size_t parent = (pos - 1) / 2;
		if (!slot_before(&s, &L.heap[parent]))
			break;
		heap_place(pos, L.heap[parent]);
		pos = parent;
	}
	heap_place(pos, s);
	return pos;
}

static size_t heap_down(size_t pos)
{
	struct heap_slot s = L.heap[pos];
	for (;;) {
		size_t c = 2 * pos + 1;
		if (c >= L.heap_n)
			break;
		if (c + 1 < L.heap_n && slot_before(&L.heap[c + 1], &L.heap[c]))
			c++;
		if (!slot_before(&L.heap[c], &s))
			break;
		heap_place(pos, L.heap[c]);
		pos = c;
	}
	heap_place(pos, s);
	return pos;
}

static void heap_remove(size_t pos)
{
	L.heap_n--;
	if (pos == L.heap_n)
		return;
	heap_place(pos, L.heap[L.heap_n]);
	heap_up(heap_down(pos));
}

struct loop_timer *loop_timer_add(uint64_t delay_ms, loop_timer_cb cb, void *arg)
{
	struct heap_slot *h = grow_array(L.heap, &L.heap_cap, L.heap_n + 1, sizeof(*h), 256);
	if (!h)
		return NULL;
	L.heap = h;
	struct loop_timer *t = malloc(sizeof(*t));
	if (!t)
		return NULL;
	*t = (struct loop_timer){.cb = cb, .arg = arg};
	heap_place(L.heap_n, (struct heap_slot){loop_now_ms() + delay_ms, L.timer_seq++, t});
	heap_up(L.heap_n++);
	return t;
}

void loop_timer_cancel(struct loop_timer *t)
{
	if (!t)
		return;
	heap_remove(t->heap_pos);
	free(t);
}

static void timers_run_due(void)
{
	/* Timers added by callbacks with delay 0 run on the next pass, so a
	 * callback that re-arms itself cannot starve the fds. */
	uint64_t now = loop_now_ms_fresh();
	uint64_t last_seq = L.timer_seq;

	while (L.heap_n && L.heap[0].due <= now && L.heap[0].seq < last_seq && !L.stop) {
		struct loop_timer *t = L.heap[0].t;
		heap_remove(0);
		loop_timer_cb cb = t->cb;
		void *arg = t->arg;
		free(t);
		loop_now_ms_fresh(); /* a slow callback before must not age this one's clock */
		cb(arg);
	}
}

int loop_defer(loop_timer_cb cb, void *arg)
{
	struct deferred *d = grow_array(L.defer, &L.defer_cap, L.defer_n + 1, sizeof(*d), 8);
	if (!d)
		return -1;
	L.defer = d;
	L.defer[L.defer_n++] = (struct deferred){cb, arg};
	return 0;
}

/* In order; calls deferred by these calls run too, before the loop sleeps. */
static void deferred_run(void)
{
	for (size_t i = 0; i < L.defer_n; i++) {
		loop_now_ms_fresh();
		L.defer[i].cb(L.defer[i].arg);
	}
	L.defer_n = 0;
}

static int timers_timeout_ms(void)
{
	if (!L.heap_n)
		return -1;
	uint64_t now = loop_now_ms_fresh();
	if (L.heap[0].due <= now)
		return 0;
	uint64_t d = L.heap[0].due - now;
	return d > 60000 ? 60000 : (int)d;
}

/* ---- Net-SNMP integration ---- */

struct snmp_pass {
	netsnmp_large_fd_set fds;
	int numfds;
	int timeout_ms;    /* -1: Net-SNMP has no deadline */
	uint64_t deadline; /* monotonic ms when its timeout is due */
	size_t first;      /* index in pfd[] of Net-SNMP's first fd */
};

static int snmp_pass_prepare(struct snmp_pass *sp)
{
	struct timeval tv = {0, 0};
	int block = 1;

	sp->numfds = 0;
	NETSNMP_LARGE_FD_ZERO(&sp->fds); /* Net-SNMP only adds to it */
	snmp_select_info2(&sp->numfds, &sp->fds, &tv, &block);
	sp->timeout_ms = block ? -1 : (int)(tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000);
	sp->deadline = loop_now_ms_fresh() + (uint64_t)(sp->timeout_ms < 0 ? 0 : sp->timeout_ms);
	sp->first = L.n;
	for (int fd = 0; fd < sp->numfds; fd++) {
		if (!NETSNMP_LARGE_FD_ISSET(fd, &sp->fds))
			continue;
		if (watch_array_grow(L.n + 1) < 0)
			return -1;
		L.pfd[L.n++] = (struct pollfd){.fd = fd, .events = POLLIN};
	}
	return 0;
}

/* Net-SNMP's fds that polled ready into sp->fds; true if any. */
static bool snmp_ready_set(struct snmp_pass *sp, const struct pollfd *p, size_t n)
{
	bool readable = false;

	NETSNMP_LARGE_FD_ZERO(&sp->fds);
	for (size_t i = 0; i < n; i++) {
		if (p[i].revents & (POLLIN | POLLHUP | POLLERR)) {
			NETSNMP_LARGE_FD_SET(p[i].fd, &sp->fds);
			readable = true;
		}
	}
	return readable;
}

/* A subagent hands each AgentX request to Net-SNMP's internal callback
 * session and takes the answer back the same way: two hops through pipes,
 * each ready the moment the read before it returns.  They are served here,
 * polling only Net-SNMP's fds without waiting, not by two more full passes
 * of the loop (timers, deferred calls, every fd): that cut a table read's
 * agent CPU per varbind (tests/bench, "snmptable").  Bounded, so a busy
 * master cannot starve our timers; whatever is left waits for the next pass. */
#define SNMP_HOPS    2
#define SNMP_HOP_FDS 8

static void snmp_read_hops(struct snmp_pass *sp, struct pollfd *hop, size_t n)
{
	for (int k = 0;; k++) {
		snmp_read2(&sp->fds);
		if (k == SNMP_HOPS || n == 0 || poll(hop, n, 0) <= 0 || !snmp_ready_set(sp, hop, n))
			return;
	}
}

static void snmp_pass_finish(struct snmp_pass *sp)
{
	struct pollfd hop[SNMP_HOP_FDS];
	size_t n = L.n - sp->first;
	bool readable = n && snmp_ready_set(sp, L.pfd + sp->first, n);

	if (n > SNMP_HOP_FDS) /* more (never seen): the plain pass serves them */
		n = 0;
	else if (n) /* none: L.pfd may still be NULL, not a memcpy() source */
		memcpy(hop, L.pfd + sp->first, n * sizeof(*hop));
	L.n = sp->first; /* drop Net-SNMP's fds again; they are re-read each pass */
	if (readable)
		snmp_read_hops(sp, hop, n);
	if (sp->timeout_ms >= 0 && loop_now_ms() >= sp->deadline)
		snmp_timeout();
	run_alarms();
	netsnmp_check_outstanding_agent_requests();
}

static int min_timeout(int a, int b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

static void watches_dispatch(size_t count)
{
	for (size_t i = 0; i < count && !L.stop; i++) {
		short rev = L.pfd[i].revents;
		if (!rev || L.pfd[i].fd < 0)
			continue;
		L.pfd[i].revents = 0;
		loop_now_ms_fresh();
		L.watch[i].cb(L.pfd[i].fd, rev, L.watch[i].arg);
	}
}

int loop_run(void)
{
	struct snmp_pass sp;

	L.stop = false; /* a stop ends one run, not the loop for good */
	netsnmp_large_fd_set_init(&sp.fds, FD_SETSIZE);
	while (!L.stop) {
		timers_run_due();
		deferred_run();
		if (L.stop)
			break;
		watches_compact();
		size_t ours = L.n;
		if (snmp_pass_prepare(&sp) < 0)
			break;
		int timeout = min_timeout(timers_timeout_ms(), sp.timeout_ms);
		int nready = poll(L.pfd, L.n, timeout);
		if (nready < 0 && errno != EINTR) {
			L.n = sp.first;
			break;
		}
		loop_now_ms_fresh();
		/* Net-SNMP first: its fds live past `ours` and are dropped after. */
		snmp_pass_finish(&sp);
		if (nready > 0)
			watches_dispatch(ours);
	}
	netsnmp_large_fd_set_cleanup(&sp.fds);
	return L.stop ? 0 : -1;
}

void loop_stop(void)
{
	L.stop = true;
}

bool loop_stopping(void)
{
	return L.stop;
}
