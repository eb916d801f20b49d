/*
 * readiness_report: an office's security-readiness report, its detached Ed25519
 * signature, and the checks the agent (and `tslcdctl readiness-verify`)
 * apply before a report may change any state.
 *
 * Contract: a report is a small libconfuse file (the same syntax as
 * tslcd.conf) signed as raw bytes: REPORT.sig holds the 64-byte Ed25519
 * signature of exactly the bytes of REPORT.  readiness_report_parse() turns the text
 * into a struct or reports every problem as "NAME:LINE: message";
 * readiness_report_check() does the whole job on bytes already read (parse, find the
 * keys allowed for the office, verify), so what is verified is what is
 * parsed.  Nothing here does I/O except readiness_report_read_pair() and
 * readiness_report_key_load() (both through smallfile.h).
 */
#ifndef TSLCD_READINESS_REPORT_H
#define TSLCD_READINESS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "config.h"

#define READINESS_REPORT_MAX_BYTES     65536 /* larger files are refused unread */
#define READINESS_REPORT_SIG_BYTES     64
#define READINESS_REPORT_SIG_MAX_BYTES 4096 /* a larger .sig is refused unread */
#define READINESS_REPORT_KEY_BYTES     32
#define READINESS_REPORT_SIGNER_MAX    64
#define READINESS_REPORT_REASON_MAX    256

/* MIB TslcdApprovalState values. */
enum readiness_report_approval {
	READINESS_REPORT_NONE = 1,
	READINESS_REPORT_PROPOSED = 2,
	READINESS_REPORT_APPRAISED = 3,
	READINESS_REPORT_APPROVED = 4,
};

/* One report.  Dates are local midnight of the day written; 0 = "none". */
struct readiness_report {
	uint32_t office;
	time_t report_time;
	uint8_t security_level; /* 0..5, 0 = not classified */
	uint8_t framework;      /* MIB TslcdSecurityFramework */
	uint8_t approval;       /* enum readiness_report_approval */
	bool lan_segmented;
	bool monitoring;
	time_t pre_check;
	uint32_t desk_protected, desk_total;
	uint32_t pcs_protected, pcs_total;
	time_t last_inspection, next_inspection, last_drill;
};

/* Receives one formatted "NAME:LINE: message" per problem. */
typedef void (*readiness_report_error_fn)(void *ctx, const char *msg);

/* Parse NUL-terminated text; `name` is used in messages only. */
bool readiness_report_parse(const char *name, const char *text, struct readiness_report *out,
                            readiness_report_error_fn err, void *ctx);

/* Ed25519 public keys travel as their 32 raw bytes. */
bool readiness_report_key_load(const char *path, uint8_t pub[READINESS_REPORT_KEY_BYTES], char *err,
                               size_t errlen);
bool readiness_report_verify(const uint8_t pub[READINESS_REPORT_KEY_BYTES], const void *body,
                             size_t len, const uint8_t *sig, size_t siglen);

/* Read REPORT and REPORT.sig (regular files, size-limited, no symlinks).
 * The buffers are malloc'ed, the body NUL-terminated. */
bool readiness_report_read_pair(const char *path, char **body, size_t *len, uint8_t **sig,
                                size_t *siglen, char *reason, size_t reasonlen);

/* Whole check of a report held in memory.  With `key` non-NULL only that key
 * is tried (signer "command-line key"); otherwise the keys cfg allows for the
 * report's office.  Returns true and fills out/signer when acceptable as far
 * as content and signature go (replay is judged by the readiness state);
 * false with a one-line reason.  `office` is 0 when the office is not known. */
bool readiness_report_check(const struct tslcd_config *cfg, const char *name, const char *body,
                            size_t len, const uint8_t *sig, size_t siglen, const uint8_t *key,
                            struct readiness_report *out, char signer[READINESS_REPORT_SIGNER_MAX],
                            uint32_t *office, char *reason, size_t reasonlen);

/* A report skeleton for an office to fill in and sign. */
void readiness_report_template(FILE *out, uint32_t office, const char *code, const char *name,
                               time_t now);

/* "YYYY-MM-DD" of a date field, "none" for 0. */
const char *readiness_report_date_str(time_t t, char *buf, size_t len);

#endif
