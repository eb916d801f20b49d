/*
 * prober_wheel: the prober's timers, in slots of PROBER_WHEEL_SLOT_MS.
 *
 * Contract: an entry armed for at_ms fires once, in the first loop pass at
 * or after at_ms rounded up to a slot; entries of one slot fire in the
 * order they were armed, and an entry armed while the wheel fires (even
 * for a past time) waits for the next pass, so a callback cannot starve
 * the fds.  Arming an armed entry moves it; cancel is a no-op on an idle
 * entry and is safe at any time, also inside a callback (for any entry).
 * Arming never fails: entries are the caller's memory, and the loop holds
 * one timer for the whole wheel, for its earliest slot.  So with 10k jobs
 * the loop's timer heap does one operation per slot instead of one per
 * attempt and per round, each a sift through a heap of 10k timers.
 * Loop thread only; init after loop_init(), before any arm.
 */
#ifndef TSLCD_PROBER_WHEEL_H
#define TSLCD_PROBER_WHEEL_H

#include <stdbool.h>
#include <stdint.h>

#define PROBER_WHEEL_SLOT_MS 20 /* a wakeup costs more than a batch twice the size */

struct prober_wheel_entry {
	struct prober_wheel_entry *prev, *next; /* NULL when idle */
	uint64_t slot;                          /* due slot while armed */
};

typedef void (*prober_wheel_cb)(struct prober_wheel_entry *e);

/* Forget every entry (without touching them) and fire cb from now on. */
void prober_wheel_init(prober_wheel_cb cb);
/* Cancel the loop timer; entries still armed are forgotten. */
void prober_wheel_shutdown(void);

void prober_wheel_arm(struct prober_wheel_entry *e, uint64_t at_ms);
void prober_wheel_cancel(struct prober_wheel_entry *e);
bool prober_wheel_armed(const struct prober_wheel_entry *e);

#endif
