/*
 * textcheck: is a configured string fit to be served as an SNMP string?
 *
 * Why: the MIB's DisplayString (RFC 2579) is printable ASCII and
 * TslcdUtf8String is UTF-8 text; an invalid sequence or a control
 * character in an office name breaks every NMS that displays it, and a
 * newline or escape sequence in a value forges log lines.
 *
 * Contract: textcheck_problem() returns NULL when s (NUL-terminated) is
 * fit, else a short phrase saying why ("is not valid UTF-8", "contains a
 * control character").  TEXT_ASCII admits printable ASCII (0x20..0x7e)
 * only; TEXT_UTF8 admits well-formed UTF-8 (no overlong forms, no
 * surrogates, nothing above U+10FFFF) without C0, DEL or C1 controls.
 */
#ifndef TSLCD_TEXTCHECK_H
#define TSLCD_TEXTCHECK_H

enum text_kind { TEXT_ASCII, TEXT_UTF8 };

const char *textcheck_problem(const char *s, enum text_kind kind);

#endif
