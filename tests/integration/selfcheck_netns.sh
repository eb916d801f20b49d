#!/usr/bin/env bash
# The agent's own uplink (issue 14): the self-check's reference targets (the
# aggregation router and a "province gateway" namespace behind it) sit
# behind the same link as NOFF offices.  Cutting that link impairs
# monitoring: one monitoringImpaired, tslcdMonitoringState impaired(3), no
# line or office notification, the lines keep their status (up); restoring
# it gives one monitoringRestored and still nothing for the lines.  The
# lines' availability, downtime and outages do not move: the time counts as
# unknown (tslcdIntervalTable, 1-minute intervals).
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/traps.sh"
h_setup

h_require_netns

NOFF=${NOFF:-5} # offices behind the uplink, one line each
HOLD_CUT_S=5    # how long the link stays cut once monitoring is impaired
K=3 M=2 INTERVAL_MS=1000 TIMEOUT_MS=300
SLACK_MS=2000 # CI runs tests side by side on 2 cores (see netns_link.sh)

h_netns_agg || { h_fail "aggregation router namespace"; h_done; exit 1; }
# Slot NOFF+1 is the second reference (a gateway), not an office.
h_netns_agg_offices $((NOFF + 1)) || { h_fail "office namespaces"; h_done; exit 1; }
GW=${H_OFFICE_ADDR[NOFF + 1]}
H_CLEANUPS=("kill \${H_AGENT_PID:-}; sleep 0.5" "${H_CLEANUPS[@]}")

{
	cat <<CONF
agent { state-dir = "$H_TMP" control-socket = "" interval-minutes = 1 }
probe { interval = $((INTERVAL_MS / 1000))  count = 5  spacing = 50  timeout = $TIMEOUT_MS
        down-after = $K  up-after = $M }
self-check { targets = {"$H_AGG_ADDR", "$GW"}  probe = icmp }
CONF
	for ((i = 1; i <= NOFF; i++)); do
		cat <<CONF
office { id = $i  code = "BN-S$i"  name = "UBND Xa $i"  level = commune  commune = "09100"
	line { id = 1  carrier = viettel  bandwidth = 10000  probe = icmp  target = "${H_OFFICE_ADDR[i]}" } }
CONF
	done
} >"$H_TMP/tslcd.conf"

R=$T_ROOT.1
LINE=$R.3.1    # tslcdLineEntry
OFFICE=$R.2.1  # tslcdOfficeEntry
OUT=$R.4.1     # tslcdOutageEntry
IV=$R.8.2.1    # tslcdIntervalEntry
MON=$R.1.32.0  # tslcdMonitoringState
mon_is() { [ "$(h_get_num $MON)" == "$1" ]; }
# Line notifications (lineDown/Up, officeIsolated/Restored, lineDegraded/Cleared).
line_traps() { echo $(($(t_count_exact 1) + $(t_count_exact 2) + $(t_count_exact 3) +
	$(t_count_exact 4) + $(t_count_exact 5) + $(t_count_exact 6))); }
# Availability figures of every line: 24 h, downtime and outages this quarter.
avail() { echo "$(h_tally "$LINE.21"); $(h_tally "$LINE.29"); $(h_tally "$LINE.28")"; }
avail_is() { [ "$(avail)" == "$1" ]; }
# Sum of one interval column (tslcdIntervalEntry.$1) over every row of line 1.1.
iv_sum() { h_column "$IV.$1.1.1" | awk '{ s += $1 } END { print s + 0 }'; }

h_start_trapd
h_start_master || exit 1
t_start=$(date +%s)
h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent served"; h_done; exit 1; }
h_check "all $NOFF lines up" h_wait_for 150 h_all_are "$LINE.12" 2 "$NOFF"
t_up=$(date +%s)
h_check "monitoring ok(2)" h_wait_for 50 mon_is 2
# Monitoring is ok with one reference up; the other may answer a round later.
refs_are() { [ "$(h_get_num $R.1.33.0) $(h_get_num $R.1.34.0)" == "$1" ]; }
h_check "references total 2, up 2" h_wait_for 50 refs_are "2 2"
h_expect_eq "no notification at start-up" "" "$(t_tally)"
# Time is accounted every 5 s (the agent's tick): wait for the first figures.
h_check "every line fully available, no downtime, no outage" h_wait_for 80 avail_is \
	"1000000 x$NOFF; 0 x$NOFF; 0 x$NOFF"
avail_before=$(avail)

h_netns_agg_cut
t0=$(date +%s%N)
t_cut=$(date +%s)
h_check "uplink cut: monitoring impaired(3)" h_wait_for 150 mon_is 3
ms=$(h_ms_since "$t0")
t_imp=$(date +%s)
bound=$((K * INTERVAL_MS + TIMEOUT_MS + 1000 + SLACK_MS))
h_check "impaired after K rounds (${ms} ms; theory <= $((bound - SLACK_MS)) ms + 2 s)" \
	[ "$ms" -le "$bound" ]
h_check "not impaired before K-1 full rounds (${ms} ms)" [ "$ms" -ge $(((K - 1) * INTERVAL_MS)) ]
h_check "monitoringImpaired received" t_wait_trap 23 1 100
h_expect_eq "references up 0" 0 "$(h_get_num $R.1.34.0)"
# While it lasts, every look at the lines finds them up, as before the cut.
seen=""
end=$(($(date +%s) + HOLD_CUT_S))
while [ "$(date +%s)" -lt "$end" ]; do
	seen="$seen$(h_tally "$LINE.12"); $(h_tally "$OFFICE.13")"$'\n'
	sleep 0.5
done
h_expect_eq "lines stay up(2), offices up(2) while impaired" \
	"2 x$NOFF; 2 x$NOFF" "$(sort -u <<<"${seen%$'\n'}")"
h_expect_eq "one monitoringImpaired" 1 "$(t_count_exact 23)"
h_expect_eq "no line or office notification" 0 "$(line_traps)"
h_expect_eq "nothing else sent" "23 x1" "$(t_tally)"

h_netns_agg_restore
t0=$(date +%s%N)
t_restore=$(date +%s)
h_check "uplink restored: monitoring ok(2)" h_wait_for 100 mon_is 2
ms=$(h_ms_since "$t0")
t_ok=$(date +%s)
bound=$((M * INTERVAL_MS + TIMEOUT_MS + SLACK_MS))
h_check "ok again after M rounds (${ms} ms; theory <= $((bound - SLACK_MS)) ms + 2 s)" \
	[ "$ms" -le "$bound" ]
h_check "monitoringRestored received" t_wait_trap 24 1 100
sleep 2
h_expect_eq "one monitoringRestored" 1 "$(t_count_exact 24)"
h_expect_eq "still no line or office notification" 0 "$(line_traps)"
h_expect_eq "nothing else sent" "23 x1, 24 x1" "$(t_tally)"
h_expect_eq "lines up(2)" "2 x$NOFF" "$(h_tally "$LINE.12")"
h_expect_eq "no outage row" "" "$(h_column "$OUT.4")"

# The intervals: once the minute of the restore is complete (and accounted,
# at the next tick), line 1.1's rows hold no down time, and unknown time for
# the impairment: at least from when it was seen impaired to the restore, at
# most the start-up's (interval start to lines up) plus cut to seen ok, one
# second of rounding each.
sleep $((60 - $(date +%s) % 60))
want_rows=$(($(date +%s) / 60 - t_start / 60)) # minutes complete since the start's
rows_complete() {
	rows=$(h_get_num $R.8.1.1.0)
	[ "${rows:-0}" -ge "$want_rows" ] && [ $(($(iv_sum 3) + $(iv_sum 4) + $(iv_sum 5) + $(iv_sum 6) +
		$(iv_sum 7))) -eq $((60 * rows)) ]
}
h_check "line 1.1's interval rows add up to 60 s each" h_wait_for 100 rows_complete
h_log "$rows interval rows; cut $((t_imp - t_cut)) s before impaired, restored $((t_ok - t_restore)) s after"
h_expect_eq "no down seconds" 0 "$(iv_sum 5)"
unk=$(iv_sum 7)
lo=$((t_restore - t_imp - 2))
hi=$((t_up - t_start / 60 * 60 + t_ok - t_cut + 2))
h_check "unknown seconds $unk in [$lo, $hi]" [ "$unk" -ge "$lo" -a "$unk" -le "$hi" ]
h_expect_eq "availability, downtime, outages unchanged" "$avail_before" "$(avail)"

h_stop_agent # before the namespaces go
h_done
