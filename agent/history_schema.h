/*
 * history_schema: the layout of history.db, the long record (SQLite, WAL).
 *
 * Contract: the one definition of the history database's tables, shared by
 * the agent's writer (history.c) and the report reader (tslcdctl report),
 * so the two cannot drift.  HISTORY_SCHEMA_VERSION is PRAGMA user_version;
 * a database of an older version is brought forward by the migrations in
 * history.c, never rebuilt.
 *
 * Conventions:
 *  - times are Unix seconds (UTC); `day` is the local calendar day of the
 *    configured time zone, as "YYYY-MM-DD";
 *  - ppm figures are parts per million, rates bit/s, volumes bytes;
 *  - NULL means "not known" (never a made-up zero), as in the MIB;
 *  - offices and lines hold the latest configuration seen for each id, so a
 *    report can name an office when the agent is stopped or the office has
 *    since been removed from the config;
 *  - meta keys: province_code, province_name, timezone (an Olson name),
 *    readiness_max_age_days (readiness.max-age in force: a report older
 *    than that is stale) and congestion_raise_ppm (bandwidth
 *    threshold-raise in force, ppm of the contract);
 *  - outages of a line (line_id > 0) are the incidents operators
 *    annotate; those of an office as a whole (line_id 0) are the intervals
 *    in which it was cut off (isolated or unreachable: no line up): outage_idx = start, ticket,
 *    last_rtt_us and last_loss_ppm NULL, and cause the one shared by the
 *    line outages open when it began (start <= its start < end, or still
 *    open), else unknown; it follows their annotations.
 */
#ifndef TSLCD_HISTORY_SCHEMA_H
#define TSLCD_HISTORY_SCHEMA_H

#define HISTORY_SCHEMA_VERSION 1

#define HISTORY_SCHEMA_SQL                                                                         \
	"CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);"                      \
	"CREATE TABLE IF NOT EXISTS offices (office_id INTEGER PRIMARY KEY, code TEXT,"            \
	" name TEXT, level TEXT, tier TEXT, province TEXT, commune TEXT,"                          \
	" required_lines INTEGER, sla_target_ppm INTEGER, updated INTEGER);"                       \
	"CREATE TABLE IF NOT EXISTS lines (office_id INTEGER, line_id INTEGER, carrier TEXT,"      \
	" circuit TEXT, kbps INTEGER, role TEXT, updated INTEGER,"                                 \
	" PRIMARY KEY (office_id, line_id));"                                                      \
	"CREATE TABLE IF NOT EXISTS outages (office_id INTEGER, line_id INTEGER,"                  \
	" outage_idx INTEGER, start INTEGER, end INTEGER, duration INTEGER, cause TEXT,"           \
	" ticket TEXT, node_id INTEGER, last_rtt_us INTEGER, last_loss_ppm INTEGER,"               \
	" PRIMARY KEY (office_id, line_id, start));"                                               \
	"CREATE TABLE IF NOT EXISTS line_days (office_id INTEGER, line_id INTEGER, day TEXT,"      \
	" up_s INTEGER, degraded_s INTEGER, down_s INTEGER, maint_s INTEGER, unknown_s INTEGER,"   \
	" rtt_avg_us INTEGER, rtt_max_us INTEGER, loss_ppm INTEGER,"                               \
	" in_avg_bps INTEGER, in_peak_bps INTEGER, in_p95_bps INTEGER,"                            \
	" out_avg_bps INTEGER, out_peak_bps INTEGER, out_p95_bps INTEGER,"                         \
	" in_bytes INTEGER, out_bytes INTEGER, PRIMARY KEY (office_id, line_id, day));"            \
	"CREATE TABLE IF NOT EXISTS office_days (office_id INTEGER, day TEXT,"                     \
	" up_s INTEGER, down_s INTEGER, maint_s INTEGER, unknown_s INTEGER,"                       \
	" redundancy TEXT, readiness TEXT, readiness_reason TEXT,"                                 \
	" PRIMARY KEY (office_id, day));"                                                          \
	"CREATE TABLE IF NOT EXISTS notifications (seq INTEGER PRIMARY KEY, time INTEGER,"         \
	" type TEXT, raise INTEGER, office_id INTEGER, line_id INTEGER, severity TEXT,"            \
	" value INTEGER, threshold INTEGER, text TEXT);"                                           \
	"CREATE TABLE IF NOT EXISTS reports (id INTEGER PRIMARY KEY, time INTEGER,"                \
	" office_id INTEGER, report_time INTEGER, accepted INTEGER, state TEXT, reason TEXT);"     \
	"CREATE TABLE IF NOT EXISTS config_loads (id INTEGER PRIMARY KEY, time INTEGER,"           \
	" fingerprint TEXT, ok INTEGER, message TEXT);"                                            \
	"CREATE INDEX IF NOT EXISTS outages_start ON outages (start);"                             \
	"CREATE INDEX IF NOT EXISTS line_days_day ON line_days (day);"                             \
	"CREATE INDEX IF NOT EXISTS office_days_day ON office_days (day);"                         \
	"CREATE INDEX IF NOT EXISTS notifications_time ON notifications (time);"                   \
	"CREATE INDEX IF NOT EXISTS reports_time ON reports (time);"

#endif
