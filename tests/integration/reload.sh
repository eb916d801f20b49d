#!/usr/bin/env bash
# A SIGHUP reload parses the config on a thread of its own
# (agent/reloader.h), so the agent keeps answering while a big file is read;
# the new config then replaces the old one on the loop.  A bad file is
# refused with FILE:LINE and the old config stays.  Two SIGHUPs in a row
# read the file twice.  (Loopback only; the config has no probes.)
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
h_setup

# Under ASan (make check-asan) every line costs several times as much, on
# the loop too: the swap of 40,000 lines took 1.8 s there on a busy machine,
# against the GETs' 2 s timeout.  10,000 lines go through the same paths.
if h_is_asan; then
	N=${RELOAD_TEST_LINES:-10000}
else
	N=${RELOAD_TEST_LINES:-40000}
fi
ROOT=.1.3.6.1.4.1.8072.9999.9999.84.1
bash "$H_TOP/tests/bench/gen-config.sh" "$N" -s "$H_TMP/state" -x "$H_TMP/idx" >"$H_TMP/big.conf"
LAST=$(tail -n 1 "$H_TMP/idx" | tr ' ' '.')
CIRCUIT=$ROOT.3.1.3.$LAST # tslcdLineCircuitId of the last line
h_start_master || exit 1
H_SERVED_WAIT=1200 h_start_agent "$H_TMP/big.conf" || {
	h_fail "agent did not start with $N lines"
	h_done
	exit 1
}
h_check "the last line is served" h_wait_for 300 bash -c \
	"snmpget -v2c -c public -On -t 2 -r 0 udp:127.0.0.1:$H_PORT $CIRCUIT | grep -q TSLCD-"

reloaded() { [ "$(grep -c "$1" "$H_TMP/agent.log")" -gt "$2" ]; }
get_circuit() {
	snmpget -v2c -c public -On -Oqv -t 2 -r 0 "udp:127.0.0.1:$H_PORT" "$CIRCUIT" 2>/dev/null
}

# 1. The last line's circuit changes; GETs go on while the file is parsed.
sed -i "s/circuit = \"TSLCD-$(printf %06d "${LAST%%.*}")-${LAST##*.}\"/circuit = \"RELOADED-1\"/" \
	"$H_TMP/big.conf"
before=$(grep -c 'configuration reloaded' "$H_TMP/agent.log")
kill -HUP "$H_AGENT_PID"
during=0
failed=0
for ((i = 0; i < 1200; i++)); do
	reloaded 'configuration reloaded\|reload failed' "$before" && break
	if v=$(get_circuit) && [ -n "$v" ]; then
		# Answered, and the swap has not happened yet: served while parsing.
		reloaded 'configuration reloaded\|reload failed' "$before" || during=$((during + 1))
	else
		failed=$((failed + 1))
	fi
done
h_log "$(grep 'configuration reloaded' "$H_TMP/agent.log" | tail -n 1)"
h_check "GETs answered while the reload was parsing ($during, want >= 3)" [ "$during" -ge 3 ]
h_check "no GET failed during the reload ($failed)" [ "$failed" -eq 0 ]
h_check "the new config is served after the reload" bash -c \
	"snmpget -v2c -c public -On -Oqv -t 2 -r 0 udp:127.0.0.1:$H_PORT $CIRCUIT | grep -q RELOADED-1"

# 2. A bad file: refused at its line, the old config stays in force.
printf 'probe { interval = 10 interval = 20 }\n' >>"$H_TMP/big.conf"
bad_line=$(wc -l <"$H_TMP/big.conf")
before=$(grep -c 'reload failed' "$H_TMP/agent.log")
kill -HUP "$H_AGENT_PID"
h_check "the bad file is refused" h_wait_for 1200 reloaded 'reload failed' "$before"
h_check "with FILE:LINE" grep -qF "$H_TMP/big.conf:$bad_line: option 'interval' is set twice" \
	"$H_TMP/agent.log"
h_check "the old config is still served" bash -c \
	"snmpget -v2c -c public -On -Oqv -t 2 -r 0 udp:127.0.0.1:$H_PORT $CIRCUIT | grep -q RELOADED-1"
h_check "tslcdConfigLoadMessage names the line" bash -c \
	"snmpget -v2c -c public -On -Oqv -t 2 -r 0 udp:127.0.0.1:$H_PORT $ROOT.1.6.0 | grep -qF big.conf:$bad_line:"

# 3. Two SIGHUPs in a row: the file is read again after the first parse.
sed -i '$d' "$H_TMP/big.conf"
sed -i 's/circuit = "RELOADED-1"/circuit = "RELOADED-2"/' "$H_TMP/big.conf"
before=$(grep -c 'configuration reloaded' "$H_TMP/agent.log")
kill -HUP "$H_AGENT_PID"
sleep 0.2
kill -HUP "$H_AGENT_PID"
h_check "the second SIGHUP is read after the first" h_wait_for 1200 grep -q 'reloading .* again' \
	"$H_TMP/agent.log"
h_check "both reloads apply" h_wait_for 1200 reloaded 'configuration reloaded' "$((before + 1))"
h_check "the newest file is served" bash -c \
	"snmpget -v2c -c public -On -Oqv -t 2 -r 0 udp:127.0.0.1:$H_PORT $CIRCUIT | grep -q RELOADED-2"
h_check "the agent is still running" kill -0 "$H_AGENT_PID"
h_done
