/*
 * config_error: one current error sink for libconfuse parses; see config_error.h.
 */
#include "config_error.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Per thread: a reload parses the config off the loop (main.c) while the
 * loop may parse a readiness report. */
static _Thread_local struct config_error *current;

void config_error_begin(struct config_error *e, const char *path, config_error_fn fn, void *ctx)
{
	*e = (struct config_error){.fn = fn, .ctx = ctx, .path = path, .prev = current};
	current = e;
}

void config_error_end(struct config_error *e)
{
	current = e->prev;
}

void config_error_vreport(int line, const char *fmt, va_list ap)
{
	char msg[512];
	char full[768];

	if (!current)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (line > 0)
		snprintf(full, sizeof(full), "%s:%d: %s", current->path, line, msg);
	else
		snprintf(full, sizeof(full), "%s: %s", current->path, msg);
	current->count++;
	if (current->fn)
		current->fn(current->ctx, full);
}

void config_error_report(int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	config_error_vreport(line, fmt, ap);
	va_end(ap);
}

void config_error_confuse(cfg_t *cfg, const char *fmt, va_list ap)
{
	config_error_vreport(cfg ? cfg->line : 0, fmt, ap);
}

int config_error_parse_buf(cfg_t *cfg, const char *text)
{
	static pthread_mutex_t lexer = PTHREAD_MUTEX_INITIALIZER;

	pthread_mutex_lock(&lexer);
	int rc = cfg_parse_buf(cfg, text);
	pthread_mutex_unlock(&lexer);
	return rc;
}

unsigned config_error_count(void)
{
	return current ? current->count : 0;
}

const char *config_error_path(void)
{
	return current ? current->path : "";
}

int config_error_ranged_int(cfg_t *cfg, const cfg_opt_t *opt, const char *value,
                            const struct config_error_range *ranges, size_t n, long *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(value, &end, 10);
	if (errno || end == value || *end) {
		cfg_error(cfg, "option '%s': '%s' is not a whole number", opt->name, value);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (strcmp(ranges[i].option, opt->name))
			continue;
		if (v < ranges[i].min || v > ranges[i].max) {
			cfg_error(cfg, "option '%s': %lld is outside %ld..%ld", opt->name, v,
			          ranges[i].min, ranges[i].max);
			return -1;
		}
	}
	*out = (long)v;
	return 0;
}
