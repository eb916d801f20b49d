/* histfeed: the agent's rows for the history (see histfeed.h). */
#include "histfeed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alarm.h"
#include "bandwidth.h"
#include "config.h"
#include "dayacct.h"
#include "history.h"
#include "log.h"
#include "loop.h"
#include "readiness.h"
#include "readiness_report.h"
#include "readiness_run.h"

#define SLICE_LINES  200u /* lines per loop turn while writing the days (a few ms) */
#define STOP_WAIT_MS 5000u

static struct {
	struct model **mp;
	struct loop_timer *timer, *slice;
	/* a day write in progress, walked in slices */
	const struct model *walking;
	size_t office, line;
	time_t now;
	int32_t today;
	bool with_yesterday;
	int32_t written_day;          /* the day of the last complete walk; 0 = none */
	uint64_t walk_us, longest_us; /* time on the loop, for the log */
	unsigned slices;
} F;

static const char *kw(const char *option, long value)
{
	return config_keyword_name(option, value);
}

/* ---- configuration ---- */

static void put_meta_number(const char *key, unsigned long value)
{
	char text[24];

	snprintf(text, sizeof(text), "%lu", value);
	history_put_meta(key, text);
}

struct history_batch *histfeed_config_rows(const struct tslcd_config *cfg)
{
	struct history_batch *b = history_batch_new();
	time_t now = time(NULL);

	for (size_t i = 0; b && i < cfg->n_offices; i++) {
		const struct office_cfg *oc = &cfg->offices[i];
		struct history_office o = {.id = oc->id,
		                           .required_lines = oc->required_lines,
		                           .sla_target_ppm = cfg->notify.sla_target_ppm,
		                           .code = oc->code,
		                           .name = oc->name,
		                           .level = kw("level", oc->admin_level),
		                           .tier = oc->access_tier == 1 ? "tier1" : "tier2",
		                           .province = oc->province,
		                           .commune = oc->commune};
		history_batch_office(b, &o, now);
		for (size_t j = 0; j < oc->n_lines; j++) {
			const struct line_cfg *lc = &oc->lines[j];
			struct history_line l = {.office = oc->id,
			                         .id = lc->id,
			                         .kbps = lc->contract_kbps,
			                         .carrier = kw("carrier", lc->carrier),
			                         .circuit = lc->circuit,
			                         .role = kw("role", lc->role)};
			history_batch_line(b, &l, now);
		}
	}
	return b;
}

static void put_config(const struct tslcd_config *cfg, struct history_batch *rows)
{
	history_put_meta("province_code", cfg->agent.province_code);
	history_put_meta("province_name", cfg->agent.province_name);
	history_put_meta("timezone", cfg->agent.timezone);
	/* The report judges freshness and congestion by the rules the agent
	 * applies, not by their defaults: the province may have changed them. */
	put_meta_number("readiness_max_age_days", cfg->readiness.max_age_days);
	put_meta_number("congestion_raise_ppm", cfg->bandwidth.bw.raise_ppm);
	if (rows) {
		history_batch_put(rows);
		return;
	}
	rows = histfeed_config_rows(cfg);
	history_batch_put(rows);
	history_batch_free(rows);
}

void histfeed_config_loaded(const struct tslcd_config *cfg, struct history_batch *rows,
                            const char *message)
{
	char hex[65] = "";
	time_t now = time(NULL);

	if (cfg) {
		/* before its rows: a big config's burst must not be refused */
		history_queue_bound(cfg->n_offices, cfg->n_lines);
		for (int i = 0; i < 32; i++)
			snprintf(hex + 2 * i, 3, "%02x", cfg->fingerprint[i]);
		put_config(cfg, rows);
		struct history_params p = {.dir = cfg->agent.state_dir,
		                           .retention_days = cfg->agent.history_retention_days};
		history_reconfigure(&p);
	}
	history_put_config_load(now, cfg ? hex : NULL, cfg != NULL, message);
}

/* ---- outages, notifications, reports ---- */

void histfeed_outage(const struct line *l, const struct outage *o)
{
	struct history_outage h = {
	    .office = l->office->cfg->id,
	    .line = l->cfg->id,
	    .index = o->index,
	    .start = o->start,
	    .end = o->end,
	    .cause = outage_cause_name(o->cause ? o->cause : OUTAGE_CAUSE_UNKNOWN),
	    .ticket = o->ticket,
	    .last_rtt_us = o->last_rtt_us,
	    .loss_ppm = o->loss_ppm,
	    .node = o->node};
	history_put_outage(&h);
	/* Its cause, opened, closed or annotated, may be the cause of the
	 * office outages that began while it was open. */
	history_put_office_outage_cause(h.office, o->start, o->end);
}

/* The office outage that began at start (the office's last_change when it
 * was cut off, kept in the state file): its row is keyed by it and,
 * the office keeping no outage ring, it is the row's index too. */
static void put_office_open(const struct office *o, int64_t start)
{
	struct history_outage h = {.office = o->cfg->id,
	                           .index = (uint32_t)start,
	                           .start = start,
	                           .cause = outage_cause_name(OUTAGE_CAUSE_UNKNOWN)};
	history_put_outage(&h);
	history_put_office_outage_cause(h.office, start, start);
}

/* Cut off, whether its own lines failed (isolated) or the node before
 * them (unreachable): the office's availability counts both as down, so
 * its outages must too, or a report shows downtime without an outage. */
static bool office_cut_off(enum office_status s)
{
	return model_office_avail_state(s) == AVAIL_DOWN;
}

void histfeed_office_changed(const struct office *o, enum office_status old)
{
	if (office_cut_off(o->status) && !office_cut_off(old))
		put_office_open(o, o->last_change);
	else if (office_cut_off(old) && !office_cut_off(o->status))
		history_put_office_outage_close(o->cfg->id, o->last_change);
}

void histfeed_notification(uint32_t seq, unsigned type, bool raise, uint32_t office, uint32_t line,
                           unsigned severity, int32_t value, int32_t threshold, const char *text)
{
	struct history_notification n = {
	    .seq = seq,
	    .time = time(NULL),
	    .type = alarm_type_name(type),
	    .raise = raise,
	    .office = office,
	    .line = line,
	    .severity = severity == SEV_CLEARED ? "cleared" : kw("severity", severity),
	    .value = value,
	    .threshold = threshold,
	    .text = text};
	history_put_notification(&n);
}

void histfeed_report(uint32_t office, const struct readiness_report *r, bool accepted,
                     const char *state, const char *reason)
{
	struct history_report h = {.time = time(NULL),
	                           .report_time = r ? r->report_time : 0,
	                           .office = office,
	                           .accepted = accepted,
	                           .state = state,
	                           .reason = reason};
	history_put_report(&h);
}

/* ---- days ---- */

/* p95 of the day's 5-minute samples, in bit/s of the contract. */
static bool day_p95_bps(const struct bw_line *b, time_t from, time_t to, enum bw_dir d,
                        uint64_t *bps)
{
	uint16_t v[300];
	size_t n = 0;
	uint16_t p;

	if (!b->sample_s)
		return false;
	for (int64_t k = from / b->sample_s; k <= (to - 1) / b->sample_s && n < 300; k++) {
		uint16_t s = bw_window_sample(b, k, d);
		if (s != BW_SAMPLE_NONE)
			v[n++] = s;
	}
	if (!bw_percentile(v, n, 95, &p))
		return false;
	*bps = (uint64_t)p * b->contract_kbps / 10u; /* 1/100 % of kbps*1000 */
	return true;
}

static void fill_traffic(struct history_day *h, const struct day_totals *t, const struct line *l)
{
	time_t start, end;

	if (!l->bw || !t->poll_cs)
		return;
	h->has_bw = true;
	dayacct_bounds(t->day, &start, &end);
	for (int d = 0; d < 2; d++) {
		h->bytes[d] = t->octets[d];
		h->avg_bps[d] = t->octets[d] * 800u / t->poll_cs; /* octets/cs -> bit/s */
		h->peak_bps[d] = t->peak_bps[d];
		if (!day_p95_bps(l->bw, start, end < F.now ? end : F.now, (enum bw_dir)d,
		                 &h->p95_bps[d]))
			h->p95_bps[d] = h->avg_bps[d];
	}
}

static void put_line_day(const struct line *l, const struct day_totals *t)
{
	struct history_day h = {.office = l->office->cfg->id,
	                        .line = l->cfg->id,
	                        .day = t->day,
	                        .up_s = t->up_s,
	                        .degraded_s = t->degraded_s,
	                        .down_s = t->down_s,
	                        .maint_s = t->maint_s,
	                        .unknown_s = dayacct_unknown_s(t, F.now),
	                        .has_rtt = t->answers > 0,
	                        .has_loss = t->attempts > 0,
	                        .rtt_max_us = t->rtt_max_us};
	if (t->answers)
		h.rtt_avg_us = (uint32_t)(t->rtt_sum_us / t->answers);
	if (t->attempts)
		h.loss_ppm =
		    (uint32_t)((uint64_t)(t->attempts - t->answers) * 1000000u / t->attempts);
	fill_traffic(&h, t, l);
	history_put_day(&h);
}

static void put_office_day(const struct office *o, const struct day_totals *t)
{
	static const char *const redundancy[] = {"unknown", "unknown", "compliant", "nonCompliant"};
	struct readiness *rd = readiness_run_engine();
	const struct office_readiness *r = rd ? readiness_find(rd, o->cfg->id) : NULL;
	struct history_day h = {.office = o->cfg->id,
	                        .day = t->day,
	                        .up_s = t->up_s + t->degraded_s,
	                        .down_s = t->down_s,
	                        .maint_s = t->maint_s,
	                        .unknown_s = dayacct_unknown_s(t, F.now),
	                        .redundancy = redundancy[o->redundancy < 4 ? o->redundancy : 0],
	                        .readiness = r ? readiness_state_name(r->eval.state) : NULL,
	                        .readiness_reason = r ? readiness_reason(r) : NULL};
	history_put_day(&h);
}

/* Today's totals, and yesterday's when they have not been written final. */
static void put_days(const struct day_acct *a, const struct office *o, const struct line *l)
{
	for (int back = F.with_yesterday ? 1 : 0; back >= 0; back--) {
		const struct day_totals *t = dayacct_get(a, F.today - back);
		if (t && l)
			put_line_day(l, t);
		else if (t)
			put_office_day(o, t);
	}
}

/* One slice of the walk; true when every office and line is written. */
static bool days_step(size_t max_lines)
{
	const struct model *m = F.walking;
	size_t n = 0;

	while (F.office < m->n_offices && n < max_lines) {
		const struct office *o = &m->offices[F.office];
		if (F.line == 0)
			put_days(&o->days, o, NULL);
		for (; F.line < o->n_lines && n < max_lines; F.line++, n++) {
			model_line_settle(m, &o->lines[F.line]);
			put_days(&o->lines[F.line].days, o, &o->lines[F.line]);
		}
		if (F.line < o->n_lines)
			break;
		F.office++;
		F.line = 0;
	}
	return F.office >= m->n_offices;
}

static void days_begin(void)
{
	F.walking = *F.mp;
	F.office = F.line = 0;
	F.now = time(NULL);
	F.today = dayacct_local_day(F.now);
	F.with_yesterday = F.written_day != F.today; /* first walk of the day */
	F.walk_us = F.longest_us = 0;
	F.slices = 0;
}

static void days_finished(void)
{
	F.written_day = F.today;
	F.walking = NULL;
	log_msg(LOG_DEBUG,
	        "history: day totals queued in %.1f ms on the loop (%u slices, longest %.1f ms)",
	        (double)F.walk_us / 1e3, F.slices, (double)F.longest_us / 1e3);
}

static void on_slice(void *arg)
{
	uint64_t t0 = loop_clock_us();
	bool done;

	(void)arg;
	F.slice = NULL;
	if (F.walking != *F.mp) /* a reload replaced the model: start over */
		days_begin();
	done = days_step(SLICE_LINES);
	uint64_t us = loop_clock_us() - t0;
	F.walk_us += us;
	F.longest_us = us > F.longest_us ? us : F.longest_us;
	F.slices++;
	if (done)
		days_finished();
	else
		F.slice = loop_timer_add(0, on_slice, NULL);
}

static void on_timer(void *arg)
{
	(void)arg;
	F.timer = loop_timer_add((uint64_t)(*F.mp)->cfg->agent.history_interval_s * 1000u, on_timer,
	                         NULL);
	if (F.walking)
		return; /* the previous walk is still going */
	days_begin();
	on_slice(NULL);
}

/* ---- start and stop ---- */

/* After a kill -9, history.db may hold an outage the restored state lost.
 * The office's isolation follows the restored state as the lines' outages
 * do: its row is (re)opened, any other open one removed; after its lines'
 * orphans, which must not lend it their cause. */
static void put_orphans(const struct model *m)
{
	for (size_t i = 0; i < m->n_offices; i++) {
		const struct office *of = &m->offices[i];
		for (size_t j = 0; j < of->n_lines; j++) {
			const struct line *l = &of->lines[j];
			const struct outage *o = outage_current(&l->outages);
			history_put_orphans(of->cfg->id, l->cfg->id, o ? o->start : 0);
		}
		bool cut_off = office_cut_off(of->status);
		history_put_orphans(of->cfg->id, 0, cut_off ? of->last_change : 0);
		if (cut_off)
			put_office_open(of, of->last_change);
	}
}

uint32_t histfeed_start(struct model **mp)
{
	const struct tslcd_config *cfg = (*mp)->cfg;
	struct history_params p = {.dir = cfg->agent.state_dir,
	                           .retention_days = cfg->agent.history_retention_days};
	uint32_t seq = history_start(&p);

	F.mp = mp;
	histfeed_config_loaded(cfg, NULL, NULL);
	put_orphans(*mp);
	F.timer = loop_timer_add((uint64_t)cfg->agent.history_interval_s * 1000u, on_timer, NULL);
	return seq;
}

void histfeed_stop(void)
{
	if (!F.mp)
		return;
	loop_timer_cancel(F.timer);
	loop_timer_cancel(F.slice);
	F.timer = F.slice = NULL;
	days_begin();
	days_step(SIZE_MAX);
	days_finished();
	history_stop(STOP_WAIT_MS);
	F.mp = NULL;
}
