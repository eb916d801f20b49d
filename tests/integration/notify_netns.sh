#!/usr/bin/env bash
# Notifications from a real link: an "office" in a network namespace behind
# a veth pair (198.18.0.0/15).  Link down/up gives lineDown/lineUp and
# officeIsolated/officeRestored; 40 % packet loss (nftables inside the
# namespace) gives lineDegraded, removing it lineDegradedCleared.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/traps.sh"
h_setup

h_require_netns
NS=tslcd-nt-$$
h_netns_office "$NS" 41 || { h_fail "namespace set up"; h_done; exit 1; }
HOSTIF=$H_NETNS_HOSTIF

cat >"$H_TMP/tslcd.conf" <<CONF
agent { control-socket = ""  state-dir = "$H_TMP" }
probe { interval = 1 count = 10 spacing = 20 timeout = 300 down-after = 2 up-after = 1
        degrade-after = 2 degrade-clear-after = 2 loss-raise = 20 loss-clear = 5 }
notify { alarm redundancyNonCompliant { enable = false } }
office {
	id = 20
	code = "BN-X41"
	name = "UBND Xa Thu Nghiem"
	level = province
	line { id = 1  carrier = viettel  circuit = "VT-BN-41"  bandwidth = 10000
	       probe = icmp  target = "198.18.41.2" }
}
CONF

R=$T_ROOT
line_status() { h_snmp snmpget -Oqv "$R.1.3.1.12.20.1" 2>/dev/null; }
line_up() { [ "$(line_status)" = 2 ]; }

h_start_trapd
h_start_master || exit 1
h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent served"; h_done; exit 1; }
h_check "line comes up" h_wait_for 100 line_up

# Common head of this line's notifications, then the status.
head_vbs() { t_line_vbs 20 1 BN-X41 "UBND Xa Thu Nghiem" 3 VT-BN-41 "$1"; }

ip link set "$HOSTIF" down
h_check "lineDown on link down" t_wait_trap 1
h_check "officeIsolated on link down" t_wait_trap 3
h_expect_eq "lineDown varbinds" "$(head_vbs 4)
$(t_alarm_vbs 4 2 2 1 "Line 1 (Viettel VT-BN-41) of BN-X41 UBND Xa Thu Nghiem is down: 2 failed probe rounds (limit 2)")" \
	"$(t_trap 1)"
h_expect_eq "officeIsolated: status isolated, severity critical, value 0, threshold 1, seq 2" \
	"$(t_office_vbs 20 BN-X41 "UBND Xa Thu Nghiem" 4)
$(t_alarm_vbs 3 0 1 2)" "$(t_trap 3 | head -n 7)"

ip link set "$HOSTIF" up
h_check "lineUp on link up" t_wait_trap 2
h_check "officeRestored on link up" t_wait_trap 4
h_expect_eq "lineUp varbinds" "$(head_vbs 2)
$(t_alarm_vbs 1 1 1 3 "Line 1 (Viettel VT-BN-41) of BN-X41 UBND Xa Thu Nghiem is up again")" \
	"$(t_trap 2)"
h_expect_eq "officeRestored: status up, cleared, 1 line up, seq 4" \
	"$(t_office_vbs 20 BN-X41 "UBND Xa Thu Nghiem" 2)
$(t_alarm_vbs 1 1 1 4)" "$(t_trap 4 | head -n 7)"

h_netns_loss "$NS" 40
h_check "lineDegraded under 40 % loss" t_wait_trap 5 1 300
deg=$(t_trap 5)
h_expect_eq "lineDegraded head, severity minor, threshold 20 %, seq 5" "$(head_vbs 3)
$R.1.7.2.0 = INTEGER: 5
$R.1.7.4.0 = INTEGER: 200000
$R.1.7.1.0 = Gauge32: 5" "$(grep -v -e "$R.1.7.3.0 " -e "$R.1.7.5.0 " <<<"$deg")"
val=$(grep -F "$R.1.7.3.0 = " <<<"$deg" | sed -E 's/.*: //')
h_check "lineDegraded value is the loss that crossed, in ppm ($val)" \
	test "$val" -ge 200000 -a "$val" -le 900000
# The text says percent, as the NOC reads it (ppm 400000 -> "40 %").
pct() { if [ $(($1 % 10000)) -eq 0 ]; then echo "$(($1 / 10000)) %"; else printf '%d.%02d %%' $(($1 / 10000)) $(($1 % 10000 / 100)); fi; }
h_check "lineDegraded text names the metric in percent" \
	grep -qF "is degraded: loss $(pct "$val") (raise at 20 %)" <<<"$deg"
h_expect_eq "alarm table: lineDegraded (minor)" "3 20 1 5 $val 200000" "$(t_alarm_rows | grep -v '^9 ')"

h_netns_loss "$NS" 0
h_check "lineDegradedCleared when the loss stops" t_wait_trap 6 1 300
h_expect_eq "lineDegradedCleared varbinds" "$(head_vbs 2)
$(t_alarm_vbs 1 0 50000 6 "Line 1 (Viettel VT-BN-41) of BN-X41 UBND Xa Thu Nghiem is no longer degraded: loss 0 % (clear at 5 %)")" \
	"$(t_trap 6)"
h_expect_eq "alarm table empty" "" "$(t_alarm_rows | grep -v '^9 ')"
h_stop_agent # before the namespace goes
t_keep
h_done
