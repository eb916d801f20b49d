#!/usr/bin/env bash
# Least privilege: the agent probes ICMP when started unprivileged with only
# CAP_NET_RAW (as the systemd unit starts it), and when started as root with
# agent.user it drops to that user; either way it drops every capability
# once the ICMP sockets are open (agent/privilege.h), and probing and a
# reload that adds ICMP lines (IPv4 and IPv6) still work.  Root only.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
h_setup

if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null; then
	echo "privilege: skipped (needs root and setpriv)"
	h_done
	exit 0
fi

ROOT=.1.3.6.1.4.1.8072.9999.9999.84.1
L=$ROOT.3.1
NONE=0000000000000000
# The dropped user must reach the AgentX socket, its state dir and the config.
chmod 711 "$H_TMP"
mkdir -p "$H_TMP/state" "$H_TMP/run"
chown nobody:nogroup "$H_TMP/state" "$H_TMP/run"

conf() { # conf FILE USER [EXTRA LINES]
	cat >"$1" <<CONF
agent { user = "$2"  state-dir = "$H_TMP/state"  control-socket = "$H_TMP/run/control.sock"
        save-interval = 5 }
probe { interval = 1  count = 2  spacing = 50  timeout = 300 }
office {
	id = 1  code = "P1"  name = "Privilege test"  level = province
	line { id = 1  carrier = vnpt  bandwidth = 1000  probe = icmp  target = "127.0.0.1" }
	line { id = 2  carrier = vnpt  bandwidth = 1000  probe = icmp  target = "::1" }
	${3:-}
}
CONF
	chmod 644 "$1"
}
# Lines 3 and 4 (ICMP, IPv4 and IPv6) added by a reload, after the drop.
MORE='line { id = 3  carrier = vnpt  bandwidth = 1000  probe = icmp  target = "127.0.0.3" }
	line { id = 4  carrier = vnpt  bandwidth = 1000  probe = icmp  target = "::1" }'
reload_adds_icmp() { # reload_adds_icmp WHO CONF USER
	local n
	n=$(grep -c 'configuration reloaded' "$H_TMP/agent.log")
	conf "$2" "$3" "$MORE"
	kill -HUP "$H_AGENT_PID"
	h_check "$1: reload accepted" h_wait_for 50 \
		bash -c '[ "$(grep -c "configuration reloaded" "$2")" -gt "$1" ]' _ "$n" "$H_TMP/agent.log"
	h_check "$1: ICMP line added by the reload up" h_wait_for 80 line_up 3
	h_check "$1: ICMPv6 line added by the reload up" h_wait_for 80 line_up 4
}

status_field() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
line_up() { [ "$(h_snmp snmpget -Ov -Oe "$L.12.1.$1" 2>/dev/null | sed 's/.*: //')" == 2 ]; }

h_start_master "agentXPerms 0666 0711" || exit 1

# 1. Started unprivileged with CAP_NET_RAW only, the way the unit does it.
conf "$H_TMP/unpriv.conf" ""
H_AGENT_WRAPPER="setpriv --reuid=nobody --regid=nogroup --init-groups --inh-caps=-all,+net_raw \
--ambient-caps=-all,+net_raw --bounding-set=-all,+net_raw" \
	h_start_agent "$H_TMP/unpriv.conf" || h_fail "unprivileged agent served"
pid=$H_AGENT_PID
h_expect_eq "unprivileged: runs as nobody" 65534 "$(status_field "$pid" Uid)"
h_check "unprivileged: ICMP over a raw socket" \
	h_wait_for 50 grep -q 'ICMP (IPv4) probes use a raw socket' "$H_TMP/agent.log"
h_check "unprivileged: ICMP to 127.0.0.1 up" h_wait_for 80 line_up 1
h_check "unprivileged: ICMPv6 to ::1 up" h_wait_for 80 line_up 2
h_expect_eq "unprivileged: CapEff empty" $NONE "$(status_field "$pid" CapEff)"
h_expect_eq "unprivileged: CapPrm empty" $NONE "$(status_field "$pid" CapPrm)"
h_expect_eq "unprivileged: no ambient capability left" $NONE "$(status_field "$pid" CapAmb)"
h_expect_eq "unprivileged: NoNewPrivs set" 1 "$(status_field "$pid" NoNewPrivs)"
reload_adds_icmp unprivileged "$H_TMP/unpriv.conf" ""
h_stop_agent

# 2. Started as root with user = "nobody": drops after opening the sockets.
rm -f "$H_TMP/state/state.bin" "$H_TMP/run/control.sock"
: >"$H_TMP/agent.log"
conf "$H_TMP/root.conf" nobody
h_start_agent "$H_TMP/root.conf" || h_fail "root-started agent served"
pid=$H_AGENT_PID
h_expect_eq "dropped: Uid is nobody (real, effective, saved, fs)" "65534 65534 65534 65534" \
	"$(grep '^Uid:' "/proc/$pid/status" | cut -f2- | tr '\t' ' ')"
h_expect_eq "dropped: Gid is nogroup" "65534 65534 65534 65534" \
	"$(grep '^Gid:' "/proc/$pid/status" | cut -f2- | tr '\t' ' ')"
h_expect_eq "dropped: no root supplementary group" 65534 "$(status_field "$pid" Groups)"
h_expect_eq "dropped: CapEff empty" $NONE "$(status_field "$pid" CapEff)"
h_expect_eq "dropped: CapPrm empty" $NONE "$(status_field "$pid" CapPrm)"
h_expect_eq "dropped: CapBnd empty" $NONE "$(status_field "$pid" CapBnd)"
h_expect_eq "dropped: CapInh and CapAmb empty" "$NONE $NONE" \
	"$(status_field "$pid" CapInh) $(status_field "$pid" CapAmb)"
h_expect_eq "dropped: NoNewPrivs set" 1 "$(status_field "$pid" NoNewPrivs)"
h_check "dropped: the log says so" grep -q 'dropped privileges: running as nobody' "$H_TMP/agent.log"
h_check "dropped: ICMP to 127.0.0.1 still up (raw socket opened as root)" h_wait_for 80 line_up 1
h_check "dropped: ICMPv6 to ::1 still up" h_wait_for 80 line_up 2
h_expect_eq "dropped: control socket belongs to nobody" nobody \
	"$(stat -c %U "$H_TMP/run/control.sock" 2>/dev/null)"
reload_adds_icmp dropped "$H_TMP/root.conf" nobody
# After a master restart the dropped agent reconnects (socket mode 0666).
h_stop_master
h_start_master "agentXPerms 0666 0711" || exit 1
h_check "dropped: re-registers after a master restart" h_wait_served 50
h_stop_agent
h_expect_eq "dropped: state file written as nobody" nobody \
	"$(stat -c %U "$H_TMP/state/state.bin" 2>/dev/null)"

# 3. Root without a user: runs, with a clear warning.
: >"$H_TMP/agent.log"
conf "$H_TMP/nouser.conf" ""
h_start_agent "$H_TMP/nouser.conf" || h_fail "agent without user served"
h_check "no user: warns that it runs as root" \
	grep -q 'running as root: set agent { user' "$H_TMP/agent.log"
h_stop_agent

# 5. A config holding SNMP secrets (README, "Secrets"), started as root with
# user = "nobody".  The README's recipe (owned by the agent's user, mode
# 600) must pass the secrets rule at start (as root) and on reload (as
# nobody); a root-owned 600 file starts with a warning that the reload will
# fail; a third user's file is refused, naming the file and line.
secret_conf() { # secret_conf FILE OWNER
	conf "$1" nobody 'line { id = 9  carrier = vnpt  bandwidth = 1000  probe = icmp  target = "127.0.0.9"
	         counters { router = "127.0.0.1:9"  community = "s3cret"  ifindex = 1 } }'
	chown "$2" "$1"
	chmod 600 "$1"
}
reloads() { grep -c 'configuration reloaded' "$H_TMP/agent.log"; }
rm -f "$H_TMP/state/state.bin"
: >"$H_TMP/agent.log"
secret_conf "$H_TMP/secret.conf" nobody:nogroup
h_start_agent "$H_TMP/secret.conf" || h_fail "secrets owned by the agent's user: starts as root"
h_check "secrets owned by the agent's user: no warning about reading it" \
	bash -c '! grep -q "cannot read it" "$1"' _ "$H_TMP/agent.log"
kill -HUP "$H_AGENT_PID"
h_check "secrets owned by the agent's user: SIGHUP reload works after the drop" \
	h_wait_for 50 bash -c '[ "$(grep -c "configuration reloaded" "$1")" -ge 1 ]' _ "$H_TMP/agent.log"
h_check "secrets owned by the agent's user: no reload error" \
	bash -c '! grep -qE "reload failed|holds secrets" "$1"' _ "$H_TMP/agent.log"
h_stop_agent

rm -f "$H_TMP/state/state.bin"
: >"$H_TMP/agent.log"
secret_conf "$H_TMP/secret.conf" root:root
h_start_agent "$H_TMP/secret.conf" || h_fail "root-owned secrets: starts as root"
h_check "root-owned secrets: start warns that nobody cannot read it, with the remedy" \
	grep -q "secret.conf: agent.user 'nobody' (uid 65534) cannot read it (Permission denied), so a reload (SIGHUP) will fail once root is dropped: chown nobody" \
	"$H_TMP/agent.log"
kill -HUP "$H_AGENT_PID"
h_check "root-owned secrets: the failed reload says as which uid" h_wait_for 50 \
	grep -q "secret.conf: cannot read (as uid 65534): Permission denied" "$H_TMP/agent.log"
h_stop_agent

secret_conf "$H_TMP/secret.conf" 4242:4242
timeout 20 "$H_AGENT" -f -L -c "$H_TMP/secret.conf" -x "$H_SOCK" >"$H_TMP/thirduser.log" 2>&1
rc=$?
h_check "a third user's secrets file: refused (exit 1, got $rc)" [ "$rc" -eq 1 ]
h_check "a third user's secrets file: says which file, line and why" \
	grep -qE "secret.conf:[0-9]+: .*secret.conf holds secrets but is owned by uid 4242, neither root nor the agent's user \(uid 65534\)" \
	"$H_TMP/thirduser.log"

# 4. An unknown user is fatal: it must not carry on as root.
conf "$H_TMP/baduser.conf" "tslcd-no-such-user"
timeout 20 "$H_AGENT" -f -L -c "$H_TMP/baduser.conf" -x "$H_SOCK" >"$H_TMP/baduser.log" 2>&1
rc=$?
h_check "unknown user: exits 1 (got $rc)" [ "$rc" -eq 1 ]
h_check "unknown user: says which" grep -q "agent.user 'tslcd-no-such-user': no such user" \
	"$H_TMP/baduser.log"

h_done
