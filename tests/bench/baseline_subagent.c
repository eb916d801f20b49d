/*
 * baseline_subagent: the floor the AgentX path allows, for `make bench`.
 *
 * A minimal Net-SNMP AgentX subagent with one table_container table shaped
 * like tslcdLineTable: two Unsigned32 indices and 47 columns (2..48) of the
 * same ASN types, every cell present with a static value.  It lives at
 * netSnmpPlaypen.85.1.3 (tslcd-agent uses .84.1.3), so both can hang off the
 * same master.  Rows come from an index file written by gen-config.sh
 * ("OFFICE LINE" per line), so both agents serve exactly the same indices.
 *
 * usage: baseline_subagent -x AGENTX_SOCKET -r INDEX_FILE
 * Runs until SIGTERM/SIGINT.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#define FIRST_COL 2
#define LAST_COL  48

/* ASN type of columns 2..48, in order (same shape as tslcdLineTable). */
static const u_char col_type[LAST_COL + 1] = {
    [2] = ASN_INTEGER,    [3] = ASN_OCTET_STR,  [4] = ASN_INTEGER,    [5] = ASN_INTEGER,
    [6] = ASN_UNSIGNED,   [7] = ASN_UNSIGNED,   [8] = ASN_INTEGER,    [9] = ASN_INTEGER,
    [10] = ASN_OCTET_STR, [11] = ASN_UNSIGNED,  [12] = ASN_INTEGER,   [13] = ASN_OCTET_STR,
    [14] = ASN_UNSIGNED,  [15] = ASN_UNSIGNED,  [16] = ASN_UNSIGNED,  [17] = ASN_UNSIGNED,
    [18] = ASN_UNSIGNED,  [19] = ASN_UNSIGNED,  [20] = ASN_UNSIGNED,  [21] = ASN_UNSIGNED,
    [22] = ASN_UNSIGNED,  [23] = ASN_UNSIGNED,  [24] = ASN_UNSIGNED,  [25] = ASN_UNSIGNED,
    [26] = ASN_UNSIGNED,  [27] = ASN_UNSIGNED,  [28] = ASN_GAUGE,     [29] = ASN_UNSIGNED,
    [30] = ASN_COUNTER64, [31] = ASN_COUNTER64, [32] = ASN_UNSIGNED,  [33] = ASN_UNSIGNED,
    [34] = ASN_UNSIGNED,  [35] = ASN_UNSIGNED,  [36] = ASN_UNSIGNED,  [37] = ASN_GAUGE,
    [38] = ASN_INTEGER,   [39] = ASN_OCTET_STR, [40] = ASN_UNSIGNED,  [41] = ASN_INTEGER,
    [42] = ASN_OCTET_STR, [43] = ASN_OCTET_STR, [44] = ASN_COUNTER64, [45] = ASN_COUNTER64,
    [46] = ASN_OCTET_STR, [47] = ASN_INTEGER,   [48] = ASN_INTEGER,
};

struct row {
	netsnmp_index idx;
	oid idx_buf[2];
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int handler(netsnmp_mib_handler *h, netsnmp_handler_registration *reg,
                   netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	static const char circuit[] = "VNPT-BN-000001-1"; /* typical lengths */
	static const u_char addr[4] = {127, 0, 1, 1};
	static const u_char date[11] = {0x07, 0xea, 1, 1, 0, 0, 0, 0, '+', 7, 0};
	const long num = 1;
	const struct counter64 c64 = {.high = 0, .low = 123456789};

	(void)h, (void)reg;
	if (reqinfo->mode != MODE_GET && reqinfo->mode != MODE_GETNEXT)
		return SNMP_ERR_NOERROR;
	for (netsnmp_request_info *req = requests; req; req = req->next) {
		if (req->processed)
			continue;
		void *row = netsnmp_container_table_row_extract(req);
		netsnmp_table_request_info *ti = netsnmp_extract_table_info(req);
		if (!row || !ti || ti->colnum < FIRST_COL || ti->colnum > LAST_COL) {
			netsnmp_set_request_error(reqinfo, req, SNMP_NOSUCHINSTANCE);
			continue;
		}
		u_char t = col_type[ti->colnum];
		switch (t) {
		case ASN_OCTET_STR:
			if (ti->colnum == 10)
				snmp_set_var_typed_value(req->requestvb, t, addr, sizeof(addr));
			else if (ti->colnum == 3 || ti->colnum == 39)
				snmp_set_var_typed_value(req->requestvb, t, circuit,
				                         sizeof(circuit) - 1);
			else
				snmp_set_var_typed_value(req->requestvb, t, date, sizeof(date));
			break;
		case ASN_COUNTER64:
			snmp_set_var_typed_value(req->requestvb, t, &c64, sizeof(c64));
			break;
		default:
			snmp_set_var_typed_value(req->requestvb, t, &num, sizeof(num));
		}
	}
	return SNMP_ERR_NOERROR;
}

static int load_rows(netsnmp_container *c, const char *path)
{
	FILE *f = fopen(path, "r");
	unsigned long a, b;
	int n = 0;

	if (!f) {
		fprintf(stderr, "baseline: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fscanf(f, "%lu %lu", &a, &b) == 2) {
		struct row *r = calloc(1, sizeof(*r));
		if (!r)
			break;
		r->idx_buf[0] = a;
		r->idx_buf[1] = b;
		r->idx.oids = r->idx_buf;
		r->idx.len = 2;
		if (CONTAINER_INSERT(c, r) != 0)
			free(r);
		else
			n++;
	}
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	static const oid table_oid[] = {1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 85, 1, 3};
	const char *sock = NULL, *rows = NULL;
	int c;

	while ((c = getopt(argc, argv, "x:r:")) != -1) {
		if (c == 'x')
			sock = optarg;
		else if (c == 'r')
			rows = optarg;
		else
			return 2;
	}
	if (!sock || !rows) {
		fprintf(stderr, "usage: baseline_subagent -x AGENTX_SOCKET -r INDEX_FILE\n");
		return 2;
	}
	snmp_enable_stderrlog();
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 1);
	netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET, sock);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	init_agent("bench-baseline");

	netsnmp_table_registration_info *ti = SNMP_MALLOC_TYPEDEF(netsnmp_table_registration_info);
	netsnmp_container *container = netsnmp_container_find("table_container");
	netsnmp_handler_registration *reg = netsnmp_create_handler_registration(
	    "benchBaselineTable", handler, table_oid, OID_LENGTH(table_oid), HANDLER_CAN_RONLY);
	if (!ti || !container || !reg)
		return 1;
	netsnmp_table_helper_add_indexes(ti, ASN_UNSIGNED, ASN_UNSIGNED, 0);
	ti->min_column = FIRST_COL;
	ti->max_column = LAST_COL;
	int n = load_rows(container, rows);
	if (n < 0)
		return 1;
	if (netsnmp_container_table_register(reg, ti, container,
	                                     TABLE_CONTAINER_KEY_NETSNMP_INDEX) != SNMPERR_SUCCESS)
		return 1;
	init_snmp("bench-baseline");
	fprintf(stderr, "baseline: serving %d rows\n", n);

	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	while (!stop)
		agent_check_and_process(1);
	snmp_shutdown("bench-baseline");
	return 0;
}
