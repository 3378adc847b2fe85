#!/bin/sh
# `make check SANITIZE=1`: fails if any process of the run left a sanitizer report in DIR
# (ASAN_OPTIONS/UBSAN_OPTIONS log_path), printing each; a report means a bug to fix.
set -u
dir=$1
n=0
for f in "$dir"/*; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    echo "--- sanitizer report $f:"
    cat "$f"
done
if [ $n -gt 0 ]; then
    echo "  FAIL  $n sanitizer report(s) in $dir"
    exit 1
fi
echo "  PASS  no sanitizer reports"
