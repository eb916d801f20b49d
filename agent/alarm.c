/*
 * alarm: alarm set, alarm types and severities.  See alarm.h.
 */
#include "grow.h"
#include "alarm.h"

#include <stdlib.h>
#include <string.h>

/* ---- types and severities ---- */

static const char *const type_names[ALARM_TYPE_MAX + 1] = {
    NULL,
    "lineDown",
    "officeIsolated",
    "lineDegraded",
    "utilisationHigh",
    "availabilityLow",
    "readinessNotReady",
    "reportStale",
    "certExpiring",
    "redundancyNonCompliant",
    "lineFlapping",
    "nodeDown",
    "monitoringImpaired",
    "areaOutage",
};

const char *alarm_type_name(unsigned type)
{
	return type <= ALARM_TYPE_MAX ? type_names[type] : NULL;
}

unsigned alarm_type_from_name(const char *name)
{
	for (unsigned t = 1; t <= ALARM_TYPE_MAX; t++)
		if (!strcmp(type_names[t], name))
			return t;
	return 0;
}

bool alarm_type_is_line(unsigned type)
{
	return type == ALARM_LINE_DOWN || type == ALARM_LINE_DEGRADED ||
	       type == ALARM_UTILISATION_HIGH || type == ALARM_LINE_FLAPPING;
}

enum severity alarm_severity_raised(enum severity s)
{
	return s > SEV_CRITICAL ? (enum severity)(s - 1) : s;
}

/* ---- the set ---- */

int alarm_key_cmp(const struct alarm_key *a, const struct alarm_key *b)
{
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if (a->office != b->office)
		return a->office < b->office ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return 0;
}

void alarm_set_init(struct alarm_set *s)
{
	memset(s, 0, sizeof(*s));
}

void alarm_set_free(struct alarm_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* Position of k, or where it would be inserted (*found says which). */
static size_t position(const struct alarm_set *s, const struct alarm_key *k, bool *found)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = alarm_key_cmp(&s->v[mid]->key, k);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

struct alarm *alarm_find(const struct alarm_set *s, const struct alarm_key *k)
{
	bool found;
	size_t i = position(s, k, &found);
	return found ? s->v[i] : NULL;
}

static bool grow(struct alarm_set *s)
{
	struct alarm **v = grow_array(s->v, &s->cap, s->n + 1, sizeof(*v), 16);

	if (!v)
		return false;
	s->v = v;
	return true;
}

struct alarm *alarm_add(struct alarm_set *s, const struct alarm_key *k)
{
	bool found;
	size_t i = position(s, k, &found);

	if (found || !grow(s))
		return NULL;
	struct alarm *a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->key = *k;
	/* Ids wrap past 2^32 - 1 to 1; an agent raising that many is rare,
	 * and a clash would need an alarm to live through all of them. */
	a->id = ++s->last_id ? s->last_id : (s->last_id = 1);
	memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof(*s->v));
	s->v[i] = a;
	s->n++;
	return a;
}

struct alarm *alarm_detach(struct alarm_set *s, const struct alarm_key *k)
{
	bool found;
	size_t i = position(s, k, &found);

	if (!found)
		return NULL;
	struct alarm *a = s->v[i];
	memmove(&s->v[i], &s->v[i + 1], (s->n - i - 1) * sizeof(*s->v));
	s->n--;
	return a;
}
