/*
 * model: state transitions of lines and offices, availability accounting
 * and outage history.  See model.h for the contract.
 */
#include "model.h"

#include <stdlib.h>
#include <string.h>

/* ---- status helpers ---- */

enum avail_state model_line_avail_state(enum line_status s)
{
	switch (s) {
	case LINE_UP:
	case LINE_DEGRADED:
		return AVAIL_UP;
	case LINE_DOWN:
	case LINE_UNREACHABLE: /* the office was really cut off */
		return AVAIL_DOWN;
	case LINE_MAINTENANCE:
		return AVAIL_MAINT;
	default:
		return AVAIL_UNKNOWN;
	}
}

static enum day_state day_state_of(enum avail_state a)
{
	static const enum day_state map[] = {[AVAIL_UP] = DAY_UP,
	                                     [AVAIL_DOWN] = DAY_DOWN,
	                                     [AVAIL_MAINT] = DAY_MAINT,
	                                     [AVAIL_UNKNOWN] = DAY_UNKNOWN};
	return map[a];
}

enum day_state model_line_day_state(enum line_status s)
{
	return s == LINE_DEGRADED ? DAY_DEGRADED : day_state_of(model_line_avail_state(s));
}

/* Offices have no degraded column in the day record: it counts as up. */
static enum day_state office_day_state(enum office_status s)
{
	return day_state_of(model_office_avail_state(s));
}

enum avail_state model_office_avail_state(enum office_status s)
{
	switch (s) {
	case OFFICE_UP:
	case OFFICE_DEGRADED:
		return AVAIL_UP;
	case OFFICE_ISOLATED:
	case OFFICE_UNREACHABLE:
		return AVAIL_DOWN;
	case OFFICE_MAINTENANCE:
		return AVAIL_MAINT;
	default:
		return AVAIL_UNKNOWN;
	}
}

const char *model_office_status_name(enum office_status s)
{
	static const char *const names[] = {"?",        "unknown",     "up",         "degraded",
	                                    "isolated", "maintenance", "unreachable"};
	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

/* ---- lookup ---- */

static int cmp_office_id(const void *key, const void *elem)
{
	uint32_t id = *(const uint32_t *)key;
	const struct office *o = elem;
	return id < o->cfg->id ? -1 : id > o->cfg->id;
}

static int cmp_line_id(const void *key, const void *elem)
{
	uint32_t id = *(const uint32_t *)key;
	const struct line *l = elem;
	return id < l->cfg->id ? -1 : id > l->cfg->id;
}

struct office *model_find_office(const struct model *m, uint32_t id)
{
	return bsearch(&id, m->offices, m->n_offices, sizeof(*m->offices), cmp_office_id);
}

struct line *model_find_line(const struct model *m, uint32_t office_id, uint32_t line_id)
{
	struct office *o = model_find_office(m, office_id);
	return o ? bsearch(&line_id, o->lines, o->n_lines, sizeof(*o->lines), cmp_line_id) : NULL;
}

/* ---- accounting ---- */

/* Where "now" falls within the current tick, on the monotonic clock, so a
 * wall-clock step between ticks cannot misplace a transition. */
time_t model_tick_time(const struct model *m, uint64_t mono_ms)
{
	uint64_t elapsed = mono_ms > m->clock.last_mono_ms ? mono_ms - m->clock.last_mono_ms : 0;
	return m->clock.last_wall + (time_t)(elapsed / 1000u);
}

/* The same interval goes to availability, the day totals and (lines) the
 * measurement intervals, so they always agree. */
static void account_until(struct avail *av, struct day_acct *days, struct interval_line *iv,
                          time_t *mark, enum avail_state st, enum day_state ds, time_t from,
                          time_t to)
{
	time_t start = *mark > from ? *mark : from;
	if (to > start) {
		avail_account(av, st, start, to);
		dayacct_time(days, ds, start, to);
		if (iv)
			interval_time(iv, ds, start, to);
	}
	*mark = to > start ? to : start;
}

/* While monitoring is impaired the agent cannot see: unknown, not down. */
static bool blind(const struct model *m)
{
	return m->mon.state == MONITORING_IMPAIRED;
}

static void line_account(const struct model *m, struct line *l, time_t from, time_t to)
{
	enum line_status s = linestate_reported(&l->ls);
	account_until(&l->av, &l->days, &l->iv, &l->acct_mark,
	              blind(m) ? AVAIL_UNKNOWN : model_line_avail_state(s),
	              blind(m) ? DAY_UNKNOWN : model_line_day_state(s), from, to);
}

static void office_account(const struct model *m, struct office *o, time_t from, time_t to)
{
	account_until(&o->av, &o->days, NULL, &o->acct_mark,
	              blind(m) ? AVAIL_UNKNOWN : model_office_avail_state(o->status),
	              blind(m) ? DAY_UNKNOWN : office_day_state(o->status), from, to);
}

/* Lines are booked lazily: from acct_mark, where the books end, to
 * `until`, in the state the line has been in since (every state change
 * books it first, and a tick that would book it differently from one
 * piece books every line, see model_tick). */
static void line_book(const struct model *m, struct line *l, time_t until)
{
	line_account(m, l, l->acct_mark, until);
}

static void line_account_now(struct model *m, struct line *l, uint64_t mono_ms)
{
	time_t t = model_tick_time(m, mono_ms);

	if (t > m->acct_ahead)
		m->acct_ahead = t;
	line_book(m, l, t);
}

void model_line_settle(const struct model *m, const struct line *l)
{
	line_book(m, (struct line *)l, m->clock.last_wall);
}

void model_settle_all(struct model *m)
{
	for (size_t i = 0; i < m->n_offices; i++)
		for (size_t j = 0; j < m->offices[i].n_lines; j++)
			line_book(m, &m->offices[i].lines[j], m->clock.last_wall);
}

static void office_account_now(struct model *m, struct office *o, uint64_t mono_ms)
{
	office_account(m, o, m->clock.last_wall, model_tick_time(m, mono_ms));
}

void model_account_all(struct model *m, uint64_t mono_ms)
{
	for (size_t i = 0; i < m->n_offices; i++) {
		for (size_t j = 0; j < m->offices[i].n_lines; j++)
			line_account_now(m, &m->offices[i].lines[j], mono_ms);
		office_account_now(m, &m->offices[i], mono_ms);
	}
}

/* Suspect bits for the intervals this tick touches: a wall-clock step of
 * INTERVAL_CLOCK_STEP_S or more against the monotonic clock, either way. */
static uint8_t tick_suspect(const struct model *m, time_t now, uint64_t mono_ms)
{
	int64_t mono_s = (int64_t)(mono_ms / 1000u) - (int64_t)(m->clock.last_mono_ms / 1000u);
	int64_t skew = (int64_t)(now - m->clock.last_wall) - mono_s;
	bool step = skew >= INTERVAL_CLOCK_STEP_S || skew <= -INTERVAL_CLOCK_STEP_S;

	return (uint8_t)(m->interval_suspect | (step ? INTERVAL_CLOCK_STEP : 0));
}

/* The parts of a line a booking writes, a few KB apart: asked for one line
 * ahead, their cache misses overlap the work on the line before. */
static void line_prefetch(const struct line *l)
{
	__builtin_prefetch(l, 1);
	__builtin_prefetch(&l->av, 1);
	__builtin_prefetch(&l->av.month, 1);
	__builtin_prefetch(&l->av.quarter, 1);
	__builtin_prefetch(&l->days.cur, 1);
	__builtin_prefetch(&l->iv.cur, 1);
}

/* The measurement interval and local day the second before t is in: the
 * running interval and day once the books reach t. */
static void acct_period(const struct model *m, time_t t, int32_t *day, int32_t *iv)
{
	unsigned len = interval_len_of(m->cfg->agent.interval_s);

	*day = dayacct_local_day(t - 1);
	*iv = (int32_t)((t - 1) / (time_t)len);
}

/* Lazy booking is only exact while the ticks since a line's mark join up
 * in one piece that neither closes an interval or a day (that would move
 * where rounds, octets and suspect marks go) nor needs marking suspect:
 * otherwise the tick books every line as a tick every second did. */
static bool tick_books_all(struct model *m, time_t prev, time_t from, time_t to, uint8_t suspect)
{
	int32_t day, iv;

	acct_period(m, to, &day, &iv);
	bool all =
	    suspect || from != prev || m->acct_ahead > to || day != m->acct_day || iv != m->acct_iv;
	m->acct_day = day;
	m->acct_iv = iv;
	m->acct_ahead = to;
	return all;
}

/* Every line: the pieces [mark, prev) of earlier ticks, then this tick's
 * [from, to), marked suspect before and after as the tick asks; a booking
 * ahead of `to` (the wall clock ran slower than the monotonic) is
 * forgotten, as each tick forgets it. */
static void lines_book_tick(struct model *m, time_t prev, time_t from, time_t to, bool any,
                            uint8_t suspect)
{
	for (size_t i = 0; i < m->n_offices; i++) {
		struct office *o = &m->offices[i];
		for (size_t j = 0; j < o->n_lines; j++) {
			struct line *l = &o->lines[j];
			if (j + 1 < o->n_lines)
				line_prefetch(l + 1);
			else if (i + 1 < m->n_offices && m->offices[i + 1].n_lines)
				line_prefetch(m->offices[i + 1].lines);
			line_book(m, l, prev);
			if (suspect) /* the interval before the step */
				interval_mark(&l->iv, suspect);
			if (any)
				line_account(m, l, from, to);
			if (suspect) /* and the one after it */
				interval_mark(&l->iv, suspect);
			l->acct_mark = to;
		}
	}
}

void model_tick(struct model *m, time_t now, uint64_t mono_ms)
{
	time_t from, to, prev = m->clock.last_wall;
	uint8_t suspect = tick_suspect(m, now, mono_ms);
	bool any = avail_clock_advance(&m->clock, mono_ms, now, &from, &to);

	if (tick_books_all(m, prev, from, to, suspect))
		lines_book_tick(m, prev, from, to, any, suspect);
	for (size_t i = 0; i < m->n_offices; i++) {
		struct office *o = &m->offices[i];
		if (any)
			office_account(m, o, from, to);
		o->acct_mark = 0;
	}
	model_node_tick(m, from, to, any);
	model_bw_tick(m, now);
}

/* ---- office aggregation ---- */

static enum office_status office_status_of(const struct office *o, unsigned *lines_up)
{
	unsigned up = 0, degraded = 0, down = 0, maint = 0, unknown = 0, unreachable = 0;

	for (size_t i = 0; i < o->n_lines; i++) {
		switch (linestate_reported(&o->lines[i].ls)) {
		case LINE_UP:
			up++;
			break;
		case LINE_DEGRADED:
			degraded++;
			break;
		case LINE_DOWN:
			down++;
			break;
		case LINE_MAINTENANCE:
			maint++;
			break;
		case LINE_UNREACHABLE:
			unreachable++;
			break;
		default:
			unknown++;
			break;
		}
	}
	*lines_up = up + degraded;
	if (up + degraded)
		return (degraded || up + degraded < o->cfg->required_lines) ? OFFICE_DEGRADED
		                                                            : OFFICE_UP;
	if (unknown || !o->n_lines)
		return OFFICE_UNKNOWN;
	/* No line carries traffic: isolated if a line is down on its own,
	 * unreachable if an upstream node explains it, else a planned cut. */
	return down ? OFFICE_ISOLATED : unreachable ? OFFICE_UNREACHABLE : OFFICE_MAINTENANCE;
}

static void office_reevaluate(struct model *m, struct office *o, time_t now, uint64_t mono_ms)
{
	unsigned up;
	enum office_status st = office_status_of(o, &up);
	enum office_status old = o->status;

	o->lines_up = up;
	if (st == old)
		return;
	office_account_now(m, o, mono_ms);
	o->status = st;
	o->last_change = now;
	if (model_office_avail_state(st) == AVAIL_DOWN &&
	    model_office_avail_state(old) != AVAIL_DOWN)
		avail_outage_started(&o->av, now);
	if (m->listener.office_changed)
		m->listener.office_changed(m->listener.ctx, o, old);
}

/* ---- line transitions ---- */

static void line_outage_track(struct model *m, struct line *l, enum line_status tracked_before,
                              bool in_maint, time_t now)
{
	enum line_status tracked = linestate_tracked(&l->ls);
	uint32_t loss = 0;

	if (tracked == LINE_DOWN && tracked_before != LINE_DOWN) {
		/* The ring drops its oldest record when full: tell the MIB which. */
		const struct outage *oldest = outage_next(&l->outages, 0);
		uint32_t evicted =
		    l->outages.count && l->outages.count == l->outages.capacity ? oldest->index : 0;
		/* Evidence: the loss of the rounds that declared it down, counted
		 * with the threshold in force (a heightened period may tighten it). */
		line_stats_loss_recent(&l->stats, m->state->down_after, &loss);
		struct outage *o = outage_open(&l->outages, now, l->stats.last_rtt_us, loss, NULL);
		if (o && in_maint)
			outage_annotate(o, OUTAGE_CAUSE_PLANNED_WORK, NULL, 0);
		if (o)
			model_node_outage_opened(l, o);
		if (o && m->listener.outage_opened)
			m->listener.outage_opened(m->listener.ctx, l, o, evicted);
	} else if (tracked != LINE_DOWN && tracked_before == LINE_DOWN) {
		const struct outage *o = outage_close(&l->outages, now);
		if (o && m->listener.outage_closed)
			m->listener.outage_closed(m->listener.ctx, l, o);
	}
}

const char *model_outage_annotate(struct model *m, uint32_t office_id, uint32_t line_id,
                                  uint32_t index, int cause, const char *ticket)
{
	const struct line *l = model_find_line(m, office_id, line_id);
	struct outage *o = l ? outage_find(&l->outages, index) : NULL;

	if (!o)
		return l ? "no such outage in the line's history" : "no such line";
	char kept[sizeof(o->ticket)]; /* a copy: outage_annotate writes o->ticket */
	if (!ticket)
		ticket = memcpy(kept, o->ticket, sizeof(kept));
	const char *why = outage_annotate(o, cause, ticket, strlen(ticket));
	if (!why && m->listener.outage_annotated)
		m->listener.outage_annotated(m->listener.ctx, l, o);
	return why;
}

static void line_transition(struct model *m, struct line *l, enum line_status old, time_t now,
                            uint64_t mono_ms)
{
	enum line_status st = linestate_reported(&l->ls);

	l->last_change = now;
	if (model_line_avail_state(st) == AVAIL_DOWN && model_line_avail_state(old) != AVAIL_DOWN)
		avail_outage_started(&l->av, now);
	if (st == LINE_UNREACHABLE || old == LINE_UNREACHABLE)
		m->nodes_dirty = true; /* the nodes' affected counts */
	if (m->listener.line_changed)
		m->listener.line_changed(m->listener.ctx, l, old);
	office_reevaluate(m, l->office, now, mono_ms);
	model_redundancy_update(m, l->office);
}

void model_line_round(struct model *m, struct line *l, const struct probe_result *r,
                      bool in_maintenance, time_t now, uint64_t mono_ms)
{
	enum line_status old = linestate_reported(&l->ls);
	enum line_status tracked_before = linestate_tracked(&l->ls);

	/* The agent's own uplink may be failing: a failed round proves
	 * nothing about the line until a reference answers again. */
	if (model_node_monitoring_suspect(m) && (blind(m) || r->outcome != PROBE_OK)) {
		line_account_now(m, l, mono_ms);
		return;
	}
	if (r->outcome != PROBE_LOCAL_ERROR) {
		line_stats_push(&l->stats, r);
		dayacct_round(&l->days, now, r->sent, r->received, r->rtt_avg_us, r->rtt_max_us);
	}
	/* Close the books in the old state before the state can change. */
	line_account_now(m, l, mono_ms);
	if (r->outcome != PROBE_LOCAL_ERROR)
		interval_round(&l->iv, now, r->sent, r->received, r->rtt_min_us, r->rtt_avg_us,
		               r->rtt_max_us);
	bool changed = linestate_on_round(&l->ls, m->state, r, in_maintenance);
	line_outage_track(m, l, tracked_before, in_maintenance, now);
	if (changed)
		line_transition(m, l, old, now, mono_ms);
	model_node_line_round(m, l, now, mono_ms);
	model_node_counts(m);
}

void model_line_set_upstream(struct model *m, struct line *l, enum upstream_mode mode, time_t now,
                             uint64_t mono_ms)
{
	enum line_status old = linestate_reported(&l->ls);

	if (l->ls.upstream == mode)
		return;
	line_account_now(m, l, mono_ms);
	if (linestate_set_upstream(&l->ls, mode))
		line_transition(m, l, old, now, mono_ms);
}

void model_line_maintenance(struct model *m, struct line *l, bool in_maintenance, time_t now,
                            uint64_t mono_ms)
{
	enum line_status old = linestate_reported(&l->ls);

	line_account_now(m, l, mono_ms);
	if (linestate_set_maintenance(&l->ls, in_maintenance))
		line_transition(m, l, old, now, mono_ms);
}

void model_count(const struct model *m, struct model_counts *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < m->n_offices; i++) {
		const struct office *o = &m->offices[i];
		if ((unsigned)o->status < 7)
			out->offices[o->status]++;
		for (size_t j = 0; j < o->n_lines; j++) {
			unsigned s = linestate_reported(&o->lines[j].ls);
			if (s < 8)
				out->lines[s]++;
		}
	}
	for (size_t k = 0; k < m->n_nodes; k++)
		if ((unsigned)m->nodes[k].status < 5)
			out->nodes[m->nodes[k].status]++;
}

/* ---- construction and reload ---- */

static void line_init(struct line *l, const struct line_cfg *lc, struct office *o,
                      const struct tslcd_config *cfg, time_t now)
{
	memset(l, 0, sizeof(*l));
	l->cfg = lc;
	l->office = o;
	l->acct_mark = now; /* model_adopt() sets it again, to the clock it takes */
	linestate_init(&l->ls);
	avail_init(&l->av, now);
	interval_init(&l->iv, cfg->agent.interval_s, now, 0);
	outage_ring_init(&l->outages, cfg->outage_history);
}

/* Reload keeps history: the surviving line's state moves to its new home.
 * The rings are exchanged, not freed and made again: the old model keeps
 * the fresh, empty one, and is freed off the loop. */
static void line_adopt(struct line *l, struct line *prev, unsigned history)
{
	l->ls = prev->ls;
	l->upstream_grace = prev->upstream_grace;
	if (!l->via) /* its node left the config: its own status from now on */
		linestate_set_upstream(&l->ls, UPSTREAM_OK);
	l->last_change = prev->last_change;
	l->stats = prev->stats;
	l->av = prev->av;
	l->days = prev->days;
	if (prev->iv.len_s == l->iv.len_s) /* a new length starts afresh */
		l->iv = prev->iv;
	struct outage_ring fresh = l->outages;
	l->outages = prev->outages;
	outage_ring_set_capacity(&l->outages, history);
	prev->outages = fresh; /* prev no longer owns it */
}

/* A fresh office and its lines: no state from before. */
static bool office_build(struct model *m, struct office *o, const struct office_cfg *oc, time_t now)
{
	memset(o, 0, sizeof(*o));
	o->cfg = oc;
	o->status = OFFICE_UNKNOWN;
	avail_init(&o->av, now);
	o->n_lines = oc->n_lines;
	o->lines = calloc(oc->n_lines ? oc->n_lines : 1, sizeof(*o->lines));
	if (!o->lines)
		return false;
	for (size_t j = 0; j < oc->n_lines; j++) {
		line_init(&o->lines[j], &oc->lines[j], o, m->cfg, now);
		if (!model_bw_line_init(m, &o->lines[j]))
			return false;
		o->has_bw |= o->lines[j].bw != NULL;
	}
	office_status_of(o, &o->lines_up);
	return true;
}

#define SWAP(a, b)                                                                                 \
	do {                                                                                       \
		__typeof__(a) swap_tmp_ = (a);                                                     \
		(a) = (b);                                                                         \
		(b) = swap_tmp_;                                                                   \
	} while (0)

/* The line l (moved, state and all, from the old office into the new one)
 * exchanges with the fresh line built for it (moved the other way) what
 * the config decides: l now reads the new config, fresh the old one,
 * so the old model stays whole until it is freed.  The same outcome as
 * line_adopt() without copying 3.5 KB of state per line. */
static void line_move(struct line *l, struct line *fresh, unsigned history)
{
	SWAP(l->cfg, fresh->cfg);
	SWAP(l->office, fresh->office);
	SWAP(l->via, fresh->via);
	SWAP(l->bw, fresh->bw);
	SWAP(l->probe_job, fresh->probe_job); /* the old model's probes stop it */
	if (!l->via)
		linestate_set_upstream(&l->ls, UPSTREAM_OK);
	if (l->iv.len_s != fresh->iv.len_s) /* a new length starts afresh */
		l->iv = fresh->iv;
	outage_ring_set_capacity(&l->outages, history);
	model_bw_line_adopt(l, fresh); /* fresh: the old config and bandwidth state */
}

/* Same line ids in the same order: the office's lines can move whole. */
static bool same_lines(const struct office *a, const struct office *b)
{
	if (a->n_lines != b->n_lines)
		return false;
	for (size_t j = 0; j < a->n_lines; j++)
		if (a->lines[j].cfg->id != b->lines[j].cfg->id)
			return false;
	return true;
}

/* Line by line: both arrays are sorted by id, so one merge pairs them. */
static void lines_adopt(struct model *m, struct office *o, struct office *prev)
{
	size_t k = 0;

	for (size_t j = 0; j < o->n_lines; j++) {
		struct line *l = &o->lines[j];
		while (k < prev->n_lines && prev->lines[k].cfg->id < l->cfg->id)
			k++;
		if (k == prev->n_lines)
			return;
		if (prev->lines[k].cfg->id != l->cfg->id)
			continue;
		line_adopt(l, &prev->lines[k], m->cfg->outage_history);
		model_bw_line_adopt(l, &prev->lines[k]);
	}
}

/* Reload: the office takes over the state of its previous self, and its
 * line array when the lines are the same (the common case). */
static void office_adopt(struct model *m, struct office *o, struct office *prev)
{
	if (same_lines(o, prev)) {
		SWAP(o->lines, prev->lines);
		for (size_t j = 0; j < o->n_lines; j++)
			line_move(&o->lines[j], &prev->lines[j], m->cfg->outage_history);
	} else {
		lines_adopt(m, o, prev);
	}
	o->status = prev->status;
	o->last_change = prev->last_change;
	o->av = prev->av;
	o->days = prev->days;
	o->redundancy = prev->redundancy;
	o->redundancy_alarm = prev->redundancy_alarm;
	enum office_status st = office_status_of(o, &o->lines_up);
	if (o->status == OFFICE_UNREACHABLE && st != OFFICE_UNREACHABLE)
		o->status = st; /* its node left the config (line_adopt) */
}

/* Every office that both models have adopts its previous self: offices
 * are sorted by id in both, so one merge pairs them (not a search each).
 * Every line's running interval is marked (reload) in the same pass. */
static void offices_adopt(struct model *m, struct model *old)
{
	size_t k = 0;

	for (size_t i = 0; i < m->n_offices; i++) {
		struct office *o = &m->offices[i];
		while (k < old->n_offices && old->offices[k].cfg->id < o->cfg->id)
			k++;
		if (k < old->n_offices && old->offices[k].cfg->id == o->cfg->id)
			office_adopt(m, o, &old->offices[k]);
		for (size_t j = 0; j < o->n_lines; j++)
			interval_mark(&o->lines[j].iv, INTERVAL_CONFIG_RELOAD);
	}
}

struct model *model_prepare(struct tslcd_config *cfg, time_t now)
{
	struct model *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->cfg = cfg;
	m->state = &cfg->state;
	m->offices = calloc(cfg->n_offices ? cfg->n_offices : 1, sizeof(*m->offices));
	if (!m->offices) {
		free(m);
		return NULL;
	}
	m->n_offices = cfg->n_offices;
	bool ok = true;
	for (size_t i = 0; ok && i < cfg->n_offices; i++) {
		ok = office_build(m, &m->offices[i], &cfg->offices[i], now);
		if (!ok)
			m->n_offices = i + 1;
	}
	if (ok && model_node_build(m, now))
		return m;
	m->cfg = NULL; /* on failure cfg stays the caller's */
	model_free(m);
	return NULL;
}

/* The running interval of every line, booked first so that it is the one
 * a tick every second would have running. */
static void mark_intervals(struct model *m, uint8_t reasons)
{
	for (size_t i = 0; i < m->n_offices; i++)
		for (size_t j = 0; j < m->offices[i].n_lines; j++) {
			struct line *l = &m->offices[i].lines[j];
			line_book(m, l, m->clock.last_wall);
			interval_mark(&l->iv, reasons);
		}
}

/* Every line's books end where the clock is (lazy booking starts there). */
static void books_start(struct model *m)
{
	for (size_t i = 0; i < m->n_offices; i++)
		for (size_t j = 0; j < m->offices[i].n_lines; j++)
			m->offices[i].lines[j].acct_mark = m->clock.last_wall;
	m->acct_ahead = m->clock.last_wall;
	acct_period(m, m->clock.last_wall, &m->acct_day, &m->acct_iv);
}

void model_adopt(struct model *m, struct model *old, time_t now, uint64_t mono_ms)
{
	if (!old) {
		avail_clock_start(&m->clock, mono_ms, now);
		books_start(m);
		mark_intervals(m, INTERVAL_AGENT_START);
		return;
	}
	model_tick(old, now, mono_ms); /* settle its books before taking them over */
	model_settle_all(old);
	offices_adopt(m, old);
	model_node_adopt(m, old);
	m->clock = old->clock;
	m->interval_suspect = old->interval_suspect;
	books_start(m);
}

void model_set_master_reachable(struct model *m, bool reachable)
{
	if (reachable) {
		m->interval_suspect &= (uint8_t)~INTERVAL_MASTER_DOWN;
		return;
	}
	m->interval_suspect |= INTERVAL_MASTER_DOWN;
	mark_intervals(m, INTERVAL_MASTER_DOWN);
}

struct model *model_create(struct tslcd_config *cfg, struct model *old, time_t now,
                           uint64_t mono_ms)
{
	struct model *m = model_prepare(cfg, now);

	if (m)
		model_adopt(m, old, now, mono_ms);
	return m;
}

void model_set_listener(struct model *m, const struct model_listener *l)
{
	m->listener = *l;
}

void model_set_thresholds(struct model *m, const struct linestate_params *p)
{
	m->state = p ? p : &m->cfg->state;
}

void model_free(struct model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_offices; i++) {
		struct office *o = &m->offices[i];
		for (size_t j = 0; o->lines && j < o->n_lines; j++) {
			outage_ring_free(&o->lines[j].outages);
			model_bw_line_free(&o->lines[j]);
		}
		free(o->lines);
	}
	free(m->offices);
	model_node_free(m);
	config_free(m->cfg);
	free(m);
}
