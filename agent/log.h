/*
 * log: one logging sink for the daemon, stderr (-L) or syslog.
 *
 * Contract: log_msg() is safe before log_init() (goes to stderr).  Net-SNMP's
 * own messages are routed to the same sink by log_init().
 */
#ifndef TSLCD_LOG_H
#define TSLCD_LOG_H

#include <stdbool.h>
#include <syslog.h>

void log_init(const char *ident, bool to_stderr, bool debug);
void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
