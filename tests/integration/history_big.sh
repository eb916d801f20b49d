#!/usr/bin/env bash
# tslcd-test: serial
# A config larger than the history queue's old fixed bound (65,536 rows):
# 60,000 lines in 45,000 offices (tests/bench/gen-config.sh, probes off,
# loopback only).  Its office and line rows and the start's orphan rows
# (210,000) come at once, and its config rows again at a SIGHUP, faster
# than the writer takes them: none is dropped (tslcdHistoryRowsDropped 0,
# no "queue full" in the log) and history.db holds every office and line.
# About 15 s (35 s under ASan); serial: it loads both cores while it starts.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
h_setup

LINES=60000
STATE=$H_TMP/state
DB=$STATE/history.db
A=.1.3.6.1.4.1.8072.9999.9999.84.1.1
mkdir -p "$STATE"
bash "$(dirname "$0")/../bench/gen-config.sh" $LINES -p none -s "$STATE" >"$H_TMP/tslcd.conf"
OFFICES=$(grep -c '^office {' "$H_TMP/tslcd.conf")

q() { sqlite3 -batch -noheader "file:$DB?mode=ro" "$1" 2>/dev/null; }
get() { h_snmp snmpget -Ov -Oe "$1" 2>/dev/null | sed -E 's/^[A-Za-z0-9-]+: //'; }
is() { [ "$(q "$1")" == "$2" ]; }
drained() { [ "$(get $A.29.0)" == 0 ] && [ "$(get $A.30.0)" -ge "$1" ]; }

h_start_master || exit 1
H_SERVED_WAIT=600 h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent served"; h_done; exit 1; }
# config rows + orphan rows (one per office and per line) + meta, config_loads
START_ROWS=$((2 * (OFFICES + LINES)))
h_check "the start's $START_ROWS rows are written" h_wait_for 1200 drained $START_ROWS
h_expect_eq "tslcdHistoryRowsDropped 0 after the start" 0 "$(get $A.31.0)"
h_expect_eq "every office ($OFFICES) in history.db" "$OFFICES" "$(q "SELECT count(*) FROM offices")"
h_expect_eq "every line ($LINES) in history.db" "$LINES" "$(q "SELECT count(*) FROM lines")"

written=$(get $A.30.0)
kill -HUP "$H_AGENT_PID"
h_check "the reload's config rows are written" h_wait_for 1200 drained $((written + OFFICES + LINES))
h_check "a second config load recorded" h_wait_for 100 is "SELECT count(*) FROM config_loads" 2
h_expect_eq "tslcdHistoryRowsDropped 0 after a reload" 0 "$(get $A.31.0)"
h_stop_agent
h_check "no queue full logged" bash -c "! grep -q 'queue full' '$H_TMP/agent.log'"
h_expect_eq "every office still in history.db" "$OFFICES" "$(q "SELECT count(*) FROM offices")"

h_done
