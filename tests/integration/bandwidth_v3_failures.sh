#!/usr/bin/env bash
# SNMPv3 poll failures against a real snmpd "office router" with USM users
# only (createUser in its private persistent directory, no community), on
# loopback: retries really happen (a relay drops the first datagram of each
# request, retries = 1: readings arrive, and once one has, no poll fails in
# two intervals), a router that never answers reads timeout, a wrong auth
# key reads authFailure within one poll interval (log line naming router and
# user, LastFail) and a SIGHUP with the right key brings readings, a wrong
# priv key fails cleanly, two lines with different keys for one router and
# user never use each other's keys, and a clean stop logs no Net-SNMP
# assertion.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
h_setup

ROOT=.1.3.6.1.4.1.8072.9999.9999.84
L=$ROOT.1.3.1
T0=$(date +%s)
RELAY=$H_TOP/tests/lib/udp_relay.py

h_router_values a <<V
T0 $T0
.1.3.6.1.2.1.1.3.0 timeticks 500000 1
.1.3.6.1.2.1.31.1.1.1.6.1 counter64 1000 1250
.1.3.6.1.2.1.31.1.1.1.10.1 counter64 2000 2500
V
h_start_router a \
	"createUser rtrok SHA auth-pass-ok-1 AES priv-pass-ok-1" "rouser rtrok priv" \
	"createUser rtrauth SHA auth-pass-au-1 AES priv-pass-au-1" "rouser rtrauth priv" \
	"createUser rtrpriv SHA auth-pass-pr-1 AES priv-pass-pr-1" "rouser rtrpriv priv" \
	"createUser rtrdup SHA auth-pass-du-1 AES priv-pass-du-1" "rouser rtrdup priv" || exit 1
PA=${H_RPORT[a]}
h_check "the router has no community (v2c refused)" \
	bash -c "! snmpget -v2c -c public -t 0.3 -r 0 udp:127.0.0.1:$PA .1.3.6.1.2.1.1.3.0 2>/dev/null"

# relay MODE: a python3 UDP forwarder on 127.0.0.1 in front of the router;
# sets RELAY_PORT.
relay() {
	RELAY_PORT=$(h_free_port)
	python3 "$RELAY" 127.0.0.1 "$RELAY_PORT" 127.0.0.1 "$PA" "$1" \
		>/dev/null 2>>"$H_TMP/relay-$1.log" &
	H_PIDS+=("$!")
	h_wait_for 50 bash -c "ss -Hlnu 'sport = :$RELAY_PORT' | grep -q ."
}
relay drop-first || exit 1
P_DROP=$RELAY_PORT
relay silent || exit 1
P_SILENT=$RELAY_PORT
relay pass || exit 1
P_PASS=$RELAY_PORT

# v3 LINE ROUTER USER AUTH-KEY PRIV-KEY: one line's counters section.
v3() {
	echo "  line { id = $1  carrier = vnpt  bandwidth = 1000  probe = none
         counters { router = \"$2\"  version = 3  user = \"$3\"  auth-protocol = SHA
                    auth-key = \"$4\"  priv-protocol = AES  priv-key = \"$5\"
                    ifindex = 1  interval = 3 } }"
}
# write_conf AUTH-KEY-OF-OFFICE-12
write_conf() {
	cat >"$H_TMP/tslcd.conf" <<CONF
agent { control-socket = "$H_TMP/control.sock"  state-dir = "$H_TMP/state" }
bandwidth { poll-interval = 10  timeout = 800  retries = 1 }
office { id = 10  code = "DROP"  name = "Lossy path"  level = province
$(v3 1 "127.0.0.1:$P_DROP" rtrok auth-pass-ok-1 priv-pass-ok-1)
}
office { id = 11  code = "MUTE"  name = "Silent router"  level = province
$(v3 1 "127.0.0.1:$P_SILENT" rtrok auth-pass-ok-1 priv-pass-ok-1)
}
office { id = 12  code = "AUTH"  name = "Auth key"  level = province
$(v3 1 "127.0.0.1:$PA" rtrauth "$1" priv-pass-au-1)
}
office { id = 13  code = "PRIV"  name = "Priv key"  level = province
$(v3 1 "127.0.0.1:$PA" rtrpriv auth-pass-pr-1 wrong-priv-pass)
}
office { id = 14  code = "DUP"  name = "Two lines, one router"  level = province
$(v3 1 "127.0.0.1:$PA" rtrdup auth-pass-du-1 priv-pass-du-1)
$(v3 2 "127.0.0.1:$P_PASS" rtrdup wrong-auth-pass priv-pass-du-1)
}
CONF
	chmod 600 "$H_TMP/tslcd.conf"
}
mkdir -p "$H_TMP/state"

# ---- same router address and user, different keys: a config error ----
cat >"$H_TMP/dup.conf" <<CONF
office { id = 1  code = "D"  name = "D"  level = province
$(v3 1 "127.0.0.1:$PA" rtrdup auth-pass-du-1 priv-pass-du-1)
$(v3 2 "127.0.0.1:$PA" rtrdup wrong-auth-pass priv-pass-du-1)
}
CONF
chmod 600 "$H_TMP/dup.conf"
out=$("$H_AGENT" --check-config -c "$H_TMP/dup.conf" 2>&1)
h_check "same router and user with other keys refused at FILE:LINE ($out)" \
	grep -qE "dup.conf:[0-9]+: .*rtrdup.*" <<<"$out"

write_conf wrong-auth-pass
h_start_master || exit 1
h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent served within 10 s"; h_done; exit 1; }

num() { h_get_num "$1"; }
is() { [ "$(num "$2")" == "$1" ]; }

# ---- wrong auth key: authFailure(6) within one poll interval ----
h_check "wrong auth key reads authFailure(6) within one poll interval" \
	h_wait_for 50 is 6 $L.41.12.1
h_check "  ... with a LastFail time" test -n "$(num $L.43.12.1)"
h_check "  ... and a log line naming the router and the user" \
	grep -qE "router 127.0.0.1:$PA refused SNMPv3 user \"rtrauth\"" "$H_TMP/agent.log"

# ---- retries: the first datagram of each request dropped, retries = 1 ----
h_check "through the lossy relay, a reading arrives" \
	h_wait_for 100 is 2 $L.41.10.1
has_rate() { [ -n "$(num "$1")" ]; }
h_check "  ... and a rate" h_wait_for 60 has_rate $L.30.10.1
h_expect_eq "  ... exact: 1250 octets/cs in" 1000000 "$(num $L.30.10.1)"
h_check "the relay did drop datagrams" grep -q dropped "$H_TMP/relay-drop-first.log"
# Without retries every second poll would still get through (the relay
# drops every other datagram), so a reading alone proves nothing: no poll
# may fail from now on (checked below, 2 intervals later).  The first GET
# may fail: Net-SNMP counts its notInTimeWindow resend as a retry.
LOSSY_FAIL=$(num $L.43.10.1)
LOSSY_T=$SECONDS

# ---- silent router: timeout(3), not error ----
h_check "a router that never answers reads timeout(3)" h_wait_for 60 is 3 $L.41.11.1

# ---- wrong priv key: a clean failure ----
failed() { [[ $(num "$1") == [346] ]]; }
h_check "wrong priv key: a failure status" h_wait_for 60 failed $L.41.13.1
h_check "  ... with a LastFail time" test -n "$(num $L.43.13.1)"
h_expect_eq "  ... it reads timeout(3): the router drops what it cannot decrypt" 3 \
	"$(num $L.41.13.1)"
h_check "  ... and a log line naming router, user and the likely cause" grep -qE \
	"router 127.0.0.1:$PA answers engine-ID discovery but not SNMPv3 user \"rtrpriv\".*priv key" \
	"$H_TMP/agent.log"
h_check "  ... never said of the router that does not answer at all" \
	bash -c "! grep -q 'router 127.0.0.1:$P_SILENT answers' '$H_TMP/agent.log'"

# ---- two lines, one router engine and user, different keys ----
sleep 4
h_check "the wrong-keyed line reads a failure, not ok" failed $L.41.14.2
h_expect_eq "  ... and has no rate" "" "$(num $L.30.14.2)"
h_expect_eq "  ... and never read ok (no LastOk): never polled with line 1's keys" "" \
	"$(num $L.42.14.2)"
h_check "  ... the conflict is logged, naming both routers and the user" grep -qE \
	"routers 127.0.0.1:($PA|$P_PASS) and 127.0.0.1:($PA|$P_PASS) are one SNMP engine.*rtrdup" \
	"$H_TMP/agent.log"
h_expect_eq "  ... neither line is polled with the other's keys: 14.1 error(4)" 4 "$(num $L.41.14.1)"
h_expect_eq "  ... 14.2 error(4)" 4 "$(num $L.41.14.2)"

w=$((LOSSY_T + 7 - SECONDS))
[ "$w" -gt 0 ] && sleep "$w"
h_expect_eq "the lossy relay's line: no failed poll in $((SECONDS - LOSSY_T)) s (retries answer)" \
	"$LOSSY_FAIL" "$(num $L.43.10.1)"
h_expect_eq "  ... and it still reads ok(2)" 2 "$(num $L.41.10.1)"

# The authFailure line keeps being retried at its normal interval.
fails() { grep -c "Authentication failed for rtrauth" "$H_TMP/router-a.log"; }
n1=$(fails)
sleep 4.5
n2=$(fails)
h_check "the auth-failed line is retried every interval ($n1 -> $n2 refusals)" \
	test "$n2" -ge $((n1 + 1))

# ---- SIGHUP with the right key: readings ----
write_conf auth-pass-au-1
kill -HUP "$H_AGENT_PID"
h_check "after a SIGHUP with the right key, a reading" h_wait_for 80 is 2 $L.41.12.1
h_check "  ... with a rate" h_wait_for 60 has_rate $L.30.12.1

# ---- a clean stop: no assertion, failures counted ----
h_stop_agent
h_check "the stop logs no Net-SNMP assertion" bash -c "! grep -i assert '$H_TMP/agent.log'"
h_check "the stop log counts the failed polls" \
	grep -qE "counters: [0-9]+ polls \([0-9]+ ok, [1-9][0-9]* failed" "$H_TMP/agent.log"
h_done
