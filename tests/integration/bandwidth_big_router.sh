#!/usr/bin/env bash
# tslcd-test: serial
# One router carrying many polled lines (a provincial PE router with a
# sub-interface per commune office): the answer to one GET for all of them
# would not fit in one SNMP message (Net-SNMP refuses to build it, or the
# router, a real snmpd, answers tooBig), and the poller halves its GETs
# until they fit.  Every line gets its rate.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
h_setup

ROOT=.1.3.6.1.4.1.8072.9999.9999.84
L=$ROOT.1.3.1
N=${BIG_ROUTER_LINES:-900} # 900 interfaces x 5 varbinds: past 64 KiB either way
T0=$(date +%s)

# Interface k: in 100 octets/cs (80 kbit/s), out 50 octets/cs (40 kbit/s).
{
	echo "T0 $T0"
	echo ".1.3.6.1.2.1.1.3.0 timeticks 100000 1"
	for k in $(seq 1 "$N"); do
		echo ".1.3.6.1.2.1.31.1.1.1.6.$k counter64 $((k * 1000)) 100"
		echo ".1.3.6.1.2.1.31.1.1.1.10.$k counter64 $((k * 2000)) 50"
	done
} | h_router_values big
h_start_router big "rocommunity public-big 127.0.0.1" || exit 1
PORT=${H_RPORT[big]}

{
	echo "agent { control-socket = \"\"  state-dir = \"$H_TMP/state\" }"
	# Start by asking for every interface at once, as a router allowing
	# huge messages would take.
	echo "bandwidth { poll-interval = 10  timeout = 3000  retries = 0  get-batch = 2048 }"
	for k in $(seq 1 "$N"); do
		echo "office { id = $k  code = \"X$k\"  name = \"Commune $k\"  level = province"
		echo "  line { id = 1  carrier = vnpt  bandwidth = 160  probe = none"
		echo "         counters { router = \"127.0.0.1:$PORT\"  community = \"public-big\"" \
			" ifindex = $k  interval = 5 } } }"
	done
} >"$H_TMP/tslcd.conf"
chmod 600 "$H_TMP/tslcd.conf"
mkdir -p "$H_TMP/state"

h_start_master || exit 1
h_start_agent "$H_TMP/tslcd.conf" -d || { h_fail "agent served"; h_done; exit 1; }

num() { h_get_num "$1"; }
# The fake router answers a large GET slowly (one helper round trip per
# value) but takes its clock once per GET, at sysUpTime.0, so the rates
# are exact: allow only 1 % for rounding.  (With a clock that moved during
# a slow GET, 48-98 lines of 900 came out more than 0.5-5 % off.)
near() { [ -n "$1" ] && [ "$1" -ge $(($2 * 99 / 100)) ] && [ "$1" -le $(($2 * 101 / 100)) ]; }
rated() { near "$(num "$L.30.$1.1")" 80000; }
h_check "a GET too big for one message is split" \
	h_wait_for 150 grep -qE "(too long for one message|says tooBig); asking for" "$H_TMP/agent.log"
h_check "first line gets its rate" h_wait_for 200 rated 1
h_check "last line gets its rate" h_wait_for 100 rated "$N"
missing=0
for k in $(seq 1 "$N"); do
	rated "$k" || missing=$((missing + 1))
done
h_expect_eq "all $N lines show 80 kbit/s in (within 1 %)" 0 "$missing"
h_check "out rate too (line $((N / 2)), 40 kbit/s)" near "$(num "$L.31.$((N / 2)).1")" 40000
h_expect_eq "poll status ok on the last line" 2 "$(num "$L.41.$N.1")"
h_log "$(grep -oE '(too long for one message|says tooBig); asking for [0-9]+' "$H_TMP/agent.log" | tr '\n' ';')"
h_check "the batch settles (at most 4 halvings logged)" \
	bash -c "[ \$(grep -cE 'asking for [0-9]+ interfaces per GET' '$H_TMP/agent.log') -le 4 ]"
h_done
