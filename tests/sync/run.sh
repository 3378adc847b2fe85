#!/bin/sh
# Sync tests against a throwaway PostgreSQL cluster each test starts (tests/sync/lib.sh).
# The whole suite runs twice: straight to the server, and through pgbouncer in
# transaction mode (no session state may survive a transaction).
set -u
cd "$(dirname "$0")/../.."
fail=0
vias=${FB_SYNC_VIAS:-direct pgbouncer}
for via in $vias; do
    for t in tests/sync/test_*.sh; do
        [ -e "$t" ] || continue
        if FB_SYNC_VIA=$via sh "$t" >"/tmp/fbsync-test.$$" 2>&1; then
            printf '  PASS  %s (%s)\n' "$t" "$via"
        else
            printf '  FAIL  %s (%s)\n' "$t" "$via"
            cat "/tmp/fbsync-test.$$"
            fail=1
        fi
    done
done
rm -f "/tmp/fbsync-test.$$"
exit $fail
