/*
 * line_stats: rolling RTT and loss over a ring of round summaries.  See
 * line_stats.h.
 */
#include "line_stats.h"

#include <stddef.h>

#include "rtthist.h"

void line_stats_push(struct line_stats *s, const struct probe_result *r)
{
	struct line_stats_round *slot = &s->ring[s->head];

	*slot = (struct line_stats_round){
	    .rtt_min_us = r->rtt_min_us,
	    .rtt_avg_us = r->rtt_avg_us,
	    .rtt_max_us = r->rtt_max_us,
	    .jitter_us = r->jitter_us,
	    .sent = (uint8_t)(r->sent > 255 ? 255 : r->sent),
	    .received = (uint8_t)(r->received > 255 ? 255 : r->received),
	};
	s->head = (uint8_t)((s->head + 1) % LINE_STATS_ROUNDS);
	if (s->count < LINE_STATS_ROUNDS)
		s->count++;
	if (r->received)
		s->last_rtt_us = r->rtt_avg_us;
}

bool line_stats_rtt(const struct line_stats *s, uint32_t *min, uint32_t *avg, uint32_t *max,
                    uint32_t *jitter)
{
	uint64_t sum = 0, jsum = 0, n = 0, rounds = 0;
	uint32_t lo = UINT32_MAX, hi = 0;

	for (unsigned i = 0; i < s->count; i++) {
		const struct line_stats_round *r = &s->ring[i];
		if (!r->received)
			continue;
		lo = r->rtt_min_us < lo ? r->rtt_min_us : lo;
		hi = r->rtt_max_us > hi ? r->rtt_max_us : hi;
		sum += (uint64_t)r->rtt_avg_us * r->received; /* weight by answers */
		n += r->received;
		jsum += r->jitter_us;
		rounds++;
	}
	if (!n)
		return false;
	*min = lo;
	*max = hi;
	*avg = (uint32_t)(sum / n);
	*jitter = (uint32_t)(jsum / rounds);
	return true;
}

const struct line_stats_round *line_stats_newest(const struct line_stats *s)
{
	return s->count ? &s->ring[(s->head + LINE_STATS_ROUNDS - 1) % LINE_STATS_ROUNDS] : NULL;
}

bool line_stats_loss_recent(const struct line_stats *s, unsigned rounds, uint32_t *ppm)
{
	uint64_t sent = 0, recv = 0;
	unsigned n = rounds < s->count ? rounds : s->count;

	/* Walk back from the newest round. */
	for (unsigned k = 1; k <= n; k++) {
		const struct line_stats_round *r =
		    &s->ring[(s->head + LINE_STATS_ROUNDS - k) % LINE_STATS_ROUNDS];
		sent += r->sent;
		recv += r->received;
	}
	if (!sent)
		return false;
	*ppm = (uint32_t)((sent - recv) * 1000000u / sent);
	return true;
}

bool line_stats_loss_ppm(const struct line_stats *s, uint32_t *ppm)
{
	return line_stats_loss_recent(s, LINE_STATS_ROUNDS, ppm);
}

/* The histogram is built from the ring on demand: 12 rounds cost less
 * than keeping 16 counters in step with it (and saving them). */
bool line_stats_rtt_pct(const struct line_stats *s, unsigned pct, uint32_t *us)
{
	struct rtthist h = {0};
	uint32_t lo, avg, hi, jitter;

	if (!line_stats_rtt(s, &lo, &avg, &hi, &jitter))
		return false;
	for (unsigned i = 0; i < s->count; i++) {
		const struct line_stats_round *r = &s->ring[i];
		rtthist_add_round(&h, r->received, r->rtt_min_us, r->rtt_avg_us, r->rtt_max_us);
	}
	return rtthist_percentile(&h, pct, lo, hi, us);
}
