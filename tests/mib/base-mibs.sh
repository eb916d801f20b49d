# shellcheck shell=bash
#
# Base-MIB setup shared by tests/mib/check-mib.sh, tests/mib/oid-names.sh
# and mibs/gen-mib-md.sh.  Source it, then call tslcd_base_mibs_setup.
#
# TSLCD-MIB imports SNMPv2-SMI, SNMPv2-TC and SNMPv2-CONF (and NET-SNMP-MIB,
# which Net-SNMP installs in /usr/share/snmp/mibs).  Debian main ships no
# IETF MIBs, so the tests take them from the npm package net-snmp
# (lib/mibs/*.mib).  IETF MIB text is never committed: it lives only under
# build/, which is not tracked.
#
# Environment:
#   TSLCD_BASE_MIBS     directory that already holds the base MIBs; if set,
#                       npm is not used.  Any file names are fine (smilint
#                       also tries MODULE.mib and MODULE.txt).
#   TSLCD_SYSTEM_MIBS   Net-SNMP's own MIB directory (for NET-SNMP-MIB);
#                       default /usr/share/snmp/mibs.
#   TSLCD_NPM_PACKAGE   npm package spec to install; default net-snmp.
#
# After tslcd_base_mibs_setup these are set:
#   TSLCD_REPO_ROOT     top of the checkout
#   TSLCD_MIB_FILE      mibs/TSLCD-MIB.txt (absolute)
#   TSLCD_BASE_MIB_DIR  directory with the base MIBs
#   TSLCD_MIB_PATH      colon-separated search path: ours, system, base
# and these helpers run the tools with that path and nothing else:
#   tslcd_smilint ARGS...        smilint at level 6 (no config file)
#   tslcd_smidump ARGS...        smidump (no config file)
#   tslcd_snmptranslate ARGS...  snmptranslate -m TSLCD-MIB, isolated from
#                                /etc/snmp and /var/lib/snmp

# The variables below are used by the scripts that source this file.
# shellcheck disable=SC2034
TSLCD_REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TSLCD_MIB_FILE=$TSLCD_REPO_ROOT/mibs/TSLCD-MIB.txt
TSLCD_BASE_MIB_DIR=
TSLCD_MIB_PATH=
TSLCD_SNMP_HOME=$TSLCD_REPO_ROOT/build/mib-snmp-home

# Print the module name defined in MIB file $1 (empty if none found).
tslcd_mib_module_name() {
    sed -n -E 's/^[[:space:]]*([A-Za-z][-A-Za-z0-9]*)[[:space:]]+DEFINITIONS[[:space:]]*::=.*/\1/p' "$1" | head -n 1
}

# Fill directory $2 with the *.mib files of directory $1, named by module
# (MODULE and MODULE.txt).
tslcd_build_base_dir() {
    local src=$1 dst=$2 tmp f mod
    tmp=$(mktemp -d "$dst.tmp.XXXXXX")
    for f in "$src"/*.mib; do
        [ -f "$f" ] || continue
        mod=$(tslcd_mib_module_name "$f")
        if [ -z "$mod" ]; then
            echo "base-mibs: no module definition in $f, skipped" >&2
            continue
        fi
        cp "$f" "$tmp/$mod"
        cp "$f" "$tmp/$mod.txt"
    done
    if [ ! -f "$tmp/SNMPv2-SMI" ]; then
        echo "base-mibs: SNMPv2-SMI not found in $src" >&2
        rm -rf "$tmp"
        return 1
    fi
    touch "$tmp/.complete"
    rm -rf "$dst"
    mv "$tmp" "$dst"
}

tslcd_base_mibs_setup() {
    local npm_dir mib_src system_dir
    system_dir=${TSLCD_SYSTEM_MIBS:-/usr/share/snmp/mibs}

    if [ -n "${TSLCD_BASE_MIBS:-}" ]; then
        if [ ! -d "$TSLCD_BASE_MIBS" ]; then
            echo "base-mibs: TSLCD_BASE_MIBS=$TSLCD_BASE_MIBS is not a directory" >&2
            return 1
        fi
        TSLCD_BASE_MIB_DIR=$(cd "$TSLCD_BASE_MIBS" && pwd)
    else
        npm_dir=$TSLCD_REPO_ROOT/build/npm-mibs
        mib_src=$npm_dir/node_modules/net-snmp/lib/mibs
        if [ ! -f "$mib_src/SNMPv2-SMI.mib" ]; then
            if ! command -v npm >/dev/null 2>&1; then
                echo "base-mibs: npm not found; install npm or set TSLCD_BASE_MIBS" >&2
                return 1
            fi
            echo "base-mibs: installing ${TSLCD_NPM_PACKAGE:-net-snmp} into $npm_dir" >&2
            mkdir -p "$npm_dir"
            if ! npm install --no-save --no-audit --no-fund --loglevel=error \
                    --prefix "$npm_dir" "${TSLCD_NPM_PACKAGE:-net-snmp}" >&2; then
                echo "base-mibs: npm install failed" >&2
                return 1
            fi
        fi
        TSLCD_BASE_MIB_DIR=$TSLCD_REPO_ROOT/build/base-mibs
        if [ ! -f "$TSLCD_BASE_MIB_DIR/.complete" ] ||
           [ "$mib_src/SNMPv2-SMI.mib" -nt "$TSLCD_BASE_MIB_DIR/.complete" ]; then
            tslcd_build_base_dir "$mib_src" "$TSLCD_BASE_MIB_DIR" || return 1
        fi
    fi

    if [ ! -e "$system_dir/NET-SNMP-MIB.txt" ] &&
       [ ! -e "$TSLCD_BASE_MIB_DIR/NET-SNMP-MIB.txt" ] &&
       [ ! -e "$TSLCD_BASE_MIB_DIR/NET-SNMP-MIB" ]; then
        echo "base-mibs: NET-SNMP-MIB not found in $system_dir (Debian: libsnmp-base)" >&2
        return 1
    fi

    TSLCD_MIB_PATH=$TSLCD_REPO_ROOT/mibs:$system_dir:$TSLCD_BASE_MIB_DIR

    # Keep snmptranslate away from /etc/snmp/snmp.conf and /var/lib/snmp.
    # cert_indexes is created up front, or snmptranslate reports creating it
    # on stderr.
    mkdir -p "$TSLCD_SNMP_HOME/conf" "$TSLCD_SNMP_HOME/persist/cert_indexes"
}

tslcd_smilint() {
    SMIPATH=$TSLCD_MIB_PATH smilint -c /dev/null -m -s -l 6 -i namelength-32 "$@"
}

tslcd_smidump() {
    SMIPATH=$TSLCD_MIB_PATH smidump -c /dev/null "$@"
}

tslcd_snmptranslate() {
    env -u MIBS -u MIBDIRS -u MIBFILES \
        SNMPCONFPATH="$TSLCD_SNMP_HOME/conf" \
        SNMP_PERSISTENT_DIR="$TSLCD_SNMP_HOME/persist" \
        snmptranslate -M "$TSLCD_MIB_PATH" -m TSLCD-MIB "$@"
}
