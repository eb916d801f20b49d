/*
 * outage: per-line history of outages, a ring of the last N.
 *
 * Contract: an outage is opened when a line goes down and closed when it
 * comes back; at most one is open at a time (the newest).  Each gets the
 * line's next index, starting at 1; indices only grow and are never reused,
 * even after the ring wraps (the store persists last_index).  The slots are
 * allocated on the first outage, as most lines never have one.  An all-zero
 * struct outage_ring is a valid empty ring of the default capacity.  Entries are
 * kept in index order, so lookup and GETNEXT are binary searches.
 * Timestamps are wall-clock seconds (> 0); end == 0 means still open.
 */
#ifndef TSLCD_OUTAGE_H
#define TSLCD_OUTAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* MIB TslcdOutageCause: do not renumber. */
enum outage_cause {
	OUTAGE_CAUSE_UNKNOWN = 1,
	OUTAGE_CAUSE_POWER_LOSS = 2,
	OUTAGE_CAUSE_FIBER_CUT = 3,
	OUTAGE_CAUSE_CPE_FAULT = 4,
	OUTAGE_CAUSE_PROVIDER_NETWORK = 5,
	OUTAGE_CAUSE_CUSTOMER_LAN = 6,
	OUTAGE_CAUSE_NATURAL_DISASTER = 7,
	OUTAGE_CAUSE_SECURITY_ISOLATION = 8,
	OUTAGE_CAUSE_PLANNED_WORK = 9,
	OUTAGE_CAUSE_UPSTREAM = 10, /* an upstream node was down (outage.node) */
};

#define OUTAGE_TICKET_MAX       32 /* printable ASCII, without the NUL */
#define OUTAGE_RING_DEFAULT     16
#define OUTAGE_RING_MAX_ENTRIES 1024

struct outage {
	uint32_t index;
	int64_t start;
	int64_t end; /* 0 while open */
	uint8_t cause;
	char ticket[OUTAGE_TICKET_MAX + 1];
	uint32_t last_rtt_us; /* evidence: last RTT seen before it, 0 = none */
	uint32_t loss_ppm;    /* evidence: loss of the rounds that declared it */
	uint32_t node;        /* the upstream node that was down, 0: none */
};

struct outage_ring {
	struct outage *slot; /* capacity entries; NULL until the first outage */
	uint32_t last_index; /* index of the newest outage ever, 0 = none; persisted */
	uint16_t capacity;
	uint16_t count;
	uint16_t oldest; /* slot of the lowest index */
};

/* Capacity 0 means OUTAGE_RING_DEFAULT; larger than the max is capped. */
void outage_ring_init(struct outage_ring *r, unsigned capacity);
void outage_ring_free(struct outage_ring *r);
/* Keep the newest entries that fit; false on out of memory (ring unchanged). */
bool outage_ring_set_capacity(struct outage_ring *r, unsigned capacity);

/*
 * Open an outage at start.  If one is already open it is returned as is and
 * *already_open (if given) is set.  The oldest entry is dropped when full.
 * NULL on out of memory or when the 32-bit index space is exhausted.
 */
struct outage *outage_open(struct outage_ring *r, int64_t start, uint32_t last_rtt_us,
                           uint32_t loss_ppm, bool *already_open);
/* Close the open outage (end clamped to >= start); NULL if none is open. */
struct outage *outage_close(struct outage_ring *r, int64_t end);
/* The open outage, or NULL. */
struct outage *outage_current(const struct outage_ring *r);
struct outage *outage_find(const struct outage_ring *r, uint32_t index);
/* The entry with the smallest index > after (after = 0 gives the first). */
struct outage *outage_next(const struct outage_ring *r, uint32_t after);
/* Re-insert a saved entry (store restore); entries must come in increasing
 * index order.  Returns an error string, NULL on success. */
const char *outage_restore(struct outage_ring *r, const struct outage *o);

/* Validation for the MIB's SET checks; NULL when fine, else why not. */
const char *outage_check_cause(int cause);
const char *outage_check_ticket(const char *ticket, size_t len);
/* Set cause and ticket together (len bytes, not NUL-terminated; len 0
 * clears it).  Nothing changes unless both are valid. */
const char *outage_annotate(struct outage *o, int cause, const char *ticket, size_t len);

/* MIB names (e.g. "powerLoss"); NULL when out of range. */
const char *outage_cause_name(int cause);
/* Case-insensitive name to value; -1 when unknown. */
int outage_cause_parse(const char *name);

#endif
