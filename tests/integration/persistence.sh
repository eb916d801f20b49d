#!/usr/bin/env bash
# The state file: outage history and availability survive kill -9; 20 kills
# (half in the middle of saves) never leave a file the next start rejects
# nor lose more than one save interval of history; SIGHUP keeps
# the state of surviving lines and a broken config changes nothing; a corrupt
# file is moved aside with a log line and the agent runs on.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
h_setup
# Outages and downtime "this quarter": not across a midnight (a quarter's end).
h_clear_of_midnight 300

ROOT=.1.3.6.1.4.1.8072.9999.9999.84.1
L=$ROOT.3.1
OUT=$ROOT.4.1
SAVE_RESULT=$ROOT.1.26.0
CLOSED=$(h_free_port) # nothing listens here: TCP probes are refused
STATE=$H_TMP/state
CONF=$H_TMP/tslcd.conf

# write_conf EXTRA_LINES_FOR_OFFICE_10 — office 10 line 1 probes the closed
# port every second; 1000 filler offices make each save last a little.
write_conf() {
	{
		cat <<CONF
agent { control-socket = ""  state-dir = "$STATE"  save-interval = 5 }
probe { interval = 1  count = 1  timeout = 300  down-after = 1  up-after = 1 }
office {
	id = 10
	code = "P-10"
	name = "Sở Thông tin"
	level = province
	line { id = 1  carrier = vnpt  bandwidth = 1000  probe = tcp
	       target = "127.0.0.1"  port = $CLOSED }
$1
}
CONF
		for i in $(seq 100 1099); do
			printf 'office { id = %d code = "F%d" name = "F" level = province\n' "$i" "$i"
			printf ' line { id = 1 carrier = vnpt bandwidth = 10 probe = none target = "127.0.0.1" }\n'
			printf ' line { id = 2 carrier = viettel bandwidth = 10 probe = none target = "::1" }\n}\n'
		done
	} >"$CONF"
}

get() { h_snmp snmpget -Ov "$1" 2>/dev/null | sed -E 's/^[A-Za-z0-9-]+: //'; }
get_hex() { h_snmp snmpget -Ov -Ox "$1" 2>/dev/null | sed -E 's/^[A-Za-z-]+: //'; }
saved_ok() { [ "$(get $SAVE_RESULT)" == "1" ]; }
outage_open() { [ "$(get $OUT.4.10.1.1)" == "1" ]; }
kill9_agent() {
	kill -9 "$H_AGENT_PID" 2>/dev/null
	wait "$H_AGENT_PID" 2>/dev/null # reaps it without bash's "Killed" line
	h_wait_gone "$H_AGENT_PID" 50
}

write_conf '	line { id = 2  carrier = viettel  bandwidth = 1000  probe = none  target = "::1" }'
h_start_master || exit 1
h_start_agent "$CONF" || { h_fail "agent served within 10 s"; h_done; exit 1; }
h_check "first start logs that there is no state yet" grep -q "first start" "$H_TMP/agent.log"
h_check "line 10.1 goes down and outage 1 opens" h_wait_for 100 outage_open
h_check "a background save succeeds (tslcdStateSaveResult ok)" h_wait_for 100 saved_ok
h_check "state.bin exists" test -s "$STATE/state.bin"
start1=$(get_hex $OUT.2.10.1.1)
sleep 1.5 # let the next save cover a little more down time
h_check "another save" h_wait_for 70 saved_ok
down1=$(get $L.29.10.1)

# ---- kill -9, restart: history is back ----
kill9_agent
h_start_agent "$CONF" || { h_fail "agent restarted"; h_done; exit 1; }
h_check "restart logs the restore" grep -q "state restored from" "$H_TMP/agent.log"
h_expect_eq "outage 1 start survives kill -9" "$start1" "$(get_hex $OUT.2.10.1.1)"
h_expect_eq "outage 1 is still open" "1" "$(get $OUT.4.10.1.1)"
h_expect_eq "no second outage was opened" "" "$(h_snmp snmpget -Ov $OUT.2.10.1.2 | grep -v 'No Such')"
h_expect_eq "line 10.1 is down" "4" "$(get $L.12.10.1)"
h_expect_eq "availability 24 h is there (0 ppm: down all along)" "0" "$(get $L.21.10.1)"
h_expect_eq "outages this quarter survive" "1" "$(get $L.28.10.1)"
down2=$(get $L.29.10.1)
# At most one save interval (5 s) plus a tick of history may be lost.
h_check "downtime this quarter restored ($down1 s before, $down2 s now)" \
	test "${down2:-0}" -gt 0 -a "${down2:-0}" -ge "$((${down1:-999999} - 6))"
h_check "monitored fraction is there" test -n "$(get $L.27.10.1)"
h_check "tslcdStateSaveResult ok after the restart" h_wait_for 80 saved_ok

# ---- kill -9 at random moments, saves included ----
# KILLS restarts (default 20): odd rounds at a random moment, even rounds
# right when a save's temp file appears.  Before each kill the downtime of
# line 10.1 is read; after the restart it must be back, minus at most one
# save interval (5 s) plus a tick.
KILLS=${PERSISTENCE_KILLS:-20}
restores_before=$(grep -c "state restored from" "$H_TMP/agent.log")
saving() { compgen -G "$STATE/state.bin.tmp-*" >/dev/null; }
lost_worst=0
lost_bad=0
for i in $(seq 1 "$KILLS"); do
	if [ $((i % 2)) -eq 0 ]; then
		before=$(get $L.29.10.1) # read first: the kill must hit the save itself
		end=$((SECONDS + 8))
		while ! saving && [ "$SECONDS" -lt "$end" ]; do :; done
	else
		sleep "$((RANDOM % 4)).$((RANDOM % 10))"
		before=$(get $L.29.10.1)
	fi
	kill9_agent
	h_start_agent "$CONF" || { h_fail "restart $i"; break; }
	after=$(get $L.29.10.1)
	lost=$((${before:-0} - ${after:-0}))
	[ "$lost" -gt "$lost_worst" ] && lost_worst=$lost
	if [ -z "$after" ] || [ "$lost" -gt 6 ]; then
		lost_bad=$((lost_bad + 1))
		h_log "restart $i: downtime ${before:-?} s before the kill, ${after:-absent} s after"
	fi
done
restores=$(($(grep -c "state restored from" "$H_TMP/agent.log") - restores_before))
h_expect_eq "$KILLS kill -9 restarts each restored the state" "$KILLS" "$restores"
h_expect_eq "no restart lost more than one save interval + 1 s of downtime (worst ${lost_worst} s)" \
	0 "$lost_bad"
interrupted=$(grep -c 'left by an interrupted save' "$H_TMP/agent.log")
h_check "some kills hit a save in progress ($interrupted of $KILLS)" test "$interrupted" -gt 0
h_check "no start rejected the state file" bash -c "! grep -Eq 'rejected|corrupt' '$H_TMP/agent.log'"
h_check "no corrupt file was moved aside" bash -c "! ls '$STATE' | grep -q corrupt"
h_expect_eq "outage 1 still there after the kills" "$start1" "$(get_hex $OUT.2.10.1.1)"

# ---- SIGHUP: line 2 removed, line 3 added ----
write_conf '	line { id = 3  carrier = viettel  bandwidth = 1000  probe = none  target = "::1" }'
kill -HUP "$H_AGENT_PID"
line3() { [ "$(get $L.2.10.3)" == "3" ]; }
h_check "reload adds line 10.3" h_wait_for 50 line3
h_check "reload removes line 10.2" bash -c "snmpget -v2c -c public -On udp:127.0.0.1:$H_PORT $L.2.10.2 | grep -q 'No Such Instance'"
h_expect_eq "reload keeps outage 1 of line 10.1" "$start1" "$(get_hex $OUT.2.10.1.1)"
h_expect_eq "tslcdConfigLoadResult ok" "1" "$(get $ROOT.1.5.0)"

# ---- SIGHUP with a broken file: nothing changes ----
cp "$CONF" "$H_TMP/good.conf"
sed -i '2i colour = red' "$CONF" # line 2 of the file
kill -HUP "$H_AGENT_PID"
load_failed() { [ "$(get $ROOT.1.5.0)" == "2" ]; }
h_check "broken reload sets tslcdConfigLoadResult failed(2)" h_wait_for 50 load_failed
msg=$(h_get_str $ROOT.1.6.0)
h_check "tslcdConfigLoadMessage names file:line ($msg)" \
	bash -c "grep -qF -- '$CONF:2:' <<<\"\$1\"" _ "$msg"
h_expect_eq "tslcdConfigLoadMessageAscii: the same (ASCII already)" "$msg" "$(h_get_str $ROOT.1.39.0)"
h_expect_eq "old config still in force (line 10.3 served)" "3" "$(get $L.2.10.3)"
h_expect_eq "outage 1 untouched" "$start1" "$(get_hex $OUT.2.10.1.1)"
cp "$H_TMP/good.conf" "$CONF"

# ---- saves that fail (an immutable directory, like a full disk) ----
if chattr +i "$STATE" 2>/dev/null; then
	H_CLEANUPS+=("chattr -i '$STATE'")
	save_failed() { [ "$(get $SAVE_RESULT)" == "2" ]; }
	h_check "a failing save sets tslcdStateSaveResult failed(2)" h_wait_for 80 save_failed
	sleep 11 # two more failing saves
	h_expect_eq "the failure streak is logged once" "1" \
		"$(grep -c 'state save failed' "$H_TMP/agent.log")"
	h_check "the last good file is intact" test -s "$STATE/state.bin"
	chattr -i "$STATE"
	h_check "saves recover (ok again)" h_wait_for 80 saved_ok
	h_check "the recovery is logged" grep -q "state save recovered" "$H_TMP/agent.log"
else
	h_log "skipped: chattr +i not supported on $STATE"
fi

# ---- clean stop saves; a corrupt file is moved aside ----
h_stop_agent
h_check "SIGTERM writes the final save" grep -q "state saved to $STATE/state.bin" "$H_TMP/agent.log"
printf 'TSLCDST\0garbage' >"$STATE/state.bin"
h_start_agent "$CONF" || { h_fail "agent starts with a corrupt state file"; h_done; exit 1; }
h_check "corrupt file rejected with a log line naming it" \
	grep -q "state file $STATE/state.bin rejected: truncated" "$H_TMP/agent.log"
h_check "corrupt file moved aside" bash -c "ls '$STATE' | grep -Eq '^state\.bin\.corrupt-[0-9]{8}T[0-9]{6}$'"
h_check "agent runs and saves a fresh state" h_wait_for 80 saved_ok
h_check "fresh history: outage 1 opens anew" h_wait_for 50 outage_open

h_done
