/*
 * sla: the availability target per office (tslcdAvailabilityLow/Cleared).
 *
 * Contract: sla_evaluate() looks at every office's raw availability over
 * the configured window and raises availabilityLow while it is below the
 * target, clearing it once it is back at or above the target.  An office is
 * judged only after `sla-min-monitored` seconds of the window were
 * monitored, so a freshly started agent never raises on a few seconds of
 * data.  Level-triggered (notify_raise/clear are idempotent): call it from
 * the periodic tick.  A target of 0 disables it.
 */
#ifndef TSLCD_SLA_H
#define TSLCD_SLA_H

#include <time.h>

#include "model.h"

void sla_evaluate(const struct model *m, time_t now);

#endif
