#!/bin/sh
# The lifecycle table, local and upstream, agree: random event sequences on many cases
# (one sequence per case) go through three consoles' real workflows and a real upstream
# (build/tests/lifecycle_random), and afterwards every console holds exactly upstream's
# statuses, with nothing left to push. FB_LIFECYCLE_CASES / _ROUNDS / _SEED / _BIN (a sanitizer build) change the run.
. "$(dirname "$0")/lib.sh"
RAND=${FB_LIFECYCLE_BIN:-${FB_BUILD:-$FB_ROOT/build}/tests/lifecycle_random}
[ -x "$RAND" ] || fail "$RAND is missing: run make sync-tests"
CASES=${FB_LIFECYCLE_CASES:-1000}
ROUNDS=${FB_LIFECYCLE_ROUNDS:-6}
SEED=${FB_LIFECYCLE_SEED:-$(date +%s)}
pg_start
upstream_cases 1 "$CASES"
# Each console under its own login (B is the lead: escalated cases and approvals are B's).
FBREVIEW_UPSTREAM_A=$(conn A) FBREVIEW_UPSTREAM_B=$(conn B) FBREVIEW_UPSTREAM_C=$(conn C) \
"$RAND" "$T" "$CASES" "$ROUNDS" "$SEED" >"$T/out" 2>&1 || { cat "$T/out"; fail "the random run failed (seed $SEED)"; }
grep -q "^events applied: [0-9]* on $CASES sequences" "$T/out" || { cat "$T/out"; fail "no summary"; }
# Every kind of event happened (the run is not vacuous): decisions, approvals, appeals, conflicts, rejections.
for e in decide approve send_back appeal undo conflict_accept claim; do
    grep -q "^$e [1-9][0-9]* applied" "$T/out" || { cat "$T/out"; fail "no $e was applied (seed $SEED)"; }
done
grep -q "accepted, [1-9][0-9]* conflicts" "$T/out" || { cat "$T/out"; fail "no conflicts (seed $SEED)"; }
q "select id || ' ' || status from fb_case order by id" >"$T/upstream.txt"
[ "$(wc -l <"$T/upstream.txt")" = "$CASES" ] || fail "upstream has $(wc -l <"$T/upstream.txt") cases"
for c in A B C; do
    lq "$c" "select id || ' ' || status from \"case\" order by id" >"$T/$c.txt"
    if ! cmp -s "$T/upstream.txt" "$T/$c.txt"; then
        diff "$T/upstream.txt" "$T/$c.txt" | head -20 >&2
        fail "console $c's statuses differ from upstream's (seed $SEED)"
    fi
    [ "$(lq "$c" "select count(*) from outbox")" = 0 ] || fail "console $c has rows left to push (seed $SEED)"
done
sed 's/^/  /' "$T/out"
ok "$CASES random sequences ($ROUNDS rounds, seed $SEED): three consoles end in upstream's statuses"
