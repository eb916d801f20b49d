/*
 * histreport_period: the period a history report covers, from the text an
 * officer types: a quarter "2026-Q4", a month "2026-11", or an inclusive
 * range of days "2026-11-01..2026-11-30".
 *
 * Contract: histreport_period_parse() fills the first and last local days
 * (inclusive, "YYYY-MM-DD", the form history.db's `day` columns use) or
 * returns -1 with a one-line reason in err.  histreport_period_bind() then
 * turns those days into Unix seconds [start, end) with the process's local
 * time zone (the caller sets TZ to the province's zone), and marks the period
 * partial when `now` falls inside it: `until` is then `now` and `through`
 * today's local day, else `end` and `last`.
 * A period that has not begun yet is refused.
 */
#ifndef TSLCD_HISTREPORT_PERIOD_H
#define TSLCD_HISTREPORT_PERIOD_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct histreport_period {
	char label[32];   /* as typed, normalised: "2026-Q4", "2026-11", "a..b" */
	char first[16];   /* first local day, inclusive */
	char last[16];    /* last local day, inclusive */
	char through[16]; /* last day with data: `last`, or today when partial */
	time_t start;     /* 00:00 local of `first` */
	time_t end;       /* 00:00 local of the day after `last` */
	time_t until;     /* end of what the report can cover: min(end, now) */
	bool partial;     /* the period is still in progress */
};

int histreport_period_parse(const char *text, struct histreport_period *p, char *err,
                            size_t errlen);
int histreport_period_bind(struct histreport_period *p, time_t now, char *err, size_t errlen);

#endif
