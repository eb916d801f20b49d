/*
 * config_text: comment stripping with a small scanner that mirrors
 * libconfuse's lexer (quoted strings, their escapes, the comment forms),
 * plus the checks libconfuse does not make: it accepts a file that ends
 * inside a section (so a truncated file would load, its tail silently
 * lost) and lets a missing quote swallow the lines after it.
 */
#include "config_text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smallfile.h"

#define MAX_CONFIG_BYTES (64u << 20) /* far above 100,000 offices (37 MB) */
#define MAX_DEPTH        32          /* sections nest 3 deep; deeper is nonsense */
/* libconfuse's lexer reads its input 8 KiB at a time and rescans the token
 * it is in from its start after each read, so one long token (a run of
 * blanks, a bare word) costs time quadratic in its length: 4 MB took
 * seconds.  No option needs a long line (lists may span lines). */
#define MAX_LINE_BYTES 65536u

enum state { CODE, DQUOTE, SQUOTE, LINE_COMMENT, BLOCK_COMMENT };

struct scan {
	enum state st;
	int line;
	int opened_at; /* line of the string or block comment being read */
	size_t line_bytes;
	int depth, brace_line[MAX_DEPTH];
	int bad_line;
	const char *what;
};

static void fault(struct scan *s, int line, const char *what)
{
	if (!s->bad_line) {
		s->bad_line = line;
		s->what = what;
	}
}

/* Braces outside strings and comments: remember where each section opens. */
static void brace(struct scan *s, char c)
{
	if (c == '{') {
		if (s->depth == MAX_DEPTH)
			fault(s, s->line, "sections nested too deeply");
		else
			s->brace_line[s->depth++] = s->line;
	} else if (c == '}' && s->depth > 0) {
		s->depth--; /* an extra '}' is left to libconfuse to report */
	}
}

/* libconfuse replaces ${NAME} (bare or in double quotes) by the agent's
 * environment, with no flag to turn it off: a report could then read the
 * agent's variables into its .reason file, and the same signed bytes would
 * mean different things on different hosts.  Refuse it instead. */
static void env_expansion(struct scan *s)
{
	fault(s, s->line,
	      "'${' is refused: libconfuse would replace ${NAME} by an environment variable "
	      "(write a literal '$' as \\$ inside double quotes, or use single quotes)");
}

/* One character of code; returns how many it consumed (2 for a "/" "*"). */
static size_t in_code(struct scan *s, const char *p, const char *end, char *out)
{
	char next = p + 1 < end ? p[1] : '\0';

	*out = *p;
	if (*p == '"' || *p == '\'') {
		s->st = *p == '"' ? DQUOTE : SQUOTE;
		s->opened_at = s->line;
	} else if (*p == '#' || (*p == '/' && next == '/')) {
		s->st = LINE_COMMENT;
		*out = ' ';
	} else if (*p == '$' && next == '{') {
		env_expansion(s);
	} else if (*p == '/' && next == '*') {
		s->st = BLOCK_COMMENT;
		s->opened_at = s->line;
		out[0] = out[1] = ' '; /* both: slash-star-slash must not close it */
		return 2;
	} else {
		brace(s, *p);
	}
	return 1;
}

/* libconfuse: a backslash escapes anything, a newline included. */
static size_t in_string(struct scan *s, const char *p, const char *end, char *out)
{
	if (*p == '\\' && p + 1 < end) {
		out[0] = p[0];
		out[1] = p[1];
		return 2;
	}
	if (s->st == DQUOTE && *p == '$' && p + 1 < end && p[1] == '{')
		env_expansion(s);
	if (*p == '\n') /* no option takes a multi-line value */
		fault(s, s->opened_at, "a quoted string does not end on its line (missing quote?)");
	if (*p == (s->st == DQUOTE ? '"' : '\''))
		s->st = CODE;
	*out = *p;
	return 1;
}

static size_t in_comment(struct scan *s, const char *p, const char *end, char *out)
{
	if (s->st == BLOCK_COMMENT && *p == '*' && p + 1 < end && p[1] == '/') {
		s->st = CODE;
		out[0] = out[1] = ' ';
		return 2;
	}
	if (s->st == LINE_COMMENT && *p == '\n')
		s->st = CODE;
	*out = *p == '\n' ? '\n' : ' '; /* newlines stay: line numbers stay right */
	return 1;
}

static size_t step(struct scan *s, const char *p, const char *end, char *out)
{
	switch (s->st) {
	case CODE:
		return in_code(s, p, end, out);
	case DQUOTE:
	case SQUOTE:
		return in_string(s, p, end, out);
	default:
		return in_comment(s, p, end, out);
	}
}

static void count_line(struct scan *s, char c)
{
	if (c == '\n') {
		s->line++;
		s->line_bytes = 0;
	} else if (++s->line_bytes > MAX_LINE_BYTES) {
		fault(s, s->line, "line longer than 65536 bytes (split it; a list may span lines)");
	}
}

static void at_end(struct scan *s)
{
	if (s->st == BLOCK_COMMENT)
		fault(s, s->opened_at, "a /* comment that is never closed");
	else if (s->st == DQUOTE || s->st == SQUOTE)
		fault(s, s->opened_at, "a quoted string that is never closed");
}

char *config_text_strip(const char *buf, size_t len, int *bad_line, const char **what,
                        int *unclosed_line)
{
	struct scan s = {.st = CODE, .line = 1};
	char *out = malloc(len + 1);

	*bad_line = 0;
	*unclosed_line = 0;
	if (!out)
		return NULL;
	for (size_t i = 0; i < len && !s.bad_line;) {
		if (buf[i] == '\0') { /* libconfuse would stop here, silently */
			fault(&s, s.line, "contains a NUL byte (is it a text file?)");
			break;
		}
		size_t n = step(&s, buf + i, buf + len, out + i);
		for (size_t k = i; k < i + n; k++)
			count_line(&s, buf[k]);
		i += n;
	}
	at_end(&s);
	if (s.bad_line) {
		*bad_line = s.bad_line;
		*what = s.what;
		free(out);
		return NULL;
	}
	out[len] = '\0';
	if (s.depth > 0)
		*unclosed_line = s.brace_line[s.depth - 1];
	return out;
}

char *config_text_read(const char *path, char *why, size_t whylen, int *bad_line, const char **what,
                       int *unclosed_line)
{
	char *raw;
	size_t len;

	*bad_line = 0;
	*unclosed_line = 0;
	if (!smallfile_read(path, 0, MAX_CONFIG_BYTES, &raw, &len, why, whylen))
		return NULL;
	char *text = config_text_strip(raw, len, bad_line, what, unclosed_line);
	if (!text && !*bad_line)
		snprintf(why, whylen, "out of memory");
	free(raw);
	return text;
}
