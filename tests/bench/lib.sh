# shellcheck shell=bash
# Helpers of the bench scripts (run.sh, ab.sh); sourced after harness.sh.

now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.${2:-3}f\", ($1) }"; }
# Median (the lower one of an even count) of the numbers on stdin, one per line.
median_of() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
cpu_s() { # utime+stime of PID in seconds
	awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' \
		"/proc/$1/stat" 2>/dev/null || echo 0
}
cpu_model() { awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo; }

served() { # OID: true when the master on H_PORT answers it with a value
	snmpget -v2c -c public -On -t 0.3 -r 0 "udp:127.0.0.1:$H_PORT" "$1" 2>/dev/null |
		grep -qv 'No Such\|^Timeout'
}
wait_served() { # OID TENTHS [PID]: fails early when PID is gone
	local n=$2
	while [ "$n" -gt 0 ]; do
		served "$1" && return 0
		[ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null && return 1
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
