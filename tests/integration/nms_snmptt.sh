#!/usr/bin/env bash
# SNMPTT: snmptrapd hands the agent's real notifications to Debian's snmptt
# (standalone mode, traphandle) with integrations/snmptt/tslcd.snmptt.conf
# (checked to be what regen.sh generates from the MIB's hints) and the ini
# changes integrations/snmptt/README.md tells the operator to make.
# lineDown, officeIsolated and their clears come out as readable
# lines with the right severity, in ASCII (snmptt strips UTF-8 bytes) —
# and in Vietnamese with the README's alternative FORMAT.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/traps.sh"
. "$(dirname "$0")/../lib/nms.sh"
h_setup

DIR=$H_TOP/integrations/snmptt
bash "$DIR/regen.sh" "$H_TMP/regen.conf" >/dev/null 2>"$H_TMP/regen.log"
h_check "tslcd.snmptt.conf is what regen.sh makes of the MIB's hints" \
	diff -u "$DIR/tslcd.snmptt.conf" "$H_TMP/regen.conf"
h_check "tslcd.snmptt.vi.conf too" diff -u "$DIR/tslcd.snmptt.vi.conf" "$H_TMP/regen.vi.conf"
PORT=$(h_free_port)
cat >"$H_TMP/tslcd.conf" <<CONF
$(nms_conf_head)
notify { rate = 20 burst = 50  alarm redundancyNonCompliant { enable = false }
	alarm lineDown { severity = critical } }
$(nms_office_bn "$PORT")
CONF

# The operator's ini: Debian's, with the keys the README lists changed.
snmptt_ini() { # INI-FILE CONF-FILE LOG-FILE
	sed -e "s|^log_file = .*|log_file = $3|" -e 's|^log_format = .*|log_format = $s $N: $Fz|' \
		-e 's|^syslog_enable = .*|syslog_enable = 0|' \
		-e 's|^syslog_system_enable = .*|syslog_system_enable = 0|' \
		-e '/^snmptt_conf_files = <<END/,/^END/c\snmptt_conf_files = <<END\n'"$2"'\nEND' \
		/etc/snmp/snmptt.ini >"$1"
}
snmptt_ini "$H_TMP/snmptt.ini" "$DIR/tslcd.snmptt.conf" "$H_TMP/snmptt.log"
# Vietnamese: the .vi.conf, its EXEC helper where this checkout has it.
sed "s|/usr/local/lib/tslcd/tslcd-snmptt-vi|$DIR/tslcd-snmptt-vi|" "$DIR/tslcd.snmptt.vi.conf" \
	>"$H_TMP/tslcd.snmptt.vi.conf"
snmptt_ini "$H_TMP/snmptt-vi.ini" "$H_TMP/tslcd.snmptt.vi.conf" "$H_TMP/snmptt-vi.log"

# snmptrapd loads no MIB, so a UTF-8 text reaches snmptt as a Hex-STRING,
# which tslcd-snmptt-vi decodes (snmptt would strip UTF-8 bytes).
t_listen "$PORT"
# (snmptt 1.5's Perl warnings go to a file, not into the test's output.)
TSLCD_SNMPTT_VI_LOG=$H_TMP/vi.log h_start_trapd \
	"traphandle default /usr/sbin/snmptt --ini=$H_TMP/snmptt.ini 2>>$H_TMP/snmptt.err" \
	"traphandle default /usr/sbin/snmptt --ini=$H_TMP/snmptt-vi.ini 2>>$H_TMP/snmptt.err"
h_start_master || exit 1
h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent served"; h_done; exit 1; }
line_up() { [ "$(nms_get "$T_ROOT.1.3.1.12.10.1")" = 2 ]; }
h_check "line comes up" h_wait_for 100 line_up
t_unlisten
h_check "lineDown and officeIsolated arrive" h_wait_for 150 t_wait_trap 3
t_listen "$PORT"
h_check "lineUp and officeRestored arrive" h_wait_for 150 t_wait_trap 4
lines() { [ "$(wc -l <"$1" 2>/dev/null || echo 0)" -ge 4 ]; }
h_check "snmptt logged four lines" h_wait_for 100 lines "$H_TMP/snmptt.log"
h_check "snmptt (Vietnamese) logged four lines" h_wait_for 100 lines "$H_TMP/vi.log"

# snmptt's own prefix is the date; the rest is ours.
T="Line 1 (VNPT VNPT-BN-1) of BN-UB"
O="Office BN-UB"
# lineDown is configured critical (its default is major): snmptt follows
# tslcdNotifySeverity; officeIsolated keeps its default, critical.
h_expect_eq "ASCII lines, severity as the agent raised it" \
	"Critical tslcdLineDown: TSLCD Line Down: $T Uy ban nhan dan tinh Bac Ninh is down: 2 failed probe rounds (limit 2)
Critical tslcdOfficeIsolated: TSLCD Office Isolated: $O Uy ban nhan dan tinh Bac Ninh is isolated: none of its 1 line(s) works
Normal tslcdLineUp: TSLCD Line Up: $T Uy ban nhan dan tinh Bac Ninh is up again
Normal tslcdOfficeRestored: TSLCD Office Restored: $O Uy ban nhan dan tinh Bac Ninh is restored: 1 line(s) up (now up)" \
	"$(sed -E 's/^.* [0-9]{4} (Normal|Warning|Minor|Major|Critical) /\1 /' "$H_TMP/snmptt.log")"
N="Ủy ban nhân dân tỉnh Bắc Ninh"
h_expect_eq "Vietnamese lines through the EXEC helper" \
	"Critical tslcdLineDown: $T $N is down: 2 failed probe rounds (limit 2)
Critical tslcdOfficeIsolated: $O $N is isolated: none of its 1 line(s) works
Normal tslcdLineUp: $T $N is up again
Normal tslcdOfficeRestored: $O $N is restored: 1 line(s) up (now up)" \
	"$(cut -d' ' -f3- "$H_TMP/vi.log")"
h_done
