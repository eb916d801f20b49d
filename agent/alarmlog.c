/*
 * alarmlog: the notification log and the cleared-alarm rings.  See
 * alarmlog.h.
 */
#include "alarmlog.h"

#include <stdlib.h>
#include <string.h>

/* One ring of fixed-size records: head is the slot the next record takes. */
struct ring {
	unsigned char *buf;
	size_t size; /* bytes per record */
	size_t cap, head, n;
};

static struct {
	struct ring r[2];
	uint32_t cleared_last;
	alarmlog_observer obs;
} L = {.r = {{.size = sizeof(struct notelog_entry)}, {.size = sizeof(struct cleared_entry)}}};

static void tell(enum alarmlog_ring ring, const void *e, bool present)
{
	if (L.obs)
		L.obs(ring, e, present);
}

/* The i-th oldest record. */
static void *ring_at(const struct ring *r, size_t i)
{
	return r->buf + ((r->head + r->cap - r->n + i) % r->cap) * r->size;
}

/* The slot for a new record; the oldest is evicted (and told) when full. */
static void *ring_push(enum alarmlog_ring which)
{
	struct ring *r = &L.r[which];

	if (!r->cap)
		return NULL;
	if (r->n == r->cap) {
		tell(which, ring_at(r, 0), false);
		r->n--;
	}
	void *slot = r->buf + r->head * r->size;
	r->head = (r->head + 1) % r->cap;
	r->n++;
	return slot;
}

void alarmlog_set_observer(alarmlog_observer fn)
{
	L.obs = fn;
}

bool alarmlog_resize(enum alarmlog_ring which, size_t cap)
{
	struct ring *r = &L.r[which];

	if (cap == r->cap)
		return true;
	unsigned char *buf = cap ? calloc(cap, r->size) : NULL;
	if (cap && !buf)
		return false;
	size_t keep = r->n < cap ? r->n : cap;
	for (size_t i = 0; i < keep; i++)
		memcpy(buf + i * r->size, ring_at(r, r->n - keep + i), r->size);
	for (size_t i = 0; i < r->n; i++)
		tell(which, ring_at(r, i), false);
	free(r->buf);
	r->buf = buf;
	r->cap = cap;
	r->n = keep;
	r->head = cap ? keep % cap : 0;
	for (size_t i = 0; i < keep; i++)
		tell(which, ring_at(r, i), true);
	return true;
}

const struct notelog_entry *alarmlog_note(const struct notelog_entry *e)
{
	struct notelog_entry *slot = ring_push(ALARMLOG_NOTIFY);

	if (!slot)
		return NULL;
	*slot = *e;
	slot->text[sizeof(slot->text) - 1] = '\0';
	tell(ALARMLOG_NOTIFY, slot, true);
	return slot;
}

/* A copy in the ring under index (0: the next one). */
static const struct cleared_entry *cleared_push(const struct cleared_entry *e, uint32_t index)
{
	struct cleared_entry *slot = ring_push(ALARMLOG_CLEARED);

	if (!slot)
		return NULL;
	*slot = *e;
	slot->text[sizeof(slot->text) - 1] = '\0';
	slot->acked_by[sizeof(slot->acked_by) - 1] = '\0';
	if (!index)
		index = ++L.cleared_last ? L.cleared_last : (L.cleared_last = 1);
	else if (index > L.cleared_last)
		L.cleared_last = index;
	slot->index = index;
	tell(ALARMLOG_CLEARED, slot, true);
	return slot;
}

const struct cleared_entry *alarmlog_cleared(const struct cleared_entry *e)
{
	return cleared_push(e, 0);
}

const struct cleared_entry *alarmlog_cleared_restore(const struct cleared_entry *e)
{
	return cleared_push(e, e->index);
}

size_t alarmlog_count(enum alarmlog_ring which)
{
	return L.r[which].n;
}

const void *alarmlog_at(enum alarmlog_ring which, size_t i)
{
	const struct ring *r = &L.r[which];
	return i < r->n ? ring_at(r, i) : NULL;
}

void alarmlog_cleared_resume(uint32_t last_index)
{
	if (last_index > L.cleared_last)
		L.cleared_last = last_index;
}

uint32_t alarmlog_cleared_last(void)
{
	return L.cleared_last;
}

void alarmlog_reset(void)
{
	for (unsigned i = 0; i < 2; i++) {
		free(L.r[i].buf);
		L.r[i].buf = NULL;
		L.r[i].cap = L.r[i].head = L.r[i].n = 0;
	}
	L.cleared_last = 0;
}
