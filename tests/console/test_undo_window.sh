#!/bin/sh
# The undo window against a real upstream: a decision the console saves waits in the
# outbox for [sync] undo_window seconds; a sync round inside the window leaves it there
# (the status line counts down), `u` takes it back while online, and `fbreview sync
# --once` pushes at once. A short window ends without a kick: --watch pushes it then.
# No fixed sleeps: `:sync` in a script waits for its round; the rest polls a condition.
. "$(dirname "$0")/../sync/lib.sh"
command -v psql >/dev/null && [ -x "$PGBIN/initdb" ] || { echo "  skip: PostgreSQL is not installed"; exit 0; }
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color LINES=24 COLUMNS=180
pg_start
"$FB" upstream init >/dev/null || fail "upstream init"
"$FB" upstream import "$FB_ROOT/tests/data/console_cases.jsonl" >/dev/null || fail "upstream import"
fb alice sync --once >/dev/null || fail "alice's first sync"
printf '[sync]\nundo_window = 600\n' >"$T/long.conf"
up_decisions() { q "select count(*) from fb_decision where case_id='C-1001'"; }

# 1. Inside the window a sync round leaves the decision local; `u` undoes it online.
cat >"$T/script" <<EOS
y
y
:sync
:save-display $T/held.txt
u
:save-display $T/undo-box.txt
y
:save-display $T/undone.txt
:sync
:save-display $T/after.txt
EOS
fb alice --config "$T/long.conf" --script "$T/script" 2>"$T/err" || { cat "$T/err"; fail "alice's console"; }
grep -q "synced .* ago · 1 pending · u undo [0-9]*s" "$T/held.txt" ||
    { cat "$T/held.txt"; fail "no undo countdown after a sync round inside the window"; }
grep -q "Confirm within [0-9]*s: then it goes upstream" "$T/undo-box.txt" ||
    { cat "$T/undo-box.txt"; fail "the undo box does not say how long the window still runs"; }
grep -q "undone: decision" "$T/undone.txt" || { cat "$T/undone.txt"; fail "u did not undo while online"; }
grep -q "synced .* ago · 0 pending" "$T/after.txt" || { cat "$T/after.txt"; fail "the undone decision is still pending"; }
[ "$(up_decisions)" = 0 ] || fail "a decision inside the undo window went upstream"
[ "$(lq alice "select count(*) from decision where case_id='C-1001' and undone_at is not null")" = 1 ] ||
    fail "the decision was not undone locally"
ok "undo window: a sync round holds the decision, u undoes it online"

# 2. `sync --once` from the command line ignores the window. This console is 80x24: the
# status line keeps online/offline and the countdown there too.
printf 'y\ny\n:sync\n:save-display %s\n' "$T/held80.txt" >"$T/script2"
COLUMNS=80 LINES=24 fb alice --config "$T/long.conf" --script "$T/script2" 2>"$T/err" ||
    { cat "$T/err"; fail "alice's console (2)"; }
tail -n 1 "$T/held80.txt" | grep -q "online.* u undo [0-9]*s" ||
    { cat "$T/held80.txt"; fail "at 80x24 the status line lost the sync state or the undo countdown"; }
[ "$(up_decisions)" = 0 ] || fail "the second decision went up inside the window"
fb alice --config "$T/long.conf" sync --once >/dev/null || fail "sync --once"
[ "$(up_decisions)" = 1 ] || fail "sync --once did not push the held decision"
[ "$(lq alice "select sync_state from decision where case_id='C-1001' and undone_at is null")" = synced ] ||
    fail "not synced locally after sync --once"
ok "undo window: sync --once pushes at once"

# 3. A window that ends is pushed by the engine without a kick (--watch, 1 s window).
printf '[sync]\nundo_window = 1\n' >"$T/short.conf"
fb alice decide C-1004 escalate --rationale "second look" >/dev/null || fail "decide C-1004"
fb alice --config "$T/short.conf" sync --watch --interval 3600 >"$T/w.out" 2>"$T/w.err" &
wpid=$!
pushed() { [ "$(q "select count(*) from fb_decision where case_id='C-1004'")" = 1 ]; }
wait_for 600 pushed || { kill "$wpid"; fail "the engine did not push when the window ended: $(cat "$T/w.err")"; }
kill -TERM "$wpid"; wait "$wpid" || true
ok "undo window: the engine pushes when the window ends"
