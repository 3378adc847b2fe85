#!/bin/sh
# Upstream's one judge (fb_lc_may, issue 11): every write is judged by the rows `upstream
# init` writes from the lifecycle table and by the published policy's settings. Claims
# follow the table's claim rows; an undo is its owner's only and goes back to the status
# before; the team policy's appeal_separation and approver_role are what upstream enforces.
. "$(dirname "$0")/lib.sh"
pg_start
pg_login carol lead
upstream_cases 1 8
for c in alice bob carol; do fb $c sync --once >/dev/null 2>&1 || fail "$c first sync"; done
# psql_as LOGIN SQL: one value, as LOGIN, the way fbreview reaches upstream (direct or pgbouncer).
psql_as() { psql -X -q -At -v ON_ERROR_STOP=1 "$(conn "$1")" -c "$2"; }

# 1. Claims: the table has no claim row for a decided case.
fb alice decide C-1 education --violation self_hire --rationale "first time" >/dev/null 2>&1 || fail "alice decides C-1"
fb alice sync --once >/dev/null 2>&1 || fail "alice pushes C-1"
[ "$(q "select status from fb_case where id='C-1'")" = decided ] || fail "C-1 not decided upstream"
if fb bob upstream claim C-1 >"$T/out" 2>"$T/err"; then fail "bob claimed a decided case: $(cat "$T/out")"; fi
grep -q "cannot claim C-1: case C-1: claim is not allowed in a case that is decided" "$T/err" ||
    fail "claim refusal: $(cat "$T/out" "$T/err")"
[ "$(q "select count(*) from fb_claim where case_id='C-1'")" = 0 ] || fail "a claim on C-1 was recorded"
# called straight, as a modified console would
[ "$(psql_as bob "select granted::text || ' ' || coalesce(reason, '-') from fb_claim_take('C-1', 600000)")" = \
  "false case C-1: claim is not allowed in a case that is decided" ] || fail "fb_claim_take granted C-1"
if fb bob upstream claim C-404 >"$T/out" 2>"$T/err"; then fail "bob claimed a case upstream does not have"; fi
grep -q "case C-404 is not upstream" "$T/err" || fail "missing case claim: $(cat "$T/err")"
fb bob upstream claim C-2 --lease-ms 600000 >"$T/out" 2>&1 || fail "bob claims open C-2: $(cat "$T/out")"
ok "a claim is taken only in a status whose claim row allows it"

# 2. Undo upstream: its owner's only, back to the status (and standing decision) before.
d2=$(lq alice "select id from decision where case_id='C-1'")
undo_as() { psql_as "$1" "select outcome || ': ' || coalesce(reason, '') from fb_push_items(array['undo'], array[jsonb_build_object('decision_id', '$2')])"; }
r=$(undo_as bob "$d2")
case "$r" in
"rejected: undo of $d2: only the reviewer who made the decision may undo, which login bob is not (owner: alice)") ;;
*) fail "bob undid alice's decision: $r" ;;
esac
[ "$(q "select status || ' ' || (decision_id = '$d2') || ' ' || (undone_at is null) from fb_case c, fb_decision d
        where c.id='C-1' and d.id='$d2'")" = "decided true true" ] || fail "bob's refused undo changed C-1"
r=$(undo_as carol "$d2")
case "$r" in rejected:*) ;; *) fail "a lead undid alice's decision: $r" ;; esac
r=$(undo_as alice "$d2")
[ "$r" = "accepted: " ] || fail "alice's own undo: $r"
[ "$(q "select status || ' ' || coalesce(decision_id::text, 'none') from fb_case where id='C-1'")" = "open none" ] ||
    fail "alice's undo did not bring C-1 back to open: $(q "select status, decision_id from fb_case where id='C-1'")"
[ "$(q "select undone_at is not null from fb_decision where id='$d2'")" = t ] || fail "the undo is not recorded"
r=$(undo_as alice "$d2")
[ "$r" = "accepted: " ] || fail "alice's undo again (a re-push): $r"
[ "$(q "select count(*) from fb_audit where kind='items' and what::text like '%undo%'")" -ge 3 ] ||
    fail "the undos are not in the audit"
ok "an undo upstream is refused for another login (even a lead) and takes its owner's decision back to open"

# 3. appeal_separation from the published policy: false lets the appealed reviewer answer,
#    true (the default) does not.
appealed_case() {   # appealed_case CASE: alice decides CASE, bob appeals it
    fb alice decide "$1" education --violation self_hire --rationale "first" >/dev/null 2>&1 || fail "decide $1"
    fb alice sync --once >/dev/null 2>&1 || fail "push $1"
    dd=$(lq alice "select id from decision where case_id='$1'")
    fb bob sync --once >/dev/null 2>&1
    fb bob appeal "$dd" --text "not me" >/dev/null 2>&1 || fail "appeal $1"
    fb bob sync --once >/dev/null 2>&1 || fail "push appeal $1"
    [ "$(q "select status from fb_case where id='$1'")" = appealed ] || fail "$1 not appealed upstream"
    fb alice sync --once >/dev/null 2>&1 || fail "alice pulls $1"
}
appealed_case C-3
printf '[policy]\nappeal_separation = false\n' >"$T/nosep.conf"
"$FB" upstream policy publish "$T/nosep.conf" >"$T/pub.out" || fail "publish nosep: $(cat "$T/pub.out")"
fb alice sync --once >/dev/null 2>&1 || fail "alice pulls the policy"
fb alice decide C-3 no_violation --rationale "on a second look" >"$T/d.out" 2>&1 ||
    fail "alice answers the appeal locally under the team policy: $(cat "$T/d.out")"
fb alice sync --once >"$T/out" 2>&1 || fail "alice pushes the answer: $(cat "$T/out")"
grep -q "accepted 1" "$T/out" || fail "appeal answer with appeal_separation = false: $(cat "$T/out")"
[ "$(q "select d.reviewer || ' ' || c.status from fb_case c join fb_decision d on d.id = c.decision_id
        where c.id='C-3'")" = "alice decided" ] || fail "C-3 not decided by alice"
grep -q '"appeal_separation":false' "$T/pub.out" || fail "publish answer: $(cat "$T/pub.out")"
[ "$(q "select settings->>'appeal_separation' from fb_policy order by version desc limit 1")" = false ] ||
    fail "settings not published"
appealed_case C-4
printf '[policy]\nappeal_separation = true\n' >"$T/sep.conf"
"$FB" upstream policy publish "$T/sep.conf" >/dev/null || fail "publish sep"
# A console that kept the old policy (it did not sync) still gets the answer refused.
fb alice decide C-4 no_violation --rationale "mine again" >/dev/null 2>&1 || fail "alice answers C-4 locally"
fb alice sync --once >"$T/out" 2>&1
grep -q "case C-4: only a reviewer other than the one whose decision is appealed may dismiss, which login alice is not" \
    "$T/out" || fail "appeal answer with appeal_separation = true: $(cat "$T/out")"
[ "$(q "select status from fb_case where id='C-4'")" = appealed ] || fail "C-4 moved"
ok "upstream takes appeal_separation from the published policy (false: the appealed reviewer answers; true: refused)"

# 4. approver_role = reviewer: a reviewer who is no lead approves; the proposer never.
printf '[policy]\napprover_role = reviewer\n' >"$T/rev.conf"
"$FB" upstream policy publish "$T/rev.conf" >/dev/null || fail "publish approver_role = reviewer"
for c in alice bob; do fb $c sync --once >/dev/null 2>&1 || fail "$c pulls"; done
propose() {   # propose CASE: alice proposes a block, pushed; prints its id
    fb alice decide "$1" block --violation paid_feedback --rationale "paid" >/dev/null 2>&1 || fail "block $1"
    fb alice sync --once >/dev/null 2>&1 || fail "push block $1"
    [ "$(q "select status from fb_case where id='$1'")" = pending_approval ] || fail "$1 not pending"
    lq alice "select id from decision where case_id='$1'"
}
d5=$(propose C-5)
r=$(psql_as alice "select outcome || ': ' || coalesce(reason, '') from fb_push_items(array['approval'],
     array[jsonb_build_object('decision_id', '$d5', 'approval', 'approved', 'by', 'alice', 'at', 1)])")
case "$r" in
"rejected: block $d5: only a reviewer other than the one who proposed it may approve the block, which login alice is not (proposer: alice)") ;;
*) fail "alice approved her own block: $r" ;;
esac
fb bob sync --once >/dev/null 2>&1
fb bob approve "$d5" >/dev/null 2>&1 || fail "bob approves locally"
fb bob sync --once >"$T/out" 2>&1 || fail "bob pushes: $(cat "$T/out")"
[ "$(q "select approval || ' ' || by_reviewer from fb_approval where decision_id='$d5'")" = "approved bob" ] ||
    fail "bob's approval under approver_role = reviewer: $(cat "$T/out")"
[ "$(q "select status from fb_case where id='C-5'")" = decided ] || fail "C-5 not decided"
# Sent back by another reviewer: back to the initial status, no standing decision.
d6=$(propose C-6)
fb bob sync --once >/dev/null 2>&1
fb bob approve "$d6" --reject --rationale "not enough" >/dev/null 2>&1 || fail "bob sends back locally"
fb bob sync --once >/dev/null 2>&1 || fail "bob pushes the send-back"
[ "$(q "select status || ' ' || coalesce(decision_id::text, 'none') from fb_case where id='C-6'")" = "open none" ] ||
    fail "sent back: $(q "select status, decision_id from fb_case where id='C-6'")"
# Back to lead: bob is refused, naming the policy.
printf '[policy]\napprover_role = lead\n' >"$T/lead.conf"
"$FB" upstream policy publish "$T/lead.conf" >/dev/null || fail "publish approver_role = lead"
d7=$(propose C-7)
fb bob sync --once >/dev/null 2>&1
fb bob approve "$d7" >/dev/null 2>&1 || fail "bob approves C-7 locally"
fb bob sync --once >"$T/out" 2>&1
grep -q "only a lead may approve the block (the case is pending approval), and login bob is not in fbreview_lead (policy approver_role = lead)" \
    "$T/out" || fail "approver_role = lead: $(cat "$T/out")"
ok "approver_role = reviewer lets another reviewer approve or send back, never the proposer; lead takes it back"

# 5. The table is upstream's: statuses are rows, and fb_case's CHECK is written from them
#    (a status outside them is refused); init rewrites rows and CHECK edited by hand.
if $PSQL -c "UPDATE fb_case SET status = 'limbo' WHERE id = 'C-8'" >"$T/psql.out" 2>&1; then
    fail "a case took a status that is not in the table"
fi
grep -q "fb_case_status_lc" "$T/psql.out" || fail "status constraint: $(cat "$T/psql.out")"
$PSQL -c "UPDATE fb_lc_who SET must_be = NOT must_be WHERE who = 'own'; DELETE FROM fb_lc_transition WHERE event = 'claim';
          ALTER TABLE fb_case DROP CONSTRAINT fb_case_status_lc"
"$FB" upstream init >"$T/out" || fail "init again: $(cat "$T/out")"
[ "$(q "select must_be from fb_lc_who where who = 'own'")" = t ] || fail "init did not rewrite fb_lc_who"
[ "$(q "select count(*) from fb_lc_transition where event = 'claim'")" -gt 0 ] || fail "init did not rewrite the claim rows"
[ "$(q "select count(*) from pg_constraint where conname = 'fb_case_status_lc'")" = 1 ] || fail "init did not write the CHECK"
ok "statuses are the table's rows; init rewrites hand-edited rows"
