/*
 * probe_run: one prober job per probed line; each round result goes to the
 * model together with the line's maintenance state at that moment.
 * Maintenance windows are therefore applied with round granularity (one
 * probe interval), which keeps this free of extra timers.  Upstream nodes'
 * targets and the self-check's references get jobs of their own, with the
 * same probe settings, so their verdicts keep pace with the lines'.
 */
#include "probe_run.h"

#include <time.h>

#include "log.h"
#include "loop.h"
#include "prober.h"

#define MAINT_RECHECK_S 86400 /* when no window will ever start or end */

static struct model *current;

/* maint_active() takes a localtime_r() and a look at the config per call,
 * at every round of every line; its answer holds until maint_next_change(),
 * so the line keeps it until then.  A wall clock set back asks again. */
static bool line_in_maint(struct line *l, time_t now)
{
	if (now < l->maint_from || now >= l->maint_until) {
		const struct line_cfg *c = l->cfg;
		time_t next = maint_next_change(c->maint, c->n_maint, now);
		l->in_maint = maint_active(c->maint, c->n_maint, now);
		l->maint_from = now;
		l->maint_until = next == MAINT_NO_CHANGE ? now + MAINT_RECHECK_S : next;
	}
	return l->in_maint;
}

static void on_round(void *ctx, const struct probe_result *r)
{
	struct line *l = ctx;
	time_t now = time(NULL);

	model_line_round(current, l, r, line_in_maint(l, now), now, loop_now_ms());
}

static void on_target_round(void *ctx, const struct probe_result *r)
{
	model_target_round(current, ctx, r, time(NULL), loop_now_ms());
}

static unsigned methods_of(unsigned method)
{
	switch (method) {
	case METHOD_ICMP:
		return PROBE_METHOD_ICMP;
	case METHOD_TCP:
		return PROBE_METHOD_TCP;
	case METHOD_ICMP_TCP:
		return PROBE_METHOD_ICMP | PROBE_METHOD_TCP;
	default:
		return 0;
	}
}

static unsigned target_start(struct model *m, struct ref_target *t, unsigned method, uint16_t port)
{
	t->probe_job =
	    prober_add(t->target, methods_of(method), port, &m->cfg->probe, on_target_round, t);
	return t->probe_job ? 0 : 1;
}

/* Nodes' targets and the references; the number that failed to start. */
static unsigned targets_start(struct model *m)
{
	const struct selfcheck_cfg *sc = &m->cfg->selfcheck;
	unsigned failed = 0;

	for (size_t k = 0; k < m->n_nodes; k++) {
		struct node *n = &m->nodes[k];
		for (size_t i = 0; i < n->n_targets; i++)
			failed += target_start(m, &n->targets[i], n->cfg->method, n->cfg->tcp_port);
	}
	for (size_t i = 0; i < m->mon.n_refs; i++)
		failed += target_start(m, &m->mon.refs[i], sc->method, sc->tcp_port);
	if (m->n_nodes || m->mon.n_refs)
		log_msg(LOG_INFO, "probing %zu upstream nodes and %zu reference targets",
		        m->n_nodes, m->mon.n_refs);
	return failed;
}

static void targets_stop(struct ref_target *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		prober_remove(t[i].probe_job);
		t[i].probe_job = NULL;
	}
}

int probe_run_start(struct model *m)
{
	unsigned jobs = 0, failed = 0;

	current = m;
	for (size_t i = 0; i < m->n_offices; i++) {
		struct office *o = &m->offices[i];
		for (size_t j = 0; j < o->n_lines; j++) {
			struct line *l = &o->lines[j];
			unsigned methods = methods_of(l->cfg->method);
			if (!methods)
				continue;
			l->probe_job = prober_add(l->cfg->target, methods, l->cfg->tcp_port,
			                          &m->cfg->probe, on_round, l);
			if (l->probe_job)
				jobs++;
			else
				failed++;
		}
	}
	failed += targets_start(m);
	if (failed)
		log_msg(LOG_ERR, "could not start probing %u targets (out of memory?)", failed);
	log_msg(LOG_INFO, "probing %u lines", jobs);
	return failed ? -1 : 0;
}

void probe_run_stop(struct model *m)
{
	for (size_t k = 0; m && k < m->n_nodes; k++)
		targets_stop(m->nodes[k].targets, m->nodes[k].n_targets);
	if (m)
		targets_stop(m->mon.refs, m->mon.n_refs);
	for (size_t i = 0; m && i < m->n_offices; i++) {
		struct office *o = &m->offices[i];
		for (size_t j = 0; j < o->n_lines; j++) {
			prober_remove(o->lines[j].probe_job);
			o->lines[j].probe_job = NULL;
		}
	}
}
