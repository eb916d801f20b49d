/*
 * histreport_fmt: how the report writers spell times and figures, so CSV,
 * JSON and HTML agree.
 *
 * Contract: each writes into buf (NUL-terminated, truncated to n) and
 * returns buf.  Unknown values (negative) come out as "" ("—" in the
 * human forms).  Times are local (TZ, see histreport_data.h).
 */
#ifndef TSLCD_HISTREPORT_FMT_H
#define TSLCD_HISTREPORT_FMT_H

#include <stddef.h>
#include <stdint.h>

/* ISO 8601 with the offset: "2026-11-03T14:05:00+07:00"; "" for t <= 0. */
char *histreport_fmt_time(int64_t t, char *buf, size_t n);
/* Short local time for people: "2026-11-03 14:05". */
char *histreport_fmt_when(int64_t t, char *buf, size_t n);
/* "3 d 04:05:06" or "04:05:06". */
char *histreport_fmt_duration(int64_t s, char *buf, size_t n);
/* ppm as a percentage with 3 decimals: "99.950 %". */
char *histreport_fmt_percent(int64_t ppm, char *buf, size_t n);
/* bit/s with a unit: "12.3 Mbit/s". */
char *histreport_fmt_bps(int64_t bps, char *buf, size_t n);
/* bytes with a unit: "1.25 GB". */
char *histreport_fmt_bytes(int64_t bytes, char *buf, size_t n);

#endif
