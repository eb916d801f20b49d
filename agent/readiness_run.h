/*
 * readiness_run: the readiness engine inside the daemon.  Wires the spool
 * (report ingestion), the TLS checks and a periodic re-judgement to the
 * engine, publishes it to the MIB, and turns its transitions into log lines
 * and notifications.
 *
 * Contract: start once after the model exists; reload() with the new
 * config *before* the old config is freed (the engine points into it);
 * stop() before the config is freed at exit.  Loop thread only.
 */
#ifndef TSLCD_READINESS_RUN_H
#define TSLCD_READINESS_RUN_H

#include "config.h"
#include "readiness.h"

int readiness_run_start(const struct tslcd_config *cfg);
void readiness_run_reload(const struct tslcd_config *cfg);
void readiness_run_stop(void);
struct readiness *readiness_run_engine(void);

#endif
