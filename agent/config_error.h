/*
 * config_error: "FILE:LINE: message" errors for libconfuse-parsed files (the
 * config and the readiness reports).
 *
 * Contract: libconfuse's error hook carries no context pointer, so there is
 * one current sink per thread.  config_error_begin() installs one and returns the previous,
 * which config_error_end() puts back, so a parse may run inside another (a report
 * key loaded while the config is read).  Line 0 means "the whole file".
 */
#ifndef TSLCD_CONFIG_ERROR_H
#define TSLCD_CONFIG_ERROR_H

#include <stdarg.h>
#include <stddef.h>

#include <confuse.h>

/* Receives one formatted "FILE:LINE: message" per problem. */
typedef void (*config_error_fn)(void *ctx, const char *msg);

struct config_error {
	config_error_fn fn;
	void *ctx;
	const char *path;
	unsigned count;
	struct config_error *prev;
};

void config_error_begin(struct config_error *e, const char *path, config_error_fn fn, void *ctx);
void config_error_end(struct config_error *e);

void config_error_report(int line, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void config_error_vreport(int line, const char *fmt, va_list ap);
/* For cfg_set_error_function(): reports at libconfuse's current line. */
void config_error_confuse(cfg_t *cfg, const char *fmt, va_list ap);
/* A libconfuse option whose value must be a whole number in a range. */
struct config_error_range {
	const char *option;
	long min, max;
};

/* Value callbacks' shared check: `value` as a whole number within the
 * range listed for `opt` (any, if none is), else a libconfuse error naming
 * the option.  0 with *out set, or -1. */
int config_error_ranged_int(cfg_t *cfg, const cfg_opt_t *opt, const char *value,
                            const struct config_error_range *ranges, size_t n, long *out);

/* cfg_parse_buf() one at a time: libconfuse 3.3's lexer keeps its state in
 * globals, and a reload parses the config on its own thread while the loop
 * may parse a readiness report.  (The sink is per thread already.) */
int config_error_parse_buf(cfg_t *cfg, const char *text);

/* Problems reported to the current sink since its config_error_begin(). */
unsigned config_error_count(void);
/* Path of the file the current sink is reading. */
const char *config_error_path(void);

#endif
