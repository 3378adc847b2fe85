#!/bin/sh
# Sync tests against a throwaway PostgreSQL cluster the harness starts.
set -u
cd "$(dirname "$0")/../.."
fail=0
for t in tests/sync/test_*.sh; do
    [ -e "$t" ] || continue
    if sh "$t"; then printf '  PASS  %s\n' "$t"; else printf '  FAIL  %s\n' "$t"; fail=1; fi
done
exit $fail
