#!/usr/bin/env bash
# Bandwidth polling against real snmpd "office routers" on loopback whose
# IF-MIB counters come from tests/lib/fake_ifmib.py: exact rates and
# utilisation, 64-bit and 32-bit wraps, ifName resolution and renumbering,
# SNMPv3 authPriv, a router reboot (no spike), a router that stops
# answering (poll failure, line state untouched), the redundancy rule, and
# the p95 congestion alarm raised and cleared (short test window).
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
h_setup
# The month's and quarter's figures: not across a midnight (a month's end).
h_clear_of_midnight 300

ROOT=.1.3.6.1.4.1.8072.9999.9999.84
L=$ROOT.1.3.1
O=$ROOT.1.2.1
T0=$(date +%s)
TCP_PORT=$(h_free_port)
U64=18446744073709551616
U32=4294967296

# Router A: line 10.1/10.4 on ifIndex 1001 (HC, wraps 3 s after T0), 10.2
# named "wan1" (ifIndex $1), 10.3 on ifIndex 7 with 32-bit counters only
# (wrap 5 s after T0; HC ones too when $3 is set), 20.1 on ifIndex 1003 at
# $2 octets per centisecond.
router_a_values() {
	h_router_values a <<V
T0 $T0
.1.3.6.1.2.1.1.3.0 timeticks 500000 1
.1.3.6.1.2.1.31.1.1.1.6.1001 counter64 $(bc <<<"$U64 - 1250 * 300") 1250
.1.3.6.1.2.1.31.1.1.1.10.1001 counter64 0 2500
.1.3.6.1.2.1.31.1.1.1.19.1001 timeticks 100
.1.3.6.1.2.1.31.1.1.1.1.$1 string wan1
.1.3.6.1.2.1.31.1.1.1.6.$1 counter64 7 125
.1.3.6.1.2.1.31.1.1.1.10.$1 counter64 9 125
.1.3.6.1.2.1.31.1.1.1.6.1003 counter64 0 $2
.1.3.6.1.2.1.31.1.1.1.10.1003 counter64 0 100
.1.3.6.1.2.1.2.2.1.10.7 counter $((U32 - 100 * 500)) 100
.1.3.6.1.2.1.2.2.1.16.7 counter 0 50
${3:+.1.3.6.1.2.1.31.1.1.1.6.7 counter64 5000000000 100}
${3:+.1.3.6.1.2.1.31.1.1.1.10.7 counter64 7000000000 50}
V
}
# Router B: line 30.1 on ifIndex 1, 400 kbit/s each way; $1 = clock start.
router_b_values() {
	h_router_values b <<V
T0 $1
.1.3.6.1.2.1.1.3.0 timeticks $2 1
.1.3.6.1.2.1.31.1.1.1.6.1 counter64 $3 500
.1.3.6.1.2.1.31.1.1.1.10.1 counter64 $3 500
V
}
router_a_values 1002 1188 # 1188 octets/cs = 950.4 kbit/s = 95.04 % of 1000 kbit/s
router_b_values "$T0" 900000 5000000000
h_start_router a "rocommunity public-a 127.0.0.1" \
	"createUser rtr3 SHA-512 auth-pass-3 AES-256 priv-pass-3" "rouser rtr3 priv" || exit 1
h_start_router b "rocommunity public-b 127.0.0.1" || exit 1
PA=${H_RPORT[a]}
PB=${H_RPORT[b]}

mkdir -p "$H_TMP/state"
cat >"$H_TMP/tslcd.conf" <<CONF
agent { control-socket = "$H_TMP/control.sock"  state-dir = "$H_TMP/state" }
probe { interval = 2  count = 1  timeout = 500  down-after = 1  up-after = 1 }
bandwidth { poll-interval = 10  timeout = 400  retries = 0  sample = 10  window = 30
            min-samples = 2  threshold-raise = 90  threshold-clear = 85 }
office { id = 10  code = "RA"  name = "Router A office"  level = province
  line { id = 1  carrier = vnpt  bandwidth = 4000  probe = none
         counters { router = "127.0.0.1:$PA"  community = "public-a"  ifindex = 1001  interval = 1 } }
  line { id = 2  carrier = vnpt  bandwidth = 1000  probe = none
         counters { router = "127.0.0.1:$PA"  community = "public-a"  ifname = "wan1"  interval = 1 } }
  line { id = 3  carrier = viettel  bandwidth = 160  probe = none
         counters { router = "127.0.0.1:$PA"  community = "public-a"  ifindex = 7  interval = 1 } }
  line { id = 4  carrier = vnpt  bandwidth = 4000  probe = none
         counters { router = "127.0.0.1:$PA"  version = 3  user = "rtr3"
                    auth-protocol = SHA-512  auth-key = "auth-pass-3"
                    priv-protocol = AES-256  priv-key = "priv-pass-3"  ifindex = 1001  interval = 1 } }
  line { id = 5  carrier = vnpt  bandwidth = 1000  probe = none }
}
office { id = 20  code = "HOT"  name = "Congested office"  level = province
  line { id = 1  carrier = vnpt  bandwidth = 1000  probe = none
         counters { router = "127.0.0.1:$PA"  community = "public-a"  ifindex = 1003  interval = 1 } }
}
office { id = 30  code = "RB"  name = "Router B office"  level = province  tier = 1
  line { id = 1  carrier = vnpt  bandwidth = 1000  path = 1  probe = icmp  target = "127.0.0.1"
         counters { router = "127.0.0.1:$PB"  community = "public-b"  ifindex = 1  interval = 1 } }
  line { id = 2  carrier = viettel  bandwidth = 1000  path = 2  probe = tcp  target = "127.0.0.1"
         port = $TCP_PORT }
}
CONF

# The file holds communities and keys: a world-readable copy is refused.
chmod 644 "$H_TMP/tslcd.conf"
out=$("$H_AGENT" --check-config -c "$H_TMP/tslcd.conf" 2>&1)
h_check "readable config with secrets is refused" grep -q "chmod 600" <<<"$out"
h_check "--allow-readable-secrets overrides" \
	"$H_AGENT" --check-config --allow-readable-secrets -c "$H_TMP/tslcd.conf"
chmod 600 "$H_TMP/tslcd.conf"

h_start_trapd
h_start_master || exit 1
h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent served within 10 s"; h_done; exit 1; }

num() { h_get_num "$1"; }
has_value() { [ -n "$(num "$1")" ]; }
h_check "first rate within 10 s" h_wait_for 100 has_value $L.30.10.1
sleep 4 # past both wraps (64-bit at T0+3 s, 32-bit at T0+5 s)

# ---- exact rates and utilisation, across the 64-bit wrap ----
for round in 1 2; do
	h_expect_eq "10.1 in bps (round $round)" 1000000 "$(num $L.30.10.1)"
	h_expect_eq "10.1 out bps (round $round)" 2000000 "$(num $L.31.10.1)"
	sleep 1.5
done
h_expect_eq "10.1 in util 25 %" 250000 "$(num $L.32.10.1)"
h_expect_eq "10.1 out util 50 %" 500000 "$(num $L.33.10.1)"
h_expect_eq "10.1 counter width hc64" 2 "$(num $L.47.10.1)"
h_expect_eq "10.1 poll status ok" 2 "$(num $L.41.10.1)"
h_expect_eq "10.1 ifIndex" 1001 "$(num $L.40.10.1)"
h_expect_eq "64-bit wrap is not a discontinuity" "" "$(num $L.46.10.1)"
h_check "10.1 HC in octets shown" has_value $L.44.10.1
h_check "10.1 last ok shown" has_value $L.42.10.1
h_expect_eq "10.1 source type ipv4" 1 "$(num $L.38.10.1)"
h_expect_eq "10.1 source as text (not hex)" "127.0.0.1" "$(h_get_str $L.72.10.1)"
h_expect_eq "10.1 congestion window" 30 "$(num $L.36.10.1)"

# ---- month and quarter figures for the reports (tslcdctl) ----
report=$("$H_BUILD/tslcdctl" -s "$H_TMP/control.sock" bandwidth 10.1)
h_check "month average is the steady rate (${report})" \
	grep -qE "month: avg in (99[0-9]{4}|100[0-9]{4}) out (199[0-9]{4}|200[0-9]{4}) bps" <<<"$report"
# The peak is that of a finished sample period (10 s here): wait for one.
peak_filed() {
	"$H_BUILD/tslcdctl" -s "$H_TMP/control.sock" bandwidth 10.1 |
		grep -qE "month: .*peak sample in 25.00% out 50.00%"
}
h_check "month peak sample 25 % in, 50 % out" h_wait_for 150 peak_filed
h_check "quarter figures reported too" grep -q "quarter: avg in" <<<"$report"
h_check "a line without counters is refused" \
	bash -c "! '$H_BUILD/tslcdctl' -s '$H_TMP/control.sock' bandwidth 10.5 2>/dev/null"

# ---- a line without counters: absent, never 0 ----
h_expect_eq "10.5 in bps absent" "" "$(num $L.30.10.5)"
h_expect_eq "10.5 status notConfigured" 1 "$(num $L.41.10.5)"
h_expect_eq "10.5 width unknown" 1 "$(num $L.47.10.5)"
h_expect_eq "10.5 source type unknown(0)" 0 "$(num $L.38.10.5)"
h_expect_eq "10.5 source text empty" "" "$(h_get_str $L.72.10.5)"
h_expect_eq "10.5 ifIndex absent" "" "$(num $L.40.10.5)"

# ---- 32-bit fallback and its wrap ----
h_expect_eq "10.3 counter width c32" 3 "$(num $L.47.10.3)"
h_expect_eq "10.3 in bps across the 32-bit wrap" 80000 "$(num $L.30.10.3)"
h_expect_eq "10.3 out bps" 40000 "$(num $L.31.10.3)"
h_expect_eq "10.3 in util 50 %" 500000 "$(num $L.32.10.3)"

# ---- SNMPv3 authPriv (SHA-512 + AES-256) ----
h_expect_eq "10.4 (v3) poll status ok" 2 "$(num $L.41.10.4)"
h_expect_eq "10.4 (v3) in bps" 1000000 "$(num $L.30.10.4)"

# ---- ifName resolution and renumbering ----
h_expect_eq "10.2 resolved ifName wan1" 1002 "$(num $L.40.10.2)"
h_expect_eq "10.2 in bps" 100000 "$(num $L.30.10.2)"
router_a_values 1005 1188
is_1005() { [ "$(num $L.40.10.2)" = 1005 ]; }
h_check "10.2 re-resolved after renumbering" h_wait_for 60 is_1005
sleep 2.5
h_expect_eq "10.2 rate after renumbering" 100000 "$(num $L.30.10.2)"

# ---- a software upgrade gives ifIndex 7 HC counters: back to 64-bit ----
router_a_values 1005 1188 hc
is_hc64() { [ "$(num $L.47.10.3)" = 2 ]; }
h_check "10.3 moves to hc64 once the router has HC counters" h_wait_for 60 is_hc64
sleep 2.5
h_expect_eq "10.3 in bps on the HC counters (no spike)" 80000 "$(num $L.30.10.3)"
h_expect_eq "10.3 out bps on the HC counters" 40000 "$(num $L.31.10.3)"

# ---- redundancy: tier I office 30 needs two paths ----
nc_pid=
redund() { [ "$(num $O.26.30)" = "$1" ]; }
h_check "office 30 non-compliant with one path up" h_wait_for 100 redund 3
python3 -c "
import socket,time
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $TCP_PORT)); s.listen(16)
while True:
    c,_=s.accept(); c.close()" &
nc_pid=$!
H_PIDS+=("$nc_pid")
h_check "office 30 compliant with both paths up" h_wait_for 100 redund 2
h_check "redundancy transitions reach the listener" \
	grep -q "redundancy compliant" "$H_TMP/agent.log"

# ---- router reboot: uptime drops, counters restart, no spike ----
line_up() { [ "$(num $L.12.30.1)" = 2 ]; }
h_check "line 30.1 up (ICMP)" h_wait_for 100 line_up
h_expect_eq "30.1 in bps before reboot" 400000 "$(num $L.30.30.1)"
router_b_values "$(date +%s)" 0 0
has_disc() { has_value $L.46.30.1; }
h_check "reboot recorded as a discontinuity" h_wait_for 50 has_disc
spike=0
for i in $(seq 1 12); do
	v=$(num $L.30.30.1)
	[ -z "$v" ] || [ "$v" = 400000 ] || spike=$v
	sleep 0.25
done
h_expect_eq "no spike across the reboot" 0 "$spike"
h_expect_eq "30.1 in bps after reboot" 400000 "$(num $L.30.30.1)"

# ---- router stops answering: poll failure, reachability untouched ----
h_router_pause b
timeout_st() { [ "$(num $L.41.30.1)" = 3 ]; }
h_check "stopped router: status timeout" h_wait_for 50 timeout_st
h_check "last fail shown" has_value $L.43.30.1
h_expect_eq "in bps absent while the router is silent" "" "$(num $L.30.30.1)"
h_expect_eq "line 30.1 still up while its router is silent" 2 "$(num $L.12.30.1)"
h_expect_eq "other routers unaffected" 2 "$(num $L.41.10.1)"
h_router_resume b
ok_st() { [ "$(num $L.41.30.1)" = 2 ]; }
h_check "router back: status ok" h_wait_for 50 ok_st

# ---- congestion rule: p95 above 90 % raises, below 85 % clears ----
raised() { grep -q "office 20 line 1: utilisation high" "$H_TMP/agent.log"; }
h_check "utilisation high raised for 20.1" h_wait_for 600 raised
p95=$(num $L.34.20.1)
h_check "20.1 p95 in above 90 % ($p95)" test "${p95:-0}" -gt 900000
h_check "20.1 samples counted" test "$(num $L.37.20.1)" -ge 2
h_check "tslcdUtilisationHigh trap sent" grep -q "$ROOT.0.7" "$H_TMP/traps.log"
h_check "its text in percent of the contract in Mbit/s" grep -qE \
	"of HOT: p95 in [0-9.]+ % of 1 Mbit/s \(raise at 90 %\)" "$H_TMP/traps.log"
router_a_values 1005 100 # 8 % of the contract
cleared() { grep -q "office 20 line 1: utilisation cleared" "$H_TMP/agent.log"; }
h_check "utilisation cleared for 20.1" h_wait_for 600 cleared
h_check "tslcdUtilisationCleared trap sent" grep -q "$ROOT.0.8" "$H_TMP/traps.log"

# ---- restart: the window and the last counters come back from the state file ----
# Routers silent, so every value seen after the restart comes from the file.
before=$(num $L.37.20.1)
h_router_pause a
h_router_pause b
h_stop_agent
# The day's traffic went into the history at stop (line_days of 10.1).
h_check "history: line 10.1's day has bytes, average, peak and p95 rates both ways" test -n \
	"$(sqlite3 "$H_TMP/state/history.db" "SELECT 1 FROM line_days WHERE office_id = 10 AND line_id = 1
	   AND in_bytes > 0 AND out_bytes > 0 AND in_avg_bps > 0 AND in_peak_bps >= in_avg_bps
	   AND out_peak_bps >= out_avg_bps AND in_p95_bps > 0 AND out_p95_bps > 0")"
h_expect_eq "history: a line without counters has no traffic figures (NULL)" 1 \
	"$(sqlite3 "$H_TMP/state/history.db" "SELECT count(*) FROM line_days WHERE office_id = 30
	   AND line_id = 2 AND up_s > 0 AND in_bytes IS NULL AND in_avg_bps IS NULL")"
h_expect_eq "history: 20.1's utilisationHigh raised (value above its threshold) and cleared" \
	"1|1" "$(sqlite3 "$H_TMP/state/history.db" "SELECT
	   min(1, (SELECT count(*) FROM notifications WHERE type = 'utilisationHigh' AND office_id = 20
	           AND line_id = 1 AND \"raise\" = 1 AND threshold > 0 AND value > threshold)),
	   min(1, (SELECT count(*) FROM notifications WHERE type = 'utilisationHigh' AND office_id = 20
	           AND line_id = 1 AND \"raise\" = 0))")"
h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent restarted"; h_done; exit 1; }
after=$(num $L.37.20.1)
h_check "sample window restored after restart ($before -> $after)" test "${after:-0}" -ge 1
h_check "last counters restored (HC octets with the router silent)" has_value $L.44.10.1
h_check "discontinuity time restored" has_value $L.46.30.1
h_router_resume a
h_router_resume b

h_done
