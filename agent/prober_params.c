/*
 * prober_params: defaults and bounds of the probe parameters, apart from
 * the prober itself so that config links without it (README, "core").
 */
#include "prober_params.h"

#include <stdint.h>

#include "probe_icmp.h"

void prober_params_default(struct prober_params *p)
{
	*p = (struct prober_params){
	    .interval_ms = 10000, .count = 3, .spacing_ms = 200, .timeout_ms = 1000, .payload = 56};
}

const char *prober_params_check(const struct prober_params *p)
{
	if (p->count < 1 || p->count > PROBER_COUNT_MAX)
		return "count must be 1..32";
	if (p->timeout_ms < 1 || p->timeout_ms > PROBER_TIMEOUT_MAX_MS)
		return "timeout must be 1..60000 ms";
	if (p->spacing_ms > PROBER_TIMEOUT_MAX_MS)
		return "spacing must be at most 60000 ms";
	if (p->payload < ICMP_PAYLOAD_MIN || p->payload > ICMP_PAYLOAD_MAX)
		return "payload must be 8..1472 bytes";
	if ((uint64_t)p->interval_ms <= (uint64_t)(p->count - 1) * p->spacing_ms + p->timeout_ms)
		return "interval must exceed (count - 1) * spacing + timeout";
	return NULL;
}
