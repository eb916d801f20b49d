/*
 * cfgerr: one current error sink for libconfuse parses; see cfgerr.h.
 */
#include "cfgerr.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Per thread: a reload parses the config off the loop (main.c) while the
 * loop may parse a readiness report. */
static _Thread_local struct cfgerr *current;

void cfgerr_begin(struct cfgerr *e, const char *path, cfgerr_fn fn, void *ctx)
{
	*e = (struct cfgerr){.fn = fn, .ctx = ctx, .path = path, .prev = current};
	current = e;
}

void cfgerr_end(struct cfgerr *e)
{
	current = e->prev;
}

void cfgerr_vreport(int line, const char *fmt, va_list ap)
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

void cfgerr_report(int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfgerr_vreport(line, fmt, ap);
	va_end(ap);
}

void cfgerr_confuse(cfg_t *cfg, const char *fmt, va_list ap)
{
	cfgerr_vreport(cfg ? cfg->line : 0, fmt, ap);
}

int cfgerr_parse_buf(cfg_t *cfg, const char *text)
{
	static pthread_mutex_t lexer = PTHREAD_MUTEX_INITIALIZER;

	pthread_mutex_lock(&lexer);
	int rc = cfg_parse_buf(cfg, text);
	pthread_mutex_unlock(&lexer);
	return rc;
}

unsigned cfgerr_count(void)
{
	return current ? current->count : 0;
}

const char *cfgerr_path(void)
{
	return current ? current->path : "";
}

int cfgerr_ranged_int(cfg_t *cfg, const cfg_opt_t *opt, const char *value,
                      const struct cfgerr_range *ranges, size_t n, long *out)
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
