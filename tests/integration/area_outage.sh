#!/usr/bin/env bash
# An area outage (issue 14): NOFF offices of commune 09100, a namespace
# each behind one aggregation router that is NOT configured as a node (and
# no self-check).  area-outage { min-offices = 5 window = 60 }.  Cutting
# the router's link isolates them all at once: one areaOutage, and the
# offices' own raises (lineDown, officeIsolated, redundancyNonCompliant)
# stay held in the alarm table, not sent; restoring it clears everything:
# at most 3 notifications in all, no alarm row left.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/traps.sh"
h_setup

h_require_netns

NOFF=${NOFF:-20} # offices of the commune, one line each
MIN=5            # area-outage.min-offices
K=3 M=2 INTERVAL_MS=1000 TIMEOUT_MS=300 HOLD_S=3 # hold: interval + timeout rounded up + 1
SLACK_MS=2000 # CI runs tests side by side on 2 cores (see netns_link.sh)

h_netns_agg || { h_fail "aggregation router namespace"; h_done; exit 1; }
h_netns_agg_offices "$NOFF" || { h_fail "$NOFF office namespaces"; h_done; exit 1; }
H_CLEANUPS=("kill \${H_AGENT_PID:-}; sleep 0.5" "${H_CLEANUPS[@]}")

{
	cat <<CONF
agent { state-dir = "$H_TMP" control-socket = "" }
probe { interval = $((INTERVAL_MS / 1000))  count = 5  spacing = 50  timeout = $TIMEOUT_MS
        down-after = $K  up-after = $M }
area-outage { min-offices = $MIN  window = 60 }
CONF
	for ((i = 1; i <= NOFF; i++)); do
		cat <<CONF
office { id = $i  code = "BN-A$i"  name = "UBND Xa $i"  level = commune  commune = "09100"
	line { id = 1  carrier = vnpt  bandwidth = 10000  probe = icmp  target = "${H_OFFICE_ADDR[i]}" } }
CONF
	done
} >"$H_TMP/tslcd.conf"

R=$T_ROOT.1
LINE=$R.3.1   # tslcdLineEntry
OFFICE=$R.2.1 # tslcdOfficeEntry
# The area's row (group 1: the only commune), then each office's own:
# lineDown (1), officeIsolated (2), redundancyNonCompliant (9).
held_rows=$({
	echo "13 1 0"
	for ((i = 1; i <= NOFF; i++)); do printf '1 %s 1\n2 %s 0\n9 %s 0\n' "$i" "$i" "$i"; done
} | sort)
rows_are() { [ "$(t_alarm_keys)" == "$1" ]; }

h_start_trapd
h_start_master || exit 1
h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent served"; h_done; exit 1; }
h_check "all $NOFF lines up" h_wait_for 150 h_all_are "$LINE.12" 2 "$NOFF"
h_expect_eq "no notification at start-up" "" "$(t_tally)"

h_netns_agg_cut
t0=$(date +%s%N)
h_check "link cut: areaOutage" t_wait_trap 25 1 150
ms=$(h_ms_since "$t0")
bound=$((K * INTERVAL_MS + TIMEOUT_MS + HOLD_S * 1000 + SLACK_MS))
h_check "area outage within K rounds and the hold (${ms} ms; <= $bound ms)" [ "$ms" -le "$bound" ]
h_check "every office isolated(4)" h_wait_for 50 h_all_are "$OFFICE.13" 4 "$NOFF"
h_expect_eq "every line down(4)" "4 x$NOFF" "$(h_tally "$LINE.12")"
# The offices' raises would go once their hold is over: wait it out.
sleep $((HOLD_S + 2))
h_expect_eq "one areaOutage, nothing else sent" "25 x1" "$(t_tally)"
area=$(t_trap 25)
h_check "areaOutage: threshold min-offices ($MIN)" grep -qxF "$T_ROOT.1.7.4.0 = INTEGER: $MIN" <<<"$area"
h_check "areaOutage: offices total $NOFF" grep -qxF "$T_ROOT.1.7.23.0 = Gauge32: $NOFF" <<<"$area"
down=$(grep -F "$T_ROOT.1.7.22.0 = " <<<"$area" | sed -E 's/.*: //')
h_check "areaOutage: offices down $down in [$MIN, $NOFF]" [ "${down:-0}" -ge "$MIN" -a "${down:-0}" -le "$NOFF" ]
h_expect_eq "alarm table: the area's row and every office's own (held)" "$held_rows" "$(t_alarm_keys)"

h_netns_agg_restore
h_check "link restored: every line up" h_wait_for 100 h_all_are "$LINE.12" 2 "$NOFF"
h_check "areaOutageCleared" t_wait_trap 26 1 100
h_check "alarm table empty" h_wait_for 50 rows_are ""
sleep 2
h_log "notifications by number: $(t_tally)"
h_expect_eq "one areaOutage, one areaOutageCleared" "1 1" "$(t_count_exact 25) $(t_count_exact 26)"
h_check "at most 3 notifications in all ($(t_count))" [ "$(t_count)" -le 3 ]
h_expect_eq "no lineDown/Up, officeIsolated/Restored" "0 0 0 0" \
	"$(t_count_exact 1) $(t_count_exact 2) $(t_count_exact 3) $(t_count_exact 4)"
h_expect_eq "every office up(2)" "2 x$NOFF" "$(h_tally "$OFFICE.13")"
h_expect_eq "alarm table still empty" "" "$(t_alarm_keys)"

h_stop_agent # before the namespaces go
h_done
