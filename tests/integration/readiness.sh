#!/usr/bin/env bash
# Signed readiness reports and TLS endpoint checks end to end: keys made and
# reports signed with the openssl CLI; valid, forged, replayed and unsigned
# reports dropped into the spool; the readiness table, the counters, the
# files moved and the notifications at snmptrapd are checked.  A TLS
# endpoint on loopback (openssl s_server) with a 5-day certificate raises
# certExpiring, and a renewed 400-day one clears it.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
h_setup

ROOT=.1.3.6.1.4.1.8072.9999.9999.84
R=$ROOT.1.5.1 # tslcdReadinessEntry
K=$H_TMP/keys
SPOOL=$H_TMP/spool
mkdir -p "$K" "$SPOOL"

for k in office-12 office-13; do
	openssl genpkey -algorithm ed25519 -out "$K/$k.pem" 2>/dev/null
	openssl pkey -in "$K/$k.pem" -pubout -out "$K/$k.pub"
done

# A certificate for the office's TLS endpoint, valid DAYS days; it is its
# own CA bundle.
make_cert() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$H_TMP/tls-$1.key" -out "$H_TMP/tls-$1.pem" -days "$1" \
		-subj "/CN=localhost" 2>/dev/null
}
make_cert 5
make_cert 400
cp "$H_TMP/tls-5.pem" "$H_TMP/ca.pem"
cat "$H_TMP/tls-400.pem" >>"$H_TMP/ca.pem"
TLS_PORT=$(h_free_port)
start_tls() {
	openssl s_server -accept "127.0.0.1:$TLS_PORT" -cert "$H_TMP/tls-$1.pem" \
		-key "$H_TMP/tls-$1.key" -www -quiet </dev/null >>"$H_TMP/s_server.log" 2>&1 &
	TLS_PID=$!
	H_PIDS+=("$TLS_PID")
	h_wait_for 50 bash -c "ss -Hltn 'sport = :$TLS_PORT' | grep -q ."
}

cat >"$H_TMP/tslcd.conf" <<CONF
agent { control-socket = ""  state-dir = "$H_TMP/state" }
readiness {
	spool-dir = "$SPOOL"
	max-age = 35
	rescan = 1
	sig-wait = 2
	tls-interval = 3600
	tls-timeout = 3
}
office {
	id = 12
	code = "BN-X12"
	name = "UBND Xã Mười Hai"
	level = commune
	commune = "09112"
	readiness-key = "$K/office-12.pub"
	tls-endpoint = "127.0.0.1:$TLS_PORT"
	tls-ca = "$H_TMP/ca.pem"
}
office {
	id = 13
	code = "BN-X13"
	name = "UBND Xã Mười Ba"
	level = commune
	commune = "09113"
	readiness-key = "$K/office-13.pub"
}
CONF
mkdir -p "$H_TMP/state"

. "$(dirname "$0")/../lib/reports.sh" # report, drop

get() { h_snmp snmpget -Oqv "$1" 2>/dev/null | tr -d '"'; }
is() { [ "$(get "$1")" == "$2" ]; }
trap_seen() { grep -q "$ROOT\.0\.$1\b" "$H_TMP/traps.log" 2>/dev/null; }
count_traps() { grep -c "$ROOT\.0\.$1\b" "$H_TMP/traps.log" 2>/dev/null || true; }

h_start_trapd
h_start_master || exit 1
start_tls 5 || h_fail "s_server started"
h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent served within 10 s"; h_done; exit 1; }
h_pass "agent registered with the master"

# Before any report: every office has a row, state unknown, score absent.
h_expect_eq "office 13 readiness unknown before any report" 1 "$(get $R.1.13)"
h_check "score absent before any report" bash -c "snmpget -v2c -c public -On \
	udp:127.0.0.1:$H_PORT $R.2.13 | grep -q 'No Such Instance'"
h_expect_eq "TLS verify notChecked for office 13 (no endpoint)" 1 "$(get $R.25.13)"
h_check "reportStale raised for offices with a key and no report" h_wait_for 50 trap_seen 13

# 1. A valid report.  The endpoint's 5-day certificate is one failed item
# (not a mandatory one): partial, 8 of 9 items.
h_check "TLS check ran first: verify ok(2)" h_wait_for 50 is $R.25.12 2
report "$H_TMP/r12-a.conf" 12 30 4
drop r12-a.conf office-12
h_check "valid report accepted: office 12 partial" h_wait_for 50 is $R.1.12 3
h_expect_eq "score 88" 88 "$(get $R.2.12)"
# The certificate ends 5 days after it was made, so 4 whole days are left;
# 5 only if the clock stepped back since (a fresh CI machine's NTP).
h_expect_match "reason names the certificate" \
	'TLS endpoint certificate expires in [45] days' "$(get $R.3.12)"
h_expect_eq "signer is the key's name" "office-12" "$(get $R.20.12)"
h_expect_eq "ASCII twins of the reason and the signer" "$(get $R.3.12)|office-12" \
	"$(get $R.26.12)|$(get $R.27.12)"
h_expect_eq "desk coverage 100 %" 1000000 "$(get $R.11.12)"
h_expect_eq "LAN segmented true(1)" 1 "$(get $R.8.12)"
h_expect_eq "approval approved(4)" 4 "$(get $R.6.12)"
h_expect_eq "office table repeats readiness (col 27)" 3 "$(get $ROOT.1.2.1.27.12)"
h_expect_eq "office table repeats the score (col 28)" 88 "$(get $ROOT.1.2.1.28.12)"
h_expect_eq "tslcdReportsAccepted" 1 "$(get $ROOT.1.1.21.0)"
h_check "report and signature moved to accepted/" bash -c \
	"ls $SPOOL/accepted | grep -q -- '-r12-a.conf\$' && ls $SPOOL/accepted | grep -q -- '-r12-a.conf.sig\$' && [ ! -e $SPOOL/r12-a.conf ]"
h_check "reportFresh sent for office 12" h_wait_for 30 trap_seen 14

# 2. Forged: office 12's report signed with office 13's key.
report "$H_TMP/r12-forged.conf" 12 20 0
drop r12-forged.conf office-13
h_check "forged report rejected (counter)" h_wait_for 50 is $ROOT.1.1.22.0 1
h_expect_eq "per-office rejected counter" 1 "$(get $R.21.12)"
h_expect_eq "state unchanged after a forged report" 3 "$(get $R.1.12)"
h_check "forged report in rejected/ with its reason" bash -c \
	"grep -q 'does not verify' $SPOOL/rejected/*-r12-forged.conf.reason"
h_check "log names the file and the reason" \
	grep -q "r12-forged.conf rejected: signature does not verify" "$H_TMP/agent.log"

# 3. Replay: the accepted report again.
cp "$H_TMP/r12-a.conf" "$SPOOL/r12-a.conf"
cp "$H_TMP/r12-a.conf.sig" "$SPOOL/r12-a.conf.sig"
h_check "replayed report rejected" h_wait_for 50 is $R.21.12 2
h_check "replay reason recorded" bash -c "grep -q 'replayed' $SPOOL/rejected/*-r12-a.conf.reason"

# 4. Unsigned: no .sig ever comes.
report "$SPOOL/r13-unsigned.conf" 13 10 4
h_check "unsigned report rejected after sig-wait" h_wait_for 80 is $R.21.13 1
h_check "unsigned reason recorded" bash -c \
	"grep -q 'unsigned' $SPOOL/rejected/*-r13-unsigned.conf.reason"
h_check "temp files are left alone" bash -c "touch $SPOOL/.half.tmp; sleep 1.5; [ -e $SPOOL/.half.tmp ]"

# 5. A newer report with an unprotected desk PC: notReady, and back.
report "$H_TMP/r12-b.conf" 12 10 3
drop r12-b.conf office-12
h_check "desk 3 of 4: notReady" h_wait_for 50 is $R.1.12 4
h_check "reason names the first failed item" bash -c \
	"snmpget -v2c -c public -On -Oqv udp:127.0.0.1:$H_PORT $R.3.12 | grep -q 'one-stop desk 75 %'"
h_check "readinessNotReady notification" h_wait_for 30 trap_seen 11
report "$H_TMP/r12-c.conf" 12 5 4
drop r12-c.conf office-12
h_check "fixed: partial again" h_wait_for 50 is $R.1.12 3
h_check "readinessReady notification" h_wait_for 30 trap_seen 12
h_expect_eq "tslcdReportsAccepted counts 3" 3 "$(get $ROOT.1.1.21.0)"

# 6. TLS: a 5-day certificate, then a renewed one.
days=$(get $R.22.12)
h_check "certificate days left 4..5 (got $days)" bash -c "[ '$days' -ge 4 ] && [ '$days' -le 5 ]"
h_check "protocol recorded" bash -c "snmpget -v2c -c public -On -Oqv udp:127.0.0.1:$H_PORT $R.23.12 | grep -q TLSv1"
h_check "cipher recorded" bash -c "[ -n \"\$(snmpget -v2c -c public -On -Oqv udp:127.0.0.1:$H_PORT $R.24.12 | tr -d '\"')\" ]"
h_check "certExpiring notification" h_wait_for 30 trap_seen 15
kill "$TLS_PID"
h_wait_gone "$TLS_PID" 30
start_tls 400 || h_fail "s_server restarted"
kill -HUP "$H_AGENT_PID" # a reload checks the endpoints again at once
h_check "renewed certificate: 399 days left" h_wait_for 80 is $R.22.12 399
h_check "certRenewed notification" h_wait_for 30 trap_seen 16
h_check "renewed: office 12 ready" h_wait_for 30 is $R.1.12 2
h_expect_eq "report survives the reload" "office-12" "$(get $R.20.12)"
h_expect_eq "counters survive the reload" 3 "$(get $ROOT.1.1.22.0)"

# A restart: the newest accepted report is verified again and restored.
h_stop_agent
h_start_agent "$H_TMP/tslcd.conf" || h_fail "agent restarted"
h_expect_eq "after a restart: signer restored" "office-12" "$(get $R.20.12)"
h_expect_eq "after a restart: newest report restored (desk 4 of 4)" 4 "$(get $R.9.12)"
h_check "after a restart: ready once the endpoint is checked" h_wait_for 50 is $R.1.12 2
h_check "restore logged" grep -q "readiness: restored from" "$H_TMP/agent.log"

# Every column of the table is served for the office with a report.
ready_cols() { [ "$(h_snmp snmpwalk $R | grep -cE "^$R\.[0-9]+\.12 ")" -eq 27 ]; }
h_check "all 27 readiness columns present for office 12" h_wait_for 50 ready_cols

# The history records every report the agent accepted or rejected.
h_stop_agent
hist() { sqlite3 -batch -noheader "$H_TMP/state/history.db" "$1"; }
h_expect_eq "history: 3 reports accepted (office 12, with report time and state)" "3|3" \
	"$(hist "SELECT count(*), count(report_time) FROM reports WHERE accepted = 1 AND office_id = 12
	         AND state IN ('ready', 'partial', 'notReady')")"
h_expect_eq "history: 3 rejected, each with its reason" "3|3" \
	"$(hist "SELECT count(*), count(reason) FROM reports WHERE accepted = 0")"
h_check "history: the forged report's reason" bash -c \
	"sqlite3 '$H_TMP/state/history.db' \"SELECT reason FROM reports WHERE accepted = 0\" | grep -q 'does not verify'"

h_done
