#!/bin/sh
# Save-a-decision latency: builds tests/bench/bench_decide.c against build/libfbreview.a and
# times N durable decisions (timing in C). Prints figures; no assertions.
# Environment: BENCH_DEMO_CASES (first fill the store with `fbreview demo --cases N`, e.g.
# 1000000 for DESIGN.md's budget store), BENCH_DECISIONS (default 4000: half durable, half without fsync), BENCH_FILL (extra cases in the store, default 0).
set -eu
cd "$(dirname "$0")/../.."
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
PKGS="ncursesw sqlite3 readline libpq jansson nettle uuid inih icu-uc icu-i18n"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fbbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
${CC:-cc} -std=c11 -O2 -D_GNU_SOURCE -Iinclude $($PKG_CONFIG --cflags $PKGS) \
    -o "$tmp/bench_decide" tests/bench/bench_decide.c build/libfbreview.a \
    $($PKG_CONFIG --libs $PKGS) -lpthread -lm
if [ -n "${BENCH_DEMO_CASES:-}" ]; then
    t0=$(date +%s)
    build/fbreview --db "$tmp/bench.db" demo --cases "$BENCH_DEMO_CASES" --no-ui >/dev/null
    echo "bench_decide: demo store of $BENCH_DEMO_CASES cases built in $(( $(date +%s) - t0 )) s"
fi
echo "bench_decide: store on $(df -P "$tmp" | awk 'NR==2 {print $1}') ($tmp)"
"$tmp/bench_decide" "$tmp/bench.db" "${BENCH_DECISIONS:-4000}" "${BENCH_FILL:-0}"
