#!/bin/sh
# Two consoles: cases go upstream, both pull them; A decides and pushes; B pulls A's decision.
. "$(dirname "$0")/lib.sh"
pg_start
# init is idempotent and versioned.
"$FB" upstream init >"$T/out" || fail "second init"
grep -q "up to date (version 6)" "$T/out" || fail "init again: $(cat "$T/out")"
[ "$(q "select count(*) from fb_schema_version")" = 6 ] || fail "schema_version rows"
ok "upstream init is idempotent"
upstream_cases 1 4
case_json C-5 | "$FB" upstream import - >"$T/out" || fail "import from stdin"
grep -q "1 added" "$T/out" || fail "stdin import: $(cat "$T/out")"
fb A sync --once >"$T/out" || fail "A first sync"
[ "$(lq A "select count(*) from \"case\" where origin='upstream'")" = 5 ] || fail "A pulled $(lq A 'select count(*) from "case"') cases"
fb B sync --once >/dev/null || fail "B first sync"
[ "$(lq B "select count(*) from \"case\"")" = 5 ] || fail "B has no cases"
ok "both consoles pulled 5 cases through ingest"
[ "$(lq A "select count(*) from signal")" -gt 0 ] || fail "pulled cases have no signals (not ingested)"

fb A decide C-1 education --violation self_hire --rationale "seen" >"$T/out" 2>&1 || { cat "$T/out"; fail "decide"; }
d=$(lq A "select id from decision where case_id='C-1'")
[ "$(lq A "select count(*) from outbox")" = 1 ] || fail "no outbox row"
fb A sync --once >"$T/out" || fail "A push"
grep -q "accepted 1" "$T/out" || fail "A push answer: $(cat "$T/out")"
[ "$(lq A "select sync_state from decision where id='$d'")" = synced ] || fail "A not synced"
[ "$(lq A "select count(*) from outbox")" = 0 ] || fail "outbox not emptied"
[ "$(q "select outcome from fb_decision where id='$d'")" = accepted ] || fail "upstream outcome"
[ "$(q "select status from fb_case where id='C-1'")" = decided ] || fail "upstream case status"
ok "A's decision pushed and accepted"

fb B sync --once >"$T/out" || fail "B pull"
[ "$(lq B "select sync_state || ' ' || reviewer from decision where id='$d'")" = "synced A" ] || fail "B lacks A's decision"
[ "$(lq B "select status from \"case\" where id='C-1'")" = decided ] || fail "B's case not decided"
ok "B pulled A's decision and the case's status"

# Nothing changes on a second sync (idempotent pull and push).
fb B sync --once >"$T/out" || fail "B second sync"
grep -q "pushed 0 .* pulled 0 cases, 0 decisions" "$T/out" || fail "second sync not empty: $(cat "$T/out")"
[ "$(q "select count(*) from fb_decision")" = 1 ] || fail "duplicate upstream decisions"
ok "second sync moves nothing"

# upstream import: all-or-nothing with FILE:LINE: field: problem; a decided case keeps its evidence.
{ case_json C-9; echo '{"case_id":"C-10","opened_at":"nope","accounts":[]}'; } >"$T/bad.jsonl"
if "$FB" upstream import "$T/bad.jsonl" 2>"$T/err"; then fail "bad import accepted"; fi
grep -q "bad.jsonl:2: " "$T/err" || fail "no FILE:LINE message: $(cat "$T/err")"
[ "$(q "select count(*) from fb_case where id in ('C-9','C-10')")" = 0 ] || fail "bad import kept rows"
ok "upstream import is all-or-nothing"
sed 's/Amazing work!/Changed text/' "$T/cases.jsonl" >"$T/changed.jsonl"
"$FB" upstream import "$T/changed.jsonl" >"$T/out" || fail "re-import"
grep -q "3 updated, 1 kept" "$T/out" || fail "re-import report: $(cat "$T/out")"
[ "$(q "select count(*) from fb_case where doc::text like '%Changed text%'")" = 3 ] || fail "evidence update"
[ "$(q "select doc::text like '%Amazing%' from fb_case where id='C-1'")" = t ] || fail "decided case lost its evidence"
fb B sync --once >/dev/null || fail "B pulls updates"
[ "$(lq B "select count(*) from feedback where text='Changed text'")" = 3 ] || fail "B did not pull updated evidence"
ok "re-import updates undecided cases only, and consoles pull the change"

# A pull bigger than one local chunk (500 rows) arrives whole, with the cursor at the end.
upstream_cases 100 1299
fb C sync --once >"$T/out" || fail "C big pull"
[ "$(lq C "select count(*) from \"case\"")" = 1205 ] || fail "C has $(lq C 'select count(*) from "case"') cases"
fb C sync --once >"$T/out" || fail "C second pull"
grep -q "pulled 0 cases" "$T/out" || fail "big pull repeated: $(cat "$T/out")"
ok "a pull of 1,200 cases commits in chunks and completes"
