/*
 * log_netsnmp: Net-SNMP's messages merged into our log sink, so an operator
 * reads one stream.
 */
#include "log_netsnmp.h"

#include <stdbool.h>
#include <stddef.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "log.h"

/* Net-SNMP's messages go through log_msg, so they carry our time stamp on
 * stderr and our ident in syslog.  It may hand over one line in several
 * pieces (one per snmp_log call): join them up to the newline. */
static int from_net_snmp(int major, int minor, void *server, void *client)
{
	static char line[512];
	static size_t len;
	const struct snmp_log_message *m = server;

	(void)major, (void)minor, (void)client;
	for (const char *p = m ? m->msg : NULL; p && *p; p++) {
		if (*p == '\n' || len == sizeof(line) - 1) {
			line[len] = '\0';
			if (len)
				log_msg(m->priority, "net-snmp: %s", line);
			len = 0;
			if (*p == '\n')
				continue;
		}
		line[len++] = *p;
	}
	return 0;
}

void log_netsnmp_route(void)
{
	static bool hooked;

	if (hooked)
		return;
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, from_net_snmp, NULL);
	snmp_enable_calllog();
	hooked = true;
}
