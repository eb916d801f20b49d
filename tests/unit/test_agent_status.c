/*
 * agent_status: what the setters report is what the MIB reads; a state
 * save that failed keeps the time of the last good one; a config message
 * too long is cut, never overrun.  Core library alone (Makefile, CORE_TEST).
 */
#include "unit.h"
#include <string.h>

#include "agent_status.h"

START_TEST(setters_reach_the_reader)
{
	const struct agent_status *s = agent_status_get();
	char longmsg[600];

	ck_assert_int_eq(s->state_save_result, 3); /* never saved */
	agent_status_started("9.9", 100);
	agent_status_icmp_mode(2);
	ck_assert_str_eq(s->version, "9.9");
	ck_assert_int_eq(s->start_time, 100);
	ck_assert_uint_eq(s->icmp_mode, 2);

	agent_status_state_saved(true, 200);
	agent_status_state_saved(false, 300);
	ck_assert_int_eq(s->state_save_result, 2);
	ck_assert_int_eq(s->state_save_time, 200);

	memset(longmsg, 'x', sizeof(longmsg) - 1);
	longmsg[sizeof(longmsg) - 1] = '\0';
	agent_status_config_message(longmsg);
	agent_status_config_loaded(false, 400);
	ck_assert_uint_eq(strlen(s->config_message), sizeof(s->config_message) - 1);
	ck_assert(!s->config_load_ok);
	ck_assert_int_eq(s->config_load_time, 400);
	agent_status_config_message("");
	agent_status_config_loaded(true, 500);
	ck_assert_str_eq(s->config_message, "");
	ck_assert(s->config_load_ok);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("agent_status");
	TCase *tc = tcase_create("setters");

	tcase_add_test(tc, setters_reach_the_reader);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
