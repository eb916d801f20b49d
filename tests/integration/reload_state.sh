#!/usr/bin/env bash
# A SIGHUP reload that keeps an office's lines moves them to the new model
# whole (agent/model.c line_move): the line's state, its open outage and
# its counters come along, the new config's text is served, and the line
# is probed again after the reload (its probe job is the new model's: the
# line comes up and the outage closes).  Loopback only.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/traps.sh" # t_listen
h_setup

ROOT=.1.3.6.1.4.1.8072.9999.9999.84.1
L=$ROOT.3.1
OUT=$ROOT.4.1
PORT=$(h_free_port) # nothing listens here until the end: probes are refused
CONF=$H_TMP/tslcd.conf

write_conf() { # CIRCUIT
	cat >"$CONF" <<CONF
agent { control-socket = ""  state-dir = "$H_TMP/state" }
probe { interval = 1  count = 1  timeout = 300  down-after = 1  up-after = 1 }
office {
	id = 10  code = "P-10"  name = "Office ten"  level = province
	line { id = 1  carrier = vnpt  bandwidth = 1000  probe = tcp
	       target = "127.0.0.1"  port = $PORT  circuit = "$1" }
	line { id = 2  carrier = viettel  bandwidth = 1000  probe = none  target = "::1" }
}
office {
	id = 11  code = "P-11"  name = "Office eleven"  level = province
	line { id = 1  carrier = vnpt  bandwidth = 10  probe = none  target = "127.0.0.1" }
}
CONF
}

get() { h_snmp snmpget -Ov "$1" 2>/dev/null | sed -E 's/^[A-Za-z0-9-]+: //'; }
get_hex() { h_snmp snmpget -Ov -Ox "$1" 2>/dev/null | sed -E 's/^[A-Za-z-]+: //'; }
outage_is() { [ "$(get $OUT.4.10.1.1)" == "$1" ]; }
line_is() { [ "$(get $L.12.10.1)" == "$1" ]; }
reloads() { grep -c 'configuration reloaded' "$H_TMP/agent.log"; }

mkdir -p "$H_TMP/state"
write_conf "C-OLD"
h_start_master || exit 1
h_start_agent "$CONF" || { h_fail "agent served within 10 s"; h_done; exit 1; }
h_check "line 10.1 goes down and outage 1 opens" h_wait_for 100 outage_is 1
start1=$(get_hex $OUT.2.10.1.1)
quarter=$(get $L.28.10.1)
changed=$(get_hex $L.13.10.1)

# The same offices and lines, one circuit renamed: every office moves whole.
write_conf "C-NEW"
before=$(reloads)
kill -HUP "$H_AGENT_PID"
reloaded() { [ "$(reloads)" -gt "$before" ]; }
h_check "the reload applies" h_wait_for 100 reloaded
h_expect_eq "the new circuit is served" "C-NEW" "$(get $L.3.10.1 | tr -d '"')"
h_expect_eq "line 10.1 is still down" "4" "$(get $L.12.10.1)"
h_expect_eq "its last change is kept" "$changed" "$(get_hex $L.13.10.1)"
h_expect_eq "outage 1 keeps its start" "$start1" "$(get_hex $OUT.2.10.1.1)"
h_expect_eq "outage 1 is still open" "1" "$(get $OUT.4.10.1.1)"
h_expect_eq "no second outage" "" "$(h_snmp snmpget -Ov $OUT.2.10.1.2 | grep -v 'No Such')"
h_expect_eq "outages this quarter kept" "$quarter" "$(get $L.28.10.1)"
h_expect_match "office 11's line is served (its carrier)" '^[0-9]+$' "$(get $L.2.11.1)"

# Probing goes on on the moved line: it answers now, and comes up.
t_listen "$PORT"
h_check "line 10.1 comes up after the reload" h_wait_for 100 line_is 2
h_check "outage 1 closes" h_wait_for 50 outage_is 2
h_check "the agent is still running" kill -0 "$H_AGENT_PID"
h_done
