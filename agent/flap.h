/*
 * flap: per-line flap detection.  A line whose state changed more than
 * `count` times within `window_s` seconds is flapping, until it has not
 * changed for `window_s` seconds.
 *
 * Contract: a struct flap starts zeroed; its ring keeps the monotonic
 * times (s) of the last count + 1 changes (at most FLAP_COUNT_MAX + 1), so
 * flap_changes() never reports more than that.  flap_change() and
 * flap_settled() each return true once per start and end of flapping.
 * Which changes count is flap_counts()'s call (enum line_status values).
 * No I/O, no globals.
 */
#ifndef TSLCD_FLAP_H
#define TSLCD_FLAP_H

#include <stdbool.h>
#include <stdint.h>

#define FLAP_COUNT_MAX 20

struct flap {
	uint32_t at[FLAP_COUNT_MAX + 1]; /* monotonic seconds of the last changes */
	uint8_t head, n;
	bool flapping;
};

struct flap_params {
	unsigned count;    /* X: changes allowed within the window (1..FLAP_COUNT_MAX) */
	unsigned window_s; /* Y */
};

/* Whether a line's reported change old -> now (enum line_status values)
 * counts as a flap: maintenance is planned work, leaving unknown is the
 * first verdict after start-up, and unreachable is its node's doing. */
bool flap_counts(unsigned old, unsigned now);
/* Record one change at now_s; true when this change starts flapping. */
bool flap_change(struct flap *f, const struct flap_params *p, uint32_t now_s);
/* Changes within the window ending at now_s (value of the lineFlapping alarm). */
unsigned flap_changes(const struct flap *f, const struct flap_params *p, uint32_t now_s);
/* True (once) when a flapping line has been stable for the window. */
bool flap_settled(struct flap *f, const struct flap_params *p, uint32_t now_s);

#endif
