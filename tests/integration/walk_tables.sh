#!/usr/bin/env bash
# Walk the office and line tables through a real snmpd master: every
# configured row and identity value is there, OIDs strictly increase, and the
# agent comes back after the master restarts.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
h_setup

ROOT=.1.3.6.1.4.1.8072.9999.9999.84.1
cat >"$H_TMP/tslcd.conf" <<'CONF'
agent { control-socket = "" }
office {
	id = 300
	code = "BN-X01"
	name = "UBND Phường Kinh Bắc"
	level = commune
	province = "24"
	commune = "09100"
	org = peoples-committee
	line { id = 2  carrier = viettel  circuit = "VT-2"  bandwidth = 20000  probe = none }
	line { id = 1  carrier = vnpt  circuit = "VNPT-1"  bandwidth = 50000  probe = none
	       target = "127.0.0.1" }
}
office {
	id = 7
	code = "BN-TU"
	name = "Tỉnh ủy Bắc Ninh"
	level = province
	province = "24"
	tier = 1
	security-level = 4
	framework = decree331
	line { id = 1  carrier = vnpt  bandwidth = 100000  probe = none  target = "::1" }
}
office {
	id = 4294967295
	code = "MAX"
	name = "Văn phòng Trung ương"
	level = central
}
CONF

h_start_master || exit 1
h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent served within 10 s"; h_done; exit 1; }
h_pass "agent registered with the master"

walk=$(h_snmp snmpbulkwalk -Cr25 $ROOT 2>&1)
# The walk reaches the interval tables, whose rows grow through the day:
# by the afternoon it no longer fits in one argument (128 KiB), so it is
# read from a here-string, never passed to a command.
no_order_errors() { ! grep -qi 'not increasing' <<<"$walk"; }
h_check "bulkwalk completes without OID-order errors" no_order_errors

# Our own check too: numeric OIDs strictly increase across the whole walk
# (continuation lines of long hex strings do not start with a dot).
walk_oids() { grep -oE '^\.[0-9.]+' <<<"$walk" | h_oids_increasing; }
h_check "OIDs strictly increase (own check)" walk_oids
h_log "the walk: $(wc -c <<<"$walk") bytes, $(grep -c '^\.' <<<"$walk") varbinds"

# The value of OID $1 in the walk, without "= TYPE: " (strings keep their quotes).
val() { grep -m1 -F "$1 = " <<<"$walk" | sed -E 's/^[^=]*= //; s/^[A-Za-z0-9-]+: //; s/ +$//'; }
O=$ROOT.2.1
L=$ROOT.3.1
h_expect_eq "office 300 code" '"BN-X01"' "$(val $O.2.300)"
h_expect_eq "office 300 name (UTF-8)" 'UBND Phường Kinh Bắc' "$(h_get_str $O.3.300)"
h_expect_eq "office 7 name (UTF-8)" 'Tỉnh ủy Bắc Ninh' "$(h_get_str $O.3.7)"
h_expect_eq "office 300 admin level commune" '4' "$(val $O.4.300)"
h_expect_eq "office 300 province" '"24"' "$(val $O.5.300)"
h_expect_eq "office 300 commune" '"09100"' "$(val $O.6.300)"
h_expect_eq "office 300 org type" '4' "$(val $O.7.300)"
h_expect_eq "office 300 tier II" '2' "$(val $O.8.300)"
h_expect_eq "office 300 lines configured" '2' "$(val $O.15.300)"
h_expect_eq "office 300 required lines" '1' "$(val $O.11.300)"
h_expect_eq "office 7 tier I" '1' "$(val $O.8.7)"
h_expect_eq "office 7 security level" '4' "$(val $O.9.7)"
h_expect_eq "office 7 framework decree331" '3' "$(val $O.10.7)"
h_expect_eq "office 7 needs two lines" '2' "$(val $O.11.7)"
h_expect_eq "office 4294967295 (largest id) served" '"MAX"' "$(val $O.2.4294967295)"
h_expect_eq "office 4294967295 has no lines" '0' "$(val $O.15.4294967295)"
h_expect_eq "office 300 contract kbps" '70000' "$(val $O.29.300)"
h_expect_eq "line 300.1 carrier vnpt" '2' "$(val $L.2.300.1)"
h_expect_eq "line 300.2 carrier viettel" '3' "$(val $L.2.300.2)"
h_expect_eq "line 300.1 circuit" '"VNPT-1"' "$(val $L.3.300.1)"
h_expect_eq "line 300.2 bandwidth" '20000' "$(val $L.7.300.2)"
h_expect_eq "line 300.1 probe method none" '1' "$(val $L.8.300.1)"
h_expect_eq "line 300.1 target type ipv4" '1' "$(val $L.9.300.1)"
h_expect_eq "line 300.1 target bytes" '7F 00 00 01' "$(val $L.10.300.1)"
h_expect_eq "line 7.1 target type ipv6" '2' "$(val $L.9.7.1)"
h_expect_eq "line 300.2 has no target (type unknown, empty)" '0 ""' \
	"$(val $L.9.300.2) $(val $L.10.300.2)"
h_expect_eq "line rows in order" "$ROOT.3.1.2.7.1 $ROOT.3.1.2.300.1 $ROOT.3.1.2.300.2" \
	"$(grep -oE "^$ROOT\.3\.1\.2\.[0-9.]+" <<<"$walk" | tr '\n' ' ' | sed 's/ $//')"
h_expect_eq "unprobed line has no availability (absent, not 0)" '' "$(val $L.21.300.1)"
h_expect_eq "tslcdOfficesTotal" '3' "$(val $ROOT.1.7.0)"
h_expect_eq "tslcdLinesTotal" '3' "$(val $ROOT.1.12.0)"
# No self-check and no nodes configured: the issue-14 scalars say so
# (present, not absent), the last change is absent, the node table empty.
h_expect_eq "self-check off: notConfigured(1), 0 of 0 references" '1 0 0' \
	"$(val $ROOT.1.32.0) $(val $ROOT.1.33.0) $(val $ROOT.1.34.0)"
h_expect_eq "tslcdMonitoringLastChange absent" '' "$(val $ROOT.1.35.0)"
h_expect_eq "no nodes: 0 total, 0 down, no tslcdNodeTable row" '0 0 0' \
	"$(val $ROOT.1.36.0) $(val $ROOT.1.37.0) $(grep -c "^$ROOT\.9\." <<<"$walk")"
h_expect_eq "config fingerprint is 32 bytes" 32 \
	"$(h_snmp snmpget -Ov -Ox $ROOT.1.3.0 | sed -E 's/^[A-Za-z-]+: //' | wc -w)"

# Sparse columns: GETNEXT (the agent skips rows without a value itself)
# finds exactly the instances GET finds, in both tables, none lost or made up.
sparse_same() {
	local table=$1 rows=$2 oids=() c r
	for c in $(seq 1 80); do
		for r in $rows; do oids+=("$table.1.$c.$r"); done
	done
	local got walked
	got=$(for ((i = 0; i < ${#oids[@]}; i += 60)); do
		h_snmp snmpget "${oids[@]:i:60}"
	done | grep -v 'No Such' | grep -oE '^\.[0-9.]+' | sort)
	walked=$(h_snmp snmpwalk "$table" | grep -oE '^\.[0-9.]+' | sort)
	[ -n "$got" ] && [ "$got" == "$walked" ]
}
h_check "line table: GETNEXT sees exactly what GET sees" sparse_same $ROOT.3 "7.1 300.1 300.2"
h_check "office table: GETNEXT sees exactly what GET sees" sparse_same $ROOT.2 "7 300 4294967295"

# Absent objects answer noSuchInstance, and past-the-end answers endOfMibView.
h_check "GET of a missing office: noSuchInstance" \
	bash -c "snmpget -v2c -c public -On udp:127.0.0.1:$H_PORT $O.2.999 | grep -q 'No Such Instance'"
h_check "GETNEXT past our last object leaves our subtree cleanly" \
	bash -c "snmpgetnext -v2c -c public -On udp:127.0.0.1:$H_PORT $ROOT.9 | grep -qv '^$ROOT'"
h_check "SET is refused as notWritable" \
	bash -c "! snmpset -v2c -c public -On udp:127.0.0.1:$H_PORT $O.2.7 s X 2>&1 | grep -q '^$O'"

# Master restart: the agent must come back on its own.
h_stop_master
sleep 1
h_start_master || exit 1
if h_wait_served 50; then
	h_pass "agent serves again within 5 s of the master restarting"
else
	h_fail "agent did not come back after a master restart"
fi
h_expect_eq "rows intact after the restart" '"BN-TU"' \
	"$(h_snmp snmpget $O.2.7 | awk '{print $4}')"

h_done
