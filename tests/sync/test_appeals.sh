#!/bin/sh
# Approvals and appeals travel between consoles: A proposes a block, B approves it, the
# user appeals, A decides again (superseding); prior actions come along with cases.
. "$(dirname "$0")/lib.sh"
pg_start
upstream_cases 1 2
printf '%s\n' '{"case_id":"C-P","opened_at":"2026-11-20T10:00:00Z","accounts":[{"id":"u-p","role":"freelancer","prior":[{"action":"education","violation":"paid_feedback","at":"2026-03-01T00:00:00Z"}]},{"id":"u-q","role":"client"}]}' >"$T/p.jsonl"
"$FB" upstream import "$T/p.jsonl" >/dev/null || fail "import with prior"
[ "$(q "select count(*) from fb_prior_action where account_id='u-p'")" = 1 ] || fail "prior action not upstream"
fb A sync --once >/dev/null || fail "A sync"
fb B sync --once >/dev/null || fail "B sync"
[ "$(lq B "select count(*) from prior_action where account_id='u-p'")" = 1 ] || fail "prior action not pulled"
ok "prior actions go upstream and come down once"

fb A decide C-1 block --violation self_hire --rationale "ring" >"$T/d.out" 2>&1 || { cat "$T/d.out"; fail "A block"; }
d=$(lq A "select id from decision where case_id='C-1'")
fb A sync --once >/dev/null || fail "A push block"
[ "$(q "select status from fb_case where id='C-1'")" = pending_approval ] || fail "upstream not pending approval"
fb B sync --once >/dev/null || fail "B pull block"
[ "$(lq B "select status from \"case\" where id='C-1'")" = pending_approval ] || fail "B case not pending approval"
fb B approve "$d" >"$T/d.out" 2>&1 || { cat "$T/d.out"; fail "B approve"; }
fb B sync --once >"$T/out" || fail "B push approval"
[ "$(q "select approval || ' ' || by_reviewer from fb_approval where decision_id='$d'")" = "approved B" ] || fail "approval upstream"
[ "$(q "select status from fb_case where id='C-1'")" = decided ] || fail "upstream case not decided after approval"
fb A sync --once >/dev/null || fail "A pull approval"
[ "$(lq A "select approval || ' ' || approved_by from decision where id='$d'")" = "approved B" ] || fail "A lacks the approval"
[ "$(lq A "select status from \"case\" where id='C-1'")" = decided ] || fail "A case not decided"
ok "a block proposed on A and approved on B is approved on both and upstream"

fb B appeal "$d" --text "I did nothing wrong" >"$T/d.out" 2>&1 || { cat "$T/d.out"; fail "B appeal"; }
fb B sync --once >/dev/null || fail "B push appeal"
[ "$(q "select count(*) from fb_appeal where decision_id='$d'")" = 1 ] || fail "appeal not upstream"
[ "$(q "select status from fb_case where id='C-1'")" = appealed ] || fail "upstream case not appealed"
fb A sync --once >/dev/null || fail "A pull appeal"
[ "$(lq A "select text from appeal where decision_id='$d'")" = "I did nothing wrong" ] || fail "A lacks the appeal"
[ "$(lq A "select status from \"case\" where id='C-1'")" = appealed ] || fail "A case not appealed"
ok "an appeal recorded on B reaches A"

# Appeal separation: another reviewer (B) decides the appeal.
fb B decide C-1 no_violation --rationale "appeal upheld" >"$T/d.out" 2>&1 || { cat "$T/d.out"; fail "B decides the appeal"; }
d2=$(lq B "select id from decision where case_id='C-1' and supersedes='$d'")
[ -n "$d2" ] || fail "the new decision does not supersede"
fb B sync --once >"$T/out" || fail "B push re-decision"
grep -q "accepted 1" "$T/out" || fail "re-decision: $(cat "$T/out")"
[ "$(q "select decision_id from fb_case where id='C-1'")" = "$d2" ] || fail "upstream standing decision"
fb A sync --once >/dev/null || fail "A pull re-decision"
[ "$(lq A "select supersedes from decision where id='$d2'")" = "$d" ] || fail "A lacks the superseding decision"
[ "$(lq A "select status from \"case\" where id='C-1'")" = decided ] || fail "A case not decided again"
ok "a decision on an appealed case is accepted and supersedes, on both consoles"

# A block sent back on B reaches A with who sent it back and why, and A's export says so.
fb A decide C-2 block --violation self_hire --rationale "same card" >"$T/d.out" 2>&1 || { cat "$T/d.out"; fail "A block C-2"; }
d3=$(lq A "select id from decision where case_id='C-2'")
fb A sync --once >/dev/null || fail "A push block C-2"
fb B sync --once >/dev/null || fail "B pull block C-2"
fb B approve "$d3" --reject --rationale "the card is a shared company card" >"$T/d.out" 2>&1 || { cat "$T/d.out"; fail "B send back"; }
fb B sync --once >/dev/null || fail "B push send-back"
fb A sync --once >/dev/null || fail "A pull send-back"
[ "$(lq A "select approval || ' ' || approved_by || ' ' || approval_rationale from decision where id='$d3'")" = \
  "rejected B the card is a shared company card" ] || fail "A lacks the send-back: $(lq A "select approval, approved_by, approval_rationale from decision where id='$d3'")"
fb A export -o "$T/a.csv" >/dev/null 2>&1 || fail "A export"
grep -q "$d3,C-2,.*,sent_back,,B,the card is a shared company card," "$T/a.csv" || fail "A's export: $(grep "$d3" "$T/a.csv")"
ok "a send-back on B reaches A with its reviewer and reason, and A's export says sent_back"
