/*
 * prober_wheel: a timing wheel of WHEEL_SLOTS buckets (see prober_wheel.h).
 *
 * Bucket b holds the entries due in slots s with s % WHEEL_SLOTS == b, in
 * arming order; an entry due a turn or more later waits in its bucket and
 * is passed over until its slot comes.  A bitmap marks buckets that may
 * hold entries (cleared lazily when a scan finds one empty), so finding the
 * next slot to wake for is a few word tests even with few jobs.  Each
 * bucket also keeps an upper bound of its entries' slots: when the bound is
 * due, which is the usual case (the wheel is longer than a probe interval),
 * the whole bucket moves to the firing list in one splice instead of a walk
 * that waits on a cache miss per entry before it can look at the next one.
 */
#include "prober_wheel.h"

#include "log.h"
#include "loop.h"

#include <string.h>

#define WHEEL_SLOTS 4096u /* ~82 s of 20 ms slots: longer waits take extra turns */
#define WORD_BITS   64u

typedef struct prober_wheel_entry entry;

static struct {
	entry bucket[WHEEL_SLOTS]; /* list heads */
	uint64_t maybe[WHEEL_SLOTS / WORD_BITS];
	uint64_t slot_max[WHEEL_SLOTS]; /* no entry of the bucket is due later */
	entry firing;                   /* what the running pass collected, still to call */
	uint64_t cursor;                /* first slot not yet fired */
	uint64_t timer_slot;            /* slot the loop timer is set for; UINT64_MAX: none */
	struct loop_timer *timer;
	prober_wheel_cb cb;
	bool in_pass;
} W;

static void list_init(entry *h)
{
	h->prev = h->next = h;
}

static bool list_empty(const entry *h)
{
	return h->next == h;
}

static void list_append(entry *h, entry *e)
{
	e->prev = h->prev;
	e->next = h;
	h->prev->next = e;
	h->prev = e;
}

/* Moves every entry of from, in order, to the end of to. */
static void list_splice_tail(entry *from, entry *to)
{
	if (list_empty(from))
		return;
	entry *first = from->next, *last = from->prev;

	first->prev = to->prev;
	to->prev->next = first;
	last->next = to;
	to->prev = last;
	list_init(from);
}

static void list_unlink(entry *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
	e->prev = e->next = NULL;
}

static void wheel_pass(void *arg);

static void timer_set(uint64_t slot)
{
	uint64_t now = loop_now_ms(), at = slot * PROBER_WHEEL_SLOT_MS;

	loop_timer_cancel(W.timer);
	W.timer = loop_timer_add(at > now ? at - now : 0, wheel_pass, NULL);
	W.timer_slot = W.timer ? slot : UINT64_MAX;
	if (!W.timer) /* the next arm tries again */
		log_msg(LOG_ERR, "out of memory: probe timers wait for the next round's timer");
}

static void put(entry *e, uint64_t slot)
{
	unsigned b = (unsigned)(slot % WHEEL_SLOTS);

	e->slot = slot;
	if (slot > W.slot_max[b])
		W.slot_max[b] = slot;
	list_append(&W.bucket[b], e);
	W.maybe[b / WORD_BITS] |= 1ull << (b % WORD_BITS);
}

/* Wake for the first bucket at or after the cursor that holds anything:
 * no entry can be due before it. */
static void timer_for_next(void)
{
	uint64_t k = 0;

	while (k < WHEEL_SLOTS) {
		unsigned b = (unsigned)((W.cursor + k) % WHEEL_SLOTS);
		uint64_t word = W.maybe[b / WORD_BITS] >> (b % WORD_BITS);

		if (!word) {
			k += WORD_BITS - b % WORD_BITS;
			continue;
		}
		k += (unsigned)__builtin_ctzll(word);
		b = (unsigned)((W.cursor + k) % WHEEL_SLOTS);
		if (k < WHEEL_SLOTS && !list_empty(&W.bucket[b])) {
			timer_set(W.cursor + k);
			return;
		}
		if (k < WHEEL_SLOTS)
			W.maybe[b / WORD_BITS] &= ~(1ull << (b % WORD_BITS));
		k++;
	}
}

/* Move the entries of bucket b due by now_slot to the firing list. */
static void collect(unsigned b, uint64_t now_slot)
{
	entry *h = &W.bucket[b];

	if (W.slot_max[b] <= now_slot) {
		list_splice_tail(h, &W.firing);
		W.slot_max[b] = 0;
		return;
	}
	for (entry *e = h->next, *next; e != h; e = next) {
		next = e->next;
		if (e->slot <= now_slot) {
			list_unlink(e);
			list_append(&W.firing, e);
		}
	}
}

static void wheel_pass(void *arg)
{
	uint64_t now_slot = loop_now_ms() / PROBER_WHEEL_SLOT_MS;

	(void)arg;
	W.timer = NULL;
	W.timer_slot = UINT64_MAX;
	if (now_slot >= W.cursor) {
		/* After a long stall every bucket is looked at once. */
		uint64_t s =
		    now_slot - W.cursor >= WHEEL_SLOTS ? now_slot - WHEEL_SLOTS + 1 : W.cursor;

		for (; s <= now_slot; s++)
			collect((unsigned)(s % WHEEL_SLOTS), now_slot);
		W.cursor = now_slot + 1;
	}
	/* Arms from the callbacks land at the cursor or later: the next pass. */
	W.in_pass = true;
	while (!list_empty(&W.firing) && !loop_stopping()) {
		entry *e = W.firing.next;

		list_unlink(e);
		W.cb(e);
	}
	W.in_pass = false;
	while (!list_empty(&W.firing)) { /* stopping: keep them due */
		entry *e = W.firing.next;

		list_unlink(e);
		put(e, W.cursor);
	}
	timer_for_next();
}

void prober_wheel_init(prober_wheel_cb cb)
{
	memset(&W, 0, sizeof(W));
	for (unsigned b = 0; b < WHEEL_SLOTS; b++)
		list_init(&W.bucket[b]);
	list_init(&W.firing);
	W.cursor = loop_now_ms() / PROBER_WHEEL_SLOT_MS;
	W.timer_slot = UINT64_MAX;
	W.cb = cb;
}

void prober_wheel_shutdown(void)
{
	loop_timer_cancel(W.timer);
	W.timer = NULL;
	W.timer_slot = UINT64_MAX;
}

void prober_wheel_arm(entry *e, uint64_t at_ms)
{
	uint64_t slot = (at_ms + PROBER_WHEEL_SLOT_MS - 1) / PROBER_WHEEL_SLOT_MS;

	if (slot < W.cursor)
		slot = W.cursor;
	if (e->next)
		list_unlink(e);
	put(e, slot);
	if (!W.in_pass && slot < W.timer_slot)
		timer_set(slot);
}

void prober_wheel_cancel(entry *e)
{
	if (e->next)
		list_unlink(e);
}

bool prober_wheel_armed(const entry *e)
{
	return e->next != NULL;
}
