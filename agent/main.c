/*
 * tslcd-agent: AgentX subagent monitoring TSLCD offices and lines.
 *
 * main only wires modules together: options, config, model, MIB, prober,
 * signals, and the one event loop that runs them all.
 */
#include <errno.h>
#include <getopt.h>
#include <systemd/sd-daemon.h>
#include <malloc.h>
#include <poll.h>
#include <sys/socket.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_callbacks.h>

#include "agent_status.h"
#include "agentx_link.h"
#include "alarm_rules.h"
#include "availability.h"
#include "bw_poller.h"
#include "config.h"
#include "control.h"
#include "dayacct.h"
#include "heightened.h"
#include "histfeed.h"
#include "history.h"
#include "log.h"
#include "log_netsnmp.h"
#include "loop.h"
#include "mib.h"
#include "model.h"
#include "notify.h"
#include "numarg.h"
#include "privilege.h"
#include "probe_icmp.h"
#include "probe_run.h"
#include "prober.h"
#include "readiness_run.h"
#include "reloader.h"
#include "saver.h"
#include "store.h"

#ifndef TSLCD_VERSION
#define TSLCD_VERSION "0.1.0"
#endif

#define DEFAULT_CONFIG "/etc/tslcd/tslcd.conf"
#define TICK_MS        5000u

struct options {
	const char *config;
	const char *agentx_socket;
	bool foreground, to_stderr, debug, check_only, dump_oids;
	unsigned ping_interval;
};

/* What the daemon runs on, owned here: a reload replaces the model in
 * place (reload_apply); modules that must see the one in force hold
 * &rt.model or take part in the reload (reload_parts). */
static struct runtime {
	struct model *model;
} rt;
static struct options opt = {.config = DEFAULT_CONFIG, .ping_interval = 5};

static void usage(FILE *out)
{
	fprintf(out, "usage: tslcd-agent [-c FILE] [-x SOCKET] [-f] [-L] [-d] [-P SECONDS]\n"
	             "       tslcd-agent --check-config [-c FILE]\n"
	             "       tslcd-agent --dump-oids | --dump-config-schema | --version\n"
	             "  -c FILE          configuration (default " DEFAULT_CONFIG ")\n"
	             "  -x SOCKET        AgentX master socket (overrides agent.agentx-socket)\n"
	             "  -f               stay in the foreground\n"
	             "  -L               log to stderr instead of syslog\n"
	             "  -d               debug logging\n"
	             "  -P SECONDS       AgentX ping interval, for quick reconnects (default 5)\n"
	             "  --check-config   validate the configuration and exit (0 = valid)\n"
	             "  --dump-oids      print every served object as NAME OID and exit\n"
	             "  --dump-config-schema  print every configuration option with its type,\n"
	             "                   default and values, and exit\n"
	             "  --allow-readable-secrets  load a config holding communities/keys even\n"
	             "                   when group or others can read it\n");
}

#define PING_MAX_S 3600u

/* 0, or -1 unless text is a whole number 1..PING_MAX_S: without pings
 * there are no reconnects either. */
static int parse_seconds(const char *text, unsigned *out)
{
	uint32_t v;

	if (!numarg_u32(text, 1, PING_MAX_S, &v))
		return -1;
	*out = v;
	return 0;
}

static int parse_options(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"check-config", no_argument, NULL, 'C'},
	    {"dump-oids", no_argument, NULL, 'D'},
	    {"dump-config-schema", no_argument, NULL, 'K'},
	    {"version", no_argument, NULL, 'V'},
	    {"allow-readable-secrets", no_argument, NULL, 'S'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "c:x:fLdP:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			opt.config = optarg;
			break;
		case 'x':
			opt.agentx_socket = optarg;
			break;
		case 'f':
			opt.foreground = true;
			break;
		case 'L':
			opt.to_stderr = true;
			break;
		case 'd':
			opt.debug = true;
			break;
		case 'P':
			if (parse_seconds(optarg, &opt.ping_interval) < 0) {
				fprintf(stderr,
				        "tslcd-agent: -P '%s': give whole seconds from 1 to %u\n",
				        optarg, PING_MAX_S);
				return -1;
			}
			break;
		case 'C':
			opt.check_only = true;
			break;
		case 'D':
			opt.dump_oids = true;
			break;
		case 'K':
			config_dump_schema(stdout);
			exit(0);
		case 'S':
			/* Explicit override of the secrets check (agent/secrets.h). */
			config_allow_readable_secrets(true);
			break;
		case 'V':
			printf("tslcd-agent %s\n", TSLCD_VERSION);
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "tslcd-agent: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
}

/* ---- configuration ---- */

static void config_error_to_log(void *ctx, const char *msg)
{
	(void)ctx;
	log_msg(LOG_ERR, "%s", msg);
	agent_status_config_message(msg);
}

/* Parsing a large file churns the heap, and so do the state restore and
 * the MIB's and notifier's first tables: hand what they freed back to the
 * kernel once start-up is over, so RSS reflects what is kept.  (Trimming
 * right after the model was built left 7.5 MB of later holes resident at
 * 10,000 lines: README's 38 MB had grown to 51 MB.) */
static void heap_trim(void)
{
	malloc_trim(0);
}

/* A fixed mmap threshold: glibc otherwise raises it to the size of the
 * largest block freed (the state file's read buffer, a save's buffer, tens
 * of MB), after which such blocks come from the heap and stay resident when
 * freed.
 * No fastbins: Net-SNMP allocates and frees blocks of 1 KB and more for
 * every AgentX PDU, and each such call first merges every fastbin chunk
 * with its neighbours (malloc_consolidate).  Those neighbours lie all over
 * a heap that holds the model, so at 10,000 lines a table walk paid about
 * 16 more cache misses per varbind there than at 1,000 (callgrind, 2 MB
 * last-level cache).  Small blocks still come from the per-thread cache. */
static void heap_policy(void)
{
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
	mallopt(M_MXFAST, 0);
}

static struct tslcd_config *config_read(void)
{
	agent_status_config_message("");
	struct tslcd_config *cfg = config_load(opt.config, config_error_to_log, NULL);
	agent_status_config_loaded(cfg != NULL, time(NULL));
	return cfg;
}

static int check_config(void)
{
	struct tslcd_config *cfg = config_load(opt.config, config_error_to_log, NULL);
	if (!cfg)
		return 1;
	printf("%s: OK (%zu offices, %zu lines", opt.config, cfg->n_offices, cfg->n_lines);
	if (cfg->n_nodes)
		printf(", %zu upstream node%s", cfg->n_nodes, cfg->n_nodes == 1 ? "" : "s");
	if (cfg->selfcheck.n_targets)
		printf(", %zu reference targets", cfg->selfcheck.n_targets);
	printf(")\n");
	config_free(cfg);
	return 0;
}

static void apply_timezone(const struct tslcd_config *cfg)
{
	setenv("TZ", cfg->agent.timezone, 1);
	tzset();
	dayacct_zone_changed();
	avail_zone_changed();
}

/* What the reload thread built from the new config alone; after the
 * swap, what the reload replaced, freed on the reloader's thread. */
struct reload_built {
	struct model *model;        /* fresh state; NULL: built on the loop */
	struct history_batch *rows; /* the config's history rows */
};

/* SIGHUP, on the reload thread: what depends only on the new config, built
 * while the loop goes on.  The new model's time zone must be the one in
 * force (fresh availability buckets are keyed by local periods), else the
 * loop builds it after switching zones. */
static void *reload_prepare(void *ctx, struct tslcd_config *cfg)
{
	const char *tz = getenv("TZ"); /* set only on the loop, never while this runs */
	struct reload_built *b = calloc(1, sizeof(*b));

	(void)ctx;
	if (!b)
		return NULL;
	b->rows = histfeed_config_rows(cfg);
	if (tz && !strcmp(tz, cfg->agent.timezone))
		b->model = model_prepare(cfg, time(NULL));
	return b;
}

/* Shutdown during a reload: what it built goes. */
static void reload_discard(void *ctx, struct tslcd_config *cfg, void *prepared)
{
	struct reload_built *b = prepared;

	(void)ctx;
	if (b && b->model)
		model_free(b->model); /* owns cfg */
	else
		config_free(cfg);
	if (b)
		history_batch_free(b->rows);
	free(b);
}

/* On the reloader's thread: only frees. */
static void reload_dispose(void *obj)
{
	struct reload_built *gone = obj;

	model_free(gone->model);
	history_batch_free(gone->rows);
	free(gone);
}

/* The old model, and the config rows the history queue had no room for. */
static void reload_release(struct model *old, struct history_batch *rows)
{
	struct reload_built *gone = malloc(sizeof(*gone));

	if (!gone) { /* on the loop, then */
		model_free(old);
		history_batch_free(rows);
		return;
	}
	*gone = (struct reload_built){.model = old, .rows = rows};
	reloader_dispose(reload_dispose, gone);
}

/* Point heightened periods, the notifier and the rules at a model (before
 * the old one goes: clears name what was dropped); judge: the alarms a
 * restart took over are judged again. */
static void alarms_bind(struct model *m, bool judge)
{
	heightened_bind(&m->cfg->notify);
	notify_bind_model(m);
	alarm_rules_bind(m);
	alarm_rules_standing(m, judge);
}

/* A heightened period regrades the alarms and may tighten the thresholds
 * of the rounds to come. */
static void alarms_period(struct model *m)
{
	if (heightened_tick(time(NULL)))
		notify_regrade();
	model_set_thresholds(m, heightened_thresholds());
}

/* ---- reload: one protocol, phase by phase ---- */

/* One reload under way: the new config and the model replacing the
 * runtime's (prepared off the loop, or NULL: built on the loop). */
struct reload {
	struct tslcd_config *cfg;
	struct model *old, *next;
	struct history_batch *rows; /* the config's history rows, or NULL */
};

/* The phases after prepare, in the order they run. */
enum reload_phase {
	RELOAD_STOP,  /* stop working on the old model (probes hold its lines) */
	RELOAD_SWAP,  /* point at the next model while the old one still exists:
	               * what the reload dropped can still be named (alarm clears) */
	RELOAD_START, /* the old model is released: resume on the runtime's, in a later
	               * turn of the loop (reload_finish) */
	RELOAD_PHASES
};

/*
 * A module's part in a reload.  Every row's hook of a phase runs, in table
 * order, before any hook of the next phase.  prepare runs first and may
 * fail: the old model and config then stay in force (only the time zone,
 * which the next model is built in, has changed).  Between swap and start
 * the runtime releases the old model and takes the next.
 */
struct reload_part {
	const char *name; /* in the debug log's timing of each phase */
	bool (*prepare)(struct reload *r);
	void (*abort)(struct reload *r); /* undo a prepare when a later one failed */
	void (*run[RELOAD_PHASES])(struct reload *r);
};

/* Local periods of fresh state are keyed by the new zone. */
static bool zone_prepare(struct reload *r)
{
	apply_timezone(r->cfg);
	return true;
}

/* The next model takes over the state of every office, line and node the
 * old one still has. */
static bool model_next_prepare(struct reload *r)
{
	if (r->next)
		model_adopt(r->next, r->old, time(NULL), loop_now_ms_fresh());
	else
		r->next = model_create(r->cfg, r->old, time(NULL), loop_now_ms_fresh());
	return r->next != NULL;
}

static void listener_swap(struct reload *r)
{
	model_set_listener(r->next, &r->old->listener);
}

/* Last of the swap: the old model is released with the rows left over. */
static void config_rows_swap(struct reload *r)
{
	histfeed_config_loaded(r->next->cfg, r->rows, NULL);
}

static void probes_stop(struct reload *r)
{
	probe_run_stop(r->old);
}

static void probes_start(struct reload *r)
{
	probe_run_start(r->next);
}

static void poller_stop(struct reload *r)
{
	(void)r;
	bw_poller_stop();
}

static void poller_start(struct reload *r)
{
	bw_poller_start(r->next);
}

static void mib_swap(struct reload *r)
{
	mib_bind_model(r->next);
}

static void alarms_swap(struct reload *r)
{
	alarms_bind(r->next, false);
	alarms_period(r->next);
}

/* The readiness engine: its next state is built from the new config and
 * the running engine's reports; it swaps before the old config goes. */
static bool readiness_prepare(struct reload *r)
{
	return readiness_run_prepare(r->cfg);
}

static void readiness_abort(struct reload *r)
{
	(void)r;
	readiness_run_abort();
}

static void readiness_pause(struct reload *r)
{
	(void)r;
	readiness_run_pause();
}

static void readiness_swap(struct reload *r)
{
	(void)r;
	readiness_run_swap();
}

static void readiness_resume(struct reload *r)
{
	(void)r;
	readiness_run_resume();
}

static const struct reload_part reload_parts[] = {
    {.name = "zone", .prepare = zone_prepare},
    /* readiness prepares before the model: model_adopt() takes the old
     * model's outages over, so nothing after it may fail */
    {.name = "readiness",
     .prepare = readiness_prepare,
     .abort = readiness_abort,
     .run[RELOAD_STOP] = readiness_pause},
    {.name = "model", .prepare = model_next_prepare, .run[RELOAD_SWAP] = listener_swap},
    {.name = "probes", .run = {[RELOAD_STOP] = probes_stop, [RELOAD_START] = probes_start}},
    {.name = "poller", .run = {[RELOAD_STOP] = poller_stop, [RELOAD_START] = poller_start}},
    {.name = "mib", .run[RELOAD_SWAP] = mib_swap},
    {.name = "alarms", .run[RELOAD_SWAP] = alarms_swap},
    /* after the alarms: its first judgement may raise or clear on the
     * next model */
    {.name = "readiness",
     .run = {[RELOAD_SWAP] = readiness_swap, [RELOAD_START] = readiness_resume}},
    /* the config's rows follow the rows the swap wrote, as they always did */
    {.name = "history", .run[RELOAD_SWAP] = config_rows_swap},
};

#define RELOAD_PARTS (sizeof(reload_parts) / sizeof(reload_parts[0]))

/* Where the loop's time goes in a reload (-d): the phases of every part. */
static void reload_timed(const char *part, const char *phase, uint64_t t0)
{
	log_msg(LOG_DEBUG, "reload: %s %s %.1f ms", part, phase,
	        (double)(loop_clock_us() - t0) / 1e3);
}

/* Every prepare, in order; when one fails, the ones before it are undone
 * in reverse. */
static bool reload_prepared(struct reload *r)
{
	for (size_t i = 0; i < RELOAD_PARTS; i++) {
		if (!reload_parts[i].prepare)
			continue;
		uint64_t t0 = loop_clock_us();
		bool ok = reload_parts[i].prepare(r);
		reload_timed(reload_parts[i].name, "prepare", t0);
		if (ok)
			continue;
		while (i-- > 0)
			if (reload_parts[i].abort)
				reload_parts[i].abort(r);
		return false;
	}
	return true;
}

static void reload_phase(struct reload *r, enum reload_phase phase)
{
	static const char *const names[RELOAD_PHASES] = {"stop", "swap", "start"};

	for (size_t i = 0; i < RELOAD_PARTS; i++) {
		if (!reload_parts[i].run[phase])
			continue;
		uint64_t t0 = loop_clock_us();
		reload_parts[i].run[phase](r);
		reload_timed(reload_parts[i].name, names[phase], t0);
	}
}

/* The start phase runs in a later turn of the loop: what was asked
 * meanwhile (a GET, on the next model already) is answered between the
 * two blocks. */
static struct {
	struct reload r;
	bool due;                 /* the start phase has not run yet */
	struct loop_timer *timer; /* armed for it, or NULL */
	double parse_ms, swap_ms;
} starting;

static void reload_finish(void)
{
	uint64_t t0 = loop_clock_us();

	starting.due = false;
	const struct tslcd_config *cfg = starting.r.next->cfg;

	reload_phase(&starting.r, RELOAD_START);
	double start_ms = (double)(loop_clock_us() - t0) / 1e3;
	log_msg(LOG_INFO,
	        "configuration reloaded: %zu offices, %zu lines (parsed in %.1f ms off the loop, "
	        "%.1f ms on the loop: %.1f + %.1f ms in two turns)",
	        cfg->n_offices, cfg->n_lines, starting.parse_ms, starting.swap_ms + start_ms,
	        starting.swap_ms, start_ms);
	sd_notify(0, "READY=1"); /* the reload is over */
}

static void reload_start_turn(void *arg)
{
	(void)arg;
	starting.timer = NULL; /* fired: freed by the loop */
	reload_finish();
}

/* Deferred from the reload's turn: a timer added there would run at the
 * top of the next pass, before the poll; added here (after this pass's
 * timers), it runs only once the poll has served what waits. */
static void reload_arm_start(void *arg)
{
	(void)arg;
	if (starting.due && !(starting.timer = loop_timer_add(0, reload_start_turn, NULL)))
		reload_finish(); /* out of memory: now, then */
}

/* A start phase still due runs now: before another reload, or the stop. */
static void reload_flush(void)
{
	if (!starting.due)
		return;
	loop_timer_cancel(starting.timer);
	starting.timer = NULL;
	reload_finish();
}

/* SIGHUP, back on the loop: a bad file keeps the old config in force; a
 * good one replaces it, keeping the state of every office and line that
 * still exists.  True: the start phase is due (reload_finish). */
static bool reload_apply(struct tslcd_config *cfg, struct reload_built *built, double parse_ms)
{
	agent_status_config_loaded(cfg != NULL, time(NULL));
	if (!cfg) { /* config_message holds the last problem, handed over just now */
		log_msg(LOG_ERR, "reload failed: keeping the previous configuration");
		histfeed_config_loaded(NULL, NULL, agent_status_get()->config_message);
		return false;
	}
	agent_status_config_message("");
	uint64_t t0 = loop_clock_us();
	struct reload r = {.cfg = cfg,
	                   .old = rt.model,
	                   .next = built ? built->model : NULL,
	                   .rows = built ? built->rows : NULL};
	if (!reload_prepared(&r)) {
		log_msg(LOG_ERR, "reload: out of memory, keeping the previous configuration");
		history_batch_free(r.rows);
		config_free(cfg);
		return false;
	}
	reload_phase(&r, RELOAD_STOP);
	reload_phase(&r, RELOAD_SWAP);
	reload_release(r.old, r.rows); /* nothing refers to them any more */
	rt.model = r.next;
	starting.r = r;
	starting.parse_ms = parse_ms;
	starting.swap_ms = (double)(loop_clock_us() - t0) / 1e3;
	return true;
}

static void reload_done(void *ctx, struct tslcd_config *cfg, void *prepared, double parse_ms)
{
	(void)ctx;
	reload_flush(); /* the previous reload's start comes first */
	bool due = reload_apply(cfg, prepared, parse_ms);
	free(prepared); /* what it held is the runtime's, or freed */
	starting.due = due;
	if (!due)
		sd_notify(0, "READY=1"); /* the reload is over, failed */
	else if (loop_defer(reload_arm_start, NULL) < 0)
		reload_finish(); /* out of memory: in this turn, then */
}

static const struct reloader_hooks reload_hooks = {
    .err = config_error_to_log,
    .prepare = reload_prepare,
    .done = reload_done,
    .discard = reload_discard,
};

static void reload(void)
{
	log_msg(LOG_INFO, "reloading %s", opt.config);
	reloader_request();
}

/* ---- AgentX ---- */

static void master_reachable(bool up)
{
	if (rt.model)
		model_set_master_reachable(rt.model, up);
}

static void agentx_start(const struct tslcd_config *cfg)
{
	agentx_link_init(opt.agentx_socket ? opt.agentx_socket : cfg->agent.agentx_socket,
	                 opt.ping_interval);
	agentx_link_on_reachable(master_reachable);
	if (mib_register_all() < 0)
		log_msg(LOG_ERR, "MIB registration failed");
	agentx_link_open();
}

/* ---- signals and timers ---- */

static void on_signal(int fd, short revents, void *arg)
{
	struct signalfd_siginfo si;

	(void)revents, (void)arg;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			/* systemd (Type=notify; a no-op elsewhere): READY=1 follows
			 * when the reloader is done (reload_done). */
			sd_notify(0, "RELOADING=1");
			reload();
		} else {
			sd_notify(0, "STOPPING=1");
			log_msg(LOG_INFO, "signal %u: shutting down", si.ssi_signo);
			loop_stop();
		}
	}
}

static int signals_init(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	int fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	return fd < 0 ? -1 : loop_fd_add(fd, POLLIN, on_signal, NULL) == 0 ? fd : -1;
}

/* ---- model events ---- */

static void on_outage_opened(void *ctx, const struct line *l, const struct outage *o,
                             uint32_t evicted)
{
	(void)ctx;
	mib_outage_added(l, o, evicted);
	histfeed_outage(l, o);
	log_msg(LOG_WARNING, "office %u (%s) line %u (%s): outage %u opened", l->office->cfg->id,
	        l->office->cfg->code, l->cfg->id, l->cfg->circuit, o->index);
}

/* Closed, or annotated by an operator: the history row follows. */
static void on_outage_recorded(void *ctx, const struct line *l, const struct outage *o)
{
	(void)ctx;
	histfeed_outage(l, o);
}

/* The log line, flap dampening, then the rules. */
static void on_line_changed(void *ctx, const struct line *l, enum line_status old)
{
	log_msg(LOG_NOTICE, "office %u (%s) line %u: %s -> %s", l->office->cfg->id,
	        l->office->cfg->code, l->cfg->id, line_status_name(old),
	        line_status_name(linestate_reported(&l->ls)));
	notify_line_changed(l, old);
	alarm_rules_line_changed(ctx, l, old);
}

static void on_office_changed(void *ctx, const struct office *o, enum office_status old)
{
	log_msg(LOG_NOTICE, "office %u (%s): %s -> %s", o->cfg->id, o->cfg->code,
	        model_office_status_name(old), model_office_status_name(o->status));
	histfeed_office_changed(o, old);
	alarm_rules_office_changed(ctx, o, old);
}

/* The model's rules ask which of their alarms the notifier holds. */
static bool rule_alarm_active(bool utilisation, uint32_t office, uint32_t line)
{
	return notify_is_active(utilisation ? ALARM_UTILISATION_HIGH : ALARM_REDUNDANCY, office,
	                        line);
}

static const struct model_listener listener = {
    .line_changed = on_line_changed,
    .office_changed = on_office_changed,
    .outage_opened = on_outage_opened,
    .outage_closed = on_outage_recorded,
    .outage_annotated = on_outage_recorded,
    .utilisation_high = alarm_rules_utilisation_high,
    .utilisation_cleared = alarm_rules_utilisation_cleared,
    .redundancy_noncompliant = alarm_rules_redundancy_noncompliant,
    .redundancy_compliant = alarm_rules_redundancy_compliant,
    .node_changed = alarm_rules_node_changed,
    .monitoring_changed = alarm_rules_monitoring_changed,
};

/* Seconds a forward wall-clock step left unknown (by this tick or a save's):
 * said once, as it explains unknown seconds in every line's books. */
static void log_clock_step(struct avail_clock *c)
{
	if (c->skipped <= 0)
		return;
	log_msg(LOG_WARNING,
	        "the wall clock stepped %lld s ahead of the monotonic clock: those seconds stay "
	        "unknown in the availability, day and interval books",
	        (long long)c->skipped);
	c->skipped = 0;
}

static void on_tick(void *arg)
{
	(void)arg;
	model_tick(rt.model, time(NULL), loop_now_ms());
	log_clock_step(&rt.model->clock);
	alarms_period(rt.model);
	alarm_rules_tick(time(NULL));
	notify_tick();
	alarm_rules_availability(rt.model, time(NULL));
	loop_timer_add(TICK_MS, on_tick, NULL);
}

/* TCP probes at scale need fds: use the hard limit the admin allowed. */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* ---- main ---- */

static int run(struct tslcd_config *cfg)
{
	int sigfd;

	rt.model = model_create(cfg, NULL, time(NULL), loop_now_ms_fresh());
	if (!rt.model) {
		log_msg(LOG_ERR, "out of memory building the model");
		return 1;
	}
	sigfd = signals_init();
	if (sigfd < 0 || reloader_init(opt.config, &reload_hooks) < 0) {
		log_msg(LOG_ERR, "signalfd/eventfd: %s", strerror(errno));
		return 1;
	}
	struct alarm_set restored;
	alarm_set_init(&restored);
	notify_logs_resize(&cfg->notify);   /* room for the logs the state file holds */
	store_restore(rt.model, &restored); /* before the MIB shows the tables */
	model_set_listener(rt.model, &listener);
	mib_bind_model(rt.model);
	bool judge = restored.n > 0;
	notify_restore(&restored);
	alarm_rules_set_sink(notify_apply);
	alarms_bind(rt.model, judge);
	model_bw_restored(rt.model, rule_alarm_active);
	model_redundancy_restored(rt.model, rule_alarm_active);
	alarms_period(rt.model);
	agentx_start(cfg);
	raise_fd_limit();
	prober_init(0, 0);
	agent_status_icmp_mode(icmp_mode(AF_INET));
	/* The raw ICMP sockets and the AgentX session are open: root is no
	 * longer needed, and what is created from here on is the user's. */
	privilege_warn_unreadable(opt.config, cfg->agent.user);
	if (privilege_drop(cfg->agent.user) < 0)
		return 1;
	/* As the user, so history.db is theirs; before any notification. */
	notify_seq_resume(histfeed_start(&rt.model));
	control_start(cfg->agent.control_socket, &rt.model);
	probe_run_start(rt.model);
	bw_poller_start(rt.model); /* after init_snmp(): USM must be ready */
	loop_timer_add(TICK_MS, on_tick, NULL);
	saver_start(&rt.model, notify_alarms());
	readiness_run_start(cfg); /* after the privilege drop: the spool is the user's */
	heap_trim();
	log_msg(LOG_INFO, "tslcd-agent %s started: %zu offices, %zu lines", TSLCD_VERSION,
	        cfg->n_offices, cfg->n_lines);
	sd_notify(0, "READY=1"); /* config loaded, sockets open */
	loop_run();
	reload_flush(); /* what a reload stopped runs, so that it stops below */
	reloader_stop();
	control_stop();
	probe_run_stop(rt.model);
	bw_poller_stop();
	prober_shutdown();
	model_tick(rt.model, time(NULL), loop_now_ms_fresh());
	saver_stop();    /* synchronous final save */
	histfeed_stop(); /* the day totals as saved, then the queue drained */
	readiness_run_stop();
	agentx_link_close();
	notify_shutdown();
	mib_bind_model(NULL);
	model_free(rt.model);
	close(sigfd);
	loop_shutdown();
	log_msg(LOG_INFO, "stopped");
	return 0;
}

int main(int argc, char **argv)
{
	if (parse_options(argc, argv) < 0)
		return 2;
	if (opt.dump_oids) {
		mib_dump_oids(stdout);
		return 0;
	}
	log_init("tslcd-agent", true, opt.debug); /* until the config is read */
	log_netsnmp_route();
	if (opt.check_only)
		return check_config();
	heap_policy();
	agent_status_started(TSLCD_VERSION, time(NULL));
	loop_init();
	struct tslcd_config *cfg = config_read();
	if (!cfg)
		return 1;
	apply_timezone(cfg);
	log_init("tslcd-agent", opt.to_stderr, opt.debug);
	if (!opt.foreground && daemon(0, 0) < 0) {
		log_msg(LOG_ERR, "daemon: %s", strerror(errno));
		return 1;
	}
	return run(cfg);
}
