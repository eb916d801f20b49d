/*
 * heightened: the heightened-vigilance period in force; see heightened.h.
 */
#include "heightened.h"

#include "log.h"

static struct {
	const struct notify_cfg *cfg;
	const struct heightened_cfg *period;
} H;

void heightened_bind(const struct notify_cfg *cfg)
{
	H.cfg = cfg;
	H.period = NULL; /* it pointed into the old config; the next tick finds it again */
}

/* Local time as YYYYMMDDHHMM, the form periods are configured in. */
static int64_t local_key(time_t now)
{
	struct tm tm;
	localtime_r(&now, &tm);
	return ((((int64_t)(tm.tm_year + 1900) * 100 + tm.tm_mon + 1) * 100 + tm.tm_mday) * 100 +
	        tm.tm_hour) *
	           100 +
	       tm.tm_min;
}

static const struct heightened_cfg *period_at(time_t now)
{
	int64_t key = local_key(now);
	for (size_t i = 0; H.cfg && i < H.cfg->n_periods; i++)
		if (H.cfg->periods[i].from <= key && key < H.cfg->periods[i].to)
			return &H.cfg->periods[i]; /* the first listed wins an overlap */
	return NULL;
}

bool heightened_tick(time_t now)
{
	const struct heightened_cfg *p = period_at(now);

	if (p == H.period)
		return false;
	if (p)
		log_msg(LOG_NOTICE, "heightened period \"%s\" in force", p->name);
	else
		log_msg(LOG_NOTICE, "heightened period \"%s\" over", H.period->name);
	H.period = p;
	return true;
}

uint8_t heightened_severity(unsigned type)
{
	enum severity s = H.cfg && type <= ALARM_TYPE_MAX ? (enum severity)H.cfg->severity[type]
	                                                  : SEV_INDETERMINATE;
	return (uint8_t)(H.period && H.period->raise_severity ? alarm_severity_raised(s) : s);
}

const struct linestate_params *heightened_thresholds(void)
{
	return H.period ? &H.period->state : NULL;
}

const char *heightened_name(void)
{
	return H.period ? H.period->name : "";
}
