#!/usr/bin/env bash
# ab.sh [options] AGENT_BINARY... : agent builds side by side (tests/bench/README.md, "A/B").
#
# Each binary runs under its own snmpd master with the same generated
# config (ICMP lines on 127.0.0.0/8 only, as the bench's), all at once, so
# the machine's drift falls on every variant alike.  Once all lines are
# judged, rounds go round the variants, one measurement each:
#   walk   agent CPU per varbind of an snmpbulkwalk of COLS columns of the
#          line table, the variant's own probing rate (measured after
#          settling) taken off;
#   idle   agent CPU (ms per s) over a window with no requests: probing,
#          ticks and timers alone.
# Prints every round and, per variant, the mean and median.  A difference
# smaller than the rounds' spread is not one: add rounds before believing it.
#
# Options (environment): AB_MODE walk|idle (walk), AB_ROUNDS (8), AB_LINES
# (10000), AB_REPS (-Cr, 50), AB_COLS ("2 12 14 20 25 62 65"), AB_IDLE_S
# (30, idle window), AB_SETTLE_S (40), AB_PROBES (each variant's probe
# method in turn, gen-config.sh -p; default icmp for all: "icmp none" with
# the same binary twice shows what probing costs the serving).
set -uo pipefail
[ $# -ge 1 ] || { sed -n '2,/^set/p' "$0" | sed '$d'; exit 2; }
BINS=("$@")
MODE=${AB_MODE:-walk} ROUNDS=${AB_ROUNDS:-8} N=${AB_LINES:-10000} REPS=${AB_REPS:-50}
COLS=${AB_COLS:-"2 12 14 20 25 62 65"} IDLE_S=${AB_IDLE_S:-30} SETTLE_S=${AB_SETTLE_S:-40}
read -r -a PROBES <<<"${AB_PROBES:-}"
case $MODE in walk | idle) ;; *) echo "ab.sh: AB_MODE is walk or idle, not $MODE" >&2; exit 2 ;; esac
for b in "${BINS[@]}"; do
	[ -x "$b" ] || { echo "ab.sh: $b is not an executable" >&2; exit 2; }
done
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/lib.sh" # now, calc, cpu_s, cpu_model, wait_served
h_setup
LINE=.1.3.6.1.4.1.8072.9999.9999.84.1.3.1

declare -A PORT PID RATE
TOP=$H_TMP
start_variant() { # K: its master, then the agent on a config of its own (own state dir)
	local k=$1
	mkdir -p "$TOP/$k"
	bash "$H_TOP/tests/bench/gen-config.sh" "$N" -p "${PROBES[$k]:-icmp}" -s "$TOP/$k/state" -x "$TOP/lines.idx" \
		-T "$TOP/targets" >"$TOP/$k/agent.conf"
	H_TMP=$TOP/$k H_SOCK=$TOP/$k/agentx.sock H_PORT=""
	h_start_master || return 1
	PORT[$k]=$H_PORT
	"${BINS[$k]}" -f -L -c "$TOP/$k/agent.conf" -x "$H_SOCK" -P 1 >>"$TOP/$k/agent.log" 2>&1 &
	PID[$k]=$!
	H_PIDS+=("${PID[$k]}")
	H_TMP=$TOP
}
for k in "${!BINS[@]}"; do
	start_variant "$k" || { echo "ab.sh: variant $k: no master"; exit 1; }
done
LAST=$(tail -n 1 "$TOP/lines.idx" | tr ' ' '.')
for k in "${!BINS[@]}"; do # the last line's row answers (2 min at most)
	H_PORT=${PORT[$k]} wait_served "$LINE.2.$LAST" 1200 "${PID[$k]}" || {
		echo "ab.sh: variant $k (${BINS[$k]}) does not serve; see $TOP/$k/agent.log"
		H_FAIL=1
		exit 1
	}
done
sleep "$SETTLE_S" # every line judged: the walk sees every column
for k in "${!BINS[@]}"; do
	c0=$(cpu_s "${PID[$k]}")
	sleep 5
	RATE[$k]=$(calc "($(cpu_s "${PID[$k]}") - $c0) / 5" 4)
done
echo "ab.sh: $MODE, $N lines, $(nproc) cores ($(cpu_model))"
for k in "${!BINS[@]}"; do
	echo "  $k: ${BINS[$k]}, probes ${PROBES[$k]:-icmp}, CPU s/s before the rounds ${RATE[$k]}"
done

walk_us() { # K: agent CPU us per varbind of one walk of COLS, probing taken off
	local k=$1 c0 c1 t0 t1 n=0 x c
	c0=$(cpu_s "${PID[$k]}") t0=$(now)
	for c in $COLS; do
		x=$(snmpbulkwalk -v2c -c public -On -t 30 -r 0 -Cr"$REPS" "udp:127.0.0.1:${PORT[$k]}" \
			"$LINE.$c" | grep -c '^\.')
		n=$((n + x))
	done
	t1=$(now) c1=$(cpu_s "${PID[$k]}")
	calc "(($c1 - $c0) - ${RATE[$k]} * ($t1 - $t0)) * 1e6 / ($n + (($n == 0) ? 1 : 0))" 2
}

: >"$TOP/results"
for ((r = 1; r <= ROUNDS; r++)); do
	line="round $r:"
	if [ "$MODE" = idle ]; then
		declare -A C0
		for k in "${!BINS[@]}"; do C0[$k]=$(cpu_s "${PID[$k]}"); done
		sleep "$IDLE_S"
		for k in "${!BINS[@]}"; do
			v=$(calc "($(cpu_s "${PID[$k]}") - ${C0[$k]}) * 1000 / $IDLE_S" 2)
			line="$line  $k: $v"
			echo "$k $v" >>"$TOP/results"
		done
	else
		for k in "${!BINS[@]}"; do
			v=$(walk_us "$k")
			line="$line  $k: $v"
			echo "$k $v" >>"$TOP/results"
		done
	fi
	echo "$line"
done
unit="us per varbind"
[ "$MODE" = idle ] && unit="ms of CPU per s"
for k in "${!BINS[@]}"; do
	awk -v k="$k" '$1 == k { print $2 }' "$TOP/results" | sort -n |
		awk -v k="$k" -v u="$unit" '{ v[NR] = $1; s += $1 }
			END { printf "variant %s: mean %.2f, median %.2f %s over %d rounds\n", k, s / NR, v[int((NR + 1) / 2)], u, NR }'
done
