#!/bin/sh
# The undo window against a real upstream: a decision the console saves waits in the
# outbox for [sync] undo_window seconds; a sync round inside the window leaves it there
# (the status line counts down), `u` takes it back while online, and `fbreview sync
# --once` pushes at once. A short window ends without a kick: --watch pushes it then.
# The undo box holds the decision: in a real terminal (tmux) a window that ends while the
# box is open pushes nothing, and the reviewer's late "y" still undoes it.
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
grep -q "It stays here while this box is open" "$T/undo-box.txt" ||
    { cat "$T/undo-box.txt"; fail "the undo box does not say that the decision waits for the answer"; }
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
# exec: $! must be the engine itself (a backgrounded shell function is a subshell, and
# killing it would leave the binary running after the test).
(FBREVIEW_UPSTREAM=$(conn alice) exec "$FB" --db "$T/alice.db" --reviewer alice --config "$T/short.conf" \
    sync --watch --interval 3600 >"$T/w.out" 2>"$T/w.err") &
wpid=$!
pushed() { [ "$(q "select count(*) from fb_decision where case_id='C-1004'")" = 1 ]; }
wait_for 600 pushed || { kill "$wpid"; fail "the engine did not push when the window ended: $(cat "$T/w.err")"; }
kill -TERM "$wpid"; wait "$wpid" || true
ok "undo window: the engine pushes when the window ends"

# 4. The box holds the decision past the window's end. A real terminal (tmux) with the
# console; the engine syncs every second, so rounds run while the box is open.
command -v tmux >/dev/null || fail "tmux is not installed"
printf '[sync]\nundo_window = 4\ninterval = 1\n' >"$T/box.conf"
TM="tmux -L fbundo$$ -f /dev/null"
trap 'rc=$?; $TM kill-server 2>/dev/null; (exit $rc); cleanup' EXIT
# The console's environment, written out whole: the tmux server has its own.
{
    printf 'export HOME=%s XDG_CONFIG_HOME=%s XDG_DATA_HOME=%s XDG_STATE_HOME=%s PGPASSFILE=%s\n' \
        "'$HOME'" "'$XDG_CONFIG_HOME'" "'$XDG_DATA_HOME'" "'$XDG_STATE_HOME'" "'$PGPASSFILE'"
    printf 'export TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color FBREVIEW_UPSTREAM=%s\n' "'$(conn alice)'"
    printf 'unset LINES COLUMNS\n'
    printf '%s --db %s --reviewer alice --config %s 2>%s\necho $? >%s\n' "'$FB'" "'$T/alice.db'" \
        "'$T/box.conf'" "'$T/box.err'" "'$T/box.rc'"
} >"$T/console.sh"
pane() { $TM capture-pane -p -t fb; }
pane_has() { pane | grep -qF -- "$1"; }
# see TEXT: until the pane shows it (bounded polling).
see() { wait_for 600 pane_has "$1" || { pane >&2; fail "the console never showed \"$1\""; }; }
# The reviewer's newest decision that is not undone: its id.
newest() { lq alice "select id from decision where reviewer='alice' and undone_at is null order by decided_at desc, rowid desc limit 1"; }
now_sql="cast((julianday('now') - 2440587.5) * 86400000 as integer)"
# The window of decision $1 ended (its outbox row is 4 s old) and the engine has since
# finished a round that began after that (a round records last_sync_at when it ends;
# with a 1 s interval, 2 s past the end leaves room for a whole round) — or it went up.
window_over() {
    [ "$(q "select count(*) from fb_decision where id='$1'")" != 0 ] && return 0
    [ "$(lq alice "select count(*) from outbox o, sync_state s where o.kind='decision' and o.ref='$1'
        and s.key='last_sync_at' and o.created_at + 4000 < $now_sql
        and (julianday(s.value) - 2440587.5) * 86400000 > o.created_at + 4000 + 2000")" = 1 ]
}
$TM new-session -d -s fb -x 120 -y 30 "sh '$T/console.sh'"
see "online"
$TM send-keys -t fb y
see "Decide 1 case"
$TM send-keys -t fb y
see "saved: C-"
d1=$(newest)
$TM send-keys -t fb u
see "Undo your decision"
[ "$(q "select count(*) from fb_decision where id='$d1'")" = 0 ] ||
    fail "the decision went up before its undo box opened (the window is too short for this machine)"
# The decision is held, and only for a bounded time (a console that dies holds nothing for long).
[ "$(lq alice "select count(*) from outbox where ref='$d1' and held_until between $now_sql and $now_sql + 60000")" = 1 ] ||
    fail "the open undo box does not hold its decision for a bounded time"
wait_for 400 window_over "$d1" || fail "the window did not end, or the engine ran no round after it: $(cat "$T/box.err")"
[ "$(q "select count(*) from fb_decision where id='$d1'")" = 0 ] ||
    fail "the engine pushed the decision while its undo box was open"
$TM send-keys -t fb y
see "undone: decision"
[ "$(lq alice "select count(*) from decision where id='$d1' and undone_at is not null")" = 1 ] ||
    fail "the decision was not undone locally"
ok "undo window: the open undo box holds the decision past the window's end; y undoes it"

# 5. Cancelling the box lifts the hold: the engine pushes the decision (its window is over).
$TM send-keys -t fb y
see "Decide 1 case"
$TM send-keys -t fb y
see "saved: C-"
d2=$(newest)
[ "$d2" != "$d1" ] || fail "no new decision"
$TM send-keys -t fb u
see "Undo your decision"
$TM send-keys -t fb n
see "cancelled; nothing changed"
[ "$(lq alice "select count(*) from outbox where ref='$d2' and held_until is not null")" = 0 ] ||
    fail "the hold outlived its undo box"
went_up() { [ "$(q "select count(*) from fb_decision where id='$d2'")" = 1 ]; }
wait_for 600 went_up || fail "the decision did not go up after its undo box was cancelled"
$TM send-keys -t fb Q
wait_for 400 test -s "$T/box.rc" || fail "the console did not quit"
[ "$(cat "$T/box.rc")" = 0 ] || fail "the console exited with $(cat "$T/box.rc"): $(cat "$T/box.err")"
# The undone one never goes: a push from the command line sends nothing of it.
fb alice sync --once >/dev/null || fail "sync --once after the console"
[ "$(q "select count(*) from fb_decision where id='$d1'")" = 0 ] || fail "the undone decision reached upstream"
ok "undo window: cancelling the box lifts the hold; the undone decision never goes up"
