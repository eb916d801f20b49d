/*
 * histreport_i18n: the words of the HTML report, in Vietnamese (the
 * default, with full diacritics) and English.
 *
 * Contract: histreport_i18n_label() gives the text of a label; histreport_i18n_term()
 * translates a value history.db stores as a short name (a cause, an admin
 * level, a tier, a readiness or redundancy state), and returns the value
 * itself when it knows no translation (never NULL for a non-NULL value).
 */
#ifndef TSLCD_HISTREPORT_I18N_H
#define TSLCD_HISTREPORT_I18N_H

enum histreport_lang { HISTREPORT_VI, HISTREPORT_EN };

enum histreport_label {
	L_TITLE,
	L_PROVINCE,
	L_PERIOD,
	L_PARTIAL,
	L_GENERATED,
	L_SUMMARY,
	L_OFFICES,
	L_CONNECTED,
	L_DISTRIBUTION,
	L_WORST,
	L_BY_CAUSE,
	L_BY_CARRIER,
	L_BELOW_SLA,
	L_STALE,
	L_OFFICE_TABLE,
	L_CODE,
	L_NAME,
	L_LEVEL,
	L_TIER,
	L_AVAIL_RAW,
	L_AVAIL_ADJ,
	L_MONITORED,
	L_OUTAGES,
	L_DOWNTIME,
	L_LONGEST,
	L_REDUNDANCY,
	L_READINESS,
	L_LINE_TABLE,
	L_LINE,
	L_CARRIER,
	L_CIRCUIT,
	L_CONTRACT,
	L_AVG_IN_OUT,
	L_PEAK_IN_OUT,
	L_P95_IN_OUT,
	L_VOLUME_IN_OUT,
	L_INCIDENTS,
	L_START,
	L_END,
	L_DURATION,
	L_CAUSE,
	L_TICKET,
	L_ONGOING,
	L_USAGE,
	L_MONTH,
	L_AVG_USE,
	L_PEAK_USE,
	L_CHART_AVAIL,
	L_CHART_P95,
	L_CHART_TIMELINE,
	L_COUNT,
	L_NONE,
	L_NO_DATA,
	L_TARGET,
	L_NLABELS
};

const char *histreport_i18n_label(enum histreport_label k, enum histreport_lang lang);
const char *histreport_i18n_term(const char *value, enum histreport_lang lang);

#endif
