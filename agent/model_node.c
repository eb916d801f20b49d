/*
 * model_node: upstream nodes and the monitoring self-check, the part of
 * the model that decides whether a failing line is the line's fault.
 *
 * A node's targets and the self-check's references run the lines'
 * hysteresis.  From their verdicts each line gets an upstream mode
 * (linestate.h): down while a node on its path is down, suspect while one
 * is failing and not judged yet -- so a line that fails in the same
 * moment as its node waits for the node's verdict rather than racing it --
 * and down again for a short grace after the node recovers, so lines that
 * come back with it never report DOWN on the way.  When every reference
 * fails, monitoring is impaired: line and node rounds are not judged and
 * their time counts as unknown (model.c).  Used by model.c only; the
 * exported functions are declared in model.h.
 */
#include "model.h"

#include <stdlib.h>
#include <string.h>

const char *model_node_status_name(enum node_status s)
{
	static const char *const names[] = {"?", "unknown", "up", "down", "unreachable"};
	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

static int cmp_node_id(const void *key, const void *elem)
{
	uint32_t id = *(const uint32_t *)key;
	const struct node *n = elem;
	return id < n->cfg->id ? -1 : id > n->cfg->id;
}

struct node *model_find_node(const struct model *m, uint32_t id)
{
	return m->n_nodes ? bsearch(&id, m->nodes, m->n_nodes, sizeof(*m->nodes), cmp_node_id)
	                  : NULL;
}

static bool target_up(const struct ref_target *t)
{
	enum line_status s = linestate_tracked(&t->ls);
	return s == LINE_UP || s == LINE_DEGRADED;
}

static bool target_failing(const struct ref_target *t)
{
	return linestate_tracked(&t->ls) == LINE_DOWN || t->ls.bad_streak > 0;
}

static bool node_is_down(const struct node *n)
{
	return n->status == NODE_DOWN || n->status == NODE_UNREACHABLE;
}

/* Every target failing but not every one judged down yet. */
static bool node_suspect(const struct node *n)
{
	for (size_t i = 0; i < n->n_targets; i++)
		if (!target_failing(&n->targets[i]))
			return false;
	return n->n_targets > 0 && !node_is_down(n);
}

/* The node's own verdict, before its parent is considered. */
static enum node_status own_status(const struct node *n)
{
	size_t down = 0;

	for (size_t i = 0; i < n->n_targets; i++) {
		if (target_up(&n->targets[i]))
			return NODE_UP;
		down += linestate_tracked(&n->targets[i].ls) == LINE_DOWN;
	}
	return n->n_targets && down == n->n_targets ? NODE_DOWN : NODE_UNKNOWN;
}

static enum node_status status_with_parent(const struct node *n)
{
	enum node_status own = own_status(n);

	if (own == NODE_DOWN && n->parent && node_is_down(n->parent))
		return NODE_UNREACHABLE;
	return own;
}

/* ---- the lines' upstream mode ---- */

/* The topmost node on l's path that is down: the root cause. */
static struct node *root_cause(const struct line *l)
{
	struct node *root = NULL;

	for (struct node *n = l->via; n; n = n->parent)
		if (node_is_down(n))
			root = n;
	return root;
}

static enum upstream_mode line_mode(const struct line *l)
{
	enum upstream_mode mode = l->upstream_grace ? UPSTREAM_DOWN : UPSTREAM_OK;

	for (const struct node *n = l->via; n; n = n->parent) {
		if (node_is_down(n))
			return UPSTREAM_DOWN;
		if (node_suspect(n) && mode == UPSTREAM_OK)
			mode = UPSTREAM_SUSPECT;
	}
	return mode;
}

/* Lines still down when their node recovers wait this many of their own
 * rounds: enough for a line that came back with the node to be judged up. */
static uint8_t grace_rounds(const struct model *m)
{
	unsigned r = m->state->up_after + 1;
	return (uint8_t)(r > 255 ? 255 : r);
}

static void apply_modes(struct model *m, time_t now, uint64_t mono_ms)
{
	for (size_t i = 0; i < m->n_offices; i++) {
		struct office *o = &m->offices[i];
		for (size_t j = 0; j < o->n_lines; j++) {
			struct line *l = &o->lines[j];
			if (!l->via)
				continue;
			enum upstream_mode mode = line_mode(l);
			if (l->ls.upstream == UPSTREAM_DOWN && mode != UPSTREAM_DOWN &&
			    linestate_tracked(&l->ls) == LINE_DOWN && !l->upstream_grace) {
				l->upstream_grace = grace_rounds(m);
				mode = UPSTREAM_DOWN;
			}
			model_line_set_upstream(m, l, mode, now, mono_ms);
		}
	}
}

/* An outage that opened before its node was found down is the node's. */
static void blame(struct model *m)
{
	for (size_t i = 0; i < m->n_offices; i++) {
		for (size_t j = 0; j < m->offices[i].n_lines; j++) {
			struct line *l = &m->offices[i].lines[j];
			struct node *root = l->via ? root_cause(l) : NULL;
			struct outage *o = root ? outage_current(&l->outages) : NULL;
			if (o && o->cause == OUTAGE_CAUSE_UNKNOWN) {
				outage_annotate(o, OUTAGE_CAUSE_UPSTREAM, NULL, 0);
				o->node = root->cfg->id;
			}
		}
	}
}

/* The outage a line opens now: whose fault, if a node is down. */
void model_node_outage_opened(const struct line *l, struct outage *o)
{
	struct node *root = l->via ? root_cause(l) : NULL;

	if (root && o->cause == OUTAGE_CAUSE_UNKNOWN) {
		outage_annotate(o, OUTAGE_CAUSE_UPSTREAM, NULL, 0);
		o->node = root->cfg->id;
	}
}

void model_line_restored(const struct model *m, struct line *l)
{
	if (linestate_reported(&l->ls) != LINE_UNREACHABLE)
		return;
	if (!l->via) { /* no node any more: its own fault */
		linestate_set_upstream(&l->ls, UPSTREAM_OK);
		return;
	}
	l->ls.upstream = UPSTREAM_DOWN;
	l->upstream_grace = grace_rounds(m);
}

void model_node_line_round(struct model *m, struct line *l, time_t now, uint64_t mono_ms)
{
	if (!l->upstream_grace)
		return;
	if (--l->upstream_grace == 0 || linestate_tracked(&l->ls) != LINE_DOWN) {
		l->upstream_grace = 0;
		model_line_set_upstream(m, l, line_mode(l), now, mono_ms);
	}
}

/* ---- counts ---- */

static void count_affected(struct model *m)
{
	for (size_t k = 0; k < m->n_nodes; k++)
		m->nodes[k].offices_affected = m->nodes[k].lines_affected = 0;
	for (size_t i = 0; i < m->n_offices; i++) {
		struct office *o = &m->offices[i];
		struct node *office_root = NULL;
		for (size_t j = 0; j < o->n_lines; j++) {
			struct line *l = &o->lines[j];
			if (linestate_reported(&l->ls) != LINE_UNREACHABLE)
				continue;
			struct node *root = root_cause(l);
			if (!root)
				continue;
			root->lines_affected++;
			if (root != office_root && o->status == OFFICE_UNREACHABLE) {
				root->offices_affected++;
				office_root = root;
			}
		}
	}
	m->nodes_dirty = false;
}

void model_node_counts(struct model *m)
{
	if (m->nodes_dirty)
		count_affected(m);
}

/* ---- node transitions ---- */

static void node_account(struct model *m, struct node *n, time_t from, time_t to)
{
	enum avail_state st = m->mon.state == MONITORING_IMPAIRED ? AVAIL_UNKNOWN
	                      : node_is_down(n)                   ? AVAIL_DOWN
	                      : n->status == NODE_UP              ? AVAIL_UP
	                                                          : AVAIL_UNKNOWN;
	time_t start = n->acct_mark > from ? n->acct_mark : from;

	if (to > start)
		avail_account(&n->av, st, start, to);
	n->acct_mark = to > start ? to : start;
}

void model_node_tick(struct model *m, time_t from, time_t to, bool any)
{
	for (size_t k = 0; k < m->n_nodes; k++) {
		if (any)
			node_account(m, &m->nodes[k], from, to);
		m->nodes[k].acct_mark = 0;
	}
	model_node_counts(m);
}

static uint8_t node_mode(const struct node *n)
{
	return node_is_down(n) ? 2 : node_suspect(n) ? 1 : 0;
}

static void node_set_status(struct model *m, struct node *n, enum node_status st, time_t now,
                            uint64_t mono_ms)
{
	bool was_down = node_is_down(n);

	node_account(m, n, m->clock.last_wall, model_tick_time(m, mono_ms));
	n->status = st;
	if (node_is_down(n) && !was_down)
		avail_outage_started(&n->av, now);
	n->last_change = now;
}

/* Judge every node again (a target round), parents before children
 * whatever their order; then tell the lines, then the listener, so a
 * nodeDown carries the offices it made unreachable. */
static void judge_nodes(struct model *m, time_t now, uint64_t mono_ms)
{
	bool changed, any = false, modes = false;

	do {
		changed = false;
		for (size_t k = 0; k < m->n_nodes; k++) {
			enum node_status st = status_with_parent(&m->nodes[k]);
			if (st != m->nodes[k].status) {
				node_set_status(m, &m->nodes[k], st, now, mono_ms);
				changed = any = true;
			}
		}
	} while (changed);
	for (size_t k = 0; k < m->n_nodes; k++) {
		uint8_t mode = node_mode(&m->nodes[k]);
		modes |= mode != m->nodes[k].mode_seen;
		m->nodes[k].mode_seen = mode;
	}
	if (modes) {
		apply_modes(m, now, mono_ms);
		blame(m);
	}
	if (!modes && !any)
		return;
	count_affected(m);
	for (size_t k = 0; k < m->n_nodes; k++) {
		struct node *n = &m->nodes[k];
		enum node_status old = (enum node_status)n->status_told;
		if (old == n->status)
			continue;
		n->status_told = (uint8_t)n->status;
		if (m->listener.node_changed)
			m->listener.node_changed(m->listener.ctx, n, old);
	}
}

/* ---- the self-check ---- */

static enum monitoring_state monitoring_verdict(const struct monitoring *mon)
{
	size_t down = 0;

	if (!mon->n_refs)
		return MONITORING_OFF;
	for (size_t i = 0; i < mon->n_refs; i++) {
		if (target_up(&mon->refs[i]))
			return MONITORING_OK;
		down += linestate_tracked(&mon->refs[i].ls) == LINE_DOWN;
	}
	return down == mon->n_refs ? MONITORING_IMPAIRED : MONITORING_UNKNOWN;
}

bool model_node_monitoring_suspect(const struct model *m)
{
	if (!m->mon.n_refs)
		return false;
	if (m->mon.state == MONITORING_IMPAIRED)
		return true;
	for (size_t i = 0; i < m->mon.n_refs; i++)
		if (!target_failing(&m->mon.refs[i]))
			return false;
	return true;
}

static void judge_monitoring(struct model *m, time_t now, uint64_t mono_ms)
{
	enum monitoring_state st = monitoring_verdict(&m->mon), old = m->mon.state;

	if (st == old)
		return;
	/* Close the books in the old state: impaired time counts as unknown. */
	model_account_all(m, mono_ms);
	for (size_t k = 0; k < m->n_nodes; k++)
		node_account(m, &m->nodes[k], m->clock.last_wall, model_tick_time(m, mono_ms));
	m->mon.state = st;
	m->mon.last_change = now;
	if (m->listener.monitoring_changed)
		m->listener.monitoring_changed(m->listener.ctx, m, old);
}

void model_target_round(struct model *m, struct ref_target *t, const struct probe_result *r,
                        time_t now, uint64_t mono_ms)
{
	if (t->node) {
		/* The agent cannot see its nodes either while it cannot see. */
		if (model_node_monitoring_suspect(m) && r->outcome != PROBE_OK)
			return;
		linestate_on_round(&t->ls, m->state, r, false);
		judge_nodes(m, now, mono_ms);
		return;
	}
	linestate_on_round(&t->ls, m->state, r, false);
	judge_monitoring(m, now, mono_ms);
}

/* ---- construction ---- */

static bool targets_build(struct ref_target **out, size_t *n, char *const *targets, size_t count,
                          struct node *owner)
{
	*out = calloc(count ? count : 1, sizeof(**out));
	if (!*out)
		return false;
	*n = count;
	for (size_t i = 0; i < count; i++) {
		(*out)[i].target = targets[i];
		(*out)[i].node = owner;
		linestate_init(&(*out)[i].ls);
	}
	return true;
}

/* One walk up each line's chain; `mark[k]` remembers the last office
 * counted for node k, so an office with several lines behind a node
 * counts once: O(lines x depth) rather than offices x nodes x lines. */
static bool count_behind(struct model *m)
{
	size_t *mark = calloc(m->n_nodes ? m->n_nodes : 1, sizeof(*mark));

	if (!mark)
		return false;
	for (size_t i = 0; i < m->n_offices; i++) {
		const struct office *o = &m->offices[i];
		for (size_t j = 0; j < o->n_lines; j++) {
			for (struct node *p = o->lines[j].via; p; p = p->parent) {
				size_t k = (size_t)(p - m->nodes);
				p->lines_behind++;
				if (mark[k] != i + 1)
					p->offices_behind++;
				mark[k] = i + 1;
			}
		}
	}
	free(mark);
	return true;
}

bool model_node_build(struct model *m, time_t now)
{
	const struct tslcd_config *cfg = m->cfg;

	m->nodes = calloc(cfg->n_nodes ? cfg->n_nodes : 1, sizeof(*m->nodes));
	if (!m->nodes)
		return false;
	m->n_nodes = cfg->n_nodes;
	for (size_t k = 0; k < cfg->n_nodes; k++) {
		struct node *n = &m->nodes[k];
		n->cfg = &cfg->nodes[k];
		n->status = NODE_UNKNOWN;
		n->status_told = NODE_UNKNOWN;
		n->mode_seen = 0xff; /* the lines hear the first verdict, whatever it is */
		avail_init(&n->av, now);
		if (!targets_build(&n->targets, &n->n_targets, n->cfg->targets, n->cfg->n_targets,
		                   n))
			return false;
	}
	for (size_t k = 0; k < m->n_nodes; k++)
		m->nodes[k].parent = model_find_node(m, m->nodes[k].cfg->parent);
	for (size_t i = 0; i < m->n_offices; i++)
		for (size_t j = 0; j < m->offices[i].n_lines; j++) {
			struct line *l = &m->offices[i].lines[j];
			l->via = model_find_node(m, l->cfg->via);
		}
	if (!count_behind(m))
		return false;
	m->mon.state = cfg->selfcheck.n_targets ? MONITORING_UNKNOWN : MONITORING_OFF;
	return targets_build(&m->mon.refs, &m->mon.n_refs, cfg->selfcheck.targets,
	                     cfg->selfcheck.n_targets, NULL);
}

/* Reload: a node keeps its targets' state if it keeps its targets. */
static void node_adopt(struct node *n, const struct node *prev)
{
	n->status = prev->status;
	n->status_told = prev->status_told;
	n->mode_seen = 0xff; /* the lines (perhaps others now) hear the next verdict */
	n->last_change = prev->last_change;
	n->av = prev->av;
	for (size_t i = 0; i < n->n_targets; i++)
		for (size_t j = 0; j < prev->n_targets; j++)
			if (!strcmp(n->targets[i].target, prev->targets[j].target))
				n->targets[i].ls = prev->targets[j].ls;
}

void model_node_adopt(struct model *m, const struct model *old)
{
	for (size_t k = 0; k < m->n_nodes; k++) {
		const struct node *prev = model_find_node(old, m->nodes[k].cfg->id);
		if (prev)
			node_adopt(&m->nodes[k], prev);
	}
	for (size_t i = 0; i < m->mon.n_refs; i++)
		for (size_t j = 0; j < old->mon.n_refs; j++)
			if (!strcmp(m->mon.refs[i].target, old->mon.refs[j].target))
				m->mon.refs[i].ls = old->mon.refs[j].ls;
	m->mon.last_change = old->mon.last_change;
	if (m->mon.n_refs)
		m->mon.state = monitoring_verdict(&m->mon);
	m->nodes_dirty = true;
}

void model_node_free(struct model *m)
{
	for (size_t k = 0; m->nodes && k < m->n_nodes; k++)
		free(m->nodes[k].targets);
	free(m->nodes);
	free(m->mon.refs);
}
