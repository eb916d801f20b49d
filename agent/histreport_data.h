/*
 * histreport_data: the figures of a history report, read from history.db
 * (layout: history_schema.h) into plain structs the writers (CSV, JSON,
 * HTML) only format.  It never writes: the database is opened read-only, so
 * a report can run while the agent writes (WAL) or when it is stopped.
 *
 * Definitions (all over the period [start, until), see histreport_period.h):
 *  - period_s = until - start; days after `through` (the future part of a
 *    period in progress) are not read, and no share exceeds 100 %;
 *  - unknown_s = the office_days unknown_s plus every second of the period
 *    no office_days row accounts for (the agent was not running);
 *  - raw availability      = up / (period_s - unknown_s),
 *    adjusted availability = up / (period_s - unknown_s - maint_s),
 *    monitored fraction    = (period_s - unknown_s) / period_s, all in ppm,
 *    -1 when the denominator is zero (nothing to judge);
 *  - an office's outages (count, downtime, longest, by cause) are its own
 *    rows (line_id 0: the time it was cut off, no line up), so an office
 *    a backup line carried has none and two lines down together make one;
 *    the incident list and the summary's tallies by cause and carrier are
 *    the lines' rows (line_id > 0).  Either is clipped to the period: an
 *    outage that straddles a boundary counts only its part inside; an open
 *    one (end NULL or 0) runs to until; a cause this reader does not know
 *    counts as unknown;
 *  - line traffic: average = mean of the daily averages, peak = highest daily
 *    peak, p95 = the busiest day's p95 (conservative: the period's true p95
 *    is never above it), volume = sum of daily bytes; -1 = not known;
 *  - state at the end of the period: the last office_days row in it;
 *  - a readiness report is fresh when one was accepted within the agent's
 *    readiness max-age (meta readiness_max_age_days; HISTREPORT_FRESH_DAYS,
 *    the default, for a database that does not say) before until;
 *  - a line's p95 use is congested above the agent's bandwidth
 *    threshold-raise (meta congestion_raise_ppm, else 90 %).
 *
 * Contract: histreport_data_load() returns 0 with `r` filled, or -1 with a
 * one-line reason in err (cannot open, wrong schema version, unknown
 * province or office, no data in the period).  It sets TZ to the province's
 * time zone (meta.timezone) so that days and times read as the province's.
 * histreport_data_free() releases everything.
 */
#ifndef TSLCD_HISTREPORT_DATA_H
#define TSLCD_HISTREPORT_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "histreport_period.h"

#define HISTREPORT_FRESH_DAYS  35
#define HISTREPORT_DEFAULT_SLA 990000 /* ppm, the agent's default sla-target */
/* ppm of the contract, the agent's default bandwidth threshold-raise */
#define HISTREPORT_DEFAULT_CONGESTION 900000
#define HISTREPORT_WORST              10
#define HISTREPORT_DIST_BUCKETS       6

/* Outage causes, in the order of tslcdctl's list (index = enum value). */
enum { HISTREPORT_NCAUSES = 10 };
extern const char *const histreport_data_causes[HISTREPORT_NCAUSES];
/* Carriers: vnpt, viettel, other. */
enum { HISTREPORT_NCARRIERS = 3 };
extern const char *const histreport_data_carriers[HISTREPORT_NCARRIERS];

/* Traffic figures of a line, indexed by enum histreport_traffic_field. */
enum histreport_traffic_field {
	HR_IN_AVG,
	HR_IN_PEAK,
	HR_IN_P95,
	HR_OUT_AVG,
	HR_OUT_PEAK,
	HR_OUT_P95,
	HR_IN_BYTES,
	HR_OUT_BYTES,
	HR_NTRAFFIC
};
extern const char *const histreport_data_traffic_names[HR_NTRAFFIC];
/* Names of the summary's availability buckets, in order. */
extern const char *const histreport_data_dist_names[HISTREPORT_DIST_BUCKETS];

struct histreport_line {
	int64_t office_id, line_id;
	char *carrier, *circuit, *role;
	int64_t kbps; /* -1 when not known */
	int64_t t[HR_NTRAFFIC];
};

/* Use of the contract in a month (ppm), as the 2026 rules ask for. */
enum histreport_use_field {
	HR_USE_IN_AVG,
	HR_USE_IN_PEAK,
	HR_USE_OUT_AVG,
	HR_USE_OUT_PEAK,
	HR_NUSE
};
extern const char *const histreport_data_use_names[HR_NUSE];

/* One line's traffic in one calendar month of the period. */
struct histreport_usage {
	size_t line; /* index into lines */
	char month[8];
	int64_t t[HR_NTRAFFIC];
	int64_t use[HR_NUSE]; /* -1 when the rate or the contract is unknown */
};

struct histreport_outage {
	int64_t office_id, line_id, start, end; /* end 0 while open */
	int64_t inside_s;                       /* the part inside the period */
	int cause;                              /* index into histreport_data_causes */
	int carrier;                            /* index, -1 when the line is not known */
	char *ticket;
};

struct histreport_office {
	int64_t id;
	char *code, *name, *level, *tier, *province, *commune;
	int64_t required_lines, sla_ppm;
	int64_t up_s, down_s, maint_s, unknown_s;
	int64_t raw_ppm, adj_ppm, monitored_ppm;
	unsigned outages, by_cause[HISTREPORT_NCAUSES];
	int64_t downtime_s, longest_s;
	char *redundancy, *readiness, *readiness_reason; /* NULL when not known */
	int64_t last_report;                             /* report_time, 0 = none */
	bool fresh, below_sla, has_data;
	size_t line0, nlines; /* its lines: lines[line0 .. line0 + nlines) */
};

struct histreport_summary {
	unsigned offices, connected; /* connected: some up time in the period */
	/* adjusted availability: >=99.9, 99.5-99.9, 99-99.5, 95-99, <95, no data */
	unsigned dist[HISTREPORT_DIST_BUCKETS];
	/* office indices, worst first; only offices below 100 % or with outages */
	size_t worst[HISTREPORT_WORST], nworst;
	unsigned cause_count[HISTREPORT_NCAUSES];
	int64_t cause_s[HISTREPORT_NCAUSES];
	unsigned carrier_count[HISTREPORT_NCARRIERS];
	int64_t carrier_s[HISTREPORT_NCARRIERS];
	unsigned below_sla, stale;
};

struct histreport {
	char *province_code, *province_name, *timezone;
	struct histreport_period period;
	int64_t period_s;
	int64_t fresh_days;     /* readiness max-age the agent applied */
	int64_t congestion_ppm; /* its bandwidth threshold-raise (the HTML's p95 chart) */
	struct histreport_office *offices;
	size_t noffices;
	struct histreport_line *lines;
	size_t nlines;
	struct histreport_outage *outages; /* the incidents (line outages), by start */
	size_t noutages;
	struct histreport_usage *usage; /* by line, then month */
	size_t nusage;
	struct histreport_summary sum;
};

/* What to report on: province and office ids are optional filters. */
struct histreport_query {
	const char *db;
	const char *period; /* as typed */
	const char *province;
	const int64_t *office_ids;
	size_t noffice_ids;
	int64_t now;
};

int histreport_data_load(const struct histreport_query *q, struct histreport *r, char *err,
                         size_t errlen);
void histreport_data_free(struct histreport *r);
/* Use of the contract in ppm (bps against kbps), -1 when either is unknown. */
int64_t histreport_data_use_ppm(int64_t bps, int64_t kbps);
/* Index of office `id` in offices, or -1. */
long histreport_data_find_office(const struct histreport *r, int64_t id);
/* Index of office `id`'s line entry `line_id`, or -1. */
long histreport_data_find_line(const struct histreport *r, int64_t office_id, int64_t line_id);

#endif
