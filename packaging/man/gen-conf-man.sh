#!/usr/bin/env bash
# Renders tslcd.conf(5) from tslcd.conf.5.in and the agent's schema
# (`tslcd-agent --dump-config-schema`), so the page cannot drift from the
# parser.  Usage: gen-conf-man.sh AGENT > tslcd.conf.5
set -euo pipefail
here=$(dirname "$0")
schema=$("$1" --dump-config-schema)
options=$(awk -F'\t' '
	function roff(s) { gsub(/\\/, "\\e", s); gsub(/-/, "\\-", s); return s }
	{
		sec = $1; sub(/\.[^.]*$/, "", sec); name = substr($1, length(sec) + 2)
		if (sec != last) { print ".SS " roff(sec); last = sec }
		print ".TP"
		print ".B " roff(name)
		line = roff($2) ", default " roff($3)
		if ($4 != "") line = line "; " roff($4)
		print line "."
	}' <<<"$schema")
while IFS= read -r l; do
	if [ "$l" == "@OPTIONS@" ]; then printf '%s\n' "$options"; else printf '%s\n' "$l"; fi
done <"$here/tslcd.conf.5.in"
