#!/usr/bin/env bash
# Last month in the MIB, as an NMS polling on the 1st sees it: a state file
# of an agent that ran for the first two hours of the previous calendar
# month (tests/lib/periodfill.c, the agent's own model and store: each
# line up 5,400 s, down 1,800 s in one outage), then the agent started on
# it today.  tslcdLine/OfficeAvailPrevMonth(Adj), DowntimePrevMonth and
# OutagesPrevMonth have those figures (the weeks the agent did not run are
# unknown, not down); the previous quarter has them too when last month
# was in it, else it is absent.  About 10 s.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
h_setup
# "Last month" is written, then read: not across a midnight (a month's end).
h_clear_of_midnight 120

ROOT=.1.3.6.1.4.1.8072.9999.9999.84.1
O=$ROOT.2.1 # tslcdOfficeEntry
L=$ROOT.3.1 # tslcdLineEntry
STATE=$H_TMP/state
FILL=$H_BUILD/tests/periodfill
mkdir -p "$STATE"
[ -x "$FILL" ] || make -s -C "$H_TOP" BUILD="$H_BUILD" "$FILL" >/dev/null || {
	h_fail "periodfill built"
	h_done
	exit 1
}

cat >"$H_TMP/tslcd.conf" <<CONF
agent { state-dir = "$STATE"  control-socket = ""  save-interval = 60 }
probe { interval = 60  count = 1  timeout = 300  down-after = 1  up-after = 1 }
office { id = 5  code = "PM"  name = "Last month"  level = province
	line { id = 1  carrier = vnpt  bandwidth = 1000  probe = none } }
CONF

h_check "periodfill wrote last month's state" "$FILL" "$H_TMP/tslcd.conf"
h_start_master || exit 1
h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent served"; h_done; exit 1; }
get() { h_snmp snmpget -Ov -Oe "$1" 2>/dev/null | sed -E 's/^[A-Za-z0-9-]+: //'; }
prev() { # prev ENTRY FIRST-COLUMN INDEX: raw, adjusted, downtime, outages
	local c out=""
	for c in 0 1 2 3; do out+="$(get "$1.$(($2 + c)).$3") "; done
	echo "${out% }"
}

# 5400 up of 7200 monitored: 750000 ppm; no maintenance: adjusted the same.
h_expect_eq "line 5.1 last month: 75 %, 75 %, 1800 s down, 1 outage" \
	"750000 750000 1800 1" "$(prev $L 49 5.1)"
h_expect_eq "office 5 last month: the same (its one line)" \
	"750000 750000 1800 1" "$(prev $O 30 5)"
NOSUCH="No Such Instance currently exists at this OID"
month=$(TZ=Asia/Ho_Chi_Minh date +%-m)
if [ $(((month - 1) % 3)) -eq 0 ]; then # last month closed the previous quarter
	h_expect_eq "line 5.1 previous quarter: last month's figures" \
		"750000 750000 1800 1" "$(prev $L 53 5.1)"
else
	h_expect_eq "previous quarter (no data): tslcdLineAvailPrevQuarter absent" \
		"$NOSUCH" "$(get $L.53.5.1)"
fi
h_done
