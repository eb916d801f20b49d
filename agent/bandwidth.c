/*
 * bandwidth: counter deltas, rates, the sample window, p95 and the
 * utilisation alarm.  See bandwidth.h for the contract.
 */
#include "bandwidth.h"

#include <stdlib.h>
#include <string.h>

#define WRAP_SLACK_CS 1000u /* 10 s of clock difference between us and a router */

struct bw_params bw_params_default(void)
{
	return (struct bw_params){
	    .sample_s = 300,
	    .window_s = 7 * 86400,
	    .raise_ppm = 900000,
	    .clear_ppm = 850000,
	    .min_samples = 288,
	};
}

/* ---- small arithmetic ---- */

bool bw_counter_delta(uint64_t prev, uint64_t cur, uint8_t width, uint64_t *delta)
{
	if (width == BW_WIDTH_C32) {
		/* A 32-bit counter wraps every few seconds at gigabit speed: take
		 * the difference modulo 2^32 and accept it. */
		*delta = (uint32_t)((uint32_t)cur - (uint32_t)prev);
		return true;
	}
	/* 2^63 octets in one poll interval is impossible: that is a reset. */
	*delta = cur - prev;
	return *delta < (UINT64_C(1) << 63);
}

/* octets over centiseconds to bit/s, without overflowing 64 bits. */
static uint64_t rate_bps(uint64_t octets, uint64_t cs)
{
	if (!cs)
		return 0;
	return octets / cs * 800u + (octets % cs) * 800u / cs;
}

uint32_t bw_util_ppm(uint64_t bps, uint32_t contract_kbps)
{
	if (!contract_kbps)
		return 0;
	/* ppm = bps * 1e6 / (kbps * 1e3) = bps * 1000 / kbps */
	uint64_t ppm = bps / contract_kbps * 1000u + (bps % contract_kbps) * 1000u / contract_kbps;
	return ppm > 1000000u ? 1000000u : (uint32_t)ppm;
}

uint32_t bw_sample_ppm(uint16_t s)
{
	uint32_t ppm = (uint32_t)s * 100u;
	return ppm > 1000000u ? 1000000u : ppm;
}

/* bps to sample units (1/100 % of the contract), capped below the marker. */
static uint16_t sample_of(uint64_t bps, uint32_t contract_kbps)
{
	if (!contract_kbps)
		return 0;
	/* units = bps * 10000 / (kbps * 1000) = bps * 10 / kbps */
	uint64_t u = bps / contract_kbps * 10u + (bps % contract_kbps) * 10u / contract_kbps;
	return u > BW_SAMPLE_MAX ? BW_SAMPLE_MAX : (uint16_t)u;
}

/* ---- percentile ---- */

static int cmp_u16(const void *a, const void *b)
{
	uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;
	return (x > y) - (x < y);
}

/* The window is small (2016 values by default), so a sort per new sample
 * costs microseconds; a scratch buffer is kept to avoid churn. */
static uint16_t *scratch_get(size_t n)
{
	static uint16_t *buf;
	static size_t cap;

	if (n > cap) {
		uint16_t *p = realloc(buf, n * sizeof(*p));
		if (!p)
			return NULL;
		buf = p;
		cap = n;
	}
	return buf;
}

bool bw_percentile(const uint16_t *v, size_t n, unsigned pct, uint16_t *out)
{
	uint16_t *s = n ? scratch_get(n) : NULL;

	if (!s)
		return false;
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_u16);
	/* nearest rank: the smallest value with at least pct % of values <= it */
	size_t rank = (n * pct + 99) / 100;
	*out = s[rank ? rank - 1 : 0];
	return true;
}

/* ---- window ring ---- */

static uint16_t *slot(struct bw_line *b, int64_t period)
{
	return &b->ring[(size_t)(period % b->cap) * 2];
}

static void ring_clear(struct bw_line *b)
{
	for (size_t i = 0; i < (size_t)b->cap * 2; i++)
		b->ring[i] = BW_SAMPLE_NONE;
	b->last_period = -1;
}

/* Move the newest period forward, emptying the slots that fall out. */
static void ring_advance(struct bw_line *b, int64_t period)
{
	if (b->last_period < 0 || period - b->last_period >= (int64_t)b->cap) {
		ring_clear(b);
		b->last_period = period;
		return;
	}
	for (int64_t k = b->last_period + 1; k <= period; k++) {
		uint16_t *s = slot(b, k);
		s[BW_IN] = s[BW_OUT] = BW_SAMPLE_NONE;
	}
	if (period > b->last_period)
		b->last_period = period;
}

static bool ring_store(struct bw_line *b, int64_t period, uint16_t in, uint16_t out)
{
	ring_advance(b, period);
	if (period <= b->last_period - (int64_t)b->cap)
		return false; /* older than the window */
	uint16_t *s = slot(b, period);
	s[BW_IN] = in;
	s[BW_OUT] = out;
	return true;
}

static void window_recompute(struct bw_line *b)
{
	uint16_t *v = scratch_get((size_t)b->cap * 2);
	size_t n = 0;

	b->n_samples = 0;
	b->p95_ppm[BW_IN] = b->p95_ppm[BW_OUT] = 0;
	if (!v)
		return;
	for (unsigned d = 0; d < 2; d++) {
		n = 0;
		for (size_t i = 0; i < b->cap; i++)
			if (b->ring[i * 2 + d] != BW_SAMPLE_NONE)
				v[b->cap + n++] = b->ring[i * 2 + d];
		uint16_t p = 0;
		/* bw_percentile copies into the scratch start: values sit past cap */
		if (n && bw_percentile(v + b->cap, n, 95, &p))
			b->p95_ppm[d] = bw_sample_ppm(p);
	}
	b->n_samples = (uint32_t)n;
}

/* ---- calendar ---- */

static void calendar_keys(time_t now, int32_t *month, int32_t *quarter)
{
	struct tm tm;

	localtime_r(&now, &tm);
	int32_t y = (int32_t)tm.tm_year + 1900;
	*month = y * 12 + tm.tm_mon + 1;
	*quarter = y * 4 + tm.tm_mon / 3 + 1;
}

static void calendar_roll(struct bw_calendar *c, int32_t key)
{
	if (c->key != key) {
		memset(c, 0, sizeof(*c));
		c->key = key;
	}
}

static void calendar_add_interval(struct bw_line *b, const uint64_t octets[2], uint64_t cs,
                                  time_t now)
{
	int32_t mk, qk;
	struct bw_calendar *cals[2] = {&b->month, &b->quarter};

	calendar_keys(now, &mk, &qk);
	calendar_roll(&b->month, mk);
	calendar_roll(&b->quarter, qk);
	for (unsigned i = 0; i < 2; i++) {
		cals[i]->cs += cs;
		for (unsigned d = 0; d < 2; d++) {
			cals[i]->octets[d] += octets[d];
			if (b->bps[d] > cals[i]->peak_bps[d])
				cals[i]->peak_bps[d] = b->bps[d];
		}
	}
}

static void calendar_add_sample(struct bw_line *b, const uint16_t s[2])
{
	for (unsigned d = 0; d < 2; d++) {
		if (s[d] > b->month.peak[d])
			b->month.peak[d] = s[d];
		if (s[d] > b->quarter.peak[d])
			b->quarter.peak[d] = s[d];
	}
}

/* ---- samples and the alarm ---- */

/* Close the accumulating period if `period` is later; true if a sample was
 * filed into the window. */
static bool sample_finish(struct bw_line *b, int64_t period)
{
	if (b->acc_period < 0 || b->acc_period >= period)
		return false;
	bool filed = false;
	if (b->acc_cs) {
		uint16_t s[2];
		for (unsigned d = 0; d < 2; d++)
			s[d] = sample_of(rate_bps(b->acc_octets[d], b->acc_cs), b->contract_kbps);
		filed = ring_store(b, b->acc_period, s[BW_IN], s[BW_OUT]);
		b->dirty |= filed;
		calendar_add_sample(b, s);
	}
	b->acc_period = -1;
	b->acc_octets[BW_IN] = b->acc_octets[BW_OUT] = b->acc_cs = 0;
	return filed;
}

static unsigned alarm_update(struct bw_line *b, const struct bw_params *p)
{
	if (!b->alarm) {
		unsigned need = p->min_samples ? p->min_samples : 1;
		uint8_t dir = b->p95_ppm[BW_OUT] > b->p95_ppm[BW_IN] ? BW_OUT : BW_IN;
		if (b->n_samples < need || b->p95_ppm[dir] <= p->raise_ppm)
			return 0;
		b->alarm = true;
		b->alarm_dir = dir;
		return BW_EV_ALARM_RAISED;
	}
	/* No data is not "cleared": the alarm stays until samples say so. */
	if (!b->n_samples || b->p95_ppm[BW_IN] > p->clear_ppm || b->p95_ppm[BW_OUT] > p->clear_ppm)
		return 0;
	b->alarm = false;
	return BW_EV_ALARM_CLEARED;
}

unsigned bw_advance(struct bw_line *b, const struct bw_params *p, time_t now)
{
	int64_t period = (int64_t)now / (int64_t)b->sample_s;
	unsigned ev = 0;

	if (b->last_period >= 0 && period <= b->last_period)
		period = b->last_period + 1; /* wall clock stepped back */
	sample_finish(b, period);
	if (b->dirty)
		ev |= BW_EV_SAMPLE;
	/* The window is the last `cap` complete periods, ending with the one
	 * before the current period, so a full window holds cap samples. */
	int64_t before = b->last_period;
	ring_advance(b, period - 1);
	if (b->dirty || before != b->last_period) {
		b->dirty = false;
		window_recompute(b);
		ev |= alarm_update(b, p);
	}
	return ev;
}

/* ---- polls ---- */

/* sysUpTime went back.  After 497 days it wraps: then the time it moved
 * (mod 2^32) matches the wall time since the last poll and the counters
 * went on; after a reboot it does not. */
static bool uptime_wrapped(const struct bw_reading *prev, const struct bw_reading *r,
                           time_t elapsed_s)
{
	uint32_t moved_cs = r->uptime_cs - prev->uptime_cs; /* mod 2^32 */

	if (elapsed_s <= 0 || moved_cs > (uint64_t)elapsed_s * 200u + WRAP_SLACK_CS)
		return false;
	return r->width != BW_WIDTH_HC64 || (r->in >= prev->in && r->out >= prev->out);
}

static bool is_discontinuity(const struct bw_reading *prev, const struct bw_reading *r,
                             time_t elapsed_s)
{
	if (r->width != prev->width || r->ifindex != prev->ifindex)
		return true;
	if (r->uptime_cs < prev->uptime_cs && !uptime_wrapped(prev, r, elapsed_s))
		return true; /* the router rebooted */
	return r->has_disc && prev->has_disc && r->disc_cs != prev->disc_cs;
}

static void interval_account(struct bw_line *b, const uint64_t delta[2], uint64_t cs, time_t now)
{
	int64_t period = (int64_t)now / (int64_t)b->sample_s;

	if (b->last_period >= 0 && period <= b->last_period)
		period = b->last_period + 1;
	if (b->acc_period >= 0 && period < b->acc_period)
		period = b->acc_period;
	sample_finish(b, period);
	b->acc_period = period;
	b->acc_octets[BW_IN] += delta[BW_IN];
	b->acc_octets[BW_OUT] += delta[BW_OUT];
	b->acc_cs += cs;
	calendar_add_interval(b, delta, cs, now);
}

/* Rate over the interval since the previous reading (taken at prev_s);
 * false = discontinuity. */
static bool interval_rate(struct bw_line *b, const struct bw_reading *r, time_t prev_s, time_t now)
{
	uint64_t delta[2];
	uint32_t cs = r->uptime_cs - b->prev.uptime_cs; /* mod 2^32: right across a wrap */

	if (is_discontinuity(&b->prev, r, now - prev_s) ||
	    !bw_counter_delta(b->prev.in, r->in, r->width, &delta[BW_IN]) ||
	    !bw_counter_delta(b->prev.out, r->out, r->width, &delta[BW_OUT]))
		return false;
	if (!cs) {
		b->rate_valid = false; /* same snapshot twice: nothing to learn */
		return true;
	}
	b->bps[BW_IN] = rate_bps(delta[BW_IN], cs);
	b->bps[BW_OUT] = rate_bps(delta[BW_OUT], cs);
	b->rate_valid = true;
	interval_account(b, delta, cs, now);
	return true;
}

unsigned bw_on_poll(struct bw_line *b, const struct bw_params *p, const struct bw_reading *r,
                    time_t now)
{
	unsigned ev = 0;
	time_t prev_s = b->last_ok; /* when b->prev was read */

	b->status = BW_OK;
	b->last_ok = now;
	b->ifindex = r->ifindex;
	if (b->have_prev && !interval_rate(b, r, prev_s, now)) {
		b->rate_valid = false;
		b->disc_time = now;
		ev |= BW_EV_DISCONTINUITY;
	} else if (b->rate_valid && b->have_prev) {
		ev |= BW_EV_RATE;
	}
	b->prev = *r;
	b->width = r->width;
	b->have_prev = true;
	return ev | bw_advance(b, p, now);
}

void bw_on_poll_failed(struct bw_line *b, enum bw_status st, time_t now)
{
	b->status = (uint8_t)st;
	b->last_fail = now;
	/* The next good reading pairs with the last good one (the rate spans
	 * the gap), so the current rate is stale now. */
	b->rate_valid = false;
}

/* ---- persistence helpers ---- */

uint16_t bw_window_sample(const struct bw_line *b, int64_t period, enum bw_dir d)
{
	if (b->last_period < 0 || period < 0 || period > b->last_period ||
	    period <= b->last_period - (int64_t)b->cap)
		return BW_SAMPLE_NONE;
	return b->ring[(size_t)(period % b->cap) * 2 + d];
}

void bw_window_restore(struct bw_line *b, int64_t period, uint16_t in, uint16_t out)
{
	if (period >= 0 && (in != BW_SAMPLE_NONE || out != BW_SAMPLE_NONE))
		ring_store(b, period, in, out);
}

void bw_window_refresh(struct bw_line *b)
{
	window_recompute(b);
	b->dirty = false;
}

/* ---- life cycle ---- */

static uint32_t periods_for(const struct bw_params *p)
{
	uint32_t n = p->window_s / p->sample_s;
	return n ? n : 1;
}

struct bw_line *bw_line_new(const struct bw_params *p, uint32_t contract_kbps)
{
	struct bw_line *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->cap = periods_for(p);
	b->ring = malloc((size_t)b->cap * 2 * sizeof(*b->ring));
	if (!b->ring) {
		free(b);
		return NULL;
	}
	b->contract_kbps = contract_kbps;
	b->sample_s = p->sample_s;
	b->acc_period = -1;
	ring_clear(b);
	return b;
}

void bw_line_free(struct bw_line *b)
{
	if (!b)
		return;
	free(b->ring);
	free(b);
}

void bw_line_adopt(struct bw_line *dst, const struct bw_line *src)
{
	uint16_t *ring = dst->ring;
	uint32_t cap = dst->cap, kbps = dst->contract_kbps;
	unsigned sample_s = dst->sample_s;

	*dst = *src;
	dst->ring = ring;
	dst->cap = cap;
	dst->contract_kbps = kbps;
	dst->sample_s = sample_s;
	ring_clear(dst);
	if (src->sample_s != sample_s || src->last_period < 0) {
		/* Periods of another length cannot be compared: start afresh. */
		dst->acc_period = -1;
		dst->acc_octets[BW_IN] = dst->acc_octets[BW_OUT] = dst->acc_cs = 0;
		dst->n_samples = 0;
		dst->p95_ppm[BW_IN] = dst->p95_ppm[BW_OUT] = 0;
		return;
	}
	int64_t keep = cap < src->cap ? cap : src->cap;
	int64_t first = src->last_period - keep + 1;
	ring_advance(dst, src->last_period);
	for (int64_t k = first > 0 ? first : 0; k <= src->last_period; k++) {
		const uint16_t *s = &src->ring[(size_t)(k % src->cap) * 2];
		uint16_t *d = slot(dst, k);
		d[BW_IN] = s[BW_IN];
		d[BW_OUT] = s[BW_OUT];
	}
	window_recompute(dst);
}
