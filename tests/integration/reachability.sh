#!/usr/bin/env bash
# Reachability on loopback: TCP to a listening and a closed port flips lines
# up and down, ICMP to 127.0.0.x and ::1 and TCP to ::1 answer, outages are
# recorded and their cause can be set with tslcdctl.  Everything is visible
# through a real snmpd master.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
h_setup

ROOT=.1.3.6.1.4.1.8072.9999.9999.84.1
L=$ROOT.3.1
O=$ROOT.2.1
OUT=$ROOT.4.1
OPEN=$(h_free_port)
OPEN6=$(h_free_port)
CLOSED=$(h_free_port)

# A TCP service the test controls: socat accepting and closing connections.
listen4() {
	socat "TCP4-LISTEN:$OPEN,bind=127.0.0.1,reuseaddr,fork" /dev/null &
	SOCAT4=$!
	H_PIDS+=("$SOCAT4")
}
listen4
socat "TCP6-LISTEN:$OPEN6,bind=[::1],reuseaddr,fork" /dev/null &
H_PIDS+=($!)

cat >"$H_TMP/tslcd.conf" <<CONF
agent { state-dir = "$H_TMP" control-socket = "$H_TMP/control.sock" }
probe { interval = 1  count = 2  spacing = 50  timeout = 300  down-after = 3  up-after = 2 }
office {
	id = 1  code = "BN-X01"  name = "UBND Phường Kinh Bắc"  level = commune  commune = "09100"
	line { id = 1  carrier = vnpt  bandwidth = 20000  probe = tcp  target = "127.0.0.1"  port = $OPEN }
	line { id = 2  carrier = viettel  bandwidth = 20000  probe = tcp  target = "127.0.0.1"  port = $CLOSED }
}
office {
	id = 2  code = "BN-X02"  name = "UBND Xã Yên Phong"  level = commune  commune = "09107"
	line { id = 1  carrier = vnpt  bandwidth = 20000  probe = icmp  target = "127.0.0.2" }
	line { id = 2  carrier = vnpt  bandwidth = 20000  probe = icmp  target = "::1" }
	line { id = 3  carrier = viettel  bandwidth = 20000  probe = tcp  target = "::1"  port = $OPEN6 }
	line { id = 4  carrier = viettel  bandwidth = 20000  probe = icmp-tcp  target = "localhost"  port = $OPEN }
}
office {
	id = 3  code = "BN-X03"  name = "UBND Xã Tam Giang"  level = commune  commune = "09114"
	line { id = 1  carrier = vnpt  bandwidth = 20000  probe = tcp  target = "127.0.0.1"  port = $CLOSED }
}
CONF

h_start_master || exit 1
h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent served"; h_done; exit 1; }

get() { h_snmp snmpget -Ov -Oe "$1" 2>/dev/null | sed -E 's/^[A-Za-z0-9-]+: //'; }
status_is() { [ "$(get "$L.12.$1")" == "$2" ]; }
office_is() { [ "$(get "$O.13.$1")" == "$2" ]; }

# K=3 rounds of 1 s, plus the first round's spread over the interval.
h_check "TCP to a listening port: line 1.1 up" h_wait_for 60 status_is 1.1 2
h_check "TCP to a closed port: line 1.2 down" h_wait_for 60 status_is 1.2 4
h_check "ICMP to 127.0.0.2: line 2.1 up" h_wait_for 60 status_is 2.1 2
h_check "ICMPv6 to ::1: line 2.2 up" h_wait_for 60 status_is 2.2 2
h_check "TCP to ::1: line 2.3 up" h_wait_for 60 status_is 2.3 2
h_check "ICMP+TCP to localhost: line 2.4 up" h_wait_for 60 status_is 2.4 2
h_check "office 1 up: one line up, one required" office_is 1 2
h_check "office 3 (its only line down) isolated" h_wait_for 30 office_is 3 4
h_check "RTT of line 2.1 measured" bash -c "[ -n \"\$1\" ] && [ \"\$1\" -gt 0 ]" _ "$(get $L.16.2.1)"
h_expect_eq "loss of line 2.1 is 0 ppm" 0 "$(get $L.19.2.1)"
h_check "outage 1 of line 1.2 is open" h_wait_for 20 \
	bash -c "[ \"\$(snmpget -v2c -c public -Ov -Oe udp:127.0.0.1:$H_PORT $OUT.4.1.2.1 | sed 's/.*: //')\" == 1 ]"
h_expect_eq "an open outage has no end (absent)" "No Such Instance currently exists at this OID" \
	"$(get $OUT.3.1.2.1)"

# Close the port: line 1.1 goes down after K rounds, the office is isolated.
kill "$SOCAT4"
h_wait_gone "$SOCAT4" 20
t0=$(date +%s)
h_check "closed listener: line 1.1 down" h_wait_for 100 status_is 1.1 4
dt=$(($(date +%s) - t0))
h_check "detected within K x interval + timeout + 2 s, whole seconds (took ${dt} s)" [ "$dt" -le 7 ]
h_check "office 1 isolated" h_wait_for 30 office_is 1 4
h_check "line 1.1 has an outage record" h_wait_for 20 \
	bash -c "snmpget -v2c -c public -Ov udp:127.0.0.1:$H_PORT $OUT.4.1.1.1 | grep -q 'INTEGER: 1'"

# Reopen it: up after M good rounds, the outage closes with an end time.
listen4
h_check "listener back: line 1.1 up" h_wait_for 100 status_is 1.1 2
h_check "office 1 restored" h_wait_for 30 office_is 1 2
h_expect_eq "outage 1 of line 1.1 closed" 2 "$(get $OUT.4.1.1.1)"
h_check "closed outage has an end" bash -c "[ -n \"\$(snmpget -v2c -c public -Ov udp:127.0.0.1:$H_PORT $OUT.3.1.1.1 | grep -i hex)\" ]"
h_check "closed outage lasted a few seconds" bash -c "d=\$1; [ \"\$d\" -ge 1 ] && [ \"\$d\" -le 30 ]" _ \
	"$(get $OUT.5.1.1.1)"
h_check "line 1.1 counts one outage this quarter" bash -c "[ \"\$1\" == 1 ]" _ "$(get $L.28.1.1)"
h_check "line 1.1 availability below 100 % and above 0" \
	bash -c "a=\$1; [ \"\$a\" -lt 1000000 ] && [ \"\$a\" -gt 0 ]" _ "$(get $L.21.1.1)"

# Operators record the cause with tslcdctl; the MIB shows it.
CTL="$H_BUILD/tslcdctl -s $H_TMP/control.sock"
h_check "tslcdctl sets the cause" $CTL outage-cause 1.1 1 powerLoss OMC-2026-0042
h_expect_eq "cause is powerLoss(2)" 2 "$(get $OUT.6.1.1.1)"
h_expect_eq "ticket recorded" '"OMC-2026-0042"' "$(get $OUT.7.1.1.1)"
h_check "tslcdctl refuses an unknown cause" bash -c "! $CTL outage-cause 1.1 1 meteor 2>/dev/null"
h_check "tslcdctl refuses an unknown outage" bash -c "! $CTL outage-cause 1.1 99 powerLoss 2>/dev/null"
h_check "tslcdctl refuses a missing line" bash -c "! $CTL outage-cause 9.9 1 powerLoss 2>/dev/null"
h_check "tslcdctl status answers" bash -c "$CTL status | grep -q '^ok offices'"
h_check "control socket is 0660" bash -c "[ \"\$(stat -c %a $H_TMP/control.sock)\" == 660 ]"

h_done
