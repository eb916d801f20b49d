/*
 * agent_status: the daemon's own facts, set by their reporters.
 */
#include "agent_status.h"

#include <stdio.h>

static struct agent_status st = {.state_save_result = 3};

const struct agent_status *agent_status_get(void)
{
	return &st;
}

void agent_status_started(const char *version, time_t when)
{
	st.version = version;
	st.start_time = when;
}

void agent_status_config_loaded(bool ok, time_t when)
{
	st.config_load_time = when;
	st.config_load_ok = ok;
}

void agent_status_config_message(const char *msg)
{
	snprintf(st.config_message, sizeof(st.config_message), "%s", msg);
}

void agent_status_icmp_mode(unsigned mode)
{
	st.icmp_mode = mode;
}

void agent_status_state_saved(bool ok, time_t when)
{
	st.state_save_result = ok ? 1 : 2;
	if (ok)
		st.state_save_time = when;
}
