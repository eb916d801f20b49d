/*
 * mib_alarm: tslcdAlarmTable, the alarms active now, indexed by
 * tslcdAlarmId.  Rows point at the notifier's alarms (stable heap
 * objects) and follow them through mib_alarm_row().
 */
#include "alarm_shelf.h"
#include "mib.h"
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

ALARM_GETTER(get_type, mib_set_int(v, (long)a->key.type))
ALARM_GETTER(get_office, mib_set_u32(v, a->key.office))
ALARM_GETTER(get_line, mib_set_u32(v, a->key.line))
ALARM_GETTER(get_severity, mib_set_int(v, a->severity))
ALARM_GETTER(get_raised, mib_set_datetime(v, a->raised))
ALARM_GETTER(get_value, mib_set_int(v, a->value))
ALARM_GETTER(get_threshold, mib_set_int(v, a->threshold))
ALARM_GETTER(get_text, mib_set_str(v, a->text))
ALARM_GETTER(get_text_ascii, mib_set_ascii(v, a->text))
ALARM_GETTER(get_seq, mib_set_u32(v, a->seq))
ALARM_GETTER(get_acked, mib_set_int(v, a->acked ? 1 : 2)) /* TruthValue */
ALARM_GETTER(get_acked_by, a->acked &&mib_set_str(v, a->acked_by))
ALARM_GETTER(get_acked_time, a->acked &&mib_set_datetime(v, (time_t)a->acked))
ALARM_GETTER(get_shelved_until, shelved_until(a, v))
ALARM_GETTER(get_note, note_text(a)[0] && mib_set_str(v, note_text(a)))
ALARM_GETTER(get_acked_by_ascii, a->acked &&mib_set_ascii(v, a->acked_by))
ALARM_GETTER(get_note_ascii, note_text(a)[0] && mib_set_ascii(v, note_text(a)))

static const struct mib_column alarm_cols[] = {
    {2, "tslcdAlarmType", ASN_INTEGER, get_type},
    {3, "tslcdAlarmOfficeId", ASN_UNSIGNED, get_office},
    {4, "tslcdAlarmLineId", ASN_UNSIGNED, get_line},
    {5, "tslcdAlarmSeverity", ASN_INTEGER, get_severity},
    {6, "tslcdAlarmRaisedTime", ASN_OCTET_STR, get_raised},
    {7, "tslcdAlarmValue", ASN_INTEGER, get_value},
    {8, "tslcdAlarmThreshold", ASN_INTEGER, get_threshold},
    {9, "tslcdAlarmText", ASN_OCTET_STR, get_text},
    {10, "tslcdAlarmSeq", ASN_UNSIGNED, get_seq},
    {11, "tslcdAlarmAcked", ASN_INTEGER, get_acked},
    {12, "tslcdAlarmAckedBy", ASN_OCTET_STR, get_acked_by},
    {13, "tslcdAlarmAckedTime", ASN_OCTET_STR, get_acked_time},
    {14, "tslcdAlarmShelvedUntil", ASN_OCTET_STR, get_shelved_until},
    {15, "tslcdAlarmNote", ASN_OCTET_STR, get_note},
    {20, "tslcdAlarmTextAscii", ASN_OCTET_STR, get_text_ascii},
    {21, "tslcdAlarmAckedByAscii", ASN_OCTET_STR, get_acked_by_ascii},
    {22, "tslcdAlarmNoteAscii", ASN_OCTET_STR, get_note_ascii},
};

static const oid alarm_table_oid[] = {TSLCD_OID_ALARM_TABLE};

static struct mib_table alarm_table = {
    .name = "tslcdAlarmTable",
    .table_oid = alarm_table_oid,
    .table_oid_len = OID_LENGTH(alarm_table_oid),
    .n_index = 1,
    .cols = alarm_cols,
    .n_cols = sizeof(alarm_cols) / sizeof(alarm_cols[0]),
};

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
