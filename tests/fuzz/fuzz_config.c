/*
 * libFuzzer target: the config loader (libconfuse plus our validation).
 *
 * config_load() only reads files, so each input is written to one temp
 * file, loaded, and freed; ASan's leak check then catches error paths that
 * forget to free.  Every outcome but a crash, a leak or a hang is fine.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

static char path[64];

/* Errors are expected; printing them would only slow the fuzzer down. */
static void quiet(void *ctx, const char *msg)
{
	(void)ctx, (void)msg;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	int fd;

	/* A key path of /dev/stdin must not wait for a terminal. */
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0) {
		dup2(fd, 0);
		close(fd);
	}
	snprintf(path, sizeof(path), "/tmp/tslcd-fuzz-config-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		abort();
	close(fd);
	return 0;
}

static int write_input(const uint8_t *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_TRUNC);

	if (fd < 0)
		return -1;
	ssize_t n = write(fd, data, size);
	close(fd);
	return n == (ssize_t)size ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (write_input(data, size) < 0)
		abort(); /* /tmp is full: nothing sensible to test */
	config_free(config_load(path, quiet, NULL));
	return 0;
}
