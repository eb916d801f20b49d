/*
 * histreport_json: the JSON document; see the header for the schema.
 */
#include "histreport_json.h"

#include "histreport_fmt.h"

static void str(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

/* "key": value pairs; sep is what comes before (",", "" for the first). */
static void key(FILE *f, const char *sep, const char *k)
{
	fputs(sep, f);
	str(f, k);
	fputc(':', f);
}

static void kstr(FILE *f, const char *sep, const char *k, const char *v)
{
	key(f, sep, k);
	str(f, v);
}

static void kint(FILE *f, const char *sep, const char *k, int64_t v)
{
	key(f, sep, k);
	if (v < 0)
		fputs("null", f);
	else
		fprintf(f, "%lld", (long long)v);
}

static void kbool(FILE *f, const char *sep, const char *k, bool v)
{
	key(f, sep, k);
	fputs(v ? "true" : "false", f);
}

static void ktime(FILE *f, const char *sep, const char *k, int64_t t)
{
	char buf[40];
	kstr(f, sep, k, t > 0 ? histreport_fmt_time(t, buf, sizeof(buf)) : NULL);
}

static void traffic(FILE *f, const int64_t *t)
{
	for (int k = 0; k < HR_NTRAFFIC; k++)
		kint(f, ",", histreport_data_traffic_names[k], t[k]);
}

static void line_obj(FILE *f, const struct histreport_line *l)
{
	kint(f, "{", "id", l->line_id);
	kstr(f, ",", "carrier", l->carrier);
	kstr(f, ",", "circuit", l->circuit);
	kstr(f, ",", "role", l->role);
	kint(f, ",", "contracted_kbps", l->kbps);
	traffic(f, l->t);
	fputc('}', f);
}

static void office_outages(FILE *f, const struct histreport_office *o)
{
	kint(f, ",\"outages\":{", "count", o->outages);
	kint(f, ",", "downtime_s", o->downtime_s);
	kint(f, ",", "longest_s", o->longest_s);
	for (int c = 0; c < HISTREPORT_NCAUSES; c++)
		kint(f, c ? "," : ",\"by_cause\":{", histreport_data_causes[c], o->by_cause[c]);
	fputs("}}", f);
}

static void office_obj(FILE *f, const struct histreport *r, const struct histreport_office *o)
{
	kint(f, "{", "id", o->id);
	kstr(f, ",", "code", o->code);
	kstr(f, ",", "name", o->name);
	kstr(f, ",", "level", o->level);
	kstr(f, ",", "tier", o->tier);
	kstr(f, ",", "province", o->province);
	kstr(f, ",", "commune", o->commune);
	kint(f, ",", "required_lines", o->required_lines);
	kint(f, ",", "sla_target_ppm", o->sla_ppm);
	kint(f, ",\"seconds\":{", "up", o->up_s);
	kint(f, ",", "down", o->down_s);
	kint(f, ",", "maint", o->maint_s);
	kint(f, ",", "unknown", o->unknown_s);
	kint(f, "},\"availability\":{", "raw_ppm", o->raw_ppm);
	kint(f, ",", "adjusted_ppm", o->adj_ppm);
	kint(f, ",", "monitored_ppm", o->monitored_ppm);
	kbool(f, ",", "below_sla", o->below_sla);
	fputc('}', f);
	office_outages(f, o);
	kstr(f, ",", "redundancy", o->redundancy);
	kstr(f, ",", "readiness", o->readiness);
	kstr(f, ",", "readiness_reason", o->readiness_reason);
	ktime(f, ",", "last_readiness_report", o->last_report);
	kbool(f, ",", "readiness_fresh", o->fresh);
	fputs(",\"lines\":[", f);
	for (size_t i = 0; i < o->nlines; i++) {
		fputs(i ? "," : "", f);
		line_obj(f, &r->lines[o->line0 + i]);
	}
	fputs("]}", f);
}

static void incident_obj(FILE *f, const struct histreport_outage *u)
{
	kint(f, "{", "office_id", u->office_id);
	kint(f, ",", "line_id", u->line_id);
	kstr(f, ",", "carrier", u->carrier < 0 ? NULL : histreport_data_carriers[u->carrier]);
	ktime(f, ",", "start", u->start);
	ktime(f, ",", "end", u->end);
	kint(f, ",", "duration_s", u->inside_s);
	kstr(f, ",", "cause", histreport_data_causes[u->cause]);
	kstr(f, ",", "ticket", u->ticket);
	fputc('}', f);
}

static void usage_obj(FILE *f, const struct histreport *r, const struct histreport_usage *u)
{
	const struct histreport_line *l = &r->lines[u->line];

	kstr(f, "{", "month", u->month);
	kint(f, ",", "office_id", l->office_id);
	kint(f, ",", "line_id", l->line_id);
	kint(f, ",", "contracted_kbps", l->kbps);
	traffic(f, u->t);
	for (int k = 0; k < HR_NUSE; k++)
		kint(f, ",", histreport_data_use_names[k], u->use[k]);
	fputc('}', f);
}

static void id_list(FILE *f, const char *k, const struct histreport *r, bool stale)
{
	const char *sep = "";

	key(f, ",", k);
	fputc('[', f);
	for (size_t i = 0; i < r->noffices; i++)
		if (stale ? !r->offices[i].fresh : r->offices[i].below_sla) {
			fprintf(f, "%s%lld", sep, (long long)r->offices[i].id);
			sep = ",";
		}
	fputc(']', f);
}

static void by_name(FILE *f, const char *k, const char *const *names, int n, const unsigned *count,
                    const int64_t *secs)
{
	key(f, ",", k);
	for (int i = 0; i < n; i++) {
		key(f, i ? "," : "{", names[i]);
		kint(f, "{", "count", count[i]);
		kint(f, ",", "downtime_s", secs[i]);
		fputc('}', f);
	}
	fputc('}', f);
}

static void summary_obj(FILE *f, const struct histreport *r)
{
	const struct histreport_summary *s = &r->sum;

	kint(f, ",\"summary\":{", "offices", s->offices);
	kint(f, ",", "connected", s->connected);
	for (int b = 0; b < HISTREPORT_DIST_BUCKETS; b++)
		kint(f, b ? "," : ",\"availability_distribution\":{", histreport_data_dist_names[b],
		     s->dist[b]);
	fputs("},\"worst\":[", f);
	for (size_t i = 0; i < s->nworst; i++)
		fprintf(f, "%s%lld", i ? "," : "", (long long)r->offices[s->worst[i]].id);
	fputc(']', f);
	by_name(f, "incidents_by_cause", histreport_data_causes, HISTREPORT_NCAUSES, s->cause_count,
	        s->cause_s);
	by_name(f, "incidents_by_carrier", histreport_data_carriers, HISTREPORT_NCARRIERS,
	        s->carrier_count, s->carrier_s);
	id_list(f, "below_sla", r, false);
	id_list(f, "stale_readiness", r, true);
	fputc('}', f);
}

static void head(FILE *f, const struct histreport *r)
{
	const struct histreport_period *p = &r->period;

	kstr(f, "{", "schema", "tslcd-report/1");
	kstr(f, ",\"province\":{", "code", r->province_code);
	kstr(f, ",", "name", r->province_name);
	kstr(f, ",", "timezone", r->timezone);
	kstr(f, "},\"period\":{", "label", p->label);
	kstr(f, ",", "first_day", p->first);
	kstr(f, ",", "last_day", p->last);
	ktime(f, ",", "start", p->start);
	ktime(f, ",", "end", p->end);
	ktime(f, ",", "until", p->until);
	kint(f, ",", "seconds", r->period_s);
	kbool(f, ",", "partial", p->partial);
	fputc('}', f);
}

int histreport_json_write(const struct histreport *r, FILE *f)
{
	head(f, r);
	fputs(",\"offices\":[", f);
	for (size_t i = 0; i < r->noffices; i++) {
		fputs(i ? ",\n" : "\n", f);
		office_obj(f, r, &r->offices[i]);
	}
	fputs("],\"incidents\":[", f);
	for (size_t i = 0; i < r->noutages; i++) {
		fputs(i ? ",\n" : "\n", f);
		incident_obj(f, &r->outages[i]);
	}
	fputs("],\"usage\":[", f);
	for (size_t i = 0; i < r->nusage; i++) {
		fputs(i ? ",\n" : "\n", f);
		usage_obj(f, r, &r->usage[i]);
	}
	fputc(']', f);
	summary_obj(f, r);
	fputs("}\n", f);
	return ferror(f) ? -1 : 0;
}
