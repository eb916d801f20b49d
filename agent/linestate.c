/* linestate: per-line hysteresis state machine (see linestate.h). */
#include <stdio.h>
#include <string.h>

#include "linestate.h"

#define PPM_ALL 1000000u

const char *line_status_name(enum line_status s)
{
	switch (s) {
	case LINE_UNKNOWN:
		return "unknown";
	case LINE_UP:
		return "up";
	case LINE_DEGRADED:
		return "degraded";
	case LINE_DOWN:
		return "down";
	case LINE_MAINTENANCE:
		return "maintenance";
	case LINE_UNRESOLVED:
		return "unresolved";
	case LINE_UNREACHABLE:
		return "unreachable";
	}
	return "invalid";
}

struct linestate_params linestate_params_default(void)
{
	struct linestate_params p = {
	    .down_after = 3,
	    .up_after = 2,
	    .degrade_after = 3,
	    .degrade_clear_after = 3,
	    .loss_raise_ppm = 200000,
	    .loss_clear_ppm = 50000,
	    .rtt_raise_us = 0,
	    .rtt_clear_us = 0,
	};
	return p;
}

static bool rounds_ok(unsigned n)
{
	return n >= 1 && n <= LINESTATE_ROUNDS_MAX;
}

bool linestate_params_check(const struct linestate_params *p, char *err, size_t errlen)
{
	if (!rounds_ok(p->down_after) || !rounds_ok(p->up_after) || !rounds_ok(p->degrade_after) ||
	    !rounds_ok(p->degrade_clear_after)) {
		snprintf(err, errlen, "round counts must be 1..%u", LINESTATE_ROUNDS_MAX);
		return false;
	}
	if (p->loss_raise_ppm > PPM_ALL || p->loss_clear_ppm >= p->loss_raise_ppm) {
		snprintf(err, errlen, "loss thresholds need clear < raise <= 1000000 ppm");
		return false;
	}
	if (p->rtt_raise_us && p->rtt_clear_us >= p->rtt_raise_us) {
		snprintf(err, errlen, "RTT thresholds need clear < raise");
		return false;
	}
	return true;
}

void linestate_init(struct linestate *ls)
{
	memset(ls, 0, sizeof(*ls));
	ls->reported = LINE_UNKNOWN;
	ls->tracked = LINE_UNKNOWN;
}

/* Saturate rather than wrap: a wrapped streak would forget a long outage. */
static void streak_inc(uint8_t *n)
{
	if (*n < UINT8_MAX)
		(*n)++;
}

static bool streak_reached(uint8_t n, unsigned want)
{
	return n >= (want > LINESTATE_ROUNDS_MAX ? LINESTATE_ROUNDS_MAX : want);
}

static bool is_up(uint8_t s)
{
	return s == LINE_UP || s == LINE_DEGRADED;
}

static void track(struct linestate *ls, enum line_status s)
{
	ls->tracked = s;
	ls->band_streak = 0;
}

static uint32_t round_loss_ppm(const struct probe_result *r)
{
	if (r->sent == 0 || r->received >= r->sent)
		return 0;
	return (uint32_t)((uint64_t)(r->sent - r->received) * PPM_ALL / r->sent);
}

/* Quality bands only matter while the line is up.  rtt_us is 0 when the
 * round had no answers: its loss alone decides. */
static void judge_quality(struct linestate *ls, const struct linestate_params *p, uint32_t loss,
                          uint32_t rtt_us)
{
	bool rtt_on = p->rtt_raise_us != 0 && rtt_us != 0;
	bool poor = loss >= p->loss_raise_ppm || (rtt_on && rtt_us >= p->rtt_raise_us);
	bool clean = loss <= p->loss_clear_ppm && (!rtt_on || rtt_us <= p->rtt_clear_us);
	bool toward = ls->tracked == LINE_UP ? poor : clean;

	if (!toward) {
		ls->band_streak = 0;
		return;
	}
	streak_inc(&ls->band_streak);
	if (ls->tracked == LINE_UP && streak_reached(ls->band_streak, p->degrade_after))
		track(ls, LINE_DEGRADED);
	else if (ls->tracked == LINE_DEGRADED &&
	         streak_reached(ls->band_streak, p->degrade_clear_after))
		track(ls, LINE_UP);
}

static void on_good_round(struct linestate *ls, const struct linestate_params *p,
                          const struct probe_result *r)
{
	ls->bad_streak = 0;
	streak_inc(&ls->good_streak);
	if (!is_up(ls->tracked) && streak_reached(ls->good_streak, p->up_after))
		track(ls, LINE_UP);
	/* The round that brings the line up already counts for quality; a
	 * round with nothing answered is no evidence of degradation. */
	if (is_up(ls->tracked) && (r->received || !r->sent))
		judge_quality(ls, p, round_loss_ppm(r), r->received ? r->rtt_avg_us : 0);
}

static void on_bad_round(struct linestate *ls, const struct linestate_params *p)
{
	ls->good_streak = 0;
	streak_inc(&ls->bad_streak);
	if (ls->tracked != LINE_DOWN && streak_reached(ls->bad_streak, p->down_after)) {
		track(ls, LINE_DOWN);
		return;
	}
	/* Degraded means the target answers (TSLCD-MIB): a silent round never
	 * counts towards it, or a cut landing mid-round would raise
	 * lineDegraded one round before lineDown.  It is not clean either, so
	 * it breaks a streak back to UP; a streak towards DEGRADED survives it. */
	if (ls->tracked == LINE_DEGRADED)
		ls->band_streak = 0;
}

static void on_unresolved(struct linestate *ls)
{
	ls->good_streak = 0;
	ls->bad_streak = 0;
	track(ls, LINE_UNRESOLVED);
}

/* A DOWN behind a suspect node keeps what was reported (unless that was
 * maintenance, now over: then DOWN, the node cannot be blamed yet). */
static uint8_t masked_down(const struct linestate *ls)
{
	if (ls->upstream == UPSTREAM_DOWN)
		return LINE_UNREACHABLE;
	if (ls->upstream == UPSTREAM_SUSPECT && ls->reported != LINE_MAINTENANCE)
		return ls->reported;
	return LINE_DOWN;
}

static bool update_reported(struct linestate *ls)
{
	uint8_t now = ls->in_maint               ? LINE_MAINTENANCE
	              : ls->tracked == LINE_DOWN ? masked_down(ls)
	                                         : ls->tracked;
	bool changed = now != ls->reported;

	ls->reported = now;
	return changed;
}

bool linestate_on_round(struct linestate *ls, const struct linestate_params *p,
                        const struct probe_result *r, bool in_maintenance)
{
	ls->in_maint = in_maintenance;
	switch (r->outcome) {
	case PROBE_OK:
		on_good_round(ls, p, r);
		break;
	case PROBE_NO_ANSWER:
	case PROBE_REFUSED:
		on_bad_round(ls, p);
		break;
	case PROBE_UNRESOLVED:
		on_unresolved(ls);
		break;
	case PROBE_LOCAL_ERROR:
	default:
		/* Our own failure says nothing about the line. */
		break;
	}
	return update_reported(ls);
}

bool linestate_set_maintenance(struct linestate *ls, bool in_maintenance)
{
	ls->in_maint = in_maintenance;
	return update_reported(ls);
}

bool linestate_set_upstream(struct linestate *ls, enum upstream_mode mode)
{
	ls->upstream = (uint8_t)mode;
	return update_reported(ls);
}
