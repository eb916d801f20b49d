/*
 * agentx_link: the subagent's session to the AgentX master (see the header
 * for why Net-SNMP's own ping is replaced).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_callbacks.h>

#include "agentx_link.h"
#include "log.h"
#include "loop.h"
#include "notify.h"

/* From Net-SNMP's agentx/protocol.h, client.h and subagent.h, not installed. */
#define AGENTX_VERSION_1      193
#define AGENTX_MSG_PING       13
#define AGENTX_CLOSE_SHUTDOWN 5
void agentx_check_session(unsigned int clientreg, void *clientarg);
int agentx_close_session(netsnmp_session *ss, int why);
void agentx_unregister_callbacks(netsnmp_session *ss);

/* Open, close and the reconnect after an error answer are still
 * synchronous in Net-SNMP; one short try bounds each (as keepalived does). */
#define AGENTX_SYNC_WAIT_USEC 500000

static struct {
	netsnmp_session *session; /* the master session while connected */
	unsigned ping_s;
	struct loop_timer *ping_timer;
	struct loop_timer *drop_timer, *reopen_timer;
	bool ping_outstanding;
	unsigned missed;       /* pings in a row without an answer */
	uint64_t silent_since; /* loop ms of the first of them */
	void (*reachable)(bool);
} X;

void agentx_link_on_reachable(void (*fn)(bool reachable))
{
	X.reachable = fn;
}

static void report_reachable(bool up)
{
	if (X.reachable)
		X.reachable(up);
}

/* ---- session parameters ---- */

/* Only AgentX sessions: the counters poller sets its own timeouts. */
static int on_session_init(int major, int minor, void *server, void *client)
{
	netsnmp_session *s = server;

	(void)major, (void)minor, (void)client;
	if (s && s->version == AGENTX_VERSION_1) {
		s->timeout = AGENTX_SYNC_WAIT_USEC;
		s->retries = 0;
	}
	return 0;
}

/* ---- connect and disconnect ---- */

/* Net-SNMP registers its synchronous ping alarm right after the connected
 * callback returns and keeps the alarm's id in the session's otherwise
 * unused securityModel (agentx/subagent.c).  Cancel it from the loop. */
static void drop_sync_ping(void *arg)
{
	netsnmp_session *s = X.session;

	(void)arg;
	X.drop_timer = NULL;
	if (s && s->securityModel != SNMP_DEFAULT_SECMODEL) {
		snmp_alarm_unregister((unsigned)s->securityModel);
		s->securityModel = SNMP_DEFAULT_SECMODEL;
	}
}

/* Once, from the loop: a pending run is not doubled. */
static void soon(struct loop_timer **t, loop_timer_cb cb)
{
	if (!*t)
		*t = loop_timer_add(0, cb, NULL);
}

static void silence_over(void)
{
	if (X.missed)
		log_msg(LOG_INFO, "the AgentX master answers again after %llu ms of silence",
		        (unsigned long long)(loop_now_ms_fresh() - X.silent_since));
	X.missed = 0;
	report_reachable(true);
}

static int on_master_connected(int major, int minor, void *server, void *client)
{
	(void)major, (void)minor, (void)client;
	X.session = server;
	X.ping_outstanding = false;
	silence_over();
	soon(&X.drop_timer, drop_sync_ping);
	log_msg(LOG_INFO, "connected to the AgentX master; tables registered");
	notify_master_connected();
	return 0;
}

static int on_master_lost(int major, int minor, void *server, void *client)
{
	(void)major, (void)minor, (void)server, (void)client;
	X.session = NULL;
	X.ping_outstanding = false;
	X.missed = 0;
	report_reachable(false);
	notify_master_lost();
	log_msg(LOG_WARNING, "lost the AgentX master; retrying every %u s, probing continues",
	        X.ping_s);
	return 0;
}

/* ---- the asynchronous ping ---- */

/* The master answered, but no longer knows our session: let Net-SNMP
 * close and reopen it (the master is responsive, so that is quick).  Run
 * from the loop, not from inside the session's own read. */
static void reopen_session(void *arg)
{
	(void)arg;
	X.reopen_timer = NULL;
	if (X.session)
		agentx_check_session(0, X.session);
}

static int on_pong(int op, netsnmp_session *s, int reqid, netsnmp_pdu *pdu, void *magic)
{
	(void)reqid, (void)magic;
	if (s != X.session)
		return 1; /* a session that has gone: Net-SNMP flushes its requests */
	X.ping_outstanding = false;
	if (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && pdu->errstat == SNMP_ERR_NOERROR) {
		silence_over();
	} else if (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE) {
		log_msg(LOG_WARNING, "the AgentX master refused our ping (error %ld); reopening",
		        pdu->errstat);
		soon(&X.reopen_timer, reopen_session);
	} else if (X.missed++ == 0) {
		X.silent_since = loop_now_ms_fresh() - AGENTX_SYNC_WAIT_USEC / 1000;
		report_reachable(false);
		log_msg(
		    LOG_WARNING,
		    "the AgentX master does not answer pings; waiting for it, probing continues");
	}
	return 1;
}

static void ping_send(netsnmp_session *s)
{
	netsnmp_pdu *pdu = snmp_pdu_create(AGENTX_MSG_PING);

	if (!pdu)
		return;
	pdu->time = 0;
	pdu->sessid = s->sessid;
	if (snmp_async_send(s, pdu, on_pong, NULL))
		X.ping_outstanding = true;
	else
		snmp_free_pdu(pdu);
}

static void ping_tick(void *arg)
{
	(void)arg;
	X.ping_timer = loop_timer_add((uint64_t)X.ping_s * 1000u, ping_tick, NULL);
	if (X.session && !X.ping_outstanding)
		ping_send(X.session);
}

/* ---- life cycle ---- */

void agentx_link_init(const char *socket, unsigned ping_s)
{
	X.ping_s = ping_s;
	/* Every OID here is numeric: the system's MIB files would only cost
	 * start-up time and, where they are incomplete, a screen of errors. */
	setenv("MIBS", "", 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 1);
	netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET, socket);
	/* Alarms must run from our loop, not SIGALRM, or reconnects never happen. */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_ALARM_DONT_USE_SIG, 1);
	/* Net-SNMP warns at every failed reconnect; we say it once. */
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_NO_CONNECTION_WARNINGS,
	                       1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	init_agent("tslcd-agent");
	/* init_agent() resets the ping interval, so set it afterwards.  Net-SNMP
	 * uses it for its reconnect attempts; the pings themselves are ours. */
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL,
	                   (int)ping_s);
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_SESSION_INIT, on_session_init,
	                       NULL);
	snmp_register_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_START,
	                       on_master_connected, NULL);
	snmp_register_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_STOP, on_master_lost,
	                       NULL);
	log_msg(LOG_INFO, "AgentX subagent using master socket %s", socket);
}

void agentx_link_open(void)
{
	init_snmp("tslcd-agent"); /* connects */
	if (!X.session)
		log_msg(
		    LOG_WARNING,
		    "the AgentX master is not there yet; retrying every %u s, probing continues",
		    X.ping_s);
	if (X.ping_s)
		X.ping_timer = loop_timer_add((uint64_t)X.ping_s * 1000u, ping_tick, NULL);
}

/* Left to itself, Net-SNMP closes the master session from its SHUTDOWN
 * callback list, waiting for the answer to AgentX Close; a master that goes
 * away during that wait makes it unregister that very callback while the
 * list is being walked: a 100 ms stall, then "netsnmp_assert lock_holded <
 * 100 failed" (https://github.com/net-snmp/net-snmp/issues/795), fatal
 * where assertions abort.  So the session leaves that list first and is
 * closed here, outside every callback list; snmp_shutdown() then only
 * frees it. */
static void master_close(void)
{
	netsnmp_session *s = X.session;

	X.session = NULL; /* on_pong ignores the requests Net-SNMP flushes */
	if (!s)
		return;
	agentx_unregister_callbacks(s);
	remove_trap_session(s);
	agentx_close_session(s, AGENTX_CLOSE_SHUTDOWN);
}

void agentx_link_close(void)
{
	loop_timer_cancel(X.ping_timer);
	loop_timer_cancel(X.drop_timer);
	loop_timer_cancel(X.reopen_timer);
	X.ping_timer = X.drop_timer = X.reopen_timer = NULL;
	/* Our callbacks must not run while Net-SNMP tears its sessions down. */
	snmp_unregister_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_STOP,
	                         on_master_lost, NULL, 1);
	snmp_unregister_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_START,
	                         on_master_connected, NULL, 1);
	master_close();
	snmp_shutdown("tslcd-agent");
}
