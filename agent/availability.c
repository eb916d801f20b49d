/* availability: time accounting of one entity (see availability.h). */
#include <stdatomic.h>
#include <string.h>

#include "availability.h"

#define HOUR_S  3600
#define DAY_S   86400
#define PPM_ALL 1000000u

_Static_assert(sizeof(struct avail) < 700, "struct avail is saved per entity: keep it small");

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if (a % b != 0 && (a < 0) != (b < 0))
		q--;
	return q;
}

static unsigned ring_slot(int64_t n, unsigned len)
{
	int64_t m = n % len;

	return (unsigned)(m < 0 ? m + len : m);
}

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

/* How much of secs still fits in a bucket of len seconds: a caller that
 * accounts the same time twice must not push unknown below zero. */
static uint32_t fitting(uint32_t used, uint32_t len, uint32_t secs)
{
	if (used >= len)
		return 0;
	return secs < len - used ? secs : len - used;
}

static void secs16_add(struct avail_secs16 *b, enum avail_state s, uint32_t secs)
{
	uint16_t add = (uint16_t)fitting((uint32_t)b->up + b->down + b->maint, HOUR_S, secs);

	if (s == AVAIL_UP)
		b->up += add;
	else if (s == AVAIL_DOWN)
		b->down += add;
	else if (s == AVAIL_MAINT)
		b->maint += add;
}

_Static_assert(DAY_S <= AVAIL_DAY_SECS_MAX, "a day's seconds fit a day bucket's fields");

static void day_secs_add(struct avail_day *b, enum avail_state s, uint32_t secs)
{
	uint32_t add = fitting((uint32_t)(b->up + b->down + b->maint), DAY_S, secs);

	if (s == AVAIL_UP)
		b->up += add;
	else if (s == AVAIL_DOWN)
		b->down += add;
	else if (s == AVAIL_MAINT)
		b->maint += add;
}

/* --- rolling rings --------------------------------------------------- */

static void hour_add(struct avail *a, enum avail_state s, int64_t h, uint32_t secs)
{
	if (h > a->hour_head) {
		int64_t first =
		    h - a->hour_head > AVAIL_HOURS ? h - AVAIL_HOURS + 1 : a->hour_head + 1;

		for (int64_t n = first; n <= h; n++)
			memset(&a->hour[ring_slot(n, AVAIL_HOURS)], 0, sizeof(a->hour[0]));
		a->hour_head = (int32_t)h;
	}
	if (h <= a->hour_head - AVAIL_HOURS)
		return;
	secs16_add(&a->hour[ring_slot(h, AVAIL_HOURS)], s, secs);
}

static void day_add(struct avail *a, enum avail_state s, int64_t d, uint32_t secs)
{
	if (d > a->day_head) {
		int64_t first = d - a->day_head > AVAIL_DAYS ? d - AVAIL_DAYS + 1 : a->day_head + 1;

		for (int64_t n = first; n <= d; n++)
			memset(&a->day[ring_slot(n, AVAIL_DAYS)], 0, sizeof(a->day[0]));
		a->day_head = (int32_t)d;
	}
	if (d <= a->day_head - AVAIL_DAYS)
		return;
	day_secs_add(&a->day[ring_slot(d, AVAIL_DAYS)], s, secs);
}

typedef void (*bucket_add_fn)(struct avail *a, enum avail_state s, int64_t n, uint32_t secs);

/* Split [from, to) at unit boundaries; skip what the ring cannot hold. */
static void ring_account(struct avail *a, enum avail_state s, int64_t from, int64_t to,
                         int64_t unit, int64_t buckets, bucket_add_fn add)
{
	int64_t reach = (floor_div(to - 1, unit) - buckets + 1) * unit;

	if (from < reach)
		from = reach;
	while (from < to) {
		int64_t n = floor_div(from, unit);
		int64_t end = min64((n + 1) * unit, to);

		add(a, s, n, (uint32_t)(end - from));
		from = end;
	}
}

static void hour_bucket(const struct avail *a, int64_t h, struct avail_secs32 *out)
{
	const struct avail_secs16 *b = &a->hour[ring_slot(h, AVAIL_HOURS)];

	memset(out, 0, sizeof(*out));
	if (h > a->hour_head || h <= a->hour_head - AVAIL_HOURS)
		return;
	out->up = b->up;
	out->down = b->down;
	out->maint = b->maint;
}

static void day_bucket(const struct avail *a, int64_t d, struct avail_secs32 *out)
{
	memset(out, 0, sizeof(*out));
	if (d > a->day_head || d <= a->day_head - AVAIL_DAYS)
		return;
	const struct avail_day *b = &a->day[ring_slot(d, AVAIL_DAYS)];

	out->up = b->up;
	out->down = b->down;
	out->maint = b->maint;
}

typedef void (*bucket_get_fn)(const struct avail *a, int64_t n, struct avail_secs32 *out);

static void figures_add(struct avail_figures *f, const struct avail_secs32 *b, uint64_t num,
                        uint64_t den)
{
	f->up_s += (uint32_t)(b->up * num / den);
	f->down_s += (uint32_t)(b->down * num / den);
	f->maint_s += (uint32_t)(b->maint * num / den);
}

/* Data accounted ahead of a wall clock that stepped back can overfill a
 * window; trim the excess from the largest figure, the least distortion. */
static void figures_clamp(struct avail_figures *f)
{
	uint64_t sum = (uint64_t)f->up_s + f->down_s + f->maint_s;
	uint32_t *big = &f->up_s;

	if (sum <= f->window_s)
		return;
	if (f->down_s > *big)
		big = &f->down_s;
	if (f->maint_s > *big)
		big = &f->maint_s;
	*big -= (uint32_t)min64(*big, (int64_t)(sum - f->window_s));
	if ((uint64_t)f->up_s + f->down_s + f->maint_s > f->window_s)
		f->up_s = f->down_s = f->maint_s = 0;
}

/* [now - units*unit, now): whole buckets plus the oldest one pro rata. */
static void rolling_window(const struct avail *a, time_t now, int64_t unit, int64_t units,
                           bucket_get_fn get, struct avail_figures *out)
{
	int64_t cur = floor_div(now, unit);
	int64_t covered = unit - (now - cur * unit);
	struct avail_secs32 b;

	memset(out, 0, sizeof(*out));
	out->window_s = (uint32_t)(units * unit);
	for (int64_t n = cur - units + 1; n <= cur; n++) {
		get(a, n, &b);
		figures_add(out, &b, 1, 1);
	}
	get(a, cur - units, &b);
	figures_add(out, &b, (uint64_t)covered, (uint64_t)unit);
	figures_clamp(out);
}

/* --- calendar periods ------------------------------------------------ */

static time_t local_month_start(int tm_year, int tm_mon)
{
	struct tm tm = {.tm_year = tm_year, .tm_mon = tm_mon, .tm_mday = 1, .tm_isdst = -1};

	return mktime(&tm);
}

/* The local month (or quarter) containing t: its key and [start, end). */
static bool local_period_compute(time_t t, bool quarter, int32_t *key, time_t *start, time_t *end)
{
	struct tm tm;
	int first, span = quarter ? 3 : 1;

	if (!localtime_r(&t, &tm))
		return false;
	first = tm.tm_mon / span * span;
	*key = (tm.tm_year + 1900) * (12 / span) + tm.tm_mon / span;
	*start = local_month_start(tm.tm_year, first);
	*end = local_month_start(tm.tm_year, first + span);
	return *start <= t && t < *end;
}

/* Every entity accounts the same few instants each tick, and localtime_r
 * plus two mktime per call was the top cost of a probe result: keep the
 * last two months and quarters asked about (current and previous, as the
 * windows ask for both).  Per thread, because a reload builds its model on
 * another one; a zone change bumps the generation, which empties them all. */
struct period_memo {
	unsigned gen; /* zone_gen when computed; 0: empty */
	int32_t key;
	time_t start, end;
};

static atomic_uint zone_gen = 1;
static _Thread_local struct period_memo memo[2][2]; /* [quarter][either of two] */
static _Thread_local unsigned char memo_next[2];

void avail_zone_changed(void)
{
	atomic_fetch_add(&zone_gen, 1);
}

static bool local_period(time_t t, bool quarter, int32_t *key, time_t *start, time_t *end)
{
	unsigned gen = atomic_load_explicit(&zone_gen, memory_order_relaxed);
	struct period_memo *m = memo[quarter];

	for (int i = 0; i < 2; i++) {
		if (m[i].gen == gen && m[i].start <= t && t < m[i].end) {
			*key = m[i].key;
			*start = m[i].start;
			*end = m[i].end;
			return true;
		}
	}
	if (!local_period_compute(t, quarter, key, start, end))
		return false;
	m[memo_next[quarter]] = (struct period_memo){gen, *key, *start, *end};
	memo_next[quarter] ^= 1;
	return true;
}

static int32_t quarter_of_month_key(int32_t mkey)
{
	return mkey / 12 * 4 + mkey % 12 / 3;
}

/* The accumulator for key, rolling cur into prev when key is newer.  NULL
 * for periods older than prev: the past is not rewritten. */
static struct avail_period *period_touch(struct avail_period *cur, struct avail_period *prev,
                                         int32_t key)
{
	if (key > cur->key) {
		if (key == cur->key + 1) {
			*prev = *cur;
		} else {
			memset(prev, 0, sizeof(*prev));
			prev->key = key - 1;
		}
		memset(cur, 0, sizeof(*cur));
		cur->key = key;
	}
	if (key == cur->key)
		return cur;
	return key == prev->key ? prev : NULL;
}

static void period_add(struct avail_period *cur, struct avail_period *prev, int32_t key,
                       enum avail_state s, uint32_t secs)
{
	struct avail_period *p = period_touch(cur, prev, key);

	if (!p)
		return;
	if (s == AVAIL_UP)
		p->up += secs;
	else if (s == AVAIL_DOWN)
		p->down += secs;
	else if (s == AVAIL_MAINT)
		p->maint += secs;
}

static void calendar_account(struct avail *a, enum avail_state s, time_t from, time_t to)
{
	while (from < to) {
		int32_t mkey;
		time_t start, end;

		if (!local_period(from, false, &mkey, &start, &end))
			return;
		end = (time_t)min64(end, to);
		period_add(&a->month, &a->prev_month, mkey, s, (uint32_t)(end - from));
		period_add(&a->quarter, &a->prev_quarter, quarter_of_month_key(mkey), s,
		           (uint32_t)(end - from));
		from = end;
	}
}

static const struct avail_period *period_find(const struct avail_period *cur,
                                              const struct avail_period *prev, int32_t key)
{
	if (cur->key == key)
		return cur;
	return prev->key == key ? prev : NULL;
}

static bool calendar_window(const struct avail_period *cur, const struct avail_period *prev,
                            bool quarter, bool previous, time_t now, struct avail_figures *out)
{
	const struct avail_period *p;
	int32_t key;
	time_t start, next;

	memset(out, 0, sizeof(*out));
	if (!local_period(now, quarter, &key, &start, &next))
		return false;
	if (previous) {
		/* The period before: ends where the current one starts. */
		now = start;
		if (!local_period(start - 1, quarter, &key, &start, &next))
			return false;
	}
	out->window_s = (uint32_t)(now - start);
	p = period_find(cur, prev, key);
	if (p) {
		out->up_s = p->up;
		out->down_s = p->down;
		out->maint_s = p->maint;
		out->outages = p->outages;
	}
	figures_clamp(out);
	return true;
}

/* --- public API ------------------------------------------------------ */

void avail_init(struct avail *a, time_t now)
{
	int32_t key;
	time_t start, end;

	memset(a, 0, sizeof(*a));
	a->hour_head = (int32_t)floor_div(now, HOUR_S);
	a->day_head = (int32_t)floor_div(now, DAY_S);
	if (local_period(now, false, &key, &start, &end)) {
		a->month.key = key;
		a->prev_month.key = key - 1;
		a->quarter.key = quarter_of_month_key(key);
		a->prev_quarter.key = a->quarter.key - 1;
	}
}

void avail_account(struct avail *a, enum avail_state state, time_t from, time_t to)
{
	if (to <= from || state == AVAIL_UNKNOWN)
		return;
	ring_account(a, state, from, to, HOUR_S, AVAIL_HOURS, hour_add);
	ring_account(a, state, from, to, DAY_S, AVAIL_DAYS, day_add);
	calendar_account(a, state, from, to);
}

void avail_outage_started(struct avail *a, time_t when)
{
	struct avail_period *p;
	int32_t mkey;
	time_t start, end;

	if (!local_period(when, false, &mkey, &start, &end))
		return;
	p = period_touch(&a->month, &a->prev_month, mkey);
	if (p)
		p->outages++;
	p = period_touch(&a->quarter, &a->prev_quarter, quarter_of_month_key(mkey));
	if (p)
		p->outages++;
}

bool avail_window(const struct avail *a, enum avail_window w, time_t now, struct avail_figures *out)
{
	switch (w) {
	case AVAIL_24H:
		rolling_window(a, now, HOUR_S, 24, hour_bucket, out);
		return true;
	case AVAIL_7D:
		rolling_window(a, now, DAY_S, 7, day_bucket, out);
		return true;
	case AVAIL_30D:
		rolling_window(a, now, DAY_S, 30, day_bucket, out);
		return true;
	case AVAIL_MONTH:
		return calendar_window(&a->month, &a->prev_month, false, false, now, out);
	case AVAIL_QUARTER:
		return calendar_window(&a->quarter, &a->prev_quarter, true, false, now, out);
	case AVAIL_PREV_MONTH:
		return calendar_window(&a->month, &a->prev_month, false, true, now, out);
	case AVAIL_PREV_QUARTER:
		return calendar_window(&a->quarter, &a->prev_quarter, true, true, now, out);
	}
	return false;
}

static bool ppm_of(uint64_t num, uint64_t den, uint32_t *ppm)
{
	if (den == 0)
		return false;
	if (num > den)
		num = den;
	*ppm = (uint32_t)(num * PPM_ALL / den);
	return true;
}

bool avail_ppm_raw(const struct avail_figures *f, uint32_t *ppm)
{
	return ppm_of(f->up_s, (uint64_t)f->up_s + f->down_s + f->maint_s, ppm);
}

bool avail_ppm_adjusted(const struct avail_figures *f, uint32_t *ppm)
{
	return ppm_of(f->up_s, (uint64_t)f->up_s + f->down_s, ppm);
}

bool avail_ppm_monitored(const struct avail_figures *f, uint32_t *ppm)
{
	return ppm_of((uint64_t)f->up_s + f->down_s + f->maint_s, f->window_s, ppm);
}

/* --- wall-clock jumps ------------------------------------------------ */

void avail_clock_start(struct avail_clock *c, uint64_t mono_ms, time_t wall)
{
	c->last_mono_ms = mono_ms;
	c->last_wall = wall;
	c->skipped = 0;
}

bool avail_clock_advance(struct avail_clock *c, uint64_t mono_ms, time_t wall, time_t *from,
                         time_t *to)
{
	uint64_t elapsed_ms = mono_ms > c->last_mono_ms ? mono_ms - c->last_mono_ms : 0;
	time_t elapsed = (time_t)(elapsed_ms / 1000);

	if (wall < c->last_wall) {
		/* Stepped back: march on from where we were; keep the ms remainder. */
		*from = c->last_wall;
		*to = c->last_wall + elapsed;
		c->last_mono_ms += (uint64_t)elapsed * 1000;
		c->last_wall = *to;
		return *to > *from;
	}
	if (wall - c->last_wall > elapsed + AVAIL_CLOCK_SLACK_S) {
		*from = wall - elapsed; /* jumped forward: the skipped part stays unknown */
		c->skipped += *from - c->last_wall;
	} else
		*from = c->last_wall;
	*to = wall;
	c->last_mono_ms = mono_ms;
	c->last_wall = wall;
	return *to > *from;
}
