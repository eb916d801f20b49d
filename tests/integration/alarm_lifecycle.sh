#!/usr/bin/env bash
# A NOC works its alarms through tslcdctl (agent/control_alarm.h): ack and
# unack show in tslcdAlarmTable with who and when; bad input (unknown id,
# a time in the past, an overlong or non-printable note, an unknown line)
# gets a clear error and changes nothing; a shelved line sends no traps
# but its alarm row still comes and goes, and the log says shelved(4);
# unshelving announces what stands; a shelf ends by itself at its time and
# the clear it held back is sent.  Lines are TCP ports on 127.0.0.1.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/traps.sh"
h_setup

P1=$(h_free_port)
P2=$(h_free_port)
while [ "$P2" = "$P1" ]; do P2=$(h_free_port); done
SOCK=$H_TMP/control.sock
CTL="$H_BUILD/tslcdctl -s $SOCK"
cat >"$H_TMP/tslcd.conf" <<CONF
agent { control-socket = "$SOCK"  state-dir = "$H_TMP" }
probe { interval = 1 count = 1 timeout = 300 down-after = 2 up-after = 1 }
notify { rate = 20 burst = 50  flap-count = 20
         alarm redundancyNonCompliant { enable = false } }
office {
	id = 10
	code = "HN-BD"
	name = "UBND Ba Dinh"
	level = province
	province = "01"
	line { id = 1  carrier = vnpt  circuit = "VNPT-HN-0001"  bandwidth = 20000
	       probe = tcp  target = "127.0.0.1"  port = $P1 }
	line { id = 2  carrier = viettel  circuit = "VTL-HN-0002"  bandwidth = 20000
	       probe = tcp  target = "127.0.0.1"  port = $P2 }
}
CONF

R=$T_ROOT
declare -A L
open_port() { t_listen "${!1}"; L[$1]=$T_LISTENER; }
close_port() { T_LISTENER=${L[$1]} t_unlisten; }
get() { h_snmp snmpget -Oqv "$1" 2>/dev/null; }
seq_is() { [ "$(get "$R.1.1.18.0")" = "$1" ]; }
both_up() { [ "$(get "$R.1.3.1.12.10.1") $(get "$R.1.3.1.12.10.2")" = "2 2" ]; }
# Traps number $1 about line $2 of office 10.
line_traps() {
	grep -F ".1.3.6.1.6.3.1.1.4.1.0 = OID: $R.0.$1"$'\t' "$H_TMP/traps.log" 2>/dev/null |
		grep -cF "$R.1.3.1.12.10.$2 = " || true
}
line_traps_are() { [ "$(line_traps "$1" "$2")" = "$3" ]; }
# Columns 11..15 of alarm $1 (absent ones as -).
lifecycle() {
	local out="" c v
	for c in 11 12 13 14 15; do
		v=$(h_snmp snmpget -Oqv "$R.1.6.1.$c.$1" 2>/dev/null)
		case $v in "" | No\ Such*) v=- ;; *) [ "$c" = 15 ] && v=$(h_get_str "$R.1.6.1.15.$1") ;; esac
		[ "$c" = 13 ] || [ "$c" = 14 ] && [ "$v" != - ] && v=set
		out="$out${out:+|}$v"
	done
	echo "$out"
}
last_changed() { h_snmp snmpget -Oqv -Ox "$R.1.1.38.0" 2>/dev/null; }
fate_of() { get "$R.1.10.1.11.$1"; }
id_of_line() { # the alarm id of lineDown on line $1, from tslcdctl alarm list
	$CTL alarm list | sed -nE "s/^alarm ([0-9]+) lineDown 10\\.$1 .*/\\1/p"
}

open_port P1
open_port P2
h_start_trapd
h_start_master || exit 1
h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent served"; h_done; exit 1; }
h_check "lines come up" h_wait_for 100 both_up
h_expect_eq "alarm list, empty" "ok 0 alarm(s), 0 shelf(s)" "$($CTL alarm list)"

# ---- acknowledge ----
close_port P1
h_check "lineDown arrives" t_wait_trap 1
ID=$(id_of_line 1)
h_expect_eq "the alarm is listed with its id" "1" "$ID"
h_expect_eq "not acknowledged at first (acked, by, time, shelved, note)" "2|-|-|-|-" "$(lifecycle 1)"
out=$($CTL alarm ack 1 --by nguyen.van.a --note "VNPT ticket 4711, đã báo")
h_expect_eq "ack answers ok" "ok alarm 1 acknowledged by nguyen.van.a (uid $(id -u))" "$out"
h_expect_eq "ack in the alarm table" \
	"1|\"nguyen.van.a (uid $(id -u))\"|set|-|VNPT ticket 4711, đã báo" "$(lifecycle 1)"
h_expect_eq "ASCII twins of who acknowledged and the note" \
	"nguyen.van.a (uid $(id -u))|VNPT ticket 4711, da bao" \
	"$(h_get_str "$R.1.6.1.21.1")|$(h_get_str "$R.1.6.1.22.1")"
h_check "the change is logged with the peer and the name" grep -qE \
	"control: uid $(id -u) pid [0-9]+ by nguyen.van.a: alarm 1 acknowledged" "$H_TMP/agent.log"
h_expect_match "alarm list shows the ack and the note" \
	"^alarm 1 lineDown 10\\.1 major raised .* acked by nguyen\\.van\\.a \\(uid [0-9]+\\) at .* note \"VNPT ticket 4711, đã báo\": Line 1 " \
	"$($CTL alarm list | grep '^alarm 1 ')"

# ---- bad input: a clear error, nothing changes ----
before="$(lifecycle 1) $(last_changed) $($CTL alarm list)"
long=$(printf 'x%.0s' $(seq 1 128))
bad() { # DESCRIPTION PATTERN ARGS...
	local d=$1 p=$2 err rc
	shift 2
	err=$($CTL alarm "$@" 2>&1 >/dev/null)
	rc=$?
	h_expect_match "$d: exit 1 and a clear error" "^1 error: .*$p" "$rc $err"
}
bad "unknown id" "no active alarm has that id" ack 999
bad "unknown id (unack)" "no active alarm has that id" unack 998
bad "unknown id (shelve)" "no active alarm has that id" shelve 997 --until +1h
bad "overlong note" "at most 127 bytes" ack 1 --note "$long"
bad "non-printable note" "printable" ack 1 --note "$(printf 'bell\a')"
bad "time in the past" "in the past" shelve 1 --until 2020-01-01T00:00
bad "relative time of zero" "whole number" shelve 1 --until +0m
bad "too far ahead" "31 days" shelve 1 --until +40d
bad "not a time" "local time" shelve 1 --until tomorrow
bad "no --until" "--until TIME is required" shelve 1
bad "unknown line" "no such line" shelve --line 10.9 --until +1h
bad "unknown office" "no such office" shelve --office 77 --until +1h
bad "two targets" "exactly one" shelve 1 --line 10.1 --until +1h
# tslcdctl refuses an unknown option itself (usage, exit 2); the agent,
# asked directly, refuses it too (the socket is not only tslcdctl's).
err=$($CTL alarm ack 1 --force 2>&1 >/dev/null)
h_expect_match "tslcdctl: unknown option, exit 2" "^2 tslcdctl: alarm: unknown option '--force'" "$? $err"
h_expect_match "the agent refuses an unknown option" "^error: .*unknown option" \
	"$(printf 'alarm ack 1 --force\n' | socat -t 2 - "UNIX-CONNECT:$SOCK")"
bad "nothing shelved" "nothing is shelved" unshelve --line 10.1
bad "unknown request" "unknown request" snooze 1
h_expect_eq "nothing changed (row, tslcdAlarmsLastChanged, list)" "$before" \
	"$(lifecycle 1) $(last_changed) $($CTL alarm list)"
err=$($CTL alarm ack 1 --note "a b" --by x 2>&1)
h_expect_eq "tslcdctl: --note must come last" "2 tslcdctl: --note TEXT must come last" "$? $(head -1 <<<"$err")"

out=$($CTL alarm unack 1)
h_expect_eq "unack answers ok" "ok alarm 1 no longer acknowledged by uid $(id -u)" "$out"
h_expect_eq "unack in the alarm table (the note stays)" "2|-|-|-|VNPT ticket 4711, đã báo" "$(lifecycle 1)"
open_port P1
h_check "lineUp arrives" t_wait_trap 2
h_check "line 1 up" h_wait_for 100 both_up

# ---- shelve a line: rows change, nothing is sent ----
h_expect_match "shelve --line" "^ok shelved line 10\\.2 until " \
	"$($CTL alarm shelve --line 10.2 --until +1h --by noc --note "planned work")"
seq0=$(get "$R.1.1.18.0")
close_port P2
h_check "line 2's alarm row appears" h_wait_for 100 bash -c "$CTL alarm list | grep -q 'lineDown 10\\.2 '"
ID2=$(id_of_line 2)
h_expect_eq "shelved row: shelved until set, the shelf's note" "2|-|-|set|planned work" "$(lifecycle "$ID2")"
h_expect_eq "its raise took the next seq" "$((seq0 + 1))" "$(get "$R.1.1.18.0")"
h_expect_eq "the log says shelved(4)" "4" "$(fate_of $((seq0 + 1)))"
open_port P2
h_check "line 2's row goes when it recovers" h_wait_for 100 seq_is $((seq0 + 2))
h_expect_eq "its clear logged as shelved(4) too" "4" "$(fate_of $((seq0 + 2)))"
h_expect_eq "no lineDown or lineUp for line 2 reached snmptrapd" "0 0" \
	"$(line_traps 1 2) $(line_traps 2 2)"

# ---- unshelve: what stands is announced ----
close_port P2
h_check "line 2 down again, shelved" h_wait_for 100 seq_is $((seq0 + 3))
h_expect_eq "still nothing sent" "0" "$(line_traps 1 2)"
h_expect_eq "unshelve --line" "ok unshelved line 10.2" "$($CTL alarm unshelve --line 10.2 --by noc)"
h_check "the standing lineDown is announced at once" h_wait_for 50 line_traps_are 1 2 1
ID2=$(id_of_line 2)
h_expect_eq "row no longer shelved" "-" "$(lifecycle "$ID2" | cut -d'|' -f4)"

# ---- a shelf ends by itself; the clear it held back is sent ----
h_expect_match "ack line 2's alarm" "^ok alarm $ID2 acknowledged by noc " "$($CTL alarm ack "$ID2" --by noc)"
h_expect_match "shelve ID for 3 s" "^ok shelved alarm $ID2 \\(lineDown 10\\.2\\) until " \
	"$($CTL alarm shelve "$ID2" --until +3s)"
open_port P2
h_check "line 2 recovers under the shelf" h_wait_for 100 both_up
h_expect_eq "no lineUp yet" "0" "$(line_traps 2 2)"
h_check "the shelf ends by itself and the owed lineUp is sent" h_wait_for 150 line_traps_are 2 2 1
h_check "the end is logged" grep -q "shelf of lineDown 10.2 (uid $(id -u)) ended" "$H_TMP/agent.log"
h_expect_eq "alarm list empty at the end" "ok 0 alarm(s), 0 shelf(s)" "$($CTL alarm list)"
h_expect_eq "cleared table: line 1's alarm kept who acknowledged (none: unacked)" "No Such Instance currently exists at this OID" \
	"$(h_snmp snmpget -Oqv "$R.1.11.1.12.1" 2>&1)"
cleared_by() { h_snmp snmpwalk -Oqv "$R.1.11.1.$1" 2>/dev/null | tr -d '"'; }
h_expect_eq "cleared table: line 2's alarm kept who acknowledged it, with its ASCII twin" \
	"noc (uid $(id -u))|noc (uid $(id -u))" "$(cleared_by 12)|$(cleared_by 21)"

# ---- a restart keeps acknowledgements and shelves (state file) ----
close_port P1
h_check "lineDown of line 1 again" h_wait_for 100 bash -c "$CTL alarm list | grep -q 'lineDown 10\\.1 '"
ID1=$(id_of_line 1)
$CTL alarm ack "$ID1" --by ops --note "kept across restarts" >/dev/null
h_expect_match "shelve --office" "^ok shelved office 10 until " "$($CTL alarm shelve --office 10 --until +2h)"
before=$(lifecycle "$ID1")
h_stop_agent
h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent served again"; h_done; exit 1; }
h_expect_eq "the alarm keeps its id, acknowledgement and shelf" "$ID1 $before" \
	"$(id_of_line 1) $(lifecycle "$ID1")"
h_expect_match "the shelf is listed after the restart" "^shelf office 10 until .* by uid [0-9]+$" \
	"$($CTL alarm list | grep '^shelf ')"
h_done
