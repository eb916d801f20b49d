/*
 * rtthist: RTT percentiles from a small fixed histogram, never a sort.
 *
 * Contract: 16 log-spaced bins (bin 0 below 128 us, bin k in
 * [2^(6+k), 2^(7+k)) us, bin 15 from 2.097 s up), counts of 16 bits; no
 * I/O, no allocation.  A probe round gives only its min, mean and max over
 * `received` answers, so it counts as one sample at min, one at max and
 * the rest at the mean (one answer: the mean).  A percentile is the
 * nearest-rank bin, interpolated linearly inside it, then clamped to the
 * observed [lo, hi] (so equal samples give their exact value, and the
 * open top bin is bounded).  Error: at most one bin width (a factor 2).
 */
#ifndef TSLCD_RTTHIST_H
#define TSLCD_RTTHIST_H

#include <stdbool.h>
#include <stdint.h>

#define RTTHIST_BINS 16

struct rtthist {
	uint16_t n[RTTHIST_BINS];
};

unsigned rtthist_bin(uint32_t us);
/* Add one probe round (received answers, their min, mean and max). */
void rtthist_add_round(struct rtthist *h, unsigned received, uint32_t min_us, uint32_t avg_us,
                       uint32_t max_us);
/* The pct-th percentile (1..100) given the observed lo and hi; false
 * when the histogram is empty. */
bool rtthist_percentile(const struct rtthist *h, unsigned pct, uint32_t lo_us, uint32_t hi_us,
                        uint32_t *out_us);

#endif
