/*
 * readiness: security-readiness state per office, from its latest accepted
 * report and the agent's TLS check of its endpoint.
 *
 * Contract: pure state, no I/O and no SNMP.  Observations come in
 * (readiness_accept(), readiness_reject(), readiness_tls_result(),
 * readiness_tick()); each entry's state, score and reason are recomputed
 * from the configured rules, and every transition (state, staleness,
 * certificate expiry) goes to the listener.  Entries are indexed by office
 * id; readiness_create() with an old engine keeps the state of every office
 * that still exists (config reload).
 */
#ifndef TSLCD_READINESS_H
#define TSLCD_READINESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "config.h"
#include "readiness_report.h"

/* MIB TslcdReadinessStateTC values. */
enum readiness_state {
	READINESS_UNKNOWN = 1,
	READINESS_READY = 2,
	READINESS_PARTIAL = 3,
	READINESS_NOT_READY = 4,
};

/* MIB TslcdTlsVerify values. */
enum tls_verify {
	TLS_NOT_CHECKED = 1,
	TLS_OK = 2,
	TLS_FAILED = 3,
	TLS_UNREACHABLE = 4,
};

#define READINESS_REASON_MAX 192

struct readiness_eval {
	enum readiness_state state;
	unsigned score; /* 0..100; meaningless while no report */
	char reason[READINESS_REASON_MAX];
};

/* What one TLS check found (protocol/cipher/days only when a handshake
 * completed). */
struct tls_result {
	enum tls_verify verify;
	bool have_cert;
	int32_t days_left;
	char protocol[16];
	char cipher[64];
	char detail[128]; /* why it failed, for the log */
};

/* What only an office that reports or has a TLS endpoint needs: allocated
 * on its first accepted report or completed handshake, so the thousands of
 * offices with neither cost just their small entry (issue 17's RSS budget:
 * inline, this was 3.5 MB at 7,500 offices). */
struct readiness_detail {
	struct readiness_report report; /* valid while have_report */
	char signer[READINESS_REPORT_SIGNER_MAX];
	char reason[READINESS_REASON_MAX];
	char tls_protocol[16]; /* "" until a handshake completed */
	char tls_cipher[64];
};

/* The judgement an entry keeps; its reason is readiness_reason(). */
struct readiness_verdict {
	enum readiness_state state;
	unsigned score; /* 0..100; meaningless while no report */
};

struct office_readiness {
	uint32_t office_id;
	const struct office_cfg *cfg;
	bool have_report; /* d and d->report are valid */
	bool stale;
	bool tls_have_cert;
	bool cert_expiring;
	struct readiness_verdict eval;
	uint32_t rejected;
	/* TLS endpoint: last check, and the last successful handshake */
	enum tls_verify tls_verify;
	int32_t tls_days_left;
	struct readiness_detail *d; /* NULL: no report and no handshake yet */
};

/* The reason of an entry's state ("" when ready). */
const char *readiness_reason(const struct office_readiness *e);

struct readiness_listener {
	void *ctx;
	void (*state_changed)(void *ctx, const struct office_readiness *r,
	                      enum readiness_state old);
	void (*stale_changed)(void *ctx, const struct office_readiness *r, bool stale);
	void (*cert_changed)(void *ctx, const struct office_readiness *r, bool expiring);
};

struct readiness {
	const struct tslcd_config *cfg; /* not owned: the model's */
	struct office_readiness *v;     /* sorted by office id */
	size_t n;
	uint32_t accepted, rejected; /* tslcdReportsAccepted/Rejected */
	struct readiness_listener listener;
};

/* Judge a report against the rules (tls: the office's TLS entry or NULL). */
void readiness_evaluate(const struct readiness_report *r, const struct readiness_cfg *rules,
                        const struct office_readiness *tls, time_t now, struct readiness_eval *out);

struct readiness *readiness_create(const struct tslcd_config *cfg, struct readiness *old,
                                   time_t now);
void readiness_free(struct readiness *rd);
void readiness_set_listener(struct readiness *rd, const struct readiness_listener *l);
struct office_readiness *readiness_find(const struct readiness *rd, uint32_t office_id);

/* A checked report (signature verified).  False with a reason when it is
 * not newer than the report held (a replay) or stamped in the future. */
bool readiness_accept(struct readiness *rd, const struct readiness_report *r, const char *signer,
                      time_t now, char *reason, size_t reasonlen);
/* A refused report; office 0 when the office could not be told. */
void readiness_reject(struct readiness *rd, uint32_t office_id);
void readiness_tls_result(struct readiness *rd, uint32_t office_id, const struct tls_result *t,
                          time_t now);
/* Re-judge every office as time passes (staleness, overdue inspections). */
void readiness_tick(struct readiness *rd, time_t now);

/* Restore an accepted report saved earlier (no replay check, no counting).
 * False only when out of memory (the report is then not held). */
bool readiness_restore(struct readiness *rd, const struct readiness_report *r, const char *signer,
                       time_t now);

const char *readiness_state_name(enum readiness_state s);
/* Age of the held report in whole days; -1 when none. */
long readiness_report_age_days(const struct office_readiness *r, time_t now);

#endif
