#!/usr/bin/env bash
# Prometheus: integrations/prometheus/snmp.yml is what the generator makes
# of generator.yml (offline, base MIBs from tests/mib/base-mibs.sh); the
# real prometheus-snmp-exporter on a loopback port scrapes the live agent
# and its metrics carry the values and the labels (office code and ASCII
# name, carrier, circuit); the alert rules pass `promtool test rules`.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/traps.sh"
. "$(dirname "$0")/../lib/nms.sh"
h_setup

DIR=$H_TOP/integrations/prometheus
bash "$DIR/regen.sh" "$H_TMP/snmp.yml" >/dev/null 2>"$H_TMP/regen.log"
h_check "snmp.yml is what generator.yml generates" diff -u "$DIR/snmp.yml" "$H_TMP/snmp.yml"
h_check "snmp_exporter accepts snmp.yml" \
	bash -c "prometheus-snmp-exporter --config.file='$DIR/snmp.yml' --dry-run >'$H_TMP/dry-run.log' 2>&1"
h_check "alert rules pass promtool test rules" \
	bash -c "cd '$DIR' && promtool test rules alerts_test.yml >'$H_TMP/promtool.log' 2>&1"

UP=$(h_free_port)
CLOSED=$(h_free_port)
cat >"$H_TMP/tslcd.conf" <<CONF
$(nms_conf_head)
$(nms_office_bn "$UP")
office { id = 12  code = "BN-X1"  name = "UBND xã Đông Tiến"  level = commune  province = "27"  commune = "09340"
	line { id = 1  carrier = viettel  circuit = "VT-BN-4"  $(nms_tcp "$CLOSED") } }
CONF
t_listen "$UP"
h_start_master || exit 1
h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent served"; h_done; exit 1; }
R=$T_ROOT
ready() { [ "$(nms_get $R.1.2.1.13.12)" = 4 ] && [ -n "$(nms_get $R.1.2.1.42.10)" ]; }
h_check "office 12 isolated, availability known" h_wait_for 150 ready

EXP=$(h_free_port)
prometheus-snmp-exporter --config.file="$DIR/snmp.yml" --web.listen-address="127.0.0.1:$EXP" \
	>"$H_TMP/exporter.log" 2>&1 &
H_PIDS+=($!)
scrape() { curl -sf --max-time 20 "http://127.0.0.1:$EXP/snmp?module=tslcd&target=127.0.0.1:$H_PORT" >"$H_TMP/scrape.txt"; }
h_check "exporter scrapes the agent" h_wait_for 50 scrape
metric() { grep -F "$1" "$H_TMP/scrape.txt" | grep -v '^#'; }
L='tslcdLineCarrierText="VNPT",tslcdLineCircuitId="VNPT-BN-1",tslcdLineId="1",tslcdOfficeCode="BN-UB",tslcdOfficeId="10",tslcdOfficeNameAscii="Uy ban nhan dan tinh Bac Ninh"'
h_expect_eq "line status with office code, ASCII name, carrier, circuit" \
	"tslcdLineOperStatus{$L} 2" "$(metric "tslcdLineOperStatus{$L}")"
h_expect_eq "line availability 24 h in hundredths" "tslcdLineAvail24hPct{$L} 10000" \
	"$(metric "tslcdLineAvail24hPct{$L}")"
h_expect_eq "office isolated, with code and ASCII name" \
	'tslcdOfficeOperStatus{tslcdOfficeCode="BN-X1",tslcdOfficeId="12",tslcdOfficeNameAscii="UBND xa Dong Tien"} 4' \
	"$(metric 'tslcdOfficeOperStatus{' | grep 'Id="12"')"
h_expect_eq "line down: loss 100.00 %" "10000" \
	"$(metric 'tslcdLineLossPct{' | grep 'tslcdOfficeId="12"' | awk '{print $NF}')"
h_expect_eq "offices isolated (scalar)" "tslcdOfficesIsolated 1" "$(metric 'tslcdOfficesIsolated ')"
h_expect_eq "self-check off: notConfigured(1); no nodes" "tslcdMonitoringState 1
tslcdNodesTotal 0" "$(metric 'tslcdMonitoringState '; metric 'tslcdNodesTotal ')"
h_check "rates are typed gauges" grep -q '^# TYPE tslcdLineInBps gauge' <(
	grep -A2 'name: tslcdLineInBps$' "$DIR/snmp.yml" | sed -n 's/.*type: \(.*\)/# TYPE tslcdLineInBps \1/p')
h_done
