#!/usr/bin/env bash
# A restart (SIGTERM, start again on the same state directory)
# judges every alarm again.  Redundancy is back at once (not unknown); an
# alarm whose condition still holds keeps its row and is announced again;
# one whose condition no longer holds (here: office 20's required-lines
# lowered while the agent was stopped) sends its clear; lineFlapping keeps
# its row and clears once the line has been stable for the window; a line
# down at the stop whose target came back while the agent was stopped
# (office 40) sends lineUp and officeRestored, and its rows go.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/traps.sh"
h_setup

OPEN=$(h_free_port)   # a listener: line 1 of offices 10 and 20 is up
CLOSED=$(h_free_port) # nothing listens: line 2 of offices 10 and 20 is down
FLAP=$(h_free_port)   # opened and closed by the test: office 30 flaps
BACK=$(h_free_port)   # office 40: down until the agent is stopped, then up
STATE=$H_TMP/state
CONF=$H_TMP/tslcd.conf

# write_conf REQUIRED_LINES_OF_OFFICE_20
write_conf() {
	cat >"$CONF" <<CONF
agent { control-socket = ""  state-dir = "$STATE"  save-interval = 5 }
probe { interval = 1  count = 1  timeout = 300  down-after = 1  up-after = 1 }
notify { rate = 50  burst = 100  flap-count = 2  flap-window = 10 }
office { id = 10  code = "R-10"  name = "Ten"  level = province  required-lines = 2
	line { id = 1  carrier = vnpt  bandwidth = 1000  probe = tcp  target = "127.0.0.1"  port = $OPEN  path = 1 }
	line { id = 2  carrier = viettel  bandwidth = 1000  probe = tcp  target = "127.0.0.1"  port = $CLOSED  path = 2 } }
office { id = 20  code = "R-20"  name = "Twenty"  level = province  required-lines = $1
	line { id = 1  carrier = vnpt  bandwidth = 1000  probe = tcp  target = "127.0.0.1"  port = $OPEN  path = 1 }
	line { id = 2  carrier = viettel  bandwidth = 1000  probe = tcp  target = "127.0.0.1"  port = $CLOSED  path = 2 } }
office { id = 30  code = "R-30"  name = "Thirty"  level = province
	line { id = 1  carrier = vnpt  bandwidth = 1000  probe = tcp  target = "127.0.0.1"  port = $FLAP } }
office { id = 40  code = "R-40"  name = "Forty"  level = province
	line { id = 1  carrier = vnpt  bandwidth = 1000  probe = tcp  target = "127.0.0.1"  port = $BACK } }
CONF
}

R=$T_ROOT
get() { h_snmp snmpget -Oqv "$1" 2>/dev/null; }
redundancy() { get "$R.1.2.1.26.$1"; }
line_status() { get "$R.1.3.1.12.$1"; }
is() { [ "$("$1" "$2")" = "$3" ]; } # is FUNC ARG VALUE
# rows of tslcdAlarmTable as "type office line"
rows() { t_alarm_rows | cut -d' ' -f1-3; }
has_row() { rows | grep -qx "$1"; }
more_traps_for() { [ "$(t_count_office "$1" "$2")" -gt "$3" ]; } # NUM OFFICE THAN

t_listen "$OPEN"
t_listen "$FLAP" # office 30 starts up: T_LISTENER is this one
write_conf 2
h_start_trapd
h_start_master || exit 1
h_start_agent "$CONF" || { h_fail "agent served"; h_done; exit 1; }

h_check "office 10 redundancy nonCompliant" h_wait_for 100 is redundancy 10 3
h_check "office 20 redundancy nonCompliant" h_wait_for 100 is redundancy 20 3
h_check "redundancyNonCompliant row of office 20" h_wait_for 50 has_row "9 20 0"
h_check "lineDown row of office 40" h_wait_for 50 has_row "1 40 1"
h_check "officeIsolated row of office 40" h_wait_for 50 has_row "2 40 0"

# Office 30: up at start, then down, up, down: three changes within 10 s,
# more than flap-count (2): flapping.
h_check "office 30 up" h_wait_for 50 is line_status 30.1 2
t_unlisten
h_check "office 30 down" h_wait_for 50 is line_status 30.1 4
t_listen "$FLAP"
h_check "office 30 up again" h_wait_for 50 is line_status 30.1 2
# Start-up's unknown -> up is no change of the line, so two
# real changes are not yet more than flap-count.
h_check "not flapping after two real changes" bash -c "! grep -qx '10 30 1' <<<'$(rows)'"
t_unlisten
h_check "office 30 down again" h_wait_for 50 is line_status 30.1 4
h_check "lineFlapping raised for office 30" h_wait_for 50 has_row "10 30 1"
t_listen "$FLAP" # and stays up from now on

before=$(rows)
h_log "alarm rows before the restart: $(tr '\n' ',' <<<"$before")"
h_stop_agent
h_check "final save logged" grep -q "state saved to" "$H_TMP/agent.log"
announced10=$(t_count_office 17 10)
cleared20=$(t_count_office 18 20)
flapcleared=$(t_count_office 20 30)
lineup40=$(t_count_office 2 40)
restored40=$(t_count_office 4 40)

# While it is stopped, office 20 needs only one line: compliant now.
write_conf 1
t_listen "$BACK" # office 40's line came back while the agent was stopped
h_start_agent "$CONF" || { h_fail "agent restarted"; h_done; exit 1; }
h_check "restart logs the restored alarms" grep -Eq "state restored from .*[1-9][0-9]* active alarms" \
	"$H_TMP/agent.log"
h_expect_eq "office 10 redundancy still nonCompliant after the restart (not unknown)" 3 \
	"$(redundancy 10)"
h_expect_eq "office 20 redundancy compliant after the restart" 2 "$(redundancy 20)"
h_check "office 10 keeps its redundancyNonCompliant row" has_row "9 10 0"
h_check "office 10 line 2 keeps its lineDown row" has_row "1 10 2"
h_check "office 30 keeps its lineFlapping row" has_row "10 30 1"
h_check "office 20's row is gone" bash -c "! grep -qx '9 20 0' <<<'$(rows)'"
h_check "redundancyCompliant (clear) sent for office 20" h_wait_for 50 more_traps_for 18 20 "$cleared20"
h_check "lineUp (clear) sent for office 40, up again" h_wait_for 50 more_traps_for 2 40 "$lineup40"
h_check "officeRestored (clear) sent for office 40" h_wait_for 50 more_traps_for 4 40 "$restored40"
h_check "office 40's lineDown and officeIsolated rows gone" bash -c \
	"! grep -Eqx '(1 40 1|2 40 0)' <<<'$(rows)'"
h_check "office 10's redundancyNonCompliant announced again" h_wait_for 50 \
	more_traps_for 17 10 "$announced10"
h_check "lineFlappingCleared once office 30 is stable for the window" h_wait_for 250 \
	more_traps_for 20 30 "$flapcleared"
h_check "and its row goes" bash -c "! grep -qx '10 30 1' <<<'$(rows)'"
h_check "office 10's rows still there" has_row "9 10 0"

h_done
