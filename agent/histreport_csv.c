/*
 * histreport_csv: the CSV tables; see the header for the columns.
 */
#include "histreport_csv.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "histreport_fmt.h"

static void put_str(FILE *f, const char *s, char sep)
{
	if (s && strpbrk(s, ",\"\r\n")) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else if (s) {
		fputs(s, f);
	}
	fputc(sep, f);
}

static void put_int(FILE *f, int64_t v, char sep)
{
	if (v >= 0)
		fprintf(f, "%lld", (long long)v);
	fputc(sep, f);
}

static void put_time(FILE *f, int64_t t, char sep)
{
	char buf[40];
	put_str(f, histreport_fmt_time(t, buf, sizeof(buf)), sep);
}

static FILE *open_table(const char *dir, const char *name, const char *header, char *err,
                        size_t errlen)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		return NULL;
	}
	fputs("\xEF\xBB\xBF", f); /* BOM: spreadsheets then read UTF-8 */
	fputs(header, f);
	fputc('\n', f);
	return f;
}

static int close_table(FILE *f, const char *name, char *err, size_t errlen)
{
	if (ferror(f) | fclose(f)) {
		snprintf(err, errlen, "cannot write %s", name);
		return -1;
	}
	return 0;
}

static void office_row(FILE *f, const struct histreport *r, const struct histreport_office *o)
{
	put_int(f, o->id, ',');
	put_str(f, o->code, ',');
	put_str(f, o->name, ',');
	put_str(f, o->level, ',');
	put_str(f, o->tier, ',');
	put_str(f, o->province, ',');
	put_str(f, o->commune, ',');
	put_int(f, (int64_t)o->nlines, ',');
	put_int(f, o->required_lines, ',');
	put_int(f, r->period_s, ',');
	put_int(f, o->up_s, ',');
	put_int(f, o->down_s, ',');
	put_int(f, o->maint_s, ',');
	put_int(f, o->unknown_s, ',');
	put_int(f, o->raw_ppm, ',');
	put_int(f, o->adj_ppm, ',');
	put_int(f, o->monitored_ppm, ',');
	put_int(f, o->sla_ppm, ',');
	put_int(f, o->below_sla, ',');
	put_int(f, o->outages, ',');
	put_int(f, o->downtime_s, ',');
	put_int(f, o->longest_s, ',');
	for (int c = 0; c < HISTREPORT_NCAUSES; c++)
		put_int(f, o->by_cause[c], ',');
	put_str(f, o->redundancy, ',');
	put_str(f, o->readiness, ',');
	put_str(f, o->readiness_reason, ',');
	put_time(f, o->last_report, ',');
	put_int(f, o->fresh, '\n');
}

static int write_offices(const struct histreport *r, const char *dir, char *err, size_t errlen)
{
	char header[1024] = "office_id,code,name,level,tier,province,commune,lines,required_lines,"
	                    "period_s,up_s,down_s,maint_s,unknown_s,availability_raw_ppm,"
	                    "availability_adjusted_ppm,monitored_ppm,sla_target_ppm,below_sla,"
	                    "outages,downtime_s,longest_outage_s";
	for (int c = 0; c < HISTREPORT_NCAUSES; c++) {
		strcat(header, ",outages_");
		strcat(header, histreport_data_causes[c]);
	}
	strcat(header, ",redundancy,readiness,readiness_reason,last_readiness_report,"
	               "readiness_fresh");
	FILE *f = open_table(dir, "offices.csv", header, err, errlen);
	if (!f)
		return -1;
	for (size_t i = 0; i < r->noffices; i++)
		office_row(f, r, &r->offices[i]);
	return close_table(f, "offices.csv", err, errlen);
}

static const char *office_code(const struct histreport *r, size_t line)
{
	long o = histreport_data_find_office(r, r->lines[line].office_id);
	return o < 0 ? NULL : r->offices[o].code;
}

static void line_head(FILE *f, const struct histreport *r, size_t i)
{
	put_int(f, r->lines[i].office_id, ',');
	put_str(f, office_code(r, i), ',');
	put_int(f, r->lines[i].line_id, ',');
	put_str(f, r->lines[i].carrier, ',');
}

static int write_lines(const struct histreport *r, const char *dir, char *err, size_t errlen)
{
	FILE *f = open_table(dir, "lines.csv",
	                     "office_id,office_code,line_id,carrier,circuit,role,contracted_kbps,"
	                     "in_avg_bps,in_peak_bps,in_p95_bps,out_avg_bps,out_peak_bps,"
	                     "out_p95_bps,in_bytes,out_bytes",
	                     err, errlen);
	if (!f)
		return -1;
	for (size_t i = 0; i < r->nlines; i++) {
		const struct histreport_line *l = &r->lines[i];
		line_head(f, r, i);
		put_str(f, l->circuit, ',');
		put_str(f, l->role, ',');
		put_int(f, l->kbps, ',');
		for (int k = 0; k < HR_NTRAFFIC; k++)
			put_int(f, l->t[k], k + 1 < HR_NTRAFFIC ? ',' : '\n');
	}
	return close_table(f, "lines.csv", err, errlen);
}

static int write_incidents(const struct histreport *r, const char *dir, char *err, size_t errlen)
{
	FILE *f = open_table(
	    dir, "incidents.csv",
	    "office_id,office_code,line_id,carrier,start,end,duration_s,cause,ticket", err, errlen);
	if (!f)
		return -1;
	for (size_t i = 0; i < r->noutages; i++) {
		const struct histreport_outage *u = &r->outages[i];
		long l = histreport_data_find_line(r, u->office_id, u->line_id);
		if (l >= 0) {
			line_head(f, r, (size_t)l);
		} else {
			put_int(f, u->office_id, ',');
			put_str(f, NULL, ',');
			put_int(f, u->line_id, ',');
			put_str(f, NULL, ',');
		}
		put_time(f, u->start, ',');
		put_time(f, u->end, ',');
		put_int(f, u->inside_s, ',');
		put_str(f, histreport_data_causes[u->cause], ',');
		put_str(f, u->ticket, '\n');
	}
	return close_table(f, "incidents.csv", err, errlen);
}

static int write_usage(const struct histreport *r, const char *dir, char *err, size_t errlen)
{
	static const int cols[] = {HR_IN_AVG,   HR_IN_PEAK,  HR_OUT_AVG,
	                           HR_OUT_PEAK, HR_IN_BYTES, HR_OUT_BYTES};
	FILE *f = open_table(dir, "usage.csv",
	                     "month,office_id,office_code,line_id,carrier,contracted_kbps,"
	                     "in_avg_bps,in_peak_bps,out_avg_bps,out_peak_bps,in_bytes,out_bytes,"
	                     "in_avg_use_ppm,in_peak_use_ppm,out_avg_use_ppm,out_peak_use_ppm",
	                     err, errlen);
	if (!f)
		return -1;
	for (size_t i = 0; i < r->nusage; i++) {
		const struct histreport_usage *u = &r->usage[i];
		put_str(f, u->month, ',');
		line_head(f, r, u->line);
		put_int(f, r->lines[u->line].kbps, ',');
		for (size_t k = 0; k < sizeof(cols) / sizeof(cols[0]); k++)
			put_int(f, u->t[cols[k]], ',');
		for (int k = 0; k < HR_NUSE; k++)
			put_int(f, u->use[k], k + 1 < HR_NUSE ? ',' : '\n');
	}
	return close_table(f, "usage.csv", err, errlen);
}

static void kv(FILE *f, const char *item, const char *key, int64_t v)
{
	put_str(f, item, ',');
	put_str(f, key, ',');
	put_int(f, v, '\n');
}

static void summary_lists(FILE *f, const struct histreport *r)
{
	char rank[24]; /* any size_t */

	for (size_t i = 0; i < r->sum.nworst; i++) {
		snprintf(rank, sizeof(rank), "%zu", i + 1);
		kv(f, "worst", rank, r->offices[r->sum.worst[i]].id);
	}
	for (int c = 0; c < HISTREPORT_NCAUSES; c++) {
		kv(f, "cause_count", histreport_data_causes[c], r->sum.cause_count[c]);
		kv(f, "cause_downtime_s", histreport_data_causes[c], r->sum.cause_s[c]);
	}
	for (int c = 0; c < HISTREPORT_NCARRIERS; c++) {
		kv(f, "carrier_count", histreport_data_carriers[c], r->sum.carrier_count[c]);
		kv(f, "carrier_downtime_s", histreport_data_carriers[c], r->sum.carrier_s[c]);
	}
	for (size_t i = 0; i < r->noffices; i++) {
		if (r->offices[i].below_sla)
			kv(f, "below_sla", "", r->offices[i].id);
		if (!r->offices[i].fresh)
			kv(f, "stale_readiness", "", r->offices[i].id);
	}
}

static int write_summary(const struct histreport *r, const char *dir, char *err, size_t errlen)
{
	FILE *f = open_table(dir, "summary.csv", "item,key,value", err, errlen);
	const char *texts[][2] = {{"province", r->province_code},
	                          {"period", r->period.label},
	                          {"first_day", r->period.first},
	                          {"last_day", r->period.last}};

	if (!f)
		return -1;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		put_str(f, texts[i][0], ',');
		put_str(f, "", ',');
		put_str(f, texts[i][1], '\n');
	}
	kv(f, "partial", "", r->period.partial);
	kv(f, "offices", "", r->sum.offices);
	kv(f, "connected", "", r->sum.connected);
	for (int b = 0; b < HISTREPORT_DIST_BUCKETS; b++)
		kv(f, "availability", histreport_data_dist_names[b], r->sum.dist[b]);
	summary_lists(f, r);
	return close_table(f, "summary.csv", err, errlen);
}

int histreport_csv_write(const struct histreport *r, const char *dir, char *err, size_t errlen)
{
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	if (write_offices(r, dir, err, errlen) < 0 || write_lines(r, dir, err, errlen) < 0 ||
	    write_incidents(r, dir, err, errlen) < 0 || write_usage(r, dir, err, errlen) < 0 ||
	    write_summary(r, dir, err, errlen) < 0)
		return -1;
	return 0;
}
