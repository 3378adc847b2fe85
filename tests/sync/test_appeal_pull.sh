#!/bin/sh
# An appeal decided on another console: the pulled superseding decision resolves the
# appeal locally (appeal.resolved_by) and the case ends with upstream's status, whether
# the console pulled the appeal earlier or gets the appeal and the re-decision together.
. "$(dirname "$0")/lib.sh"
pg_start
upstream_cases 1 3
for c in A B C; do fb $c sync --once >/dev/null || fail "$c first sync"; done

# A decides; B records the appeals and decides them (appeal separation); A pulls the
# appeals before the re-decisions, C pulls everything in one go.
for k in 1 2; do
    fb A decide C-$k education --violation self_hire --rationale "first" >"$T/d.out" 2>&1 || { cat "$T/d.out"; fail "A decide C-$k"; }
done
fb A sync --once >/dev/null || fail "A push"
fb B sync --once >/dev/null || fail "B pull decisions"
d1=$(lq A "select id from decision where case_id='C-1'")
d2=$(lq A "select id from decision where case_id='C-2'")
fb B appeal "$d1" --text "not me" >/dev/null 2>&1 || fail "appeal C-1"
fb B appeal "$d2" --text "not me either" >/dev/null 2>&1 || fail "appeal C-2"
fb B sync --once >/dev/null || fail "B push appeals"

fb A sync --once >/dev/null || fail "A pull appeals"
[ "$(lq A "select status from \"case\" where id='C-1'")" = appealed ] || fail "A: C-1 not appealed"
[ "$(lq A "select count(*) from appeal where resolved_by is null")" = 2 ] || fail "A: open appeals"

# C (fresh since the first sync) will get decision, appeal and re-decision in one pull.
fb B decide C-1 no_violation --rationale "appeal upheld" >"$T/d.out" 2>&1 || { cat "$T/d.out"; fail "B re-decides C-1"; }
fb B decide C-2 suspension --violation self_hire --days 7 --rationale "appeal denied" >"$T/d.out" 2>&1 || { cat "$T/d.out"; fail "B re-decides C-2"; }
r1=$(lq B "select id from decision where case_id='C-1' and supersedes='$d1'")
r2=$(lq B "select id from decision where case_id='C-2' and supersedes='$d2'")
[ -n "$r1" ] && [ -n "$r2" ] || fail "B's re-decisions do not supersede"
[ "$(lq B "select count(*) from appeal where resolved_by is not null")" = 2 ] || fail "B: appeals not resolved locally"
fb B sync --once >"$T/out" || fail "B push re-decisions"
grep -q "accepted 2" "$T/out" || fail "re-decisions: $(cat "$T/out")"
[ "$(q "select status from fb_case where id='C-1'")" = decided ] || fail "upstream C-1 status"

fb A sync --once >/dev/null || fail "A pull re-decisions"
[ "$(lq A "select resolved_by from appeal where decision_id='$d1'")" = "$r1" ] || fail "A: C-1 appeal not resolved by $r1"
[ "$(lq A "select resolved_by from appeal where decision_id='$d2'")" = "$r2" ] || fail "A: C-2 appeal not resolved by $r2"
for k in 1 2 3; do
    [ "$(lq A "select status from \"case\" where id='C-$k'")" = "$(q "select status from fb_case where id='C-$k'")" ] ||
        fail "A: C-$k status $(lq A "select status from \"case\" where id='C-$k'") differs from upstream"
done
ok "a console that saw the appeal: the pulled re-decision resolves it; statuses match upstream"

fb C sync --once >/dev/null || fail "C pulls everything at once"
[ "$(lq C "select resolved_by from appeal where decision_id='$d1'")" = "$r1" ] || fail "C: C-1 appeal not resolved"
[ "$(lq C "select resolved_by from appeal where decision_id='$d2'")" = "$r2" ] || fail "C: C-2 appeal not resolved"
[ "$(lq C "select count(*) from appeal where resolved_by is null")" = 0 ] || fail "C: an appeal stays open"
for k in 1 2 3; do
    [ "$(lq C "select status from \"case\" where id='C-$k'")" = "$(q "select status from fb_case where id='C-$k'")" ] ||
        fail "C: C-$k status $(lq C "select status from \"case\" where id='C-$k'") differs from upstream"
done
ok "a console that gets decision, appeal and re-decision in one pull: resolved, statuses match upstream"

# A later appeal on the re-decision is open again everywhere.
fb B appeal "$r2" --text "again" >/dev/null 2>&1 || fail "second appeal"
fb B sync --once >/dev/null || fail "B push second appeal"
fb C sync --once >/dev/null || fail "C pull second appeal"
[ "$(lq C "select status from \"case\" where id='C-2'")" = appealed ] || fail "C: second appeal does not reopen C-2"
[ "$(lq C "select count(*) from appeal where case_id='C-2' and resolved_by is null")" = 1 ] || fail "C: second appeal not open"
ok "a later appeal on the re-decision opens the case again"
