/*
 * config_text: the config file's text as libconfuse should see it.
 *
 * Why: Debian 12's libconfuse 3.3 counts two extra lines for every comment
 * (so every "FILE:LINE:" after a comment points at the wrong line) and
 * fails on a comment inside a list ("unexpected token").  Blanking the
 * comments ourselves, keeping every newline, avoids both: libconfuse then
 * never sees a comment.  Comment syntax is libconfuse's: '#' and '//' to
 * the end of the line, and C block comments, none of them inside quoted
 * strings.
 *
 * Contract: config_text_read() returns the NUL-terminated, comment-free text
 * (caller frees), or NULL with *bad_line = 0 and why saying why the file
 * could not be read (missing, not a regular file: it never waits on a FIFO,
 * too large), or NULL with *bad_line / *what describing a defect that
 * makes the text unusable: a NUL byte, a block comment or a quoted string
 * never closed, a string running past its line, a "${" that libconfuse
 * would replace by an environment variable, a line over 64 KiB (long
 * lines make libconfuse's lexer quadratic).  *unclosed_line, when not
 * 0, is where a section opens that the file never closes: libconfuse
 * accepts that, so the caller must refuse the file (after reporting any
 * error libconfuse finds, which is likely the more precise one).
 */
#ifndef TSLCD_CONFIG_TEXT_H
#define TSLCD_CONFIG_TEXT_H

#include <stddef.h>

char *config_text_read(const char *path, char *why, size_t whylen, int *bad_line, const char **what,
                       int *unclosed_line);

/* The same on a buffer (len bytes, need not be terminated): for tests. */
char *config_text_strip(const char *buf, size_t len, int *bad_line, const char **what,
                        int *unclosed_line);

#endif
