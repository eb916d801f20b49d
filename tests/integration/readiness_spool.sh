#!/usr/bin/env bash
# The readiness spool under attack by an uploader (agent/readiness_spool.h): a spool
# others may write to without the sticky bit is refused; symbolic links,
# FIFOs and directories are rejected, counted and logged (per office too
# when a report names one); 20,000 FIFOs do not starve new reports; names
# with a newline or ESC cannot forge log lines; hard links are refused; accepted/ and rejected/
# replaced by symbolic links are never written through or restored from;
# an accepted report becomes the agent's own file.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
h_setup

ROOT=.1.3.6.1.4.1.8072.9999.9999.84
R=$ROOT.1.5.1 # tslcdReadinessEntry
ACCEPTED=$ROOT.1.1.21.0
REJECTED=$ROOT.1.1.22.0
K=$H_TMP/keys
SPOOL=$H_TMP/spool
mkdir -p "$K" "$SPOOL" "$H_TMP/state"
for k in office-12 office-13; do
	openssl genpkey -algorithm ed25519 -out "$K/$k.pem" 2>/dev/null
	openssl pkey -in "$K/$k.pem" -pubout -out "$K/$k.pub"
done
cat >"$H_TMP/tslcd.conf" <<CONF
agent { control-socket = ""  state-dir = "$H_TMP/state" }
readiness { spool-dir = "$SPOOL"  rescan = 1  sig-wait = 1 }
office { id = 12  code = "BN-X12"  name = "X12"  level = commune  commune = "09112"
	readiness-key = "$K/office-12.pub" }
office { id = 13  code = "BN-X13"  name = "X13"  level = commune  commune = "09113"
	readiness-key = "$K/office-13.pub" }
CONF
. "$(dirname "$0")/../lib/reports.sh" # report, sign, drop

get() { h_snmp snmpget -Oqv "$1" 2>/dev/null | tr -d '"'; }
is() { [ "$(get "$1")" == "$2" ]; }
logged() { grep -q -- "$1" "$H_TMP/agent.log"; }

h_start_master || exit 1

# 1. A spool every uploader may write to, without the sticky bit: refused.
chmod 0777 "$SPOOL"
h_start_agent "$H_TMP/tslcd.conf" || h_fail "agent served"
h_check "spool without the sticky bit refused at start" \
	h_wait_for 30 logged "it must be owned by the agent's user"
h_stop_agent
chmod 1777 "$SPOOL"
h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent served"; h_done; exit 1; }
h_check "sticky spool watched" h_wait_for 30 logged "watching $SPOOL"

# 2. An accepted report becomes the agent's own file; the uploader (nobody)
# keeps no hold on it.
report "$H_TMP/r12-a.conf" 12 30 4
sign r12-a.conf office-12
cp "$H_TMP/r12-a.conf" "$SPOOL/.up.tmp" && chown nobody "$SPOOL/.up.tmp"
cp "$H_TMP/r12-a.conf.sig" "$SPOOL/.up.sig.tmp" && chown nobody "$SPOOL/.up.sig.tmp"
uploaded=$(stat -c %i "$SPOOL/.up.tmp") # the uploader's inode
mv "$SPOOL/.up.tmp" "$SPOOL/r12-a.conf" && mv "$SPOOL/.up.sig.tmp" "$SPOOL/r12-a.conf.sig"
h_check "report accepted" h_wait_for 50 is $ACCEPTED 1
copy=$(ls "$SPOOL"/accepted/*-r12-a.conf 2>/dev/null | head -1)
h_expect_eq "accepted copy owned by the agent's user" "$(id -un)" "$(stat -c %U "$copy" 2>/dev/null)"
h_expect_eq "accepted .sig owned by the agent's user" "$(id -un)" "$(stat -c %U "$copy.sig" 2>/dev/null)"
h_check "accepted copy is not the uploader's inode" \
	bash -c "[ \"\$(stat -c %i '$copy')\" != '$uploaded' ]"
h_check "accepted copy holds the verified bytes" cmp -s "$copy" "$H_TMP/r12-a.conf"
h_check "uploaded files gone from the spool" bash -c "[ ! -e '$SPOOL/r12-a.conf' ] && [ ! -e '$SPOOL/r12-a.conf.sig' ]"

# 3. Every rejection is counted and logged: a symbolic link as a report...
ln -s /etc/hostname "$SPOOL/r-link.conf"
h_check "symlinked report counted" h_wait_for 50 is $REJECTED 1
h_check "symlinked report logged" logged "r-link.conf rejected: a symbolic link"
h_check "symlinked report in rejected/ with its reason" \
	bash -c "grep -q 'symbolic link' '$SPOOL'/rejected/*-r-link.conf.reason"
# ... a genuine report whose .sig is a symbolic link counts for its office,
# even when the .sig comes first and the agent sees it alone for a while
# (it waits for its report as a lone .sig does),
report "$H_TMP/r13-s.conf" 13 20 4
sign r13-s.conf office-13
ln -s "$H_TMP/r13-s.conf.sig" "$SPOOL/r13-s.conf.sig"
sleep 0.4 # past the scan its creation wakes
cp "$H_TMP/r13-s.conf" "$SPOOL/.r13.tmp" && mv "$SPOOL/.r13.tmp" "$SPOOL/r13-s.conf"
h_check "report with a symlinked .sig counted" h_wait_for 50 is $REJECTED 2
h_expect_eq "... and counted for office 13" 1 "$(get $R.21.13)"
# ... a FIFO and a directory.
mkfifo "$SPOOL/pipe.conf"
mkdir "$SPOOL/somedir"
h_check "FIFO and directory counted" h_wait_for 50 is $REJECTED 4
h_check "FIFO logged" logged "pipe.conf rejected: a FIFO"
h_check "directory moved to rejected/" bash -c "[ -d \"\$(ls -d '$SPOOL'/rejected/*-somedir | head -1)\" ]"

# ... and a genuine report that is a hard link to a file elsewhere.
report "$H_TMP/r13-h.conf" 13 15 4
sign r13-h.conf office-13
ln "$H_TMP/r13-h.conf" "$SPOOL/r13-h.conf"
cp "$H_TMP/r13-h.conf.sig" "$SPOOL/r13-h.conf.sig"
h_check "hard-linked report rejected" h_wait_for 50 is $REJECTED 5
h_check "hard link logged" logged "r13-h.conf rejected: r13-h.conf: a hard link"
h_check "the linked file is left where it was" test -f "$H_TMP/r13-h.conf"

# 4. Names with a newline and ESC are escaped in the log and .reason.
evil=$'evil\nFORGED tslcd-agent error: \e[31mred.conf'
report "$H_TMP/unsigned.conf" 13 10 4
cp "$H_TMP/unsigned.conf" "$SPOOL/$evil"
h_check "unsigned report with a crafted name counted" h_wait_for 50 is $REJECTED 6
h_check "no forged line in the log" bash -c "! grep -q '^FORGED' '$H_TMP/agent.log'"
h_check "no ESC in the log" bash -c "! grep -q \$'\\e' '$H_TMP/agent.log'"
h_check "name escaped in the log" logged 'evil\\x0aFORGED tslcd-agent error: \\x1b\[31mred.conf'
h_check ".reason file escaped" bash -c "grep -q '^file: evil\\\\x0aFORGED' '$SPOOL'/rejected/*red.conf.reason \
	&& ! grep -q '^FORGED' '$SPOOL'/rejected/*red.conf.reason"

# 5. rejected/ replaced by a symbolic link to the state directory: moved
# aside, made anew, nothing written through it.
mv "$SPOOL/rejected" "$H_TMP/rejected.real" # out of the spool: not junk to count
ln -s "$H_TMP/state" "$SPOOL/rejected"
report "$H_TMP/r12-forged.conf" 12 10 4
drop r12-forged.conf office-13
h_check "forged report rejected" h_wait_for 50 is $REJECTED 7
h_check "... and gone from the spool" h_wait_for 50 bash -c "[ ! -e '$SPOOL/r12-forged.conf' ]"
# (only the agent's own files: the state file and the history database)
h_check "nothing written into the state directory" \
	bash -c "! ls '$H_TMP/state' | grep -Ev '^(state\.bin|history\.db(-wal|-shm)?)\$'"
h_check "symlinked rejected/ moved aside and logged" logged "rejected/ was a symbolic link; moved aside"
h_check "rejected/ is a real directory again, with the report" \
	bash -c "[ -d '$SPOOL/rejected' ] && [ ! -L '$SPOOL/rejected' ] && ls '$SPOOL/rejected' | grep -q 'r12-forged.conf.reason'"

# 6. 20,000 FIFOs made while the agent is down do not starve the ten
# reports dropped once it is back (nine forged, one genuine).
h_stop_agent
(cd "$SPOOL" && seq -f 'f%05.0f' 1 20000 | xargs mkfifo)
report "$H_TMP/r12-b.conf" 12 5 4
sign r12-b.conf office-12
for i in 1 2 3 4 5 6 7 8 9; do
	report "$H_TMP/r13-f$i.conf" 13 $((30 + i)) 4
	sign "r13-f$i.conf" office-12 # another office's key: rejected, but judged
done
h_start_agent "$H_TMP/tslcd.conf" || h_fail "agent restarted"
SECONDS=0
for f in r12-b.conf r13-f{1..9}.conf; do
	cp "$H_TMP/$f" "$SPOOL/.$f.tmp" && mv "$SPOOL/.$f.tmp" "$SPOOL/$f"
	cp "$H_TMP/$f.sig" "$SPOOL/.$f.sig.tmp" && mv "$SPOOL/.$f.sig.tmp" "$SPOOL/$f.sig"
done
h_check "the agent answers within 0.5 s during the flood" snmpget -v2c -c public -t 0.5 -r 0 \
	"udp:127.0.0.1:$H_PORT" $REJECTED
# (counters start from 0 again with the restart)
h_check "new report accepted behind 20,000 FIFOs within 10 s" h_wait_for 100 is $ACCEPTED 1
h_check "and the other 9 judged within 10 s" h_wait_for 100 is $R.21.13 9
h_log "10 reports judged after ${SECONDS} s"
h_check "every FIFO rejected" h_wait_for 1200 is $REJECTED $((9 + 20000))
h_log "20,000 FIFOs rejected, counted and logged after ${SECONDS} s"

# 7. accepted/ pointed at a directory holding an older genuine report: a
# restart neither restores it nor reads through the link.
h_stop_agent
mkdir "$H_TMP/old"
report "$H_TMP/r12-old.conf" 12 600 3
sign r12-old.conf office-12
cp "$H_TMP/r12-old.conf" "$H_TMP/old/20260101T000000-r12-old.conf"
cp "$H_TMP/r12-old.conf.sig" "$H_TMP/old/20260101T000000-r12-old.conf.sig"
mv "$SPOOL/accepted" "$H_TMP/accepted.real"
ln -s "$H_TMP/old" "$SPOOL/accepted"
h_start_agent "$H_TMP/tslcd.conf" || h_fail "agent restarted"
h_check "symlinked accepted/ moved aside and logged" \
	logged "accepted/ was a symbolic link; moved aside"
h_check "the older report is not restored (desk 3 of 4)" bash -c "[ \"\$(snmpget -v2c -c public -Oqv \
	udp:127.0.0.1:$H_PORT $R.9.12 2>/dev/null)\" != 3 ]"
h_check "accepted/ is the agent's directory again" \
	bash -c "[ -d '$SPOOL/accepted' ] && [ ! -L '$SPOOL/accepted' ] && [ -z \"\$(ls '$SPOOL/accepted')\" ]"

h_done
