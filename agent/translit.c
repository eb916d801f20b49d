/*
 * translit: one table row per ASCII letter lists the Vietnamese letters
 * that fold onto it; the rows are read once into a sorted code point map.
 */
#include "translit.h"

#include <stdint.h>
#include <stdlib.h>

static const struct {
	char ascii;
	const char *letters; /* UTF-8 */
} folds[] = {
    {'a', "àáảãạăằắẳẵặâầấẩẫậ"},
    {'A', "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ"},
    {'e', "èéẻẽẹêềếểễệ"},
    {'E', "ÈÉẺẼẸÊỀẾỂỄỆ"},
    {'i', "ìíỉĩị"},
    {'I', "ÌÍỈĨỊ"},
    {'o', "òóỏõọôồốổỗộơờớởỡợ"},
    {'O', "ÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ"},
    {'u', "ùúủũụưừứửữự"},
    {'U', "ÙÚỦŨỤƯỪỨỬỮỰ"},
    {'y', "ỳýỷỹỵ"},
    {'Y', "ỲÝỶỸỴ"},
    {'d', "đ"},
    {'D', "Đ"},
};

struct fold {
	uint32_t cp;
	char ascii;
};

static struct fold map[160];
static size_t n_map;

/* Decodes one UTF-8 character; returns its length, 0 when malformed. */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
	size_t n = s[0] < 0x80             ? 1
	           : (s[0] & 0xE0) == 0xC0 ? 2
	           : (s[0] & 0xF0) == 0xE0 ? 3
	           : (s[0] & 0xF8) == 0xF0 ? 4
	                                   : 0;
	if (!n)
		return 0;
	*cp = n == 1 ? s[0] : s[0] & (0x7F >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3F);
	}
	return n;
}

static int fold_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct fold *)a)->cp, y = ((const struct fold *)b)->cp;
	return (x > y) - (x < y);
}

static void build_map(void)
{
	for (size_t i = 0; i < sizeof(folds) / sizeof(folds[0]); i++) {
		const unsigned char *s = (const unsigned char *)folds[i].letters;
		size_t n;
		uint32_t cp;
		for (; *s && n_map < sizeof(map) / sizeof(map[0]) && (n = utf8_decode(s, &cp));
		     s += n)
			map[n_map++] = (struct fold){cp, folds[i].ascii};
	}
	qsort(map, n_map, sizeof(map[0]), fold_cmp);
}

/* The ASCII for one non-ASCII code point; 0 means drop it. */
static char fold_of(uint32_t cp)
{
	if (cp >= 0x300 && cp <= 0x36F) /* combining marks of decomposed text */
		return 0;
	struct fold key = {cp, 0};
	const struct fold *f = bsearch(&key, map, n_map, sizeof(map[0]), fold_cmp);
	return f ? f->ascii : '?';
}

char *translit_ascii(const char *in, char *out, size_t len)
{
	const unsigned char *s = (const unsigned char *)(in ? in : "");
	size_t o = 0;

	if (!n_map)
		build_map();
	while (*s && o + 1 < len) {
		uint32_t cp;
		size_t n = utf8_decode(s, &cp);
		char c = !n ? '?' : cp < 0x80 ? (char)cp : fold_of(cp);
		s += n ? n : 1;
		if (c)
			out[o++] = c;
	}
	if (len)
		out[o] = '\0';
	return out;
}
