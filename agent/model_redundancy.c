/*
 * model_redundancy: the per-office redundancy state (tslcdOfficeRedundancy)
 * and its transitions.  It depends only on reachability -- which lines are
 * up and their path groups -- so it is judged on every line transition;
 * alarm_rules turns its transitions into redundancy alarms.  Like the rest
 * of the model it knows nothing of SNMP.
 */
#include "model.h"

#include <stdlib.h>

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* Distinct path groups among lines up or degraded; group 0 ("not
 * recorded") is one path however many lines carry it. */
static unsigned paths_up(const struct office *o)
{
	uint32_t groups[64] = {0};
	size_t n = 0, distinct = 0;

	for (size_t i = 0; i < o->n_lines && n < 64; i++) {
		enum line_status s = linestate_reported(&o->lines[i].ls);
		if (s == LINE_UP || s == LINE_DEGRADED)
			groups[n++] = o->lines[i].cfg->path_group;
	}
	qsort(groups, n, sizeof(groups[0]), cmp_u32);
	for (size_t i = 0; i < n; i++)
		distinct += i == 0 || groups[i] != groups[i - 1];
	return (unsigned)distinct;
}

static bool any_unreachable(const struct office *o)
{
	for (size_t i = 0; i < o->n_lines; i++)
		if (linestate_reported(&o->lines[i].ls) == LINE_UNREACHABLE)
			return true;
	return false;
}

void model_redundancy_update(struct model *m, struct office *o)
{
	unsigned paths = paths_up(o), need = o->cfg->required_lines;

	o->paths_up = (uint8_t)(paths > 255 ? 255 : paths);
	/* Cannot be judged (an alarm already raised stays): no verdict yet, or
	 * a path hidden behind a node that is down -- the node's alarm says it. */
	if (o->status == OFFICE_UNKNOWN || any_unreachable(o)) {
		o->redundancy = 1;
		return;
	}
	o->redundancy = paths >= need ? 2 : 3;
	if (o->redundancy == 3 && !o->redundancy_alarm) {
		o->redundancy_alarm = true;
		if (m->listener.redundancy_noncompliant)
			m->listener.redundancy_noncompliant(m->listener.ctx, o, paths, need);
	} else if (o->redundancy == 2 && o->redundancy_alarm) {
		o->redundancy_alarm = false;
		if (m->listener.redundancy_compliant)
			m->listener.redundancy_compliant(m->listener.ctx, o, paths, need);
	}
}

/* After a restart no transition re-judges an office: take the alarm the
 * notifier restored, then judge every office once. */
void model_redundancy_restored(struct model *m,
                               bool (*active)(bool utilisation, uint32_t office, uint32_t line))
{
	for (size_t i = 0; i < m->n_offices; i++) {
		struct office *o = &m->offices[i];
		o->redundancy_alarm = active(false, o->cfg->id, 0);
		model_redundancy_update(m, o);
	}
}
