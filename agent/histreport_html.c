/*
 * histreport_html: the printable HTML report; see the header.
 */
#include "histreport_html.h"

#include <stdlib.h>
#include <time.h>

#include "histreport_fmt.h"

#define CHART_W 700
#define CHART_H 220
#define NP95    11 /* p95 use buckets: 0-10 % ... 90-100 %, above 100 % */

struct out {
	FILE *f;
	const struct histreport *r;
	enum histreport_lang lang;
};

static const char *L(const struct out *o, enum histreport_label k)
{
	return histreport_i18n_label(k, o->lang);
}

static const char *T(const struct out *o, const char *value)
{
	return histreport_i18n_term(value, o->lang);
}

static void esc(const struct out *o, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", o->f);
			break;
		case '<':
			fputs("&lt;", o->f);
			break;
		case '>':
			fputs("&gt;", o->f);
			break;
		case '"':
			fputs("&quot;", o->f);
			break;
		default:
			fputc(*s, o->f);
		}
	}
}

static void cell(const struct out *o, const char *s)
{
	fputs("<td>", o->f);
	esc(o, s ? s : "\u2014");
	fputs("</td>", o->f);
}

static void num_cell(const struct out *o, const char *s)
{
	fputs("<td class=\"n\">", o->f);
	esc(o, s);
	fputs("</td>", o->f);
}

static void head_row(const struct out *o, const enum histreport_label *cols, size_t n)
{
	fputs("<thead><tr>", o->f);
	for (size_t i = 0; i < n; i++) {
		fputs("<th>", o->f);
		esc(o, L(o, cols[i]));
		fputs("</th>", o->f);
	}
	fputs("</tr></thead><tbody>\n", o->f);
}

static const char css[] =
    "@page{size:A4;margin:14mm 12mm}"
    "body{font-family:'Noto Sans','DejaVu Sans',Arial,sans-serif;font-size:10pt;color:#111;"
    "max-width:190mm;margin:auto}"
    "h1{font-size:15pt;margin:0 0 4pt}h2{font-size:12pt;margin:14pt 0 4pt;"
    "break-after:avoid;border-bottom:1px solid #888}"
    "table{border-collapse:collapse;width:100%;font-size:7.5pt;margin-bottom:6pt;"
    "overflow-wrap:break-word}td:first-child{white-space:nowrap}"
    "th,td{border:1px solid #bbb;padding:1pt 3pt;text-align:left;vertical-align:top}"
    "th{background:#e8eef4}td.n{text-align:right;white-space:nowrap}"
    "thead{display:table-header-group}tr{break-inside:avoid}"
    ".partial{background:#fff3cd;border:1px solid #d4a72c;padding:3pt 6pt}"
    ".bad{color:#b00020;font-weight:bold}"
    "figure.chart{margin:6pt 0;break-inside:avoid}figure svg{width:100%;height:auto}"
    "figcaption{font-weight:bold;margin-bottom:2pt}"
    "@media print{body{max-width:none}a{color:inherit}}";

static void page_head(const struct out *o)
{
	const struct histreport *r = o->r;
	char a[40], b[40];

	fprintf(o->f, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\"><title>",
	        o->lang == HISTREPORT_EN ? "en" : "vi");
	esc(o, L(o, L_TITLE));
	fprintf(o->f, " %s</title><style>%s</style></head><body>\n<h1>", r->period.label, css);
	esc(o, L(o, L_TITLE));
	fputs("</h1>\n<p>", o->f);
	esc(o, L(o, L_PROVINCE));
	fputs(": <b>", o->f);
	esc(o, r->province_name ? r->province_name : "");
	fputs("</b> (", o->f);
	esc(o, r->province_code ? r->province_code : "");
	fputs(") &middot; ", o->f);
	esc(o, L(o, L_PERIOD));
	fprintf(o->f, ": <b>%s</b> (%s .. %s) &middot; ", r->period.label, r->period.first,
	        r->period.last);
	esc(o, L(o, L_GENERATED));
	fprintf(o->f, ": %s</p>\n", histreport_fmt_when((int64_t)time(NULL), a, sizeof(a)));
	if (r->period.partial) {
		fputs("<p class=\"partial\">", o->f);
		esc(o, L(o, L_PARTIAL));
		fprintf(o->f, " %s</p>\n", histreport_fmt_when(r->period.until, b, sizeof(b)));
	}
}

static void kv_row(const struct out *o, const char *k, unsigned v)
{
	fputs("<tr><th>", o->f);
	esc(o, k);
	fprintf(o->f, "</th><td class=\"n\">%u</td></tr>\n", v);
}

static void office_list(const struct out *o, enum histreport_label title, bool stale)
{
	const char *sep = "";

	fputs("<p><b>", o->f);
	esc(o, L(o, title));
	fputs(":</b> ", o->f);
	for (size_t i = 0; i < o->r->noffices; i++) {
		const struct histreport_office *x = &o->r->offices[i];
		if (stale ? x->fresh : !x->below_sla)
			continue;
		fputs(sep, o->f);
		esc(o, x->code);
		sep = ", ";
	}
	if (!*sep)
		esc(o, L(o, L_NONE));
	fputs("</p>\n", o->f);
}

static void incidents_by(const struct out *o, enum histreport_label title,
                         enum histreport_label what, const char *const *names, int n,
                         const unsigned *count, const int64_t *secs)
{
	const enum histreport_label cols[] = {what, L_COUNT, L_DOWNTIME};
	char d[40];

	fputs("<h3>", o->f);
	esc(o, L(o, title));
	fputs("</h3><table>", o->f);
	head_row(o, cols, 3);
	for (int i = 0; i < n; i++) {
		if (!count[i])
			continue;
		fputs("<tr>", o->f);
		cell(o, T(o, names[i]));
		fprintf(o->f, "<td class=\"n\">%u</td>", count[i]);
		num_cell(o, histreport_fmt_duration(secs[i], d, sizeof(d)));
		fputs("</tr>\n", o->f);
	}
	fputs("</tbody></table>\n", o->f);
}

static void summary(const struct out *o)
{
	const struct histreport_summary *s = &o->r->sum;
	char p[40];

	fputs("<h2>", o->f);
	esc(o, L(o, L_SUMMARY));
	fputs("</h2><table class=\"summary\">", o->f);
	kv_row(o, L(o, L_OFFICES), s->offices);
	kv_row(o, L(o, L_CONNECTED), s->connected);
	for (int b = 0; b < HISTREPORT_DIST_BUCKETS; b++) {
		char k[96];
		snprintf(k, sizeof(k), "%s %s %%", L(o, L_DISTRIBUTION),
		         b == HISTREPORT_DIST_BUCKETS - 1 ? L(o, L_NO_DATA)
		                                          : histreport_data_dist_names[b]);
		kv_row(o, k, s->dist[b]);
	}
	fputs("</table>\n<p><b>", o->f);
	esc(o, L(o, L_WORST));
	fputs(":</b> ", o->f);
	for (size_t i = 0; i < s->nworst; i++) {
		const struct histreport_office *x = &o->r->offices[s->worst[i]];
		fputs(i ? ", " : "", o->f);
		esc(o, x->code);
		fprintf(o->f, " (%s)", histreport_fmt_percent(x->adj_ppm, p, sizeof(p)));
	}
	fputs("</p>\n", o->f);
	incidents_by(o, L_BY_CAUSE, L_CAUSE, histreport_data_causes, HISTREPORT_NCAUSES,
	             s->cause_count, s->cause_s);
	incidents_by(o, L_BY_CARRIER, L_CARRIER, histreport_data_carriers, HISTREPORT_NCARRIERS,
	             s->carrier_count, s->carrier_s);
	office_list(o, L_BELOW_SLA, false);
	office_list(o, L_STALE, true);
}

static void figure_open(const struct out *o, const char *id, enum histreport_label title, int h)
{
	fprintf(o->f, "<figure class=\"chart\" id=\"%s\"><figcaption>", id);
	esc(o, L(o, title));
	fprintf(o->f,
	        "</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	        "font-size=\"10\" font-family=\"sans-serif\">",
	        CHART_W, h);
}

static void figure_close(const struct out *o)
{
	fputs("</svg></figure>\n", o->f);
}

static int by_adj(const void *a, const void *b)
{
	const struct histreport_office *x = *(const struct histreport_office *const *)a;
	const struct histreport_office *y = *(const struct histreport_office *const *)b;
	return (x->adj_ppm > y->adj_ppm) - (x->adj_ppm < y->adj_ppm);
}

/* Bars of adjusted availability, worst on the left; red below the SLA. */
static void chart_avail(const struct out *o)
{
	const struct histreport *r = o->r;
	const struct histreport_office **v = calloc(r->noffices + 1, sizeof(*v));
	size_t n = 0;

	figure_open(o, "chart-avail", L_CHART_AVAIL, CHART_H);
	for (size_t i = 0; v && i < r->noffices; i++)
		if (r->offices[i].adj_ppm >= 0)
			v[n++] = &r->offices[i];
	if (n) {
		qsort(v, n, sizeof(*v), by_adj);
		/* The axis starts at the worst whole percent (at most 99 %) so that
		 * small differences near 100 % stay visible. */
		int64_t lo = v[0]->adj_ppm / 10000 * 10000;
		lo = lo > 990000 ? 990000 : lo;
		double w = (CHART_W - 50.0) / (double)n, plot = CHART_H - 30.0;
		fprintf(o->f,
		        "<text x=\"0\" y=\"14\">100%%</text><text x=\"0\" y=\"%.0f\">%lld%%</text>"
		        "<line x1=\"45\" y1=\"10\" x2=\"45\" y2=\"%.0f\" stroke=\"#444\"/>",
		        plot + 10, (long long)(lo / 10000), plot + 10);
		for (size_t i = 0; i < n; i++) {
			double h = plot * (double)(v[i]->adj_ppm - lo) / (double)(1000000 - lo);
			fprintf(o->f,
			        "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
			        "fill=\"%s\"><title>%s</title></rect>",
			        50 + w * (double)i, 10 + plot - h, w > 2 ? w - 1 : w, h < 1 ? 1 : h,
			        v[i]->below_sla ? "#c62828" : "#2e7d32",
			        v[i]->code ? v[i]->code : "");
		}
	}
	free(v);
	figure_close(o);
}

static void p95_counts(const struct histreport *r, unsigned *count)
{
	for (size_t i = 0; i < r->nlines; i++) {
		const struct histreport_line *l = &r->lines[i];
		int64_t p = l->t[HR_IN_P95] > l->t[HR_OUT_P95] ? l->t[HR_IN_P95] : l->t[HR_OUT_P95];
		int64_t use = histreport_data_use_ppm(p, l->kbps);
		if (use >= 0)
			count[use >= 1000000 ? NP95 - 1 : use / 100000]++;
	}
}

/* How many lines fall in each tenth of the contract, by their busier p95;
 * red from the tenth that holds the agent's congestion threshold up. */
static void chart_p95(const struct out *o)
{
	unsigned count[NP95] = {0}, max = 1;
	double bw = (CHART_W - 20.0) / NP95, plot = CHART_H - 40.0;

	p95_counts(o->r, count);
	for (int b = 0; b < NP95; b++)
		max = count[b] > max ? count[b] : max;
	figure_open(o, "chart-p95", L_CHART_P95, CHART_H);
	for (int b = 0; b < NP95; b++) {
		double h = plot * count[b] / max, x = 10 + bw * b;
		fprintf(o->f,
		        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>"
		        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%u</text>"
		        "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s%d%%</text>",
		        x + 2, 20 + plot - h, bw - 4, h,
		        (b + 1) * 100000 > o->r->congestion_ppm ? "#c62828" : "#1565c0", x + bw / 2,
		        16 + plot - h, count[b], x + bw / 2, CHART_H - 6,
		        b == NP95 - 1 ? "&gt;" : "\u2264", b == NP95 - 1 ? 100 : 10 * (b + 1));
	}
	figure_close(o);
}

/* One lane per worst office across the period, its outages in red. */
static void chart_timeline(const struct out *o)
{
	const struct histreport *r = o->r;
	const struct histreport_summary *s = &r->sum;
	int h = 20 + 22 * (int)(s->nworst ? s->nworst : 1);
	double x0 = 90, w = CHART_W - 100.0;

	figure_open(o, "chart-timeline", L_CHART_TIMELINE, h);
	fprintf(o->f,
	        "<text x=\"%.0f\" y=\"12\">%s</text><text x=\"%d\" y=\"12\" "
	        "text-anchor=\"end\">%s</text>",
	        x0, r->period.first, CHART_W - 10, r->period.last);
	for (size_t i = 0; i < s->nworst; i++) {
		const struct histreport_office *x = &r->offices[s->worst[i]];
		double y = 20 + 22.0 * (double)i;
		fprintf(o->f, "<text x=\"0\" y=\"%.0f\">", y + 13);
		esc(o, x->code);
		fprintf(o->f,
		        "</text><rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"16\" "
		        "fill=\"#e0e0e0\"/>",
		        x0, y, w);
		for (size_t k = 0; k < r->noutages; k++) {
			const struct histreport_outage *u = &r->outages[k];
			if (u->office_id != x->id || u->inside_s <= 0)
				continue;
			int64_t from = u->start > r->period.start ? u->start : r->period.start;
			double ux = w * (double)(from - r->period.start) / (double)r->period_s;
			double uw = w * (double)u->inside_s / (double)r->period_s;
			fprintf(o->f,
			        "<rect x=\"%.2f\" y=\"%.0f\" width=\"%.2f\" height=\"16\" "
			        "fill=\"#c62828\"/>",
			        x0 + ux, y, uw < 1 ? 1 : uw);
		}
	}
	figure_close(o);
}

static void office_row(const struct out *o, const struct histreport_office *x)
{
	char a[40], b[40], c[40], d[40], e[40];

	fprintf(o->f, "<tr class=\"office\" data-office=\"%lld\">", (long long)x->id);
	cell(o, x->code);
	cell(o, x->name);
	cell(o, T(o, x->level));
	cell(o, T(o, x->tier));
	num_cell(o, histreport_fmt_percent(x->raw_ppm, a, sizeof(a)));
	fprintf(o->f, "<td class=\"n%s\">%s</td>", x->below_sla ? " bad" : "",
	        histreport_fmt_percent(x->adj_ppm, b, sizeof(b)));
	num_cell(o, histreport_fmt_percent(x->monitored_ppm, c, sizeof(c)));
	fprintf(o->f, "<td class=\"n\">%u</td>", x->outages);
	num_cell(o, histreport_fmt_duration(x->downtime_s, d, sizeof(d)));
	num_cell(o, histreport_fmt_duration(x->longest_s, e, sizeof(e)));
	fputs("<td>", o->f);
	for (int k = 0, first = 1; k < HISTREPORT_NCAUSES; k++)
		if (x->by_cause[k]) {
			fputs(first ? "" : "; ", o->f);
			esc(o, T(o, histreport_data_causes[k]));
			fprintf(o->f, " %u", x->by_cause[k]);
			first = 0;
		}
	fputs("</td>", o->f);
	cell(o, T(o, x->redundancy));
	/* State and reason share a cell so that the table fits A4 portrait. */
	fputs("<td>", o->f);
	esc(o, x->readiness ? T(o, x->readiness) : "\u2014");
	if (x->readiness_reason && *x->readiness_reason) {
		fputs(": ", o->f);
		esc(o, x->readiness_reason);
	}
	fputs("</td>", o->f);
	fputs("</tr>\n", o->f);
}

static void section(const struct out *o, enum histreport_label title,
                    const enum histreport_label *cols, size_t n)
{
	fputs("<h2>", o->f);
	esc(o, L(o, title));
	fputs("</h2><table>", o->f);
	head_row(o, cols, n);
}

static void offices(const struct out *o)
{
	static const enum histreport_label cols[] = {
	    L_CODE,    L_NAME,     L_LEVEL,   L_TIER,     L_AVAIL_RAW,  L_AVAIL_ADJ, L_MONITORED,
	    L_OUTAGES, L_DOWNTIME, L_LONGEST, L_BY_CAUSE, L_REDUNDANCY, L_READINESS};

	section(o, L_OFFICE_TABLE, cols, sizeof(cols) / sizeof(cols[0]));
	for (size_t i = 0; i < o->r->noffices; i++)
		office_row(o, &o->r->offices[i]);
	fputs("</tbody></table>\n", o->f);
}

/* "a / b" of two figures spelt by fn. */
static void pair_cell(const struct out *o, int64_t a, int64_t b,
                      char *(*fn)(int64_t, char *, size_t))
{
	char x[40], y[40];
	fprintf(o->f, "<td class=\"n\">%s / %s</td>", fn(a, x, sizeof(x)), fn(b, y, sizeof(y)));
}

static const char *office_code(const struct histreport *r, int64_t office_id)
{
	long k = histreport_data_find_office(r, office_id);
	return k < 0 ? NULL : r->offices[k].code;
}

static void lines(const struct out *o)
{
	static const enum histreport_label cols[] = {L_CODE,        L_LINE,       L_CARRIER,
	                                             L_CIRCUIT,     L_CONTRACT,   L_AVG_IN_OUT,
	                                             L_PEAK_IN_OUT, L_P95_IN_OUT, L_VOLUME_IN_OUT};
	char k[40];

	section(o, L_LINE_TABLE, cols, sizeof(cols) / sizeof(cols[0]));
	for (size_t i = 0; i < o->r->nlines; i++) {
		const struct histreport_line *l = &o->r->lines[i];
		fputs("<tr class=\"line\">", o->f);
		cell(o, office_code(o->r, l->office_id));
		fprintf(o->f, "<td class=\"n\">%lld</td>", (long long)l->line_id);
		cell(o, T(o, l->carrier));
		cell(o, l->circuit);
		num_cell(o, histreport_fmt_bps(l->kbps < 0 ? -1 : l->kbps * 1000, k, sizeof(k)));
		pair_cell(o, l->t[HR_IN_AVG], l->t[HR_OUT_AVG], histreport_fmt_bps);
		pair_cell(o, l->t[HR_IN_PEAK], l->t[HR_OUT_PEAK], histreport_fmt_bps);
		pair_cell(o, l->t[HR_IN_P95], l->t[HR_OUT_P95], histreport_fmt_bps);
		pair_cell(o, l->t[HR_IN_BYTES], l->t[HR_OUT_BYTES], histreport_fmt_bytes);
		fputs("</tr>\n", o->f);
	}
	fputs("</tbody></table>\n", o->f);
}

static void incidents(const struct out *o)
{
	static const enum histreport_label cols[] = {L_CODE,     L_LINE,  L_START,   L_END,
	                                             L_DURATION, L_CAUSE, L_CARRIER, L_TICKET};
	char a[40], b[40], d[40];

	section(o, L_INCIDENTS, cols, sizeof(cols) / sizeof(cols[0]));
	for (size_t i = 0; i < o->r->noutages; i++) {
		const struct histreport_outage *u = &o->r->outages[i];
		fputs("<tr class=\"incident\">", o->f);
		cell(o, office_code(o->r, u->office_id));
		fprintf(o->f, "<td class=\"n\">%lld</td>", (long long)u->line_id);
		num_cell(o, histreport_fmt_when(u->start, a, sizeof(a)));
		num_cell(o, u->end ? histreport_fmt_when(u->end, b, sizeof(b)) : L(o, L_ONGOING));
		num_cell(o, histreport_fmt_duration(u->inside_s, d, sizeof(d)));
		cell(o, T(o, histreport_data_causes[u->cause]));
		cell(o, u->carrier < 0 ? NULL : T(o, histreport_data_carriers[u->carrier]));
		cell(o, u->ticket);
		fputs("</tr>\n", o->f);
	}
	fputs("</tbody></table>\n", o->f);
}

static void usage(const struct out *o)
{
	static const enum histreport_label cols[] = {
	    L_MONTH, L_CODE, L_LINE, L_CARRIER, L_CONTRACT, L_VOLUME_IN_OUT, L_AVG_USE, L_PEAK_USE};
	char k[40];

	section(o, L_USAGE, cols, sizeof(cols) / sizeof(cols[0]));
	for (size_t i = 0; i < o->r->nusage; i++) {
		const struct histreport_usage *u = &o->r->usage[i];
		const struct histreport_line *l = &o->r->lines[u->line];
		fputs("<tr class=\"usage\">", o->f);
		cell(o, u->month);
		cell(o, office_code(o->r, l->office_id));
		fprintf(o->f, "<td class=\"n\">%lld</td>", (long long)l->line_id);
		cell(o, T(o, l->carrier));
		num_cell(o, histreport_fmt_bps(l->kbps < 0 ? -1 : l->kbps * 1000, k, sizeof(k)));
		pair_cell(o, u->t[HR_IN_BYTES], u->t[HR_OUT_BYTES], histreport_fmt_bytes);
		pair_cell(o, u->use[HR_USE_IN_AVG], u->use[HR_USE_OUT_AVG], histreport_fmt_percent);
		pair_cell(o, u->use[HR_USE_IN_PEAK], u->use[HR_USE_OUT_PEAK],
		          histreport_fmt_percent);
		fputs("</tr>\n", o->f);
	}
	fputs("</tbody></table>\n", o->f);
}

int histreport_html_write(const struct histreport *r, enum histreport_lang lang, FILE *f)
{
	struct out o = {.f = f, .r = r, .lang = lang};

	page_head(&o);
	summary(&o);
	chart_avail(&o);
	chart_p95(&o);
	chart_timeline(&o);
	offices(&o);
	lines(&o);
	incidents(&o);
	usage(&o);
	fputs("</body></html>\n", f);
	return ferror(f) ? -1 : 0;
}
