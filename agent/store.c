/*
 * store: the crash-safe state file.  See store.h for the contract and the
 * format; this file has the codec, the atomic file write, the load with its
 * checks, and the background save driven by the loop.
 */
#include "store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "alarm_shelf.h"
#include "alarmlog.h"
#include "log.h"
#include "loop.h"
#include "notify.h"
#include "statefile.h"

/* The codec writes these arrays element by element with their compile-time
 * sizes; changing one changes the format: bump STORE_VERSION or add a
 * record type, and keep reading the old one. */
_Static_assert(AVAIL_HOURS == 25 && AVAIL_DAYS == 31, "availability layout is in the format");
_Static_assert(LINE_STATS_ROUNDS == 12, "line stats ring size is in the format");
_Static_assert(OUTAGE_TICKET_MAX == 32, "ticket width is in the format");

static const uint8_t store_magic[8] = {'T', 'S', 'L', 'C', 'D', 'S', 'T', '\0'};

#define HDR_LEN     20u
#define DIGEST_LEN  32u
#define REC_HDR_LEN 8u
#define MAX_FILE    (1024u * 1024u * 1024u) /* far above 10,000 full lines */

/* ---- encoding ---- */

static void put(struct store_buf *b, const void *src, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n)
			cap *= 2;
		if (!store_buf_reserve(b, cap)) {
			b->oom = true;
			return;
		}
	}
	memcpy(b->p + b->len, src, n);
	b->len += n;
}

/* Little-endian whatever the host is: the file may move between machines. */
static void put_le(struct store_buf *b, uint64_t v, unsigned bytes)
{
	uint8_t tmp[8];

	if (b->len + bytes <= b->cap) { /* the usual case: millions per save */
		for (unsigned i = 0; i < bytes; i++)
			b->p[b->len + i] = (uint8_t)(v >> (8 * i));
		b->len += bytes;
		return;
	}
	for (unsigned i = 0; i < bytes; i++)
		tmp[i] = (uint8_t)(v >> (8 * i));
	put(b, tmp, bytes);
}

#define put_u8(b, v)  put_le(b, (uint8_t)(v), 1)
#define put_u16(b, v) put_le(b, (uint16_t)(v), 2)
#define put_u32(b, v) put_le(b, (uint32_t)(v), 4)
#define put_i32(b, v) put_le(b, (uint32_t)(int32_t)(v), 4)
#define put_i64(b, v) put_le(b, (uint64_t)(int64_t)(v), 8)

static size_t rec_begin(struct store_buf *b, uint32_t type)
{
	put_u32(b, type);
	put_u32(b, 0); /* length, patched by rec_end */
	return b->len;
}

static void rec_end(struct store_buf *b, size_t start)
{
	uint32_t n = (uint32_t)(b->len - start);

	if (b->oom)
		return;
	for (unsigned i = 0; i < 4; i++)
		b->p[start - 4 + i] = (uint8_t)(n >> (8 * i));
}

static void put_period(struct store_buf *b, const struct avail_period *p)
{
	put_i32(b, p->key);
	put_u32(b, p->up);
	put_u32(b, p->down);
	put_u32(b, p->maint);
	put_u32(b, p->outages);
}

static void put_avail(struct store_buf *b, const struct avail *a)
{
	put_i32(b, a->hour_head);
	put_i32(b, a->day_head);
	for (unsigned i = 0; i < AVAIL_HOURS; i++) {
		put_u16(b, a->hour[i].up);
		put_u16(b, a->hour[i].down);
		put_u16(b, a->hour[i].maint);
	}
	for (unsigned i = 0; i < AVAIL_DAYS; i++) {
		put_u32(b, a->day[i].up);
		put_u32(b, a->day[i].down);
		put_u32(b, a->day[i].maint);
	}
	put_period(b, &a->month);
	put_period(b, &a->prev_month);
	put_period(b, &a->quarter);
	put_period(b, &a->prev_quarter);
}

static void put_stats(struct store_buf *b, const struct line_stats *s)
{
	for (unsigned i = 0; i < LINE_STATS_ROUNDS; i++) {
		const struct line_stats_round *r = &s->ring[i];
		put_u32(b, r->rtt_min_us);
		put_u32(b, r->rtt_avg_us);
		put_u32(b, r->rtt_max_us);
		put_u32(b, r->jitter_us);
		put_u8(b, r->sent);
		put_u8(b, r->received);
	}
	put_u8(b, s->head);
	put_u8(b, s->count);
	put_u32(b, s->last_rtt_us);
}

static void put_outage(struct store_buf *b, const struct outage *o)
{
	uint8_t ticket[OUTAGE_TICKET_MAX] = {0};

	memcpy(ticket, o->ticket, strnlen(o->ticket, OUTAGE_TICKET_MAX));
	put_u32(b, o->index);
	put_i64(b, o->start);
	put_i64(b, o->end);
	put_u8(b, o->cause);
	put(b, ticket, sizeof(ticket));
	put_u32(b, o->last_rtt_us);
	put_u32(b, o->loss_ppm);
}

static void put_office(struct store_buf *b, const struct office *o)
{
	size_t start = rec_begin(b, STORE_REC_OFFICE);

	put_u32(b, o->cfg->id);
	put_u8(b, o->status);
	put_i64(b, o->last_change);
	put_avail(b, &o->av);
	rec_end(b, start);
}

static void put_line(struct store_buf *b, const struct line *l)
{
	size_t start = rec_begin(b, STORE_REC_LINE);
	const struct linestate *ls = &l->ls;
	const struct outage *o = NULL;

	put_u32(b, l->office->cfg->id);
	put_u32(b, l->cfg->id);
	put_u8(b, ls->reported);
	put_u8(b, ls->tracked);
	put_u8(b, ls->in_maint);
	put_u8(b, ls->good_streak);
	put_u8(b, ls->bad_streak);
	put_u8(b, ls->band_streak);
	put_i64(b, l->last_change);
	put_stats(b, &l->stats);
	put_avail(b, &l->av);
	put_u32(b, l->outages.last_index);
	put_u16(b, l->outages.count);
	while ((o = outage_next(&l->outages, o ? o->index : 0)) != NULL)
		put_outage(b, o);
	rec_end(b, start);
}

/* STORE_REC_BANDWIDTH: counters, calendars and the sample window in period
 * order (so a different window length can take what fits).  The poll status
 * and the alarm flag are not kept: the alarm itself is (STORE_REC_ALARM),
 * and model_bw_restored() sets the flag from it. */
static void put_calendar(struct store_buf *b, const struct bw_calendar *c)
{
	put_i32(b, c->key);
	put_le(b, c->octets[BW_IN], 8);
	put_le(b, c->octets[BW_OUT], 8);
	put_le(b, c->cs, 8);
	put_u16(b, c->peak[BW_IN]);
	put_u16(b, c->peak[BW_OUT]);
	put_le(b, c->peak_bps[BW_IN], 8);
	put_le(b, c->peak_bps[BW_OUT], 8);
}

static void put_bandwidth(struct store_buf *b, const struct line *l)
{
	const struct bw_line *w = l->bw;
	size_t start = rec_begin(b, STORE_REC_BANDWIDTH);

	put_u32(b, l->office->cfg->id);
	put_u32(b, l->cfg->id);
	put_u32(b, w->sample_s);
	put_u8(b, w->have_prev);
	put_u32(b, w->prev.uptime_cs);
	put_u8(b, w->prev.width);
	put_le(b, w->prev.in, 8);
	put_le(b, w->prev.out, 8);
	put_u8(b, w->prev.has_disc);
	put_u32(b, w->prev.disc_cs);
	put_u32(b, w->prev.ifindex);
	put_i64(b, w->last_ok);
	put_i64(b, w->last_fail);
	put_i64(b, w->disc_time);
	put_i64(b, w->acc_period);
	put_le(b, w->acc_octets[BW_IN], 8);
	put_le(b, w->acc_octets[BW_OUT], 8);
	put_le(b, w->acc_cs, 8);
	put_calendar(b, &w->month);
	put_calendar(b, &w->quarter);
	put_i64(b, w->last_period);
	put_u32(b, w->cap);
	for (int64_t k = w->last_period - (int64_t)w->cap + 1; k <= w->last_period; k++) {
		put_u16(b, bw_window_sample(w, k, BW_IN));
		put_u16(b, bw_window_sample(w, k, BW_OUT));
	}
	rec_end(b, start);
}

/* A string as u16 length + bytes (no NUL), at most max - 1 bytes. */
static void put_str(struct store_buf *b, const char *str, size_t max)
{
	size_t n = strnlen(str, max - 1);

	put_u16(b, n);
	put(b, str, n);
}

/* STORE_REC_ALARM: the alarm as the table shows it.  seq is not kept: it
 * numbers this run's notifications, and a restart announces again. */
static void put_alarm(struct store_buf *b, const struct alarm *a)
{
	size_t start = rec_begin(b, STORE_REC_ALARM);

	put_u32(b, a->key.type);
	put_u32(b, a->key.office);
	put_u32(b, a->key.line);
	put_u32(b, a->id);
	put_u8(b, a->severity);
	put_i64(b, a->raised);
	put_i32(b, a->value);
	put_i32(b, a->threshold);
	put_str(b, a->text, sizeof(a->text));
	put_i32(b, a->extra.readiness_state);
	put_str(b, a->extra.readiness_reason, sizeof(a->extra.readiness_reason));
	put_i64(b, a->extra.report_time);
	put_i32(b, a->extra.cert_days_left);
	/* Appended (issue 17): older readers ignore it, older files lack it. */
	put_i64(b, a->acked);
	put_str(b, a->acked_by, sizeof(a->acked_by));
	put_str(b, a->note, sizeof(a->note));
	rec_end(b, start);
}

/* STORE_REC_NOTELOG: one entry of the notification log (alarmlog.h). */
static void put_notelog(struct store_buf *b, const struct notelog_entry *e)
{
	size_t start = rec_begin(b, STORE_REC_NOTELOG);

	put_u32(b, e->seq);
	put_i64(b, e->time);
	put_u8(b, e->type);
	put_u8(b, e->clear);
	put_u8(b, e->severity);
	put_u8(b, e->fate);
	put_u32(b, e->office);
	put_u32(b, e->line);
	put_i32(b, e->value);
	put_i32(b, e->threshold);
	put_str(b, e->text, sizeof(e->text));
	rec_end(b, start);
}

/* STORE_REC_CLEARED: one cleared alarm (alarmlog.h). */
static void put_cleared(struct store_buf *b, const struct cleared_entry *e)
{
	size_t start = rec_begin(b, STORE_REC_CLEARED);

	put_u32(b, e->index);
	put_u32(b, e->alarm_id);
	put_u8(b, e->type);
	put_u8(b, e->severity);
	put_u32(b, e->office);
	put_u32(b, e->line);
	put_i64(b, e->raised);
	put_i64(b, e->cleared);
	put_u32(b, e->raise_seq);
	put_u32(b, e->clear_seq);
	put_str(b, e->text, sizeof(e->text));
	put_i64(b, e->acked);
	put_str(b, e->acked_by, sizeof(e->acked_by));
	rec_end(b, start);
}

/* STORE_REC_SHELF: an operator's shelf (alarm_shelf.h), still running. */
static void put_shelf(struct store_buf *b, const struct shelf *sh)
{
	size_t start = rec_begin(b, STORE_REC_SHELF);

	put_u8(b, sh->kind);
	put_u32(b, sh->key.type);
	put_u32(b, sh->key.office);
	put_u32(b, sh->key.line);
	put_u32(b, sh->alarm_id);
	put_i64(b, sh->since);
	put_i64(b, sh->until);
	put_str(b, sh->by, sizeof(sh->by));
	put_str(b, sh->note, sizeof(sh->note));
	rec_end(b, start);
}

/* STORE_REC_DAYS: today's and yesterday's totals, so the history's day
 * rows carry on after a restart instead of starting the day again.
 * Files from before this record load as before: the days start empty. */
static void put_day_totals(struct store_buf *b, const struct day_totals *t)
{
	put_i32(b, t->day);
	put_u32(b, t->up_s);
	put_u32(b, t->degraded_s);
	put_u32(b, t->down_s);
	put_u32(b, t->maint_s);
	put_u32(b, t->rtt_max_us);
	put_u32(b, t->answers);
	put_u32(b, t->attempts);
	put_le(b, t->rtt_sum_us, 8);
	put_le(b, t->octets[BW_IN], 8);
	put_le(b, t->octets[BW_OUT], 8);
	put_le(b, t->poll_cs, 8);
	put_le(b, t->peak_bps[BW_IN], 8);
	put_le(b, t->peak_bps[BW_OUT], 8);
}

static void put_days(struct store_buf *b, uint32_t office, uint32_t line, const struct day_acct *a)
{
	size_t start = rec_begin(b, STORE_REC_DAYS);

	put_u32(b, office);
	put_u32(b, line);
	put_day_totals(b, &a->cur);
	put_day_totals(b, &a->prev);
	rec_end(b, start);
}

/* STORE_REC_INTERVALS: the running interval in full, then no closed
 * records (count 0): those are in intervals.log (ivlog.h).  The count and
 * the records after it stay in the format: files written before the log
 * hold them, newest first. */
static void put_intervals(struct store_buf *b, uint32_t office, uint32_t line,
                          const struct interval_line *v)
{
	const struct interval_cur *c = &v->cur;
	size_t start = rec_begin(b, STORE_REC_INTERVALS);

	put_u32(b, office);
	put_u32(b, line);
	put_u16(b, v->len_s);
	put_i32(b, v->head);
	put_u8(b, 0); /* closed records: in intervals.log */
	put_i32(b, c->num);
	for (unsigned i = 0; i < IV_N_SECS; i++)
		put_u16(b, c->secs[i]);
	put_u8(b, c->suspect);
	put_u32(b, c->sent);
	put_u32(b, c->answered);
	put_u32(b, c->rtt_min_us);
	put_u32(b, c->rtt_max_us);
	put_le(b, c->rtt_sum_us, 8);
	put_le(b, c->octets[0], 8);
	put_le(b, c->octets[1], 8);
	put_le(b, c->poll_cs, 8);
	for (unsigned i = 0; i < RTTHIST_BINS; i++)
		put_u16(b, c->hist.n[i]);
	rec_end(b, start);
}

/* ---- encoding the model ---- */

void store_enc_begin(struct store_encoder *e, struct store_buf reuse, time_t now, size_t size_hint)
{
	*e = (struct store_encoder){.b = {.p = reuse.p, .cap = reuse.cap}};
	ivlog_enc_begin(&e->log);
	store_buf_reserve(&e->b, size_hint); /* without it, put() grows the buffer */
	put(&e->b, store_magic, sizeof(store_magic));
	put_u32(&e->b, STORE_VERSION);
	put_i64(&e->b, now);
	/* The sequence goes on after a restart, so numbers are never reused
	 * (the history keys notifications by it). */
	size_t start = rec_begin(&e->b, STORE_REC_AGENT);
	put_u32(&e->b, notify_seq());
	rec_end(&e->b, start);
}

bool store_enc_step(struct store_encoder *e, const struct model *m, size_t max_lines)
{
	size_t n = 0;

	while (e->office < m->n_offices && n < max_lines) {
		const struct office *o = &m->offices[e->office];
		if (e->line == 0) {
			put_office(&e->b, o);
			put_days(&e->b, o->cfg->id, 0, &o->days);
		}
		for (; e->line < o->n_lines && n < max_lines; e->line++, n++, e->lines++) {
			const struct line *l = &o->lines[e->line];
			model_line_settle(m, l);
			put_line(&e->b, l);
			if (l->bw)
				put_bandwidth(&e->b, l);
			put_days(&e->b, o->cfg->id, l->cfg->id, &l->days);
			put_intervals(&e->b, o->cfg->id, l->cfg->id, &l->iv);
			ivlog_enc_line(&e->log, o->cfg->id, l->cfg->id, &l->iv);
		}
		if (e->line < o->n_lines)
			break;
		e->office++;
		e->line = 0;
	}
	return e->office >= m->n_offices;
}

void store_enc_free_log(struct store_encoder *e)
{
	ivlog_enc_free(&e->log);
}

void store_enc_alarms(struct store_encoder *e, const struct alarm_set *alarms)
{
	const struct alarm_shelves *sv = notify_shelves();

	for (size_t i = 0; alarms && i < alarms->n; i++)
		put_alarm(&e->b, alarms->v[i]);
	for (size_t i = 0; i < sv->n; i++)
		put_shelf(&e->b, &sv->v[i]);
	for (size_t i = 0; i < alarmlog_count(ALARMLOG_NOTIFY); i++)
		put_notelog(&e->b, alarmlog_at(ALARMLOG_NOTIFY, i));
	for (size_t i = 0; i < alarmlog_count(ALARMLOG_CLEARED); i++)
		put_cleared(&e->b, alarmlog_at(ALARMLOG_CLEARED, i));
}

/* ---- writing the file ---- */

static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The encoding, then its SHA-256; 0 or an errno value. */
static int write_framed(int fd, const struct store_buf *b)
{
	uint8_t digest[DIGEST_LEN];
	unsigned dlen = 0;

	if (b->oom)
		return ENOMEM;
	if (!EVP_Digest(b->p, b->len, digest, &dlen, EVP_sha256(), NULL))
		return EIO;
	int e = write_all(fd, b->p, b->len);
	return e ? e : write_all(fd, digest, DIGEST_LEN);
}

static void tmp_path(char *buf, size_t len, const char *dir, pid_t pid)
{
	snprintf(buf, len, "%s/" STORE_FILE ".tmp-%ld", dir, (long)pid);
}

/* strerror() is not thread-safe, and the writer thread reports errors too. */
static void put_error(char *err, size_t errlen, const char *what, const char *path, int e)
{
	char text[128];

	snprintf(err, errlen, "%s %s: %s", what, path, strerror_r(e, text, sizeof(text)));
}

int store_write_file(const struct store_buf *b, const char *dir, char *err, size_t errlen)
{
	char tmp[PATH_MAX], dst[PATH_MAX];
	const char *step;
	int e, fd;

	tmp_path(tmp, sizeof(tmp), dir, getpid());
	snprintf(dst, sizeof(dst), "%s/" STORE_FILE, dir);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0) {
		put_error(err, errlen, "create", tmp, errno);
		return -1;
	}
	e = write_framed(fd, b);
	step = e ? "write" : "fsync";
	if (!e && fsync(fd) < 0)
		e = errno;
	if (close(fd) < 0 && !e) {
		e = errno;
		step = "close";
	}
	if (!e && rename(tmp, dst) < 0) {
		e = errno;
		step = "rename";
	}
	if (e) {
		unlink(tmp); /* the last good file is untouched */
		put_error(err, errlen, step, tmp, e);
		return -1;
	}
	/* Without this the rename itself may not survive a power cut. */
	e = statefile_fsync_dir(dir);
	if (e) {
		put_error(err, errlen, "fsync directory", dir, e);
		return -1;
	}
	return 0;
}

bool store_buf_reserve(struct store_buf *b, size_t cap)
{
	if (cap <= b->cap)
		return true;
	uint8_t *p = realloc(b->p, cap);
	if (!p)
		return false;
	b->p = p;
	b->cap = cap;
	return true;
}

void store_buf_free(struct store_buf *b)
{
	free(b->p);
	*b = (struct store_buf){0};
}

int store_save(const struct model *m, const struct alarm_set *alarms, const char *dir, time_t now,
               char *err, size_t errlen)
{
	struct store_encoder e;

	store_enc_begin(&e, (struct store_buf){0}, now, 0);
	store_enc_step(&e, m, SIZE_MAX);
	store_enc_alarms(&e, alarms);
	int rc = ivlog_append(&e.log, dir, err, errlen);
	if (rc == 0)
		rc = store_write_file(&e.b, dir, err, errlen);
	store_enc_free_log(&e);
	store_buf_free(&e.b);
	return rc;
}

/* ---- decoding ---- */

struct rbuf {
	const uint8_t *p;
	size_t len, pos;
	bool short_read;
};

static uint64_t get_le(struct rbuf *r, unsigned bytes)
{
	uint64_t v = 0;

	if (r->len - r->pos < bytes) {
		r->short_read = true;
		r->pos = r->len;
		return 0;
	}
	for (unsigned i = 0; i < bytes; i++)
		v |= (uint64_t)r->p[r->pos + i] << (8 * i);
	r->pos += bytes;
	return v;
}

#define get_u8(r)  ((uint8_t)get_le(r, 1))
#define get_u16(r) ((uint16_t)get_le(r, 2))
#define get_u32(r) ((uint32_t)get_le(r, 4))
#define get_i32(r) ((int32_t)(uint32_t)get_le(r, 4))
#define get_i64(r) ((int64_t)get_le(r, 8))

/* A value that cannot come from a healthy agent is treated as corruption:
 * with a good checksum it means a bug or a hand-made file. */
static const char *get_period(struct rbuf *r, struct avail_period *p, uint32_t max_s)
{
	p->key = get_i32(r);
	p->up = get_u32(r);
	p->down = get_u32(r);
	p->maint = get_u32(r);
	p->outages = get_u32(r);
	if ((uint64_t)p->up + p->down + p->maint > max_s)
		return "calendar period holds more seconds than it is long";
	return NULL;
}

static const char *get_avail(struct rbuf *r, struct avail *a)
{
	const uint32_t month_s = 31u * 86400u + 3600u, quarter_s = 92u * 86400u + 3600u;
	const char *err = NULL;

	a->hour_head = get_i32(r);
	a->day_head = get_i32(r);
	for (unsigned i = 0; i < AVAIL_HOURS; i++) {
		struct avail_secs16 *h = &a->hour[i];
		h->up = get_u16(r);
		h->down = get_u16(r);
		h->maint = get_u16(r);
		if ((uint32_t)h->up + h->down + h->maint > 3600u)
			err = "hourly bucket holds more than an hour";
	}
	for (unsigned i = 0; i < AVAIL_DAYS; i++) {
		/* checked before the 17-bit fields could cut a crafted value */
		uint32_t up = get_u32(r), down = get_u32(r), maint = get_u32(r);

		if ((uint64_t)up + down + maint > 86400u) {
			err = "daily bucket holds more than a day";
			up = down = maint = 0;
		}
		a->day[i] = (struct avail_day){.up = up, .down = down, .maint = maint};
	}
	const char *e1 = get_period(r, &a->month, month_s);
	const char *e2 = get_period(r, &a->prev_month, month_s);
	const char *e3 = get_period(r, &a->quarter, quarter_s);
	const char *e4 = get_period(r, &a->prev_quarter, quarter_s);
	return err ? err : e1 ? e1 : e2 ? e2 : e3 ? e3 : e4;
}

static const char *get_stats(struct rbuf *r, struct line_stats *s)
{
	for (unsigned i = 0; i < LINE_STATS_ROUNDS; i++) {
		struct line_stats_round *x = &s->ring[i];
		x->rtt_min_us = get_u32(r);
		x->rtt_avg_us = get_u32(r);
		x->rtt_max_us = get_u32(r);
		x->jitter_us = get_u32(r);
		x->sent = get_u8(r);
		x->received = get_u8(r);
	}
	s->head = get_u8(r);
	s->count = get_u8(r);
	s->last_rtt_us = get_u32(r);
	if (s->head >= LINE_STATS_ROUNDS || s->count > LINE_STATS_ROUNDS)
		return "statistics ring position out of range";
	for (unsigned i = 0; i < LINE_STATS_ROUNDS; i++)
		if (s->ring[i].received > s->ring[i].sent)
			return "statistics round received more than it sent";
	return NULL;
}

static const char *get_linestate(struct rbuf *r, struct linestate *ls)
{
	ls->reported = get_u8(r);
	ls->tracked = get_u8(r);
	ls->in_maint = get_u8(r);
	ls->good_streak = get_u8(r);
	ls->bad_streak = get_u8(r);
	ls->band_streak = get_u8(r);
	if (ls->reported < LINE_UNKNOWN || ls->reported > LINE_UNREACHABLE)
		return "line status out of range";
	if (ls->reported == LINE_UNREACHABLE && ls->tracked != LINE_DOWN)
		return "unreachable line not tracked down";
	if (ls->tracked < LINE_UNKNOWN || ls->tracked > LINE_UNRESOLVED ||
	    ls->tracked == LINE_MAINTENANCE)
		return "tracked line status out of range";
	if (ls->in_maint > 1)
		return "maintenance flag out of range";
	return NULL;
}

static const char *get_outage(struct rbuf *r, struct outage *o)
{
	memset(o, 0, sizeof(*o));
	o->index = get_u32(r);
	o->start = get_i64(r);
	o->end = get_i64(r);
	o->cause = get_u8(r);
	for (unsigned i = 0; i < OUTAGE_TICKET_MAX; i++)
		o->ticket[i] = (char)get_u8(r);
	o->last_rtt_us = get_u32(r);
	o->loss_ppm = get_u32(r);
	if (r->short_read)
		return "outage entry truncated";
	if (o->start <= 0 || (o->end != 0 && o->end < o->start))
		return "outage times out of order";
	if (outage_check_cause(o->cause))
		return outage_check_cause(o->cause);
	return outage_check_ticket(o->ticket, strlen(o->ticket));
}

/* ---- plausible values ----
 * A file with a good checksum can still be hand-made: every value that
 * later drives a loop or arithmetic is bounded here, so a restored model
 * can never spin, overflow or stall (a period of INT64_MAX did both). */

#define EPOCH_2000 946684800LL  /* no agent wrote a state file before */
#define EPOCH_2200 7258118400LL /* nor after; keeps every sum in range */
#define DAY_S      86400LL

/* A wall time: 0 (never), or from 2000 to a day after the file was written. */
static bool when_ok(int64_t t, time_t written)
{
	return t == 0 || (t >= EPOCH_2000 && t <= (int64_t)written + DAY_S);
}

/* A period number of unit_s seconds since the epoch, or -1 (none). */
static bool period_ok(int64_t p, int64_t unit_s, time_t written)
{
	return p == -1 || (p >= 0 && p <= ((int64_t)written + DAY_S) / unit_s);
}

/* A calendar key (year * per_year + month or quarter), or 0 (none). */
static bool cal_key_ok(int32_t key, int32_t per_year)
{
	return key == 0 || (key >= 2000 * per_year && key <= 2201 * per_year);
}

static const char *check_avail(const struct avail *a, time_t written)
{
	if (!period_ok(a->hour_head, 3600, written) || !period_ok(a->day_head, DAY_S, written))
		return "availability ring position out of range";
	if (!cal_key_ok(a->month.key, 12) || !cal_key_ok(a->prev_month.key, 12) ||
	    !cal_key_ok(a->quarter.key, 4) || !cal_key_ok(a->prev_quarter.key, 4))
		return "availability calendar key out of range";
	return NULL;
}

/* ---- loading ---- */

/* The file is walked twice: once to check every record, once to apply
 * them, so a bad file never leaves the model half restored. */
struct loader {
	struct model *m;
	time_t now;
	bool apply;
	struct store_load_info *info;
	uint32_t last_seq, last_cleared; /* log keys must rise: one row per key */
};

static const char *fail(struct loader *ld, const char *what, uint32_t a, uint32_t b,
                        const char *err)
{
	snprintf(ld->info->reason, sizeof(ld->info->reason), "%s %u.%u: %s", what, a, b, err);
	return ld->info->reason;
}

static const char *load_office(struct loader *ld, struct rbuf *r)
{
	uint32_t id = get_u32(r);
	uint8_t status = get_u8(r);
	int64_t last_change = get_i64(r);
	struct avail av;
	const char *err = get_avail(r, &av);

	if (r->short_read)
		return fail(ld, "office", id, 0, "record truncated");
	if (status < OFFICE_UNKNOWN || status > OFFICE_UNREACHABLE)
		err = "office status out of range";
	else if (!when_ok(last_change, ld->info->written_at))
		err = "office last change out of range";
	else if (!err)
		err = check_avail(&av, ld->info->written_at);
	if (err)
		return fail(ld, "office", id, 0, err);
	if (!ld->apply)
		return NULL;
	struct office *o = model_find_office(ld->m, id);
	if (!o) {
		ld->info->dropped_offices++;
		return NULL;
	}
	o->status = (enum office_status)status;
	o->last_change = (time_t)last_change;
	o->av = av;
	ld->info->offices++;
	return NULL;
}

/* The outage entries of a line record: checked, and restored if l. */
static const char *load_outages(struct rbuf *r, struct line *l, uint32_t last_index, unsigned n,
                                time_t written)
{
	uint32_t prev = 0;
	struct outage o;

	if (l) {
		unsigned capacity = l->outages.capacity;
		outage_ring_free(&l->outages);
		outage_ring_init(&l->outages, capacity);
	}
	for (unsigned i = 0; i < n; i++) {
		const char *err = get_outage(r, &o);
		if (err)
			return err;
		if (!when_ok(o.start, written) || !when_ok(o.end, written))
			return "outage time out of range";
		if (o.loss_ppm > 1000000u)
			return "outage loss_ppm out of range";
		if (o.index <= prev || o.index > last_index)
			return "outage index out of order";
		if (o.end == 0 && i + 1 < n)
			return "an outage after one still open";
		prev = o.index;
		err = l ? outage_restore(&l->outages, &o) : NULL;
		if (err)
			return err;
	}
	if (l)
		l->outages.last_index = last_index;
	return NULL;
}

static const char *load_line(struct loader *ld, struct rbuf *r)
{
	uint32_t oid = get_u32(r), lid = get_u32(r);
	struct linestate ls;
	struct line_stats stats;
	struct avail av;
	const char *e1 = get_linestate(r, &ls);
	int64_t last_change = get_i64(r);
	const char *e2 = get_stats(r, &stats);
	const char *e3 = get_avail(r, &av);
	uint32_t last_index = get_u32(r);
	uint16_t n = get_u16(r);
	const char *err = e1 ? e1 : e2 ? e2 : e3 ? e3 : check_avail(&av, ld->info->written_at);

	if (!err && !when_ok(last_change, ld->info->written_at))
		err = "line last change out of range";
	if (r->short_read)
		return fail(ld, "line", oid, lid, "record truncated");
	if (err)
		return fail(ld, "line", oid, lid, err);
	struct line *l = ld->apply ? model_find_line(ld->m, oid, lid) : NULL;
	if (ld->apply && !l) {
		ld->info->dropped_lines++;
		return NULL;
	}
	err = load_outages(r, l, last_index, n, ld->info->written_at);
	if (err)
		return fail(ld, "line", oid, lid, err);
	if (!l)
		return NULL;
	l->ls = ls;
	model_line_restored(ld->m, l);
	l->last_change = (time_t)last_change;
	l->stats = stats;
	l->av = av;
	ld->info->lines++;
	return NULL;
}

static void get_calendar(struct rbuf *r, struct bw_calendar *c)
{
	c->key = get_i32(r);
	c->octets[BW_IN] = get_le(r, 8);
	c->octets[BW_OUT] = get_le(r, 8);
	c->cs = get_le(r, 8);
	c->peak[BW_IN] = get_u16(r);
	c->peak[BW_OUT] = get_u16(r);
	c->peak_bps[BW_IN] = get_le(r, 8);
	c->peak_bps[BW_OUT] = get_le(r, 8);
}

/* Everything before the window; checked before anything is applied. */
static const char *get_bw_state(struct rbuf *r, struct bw_line *w, uint32_t *sample_s)
{
	*sample_s = get_u32(r);
	w->have_prev = get_u8(r) != 0;
	w->prev.uptime_cs = get_u32(r);
	w->prev.width = get_u8(r);
	w->prev.in = get_le(r, 8);
	w->prev.out = get_le(r, 8);
	w->prev.has_disc = get_u8(r) != 0;
	w->prev.disc_cs = get_u32(r);
	w->prev.ifindex = get_u32(r);
	w->last_ok = (time_t)get_i64(r);
	w->last_fail = (time_t)get_i64(r);
	w->disc_time = (time_t)get_i64(r);
	w->acc_period = get_i64(r);
	w->acc_octets[BW_IN] = get_le(r, 8);
	w->acc_octets[BW_OUT] = get_le(r, 8);
	w->acc_cs = get_le(r, 8);
	get_calendar(r, &w->month);
	get_calendar(r, &w->quarter);
	if (w->have_prev && (w->prev.width < BW_WIDTH_HC64 || w->prev.width > BW_WIDTH_C32))
		return "counter width out of range";
	return NULL;
}

static const char *check_calendar(const struct bw_calendar *c, int32_t per_year)
{
	if (!cal_key_ok(c->key, per_year))
		return "calendar key out of range";
	return c->cs > 93 * DAY_S * 100 ? "calendar time (cs) out of range" : NULL;
}

/* sample_s as the config allows it; times and periods no later than the
 * file (a period of INT64_MAX made the window loop spin for ever). */
static const char *check_bw(const struct bw_line *w, uint32_t sample_s, int64_t last_period,
                            time_t written)
{
	if (sample_s < 10 || sample_s > 3600)
		return "sample period out of range";
	if (!when_ok(w->last_ok, written) || !when_ok(w->last_fail, written) ||
	    !when_ok(w->disc_time, written))
		return "poll time out of range";
	if (!period_ok(w->acc_period, sample_s, written))
		return "acc_period out of range";
	if (!period_ok(last_period, sample_s, written))
		return "last_period out of range";
	if (w->acc_cs > DAY_S * 100)
		return "acc_cs out of range";
	const char *err = check_calendar(&w->month, 12);
	return err ? err : check_calendar(&w->quarter, 4);
}

static void bw_apply(struct bw_line *dst, const struct bw_line *src, bool same_period)
{
	dst->have_prev = src->have_prev;
	dst->prev = src->prev;
	dst->width = src->prev.width;
	dst->ifindex = src->prev.ifindex;
	dst->last_ok = src->last_ok;
	dst->last_fail = src->last_fail;
	dst->disc_time = src->disc_time;
	dst->month = src->month;
	dst->quarter = src->quarter;
	if (!same_period)
		return;
	dst->acc_period = src->acc_period;
	memcpy(dst->acc_octets, src->acc_octets, sizeof(dst->acc_octets));
	dst->acc_cs = src->acc_cs;
}

static const char *load_bandwidth(struct loader *ld, struct rbuf *r)
{
	uint32_t oid = get_u32(r), lid = get_u32(r), sample_s;
	struct bw_line w = {0};
	const char *err = get_bw_state(r, &w, &sample_s);
	int64_t last_period = get_i64(r);
	uint32_t n = get_u32(r);

	if (r->short_read)
		return fail(ld, "bandwidth", oid, lid, "record truncated");
	if (!err)
		err = check_bw(&w, sample_s, last_period, ld->info->written_at);
	if (err)
		return fail(ld, "bandwidth", oid, lid, err);
	if ((uint64_t)n * 4u > r->len - r->pos)
		return fail(ld, "bandwidth", oid, lid, "window runs past the record");
	struct line *l = ld->apply ? model_find_line(ld->m, oid, lid) : NULL;
	if (!l || !l->bw)
		return NULL; /* gone, or no longer has a counters source */
	bool same = sample_s == l->bw->sample_s;
	bw_apply(l->bw, &w, same);
	for (int64_t k = last_period - (int64_t)n + 1; same && k <= last_period; k++) {
		uint16_t in = get_u16(r), out = get_u16(r);
		bw_window_restore(l->bw, k, in, out);
	}
	bw_window_refresh(l->bw);
	return NULL;
}

/* A u16-length string into dst (NUL-terminated); false when it does not
 * fit or holds a NUL. */
static bool get_str(struct rbuf *r, char *dst, size_t max)
{
	size_t n = get_u16(r);

	if (n >= max || n > r->len - r->pos) {
		r->short_read |= n > r->len - r->pos;
		return false;
	}
	memcpy(dst, r->p + r->pos, n);
	dst[n] = '\0';
	r->pos += n;
	return memchr(dst, '\0', n) == NULL;
}

/* Operator texts must be fit to serve (alarm_shelf_text_problem). */
static bool get_text(struct rbuf *r, char *dst, size_t size, size_t max)
{
	return get_str(r, dst, size) && !alarm_shelf_text_problem(dst, max);
}

static bool get_ack(struct rbuf *r, struct alarm *a)
{
	a->acked = get_i64(r);
	bool ok = get_text(r, a->acked_by, sizeof(a->acked_by), sizeof(a->acked_by) - 1);
	ok &= get_text(r, a->note, sizeof(a->note), ALARM_NOTE_MAX);
	return ok && a->acked >= 0 && (a->acked || !a->acked_by[0]);
}

static const char *check_alarm(const struct alarm *a, bool strings_ok, time_t written)
{
	if (!alarm_type_name(a->key.type))
		return "alarm type out of range";
	if (a->key.office == 0 || (a->key.line != 0) != alarm_type_is_line(a->key.type))
		return "alarm office or line out of range";
	if (a->id == 0)
		return "alarm id 0";
	if (a->severity < SEV_INDETERMINATE || a->severity > SEV_INFO)
		return "alarm severity out of range";
	if (a->raised <= 0 || !when_ok(a->raised, written) ||
	    !when_ok(a->extra.report_time, written) || !when_ok(a->acked, written))
		return "alarm time out of range";
	if (a->extra.readiness_state < 0 || a->extra.readiness_state > 4) /* TC 1..4, 0: none */
		return "alarm readiness_state out of range";
	return strings_ok ? NULL : "alarm text too long or holds a NUL";
}

/* Alarms are collected in the checking pass, into info->alarms (not the
 * model), so the applying pass has nothing left to do for them. */
static const char *load_alarm(struct loader *ld, struct rbuf *r)
{
	struct alarm a = {0};

	a.key.type = get_u32(r);
	a.key.office = get_u32(r);
	a.key.line = get_u32(r);
	a.id = get_u32(r);
	a.severity = get_u8(r);
	a.raised = (time_t)get_i64(r);
	a.value = get_i32(r);
	a.threshold = get_i32(r);
	bool ok = get_str(r, a.text, sizeof(a.text));
	a.extra.readiness_state = get_i32(r);
	ok &= get_str(r, a.extra.readiness_reason, sizeof(a.extra.readiness_reason));
	a.extra.report_time = get_i64(r);
	a.extra.cert_days_left = get_i32(r);
	if (r->pos < r->len) /* written since issue 17: the acknowledgement */
		ok &= get_ack(r, &a);
	const char *err =
	    r->short_read ? "record truncated" : check_alarm(&a, ok, ld->info->written_at);
	if (err)
		return fail(ld, "alarm", a.key.office, a.key.line, err);
	if (ld->apply)
		return NULL;
	uint32_t last_id = ld->info->alarms.last_id; /* ids come from the file */
	struct alarm *added = alarm_add(&ld->info->alarms, &a.key);
	if (!added)
		return fail(ld, "alarm", a.key.office, a.key.line,
		            alarm_find(&ld->info->alarms, &a.key) ? "alarm listed twice"
		                                                  : "out of memory");
	a.seq = 0;
	*added = a;
	ld->info->alarms.last_id = a.id > last_id ? a.id : last_id;
	return NULL;
}

static const char *check_shelf(const struct shelf *sh, time_t written)
{
	bool key = sh->kind == SHELF_KEY;
	if (sh->kind < SHELF_KEY || sh->kind > SHELF_OFFICE)
		return "shelf kind out of range";
	if (sh->key.office == 0 || (key && !alarm_type_name(sh->key.type)) ||
	    (!key && sh->key.type != 0) ||
	    (sh->kind == SHELF_LINE) != (sh->key.line != 0 && !key) ||
	    (key && (sh->key.line != 0) != alarm_type_is_line(sh->key.type)))
		return "shelf target out of range";
	if (!when_ok(sh->since, written) || sh->since == 0 || sh->until <= sh->since ||
	    sh->until - sh->since > ALARM_SHELF_MAX_S)
		return "shelf time out of range";
	return NULL;
}

/* Shelves go to the notifier in the applying pass; ended ones are dropped. */
static const char *load_shelf(struct loader *ld, struct rbuf *r)
{
	struct shelf sh = {0};

	sh.kind = get_u8(r);
	sh.key.type = get_u32(r);
	sh.key.office = get_u32(r);
	sh.key.line = get_u32(r);
	sh.alarm_id = get_u32(r);
	sh.since = get_i64(r);
	sh.until = get_i64(r);
	bool ok = get_text(r, sh.by, sizeof(sh.by), sizeof(sh.by) - 1);
	ok &= get_text(r, sh.note, sizeof(sh.note), ALARM_NOTE_MAX);
	const char *err = r->short_read ? "record truncated"
	                  : !ok         ? "shelf text too long or not printable"
	                                : check_shelf(&sh, ld->info->written_at);
	if (err)
		return fail(ld, "shelf", sh.key.office, sh.key.line, err);
	if (ld->apply && sh.until > time(NULL) && notify_shelve(&sh))
		log_msg(LOG_WARNING, "state: a shelf of office %u could not be restored",
		        sh.key.office);
	return NULL;
}

static const char *check_notelog(const struct notelog_entry *e, bool ok, uint32_t last,
                                 time_t written)
{
	if (!ok)
		return "notification text too long or not printable";
	if (e->seq <= last)
		return "notification seq not rising";
	if (!alarm_type_name(e->type) || e->severity < SEV_CLEARED || e->severity > SEV_INFO ||
	    e->fate < FATE_SENT || e->fate > FATE_SHELVED)
		return "notification type, severity or fate out of range";
	return e->time && when_ok(e->time, written) ? NULL : "notification time out of range";
}

/* Log entries go to the rings in the applying pass (main sizes them first). */
static const char *load_notelog(struct loader *ld, struct rbuf *r)
{
	struct notelog_entry e = {0};

	e.seq = get_u32(r);
	e.time = get_i64(r);
	e.type = get_u8(r);
	uint8_t clear = get_u8(r); /* only 0 and 1 are ours */
	e.clear = clear == 1;
	e.severity = get_u8(r);
	e.fate = get_u8(r);
	e.office = get_u32(r);
	e.line = get_u32(r);
	e.value = get_i32(r);
	e.threshold = get_i32(r);
	bool ok = get_text(r, e.text, sizeof(e.text), sizeof(e.text) - 1);
	const char *err = r->short_read ? "record truncated"
	                  : clear > 1   ? "notification clear flag out of range"
	                                : check_notelog(&e, ok, ld->last_seq, ld->info->written_at);
	if (err)
		return fail(ld, "notification", e.seq, 0, err);
	ld->last_seq = e.seq;
	if (ld->apply)
		alarmlog_note(&e);
	return NULL;
}

static const char *check_cleared(const struct cleared_entry *e, bool ok, uint32_t last,
                                 time_t written)
{
	if (!ok)
		return "cleared alarm text too long or not printable";
	if (e->index <= last)
		return "cleared alarm index not rising";
	if (!alarm_type_name(e->type) || e->severity < SEV_INDETERMINATE || e->severity > SEV_INFO)
		return "cleared alarm type or severity out of range";
	if (!e->raised || !e->cleared || !when_ok(e->raised, written) ||
	    !when_ok(e->cleared, written) || !when_ok(e->acked, written) ||
	    (!e->acked && e->acked_by[0]))
		return "cleared alarm time out of range";
	return NULL;
}

static const char *load_cleared(struct loader *ld, struct rbuf *r)
{
	struct cleared_entry e = {0};

	e.index = get_u32(r);
	e.alarm_id = get_u32(r);
	e.type = get_u8(r);
	e.severity = get_u8(r);
	e.office = get_u32(r);
	e.line = get_u32(r);
	e.raised = get_i64(r);
	e.cleared = get_i64(r);
	e.raise_seq = get_u32(r);
	e.clear_seq = get_u32(r);
	bool ok = get_text(r, e.text, sizeof(e.text), sizeof(e.text) - 1);
	e.acked = get_i64(r);
	ok &= get_text(r, e.acked_by, sizeof(e.acked_by), sizeof(e.acked_by) - 1);
	const char *err = r->short_read
	                      ? "record truncated"
	                      : check_cleared(&e, ok, ld->last_cleared, ld->info->written_at);
	if (err)
		return fail(ld, "cleared alarm", e.index, 0, err);
	ld->last_cleared = e.index;
	if (ld->apply)
		alarmlog_cleared_restore(&e);
	return NULL;
}

static int cmp_id(const void *x, const void *y)
{
	uint32_t a = (*(struct alarm *const *)x)->id, b = (*(struct alarm *const *)y)->id;
	return (a > b) - (a < b);
}

/* The alarm table is indexed by id: two alarms with one id cannot both be
 * rows.  A copy of the pointers is sorted; the set stays in key order. */
static const char *check_alarm_ids(const struct alarm_set *s)
{
	struct alarm **v = malloc((s->n ? s->n : 1) * sizeof(*v));
	const char *err = NULL;

	if (!v)
		return "out of memory";
	if (s->n) /* s->v is NULL for an empty set */
		memcpy(v, s->v, s->n * sizeof(*v));
	qsort(v, s->n, sizeof(*v), cmp_id);
	for (size_t i = 1; i < s->n && !err; i++)
		if (v[i]->id == v[i - 1]->id)
			err = "two alarms share one id";
	free(v);
	return err;
}

static const char *get_day_totals(struct rbuf *r, struct day_totals *t)
{
	t->day = get_i32(r);
	t->up_s = get_u32(r);
	t->degraded_s = get_u32(r);
	t->down_s = get_u32(r);
	t->maint_s = get_u32(r);
	t->rtt_max_us = get_u32(r);
	t->answers = get_u32(r);
	t->attempts = get_u32(r);
	t->rtt_sum_us = get_le(r, 8);
	t->octets[BW_IN] = get_le(r, 8);
	t->octets[BW_OUT] = get_le(r, 8);
	t->poll_cs = get_le(r, 8);
	t->peak_bps[BW_IN] = get_le(r, 8);
	t->peak_bps[BW_OUT] = get_le(r, 8);
	if ((uint64_t)t->up_s + t->degraded_s + t->down_s + t->maint_s > 90000u)
		return "day holds more than 25 hours";
	return t->answers > t->attempts ? "more answers than attempts in a day" : NULL;
}

static const char *load_days(struct loader *ld, struct rbuf *r)
{
	uint32_t oid = get_u32(r), lid = get_u32(r);
	struct day_acct a;
	const char *e1 = get_day_totals(r, &a.cur);
	const char *e2 = get_day_totals(r, &a.prev);

	if (r->short_read)
		return fail(ld, "days", oid, lid, "record truncated");
	if (e1 || e2)
		return fail(ld, "days", oid, lid, e1 ? e1 : e2);
	if (!ld->apply)
		return NULL;
	if (lid) {
		struct line *l = model_find_line(ld->m, oid, lid);
		if (l)
			l->days = a;
	} else {
		struct office *o = model_find_office(ld->m, oid);
		if (o)
			o->days = a;
	}
	return NULL;
}

static void get_interval_rec(struct rbuf *r, struct interval_rec *x)
{
	if (r->len - r->pos < INTERVAL_REC_BYTES) {
		r->short_read = true;
		r->pos = r->len;
		return;
	}
	interval_unpack(r->p + r->pos, x);
	r->pos += INTERVAL_REC_BYTES;
}

static void get_interval_cur(struct rbuf *r, struct interval_cur *c)
{
	c->num = get_i32(r);
	for (unsigned i = 0; i < IV_N_SECS; i++)
		c->secs[i] = get_u16(r);
	c->suspect = get_u8(r) & INTERVAL_SUSPECT_ALL;
	c->sent = get_u32(r);
	c->answered = get_u32(r);
	c->rtt_min_us = get_u32(r);
	c->rtt_max_us = get_u32(r);
	c->rtt_sum_us = get_le(r, 8);
	c->octets[0] = get_le(r, 8);
	c->octets[1] = get_le(r, 8);
	c->poll_cs = get_le(r, 8);
	for (unsigned i = 0; i < RTTHIST_BINS; i++)
		c->hist.n[i] = get_u16(r);
}

static const char *get_intervals(struct rbuf *r, struct interval_line *v, time_t written_at)
{
	memset(v, 0, sizeof(*v));
	v->len_s = get_u16(r);
	v->head = get_i32(r);
	v->count = get_u8(r);
	get_interval_cur(r, &v->cur);
	if (v->count > INTERVAL_KEEP)
		return "interval count out of range";
	/* Slots by unsigned arithmetic: head is not checked yet. */
	for (unsigned k = 1; k <= v->count; k++)
		get_interval_rec(r, &v->rec[((uint32_t)v->head - (k - 1)) % INTERVAL_KEEP]);
	if (r->short_read)
		return "record truncated";
	const char *err = interval_check(v);
	if (!err && (int64_t)v->cur.num * v->len_s > (int64_t)written_at + 86400)
		return "running interval after the file was written";
	return err;
}

/* A restored line goes on with its intervals: the closed ones a file from
 * before intervals.log holds join those the log restored, the one that
 * was running is closed as suspect (agentStop) unless the log has it
 * closed already (a crash between the append and this file's rename), the
 * missed ones are unknown, and the one running now is suspect
 * (agentStart).  Another length starts afresh. */
static void merge_intervals(struct interval_line *l, const struct interval_line *v, time_t now)
{
	for (unsigned k = v->count; k >= 1; k--) /* oldest first */
		interval_restore(l, v->head - (int32_t)(k - 1), interval_get(v, k, NULL));
	if (l->count && v->cur.num <= l->head)
		return;
	l->cur = v->cur;
	interval_join(l); /* the log may end before it (a torn last frame was cut) */
	interval_resume(l, now);
}

static const char *load_intervals(struct loader *ld, struct rbuf *r)
{
	uint32_t oid = get_u32(r), lid = get_u32(r);
	struct interval_line *v = malloc(sizeof(*v)); /* 2.6 KB: not on the stack */

	if (!v)
		return fail(ld, "intervals", oid, lid, "out of memory");
	const char *err = get_intervals(r, v, ld->info->written_at);
	struct line *l = ld->apply && !err ? model_find_line(ld->m, oid, lid) : NULL;
	if (l && l->iv.len_s == v->len_s)
		merge_intervals(&l->iv, v, ld->now);
	free(v);
	return err ? fail(ld, "intervals", oid, lid, err) : NULL;
}

static const char *load_agent(struct loader *ld, struct rbuf *r)
{
	uint32_t seq = get_u32(r);

	if (r->short_read)
		return "agent record truncated";
	if (ld->apply)
		ld->info->notify_seq = seq;
	return NULL;
}

static const char *load_records(struct loader *ld, const uint8_t *p, size_t len)
{
	struct rbuf r = {.p = p, .len = len};

	while (r.pos < len) {
		uint32_t type = get_u32(&r), n = get_u32(&r);
		if (r.short_read)
			return "truncated record header";
		if (n > len - r.pos)
			return "record runs past the end of the file";
		struct rbuf rec = {.p = p + r.pos, .len = n};
		const char *err = NULL;
		r.pos += n;
		if (type == STORE_REC_OFFICE)
			err = load_office(ld, &rec);
		else if (type == STORE_REC_LINE)
			err = load_line(ld, &rec);
		else if (type == STORE_REC_BANDWIDTH)
			err = load_bandwidth(ld, &rec);
		else if (type == STORE_REC_ALARM)
			err = load_alarm(ld, &rec);
		else if (type == STORE_REC_DAYS)
			err = load_days(ld, &rec);
		else if (type == STORE_REC_AGENT)
			err = load_agent(ld, &rec);
		else if (type == STORE_REC_INTERVALS)
			err = load_intervals(ld, &rec);
		else if (type == STORE_REC_SHELF)
			err = load_shelf(ld, &rec);
		else if (type == STORE_REC_NOTELOG)
			err = load_notelog(ld, &rec);
		else if (type == STORE_REC_CLEARED)
			err = load_cleared(ld, &rec);
		else if (ld->apply)
			ld->info->skipped_records++; /* a later engine's record */
		if (err)
			return err;
	}
	return NULL;
}

/* Header and checksum; NULL when the body can be trusted to be ours. */
static const char *check_frame(const uint8_t *buf, size_t len, struct store_load_info *info)
{
	struct rbuf r = {.p = buf, .len = len, .pos = sizeof(store_magic)};
	uint8_t digest[DIGEST_LEN];
	unsigned dlen = 0;

	if (len < HDR_LEN + DIGEST_LEN) {
		snprintf(info->reason, sizeof(info->reason), "truncated (%zu bytes)", len);
		return info->reason;
	}
	if (memcmp(buf, store_magic, sizeof(store_magic)) != 0)
		return "not a tslcd state file (bad magic)";
	uint32_t version = get_u32(&r);
	if (version != STORE_VERSION) {
		snprintf(info->reason, sizeof(info->reason),
		         "unknown format version %u (this agent reads %u)", version, STORE_VERSION);
		return info->reason;
	}
	info->written_at = (time_t)get_i64(&r);
	if (!EVP_Digest(buf, len - DIGEST_LEN, digest, &dlen, EVP_sha256(), NULL))
		return "cannot compute SHA-256";
	if (memcmp(digest, buf + len - DIGEST_LEN, DIGEST_LEN) != 0)
		return "SHA-256 checksum mismatch (truncated or damaged)";
	if (info->written_at < EPOCH_2000 || info->written_at > EPOCH_2200)
		return "written_at out of range";
	return NULL;
}

static time_t load_now(const struct model *m)
{
	return m->clock.last_wall ? m->clock.last_wall : time(NULL);
}

static const char *decode(struct model *m, const uint8_t *buf, size_t len,
                          struct store_load_info *info)
{
	struct loader ld = {.m = m, .info = info, .now = load_now(m)};
	const char *err = check_frame(buf, len, info);

	if (err)
		return err;
	err = load_records(&ld, buf + HDR_LEN, len - HDR_LEN - DIGEST_LEN);
	if (!err)
		err = check_alarm_ids(&info->alarms);
	if (err)
		return err;
	ld.apply = true;
	ld.last_seq = ld.last_cleared = 0;
	return load_records(&ld, buf + HDR_LEN, len - HDR_LEN - DIGEST_LEN);
}

/* lines_up is derived (model.c does the same count); restored line states
 * change it, and the MIB reads it before the next transition. */
static void recount_lines_up(struct model *m)
{
	for (size_t i = 0; i < m->n_offices; i++) {
		struct office *o = &m->offices[i];
		o->lines_up = 0;
		for (size_t j = 0; j < o->n_lines; j++) {
			enum line_status s = linestate_reported(&o->lines[j].ls);
			o->lines_up += s == LINE_UP || s == LINE_DEGRADED;
		}
	}
}

/* The state directory may be writable by others than the agent: the file
 * is hostile input.  Never block on open or read (a FIFO), follow a symlink
 * only when the agent or root owns it.  -1 with errno, or -2 with why. */
static int open_state(const char *path, const char **why)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
	struct stat st;

	if (fd >= 0 || errno != ELOOP)
		return fd;
	if (lstat(path, &st) == 0 && st.st_uid != geteuid() && st.st_uid != 0) {
		*why = "a symbolic link owned by another user";
		return -2;
	}
	return open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
}

/* Regular and no larger than MAX_FILE, or why not. */
static const char *check_kind(const struct stat *st)
{
	if (!S_ISREG(st->st_mode))
		return S_ISFIFO(st->st_mode) ? "not a regular file (a FIFO)" : "not a regular file";
	return st->st_size > (off_t)MAX_FILE ? "larger than 1 GiB" : NULL;
}

/* The whole file, or NULL with *err (an errno value) or *why (rejected). */
static uint8_t *read_file(const char *path, size_t *len, int *err, const char **why)
{
	struct stat st;
	uint8_t *buf = NULL;
	int fd = open_state(path, why);

	*err = 0;
	*len = 0;
	if (fd == -1 || (fd >= 0 && fstat(fd, &st) < 0))
		*err = errno;
	else if (fd >= 0 && !(*why = check_kind(&st)) && !(buf = malloc((size_t)st.st_size + 1)))
		*err = ENOMEM;
	while (buf && *len < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + *len, (size_t)st.st_size - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; /* shrank under us: the checksum will say so */
		*len += (size_t)n;
	}
	if (fd >= 0)
		close(fd);
	return buf;
}

static enum store_load_status load_state(struct model *m, const char *dir,
                                         struct store_load_info *info);

enum store_load_status store_load(struct model *m, const char *dir, struct store_load_info *info)
{
	memset(info, 0, sizeof(*info));
	ivlog_load(m, dir, load_now(m), &info->iv);
	enum store_load_status st = load_state(m, dir, info);
	for (size_t i = 0; i < m->n_offices; i++) /* rows for the time nobody saw */
		for (size_t j = 0; j < m->offices[i].n_lines; j++)
			interval_join(&m->offices[i].lines[j].iv);
	return st;
}

static enum store_load_status load_state(struct model *m, const char *dir,
                                         struct store_load_info *info)
{
	char path[PATH_MAX];
	size_t len = 0;
	int err;

	snprintf(path, sizeof(path), "%s/" STORE_FILE, dir);
	const char *why = NULL;
	uint8_t *buf = read_file(path, &len, &err, &why);
	if (!buf && !why) {
		snprintf(info->reason, sizeof(info->reason), "%s", strerror(err));
		return err == ENOENT ? STORE_MISSING : STORE_IOERROR;
	}
	if (buf)
		why = decode(m, buf, len, info);
	free(buf);
	if (why) {
		if (why != info->reason)
			snprintf(info->reason, sizeof(info->reason), "%s", why);
		info->offices = info->lines = 0;
		alarm_set_free(&info->alarms);
		statefile_move_aside(dir, STORE_FILE, info->moved_to, sizeof(info->moved_to));
		return STORE_CORRUPT;
	}
	recount_lines_up(m);
	return STORE_LOADED;
}

/* Temp files of saves killed with the agent (kill -9): the children die
 * with the parent (PDEATHSIG), so nothing is still writing them. */
static void remove_stale_temps(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[PATH_MAX];

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, STORE_FILE ".tmp-", sizeof(STORE_FILE ".tmp-") - 1) != 0 &&
		    strncmp(e->d_name, IVLOG_FILE ".tmp-", sizeof(IVLOG_FILE ".tmp-") - 1) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (unlink(path) == 0)
			log_msg(LOG_INFO, "removed %s, left by an interrupted save", path);
	}
	closedir(d);
}

static void log_loaded(const char *dir, const struct store_load_info *info, double ms)
{
	char when[32];
	struct tm tm;

	localtime_r(&info->written_at, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	log_msg(LOG_INFO,
	        "state restored from %s/" STORE_FILE
	        " (saved %s) in %.1f ms: %zu offices, %zu lines, %zu active alarms",
	        dir, when, ms, info->offices, info->lines, info->alarms.n);
	if (info->dropped_offices || info->dropped_lines)
		log_msg(LOG_NOTICE, "state: dropped %zu offices and %zu lines no longer configured",
		        info->dropped_offices, info->dropped_lines);
	if (info->skipped_records)
		log_msg(LOG_INFO, "state: skipped %zu records of types this version does not know",
		        info->skipped_records);
}

/* The interval log is judged on its own: a refused log costs the closed
 * intervals only, a refused state file everything but them. */
static void log_ivlog(const char *dir, const struct ivlog_load_info *iv)
{
	if (iv->status == IVLOG_REFUSED)
		log_msg(LOG_ERR,
		        "interval log %s/" IVLOG_FILE " rejected: %s; moved aside to %s; "
		        "closed intervals start empty",
		        dir, iv->reason, iv->moved_to);
	else if (iv->status == IVLOG_LOADED)
		log_msg(LOG_INFO,
		        "interval log %s/" IVLOG_FILE ": %zu frames, %zu records restored", dir,
		        iv->frames, iv->records);
	if (iv->torn_bytes)
		log_msg(LOG_NOTICE,
		        "interval log %s/" IVLOG_FILE ": cut %zu bytes of a torn last frame "
		        "(an append interrupted by a crash); only that frame is lost",
		        dir, iv->torn_bytes);
}

void store_restore(struct model *m, struct alarm_set *alarms)
{
	const char *dir = m->cfg->agent.state_dir;
	struct store_load_info info;

	if (mkdir(dir, 0750) == 0)
		log_msg(LOG_INFO, "created state directory %s", dir);
	remove_stale_temps(dir);
	uint64_t t0 = loop_clock_us();
	enum store_load_status st = store_load(m, dir, &info);
	log_ivlog(dir, &info.iv);
	switch (st) {
	case STORE_LOADED:
		log_loaded(dir, &info, (double)(loop_clock_us() - t0) / 1000.0);
		*alarms = info.alarms;
		notify_seq_resume(info.notify_seq);
		break;
	case STORE_MISSING:
		log_msg(LOG_INFO,
		        "no state file %s/" STORE_FILE ": first start, history begins now", dir);
		break;
	case STORE_CORRUPT:
		log_msg(LOG_ERR,
		        "state file %s/" STORE_FILE " rejected: %s; moved aside to %s; "
		        "starting with no history",
		        dir, info.reason, info.moved_to);
		break;
	case STORE_IOERROR:
		log_msg(LOG_ERR,
		        "state file %s/" STORE_FILE " cannot be read: %s; "
		        "starting with no history",
		        dir, info.reason);
		break;
	}
}
