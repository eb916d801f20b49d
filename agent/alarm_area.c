/*
 * alarm_area: the area-outage rule; see alarm_area.h.
 */
#include "alarm_area.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alarm_rules.h"

struct area {
	const struct group_cfg *g;
	time_t *since; /* by position in g->offices: isolated since, 0 = not */
	bool active;
};

static struct {
	const struct model *m;
	struct area *areas;
	size_t n;
	time_t judge_from; /* restored alarms are judged from here on */
} A;

static const struct area_cfg *rule(void)
{
	return &A.m->cfg->area;
}

static unsigned isolated(const struct area *a, time_t since_at_least)
{
	unsigned n = 0;
	for (size_t i = 0; i < a->g->n_offices; i++)
		n += a->since[i] != 0 && a->since[i] >= since_at_least;
	return n;
}

static size_t office_pos(const struct group_cfg *g, uint32_t office)
{
	size_t lo = 0, hi = g->n_offices;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (g->offices[mid] < office)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The cause recorded most often on the group's open outages; unknown if
 * none is (operators annotate with tslcdctl as they learn it). */
static uint8_t dominant_cause(const struct area *a)
{
	unsigned votes[OUTAGE_CAUSE_UPSTREAM + 1] = {0};
	uint8_t best = OUTAGE_CAUSE_UNKNOWN;

	for (size_t i = 0; i < a->g->n_offices; i++) {
		const struct office *o =
		    a->since[i] ? model_find_office(A.m, a->g->offices[i]) : NULL;
		for (size_t j = 0; o && j < o->n_lines; j++) {
			const struct outage *out = outage_current(&o->lines[j].outages);
			if (out && out->cause > OUTAGE_CAUSE_UNKNOWN &&
			    out->cause <= OUTAGE_CAUSE_UPSTREAM)
				votes[out->cause]++;
		}
	}
	for (unsigned c = OUTAGE_CAUSE_UNKNOWN + 1; c <= OUTAGE_CAUSE_UPSTREAM; c++)
		if (votes[c] > votes[best])
			best = (uint8_t)c;
	return best;
}

static void decide(struct area *a, bool raise)
{
	unsigned down = isolated(a, 1), total = (unsigned)a->g->n_offices;
	struct alarm_extra x = {.outage_cause = dominant_cause(a)};
	char text[256];

	if (raise)
		snprintf(text, sizeof(text),
		         "Area outage in %s %s: %u of %u offices isolated within %u s (cause: %s)",
		         config_group_kind_name(a->g->kind), a->g->name, down, total,
		         rule()->window_s, outage_cause_name(x.outage_cause));
	else
		snprintf(text, sizeof(text),
		         "Area outage in %s %s is over: %u of %u offices isolated",
		         config_group_kind_name(a->g->kind), a->g->name, down, total);
	a->active = raise;
	alarm_rules_decide(raise, ALARM_AREA_OUTAGE, (uint32_t)(a - A.areas) + 1, 0, down,
	                   raise ? rule()->min_offices : rule()->clear_below, text, &x);
}

/* The offices the alarm covered and that are still isolated wait a hold
 * of their own before they are announced: most come back with the rest. */
static void release(struct area *a)
{
	for (size_t i = 0; i < a->g->n_offices; i++) {
		const struct office *o =
		    a->since[i] ? model_find_office(A.m, a->g->offices[i]) : NULL;
		if (o)
			alarm_rules_office_again(o);
	}
}

static void judge(struct area *a, time_t now)
{
	unsigned recent = isolated(a, now - (time_t)rule()->window_s);
	unsigned down = isolated(a, 1);

	if (!a->active && recent >= rule()->min_offices) {
		decide(a, true);
	} else if (down < rule()->clear_below && (a->active || now >= A.judge_from)) {
		bool was = a->active;
		decide(a, false); /* a no-op for the notifier when not active */
		if (was)
			release(a);
	}
}

void alarm_area_office_changed(const struct office *o, enum office_status old, time_t now)
{
	bool now_isolated = o->status == OFFICE_ISOLATED;

	if (!A.m || now_isolated == (old == OFFICE_ISOLATED))
		return;
	for (size_t k = 0; k < o->cfg->n_groups; k++) {
		if (o->cfg->groups[k] >= A.n)
			continue;
		struct area *a = &A.areas[o->cfg->groups[k]];
		size_t pos = office_pos(a->g, o->cfg->id);
		if (pos >= a->g->n_offices || a->g->offices[pos] != o->cfg->id)
			continue;
		a->since[pos] = now_isolated ? (now > 0 ? now : 1) : 0;
		judge(a, now);
	}
}

void alarm_area_tick(time_t now)
{
	for (size_t k = 0; A.m && rule()->min_offices && k < A.n; k++)
		judge(&A.areas[k], now);
}

bool alarm_area_covers(uint32_t office)
{
	const struct office *o = A.m ? model_find_office(A.m, office) : NULL;

	for (size_t k = 0; o && k < o->cfg->n_groups; k++)
		if (o->cfg->groups[k] < A.n && A.areas[o->cfg->groups[k]].active)
			return true;
	return false;
}

unsigned alarm_area_hold(uint32_t office)
{
	const struct office *o = A.m ? model_find_office(A.m, office) : NULL;

	return o && o->cfg->n_groups && rule()->min_offices ? rule()->hold_s : 0;
}

bool alarm_area_counts(uint32_t g, unsigned *down, unsigned *total, bool *active)
{
	if (g < 1 || g > A.n)
		return false;
	*down = isolated(&A.areas[g - 1], 1);
	*total = (unsigned)A.areas[g - 1].g->n_offices;
	*active = A.areas[g - 1].active;
	return true;
}

/* ---- binding ---- */

static const struct area *find_old(const struct area *old, size_t n, const struct group_cfg *g)
{
	for (size_t k = 0; k < n; k++)
		if (old[k].g->kind == g->kind && !strcmp(old[k].g->name, g->name))
			return &old[k];
	return NULL;
}

/* A surviving group keeps its alarm and the isolation times of offices
 * that are still members. */
static void carry_over(struct area *a, const struct area *prev)
{
	a->active = prev->active;
	for (size_t i = 0; i < prev->g->n_offices; i++) {
		size_t pos = office_pos(a->g, prev->g->offices[i]);
		if (pos < a->g->n_offices && a->g->offices[pos] == prev->g->offices[i])
			a->since[pos] = prev->since[i];
	}
}

static void areas_free(struct area *v, size_t n)
{
	for (size_t k = 0; k < n; k++)
		free(v[k].since);
	free(v);
}

void alarm_area_bind(const struct model *m, time_t now)
{
	const struct tslcd_config *cfg = m->cfg;
	struct area *v = calloc(cfg->n_groups ? cfg->n_groups : 1, sizeof(*v));
	size_t k;

	for (k = 0; v && k < cfg->n_groups; k++) {
		v[k].g = &cfg->groups[k];
		v[k].since = calloc(v[k].g->n_offices ? v[k].g->n_offices : 1, sizeof(time_t));
		if (!v[k].since)
			break;
		const struct area *prev = A.m ? find_old(A.areas, A.n, v[k].g) : NULL;
		if (prev)
			carry_over(&v[k], prev);
	}
	if (!v || k < cfg->n_groups) {
		areas_free(v, v ? k + 1 : 0);
		v = NULL;
		k = 0; /* out of memory: no area alarms until the next reload */
	}
	if (!A.m) /* first bind: alarms restored from the state file wait for the window */
		A.judge_from = now + (time_t)cfg->area.window_s + (time_t)cfg->area.hold_s;
	areas_free(A.areas, A.n);
	A.areas = v;
	A.n = k;
	A.m = m;
}

void alarm_area_free(void)
{
	areas_free(A.areas, A.n);
	memset(&A, 0, sizeof(A));
}
