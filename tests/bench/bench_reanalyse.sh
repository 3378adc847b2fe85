#!/bin/sh
# Bench: a change of the analyser's rules on a store of BENCH_REANALYSE_N cases (default
# 200,000; BENCH_REANALYSE_DB reuses a store). Every case without a decision is then stale.
# Prints the console's first screen on the stale store (it must not wait for the analysis:
# DESIGN.md §10's 150 ms on a million cases), the time the console's background walk takes
# to finish every case (the console runs until the walk's end is in its timing file), the
# same walk by `fbreview reanalyse`, and how long `fbreview decide` waits beside a walk.
# Prints figures; never fails on time.
set -eu
cd "$(dirname "$0")/../.."
N=${BENCH_REANALYSE_N:-200000}
BIN=${FB_BIN:-build/fbreview}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fbbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
db=$tmp/store.db
if [ -n "${BENCH_REANALYSE_DB:-}" ]; then
    sqlite3 "$BENCH_REANALYSE_DB" ".backup '$db'"
else
    "$BIN" --db "$db" demo --cases "$N" --no-ui >/dev/null
fi
cases=$(sqlite3 "$db" 'SELECT count(*) FROM "case"')
ms() { date +%s%N | awk '{ printf "%.0f", $1 / 1e6 }'; }
# A rules change: every violation frame one point heavier.
change_rules() { sqlite3 "$1" "UPDATE frame_rule SET weight = weight + 1 WHERE weight > 0"; }
change_rules "$db"
cp "$db" "$tmp/stale.db"
stale=$(sqlite3 "$db" 'SELECT count(*) FROM "case" c WHERE NOT EXISTS (SELECT 1 FROM decision d WHERE d.case_id=c.id)')

# First screen, three runs on the stale store (each from the same stale copy).
firsts=""
for run in 1 2 3; do
    cp "$tmp/stale.db" "$db"
    printf ':save-display %s/screen\n' "$tmp" >"$tmp/script"
    LANG=C.UTF-8 TERM=xterm-256color LINES=50 COLUMNS=160 FBREVIEW_TIMING=$tmp/timing \
        "$BIN" --db "$db" --reviewer bench --script "$tmp/script"
    firsts="$firsts $(awk '$1 == "first_paint_ms" { print $2 }' "$tmp/timing")"
done
first=$(echo $firsts | tr ' ' '\n' | sort -n | awk '{ a[NR] = $1 } END { printf "%.2f", a[int((NR + 1) / 2)] }')

# The console's background walk to its end: the real console in a tmux pane, until its
# timing file records the walk's end.
cp "$tmp/stale.db" "$db"
walk_console="-"
if command -v tmux >/dev/null; then
    TM="tmux -L fbbench$$ -f /dev/null"
    # tail -F follows the timing file (inotify) into a FIFO that grep blocks on until the
    # walk's end is recorded; the console signals its exit with tmux wait-for. No polling.
    rm -f "$tmp/timing" "$tmp/timing.fifo"
    mkfifo "$tmp/timing.fifo"
    tail -n +1 -F "$tmp/timing" >"$tmp/timing.fifo" 2>/dev/null &
    tail_pid=$!
    $TM new-session -d -s b -x 160 -y 50 -e LANG=C.UTF-8 -e TERM=xterm-256color \
        "FBREVIEW_TIMING='$tmp/timing' '$BIN' --db '$db' --reviewer bench; $TM wait-for -S quit"
    timeout 3600 grep -q -m1 '^reanalyse_done_ms ' <"$tmp/timing.fifo" || echo "bench_reanalyse: the walk did not end within an hour" >&2
    kill "$tail_pid" 2>/dev/null || true
    walk_console=$(awk '$1 == "reanalyse_done_ms" { printf "%.0f", $2 }' "$tmp/timing")
    $TM send-keys -t b Q 2>/dev/null || true
    timeout 10 $TM wait-for quit 2>/dev/null || true
    $TM kill-server 2>/dev/null || true
fi
left_console=$(sqlite3 "$db" "SELECT count(*) FROM \"case\" c WHERE NOT EXISTS (SELECT 1 FROM decision d WHERE d.case_id=c.id)
       AND printf('%016x', c.analysis) IS NOT (SELECT value FROM sync_state WHERE key='analysis')")
# The same walk by the CLI.
cp "$tmp/stale.db" "$db"
t0=$(ms)
"$BIN" --db "$db" reanalyse >/dev/null
t1=$(ms)
walk=$((t1 - t0))
rate=$(awk -v n="$stale" -v t="$walk" 'BEGIN { if (t > 0) printf "%.0f", n * 1000 / t; else printf "-" }')

# A decision beside a walk: `fbreview decide` (another process) while `reanalyse` runs.
cp "$tmp/stale.db" "$db"
ids=$(sqlite3 "$db" "SELECT id FROM \"case\" WHERE status='open' ORDER BY id DESC LIMIT 5")
"$BIN" --db "$db" reanalyse >/dev/null &
walker=$!
waits=""
for id in $ids; do
    a=$(ms)
    "$BIN" --db "$db" --reviewer bench decide "$id" escalate --rationale bench >/dev/null
    b=$(ms)
    waits="$waits $((b - a))"
done
wait $walker
nodecide=""
cp "$tmp/stale.db" "$db"
"$BIN" --db "$db" reanalyse >/dev/null
for id in $ids; do
    a=$(ms)
    "$BIN" --db "$db" --reviewer bench decide "$id" escalate --rationale bench >/dev/null
    b=$(ms)
    nodecide="$nodecide $((b - a))"
done
echo "bench_reanalyse: $cases cases, rules changed: $stale stale"
echo "  first screen on the stale store   ${first} ms (median of 3; the case on screen analysed on demand; budget 150 ms)"
echo "  console: walk done after start    ${walk_console} ms (in the background; ${left_console} left stale)"
echo "  fbreview reanalyse (same walk)    ${walk} ms ($rate cases/s)"
echo "  fbreview decide beside a walk     ms:${waits} (alone:${nodecide})"
