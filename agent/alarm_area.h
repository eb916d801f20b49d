/*
 * alarm_area: the area-outage rule.  A storm or a commune's power cut takes
 * many offices down at once; when at least `min-offices` offices of one
 * group (a commune, district, carrier or named group, config.h) become
 * isolated within `window` seconds, one areaOutage alarm stands for them
 * all, and the grouped offices' own line and office raises stay in the
 * alarm table without being sent.  It clears when fewer than `clear-below`
 * of the group are isolated.
 *
 * Contract
 *  - Part of the rules (alarm_rules.c feeds it office transitions and
 *    hands its decisions to the same sink); no Net-SNMP, no clock of its
 *    own: callers pass the wall time.
 *  - Raises of a grouped office's lineDown, lineDegraded, officeIsolated
 *    and redundancyNonCompliant wait `hold` seconds (alarm_area_hold()),
 *    so the offices of a group that fail over one probe interval are
 *    caught by the area alarm rather than announced one by one; the
 *    notifier asks alarm_area_covers() when a hold ends.
 *  - Level-triggered clear at alarm_area_tick(): an area alarm restored
 *    from the state file clears once the window has passed without the
 *    offices to hold it.
 */
#ifndef TSLCD_ALARM_AREA_H
#define TSLCD_ALARM_AREA_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "model.h"

/* After start-up or a reload: the groups of m's config; the state of
 * groups with the same kind and name carries over. */
void alarm_area_bind(const struct model *m, time_t now);
void alarm_area_office_changed(const struct office *o, enum office_status old, time_t now);
void alarm_area_tick(time_t now);
/* An area alarm of one of the office's groups stands. */
bool alarm_area_covers(uint32_t office);
/* Seconds a raise of this office's line/office alarms waits (0: none). */
unsigned alarm_area_hold(uint32_t office);
/* Offices of group number g (index + 1) isolated now; false if no such group. */
bool alarm_area_counts(uint32_t g, unsigned *down, unsigned *total, bool *active);
void alarm_area_free(void);

#endif
