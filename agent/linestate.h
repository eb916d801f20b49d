/*
 * linestate: per-line hysteresis state machine.
 *
 * Contract: fed one probe_result per round; decides what status the line
 * reports.  No I/O, no clock, no allocation: the caller owns the struct
 * (a few bytes) and the round timing.
 *
 *  - A round is good when outcome == PROBE_OK, bad on NO_ANSWER or REFUSED.
 *  - UNKNOWN (start) and UNRESOLVED: DOWN after down_after (K) consecutive
 *    bad rounds, UP after up_after (M) consecutive good ones.
 *  - UP/DEGRADED -> DOWN after K consecutive bad rounds; DOWN -> UP after M
 *    consecutive good rounds.
 *  - While UP, a round whose loss >= loss_raise_ppm (or, if rtt_raise_us is
 *    non-zero, whose avg RTT >= rtt_raise_us) counts toward DEGRADED; N
 *    (degrade_after) such rounds in a row raise it.  A bad round (nothing
 *    answered) never counts toward DEGRADED, which means the target
 *    answers: it neither extends nor breaks that streak, and it breaks the
 *    clean streak below.  While DEGRADED, degrade_clear_after rounds in a row with
 *    loss <= loss_clear_ppm (and RTT <= rtt_clear_us if enabled) go back to
 *    UP.  Rounds between the bands break either streak.
 *  - PROBE_UNRESOLVED makes the status UNRESOLVED at once (its own state; we
 *    know nothing about the line).  Leaving it takes K bad or M good rounds,
 *    as from UNKNOWN.
 *  - PROBE_LOCAL_ERROR is our own failure (no socket, fd budget): the round
 *    is ignored, it neither extends nor breaks any streak.
 *  - Maintenance only masks the *reported* status (MAINTENANCE).  Tracking
 *    goes on underneath, so when maintenance ends the line reports its true
 *    tracked state at once (e.g. DOWN, if it went down during the window),
 *    with no K/M delay.
 *  - An upstream node masks the reported status the same way (set by the
 *    model, linestate_set_upstream()): while it is down, a tracked DOWN is
 *    reported UNREACHABLE; while it is suspect (failing, not yet judged),
 *    a line that goes DOWN keeps reporting what it reported before, so the
 *    node's verdict decides between DOWN and UNREACHABLE.  Maintenance
 *    masks first.
 */
#ifndef TSLCD_LINESTATE_H
#define TSLCD_LINESTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probe_result.h"

/* Values are the MIB's enumeration: do not renumber. */
enum line_status {
	LINE_UNKNOWN = 1,
	LINE_UP = 2,
	LINE_DEGRADED = 3,
	LINE_DOWN = 4,
	LINE_MAINTENANCE = 5,
	LINE_UNRESOLVED = 6,
	LINE_UNREACHABLE = 7, /* failing behind an upstream node that is down */
};

/* Streak counters are 8 bit: round-count parameters are limited to this. */
#define LINESTATE_ROUNDS_MAX 255u

struct linestate_params {
	unsigned down_after;          /* K: bad rounds to declare DOWN (3) */
	unsigned up_after;            /* M: good rounds to declare UP (2) */
	unsigned degrade_after;       /* N: lossy/slow rounds to raise DEGRADED (3) */
	unsigned degrade_clear_after; /* clean rounds to clear DEGRADED (3) */
	uint32_t loss_raise_ppm;      /* 200000 = 20 % */
	uint32_t loss_clear_ppm;      /* 50000 = 5 % */
	uint32_t rtt_raise_us;        /* 0 = RTT never degrades the line */
	uint32_t rtt_clear_us;
};

/* What the line's upstream node says (linestate_set_upstream). */
enum upstream_mode {
	UPSTREAM_OK = 0,      /* no node, or it is up */
	UPSTREAM_DOWN = 1,    /* DOWN is reported as UNREACHABLE */
	UPSTREAM_SUSPECT = 2, /* a new DOWN waits for the node's verdict */
};

struct linestate {
	uint8_t reported;    /* enum line_status: what the MIB shows */
	uint8_t tracked;     /* enum line_status, never MAINTENANCE: what probes say */
	uint8_t in_maint;    /* bool: reported is masked as MAINTENANCE */
	uint8_t upstream;    /* enum upstream_mode; not saved (the model sets it) */
	uint8_t good_streak; /* consecutive good rounds */
	uint8_t bad_streak;  /* consecutive bad rounds */
	uint8_t band_streak; /* consecutive rounds pushing UP <-> DEGRADED */
};

const char *line_status_name(enum line_status s);

struct linestate_params linestate_params_default(void);
/* Sanity of configured values; false with a message in err. */
bool linestate_params_check(const struct linestate_params *p, char *err, size_t errlen);

/* Start in UNKNOWN, not in maintenance. */
void linestate_init(struct linestate *ls);

/* Apply one round; true when the reported status changed. */
bool linestate_on_round(struct linestate *ls, const struct linestate_params *p,
                        const struct probe_result *r, bool in_maintenance);

/* Maintenance begins or ends between rounds; true when the reported status changed. */
bool linestate_set_maintenance(struct linestate *ls, bool in_maintenance);
/* The upstream node's verdict changed; true when the reported status changed. */
bool linestate_set_upstream(struct linestate *ls, enum upstream_mode mode);

static inline enum line_status linestate_reported(const struct linestate *ls)
{
	return (enum line_status)ls->reported;
}

static inline enum line_status linestate_tracked(const struct linestate *ls)
{
	return (enum line_status)ls->tracked;
}

#endif
