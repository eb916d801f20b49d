/*
 * heightened: which heightened-vigilance period (Tet, elections; section
 * `notify`) is in force, and what it changes: severities one step up and
 * the probe thresholds of the rounds to come.
 *
 * Contract: heightened_tick() is called from the periodic tick (and once
 * after start-up or a reload) with the config in force; it returns true
 * when a period began or ended, so the notifier can re-grade its active
 * alarms.  Between ticks the answers are stable.  heightened_bind() forgets
 * the period before the config it points into is freed.  No Net-SNMP:
 * alarm_rules and the unit tests use it.
 */
#ifndef TSLCD_HEIGHTENED_H
#define TSLCD_HEIGHTENED_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "config.h"

void heightened_bind(const struct notify_cfg *cfg);
bool heightened_tick(time_t now);
/* The configured severity of an alarm type, one step up in a period. */
uint8_t heightened_severity(unsigned type);
/* The probe thresholds in force now (NULL: the config's own). */
const struct linestate_params *heightened_thresholds(void);
/* "" when no period is in force. */
const char *heightened_name(void);

#endif
