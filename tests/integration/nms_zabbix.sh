#!/usr/bin/env bash
# Zabbix 6.0: integrations/zabbix/tslcd_template.yaml is what gen-template
# makes of the MIB; a real Zabbix (PostgreSQL, zabbix_server, the frontend's
# API under PHP's web server, all on loopback) imports it, polls the live
# agent through a host with an SNMPv2 interface, discovers offices and lines
# (and a node) with readable names, gets their values, raises the right problems (a line
# taken down; an isolated office without its lines' problems; a loss problem
# held back by its dependency on the line being down), receives a trap, and
# has no item "not supported" although some values are absent.
# Heavy (about 2 min, a PostgreSQL): run only with ZABBIX=1 (make check-zabbix).
set -uo pipefail
if [ "${ZABBIX:-0}" != 1 ]; then
	echo "nms_zabbix: skipped (heavy; ZABBIX=1 or make check-zabbix runs it)"
	echo "nms_zabbix: 0 passed, 0 failed"
	exit 0
fi
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/traps.sh"
. "$(dirname "$0")/../lib/nms.sh"
. "$(dirname "$0")/../lib/zabbix.sh"
h_setup

DIR=$H_TOP/integrations/zabbix
python3 "$DIR/gen-template" >"$H_TMP/template.yaml" 2>"$H_TMP/gen.log"
h_check "tslcd_template.yaml is what gen-template generates" \
	diff -u "$DIR/tslcd_template.yaml" "$H_TMP/template.yaml"

# The database first: it takes the longest, and runs while the agent settles.
# (Any failure to start is fatal: nothing after it could pass.)
fatal() { h_fail "$1"; tail -n 20 "$H_TMP"/pg/postgres.log 2>/dev/null; h_done; exit 1; }
z_start_db || fatal "PostgreSQL started, Zabbix schema imported"
h_pass "PostgreSQL started, Zabbix schema imported"

UP=$(h_free_port)
FLIP=$(h_free_port)
CLOSED=$(h_free_port)
cat >"$H_TMP/tslcd.conf" <<CONF
$(nms_conf_head)
node { id = 7  name = "PoP Bắc Ninh"  carrier = vnpt  targets = {"127.0.0.1"}  probe = tcp  port = $UP }
$(nms_office_bn "$UP")
office { id = 11  code = "BN-SO"  name = "Sở Khoa học và Công nghệ"  level = province  province = "27"
	required-lines = 2
	line { id = 1  carrier = vnpt  circuit = "VNPT-BN-2"  $(nms_tcp "$UP") }
	line { id = 2  carrier = viettel  circuit = "VT-BN-3"  $(nms_tcp "$FLIP") } }
office { id = 12  code = "BN-X1"  name = "UBND xã Đông Tiến"  level = commune  province = "27"  commune = "09340"
	line { id = 1  carrier = viettel  circuit = "VT-BN-4"  $(nms_tcp "$CLOSED") } }
CONF
t_listen "$UP"
t_listen "$FLIP"
FLIP_PID=$T_LISTENER
# snmptrapd hands every trap to zbx-traphandle, which writes what Zabbix's
# SNMP trapper reads (README's steps).
TRAPPORT=$(h_free_port)
z_start_server
printf 'disableAuthorization yes\ntraphandle default %s %s\n' "$DIR/zbx-traphandle" "$Z_TRAPS" \
	>"$H_TMP/snmptrapd.conf"
snmptrapd -f -C -c "$H_TMP/snmptrapd.conf" -X -n -On -Lf "$H_TMP/snmptrapd.log" -p "$H_TMP/trapd.pid" \
	"udp:127.0.0.1:$TRAPPORT" &
H_PIDS+=($!)
h_start_master "trap2sink 127.0.0.1:$TRAPPORT public" || exit 1
h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent served"; h_done; exit 1; }
z_start_web
h_wait_for 300 z_login || fatal "Zabbix API answers, Admin logs in"
h_pass "Zabbix API answers, Admin logs in"

api() { z_api "$@" 2>>"$H_TMP/api.log"; }
src=$(python3 -c 'import json, sys; print(json.dumps(open(sys.argv[1]).read()))' "$DIR/tslcd_template.yaml")
h_check "configuration.import takes the template" api configuration.import '{"format": "yaml",
	"source": '"$src"', "rules": {"templates": {"createMissing": true, "updateExisting": true},
	"groups": {"createMissing": true}, "items": {"createMissing": true, "updateExisting": true},
	"discoveryRules": {"createMissing": true, "updateExisting": true},
	"triggers": {"createMissing": true, "updateExisting": true},
	"valueMaps": {"createMissing": true, "updateExisting": true}}}'
TPL=$(api template.get '{"filter": {"host": "TSLCD agent SNMP"}}' | z_py 'r[0]["templateid"]')
GRP=$(api hostgroup.create '{"name": "TSLCD"}' | z_py 'r["groupids"][0]')
HOST=$(api host.create '{"host": "tslcd-bac-ninh", "groups": [{"groupid": "'"$GRP"'"}],
	"templates": [{"templateid": "'"$TPL"'"}],
	"interfaces": [{"type": 2, "main": 1, "useip": 1, "ip": "127.0.0.1", "dns": "",
		"port": "'"$H_PORT"'", "details": {"version": 2, "bulk": 1, "community": "public"}}],
	"macros": [{"macro": "{$TSLCD.INTERVAL}", "value": "3s"},
		{"macro": "{$TSLCD.LLD.INTERVAL}", "value": "5s"},
		{"macro": "{$TSLCD.ALARM.INTERVAL}", "value": "5s"},
		{"macro": "{$TSLCD.PERIOD}", "value": "15s"},
		{"macro": "{$TSLCD.LOSS.WARN}", "value": "1"}]}' | z_py 'r["hostids"][0]')
h_check "host with an SNMPv2 interface, template linked" test -n "$HOST"

# The item whose key is KEY: its last value ("" when none yet), its name.
item() { api item.get '{"hostids": "'"$HOST"'", "filter": {"key_": '"$(z_json "$1")"'}, "output": ["lastvalue", "lastclock", "name"]}'; }
value() { item "$1" | z_py '(r[0]["lastvalue"] if r and r[0]["lastclock"] != "0" else "")'; }
name() { item "$1" | z_py 'r[0]["name"] if r else ""'; }
lines_found() { [ "$(api item.get '{"hostids": "'"$HOST"'", "search": {"key_": "tslcd.line.status["}, "countOutput": true}' | z_py r)" = 4 ]; }
h_check "discovery finds the 4 lines" h_wait_for 900 lines_found
has_values() { [ -n "$(value 'tslcd.line.status[10.1]')" ] && [ -n "$(value 'tslcd.office.status[12]')" ] &&
	[ -n "$(value 'tslcd.office.avail24h[10]')" ] && [ -n "$(value 'tslcd.line.loss[12.1]')" ]; }
h_check "items get values" h_wait_for 900 has_values
h_expect_eq "office named by code and ASCII name" "Office BN-X1 UBND xa Dong Tien: status" \
	"$(name 'tslcd.office.status[12]')"
h_expect_eq "line named by office code, id, carrier, circuit" "Line BN-SO/2 Viettel VT-BN-3: status" \
	"$(name 'tslcd.line.status[11.2]')"
h_expect_eq "node named by id and ASCII name" "Node 7 PoP Bac Ninh: status" "$(name 'tslcd.node.status[7]')"
h_expect_eq "value map from the MIB: line status 4 is down" "down" "$(api item.get '{"hostids": "'"$HOST"'",
	"filter": {"key_": "tslcd.line.status[11.2]"}, "selectValueMap": "extend"}' |
	z_py '[m["newvalue"] for m in r[0]["valuemap"]["mappings"] if m["value"] == "4"][0]')"
h_expect_eq "line 10.1 up, office 12 isolated (value-mapped numbers)" "2 4" \
	"$(value 'tslcd.line.status[10.1]') $(value 'tslcd.office.status[12]')"
h_expect_eq "availability 24 h of office 10 in percent" "100" "$(value 'tslcd.office.avail24h[10]')"
h_expect_eq "loss of the down line 12.1 in percent" "100" "$(value 'tslcd.line.loss[12.1]')"
rtt=$(value 'tslcd.line.rtt[10.1]')
h_check "RTT of line 10.1 in seconds, under 1 s ($rtt)" python3 -c "import sys; sys.exit(not 0 <= float('${rtt:-x}') < 1)"
h_expect_eq "carrier text becomes a tag" "Viettel" "$(api item.get '{"hostids": "'"$HOST"'",
	"filter": {"key_": "tslcd.line.status[12.1]"}, "selectTags": "extend"}' |
	z_py '[t["value"] for t in r[0]["tags"] if t["tag"] == "carrier"][0]')"

problems() { api problem.get '{"hostids": "'"$HOST"'", "output": ["name"]}' | z_py '"\n".join(sorted(p["name"] for p in r))'; }
has_problem() { problems | grep -qxF "$1"; }
h_check "office 12 isolated is a problem" h_wait_for 300 has_problem "Office BN-X1 UBND xa Dong Tien is isolated"

# Line 11.2 goes down: its TCP port closes.
kill "$FLIP_PID"
closed_at=$SECONDS
h_check "line 11.2 down is a problem" h_wait_for 600 has_problem "Line BN-SO/2 Viettel VT-BN-3 is down"
h_check "office 11 degraded is a problem" h_wait_for 300 has_problem "Office BN-SO So Khoa hoc va Cong nghe is degraded"
lossy() { python3 -c "import sys; sys.exit(not float('${1:-0}') > 1)"; }
h_check "loss of line 11.2 above the 1 % macro" h_wait_for 300 eval 'lossy "$(value "tslcd.line.loss[11.2]")"'
# Loss stays above 1 % for the 15 s of {$TSLCD.PERIOD}, with time to evaluate.
sleep $((closed_at + 25 - SECONDS > 0 ? closed_at + 25 - SECONDS : 0))
p=$(problems)
printf '%s\n' "$p" >"$H_TMP/problems.log"
absent() { ! grep -qF "$1" <<<"$p"; }
h_check "no loss problem for 11.2: it depends on the line being down" absent "BN-SO/2 Viettel VT-BN-3: loss"
h_check "no line problem for 12.1: its office is isolated" absent "BN-X1/1"
h_check "no problem for office 10" absent "BN-UB"

trap_seen() { value 'snmptrap["\b(tslcdLineDown|tslcdLineUp)\b|\.8072\.9999\.9999\.84\.0\.(1|2)\b"]' | grep -qF "VT-BN-3"; }
h_check "tslcdLineDown trap of line 11.2 reaches its trap item" h_wait_for 300 trap_seen

unsupported=$(api item.get '{"hostids": "'"$HOST"'", "filter": {"state": 1}, "output": ["key_", "error"]}')
printf '%s\n' "$unsupported" >"$H_TMP/unsupported.log"
h_expect_eq "no item is not supported" 0 "$(z_py 'len(r)' <<<"$unsupported")"
h_expect_eq "absent RTT of the down line: no value, still supported" "" "$(value 'tslcd.line.rtt[12.1]')"
h_expect_eq "outage named by office, line and number" "Outage 12/1 #1: state" "$(name 'tslcd.outage.state[12.1.1]')"
h_check "alarm named by its type from the MIB" grep -qF '"name": "Alarm #' <<<"$(api item.get '{"hostids": "'"$HOST"'",
	"search": {"name": "officeIsolated 12/0: severity"}, "output": ["name"]}')"
keys=$(api item.get '{"hostids": "'"$HOST"'", "output": ["key_"]}')
for k in tslcd.office.readiness tslcd.line.in.p95 tslcd.outage.state tslcd.alarm.severity; do
	h_check "discovered: ${k}[...]" grep -qF "\"${k}[" <<<"$keys"
done
h_done
