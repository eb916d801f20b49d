#!/usr/bin/env bash
# A private Zabbix 6.0 for tests (no systemd): PostgreSQL on a free loopback
# port, zabbix_server -f, and the frontend's API under PHP's built-in web
# server, all in $H_TMP and stopped by the harness.  Source after harness.sh.
#   z_start_db; z_start_server; z_start_web; z_login
#   z_api METHOD 'PARAMS-JSON'        -> the result, JSON on stdout
#   z_api ... | z_py 'EXPRESSION of r' -> a Python expression of the result

Z_PG=/usr/lib/postgresql/15/bin

z_start_db() {
	Z_DBPORT=$(h_free_port)
	chmod 755 "$H_TMP"
	mkdir -p "$H_TMP/pg" && chown postgres: "$H_TMP/pg"
	local pg="runuser -u postgres --"
	$pg "$Z_PG/initdb" -D "$H_TMP/pg/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
		>"$H_TMP/initdb.log" 2>&1 || return 1
	$pg "$Z_PG/pg_ctl" -D "$H_TMP/pg/data" -l "$H_TMP/pg/postgres.log" -w start \
		-o "-p $Z_DBPORT -k $H_TMP/pg -c listen_addresses=127.0.0.1 -c fsync=off" >/dev/null || return 1
	H_CLEANUPS+=("runuser -u postgres -- $Z_PG/pg_ctl -D $H_TMP/pg/data -m fast -w stop")
	local psql="psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $Z_DBPORT -U postgres"
	$psql -c 'CREATE DATABASE zabbix' postgres || return 1
	zcat /usr/share/zabbix-server-pgsql/{schema,images,data}.sql.gz |
		$psql zabbix >"$H_TMP/schema.log" 2>&1
}

z_start_server() {
	# zabbix_server's ListenPort must be below 32768.
	Z_SRVPORT=$(h_free_port)
	while [ "$Z_SRVPORT" -ge 32768 ]; do Z_SRVPORT=$(h_free_port); done
	Z_TRAPS=$H_TMP/zabbix_traps.tmp
	: >"$Z_TRAPS"
	# (Not in $H_TMP itself: Net-SNMP in the server would read it, SNMPCONFPATH.)
	mkdir -p "$H_TMP/zabbix"
	cat >"$H_TMP/zabbix/zabbix_server.conf" <<-CONF
		LogFile=$H_TMP/zabbix_server.log
		PidFile=$H_TMP/zabbix_server.pid
		SocketDir=$H_TMP
		DBHost=127.0.0.1
		DBPort=$Z_DBPORT
		DBName=zabbix
		DBUser=postgres
		ListenIP=127.0.0.1
		ListenPort=$Z_SRVPORT
		AllowRoot=1
		CacheUpdateFrequency=1
		StartPollers=2
		StartPollersUnreachable=1
		StartTrappers=1
		StartPingers=0
		StartDiscoverers=0
		StartHTTPPollers=0
		StartTimers=1
		StartEscalators=1
		StartAlerters=1
		StartLLDProcessors=1
		StartPreprocessors=1
		StartHistoryPollers=1
		StartDBSyncers=1
		StartReportWriters=0
		StartSNMPTrapper=1
		SNMPTrapperFile=$Z_TRAPS
		HousekeepingFrequency=0
		Timeout=4
	CONF
	zabbix_server -f -c "$H_TMP/zabbix/zabbix_server.conf" >>"$H_TMP/zabbix_server.log" 2>&1 &
	Z_SRVPID=$!
	# Stopped before PostgreSQL (cleanups run in order): without its
	# database it would not finish its shutdown.
	H_CLEANUPS=(z_stop_server "${H_CLEANUPS[@]}")
}

# SIGTERM: the server stops its processes and exits.  Any it left after
# 15 s are killed by the ids they had.
z_stop_server() {
	local kids
	kids=$(pgrep -P "$Z_SRVPID")
	kill "$Z_SRVPID" 2>/dev/null
	h_wait_gone "$Z_SRVPID" 150
	for k in $kids; do kill -9 "$k" 2>/dev/null; done
}

# The frontend reads /etc/zabbix/zabbix.conf.php (Debian's path): a private
# copy of it points at $H_TMP/zabbix.conf.php instead.
z_start_web() {
	Z_WEBPORT=$(h_free_port)
	cp -r /usr/share/zabbix "$H_TMP/web"
	sed -i "s|'/etc/zabbix/zabbix.conf.php'|'$H_TMP/zabbix.conf.php'|" \
		"$H_TMP/web/include/classes/core/CConfigFile.php"
	cat >"$H_TMP/zabbix.conf.php" <<-PHP
		<?php
		\$DB['TYPE'] = 'POSTGRESQL';
		\$DB['SERVER'] = '127.0.0.1';
		\$DB['PORT'] = '$Z_DBPORT';
		\$DB['DATABASE'] = 'zabbix';
		\$DB['USER'] = 'postgres';
		\$DB['PASSWORD'] = '';
		\$DB['SCHEMA'] = '';
		\$DB['DOUBLE_IEEE754'] = true;
		\$ZBX_SERVER = '127.0.0.1';
		\$ZBX_SERVER_PORT = '$Z_SRVPORT';
		\$ZBX_SERVER_NAME = 'tslcd test';
		\$IMAGE_FORMAT_DEFAULT = IMAGE_FORMAT_PNG;
	PHP
	php -d memory_limit=512M -d post_max_size=16M -d max_execution_time=300 \
		-S "127.0.0.1:$Z_WEBPORT" -t "$H_TMP/web" >"$H_TMP/php.log" 2>&1 &
	H_PIDS+=($!)
	Z_URL=http://127.0.0.1:$Z_WEBPORT/api_jsonrpc.php
}

# z_api METHOD PARAMS: prints the result; an API error goes to stderr, exit 1.
z_api() {
	python3 - "$Z_URL" "${Z_AUTH:-}" "$1" "$2" <<-'PY'
		import json, sys, urllib.request
		url, auth, method, params = sys.argv[1:]
		req = {"jsonrpc": "2.0", "method": method, "params": json.loads(params), "id": 1}
		if auth:
		    req["auth"] = auth
		r = urllib.request.Request(url, json.dumps(req).encode(), {"Content-Type": "application/json-rpc"})
		ans = json.load(urllib.request.urlopen(r, timeout=60))
		if "error" in ans:
		    sys.exit(f"{method}: {ans['error']}")
		print(json.dumps(ans["result"]))
	PY
}

# z_py EXPR: evaluates EXPR with r = the JSON on stdin; prints it.
z_py() { python3 -c 'import json, sys; r = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

z_login() {
	Z_AUTH=$(z_api user.login '{"username": "Admin", "password": "zabbix"}' 2>/dev/null | z_py r)
	[ -n "$Z_AUTH" ]
}

# z_json STRING: STRING as a JSON string.
z_json() { python3 -c 'import json, sys; print(json.dumps(sys.argv[1]))' "$1"; }
