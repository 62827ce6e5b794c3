#!/usr/bin/env bash
# Prints the CHANGELOG.md section of one version (Keep a Changelog: "## [1.2.3] - 2026-12-07"),
# without its heading, for the release notes. Exits 1 with one line on stderr when the
# changelog has no such section or the section is empty.
#   scripts/release-notes.sh 1.2.3 [CHANGELOG.md]
set -euo pipefail

version=${1:?usage: scripts/release-notes.sh VERSION [CHANGELOG]}
changelog=${2:-CHANGELOG.md}
version=${version#v}

[ -r "$changelog" ] || { echo "release notes: cannot read $changelog" >&2; exit 1; }
notes=$(awk -v v="$version" '
  /^## \[/ {
    if (found) exit
    heading = $0
    sub(/^## \[/, "", heading)
    sub(/\].*$/, "", heading)
    if (heading == v) { found = 1; next }
  }
  # Link definitions at the end of the file ("[1.2.3]: https://…") belong to no section.
  found && !/^\[[^]]+\]: / { print }
' "$changelog")
# Trim leading and trailing blank lines.
notes=$(printf '%s\n' "$notes" | sed -e '/./,$!d' | sed -e ':a' -e '/^\n*$/{$d;N;ba' -e '}')
if [ -z "${notes//[[:space:]]/}" ]; then
  echo "release notes: $changelog has no section '## [$version]' with entries" >&2
  exit 1
fi
printf '%s\n' "$notes"
