#!/usr/bin/env bash
# Benchmark: N routers x 1 interface polled every 60 s (default 2,000).
# One stock snmpd plays every router: it listens on N loopback addresses
# 127.0.R.S:PORT and serves its own IF-MIB (ifIndex 1 = lo, real HC
# counters), so each address is a separate router session for the agent.
# Reports the agent's CPU per poll over two steady-state minutes and its
# memory per line (RSS with counters minus RSS of the same lines without).
# usage: tests/bench/bandwidth.sh [BUILD_DIR] [ROUTERS] [SECONDS]
set -uo pipefail
export H_BUILD=$(cd "${1:-build}" && pwd)
N=${2:-2000}
MEASURE=${3:-120}
. "$(dirname "$0")/../lib/harness.sh"
h_setup

RPORT=$(h_free_port)
addr() { echo "127.0.$((10 + $1 / 250)).$((1 + $1 % 250))"; }

# $1 = with counters (1) or not (0)
write_conf() {
	{
		echo "agent { control-socket = \"\"  state-dir = \"$H_TMP/state-$1\"  save-interval = 3600 }"
		echo "bandwidth { poll-interval = 60  timeout = 2000  retries = 1  max-inflight = 256 }"
		for i in $(seq 0 $((N - 1))); do
			printf 'office { id = %d  code = "B%d"  name = "Bench %d"  level = commune  commune = "%05d"\n' \
				$((i + 1)) "$i" "$i" "$i"
			printf '  line { id = 1  carrier = vnpt  bandwidth = 100000  probe = none\n'
			[ "$1" = 1 ] && printf '    counters { router = "%s:%d"  community = "public"  ifindex = 1 }\n' \
				"$(addr "$i")" "$RPORT"
			printf '  }\n}\n'
		done
	} >"$H_TMP/bench-$1.conf"
	chmod 600 "$H_TMP/bench-$1.conf"
	mkdir -p "$H_TMP/state-$1"
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

listen=()
for i in $(seq 0 $((N - 1))); do listen+=("udp:$(addr "$i"):$RPORT"); done
mkdir -p "$H_TMP/router/persist"
echo "rocommunity public 127.0.0.0/8" >"$H_TMP/router/snmpd.conf"
echo "dontLogTCPWrappersConnects yes" >>"$H_TMP/router/snmpd.conf"
MIBS="" SNMP_PERSISTENT_DIR=$H_TMP/router/persist snmpd -f -Lf "$H_TMP/router.log" -C \
	-c "$H_TMP/router/snmpd.conf" -I -smux "$(IFS=,; echo "${listen[*]}")" &
H_PIDS+=("$!")
sleep 2
snmpget -v2c -c public -On "$(addr $((N - 1))):$RPORT" .1.3.6.1.2.1.31.1.1.1.6.1 >/dev/null ||
	{ echo "router snmpd not answering"; exit 1; }

h_start_master || exit 1
hz=$(getconf CLK_TCK)
for mode in 0 1; do
	write_conf $mode
	H_SERVED_WAIT=600 h_start_agent "$H_TMP/bench-$mode.conf" || { echo "agent did not start"; exit 1; }
	sleep 65 # first poll of every router, spread over the first interval
	t0=$(cpu_ticks "$H_AGENT_PID")
	sleep "$MEASURE"
	t1=$(cpu_ticks "$H_AGENT_PID")
	rss[$mode]=$(rss_kb "$H_AGENT_PID")
	cpu[$mode]=$((t1 - t0))
	h_stop_agent
	stats[$mode]=$(grep -o 'counters: [0-9]* polls.*' "$H_TMP/agent.log" | tail -1)
done
polls=$((N * MEASURE / 60))
echo "routers: $N, lines: $N, poll interval 60 s, measured over $MEASURE s ($polls polls)"
echo "agent CPU with counters:    ${cpu[1]} ticks (${hz}/s) = $(bc <<<"scale=1; ${cpu[1]} * 1000 / $hz") ms"
echo "agent CPU without counters: ${cpu[0]} ticks = $(bc <<<"scale=1; ${cpu[0]} * 1000 / $hz") ms"
echo "CPU per poll: $(bc <<<"scale=1; (${cpu[1]} - ${cpu[0]}) * 1000000 / $hz / $polls") us"
echo "CPU load for $N routers at 60 s: $(bc <<<"scale=2; (${cpu[1]} - ${cpu[0]}) * 100 / $hz / $MEASURE") % of one core"
echo "RSS with counters: ${rss[1]} kB, without: ${rss[0]} kB"
echo "memory per line (sessions included): $(bc <<<"scale=1; (${rss[1]} - ${rss[0]}) / $N") kB"
echo "poller: ${stats[1]}"
H_FAIL=0
