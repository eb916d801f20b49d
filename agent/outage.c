/* outage: per-line history of outages (see outage.h). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "outage.h"

static const char *const cause_names[] = {
    [OUTAGE_CAUSE_UNKNOWN] = "unknown",
    [OUTAGE_CAUSE_POWER_LOSS] = "powerLoss",
    [OUTAGE_CAUSE_FIBER_CUT] = "fiberCut",
    [OUTAGE_CAUSE_CPE_FAULT] = "cpeFault",
    [OUTAGE_CAUSE_PROVIDER_NETWORK] = "providerNetwork",
    [OUTAGE_CAUSE_CUSTOMER_LAN] = "customerLan",
    [OUTAGE_CAUSE_NATURAL_DISASTER] = "naturalDisaster",
    [OUTAGE_CAUSE_SECURITY_ISOLATION] = "securityIsolation",
    [OUTAGE_CAUSE_PLANNED_WORK] = "plannedWork",
    [OUTAGE_CAUSE_UPSTREAM] = "upstream",
};

#define CAUSE_LAST OUTAGE_CAUSE_UPSTREAM

static uint16_t clamp_capacity(unsigned capacity)
{
	if (capacity == 0)
		return OUTAGE_RING_DEFAULT;
	return capacity > OUTAGE_RING_MAX_ENTRIES ? OUTAGE_RING_MAX_ENTRIES : (uint16_t)capacity;
}

void outage_ring_init(struct outage_ring *r, unsigned capacity)
{
	memset(r, 0, sizeof(*r));
	r->capacity = clamp_capacity(capacity);
}

void outage_ring_free(struct outage_ring *r)
{
	free(r->slot);
	r->slot = NULL;
	r->count = 0;
	r->oldest = 0;
}

/* Entry at position pos in index order (0 = oldest). */
static struct outage *at(const struct outage_ring *r, unsigned pos)
{
	return &r->slot[(r->oldest + pos) % r->capacity];
}

bool outage_ring_set_capacity(struct outage_ring *r, unsigned capacity)
{
	uint16_t cap = clamp_capacity(capacity);
	unsigned keep = r->count < cap ? r->count : cap;
	struct outage *slot;

	if (!r->slot || cap == r->capacity) { /* nothing to move */
		r->capacity = cap;
		return true;
	}
	slot = calloc(cap, sizeof(*slot));
	if (!slot)
		return false;
	for (unsigned i = 0; i < keep; i++)
		slot[i] = *at(r, r->count - keep + i);
	free(r->slot);
	r->slot = slot;
	r->capacity = cap;
	r->count = (uint16_t)keep;
	r->oldest = 0;
	return true;
}

struct outage *outage_current(const struct outage_ring *r)
{
	struct outage *o;

	if (r->count == 0)
		return NULL;
	o = at(r, r->count - 1u);
	return o->end == 0 ? o : NULL;
}

/* A new slot at the newest end, dropping the oldest entry when full. */
static struct outage *append_slot(struct outage_ring *r)
{
	struct outage *o;

	if (!r->slot) {
		r->capacity = clamp_capacity(r->capacity); /* a zeroed ring is valid */
		r->slot = calloc(r->capacity, sizeof(*r->slot));
		if (!r->slot)
			return NULL;
	}
	if (r->count == r->capacity) {
		r->oldest = (uint16_t)((r->oldest + 1u) % r->capacity);
		r->count--;
	}
	o = at(r, r->count);
	r->count++;
	memset(o, 0, sizeof(*o));
	return o;
}

struct outage *outage_open(struct outage_ring *r, int64_t start, uint32_t last_rtt_us,
                           uint32_t loss_ppm, bool *already_open)
{
	struct outage *o = outage_current(r);

	if (already_open)
		*already_open = o != NULL;
	if (o)
		return o;
	/* After UINT32_MAX we stop rather than reuse an index. */
	if (r->last_index == UINT32_MAX)
		return NULL;
	o = append_slot(r);
	if (!o)
		return NULL;
	o->index = ++r->last_index;
	o->start = start;
	o->cause = OUTAGE_CAUSE_UNKNOWN;
	o->last_rtt_us = last_rtt_us;
	o->loss_ppm = loss_ppm;
	return o;
}

struct outage *outage_close(struct outage_ring *r, int64_t end)
{
	struct outage *o = outage_current(r);

	if (!o)
		return NULL;
	/* A wall clock stepped back must not make a negative duration. */
	o->end = end < o->start ? o->start : end;
	if (o->end == 0)
		o->end = 1;
	return o;
}

/* Position of the first entry with index >= want (count if none). */
static unsigned lower_bound(const struct outage_ring *r, uint32_t want)
{
	unsigned lo = 0, hi = r->count;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (at(r, mid)->index < want)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct outage *outage_find(const struct outage_ring *r, uint32_t index)
{
	unsigned pos = lower_bound(r, index);

	if (pos < r->count && at(r, pos)->index == index)
		return at(r, pos);
	return NULL;
}

struct outage *outage_next(const struct outage_ring *r, uint32_t after)
{
	unsigned pos;

	if (after == UINT32_MAX)
		return NULL;
	pos = lower_bound(r, after + 1);
	return pos < r->count ? at(r, pos) : NULL;
}

const char *outage_restore(struct outage_ring *r, const struct outage *o)
{
	struct outage *slot;
	const char *err;

	if (o->index == 0)
		return "outage index 0 is invalid";
	if (r->count && at(r, r->count - 1u)->index >= o->index)
		return "outage entries out of index order";
	if (r->count && at(r, r->count - 1u)->end == 0)
		return "an outage after one still open";
	err = outage_check_cause(o->cause);
	if (err)
		return err;
	if (memchr(o->ticket, '\0', sizeof(o->ticket)) == NULL)
		return "outage ticket not terminated";
	err = outage_check_ticket(o->ticket, strlen(o->ticket));
	if (err)
		return err;
	slot = append_slot(r);
	if (!slot)
		return "out of memory";
	*slot = *o;
	if (r->last_index < o->index)
		r->last_index = o->index;
	return NULL;
}

const char *outage_check_cause(int cause)
{
	if (cause < OUTAGE_CAUSE_UNKNOWN || cause > CAUSE_LAST)
		return "outage cause must be 1..10 (unknown..upstream)";
	return NULL;
}

const char *outage_check_ticket(const char *ticket, size_t len)
{
	if (len > OUTAGE_TICKET_MAX)
		return "ticket longer than 32 characters";
	for (size_t i = 0; i < len; i++) {
		/* Tickets end up in traps and reports: printable ASCII only. */
		if (ticket[i] < 0x20 || ticket[i] > 0x7e)
			return "ticket must be printable ASCII";
	}
	return NULL;
}

const char *outage_annotate(struct outage *o, int cause, const char *ticket, size_t len)
{
	const char *err = outage_check_cause(cause);

	if (!err)
		err = outage_check_ticket(ticket, len);
	if (err)
		return err;
	o->cause = (uint8_t)cause;
	if (len)
		memcpy(o->ticket, ticket, len);
	o->ticket[len] = '\0';
	return NULL;
}

const char *outage_cause_name(int cause)
{
	if (outage_check_cause(cause))
		return NULL;
	return cause_names[cause];
}

int outage_cause_parse(const char *name)
{
	for (int c = OUTAGE_CAUSE_UNKNOWN; c <= CAUSE_LAST; c++) {
		if (strcasecmp(name, cause_names[c]) == 0)
			return c;
	}
	return -1;
}
