/*
 * agentx_link: the subagent's session to the AgentX master.
 *
 * Net-SNMP pings the master synchronously and, when a ping goes
 * unanswered, closes and reopens the session, also synchronously.  Against
 * a hung (stopped, not dead) master that stalls the one loop again and
 * again, and once the master's listen backlog fills with our reopen
 * attempts, connect() blocks until the master wakes: probing stops for as
 * long as the master hangs.  This module keeps Net-SNMP's reconnect after a
 * real disconnect (the socket closes, connect fails at once) but replaces
 * its ping with an asynchronous one that only reports: a silent master is
 * waited for, never torn down.
 */
#ifndef TSLCD_AGENTX_LINK_H
#define TSLCD_AGENTX_LINK_H

#include <stdbool.h>

/* Before the MIB registers: set Net-SNMP up as a subagent on socket, with
 * pings (and reconnect attempts) every ping_s seconds. */
void agentx_link_init(const char *socket, unsigned ping_s);
/* After the MIB registered: connect, and start pinging. */
void agentx_link_open(void);
/* fn(false) when the master is lost or stops answering pings, fn(true)
 * when it is back (the measurement intervals meanwhile are suspect). */
void agentx_link_on_reachable(void (*fn)(bool reachable));
/* Stop pinging and shut Net-SNMP down. */
void agentx_link_close(void);

#endif
