/*
 * dayacct: a line's or office's totals per local calendar day (the
 * configured time zone), for the history's line_days and office_days.
 *
 * Contract: no I/O, no allocation; struct day_acct is plain data the
 * store saves.  It keeps the current day and the one before, so the day
 * that just ended can still be written in full after midnight.  The model
 * feeds it the same intervals it gives availability (so the two agree),
 * probe rounds and counter readings; the history feed reads the totals.
 * Totals, never increments, leave this module: writing them twice (a
 * retry, a restart, kill -9 and a restore) cannot double-count.
 *  - Seconds up, degraded, down and in maintenance; unknown is what the
 *    day's length (so far) leaves over, as in availability.
 *  - RTT: mean of the answered attempts' RTT and the highest seen; loss:
 *    unanswered attempts over attempts.
 *  - Traffic: octets and valid polled time from the router's counters (as
 *    the month figures count them), and the highest poll-interval rate.
 *  - Intervals for days older than the previous one are dropped.
 */
#ifndef TSLCD_DAYACCT_H
#define TSLCD_DAYACCT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

enum day_state { DAY_UP, DAY_DEGRADED, DAY_DOWN, DAY_MAINT, DAY_UNKNOWN };

struct day_totals {
	int32_t day; /* local days since 1970-01-01; 0 = nothing recorded */
	uint32_t up_s, degraded_s, down_s, maint_s;
	uint32_t rtt_max_us;
	uint32_t answers, attempts;
	uint64_t rtt_sum_us; /* sum over answered attempts */
	uint64_t octets[2];  /* in, out */
	uint64_t poll_cs;    /* centiseconds the octets cover */
	uint64_t peak_bps[2];
};

struct day_acct {
	struct day_totals cur, prev;
};

/* The local day number of t (process time zone); thread-safe. */
int32_t dayacct_local_day(time_t t);
/* [start, end) of a local day (23 to 25 h around a DST change). */
void dayacct_bounds(int32_t day, time_t *start, time_t *end);
/* The time zone changed (config reload): forget cached day boundaries. */
void dayacct_zone_changed(void);

/* Add [from, to) in state s; may cross midnight.  UNKNOWN adds nothing. */
void dayacct_time(struct day_acct *a, enum day_state s, time_t from, time_t to);
/* One probe round at now: attempts sent, answers, their mean and max RTT. */
void dayacct_round(struct day_acct *a, time_t now, unsigned attempts, unsigned answers,
                   uint32_t rtt_avg_us, uint32_t rtt_max_us);
/* Counter octets over a valid interval of cs centiseconds ending at now,
 * and the interval's rates (0: none). */
void dayacct_traffic(struct day_acct *a, time_t now, const uint64_t octets[2], uint64_t cs,
                     const uint64_t bps[2]);

/* The totals of day, or NULL when not kept. */
const struct day_totals *dayacct_get(const struct day_acct *a, int32_t day);
/* Unknown seconds of t's day up to now (the whole day once it is over). */
uint32_t dayacct_unknown_s(const struct day_totals *t, time_t now);

#endif
