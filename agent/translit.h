/*
 * translit: UTF-8 text to plain ASCII for tools that strip or hex-encode
 * every non-ASCII byte (snmptt, some NMS consoles).  Vietnamese letters lose
 * their diacritics (ầ -> a, Ư -> U), đ -> d and Đ -> D; combining marks are
 * dropped; any other non-ASCII character becomes '?', and a malformed byte
 * too, so the output is always valid ASCII.  No allocation, no locale.
 */
#ifndef TSLCD_TRANSLIT_H
#define TSLCD_TRANSLIT_H

#include <stddef.h>

/* Writes at most len-1 characters and a NUL; returns out. */
char *translit_ascii(const char *in, char *out, size_t len);

#endif
