#!/usr/bin/env bash
# `make check-package`: the operator's path on a Debian 12 machine, for real.
# Builds the .deb (lintian must be clean), installs it, checks the packaged
# config, user, directories and man pages, runs snmpd with Debian's stock
# snmpd.conf plus our snippet (only the listening address moved to a
# loopback test port) and the agent as its unit would (user tslcd,
# CAP_NET_RAW only, packaged paths), walks the subtree through the stock
# view, gets a signed readiness report accepted from the packaged spool,
# reinstalls over a changed conffile, then removes and purges.  Also
# verifies the unit and scores it (exposure must be <= 2.0).
# Root only: it installs a package (a throwaway CI machine).
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
h_setup
BUILD=${1:-build}
[ "$(id -u)" -eq 0 ] || { echo "check-package: needs root (it installs the package)"; exit 1; }
if dpkg-query -W -f='${Status}' tslcd-agent 2>/dev/null | grep -q installed; then
	echo "check-package: tslcd-agent is already installed here; refusing to touch it"
	exit 1
fi
ROOT=.1.3.6.1.4.1.8072.9999.9999.84
UNIT=/lib/systemd/system/tslcd-agent.service
SPOOL=/var/spool/tslcd/readiness
APT=(apt-get -y -qq -o DPkg::Lock::Timeout=600)
export DEBIAN_FRONTEND=noninteractive
installed() { dpkg-query -W -f='${Status}' tslcd-agent 2>/dev/null | grep -q 'ok installed'; }
H_CLEANUPS+=("installed && ${APT[*]} purge tslcd-agent")
# The package's directories, when something else left them here (an agent
# run by hand with its default paths, an earlier install), are set aside
# for the run and put back after it: the purge below must not take them.
SAVED=$H_TMP/saved-dirs
for d in /etc/tslcd /var/lib/tslcd /var/spool/tslcd /run/tslcd; do
	[ -e "$d" ] || continue
	mkdir -p "$SAVED$(dirname "$d")"
	mv "$d" "$SAVED$d" && H_CLEANUPS+=("rm -rf '$d' && mv '$SAVED$d' '$d'")
	echo "  (set aside for the run, put back after: $d)"
done

# ---- build and lint ----
# The package names of packaging/debian/control's Build-Depends, one a line.
build_deps() {
	sed -n '/^Build-Depends:/,/^[A-Z]/p' "$H_TOP/packaging/debian/control" |
		sed 's/^Build-Depends://; /^[A-Z]/d' | tr ',' '\n' | awk '{ print $1 }'
}
# Build-Depends names the -dev package of every library the Makefile links
# (libc6-dev comes with build-essential), so `make deb` also works where only
# the Build-Depends are installed, not everything `make deps` brings.
build_deps_cover_libs() {
	local ma deps l pkg missing=""
	ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
	deps=$(build_deps)
	for l in $(sed -n 's/^LDLIBS *+= *//p' "$H_TOP/Makefile" | grep -o -- '-l[a-z0-9_]*'); do
		l=${l#-l}
		pkg=$(dpkg -S "/usr/lib/$ma/lib$l.so" "/usr/lib/$ma/lib$l.a" 2>/dev/null | head -1 | cut -d: -f1)
		[ "$pkg" = libc6-dev ] || grep -qx -- "$pkg" <<<"$deps" || missing+=" -l$l(${pkg:-?})"
	done
	[ -z "$missing" ] || { echo "  not in Build-Depends:$missing"; return 1; }
}
h_check "Build-Depends covers every library the Makefile links" build_deps_cover_libs
# And every interpreter a build rule runs: mibs/gen-columns.py needs python3.
build_deps_cover_tools() {
	local deps tool missing=""
	deps=$(build_deps)
	for tool in $(grep -oE '^	(python3|perl)\b' "$H_TOP/Makefile" | sort -u); do
		grep -qx -- "$tool" <<<"$deps" || missing+=" $tool"
	done
	[ -z "$missing" ] || { echo "  not in Build-Depends:$missing"; return 1; }
}
h_check "Build-Depends covers every tool the build rules run" build_deps_cover_tools
make -s deb BUILD="$BUILD" >"$H_TMP/deb.log" 2>&1 || { tail -30 "$H_TMP/deb.log"; h_fail "make deb"; h_done; exit 1; }
DEB=$(ls "$H_TOP/$BUILD"/deb/tslcd-agent_*.deb)
h_pass "make deb: $(basename "$DEB")"
h_check "lintian --fail-on error,warning: clean" \
	lintian --fail-on error,warning "$H_TOP/$BUILD"/deb/tslcd-agent_*.changes

# ---- the unit, scored offline (no systemd runs here) ----
score=$(systemd-analyze security --offline=yes "$H_TOP/packaging/systemd/tslcd-agent.service" 2>&1 |
	sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
echo "  systemd-analyze security --offline=yes: exposure $score"
h_check "unit exposure $score <= 2.0" awk -v s="$score" 'BEGIN { exit !(s != "" && s <= 2.0) }'

# ---- what the unit says (issue 15, "The unit"), against the agent's defaults ----
SRCUNIT=$H_TOP/packaging/systemd/tslcd-agent.service
unit() { sed -n "s/^$1=//p" "$SRCUNIT" | tr '\n' ' ' | sed 's/ $//'; }
default() { "$H_TOP/$BUILD/tslcd-agent" --dump-config-schema | awk -F'\t' -v k="$1" '$1 == k { print $3 }' | tr -d '"'; }
h_expect_eq "unit: Type=notify" notify "$(unit Type)"
h_check "unit: Wants= and After= snmpd.service" bash -c \
	"grep -qw snmpd.service <<<'$(unit Wants)' && grep -qw snmpd.service <<<'$(unit After)'"
h_expect_eq "unit: nothing Requires/Requisite/BindsTo/PartOf" "" \
	"$(unit Requires)$(unit Requisite)$(unit BindsTo)$(unit PartOf)"
h_expect_eq "unit: User=tslcd Group=tslcd" "tslcd tslcd" "$(unit User) $(unit Group)"
h_expect_eq "unit: AmbientCapabilities, CapabilityBoundingSet" "CAP_NET_RAW CAP_NET_RAW" \
	"$(unit AmbientCapabilities) $(unit CapabilityBoundingSet)"
h_expect_eq "unit: StateDirectory is agent.state-dir's default" "$(default agent.state-dir)" \
	"/var/lib/$(unit StateDirectory)"
h_expect_eq "unit: RuntimeDirectory holds agent.control-socket's default" \
	"$(dirname "$(default agent.control-socket)")" "/run/$(unit RuntimeDirectory)"
h_check "unit: ReadWritePaths has the spool $SPOOL (the shipped config's spool-dir)" bash -c \
	"grep -qw -- '$SPOOL' <<<'$(unit ReadWritePaths)' &&
	 grep -q '^[[:space:]]*spool-dir = \"$SPOOL\"' '$H_TOP/conf/tslcd.conf'"
h_expect_eq "unit: ExecReload sends SIGHUP" '/bin/kill -HUP $MAINPID' "$(unit ExecReload)"
h_check "unit: SystemCallFilter=@system-service or tighter" bash -c \
	"grep -qx '@system-service\( .*\)\?' <<<'$(unit SystemCallFilter)'"

# ---- make install honours DESTDIR and the directory variables ----
D=$H_TMP/destdir
make -s -C "$H_TOP" install BUILD="$BUILD" DESTDIR="$D" PREFIX=/usr/local SYSCONFDIR=/usr/local/etc \
	UNITDIR=/usr/local/lib/systemd/system >"$H_TMP/install-destdir.log" 2>&1
for f in usr/local/sbin/tslcd-agent usr/local/bin/tslcdctl usr/local/share/snmp/mibs/TSLCD-MIB.txt \
	usr/local/etc/tslcd/tslcd.conf usr/local/etc/snmp/snmpd.conf.d/tslcd.conf \
	usr/local/lib/systemd/system/tslcd-agent.service usr/local/share/man/man5/tslcd.conf.5 \
	usr/local/share/man/man8/tslcd-agent.8 usr/local/share/man/man8/tslcdctl.8 \
	usr/local/lib/sysusers.d/tslcd-agent.conf usr/local/lib/tmpfiles.d/tslcd-agent.conf; do
	h_check "make install DESTDIR PREFIX=/usr/local: $f" test -f "$D/$f"
done
h_expect_eq "make install: config mode 0640" 640 "$(stat -c %a "$D/usr/local/etc/tslcd/tslcd.conf")"
h_expect_eq "make install: nothing outside DESTDIR/usr/local" "" \
	"$(find "$D" -mindepth 1 -maxdepth 2 ! -path "$D/usr" ! -path "$D/usr/local")"

# ---- the RPM spec (Debian has rpm and rpmlint, not Fedora's systemd macros) ----
SPEC=$H_TOP/packaging/rpm/tslcd-agent.spec
h_check "rpmspec -P parses the spec" bash -c "rpmspec -P $SPEC >$H_TMP/spec.txt 2>&1"
rpmlint "$SPEC" >"$H_TMP/rpmlint.log" 2>&1
echo "  rpmlint: $(tail -1 "$H_TMP/rpmlint.log")"
h_check "rpmlint: 0 errors" grep -q ' 0 errors' "$H_TMP/rpmlint.log"
# A binary RPM built here (Debian's rpm lacks Fedora's systemd macros and
# build dependencies, so they are given) shows that %files and
# `make install` agree: rpmbuild fails on a file missing or left unpackaged.
mkdir -p "$H_TMP/rpm"
tree=$(git -C "$H_TOP" stash create) # the working tree's tracked files, as a commit
git -C "$H_TOP" archive --prefix=tslcd-agent-0.1.0/ "${tree:-HEAD}" | gzip >"$H_TMP/rpm/tslcd-agent-0.1.0.tar.gz"
build_rpm() {
	rpmbuild -ta --nodeps --define "_topdir $H_TMP/rpm" \
		--define "_unitdir /usr/lib/systemd/system" --define "_sysusersdir /usr/lib/sysusers.d" \
		--define "_tmpfilesdir /usr/lib/tmpfiles.d" --define "_pkgdocdir /usr/share/doc/tslcd-agent" \
		--define "build_ldflags -Wl,-z,relro" --define "systemd_post() :" \
		--define "systemd_preun() :" --define "systemd_postun_with_restart() :" \
		"$H_TMP/rpm/tslcd-agent-0.1.0.tar.gz" >"$H_TMP/rpmbuild.log" 2>&1
}
h_check "rpmbuild -ta: %files matches make install" build_rpm

# ---- install ----
"${APT[@]}" install "$DEB" >"$H_TMP/install.log" 2>&1
h_check "package installs" installed
h_check "user tslcd exists" getent passwd tslcd
h_check "tslcd is in snmpd's group Debian-snmp" bash -c "id -nG tslcd | grep -qw Debian-snmp"
h_expect_eq "config is 0640 root:tslcd" "640 root:tslcd" "$(stat -c '%a %U:%G' /etc/tslcd/tslcd.conf)"
h_expect_eq "state dir" "750 tslcd:tslcd" "$(stat -c '%a %U:%G' /var/lib/tslcd)"
h_check "group tslcd-upload exists" getent group tslcd-upload
h_expect_eq "spool dir (sticky, the uploaders' group)" "3770 tslcd:tslcd-upload" "$(stat -c '%a %U:%G' $SPOOL)"
h_expect_eq "control socket dir" "755 tslcd:tslcd" "$(stat -c '%a %U:%G' /run/tslcd)"
for f in /usr/sbin/tslcd-agent /usr/bin/tslcdctl /usr/share/snmp/mibs/TSLCD-MIB.txt $UNIT \
	/etc/snmp/snmpd.conf.d/tslcd.conf /usr/lib/sysusers.d/tslcd-agent.conf \
	/usr/lib/tmpfiles.d/tslcd-agent.conf /usr/share/doc/tslcd-agent/README.md; do
	h_check "installed: $f" test -f "$f"
done
h_check "packaged config passes --check-config (as tslcd)" \
	runuser -u tslcd -- /usr/sbin/tslcd-agent --check-config -c /etc/tslcd/tslcd.conf
for cmd in tslcd-agent tslcdctl; do
	h_check "$cmd --help works with no agent" bash -c "$cmd --help | grep -q usage"
	h_expect_eq "$cmd --no-such-option: usage, exit 2" 2 "$($cmd --no-such-option >/dev/null 2>&1; echo $?)"
done
# Each of tslcdctl's commands too (tests/integration/tslcdctl_usage.sh has more).
for sub in status alarm bandwidth outage-cause readiness-template readiness-verify report; do
	h_check "tslcdctl $sub --help works with no agent" bash -c "tslcdctl $sub --help | grep -q usage"
done
for m in tslcd-agent.8 tslcdctl.8 tslcd.conf.5; do
	sec=${m##*.}
	h_expect_eq "man --warnings: $m silent" "" \
		"$(LC_ALL=C.UTF-8 man --warnings -l "/usr/share/man/man$sec/$m.gz" 2>&1 >/dev/null)"
done
h_check "tslcd.conf(5) lists every option of the schema" bash -c \
	"tslcd-agent --dump-config-schema | awk -F'\t' '{ sub(/.*\\./, \"\", \$1); print \$1 }' | sort -u |
	 while read -r o; do man -l /usr/share/man/man5/tslcd.conf.5.gz 2>/dev/null | grep -q -- \"^ *\$o\\b\" || { echo \"missing: \$o\"; exit 1; }; done"
h_check "systemd-analyze verify of the installed unit" \
	bash -c "systemd-analyze verify $UNIT >$H_TMP/verify.log 2>&1; rc=\$?; cat $H_TMP/verify.log; [ \$rc -eq 0 ] && [ ! -s $H_TMP/verify.log ]"

# ---- stock snmpd + our snippet, on a loopback test port ----
# Each group of directives in the snippet comes after a comment explaining it.
h_expect_eq "snmpd snippet: a comment before each group of directives" "" "$(awk '
	/^[[:space:]]*$/ { prev = ""; next }
	/^#/ { prev = "#"; next }
	prev == "" { printf "%d:%s ", NR, $1 }
	{ prev = "directive" }' "$H_TOP/conf/snmpd.conf.d/tslcd.conf")"
H_PORT=$(h_free_port)
chmod 755 "$H_TMP"
sed -e "s/^agentaddress .*/agentaddress udp:127.0.0.1:$H_PORT/" -e '/^includeDir/d' \
	/etc/snmp/snmpd.conf >"$H_TMP/snmpd.conf"
# A socket left by an earlier run (snmpd leaves it) is removed with its
# directory, so snmpd makes both afresh with the snippet's modes.
if [ -S /var/agentx/master ] && ! socat -u OPEN:/dev/null UNIX-CONNECT:/var/agentx/master 2>/dev/null; then
	rm -rf /var/agentx
fi
[ -e /var/agentx ] || H_CLEANUPS+=("rm -rf /var/agentx")
# The README's SNMPv3 user for a carrier's NMS.
V3=(-v3 -l authPriv -u nms-vnpt -a SHA-256 -A vnpt-auth-passphrase-16+ -x AES -X vnpt-priv-passphrase-16+)
cat >"$H_TMP/nms-users.conf" <<CONF
createUser nms-vnpt SHA-256 "vnpt-auth-passphrase-16+" AES "vnpt-priv-passphrase-16+"
rouser -s usm nms-vnpt authpriv -V systemonly
CONF
chmod 600 "$H_TMP/nms-users.conf"
mkdir -p "$H_TMP/snmpd-persist" && chown Debian-snmp: "$H_TMP/snmpd-persist"
# As Debian's snmpd.service runs it, with files in the test directory.
SNMP_PERSISTENT_DIR=$H_TMP/snmpd-persist snmpd -f -Lf "$H_TMP/snmpd.log" -u Debian-snmp \
	-g Debian-snmp -I -smux,mteTrigger,mteTriggerConf -p "$H_TMP/snmpd.pid" -C \
	-c "$H_TMP/snmpd.conf,/etc/snmp/snmpd.conf.d/tslcd.conf,$H_TMP/nms-users.conf" &
H_PIDS+=($!)
h_check "snmpd opened the AgentX socket of the snippet" h_wait_for 50 test -S /var/agentx/master

# ---- the agent as the unit starts it: loopback-only config, packaged paths ----
K=$H_TMP/keys
mkdir -p "$K"
openssl genpkey -algorithm ed25519 -out "$K/office-12.pem" 2>/dev/null
openssl pkey -in "$K/office-12.pem" -pubout -out "$K/office-12.pub"
chmod 755 "$K" && chmod 644 "$K/office-12.pub"
cat >"$H_TMP/tslcd.conf" <<CONF
readiness { spool-dir = "$SPOOL"  rescan = 1  sig-wait = 5 }
office {
	id = 12  code = "PKG-12"  name = "Package test office"  level = commune  commune = "09112"
	readiness-key = "$K/office-12.pub"
	line { id = 1  carrier = vnpt  bandwidth = 1000  probe = icmp  target = "127.0.0.1" }
}
CONF
chmod 644 "$H_TMP/tslcd.conf"
# sd_notify messages, as systemd would receive them (Type=notify).
python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o666)
with open(sys.argv[2], "a", buffering=1) as log:
    while True:
        log.write(s.recv(4096).decode().replace("\n", " ") + "\n")
' "$H_TMP/notify.sock" "$H_TMP/notify.log" &
H_PIDS+=($!)
h_wait_for 30 test -S "$H_TMP/notify.sock"
# Under strace, to check every system call against the unit's SystemCallFilter.
strace -f -qq -o "$H_TMP/strace.txt" env NOTIFY_SOCKET="$H_TMP/notify.sock" \
	setpriv --reuid=tslcd --regid=tslcd --init-groups --inh-caps=-all,+net_raw \
	--ambient-caps=-all,+net_raw --bounding-set=-all,+net_raw \
	/usr/sbin/tslcd-agent -f -L -P 1 -c "$H_TMP/tslcd.conf" >>"$H_TMP/agent.log" 2>&1 &
TRACER=$!
H_PIDS+=("$TRACER")
h_wait_for 50 pgrep -P "$TRACER" >/dev/null
AGENT=$(pgrep -P "$TRACER")
h_check "agent served through the stock master" h_wait_served 150
h_check "sd_notify READY=1" h_wait_for 50 grep -qx 'READY=1' "$H_TMP/notify.log"
h_expect_eq "agent runs as tslcd" tslcd "$(ps -o user= -p "$AGENT")"
# Started with CAP_NET_RAW only (as the unit grants it), the agent drops it
# once its ICMP sockets are open.
h_expect_eq "agent's capabilities: none left after the sockets are open" 0000000000000000 \
	"$(awk '/^CapEff:/ { print $2 }' /proc/"$AGENT"/status)"
h_expect_eq "agent runs with no_new_privs" 1 \
	"$(awk '/^NoNewPrivs:/ { print $2 }' /proc/"$AGENT"/status)"
snmpwalk -v2c -c public -On -t 2 -r 1 "udp:127.0.0.1:$H_PORT" $ROOT >"$H_TMP/walk.txt" 2>&1
h_check "snmpwalk -c public through the stock view reaches TSLCD-MIB ($(wc -l <"$H_TMP/walk.txt") objects)" \
	grep -q "^$ROOT.1.2.1.2.12 = STRING: \"PKG-12\"" "$H_TMP/walk.txt"
snmpwalk "${V3[@]}" -On -t 2 -r 1 "udp:127.0.0.1:$H_PORT" $ROOT >"$H_TMP/walk-v3.txt" 2>&1
h_check "snmpwalk -v3 authPriv (SHA-256/AES) as the NMS user reaches TSLCD-MIB" \
	grep -q "^$ROOT.1.2.1.2.12 = STRING: \"PKG-12\"" "$H_TMP/walk-v3.txt"
h_check "the stock view still shows the system group" \
	bash -c "snmpget -v2c -c public -On udp:127.0.0.1:$H_PORT .1.3.6.1.2.1.1.5.0 | grep -q STRING"
h_check "tslcdctl status over the packaged control socket" tslcdctl status

# A signed report dropped into the packaged spool, the way an office does.
cat >"$H_TMP/report-12.conf" <<REP
office = 12
report-time = "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
security-level = 2
framework = decree85
approval = approved
pre-check = "2025-11-20"
lan-segmented = yes
desk-pcs-protected = 4
desk-pcs-total = 4
pcs-protected = 40
pcs-total = 40
monitoring = yes
last-inspection = "$(date -d '-30 days' +%Y-%m-%d)"
next-inspection = "none"
last-drill = "$(date -d '-60 days' +%Y-%m-%d)"
REP
openssl pkeyutl -sign -rawin -inkey "$K/office-12.pem" -in "$H_TMP/report-12.conf" \
	-out "$H_TMP/report-12.conf.sig"
for f in report-12.conf report-12.conf.sig; do
	cp "$H_TMP/$f" "$SPOOL/.$f.tmp" && mv "$SPOOL/.$f.tmp" "$SPOOL/$f"
done
h_check "signed report accepted from the packaged spool" \
	h_wait_for 100 bash -c "ls $SPOOL/accepted 2>/dev/null | grep -q 'report-12.conf\$'"
h_check "tslcdReadinessTable has office 12" \
	bash -c "snmpget -v2c -c public -On udp:127.0.0.1:$H_PORT $ROOT.1.5.1.1.12 | grep -q INTEGER"

kill -HUP "$AGENT"
h_check "sd_notify RELOADING=1 then READY=1 on SIGHUP" h_wait_for 50 bash -c \
	"grep -x 'RELOADING=1\|READY=1' $H_TMP/notify.log | tr '\n' ' ' | grep -q 'READY=1 RELOADING=1 READY=1'"
kill "$AGENT"
h_wait_gone "$AGENT" 100
h_check "sd_notify STOPPING=1 on SIGTERM" grep -qx 'STOPPING=1' "$H_TMP/notify.log"
h_check "state saved in the packaged state dir" bash -c "ls /var/lib/tslcd | grep -q ."
h_wait_gone "$TRACER" 50
# syscalls NAME...: the system calls a systemd syscall group allows.
syscalls() {
	systemd-analyze syscall-filter "$1" | awk 'NR > 1 && NF && $1 !~ /^#/ { print $1 }' |
		while read -r c; do if [[ $c == @* ]]; then syscalls "$c"; else echo "$c"; fi; done
}
filter=$(sed -n 's/^SystemCallFilter=//p' "$H_TOP/packaging/systemd/tslcd-agent.service")
syscalls "$filter" | sort -u >"$H_TMP/allowed.txt"
sed -E 's/^[0-9]+ +//; s/^<\.\.\. ([a-z0-9_]+) resumed>.*/\1/; s/^([a-z0-9_]+)\(.*/\1/' "$H_TMP/strace.txt" |
	grep -E '^[a-z0-9_]+$' | sort -u >"$H_TMP/used.txt"
h_expect_eq "the agent's $(wc -l <"$H_TMP/used.txt") system calls are all in SystemCallFilter=$filter" "" \
	"$(comm -23 "$H_TMP/used.txt" "$H_TMP/allowed.txt" | tr '\n' ' ')"

# ---- a changed conffile survives a reinstall ----
echo "# changed by the operator" >>/etc/tslcd/tslcd.conf
chmod 600 /etc/tslcd/tslcd.conf
"${APT[@]}" install --reinstall "$DEB" >>"$H_TMP/install.log" 2>&1
h_check "reinstall keeps the operator's change" grep -q 'changed by the operator' /etc/tslcd/tslcd.conf
h_expect_eq "reinstall keeps the operator's mode" 600 "$(stat -c %a /etc/tslcd/tslcd.conf)"

# ---- remove, then purge ----
"${APT[@]}" remove tslcd-agent >>"$H_TMP/install.log" 2>&1
h_check "remove: binaries gone" bash -c "[ ! -e /usr/sbin/tslcd-agent ] && [ ! -e $UNIT ]"
h_check "remove: conffiles stay" test -f /etc/tslcd/tslcd.conf
"${APT[@]}" purge tslcd-agent >>"$H_TMP/install.log" 2>&1
for p in /etc/tslcd /etc/snmp/snmpd.conf.d/tslcd.conf /var/lib/tslcd /var/spool/tslcd /run/tslcd \
	/usr/share/doc/tslcd-agent; do
	h_check "purge: $p gone" test ! -e "$p"
done
h_check "purge: dpkg knows nothing of the package" bash -c "! dpkg -l tslcd-agent 2>/dev/null | grep -q '^[a-z][a-z] '"
h_check "purge: the system user stays (its uid is never handed out again)" getent passwd tslcd
h_done
