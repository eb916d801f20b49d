/*
 * mib_office: tslcdOfficeTable, one row per configured office, indexed by
 * the operator-assigned office id.
 */
#include "mib.h"

/* One-line getters: office field or derived value -> SNMP value. */
#define OFFICE_GETTER(fn, call) MIB_GETTER(fn, const struct office *o = p, call)

OFFICE_GETTER(get_code, mib_set_str(v, o->cfg->code))
OFFICE_GETTER(get_name, mib_set_str(v, o->cfg->name))
OFFICE_GETTER(get_level, mib_set_int(v, o->cfg->admin_level))
OFFICE_GETTER(get_province, mib_set_str(v, o->cfg->province))
OFFICE_GETTER(get_commune, mib_set_str(v, o->cfg->commune))
OFFICE_GETTER(get_org, mib_set_int(v, o->cfg->org_type))
OFFICE_GETTER(get_tier, mib_set_int(v, o->cfg->access_tier))
OFFICE_GETTER(get_seclevel, mib_set_u32(v, o->cfg->security_level))
OFFICE_GETTER(get_framework, mib_set_int(v, o->cfg->framework))
OFFICE_GETTER(get_required, mib_set_u32(v, o->cfg->required_lines))
OFFICE_GETTER(get_contact, mib_set_str(v, o->cfg->contact))
OFFICE_GETTER(get_contact_ascii, mib_set_ascii(v, o->cfg->contact))
OFFICE_GETTER(get_status, mib_set_int(v, o->status))
OFFICE_GETTER(get_last_change, mib_set_datetime(v, o->last_change))
OFFICE_GETTER(get_lines, mib_set_u32(v, (uint32_t)o->n_lines))
OFFICE_GETTER(get_lines_up, mib_set_u32(v, o->lines_up))
/* The availability columns lines have too (mib.h). */
MIB_AVAIL_GETTERS(OFFICE_GETTER, &o->av, true)
/* TslcdCompliance; 0 (never evaluated yet) reads as unknown(1). */
OFFICE_GETTER(get_redundancy, mib_set_int(v, o->redundancy ? o->redundancy : 1))
OFFICE_GETTER(get_readiness, mib_office_readiness(o->cfg->id, v))
OFFICE_GETTER(get_readiness_score, mib_office_readiness_score(o->cfg->id, v))

/* Twins for generic tools (columns 40 and up). */
OFFICE_GETTER(get_name_ascii, mib_set_ascii(v, o->cfg->name))
OFFICE_GETTER(get_status_text, mib_set_str(v, model_office_status_name(o->status)))
OFFICE_GETTER(get_av24h_pct, mib_ppm_to_pct100(mib_avail_raw(&o->av, AVAIL_24H, v), v))
OFFICE_GETTER(get_av30d_pct, mib_ppm_to_pct100(mib_avail_raw(&o->av, AVAIL_30D, v), v))
OFFICE_GETTER(get_avmonth_pct, mib_ppm_to_pct100(mib_avail_raw(&o->av, AVAIL_MONTH, v), v))

static bool quarter_figures(const struct avail *av, struct avail_figures *f)
{
	return avail_window(av, AVAIL_QUARTER, time(NULL), f);
}

static bool get_outages_q(const void *p, struct mib_value *v)
{
	const struct office *o = p;
	struct avail_figures f;
	return quarter_figures(&o->av, &f) && mib_set_u32(v, f.outages);
}

static bool get_downtime_q(const void *p, struct mib_value *v)
{
	const struct office *o = p;
	struct avail_figures f;
	return quarter_figures(&o->av, &f) && mib_set_u32(v, f.down_s);
}

static bool get_contract(const void *p, struct mib_value *v)
{
	const struct office *o = p;
	uint64_t sum = 0;
	for (size_t i = 0; i < o->n_lines; i++)
		sum += o->lines[i].cfg->contract_kbps;
	return mib_set_u32(v, sum > UINT32_MAX ? UINT32_MAX : (uint32_t)sum);
}

/* The previous month and quarter (mib.h), as for lines. */
MIB_PREV_PERIOD_GETTERS(OFFICE_GETTER, &o->av)

/* Column 26 is the redundancy state (model_redundancy.c); 27/28 come from readiness. */
static const struct mib_column office_cols[] = {
    {2, "tslcdOfficeCode", ASN_OCTET_STR, get_code},
    {3, "tslcdOfficeName", ASN_OCTET_STR, get_name},
    {4, "tslcdOfficeAdminLevel", ASN_INTEGER, get_level},
    {5, "tslcdOfficeProvinceCode", ASN_OCTET_STR, get_province},
    {6, "tslcdOfficeCommuneCode", ASN_OCTET_STR, get_commune},
    {7, "tslcdOfficeOrgType", ASN_INTEGER, get_org},
    {8, "tslcdOfficeAccessTier", ASN_INTEGER, get_tier},
    {9, "tslcdOfficeSecurityLevel", ASN_UNSIGNED, get_seclevel},
    {10, "tslcdOfficeSecurityFramework", ASN_INTEGER, get_framework},
    {11, "tslcdOfficeRequiredLines", ASN_UNSIGNED, get_required},
    {12, "tslcdOfficeContact", ASN_OCTET_STR, get_contact},
    {13, "tslcdOfficeOperStatus", ASN_INTEGER, get_status},
    {14, "tslcdOfficeLastChange", ASN_OCTET_STR, get_last_change},
    {15, "tslcdOfficeLinesConfigured", ASN_GAUGE, get_lines},
    {16, "tslcdOfficeLinesUp", ASN_GAUGE, get_lines_up},
    {17, "tslcdOfficeAvail24h", ASN_UNSIGNED, get_av24h},
    {18, "tslcdOfficeAvail7d", ASN_UNSIGNED, get_av7d},
    {19, "tslcdOfficeAvail30d", ASN_UNSIGNED, get_av30d},
    {20, "tslcdOfficeAvailMonth", ASN_UNSIGNED, get_avmonth},
    {21, "tslcdOfficeAvailQuarter", ASN_UNSIGNED, get_avq},
    {22, "tslcdOfficeAvailQuarterAdj", ASN_UNSIGNED, get_avq_adj},
    {23, "tslcdOfficeMonitoredQuarter", ASN_UNSIGNED, get_monq},
    {24, "tslcdOfficeOutagesQuarter", ASN_GAUGE, get_outages_q},
    {25, "tslcdOfficeDowntimeQuarter", ASN_UNSIGNED, get_downtime_q},
    {26, "tslcdOfficeRedundancy", ASN_INTEGER, get_redundancy},
    {27, "tslcdOfficeReadiness", ASN_INTEGER, get_readiness},
    {28, "tslcdOfficeReadinessScore", ASN_UNSIGNED, get_readiness_score},
    {29, "tslcdOfficeContractKbps", ASN_UNSIGNED, get_contract},
    {30, "tslcdOfficeAvailPrevMonth", ASN_UNSIGNED, get_av_pm},
    {31, "tslcdOfficeAvailPrevMonthAdj", ASN_UNSIGNED, get_av_pm_adj},
    {32, "tslcdOfficeDowntimePrevMonth", ASN_UNSIGNED, get_down_pm},
    {33, "tslcdOfficeOutagesPrevMonth", ASN_GAUGE, get_outages_pm},
    {34, "tslcdOfficeAvailPrevQuarter", ASN_UNSIGNED, get_av_pq},
    {35, "tslcdOfficeAvailPrevQuarterAdj", ASN_UNSIGNED, get_av_pq_adj},
    {36, "tslcdOfficeDowntimePrevQuarter", ASN_UNSIGNED, get_down_pq},
    {37, "tslcdOfficeOutagesPrevQuarter", ASN_GAUGE, get_outages_pq},
    {40, "tslcdOfficeNameAscii", ASN_OCTET_STR, get_name_ascii},
    {41, "tslcdOfficeStatusText", ASN_OCTET_STR, get_status_text},
    {42, "tslcdOfficeAvail24hPct", ASN_UNSIGNED, get_av24h_pct},
    {43, "tslcdOfficeAvail30dPct", ASN_UNSIGNED, get_av30d_pct},
    {44, "tslcdOfficeAvailMonthPct", ASN_UNSIGNED, get_avmonth_pct},
    {45, "tslcdOfficeContactAscii", ASN_OCTET_STR, get_contact_ascii},
};

MIB_TABLE(office_table, "tslcdOfficeTable", TSLCD_OID_OFFICE_TABLE, 1, office_cols);

void mib_office_bind(const struct model *m)
{
	mib_table_clear(&office_table);
	for (size_t i = 0; m && i < m->n_offices; i++)
		mib_table_set_row(&office_table, &m->offices[i].cfg->id, &m->offices[i]);
}

struct mib_table *mib_office_table(void)
{
	return &office_table;
}
