#!/bin/sh
# Rewrites the KEYS section of man/fbreview.1 from the binary's key table
# (`fbreview --keys=man`), so the manual's key list comes from the same table as the help.
#   scripts/man-keys.sh          update man/fbreview.1 in place
#   scripts/man-keys.sh --check  exit 1 if the manual's list differs from the table
set -eu
cd "$(dirname "$0")/.."
man=man/fbreview.1
new=$(mktemp)
trap 'rm -f "$new"' EXIT
awk -v keys="$("${FB_BIN:-build/fbreview}" --config /dev/null --keys=man)" '
    /^\.\\" BEGIN KEYS/ { print; print keys; skip = 1; next }
    /^\.\\" END KEYS/   { skip = 0 }
    !skip { print }
' "$man" >"$new"
if [ "${1:-}" = "--check" ]; then
    cmp -s "$new" "$man" || { echo "man/fbreview.1: the KEYS section differs from \`fbreview --keys=man\`; run scripts/man-keys.sh"; exit 1; }
else
    cp "$new" "$man"
fi
