/*
 * sla: availability below target, per office; see sla.h.
 */
#include "sla.h"

#include <stdio.h>

#include "notify.h"

static void office_judge(const struct office *o, const struct notify_cfg *n, time_t now)
{
	struct avail_figures f;
	uint32_t ppm;
	char text[160];

	if (!avail_window(&o->av, (enum avail_window)n->sla_window, now, &f) ||
	    f.up_s + f.down_s + f.maint_s < n->sla_min_monitored_s || !avail_ppm_raw(&f, &ppm))
		return;
	if (ppm < n->sla_target_ppm) {
		snprintf(text, sizeof(text),
		         "Office %s %s: availability %u.%04u %% is below the target %u.%04u %%",
		         o->cfg->code, o->cfg->name, ppm / 10000, ppm % 10000,
		         n->sla_target_ppm / 10000, n->sla_target_ppm % 10000);
		notify_raise(ALARM_AVAILABILITY_LOW, o->cfg->id, 0, (int32_t)ppm,
		             (int32_t)n->sla_target_ppm, text);
	} else {
		notify_clear(ALARM_AVAILABILITY_LOW, o->cfg->id, 0, (int32_t)ppm,
		             (int32_t)n->sla_target_ppm, NULL);
	}
}

void sla_evaluate(const struct model *m, time_t now)
{
	const struct notify_cfg *n = &m->cfg->notify;

	/* No target: an alarm restored from before the change has no rule. */
	for (size_t i = 0; !n->sla_target_ppm && i < m->n_offices; i++)
		notify_clear(ALARM_AVAILABILITY_LOW, m->offices[i].cfg->id, 0, 0, 0,
		             "no availability target configured");
	if (!n->sla_target_ppm)
		return;
	for (size_t i = 0; i < m->n_offices; i++)
		office_judge(&m->offices[i], n, now);
}
