/*
 * Model: the evidence filed with an outage is the loss of the rounds that
 * declared the line down, with the threshold in force (a heightened
 * period's, when one tightens down-after), not the configured one.
 */
#include "unit.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "model.h"

#define T0 1767225600 /* 2026-01-01 00:00:00 UTC */

static void collect(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "config: %s\n", msg);
}

/* One office, one line; the configured down-after is 4 rounds. */
static struct model *model_down_after_4(void)
{
	char dir[] = "/tmp/tslcd-model-XXXXXX", path[64];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/tslcd.conf", dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f,
	        "agent {\n state-dir = \"%s\"\n control-socket = \"\"\n}\n"
	        "probe {\n down-after = 4\n up-after = 1\n}\n"
	        "office {\n id = 1\n code = \"A\"\n name = \"A\"\n level = province\n"
	        " line { id = 1 carrier = vnpt bandwidth = 100 target = \"127.0.0.1\" }\n}\n",
	        dir);
	fclose(f);
	struct tslcd_config *cfg = config_load(path, collect, NULL);
	unlink(path);
	rmdir(dir);
	ck_assert_ptr_nonnull(cfg);
	struct model *m = model_create(cfg, NULL, T0, 1000u);
	ck_assert_ptr_nonnull(m);
	return m;
}

static void round_at(struct model *m, bool ok, time_t t)
{
	struct probe_result r = {.outcome = PROBE_NO_ANSWER, .sent = 3};
	uint64_t mono = (uint64_t)(t - T0) * 1000u + 1000u;

	if (ok)
		r = (struct probe_result){PROBE_OK, 3, 3, 900, 1000, 1100, 40};
	model_tick(m, t, mono);
	model_line_round(m, model_find_line(m, 1, 1), &r, false, t, mono);
}

START_TEST(heightened_outage_evidence)
{
	struct model *m = model_down_after_4();
	struct linestate_params tight = m->cfg->state;
	time_t t = T0;

	tight.down_after = 2; /* a heightened period's threshold */
	model_set_thresholds(m, &tight);
	for (int i = 0; i < 10; i++, t += 10)
		round_at(m, true, t);
	round_at(m, false, t);
	round_at(m, false, t + 10);
	const struct line *l = model_find_line(m, 1, 1);
	ck_assert_int_eq(linestate_reported(&l->ls), LINE_DOWN);
	const struct outage *o = outage_find(&l->outages, 1);
	ck_assert_ptr_nonnull(o);
	/* The two rounds that declared it lost everything. */
	ck_assert_uint_eq(o->loss_ppm, 1000000u);
	model_free(m);
}
END_TEST

/* The model marks intervals: agentStart at start, masterUnreachable while
 * the master is away, clockStep when the wall clock steps 10 s or more
 * against the monotonic one (a 9 s skew is not a step); the line's RTT
 * percentiles come from the window. */
START_TEST(interval_suspect_marks)
{
	struct model *m = model_down_after_4();
	struct line *l = model_find_line(m, 1, 1);
	uint32_t p50, p99;

	ck_assert_uint_eq(l->iv.cur.suspect, INTERVAL_AGENT_START);
	round_at(m, true, T0 + 10);
	ck_assert(line_stats_rtt_pct(&l->stats, 50, &p50));
	ck_assert(line_stats_rtt_pct(&l->stats, 99, &p99));
	ck_assert_uint_ge(p50, 900);
	ck_assert_uint_le(p99, 1100);
	model_tick(m, T0 + 905, (905u + 1u) * 1000u); /* the next interval: clean */
	ck_assert_uint_eq(l->iv.cur.suspect, 0);
	model_set_master_reachable(m, false);
	ck_assert_uint_eq(l->iv.cur.suspect, INTERVAL_MASTER_DOWN);
	model_tick(m, T0 + 1805, (1805u + 1u) * 1000u); /* still away: marked again */
	ck_assert_uint_eq(l->iv.cur.suspect, INTERVAL_MASTER_DOWN);
	model_set_master_reachable(m, true);
	model_tick(m, T0 + 2705, (2705u + 1u) * 1000u);
	ck_assert_uint_eq(l->iv.cur.suspect, 0);
	model_tick(m, T0 + 2724, (2715u + 1u) * 1000u); /* 9 s ahead of monotonic */
	ck_assert_uint_eq(l->iv.cur.suspect, 0);
	model_tick(m, T0 + 2746, (2726u + 1u) * 1000u); /* then 11 s: a step */
	ck_assert_uint_eq(l->iv.cur.suspect, INTERVAL_CLOCK_STEP);
	ck_assert_uint_eq(interval_get(&l->iv, 1, NULL)->suspect, INTERVAL_MASTER_DOWN);
	model_free(m);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("outage evidence");

	tcase_add_test(tc, heightened_outage_evidence);
	tcase_add_test(tc, interval_suspect_marks);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
