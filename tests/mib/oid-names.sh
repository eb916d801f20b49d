#!/usr/bin/env bash
#
# Check the agent's OIDs against TSLCD-MIB.
#
# Usage: bash tests/mib/oid-names.sh FILE     (FILE "-" reads stdin)
#   e.g. tslcd-agent --dump-oids >oids.txt && bash tests/mib/oid-names.sh oids.txt
#
# FILE has one "NAME OID" pair per line, OID numeric with a leading dot
# (.1.3.6.1...).  NAME may carry a "TSLCD-MIB::" prefix.  Blank lines and
# lines starting with # are ignored.  For each pair the script checks that
# snmptranslate -On TSLCD-MIB::NAME prints exactly OID, and reports every
# mismatch, unknown name and malformed line.  Prints
# "oid-names: N passed, M failed" last; exits non-zero on any failure or
# when FILE holds no pairs.
#
# Base MIBs: see tests/mib/base-mibs.sh.

set -euo pipefail

if [ "$#" -ne 1 ]; then
    echo "usage: $0 FILE   (lines \"NAME OID\"; - for stdin)" >&2
    exit 2
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=base-mibs.sh
. "$here/base-mibs.sh"

input=$1
if [ "$input" = "-" ]; then
    input=/dev/stdin
elif [ ! -r "$input" ]; then
    echo "oid-names: cannot read $input" >&2
    exit 2
fi

if ! tslcd_base_mibs_setup; then
    echo "oid-names: base MIB setup failed" >&2
    echo "oid-names: 0 passed, 1 failed"
    exit 1
fi

pass=0
fail=0
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
    lineno=$((lineno + 1))
    line=${line%$'\r'}
    case $line in
        '' | '#'*) continue ;;
    esac
    read -r name oid extra <<<"$line" || true
    name=${name#TSLCD-MIB::}
    if [ -z "${oid:-}" ] || [ -n "${extra:-}" ] ||
       ! [[ $name =~ ^[a-z][A-Za-z0-9]*$ ]] ||
       ! [[ $oid =~ ^(\.[0-9]+)+$ ]]; then
        echo "MALFORMED line $lineno: $line"
        fail=$((fail + 1))
        continue
    fi
    if ! mib_oid=$(tslcd_snmptranslate -On "TSLCD-MIB::$name" 2>&1) ||
       ! [[ $mib_oid =~ ^(\.[0-9]+)+$ ]]; then
        echo "UNKNOWN  $name: agent $oid, not in TSLCD-MIB ($(echo "$mib_oid" | head -n 1))"
        fail=$((fail + 1))
    elif [ "$mib_oid" != "$oid" ]; then
        echo "MISMATCH $name: agent $oid, MIB $mib_oid"
        fail=$((fail + 1))
    else
        pass=$((pass + 1))
    fi
done <"$input"

if [ $((pass + fail)) -eq 0 ]; then
    echo "oid-names: no NAME OID pairs in $1"
    fail=1
fi

echo "oid-names: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
