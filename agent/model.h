/*
 * model: offices and lines at run time, and the only place their state
 * changes.
 *
 * Contract: observations come in (model_line_round(), model_tick());
 * the model turns them into state through linestate and availability, keeps
 * the outage history, and reports every transition to its listener.  It
 * knows nothing of SNMP: MIB handlers only read it, the notifier only
 * listens to it.  Wall time is only used for timestamps and calendar
 * windows; durations come from the monotonic clock (see avail_clock).
 */
#ifndef TSLCD_MODEL_H
#define TSLCD_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "availability.h"
#include "config.h"
#include "dayacct.h"
#include "interval.h"
#include "line_stats.h"
#include "linestate.h"
#include "outage.h"
#include "probe_result.h"

/* MIB TslcdOfficeStatus values. */
enum office_status {
	OFFICE_UNKNOWN = 1,
	OFFICE_UP = 2,
	OFFICE_DEGRADED = 3,
	OFFICE_ISOLATED = 4,
	OFFICE_MAINTENANCE = 5,
	OFFICE_UNREACHABLE = 6, /* every line that is not up is unreachable (node down) */
};

/* MIB TslcdNodeStatus values. */
enum node_status {
	NODE_UNKNOWN = 1,
	NODE_UP = 2,          /* at least one target up */
	NODE_DOWN = 3,        /* every target down, parent up (or none) */
	NODE_UNREACHABLE = 4, /* every target down behind a parent that is down */
};

/* MIB TslcdMonitoringState values. */
enum monitoring_state {
	MONITORING_OFF = 1,      /* no reference targets configured */
	MONITORING_OK = 2,       /* at least one reference up */
	MONITORING_IMPAIRED = 3, /* every reference down: line results not judged */
	MONITORING_UNKNOWN = 4,  /* no verdict yet */
};

struct office;
struct model;

struct line {
	const struct line_cfg *cfg;
	struct office *office;
	struct linestate ls;
	time_t last_change;
	/* Its books (av, days, iv's running interval) hold every second up to
	 * here: a line is accounted lazily (model_line_settle). */
	time_t acct_mark;
	/* probe_run's answer of maint_active(), good for [maint_from, maint_until) */
	time_t maint_from, maint_until;
	bool in_maint;
	uint8_t upstream_grace; /* rounds left to report unreachable after the node recovered */
	struct line_stats stats;
	struct avail av;
	struct day_acct days;    /* per local day, for the history */
	struct interval_line iv; /* clock-aligned intervals (interval.h) */
	struct outage_ring outages;
	struct node *via;   /* upstream node, NULL: none */
	void *probe_job;    /* owned by main's wiring */
	struct bw_line *bw; /* bandwidth state; NULL: no counters source */
};

struct office {
	const struct office_cfg *cfg;
	enum office_status status;
	time_t last_change;
	time_t acct_mark;
	unsigned lines_up;
	uint8_t redundancy;    /* TslcdCompliance: 1 unknown, 2 compliant, 3 nonCompliant */
	uint8_t paths_up;      /* distinct path groups among lines up or degraded */
	bool redundancy_alarm; /* nonCompliant reported and not yet cleared */
	bool has_bw;           /* a line has counters: the tick need not visit the others */
	struct line *lines;
	size_t n_lines;
	struct avail av;
	struct day_acct days;
};

/* One probed target of a node or of the self-check, with the lines'
 * hysteresis (the same thresholds in force). */
struct ref_target {
	const char *target; /* the config's string */
	struct node *node;  /* NULL: a self-check reference */
	struct linestate ls;
	void *probe_job; /* owned by main's wiring */
};

struct node {
	const struct node_cfg *cfg;
	struct node *parent; /* NULL: none */
	struct ref_target *targets;
	size_t n_targets;
	enum node_status status;
	time_t last_change;
	time_t acct_mark;
	struct avail av;
	unsigned offices_behind, lines_behind;     /* configured, through child nodes too */
	unsigned offices_affected, lines_affected; /* now unreachable because of it */
	uint8_t mode_seen;   /* 0 ok, 1 suspect, 2 down: what the lines were last told */
	uint8_t status_told; /* enum node_status the listener last heard */
};

/* The self-check: references and the verdict. */
struct monitoring {
	struct ref_target *refs;
	size_t n_refs;
	enum monitoring_state state;
	time_t last_change;
};

struct model_counts {
	unsigned offices[7]; /* by enum office_status */
	unsigned lines[8];   /* by enum line_status */
	unsigned nodes[5];   /* by enum node_status */
};

struct model_listener {
	void *ctx;
	void (*line_changed)(void *ctx, const struct line *l, enum line_status old);
	void (*office_changed)(void *ctx, const struct office *o, enum office_status old);
	/* An outage opened (evicted: index of the record dropped from the ring, 0 if none). */
	void (*outage_opened)(void *ctx, const struct line *l, const struct outage *o,
	                      uint32_t evicted);
	void (*outage_closed)(void *ctx, const struct line *l, const struct outage *o);
	/* An operator set an outage's cause and ticket (model_outage_annotate). */
	void (*outage_annotated)(void *ctx, const struct line *l, const struct outage *o);
	/* Congestion rule: a direction's p95 utilisation rose above the raise
	 * threshold / both directions are back at or below the clear one. */
	void (*utilisation_high)(void *ctx, const struct line *l, enum bw_dir dir, uint32_t p95_ppm,
	                         uint32_t threshold_ppm);
	void (*utilisation_cleared)(void *ctx, const struct line *l, enum bw_dir dir,
	                            uint32_t p95_ppm, uint32_t threshold_ppm);
	/* Redundancy rule: separate paths among lines up vs required lines. */
	void (*redundancy_noncompliant)(void *ctx, const struct office *o, unsigned paths,
	                                unsigned required);
	void (*redundancy_compliant)(void *ctx, const struct office *o, unsigned paths,
	                             unsigned required);
	/* A node's status changed (its affected counts are already current). */
	void (*node_changed)(void *ctx, const struct node *n, enum node_status old);
	/* The self-check's verdict changed. */
	void (*monitoring_changed)(void *ctx, const struct model *m, enum monitoring_state old);
};

struct model {
	struct tslcd_config *cfg; /* owned */
	struct office *offices;   /* sorted by id */
	size_t n_offices;
	struct avail_clock clock;
	struct model_listener listener;
	/* Probe thresholds in force: &cfg->state, or a heightened period's. */
	const struct linestate_params *state;
	/* Suspect reasons every running interval gets while they last (the
	 * master unreachable), besides those of single events. */
	uint8_t interval_suspect;
	struct node *nodes; /* sorted by id, like cfg->nodes */
	size_t n_nodes;
	struct monitoring mon;
	bool nodes_dirty; /* affected counts to recount (model_node_counts) */
	/* Lazy line accounting (model_tick): the furthest any line was booked
	 * since the last tick, and the local day and measurement interval of
	 * the last tick's end, whose change makes a tick book every line. */
	time_t acct_ahead;
	int32_t acct_day, acct_iv;
};

/* Build the model for cfg (takes ownership).  `old`, if given, donates the
 * state of every office and line that still exists (config reload). */
struct model *model_create(struct tslcd_config *cfg, struct model *old, time_t now,
                           uint64_t mono_ms);
/* The same in two steps, so that a reload does the costly part off the loop
 * (reloader.h).  model_prepare() builds the model for cfg with fresh state,
 * touching nothing shared (any thread; it reads the time zone in force:
 * call it only when cfg's is that one); NULL on out of memory, cfg then
 * still the caller's.  model_adopt() then, on the loop, takes over the state
 * of every office and line `old` still has (NULL: none; starts the clock). */
struct model *model_prepare(struct tslcd_config *cfg, time_t now);
void model_adopt(struct model *m, struct model *old, time_t now, uint64_t mono_ms);
void model_free(struct model *m);
void model_set_listener(struct model *m, const struct model_listener *l);
/* Thresholds for the rounds to come (NULL: the config's own). */
void model_set_thresholds(struct model *m, const struct linestate_params *p);

struct office *model_find_office(const struct model *m, uint32_t id);
struct node *model_find_node(const struct model *m, uint32_t id);
struct line *model_find_line(const struct model *m, uint32_t office_id, uint32_t line_id);

/* One probe round of a line finished. */
void model_line_round(struct model *m, struct line *l, const struct probe_result *r,
                      bool in_maintenance, time_t now, uint64_t mono_ms);
/* One probe round of a node's target, or of a self-check reference
 * (t->node NULL).  While monitoring is impaired, line rounds change no
 * state and their time counts as unknown. */
void model_target_round(struct model *m, struct ref_target *t, const struct probe_result *r,
                        time_t now, uint64_t mono_ms);
/* Maintenance began or ended for a line between rounds. */
void model_line_maintenance(struct model *m, struct line *l, bool in_maintenance, time_t now,
                            uint64_t mono_ms);
/* An operator's annotation of an outage (tslcdctl outage-cause): its cause
 * and ticket (NUL-terminated; NULL keeps the current one) change together
 * or not at all, then the listener's outage_annotated hears it.  NULL when
 * done, else why not (no such line or outage, or outage_annotate()'s). */
const char *model_outage_annotate(struct model *m, uint32_t office_id, uint32_t line_id,
                                  uint32_t index, int cause, const char *ticket);
/* Account elapsed time for every entity; call every few seconds.
 * Lines are booked lazily: a tick books every line only when it ends a
 * measurement interval or a local day, steps the clock (or finds it not
 * contiguous with the last tick), or runs while intervals are being marked
 * suspect; otherwise a line is booked when its state is about to change,
 * when it takes a round or counter octets, and when a reader settles it.
 * Offices and nodes are booked every tick. */
void model_tick(struct model *m, time_t now, uint64_t mono_ms);
/* Book l up to the last tick, as a tick every second would have: call it
 * before reading l->av, l->days or l->iv's running interval (the closed
 * intervals need not: every tick that closes one books every line).  The
 * books are a cache of the line's state, so a const line may be settled. */
void model_line_settle(const struct model *m, const struct line *l);
/* The same for every line (a reload takes the books over). */
void model_settle_all(struct model *m);

void model_count(const struct model *m, struct model_counts *out);

/* The AgentX master became unreachable (false) or reachable again: the
 * intervals meanwhile are marked suspect. */
void model_set_master_reachable(struct model *m, bool reachable);

/* Counter polls of a line's router (the poller): a reading or a failure.
 * The line's reachability state is not touched. */
void model_line_counters(struct model *m, struct line *l, const struct bw_reading *r, time_t now);
void model_line_counters_failed(struct model *m, struct line *l, enum bw_status st, time_t now);

/* model_bw.c, used by model.c: bandwidth state. */
bool model_bw_line_init(struct model *m, struct line *l);
void model_bw_line_adopt(struct line *l, const struct line *prev);
void model_bw_line_free(struct line *l);
void model_bw_tick(struct model *m, time_t now);
/* After a restart (state restored, listener set): the alarm flags of the
 * utilisation rule take the values the notifier restored.  A utilisation
 * alarm on a line no longer polled is cleared; the others are judged at
 * the next sample. */
void model_bw_restored(struct model *m,
                       bool (*active)(bool utilisation, uint32_t office, uint32_t line));
/* model_redundancy.c, used by model.c: the redundancy state, judged on
 * every line transition.  After a restart the alarm flags take the values
 * the notifier restored, then every office is judged once, as no
 * transition will (a compliant office clears its alarm, a non-compliant
 * one keeps it). */
void model_redundancy_update(struct model *m, struct office *o);
void model_redundancy_restored(struct model *m,
                               bool (*active)(bool utilisation, uint32_t office, uint32_t line));

/* model_node.c, used by model.c: nodes, the lines' upstream mode and the
 * self-check (see model_node.c). */
bool model_node_build(struct model *m, time_t now);
void model_node_adopt(struct model *m, const struct model *old);
void model_node_free(struct model *m);
void model_node_tick(struct model *m, time_t from, time_t to, bool any);
/* Recount the nodes' affected offices and lines if lines changed since. */
void model_node_counts(struct model *m);
/* A line round was judged: the grace after a node's recovery runs down. */
void model_node_line_round(struct model *m, struct line *l, time_t now, uint64_t mono_ms);
/* An outage just opened on l: cause upstream if a node on its path is down. */
void model_node_outage_opened(const struct line *l, struct outage *o);
/* Every reference failing (or impaired): line rounds are not judged. */
bool model_node_monitoring_suspect(const struct model *m);
/* store.c: a line's state was restored.  The upstream mode is not saved:
 * an unreachable line stays so for the grace a recovering node gives,
 * then follows its node's verdict. */
void model_line_restored(const struct model *m, struct line *l);
/* model.c, used by model_node.c. */
void model_line_set_upstream(struct model *m, struct line *l, enum upstream_mode mode, time_t now,
                             uint64_t mono_ms);
time_t model_tick_time(const struct model *m, uint64_t mono_ms);
/* Account every line and office up to now, in the state each is in. */
void model_account_all(struct model *m, uint64_t mono_ms);

/* Map a status to the availability state it accounts as. */
enum avail_state model_line_avail_state(enum line_status s);
/* ... and to the day state (degraded kept apart). */
enum day_state model_line_day_state(enum line_status s);
enum avail_state model_office_avail_state(enum office_status s);
const char *model_office_status_name(enum office_status s);
const char *model_node_status_name(enum node_status s);

#endif
