/*
 * mib_alarmlog: tslcdNotifyLogTable and tslcdClearedAlarmTable.  Rows
 * point at the records of alarmlog's rings and follow them through its
 * observer (a record leaves before its slot is reused).
 */
#include "alarmlog.h"
#include "mib.h"
#include "mib_columns.h" /* generated from the MIB (Makefile) */

#define LOG_GETTER(fn, call) MIB_GETTER(fn, const struct notelog_entry *e = p, call)

LOG_GETTER(tslcdNotifyLogTime, mib_set_datetime(v, (time_t)e->time))
LOG_GETTER(tslcdNotifyLogType, mib_set_int(v, e->type))
LOG_GETTER(tslcdNotifyLogClear, mib_set_int(v, e->clear ? 1 : 2)) /* TruthValue */
LOG_GETTER(tslcdNotifyLogOfficeId, mib_set_u32(v, e->office))
LOG_GETTER(tslcdNotifyLogLineId, mib_set_u32(v, e->line))
LOG_GETTER(tslcdNotifyLogSeverity, mib_set_int(v, e->severity))
LOG_GETTER(tslcdNotifyLogValue, mib_set_int(v, e->value))
LOG_GETTER(tslcdNotifyLogThreshold, mib_set_int(v, e->threshold))
LOG_GETTER(tslcdNotifyLogText, mib_set_str(v, e->text))
LOG_GETTER(tslcdNotifyLogTextAscii, mib_set_ascii(v, e->text))
LOG_GETTER(tslcdNotifyLogFate, mib_set_int(v, e->fate))

static const struct mib_column log_cols[] = {TSLCD_COLUMNS_tslcdNotifyLogEntry(MIB_COLUMN)};

#define CLEARED_GETTER(fn, call) MIB_GETTER(fn, const struct cleared_entry *e = p, call)

CLEARED_GETTER(tslcdClearedAlarmId, mib_set_u32(v, e->alarm_id))
CLEARED_GETTER(tslcdClearedType, mib_set_int(v, e->type))
CLEARED_GETTER(tslcdClearedOfficeId, mib_set_u32(v, e->office))
CLEARED_GETTER(tslcdClearedLineId, mib_set_u32(v, e->line))
CLEARED_GETTER(tslcdClearedSeverity, mib_set_int(v, e->severity))
CLEARED_GETTER(tslcdClearedRaisedTime, mib_set_datetime(v, (time_t)e->raised))
CLEARED_GETTER(tslcdClearedTime, mib_set_datetime(v, (time_t)e->cleared))
CLEARED_GETTER(tslcdClearedRaiseSeq, mib_set_u32(v, e->raise_seq))
CLEARED_GETTER(tslcdClearedClearSeq, mib_set_u32(v, e->clear_seq))
CLEARED_GETTER(tslcdClearedText, mib_set_str(v, e->text))
CLEARED_GETTER(tslcdClearedTextAscii, mib_set_ascii(v, e->text))
CLEARED_GETTER(tslcdClearedAckedBy, e->acked &&mib_set_str(v, e->acked_by))
CLEARED_GETTER(tslcdClearedAckedByAscii, e->acked &&mib_set_ascii(v, e->acked_by))
CLEARED_GETTER(tslcdClearedAckedTime, e->acked &&mib_set_datetime(v, (time_t)e->acked))

static const struct mib_column cleared_cols[] = {TSLCD_COLUMNS_tslcdClearedAlarmEntry(MIB_COLUMN)};

MIB_TABLE(log_table, "tslcdNotifyLogTable", TSLCD_OID_NOTIFY_LOG_TABLE, 1, log_cols);
MIB_TABLE(cleared_table, "tslcdClearedAlarmTable", TSLCD_OID_CLEARED_TABLE, 1, cleared_cols);

/* Indexed by enum alarmlog_ring. */
static struct mib_table *const tables[2] = {
    [ALARMLOG_NOTIFY] = &log_table, [ALARMLOG_CLEARED] = &cleared_table};

static void row(enum alarmlog_ring ring, const void *entry, bool present)
{
	uint32_t key = ring == ALARMLOG_NOTIFY ? ((const struct notelog_entry *)entry)->seq
	                                       : ((const struct cleared_entry *)entry)->index;
	mib_table_set_row(tables[ring], &key, present ? entry : NULL);
}

/* Records kept before registration (restored ones) get their rows now. */
int mib_alarmlog_register(void)
{
	for (unsigned r = 0; r < 2; r++) {
		if (mib_table_register(tables[r]))
			return -1;
		for (size_t i = 0; i < alarmlog_count(r); i++)
			row(r, alarmlog_at(r, i), true);
	}
	alarmlog_set_observer(row);
	return 0;
}

void mib_alarmlog_dump(FILE *out)
{
	mib_dump_table_oids(out, &log_table);
	mib_dump_table_oids(out, &cleared_table);
}
