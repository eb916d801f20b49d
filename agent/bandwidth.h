/*
 * bandwidth: per-line traffic arithmetic from router interface counters.
 * Pure logic, no Net-SNMP, no I/O: the poller feeds readings in through the
 * model, the MIB reads the results.
 *
 * Contract:
 * - Rates come from two successive good readings.  Elapsed time is the
 *   router's own sysUpTime difference (both counters and uptime are sampled
 *   by the router, so our request latency does not skew the rate).
 * - 64-bit counters wrap modulo 2^64; a delta of 2^63 or more can only be a
 *   reset.  32-bit counters (only when the router has no HC counters) wrap
 *   modulo 2^32.  sysUpTime going back, a changed ifCounterDiscontinuityTime,
 *   a change of counter width or a reset make the interval invalid: no rate,
 *   no sample, no spike; the discontinuity time is recorded.
 * - Utilisation samples cover `sample_s` (default 300 s) wall-clock periods
 *   aligned to the epoch; a sample is the mean utilisation over the valid
 *   poll intervals that ended in the period.  The window keeps the last
 *   window_s / sample_s periods (2016 for 7 d at 5 min) in a ring indexed by
 *   period, stored as uint16 in units of 1/100 % (100 ppm resolution, up to
 *   655.34 %; 0xFFFF marks a period without sample).  Memory per line:
 *   4 bytes per period (2 directions) plus ~200 bytes, i.e. ~8.3 KB at the
 *   defaults.
 * - p95 is the nearest-rank percentile (rank ceil(0.95 n), as the MIB says):
 *   with fewer than 20 samples it is the maximum.
 * - The utilisation alarm is per line: raised when the p95 of either
 *   direction exceeds raise_ppm (once min_samples samples are in the window),
 *   cleared when both directions are at or below clear_ppm.
 * - Month and quarter figures (local calendar): average bps over the valid
 *   seconds polled, and the peak 5-minute sample, per direction.
 * - Wall clock: a step back files samples into the newest period already
 *   seen; a step forward of more than the window empties it.
 */
#ifndef TSLCD_BANDWIDTH_H
#define TSLCD_BANDWIDTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum bw_dir { BW_IN = 0, BW_OUT = 1 };

/* MIB TslcdCounterWidth and TslcdPollStatus values. */
enum bw_width { BW_WIDTH_UNKNOWN = 1, BW_WIDTH_HC64 = 2, BW_WIDTH_C32 = 3 };
enum bw_status {
	BW_NOT_CONFIGURED = 1,
	BW_OK = 2,
	BW_TIMEOUT = 3,
	BW_ERROR = 4,
	BW_NO_SUCH_IF = 5,
	BW_AUTH_FAILURE = 6, /* the router refused our SNMPv3 credentials */
};

#define BW_SAMPLE_NONE 0xFFFFu /* ring slot without a sample */
#define BW_SAMPLE_MAX  0xFFFEu /* 655.34 %: utilisation is capped here */

struct bw_params {
	unsigned sample_s;    /* sample period, default 300 */
	unsigned window_s;    /* congestion window, default 604800 */
	uint32_t raise_ppm;   /* default 900000 */
	uint32_t clear_ppm;   /* default 850000 */
	unsigned min_samples; /* samples needed before the alarm may rise */
};

/* One successful read of a line's interface on its router. */
struct bw_reading {
	uint32_t uptime_cs; /* sysUpTime.0 */
	uint8_t width;      /* enum bw_width of in/out */
	uint64_t in, out;   /* octets */
	bool has_disc;
	uint32_t disc_cs; /* ifCounterDiscontinuityTime */
	uint32_t ifindex;
};

/* Calendar accumulator (month or quarter). */
struct bw_calendar {
	int32_t key;          /* year*12+month or year*4+quarter; 0 = none */
	uint64_t octets[2];   /* over valid intervals */
	uint64_t cs;          /* valid centiseconds covered */
	uint16_t peak[2];     /* highest sample, 1/100 % */
	uint64_t peak_bps[2]; /* highest poll-interval rate */
};

struct bw_line {
	uint32_t contract_kbps;
	/* latest poll */
	uint8_t status; /* enum bw_status; 0 = no poll finished yet */
	uint8_t width;  /* enum bw_width */
	uint32_t ifindex;
	bool have_prev, rate_valid;
	struct bw_reading prev;
	uint64_t bps[2];
	time_t last_ok, last_fail, disc_time;
	/* sample being accumulated */
	int64_t acc_period; /* -1 none */
	uint64_t acc_octets[2], acc_cs;
	/* window ring */
	uint32_t cap;        /* periods held */
	unsigned sample_s;   /* period length the ring was built for */
	int64_t last_period; /* newest period in the ring, -1 none */
	uint32_t n_samples;
	bool dirty; /* a sample was filed since n_samples/p95 were computed */
	uint32_t p95_ppm[2];
	bool alarm;
	uint8_t alarm_dir;
	struct bw_calendar month, quarter;
	uint16_t *ring; /* cap * 2: [period % cap][dir] */
};

/* What bw_on_poll() changed, as flags. */
enum bw_event {
	BW_EV_RATE = 1,          /* a new in/out rate */
	BW_EV_DISCONTINUITY = 2, /* interval discarded */
	BW_EV_SAMPLE = 4,        /* a sample entered the window */
	BW_EV_ALARM_RAISED = 8,
	BW_EV_ALARM_CLEARED = 16,
};

struct bw_params bw_params_default(void);
struct bw_line *bw_line_new(const struct bw_params *p, uint32_t contract_kbps);
void bw_line_free(struct bw_line *b);
/* Reload: dst takes over src's history (window kept if the period length is
 * unchanged, newest periods first when the window shrank). */
void bw_line_adopt(struct bw_line *dst, const struct bw_line *src);

unsigned bw_on_poll(struct bw_line *b, const struct bw_params *p, const struct bw_reading *r,
                    time_t now);
void bw_on_poll_failed(struct bw_line *b, enum bw_status st, time_t now);
/* Let time pass: expire old samples, finish a period; may clear/raise. */
unsigned bw_advance(struct bw_line *b, const struct bw_params *p, time_t now);

/* Persistence (store.c): read one period's sample (BW_SAMPLE_NONE if none
 * or outside the window), put samples back, then recompute p95 once. */
uint16_t bw_window_sample(const struct bw_line *b, int64_t period, enum bw_dir d);
void bw_window_restore(struct bw_line *b, int64_t period, uint16_t in, uint16_t out);
void bw_window_refresh(struct bw_line *b);

/* Forward movement of a counter; false when it can only be a reset. */
bool bw_counter_delta(uint64_t prev, uint64_t cur, uint8_t width, uint64_t *delta);
/* bps as ppm of the contract, capped at 1000000 (MIB TslcdPpm). */
uint32_t bw_util_ppm(uint64_t bps, uint32_t contract_kbps);
/* Nearest-rank percentile of n values; false when n == 0.  Uses scratch. */
bool bw_percentile(const uint16_t *v, size_t n, unsigned pct, uint16_t *out);
/* Sample units (1/100 %) to ppm, capped at 1000000. */
uint32_t bw_sample_ppm(uint16_t s);

#endif
