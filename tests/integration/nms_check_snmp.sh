#!/usr/bin/env bash
# Nagios/Icinga: the command definitions shipped in
# integrations/nagios/tslcd-commands.cfg, expanded the way Nagios expands
# them, run the real check_snmp (monitoring-plugins-standard) against the
# live agent: OK, WARNING and CRITICAL in the three situations, and an
# office in maintenance never CRITICAL.  Also reads the tool-friendly twin
# columns (office code and name on line rows, ASCII names, texts).
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/traps.sh"
. "$(dirname "$0")/../lib/nms.sh"
h_setup

CFG=$H_TOP/integrations/nagios/tslcd-commands.cfg
PLUGINS=/usr/lib/nagios/plugins
UP=$(h_free_port)
FLIP=$(h_free_port)
CLOSED=$(h_free_port)
# A maintenance window around now, a day each way whatever the time zone.
from=$(date -d '-1 day' +%Y-%m-%dT%H:%M)
to=$(date -d '+1 day' +%Y-%m-%dT%H:%M)
tcp() { nms_tcp "$@"; }
cat >"$H_TMP/tslcd.conf" <<CONF
$(nms_conf_head)
$(nms_office_bn "$UP")
office { id = 11  code = "BN-SO"  name = "Sở Khoa học và Công nghệ"  level = province  province = "27"
	required-lines = 2
	line { id = 1  carrier = vnpt  circuit = "VNPT-BN-2"  $(tcp "$UP") }
	line { id = 2  carrier = viettel  circuit = "VT-BN-3"  $(tcp "$CLOSED") } }
office { id = 12  code = "BN-X1"  name = "UBND xã Đông Tiến"  level = commune  province = "27"  commune = "09340"
	line { id = 1  carrier = viettel  circuit = "VT-BN-4"  $(tcp "$CLOSED") } }
office { id = 13  code = "BN-X2"  name = "UBND xã Yên Phụ"  level = commune  province = "27"  commune = "09340"
	maintenance = {"once $from $to"}
	line { id = 1  carrier = vnpt  circuit = "VNPT-BN-5"  $(tcp "$CLOSED") } }
office { id = 14  code = "BN-X3"  name = "UBND xã Hòa Long"  level = commune  province = "27"  commune = "09340"
	line { id = 1  carrier = vnpt  circuit = "VNPT-BN-6"  $(tcp "$FLIP") } }
CONF

# command_line of a command_name, with the macros Nagios fills in.
nagios_cmd() { # NAME ARG1 [ARG2 ...]
	local line i=1
	line=$(awk -v n="$1" '$1 == "command_name" && $2 == n { f = 1 }
		f && $1 == "command_line" { sub(/^[ \t]*command_line[ \t]+/, ""); print; exit }' "$CFG")
	shift
	line=${line//'$USER1$'/$PLUGINS}
	line=${line//'$HOSTADDRESS$'/127.0.0.1}
	line=${line//'$_HOSTSNMPPORT$'/$H_PORT}
	line=${line//'$_HOSTSNMPCOMMUNITY$'/public}
	for a in "$@"; do
		line=${line//"\$ARG$i\$"/$a}
		i=$((i + 1))
	done
	echo "$line"
}
# Runs it; prints "RC first-line-of-output".
run_check() {
	local out rc
	out=$(eval "$(nagios_cmd "$@")" 2>&1)
	rc=$?
	echo "$rc ${out%%$'\n'*}"
}
expect_state() { # DESCRIPTION RC COMMAND ARGS...
	local what=$1 want=$2 got
	shift 2
	got=$(run_check "$@")
	if [ "${got%% *}" = "$want" ]; then h_pass "$what: ${got#* }"; else h_fail "$what: want rc $want, got '$got'"; fi
}
R=$T_ROOT
get() { nms_get "$@"; }
status_is() { [ "$(get "$R.1.2.1.13.$1")" = "$2" ]; }

t_listen "$UP"
UPL=$T_LISTENER
t_listen "$FLIP"
h_start_master || exit 1
h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent served"; h_done; exit 1; }
h_check "offices reach their states" h_wait_for 150 eval \
	'status_is 10 2 && status_is 11 3 && status_is 12 4 && status_is 13 5 && status_is 14 2'
line_down() { [ "$(get "$R.1.3.1.12.11.2")" = 4 ]; }
avail_known() { [ -n "$(get "$R.1.2.1.42.10")" ] && [ -n "$(get "$R.1.2.1.42.12")" ]; }
h_check "line 11.2 is down" h_wait_for 100 line_down
h_check "24 h availability is known" h_wait_for 150 avail_known

expect_state "office up: OK" 0 check_tslcd_office_status 10
expect_state "office degraded: WARNING" 1 check_tslcd_office_status 11
expect_state "office isolated: CRITICAL" 2 check_tslcd_office_status 12
expect_state "office in maintenance: WARNING, not CRITICAL" 1 check_tslcd_office_status 13
expect_state "line up: OK" 0 check_tslcd_line_status 11 1
expect_state "line down: CRITICAL" 2 check_tslcd_line_status 11 2
expect_state "line in maintenance: WARNING, not CRITICAL" 1 check_tslcd_line_status 13 1
expect_state "availability 100 % (99.5/99): OK" 0 check_tslcd_office_availability 10 99.5 99
expect_state "availability 0 % (99.5/99): CRITICAL" 2 check_tslcd_office_availability 12 99.5 99
expect_state "loss 0 % (5/20): OK" 0 check_tslcd_line_loss 11 1 5 20
expect_state "loss 100 % (5/20): CRITICAL" 2 check_tslcd_line_loss 11 2 5 20
expect_state "self-check not configured: OK" 0 check_tslcd_monitoring
h_expect_eq "availability read in percent" "0 SNMP OK - office 10 availability 24 h 100 %" \
	"$(run_check check_tslcd_office_availability 10 99.5 99 | sed 's/ |.*//')"

# Office 14 was up for a while; its line goes down, so its 24 h availability
# falls through the warning band (between 99 % and 50 %) for some seconds.
sleep 6
t_unlisten
falling() { local v; v=$(get "$R.1.2.1.42.14"); [ -n "$v" ] && [ "$v" -lt 9900 ] && [ "$v" -gt 5000 ]; }
h_check "office 14 availability falls below 99 %" h_wait_for 100 falling
expect_state "availability between 50 and 99 % (99/50): WARNING" 1 \
	check_tslcd_office_availability 14 99 50

# The twins generic tools read.
h_expect_eq "line row carries office code, name, ASCII name" \
	"BN-UB|Ủy ban nhân dân tỉnh Bắc Ninh|Uy ban nhan dan tinh Bac Ninh" \
	"$(h_get_str "$R.1.3.1.60.10.1")|$(h_get_str "$R.1.3.1.61.10.1")|$(h_get_str "$R.1.3.1.62.10.1")"
h_expect_eq "office ASCII name and status text" "So Khoa hoc va Cong nghe degraded" \
	"$(h_get_str "$R.1.2.1.40.11") $(h_get_str "$R.1.2.1.41.11")"
h_expect_eq "carrier, status and target as text" "Viettel down 127.0.0.1" \
	"$(h_get_str "$R.1.3.1.63.11.2") $(h_get_str "$R.1.3.1.64.11.2") $(h_get_str "$R.1.3.1.65.11.2")"
h_expect_eq "loss and availability in hundredths (100.00 %, 100.00 %)" "10000 10000" \
	"$(get "$R.1.3.1.66.11.2") $(get "$R.1.3.1.67.10.1")"
h_done
