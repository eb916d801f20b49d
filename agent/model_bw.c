/*
 * model_bw: the bandwidth half of the model -- counter readings into
 * per-line bandwidth state (bandwidth.c does the arithmetic) and the
 * utilisation alarm transitions.
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
		model_line_settle(m, l); /* the books written in time order */
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
		for (size_t j = 0; o->has_bw && j < o->n_lines; j++)
			if (o->lines[j].bw)
				utilisation_report(
				    m, &o->lines[j],
				    bw_advance(o->lines[j].bw, &m->cfg->bandwidth.bw, now));
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
	}
}
