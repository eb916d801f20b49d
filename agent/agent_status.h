/*
 * agent_status: facts about the daemon itself that tslcdAgent's scalars
 * publish (version, start, the last config load, the ICMP mode, the last
 * state save).
 *
 * Contract: the modules that learn a fact report it through a setter;
 * the MIB reads agent_status_get() and never writes.  Loop thread only.
 * No Net-SNMP, so the reporters need not know the MIB exists.
 */
#ifndef TSLCD_AGENT_STATUS_H
#define TSLCD_AGENT_STATUS_H

#include <stdbool.h>
#include <time.h>

struct agent_status {
	const char *version;
	time_t start_time;
	time_t config_load_time;
	bool config_load_ok;
	char config_message[256]; /* "file:line: message" of the last failure */
	unsigned icmp_mode;       /* TslcdIcmpMode, 0 = not known yet */
	time_t state_save_time;
	int state_save_result; /* 1 ok, 2 failed, 3 never */
};

const struct agent_status *agent_status_get(void);

void agent_status_started(const char *version, time_t when);
/* A config load ended (ok or not); the message is set apart. */
void agent_status_config_loaded(bool ok, time_t when);
/* The last problem with the config ("" clears it); cut to fit. */
void agent_status_config_message(const char *msg);
void agent_status_icmp_mode(unsigned mode);
/* A state save ended: the time is that of the last good one. */
void agent_status_state_saved(bool ok, time_t when);

#endif
