/*
 * cfgerr: one current error sink for libconfuse parses; see cfgerr.h.
 */
#include "cfgerr.h"

#include <stdio.h>

static struct cfgerr *current;

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

unsigned cfgerr_count(void)
{
	return current ? current->count : 0;
}

const char *cfgerr_path(void)
{
	return current ? current->path : "";
}
