/*
 * saver: periodic background saves of the state file (store.h).
 *
 * A save encodes the model on the loop in short slices (each record is
 * consistent; the save as a whole spans a few milliseconds per thousand
 * lines), then one writer thread hashes, writes and fsyncs the bytes and
 * reports through a pipe the loop watches.  At most one save runs at a
 * time; a config reload during the encoding abandons that save.
 *
 * Why not fork(): after a fork every page the loop writes is copied while
 * the child lives.  On a large model that made each save stall GETs by
 * tens of milliseconds (tests/bench, "state save").
 */
#ifndef TSLCD_SAVER_H
#define TSLCD_SAVER_H

#include "alarm.h"
#include "model.h"

/* Start periodic saves of *mp (re-read at each save, so a config reload
 * may replace the model, the directory or the interval) and of the active
 * alarms (the notifier's set, which lives as long as the saver). */
void saver_start(struct model **mp, const struct alarm_set *alarms);
/* Stop the timer, wait for a running write, save synchronously. */
void saver_stop(void);

#endif
