#!/usr/bin/env bash
# Faults of the history database: another process holds history.db locked
# (sqlite3 with BEGIN EXCLUSIVE held open), then the state directory's
# tmpfs is full.  Each time the agent keeps probing and serving,
# tslcdHistoryWriteResult shows the fault (locked(3), diskFull(2)), rows
# wait (tslcdHistoryRowsPending > 0, none dropped), and once the fault ends
# the rows written during it arrive.  Then the agent starts on a state
# directory remounted read-only (readOnly(5)), and the rows arrive once it
# is writable again.  The full disk and read-only parts need root (mount).
# Then hostile files: a corrupt history.db is moved aside (named in the
# log) and a new one started; a symlink is refused, never written through.
# About 60 s.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
h_setup

ROOT=.1.3.6.1.4.1.8072.9999.9999.84.1
A=$ROOT.1
L=$ROOT.3.1
STATE=$H_TMP/state
DB=$STATE/history.db
mkdir -p "$STATE"
TMPFS=0
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=2m,mode=0750 tslcd-hist-disk "$STATE" 2>/dev/null; then
	TMPFS=1
	H_CLEANUPS+=("umount -l '$STATE'")
fi
OPEN=$(h_free_port)
listen() {
	socat "TCP4-LISTEN:$OPEN,bind=127.0.0.1,reuseaddr,fork" /dev/null &
	LISTENER=$!
	H_PIDS+=("$LISTENER")
}
unlisten() {
	kill "$LISTENER"
	h_wait_gone "$LISTENER" 20
}
listen

cat >"$H_TMP/tslcd.conf" <<CONF
agent { state-dir = "$STATE"  control-socket = ""  save-interval = 60  history-interval = 2 }
probe { interval = 1  count = 1  timeout = 300  down-after = 1  up-after = 1 }
office { id = 3  code = "HF"  name = "History faults"  level = province
	line { id = 1  carrier = vnpt  bandwidth = 1000  probe = tcp  target = "127.0.0.1"  port = $OPEN }
}
CONF

q() { sqlite3 -batch -noheader "file:$DB?mode=ro" "$1" 2>/dev/null; }
get() { h_snmp snmpget -Ov -Oe "$1" 2>/dev/null | sed -E 's/^[A-Za-z0-9-]+: //'; }
result_is() { [ "$(get $A.28.0)" == "$1" ]; }
status_is() { [ "$(get "$L.12.3.1")" == "$1" ]; }
pending() { get $A.29.0; }
outages() { q "SELECT count(*) FROM outages"; }
has_config_load() { [ -n "$(q "SELECT 1 FROM config_loads")" ]; }

h_start_master || exit 1
h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent served"; h_done; exit 1; }
h_check "line 3.1 up" h_wait_for 60 status_is 2
h_check "history written: ok(1)" h_wait_for 60 result_is 1
failures() { get $A.41.0; }
h_expect_eq "tslcdHistoryWriteFailures 0 while all is well" 0 "$(failures)"

# ---- locked: another process holds the write lock ----
mkfifo "$H_TMP/lock.fifo"
sqlite3 "$DB" <"$H_TMP/lock.fifo" >"$H_TMP/lock.log" 2>&1 &
LOCKER=$!
H_PIDS+=("$LOCKER")
exec 7>"$H_TMP/lock.fifo"
echo "PRAGMA busy_timeout = 5000; BEGIN EXCLUSIVE; INSERT INTO meta VALUES ('lock', 'held');" >&7
before=$(outages)
h_check "database locked: tslcdHistoryWriteResult locked(3)" h_wait_for 80 result_is 3
unlisten
h_check "probing goes on: line 3.1 down while locked" h_wait_for 60 status_is 4
h_check "rows wait: tslcdHistoryRowsPending > 0" bash -c "[ \"\$1\" -gt 0 ]" _ "$(pending)"
h_check "tslcdHistoryWriteFailures counts the failed attempts" bash -c "[ \"\$1\" -gt 0 ]" _ "$(failures)"
h_expect_eq "no outage row can arrive while locked" "$before" "$(outages)"
h_check "the agent still serves SNMP" h_wait_served 30
h_check "the fault is logged with the file name" grep -q "history: $DB: .*(locked)" "$H_TMP/agent.log"
echo "COMMIT;" >&7
exec 7>&-
h_wait_gone "$LOCKER" 50
h_check "lock released: ok(1) again" h_wait_for 80 result_is 1
h_check "the outage opened while locked arrives" h_wait_for 50 \
	bash -c "[ \"\$(sqlite3 'file:$DB?mode=ro' 'SELECT count(*) FROM outages WHERE end IS NULL AND line_id > 0')\" == 1 ]"
h_check "the lineDown notification arrives" test -n \
	"$(q "SELECT seq FROM notifications WHERE type = 'lineDown' AND \"raise\" = 1")"
h_expect_eq "nothing pending, nothing dropped" "0 0" "$(pending) $(get $A.31.0)"
h_check "recovery logged" grep -q "history: $DB writable again" "$H_TMP/agent.log"
listen
h_check "line 3.1 up again" h_wait_for 60 status_is 2

# ---- full disk (root: a tmpfs we fill) ----
if [ "$TMPFS" -eq 1 ]; then
	fill() { dd if=/dev/zero of="$STATE/filler.$1" bs=4k status=none 2>/dev/null || true; }
	fill 1
	unlisten
	h_check "probing goes on: line 3.1 down on a full disk" h_wait_for 60 status_is 4
	for i in 2 3 4; do
		h_wait_for 60 result_is 2 && break
		fill "$i"
	done
	h_check "disk full: tslcdHistoryWriteResult diskFull(2)" result_is 2
	h_check "rows wait on a full disk" bash -c "[ \"\$1\" -gt 0 ]" _ "$(pending)"
	h_check "the agent still serves SNMP" h_wait_served 30
	rm -f "$STATE"/filler.*
	h_check "space again: ok(1)" h_wait_for 80 result_is 1
	h_check "the outage opened on the full disk arrives" h_wait_for 50 \
		bash -c "[ \"\$(sqlite3 'file:$DB?mode=ro' 'SELECT count(*) FROM outages WHERE line_id > 0')\" == 2 ]"
	h_expect_eq "nothing dropped" 0 "$(get $A.31.0)"
	listen
	h_check "line 3.1 up again" h_wait_for 60 status_is 2

	# ---- read-only directory: the tmpfs remounted read-only, agent restarted ----
	# (a remount needs no file open for writing: the agent is stopped first)
	h_stop_agent
	before=$(q "SELECT count(*) FROM outages WHERE line_id > 0")
	if mount -o remount,ro "$STATE"; then
		h_start_agent "$H_TMP/tslcd.conf" || h_fail "agent served on a read-only state dir"
		h_check "read-only dir: tslcdHistoryWriteResult readOnly(5)" h_wait_for 80 result_is 5
		h_check "the fault is logged with the file name" \
			grep -q "history: $DB.*(readOnly)" "$H_TMP/agent.log"
		unlisten
		h_check "probing goes on: line 3.1 down on a read-only dir" h_wait_for 60 status_is 4
		h_check "rows wait on a read-only dir" bash -c "[ \"\$1\" -gt 0 ]" _ "$(pending)"
		h_check "the agent still serves SNMP" h_wait_served 30
		mount -o remount,rw "$STATE"
		h_check "writable dir again: ok(1)" h_wait_for 80 result_is 1
		h_check "the outage opened on the read-only dir arrives" h_wait_for 50 \
			bash -c "[ \"\$(sqlite3 'file:$DB?mode=ro' 'SELECT count(*) FROM outages WHERE line_id > 0')\" == $((before + 1)) ]"
		h_expect_eq "nothing pending, nothing dropped" "0 0" "$(pending) $(get $A.31.0)"
		listen
	else
		h_fail "tmpfs remounted read-only"
	fi
else
	h_log "full disk and read-only parts skipped (need root to mount a tmpfs)"
fi
h_check "agent alive" kill -0 "$H_AGENT_PID"

# ---- hostile files: a corrupt history.db is set aside, a symlink refused ----
h_stop_agent
rm -f "$STATE"/history.db*
head -c 20000 /dev/urandom >"$DB"
h_start_agent "$H_TMP/tslcd.conf" || h_fail "agent served with a corrupt history.db"
h_check "corrupt history.db: logged with its name and moved aside" h_wait_for 50 \
	grep -q "history: $DB is corrupt: moved to $DB.corrupt-" "$H_TMP/agent.log"
h_check "the corrupt file is kept" bash -c "ls '$STATE'/history.db.corrupt-* >/dev/null"
h_check "a new history.db: ok(1)" h_wait_for 80 result_is 1
h_check "rows in the new history.db" h_wait_for 50 has_config_load
h_stop_agent
rm -f "$STATE"/history.db*
ln -s "$H_TMP/elsewhere.db" "$DB"
h_start_agent "$H_TMP/tslcd.conf" || h_fail "agent served with a symlinked history.db"
h_check "symlinked history.db: error(6)" h_wait_for 80 result_is 6
h_check "the refusal names the file" grep -q "history: $DB is a symbolic link: refused" "$H_TMP/agent.log"
h_check "probing and serving go on" h_wait_for 60 status_is 2
h_check "nothing written through the symlink" test ! -e "$H_TMP/elsewhere.db"
h_check "agent alive" kill -0 "$H_AGENT_PID"

h_done
