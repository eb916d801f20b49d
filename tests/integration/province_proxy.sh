#!/usr/bin/env bash
# National deployment (README, "National deployment"): one master + agent per
# province, and a central snmpd whose `proxy -Cn PROVINCE` directives give
# each province its own SNMPv3 context.  Through the central address, with
# authPriv, `-n bacninh` walks exactly Bắc Ninh's offices and `-n haiphong`
# exactly Hải Phòng's, OIDs increasing; the default context and a context
# nobody configured show neither.  Everything runs on 127.0.0.1.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
h_setup

R=.1.3.6.1.4.1.8072.9999.9999.84
OFFICES=$R.1.2
USER=tslcdnoc
AUTH="noc-auth-2026!"
PRIV="noc-priv-2026!"
V3=(-v3 -l authPriv -u "$USER" -a SHA -A "$AUTH" -x AES -X "$PRIV" -On -t 2 -r 1)

# province_conf NAME PROVINCE-CODE ID ID: an agent config with two offices.
province_conf() {
	local name=$1 code=$2 a=$3 b=$4
	mkdir -p "$H_TMP/$name"
	cat >"$H_TMP/$name/tslcd.conf" <<CONF
agent { control-socket = ""  state-dir = "$H_TMP/$name" }
office { id = $a  code = "$name-$a"  name = "$name office $a"  level = district  province = "$code"
	line { id = 1  carrier = vnpt  bandwidth = 50000  probe = none } }
office { id = $b  code = "$name-$b"  name = "$name office $b"  level = district  province = "$code"
	line { id = 1  carrier = viettel  bandwidth = 20000  probe = none } }
CONF
}
province_conf bacninh 24 1 2
province_conf haiphong 31 7 8

# ---- province 1 (Bắc Ninh): the harness's own master and agent ----
H_SOCK=$H_TMP/bacninh/agentx.sock
h_start_master || { h_fail "bacninh master started"; h_done; exit 1; }
BN_PORT=$H_PORT
h_start_agent "$H_TMP/bacninh/tslcd.conf" || { h_fail "bacninh agent served"; h_done; exit 1; }
h_pass "bacninh: master on udp:127.0.0.1:$BN_PORT with its agent"

# ---- province 2 (Hải Phòng): a second master and agent, same flags ----
HP=$H_TMP/haiphong
HP_SOCK=$HP/agentx.sock
HP_PORT=$(h_free_port)
cat >"$HP/snmpd.conf" <<CONF
master agentx
agentXSocket unix:$HP_SOCK
agentXPerms 0660 0750
agentXTimeout 5
agentXRetries 1
rocommunity public 127.0.0.1
dontLogTCPWrappersConnects yes
CONF
mkdir -p "$HP/persist"
SNMP_PERSISTENT_DIR=$HP/persist snmpd -f -Lf "$H_TMP/snmpd-haiphong.log" -C \
	-c "$HP/snmpd.conf" -I -smux -p "$HP/snmpd.pid" "udp:127.0.0.1:$HP_PORT" &
H_PIDS+=("$!")
h_wait_for 50 test -S "$HP_SOCK" || { h_fail "haiphong master started"; h_done; exit 1; }
${H_AGENT_WRAPPER:-} "$H_AGENT" -f -L -c "$HP/tslcd.conf" -x "$HP_SOCK" -P 1 \
	>>"$H_TMP/agent-haiphong.log" 2>&1 &
H_PIDS+=("$!")
served() { # served PORT [SNMP ARGS...]: the agent's version answers there
	local port=$1
	shift
	snmpget "$@" -t 0.5 -r 0 "udp:127.0.0.1:$port" "$H_VERSION_OID" 2>/dev/null | grep -q STRING
}
h_wait_for 100 served "$HP_PORT" -v2c -c public -On ||
	{ h_fail "haiphong agent served"; h_done; exit 1; }
h_pass "haiphong: master on udp:127.0.0.1:$HP_PORT with its agent"

# ---- the central snmpd: SNMPv3 only, one context per province ----
C=$H_TMP/central
C_PORT=$(h_free_port)
mkdir -p "$C/persist"
cat >"$C/snmpd.conf" <<CONF
# no agentx master and no community: the NOC speaks SNMPv3 authPriv only
dontLogTCPWrappersConnects yes
createUser $USER SHA "$AUTH" AES "$PRIV"
group   noc usm $USER
view    tslcd included $R
# context "" with "prefix": every context, i.e. every province proxied below
access  noc "" usm priv prefix tslcd none none
proxy -Cn bacninh  -v 2c -c public udp:127.0.0.1:$BN_PORT $R
proxy -Cn haiphong -v 2c -c public udp:127.0.0.1:$HP_PORT $R
CONF
SNMP_PERSISTENT_DIR=$C/persist snmpd -f -Lf "$H_TMP/snmpd-central.log" -C \
	-c "$C/snmpd.conf" -I -smux -p "$C/snmpd.pid" "udp:127.0.0.1:$C_PORT" &
H_PIDS+=("$!")
if h_wait_for 100 served "$C_PORT" "${V3[@]}" -n bacninh; then
	h_pass "central: udp:127.0.0.1:$C_PORT answers in context bacninh"
else
	h_fail "central snmpd proxies context bacninh"
	h_done
	exit 1
fi

# central CONTEXT CMD ARGS...: an authPriv request to the central snmpd
central() {
	local ctx=$1 cmd=$2
	shift 2
	"$cmd" "${V3[@]}" -n "$ctx" "udp:127.0.0.1:$C_PORT" "$@" 2>&1
}
# Office ids of the code column (.2.1.2.ID) in a walk, sorted, one line.
office_ids() { grep -oE "^$OFFICES\.1\.2\.[0-9]+ " <<<"$1" | sed -E 's/.*\.([0-9]+) $/\1/' | sort -n | tr '\n' ' ' | sed 's/ $//'; }
oids_ok() { grep -oE '^\.[0-9.]+' <<<"$1" | h_oids_increasing; }
in_table() { ! grep -E '^\.[0-9]' <<<"$1" | grep -qvE "^$OFFICES\."; }

bn=$(central bacninh snmpbulkwalk -Cr10 $OFFICES)
hp=$(central haiphong snmpbulkwalk -Cr10 $OFFICES)
h_expect_eq "-n bacninh: exactly offices 1 2" "1 2" "$(office_ids "$bn")"
h_expect_eq "-n haiphong: exactly offices 7 8" "7 8" "$(office_ids "$hp")"
h_check "-n bacninh: codes are Bắc Ninh's" \
	grep -q "$OFFICES.1.2.2 = STRING: \"bacninh-2\"" <<<"$bn"
h_check "-n haiphong: codes are Hải Phòng's" \
	grep -q "$OFFICES.1.2.7 = STRING: \"haiphong-7\"" <<<"$hp"
h_check "-n bacninh: nothing of Hải Phòng" bash -c '! grep -q haiphong <<<"$1"' _ "$bn"
h_check "-n haiphong: nothing of Bắc Ninh" bash -c '! grep -q bacninh <<<"$1"' _ "$hp"
h_check "-n bacninh: OIDs strictly increase" oids_ok "$bn"
h_check "-n haiphong: OIDs strictly increase" oids_ok "$hp"
h_check "-n bacninh: the walk stays in the office table" in_table "$bn"
h_check "-n haiphong: the walk stays in the office table" in_table "$hp"
h_expect_eq "-n bacninh: province code column" "24 24" \
	"$(grep -E "^$OFFICES\.1\.5\." <<<"$bn" | grep -oE '"[0-9]+"' | tr -d '"' | tr '\n' ' ' | sed 's/ $//')"
h_expect_eq "-n haiphong: tslcdOfficesTotal through the proxy" 2 \
	"$(central haiphong snmpget -Oqv $R.1.1.7.0)"

# The same row through the central address and the province's own master.
h_expect_eq "central -n haiphong equals the haiphong master" \
	"$(snmpget -v2c -c public -On -Oqv "udp:127.0.0.1:$HP_PORT" $OFFICES.1.3.8)" \
	"$(central haiphong snmpget -Oqv $OFFICES.1.3.8)"

# No province leaks into the default context or an unconfigured one.
nothing() { ! grep -qE "^$OFFICES\.1\." <<<"$1"; }
h_check "default context: no office rows" nothing "$(central "" snmpbulkwalk $OFFICES)"
h_check "unknown context: no office rows" nothing "$(central hanoi snmpbulkwalk $OFFICES)"
h_check "v2c to the central address: refused" \
	nothing "$(snmpbulkwalk -v2c -c public -On -t 1 -r 0 "udp:127.0.0.1:$C_PORT" $OFFICES 2>&1)"
h_check "wrong privacy key: refused" nothing \
	"$(snmpbulkwalk -v3 -l authPriv -u "$USER" -a SHA -A "$AUTH" -x AES -X wrong-priv-key \
		-n bacninh -On -t 1 -r 0 "udp:127.0.0.1:$C_PORT" $OFFICES 2>&1)"

h_done
