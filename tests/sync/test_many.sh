#!/bin/sh
# Many consoles at once: four stores decide the same 30 cases and push concurrently
# (small batches, so their transactions interleave). Upstream accepts exactly one
# decision per case, and every console's local states match upstream's outcomes.
. "$(dirname "$0")/lib.sh"
pg_start
upstream_cases 1 30
ids=""; i=1
while [ $i -le 30 ]; do ids="$ids C-$i"; i=$((i + 1)); done
for c in A B C D; do
    fb $c sync --once >/dev/null || fail "$c sync"
    fb $c decide $ids --accept >"$T/d.out" 2>&1 || { cat "$T/d.out"; fail "$c decide"; }
done
pids=""
for c in A B C D; do
    FBREVIEW_UPSTREAM=$(conn $c) FBREVIEW_SYNC_BATCH=7 "$FB" --db "$T/$c.db" --reviewer $c sync --once >"$T/$c.out" 2>&1 &
    pids="$pids $!"
done
BG_PIDS=$pids
for p in $pids; do wait $p || fail "a concurrent sync failed: $(cat "$T"/*.out)"; done
BG_PIDS=
[ "$(q "select count(*) from fb_decision")" = 120 ] || fail "expected 120 decisions upstream"
[ "$(q "select count(*) from (select case_id from fb_decision where outcome='accepted' group by case_id having count(*) = 1) x")" = 30 ] ||
    fail "not exactly one accepted per case"
[ "$(q "select count(*) from fb_decision where outcome='conflict'")" = 90 ] || fail "expected 90 conflicts"
[ "$(q "select count(*) from fb_case c join fb_decision d on d.id = c.decision_id where d.outcome='accepted'")" = 30 ] ||
    fail "standing decisions do not match"
ok "4 consoles x 30 cases concurrently: exactly one accepted per case"
for c in A B C D; do
    $PSQL -At -c "select id || '|' || case outcome when 'accepted' then 'synced' else outcome end from fb_decision where reviewer='$c' order by id" >"$T/up.$c"
    lq $c "select id || '|' || sync_state from decision where reviewer='$c' order by id" >"$T/local.$c"
    cmp -s "$T/up.$c" "$T/local.$c" || fail "$c's local states differ from upstream"
done
ok "every console's local states match upstream's outcomes"
for c in A B C D; do fb $c sync --once >/dev/null || fail "$c pull"; done
for c in A B C D; do
    [ "$(lq $c "select count(*) from \"case\" where status='decided'")" = 30 ] || fail "$c: not all decided"
done
ok "after a pull every console shows all 30 cases decided"
