#!/usr/bin/env bash
# Notifications driven by a TCP port on 127.0.0.1 closing and opening:
# lineDown/lineUp and officeIsolated/officeRestored arrive at snmptrapd with
# the exact trap OID and every varbind; tslcdAlarmTable follows.  Then the
# master goes away, the line changes state, the master comes back (with an
# informsink this time): the table is already right and the active alarms
# are announced again, as INFORMs.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/traps.sh"
h_setup

PORT=$(h_free_port)
cat >"$H_TMP/tslcd.conf" <<CONF
agent { control-socket = ""  state-dir = "$H_TMP" }
probe { interval = 1 count = 1 timeout = 300 down-after = 2 up-after = 1 }
# Redundancy (bandwidth engine) would also fire for a one-line office:
# keep its notifications out of this test's sequence numbers.
notify { rate = 20 burst = 50  alarm redundancyNonCompliant { enable = false } }
office {
	id = 10
	code = "HN-BD"
	name = "UBND Ba Dinh"
	level = province
	province = "01"
	line { id = 1  carrier = vnpt  circuit = "VNPT-HN-0001"  bandwidth = 20000
	       probe = tcp  target = "127.0.0.1"  port = $PORT }
}
CONF

R=$T_ROOT
bd_line() { t_line_vbs 10 1 HN-BD "UBND Ba Dinh" 2 VNPT-HN-0001 "$1"; }
bd_office() { t_office_vbs 10 HN-BD "UBND Ba Dinh" "$1"; }
line_status() { h_snmp snmpget -Oqv "$R.1.3.1.12.10.1" 2>/dev/null; }
scalar() { h_snmp snmpget -Oqv "$R.1.1.$1.0" 2>/dev/null; }

t_listen "$PORT"
h_start_trapd
h_start_master || exit 1
h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent served"; h_done; exit 1; }
line_up() { [ "$(line_status)" = 2 ]; }
h_check "line comes up" h_wait_for 100 line_up
h_expect_eq "no alarm at first" "0 0" "$(scalar 20) $(scalar 18)"

# ---- the port closes: lineDown + officeIsolated ----
t_unlisten
h_check "lineDown arrives" t_wait_trap 1
h_check "officeIsolated arrives" t_wait_trap 3
h_expect_eq "lineDown varbinds" "$(bd_line 4)
$(t_alarm_vbs 4 2 2 1 "Line 1 (VNPT VNPT-HN-0001) of HN-BD UBND Ba Dinh is down: 2 failed probe rounds (limit 2)")" \
	"$(t_trap 1)"
h_expect_eq "officeIsolated varbinds" "$(bd_office 4)
$(t_alarm_vbs 3 0 1 2 "Office HN-BD UBND Ba Dinh is isolated: none of its 1 line(s) works")" \
	"$(t_trap 3)"
h_expect_eq "alarm table: lineDown and officeIsolated (type office line severity value threshold)" \
	"1 10 1 4 2 2
2 10 0 3 0 1" "$(t_alarm_rows | grep -v "^9 ")"
h_expect_eq "tslcdNotificationSeq" "2" "$(scalar 18)"
h_expect_eq "alarm row carries the raising seq" "1" "$(h_snmp snmpget -Oqv "$R.1.6.1.10.1")"
h_expect_eq "alarm text" "Line 1 (VNPT VNPT-HN-0001) of HN-BD UBND Ba Dinh is down: 2 failed probe rounds (limit 2)" \
	"$(h_get_str "$R.1.6.1.9.1")"

# ---- the port opens again: lineUp + officeRestored ----
t_listen "$PORT"
h_check "lineUp arrives" t_wait_trap 2
h_check "officeRestored arrives" t_wait_trap 4
h_expect_eq "lineUp varbinds" "$(bd_line 2)
$(t_alarm_vbs 1 1 1 3 "Line 1 (VNPT VNPT-HN-0001) of HN-BD UBND Ba Dinh is up again")" \
	"$(t_trap 2)"
h_expect_eq "officeRestored varbinds" "$(bd_office 2)
$(t_alarm_vbs 1 1 1 4 "Office HN-BD UBND Ba Dinh is restored: 1 line(s) up (now up)")" \
	"$(t_trap 4)"
h_expect_eq "alarm table empty again" "" "$(t_alarm_rows | grep -v "^9 ")"
h_expect_eq "tslcdAlarmsActive, Seq, Suppressed" "0 4 0" "$(scalar 20) $(scalar 18) $(scalar 19)"
h_expect_eq "nothing else was sent" "4" "$(t_count)"

# ---- the master goes away; the line goes down meanwhile ----
h_stop_master
t_unlisten
h_check "agent saw the line go down without a master" \
	h_wait_for 100 grep -q "alarm 4 raised" "$H_TMP/agent.log"
trap_port=$H_TRAP_PORT
H_TRAP_PORT="" h_start_master "informsink 127.0.0.1:$trap_port public" || exit 1
h_check "agent serves again" h_wait_served 100
h_expect_eq "alarm table right at once after the reconnect" "1 10 1 4 2 2
2 10 0 3 0 1" "$(t_alarm_rows | grep -v "^9 ")"
h_check "lineDown re-sent (INFORM) on reconnect" t_wait_trap 1 2
h_check "officeIsolated re-sent (INFORM) on reconnect" t_wait_trap 3 2
h_expect_eq "re-sent lineDown has a fresh seq after the two lost ones" "7" "$(t_trap 1 2 | t_seq_of)"
seqs_in_table() { h_snmp snmpwalk -Oqv "$R.1.6.1.10" | tr '\n' ' '; }
h_check "alarm row now carries the re-sent seq (7)" bash -c "grep -qw 7 <<<'$(seqs_in_table)'"
t_listen "$PORT"
h_check "lineUp delivered as INFORM" t_wait_trap 2 2
h_check "officeRestored delivered as INFORM" t_wait_trap 4 2
h_check "the master sent INFORMs (snmptrapd answered them)" \
	bash -c "! grep -qi 'inform.*timeout\|Timeout' '$H_TMP/snmpd.log'"
h_expect_eq "alarm table empty at the end" "" "$(t_alarm_rows | grep -v "^9 ")"
t_unlisten
t_keep
h_done
