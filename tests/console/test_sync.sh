#!/bin/sh
# The console with an upstream: the sync engine runs beside it (a thread), the status line
# shows its state, a case the reviewer opens is claimed upstream, a decision goes up on
# `:sync`, and the queue marks a case another console claimed. Real PostgreSQL (a
# throwaway cluster from tests/sync/lib.sh).
. "$(dirname "$0")/../sync/lib.sh"
command -v psql >/dev/null && [ -x "$PGBIN/initdb" ] || { echo "  skip: PostgreSQL is not installed"; exit 0; }
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color LINES=24 COLUMNS=180
pg_start
"$FB" upstream init >/dev/null || fail "upstream init"
"$FB" upstream import "$FB_ROOT/tests/data/console_cases.jsonl" >/dev/null || fail "upstream import"
fb bob sync --once >/dev/null || fail "bob's first sync"

cat >"$T/script" <<EOS
:sync
:save-display $T/pulled.txt
j
<Enter>
:sync
:save-display $T/claimed.txt
<Tab>
g
y
y
:sync
:save-display $T/synced.txt
EOS
fb alice --script "$T/script" 2>"$T/err" || { cat "$T/err"; fail "alice's console"; }
grep -Eq "open( ·)? [0-9]+ of 6 ·" "$T/pulled.txt" || { cat "$T/pulled.txt"; fail "the console did not pull the cases"; }
grep -q "synced .* ago · 0 pending" "$T/synced.txt" || { cat "$T/synced.txt"; fail "status line after :sync"; }
grep -q "you hold C-1004" "$T/claimed.txt" || { cat "$T/claimed.txt"; fail "opening C-1004 did not claim it upstream"; }
[ "$(q "select count(*) from fb_claim where reviewer='alice'")" -ge 1 ] || fail "no claim of alice's upstream"
[ "$(q "select outcome from fb_decision where case_id='C-1001'")" = accepted ] || fail "the decision did not go up"
[ "$(lq alice "select sync_state from decision where case_id='C-1001'")" = synced ] || fail "not synced locally"

# Bob's console: C-1001 is decided; alice's claim on C-1004 is marked in his queue.
cat >"$T/script2" <<EOS
:sync
:save-display $T/bob.txt
EOS
fb bob --script "$T/script2" 2>"$T/err" || { cat "$T/err"; fail "bob's console"; }
grep -Eq "open( ·)? [0-9]+ of 5 ·" "$T/bob.txt" || { cat "$T/bob.txt"; fail "bob does not see alice's decision"; }
grep -q "^..@C-1004" "$T/bob.txt" || { cat "$T/bob.txt"; fail "alice's claim is not marked in bob's queue"; }
ok "console syncs beside the reviewer: pull, claim, push, status"

# Without an upstream the console says so and keeps working offline.
unset FBREVIEW_UPSTREAM
printf ':save-display %s\n:sync\n:save-display %s\n' "$T/offline0.txt" "$T/offline.txt" >"$T/script3"
fb alice --script "$T/script3" 2>/dev/null || fail "offline console"
grep -q "no upstream configured" "$T/offline.txt" || { cat "$T/offline.txt"; fail "offline :sync message"; }
grep -q "offline (no upstream) · 0 pending" "$T/offline0.txt" || { cat "$T/offline0.txt"; fail "offline status"; }
