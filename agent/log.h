/*
 * log: one logging sink for the daemon, stderr (-L) or syslog.
 *
 * Contract: log_msg() is safe before log_init() (goes to stderr).  Net-SNMP's
 * own messages are routed to the same sink by log_netsnmp.h.  Every message is
 * passed through log_escape(), so a file name or a value taken from a file
 * someone else wrote cannot forge a log line or drive a terminal.
 */
#ifndef TSLCD_LOG_H
#define TSLCD_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <syslog.h>

void log_init(const char *ident, bool to_stderr, bool debug);
void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* src with control characters (C0, DEL, and C1 as UTF-8) written \xNN;
 * always terminated, truncated to fit len. */
void log_escape(char *dst, size_t len, const char *src);

#endif
