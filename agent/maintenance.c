/* maintenance: planned-work windows (see maintenance.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "maintenance.h"

#define MAX_FIELDS 4
/* Overlapping windows can put many boundaries before a real flip. */
#define MAX_BOUNDARY_HOPS 64

struct field {
	const char *s;
	size_t len;
};

static const char *const day_names[7] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

static bool fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return false;
}

/* Whitespace-separated fields; -1 when there are more than max. */
static int split_fields(const char *s, struct field *f, int max)
{
	int n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			return n;
		if (n == max)
			return -1;
		f[n].s = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		f[n].len = (size_t)(s - f[n].s);
		n++;
	}
}

static bool field_is(const struct field *f, const char *word)
{
	return f->len == strlen(word) && strncasecmp(f->s, word, f->len) == 0;
}

/* Exactly n decimal digits (no sign, no spaces, unlike sscanf). */
static bool digits(const char *s, int n, int *val)
{
	*val = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*val = *val * 10 + (s[i] - '0');
	}
	return true;
}

/* "HH:MM" to minutes after midnight; 24:00 only when allow_24. */
static bool parse_hhmm(const char *s, bool allow_24, uint16_t *min)
{
	int h, m;

	if (!digits(s, 2, &h) || s[2] != ':' || !digits(s + 3, 2, &m) || m > 59)
		return false;
	if (h > 24 || (h == 24 && (m != 0 || !allow_24)))
		return false;
	*min = (uint16_t)(h * 60 + m);
	return true;
}

static bool parse_time_range(const struct field *f, struct maint_window *w, char *err,
                             size_t errlen)
{
	if (f->len != 11 || f->s[5] != '-' || !parse_hhmm(f->s, false, &w->start_min) ||
	    !parse_hhmm(f->s + 6, true, &w->end_min))
		return fail(err, errlen,
		            "bad time range '%.*s' (expected HH:MM-HH:MM, 00:00..24:00)",
		            (int)f->len, f->s);
	if (w->start_min == w->end_min)
		return fail(err, errlen,
		            "time range '%.*s' is empty (use 00:00-24:00 for a whole day)",
		            (int)f->len, f->s);
	return true;
}

static int day_index(const char *s, size_t len)
{
	if (len != 3)
		return -1;
	for (int d = 0; d < 7; d++) {
		if (strncasecmp(s, day_names[d], 3) == 0)
			return d;
	}
	return -1;
}

/* "SAT,SUN", "MON-FRI", "FRI-MON" (ranges run forward through the week). */
static bool parse_days(const struct field *f, uint8_t *days, char *err, size_t errlen)
{
	const char *s = f->s, *end = f->s + f->len;

	*days = 0;
	while (s < end) {
		const char *comma = memchr(s, ',', (size_t)(end - s));
		size_t len = (size_t)((comma ? comma : end) - s);
		int a = day_index(s, len < 3 ? len : 3), b = a;

		if (len == 7 && s[3] == '-')
			b = day_index(s + 4, 3);
		else if (len != 3)
			a = -1;
		if (a < 0 || b < 0)
			return fail(err, errlen,
			            "bad day '%.*s' (expected MON..SUN, lists or ranges)", (int)len,
			            s);
		for (int d = a;; d = (d + 1) % 7) {
			*days |= (uint8_t)(1u << d);
			if (d == b)
				break;
		}
		s += len + (comma ? 1 : 0);
		if (comma && s == end)
			return fail(err, errlen, "day list '%.*s' ends with a comma", (int)f->len,
			            f->s);
	}
	return true;
}

static bool leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && leap_year(y) ? 29 : len[m - 1];
}

/* "YYYY-MM-DDTHH:MM", local time. */
static bool parse_datetime(const struct field *f, int64_t *out, char *err, size_t errlen)
{
	const char *s = f->s;
	int y, mo, d;
	uint16_t min;
	struct tm tm = {.tm_isdst = -1};
	time_t t;

	if (f->len != 16 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
	    s[7] != '-' || !digits(s + 8, 2, &d) || s[10] != 'T' ||
	    !parse_hhmm(s + 11, false, &min))
		return fail(err, errlen, "bad date-time '%.*s' (expected YYYY-MM-DDTHH:MM)",
		            (int)f->len, s);
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return fail(err, errlen, "no such date '%.*s'", (int)f->len, s);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = min / 60;
	tm.tm_min = min % 60;
	t = mktime(&tm);
	if (t == (time_t)-1)
		return fail(err, errlen, "date-time '%.*s' out of range", (int)f->len, s);
	*out = t;
	return true;
}

static bool parse_once(const struct field *f, int n, struct maint_window *w, char *err,
                       size_t errlen)
{
	if (n != 3)
		return fail(err, errlen, "'once' needs a start and an end date-time");
	if (!parse_datetime(&f[1], &w->start, err, errlen) ||
	    !parse_datetime(&f[2], &w->end, err, errlen))
		return false;
	if (w->end <= w->start)
		return fail(err, errlen, "end '%.*s' is not after start '%.*s'", (int)f[2].len,
		            f[2].s, (int)f[1].len, f[1].s);
	w->kind = MAINT_ONCE;
	return true;
}

bool maint_parse(const char *spec, struct maint_window *out, char *err, size_t errlen)
{
	struct field f[MAX_FIELDS];
	struct maint_window w = {.kind = MAINT_RECURRING, .days = MAINT_ALL_DAYS};
	int n = split_fields(spec, f, MAX_FIELDS);

	if (n < 0)
		return fail(err, errlen, "too many fields in '%s'", spec);
	if (n == 0)
		return fail(err, errlen, "empty maintenance window");
	if (field_is(&f[0], "once")) {
		if (!parse_once(f, n, &w, err, errlen))
			return false;
	} else if (field_is(&f[0], "weekly")) {
		if (n != 3)
			return fail(err, errlen,
			            "'weekly' needs days and a time range, e.g. "
			            "'weekly SUN 01:00-03:30'");
		if (!parse_days(&f[1], &w.days, err, errlen) ||
		    !parse_time_range(&f[2], &w, err, errlen))
			return false;
	} else if (field_is(&f[0], "daily")) {
		if (n != 2)
			return fail(err, errlen,
			            "'daily' needs one time range, e.g. "
			            "'daily 23:00-01:00'");
		if (!parse_time_range(&f[1], &w, err, errlen))
			return false;
	} else {
		return fail(err, errlen,
		            "unknown window kind '%.*s' (expected weekly, daily or once)",
		            (int)f[0].len, f[0].s);
	}
	*out = w;
	return true;
}

/* Local time `min` minutes into the day day_off days from today's date;
 * mktime normalises the day overflow, 24:00 and DST. */
static time_t local_at(const struct tm *today, int day_off, unsigned min)
{
	struct tm tm = *today;

	tm.tm_mday += day_off;
	tm.tm_hour = (int)(min / 60);
	tm.tm_min = (int)(min % 60);
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* The occurrence of a recurring window starting day_off days from today. */
static bool occurrence(const struct maint_window *w, const struct tm *today, int day_off,
                       time_t *start, time_t *end)
{
	int wday = ((today->tm_wday + day_off) % 7 + 7) % 7;

	if (!(w->days & (1u << wday)))
		return false;
	*start = local_at(today, day_off, w->start_min);
	*end = local_at(today, day_off + (w->end_min <= w->start_min), w->end_min);
	return true;
}

static bool window_active(const struct maint_window *w, const struct tm *today, time_t now)
{
	time_t s, e;

	if (w->kind == MAINT_ONCE)
		return w->start <= now && now < w->end;
	/* At most 24 h long: only yesterday's and today's occurrences can hold now. */
	for (int off = -1; off <= 0; off++) {
		if (occurrence(w, today, off, &s, &e) && s <= now && now < e)
			return true;
	}
	return false;
}

bool maint_active(const struct maint_window *w, size_t n, time_t now)
{
	struct tm today;

	if (!localtime_r(&now, &today))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (window_active(&w[i], &today, now))
			return true;
	}
	return false;
}

static void consider(time_t t, time_t now, time_t *best)
{
	if (t > now && (*best == MAINT_NO_CHANGE || t < *best))
		*best = t;
}

/* The next start or end of any window after now. */
static time_t next_boundary(const struct maint_window *w, size_t n, time_t now)
{
	time_t best = MAINT_NO_CHANGE, s, e;
	struct tm today;

	if (!localtime_r(&now, &today))
		return MAINT_NO_CHANGE;
	for (size_t i = 0; i < n; i++) {
		if (w[i].kind == MAINT_ONCE) {
			consider((time_t)w[i].start, now, &best);
			consider((time_t)w[i].end, now, &best);
			continue;
		}
		/* A weekly window recurs within 7 days of today. */
		for (int off = -1; off <= 7; off++) {
			if (!occurrence(&w[i], &today, off, &s, &e))
				continue;
			consider(s, now, &best);
			consider(e, now, &best);
		}
	}
	return best;
}

time_t maint_next_change(const struct maint_window *w, size_t n, time_t now)
{
	bool active = maint_active(w, n, now);
	time_t t = now;

	for (int hop = 0; hop < MAX_BOUNDARY_HOPS; hop++) {
		t = next_boundary(w, n, t);
		if (t == MAINT_NO_CHANGE || maint_active(w, n, t) != active)
			return t;
	}
	/* Windows that never let go (e.g. daily 00:00-24:00): wake up anyway. */
	return t;
}
