#!/bin/sh
# Two consoles decide the same case offline: upstream accepts exactly one; the other is
# recorded and answered as a conflict naming the winner; a re-push answers the same.
. "$(dirname "$0")/lib.sh"
pg_start
upstream_cases 1 3
fb A sync --once >/dev/null || fail "A sync"
fb B sync --once >/dev/null || fail "B sync"
fb A decide C-2 --accept >"$T/d.out" 2>&1 || { cat "$T/d.out"; fail "A decide"; }
fb B decide C-2 education --violation self_hire --rationale "first time" >"$T/d.out" 2>&1 || { cat "$T/d.out"; fail "B decide"; }
da=$(lq A "select id from decision where case_id='C-2'")
db=$(lq B "select id from decision where case_id='C-2'")
[ -n "$da" ] && [ -n "$db" ] || fail "decisions missing"
fb A sync --once >"$T/a.out" || fail "A push"
fb B sync --once >"$T/b.out" || fail "B push"
grep -q "accepted 1" "$T/a.out" || fail "A: $(cat "$T/a.out")"
grep -q "conflicts 1" "$T/b.out" || fail "B: $(cat "$T/b.out")"
grep -q "decision $db: conflict: case C-2 is already decided: decision $da" "$T/b.out" || fail "B's conflict message: $(cat "$T/b.out")"
ok "B is told about the conflict with the winning decision"
[ "$(q "select outcome from fb_decision where id='$da'")" = accepted ] || fail "upstream A"
[ "$(q "select outcome || ' ' || winner from fb_decision where id='$db'")" = "conflict $da" ] || fail "upstream B"
[ "$(q "select decision_id from fb_case where id='C-2'")" = "$da" ] || fail "upstream standing decision"
[ "$(q "select count(*) from fb_decision where outcome='accepted' and case_id='C-2'")" = 1 ] || fail "two accepted"
ok "upstream: exactly one accepted, the other a conflict"
[ "$(lq A "select sync_state from decision where id='$da'")" = synced ] || fail "A local state"
[ "$(lq B "select sync_state from decision where id='$db'")" = conflict ] || fail "B local state"
lq B "select upstream_note from decision where id='$db'" | grep -q "$da" || fail "B's note lacks the winner"
[ "$(lq B "select sync_state from decision where id='$da'")" = synced ] || fail "B lacks the winner after pull"
fb A sync --once >/dev/null || fail "A pull"
[ "$(lq A "select count(*) from decision where id='$db'")" = 0 ] || fail "A pulled B's conflicting decision"
[ "$(lq A "select status from \"case\" where id='C-2'") $(lq B "select status from \"case\" where id='C-2'")" = "decided decided" ] || fail "statuses"
ok "both consoles agree: A's decision stands, B's is a conflict"

# A re-push of B's decision (as after a crash) answers the first outcome and adds nothing.
lq B "update decision set sync_state='pending', upstream_note=NULL where id='$db';
      insert into outbox(kind, ref, payload, created_at, sent_at)
      select 'decision', id, json_object('decision_id',id,'case_id',case_id,'reviewer',reviewer,'action',action,
             'violation',violation,'days',days,'decided_at',decided_at,'approval','none','claim_override',0), 1, 1
        from decision where id='$db'"
fb B sync --once >"$T/b.out" || fail "B re-push"
grep -q "conflicts 1" "$T/b.out" || fail "re-push answer: $(cat "$T/b.out")"
[ "$(lq B "select sync_state from decision where id='$db'")" = conflict ] || fail "re-push local state"
[ "$(q "select count(*) from fb_decision")" = 2 ] || fail "re-push duplicated"
ok "a re-push answers the first outcome"

# A decision on a case upstream has never seen is rejected, and says why.
lq A "insert into \"case\"(id, opened_at, updated_at) values ('L-1', 0, 0)"
fb A decide L-1 education --violation self_hire --rationale "local" >"$T/d.out" 2>&1 || { cat "$T/d.out"; fail "decide local case"; }
dl=$(lq A "select id from decision where case_id='L-1'")
# A run with a rejection fails (exit 1): each rejected decision on stdout with upstream's
# reason, what to do on stderr.
rc=0; fb A sync --once >"$T/a.out" 2>"$T/a.err" || rc=$?
[ "$rc" = 1 ] || fail "sync with a rejection exited $rc, not 1: $(cat "$T/a.out" "$T/a.err")"
grep -q "decision $dl: rejected: case L-1 is not upstream" "$T/a.out" || fail "reject message: $(cat "$T/a.out")"
grep -q "upstream rejected 1 change" "$T/a.err" || fail "no summary of the rejection: $(cat "$T/a.err")"
[ "$(lq A "select sync_state from decision where case_id='L-1'")" = rejected ] || fail "local reject state"
# The next run has nothing new rejected: it succeeds; stats keeps counting the rejection.
fb A sync --once >"$T/a.out" 2>&1 || fail "a later sync fails for an old rejection: $(cat "$T/a.out")"
fb A stats >"$T/s.out" 2>"$T/s.err" || fail "stats"
grep -Eq "rejected decisions +1$" "$T/s.out" || fail "stats does not count the rejection: $(cat "$T/s.out")"
grep -q "1 decision was rejected by upstream" "$T/s.err" || fail "stats says nothing: $(cat "$T/s.err")"
ok "a decision on a case upstream does not know is rejected: sync exits 1, stats counts it"

# --watch says the same as it happens, each rejection once, and exits 1 when stopped.
lq A "insert into \"case\"(id, opened_at, updated_at) values ('L-3', 0, 0)"
fb A decide L-3 education --violation self_hire --rationale "local" >"$T/d.out" 2>&1 || { cat "$T/d.out"; fail "decide L-3"; }
dw=$(lq A "select id from decision where case_id='L-3'")
FBREVIEW_UPSTREAM=$(conn A) "$FB" --db "$T/A.db" --reviewer A sync --watch --interval 1 >"$T/w.out" 2>"$T/w.err" &
wpid=$!
BG_PIDS=$wpid
wait_for 400 grep -q "decision $dw: rejected: case L-3 is not upstream" "$T/w.out" || fail "watch: $(cat "$T/w.out" "$T/w.err")"
wait_for 400 grep -q "synced" "$T/w.err" || fail "watch never synced"
kill -TERM $wpid
wrc=0; wait $wpid || wrc=$?
BG_PIDS=
[ "$wrc" = 1 ] || fail "watch with a rejection exited $wrc, not 1"
[ "$(grep -c "rejected" "$T/w.out")" = 1 ] || fail "watch reported a rejection twice, or an old one: $(cat "$T/w.out")"
grep -q "upstream rejected 1 decision while watching" "$T/w.err" || fail "watch summary: $(cat "$T/w.err")"
ok "sync --watch prints each rejection once with upstream's reason and exits 1"

# A malformed outbox payload cannot block the queue: it is rejected locally, the rest goes.
lq A "insert into \"case\"(id, opened_at, updated_at) values ('L-2', 0, 0);
      insert into decision(id, case_id, reviewer, action, decided_at) values ('not-a-uuid', 'L-2', 'A', 'education', 1);
      insert into outbox(kind, ref, payload, created_at) values ('decision', 'not-a-uuid', '{\"decision_id\":\"not-a-uuid\"}', 1)"
fb A decide C-3 --accept >/dev/null 2>&1 || fail "decide C-3"
rc=0; fb A sync --once >"$T/a.out" 2>/dev/null || rc=$?
[ "$rc" = 1 ] || fail "sync past a malformed row exited $rc, not 1"
grep -q "decision not-a-uuid: rejected: the decision's outbox payload is malformed" "$T/a.out" || fail "malformed: $(cat "$T/a.out")"
[ "$(lq A "select sync_state from decision where case_id='C-3'")" = synced ] || fail "the queue stalled"
ok "a malformed payload is rejected locally and does not block the queue"

# The losing reviewer answers the conflict: only B may; B appeals the winning decision, the
# appeal goes upstream against A's decision and reaches A; B's decision stays a conflict.
fb A conflict "$db" --accept >"$T/c.out" 2>&1 && fail "A answered B's conflict"
grep -q "no decision $db" "$T/c.out" || fail "A's refusal: $(cat "$T/c.out")"
lq B "insert into decision(id, case_id, reviewer, action, decided_at, sync_state, upstream_note)
      values ('$db-x', 'C-2', 'A', 'education', 1, 'conflict', 'not B''s')"
fb B conflict "$db-x" --accept >"$T/c.out" 2>&1 && fail "B answered A's conflict"
grep -q "was made by A, not by you (B)" "$T/c.out" || fail "B's refusal: $(cat "$T/c.out")"
lq B "delete from decision where id='$db-x'"
fb B conflict "$db" --appeal "the messages show a trade" >"$T/c.out" 2>&1 || { cat "$T/c.out"; fail "B appeals the winner"; }
grep -q "appeal .* recorded against the winning decision" "$T/c.out" || fail "B's answer: $(cat "$T/c.out")"
[ "$(lq B "select sync_state || ' ' || conflict_resolution from decision where id='$db'")" = "conflict appealed" ] || fail "B's resolution"
fb B sync --once >/dev/null || fail "B pushes the appeal"
[ "$(q "select text from fb_appeal where decision_id='$da'")" = "the messages show a trade" ] || fail "appeal not upstream against the winner"
fb A sync --once >/dev/null || fail "A pulls the appeal"
[ "$(lq A "select status from \"case\" where id='C-2'")" = appealed ] || fail "A's case not appealed"
fb B conflict "$db" --accept >"$T/c.out" 2>&1 && fail "a second answer was taken"
grep -q "already resolved (appealed)" "$T/c.out" || fail "second answer: $(cat "$T/c.out")"
ok "the losing reviewer appeals the winning decision; the appeal reaches the winner's console"
