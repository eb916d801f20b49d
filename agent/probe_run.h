/*
 * probe_run: wires the prober to the model.  Each probed line gets a prober
 * job whose results become model_line_round() calls; maintenance windows
 * are applied at each round.  Stopping removes every job of a model, so a
 * reload can start the new model's jobs before the old model is freed.
 */
#ifndef TSLCD_PROBE_RUN_H
#define TSLCD_PROBE_RUN_H

#include "model.h"

int probe_run_start(struct model *m);
void probe_run_stop(struct model *m);

#endif
