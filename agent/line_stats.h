/*
 * line_stats: a line's rolling RTT and loss figures over its last
 * LINE_STATS_ROUNDS probe rounds (lineRtt*, lineLoss*, the degraded bands).
 *
 * Contract: a struct line_stats starts zeroed; line_stats_push() writes
 * the ring, head is the next slot and count (<= LINE_STATS_ROUNDS) the
 * rounds held, oldest overwritten first.  Readers never change it and
 * return false when the window holds no answered round (or, for loss, no
 * sent attempt).  The ring's size and layout are part of the state file
 * (store.c).  No I/O, no allocation.
 */
#ifndef TSLCD_LINE_STATS_H
#define TSLCD_LINE_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "probe_result.h"

#define LINE_STATS_ROUNDS 12

struct line_stats_round {
	uint32_t rtt_min_us, rtt_avg_us, rtt_max_us, jitter_us;
	uint8_t sent, received;
};

struct line_stats {
	struct line_stats_round ring[LINE_STATS_ROUNDS];
	uint8_t head, count;
	uint32_t last_rtt_us; /* last round's average; 0 = never answered */
};

/* Record one round (counts above 255 are clamped). */
void line_stats_push(struct line_stats *s, const struct probe_result *r);
/* Rolling RTT/loss figures; false when no round answered in the window. */
bool line_stats_rtt(const struct line_stats *s, uint32_t *min, uint32_t *avg, uint32_t *max,
                    uint32_t *jitter);
bool line_stats_loss_ppm(const struct line_stats *s, uint32_t *ppm);
/* The pct-th RTT percentile over the window, from a 16-bin histogram of
 * its rounds (rtthist.h); false when no round answered. */
bool line_stats_rtt_pct(const struct line_stats *s, unsigned pct, uint32_t *us);
/* The newest round, or NULL when none is held. */
const struct line_stats_round *line_stats_newest(const struct line_stats *s);
/* Loss over the newest `rounds` rounds only. */
bool line_stats_loss_recent(const struct line_stats *s, unsigned rounds, uint32_t *ppm);

#endif
