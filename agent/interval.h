/*
 * interval: a line's clock-aligned measurement intervals (5 or 15 minutes,
 * 1 for tests), the last INTERVAL_KEEP of them, for tslcdIntervalTable.
 *
 * Contract: no I/O, no allocation; plain data the store saves.  The model
 * feeds it what it gives dayacct (the same [from, to) pieces in a state,
 * probe rounds, counter octets), so the three always agree.  An interval
 * number n covers [n * len, (n + 1) * len) in UTC epoch seconds, so
 * intervals are aligned to the wall clock and a record's start is derived
 * from its number, never stored.
 *  - Closed records are compact (22 bytes; 96 per line keeps 10,000 lines
 *    under 22 MB): seconds in 10 bits (an interval is at most 900 s long),
 *    packed with the suspect bits; RTT in 16-bit units of 10 us
 *    (saturating at 655.35 ms), rates as 16-bit floats (11-bit mantissa:
 *    within 0.1 %), p95 from a 16-bin histogram computed at close.
 *    Unknown seconds are what the length leaves over, as in availability.
 *  - The running interval keeps full sums; it closes when time (a piece,
 *    a round, a tick) reaches the next interval.  Intervals nobody saw
 *    (the agent was stopped) become rows of unknown time, marked suspect
 *    (agentStop).  Time older than the running interval is dropped.
 *  - Suspect reasons are sticky bits on the running interval; the model
 *    sets them (start, stop, clock step, reload, master unreachable).
 */
#ifndef TSLCD_INTERVAL_H
#define TSLCD_INTERVAL_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "dayacct.h"
#include "rtthist.h"

#define INTERVAL_KEEP 96
/* Units of the compact RTT fields. */
#define INTERVAL_RTT_UNIT_US 10u

/* Suspect reasons: the MIB's BITS positions. */
enum interval_suspect {
	INTERVAL_AGENT_START = 1u << 0,
	INTERVAL_AGENT_STOP = 1u << 1,
	INTERVAL_CLOCK_STEP = 1u << 2,
	INTERVAL_CONFIG_RELOAD = 1u << 3,
	INTERVAL_MASTER_DOWN = 1u << 4,
};
#define INTERVAL_SUSPECT_ALL 0x1fu

/* The wall clock stepped (either way) by this much against the monotonic. */
#define INTERVAL_CLOCK_STEP_S 10

enum interval_secs { IV_UP, IV_DEGRADED, IV_DOWN, IV_MAINT, IV_N_SECS };

/* A closed interval.  RTT fields are valid only when answered > 0.  The
 * seconds in each state are read with interval_secs(): 10 bits each, held
 * as a low byte and two high bits, so a record is 22 bytes with no padding
 * (96 a line: 21 MB at 10,000 lines).  Every bit is named, so every
 * initializer zeroes it and records compare equal byte for byte. */
#define INTERVAL_SECS_MAX 1023u
struct interval_rec {
	uint16_t sent, answered;
	uint16_t rtt_min, rtt_avg, rtt_max, rtt_p95; /* INTERVAL_RTT_UNIT_US */
	uint16_t rate[2];                            /* in, out: interval_rate_decode() */
	uint8_t secs_lo[IV_N_SECS];                  /* enum interval_secs order */
	uint8_t secs_hi;                             /* bits 2s..2s+1: secs s >> 8 */
	uint8_t suspect : 5;                         /* enum interval_suspect */
	uint8_t has_rate : 1;                        /* counter octets covered some of it */
	uint8_t zero : 2;
};
_Static_assert(sizeof(struct interval_rec) == 22, "interval records are packed");

/* The running interval. */
struct interval_cur {
	int32_t num;
	uint16_t secs[IV_N_SECS];
	uint8_t suspect;
	uint32_t sent, answered;
	uint32_t rtt_min_us, rtt_max_us;
	uint64_t rtt_sum_us; /* over answers */
	uint64_t octets[2];
	uint64_t poll_cs; /* centiseconds the octets cover */
	struct rtthist hist;
};

struct interval_line {
	struct interval_cur cur;
	int32_t head;                           /* number of the newest closed record */
	uint16_t len_s;                         /* 60, 300 or 900 */
	uint8_t count;                          /* closed records kept */
	struct interval_rec rec[INTERVAL_KEEP]; /* slot: number % INTERVAL_KEEP */
};

/* The length an interval_line of len_s seconds takes (60, 300, else 900). */
unsigned interval_len_of(unsigned len_s);
/* Start empty, the running interval holding now, with suspect bits. */
void interval_init(struct interval_line *v, unsigned len_s, time_t now, uint8_t suspect);
/* Close every interval that ended at or before now. */
void interval_roll(struct interval_line *v, time_t now);
/* After a restart: the saved running interval is marked agentStop, the
 * intervals missed are added as unknown (agentStop), and the one holding
 * now is marked agentStart (the same one when the agent came back in it). */
void interval_resume(struct interval_line *v, time_t now);
/* Add [from, to) in state s; may cross boundaries.  UNKNOWN adds nothing. */
void interval_time(struct interval_line *v, enum day_state s, time_t from, time_t to);
void interval_round(struct interval_line *v, time_t now, unsigned sent, unsigned answered,
                    uint32_t min_us, uint32_t avg_us, uint32_t max_us);
/* Counter octets over cs centiseconds ending at now. */
void interval_traffic(struct interval_line *v, time_t now, const uint64_t octets[2], uint64_t cs);
/* Mark the running interval suspect. */
void interval_mark(struct interval_line *v, uint8_t reasons);

/* Seconds of record r in state s. */
uint16_t interval_secs(const struct interval_rec *r, enum interval_secs s);
/* Record k (1: the newest closed), NULL when not kept; its start in *start. */
const struct interval_rec *interval_get(const struct interval_line *v, unsigned k, time_t *start);
uint16_t interval_unknown_s(const struct interval_line *v, const struct interval_rec *r);
/* Loss in ppm; false when nothing was sent. */
bool interval_loss_ppm(const struct interval_rec *r, uint32_t *ppm);

uint16_t interval_rate_encode(uint64_t bps);
uint64_t interval_rate_decode(uint16_t code);

/* A record and the running interval as the state file holds them: the
 * length of every kept record, validated (NULL: fine, else why not). */
const char *interval_check(const struct interval_line *v);

/* A closed record on disk (state record 7, intervals.log): 12 u16
 * little-endian (the four seconds first), then suspect and has_rate.
 * Seconds above INTERVAL_SECS_MAX read back as that, which
 * interval_rec_check() refuses like any count over the length. */
#define INTERVAL_REC_BYTES 26u
void interval_pack(const struct interval_rec *r, uint8_t out[INTERVAL_REC_BYTES]);
void interval_unpack(const uint8_t in[INTERVAL_REC_BYTES], struct interval_rec *r);
/* A record read from disk, for an interval of len_s (NULL: plausible). */
const char *interval_rec_check(const struct interval_rec *r, unsigned len_s);

/* Restoring from disk, records in ascending number: r as closed interval
 * num.  Kept when it is older than the running one and extends the ring
 * (gaps become unknown agentStop rows), replaces a kept record, or comes
 * just before the oldest kept one; false when dropped. */
bool interval_restore(struct interval_line *v, int32_t num, const struct interval_rec *r);
/* After restoring: the intervals between the newest kept record and the
 * running one, which nobody saw, become unknown agentStop rows. */
void interval_join(struct interval_line *v);
/* Drop every closed record (a rejected file had restored some). */
void interval_forget_closed(struct interval_line *v);

#endif
