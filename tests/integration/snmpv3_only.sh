#!/usr/bin/env bash
# The MIB exposed through the master with SNMPv3 authPriv only (README,
# "SNMPv3 only"): an authPriv user reads the tables; v1 and v2c (no
# community is configured), noAuthNoPriv, authNoPriv and wrong keys are all
# refused.  The agent needs no change for this: access control is the
# master's, which is why it is configured there.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
h_setup

R=.1.3.6.1.4.1.8072.9999.9999.84
USER=tslcdnms
AUTH="tslcd-auth-2026!"
PRIV="tslcd-priv-2026!"
V3=(-v3 -l authPriv -u "$USER" -a SHA -A "$AUTH" -x AES -X "$PRIV" -On -t 2 -r 1)

cat >"$H_TMP/tslcd.conf" <<CONF
agent { control-socket = ""  state-dir = "$H_TMP" }
office { id = 12  code = "BN-TU"  name = "Tỉnh ủy Bắc Ninh"  level = province
	line { id = 1  carrier = vnpt  bandwidth = 100000  probe = none } }
CONF

# The harness master always has a v2c community; this one must not.
h_start_master_v3() {
	H_PORT=${H_PORT:-$(h_free_port)}
	cat >"$H_TMP/snmpd.conf" <<CONF
master agentx
agentXSocket unix:$H_SOCK
agentXPerms 0660 0750
agentXTimeout 5
agentXRetries 1
createUser $USER SHA "$AUTH" AES "$PRIV"
rouser -s usm $USER priv -V tslcd
view tslcd included $R
CONF
	mkdir -p "$H_TMP/snmpd-persist"
	SNMP_PERSISTENT_DIR=$H_TMP/snmpd-persist snmpd -f -Lf "$H_TMP/snmpd.log" -C \
		-c "$H_TMP/snmpd.conf" -I -smux -p "$H_TMP/snmpd.pid" "udp:127.0.0.1:$H_PORT" &
	H_MASTER_PID=$!
	H_PIDS+=("$H_MASTER_PID")
	h_wait_for 50 test -S "$H_SOCK"
}
v3() { # v3 CMD ARGS...: an authPriv request as the configured user
	local cmd=$1
	shift
	"$cmd" "${V3[@]}" "udp:127.0.0.1:$H_PORT" "$@" 2>&1
}
# The harness waits with v2c, which this master refuses: wait with v3.
h_wait_served() {
	h_wait_for "${1:-100}" bash -c '"$@" | grep -q STRING' _ \
		snmpget "${V3[@]}" "udp:127.0.0.1:$H_PORT" "$H_VERSION_OID"
}

h_start_master_v3 || { h_fail "master started"; h_done; exit 1; }
h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent served over SNMPv3"; h_done; exit 1; }
h_pass "agent served over SNMPv3 authPriv"

h_check "v3 authPriv: office name" grep -q 'STRING: "BN-TU"' <<<"$(v3 snmpget $R.1.2.1.2.12)"
walk=$(v3 snmpbulkwalk $R.1.3.1.2)
h_check "v3 authPriv: line table walks" grep -q "$R.1.3.1.2.12.1 = INTEGER: 2" <<<"$walk"
h_check "v3 authPriv: nothing outside the view" \
	grep -qE 'No Such Object|No more variables' <<<"$(v3 snmpget .1.3.6.1.2.1.1.5.0)"

refused() { ! "$@" 2>&1 | grep -q 'STRING:'; }
for v in 1 2c; do
	for c in public private tslcd; do
		h_check "v$v community '$c' refused" refused \
			snmpget -v$v -c $c -On -t 1 -r 0 "udp:127.0.0.1:$H_PORT" $R.1.1.1.0
	done
done
h_check "v3 noAuthNoPriv refused" refused \
	snmpget -v3 -l noAuthNoPriv -u $USER -On -t 1 -r 0 "udp:127.0.0.1:$H_PORT" $R.1.1.1.0
h_check "v3 authNoPriv refused" refused \
	snmpget -v3 -l authNoPriv -u $USER -a SHA -A "$AUTH" -On -t 1 -r 0 \
	"udp:127.0.0.1:$H_PORT" $R.1.1.1.0
h_check "v3 wrong auth key refused" refused \
	snmpget -v3 -l authPriv -u $USER -a SHA -A "wrong-auth-key" -x AES -X "$PRIV" -On -t 1 -r 0 \
	"udp:127.0.0.1:$H_PORT" $R.1.1.1.0
h_check "v3 wrong privacy key refused" refused \
	snmpget -v3 -l authPriv -u $USER -a SHA -A "$AUTH" -x AES -X "wrong-priv-key" -On -t 1 -r 0 \
	"udp:127.0.0.1:$H_PORT" $R.1.1.1.0
h_check "v3 unknown user refused" refused \
	snmpget -v3 -l authPriv -u nobody -a SHA -A "$AUTH" -x AES -X "$PRIV" -On -t 1 -r 0 \
	"udp:127.0.0.1:$H_PORT" $R.1.1.1.0
h_check "v3 authPriv still answers after the refusals" \
	grep -q 'STRING:' <<<"$(v3 snmpget $R.1.1.1.0)"
h_check "the agent itself needed no change (no community in its config)" \
	bash -c "! grep -qi community '$H_TMP/tslcd.conf'"
h_done
