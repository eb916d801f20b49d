/*
 * mib_readiness: tslcdReadinessTable (AUGMENTS tslcdOfficeEntry: one row
 * per office, indexed by the office id), plus the readiness values the
 * office table and the agent scalars repeat.  Rows point at the readiness
 * engine's entries; a column is absent while its value is not known.
 */
#include "mib.h"
#include "mib_columns.h" /* generated from the MIB (Makefile) */
#include "readiness.h"

static const struct readiness *engine;

/* Columns that exist only once a report has been accepted. */
#define REPORT_GETTER(fn, call)                                                                    \
	MIB_GETTER(fn, const struct office_readiness *e = p;                                       \
	           const struct readiness_report *r = e->have_report ? &e->d->report : NULL;       \
	           (void)r, r && (call))

/* Columns the agent measures or always knows. */
#define ENTRY_GETTER(fn, call) MIB_GETTER(fn, const struct office_readiness *e = p, call)

static bool set_ppm(struct mib_value *v, uint32_t part, uint32_t whole)
{
	return whole && mib_set_u32(v, (uint32_t)((uint64_t)part * 1000000u / whole));
}

/* TruthValue: true(1), false(2). */
static bool set_truth(struct mib_value *v, bool b)
{
	return mib_set_int(v, b ? 1 : 2);
}

/* The reported date, or else the last one plus the configured interval. */
static bool next_inspection(const struct office_readiness *e, struct mib_value *v)
{
	const struct readiness_report *r = &e->d->report; /* have_report */
	time_t t = r->next_inspection;

	if (!t && r->last_inspection && engine)
		t = r->last_inspection +
		    (time_t)engine->cfg->readiness.inspection_max_age_days * 86400;
	return mib_set_datetime(v, t);
}

ENTRY_GETTER(tslcdReadinessState, mib_set_int(v, e->eval.state))
REPORT_GETTER(tslcdReadinessScore, mib_set_u32(v, e->eval.score))
ENTRY_GETTER(tslcdReadinessReason, mib_set_str(v, readiness_reason(e)))
ENTRY_GETTER(tslcdReadinessReasonAscii, mib_set_ascii(v, readiness_reason(e)))
REPORT_GETTER(tslcdReadinessSecurityLevel, mib_set_u32(v, r->security_level))
REPORT_GETTER(tslcdReadinessFramework, mib_set_int(v, r->framework))
REPORT_GETTER(tslcdReadinessApproval, mib_set_int(v, r->approval))
REPORT_GETTER(tslcdReadinessPreCheckDate, mib_set_datetime(v, r->pre_check))
REPORT_GETTER(tslcdReadinessLanSegmented, set_truth(v, r->lan_segmented))
REPORT_GETTER(tslcdReadinessDeskPcsProtected, mib_set_u32(v, r->desk_protected))
REPORT_GETTER(tslcdReadinessDeskPcsTotal, mib_set_u32(v, r->desk_total))
REPORT_GETTER(tslcdReadinessDeskCoverage, set_ppm(v, r->desk_protected, r->desk_total))
REPORT_GETTER(tslcdReadinessPcsProtected, mib_set_u32(v, r->pcs_protected))
REPORT_GETTER(tslcdReadinessPcsTotal, mib_set_u32(v, r->pcs_total))
REPORT_GETTER(tslcdReadinessCoverage, set_ppm(v, r->pcs_protected, r->pcs_total))
REPORT_GETTER(tslcdReadinessMonitoring, set_truth(v, r->monitoring))
REPORT_GETTER(tslcdReadinessLastInspection, mib_set_datetime(v, r->last_inspection))
REPORT_GETTER(tslcdReadinessNextInspection, next_inspection(e, v))
REPORT_GETTER(tslcdReadinessLastDrill, mib_set_datetime(v, r->last_drill))
REPORT_GETTER(tslcdReadinessReportTime, mib_set_datetime(v, r->report_time))
REPORT_GETTER(tslcdReadinessReportSigner, mib_set_str(v, e->d->signer))
REPORT_GETTER(tslcdReadinessReportSignerAscii, mib_set_ascii(v, e->d->signer))
ENTRY_GETTER(tslcdReadinessReportsRejected, mib_set_u32(v, e->rejected))
ENTRY_GETTER(tslcdReadinessTlsCertDaysLeft, e->tls_have_cert &&mib_set_int(v, e->tls_days_left))
ENTRY_GETTER(tslcdReadinessTlsProtocol,
             e->d && e->d->tls_protocol[0] && mib_set_str(v, e->d->tls_protocol))
ENTRY_GETTER(tslcdReadinessTlsCipher,
             e->d && e->d->tls_cipher[0] && mib_set_str(v, e->d->tls_cipher))
ENTRY_GETTER(tslcdReadinessTlsVerify, mib_set_int(v, e->tls_verify))

static const struct mib_column readiness_cols[] = {TSLCD_COLUMNS_tslcdReadinessEntry(MIB_COLUMN)};

MIB_TABLE(readiness_table, "tslcdReadinessTable", TSLCD_OID_READY_TABLE, 1, readiness_cols);

static void rows_rebuild(void)
{
	size_t n = engine ? engine->n : 0;
	struct mib_row *rows = mib_rows_alloc(&readiness_table, n);

	if (!rows)
		return;
	for (size_t i = 0; i < n; i++)
		rows[i] = (struct mib_row){{engine->v[i].office_id}, &engine->v[i]};
	mib_table_rebind(&readiness_table, rows, n);
}

int mib_readiness_register(void)
{
	if (mib_table_register(&readiness_table))
		return -1;
	rows_rebuild(); /* the engine may have started before the master was there */
	return 0;
}

void mib_readiness_bind(const struct readiness *rd)
{
	engine = rd;
	rows_rebuild();
}

void mib_readiness_dump(FILE *out)
{
	mib_dump_table_oids(out, &readiness_table);
}

/* ---- values other groups repeat ---- */

bool mib_office_readiness(uint32_t office, struct mib_value *v)
{
	const struct office_readiness *e = readiness_find(engine, office);
	return e && mib_set_int(v, e->eval.state);
}

bool mib_office_readiness_score(uint32_t office, struct mib_value *v)
{
	const struct office_readiness *e = readiness_find(engine, office);
	return e && e->have_report && mib_set_u32(v, e->eval.score);
}

bool mib_reports_accepted(struct mib_value *v)
{
	return engine && mib_set_u32(v, engine->accepted);
}

bool mib_reports_rejected(struct mib_value *v)
{
	return engine && mib_set_u32(v, engine->rejected);
}
