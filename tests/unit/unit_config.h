/*
 * unit_config: a configuration from text, for the unit tests that build a
 * model.  The agent section (a private temporary state directory, no
 * control socket) comes first, then the printf-style rest; the file is
 * written to the temporary directory, loaded with config_load() (its
 * messages go to stderr) and removed with the directory.  A config that
 * does not load fails the test.
 */
#ifndef TSLCD_UNIT_CONFIG_H
#define TSLCD_UNIT_CONFIG_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

static inline void unit_config_message(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "config: %s\n", msg);
}

__attribute__((format(printf, 1, 2))) static inline struct tslcd_config *
unit_config(const char *fmt, ...)
{
	char dir[] = "/tmp/tslcd-unit-XXXXXX", path[64];
	va_list ap;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/tslcd.conf", dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "agent {\n state-dir = \"%s\"\n control-socket = \"\"\n}\n", dir);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
	chmod(path, 0600); /* a config holding a community must not be readable by all */
	struct tslcd_config *cfg = config_load(path, unit_config_message, NULL);
	unlink(path);
	rmdir(dir);
	ck_assert_ptr_nonnull(cfg);
	return cfg;
}

#endif
