/*
 * alarm_rules: model transitions into raise/clear decisions; see
 * alarm_rules.h.  The texts are what the NOC reads: keep them stable.
 */
#include "alarm_rules.h"

#include <stdio.h>
#include <string.h>

#include "alarm_area.h"
#include "heightened.h"
#include "log.h"

static struct {
	alarm_rules_sink sink;
	const struct model *m;
} R;

void alarm_rules_set_sink(alarm_rules_sink sink)
{
	R.sink = sink;
}

void alarm_rules_bind(const struct model *m)
{
	R.m = m;
	alarm_area_bind(m, time(NULL));
}

/* The alarms of a grouped office wait for the area rule (alarm_area.h):
 * losing every line also loses redundancy, a symptom like the others. */
static bool area_held(unsigned type)
{
	return type == ALARM_LINE_DOWN || type == ALARM_LINE_DEGRADED ||
	       type == ALARM_OFFICE_ISOLATED || type == ALARM_REDUNDANCY;
}

/* Hand one decision to the sink; text NULL leaves it to the notifier. */
static void decide_ex(bool raise, unsigned type, uint32_t office, uint32_t line, int64_t value,
                      int64_t threshold, const char *text, const struct alarm_extra *extra)
{
	struct alarm_decision d = {.key = {type, office, line},
	                           .raise = raise,
	                           .severity = raise ? heightened_severity(type) : SEV_CLEARED,
	                           .value = (int32_t)value,
	                           .threshold = (int32_t)threshold,
	                           .extra = extra};
	unsigned hold = raise && area_held(type) ? alarm_area_hold(office) : 0;

	d.hold_s = (uint16_t)(hold > UINT16_MAX ? UINT16_MAX : hold);
	if (text) /* d.text is zeroed: most decisions (a clear each second) have none */
		snprintf(d.text, sizeof(d.text), "%s", text);
	if (R.sink)
		R.sink(&d);
}

void alarm_rules_decide(bool raise, unsigned type, uint32_t office, uint32_t line, int64_t value,
                        int64_t threshold, const char *text, const struct alarm_extra *extra)
{
	decide_ex(raise, type, office, line, value, threshold, text, extra);
}

bool alarm_rules_covered(const struct alarm_key *k)
{
	return area_held(k->type) && alarm_area_covers(k->office);
}

static void decide(bool raise, unsigned type, uint32_t office, uint32_t line, int64_t value,
                   int64_t threshold, const char *text)
{
	decide_ex(raise, type, office, line, value, threshold, text, NULL);
}

const char *alarm_rules_human(char *buf, size_t len, uint32_t x, bool us)
{
	uint32_t unit = us ? 1000u : 10000u, whole = x / unit, frac = x % unit * 100u / unit;
	const char *sym = us ? "ms" : "%";
	if (!frac)
		snprintf(buf, len, "%u %s", whole, sym);
	else
		snprintf(buf, len, "%u.%02u %s", whole, frac, sym);
	return buf;
}

/* ---- lines and offices ---- */

static const char *carrier_name(unsigned c)
{
	return c == CARRIER_OTHER ? "other carrier" : config_carrier_name(c);
}

/* "Line 2 (VNPT VNPT-1) of BN-X01 UBND ..." */
static void line_title(char *buf, size_t len, const struct line *l)
{
	snprintf(buf, len, "Line %u (%s %s) of %s %s", l->cfg->id, carrier_name(l->cfg->carrier),
	         l->cfg->circuit, l->office->cfg->code, l->office->cfg->name);
}

/* The newest round's loss and RTT: the figures that just crossed a band. */
static void last_round(const struct line *l, uint32_t *loss_ppm, uint32_t *rtt_us)
{
	const struct line_stats_round *r = line_stats_newest(&l->stats);
	if (!line_stats_loss_recent(&l->stats, 1, loss_ppm))
		*loss_ppm = 0;
	*rtt_us = r && r->received ? r->rtt_avg_us : 0;
}

static const struct linestate_params *thresholds(void)
{
	return R.m->state;
}

static void line_down_edge(const struct line *l, bool down)
{
	const struct linestate_params *p = thresholds();
	char title[192], text[256];

	line_title(title, sizeof(title), l);
	if (down)
		snprintf(text, sizeof(text), "%s is down: %u failed probe rounds (limit %u)", title,
		         l->ls.bad_streak, p->down_after);
	else
		snprintf(text, sizeof(text), "%s is %s again", title,
		         line_status_name(linestate_reported(&l->ls)));
	decide(down, ALARM_LINE_DOWN, l->office->cfg->id, l->cfg->id,
	       down ? l->ls.bad_streak : l->ls.good_streak, down ? p->down_after : p->up_after,
	       text);
}

/* Degraded by round-trip only when the loss is within its band: the text
 * names the figure that crossed. */
static void line_degraded_edge(const struct line *l, bool degraded)
{
	const struct linestate_params *p = thresholds();
	uint32_t loss, rtt;
	char title[192], text[256], val[24], lim[24];

	last_round(l, &loss, &rtt);
	bool by_rtt = p->rtt_raise_us && rtt >= (degraded ? p->rtt_raise_us : p->rtt_clear_us) &&
	              loss < (degraded ? p->loss_raise_ppm : p->loss_clear_ppm);
	uint32_t value = by_rtt ? rtt : loss;
	uint32_t limit = by_rtt ? (degraded ? p->rtt_raise_us : p->rtt_clear_us)
	                        : (degraded ? p->loss_raise_ppm : p->loss_clear_ppm);
	line_title(title, sizeof(title), l);
	snprintf(text, sizeof(text), "%s %s: %s %s (%s %s)", title,
	         degraded ? "is degraded" : "is no longer degraded", by_rtt ? "round-trip" : "loss",
	         alarm_rules_human(val, sizeof(val), value, by_rtt),
	         degraded ? "raise at" : "clear at",
	         alarm_rules_human(lim, sizeof(lim), limit, by_rtt));
	decide(degraded, ALARM_LINE_DEGRADED, l->office->cfg->id, l->cfg->id, value, limit, text);
}

static bool failing(enum line_status s)
{
	return s == LINE_DOWN || s == LINE_UNREACHABLE;
}

void alarm_rules_line_changed(void *ctx, const struct line *l, enum line_status old)
{
	enum line_status now = linestate_reported(&l->ls);

	(void)ctx;
	if (!R.m)
		return;
	/* Clears first: degraded -> down reads as "degradation over, now down".
	 * Unreachable keeps a lineDown that stood before its node failed (the
	 * line is still failing) and raises none. */
	if (failing(old) && !failing(now))
		line_down_edge(l, false);
	if (old == LINE_DEGRADED && now != LINE_DEGRADED)
		line_degraded_edge(l, false);
	if (now == LINE_DOWN && old != LINE_DOWN)
		line_down_edge(l, true);
	if (now == LINE_DEGRADED && old != LINE_DEGRADED)
		line_degraded_edge(l, true);
}

static void office_isolated_edge(const struct office *o, bool isolated)
{
	char text[256];

	if (isolated)
		snprintf(text, sizeof(text),
		         "Office %s %s is isolated: none of its %zu line(s) works", o->cfg->code,
		         o->cfg->name, o->n_lines);
	else
		snprintf(text, sizeof(text), "Office %s %s is restored: %u line(s) up (now %s)",
		         o->cfg->code, o->cfg->name, o->lines_up,
		         model_office_status_name(o->status));
	decide(isolated, ALARM_OFFICE_ISOLATED, o->cfg->id, 0, o->lines_up, 1, text);
}

void alarm_rules_office_changed(void *ctx, const struct office *o, enum office_status old)
{
	bool cut = o->status == OFFICE_ISOLATED || o->status == OFFICE_UNREACHABLE;
	bool was_cut = old == OFFICE_ISOLATED || old == OFFICE_UNREACHABLE;

	(void)ctx;
	if (!R.m)
		return;
	/* As for lines: unreachable neither raises nor clears. */
	if (o->status == OFFICE_ISOLATED && old != OFFICE_ISOLATED)
		office_isolated_edge(o, true);
	else if (was_cut && !cut)
		office_isolated_edge(o, false);
	alarm_area_office_changed(o, old, time(NULL));
}

void alarm_rules_office_again(const struct office *o)
{
	for (size_t j = 0; j < o->n_lines; j++)
		if (linestate_reported(&o->lines[j].ls) == LINE_DOWN)
			line_down_edge(&o->lines[j], true);
	if (o->status == OFFICE_ISOLATED)
		office_isolated_edge(o, true);
	if (o->redundancy_alarm)
		decide(true, ALARM_REDUNDANCY, o->cfg->id, 0, o->paths_up, o->cfg->required_lines,
		       NULL);
}

/* ---- upstream nodes and the self-check ---- */

static void node_edge(const struct node *n, bool down)
{
	char text[256];

	if (down)
		snprintf(text, sizeof(text),
		         "Node %u %s (%s) is down: %u offices and %u lines behind it are cut off",
		         n->cfg->id, n->cfg->name, carrier_name(n->cfg->carrier), n->offices_behind,
		         n->lines_behind);
	else
		snprintf(text, sizeof(text), "Node %u %s (%s) is %s again: %u offices behind it",
		         n->cfg->id, n->cfg->name, carrier_name(n->cfg->carrier),
		         model_node_status_name(n->status), n->offices_behind);
	decide(down, ALARM_NODE_DOWN, n->cfg->id, 0, n->offices_behind, 0, text);
}

void alarm_rules_node_changed(void *ctx, const struct node *n, enum node_status old)
{
	(void)ctx;
	(void)old;
	if (!R.m)
		return;
	log_msg(n->status == NODE_UP ? LOG_NOTICE : LOG_WARNING, "node %u (%s): %s -> %s",
	        n->cfg->id, n->cfg->name, model_node_status_name(old),
	        model_node_status_name(n->status));
	if (n->status == NODE_DOWN)
		node_edge(n, true);
	else if (n->status == NODE_UP)
		node_edge(n, false);
}

static unsigned refs_up(const struct model *m)
{
	unsigned up = 0;
	for (size_t i = 0; i < m->mon.n_refs; i++) {
		enum line_status s = linestate_tracked(&m->mon.refs[i].ls);
		up += s == LINE_UP || s == LINE_DEGRADED;
	}
	return up;
}

void alarm_rules_monitoring_changed(void *ctx, const struct model *m, enum monitoring_state old)
{
	bool impaired = m->mon.state == MONITORING_IMPAIRED;
	char text[256];

	(void)ctx;
	if (!impaired && old != MONITORING_IMPAIRED)
		return;
	if (impaired)
		snprintf(text, sizeof(text),
		         "Monitoring impaired: none of the %zu reference targets answers; line "
		         "results are not judged and the time counts as unknown",
		         m->mon.n_refs);
	else
		snprintf(text, sizeof(text),
		         "Monitoring restored: %u of %zu reference targets answer; lines are "
		         "judged again",
		         refs_up(m), m->mon.n_refs);
	log_msg(impaired ? LOG_WARNING : LOG_NOTICE, "%s", text);
	decide(impaired, ALARM_MONITORING_IMPAIRED, 0, 0, refs_up(m), (int64_t)m->mon.n_refs, text);
}

void alarm_rules_tick(time_t now)
{
	alarm_area_tick(now);
}

void alarm_rules_flapping(const struct line *l, bool flapping, unsigned changes,
                          const struct flap_params *fp)
{
	char title[192], text[256];

	line_title(title, sizeof(title), l);
	if (flapping)
		snprintf(text, sizeof(text), "%s is flapping: %u state changes in %u s (limit %u)",
		         title, changes, fp->window_s, fp->count);
	else
		snprintf(text, sizeof(text), "%s is stable again for %u s: %s", title, fp->window_s,
		         line_status_name(linestate_reported(&l->ls)));
	decide(flapping, ALARM_LINE_FLAPPING, l->office->cfg->id, l->cfg->id, changes, fp->count,
	       text);
}

/* A restored alarm whose state no longer holds is owed its clear, with the
 * figures of the state the line is in; one that holds is raised (a no-op
 * for an active alarm).  Types in key order, as the alarm set lists them. */
static void judge_lines(const struct model *m, unsigned type)
{
	enum line_status st = type == ALARM_LINE_DOWN ? LINE_DOWN : LINE_DEGRADED;

	for (size_t i = 0; i < m->n_offices; i++)
		for (size_t j = 0; j < m->offices[i].n_lines; j++) {
			const struct line *l = &m->offices[i].lines[j];
			enum line_status now = linestate_reported(&l->ls);
			if (now == st || (st == LINE_DOWN && now == LINE_UNREACHABLE))
				continue;
			if (type == ALARM_LINE_DOWN)
				line_down_edge(l, false);
			else
				line_degraded_edge(l, false);
		}
}

void alarm_rules_standing(const struct model *m, bool judge)
{
	for (unsigned type = 1; judge && type <= ALARM_LINE_DEGRADED; type++) {
		if (type != ALARM_OFFICE_ISOLATED) {
			judge_lines(m, type);
			continue;
		}
		for (size_t i = 0; i < m->n_offices; i++)
			if (m->offices[i].status != OFFICE_ISOLATED &&
			    m->offices[i].status != OFFICE_UNREACHABLE)
				office_isolated_edge(&m->offices[i], false);
	}
	for (size_t i = 0; i < m->n_offices; i++) {
		const struct office *o = &m->offices[i];
		for (size_t j = 0; j < o->n_lines; j++) {
			enum line_status st = linestate_reported(&o->lines[j].ls);
			if (st == LINE_DOWN)
				line_down_edge(&o->lines[j], true);
			else if (st == LINE_DEGRADED)
				line_degraded_edge(&o->lines[j], true);
		}
		if (o->status == OFFICE_ISOLATED)
			office_isolated_edge(o, true);
	}
}

/* ---- congestion and redundancy ---- */

/* One alarm per line; the text names the direction. */
static void utilisation(const struct line *l, bool high, enum bw_dir dir, uint32_t p95,
                        uint32_t threshold)
{
	char text[200], p[24], t[24];

	snprintf(text, sizeof(text), "Line %u (%s) of %s: p95 %s %s of %g Mbit/s (%s %s)",
	         l->cfg->id, l->cfg->circuit, l->office->cfg->code, dir == BW_IN ? "in" : "out",
	         alarm_rules_human(p, sizeof(p), p95, false), l->cfg->contract_kbps / 1000.0,
	         high ? "raise at" : "clear at", alarm_rules_human(t, sizeof(t), threshold, false));
	log_msg(high ? LOG_WARNING : LOG_NOTICE, "office %u line %u: utilisation %s: %s",
	        l->office->cfg->id, l->cfg->id, high ? "high" : "cleared", text);
	decide(high, ALARM_UTILISATION_HIGH, l->office->cfg->id, l->cfg->id, p95, threshold, text);
}

void alarm_rules_utilisation_high(void *ctx, const struct line *l, enum bw_dir dir,
                                  uint32_t p95_ppm, uint32_t threshold_ppm)
{
	(void)ctx;
	utilisation(l, true, dir, p95_ppm, threshold_ppm);
}

void alarm_rules_utilisation_cleared(void *ctx, const struct line *l, enum bw_dir dir,
                                     uint32_t p95_ppm, uint32_t threshold_ppm)
{
	(void)ctx;
	utilisation(l, false, dir, p95_ppm, threshold_ppm);
}

/* Value = separate paths up, threshold = required lines; default text. */
static void redundancy(const struct office *o, bool ok, unsigned paths, unsigned required)
{
	log_msg(ok ? LOG_NOTICE : LOG_WARNING,
	        "office %u (%s): redundancy %s: %u separate path(s) up, %u required", o->cfg->id,
	        o->cfg->code, ok ? "compliant" : "non-compliant", paths, required);
	decide(!ok, ALARM_REDUNDANCY, o->cfg->id, 0, paths, required, NULL);
}

void alarm_rules_redundancy_noncompliant(void *ctx, const struct office *o, unsigned paths,
                                         unsigned required)
{
	(void)ctx;
	redundancy(o, false, paths, required);
}

void alarm_rules_redundancy_compliant(void *ctx, const struct office *o, unsigned paths,
                                      unsigned required)
{
	(void)ctx;
	redundancy(o, true, paths, required);
}

/* ---- availability target ---- */

static void availability_judge(const struct office *o, const struct notify_cfg *n, time_t now)
{
	struct avail_figures f;
	uint32_t ppm;
	char text[160];

	if (!avail_window(&o->av, (enum avail_window)n->sla_window, now, &f) ||
	    f.up_s + f.down_s + f.maint_s < n->sla_min_monitored_s || !avail_ppm_raw(&f, &ppm))
		return;
	bool low = ppm < n->sla_target_ppm;
	/* Every office every second: the text only when it is wanted. */
	if (low)
		snprintf(text, sizeof(text),
		         "Office %s %s: availability %u.%04u %% is below the target %u.%04u %%",
		         o->cfg->code, o->cfg->name, ppm / 10000, ppm % 10000,
		         n->sla_target_ppm / 10000, n->sla_target_ppm % 10000);
	decide(low, ALARM_AVAILABILITY_LOW, o->cfg->id, 0, ppm, n->sla_target_ppm,
	       low ? text : NULL);
}

void alarm_rules_availability(const struct model *m, time_t now)
{
	const struct notify_cfg *n = &m->cfg->notify;

	for (size_t i = 0; i < m->n_offices; i++) {
		if (n->sla_target_ppm)
			availability_judge(&m->offices[i], n, now);
		else /* an alarm restored from before the change has no rule */
			decide(false, ALARM_AVAILABILITY_LOW, m->offices[i].cfg->id, 0, 0, 0,
			       "no availability target configured");
	}
}

/* ---- readiness ---- */

/* The readiness columns the notification carries, as judged at the edge. */
static void extra_of(const struct office_readiness *e, struct alarm_extra *x)
{
	memset(x, 0, sizeof(*x));
	x->readiness_state = (int32_t)e->eval.state;
	snprintf(x->readiness_reason, sizeof(x->readiness_reason), "%s", readiness_reason(e));
	x->report_time = e->have_report ? (int64_t)e->d->report.report_time : 0;
	x->cert_days_left = e->tls_days_left;
}

void alarm_rules_readiness_state(void *ctx, const struct office_readiness *e,
                                 enum readiness_state old)
{
	struct alarm_extra x;
	char text[256];
	bool not_ready = e->eval.state == READINESS_NOT_READY;
	const char *why = readiness_reason(e);

	(void)ctx;
	log_msg(LOG_NOTICE, "office %u (%s): readiness %s -> %s%s%s", e->office_id, e->cfg->code,
	        readiness_state_name(old), readiness_state_name(e->eval.state), why[0] ? ": " : "",
	        why);
	if (!not_ready && old != READINESS_NOT_READY)
		return;
	extra_of(e, &x);
	snprintf(text, sizeof(text), "%s: readiness %s%s%s", e->cfg->code,
	         readiness_state_name(e->eval.state), why[0] ? ": " : "", why);
	decide_ex(not_ready, ALARM_READINESS_NOT_READY, e->office_id, 0, e->eval.score, 100, text,
	          &x);
}

/* Value: the report's age in days; threshold: the maximum age. */
void alarm_rules_report_stale(void *ctx, const struct office_readiness *e, bool stale)
{
	struct alarm_extra x;
	char text[256];
	long age = readiness_report_age_days(e, time(NULL));

	(void)ctx;
	if (!R.m)
		return;
	extra_of(e, &x);
	if (stale) {
		snprintf(text, sizeof(text), "%s: %s", e->cfg->code,
		         e->have_report ? readiness_reason(e) : "no readiness report received");
		log_msg(LOG_WARNING, "office %u (%s): readiness report stale: %s", e->office_id,
		        e->cfg->code, text);
	} else {
		snprintf(text, sizeof(text), "%s: readiness report of %ld days accepted",
		         e->cfg->code, age);
		log_msg(LOG_INFO, "office %u (%s): readiness report fresh", e->office_id,
		        e->cfg->code);
	}
	decide_ex(stale, ALARM_REPORT_STALE, e->office_id, 0, age, R.m->cfg->readiness.max_age_days,
	          text, &x);
}

/* Value: days left; threshold: warn days on a raise, clear days on a clear. */
void alarm_rules_cert_expiring(void *ctx, const struct office_readiness *e, bool expiring)
{
	struct alarm_extra x;
	char text[256];

	(void)ctx;
	if (!R.m)
		return;
	const struct readiness_cfg *c = &R.m->cfg->readiness;
	extra_of(e, &x);
	snprintf(text, sizeof(text), "%s: TLS certificate of %s %s in %d days", e->cfg->code,
	         e->cfg->ready.tls_endpoint, e->tls_days_left < 0 ? "expired" : "expires",
	         e->tls_days_left);
	log_msg(expiring ? LOG_WARNING : LOG_INFO, "office %u: %s%s", e->office_id, text,
	        expiring ? "" : " (renewed)");
	decide_ex(expiring, ALARM_CERT_EXPIRING, e->office_id, 0, e->tls_days_left,
	          expiring ? c->cert_warn_days : c->cert_clear_days, text, &x);
}
