/*
 * alarm_shelf: acknowledging and shelving alarms (RFC 8632's lifecycle, in
 * small), with no Net-SNMP in it: the validation of what an operator
 * sends, and the shelves.
 *
 * Contract
 *  - A shelf hides notifications, never rows: while one covers an alarm
 *    its raise and clear are not sent (the notifier logs them as shelved)
 *    but tslcdAlarmTable changes as always.  A shelf covers
 *      SHELF_KEY     one alarm's condition (type, office, line), so a
 *                    clear and a re-raise within the shelf stay quiet;
 *      SHELF_LINE    every line-level alarm of office.line;
 *      SHELF_OFFICE  every alarm of the office (its lines' included); the
 *                    node, monitoring and area alarms, whose office field
 *                    means something else, only by SHELF_KEY.
 *    until its end time (wall seconds), when it ends by itself.  One shelf
 *    per target: shelving a target again replaces its shelf.
 *  - Texts (by, note) are printable UTF-8 of bounded length; parsing
 *    functions return NULL or a phrase saying what is wrong, and change
 *    nothing on error.
 */
#ifndef TSLCD_ALARM_SHELF_H
#define TSLCD_ALARM_SHELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "alarm.h"

/* Shelving further ahead than this is a typo, not a plan. */
#define ALARM_SHELF_MAX_S (31L * 86400L)
#define ALARM_SHELVES_MAX 1024

enum shelf_kind { SHELF_KEY = 1, SHELF_LINE = 2, SHELF_OFFICE = 3 };

struct shelf {
	uint8_t kind;         /* enum shelf_kind */
	struct alarm_key key; /* SHELF_KEY: the condition; LINE: office, line; OFFICE: office */
	uint32_t alarm_id;    /* SHELF_KEY: the alarm it was made for (for people) */
	int64_t since, until; /* wall s */
	char by[ALARM_WHO_LEN];
	char note[ALARM_NOTE_MAX + 1];
};

struct alarm_shelves {
	struct shelf *v;
	size_t n, cap;
};

/* NULL when the text is fit for a note (max bytes as given). */
const char *alarm_shelf_text_problem(const char *text, size_t max);
/* "+30m" "+2h" "+1d" "+90s" (from now) or a local "YYYY-MM-DDTHH:MM";
 * must be in the future and at most ALARM_SHELF_MAX_S ahead. */
const char *alarm_shelf_parse_until(const char *text, time_t now, int64_t *until);

bool alarm_shelf_covers(const struct shelf *sh, const struct alarm_key *k);
/* The covering shelf that ends last, NULL when none covers k (ended
 * shelves, until <= now, do not count). */
const struct shelf *alarm_shelf_find(const struct alarm_shelves *s, const struct alarm_key *k,
                                     int64_t now);
/* Add, or replace the shelf of the same target; false when full. */
bool alarm_shelf_put(struct alarm_shelves *s, const struct shelf *sh);
/* Remove the shelf of sh's target (kind and key); false when none. */
bool alarm_shelf_remove(struct alarm_shelves *s, const struct shelf *sh, struct shelf *removed);
/* Take out one shelf that has ended by now into *out; false when none. */
bool alarm_shelf_take_ended(struct alarm_shelves *s, int64_t now, struct shelf *out);
void alarm_shelf_free(struct alarm_shelves *s);

#endif
