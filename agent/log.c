/*
 * log: stderr or syslog, with Net-SNMP's messages merged into the same sink
 * so an operator reads one stream.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

static bool log_to_stderr = true;
static bool log_debug;

void log_init(const char *ident, bool to_stderr, bool debug)
{
	log_to_stderr = to_stderr;
	log_debug = debug;
	if (to_stderr) {
		snmp_enable_stderrlog();
	} else {
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
		snmp_enable_syslog_ident(ident, LOG_DAEMON);
	}
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

void log_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	if (prio >= LOG_DEBUG && !log_debug)
		return;
	va_start(ap, fmt);
	if (log_to_stderr) {
		struct timespec ts;
		struct tm tm;
		char stamp[32];

		clock_gettime(CLOCK_REALTIME, &ts);
		localtime_r(&ts.tv_sec, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
		fprintf(stderr, "%s.%03ld tslcd-agent %s: ", stamp, ts.tv_nsec / 1000000,
		        prio_name(prio));
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	} else {
		vsyslog(prio, fmt, ap);
	}
	va_end(ap);
}
