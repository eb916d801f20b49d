/*
 * numarg: digits only, overflow checked digit by digit (strtoul accepts
 * blanks, a sign and trailing text, and wraps "-1" to ULONG_MAX).
 */
#include "numarg.h"

#include <stddef.h>
#include <string.h>

/* Parses len digits of text; false on anything else or above max. */
static bool digits(const char *text, size_t len, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;

	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(text[i] - '0');
		if (v > max)
			return false;
	}
	if (v < min)
		return false;
	*out = (uint32_t)v;
	return true;
}

bool numarg_u32(const char *text, uint32_t min, uint32_t max, uint32_t *out)
{
	return text && digits(text, strlen(text), min, max, out);
}

bool numarg_line_ref(const char *text, uint32_t *office, uint32_t *line)
{
	const char *dot = text ? strchr(text, '.') : NULL;
	uint32_t o, l;

	if (!dot || !digits(text, (size_t)(dot - text), 1, UINT32_MAX, &o) ||
	    !numarg_u32(dot + 1, 1, UINT32_MAX, &l))
		return false;
	*office = o;
	*line = l;
	return true;
}
