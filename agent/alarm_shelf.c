/*
 * alarm_shelf: operator texts, end times and shelves.  See alarm_shelf.h.
 */
#include "grow.h"
#include "alarm_shelf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numarg.h"
#include "textcheck.h"

const char *alarm_shelf_text_problem(const char *text, size_t max)
{
	if (strlen(text) > max)
		return "is too long";
	return textcheck_problem(text, TEXT_UTF8);
}

static const char *parse_relative(const char *text, time_t now, int64_t *until)
{
	static const struct {
		char unit;
		long s;
	} units[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}};
	char num[16];
	size_t len = strlen(text);
	uint32_t n;

	if (len < 3 || len - 2 >= sizeof(num))
		return "is not +N followed by s, m, h or d";
	memcpy(num, text + 1, len - 2);
	num[len - 2] = '\0';
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (text[len - 1] != units[i].unit)
			continue;
		if (!numarg_u32(num, 1, UINT32_MAX, &n) ||
		    (int64_t)n * units[i].s > ALARM_SHELF_MAX_S)
			return "is not a whole number of seconds, minutes, hours or days up to 31 "
			       "days";
		*until = (int64_t)now + (int64_t)n * units[i].s;
		return NULL;
	}
	return "is not +N followed by s, m, h or d";
}

const char *alarm_shelf_parse_until(const char *text, time_t now, int64_t *until)
{
	struct tm tm = {0};
	int64_t t;

	if (text[0] == '+')
		return parse_relative(text, now, until);
	const char *end = strptime(text, "%Y-%m-%dT%H:%M", &tm);
	if (!end || *end)
		return "is not a local time YYYY-MM-DDTHH:MM or +N[smhd]";
	tm.tm_isdst = -1;
	t = (int64_t)mktime(&tm);
	if (t <= (int64_t)now)
		return "is in the past";
	if (t - (int64_t)now > ALARM_SHELF_MAX_S)
		return "is more than 31 days ahead";
	*until = t;
	return NULL;
}

/* Alarms whose office field is an office id. */
static bool about_office(uint32_t type)
{
	return type != ALARM_NODE_DOWN && type != ALARM_MONITORING_IMPAIRED &&
	       type != ALARM_AREA_OUTAGE;
}

bool alarm_shelf_covers(const struct shelf *sh, const struct alarm_key *k)
{
	switch (sh->kind) {
	case SHELF_KEY:
		return !alarm_key_cmp(&sh->key, k);
	case SHELF_LINE:
		return alarm_type_is_line(k->type) && k->office == sh->key.office &&
		       k->line == sh->key.line;
	case SHELF_OFFICE:
		return about_office(k->type) && k->office == sh->key.office;
	default:
		return false;
	}
}

const struct shelf *alarm_shelf_find(const struct alarm_shelves *s, const struct alarm_key *k,
                                     int64_t now)
{
	const struct shelf *best = NULL;

	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].until > now && alarm_shelf_covers(&s->v[i], k) &&
		    (!best || s->v[i].until > best->until))
			best = &s->v[i];
	return best;
}

static bool same_target(const struct shelf *a, const struct shelf *b)
{
	return a->kind == b->kind && !alarm_key_cmp(&a->key, &b->key);
}

bool alarm_shelf_put(struct alarm_shelves *s, const struct shelf *sh)
{
	for (size_t i = 0; i < s->n; i++) {
		if (same_target(&s->v[i], sh)) {
			s->v[i] = *sh;
			return true;
		}
	}
	if (s->n == ALARM_SHELVES_MAX)
		return false;
	struct shelf *v = grow_array(s->v, &s->cap, s->n + 1, sizeof(*v), 8);

	if (!v)
		return false;
	s->v = v;
	s->v[s->n++] = *sh;
	return true;
}

static void remove_at(struct alarm_shelves *s, size_t i, struct shelf *out)
{
	if (out)
		*out = s->v[i];
	s->v[i] = s->v[--s->n];
}

bool alarm_shelf_remove(struct alarm_shelves *s, const struct shelf *sh, struct shelf *removed)
{
	for (size_t i = 0; i < s->n; i++) {
		if (same_target(&s->v[i], sh)) {
			remove_at(s, i, removed);
			return true;
		}
	}
	return false;
}

bool alarm_shelf_take_ended(struct alarm_shelves *s, int64_t now, struct shelf *out)
{
	for (size_t i = 0; i < s->n; i++) {
		if (s->v[i].until <= now) {
			remove_at(s, i, out);
			return true;
		}
	}
	return false;
}

void alarm_shelf_free(struct alarm_shelves *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}
