/*
 * mib_alarm: tslcdAlarmTable, the alarms active now, indexed by
 * tslcdAlarmId.  Rows point at the notifier's alarms (stable heap
 * objects) and follow them through mib_alarm_row().
 */
#include "alarm_shelf.h"
#include "mib.h"
#include "mib_columns.h" /* generated from the MIB (Makefile) */
#include "notify.h"

/* Absent when not shelved. */
static bool shelved_until(const struct alarm *a, struct mib_value *v)
{
	const struct shelf *sh = notify_shelf_of(&a->key);
	return sh && mib_set_datetime(v, (time_t)sh->until);
}

/* The acknowledgement's note, else the covering shelf's; "" when none. */
static const char *note_text(const struct alarm *a)
{
	const struct shelf *sh = notify_shelf_of(&a->key);
	return a->note[0] ? a->note : sh ? sh->note : "";
}

#define ALARM_GETTER(fn, call) MIB_GETTER(fn, const struct alarm *a = p, call)

ALARM_GETTER(tslcdAlarmType, mib_set_int(v, (long)a->key.type))
ALARM_GETTER(tslcdAlarmOfficeId, mib_set_u32(v, a->key.office))
ALARM_GETTER(tslcdAlarmLineId, mib_set_u32(v, a->key.line))
ALARM_GETTER(tslcdAlarmSeverity, mib_set_int(v, a->severity))
ALARM_GETTER(tslcdAlarmRaisedTime, mib_set_datetime(v, a->raised))
ALARM_GETTER(tslcdAlarmValue, mib_set_int(v, a->value))
ALARM_GETTER(tslcdAlarmThreshold, mib_set_int(v, a->threshold))
ALARM_GETTER(tslcdAlarmText, mib_set_str(v, a->text))
ALARM_GETTER(tslcdAlarmTextAscii, mib_set_ascii(v, a->text))
ALARM_GETTER(tslcdAlarmSeq, mib_set_u32(v, a->seq))
ALARM_GETTER(tslcdAlarmAcked, mib_set_int(v, a->acked ? 1 : 2)) /* TruthValue */
ALARM_GETTER(tslcdAlarmAckedBy, a->acked &&mib_set_str(v, a->acked_by))
ALARM_GETTER(tslcdAlarmAckedTime, a->acked &&mib_set_datetime(v, (time_t)a->acked))
ALARM_GETTER(tslcdAlarmShelvedUntil, shelved_until(a, v))
ALARM_GETTER(tslcdAlarmNote, note_text(a)[0] && mib_set_str(v, note_text(a)))
ALARM_GETTER(tslcdAlarmAckedByAscii, a->acked &&mib_set_ascii(v, a->acked_by))
ALARM_GETTER(tslcdAlarmNoteAscii, note_text(a)[0] && mib_set_ascii(v, note_text(a)))

static const struct mib_column alarm_cols[] = {TSLCD_COLUMNS_tslcdAlarmEntry(MIB_COLUMN)};

MIB_TABLE(alarm_table, "tslcdAlarmTable", TSLCD_OID_ALARM_TABLE, 1, alarm_cols);

void mib_alarm_row(const struct alarm *a, bool present)
{
	mib_table_set_row(&alarm_table, &a->id, present ? a : NULL);
}

/* Alarms raised before registration (none in practice) get their rows now. */
int mib_alarm_register(void)
{
	if (mib_table_register(&alarm_table))
		return -1;
	const struct alarm_set *s = notify_alarms();
	for (size_t i = 0; i < s->n; i++)
		mib_alarm_row(s->v[i], true);
	return 0;
}

void mib_alarm_dump(FILE *out)
{
	mib_dump_table_oids(out, &alarm_table);
}
