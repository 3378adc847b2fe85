#!/bin/sh
# Writes data/default.conf and the CONFIGURATION section of man/fbreview.1 from the
# binary's options table (`fbreview --defaults`, `fbreview --defaults=man`), so the
# shipped defaults, the manual and the loader all come from one table.
#   scripts/man-config.sh          update both files in place
#   scripts/man-config.sh --check  exit 1 if either differs from the table
set -eu
cd "$(dirname "$0")/.."
man=man/fbreview.1
conf=data/default.conf
new_man=$(mktemp)
new_conf=$(mktemp)
trap 'rm -f "$new_man" "$new_conf"' EXIT
"${FB_BIN:-build/fbreview}" --defaults >"$new_conf"
awk -v opts="$("${FB_BIN:-build/fbreview}" --defaults=man)" '
    /^\.\\" BEGIN CONFIGURATION/ { print; print opts; skip = 1; next }
    /^\.\\" END CONFIGURATION/   { skip = 0 }
    !skip { print }
' "$man" >"$new_man"
if [ "${1:-}" = "--check" ]; then
    fail=0
    cmp -s "$new_conf" "$conf" || { echo "$conf differs from \`fbreview --defaults\`; run scripts/man-config.sh"; fail=1; }
    grep -q '^\.\\" BEGIN CONFIGURATION' "$man" || { echo "$man has no CONFIGURATION markers"; fail=1; }
    cmp -s "$new_man" "$man" || { echo "$man: the CONFIGURATION section differs from \`fbreview --defaults=man\`; run scripts/man-config.sh"; fail=1; }
    exit $fail
fi
cp "$new_conf" "$conf"
cp "$new_man" "$man"
