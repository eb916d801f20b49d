#!/usr/bin/env bash
# The history (history.db) on loopback: scripted outages (a TCP port a line
# probes is closed and reopened), a cause set with tslcdctl, then the
# database read with the sqlite3 CLI while the agent runs and after it
# stops: the exact outage rows (the lines' and the office's isolation), notifications with consecutive sequence
# numbers, a config_loads row, today's line_days with down_s > 0, the meta
# and config tables.  Then a restart and a kill -9: outage rows stay
# unique and the day totals are not counted twice; a rejected reload is a
# config_loads row too.  About 70 s.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
h_setup
# The day's rows are read as "today": not across a midnight.
h_clear_of_midnight 300

ROOT=.1.3.6.1.4.1.8072.9999.9999.84.1
L=$ROOT.3.1
STATE=$H_TMP/state
DB=$STATE/history.db
mkdir -p "$STATE"
OPEN=$(h_free_port)
CLOSED=$(h_free_port)

listen() {
	socat "TCP4-LISTEN:$OPEN,bind=127.0.0.1,reuseaddr,fork" /dev/null &
	LISTENER=$!
	H_PIDS+=("$LISTENER")
}
listen

cat >"$H_TMP/tslcd.conf" <<CONF
agent { state-dir = "$STATE"  control-socket = "$H_TMP/control.sock"  save-interval = 5
        history-interval = 5  province-code = "24"  province-name = "Bắc Ninh" }
probe { interval = 1  count = 2  spacing = 50  timeout = 300  down-after = 2  up-after = 2 }
office {
	id = 1  code = "BN-X01"  name = "UBND Phường Kinh Bắc"  level = commune  commune = "09100"
	line { id = 1  carrier = vnpt  circuit = "VNPT-1"  bandwidth = 20000  probe = tcp  target = "127.0.0.1"  port = $OPEN }
	line { id = 2  carrier = viettel  circuit = "VT-2"  role = backup  bandwidth = 10000  probe = tcp  target = "127.0.0.1"  port = $CLOSED }
}
CONF

q() { sqlite3 -batch -noheader "file:$DB?mode=ro" "$1" 2>/dev/null; }
get() { h_snmp snmpget -Ov -Oe "$1" 2>/dev/null | sed -E 's/^[A-Za-z0-9-]+: //'; }
status_is() { [ "$(get "$L.12.$1")" == "$2" ]; }
has() { [ -n "$(q "$1")" ]; }

h_start_trapd
h_start_master || exit 1
FIRST_START=$(date +%s)
h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent served"; h_done; exit 1; }

h_check "line 1.1 up" h_wait_for 60 status_is 1.1 2
h_check "line 1.2 (closed port) down" h_wait_for 60 status_is 1.2 4
kill "$LISTENER"
h_wait_gone "$LISTENER" 20
h_check "listener closed: line 1.1 down" h_wait_for 80 status_is 1.1 4
listen
h_check "listener back: line 1.1 up" h_wait_for 80 status_is 1.1 2
CTL="$H_BUILD/tslcdctl -s $H_TMP/control.sock"
h_check "tslcdctl sets the cause" $CTL outage-cause 1.1 1 powerLoss OMC-2026-0042

# ---- while the agent runs ----
h_check "history.db is in WAL mode" bash -c "[ \"\$(sqlite3 '$DB' 'PRAGMA journal_mode')\" == wal ]"
h_check "the annotated outage of 1.1 arrives" h_wait_for 50 \
	has "SELECT 1 FROM outages WHERE office_id = 1 AND line_id = 1 AND cause = 'powerLoss'"
h_expect_eq "outage 1.1.1: index, ticket, end, duration = end - start, evidence" \
	"1|OMC-2026-0042|1|1|1000000" \
	"$(q "SELECT outage_idx, ticket, end > start, duration = end - start, last_loss_ppm
	      FROM outages WHERE office_id = 1 AND line_id = 1")"
h_expect_eq "outage of 1.2 is open: end and duration NULL, cause unknown" "1|1|1|unknown" \
	"$(q "SELECT count(*), end IS NULL, duration IS NULL, cause FROM outages
	      WHERE office_id = 1 AND line_id = 2")"
h_expect_eq "one row per line outage (open, closed and annotated: upserts)" 2 \
	"$(q "SELECT count(*) FROM outages WHERE line_id > 0")"
# Office 1 was isolated while 1.1 was down (1.2 down all along): one office
# row within 1.1's outage; their causes differ (powerLoss, unknown): unknown.
h_expect_eq "office 1 isolated once: a closed office row (line 0), cause unknown" \
	"1|1|1|unknown" \
	"$(q "SELECT count(*), min(o.end IS NOT NULL), min(o.start >= l.start AND o.end <= l.end),
	      min(o.cause) FROM outages o JOIN outages l ON l.office_id = o.office_id
	      AND l.line_id = 1 WHERE o.line_id = 0")"
h_check "notifications arrive" h_wait_for 50 \
	has "SELECT 1 FROM notifications WHERE type = 'lineDown' AND \"raise\" = 0 AND line_id = 1"
h_expect_eq "notification seqs are consecutive from 1" "1|1" \
	"$(q "SELECT min(seq), max(seq) - min(seq) + 1 = count(*) FROM notifications")"
h_expect_eq "lineDown raised for 1.1 and 1.2, cleared for 1.1" "1.1:1 1.1:0 1.2:1" \
	"$(q "SELECT group_concat(office_id || '.' || line_id || ':' || \"raise\", ' ') FROM
	      (SELECT * FROM notifications WHERE type = 'lineDown' ORDER BY line_id, seq)")"
h_check "a raise has a severity and text, a clear is 'cleared'" has \
	"SELECT 1 FROM notifications WHERE \"raise\" = 1 AND severity NOT IN ('', 'cleared')
	 AND text LIKE '%VT-2%' AND EXISTS (SELECT 1 FROM notifications WHERE \"raise\" = 0
	 AND severity = 'cleared')"
h_expect_eq "a config_loads row: ok, 64-hex fingerprint" "1|1|64" \
	"$(q "SELECT count(*), min(ok), length(fingerprint) FROM config_loads")"
h_expect_eq "meta: province and time zone" "24|Bắc Ninh|Asia/Ho_Chi_Minh" \
	"$(q "SELECT (SELECT value FROM meta WHERE key = 'province_code'),
	             (SELECT value FROM meta WHERE key = 'province_name'),
	             (SELECT value FROM meta WHERE key = 'timezone')")"
h_expect_eq "offices and lines carry the MIB's enum names" "commune|viettel|backup|10000" \
	"$(q "SELECT o.level, l.carrier, l.role, l.kbps FROM offices o JOIN lines l
	      USING (office_id) WHERE l.line_id = 2")"
TODAY=$(TZ=Asia/Ho_Chi_Minh date +%F)
h_check "line_days of today for 1.2 with down_s > 0" h_wait_for 100 \
	has "SELECT 1 FROM line_days WHERE line_id = 2 AND day = '$TODAY' AND down_s > 0"
h_check "line 1.1's day has RTT, loss and up time" has \
	"SELECT 1 FROM line_days WHERE line_id = 1 AND day = '$TODAY' AND up_s > 0
	 AND rtt_avg_us > 0 AND rtt_max_us >= rtt_avg_us AND loss_ppm > 0 AND loss_ppm < 1000000"
h_check "office_days of today with down time and redundancy" h_wait_for 100 has \
	"SELECT 1 FROM office_days WHERE office_id = 1 AND day = '$TODAY' AND down_s > 0
	 AND redundancy IS NOT NULL"

# ---- the MIB: history health, previous month and quarter ----
A=$ROOT.1
h_expect_eq "tslcdHistoryWriteResult ok(1)" 1 "$(get $A.28.0)"
h_check "tslcdHistoryRowsWritten > 0" bash -c "[ \"\$1\" -gt 0 ]" _ "$(get $A.30.0)"
h_expect_eq "tslcdHistoryRowsDropped 0" 0 "$(get $A.31.0)"
h_check "tslcdHistoryRowsPending is served" bash -c "[ \"\$1\" -ge 0 ]" _ "$(get $A.29.0)"
h_check "tslcdHistoryLastWrite is a DateAndTime" test -n "$(h_snmp snmpget -Ov -Ox $A.27.0 | grep -i hex)"
NOSUCH="No Such Instance currently exists at this OID"
h_expect_eq "no previous month yet: tslcdLineAvailPrevMonth absent" "$NOSUCH" "$(get $L.49.1.1)"
h_expect_eq "no previous quarter yet: tslcdOfficeDowntimePrevQuarter absent" "$NOSUCH" \
	"$(get $ROOT.2.1.36.1)"

# ---- restart, then kill -9: nothing counted twice ----
elapsed_ok() { # down_s of line 1.2 today never exceeds the time since the first start
	local down now
	down=$(q "SELECT down_s FROM line_days WHERE line_id = 2 AND day = '$TODAY'")
	now=$(date +%s)
	h_log "line 1.2 down_s today: $down s, $((now - FIRST_START)) s since the first start"
	[ -n "$down" ] && [ "$down" -le $((now - FIRST_START + 2)) ]
}
h_stop_agent
before=$(q "SELECT down_s FROM line_days WHERE line_id = 2 AND day = '$TODAY'")
h_check "after a stop the day is written: down_s $before s" elapsed_ok
h_expect_eq "history.db readable with the agent stopped" 3 "$(q "SELECT count(*) FROM outages")"
last_seq=$(q "SELECT max(seq) FROM notifications")

h_start_agent "$H_TMP/tslcd.conf" || h_fail "agent served after a restart"
sleep 7
kill -9 "$H_AGENT_PID"
h_wait_gone "$H_AGENT_PID" 50
h_start_agent "$H_TMP/tslcd.conf" || h_fail "agent served after kill -9"
sleep 7
h_stop_agent
h_check "day totals not doubled by a restart and a kill -9" elapsed_ok
h_check "day totals went on" bash -c "[ \"\$(sqlite3 '$DB' \"SELECT down_s FROM line_days
	WHERE line_id = 2 AND day = '$TODAY'\")\" -gt $before ]"
h_expect_eq "outage rows unique: the open outage of 1.2 is still one row" "3|1|1" \
	"$(q "SELECT count(*), (SELECT count(*) FROM outages WHERE line_id = 2),
	      (SELECT count(*) FROM outages WHERE line_id = 0) FROM outages")"
h_check "notification seqs carry on after restarts (no reuse)" bash -c \
	"[ \"\$(sqlite3 '$DB' 'SELECT count(*) FROM notifications WHERE seq <= $last_seq')\" == $last_seq ]"
h_expect_eq "three config loads recorded" 3 "$(q "SELECT count(*) FROM config_loads")"

# Without its history.db the agent still carries the sequence on (state file).
seq_before=$(q "SELECT max(seq) FROM notifications")
mv "$DB" "$H_TMP/history-old.db"
rm -f "$DB-wal" "$DB-shm"
h_start_agent "$H_TMP/tslcd.conf" || h_fail "agent served without history.db"
h_check "notifications recorded in the new history.db" h_wait_for 100 \
	has "SELECT 1 FROM notifications WHERE type = 'lineDown'"
h_check "their seqs follow the old ones (from the state file): none <= $seq_before" bash -c \
	"[ \"\$(sqlite3 '$DB' 'SELECT count(*) FROM notifications WHERE seq <= $seq_before')\" == 0 ]"
# A rejected reload is recorded too: not ok, no fingerprint, the error.
cp "$H_TMP/tslcd.conf" "$H_TMP/tslcd.conf.good"
echo "no-such-option = 1" >>"$H_TMP/tslcd.conf"
kill -HUP "$H_AGENT_PID"
h_check "a rejected reload: a config_loads row, not ok, its message names FILE:LINE" \
	h_wait_for 50 has "SELECT 1 FROM config_loads WHERE ok = 0 AND fingerprint IS NULL
	AND message LIKE '%tslcd.conf:%'"
cp "$H_TMP/tslcd.conf.good" "$H_TMP/tslcd.conf"
h_stop_agent
h_check "no history errors logged" bash -c "! grep -q 'history:' '$H_TMP/agent.log'"

h_done
