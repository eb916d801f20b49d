#!/usr/bin/env bash
# A node cut (issue 14): an aggregation router (a namespace) stands between
# the agent and NOFF offices (a namespace each behind it), configured as
# node 1 that every office goes `via`.  Cutting the router's link gives one
# nodeDown and no lineDown/officeIsolated: every line is unreachable(7), its
# outage row says cause upstream(10), node 1; restoring it gives one nodeUp
# and no lineUp/officeRestored.  Second round: the node is cut again and,
# during its outage, office 7's own link as well; when the node comes back
# office 7 alone raises its lineDown (after the hold) and stays down.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/traps.sh"
h_setup

h_require_netns

NOFF=${NOFF:-50} # offices behind the node, one line each
CUT=7            # the office whose own link goes in the second round
# Probe timing (as netns_link.sh): K = down-after rounds of INTERVAL s,
# M = up-after; the hold of line raises behind a node is then
# interval + timeout rounded up + 1 = 3 s.
K=3 M=2 INTERVAL_MS=1000 TIMEOUT_MS=300 HOLD_S=3
SLACK_MS=2000 # CI runs tests side by side on 2 cores (see netns_link.sh)

h_netns_agg || { h_fail "aggregation router namespace"; h_done; exit 1; }
h_netns_agg_offices "$NOFF" || { h_fail "$NOFF office namespaces"; h_done; exit 1; }
# Stop the agent before the namespaces go (cleanups run before the kills).
H_CLEANUPS=("kill \${H_AGENT_PID:-}; sleep 0.5" "${H_CLEANUPS[@]}")

{
	cat <<CONF
agent { state-dir = "$H_TMP" control-socket = "" }
# Office CUT changes state 5 times: far from flapping (which would hold its lineDown).
notify { flap-count = 10 }
probe { interval = $((INTERVAL_MS / 1000))  count = 5  spacing = 50  timeout = $TIMEOUT_MS
        down-after = $K  up-after = $M }
node {
	id = 1  name = "Agg Tu Son"  carrier = vnpt  probe = icmp
	targets = {"$H_AGG_ADDR"}
}
CONF
	for ((i = 1; i <= NOFF; i++)); do
		cat <<CONF
office { id = $i  code = "BN-N$i"  name = "UBND Xa $i"  level = commune  commune = "09100"  via = 1
	line { id = 1  carrier = vnpt  bandwidth = 10000  probe = icmp  target = "${H_OFFICE_ADDR[i]}" } }
CONF
	done
} >"$H_TMP/tslcd.conf"

R=$T_ROOT.1
LINE=$R.3.1     # tslcdLineEntry
OFFICE=$R.2.1   # tslcdOfficeEntry
OUT=$R.4.1      # tslcdOutageEntry
NODE=$R.9.1     # tslcdNodeEntry
node_is() { [ "$(h_get_num "$NODE.5.1")" == "$1" ]; }

h_start_trapd
h_start_master || exit 1
h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent served"; h_done; exit 1; }
h_check "all $NOFF lines up" h_wait_for 150 h_all_are "$LINE.12" 2 "$NOFF"
h_check "node 1 up" h_wait_for 50 node_is 2
h_expect_eq "tslcdNodesTotal" 1 "$(h_get_num $R.1.36.0)"
h_expect_eq "node 1: targets 1, up 1, offices behind, lines behind" "1 1 $NOFF $NOFF" \
	"$(h_get_num $NODE.7.1) $(h_get_num $NODE.8.1) $(h_get_num $NODE.9.1) $(h_get_num $NODE.10.1)"
h_expect_eq "no notification at start-up" "" "$(t_tally)"

# ---- round 1: the node's link is cut ----
h_netns_agg_cut
t0=$(date +%s%N)
h_check "link cut: node 1 down(3)" h_wait_for 150 node_is 3
ms=$(h_ms_since "$t0")
bound=$((K * INTERVAL_MS + TIMEOUT_MS + 1000 + SLACK_MS))
h_check "node declared down after K rounds (${ms} ms; theory <= $((bound - SLACK_MS)) ms + 2 s)" \
	[ "$ms" -le "$bound" ]
h_check "not declared before K-1 full rounds (${ms} ms)" [ "$ms" -ge $(((K - 1) * INTERVAL_MS)) ]
h_check "nodeDown received" t_wait_trap 21 1 100
h_check "every line unreachable(7)" h_wait_for 50 h_all_are "$LINE.12" 7 "$NOFF"
h_check "every office unreachable(6)" h_wait_for 50 h_all_are "$OFFICE.13" 6 "$NOFF"
# A line raise held behind the node would be sent after HOLD_S: wait it out.
sleep $((HOLD_S + 2))
h_expect_eq "exactly one nodeDown" 1 "$(t_count_exact 21)"
h_expect_eq "no lineDown" 0 "$(t_count_exact 1)"
h_expect_eq "no officeIsolated" 0 "$(t_count_exact 3)"
h_expect_eq "nothing else sent" "21 x1" "$(t_tally)"
down=$(t_trap 21)
h_expect_eq "nodeDown: node 1's name and status down(3)" "$NODE.2.1 = STRING: \"Agg Tu Son\"
$NODE.5.1 = INTEGER: 3" "$(grep -F "$NODE." <<<"$down" | head -n 2)"
h_log "nodeDown: offices affected $(grep -F "$NODE.11.1 = " <<<"$down" | sed -E 's/.*: //')"
h_expect_eq "alarm table: the nodeDown row (office column = node 1) only" "11 1 0" "$(t_alarm_keys)"
h_expect_eq "lines still unreachable (not down) after the hold" "7 x$NOFF" "$(h_tally "$LINE.12")"
h_expect_eq "node 1: targets up 0, offices affected, lines affected" "0 $NOFF $NOFF" \
	"$(h_get_num $NODE.8.1) $(h_get_num $NODE.11.1) $(h_get_num $NODE.12.1)"
h_expect_eq "tslcdNodesDown" 1 "$(h_get_num $R.1.37.0)"
h_expect_eq "one open outage per line" "1 x$NOFF" "$(h_tally "$OUT.4")"
h_expect_eq "outage cause upstream(10)" "10 x$NOFF" "$(h_tally "$OUT.6")"
h_expect_eq "tslcdOutageNode 1" "1 x$NOFF" "$(h_tally "$OUT.10")"

h_netns_agg_restore
t0=$(date +%s%N)
h_check "link restored: node 1 up(2)" h_wait_for 100 node_is 2
ms=$(h_ms_since "$t0")
bound=$((M * INTERVAL_MS + TIMEOUT_MS + SLACK_MS))
h_check "node back up after M rounds (${ms} ms; theory <= $((bound - SLACK_MS)) ms + 2 s)" \
	[ "$ms" -le "$bound" ]
h_check "nodeUp received" t_wait_trap 22 1 100
h_check "every line up(2) again" h_wait_for 50 h_all_are "$LINE.12" 2 "$NOFF"
h_check "every office up(2) again" h_wait_for 50 h_all_are "$OFFICE.13" 2 "$NOFF"
sleep 2
h_expect_eq "exactly one nodeUp" 1 "$(t_count_exact 22)"
h_expect_eq "no lineUp" 0 "$(t_count_exact 2)"
h_expect_eq "no officeRestored" 0 "$(t_count_exact 4)"
h_expect_eq "nothing else sent" "21 x1, 22 x1" "$(t_tally)"
h_expect_eq "every outage closed" "2 x$NOFF" "$(h_tally "$OUT.4")"
h_check "nodeUp: offices affected 0" grep -qxF "$NODE.11.1 = Gauge32: 0" <<<"$(t_trap 22)"
h_expect_eq "alarm table empty" "" "$(t_alarm_keys)"
h_expect_eq "node 1: nothing affected; tslcdNodesDown 0" "0 0 0" \
	"$(h_get_num $NODE.11.1) $(h_get_num $NODE.12.1) $(h_get_num $R.1.37.0)"

# ---- round 2: the node again, and office CUT's own link during its outage ----
h_netns_agg_cut
h_check "cut again: node 1 down" h_wait_for 150 node_is 3
h_check "every line unreachable again" h_wait_for 50 h_all_are "$LINE.12" 7 "$NOFF"
h_netns_agg_office_cut "$CUT"
sleep 2
h_expect_eq "no lineDown while the node is down" 0 "$(t_count_exact 1)"
h_netns_agg_restore
h_check "node 1 up again" h_wait_for 100 node_is 2
t0=$(date +%s%N)
h_check "office $CUT's lineDown follows the node's recovery" t_wait_trap 1 1 $(((HOLD_S + 5) * 10))
h_log "lineDown $(h_ms_since "$t0") ms after node 1 was seen up (hold ${HOLD_S} s)"
# "office 7: 4; 2 x49": line CUT's status, then a tally of the others'.
line_states() {
	h_column "$LINE.12" | awk -v c="$CUT" 'NR == c { cut = $1; next } { n[$1]++ }
		END { s = "office " c ": " cut ";"; for (v in n) s = s " " v " x" n[v]; print s }'
}
want="office $CUT: 4; 2 x$((NOFF - 1))"
states_are_want() { [ "$(line_states)" == "$want" ]; }
h_check "every other line up(2), office $CUT's down(4)" h_wait_for 50 states_are_want
sleep 2
h_expect_eq "one lineDown in all" 1 "$(t_count_exact 1)"
h_expect_eq "and it names office $CUT" 1 "$(t_count_office 1 "$CUT")"
h_check "it was sent after the second nodeUp (seq $(t_trap 1 | t_seq_of) > $(t_trap 22 2 | t_seq_of))" \
	[ "$(t_trap 1 | t_seq_of)" -gt "$(t_trap 22 2 | t_seq_of)" ]
h_expect_eq "office $CUT isolated(4)" 4 "$(h_get_num "$OFFICE.13.$CUT")"
h_expect_eq "one officeIsolated, office $CUT's" "1 1" "$(t_count_exact 3) $(t_count_office 3 "$CUT")"
h_expect_eq "nodeDown, nodeUp: two each" "2 2" "$(t_count_exact 21) $(t_count_exact 22)"
h_expect_eq "no lineUp or officeRestored" "0 0" "$(t_count_exact 2) $(t_count_exact 4)"
h_expect_eq "nothing else sent (office $CUT: redundancyNonCompliant too)" \
	"1 x1, 3 x1, 17 x1, 21 x2, 22 x2" "$(t_tally)"
h_expect_eq "the only line down is office $CUT's" "$want" "$(line_states)"
h_expect_eq "alarm table: office $CUT's lineDown, officeIsolated, redundancyNonCompliant" \
	"1 $CUT 1
2 $CUT 0
9 $CUT 0" "$(t_alarm_keys)"

h_stop_agent # before the namespaces go
h_done
