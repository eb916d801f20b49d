#!/usr/bin/env bash
# The availability target (SLA): an office whose only line is down falls
# below the target over the SLA window and raises tslcdAvailabilityLow; once
# the line has been up long enough the availability is back above the
# target and tslcdAvailabilityCleared follows, both with the exact varbinds.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/traps.sh"
h_setup

PORT=$(h_free_port)
cat >"$H_TMP/tslcd.conf" <<CONF
agent { control-socket = ""  state-dir = "$H_TMP" }
probe { interval = 1 count = 1 timeout = 300 down-after = 2 up-after = 1 }
# A test-sized SLA: 50 % over 24 h, judged after 3 monitored seconds.
notify { sla-target = 50  sla-window = 24h  sla-min-monitored = 3
         alarm redundancyNonCompliant { enable = false } }
office {
	id = 10  code = "HN-BD"  name = "UBND Ba Dinh"  level = province  province = "01"
	line { id = 1  carrier = vnpt  circuit = "VNPT-HN-0001"  bandwidth = 20000
	       probe = tcp  target = "127.0.0.1"  port = $PORT }
}
CONF

R=$T_ROOT
h_start_trapd
h_start_master || exit 1
h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent served"; h_done; exit 1; }

# Nothing listens yet: the line goes down and the office's availability is 0.
h_check "tslcdAvailabilityLow arrives" t_wait_trap 9 1 300
v=$(t_trap 9)
h_check "low: office code varbind" grep -qF "$R.1.2.1.2.10 = STRING: \"HN-BD\"" <<<"$v"
h_check "low: office name varbind" grep -qF "$R.1.2.1.3.10 = STRING: \"UBND Ba Dinh\"" <<<"$v"
h_check "low: value is 0 ppm" grep -qF "$R.1.7.3.0 = INTEGER: 0" <<<"$v"
h_check "low: threshold is the 50 % target in ppm" grep -qF "$R.1.7.4.0 = INTEGER: 500000" <<<"$v"
h_check "low: severity major(4) or worse" grep -qE "$R\.1\.7\.2\.0 = INTEGER: [34]" <<<"$v"
h_check "low: text names the target" grep -qF "below the target 50.0000 %" <<<"$v"
h_check "low: an availabilityLow(5) row in tslcdAlarmTable" \
	bash -c "snmpwalk -v2c -c public -On udp:127.0.0.1:$H_PORT $R.1.6.1.2 | grep -q 'INTEGER: 5'"

# The line comes up; after as long again the office is above 50 %.
t_listen "$PORT"
h_check "tslcdAvailabilityCleared arrives" t_wait_trap 10 1 600
v=$(t_trap 10)
h_check "cleared: office code varbind" grep -qF "$R.1.2.1.2.10 = STRING: \"HN-BD\"" <<<"$v"
h_check "cleared: severity cleared(1)" grep -qF "$R.1.7.2.0 = INTEGER: 1" <<<"$v"
val=$(grep -F "$R.1.7.3.0 = " <<<"$v" | sed -E 's/.*: //')
h_check "cleared: value at or above 500000 ppm (${val})" [ "${val:-0}" -ge 500000 ]
h_check "cleared: the alarm row is gone" \
	bash -c "! snmpwalk -v2c -c public -On udp:127.0.0.1:$H_PORT $R.1.6.1.2 | grep -q 'INTEGER: 5'"
h_expect_eq "exactly one raise and one clear" "1 1" "$(t_count_exact 9) $(t_count_exact 10)"

h_done
