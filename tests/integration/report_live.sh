#!/usr/bin/env bash
# `tslcdctl report` on the history the agent itself wrote (issue 13, "known
# history"): a real snmpd master and the agent probe TCP ports on 127.0.0.1
# that the test closes for a known time; causes and tickets are set with
# `tslcdctl outage-cause`; the agent is stopped (SIGTERM) and restarted once
# and killed with -9 once.  The report of this month is then checked, from
# the JSON (python3) and the CSV, against what the database holds (sqlite3
# CLI) and against the script: outage counts per office (the time it was
# isolated: office 2's backup line carries it through its primary's outage,
# which stays in the incident list) and by cause, each
# incident's duration equal to the outages row and within the scripted
# length +- one probe round, availability ppm equal to what office_days give
# by the report's formula, cause and ticket in the incident list, and day
# totals not counted twice across the restart and the kill -9, nor an
# outage opened just before the kill -9 kept open forever.  A report is
# also run while the agent writes (WAL) and marks the period partial, and
# one by a user who may read the state dir but not write it.  The settings
# the report judges by (SLA target, readiness max-age, congestion threshold)
# are the agent's.  About 50 s.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
h_setup
# The report is of "this month": not across a midnight (a month's end).
h_clear_of_midnight 300

L=.1.3.6.1.4.1.8072.9999.9999.84.1.3.1 # tslcdLineEntry
STATE=$H_TMP/state
DB=$STATE/history.db
CTL="$H_BUILD/tslcdctl -s $H_TMP/control.sock"
OUTAGE_S=8 # scripted length of each outage
ROUND_S=1  # probe interval
SAVE_S=5   # state save interval
mkdir -p "$STATE"

declare -A PORT LPID
for name in one two backup closed four; do PORT[$name]=$(h_free_port); done
listen() { # listen NAME: accept (and drop) connections on its port
	socat "TCP4-LISTEN:${PORT[$1]},bind=127.0.0.1,reuseaddr,fork" /dev/null &
	LPID[$1]=$!
	H_PIDS+=("${LPID[$1]}")
}
unlisten() {
	kill "${LPID[$1]}"
	h_wait_gone "${LPID[$1]}" 20
}
for name in one two backup four; do listen "$name"; done

line() { # line ID CARRIER PORT-NAME [ROLE]
	echo "line { id = $1  carrier = $2  circuit = \"C-$1-${PORT[$3]}\"  bandwidth = 10000" \
		" role = ${4:-primary}  probe = tcp  target = \"127.0.0.1\"  port = ${PORT[$3]} }"
}
cat >"$H_TMP/tslcd.conf" <<CONF
agent { state-dir = "$STATE"  control-socket = "$H_TMP/control.sock"  save-interval = $SAVE_S
        history-interval = 3  province-code = "24"  province-name = "Bắc Ninh" }
notify { sla-target = 99.5 }
readiness { max-age = 20 }
bandwidth { threshold-raise = 80  threshold-clear = 70 }
probe { interval = $ROUND_S  count = 2  spacing = 50  timeout = 300  down-after = 2  up-after = 2 }
office { id = 1  code = "BN-01"  name = "UBND xã Một"  level = commune  commune = "09101"
	$(line 1 vnpt one) }
office { id = 2  code = "BN-02"  name = "UBND xã Hai"  level = commune  commune = "09102"
	$(line 1 viettel two)
	$(line 2 vnpt backup backup) }
office { id = 3  code = "BN-03"  name = "UBND xã Ba"  level = commune  commune = "09103"
	$(line 1 vnpt closed) }
office { id = 4  code = "BN-04"  name = "UBND xã Bốn"  level = commune  commune = "09104"
	$(line 1 viettel four) }
CONF

q() { sqlite3 -batch -noheader "file:$DB?mode=ro" "$1" 2>/dev/null; }
has() { [ -n "$(q "$1")" ]; }
get() { h_snmp snmpget -Ov -Oe "$1" 2>/dev/null | sed -E 's/^[A-Za-z0-9-]+: //'; }
status_is() { [ "$(get "$L.12.$1")" == "$2" ]; }
all_up() { status_is 1.1 2 && status_is 2.1 2 && status_is 2.2 2 && status_is 4.1 2; }

# Wall time the agent ran, summed over its runs: the ceiling of any day total.
RAN=0
run_start() {
	RUN_T0=$(date +%s)
	h_start_agent "$H_TMP/tslcd.conf" || {
		h_fail "agent served ($1)"
		h_done
		exit 1
	}
}
run_end() { # run_end SIGNAL
	kill "-$1" "$H_AGENT_PID"
	h_wait_gone "$H_AGENT_PID" 100
	RAN=$((RAN + $(date +%s) - RUN_T0 + 1))
}
# outage LINE PORT-NAME: the port is closed for OUTAGE_S seconds.
outage() {
	local t0=$EPOCHREALTIME
	unlisten "$2"
	h_check "line $1 down" h_wait_for 60 status_is "$1" 4
	sleep "$(awk -v t0="$t0" -v now="$EPOCHREALTIME" -v s="$OUTAGE_S" 'BEGIN { print t0 + s - now }')"
	listen "$2"
	h_check "line $1 up again" h_wait_for 60 status_is "$1" 2
}
in_db() { # in_db WHERE: an outages row matching it is committed
	h_check "in history.db: $1" h_wait_for 50 has "SELECT 1 FROM outages WHERE $1"
}

h_start_master || exit 1

# ---- run 1: an outage of office 1 with a cause and ticket, then SIGTERM ----
run_start "first start"
first_up() { all_up && status_is 3.1 4; }
h_check "lines up (3.1, on a closed port, down)" h_wait_for 80 first_up
outage 1.1 one
h_check "tslcdctl sets cause and ticket" $CTL outage-cause 1.1 1 powerLoss OMC-2026-1187
in_db "office_id = 1 AND cause = 'powerLoss' AND end IS NOT NULL"

MONTH=$(TZ=Asia/Ho_Chi_Minh date +%Y-%m)
report() { "$H_BUILD/tslcdctl" report --db "$DB" --period "$MONTH" "$@"; }
# ---- a report while the agent writes (WAL) ----
h_check "report while the agent runs" bash -c "'$H_BUILD/tslcdctl' report --db '$DB' \
	--period $MONTH --format json -o '$H_TMP/running.json'"
h_expect_eq "running: period partial, office 1's outage, office 3's still open" \
	"True 1 None" "$(python3 -c "
import json; r = json.load(open('$H_TMP/running.json'))
o1 = next(o for o in r['offices'] if o['id'] == 1)
i3 = next(i for i in r['incidents'] if i['office_id'] == 3)
print(r['period']['partial'], o1['outages']['count'], i3['end'])")"
run_end TERM

# ---- run 2: an outage of office 2's primary line, then kill -9 ----
run_start "after SIGTERM"
h_check "lines up after the restart" h_wait_for 80 all_up
outage 2.1 two
h_check "cause and ticket of 2.1" $CTL outage-cause 2.1 1 fiberCut VT-77
in_db "office_id = 2 AND cause = 'fiberCut' AND end IS NOT NULL"
sleep 6 # a state save after the outage: the kill -9 loses nothing of it
# Office 4's line fails just before the kill -9: history.db has its open
# outage, the state file (saved every SAVE_S) does not.  After the restart
# the line is found down again: one outage, not a second one that history.db
# would keep open (and the report count) forever.
unlisten four
in_db "office_id = 4 AND end IS NULL"
run_end 9

# ---- run 3: a second outage of office 1 (cause left unknown), SIGTERM ----
run_start "after kill -9"
h_check "line 4.1 down again after the kill -9" h_wait_for 80 status_is 4.1 4
listen four
h_check "lines up after the kill -9" h_wait_for 80 all_up
outage 1.1 one
in_db "office_id = 1 AND outage_idx = 2 AND end IS NOT NULL"
sleep 3
run_end TERM
h_log "the agent ran $RAN s in all"

# ---- read by someone who may read the state dir but not write it ----
# (the officer in the agent's group): SQLite opens a WAL database
# read-only only while its -wal and -shm exist, so the agent keeps them.
h_check "the stopped agent left history.db-shm and an empty -wal" test -e "$DB-shm" -a -e "$DB-wal" -a ! -s "$DB-wal"
RO=$(mktemp -d /tmp/tslcd-ro.XXXXXX)
H_CLEANUPS+=("rm -rf '$RO'")
cp -p "$DB" "$DB-wal" "$DB-shm" "$RO/" 2>/dev/null
chgrp -R nogroup "$RO" && chmod 0750 "$RO" && chmod -R g-w,o-rwx "$RO"/*
h_check "a report by a read-only member of the group (uid nobody)" bash -c \
	"setpriv --reuid=nobody --regid=nogroup --clear-groups '$H_BUILD/tslcdctl' report \
	 --db '$RO/history.db' --period $MONTH --format json | python3 -m json.tool >/dev/null"

# ---- the report of this month, on the stopped agent's history.db ----
report --format json -o "$H_TMP/month.json" || h_fail "JSON report"
report --format csv -o "$H_TMP/csv" || h_fail "CSV report"
q "SELECT office_id, line_id, outage_idx, start, end, duration, cause, ticket FROM outages" \
	>"$H_TMP/outages.txt"
q "SELECT office_id, day, up_s, down_s, maint_s, unknown_s FROM office_days" >"$H_TMP/odays.txt"
q "SELECT office_id, line_id, sum(up_s + degraded_s + down_s + maint_s) FROM line_days
   GROUP BY office_id, line_id" >"$H_TMP/ldays.txt" # all days: the test may cross midnight

# One python3 reads the report and the database dumps and prints one
# "name: value" per figure; the assertions below compare them.
python3 - "$H_TMP" "$OUTAGE_S" "$ROUND_S" "$RAN" "$SAVE_S" >"$H_TMP/figures.txt" <<'PY'
import csv, json, sys
from datetime import datetime
tmp, scripted, round_s, ran, save_s = sys.argv[1], *map(int, sys.argv[2:])
r = json.load(open(f"{tmp}/month.json"))
rows = lambda f: [l.split("|") for l in open(f"{tmp}/{f}").read().split("\n") if l]
out = {}
def put(k, v): out[k] = v

def epoch(iso): return int(datetime.fromisoformat(iso).timestamp())
outages = {(int(o), int(l), int(s)): (e, d, c, t) for o, l, i, s, e, d, c, t in rows("outages.txt")}
offices = {o["id"]: o for o in r["offices"]}
for oid, o in sorted(offices.items()):
    causes = ",".join(f"{c}={n}" for c, n in o["outages"]["by_cause"].items() if n)
    put(f"office {oid} outages", f"{o['outages']['count']} {causes}".strip())
    lines_s = sum(i["duration_s"] for i in r["incidents"] if i["office_id"] == oid)
    put(f"office {oid} downtime longest lines", " ".join(
        str(v) for v in (o["outages"]["downtime_s"], o["outages"]["longest_s"], lines_s)))
by = r["summary"]["incidents_by_cause"]
put("by cause", ",".join(f"{c}={v['count']}" for c, v in by.items() if v["count"]))

until = epoch(r["period"]["start"]) + r["period"]["seconds"]
for i in r["incidents"]:
    key = (i["office_id"], i["line_id"], epoch(i["start"]))
    end, dur, cause, ticket = outages.get(key, ("?", "?", "?", "?"))
    name = f"incident {key[0]}.{key[1]} at {key[2]}"
    if i["end"] is None:  # open: runs to the period's end (until)
        put(f"{name} open", f"{end or 'NULL'} {i['duration_s'] == until - key[2]}")
    else:
        # +1: whole seconds; office 4's outage is not scripted (the kill -9)
        ok = key[0] == 4 or abs(i["duration_s"] - scripted) <= round_s + 1
        put(f"{name} {i['duration_s']} s", f"{i['duration_s'] == int(dur)} {ok}")
    put(f"{name} cause ticket", f"{i['cause']} {i['ticket']} / {cause} {ticket or None}")

# Known time (up, degraded, down, maintenance) of the day cannot exceed the
# time the agent ran (counted twice it would), and falls short of it only by
# each start's first rounds (up-after) and what a kill -9 lost since the last
# state save: the history is continuous.
def known_ok(known): return ran - 3 * (3 * round_s) - save_s <= known <= ran

def ppm(num, den): return (num * 1000000 + den // 2) // den if den > 0 else -1
first, through = r["period"]["first_day"], r["period"]["last_day"]
period_s = r["period"]["seconds"]
for oid, o in sorted(offices.items()):
    days = [list(map(int, (u, d, m, k))) for i, day, u, d, m, k in rows("odays.txt")
            if int(i) == oid and first <= day <= through]
    up, down, maint, unknown = (sum(d[k] for d in days) for k in range(4))
    unknown += max(0, period_s - (up + down + maint + unknown))
    want = (ppm(up, period_s - unknown), ppm(up, period_s - unknown - maint))
    got = (o["availability"]["raw_ppm"], o["availability"]["adjusted_ppm"])
    put(f"office {oid} ppm {got}", want == got)
    put(f"office {oid} seconds add up", sum(o["seconds"].values()) == period_s)
    # Known time (up, down, maintenance) of one day cannot exceed the time
    # the agent ran; counted twice it would.
    put(f"office {oid} known {up + down + maint} s of {ran} s", known_ok(up + down + maint))
    put(f"office {oid} states", f"{o['tier']} {o['redundancy']} {o['readiness']}")
    put(f"office {oid} sla", f"{o['sla_target_ppm']} {o['availability']['below_sla']}")
for oid, lid, known in rows("ldays.txt"):
    put(f"line {oid}.{lid} known {known} s of {ran} s", known_ok(int(known)))

rd = lambda f: list(csv.DictReader(open(f"{tmp}/csv/{f}", encoding="utf-8-sig")))
for row in rd("offices.csv"):
    o = offices[int(row["office_id"])]
    # The two reports run a moment apart, and an open outage (office 3)
    # runs to each one's "now": its downtime may differ by those seconds.
    same = (int(row["outages"]), int(row["availability_raw_ppm"])) == \
           (o["outages"]["count"], o["availability"]["raw_ppm"]) and \
           abs(int(row["downtime_s"]) - o["outages"]["downtime_s"]) <= 5
    put(f"csv office {row['office_id']} as JSON", same)
put("csv incidents", " ".join(f"{i['office_id']}.{i['line_id']}:{i['cause']}:{i['ticket']}"
                              for i in rd("incidents.csv")))
for k, v in out.items(): print(f"{k}: {v}")
PY
fig() { sed -n "s/^$1: //p" "$H_TMP/figures.txt"; }
cat "$H_TMP/figures.txt" | sed 's/^/  | /'

h_expect_eq "office 1: two outages, powerLoss and unknown" "2 unknown=1,powerLoss=1" "$(fig 'office 1 outages')"
h_expect_eq "office 2: no outage (its backup line carried it)" "0" "$(fig 'office 2 outages')"
set -- $(fig 'office 2 downtime longest lines')
h_expect_eq "office 2: no downtime, no longest outage" "0 0" "$1 $2"
h_check "office 2: its primary's outage in the incident list ($3 s)" test "${3:-0}" -gt 0
set -- $(fig 'office 1 downtime longest lines')
h_expect_eq "office 1 (one line): its downtime is its line's" "$3" "$1"
h_check "office 1: longest outage ($2 s) of its downtime ($1 s)" test "${2:-0}" -gt 0 -a "${2:-0}" -lt "${1:-0}"
h_expect_eq "office 3: one (open) outage across the restarts" "1 unknown=1" "$(fig 'office 3 outages')"
h_expect_eq "office 4: one outage across the kill -9" "1 unknown=1" "$(fig 'office 4 outages')"
h_expect_eq "incidents by cause" "unknown=3,powerLoss=1,fiberCut=1" "$(fig 'by cause')"
h_expect_eq "five line outage rows in history.db (none twice)" 5 "$(grep -vc '^[0-9]*|0|' "$H_TMP/outages.txt")"
h_expect_eq "office 4's outage closed" "" "$(grep '^4|1|.*|unknown|$' "$H_TMP/outages.txt" | grep '||')"
# Office rows (line_id 0): office 1's first took the cause set on its line
# after the outage, office 3's stays open across the restarts, office 4's
# opened before the kill -9 is gone (one closed row), office 2 has none.
h_expect_eq "office outage rows: cause, still open" "1|powerLoss|0
1|unknown|0
3|unknown|1
4|unknown|0" "$(q "SELECT office_id, cause, end IS NULL FROM outages WHERE line_id = 0
                  ORDER BY office_id, start")"
h_expect_eq "closed incidents: duration = outages row, scripted +- a round" "True True
True True
True True
True True" "$(grep -E '^incident [0-9.]+ at [0-9]+ [0-9]+ s: ' "$H_TMP/figures.txt" | sed 's/.*: //')"
h_expect_eq "office 3's open outage: end NULL, runs to the period's until" "NULL True" \
	"$(sed -n 's/^incident 3.1 at [0-9]* open: //p' "$H_TMP/figures.txt")"
h_expect_eq "causes and tickets in the incident list" \
	"fiberCut VT-77 / fiberCut VT-77
powerLoss OMC-2026-1187 / powerLoss OMC-2026-1187
unknown None / unknown None
unknown None / unknown None
unknown None / unknown None" \
	"$(grep -E '^incident .* cause ticket: ' "$H_TMP/figures.txt" | sed 's/.*: //' | sort)"
for o in 1 2 3 4; do
	h_expect_eq "office $o: availability ppm from office_days" True \
		"$(sed -n "s/^office $o ppm .*: //p" "$H_TMP/figures.txt")"
	h_expect_eq "office $o: up + down + maint + unknown = period" True "$(fig "office $o seconds add up")"
	h_expect_eq "office $o CSV = JSON" True "$(fig "csv office $o as JSON")"
done
h_expect_eq "day totals not counted twice (restart, kill -9)" "" \
	"$(grep -E '(office|line) .* known .*: False' "$H_TMP/figures.txt")"
h_expect_eq "MIB enum names: tier, redundancy, readiness (no key: unknown)" \
	"tier2 compliant unknown|tier2 compliant unknown|tier2 nonCompliant unknown|tier2 compliant unknown" \
	"$(grep -E '^office . states: ' "$H_TMP/figures.txt" | sed 's/.*: //' | paste -sd'|')"
h_expect_eq "the SLA target in force (99.5 %) per office, below it: 1, 3 and 4" \
	"995000 True|995000 False|995000 True|995000 True" \
	"$(grep -E '^office . sla: ' "$H_TMP/figures.txt" | sed 's/.*: //' | paste -sd'|')"
h_expect_eq "meta: the readiness max-age and congestion threshold in force, for the report" \
	"20|800000" "$(q "SELECT (SELECT value FROM meta WHERE key = 'readiness_max_age_days'),
	                  (SELECT value FROM meta WHERE key = 'congestion_raise_ppm')")"
h_expect_eq "incidents.csv: causes and tickets" \
	"1.1:powerLoss:OMC-2026-1187 1.1:unknown: 2.1:fiberCut:VT-77 3.1:unknown: 4.1:unknown:" \
	"$(fig 'csv incidents' | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')"

h_done
