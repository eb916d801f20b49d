#!/usr/bin/env bash
# An outage opened during a heightened period files the loss of the rounds
# that declared it down under the period's down-after (2 here), not the
# configured one (4): tslcdOutageLastLoss reads 1000000, not 500000.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/traps.sh"
h_setup

R=.1.3.6.1.4.1.8072.9999.9999.84.1
PORT=$(h_free_port)
cat >"$H_TMP/tslcd.conf" <<CONF
agent { control-socket = ""  state-dir = "$H_TMP" }
probe { interval = 1  count = 1  timeout = 300  down-after = 4  up-after = 1 }
notify { heightened "Tết thử" { from = "2000-01-01"  to = "2099-01-01"  down-after = 2 } }
office { id = 10  code = "HT"  name = "Heightened"  level = province  contact = "Chị Hà, phòng Đối ngoại"
  line { id = 1  carrier = vnpt  bandwidth = 1000  probe = tcp  target = "127.0.0.1"  port = $PORT }
}
CONF

# The line's target: accepts until killed, then every connect is refused.
t_listen "$PORT"
TARGET=$T_LISTENER

get() { h_get_num "$1"; }
is() { [ "$(get "$2")" == "$1" ]; }

h_start_master || exit 1
h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent served"; h_done; exit 1; }
h_expect_eq "tslcdHeightenedPeriod names the period" "Tết thử" "$(h_get_str $R.1.23.0)"
h_check "the line is up" h_wait_for 50 is 2 $R.3.1.12.10.1
sleep 4 # 4 good rounds: the configured down-after's window holds 2 of them
kill "$TARGET"
h_check "refused: the line goes down" h_wait_for 80 is 4 $R.3.1.12.10.1
h_check "  ... after the period's 2 bad rounds (lineDown text)" \
	grep -q "HT Heightened is down: 2 failed probe rounds (limit 2)" "$H_TMP/agent.log"
h_expect_eq "tslcdOutageLastLoss of the outage: 1000000 (the 2 rounds that declared it down)" \
	1000000 "$(get $R.4.1.9.10.1.1)"
# Tools that strip UTF-8 read the ASCII twins (issue: generic tools).
h_expect_eq "the period and its ASCII twin" "Tết thử|Tet thu" \
	"$(h_get_str $R.1.23.0)|$(h_get_str $R.1.40.0)"
h_expect_eq "the office contact and its ASCII twin" "Chị Hà, phòng Đối ngoại|Chi Ha, phong Doi ngoai" \
	"$(h_get_str $R.2.1.12.10)|$(h_get_str $R.2.1.45.10)"
h_done
