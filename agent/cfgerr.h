/*
 * cfgerr: "FILE:LINE: message" errors for libconfuse-parsed files (the
 * config and the readiness reports).
 *
 * Contract: libconfuse's error hook carries no context pointer, so there is
 * one current sink per thread.  cfgerr_begin() installs one and returns the previous,
 * which cfgerr_end() puts back, so a parse may run inside another (a report
 * key loaded while the config is read).  Line 0 means "the whole file".
 */
#ifndef TSLCD_CFGERR_H
#define TSLCD_CFGERR_H

#include <stdarg.h>
#include <stddef.h>

#include <confuse.h>

/* Receives one formatted "FILE:LINE: message" per problem. */
typedef void (*cfgerr_fn)(void *ctx, const char *msg);

struct cfgerr {
	cfgerr_fn fn;
	void *ctx;
	const char *path;
	unsigned count;
	struct cfgerr *prev;
};

void cfgerr_begin(struct cfgerr *e, const char *path, cfgerr_fn fn, void *ctx);
void cfgerr_end(struct cfgerr *e);

void cfgerr_report(int line, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cfgerr_vreport(int line, const char *fmt, va_list ap);
/* For cfg_set_error_function(): reports at libconfuse's current line. */
void cfgerr_confuse(cfg_t *cfg, const char *fmt, va_list ap);
/* A libconfuse option whose value must be a whole number in a range. */
struct cfgerr_range {
	const char *option;
	long min, max;
};

/* Value callbacks' shared check: `value` as a whole number within the
 * range listed for `opt` (any, if none is), else a libconfuse error naming
 * the option.  0 with *out set, or -1. */
int cfgerr_ranged_int(cfg_t *cfg, const cfg_opt_t *opt, const char *value,
                      const struct cfgerr_range *ranges, size_t n, long *out);

/* cfg_parse_buf() one at a time: libconfuse 3.3's lexer keeps its state in
 * globals, and a reload parses the config on its own thread while the loop
 * may parse a readiness report.  (The sink is per thread already.) */
int cfgerr_parse_buf(cfg_t *cfg, const char *text);

/* Problems reported to the current sink since its cfgerr_begin(). */
unsigned cfgerr_count(void);
/* Path of the file the current sink is reading. */
const char *cfgerr_path(void);

#endif
