#!/usr/bin/env bash
# Helpers for the notification tests: read $H_TMP/traps.log (snmptrapd -On,
# one header line then one line of tab-separated varbinds per notification)
# and run small TCP listeners on 127.0.0.1 that tests open and close.

T_ROOT=.1.3.6.1.4.1.8072.9999.9999.84

# Every varbind line of the N-th (1-based) notification whose snmpTrapOID
# is $T_ROOT.0.$1.
t_trap_all() {
	local num=$1 nth=${2:-1}
	grep -F ".1.3.6.1.6.3.1.1.4.1.0 = OID: $T_ROOT.0.$num"$'\t' "$H_TMP/traps.log" |
		sed -n "${nth}p" | tr '\t' '\n'
}

# The same without sysUpTime, snmpTrapOID and the ASCII twin of the text
# (tslcdNotifyTextAscii, last in every notification; t_trap_ascii reads it).
t_trap() {
	t_trap_all "$@" | grep -v -e '^\.1\.3\.6\.1\.2\.1\.1\.3\.0 ' \
		-e '^\.1\.3\.6\.1\.6\.3\.1\.1\.4\.1\.0 ' -e "^$T_ROOT\.1\.7\.20\.0 "
}

t_trap_ascii() {
	t_trap_all "$@" | grep -F "$T_ROOT.1.7.20.0 = " | sed -E 's/^[^"]*"(.*)"$/\1/'
}

# Number of notifications of this module received (optionally of one number).
t_count() {
	local pat="= OID: $T_ROOT.0.${1:-}"
	grep -c -F "$pat" "$H_TMP/traps.log" 2>/dev/null || true
}

t_count_exact() {
	grep -c -F ".1.3.6.1.6.3.1.1.4.1.0 = OID: $T_ROOT.0.$1"$'\t' "$H_TMP/traps.log" 2>/dev/null ||
		true
}

# Notifications number $1 that name office $2 (carry its tslcdOfficeCode).
t_count_office() {
	grep -F ".1.3.6.1.6.3.1.1.4.1.0 = OID: $T_ROOT.0.$1"$'\t' "$H_TMP/traps.log" 2>/dev/null |
		grep -cF "$T_ROOT.1.2.1.2.$2 = " || true
}

# The notifications received so far in short, by number: "1 x2, 3 x1".
t_tally() {
	grep -oE "\.1\.3\.6\.1\.6\.3\.1\.1\.4\.1\.0 = OID: ${T_ROOT//./\\.}\.0\.[0-9]+" \
		"$H_TMP/traps.log" 2>/dev/null | sed -E 's/.*\.//' | h_tally_in
}

# Wait (tenths of a second) until the N-th notification number $1 arrived.
t_wait_trap() {
	local num=$1 nth=${2:-1} n=${3:-150}
	while [ "$n" -gt 0 ]; do
		[ "$(t_count_exact "$num")" -ge "$nth" ] && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# Expected varbinds, one per line, in the order the agent sends them: the
# identity of the line or office, then the alarm part (tslcdNotify*).
t_line_vbs() { # OFFICE LINE CODE NAME CARRIER CIRCUIT STATUS
	printf '%s\n' "$T_ROOT.1.2.1.2.$1 = STRING: \"$3\"" "$T_ROOT.1.2.1.3.$1 = STRING: \"$4\"" \
		"$T_ROOT.1.3.1.2.$1.$2 = INTEGER: $5" "$T_ROOT.1.3.1.3.$1.$2 = STRING: \"$6\"" \
		"$T_ROOT.1.3.1.12.$1.$2 = INTEGER: $7"
}
t_office_vbs() { # OFFICE CODE NAME STATUS
	printf '%s\n' "$T_ROOT.1.2.1.2.$1 = STRING: \"$2\"" "$T_ROOT.1.2.1.3.$1 = STRING: \"$3\"" \
		"$T_ROOT.1.2.1.13.$1 = INTEGER: $4"
}
t_alarm_vbs() { # SEVERITY VALUE THRESHOLD SEQ [TEXT]
	printf '%s\n' "$T_ROOT.1.7.2.0 = INTEGER: $1" "$T_ROOT.1.7.3.0 = INTEGER: $2" \
		"$T_ROOT.1.7.4.0 = INTEGER: $3" "$T_ROOT.1.7.1.0 = Gauge32: $4"
	if [ $# -ge 5 ]; then
		printf '%s\n' "$T_ROOT.1.7.5.0 = STRING: \"$5\""
	fi
}

# Value of tslcdNotifySeq in a varbind list on stdin.
t_seq_of() { grep -F "$T_ROOT.1.7.1.0 = " | sed -E 's/.*: //'; }

# t_listen PORT: a TCP listener on 127.0.0.1:PORT that accepts and closes;
# sets T_LISTENER to its pid.
t_listen() {
	python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(64)
while True:
    c, _ = s.accept()
    c.close()
' "$1" &
	T_LISTENER=$!
	H_PIDS+=("$T_LISTENER")
	# Listening, not just started (python3 takes a while on a busy machine).
	h_wait_for 50 h_listening tcp "$1" || echo "t_listen: nothing listens on port $1"
}

t_unlisten() {
	kill "$T_LISTENER" 2>/dev/null
	h_wait_gone "$T_LISTENER" 20
}

# The rows of tslcdAlarmTable as "type office line severity value threshold"
# lines, sorted, from a walk through the master.
# The alarm table's keys as "type office line", one row a line, sorted.
t_alarm_keys() { t_alarm_rows | cut -d' ' -f1-3 | sort; }

t_alarm_rows() {
	local walk
	walk=$(h_snmp snmpwalk "$T_ROOT.1.6" 2>/dev/null | grep -F "$T_ROOT.1.6.1.")
	local ids
	ids=$(grep -F "$T_ROOT.1.6.1.2." <<<"$walk" | sed -E "s/^\\$T_ROOT\\.1\\.6\\.1\\.2\\.([0-9]+) .*/\\1/")
	for id in $ids; do
		local row=""
		for col in 2 3 4 5 7 8; do
			row="$row $(grep -F "$T_ROOT.1.6.1.$col.$id = " <<<"$walk" | sed -E 's/.*: //')"
		done
		echo "${row# }"
	done | sort
}

# T_KEEP=FILE keeps a copy of the trap log (to refresh the README examples).
t_keep() { [ -z "${T_KEEP:-}" ] || cp "$H_TMP/traps.log" "$T_KEEP"; }
