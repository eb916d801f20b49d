#!/usr/bin/env bash
# tslcdctl's usage with no agent running (issue 15): `--help` after any
# command prints the usage and exits 0; an unknown command or option gets
# the usage and exit 2; neither ever tries the control socket, so neither
# says "cannot reach the agent".  tslcd-agent's own --help is in
# tests/package/check-package.sh (the installed binaries).
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
h_setup

CTL=$H_BUILD/tslcdctl
NOSOCK=$H_TMP/no-agent.sock # never created: no agent here

# run ARGS...: tslcdctl's exit status; its output in $H_TMP/out, $H_TMP/err.
run() {
	"$CTL" "$@" >"$H_TMP/out" 2>"$H_TMP/err"
}

# helps ARGS...: exit 0, the usage on stdout, the socket untouched.
helps() {
	run "$@"
	local rc=$?
	h_check "tslcdctl $*: exit 0 (got $rc)" [ "$rc" -eq 0 ]
	h_check "tslcdctl $*: usage on stdout" grep -q '^usage: tslcdctl' "$H_TMP/out"
	h_check "tslcdctl $*: no socket tried" bash -c "! grep -q 'reach the agent' $H_TMP/err"
}

# refuses WORDS ARGS...: exit 2, WORDS and the usage on stderr, no socket.
refuses() {
	local words=$1 rc
	shift
	run "$@"
	rc=$?
	h_check "tslcdctl $*: exit 2 (got $rc)" [ "$rc" -eq 2 ]
	h_check "tslcdctl $*: says \"$words\"" grep -qF -- "$words" "$H_TMP/err"
	h_check "tslcdctl $*: usage on stderr" grep -q '^usage: tslcdctl' "$H_TMP/err"
	h_check "tslcdctl $*: no socket tried" bash -c "! grep -q 'reach the agent' $H_TMP/err"
}

helps --help
helps -h
for cmd in status alarm bandwidth outage-cause readiness-template readiness-verify report; do
	helps "$cmd" --help
done
helps -s "$NOSOCK" status --help
helps -s "$NOSOCK" alarm -h

refuses "unknown option '--no-such-option'" --no-such-option
refuses "unknown command 'no-such-command'" -s "$NOSOCK" no-such-command
refuses "status: unknown option '--verbose'" -s "$NOSOCK" status --verbose
refuses "alarm: unknown option '--bogus'" -s "$NOSOCK" alarm list --bogus
refuses "report: unknown option '--bogus'" report --period 2026-11 --bogus x
refuses "report: unknown option '--bogus'" report --bogus
# -c CONFIG is for the commands that work on files, not the agent's.
run -c "$H_TMP/tslcd.conf" status
h_expect_eq "tslcdctl -c CONFIG status: exit 2" 2 "$?"

# Still passed on: a negative number is a bad id (explained), and alarm's
# own options with their values, a note's text included.
run -s "$NOSOCK" outage-cause 1.1 -1 powerLoss
h_expect_eq "tslcdctl outage-cause 1.1 -1: exit 2" 2 "$?"
h_check "tslcdctl outage-cause 1.1 -1: a bad OUTAGE, not an option" \
	grep -qF "OUTAGE '-1' is not a whole number" "$H_TMP/err"
run -s "$NOSOCK" alarm ack 7 --by noc-a --note "-- called the carrier"
h_check "alarm ack ... --note '-- text': reaches for the socket" \
	grep -q "cannot reach the agent at $NOSOCK" "$H_TMP/err"
h_done
