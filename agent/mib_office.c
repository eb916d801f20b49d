/*
 * mib_office: tslcdOfficeTable, one row per configured office, indexed by
 * the operator-assigned office id.
 */
#include "mib.h"
#include "mib_columns.h" /* generated from the MIB (Makefile) */

/* One-line getters: office field or derived value -> SNMP value. */
#define OFFICE_GETTER(fn, call) MIB_GETTER(fn, const struct office *o = p, call)

OFFICE_GETTER(tslcdOfficeCode, mib_set_str(v, o->cfg->code))
OFFICE_GETTER(tslcdOfficeName, mib_set_str(v, o->cfg->name))
OFFICE_GETTER(tslcdOfficeAdminLevel, mib_set_int(v, o->cfg->admin_level))
OFFICE_GETTER(tslcdOfficeProvinceCode, mib_set_str(v, o->cfg->province))
OFFICE_GETTER(tslcdOfficeCommuneCode, mib_set_str(v, o->cfg->commune))
OFFICE_GETTER(tslcdOfficeOrgType, mib_set_int(v, o->cfg->org_type))
OFFICE_GETTER(tslcdOfficeAccessTier, mib_set_int(v, o->cfg->access_tier))
OFFICE_GETTER(tslcdOfficeSecurityLevel, mib_set_u32(v, o->cfg->security_level))
OFFICE_GETTER(tslcdOfficeSecurityFramework, mib_set_int(v, o->cfg->framework))
OFFICE_GETTER(tslcdOfficeRequiredLines, mib_set_u32(v, o->cfg->required_lines))
OFFICE_GETTER(tslcdOfficeContact, mib_set_str(v, o->cfg->contact))
OFFICE_GETTER(tslcdOfficeContactAscii, mib_set_ascii(v, o->cfg->contact))
OFFICE_GETTER(tslcdOfficeOperStatus, mib_set_int(v, o->status))
OFFICE_GETTER(tslcdOfficeLastChange, mib_set_datetime(v, o->last_change))
OFFICE_GETTER(tslcdOfficeLinesConfigured, mib_set_u32(v, (uint32_t)o->n_lines))
OFFICE_GETTER(tslcdOfficeLinesUp, mib_set_u32(v, o->lines_up))
/* The availability columns lines have too (mib.h). */
MIB_AVAIL_GETTERS(OFFICE_GETTER, tslcdOffice, &o->av, true)
/* TslcdCompliance; 0 (never evaluated yet) reads as unknown(1). */
OFFICE_GETTER(tslcdOfficeRedundancy, mib_set_int(v, o->redundancy ? o->redundancy : 1))
OFFICE_GETTER(tslcdOfficeReadiness, mib_office_readiness(o->cfg->id, v))
OFFICE_GETTER(tslcdOfficeReadinessScore, mib_office_readiness_score(o->cfg->id, v))

/* Twins for generic tools (columns 40 and up). */
OFFICE_GETTER(tslcdOfficeNameAscii, mib_set_ascii(v, o->cfg->name))
OFFICE_GETTER(tslcdOfficeStatusText, mib_set_str(v, model_office_status_name(o->status)))
OFFICE_GETTER(tslcdOfficeAvail24hPct, mib_ppm_to_pct100(mib_avail_raw(&o->av, AVAIL_24H, v), v))
OFFICE_GETTER(tslcdOfficeAvail30dPct, mib_ppm_to_pct100(mib_avail_raw(&o->av, AVAIL_30D, v), v))
OFFICE_GETTER(tslcdOfficeAvailMonthPct, mib_ppm_to_pct100(mib_avail_raw(&o->av, AVAIL_MONTH, v), v))

static bool quarter_figures(const struct avail *av, struct avail_figures *f)
{
	return avail_window(av, AVAIL_QUARTER, time(NULL), f);
}

static bool tslcdOfficeOutagesQuarter(const void *p, struct mib_value *v)
{
	const struct office *o = p;
	struct avail_figures f;
	return quarter_figures(&o->av, &f) && mib_set_u32(v, f.outages);
}

static bool tslcdOfficeDowntimeQuarter(const void *p, struct mib_value *v)
{
	const struct office *o = p;
	struct avail_figures f;
	return quarter_figures(&o->av, &f) && mib_set_u32(v, f.down_s);
}

static bool tslcdOfficeContractKbps(const void *p, struct mib_value *v)
{
	const struct office *o = p;
	uint64_t sum = 0;
	for (size_t i = 0; i < o->n_lines; i++)
		sum += o->lines[i].cfg->contract_kbps;
	return mib_set_u32(v, sum > UINT32_MAX ? UINT32_MAX : (uint32_t)sum);
}

/* The previous month and quarter (mib.h), as for lines. */
MIB_PREV_PERIOD_GETTERS(OFFICE_GETTER, tslcdOffice, &o->av)

/* Column 26 is the redundancy state (model_redundancy.c); 27/28 come from readiness. */
static const struct mib_column office_cols[] = {TSLCD_COLUMNS_tslcdOfficeEntry(MIB_COLUMN)};

MIB_TABLE(office_table, "tslcdOfficeTable", TSLCD_OID_OFFICE_TABLE, 1, office_cols);

void mib_office_bind(const struct model *m)
{
	size_t n = m ? m->n_offices : 0;
	struct mib_row *rows = mib_rows_alloc(&office_table, n);

	if (!rows)
		return;
	for (size_t i = 0; i < n; i++)
		rows[i] = (struct mib_row){{m->offices[i].cfg->id}, &m->offices[i]};
	mib_table_rebind(&office_table, rows, n);
}

struct mib_table *mib_office_table(void)
{
	return &office_table;
}
