/*
 * periodfill CONFIG: the state file of an agent that ran for the first two
 * hours of the previous calendar month (local time), built with the
 * agent's own model and store, so an agent started on it serves last
 * month's figures (tests/integration/prev_periods.sh).  Every line of
 * CONFIG is probed once a minute from the month's first midnight: up for
 * an hour, down (no answer) for 30 minutes, up again to 02:00, when the
 * state is saved.  With down-after = up-after = 1 each line was up 5,400 s
 * and down 1,800 s in one outage.  No network.
 */
#include <stdio.h>
#include <time.h>

#include "store.h"

static void say(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "periodfill: %s\n", msg);
}

/* Local midnight of the first day of the month before now's. */
static time_t prev_month_start(time_t now)
{
	struct tm tm;

	localtime_r(&now, &tm);
	struct tm s = {
	    .tm_year = tm.tm_year, .tm_mon = tm.tm_mon - 1, .tm_mday = 1, .tm_isdst = -1};
	return mktime(&s);
}

int main(int argc, char **argv)
{
	static const struct probe_result ok = {PROBE_OK, 1, 1, 900, 900, 900, 0};
	static const struct probe_result lost = {PROBE_NO_ANSWER, 1, 0, 0, 0, 0, 0};
	char err[256];

	if (argc != 2) {
		fprintf(stderr, "usage: periodfill CONFIG\n");
		return 2;
	}
	struct tslcd_config *cfg = config_load(argv[1], say, NULL);
	time_t from = prev_month_start(time(NULL));
	struct model *m = cfg ? model_create(cfg, NULL, from, 1000) : NULL;
	if (!m)
		return 1;
	for (time_t t = from; t <= from + 7200; t += 60) {
		uint64_t mono = (uint64_t)(t - from) * 1000u + 1000u;
		bool down = t >= from + 3660 && t < from + 5460;
		model_tick(m, t, mono);
		for (size_t i = 0; i < m->n_offices; i++)
			for (size_t j = 0; j < m->offices[i].n_lines; j++)
				model_line_round(m, &m->offices[i].lines[j], down ? &lost : &ok,
				                 false, t, mono);
	}
	int rc = store_save(m, NULL, cfg->agent.state_dir, from + 7200, err, sizeof(err));
	if (rc < 0)
		fprintf(stderr, "periodfill: save: %s\n", err);
	model_free(m);
	return rc < 0;
}
