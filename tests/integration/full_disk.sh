#!/usr/bin/env bash
# A full disk under the state directory: a small tmpfs the test mounts holds
# state.bin; once a good save is there a filler file takes every free page,
# so saves fail with ENOSPC.  The agent keeps serving and probing, logs the
# failure once for the whole streak, leaves the last good file untouched
# (same SHA-256), and recovers (ok again, "recovered" logged) when the filler
# is deleted.  Root only (mount).  About 40 s.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
h_setup

if [ "$(id -u)" -ne 0 ]; then
	echo "full_disk: skipped (needs root to mount a tmpfs)"
	exit 0
fi
STATE=$H_TMP/state
mkdir -p "$STATE"
if ! mount -t tmpfs -o size=1m,mode=0750 tslcd-full-disk "$STATE" 2>"$H_TMP/mount.err"; then
	echo "full_disk: skipped (cannot mount a tmpfs: $(cat "$H_TMP/mount.err"))"
	exit 0
fi
H_CLEANUPS+=("umount -l '$STATE'")

R=.1.3.6.1.4.1.8072.9999.9999.84.1
L=$R.3.1
SAVE_RESULT=$R.1.26.0
SAVE_INTERVAL=5
OPEN=$(h_free_port)
socat "TCP4-LISTEN:$OPEN,bind=127.0.0.1,reuseaddr,fork" /dev/null &
LISTENER=$!
H_PIDS+=("$LISTENER")

cat >"$H_TMP/tslcd.conf" <<CONF
agent { control-socket = ""  state-dir = "$STATE"  save-interval = $SAVE_INTERVAL }
probe { interval = 1  count = 1  timeout = 300  down-after = 1  up-after = 1 }
office { id = 7  code = "FD"  name = "Full disk"  level = province
	line { id = 1  carrier = vnpt  bandwidth = 1  probe = tcp  target = "127.0.0.1"  port = $OPEN }
}
CONF

get() { h_snmp snmpget -Ov -Oe "$1" 2>/dev/null | sed -E 's/^[A-Za-z0-9-]+: //'; }
saved_ok() { [ "$(get $SAVE_RESULT)" == "1" ]; }
save_failed() { [ "$(get $SAVE_RESULT)" == "2" ]; }
status_is() { [ "$(get "$L.12.7.1")" == "$1" ]; }
sum() { sha256sum "$STATE/state.bin" | cut -d' ' -f1; }
free_kb() { df -k --output=avail "$STATE" | tail -1 | tr -d ' '; }

h_start_master || exit 1
h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent served"; h_done; exit 1; }
h_check "line 7.1 up" h_wait_for 80 status_is 2
h_check "a first save succeeds on the tmpfs" h_wait_for 80 saved_ok
h_check "state.bin is there" test -s "$STATE/state.bin"
h_log "state.bin is $(stat -c %s "$STATE/state.bin") bytes; tmpfs free before filling: $(free_kb) kB"

# ---- fill every free page ----
# A save that runs while dd fills may free its temp file's pages afterwards;
# fill again until a save has failed.
fill() { dd if=/dev/zero of="$STATE/filler.$1" bs=4k status=none 2>/dev/null || true; }
fill 1
for i in 2 3 4; do
	h_wait_for $((SAVE_INTERVAL * 10 + 20)) save_failed && break
	fill "$i"
done
h_log "tmpfs free after filling: $(free_kb) kB"
h_check "saves fail (tslcdStateSaveResult failed(2))" save_failed
h_check "the failure names ENOSPC" grep -q 'state save failed: .*No space left on device' "$H_TMP/agent.log"
good=$(sum)

# ---- a streak of failures: one log line, the good file intact ----
stop_listener() { kill "$LISTENER" 2>/dev/null; h_wait_gone "$LISTENER" 20; }
stop_listener
h_check "probing goes on: line 7.1 goes down while saves fail" h_wait_for 80 status_is 4
sleep $((2 * SAVE_INTERVAL + 1)) # at least two more failing saves
h_check "still failing" save_failed
h_expect_eq "the failure streak is logged once" 1 "$(grep -c 'state save failed' "$H_TMP/agent.log")"
h_expect_eq "the last good state.bin is unchanged (SHA-256)" "$good" "$(sum)"
no_tmp() { ! compgen -G "$STATE/state.bin.tmp-*" >/dev/null; }
h_check "no temp file is left behind" h_wait_for 20 no_tmp
h_check "the agent still serves SNMP" h_wait_served 30
h_check "agent alive" kill -0 "$H_AGENT_PID"

# ---- room again: recovery ----
rm -f "$STATE"/filler.*
h_check "saves recover (ok again)" h_wait_for $((SAVE_INTERVAL * 10 + 30)) saved_ok
h_check "the recovery is logged" grep -q 'state save recovered' "$H_TMP/agent.log"
h_check "state.bin now holds the new state" test "$(sum)" != "$good"
h_expect_eq "still one failure line after the streak ended" 1 \
	"$(grep -c 'state save failed' "$H_TMP/agent.log")"

h_stop_agent
h_check "SIGTERM's final save lands on the tmpfs" grep -q "state saved to $STATE/state.bin" "$H_TMP/agent.log"
umount "$STATE" 2>/dev/null || umount -l "$STATE"
h_done
