/* dayacct: totals per local calendar day (see dayacct.h). */
#include "dayacct.h"

#include <string.h>

#define DAY_S 86400

_Static_assert(sizeof(struct day_acct) <= 160, "saved per line: keep it compact");

int32_t dayacct_local_day(time_t t)
{
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return 0;
	/* The local calendar date, counted as if it were UTC. */
	struct tm d = {.tm_year = tm.tm_year, .tm_mon = tm.tm_mon, .tm_mday = tm.tm_mday};
	return (int32_t)(timegm(&d) / DAY_S);
}

void dayacct_bounds(int32_t day, time_t *start, time_t *end)
{
	time_t t = (time_t)day * DAY_S;
	struct tm tm;

	gmtime_r(&t, &tm);
	struct tm a = {
	    .tm_year = tm.tm_year, .tm_mon = tm.tm_mon, .tm_mday = tm.tm_mday, .tm_isdst = -1};
	struct tm b = {
	    .tm_year = tm.tm_year, .tm_mon = tm.tm_mon, .tm_mday = tm.tm_mday + 1, .tm_isdst = -1};
	*start = mktime(&a);
	*end = mktime(&b);
}

/* Every line asks for the day of the same few instants each tick: keep
 * the last day's bounds (loop thread only). */
static struct {
	int32_t day;
	time_t start, end;
} cache;

void dayacct_zone_changed(void)
{
	memset(&cache, 0, sizeof(cache));
}

static int32_t day_of(time_t t, time_t *end)
{
	if (!(cache.start <= t && t < cache.end)) {
		cache.day = dayacct_local_day(t);
		dayacct_bounds(cache.day, &cache.start, &cache.end);
		if (!(cache.start <= t && t < cache.end)) { /* mktime failed: one-second bucket */
			cache.start = t;
			cache.end = t + 1;
		}
	}
	*end = cache.end;
	return cache.day;
}

/* The totals of day, rolling cur into prev when day is newer; NULL for
 * days older than prev (the past is not rewritten). */
static struct day_totals *touch(struct day_acct *a, int32_t day)
{
	if (day > a->cur.day) {
		if (a->cur.day && day == a->cur.day + 1)
			a->prev = a->cur;
		else
			memset(&a->prev, 0, sizeof(a->prev));
		memset(&a->cur, 0, sizeof(a->cur));
		a->cur.day = day;
	}
	if (day == a->cur.day)
		return &a->cur;
	return day == a->prev.day && day ? &a->prev : NULL;
}

static void add_secs(struct day_totals *t, enum day_state s, uint32_t secs)
{
	uint32_t *f[] = {[DAY_UP] = &t->up_s,
	                 [DAY_DEGRADED] = &t->degraded_s,
	                 [DAY_DOWN] = &t->down_s,
	                 [DAY_MAINT] = &t->maint_s};
	uint32_t used = t->up_s + t->degraded_s + t->down_s + t->maint_s;

	/* A day never holds more seconds than it has (25 h at most). */
	if (used + secs > DAY_S + 3600)
		secs = used > DAY_S + 3600 ? 0 : DAY_S + 3600 - used;
	*f[s] += secs;
}

void dayacct_time(struct day_acct *a, enum day_state s, time_t from, time_t to)
{
	if (s == DAY_UNKNOWN)
		return;
	while (from < to) {
		time_t end;
		int32_t day = day_of(from, &end);
		struct day_totals *t = touch(a, day);

		end = end < to ? end : to;
		if (t)
			add_secs(t, s, (uint32_t)(end - from));
		from = end;
	}
}

void dayacct_round(struct day_acct *a, time_t now, unsigned attempts, unsigned answers,
                   uint32_t rtt_avg_us, uint32_t rtt_max_us)
{
	time_t end;
	struct day_totals *t = touch(a, day_of(now, &end));

	if (!t)
		return;
	t->attempts += attempts;
	t->answers += answers;
	if (answers) {
		t->rtt_sum_us += (uint64_t)rtt_avg_us * answers;
		t->rtt_max_us = rtt_max_us > t->rtt_max_us ? rtt_max_us : t->rtt_max_us;
	}
}

void dayacct_traffic(struct day_acct *a, time_t now, const uint64_t octets[2], uint64_t cs,
                     const uint64_t bps[2])
{
	time_t end;
	struct day_totals *t = touch(a, day_of(now, &end));

	if (!t)
		return;
	t->poll_cs += cs;
	for (int d = 0; d < 2; d++) {
		t->octets[d] += octets[d];
		t->peak_bps[d] = bps[d] > t->peak_bps[d] ? bps[d] : t->peak_bps[d];
	}
}

const struct day_totals *dayacct_get(const struct day_acct *a, int32_t day)
{
	if (day && day == a->cur.day)
		return &a->cur;
	return day && day == a->prev.day ? &a->prev : NULL;
}

uint32_t dayacct_unknown_s(const struct day_totals *t, time_t now)
{
	time_t start, end;
	uint64_t known = (uint64_t)t->up_s + t->degraded_s + t->down_s + t->maint_s;

	dayacct_bounds(t->day, &start, &end);
	end = now < end ? now : end;
	return end - start > (time_t)known ? (uint32_t)(end - start - (time_t)known) : 0;
}
