/*
 * model_bw: the bandwidth half of the model -- counter readings into
 * per-line bandwidth state (bandwidth.c does the arithmetic), the
 * utilisation alarm transitions, and the per-office redundancy rule.
 * Like the rest of the model it knows nothing of SNMP and reports every
 * transition to the listener.
 */
#include "model.h"

#include <stdlib.h>
#include <string.h>

/* ---- per-line bandwidth state ---- */

bool model_bw_line_init(struct model *m, struct line *l)
{
	if (!l->cfg->counters)
		return true;
	l->bw = bw_line_new(&m->cfg->bandwidth.bw, l->cfg->contract_kbps);
	return l->bw != NULL;
}

void model_bw_line_adopt(struct line *l, const struct line *prev)
{
	/* Reload keeps the window only if the source did not move elsewhere. */
	if (l->bw && prev->bw && prev->cfg->counters &&
	    !strcmp(prev->cfg->counters->peername, l->cfg->counters->peername))
		bw_line_adopt(l->bw, prev->bw);
}

void model_bw_line_free(struct line *l)
{
	bw_line_free(l->bw);
	l->bw = NULL;
}

/* Turn bandwidth.c's alarm events into listener calls. */
static void utilisation_report(struct model *m, struct line *l, unsigned ev)
{
	const struct bw_params *p = &m->cfg->bandwidth.bw;
	const struct bw_line *b = l->bw;
	enum bw_dir dir = (enum bw_dir)b->alarm_dir;

	if ((ev & BW_EV_ALARM_RAISED) && m->listener.utilisation_high)
		m->listener.utilisation_high(m->listener.ctx, l, dir, b->p95_ppm[dir],
		                             p->raise_ppm);
	if ((ev & BW_EV_ALARM_CLEARED) && m->listener.utilisation_cleared)
		m->listener.utilisation_cleared(m->listener.ctx, l, dir, b->p95_ppm[dir],
		                                p->clear_ppm);
}

void model_line_counters(struct model *m, struct line *l, const struct bw_reading *r, time_t now)
{
	if (!l->bw)
		return;
	/* The day's traffic is what this poll added to the month's figures
	 * (valid intervals only, the same arithmetic). */
	struct bw_calendar before = l->bw->month;
	unsigned ev = bw_on_poll(l->bw, &m->cfg->bandwidth.bw, r, now);
	const struct bw_calendar *after = &l->bw->month;
	if (ev & BW_EV_RATE) {
		bool same = before.key == after->key;
		uint64_t octets[2] = {after->octets[BW_IN] - (same ? before.octets[BW_IN] : 0),
		                      after->octets[BW_OUT] - (same ? before.octets[BW_OUT] : 0)};
		uint64_t cs = after->cs - (same ? before.cs : 0);
		dayacct_traffic(&l->days, now, octets, cs, l->bw->bps);
		interval_traffic(&l->iv, now, octets, cs);
	}
	utilisation_report(m, l, ev);
}

void model_line_counters_failed(struct model *m, struct line *l, enum bw_status st, time_t now)
{
	if (!l->bw)
		return;
	bw_on_poll_failed(l->bw, st, now);
	utilisation_report(m, l, bw_advance(l->bw, &m->cfg->bandwidth.bw, now));
}

/* Windows slide with time even when polls stop: samples expire. */
void model_bw_tick(struct model *m, time_t now)
{
	for (size_t i = 0; i < m->n_offices; i++) {
		struct office *o = &m->offices[i];
		for (size_t j = 0; j < o->n_lines; j++)
			if (o->lines[j].bw)
				utilisation_report(
				    m, &o->lines[j],
				    bw_advance(o->lines[j].bw, &m->cfg->bandwidth.bw, now));
	}
}

/* ---- redundancy ---- */

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

void model_redundancy_update(struct model *m, struct office *o)
{
	unsigned paths = paths_up(o), need = o->cfg->required_lines;

	o->paths_up = (uint8_t)(paths > 255 ? 255 : paths);
	if (o->status == OFFICE_UNKNOWN) {
		o->redundancy = 1; /* cannot be judged; an alarm already raised stays */
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

/* ---- after a restart ---- */

static void utilisation_restored(struct model *m, struct line *l, bool on)
{
	if (l->bw) {
		l->bw->alarm = on;
		l->bw->alarm_dir = l->bw->p95_ppm[BW_OUT] > l->bw->p95_ppm[BW_IN] ? BW_OUT : BW_IN;
	} else if (on && m->listener.utilisation_cleared) {
		m->listener.utilisation_cleared(m->listener.ctx, l, BW_IN, 0,
		                                m->cfg->bandwidth.bw.clear_ppm);
	}
}

void model_bw_restored(struct model *m,
                       bool (*active)(bool utilisation, uint32_t office, uint32_t line))
{
	for (size_t i = 0; i < m->n_offices; i++) {
		struct office *o = &m->offices[i];
		for (size_t j = 0; j < o->n_lines; j++)
			utilisation_restored(m, &o->lines[j],
			                     active(true, o->cfg->id, o->lines[j].cfg->id));
		o->redundancy_alarm = active(false, o->cfg->id, 0);
		model_redundancy_update(m, o);
	}
}
