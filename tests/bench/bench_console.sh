#!/bin/sh
# Console benchmark (DESIGN.md §9: first screen <= 150 ms, keypress redraw <= 10 ms, open
# case <= 20 ms on 1,000,000 cases). Runs the real console on a demo store with a script
# (1,000 j, paging, sorts, tabs, a search, :filter in every order) and FBREVIEW_TIMING, which records the first
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
    # :filter in every order, with filters that keep many, few and (nearly) no cases
    for sort in risk age sla; do
        echo ":sort $sort"
        for f in 'risk>=80' 'code=fake_job' 'risk<=20' 'code=self_hire risk<=30' 'risk>=11 risk<=11' \
                 'code=feedback_extortion risk>=99' 'status=open code=paid_feedback' clear; do
            echo ":filter $f"
            echo j
        done
    done
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
# one key_ms per script line, in order: the :filter lines' own figures
grep -n '^:filter' "$script" | cut -d: -f1 >"$tmp/filter_lines"
for r in $runs; do
    awk -v lines="$tmp/filter_lines" 'BEGIN { while ((getline l <lines) > 0) want[l] = 1 }
        $1 == "key_ms" { n++; if (n in want) print $2 }' "$tmp/timing.$r"
done >"$tmp/filters"
cat "$tmp"/timing.* | awk '$1 == "open_case_ms" { print $2 }' >"$tmp/opens"
cases=$(sqlite3 "$db" 'SELECT count(*) FROM "case"' 2>/dev/null || echo "$N")
echo "bench_console: $cases cases, 160x50, 3 runs of $(wc -l <"$script") scripted keys"
echo "  first screen         ${first} ms (median of 3; budget 150 ms)"
echo "  queue counts ready   ${counts} ms after start (drawn after the first screen)"
echo "  keypress redraw      median $(median <"$tmp/keys") ms, p95 $(pct 0.95 <"$tmp/keys") ms, max $(pct 1 <"$tmp/keys") ms (budget 10 ms)"
echo "  :filter              median $(median <"$tmp/filters") ms, max $(pct 1 <"$tmp/filters") ms over $(wc -l <"$tmp/filter_lines") filters x 3 runs (budget 10 ms: a keypress)"
echo "  open case            median $(median <"$tmp/opens") ms, max $(pct 1 <"$tmp/opens") ms (budget 20 ms)"
