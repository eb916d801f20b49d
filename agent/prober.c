/*
 * prober: one timer per job drives its rounds.
 *
 * Timers sit on prober_wheel's 20 ms slots, so the jobs due in one slot
 * share a wakeup (and their echoes one sendmmsg): at 10k lines the loop
 * wakes about 50 times a second instead of for nearly every echo (on a VM
 * a wakeup costs as much as dozens of echoes: 10 ms slots took 17 % more
 * CPU).  RTTs are measured per packet, so the grid costs only up to a slot
 * of delay.
 *
 * A job is IDLE (timer = start of the next round), WAITING (timer = retry
 * after no budget or no address yet) or in a ROUND (timer = next attempt or
 * the oldest attempt's deadline, whichever is first).  Per-attempt state is
 * allocated only while an attempt is outstanding, so an idle job is just
 * its struct and host string.  Finished attempts go to a free list and are
 * reused: an allocator call per echo was a visible part of probing CPU.
 */
#include "prober.h"

#include "log.h"
#include "loop.h"
#include "probe_icmp.h"
#include "probe_tcp.h"
#include "prober_wheel.h"
#include "resolver.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define GOLDEN_FRACTION 0.6180339887498949 /* successive multiples fill [0,1) evenly */
#define JITTER_MAX_MS   250
#define WAIT_FIRST_MS   20
#define WAIT_MAX_MS     1000
#define BURST_QUIET_MS  60000 /* a burst of local errors ends after this long without one */

enum job_state { JOB_IDLE, JOB_WAITING, JOB_ROUND };

/* One method's view of the current round; RTTs in µs. */
struct tally {
	uint8_t sent, received, refused, failed; /* failed: could not even send */
	uint32_t rtt_min, rtt_max, rtt_sum, rtt_last, jitter_sum;
};

struct attempt {
	struct prober_job *job;
	struct attempt *next; /* job's outstanding attempts, oldest first; or the free list */
	uint64_t sent_us;
	unsigned method;
	union {
		struct icmp_echo icmp;
		struct tcp_probe tcp;
	} u;
};

/* Jobs are cache-line aligned and what every timer and answer touches
 * comes first: at 10k jobs each event is a cache miss or two per job. */
struct prober_job {
	/* hot: the first cache line */
	struct prober_wheel_entry timer;
	uint8_t count, methods, sent_slots, state;
	uint16_t spacing_ms, timeout_ms;
	uint64_t t0_ms; /* when the running round started */
	struct attempt *attempts;
	uint64_t anchor_ms; /* this round's slot in the job's phase */
	uint32_t interval_ms;
	uint16_t payload, tcp_port;
	/* the second: sends and results */
	struct probe_addr addr;
	struct tally icmp, tcp;
	prober_result_cb cb;
	void *ctx;
	/* cold */
	uint16_t wait_ms;               /* current back-off while WAITING */
	struct resolver_name *name;     /* NULL when host is a literal address */
	struct prober_job *prev, *next; /* every job, for shutdown */
	char host[];
};

#define JOB_ALIGN 64
_Static_assert(offsetof(struct prober_job, addr) <= JOB_ALIGN, "hot job fields: one cache line");

struct burst {
	uint64_t last_ms;
	unsigned n;
	bool active;
};

#define ATTEMPT_POOL_MAX 4096 /* free attempts kept; beyond that they go back to malloc */

static struct {
	struct prober_job *jobs;
	struct attempt *free_attempts;
	unsigned n_free;
	struct prober_stats stats;
	unsigned short rng[3];
	double phase;    /* where the golden-ratio spread of first rounds is */
	bool fd_starved; /* a socket() hit the fd ceiling; cleared when one closes */
	struct burst budget, send_errors;
} P;

/* ---- small helpers ---- */

static double rnd(void)
{
	return erand48(P.rng);
}

/* Uniform in [-max, +max]. */
static int64_t jitter_ms(const struct prober_job *j)
{
	unsigned max = j->interval_ms / 50 < JITTER_MAX_MS ? j->interval_ms / 50 : JITTER_MAX_MS;

	return (int64_t)(rnd() * (2 * max + 1)) - (int64_t)max;
}

static uint64_t round_span_ms(const struct prober_job *j)
{
	return (uint64_t)(j->count - 1) * j->spacing_ms + j->timeout_ms;
}

/* First of a burst: the caller logs it.  The rest are only counted. */
static bool burst_hit(struct burst *b)
{
	bool first = !b->active;

	b->active = true;
	b->n++;
	b->last_ms = loop_now_ms();
	return first;
}

static void burst_expire(struct burst *b, const char *what)
{
	if (!b->active || loop_now_ms() - b->last_ms < BURST_QUIET_MS)
		return;
	log_msg(LOG_INFO, "%s: over, %u occurrences", what, b->n);
	*b = (struct burst){0};
}

static bool tcp_budget_ok(void)
{
	return P.stats.tcp_inflight < P.stats.tcp_limit &&
	       !(P.fd_starved && P.stats.tcp_inflight > 0);
}

static void note_no_budget(void)
{
	if (burst_hit(&P.budget))
		log_msg(LOG_WARNING,
		        "TCP probe budget exhausted (%u connects in flight, limit %u%s): "
		        "delaying rounds; further occurrences are counted, not logged",
		        P.stats.tcp_inflight, P.stats.tcp_limit,
		        P.fd_starved ? ", fd ceiling reached" : "");
}

/* ---- attempt objects ---- */

static struct attempt *attempt_get(void)
{
	struct attempt *a = P.free_attempts;

	if (!a)
		return malloc(sizeof(*a));
	P.free_attempts = a->next;
	P.n_free--;
	return a;
}

static void attempt_put(struct attempt *a)
{
	if (!a)
		return;
	if (P.n_free >= ATTEMPT_POOL_MAX) {
		free(a);
		return;
	}
	a->next = P.free_attempts;
	P.free_attempts = a;
	P.n_free++;
}

static void attempt_pool_drain(void)
{
	while (P.free_attempts) {
		struct attempt *a = P.free_attempts;
		P.free_attempts = a->next;
		free(a);
	}
	P.n_free = 0;
}

/* ---- outcomes and tallies ---- */

/* One errno-to-outcome table for both methods.  Route errors mean the line
 * is down (a blackhole route gives EINVAL), not that we failed locally. */
static enum probe_outcome attempt_outcome(int err)
{
	switch (err) {
	case 0:
		return PROBE_OK;
	case ECONNREFUSED:
		return PROBE_REFUSED;
	case ETIMEDOUT:
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EHOSTDOWN:
	case ENETDOWN:
	case EINVAL:
	case ECONNRESET:
		return PROBE_NO_ANSWER;
	default:
		return PROBE_LOCAL_ERROR;
	}
}

static void tally_add(struct tally *t, enum probe_outcome o, uint32_t rtt_us)
{
	if (o == PROBE_LOCAL_ERROR) {
		t->failed++;
		return;
	}
	t->sent++;
	if (o == PROBE_REFUSED)
		t->refused++;
	if (o != PROBE_OK)
		return;
	if (!t->received || rtt_us < t->rtt_min)
		t->rtt_min = rtt_us;
	if (rtt_us > t->rtt_max)
		t->rtt_max = rtt_us;
	if (t->received)
		t->jitter_sum += rtt_us > t->rtt_last ? rtt_us - t->rtt_last : t->rtt_last - rtt_us;
	t->rtt_last = rtt_us;
	t->rtt_sum += rtt_us;
	t->received++;
}

static enum probe_outcome tally_outcome(const struct tally *t)
{
	if (t->received)
		return PROBE_OK;
	if (t->refused)
		return PROBE_REFUSED;
	return t->sent ? PROBE_NO_ANSWER : PROBE_LOCAL_ERROR;
}

static void tally_result(const struct tally *t, struct probe_result *r)
{
	*r = (struct probe_result){
	    .outcome = tally_outcome(t), .sent = t->sent, .received = t->received};
	if (!t->received)
		return;
	r->rtt_min_us = t->rtt_min;
	r->rtt_max_us = t->rtt_max;
	r->rtt_avg_us = t->rtt_sum / t->received;
	r->jitter_us = t->received > 1 ? t->jitter_sum / (t->received - 1u) : 0;
}

/* How much an outcome tells about the target: an answer beats a refusal
 * beats silence beats not having asked. */
static int outcome_rank(enum probe_outcome o)
{
	static const int rank[] = {[PROBE_OK] = 0,
	                           [PROBE_REFUSED] = 1,
	                           [PROBE_NO_ANSWER] = 2,
	                           [PROBE_UNRESOLVED] = 3,
	                           [PROBE_LOCAL_ERROR] = 4};
	return rank[o];
}

static void round_result(const struct prober_job *j, struct probe_result *r)
{
	const struct tally *icmp = &j->icmp, *tcp = &j->tcp;

	if (j->methods != (PROBE_METHOD_ICMP | PROBE_METHOD_TCP)) {
		tally_result(j->methods == PROBE_METHOD_ICMP ? icmp : tcp, r);
		return;
	}
	bool icmp_figures = icmp->received || (!tcp->received && icmp->sent);
	enum probe_outcome oi = tally_outcome(icmp), ot = tally_outcome(tcp);
	tally_result(icmp_figures ? icmp : tcp, r);
	r->outcome = outcome_rank(oi) <= outcome_rank(ot) ? oi : ot;
}

/* ---- scheduling ---- */

static void job_arm(struct prober_job *j, uint64_t at_ms)
{
	prober_wheel_arm(&j->timer, at_ms);
}

/* Next slot in the job's phase; slots missed while the loop stalled are
 * skipped rather than run back to back. */
static void schedule_next_round(struct prober_job *j)
{
	uint64_t now = loop_now_ms();
	int64_t jit = jitter_ms(j);

	j->anchor_ms += j->interval_ms;
	if (j->anchor_ms + j->interval_ms / 2 < now)
		j->anchor_ms +=
		    (now - j->anchor_ms + j->interval_ms - 1) / j->interval_ms * j->interval_ms;
	job_arm(j, jit < 0 && (uint64_t)-jit > j->anchor_ms ? 0 : j->anchor_ms + (uint64_t)jit);
}

/* Deliver r and schedule the next round.  The callback comes last: it may
 * remove the job. */
static void round_finish(struct prober_job *j, const struct probe_result *r)
{
	j->state = JOB_IDLE;
	j->wait_ms = 0;
	P.stats.rounds++;
	if (r->outcome == PROBE_LOCAL_ERROR)
		P.stats.rounds_local_error++;
	burst_expire(&P.budget, "TCP probe budget exhaustion");
	burst_expire(&P.send_errors, "probe send errors");
	schedule_next_round(j);
	j->cb(j->ctx, r);
}

static void round_report(struct prober_job *j, enum probe_outcome o)
{
	struct probe_result r = {.outcome = o};

	round_finish(j, &r);
}

/* ---- attempts ---- */

static struct tally *tally_of(struct prober_job *j, unsigned method)
{
	return method == PROBE_METHOD_ICMP ? &j->icmp : &j->tcp;
}

static void attempt_unlink(struct attempt *a)
{
	for (struct attempt **pp = &a->job->attempts; *pp; pp = &(*pp)->next) {
		if (*pp == a) {
			*pp = a->next;
			return;
		}
	}
}

static void attempt_append(struct prober_job *j, struct attempt *a)
{
	struct attempt **pp = &j->attempts;

	while (*pp)
		pp = &(*pp)->next;
	*pp = a;
}

/* Stop waiting on the network for a; it stays linked. */
static void attempt_cancel(struct attempt *a)
{
	if (a->method == PROBE_METHOD_ICMP) {
		icmp_forget(&a->u.icmp);
		return;
	}
	tcp_probe_abort(&a->u.tcp);
	P.stats.tcp_inflight--;
	P.fd_starved = false;
}

static void round_complete(struct prober_job *j)
{
	struct probe_result r;

	round_result(j, &r);
	round_finish(j, &r);
}

static bool round_over(const struct prober_job *j)
{
	return j->sent_slots == j->count && !j->attempts;
}

static void attempt_done(struct attempt *a, int err)
{
	struct prober_job *j = a->job;
	uint64_t rtt =
	    a->method == PROBE_METHOD_ICMP ? a->u.icmp.rtt_us : loop_clock_us() - a->sent_us;
	enum probe_outcome o = attempt_outcome(err);

	/* Its deadline passed while other events were being handled. */
	if (rtt > (uint64_t)j->timeout_ms * 1000u)
		o = PROBE_NO_ANSWER;
	attempt_unlink(a);
	tally_add(tally_of(j, a->method), o, (uint32_t)rtt);
	attempt_put(a);
	if (!round_over(j))
		return;
	prober_wheel_cancel(&j->timer);
	round_complete(j);
}

static void note_send_error(const struct prober_job *j, unsigned method, int err);

static void icmp_done(struct icmp_echo *e, int err)
{
	struct attempt *a = (struct attempt *)((char *)e - offsetof(struct attempt, u.icmp));

	/* Sends go out in batches, so their errors come this way. */
	if (attempt_outcome(err) == PROBE_LOCAL_ERROR)
		note_send_error(a->job, PROBE_METHOD_ICMP, err);
	attempt_done(a, err);
}

static void tcp_done(struct tcp_probe *p, int err)
{
	P.stats.tcp_inflight--;
	P.fd_starved = false;
	attempt_done((struct attempt *)((char *)p - offsetof(struct attempt, u.tcp)), err);
}

static int attempt_send(struct prober_job *j, struct attempt *a)
{
	if (a->method == PROBE_METHOD_ICMP)
		return icmp_send(&a->u.icmp, &j->addr, j->payload);
	if (!tcp_budget_ok()) {
		note_no_budget();
		return EAGAIN;
	}
	int err = tcp_probe_start(&a->u.tcp, &j->addr, j->tcp_port, tcp_done);
	if (err == EMFILE || err == ENFILE) {
		P.fd_starved = true;
		note_no_budget();
	} else if (!err) {
		P.stats.tcp_inflight++;
	}
	return err;
}

static void note_send_error(const struct prober_job *j, unsigned method, int err)
{
	if (err == EAGAIN || err == EMFILE || err == ENFILE)
		return; /* budget: logged as such */
	if (burst_hit(&P.send_errors))
		log_msg(LOG_WARNING,
		        "cannot send %s probe to %s: %s; further send errors are counted, "
		        "not logged",
		        method == PROBE_METHOD_ICMP ? "ICMP" : "TCP", j->host, strerror(err));
}

static void attempt_launch(struct prober_job *j, unsigned method)
{
	struct attempt *a = attempt_get();
	int err = ENOMEM;

	if (a) {
		*a = (struct attempt){.job = j, .method = method, .sent_us = loop_clock_us()};
		err = attempt_send(j, a);
	}
	if (!err) {
		attempt_append(j, a);
		return;
	}
	attempt_put(a);
	enum probe_outcome o = attempt_outcome(err);
	if (o == PROBE_LOCAL_ERROR)
		note_send_error(j, method, err);
	tally_add(tally_of(j, method), o, 0);
}

static void expire_attempts(struct prober_job *j)
{
	uint64_t now = loop_clock_us();
	uint64_t timeout_us = (uint64_t)j->timeout_ms * 1000u;

	while (j->attempts && j->attempts->sent_us + timeout_us <= now) {
		struct attempt *a = j->attempts;
		j->attempts = a->next;
		attempt_cancel(a);
		tally_add(tally_of(j, a->method), PROBE_NO_ANSWER, 0);
		attempt_put(a);
	}
}

static uint64_t next_event_ms(const struct prober_job *j)
{
	uint64_t at = UINT64_MAX;

	if (j->sent_slots < j->count)
		at = j->t0_ms + (uint64_t)j->sent_slots * j->spacing_ms;
	if (j->attempts) {
		uint64_t deadline_us = j->attempts->sent_us + (uint64_t)j->timeout_ms * 1000u;
		uint64_t d = (deadline_us + 999) / 1000;
		at = d < at ? d : at;
	}
	return at;
}

static void round_step(struct prober_job *j)
{
	uint64_t now = loop_now_ms_fresh();

	expire_attempts(j);
	while (j->sent_slots < j->count &&
	       j->t0_ms + (uint64_t)j->sent_slots * j->spacing_ms <= now) {
		j->sent_slots++;
		if (j->methods & PROBE_METHOD_ICMP)
			attempt_launch(j, PROBE_METHOD_ICMP);
		if (j->methods & PROBE_METHOD_TCP)
			attempt_launch(j, PROBE_METHOD_TCP);
	}
	if (round_over(j))
		round_complete(j);
	else
		job_arm(j, next_event_ms(j));
}

/* ---- round start ---- */

/* Retry soon, backing off; give up when the round could no longer end
 * before the next one is due. */
static void round_wait(struct prober_job *j, enum probe_outcome if_late)
{
	uint64_t now = loop_now_ms();
	uint64_t latest = j->anchor_ms + j->interval_ms - round_span_ms(j);

	if (now >= latest) {
		round_report(j, if_late);
		return;
	}
	if (j->state != JOB_WAITING)
		P.stats.rounds_delayed++;
	j->state = JOB_WAITING;
	j->wait_ms = j->wait_ms
	                 ? (uint16_t)(j->wait_ms * 2 > WAIT_MAX_MS ? WAIT_MAX_MS : j->wait_ms * 2)
	                 : (uint16_t)(WAIT_FIRST_MS + rnd() * WAIT_FIRST_MS);
	job_arm(j, now + j->wait_ms < latest ? now + j->wait_ms : latest);
}

static void round_try_start(struct prober_job *j)
{
	if (j->name) {
		enum resolver_status st = resolver_get(j->name, &j->addr);
		if (st == RESOLVER_FAILED) {
			round_report(j, PROBE_UNRESOLVED);
			return;
		}
		if (st == RESOLVER_PENDING) {
			round_wait(j, PROBE_UNRESOLVED);
			return;
		}
	}
	if ((j->methods & PROBE_METHOD_TCP) && !tcp_budget_ok()) {
		note_no_budget();
		round_wait(j, PROBE_LOCAL_ERROR);
		return;
	}
	j->state = JOB_ROUND;
	j->t0_ms = loop_now_ms_fresh();
	j->sent_slots = 0;
	j->icmp = j->tcp = (struct tally){0};
	round_step(j);
}

static void job_timer_cb(struct prober_wheel_entry *e)
{
	struct prober_job *j =
	    (struct prober_job *)((char *)e - offsetof(struct prober_job, timer));

	if (j->state == JOB_ROUND)
		round_step(j);
	else
		round_try_start(j);
}

/* ---- public ---- */

static int fd_ceiling(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur > INT_MAX)
		return INT_MAX;
	return rl.rlim_cur > PROBER_FD_RESERVE ? (int)rl.rlim_cur - PROBER_FD_RESERVE : 0;
}

static void rng_seed(void)
{
	uint64_t seed;

	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != sizeof(seed))
		seed = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
	memcpy(P.rng, &seed, sizeof(P.rng));
	P.phase = rnd();
}

int prober_init(unsigned max_inflight, unsigned resolve_refresh_s)
{
	int ceiling = fd_ceiling();

	memset(&P, 0, sizeof(P));
	prober_wheel_init(job_timer_cb);
	rng_seed();
	P.stats.tcp_limit = max_inflight ? max_inflight : PROBER_INFLIGHT_DEFAULT;
	if ((unsigned)ceiling < P.stats.tcp_limit)
		P.stats.tcp_limit = (unsigned)ceiling;
	tcp_probe_init(ceiling);
	log_msg(LOG_INFO,
	        "TCP probes: at most %u connects in flight, on fds below %d "
	        "(RLIMIT_NOFILE less %d kept in reserve)",
	        P.stats.tcp_limit, ceiling, PROBER_FD_RESERVE);
	if (resolver_init(resolve_refresh_s) < 0)
		return -1;
	icmp_init(icmp_done);
	return 0;
}

static struct prober_job *job_new(const char *host, unsigned methods, uint16_t tcp_port,
                                  const struct prober_params *p)
{
	size_t len = strlen(host);
	size_t size = (sizeof(struct prober_job) + len + 1 + JOB_ALIGN - 1) / JOB_ALIGN * JOB_ALIGN;
	struct prober_job *j = aligned_alloc(JOB_ALIGN, size);

	if (!j)
		return NULL;
	memset(j, 0, size);
	memcpy(j->host, host, len + 1);
	j->interval_ms = p->interval_ms;
	j->count = (uint8_t)p->count;
	j->spacing_ms = (uint16_t)p->spacing_ms;
	j->timeout_ms = (uint16_t)p->timeout_ms;
	j->payload = (uint16_t)p->payload;
	j->methods = (uint8_t)methods;
	j->tcp_port = tcp_port;
	if (!resolver_parse_literal(host, &j->addr) && !(j->name = resolver_add(host))) {
		free(j);
		return NULL;
	}
	return j;
}

/* First rounds: successive jobs take successive golden-ratio fractions of
 * the interval, which cover it evenly however many jobs there are. */
static uint64_t first_offset_ms(const struct prober_job *j)
{
	P.phase += GOLDEN_FRACTION;
	P.phase -= (P.phase >= 1.0);
	return (uint64_t)(P.phase * j->interval_ms);
}

struct prober_job *prober_add(const char *host, unsigned methods, uint16_t tcp_port,
                              const struct prober_params *params, prober_result_cb cb, void *ctx)
{
	if (!host || !*host || !cb || !methods ||
	    (methods & ~(unsigned)(PROBE_METHOD_ICMP | PROBE_METHOD_TCP)) ||
	    ((methods & PROBE_METHOD_TCP) && !tcp_port) || prober_params_check(params)) {
		errno = EINVAL;
		return NULL;
	}
	struct prober_job *j = job_new(host, methods, tcp_port, params);
	if (!j) {
		errno = ENOMEM;
		return NULL;
	}
	j->cb = cb;
	j->ctx = ctx;
	j->next = P.jobs;
	if (P.jobs)
		P.jobs->prev = j;
	P.jobs = j;
	P.stats.jobs++;
	/* schedule_next_round() adds one interval and the jitter. */
	j->anchor_ms = loop_now_ms() + first_offset_ms(j) - j->interval_ms;
	schedule_next_round(j);
	return j;
}

void prober_remove(struct prober_job *j)
{
	if (!j)
		return;
	prober_wheel_cancel(&j->timer);
	while (j->attempts) {
		struct attempt *a = j->attempts;
		j->attempts = a->next;
		attempt_cancel(a);
		attempt_put(a);
	}
	resolver_remove(j->name);
	if (j->prev)
		j->prev->next = j->next;
	else
		P.jobs = j->next;
	if (j->next)
		j->next->prev = j->prev;
	P.stats.jobs--;
	free(j);
}

void prober_shutdown(void)
{
	while (P.jobs)
		prober_remove(P.jobs);
	attempt_pool_drain();
	prober_wheel_shutdown();
	resolver_shutdown();
	icmp_shutdown();
}

void prober_get_stats(struct prober_stats *out)
{
	*out = P.stats;
}
