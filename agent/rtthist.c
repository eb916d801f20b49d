/*
 * rtthist: RTT percentiles from a 16-bin log histogram (see rtthist.h).
 */
#include "rtthist.h"

#define FIRST_EDGE_LOG2 7 /* bin 0 ends at 128 us */

unsigned rtthist_bin(uint32_t us)
{
	unsigned b = 0;

	for (uint32_t edge = 1u << FIRST_EDGE_LOG2; us >= edge && b < RTTHIST_BINS - 1; edge <<= 1)
		b++;
	return b;
}

static uint32_t bin_low(unsigned b)
{
	return b ? 1u << (FIRST_EDGE_LOG2 + b - 1) : 0;
}

/* A bin's upper edge; the open top bin ends at the highest sample seen. */
static uint32_t bin_high(unsigned b, uint32_t hi_us)
{
	if (b < RTTHIST_BINS - 1)
		return 1u << (FIRST_EDGE_LOG2 + b);
	return hi_us > bin_low(b) ? hi_us : bin_low(b);
}

static void add(struct rtthist *h, uint32_t us, unsigned count)
{
	uint16_t *c = &h->n[rtthist_bin(us)];

	/* Saturate rather than wrap: a full bin still ranks as the largest. */
	*c = (uint16_t)(*c + count > UINT16_MAX ? UINT16_MAX : *c + count);
}

void rtthist_add_round(struct rtthist *h, unsigned received, uint32_t min_us, uint32_t avg_us,
                       uint32_t max_us)
{
	if (received == 0)
		return;
	if (received == 1) {
		add(h, avg_us, 1);
		return;
	}
	add(h, min_us, 1);
	add(h, max_us, 1);
	if (received > 2)
		add(h, avg_us, received - 2);
}

bool rtthist_percentile(const struct rtthist *h, unsigned pct, uint32_t lo_us, uint32_t hi_us,
                        uint32_t *out_us)
{
	uint64_t total = 0, below = 0;

	for (unsigned b = 0; b < RTTHIST_BINS; b++)
		total += h->n[b];
	if (!total || pct == 0 || pct > 100)
		return false;
	uint64_t rank = (total * pct + 99) / 100; /* nearest rank, 1-based */
	unsigned b = 0;
	while (below + h->n[b] < rank)
		below += h->n[b++];
	uint64_t low = bin_low(b), width = bin_high(b, hi_us) - low;
	uint64_t x = low + width * (rank - below) / h->n[b];
	x = x < lo_us ? lo_us : x > hi_us ? hi_us : x;
	*out_us = (uint32_t)x;
	return true;
}
