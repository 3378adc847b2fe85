#!/bin/sh
# Console tests: scripted (--script, :save-display) and one real terminal under tmux.
set -u
cd "$(dirname "$0")/../.."
fail=0
for t in tests/console/test_*.sh; do
    [ -e "$t" ] || continue
    if sh "$t"; then printf '  PASS  %s\n' "$t"; else printf '  FAIL  %s\n' "$t"; fail=1; fi
done
exit $fail
