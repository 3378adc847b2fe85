#!/bin/sh
# Prints a new temporary folder that USER can enter, for tests that run something as
# another user (root writes anywhere, so "may only read" needs another user). The
# checkout itself may sit where only root may enter (/root): tests copy the binary and
# the files into this folder instead of pointing the other user at the checkout.
# Tries $TMPDIR, then /tmp; exit 1 (and nothing printed) when USER can reach neither.
# The caller removes the folder.
set -u
user=$1
for base in "${TMPDIR:-/tmp}" /tmp; do
    [ -d "$base" ] || continue
    d=$(mktemp -d "$base/fbshared.XXXXXX") || continue
    chmod 755 "$d"
    if runuser -u "$user" -- test -x "$d" 2>/dev/null; then
        echo "$d"
        exit 0
    fi
    rm -rf "$d"
done
exit 1
