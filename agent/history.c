/*
 * history: the bounded queue the loop fills and the writer thread that
 * empties it into history.db (see history.h).
 */
#include "history.h"

#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grow.h"
#include "history_db.h"
#include "log.h"

#define PRUNE_EVERY_S 3600 /* retention is in days: an hourly look is plenty */
#define WRITER_NICE   10   /* probing and answering come first */
#define BATCH_CHUNK   1024 /* rows of a batch queued per hold of the lock */

static struct {
	pthread_mutex_t mu;
	pthread_cond_t wake;
	bool running, stop;
	pthread_t thread;
	/* ring of rows, guarded by mu: cap slots allocated as rows come,
	 * count of them queued from head on (wrapping), at most bound */
	struct hrow **ring;
	size_t cap, head, count, bound;
	bool full_logged;
	/* settings, guarded by mu */
	char path[PATH_MAX];
	unsigned retention_days;
	bool reopen; /* path changed */
	struct history_status st;
	uint32_t in_flight;
} H = {
    .mu = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER, .bound = HISTORY_QUEUE_MIN};

/* ---- rows ---- */

static struct hrow *row_new(enum history_stmt stmt, unsigned n)
{
	struct hrow *r = calloc(1, sizeof(*r) + n * sizeof(struct hval));

	if (r) {
		r->stmt = (uint8_t)stmt;
		r->n = (uint8_t)n;
	}
	return r;
}

static void row_free(struct hrow *r)
{
	for (unsigned i = 0; r && i < r->n; i++)
		free(r->v[i].s);
	free(r);
}

static void set_int(struct hrow *r, unsigned i, int64_t v)
{
	r->v[i].type = HVAL_INT;
	r->v[i].i = v;
}

/* NULL stays NULL (not known); a copy failing is NULL too. */
static void set_text(struct hrow *r, unsigned i, const char *s)
{
	if (!s)
		return;
	r->v[i].s = strndup(s, HISTORY_TEXT_MAX);
	r->v[i].type = r->v[i].s ? HVAL_TEXT : HVAL_NULL;
}

/* With H.mu held: room for one more row in the ring, which grows on
 * demand (doubling) so that a small config never pays for the bound.
 * The rows that had wrapped to the front follow the old end, so the
 * queue stays in order from head on. */
static bool ring_room_locked(void)
{
	if (H.count < H.cap)
		return true;
	/* full: rows [head, old) then the head rows wrapped to [0, head) */
	size_t old = H.cap, wrap = H.head;
	struct hrow **v = grow_array(H.ring, &H.cap, old + (wrap ? wrap : 1), sizeof(*v), 1024);

	if (!v)
		return false;
	memcpy(v + old, v, wrap * sizeof(*v));
	H.ring = v;
	return true;
}

/* With H.mu held: queue r, or refuse it (false) and count it; *first:
 * the first refusal since the queue last took a row. */
static bool enqueue_locked(struct hrow *r, bool *first)
{
	if (!r || !H.running || H.count >= H.bound || !ring_room_locked()) {
		H.st.dropped++;
		*first = *first || (!H.full_logged && H.running);
		H.full_logged = true;
		return false;
	}
	H.ring[(H.head + H.count) % H.cap] = r;
	H.count++;
	H.st.pending++;
	H.full_logged = false;
	pthread_cond_signal(&H.wake);
	return true;
}

static void log_full(bool first)
{
	if (!first)
		return;
	pthread_mutex_lock(&H.mu);
	size_t count = H.count, bound = H.bound;
	pthread_mutex_unlock(&H.mu);
	log_msg(LOG_ERR,
	        "history: queue full (%zu rows queued, bound %zu): new rows are dropped and "
	        "counted (tslcdHistoryRowsDropped) until the writer catches up",
	        count, bound);
}

/* Hand a row to the writer; a full queue refuses it and counts it. */
static void enqueue(struct hrow *r)
{
	bool first = false;

	pthread_mutex_lock(&H.mu);
	bool queued = enqueue_locked(r, &first);
	pthread_mutex_unlock(&H.mu);
	if (!queued)
		row_free(r);
	log_full(first);
}

void history_put_meta(const char *key, const char *value)
{
	struct hrow *r = row_new(HSTMT_META, 2);

	if (r) {
		set_text(r, 0, key);
		set_text(r, 1, value);
	}
	enqueue(r);
}

static struct hrow *office_row(const struct history_office *o, int64_t now)
{
	struct hrow *r = row_new(HSTMT_OFFICE, 10);

	if (r) {
		set_int(r, 0, o->id);
		set_text(r, 1, o->code);
		set_text(r, 2, o->name);
		set_text(r, 3, o->level);
		set_text(r, 4, o->tier);
		set_text(r, 5, o->province);
		set_text(r, 6, o->commune);
		set_int(r, 7, o->required_lines);
		set_int(r, 8, o->sla_target_ppm);
		set_int(r, 9, now);
	}
	return r;
}

void history_put_office(const struct history_office *o, int64_t now)
{
	enqueue(office_row(o, now));
}

static struct hrow *line_row(const struct history_line *l, int64_t now)
{
	struct hrow *r = row_new(HSTMT_LINE, 7);

	if (r) {
		set_int(r, 0, l->office);
		set_int(r, 1, l->id);
		set_text(r, 2, l->carrier);
		set_text(r, 3, l->circuit);
		set_int(r, 4, l->kbps);
		set_text(r, 5, l->role);
		set_int(r, 6, now);
	}
	return r;
}

void history_put_line(const struct history_line *l, int64_t now)
{
	enqueue(line_row(l, now));
}

/* ---- batches ---- */

struct history_batch {
	struct hrow **v;
	size_t n, cap;
	uint64_t lost; /* rows not built or not kept: dropped */
};

struct history_batch *history_batch_new(void)
{
	return calloc(1, sizeof(struct history_batch));
}

static void batch_add(struct history_batch *b, struct hrow *r)
{
	struct hrow **v = r ? grow_array(b->v, &b->cap, b->n + 1, sizeof(*v), 1024) : NULL;

	if (!v) {
		row_free(r);
		b->lost++;
		return;
	}
	b->v = v;
	b->v[b->n++] = r;
}

void history_batch_office(struct history_batch *b, const struct history_office *o, int64_t now)
{
	batch_add(b, office_row(o, now));
}

void history_batch_line(struct history_batch *b, const struct history_line *l, int64_t now)
{
	batch_add(b, line_row(l, now));
}

/* A chunk at a time: the writer takes rows between chunks, as it does
 * between rows queued one by one. */
void history_batch_put(struct history_batch *b)
{
	bool first = false;
	size_t refused = 0;

	if (!b)
		return;
	for (size_t i = 0; i < b->n;) {
		size_t end = b->n - i > BATCH_CHUNK ? i + BATCH_CHUNK : b->n;
		pthread_mutex_lock(&H.mu);
		for (; i < end; i++)
			if (!enqueue_locked(b->v[i], &first))
				b->v[refused++] = b->v[i]; /* kept for history_batch_free */
		pthread_mutex_unlock(&H.mu);
	}
	b->n = refused;
	pthread_mutex_lock(&H.mu);
	H.st.dropped += b->lost;
	pthread_mutex_unlock(&H.mu);
	b->lost = 0;
	log_full(first);
}

void history_batch_free(struct history_batch *b)
{
	for (size_t i = 0; b && i < b->n; i++)
		row_free(b->v[i]);
	if (b)
		free(b->v);
	free(b);
}

void history_put_outage(const struct history_outage *o)
{
	struct hrow *r = row_new(HSTMT_OUTAGE, 11);

	if (r) {
		set_int(r, 0, o->office);
		set_int(r, 1, o->line);
		set_int(r, 2, o->index);
		set_int(r, 3, o->start);
		if (o->end) { /* open: end and duration not known yet (NULL) */
			set_int(r, 4, o->end);
			set_int(r, 5, o->end - o->start);
		}
		set_text(r, 6, o->cause);
		set_text(r, 7, o->ticket && o->ticket[0] ? o->ticket : NULL);
		if (o->node)
			set_int(r, 8, o->node);
		if (o->last_rtt_us)
			set_int(r, 9, o->last_rtt_us);
		if (o->line) /* an office row has no probe evidence: NULL */
			set_int(r, 10, o->loss_ppm);
	}
	enqueue(r);
}

void history_put_office_outage_close(uint32_t office, int64_t end)
{
	struct hrow *r = row_new(HSTMT_OFFICE_OUTAGE_CLOSE, 2);

	if (r) {
		set_int(r, 0, office);
		set_int(r, 1, end);
	}
	enqueue(r);
}

/* A row of an office, a number and a bound that 0 leaves NULL (none). */
static void put_office_bounded(enum history_stmt stmt, uint32_t office, int64_t v, int64_t bound)
{
	struct hrow *r = row_new(stmt, 3);

	if (r) {
		set_int(r, 0, office);
		set_int(r, 1, v);
		if (bound)
			set_int(r, 2, bound);
	}
	enqueue(r);
}

void history_put_office_outage_cause(uint32_t office, int64_t from, int64_t to)
{
	put_office_bounded(HSTMT_OFFICE_OUTAGE_CAUSE, office, from, to);
}

static void put_line_day(const struct history_day *d, const char *day)
{
	struct hrow *r = row_new(HSTMT_LINE_DAY, 19);

	if (!r)
		return enqueue(r);
	set_int(r, 0, d->office);
	set_int(r, 1, d->line);
	set_text(r, 2, day);
	set_int(r, 3, d->up_s);
	set_int(r, 4, d->degraded_s);
	set_int(r, 5, d->down_s);
	set_int(r, 6, d->maint_s);
	set_int(r, 7, d->unknown_s);
	if (d->has_rtt) {
		set_int(r, 8, d->rtt_avg_us);
		set_int(r, 9, d->rtt_max_us);
	}
	if (d->has_loss)
		set_int(r, 10, d->loss_ppm);
	for (unsigned dir = 0; d->has_bw && dir < 2; dir++) {
		set_int(r, 11 + 3 * dir, (int64_t)d->avg_bps[dir]);
		set_int(r, 12 + 3 * dir, (int64_t)d->peak_bps[dir]);
		set_int(r, 13 + 3 * dir, (int64_t)d->p95_bps[dir]);
		set_int(r, 17 + dir, (int64_t)d->bytes[dir]);
	}
	enqueue(r);
}

static void put_office_day(const struct history_day *d, const char *day)
{
	struct hrow *r = row_new(HSTMT_OFFICE_DAY, 9);

	if (r) {
		set_int(r, 0, d->office);
		set_text(r, 1, day);
		set_int(r, 2, d->up_s);
		set_int(r, 3, d->down_s);
		set_int(r, 4, d->maint_s);
		set_int(r, 5, d->unknown_s);
		set_text(r, 6, d->redundancy);
		set_text(r, 7, d->readiness);
		set_text(r, 8, d->readiness_reason);
	}
	enqueue(r);
}

void history_put_day(const struct history_day *d)
{
	char day[16];

	history_db_day_text(d->day, day, sizeof(day));
	if (d->line)
		put_line_day(d, day);
	else
		put_office_day(d, day);
}

void history_put_notification(const struct history_notification *n)
{
	struct hrow *r = row_new(HSTMT_NOTIFICATION, 10);

	if (r) {
		set_int(r, 0, n->seq);
		set_int(r, 1, n->time);
		set_text(r, 2, n->type);
		set_int(r, 3, n->raise);
		set_int(r, 4, n->office);
		if (n->line)
			set_int(r, 5, n->line);
		set_text(r, 6, n->severity);
		set_int(r, 7, n->value);
		set_int(r, 8, n->threshold);
		set_text(r, 9, n->text);
	}
	enqueue(r);
}

void history_put_report(const struct history_report *rp)
{
	struct hrow *r = row_new(HSTMT_REPORT, 6);

	if (r) {
		set_int(r, 0, rp->time);
		if (rp->office)
			set_int(r, 1, rp->office);
		if (rp->report_time)
			set_int(r, 2, rp->report_time);
		set_int(r, 3, rp->accepted);
		set_text(r, 4, rp->state);
		set_text(r, 5, rp->reason);
	}
	enqueue(r);
}

void history_put_config_load(int64_t time, const char *fingerprint, bool ok, const char *message)
{
	struct hrow *r = row_new(HSTMT_CONFIG_LOAD, 4);

	if (r) {
		set_int(r, 0, time);
		set_text(r, 1, fingerprint);
		set_int(r, 2, ok);
		set_text(r, 3, message && message[0] ? message : NULL);
	}
	enqueue(r);
}

void history_put_orphans(uint32_t office, uint32_t line, int64_t open_start)
{
	put_office_bounded(HSTMT_OUTAGE_ORPHANS, office, line, open_start);
}

/* ---- the writer thread ---- */

/* Rows are allocated on the loop and freed here.  After a burst (the
 * orphan rows of start-up, 17,500 at 10,000 lines; each history-interval's
 * day rows) the freed rows stay resident as holes in the loop's heap, 7 MB
 * at 10,000 lines, unless handed back once the queue has drained. */
#define TRIM_AFTER_ROWS 4096

struct writer {
	struct history_db db;
	bool open;
	struct hrow *batch[HISTORY_BATCH];
	size_t n;
	size_t freed; /* rows freed since the last trim */
	time_t next_prune;
	bool failing;
	bool retry_now; /* a corrupt file was set aside: a fresh one can be made */
	char path[PATH_MAX];
};

/* Outcome of one attempt, for the MIB; one log line per fault episode. */
static void report_result(struct writer *w, int result, const char *msg, size_t written)
{
	pthread_mutex_lock(&H.mu);
	H.st.result = (uint8_t)result;
	if (result == HISTORY_OK) {
		H.st.last_write = written ? time(NULL) : H.st.last_write;
		H.st.written += written;
		H.st.pending -= (uint32_t)written;
		H.st.message[0] = '\0';
	} else {
		H.st.failures++;
		snprintf(H.st.message, sizeof(H.st.message), "%s", msg);
	}
	pthread_mutex_unlock(&H.mu);
	if (result != HISTORY_OK && !w->failing)
		log_msg(LOG_ERR, "history: %s (%s); retrying every %us, rows are kept", msg,
		        history_result_name((unsigned)result), HISTORY_RETRY_S);
	else if (result == HISTORY_OK && w->failing)
		log_msg(LOG_NOTICE, "history: %s writable again", w->path);
	w->failing = result != HISTORY_OK;
}

/* A database that is not one (or malformed when opened) is set aside,
 * never deleted, and a fresh one started: the history goes on. */
static bool move_aside(const char *path)
{
	char to[PATH_MAX + 32], stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
	snprintf(to, sizeof(to), "%s.corrupt-%s", path, stamp);
	if (rename(path, to) == 0) {
		log_msg(LOG_ERR, "history: %s is corrupt: moved to %s, starting a new one", path,
		        to);
		for (const char *ext = "-wal"; ext; ext = ext[1] == 'w' ? "-shm" : NULL) {
			char side[PATH_MAX + 8];
			snprintf(side, sizeof(side), "%s%s", path, ext);
			unlink(side); /* belongs to the file moved aside */
		}
		return true;
	}
	char why[128];
	log_msg(LOG_ERR, "history: %s is corrupt and cannot be moved aside: %s", path,
	        strerror_r(errno, why, sizeof(why)));
	return false;
}

static bool is_symlink(const char *path)
{
	struct stat sb;
	return lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode);
}

static bool writer_open(struct writer *w)
{
	char err[PATH_MAX + 256];
	int result = HISTORY_ERROR;

	if (w->open)
		return true;
	if (is_symlink(w->path)) {
		snprintf(err, sizeof(err), "%s is a symbolic link: refused", w->path);
		report_result(w, HISTORY_ERROR, err, 0);
		return false;
	}
	if (history_db_open(&w->db, w->path, err, sizeof(err), &result) == 0) {
		w->open = true;
		return true;
	}
	report_result(w, result, err, 0);
	if (result == HISTORY_CORRUPT)
		w->retry_now = move_aside(w->path);
	return false;
}

static void writer_close(struct writer *w)
{
	if (w->open)
		history_db_close(&w->db);
	w->open = false;
}

/* Take up to a batch from the queue (keeping what a failed batch held). */
static void take_batch(struct writer *w)
{
	while (w->n < HISTORY_BATCH && H.count) {
		w->batch[w->n++] = H.ring[H.head];
		H.head = (H.head + 1) % H.cap;
		H.count--;
	}
	/* The ring grows only while under the bound: one twice the bound's
	 * size is left from a higher bound (a smaller config): give it back. */
	if (!H.count && H.cap / 2 >= H.bound) {
		free(H.ring);
		H.ring = NULL;
		H.cap = H.head = 0;
	}
}

static bool write_batch(struct writer *w)
{
	char err[PATH_MAX + 256];
	int result = HISTORY_ERROR;

	struct timespec t0, t1;

	if (!writer_open(w))
		return false;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (history_db_write(&w->db, w->batch, w->n, err, sizeof(err), &result) < 0) {
		report_result(w, result, err, 0);
		/* A read-only connection stays one: open again on the retry. */
		if (result == HISTORY_CORRUPT || result == HISTORY_READ_ONLY)
			writer_close(w);
		if (result == HISTORY_CORRUPT)
			w->retry_now = move_aside(w->path);
		return false;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	log_msg(LOG_DEBUG, "history: %zu rows written in %.1f ms", w->n,
	        (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	report_result(w, HISTORY_OK, "", w->n);
	for (size_t i = 0; i < w->n; i++)
		row_free(w->batch[i]);
	w->freed += w->n;
	w->n = 0;
	return true;
}

/* One pruning step when due and idle; the next is due at once while rows
 * keep coming out, so old rows go in small transactions between batches. */
static void prune_some(struct writer *w, unsigned retention_days)
{
	time_t now = time(NULL);

	if (!retention_days || now < w->next_prune || !writer_open(w))
		return;
	int n = history_db_prune_step(w->db.db, (int64_t)now - (int64_t)retention_days * 86400);
	if (n <= 0)
		w->next_prune = now + PRUNE_EVERY_S;
	if (n < 0)
		log_msg(LOG_WARNING, "history: pruning %s: %s", w->path, sqlite3_errmsg(w->db.db));
}

static void wait_for_work(bool failed)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += failed ? HISTORY_RETRY_S : 60;
	while (!H.stop && (failed || !H.count) && !H.reopen)
		if (pthread_cond_timedwait(&H.wake, &H.mu, &until) == ETIMEDOUT)
			break;
}

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	bool failed = false;

	/* Linux nices threads one by one; failing to is harmless. */
	(void)setpriority(PRIO_PROCESS, (id_t)gettid(), WRITER_NICE);
	pthread_mutex_lock(&H.mu);
	for (;;) {
		if (H.reopen) {
			writer_close(w);
			snprintf(w->path, sizeof(w->path), "%s", H.path);
			H.reopen = false;
		}
		if (H.stop && ((!H.count && !w->n) || failed))
			break;
		if (!w->n && !H.count && w->next_prune > time(NULL))
			wait_for_work(false);
		take_batch(w);
		unsigned retention = H.retention_days;
		pthread_mutex_unlock(&H.mu);
		w->retry_now = false;
		bool wrote = w->n != 0;
		failed = w->n && !write_batch(w) && !w->retry_now;
		if (wrote && !w->n)
			w->next_prune = 0; /* what just came in may be past the retention already */
		if (!w->n)
			prune_some(w, retention);
		pthread_mutex_lock(&H.mu);
		if (failed)
			wait_for_work(true);
		else if (w->freed >= TRIM_AFTER_ROWS && !H.count) {
			w->freed = 0;
			pthread_mutex_unlock(&H.mu); /* the loop may queue meanwhile */
			malloc_trim(0);
			pthread_mutex_lock(&H.mu);
		}
	}
	pthread_mutex_unlock(&H.mu);
	writer_close(w);
	for (size_t i = 0; i < w->n; i++)
		row_free(w->batch[i]); /* still counted in pending: history_stop() reports them */
	free(w);
	return NULL;
}

/* ---- start, stop, status ---- */

static void set_params(const struct history_params *p)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/" HISTORY_FILE, p->dir);
	if (strcmp(path, H.path)) {
		snprintf(H.path, sizeof(H.path), "%s", path);
		H.reopen = true;
	}
	H.retention_days = p->retention_days;
}

uint32_t history_start(const struct history_params *p)
{
	struct writer *w = calloc(1, sizeof(*w));

	if (!w) {
		free(w);
		log_msg(LOG_ERR, "history: out of memory: no history is recorded");
		return 0;
	}
	pthread_mutex_lock(&H.mu);
	set_params(p);
	snprintf(w->path, sizeof(w->path), "%s", H.path);
	H.reopen = false;
	H.stop = false;
	H.running = pthread_create(&H.thread, NULL, writer_main, w) == 0;
	pthread_mutex_unlock(&H.mu);
	if (!H.running) {
		free(w);
		log_msg(LOG_ERR, "history: cannot start the writer thread: no history is recorded");
		return 0;
	}
	return is_symlink(w->path) ? 0 : history_db_last_seq(w->path);
}

void history_reconfigure(const struct history_params *p)
{
	pthread_mutex_lock(&H.mu);
	set_params(p);
	pthread_cond_signal(&H.wake);
	pthread_mutex_unlock(&H.mu);
}

/* The stop waits for the queue to drain; a database already failing is
 * not retried (what is left is counted as dropped and logged). */
void history_stop(unsigned timeout_ms)
{
	struct timespec until;

	if (!H.running)
		return;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout_ms / 1000;
	pthread_mutex_lock(&H.mu);
	H.stop = true;
	pthread_cond_signal(&H.wake);
	pthread_mutex_unlock(&H.mu);
	/* A writer stuck in the kernel (a hung disk) is left behind: the
	 * process is ending, and nothing it uses is freed under it. */
	if (pthread_timedjoin_np(H.thread, NULL, &until) != 0) {
		log_msg(LOG_ERR, "history: writer still busy at stop: %u rows not written",
		        H.st.pending);
		pthread_detach(H.thread);
		return;
	}
	pthread_mutex_lock(&H.mu);
	H.running = false;
	if (H.st.pending)
		log_msg(LOG_ERR, "history: %u rows not written at stop: %s", H.st.pending,
		        H.st.message);
	H.st.dropped += H.st.pending;
	H.st.pending = 0;
	while (H.count) {
		row_free(H.ring[H.head]);
		H.head = (H.head + 1) % H.cap;
		H.count--;
	}
	free(H.ring);
	H.ring = NULL;
	H.cap = H.head = 0;
	pthread_mutex_unlock(&H.mu);
}

/* The bound only caps what a failing database can make the queue hold:
 * it never takes back a row already queued (a lower bound refuses new
 * rows until the writer is under it). */
void history_queue_bound(size_t offices, size_t lines)
{
	size_t n = offices + lines, bound = HISTORY_QUEUE_MIN;

	if (n <= (SIZE_MAX - HISTORY_QUEUE_MIN) / HISTORY_QUEUE_PER_ITEM)
		bound += n * HISTORY_QUEUE_PER_ITEM;
	else
		bound = SIZE_MAX;
	pthread_mutex_lock(&H.mu);
	if (bound > H.bound)
		H.full_logged = false; /* a refusal under the new bound is news */
	H.bound = bound;
	pthread_mutex_unlock(&H.mu);
}

void history_status(struct history_status *out)
{
	pthread_mutex_lock(&H.mu);
	*out = H.st;
	out->bound = H.bound > UINT32_MAX ? UINT32_MAX : (uint32_t)H.bound;
	pthread_mutex_unlock(&H.mu);
}

const char *history_result_name(unsigned r)
{
	static const char *const names[] = {"none",    "ok",       "diskFull", "locked",
	                                    "corrupt", "readOnly", "error"};
	return r < sizeof(names) / sizeof(names[0]) ? names[r] : "?";
}
