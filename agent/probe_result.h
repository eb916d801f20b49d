/*
 * probe_result: what one probe round of one line observed.
 *
 * Contract: produced by the prober (ICMP/TCP), consumed by the line state
 * machine.  A round is a burst of `sent` attempts; `received` answered.
 * RTT figures are over the answered attempts only and are meaningless when
 * received == 0.  Jitter is the mean absolute difference of successive RTTs
 * (RFC 3550 style) within the round, 0 with fewer than two answers.
 */
#ifndef TSLCD_PROBE_RESULT_H
#define TSLCD_PROBE_RESULT_H

#include <stdint.h>

enum probe_outcome {
	PROBE_OK = 0,      /* at least one attempt answered */
	PROBE_NO_ANSWER,   /* every attempt timed out */
	PROBE_REFUSED,     /* TCP RST / ICMP unreachable: host there, service not */
	PROBE_UNRESOLVED,  /* target name could not be resolved */
	PROBE_LOCAL_ERROR, /* we could not send (no socket, fd budget, EPERM) */
};

struct probe_result {
	enum probe_outcome outcome;
	uint32_t sent;
	uint32_t received;
	uint32_t rtt_min_us;
	uint32_t rtt_avg_us;
	uint32_t rtt_max_us;
	uint32_t jitter_us;
};

#endif
