#!/bin/sh
# The manual page renders without warnings and documents every command in the binary's table.
set -u
cd "$(dirname "$0")/.."
out=$(LC_ALL=C.UTF-8 groff -man -ww -Tutf8 man/fbreview.1 2>&1 >/dev/null)
if [ -n "$out" ]; then
    echo "man/fbreview.1: groff warnings:"; echo "$out"; exit 1
fi
fail=0
for cmd in $(build/fbreview --help | awk '/^commands:/{f=1;next} f && /^  [a-z]/{print $1}'); do
    [ "$cmd" = console ] && continue
    grep -q "^\.B[IR]* *\"*$cmd\b" man/fbreview.1 || grep -q "^\.BR* \"$cmd" man/fbreview.1 || {
        echo "man/fbreview.1 does not document the command \"$cmd\""; fail=1; }
done
scripts/man-keys.sh --check || fail=1
scripts/man-config.sh --check || fail=1
# Every FBREVIEW_* variable the binary reads is documented in ENVIRONMENT (`.B NAME`) or
# named on a `.\" test-only:` line there (test and measurement hooks).
for v in $(grep -ho 'getenv("FBREVIEW_[A-Z0-9_]*")' src/*/*.c src/main.c | sed 's/getenv("\(.*\)")/\1/' | sort -u); do
    awk -v v="$v" '/^\.SH ENVIRONMENT/{f=1;next} /^\.SH/{f=0}
        f && ($0 == ".B " v || (index($0, "test-only:") && index($0 " ", " " v " "))) {ok=1}
        END {exit !ok}' man/fbreview.1 ||
        { echo "man/fbreview.1: ENVIRONMENT does not document $v (nor list it as test-only)"; fail=1; }
done
[ $fail = 0 ] && echo "  PASS  man page"
exit $fail
