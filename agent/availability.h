/*
 * availability: time accounting of one entity (a line or an office).
 *
 * Contract: the caller reports intervals [from, to) of wall-clock seconds in
 * one state; this module keeps compact buckets and answers windowed figures.
 * No I/O, no allocation; struct avail is plain data (fixed-width fields,
 * under 700 bytes) so the store can save it as is.
 *
 *  - Only UP, DOWN and MAINT seconds are stored.  Unknown is whatever a
 *    window's length leaves over, so time never accounted (agent stopped,
 *    unresolved target, gap after a restore) is unknown by construction.
 *    Degraded counts as UP; the caller maps line/office status to states.
 *  - Rolling windows:
 *      24 h: 25 hourly buckets (UTC epoch hours): exact to the hour boundary,
 *            the oldest, partly covered hour counts pro rata.
 *      7 d, 30 d: 31 daily buckets (UTC epoch days): exact to the day
 *            boundary, the oldest, partly covered day counts pro rata.
 *    Pro rata assumes the state was spread evenly over that bucket.
 *  - Calendar windows (current and previous month and quarter) are exact
 *    accumulators; their boundaries are local midnight in the process TZ
 *    (the daemon sets TZ, e.g. Asia/Ho_Chi_Minh, and then calls
 *    avail_zone_changed(): period boundaries are kept between calls).  They cover the period's
 *    start up to `now` (current) or the whole period (previous).  Each also
 *    counts outages started in it; its down_s is the period's downtime.
 *  - Buckets are keyed by hour/day/period number, not by position, so a
 *    struct restored from a state file after downtime simply has no data
 *    for the gap.  Intervals older than a structure's reach are dropped;
 *    a bucket never holds more seconds than it is long.
 *  - All ppm figures use 64-bit intermediates and round down, so 100 % means
 *    no second was lost.
 */
#ifndef TSLCD_AVAILABILITY_H
#define TSLCD_AVAILABILITY_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

enum avail_state {
	AVAIL_UP,
	AVAIL_DOWN,
	AVAIL_MAINT,
	AVAIL_UNKNOWN,
};

enum avail_window {
	AVAIL_24H,
	AVAIL_7D,
	AVAIL_30D,
	AVAIL_MONTH,
	AVAIL_QUARTER,
	AVAIL_PREV_MONTH,   /* last complete calendar month (monthly report) */
	AVAIL_PREV_QUARTER, /* last complete calendar quarter (quarterly report) */
};

#define AVAIL_HOURS 25 /* 24 h window plus the partly covered oldest hour */
#define AVAIL_DAYS  31 /* 30 d window plus the partly covered oldest day */

struct avail_secs16 {
	uint16_t up, down, maint;
};

struct avail_secs32 {
	uint32_t up, down, maint;
};
/* A day's seconds, each at most 86,400 (17 bits): one word a day, so the
 * 31 days take 248 bytes, not 372 (2.2 MB at 10,000 lines and 7,500
 * offices).  Every bit is named, so initializers zero them all. */
#define AVAIL_DAY_SECS_MAX ((1u << 17) - 1)
struct avail_day {
	uint64_t up : 17, down : 17, maint : 17;
	uint64_t zero : 13;
};

/* A calendar month or quarter: key is year*12+month0 or year*4+quarter0. */
struct avail_period {
	int32_t key;
	uint32_t up, down, maint;
	uint32_t outages;
};

struct avail {
	int32_t hour_head; /* epoch hour of the newest hourly bucket */
	int32_t day_head;  /* epoch day of the newest daily bucket */
	struct avail_secs16 hour[AVAIL_HOURS];
	struct avail_day day[AVAIL_DAYS];
	struct avail_period month, prev_month;
	struct avail_period quarter, prev_quarter;
};

struct avail_figures {
	uint32_t up_s, down_s, maint_s;
	uint32_t window_s; /* unknown = window_s - up_s - down_s - maint_s */
	uint32_t outages;  /* calendar windows only, else 0 */
};

/* Everything unknown, keyed at `now`. */
void avail_init(struct avail *a, time_t now);

/* Add [from, to) in `state`; may cross any boundary.  UNKNOWN adds nothing. */
void avail_account(struct avail *a, enum avail_state state, time_t from, time_t to);

/* Count one outage in the month and quarter containing `when`. */
void avail_outage_started(struct avail *a, time_t when);

/* The process time zone changed (TZ set and tzset() called): forget the
 * calendar period boundaries kept from the old zone.  Any thread. */
void avail_zone_changed(void);

/* Figures for window w ending at now; false only if w is invalid or local
 * time cannot be computed.  A zero-length window (now exactly at a month
 * start) gives true with window_s == 0. */
bool avail_window(const struct avail *a, enum avail_window w, time_t now,
                  struct avail_figures *out);

/* up / (up + down + maint): raw availability, maintenance counts against. */
bool avail_ppm_raw(const struct avail_figures *f, uint32_t *ppm);
/* up / (up + down): maintenance-adjusted availability. */
bool avail_ppm_adjusted(const struct avail_figures *f, uint32_t *ppm);
/* (up + down + maint) / window: the fraction of the window we know about. */
bool avail_ppm_monitored(const struct avail_figures *f, uint32_t *ppm);
/* Each returns false (and leaves *ppm alone) when its denominator is 0, so
 * the MIB can answer noSuchInstance instead of a made-up 0. */

/*
 * Wall-clock jumps.  One avail_clock serves every entity: each round the
 * caller passes the monotonic ms and the wall time, and accounts the
 * returned [from, to) to every entity in its current state.
 *  - Normal case: [last_wall, wall).
 *  - Wall went backwards: the monotonic elapsed seconds are accounted
 *    forward from the previous wall position, and keep being so until the
 *    wall catches up.  The past is never rewritten or counted twice; the
 *    windows, read at the (earlier) wall time, simply do not see those
 *    seconds until the wall reaches them.
 *  - Wall jumped forward by more than the monotonic elapsed time plus
 *    AVAIL_CLOCK_SLACK_S (NTP step, suspend/resume): only the monotonic
 *    elapsed seconds, ending at the new wall, are accounted; the skipped
 *    part stays unknown.
 *  - Wall moved less than monotonic time but not backwards: [last_wall,
 *    wall); the difference is dropped rather than double counted.
 */
#define AVAIL_CLOCK_SLACK_S 2

struct avail_clock {
	uint64_t last_mono_ms;
	time_t last_wall;
	time_t skipped; /* seconds forward steps left unknown, summed until its reader clears it */
};

void avail_clock_start(struct avail_clock *c, uint64_t mono_ms, time_t wall);
/* false when there is nothing to account (from == to). */
bool avail_clock_advance(struct avail_clock *c, uint64_t mono_ms, time_t wall, time_t *from,
                         time_t *to);

#endif
