/*
 * Unit tests for linestate: table-driven round sequences.
 *
 * A case is a string of events and the status letter expected after each.
 * Events:  G good   L lossy (30 %)   H half-way band (10 %)   S slow RTT
 *          B no answer   R refused   U unresolved   E local error
 *          m maintenance begins   n maintenance ends (between rounds)
 * Status:  K unknown  U up  D degraded  X down  M maintenance  R unresolved
 */
#include "unit.h"
#include <stdlib.h>
#include <string.h>

#include "linestate.h"

struct seq_case {
	const char *name;
	bool rtt; /* enable RTT thresholds (raise 100 ms, clear 50 ms) */
	const char *events;
	const char *expect; /* one status letter per event */
};

static const struct seq_case seq_cases[] = {
    {"up after M good", false, "GG", "KU"},
    {"down after K bad from unknown", false, "BBB", "KKX"},
    {"K-1 bad then good resets", false, "GGBBGBBB", "KUUUUUUX"},
    {"M-1 good then bad resets", false, "BBBGBGG", "KKXXXXU"},
    {"refused counts as bad", false, "GGRRR", "KUUUX"},
    {"mixed bad kinds form one streak", false, "GGRBR", "KUUUX"},
    {"flapping short of K stays up", false, "GGBBGBBGBBG", "KUUUUUUUUUU"},
    {"flapping with loss degrades on an answered round", false, "GGBLBLBL", "KUUUUUUD"},
    {"cut mid-round goes down, never degraded first", false, "GGLBBB", "KUUUUX"},
    {"cut after lossy rounds goes down, never degraded first", false, "GGLLBBB", "KUUUUUX"},
    {"silent round breaks the clear streak", false, "GGLLLGGBGGG", "KUUUDDDDDDU"},
    {"degraded after N lossy", false, "GGLLL", "KUUUD"},
    {"raise streak broken by mid band", false, "GGLLHLLL", "KUUUUUUD"},
    {"raise streak broken by clean", false, "GGLLGLLL", "KUUUUUUD"},
    {"degraded clears after 3 clean", false, "GGLLLGGG", "KUUUDDDU"},
    {"clear streak broken by mid band", false, "GGLLLGGHGGG", "KUUUDDDDDDU"},
    {"mid band neither raises nor clears", false, "GGLLLHHHH", "KUUUDDDDD"},
    {"mid band from up stays up", false, "GGHHHH", "KUUUUU"},
    {"degraded to down after K", false, "GGLLLBBB", "KUUUDDDX"},
    {"down to up after M", false, "BBBGG", "KKXXU"},
    {"lossy rounds bring the line up", false, "BBBLLLL", "KKXXUUD"},
    {"degraded line comes back up then degrades", false, "GGLLLBBBLL", "KUUUDDDXXU"},
    {"rtt disabled ignores slow", false, "GGSSSS", "KUUUUU"},
    {"rtt enabled degrades on slow", true, "GGSSSS", "KUUUDD"},
    {"rtt clear band", true, "GGSSSGGG", "KUUUDDDU"},
    {"maintenance masks down", false, "GGmBBBn", "KUMMMMX"},
    {"maintenance recovery shows up", false, "GGmBBBGGn", "KUMMMMMMU"},
    {"maintenance from start", false, "mGGn", "MMMU"},
    {"maintenance before decision", false, "mBBn", "MMMK"},
    {"maintenance toggles without rounds", false, "GGmnmn", "KUMUMU"},
    {"unresolved at once", false, "GGU", "KUR"},
    {"unresolved then good needs M", false, "GGUGG", "KURRU"},
    {"unresolved then bad needs K", false, "UBBB", "RRRX"},
    {"unresolved breaks a bad streak", false, "GGBBUB", "KUUURR"},
    {"unresolved under maintenance", false, "GGmUn", "KUMMR"},
    {"local error changes nothing", false, "EEEE", "KKKK"},
    {"local error keeps bad streak", false, "GGBBEB", "KUUUUX"},
    {"local error keeps good streak", false, "BBBGEG", "KKXXXU"},
    {"local error while unresolved", false, "UE", "RR"},
    {"local error keeps degrade streak", false, "GGLLEL", "KUUUUD"},
};

static enum line_status status_of(char c)
{
	switch (c) {
	case 'K':
		return LINE_UNKNOWN;
	case 'U':
		return LINE_UP;
	case 'D':
		return LINE_DEGRADED;
	case 'X':
		return LINE_DOWN;
	case 'M':
		return LINE_MAINTENANCE;
	case 'R':
		return LINE_UNRESOLVED;
	}
	ck_abort_msg("bad status letter %c", c);
	return LINE_UNKNOWN;
}

static struct probe_result round_of(char c)
{
	struct probe_result r = {.outcome = PROBE_OK, .sent = 10, .received = 10};

	r.rtt_min_us = r.rtt_avg_us = r.rtt_max_us = 10000;
	switch (c) {
	case 'L':
		r.received = 7;
		break;
	case 'H':
		r.received = 9;
		break;
	case 'S':
		r.rtt_avg_us = 150000;
		break;
	case 'B':
		r.outcome = PROBE_NO_ANSWER;
		r.received = 0;
		break;
	case 'R':
		r.outcome = PROBE_REFUSED;
		r.received = 0;
		break;
	case 'U':
		r.outcome = PROBE_UNRESOLVED;
		r.sent = r.received = 0;
		break;
	case 'E':
		r.outcome = PROBE_LOCAL_ERROR;
		r.sent = r.received = 0;
		break;
	}
	return r;
}

START_TEST(test_sequences)
{
	const struct seq_case *c = &seq_cases[_i];
	struct linestate_params p = linestate_params_default();
	struct linestate ls;
	bool maint = false;

	if (c->rtt) {
		p.rtt_raise_us = 100000;
		p.rtt_clear_us = 50000;
	}
	ck_assert_uint_eq(strlen(c->events), strlen(c->expect));
	linestate_init(&ls);
	for (size_t i = 0; c->events[i]; i++) {
		enum line_status before = linestate_reported(&ls);
		enum line_status want = status_of(c->expect[i]);
		char ev = c->events[i];
		bool changed;

		if (ev == 'm' || ev == 'n') {
			maint = ev == 'm';
			changed = linestate_set_maintenance(&ls, maint);
		} else {
			struct probe_result r = round_of(ev);

			changed = linestate_on_round(&ls, &p, &r, maint);
		}
		ck_assert_msg(linestate_reported(&ls) == want,
		              "%s: after event %zu (%c) got %s want %s", c->name, i, ev,
		              line_status_name(linestate_reported(&ls)), line_status_name(want));
		ck_assert_msg(changed == (want != before), "%s: event %zu change flag", c->name, i);
	}
}
END_TEST

START_TEST(test_maintenance_tracks_underneath)
{
	struct linestate_params p = linestate_params_default();
	struct probe_result bad = round_of('B');
	struct linestate ls;

	linestate_init(&ls);
	ck_assert(linestate_on_round(&ls, &p, &bad, true));
	ck_assert_int_eq(linestate_reported(&ls), LINE_MAINTENANCE);
	ck_assert(!linestate_on_round(&ls, &p, &bad, true));
	ck_assert(!linestate_on_round(&ls, &p, &bad, true));
	ck_assert_int_eq(linestate_tracked(&ls), LINE_DOWN);
	/* Maintenance ends with the round: the true state shows at once. */
	ck_assert(linestate_on_round(&ls, &p, &bad, false));
	ck_assert_int_eq(linestate_reported(&ls), LINE_DOWN);
	ck_assert(!linestate_set_maintenance(&ls, false));
}
END_TEST

/* A line behind a failing node waits for the node's verdict; behind a
 * node that is down it is unreachable; maintenance masks first. */
START_TEST(test_upstream_masks_down)
{
	struct linestate_params p = linestate_params_default();
	struct probe_result bad = round_of('B'), good = round_of('G');
	struct linestate ls;

	linestate_init(&ls);
	for (int i = 0; i < 2; i++)
		linestate_on_round(&ls, &p, &good, false);
	ck_assert_int_eq(linestate_reported(&ls), LINE_UP);
	ck_assert(!linestate_set_upstream(&ls, UPSTREAM_SUSPECT));
	for (int i = 0; i < 3; i++)
		ck_assert(!linestate_on_round(&ls, &p, &bad, false));
	ck_assert_int_eq(linestate_tracked(&ls), LINE_DOWN);
	ck_assert_int_eq(linestate_reported(&ls), LINE_UP); /* waits for the node */
	ck_assert(linestate_set_upstream(&ls, UPSTREAM_DOWN));
	ck_assert_int_eq(linestate_reported(&ls), LINE_UNREACHABLE);
	ck_assert(linestate_set_maintenance(&ls, true));
	ck_assert_int_eq(linestate_reported(&ls), LINE_MAINTENANCE);
	ck_assert(linestate_set_maintenance(&ls, false));
	ck_assert_int_eq(linestate_reported(&ls), LINE_UNREACHABLE);
	/* The node is up and the line still fails: its own fault. */
	ck_assert(linestate_set_upstream(&ls, UPSTREAM_OK));
	ck_assert_int_eq(linestate_reported(&ls), LINE_DOWN);
	/* Suspect again while down: it stays down. */
	ck_assert(!linestate_set_upstream(&ls, UPSTREAM_SUSPECT));
	ck_assert_int_eq(linestate_reported(&ls), LINE_DOWN);
	ck_assert_str_eq(line_status_name(LINE_UNREACHABLE), "unreachable");
}
END_TEST

START_TEST(test_streak_saturates)
{
	struct linestate_params p = linestate_params_default();
	struct probe_result bad = round_of('B'), good = round_of('G');
	struct linestate ls;

	linestate_init(&ls);
	for (int i = 0; i < 1000; i++)
		linestate_on_round(&ls, &p, &bad, false);
	ck_assert_int_eq(linestate_reported(&ls), LINE_DOWN);
	ck_assert_uint_eq(ls.bad_streak, UINT8_MAX);
	linestate_on_round(&ls, &p, &good, false);
	ck_assert_int_eq(linestate_reported(&ls), LINE_DOWN);
	linestate_on_round(&ls, &p, &good, false);
	ck_assert_int_eq(linestate_reported(&ls), LINE_UP);

	/* Huge K is capped at the counter range rather than never firing. */
	p.down_after = 100000;
	for (int i = 0; i < 254; i++)
		linestate_on_round(&ls, &p, &bad, false);
	ck_assert_int_ne(linestate_reported(&ls), LINE_DOWN);
	linestate_on_round(&ls, &p, &bad, false);
	ck_assert_int_eq(linestate_reported(&ls), LINE_DOWN);
}
END_TEST

START_TEST(test_custom_k_m)
{
	struct linestate_params p = linestate_params_default();
	struct probe_result bad = round_of('B'), good = round_of('G');
	struct linestate ls;

	p.down_after = 1;
	p.up_after = 1;
	linestate_init(&ls);
	ck_assert(linestate_on_round(&ls, &p, &bad, false));
	ck_assert_int_eq(linestate_reported(&ls), LINE_DOWN);
	ck_assert(linestate_on_round(&ls, &p, &good, false));
	ck_assert_int_eq(linestate_reported(&ls), LINE_UP);
}
END_TEST

START_TEST(test_loss_edges)
{
	struct linestate_params p = linestate_params_default();
	struct probe_result r = round_of('G');
	struct linestate ls;

	linestate_init(&ls);
	linestate_on_round(&ls, &p, &r, false);
	linestate_on_round(&ls, &p, &r, false);
	/* Exactly the raise threshold (2 of 10 lost = 200000 ppm) counts. */
	r.received = 8;
	for (int i = 0; i < 3; i++)
		linestate_on_round(&ls, &p, &r, false);
	ck_assert_int_eq(linestate_reported(&ls), LINE_DEGRADED);
	/* 1 of 20 lost = 50000 ppm: exactly the clear threshold clears. */
	r.sent = 20;
	r.received = 19;
	for (int i = 0; i < 3; i++)
		linestate_on_round(&ls, &p, &r, false);
	ck_assert_int_eq(linestate_reported(&ls), LINE_UP);
	/* sent == 0 with OK is treated as no loss, not a division by zero. */
	r.sent = r.received = 0;
	linestate_on_round(&ls, &p, &r, false);
	ck_assert_int_eq(linestate_reported(&ls), LINE_UP);
}
END_TEST

START_TEST(test_names_and_values)
{
	ck_assert_int_eq(LINE_UNKNOWN, 1);
	ck_assert_int_eq(LINE_UNRESOLVED, 6);
	ck_assert_str_eq(line_status_name(LINE_UP), "up");
	ck_assert_str_eq(line_status_name(LINE_DEGRADED), "degraded");
	ck_assert_str_eq(line_status_name(LINE_MAINTENANCE), "maintenance");
	ck_assert_str_eq(line_status_name((enum line_status)0), "invalid");
}
END_TEST

START_TEST(test_params_check)
{
	struct linestate_params p = linestate_params_default();
	char err[128] = "";

	ck_assert(linestate_params_check(&p, err, sizeof(err)));
	p.down_after = 0;
	ck_assert(!linestate_params_check(&p, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "round"));
	p = linestate_params_default();
	p.up_after = 256;
	ck_assert(!linestate_params_check(&p, err, sizeof(err)));
	p = linestate_params_default();
	p.loss_clear_ppm = p.loss_raise_ppm;
	ck_assert(!linestate_params_check(&p, err, sizeof(err)));
	p = linestate_params_default();
	p.loss_raise_ppm = 1000001;
	ck_assert(!linestate_params_check(&p, err, sizeof(err)));
	p = linestate_params_default();
	p.rtt_raise_us = 1000;
	p.rtt_clear_us = 1000;
	ck_assert(!linestate_params_check(&p, err, sizeof(err)));
	p.rtt_clear_us = 999;
	ck_assert(linestate_params_check(&p, err, sizeof(err)));
}
END_TEST

static Suite *linestate_suite(void)
{
	Suite *s = suite_create("linestate");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_sequences, 0, sizeof(seq_cases) / sizeof(seq_cases[0]));
	tcase_add_test(tc, test_maintenance_tracks_underneath);
	tcase_add_test(tc, test_streak_saturates);
	tcase_add_test(tc, test_custom_k_m);
	tcase_add_test(tc, test_loss_edges);
	tcase_add_test(tc, test_upstream_masks_down);
	tcase_add_test(tc, test_names_and_values);
	tcase_add_test(tc, test_params_check);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(linestate_suite());
}
