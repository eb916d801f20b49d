/*
 * alarm_rules: the one home of the rules that decide an alarm is due.  It
 * turns model transitions (line and office states, the congestion and
 * redundancy rules, the availability target) into raise and clear
 * decisions, with the figures and the text the NOC receives; the notifier
 * only keeps the table, controls storms and sends.
 *
 * Contract
 *  - No Net-SNMP: the unit tests feed transitions and read the decisions.
 *  - Every decision goes to the sink (main: notify_apply); a transition
 *    makes zero, one or two of them, clears first ("degradation over, now
 *    down").  Raising an active alarm or clearing an inactive one is the
 *    notifier's no-op, so level-triggered rules may repeat themselves.
 *  - The transitions' functions have the model's and the readiness
 *    engine's listener shapes, so main and readiness_run point the
 *    listeners at them; ctx is unused.
 *  - Line rules read the probe thresholds in force from the bound model
 *    (a heightened period may have tightened them).
 */
#ifndef TSLCD_ALARM_RULES_H
#define TSLCD_ALARM_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "alarm.h"
#include "flap.h"
#include "model.h"
#include "readiness.h"

struct alarm_decision {
	struct alarm_key key;
	bool raise;                      /* false: clear */
	uint8_t severity;                /* enum severity; SEV_CLEARED on a clear */
	int32_t value, threshold;        /* TslcdAlarmTypeTC units; raise or clear threshold */
	char text[256];                  /* "": the notifier names the office (and line) */
	const struct alarm_extra *extra; /* readiness figures, or NULL */
	uint16_t hold_s; /* raise: announce only if it still stands, uncovered, after this */
};

typedef void (*alarm_rules_sink)(const struct alarm_decision *d);

void alarm_rules_set_sink(alarm_rules_sink sink);
/* After start-up or a reload, before the model's first transition. */
void alarm_rules_bind(const struct model *m);

/* One decision from a rule of another file (alarm_area.c). */
void alarm_rules_decide(bool raise, unsigned type, uint32_t office, uint32_t line, int64_t value,
                        int64_t threshold, const char *text, const struct alarm_extra *extra);
/* The office's line and office alarms that stand, raised again with a
 * fresh hold (an area alarm that covered them cleared). */
void alarm_rules_office_again(const struct office *o);
/* A root alarm (an area outage) stands for this line/office alarm: the
 * notifier keeps it in the table and does not announce it. */
bool alarm_rules_covered(const struct alarm_key *k);
/* Every few seconds: the level-triggered parts of the rules. */
void alarm_rules_tick(time_t now);

/* A figure for a text, in the unit people read: ppm as percent ("40 %",
 * "1.23 %"), microseconds as milliseconds ("1.5 ms"). */
const char *alarm_rules_human(char *buf, size_t len, uint32_t x, bool us);

/* ---- model transitions (model_listener shapes) ---- */
void alarm_rules_line_changed(void *ctx, const struct line *l, enum line_status old);
void alarm_rules_office_changed(void *ctx, const struct office *o, enum office_status old);
void alarm_rules_utilisation_high(void *ctx, const struct line *l, enum bw_dir dir,
                                  uint32_t p95_ppm, uint32_t threshold_ppm);
void alarm_rules_utilisation_cleared(void *ctx, const struct line *l, enum bw_dir dir,
                                     uint32_t p95_ppm, uint32_t threshold_ppm);
void alarm_rules_redundancy_noncompliant(void *ctx, const struct office *o, unsigned paths,
                                         unsigned required);
void alarm_rules_redundancy_compliant(void *ctx, const struct office *o, unsigned paths,
                                      unsigned required);
/* nodeDown when a node goes down with its parent up (the root cause); a
 * node unreachable behind it raises nothing.  Cleared when it is up. */
void alarm_rules_node_changed(void *ctx, const struct node *n, enum node_status old);
void alarm_rules_monitoring_changed(void *ctx, const struct model *m, enum monitoring_state old);

/* ---- readiness engine transitions (readiness_listener shapes) ---- */
/* readinessNotReady while notReady; any other state (even unknown) clears
 * it, reportStale then says why the state is not known. */
void alarm_rules_readiness_state(void *ctx, const struct office_readiness *e,
                                 enum readiness_state old);
void alarm_rules_report_stale(void *ctx, const struct office_readiness *e, bool stale);
void alarm_rules_cert_expiring(void *ctx, const struct office_readiness *e, bool expiring);

/* ---- states rather than transitions ---- */

/* States the model holds without a transition the rules saw (restored from
 * the state file, or a reload): raise what holds; with judge, also clear
 * the line and office alarms whose state no longer holds (the alarms a
 * restart took over are judged again once). */
void alarm_rules_standing(const struct model *m, bool judge);
/* lineFlapping: the line changed `changes` times within the window (raise),
 * or has been stable for the window (clear). */
void alarm_rules_flapping(const struct line *l, bool flapping, unsigned changes,
                          const struct flap_params *fp);
/* availabilityLow per office, level-triggered: call it from the tick.
 * Judged only with `sla-min-monitored` seconds of the window monitored; a
 * target of 0 clears what a previous config raised. */
void alarm_rules_availability(const struct model *m, time_t now);

#endif
