/*
 * histreport_fmt: spelling of times and figures; see the header.
 */
#include "histreport_fmt.h"

#include <stdio.h>
#include <time.h>

#define DASH "\u2014"

char *histreport_fmt_time(int64_t t, char *buf, size_t n)
{
	struct tm tm;
	time_t tt = (time_t)t;
	char z[8];

	buf[0] = '\0';
	if (t <= 0 || !localtime_r(&tt, &tm))
		return buf;
	strftime(z, sizeof(z), "%z", &tm); /* "+0700": RFC 3339 wants "+07:00" */
	size_t k = strftime(buf, n, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + k, n - k, "%.3s:%.2s", z, z + 3);
	return buf;
}

char *histreport_fmt_when(int64_t t, char *buf, size_t n)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (t <= 0 || !localtime_r(&tt, &tm))
		snprintf(buf, n, DASH);
	else
		strftime(buf, n, "%Y-%m-%d %H:%M", &tm);
	return buf;
}

char *histreport_fmt_duration(int64_t s, char *buf, size_t n)
{
	if (s < 0)
		snprintf(buf, n, DASH);
	else if (s >= 86400)
		snprintf(buf, n, "%lld d %02lld:%02lld:%02lld", (long long)(s / 86400),
		         (long long)(s % 86400 / 3600), (long long)(s % 3600 / 60),
		         (long long)(s % 60));
	else
		snprintf(buf, n, "%02lld:%02lld:%02lld", (long long)(s / 3600),
		         (long long)(s % 3600 / 60), (long long)(s % 60));
	return buf;
}

char *histreport_fmt_percent(int64_t ppm, char *buf, size_t n)
{
	if (ppm < 0)
		snprintf(buf, n, DASH);
	else
		snprintf(buf, n, "%lld.%03lld %%", (long long)(ppm / 10000),
		         (long long)(ppm % 10000 / 10));
	return buf;
}

/* v scaled down by 1000s with one of units[]. */
static char *scaled(int64_t v, const char *const *units, int nunits, char *buf, size_t n)
{
	double x = (double)v;
	int u = 0;

	if (v < 0) {
		snprintf(buf, n, DASH);
		return buf;
	}
	while (x >= 1000.0 && u + 1 < nunits) {
		x /= 1000.0;
		u++;
	}
	snprintf(buf, n, u ? "%.3g %s" : "%.0f %s", x, units[u]);
	return buf;
}

char *histreport_fmt_bps(int64_t bps, char *buf, size_t n)
{
	static const char *const units[] = {"bit/s", "kbit/s", "Mbit/s", "Gbit/s"};
	return scaled(bps, units, 4, buf, n);
}

char *histreport_fmt_bytes(int64_t bytes, char *buf, size_t n)
{
	static const char *const units[] = {"B", "kB", "MB", "GB", "TB"};
	return scaled(bytes, units, 5, buf, n);
}
