#!/bin/sh
# Console tests: scripted (--script, :save-display) and one real terminal under tmux.
# A test with an upstream (it sources tests/sync/lib.sh) runs once per way of reaching the
# server, like the sync suite: FB_SYNC_VIAS (default: direct, then through pgbouncer).
set -u
cd "$(dirname "$0")/../.."
fail=0
vias=${FB_SYNC_VIAS:-direct pgbouncer}
for t in tests/console/test_*.sh; do
    [ -e "$t" ] || continue
    if grep -q 'sync/lib\.sh' "$t"; then
        for via in $vias; do
            if FB_SYNC_VIA=$via sh "$t"; then printf '  PASS  %s (%s)\n' "$t" "$via"
            else printf '  FAIL  %s (%s)\n' "$t" "$via"; fail=1; fi
        done
    elif sh "$t"; then printf '  PASS  %s\n' "$t"
    else printf '  FAIL  %s\n' "$t"; fail=1; fi
done
exit $fail
