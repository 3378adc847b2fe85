#!/bin/sh
# Test hooks never in the product: the installed binary build/fbreview must not contain
# the names of the test-only environment variables (they exist in build/fbreview-test).
cd "$(dirname "$0")/.."
hooks="FBREVIEW_FAULT FBREVIEW_SYNC_CRASH_AFTER FBREVIEW_SYNC_HOOK_CMD FBREVIEW_SYNC_HOOK_BATCH FBREVIEW_SYNC_EXPLAIN"
fail=0
for h in $hooks; do
    if strings "${FB_BIN:-build/fbreview}" | grep -q "$h"; then
        echo "check-hooks: build/fbreview contains the test hook $h" >&2
        fail=1
    fi
    strings "${FB_BIN_TEST:-build/fbreview-test}" | grep -q "$h" || { echo "check-hooks: build/fbreview-test lacks $h" >&2; fail=1; }
done
[ $fail = 0 ] && echo "  ok: no test hooks in build/fbreview ($(echo $hooks | wc -w) checked; present in build/fbreview-test)"
exit $fail
