/*
 * alarmlog: the agent's memory of what happened to its alarms, with no
 * Net-SNMP in it: the last N notifications (tslcdNotifyLogTable, RFC 3014
 * in spirit: a manager that sees a gap in tslcdNotifySeq fetches exactly
 * what it missed) and the last N cleared alarms (tslcdClearedAlarmTable).
 *
 * Contract
 *  - Two fixed-capacity rings of fixed-size records; a record's address is
 *    stable until it is evicted (the oldest goes when a ring is full) or
 *    the capacity changes, so the MIB rows point at records.  Every such
 *    change is reported to the observer, eviction before insertion, so a
 *    table never holds a row whose record is gone.
 *  - Notification log entries are keyed by their tslcdNotifySeq; the
 *    notifier logs every notification that got a seq, with its fate (sent,
 *    suppressed by storm control or a hold, or no master to send through),
 *    so the log has no gaps of its own.
 *  - Cleared alarms are keyed by a running index (1, 2, ...; wraps to 1)
 *    because alarm ids are not unique across restarts.
 *  - Capacity 0 turns a ring off (nothing is kept).  Single-threaded.
 */
#ifndef TSLCD_ALARMLOG_H
#define TSLCD_ALARMLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alarm.h"

/* TslcdNotifyFate: do not renumber. */
enum notify_fate {
	FATE_SENT = 1,       /* handed to the master */
	FATE_SUPPRESSED = 2, /* storm control (rate limit, flap or hold) */
	FATE_NO_MASTER = 3,  /* no AgentX session at the time */
	FATE_SHELVED = 4,    /* its alarm was shelved by an operator */
};

struct notelog_entry {
	uint32_t seq;
	int64_t time; /* wall time */
	uint8_t type; /* enum alarm_type */
	bool clear;
	uint8_t severity; /* enum severity */
	uint8_t fate;     /* enum notify_fate */
	uint32_t office, line;
	int32_t value, threshold;
	char text[256];
};

struct cleared_entry {
	uint32_t index;
	uint32_t alarm_id;
	uint8_t type;
	uint8_t severity; /* the alarm's last severity before it cleared */
	uint32_t office, line;
	int64_t raised, cleared;       /* wall time */
	uint32_t raise_seq, clear_seq; /* 0: none was sent */
	char text[256];                /* the alarm's (raise) text */
	int64_t acked;                 /* wall s, 0: never acknowledged */
	char acked_by[ALARM_WHO_LEN];
};

enum alarmlog_ring { ALARMLOG_NOTIFY = 0, ALARMLOG_CLEARED = 1 };

/* Called with a record that enters (present) or leaves a ring. */
typedef void (*alarmlog_observer)(enum alarmlog_ring ring, const void *entry, bool present);

void alarmlog_set_observer(alarmlog_observer fn);
/* Set a ring's capacity (config load or reload), keeping the newest
 * records that fit; every record leaves and the kept ones enter again.
 * False (nothing changed) when memory ran out. */
bool alarmlog_resize(enum alarmlog_ring ring, size_t cap);
/* Append a copy; its address in the ring is returned (NULL when off). */
const struct notelog_entry *alarmlog_note(const struct notelog_entry *e);
/* Append a copy; index is assigned here (e->index is ignored). */
const struct cleared_entry *alarmlog_cleared(const struct cleared_entry *e);
/* Records kept, and the i-th oldest (0 = oldest), NULL past the end. */
size_t alarmlog_count(enum alarmlog_ring ring);
const void *alarmlog_at(enum alarmlog_ring ring, size_t i);
/* A record from the state file: its index is kept (and carried on). */
const struct cleared_entry *alarmlog_cleared_restore(const struct cleared_entry *e);
/* Carry the cleared index on after a restart. */
void alarmlog_cleared_resume(uint32_t last_index);
uint32_t alarmlog_cleared_last(void);
/* Drop everything (shutdown, tests); the observer is not told. */
void alarmlog_reset(void);

#endif
