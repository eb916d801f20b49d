/*
 * alarm: the bookkeeping behind notifications, with no Net-SNMP in it so
 * it can be unit-tested: the set of alarms (keyed by type, office, line),
 * their types and severities.  The rate limit is token_bucket.h, flap
 * detection flap.h.
 *
 * Contract: an alarm_set is a sorted array of pointers to heap alarms, so
 * an alarm's address is stable while it is in the set (the MIB table rows
 * point at it).  Ids are assigned at insertion, start at 1 and are never
 * reused while the set lives.  alarm.raised is wall time for the MIB.
 * No I/O.
 */
#ifndef TSLCD_ALARM_H
#define TSLCD_ALARM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* TslcdAlarmTypeTC: do not renumber. */
enum alarm_type {
	ALARM_LINE_DOWN = 1,
	ALARM_OFFICE_ISOLATED = 2,
	ALARM_LINE_DEGRADED = 3,
	ALARM_UTILISATION_HIGH = 4,
	ALARM_AVAILABILITY_LOW = 5,
	ALARM_READINESS_NOT_READY = 6,
	ALARM_REPORT_STALE = 7,
	ALARM_CERT_EXPIRING = 8,
	ALARM_REDUNDANCY = 9,
	ALARM_LINE_FLAPPING = 10,
	ALARM_NODE_DOWN = 11,           /* key.office: the node id */
	ALARM_MONITORING_IMPAIRED = 12, /* key.office 0 */
	ALARM_AREA_OUTAGE = 13,         /* key.office: the group's number (index + 1) */
};
#define ALARM_TYPE_MAX 13

/* TslcdSeverity: do not renumber.  Smaller (from 3) is more severe. */
enum severity {
	SEV_CLEARED = 1,
	SEV_INDETERMINATE = 2,
	SEV_CRITICAL = 3,
	SEV_MAJOR = 4,
	SEV_MINOR = 5,
	SEV_WARNING = 6,
	SEV_INFO = 7,
};

/* MIB spelling ("lineDown"); NULL for a value outside 1..ALARM_TYPE_MAX. */
const char *alarm_type_name(unsigned type);
/* 0 when the name is not an alarm type. */
unsigned alarm_type_from_name(const char *name);
/* True for the types whose alarms concern a line (line id != 0). */
bool alarm_type_is_line(unsigned type);
/* One step more severe (info -> warning ... major -> critical); critical,
 * indeterminate and cleared stay as they are. */
enum severity alarm_severity_raised(enum severity s);

struct alarm_key {
	uint32_t type; /* enum alarm_type */
	uint32_t office;
	uint32_t line; /* 0 for an office-level alarm */
};

/* Values for the type-specific trailing varbinds that the model does not
 * hold (readiness engine); zero/empty when not relevant. */
struct alarm_extra {
	int32_t readiness_state; /* TslcdReadinessStateTC */
	char readiness_reason[256];
	int64_t report_time; /* wall time of the last accepted report, 0 = never */
	int32_t cert_days_left;
	uint8_t outage_cause; /* areaOutage: TslcdOutageCauseTC, 0 = not judged */
};

/* Operator texts (acknowledgements, shelves), bytes without the NUL. */
#define ALARM_NOTE_MAX 127
#define ALARM_BY_MAX   63
/* "NAME (uid N)": who acknowledged or shelved. */
#define ALARM_WHO_LEN (ALARM_BY_MAX + 24)

struct alarm {
	struct alarm_key key;
	uint32_t id;
	uint8_t severity; /* enum severity */
	time_t raised;
	int32_t value, threshold;
	uint32_t seq;        /* tslcdNotifySeq of the last notification that announced it */
	uint32_t hold_until; /* monotonic s: not announced yet, waits until then (0: announced) */
	char text[256];
	struct alarm_extra extra;
	int64_t acked; /* wall s of the acknowledgement, 0 = not acknowledged */
	char acked_by[ALARM_WHO_LEN];
	char note[ALARM_NOTE_MAX + 1]; /* the operator's latest note (ack or shelve) */
};

struct alarm_set {
	struct alarm **v; /* sorted by key */
	size_t n, cap;
	uint32_t last_id;
};

int alarm_key_cmp(const struct alarm_key *a, const struct alarm_key *b);
void alarm_set_init(struct alarm_set *s);
/* Frees every alarm still in the set. */
void alarm_set_free(struct alarm_set *s);
struct alarm *alarm_find(const struct alarm_set *s, const struct alarm_key *k);
/* Insert a zeroed alarm for k with the next id; NULL if k is present or
 * memory ran out. */
struct alarm *alarm_add(struct alarm_set *s, const struct alarm_key *k);
/* Take k's alarm out of the set; the caller frees it.  NULL if absent. */
struct alarm *alarm_detach(struct alarm_set *s, const struct alarm_key *k);

#endif
