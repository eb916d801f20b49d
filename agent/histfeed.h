/*
 * histfeed: what the agent records in the history (history.h), taken from
 * the model and the engines on the loop.
 *
 * Contract: the only producer of history rows.  It turns model objects
 * into rows and hands them to the writer queue; it never blocks and never
 * changes the model.
 *  - At start and at every config load: meta (province_code,
 *    province_name, timezone, and the settings the report's figures
 *    follow: readiness_max_age_days, congestion_raise_ppm), every office
 *    (with the SLA target in force) and line (upsert, MIB enum names), and
 *    a config_loads row (also for a rejected file).  First the history
 *    queue's bound is set from the config's offices and lines, so that
 *    this burst, the start's orphan rows and the day rows fit.
 *  - Outages: at open, close and annotation (tslcdctl outage-cause); at
 *    start, the open ones the restored state does not know are removed.
 *    Office outages (line_id 0), the time an office is isolated, at its
 *    status changes; at start the one the restored state has open is
 *    (re)opened.  Their cause is derived in the database from the line
 *    outages open when each began (history_schema.h), again whenever one
 *    of those is written, so an annotation reaches the office row.
 *  - Days: every agent.history-interval seconds, and at stop, each line's
 *    and office's totals for today; the first write after midnight (or
 *    after a start) also writes yesterday's final totals.  The lines are
 *    walked in slices so a large model never holds the loop for long.
 *  - Notifications and readiness reports: as they happen.
 */
#ifndef TSLCD_HISTFEED_H
#define TSLCD_HISTFEED_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"

struct history_batch;
struct readiness_report;

/* Start the writer on *mp's state dir and record the config; returns the
 * highest notification seq already recorded (for notify_seq_resume()). */
uint32_t histfeed_start(struct model **mp);
/* The office and line rows of cfg, for histfeed_config_loaded(): built
 * off the loop (a reload's thread), they touch nothing it uses. */
struct history_batch *histfeed_config_rows(const struct tslcd_config *cfg);
/* A config load: cfg NULL when the file was rejected (message says why).
 * rows: histfeed_config_rows(cfg), queued and left to the caller to free
 * (history_batch_free), or NULL: built and freed here. */
void histfeed_config_loaded(const struct tslcd_config *cfg, struct history_batch *rows,
                            const char *message);
/* Write today's (and a pending yesterday's) totals now, then stop. */
void histfeed_stop(void);

void histfeed_outage(const struct line *l, const struct outage *o);
/* The model's office_changed: an office outage (line_id 0) opens when the
 * office is cut off (isolated, or unreachable behind a node that is down:
 * no line up) and closes when it no longer is. */
void histfeed_office_changed(const struct office *o, enum office_status old);
void histfeed_notification(uint32_t seq, unsigned type, bool raise, uint32_t office, uint32_t line,
                           unsigned severity, int32_t value, int32_t threshold, const char *text);
/* A readiness report accepted or rejected (office 0 / r NULL: not known). */
void histfeed_report(uint32_t office, const struct readiness_report *r, bool accepted,
                     const char *state, const char *reason);

#endif
