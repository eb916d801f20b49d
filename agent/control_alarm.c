/*
 * control_alarm: acknowledge, shelve and list alarms over the control
 * socket.  See control_alarm.h.
 */
#include "control_alarm.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alarm_shelf.h"
#include "log.h"
#include "notify.h"
#include "numarg.h"

#define MAX_WORDS 10

/* One request, parsed and checked. */
struct alarm_req {
	const char *sub;
	const char *id_text;
	uint32_t id;
	const char *by, *note, *until, *line, *office;
	char who[ALARM_WHO_LEN];
};

static const char *const sev_names[] = {"?",     "cleared", "indeterminate", "critical",
                                        "major", "minor",   "warning",       "info"};

/* Split into words; "--note" takes the rest of the line. */
static const char *split(char *args, struct alarm_req *r, char **words, int *n)
{
	char *p = args;

	*n = 0;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (!strncmp(p, "--note", 6) && (p[6] == ' ' || !p[6])) {
			r->note = p[6] ? p + 7 : "";
			return NULL;
		}
		if (*n == MAX_WORDS)
			return "too many words";
		words[(*n)++] = p;
		p += strcspn(p, " ");
		if (*p)
			*p++ = '\0';
	}
	return NULL;
}

static const char *take_option(struct alarm_req *r, const char *name, const char *value)
{
	static const char *const names[] = {"--by", "--until", "--line", "--office"};
	const char **slots[] = {&r->by, &r->until, &r->line, &r->office};

	for (size_t i = 0; i < 4; i++) {
		if (strcmp(name, names[i]))
			continue;
		if (*slots[i])
			return "an option is given twice";
		if (!value)
			return "an option lacks its value";
		*slots[i] = value;
		return NULL;
	}
	return "unknown option (--by --note --until --line --office)";
}

static const char *parse(char *args, struct alarm_req *r)
{
	char *w[MAX_WORDS];
	int n;
	const char *why = split(args, r, w, &n);

	if (why)
		return why;
	if (n == 0)
		return "no alarm request (list ack unack shelve unshelve)";
	r->sub = w[0];
	for (int i = 1; i < n; i++) {
		if (w[i][0] != '-' && !r->id_text) {
			r->id_text = w[i];
			continue;
		}
		if (w[i][0] != '-')
			return "more than one alarm id";
		if ((why = take_option(r, w[i], i + 1 < n ? w[i + 1] : NULL)))
			return why;
		i++;
	}
	return NULL;
}

/* Texts first: a bad note must never reach the log or the MIB. */
static const char *check_texts(struct alarm_req *r)
{
	if (r->note && alarm_shelf_text_problem(r->note, ALARM_NOTE_MAX))
		return "--note must be printable UTF-8 text of at most 127 bytes";
	if (r->by && (alarm_shelf_text_problem(r->by, ALARM_BY_MAX) || !r->by[0]))
		return "--by must be printable UTF-8 text of 1 to 63 bytes";
	if (r->id_text && !numarg_u32(r->id_text, 1, UINT32_MAX, &r->id))
		return "the alarm id must be a whole number 1..4294967295";
	return NULL;
}

static void who_of(struct alarm_req *r, const struct ucred *peer)
{
	unsigned uid = peer ? (unsigned)peer->uid : 0;
	if (r->by)
		snprintf(r->who, sizeof(r->who), "%s (uid %u)", r->by, uid);
	else
		snprintf(r->who, sizeof(r->who), "uid %u", uid);
}

static void log_change(const struct ucred *peer, const struct alarm_req *r, const char *what)
{
	log_msg(LOG_NOTICE, "control: uid %u pid %d%s%s: %s%s%s%s", peer ? (unsigned)peer->uid : 0,
	        peer ? (int)peer->pid : 0, r->by ? " by " : "", r->by ? r->by : "", what,
	        r->note ? " note \"" : "", r->note ? r->note : "", r->note ? "\"" : "");
}

/* A shelf made for alarm id: it outlives the alarm when that clears. */
static const struct shelf *shelf_of_id(uint32_t id)
{
	const struct alarm_shelves *sv = notify_shelves();
	for (size_t i = 0; i < sv->n; i++)
		if (sv->v[i].kind == SHELF_KEY && sv->v[i].alarm_id == id)
			return &sv->v[i];
	return NULL;
}

/* The shelf's target from ID, --line or --office (exactly one). */
static const char *target_of(const struct model *m, const struct alarm_req *r, bool on,
                             struct shelf *sh)
{
	if (!!r->id_text + !!r->line + !!r->office != 1)
		return "name exactly one of ID, --line OFFICE.LINE, --office OFFICE";
	if (r->id_text) {
		const struct alarm *a = notify_alarm_by_id(r->id);
		const struct shelf *old = on || a ? NULL : shelf_of_id(r->id);
		if (old) {
			*sh = *old;
			return NULL;
		}
		if (!a)
			return "no active alarm has that id";
		sh->kind = SHELF_KEY;
		sh->key = a->key;
		sh->alarm_id = a->id;
	} else if (r->line) {
		sh->kind = SHELF_LINE;
		if (!numarg_line_ref(r->line, &sh->key.office, &sh->key.line))
			return "--line must be OFFICE.LINE (two whole numbers 1..4294967295)";
		if (!model_find_line(m, sh->key.office, sh->key.line))
			return "no such line";
	} else {
		sh->kind = SHELF_OFFICE;
		if (!numarg_u32(r->office, 1, UINT32_MAX, &sh->key.office))
			return "--office must be a whole number 1..4294967295";
		if (!model_find_office(m, sh->key.office))
			return "no such office";
	}
	return NULL;
}

static size_t time_text(char *buf, size_t len, int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	return localtime_r(&tt, &tm) ? strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm) : 0;
}

static const char *target_name(const struct shelf *sh, char *buf, size_t len)
{
	if (sh->kind == SHELF_KEY)
		snprintf(buf, len, "alarm %u (%s %u.%u)", sh->alarm_id,
		         alarm_type_name(sh->key.type), sh->key.office, sh->key.line);
	else if (sh->kind == SHELF_LINE)
		snprintf(buf, len, "line %u.%u", sh->key.office, sh->key.line);
	else
		snprintf(buf, len, "office %u", sh->key.office);
	return buf;
}

static void do_shelve(const struct model *m, const struct ucred *peer, struct alarm_req *r, bool on,
                      char *out, size_t outlen)
{
	struct shelf sh = {0};
	char name[96], when[32] = "";
	const char *why = target_of(m, r, on, &sh);

	if (!why && on && !r->until)
		why = "--until TIME is required (+N[smhd] or YYYY-MM-DDTHH:MM)";
	if (!why && !on && (r->until || r->note))
		why = "unshelve takes no --until or --note";
	if (!why && on)
		why = alarm_shelf_parse_until(r->until, time(NULL), &sh.until);
	if (!why && on) {
		sh.since = time(NULL);
		snprintf(sh.by, sizeof(sh.by), "%s", r->who);
		snprintf(sh.note, sizeof(sh.note), "%s", r->note ? r->note : "");
		why = notify_shelve(&sh);
	} else if (!why) {
		why = notify_unshelve(&sh);
	}
	if (why) {
		snprintf(out, outlen, "error: %s %s: %s", on ? "shelve" : "unshelve",
		         r->id_text  ? r->id_text
		         : r->line   ? r->line
		         : r->office ? r->office
		                     : "",
		         why);
		return;
	}
	target_name(&sh, name, sizeof(name));
	if (on)
		time_text(when, sizeof(when), sh.until);
	snprintf(out, outlen, "ok %s %s%s%s", on ? "shelved" : "unshelved", name,
	         on ? " until " : "", when);
	log_change(peer, r, out + 3);
}

static void do_ack(const struct ucred *peer, struct alarm_req *r, bool on, char *out, size_t outlen)
{
	const char *why = !r->id_text ? "the alarm id is missing"
	                  : r->until || r->line || r->office
	                      ? "ack and unack take ID [--by NAME] [--note TEXT] only"
	                  : !on && r->note ? "unack takes no --note"
	                  : on             ? notify_ack(r->id, r->who, r->note)
	                                   : notify_unack(r->id);
	if (why) {
		snprintf(out, outlen, "error: %s %s: %s", on ? "ack" : "unack",
		         r->id_text ? r->id_text : "", why);
		return;
	}
	snprintf(out, outlen, "ok alarm %u %s by %s", r->id,
	         on ? "acknowledged" : "no longer acknowledged", r->who);
	log_change(peer, r, out + 3);
}

static size_t list_alarm(char *out, size_t len, const struct alarm *a)
{
	char raised[32] = "", acked[32] = "", until[32] = "";
	const struct shelf *sh = notify_shelf_of(&a->key);

	time_text(raised, sizeof(raised), a->raised);
	if (a->acked)
		time_text(acked, sizeof(acked), a->acked);
	if (sh)
		time_text(until, sizeof(until), sh->until);
	return (size_t)snprintf(
	    out, len, "\nalarm %u %s %u.%u %s raised %s%s%s%s%s%s%s%s%s%s: %s", a->id,
	    alarm_type_name(a->key.type), a->key.office, a->key.line,
	    a->severity < 8 ? sev_names[a->severity] : "?", raised, a->acked ? " acked by " : "",
	    a->acked ? a->acked_by : "", a->acked ? " at " : "", acked, sh ? " shelved until " : "",
	    until, a->note[0] ? " note \"" : "", a->note, a->note[0] ? "\"" : "", a->text);
}

static size_t list_shelf(char *out, size_t len, const struct shelf *sh)
{
	char name[96], until[32] = "";
	time_text(until, sizeof(until), sh->until);
	return (size_t)snprintf(out, len, "\nshelf %s until %s by %s%s%s%s",
	                        target_name(sh, name, sizeof(name)), until, sh->by,
	                        sh->note[0] ? " note \"" : "", sh->note, sh->note[0] ? "\"" : "");
}

/* As many lines as fit; the head says how many there are. */
static void do_list(char *out, size_t outlen)
{
	const struct alarm_set *s = notify_alarms();
	const struct alarm_shelves *sv = notify_shelves();
	size_t n = (size_t)snprintf(out, outlen, "ok %zu alarm(s), %zu shelf(s)", s->n, sv->n);
	size_t room = outlen > 40 ? outlen - 40 : 0; /* for the "more" line */

	for (size_t i = 0; i < s->n + sv->n; i++) {
		char line[1024];
		size_t w = i < s->n ? list_alarm(line, sizeof(line), s->v[i])
		                    : list_shelf(line, sizeof(line), &sv->v[i - s->n]);
		w = strlen(line); /* snprintf says what it wanted, not what it wrote */
		if (n + w >= room) {
			snprintf(out + n, outlen - n, "\n... %zu more", s->n + sv->n - i);
			return;
		}
		memcpy(out + n, line, w + 1);
		n += w;
	}
}

void control_alarm(const struct model *m, const struct ucred *peer, char *args, char *out,
                   size_t outlen)
{
	struct alarm_req r = {0};
	const char *why = parse(args, &r);

	if (!why)
		why = check_texts(&r);
	if (why) {
		snprintf(out, outlen, "error: alarm: %s", why);
		return;
	}
	who_of(&r, peer);
	if (!strcmp(r.sub, "list"))
		do_list(out, outlen);
	else if (!strcmp(r.sub, "ack") || !strcmp(r.sub, "unack"))
		do_ack(peer, &r, r.sub[0] == 'a', out, outlen);
	else if (!strcmp(r.sub, "shelve") || !strcmp(r.sub, "unshelve"))
		do_shelve(m, peer, &r, r.sub[0] == 's', out, outlen);
	else
		snprintf(out, outlen,
		         "error: alarm: unknown request '%.32s' (list ack unack shelve unshelve)",
		         r.sub);
}
