#!/usr/bin/env bash
# A state file (agent/store.h) with a valid checksum but a bandwidth
# last_period of INT64_MAX (or INT64_MIN) made start-up spin for ever with no
# log line, deaf to SIGTERM; a FIFO named state.bin blocked it.  Each must
# be refused at once: the agent serves, the log names the file and the
# field, the file is moved aside, and SIGTERM stops the agent.  The same
# for intervals.log (agent/ivlog.h): a FIFO, a symlink, a frame with a good
# checksum around a record no agent writes.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
h_setup

STATE=$H_TMP/state
CONF=$H_TMP/tslcd.conf
ROUTER=$(h_free_port) # nothing answers: polls time out, which is fine here
mkdir -p "$STATE"
cat >"$CONF" <<CONF
agent { control-socket = ""  state-dir = "$STATE" }
probe { interval = 1  count = 1  timeout = 300 }
office { id = 1  code = "H-1"  name = "Hostile"  level = province
	line { id = 1  carrier = vnpt  bandwidth = 1000  probe = none  target = "127.0.0.1"
	       counters { router = "127.0.0.1:$ROUTER"  version = 2c  community = "c"  ifindex = 1 } } }
CONF
chmod 600 "$CONF" # it holds a community

# craft LAST_PERIOD: a file with a correct SHA-256 and one bandwidth record
# for line 1.1 whose window ends at LAST_PERIOD.
craft() {
	python3 - "$1" "$STATE/state.bin" <<'PY'
import hashlib, struct, sys, time
now = int(time.time())
last = int(sys.argv[1])
p = struct.pack('<IIIBIBQQBIIqqqqQQQ', 1, 1, 300, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, 0, 0, 0)
p += b'\0' * 96 + struct.pack('<qI', last, 1) + b'\0' * 4
body = b'TSLCDST\0' + struct.pack('<Iq', 1, now) + struct.pack('<II', 3, len(p)) + p
open(sys.argv[2], 'wb').write(body + hashlib.sha256(body).digest())
PY
}

# try NAME REASON: start on what is in $STATE, expect it refused for REASON.
try() {
	local name=$1 reason=$2 before
	before=$(ls "$STATE" | grep -c corrupt)
	if ! H_SERVED_WAIT=100 h_start_agent "$CONF"; then
		h_fail "$name: agent serves within 10 s"
		return
	fi
	h_pass "$name: agent serves within 10 s"
	h_check "$name: log names the file and the field" \
		grep -qF "state file $STATE/state.bin rejected: $reason; moved aside to $STATE/state.bin.corrupt-" \
		"$H_TMP/agent.log"
	h_expect_eq "$name: moved aside" "$((before + 1))" "$(ls "$STATE" | grep -c corrupt)"
	h_stop_agent
	h_check "$name: SIGTERM stops it (final save logged)" \
		bash -c "[ \$(grep -c 'state saved to' '$H_TMP/agent.log') -ge $((before + 1)) ]"
	rm -f "$STATE/state.bin"
}

# craft_log: intervals.log with one frame (good SHA-256) holding one record
# of line 1.1 that answered 2 of 1 probe sent.
craft_log() {
	python3 - "$STATE/intervals.log" <<'PY'
import hashlib, struct, sys, time
n = int(time.time()) // 900 - 2
rec = struct.pack('<12H2B', 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0)
payload = struct.pack('<HiiI', 900, n, n, 1) + struct.pack('<IIiB', 1, 1, n, 1) + rec
frame = b'IVFR' + struct.pack('<I', len(payload)) + payload
open(sys.argv[1], 'wb').write(b'TSLCDIV\0' + struct.pack('<I', 1) + frame + hashlib.sha256(frame).digest())
PY
}

# try_log NAME REASON: as try, for intervals.log.
try_log() {
	local name=$1 reason=$2 before
	before=$(ls "$STATE" | grep -c 'intervals.log.corrupt')
	if ! H_SERVED_WAIT=100 h_start_agent "$CONF"; then
		h_fail "$name: agent serves within 10 s"
		return
	fi
	h_pass "$name: agent serves within 10 s"
	h_check "$name: log names the file and the reason" \
		grep -qF "interval log $STATE/intervals.log rejected: $reason; moved aside to $STATE/intervals.log.corrupt-" \
		"$H_TMP/agent.log"
	h_expect_eq "$name: moved aside" "$((before + 1))" "$(ls "$STATE" | grep -c 'intervals.log.corrupt')"
	h_stop_agent
	rm -f "$STATE/intervals.log"
}

h_start_master || exit 1
craft 9223372036854775807
try "last_period INT64_MAX" "bandwidth 1.1: last_period out of range"
craft -9223372036854775808
try "last_period INT64_MIN" "bandwidth 1.1: last_period out of range"
mkfifo "$STATE/state.bin"
try "a FIFO" "not a regular file (a FIFO)"
mkfifo "$STATE/intervals.log"
try_log "intervals.log a FIFO" "not a regular file (a FIFO)"
ln -s /dev/zero "$STATE/intervals.log"
try_log "intervals.log a symlink" "a symbolic link"
craft_log
try_log "intervals.log crafted" "frame at offset 12: interval received more than it sent"
h_done
