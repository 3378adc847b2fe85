#!/bin/sh
# Console benchmark (DESIGN.md §9: first screen <= 150 ms, keypress redraw <= 10 ms, open
# case <= 20 ms on 1,000,000 cases). Runs the real console on a demo store with a script
# (1,000 j, paging, sorts, tabs, a search) and FBREVIEW_TIMING, which records the first
# paint, every key's handling plus redraw, and every case load. Prints figures; never fails
# on time. BENCH_CONSOLE_N sets the store size (default 1,000,000); BENCH_CONSOLE_DB reuses
# an existing store instead of generating one.
set -eu
cd "$(dirname "$0")/../.."
N=${BENCH_CONSOLE_N:-1000000}
BIN=${FB_BIN:-build/fbreview}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fbbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
db=${BENCH_CONSOLE_DB:-}
if [ -z "$db" ]; then
    db=$tmp/store.db
    "$BIN" --db "$db" demo --cases "$N" --no-ui >/dev/null
fi
script=$tmp/script
{
    i=0; while [ $i -lt 1000 ]; do echo j; i=$((i + 1)); done
    echo G
    i=0; while [ $i -lt 20 ]; do echo '<PgUp>'; i=$((i + 1)); done
    echo g
    echo ':sort age'
    i=0; while [ $i -lt 50 ]; do echo '<PgDn>'; i=$((i + 1)); done
    echo ':sort sla'
    i=0; while [ $i -lt 100 ]; do echo k; i=$((i + 1)); done
    for tab in 2 3 4 5 6 1; do echo $tab; done
    echo w; echo w; echo W; echo W
    echo ':filter risk>=80'
    i=0; while [ $i -lt 100 ]; do echo j; i=$((i + 1)); done
} >"$script"
runs=""
for run in 1 2 3; do
    LANG=C.UTF-8 TERM=xterm-256color LINES=50 COLUMNS=160 FBREVIEW_TIMING=$tmp/timing.$run \
        "$BIN" --db "$db" --reviewer bench --script "$script"
    runs="$runs $run"
done
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) printf "%.2f", a[int((NR + 1) / 2)]; else printf "-" }'; }
pct() { sort -n | awk -v p="$1" '{ a[NR] = $1 } END { i = int(NR * p); if (i < 1) i = 1; if (NR) printf "%.2f", a[i]; else printf "-" }'; }
first=$(for r in $runs; do awk '$1 == "first_paint_ms" { print $2 }' "$tmp/timing.$r"; done | median)
counts=$(for r in $runs; do awk '$1 == "counts_ms" { print $2 }' "$tmp/timing.$r"; done | median)
cat "$tmp"/timing.* | awk '$1 == "key_ms" { print $2 }' >"$tmp/keys"
cat "$tmp"/timing.* | awk '$1 == "open_case_ms" { print $2 }' >"$tmp/opens"
cases=$(sqlite3 "$db" 'SELECT count(*) FROM "case"' 2>/dev/null || echo "$N")
echo "bench_console: $cases cases, 160x50, 3 runs of $(wc -l <"$script") scripted keys"
echo "  first screen         ${first} ms (median of 3; budget 150 ms)"
echo "  queue counts ready   ${counts} ms after start (drawn after the first screen)"
echo "  keypress redraw      median $(median <"$tmp/keys") ms, p95 $(pct 0.95 <"$tmp/keys") ms, max $(pct 1 <"$tmp/keys") ms (budget 10 ms)"
echo "  open case            median $(median <"$tmp/opens") ms, max $(pct 1 <"$tmp/opens") ms (budget 20 ms)"
