/*
 * mib_alarmlog: tslcdNotifyLogTable and tslcdClearedAlarmTable.  Rows
 * point at the records of alarmlog's rings and follow them through its
 * observer (a record leaves before its slot is reused).
 */
#include "alarmlog.h"
#include "mib.h"

#define LOG_GETTER(fn, call)                                                                       \
	static bool fn(const void *p, struct mib_value *v)                                         \
	{                                                                                          \
		const struct notelog_entry *e = p;                                                 \
		return call;                                                                       \
	}

LOG_GETTER(log_time, mib_set_datetime(v, (time_t)e->time))
LOG_GETTER(log_type, mib_set_int(v, e->type))
LOG_GETTER(log_clear, mib_set_int(v, e->clear ? 1 : 2)) /* TruthValue */
LOG_GETTER(log_office, mib_set_u32(v, e->office))
LOG_GETTER(log_line, mib_set_u32(v, e->line))
LOG_GETTER(log_severity, mib_set_int(v, e->severity))
LOG_GETTER(log_value, mib_set_int(v, e->value))
LOG_GETTER(log_threshold, mib_set_int(v, e->threshold))
LOG_GETTER(log_text, mib_set_str(v, e->text))
LOG_GETTER(log_text_ascii, mib_set_ascii(v, e->text))
LOG_GETTER(log_fate, mib_set_int(v, e->fate))

static const struct mib_column log_cols[] = {
    {2, "tslcdNotifyLogTime", ASN_OCTET_STR, log_time},
    {3, "tslcdNotifyLogType", ASN_INTEGER, log_type},
    {4, "tslcdNotifyLogClear", ASN_INTEGER, log_clear},
    {5, "tslcdNotifyLogOfficeId", ASN_UNSIGNED, log_office},
    {6, "tslcdNotifyLogLineId", ASN_UNSIGNED, log_line},
    {7, "tslcdNotifyLogSeverity", ASN_INTEGER, log_severity},
    {8, "tslcdNotifyLogValue", ASN_INTEGER, log_value},
    {9, "tslcdNotifyLogThreshold", ASN_INTEGER, log_threshold},
    {10, "tslcdNotifyLogText", ASN_OCTET_STR, log_text},
    {11, "tslcdNotifyLogFate", ASN_INTEGER, log_fate},
    {20, "tslcdNotifyLogTextAscii", ASN_OCTET_STR, log_text_ascii},
};

#define CLEARED_GETTER(fn, call)                                                                   \
	static bool fn(const void *p, struct mib_value *v)                                         \
	{                                                                                          \
		const struct cleared_entry *e = p;                                                 \
		return call;                                                                       \
	}

CLEARED_GETTER(cl_id, mib_set_u32(v, e->alarm_id))
CLEARED_GETTER(cl_type, mib_set_int(v, e->type))
CLEARED_GETTER(cl_office, mib_set_u32(v, e->office))
CLEARED_GETTER(cl_line, mib_set_u32(v, e->line))
CLEARED_GETTER(cl_severity, mib_set_int(v, e->severity))
CLEARED_GETTER(cl_raised, mib_set_datetime(v, (time_t)e->raised))
CLEARED_GETTER(cl_cleared, mib_set_datetime(v, (time_t)e->cleared))
CLEARED_GETTER(cl_raise_seq, mib_set_u32(v, e->raise_seq))
CLEARED_GETTER(cl_clear_seq, mib_set_u32(v, e->clear_seq))
CLEARED_GETTER(cl_text, mib_set_str(v, e->text))
CLEARED_GETTER(cl_text_ascii, mib_set_ascii(v, e->text))
CLEARED_GETTER(cl_acked_by, e->acked &&mib_set_str(v, e->acked_by))
CLEARED_GETTER(cl_acked_by_ascii, e->acked &&mib_set_ascii(v, e->acked_by))
CLEARED_GETTER(cl_acked_time, e->acked &&mib_set_datetime(v, (time_t)e->acked))

static const struct mib_column cleared_cols[] = {
    {2, "tslcdClearedAlarmId", ASN_UNSIGNED, cl_id},
    {3, "tslcdClearedType", ASN_INTEGER, cl_type},
    {4, "tslcdClearedOfficeId", ASN_UNSIGNED, cl_office},
    {5, "tslcdClearedLineId", ASN_UNSIGNED, cl_line},
    {6, "tslcdClearedSeverity", ASN_INTEGER, cl_severity},
    {7, "tslcdClearedRaisedTime", ASN_OCTET_STR, cl_raised},
    {8, "tslcdClearedTime", ASN_OCTET_STR, cl_cleared},
    {9, "tslcdClearedRaiseSeq", ASN_UNSIGNED, cl_raise_seq},
    {10, "tslcdClearedClearSeq", ASN_UNSIGNED, cl_clear_seq},
    {11, "tslcdClearedText", ASN_OCTET_STR, cl_text},
    {12, "tslcdClearedAckedBy", ASN_OCTET_STR, cl_acked_by},
    {13, "tslcdClearedAckedTime", ASN_OCTET_STR, cl_acked_time},
    {20, "tslcdClearedTextAscii", ASN_OCTET_STR, cl_text_ascii},
    {21, "tslcdClearedAckedByAscii", ASN_OCTET_STR, cl_acked_by_ascii},
};

static const oid log_oid[] = {TSLCD_OID_NOTIFY_LOG_TABLE};
static const oid cleared_oid[] = {TSLCD_OID_CLEARED_TABLE};

static struct mib_table tables[2] = {
    [ALARMLOG_NOTIFY] = {.name = "tslcdNotifyLogTable",
                         .table_oid = log_oid,
                         .table_oid_len = OID_LENGTH(log_oid),
                         .n_index = 1,
                         .cols = log_cols,
                         .n_cols = sizeof(log_cols) / sizeof(log_cols[0])},
    [ALARMLOG_CLEARED] = {.name = "tslcdClearedAlarmTable",
                          .table_oid = cleared_oid,
                          .table_oid_len = OID_LENGTH(cleared_oid),
                          .n_index = 1,
                          .cols = cleared_cols,
                          .n_cols = sizeof(cleared_cols) / sizeof(cleared_cols[0])},
};

static void row(enum alarmlog_ring ring, const void *entry, bool present)
{
	uint32_t key = ring == ALARMLOG_NOTIFY ? ((const struct notelog_entry *)entry)->seq
	                                       : ((const struct cleared_entry *)entry)->index;
	mib_table_set_row(&tables[ring], &key, present ? entry : NULL);
}

/* Records kept before registration (restored ones) get their rows now. */
int mib_alarmlog_register(void)
{
	for (unsigned r = 0; r < 2; r++) {
		if (mib_table_register(&tables[r]))
			return -1;
		for (size_t i = 0; i < alarmlog_count(r); i++)
			row(r, alarmlog_at(r, i), true);
	}
	alarmlog_set_observer(row);
	return 0;
}

void mib_alarmlog_dump(FILE *out)
{
	mib_dump_table_oids(out, &tables[ALARMLOG_NOTIFY]);
	mib_dump_table_oids(out, &tables[ALARMLOG_CLEARED]);
}
