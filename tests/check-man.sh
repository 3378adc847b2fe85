#!/bin/sh
# The manual page renders without warnings and documents every command in the binary's table.
set -u
cd "$(dirname "$0")/.."
out=$(LC_ALL=C.UTF-8 groff -man -ww -Tutf8 man/fbreview.1 2>&1 >/dev/null)
if [ -n "$out" ]; then
    echo "man/fbreview.1: groff warnings:"; echo "$out"; exit 1
fi
fail=0
for cmd in $("${FB_BIN:-build/fbreview}" --help | awk '/^commands:/{f=1;next} f && /^  [a-z]/{print $1}'); do
    [ "$cmd" = console ] && continue
    grep -q "^\.B[IR]* *\"*$cmd\b" man/fbreview.1 || grep -q "^\.BR* \"$cmd" man/fbreview.1 || {
        echo "man/fbreview.1 does not document the command \"$cmd\""; fail=1; }
done
scripts/man-keys.sh --check || fail=1
[ $fail = 0 ] && echo "  PASS  man page"
exit $fail
