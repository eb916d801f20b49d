/*
 * numarg: strict whole numbers in command arguments and control requests
 * (office, line and outage ids, seconds).
 *
 * Contract: a number is one or more decimal digits and nothing else: no
 * sign, no blanks, no trailing text, no wrap-around ("4294967297" and
 * "1abc" are refused, never read as 1).  Functions return false without
 * touching *out when the text is not such a number within [min, max].
 * No I/O: callers word the error.
 */
#ifndef TSLCD_NUMARG_H
#define TSLCD_NUMARG_H

#include <stdbool.h>
#include <stdint.h>

bool numarg_u32(const char *text, uint32_t min, uint32_t max, uint32_t *out);

/* "OFFICE.LINE", both ids 1..UINT32_MAX. */
bool numarg_line_ref(const char *text, uint32_t *office, uint32_t *line);

#endif
