/*
 * histreport_json: a history report as one JSON document (UTF-8).
 *
 * Schema "tslcd-report/1" (unknown values are null; times ISO 8601 local
 * with the offset; availability and use in ppm; durations in seconds):
 *   { "schema": "tslcd-report/1",
 *     "province": { "code", "name", "timezone" },
 *     "period": { "label", "first_day", "last_day", "start", "end", "until",
 *                 "seconds", "partial" },
 *     "offices": [ { "id", "code", "name", "level", "tier", "province",
 *                    "commune", "required_lines", "sla_target_ppm",
 *                    "seconds": { "up", "down", "maint", "unknown" },
 *                    "availability": { "raw_ppm", "adjusted_ppm",
 *                                      "monitored_ppm", "below_sla" },
 *                    "outages": { "count", "downtime_s", "longest_s",
 *                                 "by_cause": { CAUSE: n, ... } },
 *                    "redundancy", "readiness", "readiness_reason",
 *                    "last_readiness_report", "readiness_fresh",
 *                    "lines": [ { "id", "carrier", "circuit", "role",
 *                                 "contracted_kbps", "in_avg_bps",
 *                                 "in_peak_bps", "in_p95_bps",
 *                                 "out_avg_bps", "out_peak_bps",
 *                                 "out_p95_bps", "in_bytes",
 *                                 "out_bytes" } ] } ],
 *     "incidents": [ { "office_id", "line_id" (0 = the office), "carrier",
 *                      "start", "end" (null while open), "duration_s"
 *                      (inside the period), "cause", "ticket" } ],
 *     "usage": [ { "month", "office_id", "line_id", "contracted_kbps",
 *                  the eight traffic figures as in lines, "in_avg_use_ppm",
 *                  "in_peak_use_ppm", "out_avg_use_ppm",
 *                  "out_peak_use_ppm" } ],
 *     "summary": { "offices", "connected",
 *                  "availability_distribution": { BUCKET: n, ... },
 *                  "worst": [ office id, ... ] (worst first),
 *                  "incidents_by_cause": { CAUSE: { "count", "downtime_s" } },
 *                  "incidents_by_carrier": { CARRIER: { "count",
 *                                                       "downtime_s" } },
 *                  "below_sla": [ office id, ... ],
 *                  "stale_readiness": [ office id, ... ] } }
 * The figures follow the definitions in histreport_data.h.
 *
 * Contract: histreport_json_write() returns 0, or -1 on a write error.
 */
#ifndef TSLCD_HISTREPORT_JSON_H
#define TSLCD_HISTREPORT_JSON_H

#include <stdio.h>

#include "histreport_data.h"

int histreport_json_write(const struct histreport *r, FILE *f);

#endif
