#!/usr/bin/env bash
#
# Validate mibs/TSLCD-MIB.txt.
#
# Usage (from anywhere): bash tests/mib/check-mib.sh
#
# Checks:
#   ascii        the MIB file is plain ASCII (SMI requires it)
#   smilint      smilint -l 6 prints nothing (it exits 0 even on errors,
#                so any output is a failure)
#   snmptranslate-Tp  Net-SNMP parses the module with nothing on stderr
#   anchor-oids  tslcdMIB and tslcdLineOperStatus have their contract OIDs
#   parsers-agree  libsmi (smidump) and Net-SNMP (snmptranslate) give every
#                named node the same OID
#   alarm-types  agent/alarm.c's alarm type names are TslcdAlarmTypeTC's
#                labels, and type T has the notifications 2T-1 and 2T
#   markdown     mibs/TSLCD-MIB.md is what mibs/gen-mib-md.sh generates now
#
# Base MIBs: see tests/mib/base-mibs.sh (TSLCD_BASE_MIBS, or npm into
# build/).  Prints "mib: N passed, M failed" last; exits non-zero on any
# failure.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=base-mibs.sh
. "$here/base-mibs.sh"

if ! tslcd_base_mibs_setup; then
    echo "mib: base MIB setup failed" >&2
    echo "mib: 0 passed, 1 failed"
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass=0
fail=0
ok() {
    pass=$((pass + 1))
    echo "ok   $1"
}
not_ok() {
    fail=$((fail + 1))
    echo "FAIL $1"
}
# Print file $1 indented, for failure details.
show() {
    sed 's/^/    /' "$1"
}

mib=$TSLCD_MIB_FILE
root_oid=.1.3.6.1.4.1.8072.9999.9999.84

# 1. ASCII only.
if LC_ALL=C grep -n "$(printf '[^\t -~]')" "$mib" >"$tmp/ascii.out"; then
    not_ok "ascii: non-ASCII or control characters in $mib"
    show "$tmp/ascii.out"
else
    ok "ascii"
fi

# 2. smilint at level 6: any output is a failure.
tslcd_smilint "$mib" >"$tmp/smilint.out" 2>&1 || true
if [ -s "$tmp/smilint.out" ]; then
    not_ok "smilint"
    show "$tmp/smilint.out"
else
    ok "smilint"
fi

# 3. Net-SNMP parses it with nothing on stderr.
rc=0
tslcd_snmptranslate -Tp >"$tmp/tp.out" 2>"$tmp/tp.err" || rc=$?
if [ "$rc" -ne 0 ] || [ -s "$tmp/tp.err" ] || ! grep -q 'tslcdMIB(84)' "$tmp/tp.out"; then
    not_ok "snmptranslate-Tp (exit $rc)"
    show "$tmp/tp.err"
else
    ok "snmptranslate-Tp"
fi

# 4. Contract OIDs.
anchor_ok=1
while read -r name want; do
    got=$(tslcd_snmptranslate -On "TSLCD-MIB::$name" 2>&1) || true
    if [ "$got" != "$want" ]; then
        echo "    $name: want $want, got $got"
        anchor_ok=0
    fi
done <<EOF
tslcdMIB $root_oid
tslcdLineOperStatus $root_oid.1.3.1.12
EOF
if [ "$anchor_ok" -eq 1 ]; then
    ok "anchor-oids"
else
    not_ok "anchor-oids"
fi

# 5. libsmi and Net-SNMP agree on the OID of every named node.
agree_ok=1
if ! tslcd_smidump -f identifiers "$mib" >"$tmp/ids.out" 2>"$tmp/ids.err" ||
   [ -s "$tmp/ids.err" ]; then
    agree_ok=0
    show "$tmp/ids.err"
fi
# Lines: MODULE NAME KIND [OID]; types have no OID.
awk '$1 == "TSLCD-MIB" && NF == 4 { print $2, "." $4 }' "$tmp/ids.out" >"$tmp/smi.pairs"
if [ ! -s "$tmp/smi.pairs" ]; then
    agree_ok=0
    echo "    smidump listed no identifiers"
else
    cut -d' ' -f1 "$tmp/smi.pairs" | sed 's/^/TSLCD-MIB::/' >"$tmp/names"
    rc=0
    mapfile -t names <"$tmp/names"
    tslcd_snmptranslate -On "${names[@]}" >"$tmp/net.raw" 2>"$tmp/net.err" || rc=$?
    grep -v '^$' "$tmp/net.raw" >"$tmp/net.oids" || true
    if [ "$rc" -ne 0 ] || [ -s "$tmp/net.err" ]; then
        agree_ok=0
        show "$tmp/net.err"
    fi
    cut -d' ' -f1 "$tmp/smi.pairs" | paste -d' ' - "$tmp/net.oids" >"$tmp/net.pairs"
    if ! diff -u "$tmp/smi.pairs" "$tmp/net.pairs" >"$tmp/agree.diff"; then
        agree_ok=0
        echo "    --- smidump  +++ snmptranslate"
        show "$tmp/agree.diff"
    fi
fi
if [ "$agree_ok" -eq 1 ]; then
    ok "parsers-agree ($(wc -l <"$tmp/smi.pairs") identifiers)"
else
    not_ok "parsers-agree"
fi

# 6. The agent's alarm types are TslcdAlarmTypeTC, and each type T has its
# raise/clear pair of notifications 2T-1 and 2T (the numbers notify.c uses).
tc_labels=$(awk '/^TslcdAlarmTypeTC ::=/ { tc = 1 } tc && /SYNTAX/ { syn = 1 }
	syn { while (match($0, /[a-zA-Z]+\([0-9]+\)/)) { print substr($0, RSTART, RLENGTH)
		$0 = substr($0, RSTART + RLENGTH) } }
	syn && /}/ { exit }' "$mib")
c_labels=$(awk '/type_names\[ALARM_TYPE_MAX \+ 1\] = \{/ { on = 1; next } on && /^};/ { exit }
	on && /"/ { n++; gsub(/[ \t",]/, ""); printf "%s(%d)\n", $0, n }' \
	"$TSLCD_REPO_ROOT/agent/alarm.c")
want_notif=$(for ((t = 1; t <= $(wc -l <<<"$tc_labels"); t++)); do echo $((2 * t - 1)); echo $((2 * t)); done)
got_notif=$(sed -nE 's/.*::= *\{ *tslcdNotifications ([0-9]+) *\}.*/\1/p' "$mib" | sort -n)
if [ -z "$tc_labels" ] || [ "$tc_labels" != "$c_labels" ]; then
    not_ok "alarm-types: agent/alarm.c's names are not TslcdAlarmTypeTC's"
    diff <(echo "$tc_labels") <(echo "$c_labels") | sed 's/^/    /'
elif [ "$want_notif" != "$got_notif" ]; then
    not_ok "alarm-types: notifications are not the pairs 2T-1, 2T of the alarm types"
    diff <(echo "$want_notif") <(echo "$got_notif") | sed 's/^/    /'
else
    ok "alarm-types ($(wc -l <<<"$tc_labels") types, $(wc -l <<<"$got_notif") notifications)"
fi

# 7. The committed Markdown reference is up to date.
md=$TSLCD_REPO_ROOT/mibs/TSLCD-MIB.md
if ! bash "$TSLCD_REPO_ROOT/mibs/gen-mib-md.sh" "$tmp/TSLCD-MIB.md" >"$tmp/gen.out" 2>&1; then
    not_ok "markdown: mibs/gen-mib-md.sh failed"
    show "$tmp/gen.out"
elif [ ! -f "$md" ]; then
    not_ok "markdown: $md missing; run: bash mibs/gen-mib-md.sh"
elif ! diff -u "$md" "$tmp/TSLCD-MIB.md" >"$tmp/md.diff"; then
    not_ok "markdown: mibs/TSLCD-MIB.md is stale; run: bash mibs/gen-mib-md.sh"
    head -n 40 "$tmp/md.diff" | sed 's/^/    /'
else
    ok "markdown"
fi

echo "mib: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
