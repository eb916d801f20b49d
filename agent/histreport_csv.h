/*
 * histreport_csv: a history report as CSV, one file per table in a
 * directory, each UTF-8 with a byte-order mark (so spreadsheet programs
 * read the Vietnamese names right), comma-separated, RFC 4180 quoting, an
 * English header row, unknown values empty.  Times are ISO 8601 local with
 * the offset; availability and use in ppm; durations in seconds.
 *
 * Columns, in this order (a stable contract: new columns go at the end):
 *  offices.csv   office_id, code, name, level, tier, province, commune,
 *                lines, required_lines, period_s, up_s, down_s, maint_s,
 *                unknown_s, availability_raw_ppm, availability_adjusted_ppm,
 *                monitored_ppm, sla_target_ppm, below_sla, outages,
 *                downtime_s, longest_outage_s, outages_<cause> for each
 *                cause (unknown, powerLoss, fiberCut, cpeFault,
 *                providerNetwork, customerLan, naturalDisaster,
 *                securityIsolation, plannedWork), redundancy, readiness,
 *                readiness_reason, last_readiness_report, readiness_fresh
 *  lines.csv     office_id, office_code, line_id, carrier, circuit, role,
 *                contracted_kbps, in_avg_bps, in_peak_bps, in_p95_bps,
 *                out_avg_bps, out_peak_bps, out_p95_bps, in_bytes, out_bytes
 *  incidents.csv office_id, office_code, line_id (0 = the office), carrier,
 *                start, end (empty while open), duration_s (inside the
 *                period), cause, ticket
 *  usage.csv     month, office_id, office_code, line_id, carrier,
 *                contracted_kbps, in_avg_bps, in_peak_bps, out_avg_bps,
 *                out_peak_bps, in_bytes, out_bytes, in_avg_use_ppm,
 *                in_peak_use_ppm, out_avg_use_ppm, out_peak_use_ppm
 *  summary.csv   item, key, value: province, period, first_day, last_day,
 *                partial, offices, connected, availability (key: bucket),
 *                worst (key: rank, value: office id), cause_count and
 *                cause_downtime_s (key: cause), carrier_count and
 *                carrier_downtime_s (key: carrier), below_sla and
 *                stale_readiness (value: office id)
 *
 * Contract: histreport_csv_write() creates the directory if needed and
 * returns 0, or -1 with a one-line reason in err.
 */
#ifndef TSLCD_HISTREPORT_CSV_H
#define TSLCD_HISTREPORT_CSV_H

#include "histreport_data.h"

int histreport_csv_write(const struct histreport *r, const char *dir, char *err, size_t errlen);

#endif
