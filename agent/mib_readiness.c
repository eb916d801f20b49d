/*
 * mib_readiness: tslcdReadinessTable (AUGMENTS tslcdOfficeEntry: one row
 * per office, indexed by the office id), plus the readiness values the
 * office table and the agent scalars repeat.  Rows point at the readiness
 * engine's entries; a column is absent while its value is not known.
 */
#include "mib.h"
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

ENTRY_GETTER(get_state, mib_set_int(v, e->eval.state))
REPORT_GETTER(get_score, mib_set_u32(v, e->eval.score))
ENTRY_GETTER(get_reason, mib_set_str(v, readiness_reason(e)))
ENTRY_GETTER(get_reason_ascii, mib_set_ascii(v, readiness_reason(e)))
REPORT_GETTER(get_level, mib_set_u32(v, r->security_level))
REPORT_GETTER(get_framework, mib_set_int(v, r->framework))
REPORT_GETTER(get_approval, mib_set_int(v, r->approval))
REPORT_GETTER(get_precheck, mib_set_datetime(v, r->pre_check))
REPORT_GETTER(get_lan, set_truth(v, r->lan_segmented))
REPORT_GETTER(get_desk_prot, mib_set_u32(v, r->desk_protected))
REPORT_GETTER(get_desk_total, mib_set_u32(v, r->desk_total))
REPORT_GETTER(get_desk_cov, set_ppm(v, r->desk_protected, r->desk_total))
REPORT_GETTER(get_pcs_prot, mib_set_u32(v, r->pcs_protected))
REPORT_GETTER(get_pcs_total, mib_set_u32(v, r->pcs_total))
REPORT_GETTER(get_pcs_cov, set_ppm(v, r->pcs_protected, r->pcs_total))
REPORT_GETTER(get_monitoring, set_truth(v, r->monitoring))
REPORT_GETTER(get_last_insp, mib_set_datetime(v, r->last_inspection))
REPORT_GETTER(get_next_insp, next_inspection(e, v))
REPORT_GETTER(get_last_drill, mib_set_datetime(v, r->last_drill))
REPORT_GETTER(get_report_time, mib_set_datetime(v, r->report_time))
REPORT_GETTER(get_signer, mib_set_str(v, e->d->signer))
REPORT_GETTER(get_signer_ascii, mib_set_ascii(v, e->d->signer))
ENTRY_GETTER(get_rejected, mib_set_u32(v, e->rejected))
ENTRY_GETTER(get_days_left, e->tls_have_cert &&mib_set_int(v, e->tls_days_left))
ENTRY_GETTER(get_protocol, e->d && e->d->tls_protocol[0] && mib_set_str(v, e->d->tls_protocol))
ENTRY_GETTER(get_cipher, e->d && e->d->tls_cipher[0] && mib_set_str(v, e->d->tls_cipher))
ENTRY_GETTER(get_verify, mib_set_int(v, e->tls_verify))

static const struct mib_column readiness_cols[] = {
    {1, "tslcdReadinessState", ASN_INTEGER, get_state},
    {2, "tslcdReadinessScore", ASN_UNSIGNED, get_score},
    {3, "tslcdReadinessReason", ASN_OCTET_STR, get_reason},
    {4, "tslcdReadinessSecurityLevel", ASN_UNSIGNED, get_level},
    {5, "tslcdReadinessFramework", ASN_INTEGER, get_framework},
    {6, "tslcdReadinessApproval", ASN_INTEGER, get_approval},
    {7, "tslcdReadinessPreCheckDate", ASN_OCTET_STR, get_precheck},
    {8, "tslcdReadinessLanSegmented", ASN_INTEGER, get_lan},
    {9, "tslcdReadinessDeskPcsProtected", ASN_UNSIGNED, get_desk_prot},
    {10, "tslcdReadinessDeskPcsTotal", ASN_UNSIGNED, get_desk_total},
    {11, "tslcdReadinessDeskCoverage", ASN_UNSIGNED, get_desk_cov},
    {12, "tslcdReadinessPcsProtected", ASN_UNSIGNED, get_pcs_prot},
    {13, "tslcdReadinessPcsTotal", ASN_UNSIGNED, get_pcs_total},
    {14, "tslcdReadinessCoverage", ASN_UNSIGNED, get_pcs_cov},
    {15, "tslcdReadinessMonitoring", ASN_INTEGER, get_monitoring},
    {16, "tslcdReadinessLastInspection", ASN_OCTET_STR, get_last_insp},
    {17, "tslcdReadinessNextInspection", ASN_OCTET_STR, get_next_insp},
    {18, "tslcdReadinessLastDrill", ASN_OCTET_STR, get_last_drill},
    {19, "tslcdReadinessReportTime", ASN_OCTET_STR, get_report_time},
    {20, "tslcdReadinessReportSigner", ASN_OCTET_STR, get_signer},
    {21, "tslcdReadinessReportsRejected", ASN_COUNTER, get_rejected},
    {22, "tslcdReadinessTlsCertDaysLeft", ASN_INTEGER, get_days_left},
    {23, "tslcdReadinessTlsProtocol", ASN_OCTET_STR, get_protocol},
    {24, "tslcdReadinessTlsCipher", ASN_OCTET_STR, get_cipher},
    {25, "tslcdReadinessTlsVerify", ASN_INTEGER, get_verify},
    {26, "tslcdReadinessReasonAscii", ASN_OCTET_STR, get_reason_ascii},
    {27, "tslcdReadinessReportSignerAscii", ASN_OCTET_STR, get_signer_ascii},
};

MIB_TABLE(readiness_table, "tslcdReadinessTable", TSLCD_OID_READY_TABLE, 1, readiness_cols);

static void rows_rebuild(void)
{
	mib_table_clear(&readiness_table);
	for (size_t i = 0; engine && i < engine->n; i++)
		mib_table_set_row(&readiness_table, &engine->v[i].office_id, &engine->v[i]);
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
