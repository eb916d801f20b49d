#!/usr/bin/env bash
# Storm control: a line that flaps 50 times yields a handful of
# notifications (lineFlapping instead of every edge), the rest are counted
# as suppressed, and the alarm table ends exact.  A heightened period is in
# force: tslcdHeightenedPeriod names it and severities are one step higher.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/traps.sh"
h_setup

PORT=$(h_free_port)
FLAPS=25 # accept/refuse cycles: 50 state changes
cat >"$H_TMP/tslcd.conf" <<CONF
agent { control-socket = ""  state-dir = "$H_TMP" }
probe { interval = 1 count = 1 timeout = 300 down-after = 1 up-after = 1 }
notify {
	rate = 20
	burst = 50
	flap-count = 4
	flap-window = 15
	alarm redundancyNonCompliant { enable = false }
	heightened "Test period" { from = "2000-01-01" to = "2099-01-01" }
}
office {
	id = 10
	code = "HN-BD"
	name = "UBND Ba Dinh"
	level = province
	line { id = 1  carrier = viettel  circuit = "VT-7"  bandwidth = 20000
	       probe = tcp  target = "127.0.0.1"  port = $PORT }
}
CONF

# Accept one connection, close the port for 1.5 s, again: with 1 s rounds
# every round flips the line (good, refused, good, ...).
python3 -c '
import socket, sys, time
for i in range(int(sys.argv[2])):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", int(sys.argv[1])))
    s.listen(1)
    c, _ = s.accept()
    c.close()
    s.close()
    time.sleep(1.5)
' "$PORT" "$FLAPS" &
FLAPPER=$!
H_PIDS+=("$FLAPPER")

R=$T_ROOT
bd_line() { t_line_vbs 10 1 HN-BD "UBND Ba Dinh" 3 VT-7 "$1"; }
scalar() { h_snmp snmpget -Oqv "$R.1.1.$1.0" 2>/dev/null; }
flapping() { h_snmp snmpget -Oqv "$R.1.3.1.48.10.1" 2>/dev/null; }

h_start_trapd
h_start_master || exit 1
h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent served"; h_done; exit 1; }
h_expect_eq "tslcdHeightenedPeriod" '"Test period"' "$(scalar 23)"
h_check "lineFlapping arrives" t_wait_trap 19 1 300
h_expect_eq "tslcdLineIsFlapping true while flapping" "1" "$(flapping)"
# The 5th change starts flapping; the first round may find the port open
# (up) or not yet (down), so the 5th edge is up or down.  Before it, each
# edge was sent (line + office), none suppressed.
before=$(grep -F "= OID: $R.0." "$H_TMP/traps.log" | grep -m1 -n -F "= OID: $R.0.19	" | cut -d: -f1)
before=$((before - 1))
first_status=$(t_trap 19 | grep -F "$R.1.3.1.12.10.1 = " | sed -E 's/.*: //')
h_check "lineFlapping is the 5th edge: line up or down ($first_status)" \
	test "$first_status" = 2 -o "$first_status" = 4
h_expect_eq "lineFlapping varbinds (severity minor raised to major)" \
	"$(bd_line "$first_status")
$(t_alarm_vbs 4 5 4 $((before + 1)) "Line 1 (Viettel VT-7) of HN-BD UBND Ba Dinh is flapping: 5 state changes in 15 s (limit 4)")" \
	"$(t_trap 19)"
h_expect_eq "lineDown before flapping carried critical (major raised)" "$R.1.7.2.0 = INTEGER: 3" \
	"$(t_trap 1 | grep -F "$R.1.7.2.0")"

wait "$FLAPPER"
changes=$(grep -c "office 10 (HN-BD) line 1:" "$H_TMP/agent.log")
h_check "the line changed state about 50 times ($changes)" test "$changes" -ge 45
h_check "lineFlappingCleared after 15 s of calm" t_wait_trap 20 1 300
h_expect_eq "lineFlappingCleared varbinds (settled: down)" \
	"$(bd_line 4)
$(t_alarm_vbs 1 0 4 X | head -n 3)" "$(t_trap 20 | head -n 8)"
# The reconciliation that follows the clear goes out with it: wait until
# every sequence number taken so far is at snmptrapd or suppressed (a fixed
# second was a race with the traps in flight on a busy machine).
settled() { [ "$(t_count)" -eq "$(($(scalar 18) - $(scalar 19)))" ]; }
h_wait_for 50 settled
sent=$(t_count)
# At most: flap-count edges x (line + office), lineFlapping, its clear, and
# the reconciliation of the line and its office when it settles.
h_check "notifications sent stay within the limit ($sent <= 2 x flap-count + 4)" test "$sent" -le 12
supp=$(scalar 19)
h_check "the held edges are counted as suppressed ($supp)" test "$supp" -ge 40
h_expect_eq "every sequence number was either sent or suppressed" "$(scalar 18)" "$((sent + supp))"
h_expect_eq "tslcdLineIsFlapping false again" "2" "$(flapping)"
h_expect_eq "final alarm table: the line is down, the office isolated (heightened severities)" \
	"1 10 1 3 1 1
2 10 0 3 0 1" "$(t_alarm_rows | grep -v '^9 ')"
h_expect_eq "the NOC's last word on the line is lineDown (it is down)" "1" \
	"$(grep -oE "OID: $R\.0\.(1|2)	" "$H_TMP/traps.log" | tail -1 | sed -E 's/.*\.([0-9]+)\t$/\1/')"
t_keep
h_done
