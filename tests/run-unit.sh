#!/bin/sh
# Runs each cmocka unit-test binary given; fails if any fails. Each test gets a private
# temporary directory in FB_TEST_TMP, removed afterwards.
set -u
fail=0
for t in "$@"; do
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/fbtest.XXXXXX")
    if FB_TEST_TMP="$tmp" FB_SRC_DIR="$(pwd)" FB_BIN="${FB_BIN_TEST:-$(pwd)/build/fbreview-test}" TZ=UTC "$t" >"$tmp.log" 2>&1; then
        printf '  PASS  %s\n' "$(basename "$t")"
    else
        printf '  FAIL  %s\n' "$(basename "$t")"
        cat "$tmp.log"
        fail=1
    fi
    rm -rf "$tmp" "$tmp.log"
done
exit $fail
