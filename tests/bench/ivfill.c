/*
 * ivfill CONFIG RUNS: build the model of CONFIG with 96 full measurement
 * intervals per line (a day of 15-minute intervals, rounds answered every
 * 5 minutes), save it once (the first save appends all 96 intervals to
 * intervals.log: "first"), then time RUNS synchronous saves, each after
 * one more interval closed (each appends that interval of every line, the
 * most a save has to write in steady state: median and max, ms), and leave
 * the state file and intervals.log behind, so an agent started on them
 * serves a full tslcdIntervalTable.  No network: everything is fed to the
 * model directly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "store.h"

static double ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void say(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "%s\n", msg);
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static time_t origin; /* the model's creation: the monotonic clock counts from it */

static void fill(struct model *m, time_t from, time_t to)
{
	const struct probe_result r = {PROBE_OK, 3, 3, 900, 1000, 1500, 40};

	for (time_t t = from; t <= to; t += 300) {
		uint64_t mono = (uint64_t)(t - origin) * 1000u + 1000u;
		model_tick(m, t, mono);
		for (size_t i = 0; i < m->n_offices; i++)
			for (size_t j = 0; j < m->offices[i].n_lines; j++)
				model_line_round(m, &m->offices[i].lines[j], &r, false, t, mono);
	}
}

int main(int argc, char **argv)
{
	int runs = argc > 2 ? atoi(argv[2]) : 5;
	double ms[64];
	char err[256];

	if (argc < 2 || runs < 1 || runs > 64) {
		fprintf(stderr, "usage: ivfill CONFIG [RUNS<=64]\n");
		return 2;
	}
	struct tslcd_config *cfg = config_load(argv[1], say, NULL);
	/* The last save is now: the agent started on the files resumes at once. */
	time_t now = time(NULL), from = now - (INTERVAL_KEEP + 1 + runs) * 900;
	struct model *m = cfg ? model_create(cfg, NULL, from, 1000) : NULL;
	if (!m)
		return 1;
	origin = from;
	time_t t = now - runs * 900;
	fill(m, from, t);
	double first = 0;
	for (int i = -1; i < runs; i++) {
		if (i >= 0)
			fill(m, t + 300, t + 900); /* one more interval closes */
		t += i >= 0 ? 900 : 0;
		double t0 = ms_now();
		if (store_save(m, NULL, cfg->agent.state_dir, t, err, sizeof(err)) < 0) {
			fprintf(stderr, "save: %s\n", err);
			return 1;
		}
		if (i < 0)
			first = ms_now() - t0;
		else
			ms[i] = ms_now() - t0;
	}
	qsort(ms, (size_t)runs, sizeof(ms[0]), cmp_d);
	printf("intervals per line %u, saves %d, median %.1f ms, max %.1f ms, first (all 96) %.1f "
	       "ms\n",
	       m->offices[0].lines[0].iv.count, runs, ms[runs / 2], ms[runs - 1], first);
	model_free(m);
	return 0;
}
