/*
 * histreport_period: parsing and binding of report periods; see the header.
 */
#include "histreport_period.h"

#include <stdio.h>
#include <string.h>

static int days_in_month(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : d[m - 1];
}

/* Exactly n digits at s, as a number; -1 otherwise. */
static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static bool valid_day(int y, int m, int d)
{
	return y >= 1970 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/* "YYYY-MM-DD" exactly; -1 when not a real calendar day. */
static int parse_day(const char *s, size_t len, int *y, int *m, int *d)
{
	if (len != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	*y = digits(s, 4);
	*m = digits(s + 5, 2);
	*d = digits(s + 8, 2);
	return valid_day(*y, *m, *d) ? 0 : -1;
}

static void set_days(struct histreport_period *p, int y0, int m0, int d0, int y1, int m1, int d1)
{
	/* The moduli only tell the compiler the widths: the values are valid. */
	snprintf(p->first, sizeof(p->first), "%04u-%02u-%02u", (unsigned)y0 % 10000u,
	         (unsigned)m0 % 100u, (unsigned)d0 % 100u);
	snprintf(p->last, sizeof(p->last), "%04u-%02u-%02u", (unsigned)y1 % 10000u,
	         (unsigned)m1 % 100u, (unsigned)d1 % 100u);
}

int histreport_period_parse(const char *text, struct histreport_period *p, char *err, size_t errlen)
{
	size_t len = strlen(text);
	int y = len >= 4 ? digits(text, 4) : -1, m, d, y1, m1, d1;

	memset(p, 0, sizeof(*p));
	if (len == 7 && y >= 1970 && text[4] == '-' && text[5] == 'Q' && text[6] >= '1' &&
	    text[6] <= '4') {
		int q = text[6] - '0';
		set_days(p, y, 3 * q - 2, 1, y, 3 * q, days_in_month(y, 3 * q));
	} else if (len == 7 && y >= 1970 && text[4] == '-' && (m = digits(text + 5, 2)) >= 1 &&
	           m <= 12) {
		set_days(p, y, m, 1, y, m, days_in_month(y, m));
	} else if (len == 22 && !strncmp(text + 10, "..", 2) &&
	           parse_day(text, 10, &y, &m, &d) == 0 &&
	           parse_day(text + 12, 10, &y1, &m1, &d1) == 0) {
		if (strncmp(text, text + 12, 10) > 0) {
			snprintf(err, errlen, "period '%s' ends before it begins", text);
			return -1;
		}
		set_days(p, y, m, d, y1, m1, d1);
	} else {
		snprintf(err, errlen,
		         "bad period '%s' (expected YYYY-Qn, YYYY-MM or YYYY-MM-DD..YYYY-MM-DD)",
		         text);
		return -1;
	}
	snprintf(p->label, sizeof(p->label), "%s", text);
	return 0;
}

/* 00:00 local time of a "YYYY-MM-DD" day plus `plus` days. */
static time_t local_midnight(const char *day, int plus)
{
	struct tm tm = {.tm_isdst = -1};

	tm.tm_year = digits(day, 4) - 1900;
	tm.tm_mon = digits(day + 5, 2) - 1;
	tm.tm_mday = digits(day + 8, 2) + plus; /* mktime normalises the overflow */
	return mktime(&tm);
}

int histreport_period_bind(struct histreport_period *p, time_t now, char *err, size_t errlen)
{
	p->start = local_midnight(p->first, 0);
	p->end = local_midnight(p->last, 1);
	if (now <= p->start) {
		snprintf(err, errlen, "period %s has not begun yet", p->label);
		return -1;
	}
	p->partial = now < p->end;
	p->until = p->partial ? now : p->end;
	memcpy(p->through, p->last, sizeof(p->through));
	if (p->partial) {
		struct tm tm;
		if (localtime_r(&now, &tm))
			strftime(p->through, sizeof(p->through), "%Y-%m-%d", &tm);
	}
	return 0;
}
