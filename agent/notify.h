/*
 * notify: the transport of alarms.  It keeps the active alarm table
 * (tslcdAlarmTable), controls storms, and builds each notification as
 * TSLCD-MIB defines it and sends it through the AgentX master
 * (send_v2trap(); the master's trap2sink/trapsess/informsink deliver it).
 * Whether an alarm is due is decided elsewhere (alarm_rules.c; the
 * readiness engine's glue); heightened periods are heightened.c's.
 *
 * Contract
 *  - Driven by decisions (notify_apply(), which main hands to alarm_rules
 *    as its sink) and by line transitions for flap dampening
 *    (notify_line_changed()).  Single-threaded: call from the event loop
 *    only.
 *  - The alarm table always equals the set of raised, uncleared alarms,
 *    whatever happens to the notifications (rate limit, flap hold, master
 *    away).  Every raise has a clear.
 *  - Every notification due gets the next tslcdNotifySeq, even when storm
 *    control drops it (tslcdNotificationsSuppressed counts those), so a
 *    gap tells the manager to re-read tslcdAlarmTable.  Each one is kept
 *    in the notification log (alarmlog.h) with its fate, and each alarm
 *    that leaves the table in the cleared-alarm ring; the rings take
 *    their sizes from notify.log-size and notify.cleared-size.
 *  - Varbinds: snmpTrapOID.0, then the OBJECTS of the NOTIFICATION-TYPE in
 *    order: tslcdOffice* columns with instance .OFFICE, tslcdLine* with
 *    .OFFICE.LINE, tslcdReadiness* with .OFFICE, and the
 *    accessible-for-notify tslcdNotify* objects with instance .0 (they are
 *    per-notification values, like scalars).
 *  - Storm control: a global token bucket (notify.rate per second,
 *    notify.burst at once), and per-line flap dampening: a line with more
 *    than notify.flap-count state changes (flap_counts(): not maintenance,
 *    not the first verdict after start-up) within notify.flap-window seconds
 *    raises lineFlapping, and its lineDown/lineUp/lineDegraded (and its
 *    office's officeIsolated/Restored) notifications are held until it has
 *    been stable for the window; then lineFlappingCleared is sent and
 *    whatever the NOC was not told (an alarm still up, a clear it is owed)
 *    is sent.  On every (re)connect to the master the same reconciliation
 *    runs and, with notify.resend-on-connect (default), every active alarm
 *    is announced again.
 *
 * Decisions (struct alarm_decision) are keyed by (type, office, line);
 * line is 0 for office-level types.  Applying them is idempotent: raising
 * an active alarm only updates its value, threshold and text in the table
 * (no new notification), and clearing an inactive one does nothing, so a
 * level-triggered rule may decide on every evaluation.  An empty text: a
 * default naming the office (and line).  The readiness columns come from
 * the decision's extra (kept in the alarm for an owed clear); the office
 * and line columns from the model, through the MIB's descriptors.
 */
#ifndef TSLCD_NOTIFY_H
#define TSLCD_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "alarm.h"
#include "alarm_rules.h"
#include "model.h"

/* One decision of the rules: raise (with its severity) or clear. */
void notify_apply(const struct alarm_decision *d);
bool notify_is_active(enum alarm_type type, uint32_t office, uint32_t line);

/* ---- wiring (main) ---- */

/* After a restart, before the first notify_bind_model(): take over the
 * alarms the state file held (s is left empty).  The NOC was told of them,
 * so each is judged again: alarm_rules_standing(m, true) after the bind
 * keeps the line and office alarms whose state still holds (announced
 * again on connect) and clears the others; lineFlapping clears once the line has been stable for
 * the window; the engines (redundancy, utilisation, SLA, readiness) raise or clear theirs at their
 * first evaluation. */
void notify_restore(struct alarm_set *s);
/* Size the notification log and cleared-alarm rings (notify.log-size,
 * cleared-size); main calls it before the state file is read, so the
 * entries it holds have room, and every bind calls it again. */
struct notify_cfg;
void notify_logs_resize(const struct notify_cfg *c);
/* Point at the model after start-up or a reload (call before freeing the
 * old one): alarms of offices and lines that are gone are cleared. */
void notify_bind_model(const struct model *m);
/* Flap dampening counts the line's changes (lineFlapping's rule text is
 * alarm_rules_flapping()). */
void notify_line_changed(const struct line *l, enum line_status old);
/* Every few seconds: flap ends. */
void notify_tick(void);
/* A heightened period began or ended: active alarms take the severity now
 * in force (heightened_severity()). */
void notify_regrade(void);
void notify_master_connected(void);
void notify_master_lost(void);
void notify_shutdown(void);
/* Carry the sequence on from the last number recorded (the history), so
 * numbers are not reused across restarts. */
void notify_seq_resume(uint32_t last);

/* ---- operator actions (control socket) ----
 * Each returns NULL, or why not (then nothing changed).  The caller checks
 * texts (alarm_shelf_text_problem) and that a shelf's target exists; who
 * is "NAME (uid N)" or "uid N".  A shelf silences the raises and clears of
 * the alarms it covers (alarm_shelf.h), logged with fate shelved; when it
 * is removed or ends (notify_tick), what the NOC was not told is sent, as
 * after a flap hold. */
struct shelf;
struct alarm_shelves;
const struct alarm *notify_alarm_by_id(uint32_t id);
const char *notify_ack(uint32_t id, const char *who, const char *note);
const char *notify_unack(uint32_t id);
const char *notify_shelve(const struct shelf *sh);
const char *notify_unshelve(const struct shelf *target);
/* The shelf covering k that ends last, NULL when none. */
const struct shelf *notify_shelf_of(const struct alarm_key *k);
const struct alarm_shelves *notify_shelves(void);

/* ---- read by the MIB ---- */

uint32_t notify_seq(void);
uint32_t notify_suppressed(void);
/* Wall ms of the last change of the alarm table (tslcdAlarmsLastChanged):
 * a row raised or cleared, a severity or seq changed; the first bind
 * counts as one.  Refreshed values and texts of standing alarms do not. */
int64_t notify_alarms_changed_ms(void);
const struct alarm_set *notify_alarms(void);
bool notify_line_is_flapping(uint32_t office, uint32_t line);

#endif
