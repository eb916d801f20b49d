/*
 * interval: clock-aligned measurement intervals of a line (interval.h).
 */
#include "interval.h"

#include <string.h>

#define RATE_MANT_BITS 11
#define RATE_MANT_MAX  ((1u << RATE_MANT_BITS) - 1)

static int32_t num_of(const struct interval_line *v, time_t t)
{
	return t > 0 ? (int32_t)(t / v->len_s) : 0;
}

static struct interval_rec *slot(struct interval_line *v, int32_t num)
{
	return &v->rec[(uint32_t)num % INTERVAL_KEEP];
}

static uint16_t sat16(uint64_t x)
{
	return (uint16_t)(x > UINT16_MAX ? UINT16_MAX : x);
}

static uint16_t rtt16(uint64_t us)
{
	return sat16((us + INTERVAL_RTT_UNIT_US / 2) / INTERVAL_RTT_UNIT_US);
}

uint16_t interval_rate_encode(uint64_t bps)
{
	unsigned e = 0;

	while (bps > RATE_MANT_MAX) {
		bps = (bps + 1) >> 1; /* round half up, so the error stays within 0.1 % */
		e++;
	}
	return (uint16_t)(e << RATE_MANT_BITS | bps);
}

uint64_t interval_rate_decode(uint16_t code)
{
	return (uint64_t)(code & RATE_MANT_MAX) << (code >> RATE_MANT_BITS);
}

static void cur_open(struct interval_line *v, int32_t num, uint8_t suspect)
{
	memset(&v->cur, 0, sizeof(v->cur));
	v->cur.num = num;
	v->cur.suspect = suspect;
	v->cur.rtt_min_us = UINT32_MAX;
}

static void rates_close(struct interval_rec *r, const struct interval_cur *c)
{
	if (!c->poll_cs)
		return;
	r->has_rate = 1;
	for (int d = 0; d < 2; d++)
		r->rate[d] = interval_rate_encode(c->octets[d] * 800u / c->poll_cs);
}

static void rtt_close(struct interval_rec *r, const struct interval_cur *c)
{
	uint32_t p95;

	if (!c->answered)
		return;
	r->rtt_min = rtt16(c->rtt_min_us);
	r->rtt_max = rtt16(c->rtt_max_us);
	r->rtt_avg = rtt16(c->rtt_sum_us / c->answered);
	if (rtthist_percentile(&c->hist, 95, c->rtt_min_us, c->rtt_max_us, &p95))
		r->rtt_p95 = rtt16(p95);
}

uint16_t interval_secs(const struct interval_rec *r, enum interval_secs s)
{
	if ((unsigned)s >= IV_N_SECS)
		return 0;
	return (uint16_t)(r->secs_lo[s] | ((r->secs_hi >> (2 * s)) & 3u) << 8);
}

/* Saturating: a value over the field's reach stays over any length. */
static unsigned secs10(uint16_t x)
{
	return x > INTERVAL_SECS_MAX ? INTERVAL_SECS_MAX : x;
}

static void set_secs(struct interval_rec *r, const uint16_t secs[IV_N_SECS])
{
	r->secs_hi = 0;
	for (unsigned s = 0; s < IV_N_SECS; s++) {
		unsigned x = secs10(secs[s]);

		r->secs_lo[s] = (uint8_t)x;
		r->secs_hi |= (uint8_t)((x >> 8) << (2 * s));
	}
}

static void push(struct interval_line *v, int32_t num, const struct interval_rec *r)
{
	*slot(v, num) = *r;
	v->head = num;
	if (v->count < INTERVAL_KEEP)
		v->count++;
}

static void cur_close(struct interval_line *v)
{
	const struct interval_cur *c = &v->cur;
	struct interval_rec r = {
	    .suspect = c->suspect, .sent = sat16(c->sent), .answered = sat16(c->answered)};

	set_secs(&r, c->secs);
	rtt_close(&r, c);
	rates_close(&r, c);
	push(v, c->num, &r);
}

/* Intervals first .. n - 1, which nobody saw: unknown rows marked reason. */
static void push_gap(struct interval_line *v, int32_t first, int32_t n, uint8_t reason)
{
	if (n - first > INTERVAL_KEEP)
		first = n - INTERVAL_KEEP; /* older ones would be overwritten anyway */
	const struct interval_rec empty = {.suspect = reason};
	for (int32_t g = first; g < n; g++)
		push(v, g, &empty);
}

/* Close the running interval and open number n; the ones between are a gap. */
static void roll_to(struct interval_line *v, int32_t n, uint8_t gap_reason)
{
	if (n <= v->cur.num)
		return;
	cur_close(v);
	push_gap(v, v->cur.num + 1, n, gap_reason);
	cur_open(v, n, 0);
}

unsigned interval_len_of(unsigned len_s)
{
	/* A config made by hand (tests) may leave it 0: the default then. */
	return len_s == 60 || len_s == 300 ? len_s : 900;
}

void interval_init(struct interval_line *v, unsigned len_s, time_t now, uint8_t suspect)
{
	memset(v, 0, sizeof(*v));
	v->len_s = (uint16_t)interval_len_of(len_s);
	cur_open(v, num_of(v, now), suspect);
	v->head = v->cur.num - 1;
}

void interval_roll(struct interval_line *v, time_t now)
{
	/* In a running agent only a forward clock step skips intervals. */
	roll_to(v, num_of(v, now), INTERVAL_CLOCK_STEP);
}

void interval_resume(struct interval_line *v, time_t now)
{
	v->cur.suspect |= INTERVAL_AGENT_STOP;
	roll_to(v, num_of(v, now), INTERVAL_AGENT_STOP);
	v->cur.suspect |= INTERVAL_AGENT_START;
}

void interval_time(struct interval_line *v, enum day_state s, time_t from, time_t to)
{
	while (from < to) {
		int32_t n = num_of(v, from);
		time_t end = (time_t)(n + 1) * v->len_s;
		if (end > to)
			end = to;
		interval_roll(v, from);
		if (n == v->cur.num && s < DAY_UNKNOWN) {
			uint32_t x = v->cur.secs[s] + (uint32_t)(end - from);
			v->cur.secs[s] = (uint16_t)(x > v->len_s ? v->len_s : x);
		}
		from = end;
	}
}

/* Rounds and octets do not roll (time does): one that arrives just past a
 * boundary, before the time up to it is in, counts in the running one. */
static bool current(const struct interval_line *v, time_t now)
{
	return num_of(v, now) >= v->cur.num;
}

void interval_round(struct interval_line *v, time_t now, unsigned sent, unsigned answered,
                    uint32_t min_us, uint32_t avg_us, uint32_t max_us)
{
	struct interval_cur *c = &v->cur;

	if (!current(v, now))
		return;
	c->sent += sent;
	c->answered += answered;
	if (!answered)
		return;
	c->rtt_min_us = min_us < c->rtt_min_us ? min_us : c->rtt_min_us;
	c->rtt_max_us = max_us > c->rtt_max_us ? max_us : c->rtt_max_us;
	c->rtt_sum_us += (uint64_t)avg_us * answered;
	rtthist_add_round(&c->hist, answered, min_us, avg_us, max_us);
}

void interval_traffic(struct interval_line *v, time_t now, const uint64_t octets[2], uint64_t cs)
{
	if (!current(v, now) || !cs)
		return;
	v->cur.octets[0] += octets[0];
	v->cur.octets[1] += octets[1];
	v->cur.poll_cs += cs;
}

void interval_mark(struct interval_line *v, uint8_t reasons)
{
	v->cur.suspect |= reasons;
}

const struct interval_rec *interval_get(const struct interval_line *v, unsigned k, time_t *start)
{
	if (k == 0 || k > v->count)
		return NULL;
	int32_t num = v->head - (int32_t)(k - 1);
	if (start)
		*start = (time_t)num * v->len_s;
	return &v->rec[(uint32_t)num % INTERVAL_KEEP];
}

uint16_t interval_unknown_s(const struct interval_line *v, const struct interval_rec *r)
{
	unsigned known = 0;

	for (int i = 0; i < IV_N_SECS; i++)
		known += interval_secs(r, (enum interval_secs)i);
	return (uint16_t)(known < v->len_s ? v->len_s - known : 0);
}

bool interval_loss_ppm(const struct interval_rec *r, uint32_t *ppm)
{
	if (!r->sent)
		return false;
	*ppm = (uint32_t)((uint64_t)(r->sent - r->answered) * 1000000u / r->sent);
	return true;
}

static const char *secs_check(const uint16_t *secs, unsigned len_s)
{
	unsigned sum = 0;

	for (int i = 0; i < IV_N_SECS; i++)
		sum += secs[i];
	return sum > len_s ? "interval holds more seconds than its length" : NULL;
}

const char *interval_check(const struct interval_line *v)
{
	if (v->len_s != 60 && v->len_s != 300 && v->len_s != 900)
		return "interval length not 1, 5 or 15 minutes";
	/* head - (count - 1) >= 0: record numbers never go below 0. */
	if (v->count > INTERVAL_KEEP || v->head >= v->cur.num || v->head < (int32_t)v->count - 1)
		return "interval ring position out of range";
	if (v->cur.answered > v->cur.sent)
		return "interval received more than it sent";
	for (unsigned k = 1; k <= v->count; k++) {
		const char *err = interval_rec_check(interval_get(v, k, NULL), v->len_s);
		if (err)
			return err;
	}
	return secs_check(v->cur.secs, v->len_s);
}

void interval_pack(const struct interval_rec *r, uint8_t out[INTERVAL_REC_BYTES])
{
	const uint16_t f[] = {interval_secs(r, IV_UP),
	                      interval_secs(r, IV_DEGRADED),
	                      interval_secs(r, IV_DOWN),
	                      interval_secs(r, IV_MAINT),
	                      r->sent,
	                      r->answered,
	                      r->rtt_min,
	                      r->rtt_avg,
	                      r->rtt_max,
	                      r->rtt_p95,
	                      r->rate[0],
	                      r->rate[1]};

	for (unsigned i = 0; i < 12; i++) {
		out[2 * i] = (uint8_t)f[i];
		out[2 * i + 1] = (uint8_t)(f[i] >> 8);
	}
	out[24] = r->suspect;
	out[25] = r->has_rate;
}

void interval_unpack(const uint8_t in[INTERVAL_REC_BYTES], struct interval_rec *r)
{
	uint16_t f[12];

	for (unsigned i = 0; i < 12; i++)
		f[i] = (uint16_t)(in[2 * i] | in[2 * i + 1] << 8);
	memset(r, 0, sizeof(*r)); /* the zero bits too */
	set_secs(r, f);           /* f[0..3] in enum interval_secs order */
	r->sent = f[4];
	r->answered = f[5];
	r->rtt_min = f[6];
	r->rtt_avg = f[7];
	r->rtt_max = f[8];
	r->rtt_p95 = f[9];
	r->rate[0] = f[10];
	r->rate[1] = f[11];
	r->suspect = in[24] & INTERVAL_SUSPECT_ALL;
	r->has_rate = in[25] ? 1 : 0;
}

const char *interval_rec_check(const struct interval_rec *r, unsigned len_s)
{
	if (r->answered > r->sent)
		return "interval received more than it sent";
	const uint16_t secs[IV_N_SECS] = {interval_secs(r, IV_UP), interval_secs(r, IV_DEGRADED),
	                                  interval_secs(r, IV_DOWN), interval_secs(r, IV_MAINT)};

	return secs_check(secs, len_s);
}

bool interval_restore(struct interval_line *v, int32_t num, const struct interval_rec *r)
{
	int32_t oldest = v->head - (int32_t)v->count + 1;

	if (num >= v->cur.num || num < 0)
		return false;
	if (!v->count || num > v->head) {
		if (v->count)
			push_gap(v, v->head + 1, num, INTERVAL_AGENT_STOP);
		push(v, num, r);
	} else if (num >= oldest) {
		*slot(v, num) = *r;
	} else if (num == oldest - 1 && v->count < INTERVAL_KEEP) {
		*slot(v, num) = *r;
		v->count++;
	} else {
		return false;
	}
	return true;
}

void interval_join(struct interval_line *v)
{
	if (v->count && v->head < v->cur.num - 1)
		push_gap(v, v->head + 1, v->cur.num, INTERVAL_AGENT_STOP);
}

void interval_forget_closed(struct interval_line *v)
{
	v->count = 0;
	v->head = v->cur.num - 1;
}
