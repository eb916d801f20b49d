#!/usr/bin/env bash
# `tslcdctl report` on a known history.db (tests/lib/history_fixture.py, the
# agent's own schema): exact figures in JSON (parsed by python3) and CSV,
# a period in progress marked partial, a report while a writer holds the
# database, bad input refused with one line and a non-zero exit, and the
# HTML rendered by a real headless chromium (no network): the DOM has every
# office row and one SVG per chart, a screenshot is taken
# (REPORT_SHOT=FILE keeps a copy to look at), and it prints to A4 pages.
# The browser is kept off the network: no name resolves and every request
# goes to a dead loopback proxy.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
h_setup

CTL=$H_BUILD/tslcdctl
DB=$H_TMP/history.db
python3 "$H_TOP/tests/lib/history_fixture.py" scenario "$DB" || {
	h_fail "fixture built"
	h_done
	exit 1
}
report() { "$CTL" report --db "$DB" "$@"; }

# ---- JSON: exact figures for Q3 2026 ----
report --period 2026-Q3 --province 24 --format json -o "$H_TMP/q3.json"
h_check "JSON report written" test -s "$H_TMP/q3.json"
h_check "JSON parses" python3 -m json.tool "$H_TMP/q3.json" >/dev/null
jq_py() { python3 -c "import json,sys; r=json.load(open('$H_TMP/q3.json')); print($1)"; }
office() { echo "next(o for o in r['offices'] if o['id']==$1)"; }
h_expect_eq "offices of province 24 only" "1 2 3 4 5" \
	"$(jq_py "' '.join(str(o['id']) for o in r['offices'])")"
h_expect_eq "period seconds (92 days)" 7948800 "$(jq_py "r['period']['seconds']")"
h_expect_eq "finished period not partial" False "$(jq_py "r['period']['partial']")"
h_expect_eq "office 3 downtime 2 h" 7200 "$(jq_py "$(office 3)['outages']['downtime_s']")"
h_expect_eq "office 3 fiber cut" 1 "$(jq_py "$(office 3)['outages']['by_cause']['fiberCut']")"
# 7948800 - 7200 up of 7948800: 999094.2 ppm
h_expect_eq "office 3 availability ppm" 999094 \
	"$(jq_py "$(office 3)['availability']['adjusted_ppm']")"
# office 4: 1 h maintenance: raw 7945200/7948800, adjusted 100 %
h_expect_eq "office 4 raw ppm" 999547 "$(jq_py "$(office 4)['availability']['raw_ppm']")"
h_expect_eq "office 4 adjusted ppm" 1000000 \
	"$(jq_py "$(office 4)['availability']['adjusted_ppm']")"
# office 5: 1.5 days down: 7819200/7948800 = 983696 ppm, below the 99 % target
h_expect_eq "office 5 adjusted ppm" 983696 \
	"$(jq_py "$(office 5)['availability']['adjusted_ppm']")"
h_expect_eq "office 2: its backup line's outage is no office outage" "0 1" \
	"$(jq_py "$(office 2)['outages']['count'], sum(i['office_id'] == 2 for i in r['incidents'])")"
h_expect_eq "office 5 longest outage" 129600 "$(jq_py "$(office 5)['outages']['longest_s']")"
h_expect_eq "below SLA: office 5" "[5]" "$(jq_py "r['summary']['below_sla']")"
h_expect_eq "worst office first" 5 "$(jq_py "r['summary']['worst'][0]")"
h_expect_eq "summary: offices, connected" "5 5" \
	"$(jq_py "r['summary']['offices'], r['summary']['connected']")"
# adjusted: 1, 2, 4 100 %, 3 99.91 %, 5 98.37 %
h_expect_eq "summary: availability distribution" ">=99.9=4 95-99=1" \
	"$(jq_py "' '.join(f'{k}={v}' for k, v in r['summary']['availability_distribution'].items() if v)")"
h_expect_eq "summary: without a fresh readiness report (office 2 filed one)" "[1, 3, 4, 5]" \
	"$(jq_py "r['summary']['stale_readiness']")"
# The cpeFault outage runs from June 30 22:00 to July 1 01:00: 1 h inside Q3.
h_expect_eq "straddling outage clipped" 3600 \
	"$(jq_py "next(i['duration_s'] for i in r['incidents'] if i['cause']=='cpeFault')")"
h_expect_eq "incidents by carrier (vnpt)" 2 \
	"$(jq_py "r['summary']['incidents_by_carrier']['vnpt']['count']")"
h_expect_eq "monthly usage rows: 7 lines x 3 months" 21 "$(jq_py "len(r['usage'])")"
h_expect_eq "office 2 readiness report fresh" True "$(jq_py "$(office 2)['readiness_fresh']")"

# ---- CSV: one file per table, BOM, documented header ----
report --period 2026-Q3 --province 24 --format csv -o "$H_TMP/csv"
for t in offices lines incidents usage summary; do
	h_check "$t.csv starts with a BOM" bash -c "head -c3 '$H_TMP/csv/$t.csv' | od -An -tx1 | grep -q 'ef bb bf'"
done
h_expect_eq "lines.csv rows" 8 "$(wc -l <"$H_TMP/csv/lines.csv")"
h_expect_eq "summary.csv: connected, distribution, stale readiness" \
	"connected,,5 availability,>=99.9,4 availability,95-99,1 stale_readiness,,1 stale_readiness,,3 stale_readiness,,4 stale_readiness,,5" \
	"$(grep -E '^(connected|availability,.*,[1-9]|stale_readiness)' "$H_TMP/csv/summary.csv" | paste -sd' ')"
h_check "offices.csv office 5 figures" \
	grep -q '^5,X-YP,UBND xã Yên Phong,commune,tier2,24,25891,1,1,7948800,7819200,129600,0,0,983696,983696,1000000,990000,1,1,129600,129600,' \
	"$H_TMP/csv/offices.csv"

# ---- a period in progress ----
month=$(TZ=Asia/Ho_Chi_Minh date +%Y-%m)
h_expect_eq "current month is partial" True \
	"$(report --period "$month" --office 1 --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["period"]["partial"])')"

# ---- reading while a writer holds the database (WAL) ----
python3 - "$DB" <<'PY' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("INSERT INTO config_loads (time, ok) VALUES (1, 1)")
time.sleep(3)
db.execute("COMMIT")
PY
writer=$!
sleep 0.5
h_check "report while a writer holds the database" \
	bash -c "'$CTL' report --db '$DB' --period 2026-Q3 --format json | python3 -m json.tool >/dev/null"
wait "$writer"

# ---- -c CONFIG: history.db in the config's state directory ----
mkdir -p "$H_TMP/state"
cp "$DB" "$H_TMP/state/history.db"
cat >"$H_TMP/tslcd.conf" <<CONF
agent { state-dir = "$H_TMP/state" }
office { id = 1  code = "A"  name = "A"  level = province
  line { id = 1  carrier = vnpt  bandwidth = 1000  probe = none } }
CONF
h_expect_eq "-c CONFIG finds history.db in its state-dir" 5 \
	"$("$CTL" -c "$H_TMP/tslcd.conf" report --period 2026-Q3 --province 24 --format json |
		python3 -c 'import json,sys; print(len(json.load(sys.stdin)["offices"]))')"

# ---- bad input: one line on stderr, exit 1 ----
refused() { # refused DESCRIPTION WANT-EXIT WANT-TEXT ARGS...
	local what=$1 want=$2 text=$3 err rc
	shift 3
	err=$(report "$@" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" = "$want" ] && [ "$(wc -l <<<"$err")" = 1 ] && grep -q -- "$text" <<<"$err"; then
		h_pass "$what ($err)"
	else
		h_fail "$what: exit $rc, '$err'"
	fi
}
h_check "report --help" bash -c "'$CTL' report --help | grep -q -- '--period 2026-Q4'"
refused "bad period" 1 "bad period '2026-Q7'" --period 2026-Q7 --format json
refused "unknown province" 1 "unknown province '99'" --period 2026-Q3 --province 99
refused "unknown office" 1 "unknown office 77" --period 2026-Q3 --office 2,77
refused "bad office list" 1 "bad office list" --period 2026-Q3 --office 2,x
refused "no data" 1 "no history for the period 2025-Q1" --period 2025-Q1
refused "unknown format" 1 "unknown format 'pdf'" --period 2026-Q3 --format pdf
refused "csv without a directory" 1 "give -o DIR" --period 2026-Q3 --format csv
refused "missing period" 1 "period is required" --format json
refused "a database that is not there" 1 "none.db" --db "$H_TMP/none.db" --period 2026-Q3
sqlite3 "$H_TMP/v9.db" "PRAGMA user_version=9; CREATE TABLE meta (key TEXT, value TEXT);"
refused "another schema version" 1 "history schema version 9" --db "$H_TMP/v9.db" --period 2026-Q3

# ---- HTML in a real browser ----
report --period 2026-Q3 --province 24 -o "$H_TMP/q3.html"
report --period 2026-Q3 --province 24 --lang en -o "$H_TMP/q3-en.html"
h_check "no external assets" bash -c "! grep -qiE '(src|href)=\"(https?:)?//' '$H_TMP/q3.html'"
h_check "Vietnamese labels with diacritics" grep -q "Độ khả dụng theo cơ quan" "$H_TMP/q3.html"
h_check "English labels with --lang en" grep -q "Availability per office" "$H_TMP/q3-en.html"
h_check "print CSS for A4" grep -q "@page{size:A4" "$H_TMP/q3.html"
if command -v chromium >/dev/null; then
	browse() {
		timeout 60 chromium --headless --no-sandbox --disable-gpu --no-first-run \
			--user-data-dir="$(mktemp -d "$H_TMP/chromium.XXXXXX")" \
			--window-size=1000,1800 --disable-background-networking \
			--disable-component-update --disable-sync --no-pings --dns-prefetch-disable \
			--proxy-server="127.0.0.1:9" --host-resolver-rules="MAP * ~NOTFOUND" "$@" \
			"file://$H_TMP/q3.html" 2>>"$H_TMP/chromium.log"
	}
	browse --dump-dom >"$H_TMP/dom.html"
	h_expect_eq "DOM: one row per office" 5 "$(grep -o 'class="office" data-office="[0-9]*"' "$H_TMP/dom.html" | wc -l)"
	for c in chart-avail chart-p95 chart-timeline; do
		h_expect_eq "DOM: one SVG in $c" 1 \
			"$(python3 -c "
import re,sys
d=open('$H_TMP/dom.html').read()
m=re.search(r'<figure class=\"chart\" id=\"$c\">(.*?)</figure>', d, re.S)
print(m.group(1).count('<svg') if m else 0)")"
	done
	browse --screenshot="$H_TMP/report.png" >/dev/null
	# Printed as an officer would print it: every page A4 (595 x 842 pt).
	browse --no-pdf-header-footer --print-to-pdf="$H_TMP/report.pdf" >/dev/null
	h_expect_eq "printed to PDF: A4 pages" "A4 True" "$(python3 -c "
import re
d = open('$H_TMP/report.pdf', 'rb').read()
boxes = {tuple(round(float(x)) for x in b.split()) for b in re.findall(rb'/MediaBox\s*\[([^\]]*)\]', d)}
pages = len(re.findall(rb'/Type\s*/Page[^s]', d))
print('A4' if boxes == {(0, 0, 595, 842)} else boxes, 1 <= pages <= 6)")"
	h_check "screenshot taken" test -s "$H_TMP/report.png"
	[ -n "${REPORT_SHOT:-}" ] && cp "$H_TMP/report.png" "$REPORT_SHOT"
else
	h_fail "chromium installed (make deps)"
fi

h_done
