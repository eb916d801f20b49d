/*
 * reloader: a SIGHUP reload reads and checks the config on a thread of its
 * own, so probing and SNMP serving go on while a big file is parsed (100k
 * offices: seconds); only the swap to the new config runs on the loop.
 *
 * Contract: reloader_init() once, on the loop, after the signals are
 * blocked (the thread inherits the mask).  reloader_request() starts a
 * parse of the path, or, while one runs, queues one more (a file saved
 * again mid-parse is read again; requests in between fold into one).  The
 * thread calls config_load() and then `prepare` on a good config (the
 * costly build of what replaces the old one, touching nothing the loop
 * uses), nothing else: no Net-SNMP, no loop.  Its problems are kept, and
 * handed over on the loop when it ends: each to `err`, in order, then the
 * result to `done`: the config (NULL: the file was rejected) and what
 * prepare returned (NULL: nothing prepared); done owns both.
 * reloader_dispose() frees what a reload replaced (the old model: 0.17 s
 * for 100k offices) on a thread too: `fn` must touch nothing the loop
 * still uses.  reloader_stop() waits for a running parse and drops its
 * result (with `discard` for what was prepared), and waits for a disposal.
 */
#ifndef TSLCD_RELOADER_H
#define TSLCD_RELOADER_H

#include <stdbool.h>

#include "config.h"

struct reloader_hooks {
	config_error_fn err;
	void *(*prepare)(void *ctx, struct tslcd_config *cfg); /* on the thread */
	void (*done)(void *ctx, struct tslcd_config *cfg, void *prepared, double parse_ms);
	void (*discard)(void *ctx, struct tslcd_config *cfg, void *prepared);
	void *ctx;
};

int reloader_init(const char *path, const struct reloader_hooks *hooks);
void reloader_request(void);
bool reloader_busy(void);
void reloader_dispose(void (*fn)(void *obj), void *obj);
void reloader_stop(void);

#endif
