/*
 * reach: wires the prober to the model.  Each probed line gets a prober
 * job whose results become model_line_round() calls; maintenance windows
 * are applied at each round.  Stopping removes every job of a model, so a
 * reload can start the new model's jobs before the old model is freed.
 */
#ifndef TSLCD_REACH_H
#define TSLCD_REACH_H

#include "model.h"

int reach_start(struct model *m);
void reach_stop(struct model *m);

#endif
