#!/usr/bin/env bash
# Prometheus: integrations/prometheus/snmp.yml is what the generator makes
# of generator.yml (offline, base MIBs from tests/mib/base-mibs.sh); the
# real prometheus-snmp-exporter on a loopback port scrapes the live agent
# and its metrics carry the values and the labels (office code and ASCII
# name, carrier, circuit); the alert rules pass `promtool test rules`.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
h_setup

DIR=$H_TOP/integrations/prometheus
bash "$DIR/regen.sh" "$H_TMP/snmp.yml" >/dev/null 2>"$H_TMP/regen.log"
h_check "snmp.yml is what generator.yml generates" diff -u "$DIR/snmp.yml" "$H_TMP/snmp.yml"
h_check "snmp_exporter accepts snmp.yml" \
	prometheus-snmp-exporter --config.file="$DIR/snmp.yml" --dry-run
h_check "alert rules pass promtool test rules" \
	bash -c "cd '$DIR' && promtool test rules alerts_test.yml >'$H_TMP/promtool.log' 2>&1"

UP=$(h_free_port)
CLOSED=$(h_free_port)
tcp() { echo "bandwidth = 20000  probe = tcp  target = \"127.0.0.1\"  port = $1"; }
cat >"$H_TMP/tslcd.conf" <<CONF
agent { control-socket = ""  state-dir = "$H_TMP" }
probe { interval = 1 count = 1 timeout = 300 down-after = 2 up-after = 1 }
office { id = 10  code = "BN-UB"  name = "Ủy ban nhân dân tỉnh Bắc Ninh"  level = province  province = "27"
	line { id = 1  carrier = vnpt  circuit = "VNPT-BN-1"  $(tcp "$UP") } }
office { id = 12  code = "BN-X1"  name = "UBND xã Đông Tiến"  level = commune  province = "27"  commune = "09340"
	line { id = 1  carrier = viettel  circuit = "VT-BN-4"  $(tcp "$CLOSED") } }
CONF
python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(64)
while True:
    c, _ = s.accept(); c.close()
' "$UP" &
H_PIDS+=($!)
h_start_master || exit 1
h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent served"; h_done; exit 1; }
get() { h_snmp snmpget -Oqv "$1" 2>/dev/null | grep -v '^No Such'; }
R=.1.3.6.1.4.1.8072.9999.9999.84
ready() { [ "$(get $R.1.2.1.13.12)" = 4 ] && [ -n "$(get $R.1.2.1.42.10)" ]; }
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
h_check "rates are typed gauges" grep -q '^# TYPE tslcdLineInBps gauge' <(
	grep -A2 'name: tslcdLineInBps$' "$DIR/snmp.yml" | sed -n 's/.*type: \(.*\)/# TYPE tslcdLineInBps \1/p')
h_done
