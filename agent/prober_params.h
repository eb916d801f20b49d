/*
 * prober_params: the probe parameters of a round and their bounds.
 *
 * Contract: plain data and checks only, no I/O, so that config (and every
 * program that loads a config) needs none of the prober's sockets, timers
 * or Net-SNMP's loop to validate them.  prober.h uses them.
 */
#ifndef TSLCD_PROBER_PARAMS_H
#define TSLCD_PROBER_PARAMS_H

struct prober_params {
	unsigned interval_ms; /* default 10000 */
	unsigned count;       /* attempts per round, default 3, at most PROBER_COUNT_MAX */
	unsigned spacing_ms;  /* between attempts, default 200 */
	unsigned timeout_ms;  /* per attempt, default 1000, at most PROBER_TIMEOUT_MAX_MS */
	unsigned payload;     /* ICMP data bytes, default 56, 8..1472 */
};

#define PROBER_COUNT_MAX      32
#define PROBER_TIMEOUT_MAX_MS 60000

void prober_params_default(struct prober_params *p);
/* NULL when usable, else why not (static text, for config error messages). */
const char *prober_params_check(const struct prober_params *p);

#endif
