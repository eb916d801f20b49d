/*
 * readiness_run: the readiness engine inside the daemon.  Wires the spool
 * (report ingestion), the TLS checks and a periodic re-judgement to the
 * engine, publishes it to the MIB, and turns its transitions into log lines
 * and notifications.
 *
 * Contract: start once after the model exists; stop() before the config
 * is freed at exit.  A reload runs in main.c's phases: prepare(new config)
 * builds the next engine from the running one's state and may fail (then
 * abort() drops it, or it is simply never swapped in); pause() stops the
 * spool, TLS checks and tick; swap() makes the next engine the running
 * one and must come *before* the old config is freed (the engine points
 * into it); resume() starts the services on the new config.  Loop thread
 * only.
 */
#ifndef TSLCD_READINESS_RUN_H
#define TSLCD_READINESS_RUN_H

#include <stdbool.h>

#include "config.h"
#include "readiness.h"

int readiness_run_start(const struct tslcd_config *cfg);
bool readiness_run_prepare(const struct tslcd_config *cfg);
void readiness_run_abort(void);
void readiness_run_pause(void);
void readiness_run_swap(void);
void readiness_run_resume(void);
void readiness_run_stop(void);
struct readiness *readiness_run_engine(void);

#endif
