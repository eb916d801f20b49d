/*
 * control: the local control socket that tslcdctl talks to.
 *
 * Contract: a unix stream socket (mode 0660, so access follows the file's
 * owner and group); each connection sends one request line and gets one
 * reply line, "ok ..." or "error: ...".  Requests change the model only
 * through its public functions.  Requests:
 *   outage-cause OFFICE.LINE OUTAGE CAUSE [TICKET]
 *   status
 *   bandwidth OFFICE.LINE      month and quarter averages and peaks
 */
#ifndef TSLCD_CONTROL_H
#define TSLCD_CONTROL_H

#include <stddef.h>

#include "model.h"

int control_start(const char *path, struct model *const *model);
void control_stop(void);

/* Executes one request line; the reply goes to out (no I/O: testable). */
void control_execute(struct model *m, char *request, char *out, size_t outlen);

#endif
