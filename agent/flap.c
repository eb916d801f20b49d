/*
 * flap: a ring of the last change times; see flap.h.
 */
#include "flap.h"

#include "linestate.h"

#define FLAP_RING (FLAP_COUNT_MAX + 1)

/* The k-th newest change (k = 1 is the newest); k <= f->n. */
static uint32_t nth_newest(const struct flap *f, unsigned k)
{
	return f->at[(f->head + FLAP_RING - k) % FLAP_RING];
}

bool flap_counts(unsigned old, unsigned now)
{
	/* Unreachable is the node's instability, not the line's. */
	return old != LINE_UNKNOWN && old != LINE_MAINTENANCE && now != LINE_MAINTENANCE &&
	       old != LINE_UNREACHABLE && now != LINE_UNREACHABLE;
}

bool flap_change(struct flap *f, const struct flap_params *p, uint32_t now_s)
{
	f->at[f->head] = now_s;
	f->head = (uint8_t)((f->head + 1) % FLAP_RING);
	if (f->n < FLAP_RING)
		f->n++;
	if (f->flapping || f->n < p->count + 1)
		return false;
	/* More than `count` changes: the last count + 1 all fall in the window. */
	if (now_s - nth_newest(f, p->count + 1) >= p->window_s)
		return false;
	f->flapping = true;
	return true;
}

unsigned flap_changes(const struct flap *f, const struct flap_params *p, uint32_t now_s)
{
	unsigned n = 0;
	for (unsigned k = 1; k <= f->n && now_s - nth_newest(f, k) < p->window_s; k++)
		n++;
	return n;
}

bool flap_settled(struct flap *f, const struct flap_params *p, uint32_t now_s)
{
	if (!f->flapping || (f->n && now_s - nth_newest(f, 1) < p->window_s))
		return false;
	f->flapping = false;
	return true;
}
