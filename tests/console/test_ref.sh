#!/bin/sh
# Full-screen reference dumps (as tig and tmux test): the key screens at 80x24 and 160x48,
# compared whole with tests/console/ref/. After an intended change of the screens,
# `make ref-update` writes them again (review the diff before committing it).
# Pinned: the terminal (LINES, COLUMNS, TERM), LANG, TZ=UTC, HOME, and the clock (faketime,
# from 2026-12-04 12:00 UTC), so ages and SLA columns do not drift. Decision ids are random
# UUIDs: they are written as <uuid> before comparing.
. "$(dirname "$0")/lib.sh"
REF=$ROOT/tests/console/ref
command -v faketime >/dev/null 2>&1 || fail "faketime is missing: run scripts/deps.sh"
# The console's clock starts at a fixed instant (monotonic time stays real, for timeouts).
export FAKETIME_DONT_FAKE_MONOTONIC=1 ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
pinned() { faketime -f '@2026-12-04 12:00:00' "$@"; }

pinned "$FB" --db "$DB" import "$ROOT/tests/data/console_cases.jsonl" >"$T/import.log" 2>&1 ||
    { cat "$T/import.log" >&2; fail "import failed"; }
# A block waiting for approval (C-1002), an appealed decision (C-1006), a conflict (C-1004),
# a rejected decision (C-1005).
pinned "$FB" --db "$DB" --reviewer alice decide C-1002 block --violation paid_feedback \
    --rationale "Refund for stars" >"$T/cli.log" 2>&1 || { cat "$T/cli.log" >&2; fail "decide C-1002"; }
pinned "$FB" --db "$DB" --reviewer alice decide C-1006 --accept >"$T/cli.log" 2>&1 ||
    { cat "$T/cli.log" >&2; fail "decide C-1006"; }
d6=$(sql "SELECT id FROM decision WHERE case_id='C-1006'")
pinned "$FB" --db "$DB" --reviewer carol appeal "$d6" --text "The review was for real work; here is the file." \
    >"$T/cli.log" 2>&1 || { cat "$T/cli.log" >&2; fail "appeal C-1006"; }
pinned "$FB" --db "$DB" --reviewer alice decide C-1004 --accept >"$T/cli.log" 2>&1 ||
    { cat "$T/cli.log" >&2; fail "decide C-1004"; }
w4=44444444-4444-4444-8444-444444444444
sql "DELETE FROM outbox WHERE ref IN (SELECT id FROM decision WHERE case_id='C-1004');
     UPDATE decision SET sync_state='conflict', synced_at=2,
            upstream_note='case C-1004 is already decided: decision $w4 by bob'
      WHERE case_id='C-1004' AND reviewer='alice';
     INSERT INTO decision(id, case_id, reviewer, action, violation, days, rationale, decided_at, sync_state, synced_at)
     VALUES ('$w4', 'C-1004', 'bob', 'no_violation', NULL, NULL, 'a real trial task', 1796382000000, 'synced', 2);" ||
    fail "cannot set up the conflict"
# A decision upstream rejected (C-1005, dave's), as sync leaves it: the case back to open.
pinned "$FB" --db "$DB" --reviewer dave decide C-1005 --accept >"$T/cli.log" 2>&1 ||
    { cat "$T/cli.log" >&2; fail "decide C-1005"; }
sql "DELETE FROM outbox WHERE ref IN (SELECT id FROM decision WHERE case_id='C-1005');
     UPDATE decision SET sync_state='rejected', synced_at=2, upstream_note='case C-1005 is not upstream'
      WHERE case_id='C-1005' AND reviewer='dave';
     UPDATE \"case\" SET status='open' WHERE id='C-1005';" || fail "cannot set up the rejection"

# One script per size; bob looks (alice proposed the block, so bob may approve it).
for size in 80x24 160x48; do
    D=$T/dumps/$size
    mkdir -p "$D"
    cat >"$T/script" <<EOS
:save-display $D/queue.txt
<Enter>
:save-display $D/tab1-summary.txt
2
:save-display $D/tab2-job.txt
3
:save-display $D/tab3-payments.txt
4
:save-display $D/tab4-messages.txt
5
:save-display $D/tab5-accounts.txt
6
:save-display $D/tab6-history.txt
1
q
?
:save-display $D/help.txt
q
:queue pending
:save-display $D/approval.txt
a
:save-display $D/approval-confirm.txt
n
:queue appeals
:save-display $D/appeal.txt
:stats
:save-display $D/stats.txt
EOS
    COLUMNS=${size%x*} LINES=${size#*x} pinned "$FB" --db "$DB" --reviewer bob --script "$T/script" 2>"$T/stderr" ||
        { cat "$T/stderr" >&2; fail "console exited with $? at $size"; }
    cat >"$T/script" <<EOS
:queue conflicts
:save-display $D/conflicts.txt
EOS
    COLUMNS=${size%x*} LINES=${size#*x} pinned "$FB" --db "$DB" --reviewer alice --script "$T/script" 2>"$T/stderr" ||
        { cat "$T/stderr" >&2; fail "console exited with $? at $size"; }
    cat >"$T/script" <<EOS
:queue rejected
:save-display $D/rejected.txt
EOS
    COLUMNS=${size%x*} LINES=${size#*x} pinned "$FB" --db "$DB" --reviewer dave --script "$T/script" 2>"$T/stderr" ||
        { cat "$T/stderr" >&2; fail "console exited with $? at $size"; }
    for f in "$D"/*.txt; do
        sed -E 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/<uuid>/g' "$f" >"$f.n" && mv "$f.n" "$f"
    done
done

bad=0
if [ -n "${FB_REF_UPDATE:-}" ]; then
    rm -f "$REF"/*.txt
    mkdir -p "$REF"
    for size in 80x24 160x48; do
        for f in "$T/dumps/$size"/*.txt; do cp "$f" "$REF/$(basename "$f" .txt)-$size.txt"; done
    done
    echo "    reference dumps written to tests/console/ref/ ($(ls "$REF" | wc -l) files)"
    exit 0
fi
for size in 80x24 160x48; do
    for f in "$T/dumps/$size"/*.txt; do
        ref=$REF/$(basename "$f" .txt)-$size.txt
        if [ ! -e "$ref" ]; then
            echo "    no reference for $(basename "$ref") (make ref-update)" >&2
            bad=1
        elif ! diff -u "$ref" "$f" >"$T/diff" 2>&1; then
            echo "--- the screen $(basename "$ref") differs from its reference:" >&2
            cat "$T/diff" >&2
            bad=1
        fi
    done
done
for ref in "$REF"/*.txt; do
    [ -e "$ref" ] || continue
    name=$(basename "$ref" .txt)
    [ -e "$T/dumps/${name##*-}/${name%-*}.txt" ] || { echo "    stale reference $(basename "$ref")" >&2; bad=1; }
done
[ $bad -eq 0 ] || fail "screens differ from tests/console/ref/ (if intended: make ref-update, then review git diff)"
