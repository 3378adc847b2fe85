#!/bin/sh
# The outbox contract: a row of a kind this fbreview does not know, or whose payload does
# not decode, is refused loudly with a reason — never answered "accepted", never deleted
# (a binary that knows the kind can still send it) — and it does not block the rows after
# it. Upstream's judge refuses an approval the lifecycle does not allow (the proposer's own).
. "$(dirname "$0")/lib.sh"
pg_start
upstream_cases 1 2
fb A sync --once >/dev/null || fail "A first sync"
fb A note C-1 "before" >/dev/null || fail "note"
lq A "insert into outbox(kind, ref, payload, created_at) values ('undo', 'X-1', '{\"decision_id\":\"x\"}', 1),
                                                               ('approval', 'X-2', '{\"decision_id\":3}', 1)"
fb A note C-1 "after" >/dev/null || fail "note"
fb A sync --once >"$T/out" 2>&1 && fail "sync exits 0 with refused rows: $(cat "$T/out")"
grep -q "undo X-1: rejected: outbox undo: unknown kind" "$T/out" || fail "unknown kind not refused loudly: $(cat "$T/out")"
grep -q "approval X-2: rejected: outbox approval: decision_id: not a string" "$T/out" ||
    fail "malformed approval not refused: $(cat "$T/out")"
[ "$(lq A "select group_concat(kind || ':' || coalesce(sent_at, 'unsent'), ' ') from outbox")" = "undo:unsent" ] ||
    fail "outbox after sync: $(lq A "select kind, ref, sent_at from outbox")"
[ "$(q "select count(*) from fb_note where case_id='C-1'")" = 2 ] || fail "the notes around the refused rows did not go up"
ok "an unknown kind is refused with a reason and kept; a malformed payload is refused; the rest goes up"
fb A sync --once >"$T/out2" 2>&1
grep -q "undo X-1: rejected" "$T/out2" || fail "the kept row is not refused again: $(cat "$T/out2")"
ok "the kept row is refused again on the next sync, loudly"

# A proposer approving their own block is refused by upstream's lifecycle rows too (the
# local check is bypassed here by writing the outbox row by hand).
fb A decide C-2 block --violation self_hire --rationale "ring" >/dev/null || fail "block"
# (sync exits 1 from now on: the kept row of an unknown kind is refused again each time)
fb A sync --once >"$T/out4" 2>&1 && fail "sync exits 0 with a refused row: $(cat "$T/out4")"
d=$(lq A "select id from decision where case_id='C-2'")
[ "$(q "select status from fb_case where id='C-2'")" = pending_approval ] || fail "upstream status of the block"
lq A "insert into outbox(kind, ref, payload, created_at) values ('approval', '$d',
      json_object('decision_id','$d','approval','approved','by','A','rationale',NULL,'at',5), 1)"
fb A sync --once >"$T/out3" 2>&1
grep -q "approval $d: rejected: .*only a reviewer other than the one who proposed it may approve the block" "$T/out3" ||
    fail "self-approval not refused upstream: $(cat "$T/out3")"
[ "$(q "select status from fb_case where id='C-2'")" = pending_approval ] || fail "upstream status moved"
[ "$(q "select count(*) from fb_approval")" = 0 ] || fail "the approval was recorded"
ok "upstream refuses the proposer's own approval (fb_lc_transition's who)"
