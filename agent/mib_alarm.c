/*
 * mib_alarm: tslcdAlarmTable, the alarms active now, indexed by
 * tslcdAlarmId.  Rows point at the notifier's alarms (stable heap
 * objects) and follow them through mib_alarm_row().
 */
#include "mib.h"
#include "notify.h"

#define ALARM_GETTER(fn, call)                                                                     \
	static bool fn(const void *p, struct mib_value *v)                                         \
	{                                                                                          \
		const struct alarm *a = p;                                                         \
		return call;                                                                       \
	}

ALARM_GETTER(get_type, mib_set_int(v, (long)a->key.type))
ALARM_GETTER(get_office, mib_set_u32(v, a->key.office))
ALARM_GETTER(get_line, mib_set_u32(v, a->key.line))
ALARM_GETTER(get_severity, mib_set_int(v, a->severity))
ALARM_GETTER(get_raised, mib_set_datetime(v, a->raised))
ALARM_GETTER(get_value, mib_set_int(v, a->value))
ALARM_GETTER(get_threshold, mib_set_int(v, a->threshold))
ALARM_GETTER(get_text, mib_set_str(v, a->text))
ALARM_GETTER(get_seq, mib_set_u32(v, a->seq))

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
