/*
 * Model: line transitions with hysteresis, office aggregation, outages
 * opened and closed at the right times, the redundancy rule, and a reload
 * that keeps state (model_prepare/model_adopt, model_create with the old
 * model).  Driven by a fake clock; transitions seen through a recording
 * listener.  Links against the core library alone (Makefile, CORE_TEST).
 */
#include "unit.h"
#include "unit_config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"

#define T0 1767225600 /* 2026-01-01 00:00:00 UTC */

/* ---- fake clock: wall and monotonic time move together ---- */

struct fake_clock {
	time_t wall;
	uint64_t mono_ms;
};

static struct fake_clock clk;

static void clock_reset(void)
{
	clk = (struct fake_clock){T0, 1000u};
}

static void clock_step(unsigned seconds)
{
	clk.wall += seconds;
	clk.mono_ms += (uint64_t)seconds * 1000u;
}

/* ---- recording listener ---- */

enum ev_kind {
	EV_LINE,
	EV_OFFICE,
	EV_OPENED,
	EV_CLOSED,
	EV_NONCOMPLIANT,
	EV_COMPLIANT,
	EV_NODE,
	EV_MONITORING,
	EV_ANNOTATED
};

struct event {
	enum ev_kind kind;
	uint32_t office, line;
	int old, now;         /* EV_LINE, EV_OFFICE: statuses */
	int64_t start, end;   /* EV_OPENED, EV_CLOSED */
	uint32_t index;       /* outage index */
	unsigned paths, need; /* redundancy */
	time_t at;
};

static struct event ev[64];
static size_t n_ev;

static struct event *record(enum ev_kind kind, uint32_t office, uint32_t line)
{
	ck_assert_uint_lt(n_ev, sizeof(ev) / sizeof(ev[0]));
	ev[n_ev] = (struct event){.kind = kind, .office = office, .line = line, .at = clk.wall};
	return &ev[n_ev++];
}

static void on_line(void *ctx, const struct line *l, enum line_status old)
{
	struct event *e = record(EV_LINE, l->office->cfg->id, l->cfg->id);
	(void)ctx;
	e->old = (int)old;
	e->now = (int)linestate_reported(&l->ls);
}

static void on_office(void *ctx, const struct office *o, enum office_status old)
{
	struct event *e = record(EV_OFFICE, o->cfg->id, 0);
	(void)ctx;
	e->old = (int)old;
	e->now = (int)o->status;
}

static void on_outage(enum ev_kind kind, const struct line *l, const struct outage *o)
{
	struct event *e = record(kind, l->office->cfg->id, l->cfg->id);
	e->index = o->index;
	e->start = o->start;
	e->end = o->end;
}

static void on_opened(void *ctx, const struct line *l, const struct outage *o, uint32_t evicted)
{
	(void)ctx, (void)evicted;
	on_outage(EV_OPENED, l, o);
}

static void on_closed(void *ctx, const struct line *l, const struct outage *o)
{
	(void)ctx;
	on_outage(EV_CLOSED, l, o);
}

static void on_annotated(void *ctx, const struct line *l, const struct outage *o)
{
	(void)ctx;
	on_outage(EV_ANNOTATED, l, o);
}

static void on_redundancy(enum ev_kind kind, const struct office *o, unsigned paths, unsigned need)
{
	struct event *e = record(kind, o->cfg->id, 0);
	e->paths = paths;
	e->need = need;
}

static void on_noncompliant(void *ctx, const struct office *o, unsigned paths, unsigned need)
{
	(void)ctx;
	on_redundancy(EV_NONCOMPLIANT, o, paths, need);
}

static void on_compliant(void *ctx, const struct office *o, unsigned paths, unsigned need)
{
	(void)ctx;
	on_redundancy(EV_COMPLIANT, o, paths, need);
}

static void on_node(void *ctx, const struct node *n, enum node_status old)
{
	struct event *e = record(EV_NODE, n->cfg->id, 0);
	(void)ctx;
	e->old = (int)old;
	e->now = (int)n->status;
	e->paths = n->offices_affected;
}

static void on_monitoring(void *ctx, const struct model *m, enum monitoring_state old)
{
	struct event *e = record(EV_MONITORING, 0, 0);
	(void)ctx;
	e->old = (int)old;
	e->now = (int)m->mon.state;
}

static const struct model_listener recorder = {
    .node_changed = on_node,
    .monitoring_changed = on_monitoring,
    .line_changed = on_line,
    .office_changed = on_office,
    .outage_opened = on_opened,
    .outage_closed = on_closed,
    .outage_annotated = on_annotated,
    .redundancy_noncompliant = on_noncompliant,
    .redundancy_compliant = on_compliant,
};

/* The n-th recorded event of a kind (0 = first), or NULL. */
static const struct event *find_event(enum ev_kind kind, size_t nth)
{
	for (size_t i = 0; i < n_ev; i++)
		if (ev[i].kind == kind && nth-- == 0)
			return &ev[i];
	return NULL;
}

static size_t count_events(enum ev_kind kind)
{
	size_t n = 0;

	for (size_t i = 0; i < n_ev; i++)
		n += ev[i].kind == kind;
	return n;
}

/* ---- configs and rounds ---- */

/* probe: the probe section's body; offices: every office section. */
static struct tslcd_config *load_config(const char *probe, const char *offices)
{
	return unit_config("probe {\n%s}\n%s", probe, offices);
}

/* A fresh model at the fake clock's time, the recorder listening. */
static struct model *load_model(const char *probe, const char *offices)
{
	struct model *m = model_create(load_config(probe, offices), NULL, clk.wall, clk.mono_ms);

	ck_assert_ptr_nonnull(m);
	model_set_listener(m, &recorder);
	return m;
}

#define LINE(id, path)                                                                             \
	" line { id = " #id " carrier = vnpt bandwidth = 100 path = " #path                        \
	" target = \"127.0.0.1\" }\n"
#define OFFICE(id, required, lines)                                                                \
	"office {\n id = " #id " code = \"O" #id "\" name = \"O" #id "\" level = province\n"       \
	" required-lines = " #required "\n" lines "}\n"

enum round_kind { GOOD, BAD, LOSSY };

/* One round of a line, 10 s after the previous one. */
static void round_of(struct model *m, uint32_t office, uint32_t line, enum round_kind k)
{
	struct probe_result r = {.outcome = PROBE_NO_ANSWER, .sent = 3};

	if (k == GOOD)
		r = (struct probe_result){PROBE_OK, 3, 3, 900, 1000, 1100, 40};
	else if (k == LOSSY) /* 2 of 3 lost: over the 20 % raise band */
		r = (struct probe_result){PROBE_OK, 3, 1, 900, 1000, 1100, 40};
	clock_step(10);
	model_tick(m, clk.wall, clk.mono_ms);
	model_line_round(m, model_find_line(m, office, line), &r, false, clk.wall, clk.mono_ms);
}

static void rounds(struct model *m, uint32_t office, uint32_t line, enum round_kind k, int n)
{
	while (n-- > 0)
		round_of(m, office, line, k);
}

/* A round of a node's target (node id) or of reference 0 (node 0), at
 * the same time as the line round before it. */
static void target_round(struct model *m, uint32_t node, enum round_kind k)
{
	struct probe_result r = {.outcome = PROBE_NO_ANSWER, .sent = 3};
	struct ref_target *t = node ? &model_find_node(m, node)->targets[0] : &m->mon.refs[0];

	if (k == GOOD)
		r = (struct probe_result){PROBE_OK, 3, 3, 900, 1000, 1100, 40};
	model_target_round(m, t, &r, clk.wall, clk.mono_ms);
}

static bool any_line_event_to(enum line_status st)
{
	for (size_t i = 0; i < n_ev; i++)
		if (ev[i].kind == EV_LINE && ev[i].now == (int)st)
			return true;
	return false;
}

static enum line_status line_status_of(const struct model *m, uint32_t office, uint32_t line)
{
	return linestate_reported(&model_find_line(m, office, line)->ls);
}

static void setup(void)
{
	clock_reset();
	n_ev = 0;
}

/* ---- tests ---- */

/* down-after 3, up-after 2: a streak one short changes nothing. */
START_TEST(line_hysteresis)
{
	struct model *m = load_model(" down-after = 3\n up-after = 2\n", OFFICE(1, 1, LINE(1, 1)));

	round_of(m, 1, 1, GOOD);
	ck_assert_int_eq(line_status_of(m, 1, 1), LINE_UNKNOWN);
	ck_assert_uint_eq(n_ev, 0);
	round_of(m, 1, 1, GOOD);
	ck_assert_int_eq(line_status_of(m, 1, 1), LINE_UP);
	const struct event *e = find_event(EV_LINE, 0);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->old, LINE_UNKNOWN);
	ck_assert_int_eq(e->now, LINE_UP);
	ck_assert_int_eq(model_find_line(m, 1, 1)->last_change, clk.wall);

	rounds(m, 1, 1, BAD, 2);
	round_of(m, 1, 1, GOOD); /* breaks the bad streak */
	rounds(m, 1, 1, BAD, 2);
	ck_assert_int_eq(line_status_of(m, 1, 1), LINE_UP);
	ck_assert_uint_eq(count_events(EV_LINE), 1);
	round_of(m, 1, 1, BAD);
	ck_assert_int_eq(line_status_of(m, 1, 1), LINE_DOWN);
	e = find_event(EV_LINE, 1);
	ck_assert_int_eq(e->old, LINE_UP);
	ck_assert_int_eq(e->now, LINE_DOWN);

	round_of(m, 1, 1, GOOD);
	ck_assert_int_eq(line_status_of(m, 1, 1), LINE_DOWN);
	round_of(m, 1, 1, GOOD);
	ck_assert_int_eq(line_status_of(m, 1, 1), LINE_UP);
	ck_assert_uint_eq(count_events(EV_LINE), 3);
	model_free(m);
}
END_TEST

/* Two lines, two required: up, degraded (one down, or one lossy), isolated. */
START_TEST(office_aggregation)
{
	struct model *m = load_model(" down-after = 1\n up-after = 1\n degrade-after = 1\n",
	                             OFFICE(1, 2, LINE(1, 1) LINE(2, 2)));
	const struct office *o = model_find_office(m, 1);

	ck_assert_int_eq(o->status, OFFICE_UNKNOWN);
	round_of(m, 1, 1, GOOD);
	ck_assert_int_eq(o->status, OFFICE_DEGRADED); /* one of two required lines */
	round_of(m, 1, 2, GOOD);
	ck_assert_int_eq(o->status, OFFICE_UP);
	ck_assert_uint_eq(o->lines_up, 2);
	round_of(m, 1, 2, LOSSY);
	ck_assert_int_eq(line_status_of(m, 1, 2), LINE_DEGRADED);
	ck_assert_int_eq(o->status, OFFICE_DEGRADED); /* a degraded line degrades it */
	round_of(m, 1, 2, BAD);
	ck_assert_int_eq(o->status, OFFICE_DEGRADED);
	ck_assert_uint_eq(o->lines_up, 1);
	round_of(m, 1, 1, BAD);
	ck_assert_int_eq(o->status, OFFICE_ISOLATED);
	ck_assert_uint_eq(o->lines_up, 0);
	ck_assert_int_eq(o->last_change, clk.wall);

	const struct event *last = NULL;
	for (size_t i = 0; find_event(EV_OFFICE, i); i++)
		last = find_event(EV_OFFICE, i);
	ck_assert_int_eq(last->old, OFFICE_DEGRADED);
	ck_assert_int_eq(last->now, OFFICE_ISOLATED);
	struct model_counts c;
	model_count(m, &c);
	ck_assert_uint_eq(c.offices[OFFICE_ISOLATED], 1);
	ck_assert_uint_eq(c.lines[LINE_DOWN], 2);
	model_free(m);
}
END_TEST

/* Opened at the round that declared the line down, closed at the one that
 * declared it up; indices grow. */
START_TEST(outage_times)
{
	struct model *m = load_model(" down-after = 3\n up-after = 2\n", OFFICE(1, 1, LINE(1, 1)));

	rounds(m, 1, 1, GOOD, 2);
	rounds(m, 1, 1, BAD, 3);
	time_t down_at = clk.wall;
	const struct event *e = find_event(EV_OPENED, 0);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->index, 1);
	ck_assert_int_eq(e->start, down_at);
	ck_assert_int_eq(e->end, 0);
	const struct line *l = model_find_line(m, 1, 1);
	ck_assert_ptr_nonnull(outage_current(&l->outages));

	rounds(m, 1, 1, BAD, 5); /* still one outage */
	rounds(m, 1, 1, GOOD, 2);
	e = find_event(EV_CLOSED, 0);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->index, 1);
	ck_assert_int_eq(e->start, down_at);
	ck_assert_int_eq(e->end, clk.wall);
	ck_assert_int_eq(e->end - e->start, 70); /* 5 + 2 rounds of 10 s */
	ck_assert_ptr_null(outage_current(&l->outages));

	rounds(m, 1, 1, BAD, 3);
	ck_assert_uint_eq(find_event(EV_OPENED, 1)->index, 2);
	ck_assert_uint_eq(count_events(EV_OPENED), 2);
	ck_assert_uint_eq(count_events(EV_CLOSED), 1);
	model_free(m);
}
END_TEST

/* An operator's cause and ticket go through the model: both or neither
 * change, a missing ticket keeps the current one, the listener hears each
 * change and nothing else. */
START_TEST(outage_annotate_through_model)
{
	struct model *m = load_model(" down-after = 1\n up-after = 1\n", OFFICE(1, 1, LINE(1, 1)));

	rounds(m, 1, 1, BAD, 1);
	const struct outage *o = outage_find(&model_find_line(m, 1, 1)->outages, 1);
	ck_assert_ptr_nonnull(o);
	size_t before = n_ev;
	ck_assert_ptr_null(model_outage_annotate(m, 1, 1, 1, OUTAGE_CAUSE_POWER_LOSS, "OMC-1"));
	ck_assert_int_eq(o->cause, OUTAGE_CAUSE_POWER_LOSS);
	ck_assert_str_eq(o->ticket, "OMC-1");
	ck_assert_uint_eq(n_ev, before + 1);
	const struct event *e = find_event(EV_ANNOTATED, 0);
	ck_assert_uint_eq(e->office, 1);
	ck_assert_uint_eq(e->line, 1);
	ck_assert_uint_eq(e->index, 1);

	ck_assert_ptr_null(model_outage_annotate(m, 1, 1, 1, OUTAGE_CAUSE_FIBER_CUT, NULL));
	ck_assert_int_eq(o->cause, OUTAGE_CAUSE_FIBER_CUT);
	ck_assert_str_eq(o->ticket, "OMC-1");

	before = n_ev;
	ck_assert_ptr_nonnull(model_outage_annotate(m, 1, 2, 1, OUTAGE_CAUSE_FIBER_CUT, NULL));
	ck_assert_ptr_nonnull(model_outage_annotate(m, 1, 1, 2, OUTAGE_CAUSE_FIBER_CUT, NULL));
	ck_assert_ptr_nonnull(model_outage_annotate(m, 1, 1, 1, 0, "x"));
	ck_assert_ptr_nonnull(model_outage_annotate(m, 1, 1, 1, OUTAGE_CAUSE_CPE_FAULT, "a\tb"));
	ck_assert_int_eq(o->cause, OUTAGE_CAUSE_FIBER_CUT);
	ck_assert_str_eq(o->ticket, "OMC-1");
	ck_assert_uint_eq(n_ev, before);
	model_free(m);
}
END_TEST

/* Two lines on separate paths required: one path lost raises, its return
 * clears; two lines on one path are one path. */
START_TEST(redundancy)
{
	struct model *m =
	    load_model(" down-after = 1\n up-after = 1\n",
	               OFFICE(1, 2, LINE(1, 1) LINE(2, 2)) OFFICE(2, 2, LINE(1, 5) LINE(2, 5)));

	rounds(m, 1, 1, GOOD, 1);
	rounds(m, 1, 2, GOOD, 1);
	/* Office 1 passed through one path up on its way: raised, then cleared. */
	ck_assert_int_eq(model_find_office(m, 1)->redundancy, 2);
	ck_assert_uint_eq(count_events(EV_COMPLIANT), count_events(EV_NONCOMPLIANT));
	n_ev = 0;
	round_of(m, 1, 2, BAD);
	const struct event *e = find_event(EV_NONCOMPLIANT, 0);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->office, 1);
	ck_assert_uint_eq(e->paths, 1);
	ck_assert_uint_eq(e->need, 2);
	ck_assert_int_eq(model_find_office(m, 1)->redundancy, 3);
	round_of(m, 1, 2, BAD); /* raised once */
	ck_assert_uint_eq(count_events(EV_NONCOMPLIANT), 1);
	round_of(m, 1, 2, GOOD);
	e = find_event(EV_COMPLIANT, 0);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->paths, 2);

	n_ev = 0;
	rounds(m, 2, 1, GOOD, 1);
	rounds(m, 2, 2, GOOD, 1);
	ck_assert_int_eq(model_find_office(m, 2)->status, OFFICE_UP);
	ck_assert_int_eq(model_find_office(m, 2)->redundancy, 3);
	ck_assert_uint_eq(model_find_office(m, 2)->paths_up, 1);
	ck_assert_uint_eq(count_events(EV_NONCOMPLIANT), 1);
	ck_assert_uint_eq(count_events(EV_COMPLIANT), 0);
	model_free(m);
}
END_TEST

/* The state of the old model, before the reload: line 1 down with an open
 * outage (its second), the office isolated. */
static struct model *model_before_reload(void)
{
	struct model *m = load_model(" down-after = 1\n up-after = 1\n", OFFICE(1, 1, LINE(1, 1)));

	rounds(m, 1, 1, BAD, 1);
	rounds(m, 1, 1, GOOD, 1);
	rounds(m, 1, 1, BAD, 1);
	ck_assert_int_eq(model_find_office(m, 1)->status, OFFICE_ISOLATED);
	return m;
}

static void check_adopted(struct model *m, time_t down_at)
{
	const struct line *l = model_find_line(m, 1, 1);

	ck_assert_int_eq(linestate_reported(&l->ls), LINE_DOWN);
	ck_assert_int_eq(l->last_change, down_at);
	ck_assert_uint_eq(l->outages.last_index, 2);
	ck_assert_int_eq(outage_current(&l->outages)->start, down_at);
	ck_assert_int_eq(model_find_office(m, 1)->status, OFFICE_ISOLATED);
	/* The line new in the config starts from nothing. */
	ck_assert_int_eq(line_status_of(m, 1, 2), LINE_UNKNOWN);
	ck_assert_ptr_nonnull(model_find_office(m, 2));
}

#define RELOADED OFFICE(1, 1, LINE(1, 1) LINE(2, 2)) OFFICE(2, 1, LINE(1, 1))

START_TEST(reload_prepare_adopt)
{
	struct model *old = model_before_reload();
	time_t down_at = clk.wall;

	clock_step(5);
	struct model *m =
	    model_prepare(load_config(" down-after = 1\n up-after = 1\n", RELOADED), clk.wall);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(line_status_of(m, 1, 1), LINE_UNKNOWN); /* nothing taken yet */
	size_t before = n_ev;
	model_adopt(m, old, clk.wall, clk.mono_ms);
	ck_assert_uint_eq(n_ev, before); /* a reload is no transition */
	model_free(old);
	check_adopted(m, down_at);

	/* The adopted outage closes in the new model, with its old start. */
	model_set_listener(m, &recorder);
	round_of(m, 1, 1, GOOD);
	const struct event *e = find_event(EV_CLOSED, 1);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->index, 2);
	ck_assert_int_eq(e->start, down_at);
	ck_assert_int_eq(e->end, clk.wall);
	model_free(m);
}
END_TEST

START_TEST(reload_create_with_old)
{
	struct model *old = model_before_reload();
	time_t down_at = clk.wall;

	clock_step(5);
	struct model *m = model_create(load_config(" down-after = 1\n up-after = 1\n", RELOADED),
	                               old, clk.wall, clk.mono_ms);
	ck_assert_ptr_nonnull(m);
	model_free(old);
	check_adopted(m, down_at);
	model_free(m);
}
END_TEST

/* An office whose lines are the same moves its line array to the new
 * model whole: the state comes along, the config is the new one, and the
 * old model keeps lines that read the old config, freed on their own. */
START_TEST(reload_moves_unchanged_lines)
{
	struct model *old = model_before_reload();
	time_t down_at = clk.wall;
	const struct line *prev = model_find_line(old, 1, 1);
	const struct line_cfg *old_cfg = prev->cfg;

	clock_step(5);
	struct tslcd_config *cfg = load_config(" down-after = 1\n up-after = 1\n",
	                                       OFFICE(1, 1, LINE(1, 1)) OFFICE(2, 1, LINE(1, 1)));
	struct model *m = model_create(cfg, old, clk.wall, clk.mono_ms);
	ck_assert_ptr_nonnull(m);
	const struct line *l = model_find_line(m, 1, 1);
	ck_assert_ptr_eq(l, prev); /* moved, not copied */
	ck_assert_ptr_eq(l->cfg, &cfg->offices[0].lines[0]);
	ck_assert_ptr_eq(l->office, model_find_office(m, 1));
	ck_assert(l->iv.cur.suspect & INTERVAL_CONFIG_RELOAD);
	const struct line *fresh = &model_find_office(old, 1)->lines[0];
	ck_assert_ptr_eq(fresh->cfg, old_cfg);
	ck_assert_ptr_eq(fresh->office, model_find_office(old, 1));
	ck_assert_uint_eq(fresh->outages.count, 0);
	model_free(old);
	ck_assert_int_eq(linestate_reported(&l->ls), LINE_DOWN);
	ck_assert_int_eq(l->last_change, down_at);
	ck_assert_uint_eq(l->outages.last_index, 2);
	ck_assert_int_eq(model_find_office(m, 1)->status, OFFICE_ISOLATED);

	model_set_listener(m, &recorder);
	round_of(m, 1, 1, GOOD);
	const struct event *e = find_event(EV_CLOSED, 1);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->index, 2);
	ck_assert_int_eq(e->start, down_at);
	model_free(m);
}
END_TEST

/* The evidence filed with an outage is the loss of the rounds that
 * declared the line down, with the threshold in force (a heightened
 * period's, when one tightens down-after), not the configured one. */
START_TEST(heightened_outage_evidence)
{
	struct model *m = load_model(" down-after = 4\n up-after = 1\n", OFFICE(1, 1, LINE(1, 1)));
	struct linestate_params tight = m->cfg->state;

	tight.down_after = 2; /* a heightened period's threshold */
	model_set_thresholds(m, &tight);
	rounds(m, 1, 1, GOOD, 10);
	rounds(m, 1, 1, BAD, 2);
	const struct line *l = model_find_line(m, 1, 1);
	ck_assert_int_eq(linestate_reported(&l->ls), LINE_DOWN);
	const struct outage *o = outage_find(&l->outages, 1);
	ck_assert_ptr_nonnull(o);
	/* The two rounds that declared it lost everything. */
	ck_assert_uint_eq(o->loss_ppm, 1000000u);
	model_free(m);
}
END_TEST

/* The newest round is the one just pushed, also once the ring wrapped;
 * none before the first. */
START_TEST(line_stats_newest_round)
{
	struct line_stats st = {0};
	ck_assert_ptr_null(line_stats_newest(&st));
	for (uint32_t i = 1; i <= LINE_STATS_ROUNDS + 3; i++) {
		struct probe_result r = {.sent = 3, .received = i % 2 ? 3 : 1, .rtt_avg_us = i};
		line_stats_push(&st, &r);
		const struct line_stats_round *n = line_stats_newest(&st);
		ck_assert_uint_eq(n->rtt_avg_us, i);
		ck_assert_uint_eq(n->received, r.received);
	}
}
END_TEST

/* The model marks intervals: agentStart at start, masterUnreachable while
 * the master is away, clockStep when the wall clock steps 10 s or more
 * against the monotonic one (a 9 s skew is not a step); the line's RTT
 * percentiles come from the window. */
START_TEST(interval_suspect_marks)
{
	struct model *m = load_model(" down-after = 4\n up-after = 1\n", OFFICE(1, 1, LINE(1, 1)));
	struct line *l = model_find_line(m, 1, 1);
	uint32_t p50, p99;

	ck_assert_uint_eq(l->iv.cur.suspect, INTERVAL_AGENT_START);
	round_of(m, 1, 1, GOOD); /* at T0 + 10 */
	ck_assert(line_stats_rtt_pct(&l->stats, 50, &p50));
	ck_assert(line_stats_rtt_pct(&l->stats, 99, &p99));
	ck_assert_uint_ge(p50, 900);
	ck_assert_uint_le(p99, 1100);
	model_tick(m, T0 + 905, (905u + 1u) * 1000u); /* the next interval: clean */
	ck_assert_uint_eq(l->iv.cur.suspect, 0);
	model_set_master_reachable(m, false);
	ck_assert_uint_eq(l->iv.cur.suspect, INTERVAL_MASTER_DOWN);
	model_tick(m, T0 + 1805, (1805u + 1u) * 1000u); /* still away: marked again */
	ck_assert_uint_eq(l->iv.cur.suspect, INTERVAL_MASTER_DOWN);
	model_set_master_reachable(m, true);
	model_tick(m, T0 + 2705, (2705u + 1u) * 1000u);
	ck_assert_uint_eq(l->iv.cur.suspect, 0);
	model_tick(m, T0 + 2724, (2715u + 1u) * 1000u); /* 9 s ahead of monotonic */
	ck_assert_uint_eq(l->iv.cur.suspect, 0);
	model_tick(m, T0 + 2746, (2726u + 1u) * 1000u); /* then 11 s: a step */
	ck_assert_uint_eq(l->iv.cur.suspect, INTERVAL_CLOCK_STEP);
	ck_assert_uint_eq(interval_get(&l->iv, 1, NULL)->suspect, INTERVAL_MASTER_DOWN);
	model_free(m);
}
END_TEST

#define NODE1 "node { id = 1 name = \"PoP\" carrier = vnpt targets = {\"127.0.0.9\"} }\n"
#define VIA_OFFICE(id)                                                                             \
	"office {\n id = " #id " code = \"O" #id "\" name = \"O" #id "\" level = province\n"       \
	" via = 1\n" LINE(1, 1) "}\n"

/* A node counts what sits behind it through its child nodes too, and an
 * office with several lines behind it counts once. */
START_TEST(node_counts_behind)
{
	struct model *m = load_model(
	    "", NODE1
	    "node { id = 2 name = \"Sub\" targets = {\"127.0.0.10\"} parent = 1 }\n"
	    "office {\n id = 1 code = \"O1\" name = \"O1\" level = province\n via = 2\n" LINE(1, 1)
	        LINE(2, 2) "}\n"
	                   "office {\n id = 2 code = \"O2\" name = \"O2\" level = province\n via = "
	                   "1\n" LINE(
	                       1,
	                       1) " line { id = 2 carrier = vnpt bandwidth = 100 path = 2 target = "
	                          "\"127.0.0.1\" via = 0 }\n}\n");
	const struct node *root = model_find_node(m, 1), *sub = model_find_node(m, 2);

	ck_assert_uint_eq(sub->offices_behind, 1);
	ck_assert_uint_eq(sub->lines_behind, 2);
	ck_assert_uint_eq(root->offices_behind, 2);
	ck_assert_uint_eq(root->lines_behind, 3);
	model_free(m);
}
END_TEST

/* Lines that fail with their node wait for its verdict, then are
 * unreachable (never down), with outages of cause upstream.  When the
 * node is back, a line that came back with it goes up, and one still
 * failing becomes down once its grace of up-after + 1 rounds is over. */
START_TEST(node_cut_unreachable)
{
	struct model *m =
	    load_model(" down-after = 3\n up-after = 2\n", NODE1 VIA_OFFICE(1) VIA_OFFICE(2));

	for (int i = 0; i < 2; i++) {
		round_of(m, 1, 1, GOOD);
		round_of(m, 2, 1, GOOD);
		target_round(m, 1, GOOD);
	}
	ck_assert_int_eq(model_find_node(m, 1)->status, NODE_UP);
	ck_assert_uint_eq(count_events(EV_NODE), 1); /* heard at once: a restored nodeDown clears */
	ck_assert_uint_eq(model_find_node(m, 1)->offices_behind, 2);
	for (int i = 0; i < 3; i++) {
		round_of(m, 1, 1, BAD);
		round_of(m, 2, 1, BAD);
		ck_assert_int_eq(line_status_of(m, 1, 1), LINE_UP); /* waits for the node */
		target_round(m, 1, BAD);
	}
	const struct node *n = model_find_node(m, 1);
	ck_assert_int_eq(n->status, NODE_DOWN);
	ck_assert_int_eq(line_status_of(m, 1, 1), LINE_UNREACHABLE);
	ck_assert_int_eq(line_status_of(m, 2, 1), LINE_UNREACHABLE);
	ck_assert_int_eq(model_find_office(m, 1)->status, OFFICE_UNREACHABLE);
	ck_assert(!any_line_event_to(LINE_DOWN));
	ck_assert_uint_eq(count_events(EV_NODE), 2); /* unknown -> up -> down */
	ck_assert_uint_eq(find_event(EV_NODE, 1)->paths, 2);
	const struct outage *o = outage_current(&model_find_line(m, 2, 1)->outages);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(o->cause, OUTAGE_CAUSE_UPSTREAM);
	ck_assert_uint_eq(o->node, 1);
	/* The node comes back with office 1; office 2 stays cut. */
	for (int i = 0; i < 2; i++) {
		target_round(m, 1, GOOD);
		round_of(m, 1, 1, GOOD);
		round_of(m, 2, 1, BAD);
	}
	ck_assert_int_eq(n->status, NODE_UP);
	ck_assert_int_eq(line_status_of(m, 1, 1), LINE_UP);
	ck_assert_int_eq(line_status_of(m, 2, 1), LINE_UNREACHABLE); /* its grace */
	rounds(m, 2, 1, BAD, 2);
	ck_assert_int_eq(line_status_of(m, 2, 1), LINE_DOWN);
	ck_assert_int_eq(model_find_office(m, 2)->status, OFFICE_ISOLATED);
	model_free(m);
}
END_TEST

/* A reload keeps a node that is down and its unreachable lines; one that
 * drops the node makes the line's failure its own. */
START_TEST(node_reload)
{
	const char *probe = " down-after = 3\n up-after = 2\n";
	struct model *m = load_model(probe, NODE1 VIA_OFFICE(1));

	for (int i = 0; i < 3; i++) {
		round_of(m, 1, 1, BAD);
		target_round(m, 1, BAD);
	}
	ck_assert_int_eq(line_status_of(m, 1, 1), LINE_UNREACHABLE);
	struct model *kept =
	    model_create(load_config(probe, NODE1 VIA_OFFICE(1)), m, clk.wall, clk.mono_ms);
	ck_assert_ptr_nonnull(kept);
	model_free(m);
	ck_assert_int_eq(model_find_node(kept, 1)->status, NODE_DOWN);
	ck_assert_int_eq(line_status_of(kept, 1, 1), LINE_UNREACHABLE);
	ck_assert_int_eq(model_find_office(kept, 1)->status, OFFICE_UNREACHABLE);
	struct model *gone =
	    model_create(load_config(probe, OFFICE(1, 1, LINE(1, 1))), kept, clk.wall, clk.mono_ms);
	ck_assert_ptr_nonnull(gone);
	model_free(kept);
	ck_assert_int_eq(line_status_of(gone, 1, 1), LINE_DOWN);
	ck_assert_int_eq(model_find_office(gone, 1)->status, OFFICE_ISOLATED);
	model_free(gone);
}
END_TEST

/* Every reference fails: line rounds are not judged (no line ever goes
 * down), the time counts as unknown, and lines resume silently. */
START_TEST(selfcheck_impaired)
{
	struct model *m =
	    load_model(" down-after = 3\n up-after = 2\n",
	               "self-check { targets = {\"127.0.0.8\"} }\n" OFFICE(1, 1, LINE(1, 1)));
	struct avail_figures f;

	for (int i = 0; i < 2; i++) {
		round_of(m, 1, 1, GOOD);
		target_round(m, 0, GOOD);
	}
	ck_assert_int_eq(m->mon.state, MONITORING_OK);
	size_t before = n_ev;
	for (int i = 0; i < 8; i++) {
		round_of(m, 1, 1, BAD);
		target_round(m, 0, BAD);
	}
	ck_assert_int_eq(m->mon.state, MONITORING_IMPAIRED);
	ck_assert_int_eq(line_status_of(m, 1, 1), LINE_UP);
	for (int i = 0; i < 2; i++) {
		target_round(m, 0, GOOD);
		round_of(m, 1, 1, GOOD);
	}
	ck_assert_int_eq(m->mon.state, MONITORING_OK);
	ck_assert_uint_eq(n_ev - before, 2);         /* impaired, restored: nothing else */
	ck_assert_uint_eq(count_events(EV_LINE), 1); /* unknown -> up at the start */
	model_tick(m, clk.wall, clk.mono_ms);
	ck_assert(avail_window(&model_find_line(m, 1, 1)->av, AVAIL_24H, clk.wall, &f));
	ck_assert_uint_eq(f.down_s, 0);
	ck_assert_uint_ge(f.window_s - f.up_s - f.maint_s, 50);
	model_free(m);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("transitions");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, line_hysteresis);
	tcase_add_test(tc, office_aggregation);
	tcase_add_test(tc, outage_times);
	tcase_add_test(tc, outage_annotate_through_model);
	tcase_add_test(tc, redundancy);
	tcase_add_test(tc, reload_prepare_adopt);
	tcase_add_test(tc, reload_create_with_old);
	tcase_add_test(tc, reload_moves_unchanged_lines);
	tcase_add_test(tc, heightened_outage_evidence);
	tcase_add_test(tc, line_stats_newest_round);
	tcase_add_test(tc, interval_suspect_marks);
	tcase_add_test(tc, node_counts_behind);
	tcase_add_test(tc, node_cut_unreachable);
	tcase_add_test(tc, selfcheck_impaired);
	tcase_add_test(tc, node_reload);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
