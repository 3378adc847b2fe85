#!/bin/sh
# Benchmarks: prints figures for DESIGN.md §9's budgets. Not a test: nothing here fails on time.
set -u
cd "$(dirname "$0")/../.."
for b in tests/bench/bench_*.sh; do
    [ -e "$b" ] || continue
    sh "$b"
done
