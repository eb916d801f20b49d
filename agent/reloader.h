/*
 * reloader: a SIGHUP reload reads and checks the config on a thread of its
 * own, so probing and SNMP serving go on while a big file is parsed (100k
 * offices: seconds); only the swap to the new config runs on the loop.
 *
 * Contract: reloader_init() once, on the loop, after the signals are
 * blocked (the thread inherits the mask).  reloader_request() starts a
 * parse of the path, or, while one runs, queues one more (a file saved
 * again mid-parse is read again; requests in between fold into one).  The
 * thread calls config_load() and nothing else: no Net-SNMP, no model, no
 * loop.  Its problems are kept, and handed over on the loop when it ends:
 * each to `err`, in order, then the result to `done`, which owns it (NULL:
 * the file was rejected).  reloader_stop() waits for a running parse and
 * drops its result.
 */
#ifndef TSLCD_RELOADER_H
#define TSLCD_RELOADER_H

#include <stdbool.h>

#include "config.h"

typedef void (*reloader_done_fn)(void *ctx, struct tslcd_config *cfg, double parse_ms);

int reloader_init(const char *path, config_error_fn err, reloader_done_fn done, void *ctx);
void reloader_request(void);
bool reloader_busy(void);
void reloader_stop(void);

#endif
