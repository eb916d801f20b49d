/*
 * log_netsnmp: Net-SNMP's own messages into the log sink (log.h).
 *
 * Contract: after log_netsnmp_route(), every snmp_log() message goes through
 * log_msg() prefixed "net-snmp: ", one log line per line of text.  Calling
 * it again does nothing.  Apart from log.c so that the core library (model,
 * config, ...) links without Net-SNMP.
 */
#ifndef TSLCD_LOG_NETSNMP_H
#define TSLCD_LOG_NETSNMP_H

void log_netsnmp_route(void);

#endif
