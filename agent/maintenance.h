/*
 * maintenance: planned-work windows from the config file.
 *
 * Contract: parse window specs, answer "is now inside one?" and "when may
 * that answer next flip?" so the daemon arms one timer instead of polling.
 * All times are local wall time in the process TZ; no allocation, no I/O.
 *
 * Spec grammar (keywords and day names are case-insensitive):
 *   weekly DAYS HH:MM-HH:MM    DAYS: MON..SUN, comma list and/or ranges,
 *                              e.g. SUN, SAT,SUN, MON-FRI, FRI-MON
 *   daily HH:MM-HH:MM
 *   once YYYY-MM-DDTHH:MM YYYY-MM-DDTHH:MM
 * A recurring window whose end is not after its start crosses midnight and
 * ends the next day ("SUN 23:00-01:00" ends Monday 01:00).  End "24:00"
 * means the end of the day.  Windows are half-open: [start, end).
 * Local times are converted with mktime: a time in a DST spring-forward gap
 * moves forward past the gap (as cron runs such jobs); none in Vietnam.
 */
#ifndef TSLCD_MAINTENANCE_H
#define TSLCD_MAINTENANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum maint_kind {
	MAINT_RECURRING = 1, /* weekly or daily */
	MAINT_ONCE = 2,
};

#define MAINT_ALL_DAYS 0x7f

struct maint_window {
	uint8_t kind;       /* enum maint_kind */
	uint8_t days;       /* recurring: bit n set = starts on tm_wday n (0 = SUN) */
	uint16_t start_min; /* recurring: minutes after local midnight, 0..1439 */
	uint16_t end_min;   /* recurring: 1..1440; <= start_min: the next day */
	int64_t start;      /* once: wall-clock seconds */
	int64_t end;
};

/* Returned by maint_next_change() when nothing will ever change. */
#define MAINT_NO_CHANGE ((time_t)0)

/* false with a message saying what is wrong in err (e.g. "bad day 'SNU'"). */
bool maint_parse(const char *spec, struct maint_window *out, char *err, size_t errlen);
bool maint_active(const struct maint_window *w, size_t n, time_t now);
/* The first time after now at which maint_active() gives a different answer. */
time_t maint_next_change(const struct maint_window *w, size_t n, time_t now);

#endif
