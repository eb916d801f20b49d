#!/usr/bin/env bash
# A restart while an upstream node is down (loopback TCP: the node and its
# two offices are ports of listeners the test opens and closes).  The
# nodeDown alarm keeps its row, the lines stay unreachable and nothing is
# sent at start-up; when the node answers again one nodeUp clears it, the
# office that came back with it sends nothing, and the office still cut off
# sends its own lineDown.  history.db holds one office outage per office
# for the time it was cut off.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/traps.sh"
h_setup

NODE=$(h_free_port) # the node's target
A=$(h_free_port)    # office 1's line: comes back with the node
B=$(h_free_port)    # office 2's line: stays closed after the restart
CONF=$H_TMP/tslcd.conf

cat >"$CONF" <<CONF
agent { control-socket = ""  state-dir = "$H_TMP/state"  save-interval = 5 }
probe { interval = 1  count = 1  timeout = 300  down-after = 2  up-after = 2 }
node { id = 7  name = "PoP Bắc Ninh"  carrier = vnpt  targets = {"127.0.0.1"}  probe = tcp  port = $NODE }
office { id = 1  code = "N-1"  name = "One"  level = province  via = 7
	line { id = 1  carrier = vnpt  bandwidth = 1000  probe = tcp  target = "127.0.0.1"  port = $A } }
office { id = 2  code = "N-2"  name = "Two"  level = province  via = 7
	line { id = 1  carrier = vnpt  bandwidth = 1000  probe = tcp  target = "127.0.0.1"  port = $B } }
CONF
mkdir -p "$H_TMP/state"

R=$T_ROOT
get() { h_snmp snmpget -Oqv "$1" 2>/dev/null; }
is() { [ "$(get "$1")" = "$2" ]; }
rows() { t_alarm_rows | cut -d' ' -f1-3; }
rows_are() { [ "$(rows | tr '\n' ,)" = "$1" ]; }

# One listener process per port, so each can close on its own.
t_listen "$NODE"
NODE_PID=$T_LISTENER
t_listen "$A"
A_PID=$T_LISTENER
t_listen "$B"
B_PID=$T_LISTENER
h_start_trapd
h_start_master || exit 1
h_start_agent "$CONF" || { h_fail "agent served"; h_done; exit 1; }
h_check "node 7 up" h_wait_for 80 is "$R.1.9.1.5.7" 2
h_check "line 2.1 up" h_wait_for 80 is "$R.1.3.1.12.2.1" 2
h_expect_eq "node name and its ASCII twin" "PoP Bắc Ninh|PoP Bac Ninh" \
	"$(h_get_str "$R.1.9.1.2.7")|$(h_get_str "$R.1.9.1.20.7")"

# Power cut at the PoP: every port closes.
for pid in "$NODE_PID" "$A_PID" "$B_PID"; do
	kill "$pid"
	h_wait_gone "$pid" 20
done
h_check "node 7 down" h_wait_for 80 is "$R.1.9.1.5.7" 3
h_check "line 1.1 unreachable" h_wait_for 50 is "$R.1.3.1.12.1.1" 7
h_check "line 2.1 unreachable" h_wait_for 50 is "$R.1.3.1.12.2.1" 7
h_expect_eq "one nodeDown" 1 "$(t_count_exact 21)"
h_check "alarm table: the nodeDown row alone" h_wait_for 30 rows_are "11 7 0,"
sleep 6 # a save with the node down

h_stop_agent
before=$(t_count)
h_start_agent "$CONF" || { h_fail "agent restarted"; h_done; exit 1; }
h_check "after the restart: node 7 down" h_wait_for 80 is "$R.1.9.1.5.7" 3
h_expect_eq "line 1.1 still unreachable" 7 "$(get "$R.1.3.1.12.1.1")"
h_expect_eq "line 2.1 still unreachable" 7 "$(get "$R.1.3.1.12.2.1")"
h_expect_eq "alarm table: the nodeDown row kept" "11 7 0," "$(rows | tr '\n' ,)"
sleep 2
h_expect_eq "no lineDown or officeIsolated at start-up" "0 0" \
	"$(t_count_exact 1) $(t_count_exact 3)"

# Power is back for the PoP and office 1; office 2's router stays dead.
t_listen "$NODE"
t_listen "$A"
h_check "node 7 up again" h_wait_for 80 is "$R.1.9.1.5.7" 2
h_check "line 1.1 up" h_wait_for 50 is "$R.1.3.1.12.1.1" 2
h_check "line 2.1 down: its own fault" h_wait_for 80 is "$R.1.3.1.12.2.1" 4
office2_down() { [ "$(t_count_office 1 2)" -ge 1 ]; }
h_check "office 2's lineDown" h_wait_for 50 office2_down
sleep 2
h_expect_eq "one nodeUp" 1 "$(t_count_exact 22)"
h_expect_eq "nothing about office 1" 0 "$(grep -c -F "$T_ROOT.1.2.1.2.1 = " "$H_TMP/traps.log")"
h_expect_eq "no lineUp or officeRestored" "0 0" "$(t_count_exact 2) $(t_count_exact 4)"
h_check "alarm table: office 2's own rows" h_wait_for 30 rows_are "1 2 1,2 2 0,9 2 0,"
h_log "notifications since the restart: $(($(t_count) - before))"

# history.db: an office cut off behind its node is an office outage (line
# 0), as its availability counts the time as down; one row across the
# restart; office 1's closed with the node's return, office 2's still open.
h_stop_agent
h_expect_eq "history: one office outage each, across the restart (office 1 closed, 2 open)" \
	"1|1|0
2|1|1" "$(sqlite3 -batch "file:$H_TMP/state/history.db?mode=ro" \
		"SELECT office_id, count(*), max(end IS NULL) FROM outages WHERE line_id = 0
		 GROUP BY office_id ORDER BY office_id")"
h_done
