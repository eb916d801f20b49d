#!/usr/bin/env bash
# `make deb`: dpkg-buildpackage -us -uc -b on a copy of the tree, with
# packaging/debian at the top as Debian policy wants.  Usage:
# debian-build.sh OUTDIR; the .deb and .changes land in OUTDIR.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "$1" && cd "$1" && pwd)
src=$out/tslcd-agent
rm -rf "$src" "$out"/*.deb "$out"/*.changes "$out"/*.buildinfo
mkdir -p "$src"
# The source files (tracked or new, not ignored), or without git the tree
# less its build directories.
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$top" ls-files -z --cached --others --exclude-standard |
		(cd "$top" && xargs -0 cp --parents -t "$src")
else
	tar -C "$top" --exclude='./build*' -cf - . | tar -C "$src" -xf -
fi
cp -r "$top/packaging/debian" "$src/debian"
(cd "$src" && DEB_BUILD_OPTIONS="parallel=2 ${DEB_BUILD_OPTIONS:-}" dpkg-buildpackage -us -uc -b)
ls "$out"/*.deb
