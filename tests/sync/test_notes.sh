#!/bin/sh
# Notes travel between consoles: a note written on A is pulled by B (and shows in the
# case's history there), a note comes back to its own console once, never twice, and
# two different notes stay two notes. Key: (case_id, reviewer, at, text), upstream.sql
# migration 2.
. "$(dirname "$0")/lib.sh"
pg_start
upstream_cases 1 2
fb A sync --once >/dev/null || fail "A first sync"
fb B sync --once >/dev/null || fail "B first sync"

fb A note C-1 "same device as last month's ring" >/dev/null || fail "A note"
fb A note C-1 "asked payments for the card owner" >/dev/null || fail "A second note"
fb B note C-1 "agree: looks like a ring" >/dev/null || fail "B note"
fb A sync --once >/dev/null || fail "A push notes"
[ "$(q "select count(*) from fb_note where case_id='C-1'")" = 2 ] || fail "A's notes not upstream"
fb B sync --once >"$T/out" || fail "B sync"
[ "$(q "select count(*) from fb_note where case_id='C-1'")" = 3 ] || fail "B's note not upstream"
[ "$(lq B "select count(*) from note where case_id='C-1' and reviewer='A'")" = 2 ] || fail "B lacks A's notes"
[ "$(lq B "select count(*) from note where case_id='C-1'")" = 3 ] || fail "B has $(lq B "select count(*) from note") notes"
fb B show C-1 >"$T/show" || fail "B show"
grep -q "A: same device as last month's ring" "$T/show" || fail "B's history lacks A's note: $(cat "$T/show")"
ok "a note written on A shows on B"

fb A sync --once >/dev/null || fail "A pull"
[ "$(lq A "select count(*) from note where case_id='C-1'")" = 3 ] || fail "A has $(lq A "select count(*) from note") notes"
[ "$(lq A "select count(*) from note where reviewer='A'")" = 2 ] || fail "A's own notes came back twice"
fb A sync --once >/dev/null || fail "A again"
fb B sync --once >"$T/out" || fail "B again"
[ "$(lq A "select count(*) from note")" = 3 ] || fail "A: notes duplicated by a second pull"
[ "$(lq B "select count(*) from note")" = 3 ] || fail "B: notes duplicated by a second pull"
ok "notes come back to their console once and are never duplicated"

# A re-push of the same note (a crash after upstream committed) adds nothing upstream.
at=$(lq A "select at from note where reviewer='A' order by at limit 1")
lq A "insert into outbox(kind, ref, payload, created_at) values ('note', 'C-1', json_object('case_id','C-1','reviewer','A','text','same device as last month''s ring','at',$at), $at)"
fb A sync --once >/dev/null || fail "A re-push"
[ "$(q "select count(*) from fb_note")" = 3 ] || fail "a re-pushed note was stored twice"
# Same reviewer, same millisecond, different text: two notes.
lq A "insert into outbox(kind, ref, payload, created_at) values ('note', 'C-2', json_object('case_id','C-2','reviewer','A','text','first','at',1000), 1000)"
lq A "insert into outbox(kind, ref, payload, created_at) values ('note', 'C-2', json_object('case_id','C-2','reviewer','A','text','second','at',1000), 1000)"
fb A sync --once >/dev/null || fail "A push same-ms notes"
fb B sync --once >/dev/null || fail "B pull same-ms notes"
[ "$(lq B "select group_concat(text, ',') from (select text from note where case_id='C-2' order by text)")" = "first,second" ] ||
    fail "same-millisecond notes: $(lq B "select group_concat(text) from note where case_id='C-2'")"
ok "re-pushed notes are deduplicated; different notes in one millisecond both stay"
