/*
 * getloop: issue SNMPv2c GETs of one OID back to back for a bounded time
 * and report the latency distribution, for `make bench` (stall measurement).
 *
 * usage: getloop PEER OID SECONDS [MAX_REQUESTS [PACE_MS]]
 *   PEER is e.g. udp:127.0.0.1:16161 (the runner only ever passes loopback).
 * Output (one line): "n=N errors=E p50_ms=X p99_ms=Y max_ms=Z"
 * Stops after SECONDS or MAX_REQUESTS (default 100000), whichever comes first.
 * PACE_MS (default 0: back to back) starts a GET at most every PACE_MS, as
 * an NMS polling beside other work would, so the loop's own load stays small.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	netsnmp_session s, *ss;
	oid name[MAX_OID_LEN];
	size_t name_len = MAX_OID_LEN;

	if (argc < 4) {
		fprintf(stderr, "usage: getloop PEER OID SECONDS [MAX_REQUESTS [PACE_MS]]\n");
		return 2;
	}
	double secs = atof(argv[3]);
	long max = argc > 4 ? atol(argv[4]) : 100000;
	double pace = argc > 5 ? atof(argv[5]) : 0;
	if (secs <= 0 || secs > 600 || max < 1 || max > 1000000 || pace < 0 || pace > 10000) {
		fprintf(stderr, "getloop: SECONDS must be 0..600, MAX_REQUESTS 1..1000000, "
		                "PACE_MS 0..10000\n");
		return 2;
	}
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	init_snmp("getloop");
	if (!read_objid(argv[2], name, &name_len)) {
		fprintf(stderr, "getloop: bad OID %s\n", argv[2]);
		return 2;
	}
	snmp_sess_init(&s);
	s.peername = argv[1];
	s.version = SNMP_VERSION_2c;
	s.community = (u_char *)"public";
	s.community_len = 6;
	s.timeout = 2000000;
	s.retries = 0;
	ss = snmp_open(&s);
	if (!ss) {
		snmp_perror("getloop: snmp_open");
		return 1;
	}
	double *lat = malloc(sizeof(*lat) * (size_t)max);
	if (!lat)
		return 1;
	long n = 0, errors = 0;
	double end = now_ms() + secs * 1e3, next = now_ms();
	while (n < max && now_ms() < end) {
		netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET), *resp = NULL;
		snmp_add_null_var(pdu, name, name_len);
		double t0 = now_ms();
		/* Paced: the next start is PACE_MS after this one's, however long it took. */
		if (pace > 0 && next > t0) {
			usleep((useconds_t)((next - t0) * 1e3));
			t0 = now_ms();
		}
		next = t0 + pace;
		int st = snmp_synch_response(ss, pdu, &resp);
		lat[n++] = now_ms() - t0;
		if (st != STAT_SUCCESS || !resp || resp->errstat != SNMP_ERR_NOERROR)
			errors++;
		if (resp)
			snmp_free_pdu(resp);
	}
	snmp_close(ss);
	qsort(lat, (size_t)n, sizeof(*lat), cmp);
	printf("n=%ld errors=%ld p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n", n, errors,
	       n ? lat[n / 2] : 0, n ? lat[n * 99 / 100] : 0, n ? lat[n - 1] : 0);
	free(lat);
	return 0;
}
