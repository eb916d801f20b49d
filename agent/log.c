/*
 * log: stderr or syslog.  No Net-SNMP here (the core library links without
 * it): log_netsnmp.c merges Net-SNMP's messages into this sink.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static bool log_to_stderr = true;
static bool log_debug;

void log_init(const char *ident, bool to_stderr, bool debug)
{
	log_to_stderr = to_stderr;
	log_debug = debug;
	if (!to_stderr)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

static const char *prio_name(int prio)
{
	switch (prio) {
	case LOG_EMERG:
	case LOG_ALERT:
	case LOG_CRIT:
	case LOG_ERR:
		return "error";
	case LOG_WARNING:
		return "warning";
	case LOG_NOTICE:
	case LOG_INFO:
		return "info";
	default:
		return "debug";
	}
}

/* C1 controls (U+0080..U+009F) are two bytes in UTF-8: 0xC2 0x80..0x9F. */
static size_t control_len(const unsigned char *p)
{
	if (*p < 0x20 || *p == 0x7f)
		return 1;
	return p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f ? 2 : 0;
}

void log_escape(char *dst, size_t len, const char *src)
{
	size_t n = 0;

	if (!len)
		return;
	for (const unsigned char *p = (const unsigned char *)src; *p;) {
		size_t c = control_len(p);
		if (n + (c ? 4 * c : 1) >= len)
			break;
		if (!c)
			dst[n++] = (char)*p++;
		for (; c; c--)
			n += (size_t)snprintf(dst + n, len - n, "\\x%02x", *p++);
	}
	dst[n] = '\0';
}

void log_msg(int prio, const char *fmt, ...)
{
	va_list ap;
	char raw[2048], line[2048];

	if (prio >= LOG_DEBUG && !log_debug)
		return;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	log_escape(line, sizeof(line), raw);
	if (log_to_stderr) {
		struct timespec ts;
		struct tm tm;
		char stamp[32];

		clock_gettime(CLOCK_REALTIME, &ts);
		localtime_r(&ts.tv_sec, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
		fprintf(stderr, "%s.%03ld tslcd-agent %s: %s\n", stamp, ts.tv_nsec / 1000000,
		        prio_name(prio), line);
	} else {
		syslog(prio, "%s", line);
	}
}
