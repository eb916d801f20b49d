/*
 * libFuzzer target for the readiness report parser, which reads untrusted
 * bytes before any signature is checked (the office id inside selects the
 * keys).  Build and run: make fuzz (FUZZ_SECONDS=60 by default).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "readiness_report.h"

static void ignore(void *ctx, const char *msg)
{
	(void)ctx, (void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct readiness_report r;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0'; /* the agent refuses NUL bytes before parsing */
	readiness_report_parse("fuzz", text, &r, ignore, NULL);
	free(text);
	return 0;
}
