/*
 * textcheck: printable ASCII and well-formed UTF-8 text; see textcheck.h.
 */
#include "textcheck.h"

#include <stddef.h>
#include <stdint.h>

/* Length of the UTF-8 sequence at p and its code point, or 0 if it is not
 * well formed (RFC 3629: shortest form only, no surrogates, <= U+10FFFF). */
static size_t utf8_decode(const unsigned char *p, uint32_t *cp)
{
	static const uint32_t min_cp[] = {0, 0, 0x80, 0x800, 0x10000};
	size_t n = p[0] < 0x80             ? 1
	           : (p[0] & 0xe0) == 0xc0 ? 2
	           : (p[0] & 0xf0) == 0xe0 ? 3
	           : (p[0] & 0xf8) == 0xf0 ? 4
	                                   : 0;

	if (n == 0)
		return 0;
	*cp = n == 1 ? p[0] : (uint32_t)(p[0] & (0x7f >> n));
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80) /* the terminating NUL stops here too */
			return 0;
		*cp = (*cp << 6) | (p[i] & 0x3f);
	}
	if (*cp < min_cp[n] || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return n;
}

static int is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

const char *textcheck_problem(const char *s, enum text_kind kind)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		uint32_t cp;
		size_t n = utf8_decode(p, &cp);
		if (n == 0)
			return kind == TEXT_ASCII ? "is not printable ASCII" : "is not valid UTF-8";
		if (is_control(cp))
			return "contains a control character";
		if (kind == TEXT_ASCII && cp > 0x7e)
			return "is not printable ASCII";
		p += n;
	}
	return NULL;
}
