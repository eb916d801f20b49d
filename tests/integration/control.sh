#!/usr/bin/env bash
# The control socket under hostile clients (agent/control.h, agent/numarg.h):
# thousands of idle connections cost little CPU, are closed after the idle
# timeout and never crowd out tslcdctl, probing or state saves, also under
# a 1,024-fd limit; ids are parsed strictly by tslcdctl and by the agent;
# who changed an outage cause is logged (SO_PEERCRED).
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
h_setup

ROOT=.1.3.6.1.4.1.8072.9999.9999.84.1
L=$ROOT.3.1
OUT=$ROOT.4.1
CLOSED=$(h_free_port)
SOCK=$H_TMP/control.sock
CTL="$H_BUILD/tslcdctl -s $SOCK"
IDLE="python3 $H_TOP/tests/lib/idle_clients.py"
CAP=32        # CONTROL_MAX_CLIENTS
TIMEOUT_S=5   # CONTROL_TIMEOUT_MS / 1000

cat >"$H_TMP/tslcd.conf" <<CONF
agent { state-dir = "$H_TMP/state"  control-socket = "$SOCK"  save-interval = 5 }
probe { interval = 1  count = 2  spacing = 50  timeout = 300  down-after = 2  up-after = 2 }
office {
	id = 1  code = "CT-1"  name = "Control test"  level = province
	line { id = 1  carrier = vnpt  bandwidth = 1000  probe = tcp  target = "127.0.0.1"  port = $CLOSED }
	line { id = 2  carrier = vnpt  bandwidth = 1000  probe = icmp  target = "127.0.0.1" }
}
CONF
mkdir -p "$H_TMP/state"

get() { h_snmp snmpget -Ov -Oe "$1" 2>/dev/null | sed -E 's/^[A-Za-z0-9-]+: //'; }
status_is() { [ "$(get "$L.12.$1")" == "$2" ]; }
fds() { ls "/proc/$H_AGENT_PID/fd" | wc -l; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$H_AGENT_PID/stat"; }
# Percent of one core the agent used over SECONDS.
cpu_percent() {
	local t0 t1
	t0=$(cpu_ticks)
	sleep "$1"
	t1=$(cpu_ticks)
	echo $(((t1 - t0) * 100 / ($1 * $(getconf CLK_TCK))))
}
# Milliseconds tslcdctl status takes; "fail" when it does not answer ok.
status_ms() {
	local t0 t1
	t0=$(date +%s%N)
	$CTL status 2>/dev/null | grep -q '^ok offices' || { echo fail; return; }
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000000))
}
# The state file is written again (save-interval 5 s) after NAME's clients.
saves_go_on() { # saves_go_on NAME
	local before
	before=$(stat -c %Y "$H_TMP/state/state.bin" 2>/dev/null || echo 0)
	sleep 1.1 # mtime has whole seconds
	h_check "$1: state saves go on" h_wait_for 80 \
		bash -c '[ "$(stat -c %Y "$1" 2>/dev/null || echo 0)" -gt "$2" ]' _ \
		"$H_TMP/state/state.bin" "$before"
}
idle_opened() { grep -q '^opened' "$1" 2>/dev/null; }
idle_all_closed() { # every connection the script opened was closed by the agent
	local opened
	opened=$(awk '/^opened/ { print $2 }' "$1")
	[ -n "$opened" ] && [ "$(awk '/closed/ { c = $NF } END { print c }' "$1")" == "$opened" ]
}

# Holds N idle clients for HOLD s and checks the agent stays responsive.
idle_round() { # idle_round NAME N HOLD
	local name=$1 n=$2 hold=$3 base during ms cpu
	base=$(fds)
	$IDLE "$SOCK" "$n" "$hold" >"$H_TMP/idle-$name.out" 2>&1 &
	local idle=$!
	H_PIDS+=("$idle")
	h_check "$name: idle clients connected" h_wait_for 300 idle_opened "$H_TMP/idle-$name.out"
	h_log "$name: $(head -1 "$H_TMP/idle-$name.out")"
	ms=$(status_ms)
	h_log "$name: tslcdctl status took $ms ms"
	h_check "$name: tslcdctl status answers within 1 s ($ms ms)" \
		bash -c '[ "$1" != fail ] && [ "$1" -lt 1000 ]' _ "$ms"
	during=$(fds)
	h_log "$name: agent fds $base before, $during with the clients"
	h_check "$name: at most $CAP control connections held ($base -> $during fds)" \
		[ "$during" -le $((base + CAP + 1)) ]
	cpu=$(cpu_percent 3)
	h_log "$name: agent CPU with the clients connected: $cpu %"
	h_check "$name: agent CPU below 15 % ($cpu %)" [ "$cpu" -lt 15 ]
	h_check "$name: every idle client closed by the agent within the timeout" \
		h_wait_for $(((hold + 2) * 10)) idle_all_closed "$H_TMP/idle-$name.out"
	wait "$idle"
	# (A probe or a save in flight may hold an fd for a moment.)
	h_check "$name: agent fds back to $base" h_wait_for 30 bash -c '[ "$(ls "$1" | wc -l)" -le "$2" ]' \
		_ "/proc/$H_AGENT_PID/fd" "$base"
}

h_start_master || exit 1
h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent served"; h_done; exit 1; }
h_check "line 1.1 down: outage 1 recorded" h_wait_for 80 status_is 1.1 4

# Item 8: strict ids, in tslcdctl (exit 2) and in the agent.
strict() { # strict DESCRIPTION WORDS ARGS...
	local what=$1 words=$2 rc
	shift 2
	$CTL "$@" >/dev/null 2>"$H_TMP/ctl.err"
	rc=$?
	h_check "tslcdctl $what: exit 2 (got $rc)" [ "$rc" -eq 2 ]
	h_check "tslcdctl $what: says why" grep -q -- "$words" "$H_TMP/ctl.err"
}
strict "outage 4294967297" "OUTAGE '4294967297' is not a whole number" \
	outage-cause 1.1 4294967297 powerLoss
strict "outage 1abc" "OUTAGE '1abc' is not a whole number" outage-cause 1.1 1abc powerLoss
strict "outage -1" "OUTAGE '-1'" outage-cause 1.1 -1 powerLoss
strict "office 4294967297" "'4294967297.1' is not OFFICE.LINE" \
	outage-cause 4294967297.1 1 powerLoss
strict "line 1abc" "'1.1abc' is not OFFICE.LINE" bandwidth 1.1abc
h_expect_eq "the outage kept its cause (unknown)" 1 "$(get $OUT.6.1.1.1)"
raw() { printf '%s\n' "$1" | socat -t 2 - "UNIX-CONNECT:$SOCK"; }
h_check "agent refuses outage 4294967297 itself" \
	bash -c '[[ "$1" == error:* ]]' _ "$(raw 'outage-cause 1.1 4294967297 powerLoss')"
h_check "agent refuses outage 1abc itself" \
	bash -c '[[ "$1" == error:* ]]' _ "$(raw 'outage-cause 1.1 1abc powerLoss')"
h_expect_eq "the outage still kept its cause" 1 "$(get $OUT.6.1.1.1)"
h_check "a request line too long for the agent is refused, not cut short" \
	bash -c '[[ "$1" == "error: request longer than 511 bytes" ]]' _ \
	"$(raw "outage-cause 1.1 1 powerLoss $(printf 'T%.0s' {1..600})")"
h_check "a well-formed request works" bash -c "$CTL outage-cause 1.1 1 powerLoss OMC-1 >/dev/null"
h_expect_eq "cause now powerLoss(2)" 2 "$(get $OUT.6.1.1.1)"
h_check "the log names who changed it (uid, pid)" \
	grep -qE "control: uid $(id -u) pid [0-9]+ set outage 1.1.1 cause powerLoss" "$H_TMP/agent.log"

# tslcdctl never hangs: a stopped agent is reported within its 10 s.
kill -STOP "$H_AGENT_PID"
SECONDS=0
timeout 30 $CTL status >/dev/null 2>"$H_TMP/ctl.err"
rc=$?
took=$SECONDS
kill -CONT "$H_AGENT_PID"
sleep 1 # let it catch up before fds are counted
h_check "tslcdctl gives up on a stopped agent with exit 2 (rc $rc after $took s)" \
	[ "$rc" -eq 2 ] && [ "$took" -le 12 ]
h_check "tslcdctl says it had no answer in time" grep -q 'no answer from the agent at .* within 10 s' \
	"$H_TMP/ctl.err"

# Item 5: thousands of idle clients.
idle_round many 10000 $((TIMEOUT_S + 4))
h_check "the log sums the closed connections" \
	grep -q 'control socket: closed .* connection(s) silent for' "$H_TMP/agent.log"
h_check "still probing: line 1.2 (ICMP) up" status_is 1.2 2
h_stop_agent

# The same under a 1,024-fd limit with 1,100 clients (the tester's case).
: >"$H_TMP/agent.log"
H_AGENT_WRAPPER="prlimit --nofile=1024:1024" h_start_agent "$H_TMP/tslcd.conf" ||
	{ h_fail "agent served under a 1,024-fd limit"; h_done; exit 1; }
h_check "limit 1024: line 1.2 up" h_wait_for 80 status_is 1.2 2
idle_round limit1024 1100 $((TIMEOUT_S + 4))
h_check "limit 1024: no fd exhaustion in the log" \
	bash -c '! grep -E "Too many open files|budget exhausted" "$1"' _ "$H_TMP/agent.log"
saves_go_on "limit 1024"
h_check "limit 1024: still probing: line 1.2 up" status_is 1.2 2
h_stop_agent

# A limit so low that 32 connections would eat the fds saves need: the
# agent keeps 16 fds spare (CONTROL_FD_SPARE) and the oldest gives way.
# ICMP only: under 64 fds no TCP probe can run (PROBER_FD_RESERVE).
LIMIT=48
sed '/probe = tcp/d' "$H_TMP/tslcd.conf" >"$H_TMP/icmp.conf"
: >"$H_TMP/agent.log"
H_AGENT_WRAPPER="prlimit --nofile=$LIMIT:$LIMIT" h_start_agent "$H_TMP/icmp.conf" ||
	{ h_fail "agent served under a $LIMIT-fd limit"; h_done; exit 1; }
h_check "limit $LIMIT: line 1.2 up" h_wait_for 80 status_is 1.2 2
$IDLE "$SOCK" 300 $((TIMEOUT_S + 3)) >"$H_TMP/idle-low.out" 2>&1 &
H_PIDS+=("$!")
h_check "limit $LIMIT: idle clients connected" h_wait_for 300 idle_opened "$H_TMP/idle-low.out"
ms=$(status_ms)
h_log "limit $LIMIT: $(head -1 "$H_TMP/idle-low.out"); tslcdctl status took $ms ms"
h_check "limit $LIMIT: tslcdctl status answers within 1 s ($ms ms)" \
	bash -c '[ "$1" != fail ] && [ "$1" -lt 1000 ]' _ "$ms"
n=$(fds)
h_log "limit $LIMIT: agent fds with the clients: $n"
h_check "limit $LIMIT: 16 fds stay spare ($n open)" [ "$n" -le $((LIMIT - 16 + 1)) ]
cpu=$(cpu_percent 2)
h_log "limit $LIMIT: agent CPU with the clients connected: $cpu %"
h_check "limit $LIMIT: agent CPU below 15 % ($cpu %)" [ "$cpu" -lt 15 ]
saves_go_on "limit $LIMIT"
h_check "limit $LIMIT: every idle client closed" \
	h_wait_for $(((TIMEOUT_S + 5) * 10)) idle_all_closed "$H_TMP/idle-low.out"
h_check "limit $LIMIT: no fd exhaustion in the log" \
	bash -c '! grep -E "Too many open files" "$1"' _ "$H_TMP/agent.log"
h_check "limit $LIMIT: ICMP line still up" status_is 1.2 2
h_stop_agent

# Fewer than 16 fds left at all: every connection is refused at once with a
# reason, and a flood of them does not make the listener spin.
LIMIT=28
: >"$H_TMP/agent.log"
H_AGENT_WRAPPER="prlimit --nofile=$LIMIT:$LIMIT" h_start_agent "$H_TMP/icmp.conf" ||
	{ h_fail "agent served under a $LIMIT-fd limit"; h_done; exit 1; }
out=$($CTL status 2>&1)
h_expect_eq "limit $LIMIT: tslcdctl status refused with the reason" \
	"error: the agent is short of file descriptors" "$out"
$IDLE "$SOCK" 2000 4 >"$H_TMP/idle-tiny.out" 2>&1 &
H_PIDS+=("$!")
cpu=$(cpu_percent 3)
h_log "limit $LIMIT: agent CPU under a connection flood: $cpu %"
h_check "limit $LIMIT: agent CPU below 15 % ($cpu %)" [ "$cpu" -lt 15 ]
h_check "limit $LIMIT: ICMP line still up" h_wait_for 50 status_is 1.2 2

h_done
