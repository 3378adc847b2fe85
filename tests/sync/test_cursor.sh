#!/bin/sh
# The pull cursor never skips a transaction that commits late: a transaction that began
# (and wrote a case) before another one that committed first is still pulled once it ends.
. "$(dirname "$0")/lib.sh"
pg_start
upstream_cases 1 2
fb A sync --once >/dev/null || fail "A sync"
c0=$(lq A "select value from sync_state where key='pull_cursor'")
[ -n "$c0" ] || fail "no cursor saved"

# T1: a slow writer holds an open transaction that already inserted C-LATE.
mkfifo "$T/fifo"
$PSQL <"$T/fifo" >"$T/psql.out" 2>&1 &
ppid=$!
BG_PIDS=$ppid
exec 3>"$T/fifo"
late=$(case_json C-LATE)
echo "BEGIN; INSERT INTO fb_case (id, doc, updated_at) VALUES ('C-LATE', '$late', 0);" >&3
echo "\\! touch $T/late-ready" >&3
wait_for 400 test -f "$T/late-ready" || fail "psql transaction did not start"

# T2: a later transaction commits first.
case_json C-EARLY >"$T/early.jsonl"
"$FB" upstream import "$T/early.jsonl" >/dev/null || fail "import C-EARLY"
[ "$(q "select count(*) from fb_case where id='C-EARLY'")" = 1 ] || fail "C-EARLY not committed"
fb A sync --once >/dev/null || fail "sync while T1 is open"
[ "$(lq A "select count(*) from \"case\" where id='C-LATE'")" = 0 ] || fail "pulled an uncommitted case?"
c1=$(lq A "select value from sync_state where key='pull_cursor'")
ok "while T1 is open the cursor stops at its xid ($c0 -> $c1)"

# T1 commits after the pull above: the next pull still brings it (and C-EARLY).
echo "COMMIT;" >&3
echo "\\q" >&3
exec 3>&-
wait $ppid || fail "psql transaction failed: $(cat "$T/psql.out")"
BG_PIDS=
fb A sync --once >/dev/null || fail "sync after T1 commits"
[ "$(lq A "select count(*) from \"case\" where id in ('C-LATE','C-EARLY')")" = 2 ] || fail "late-committing case skipped"
c2=$(lq A "select value from sync_state where key='pull_cursor'")
[ "$c2" -gt "$c1" ] || fail "cursor did not move on ($c1 -> $c2)"
ok "the late-committing case is pulled by the next sync (cursor $c1 -> $c2)"

# An update of a case moves its xid: consoles pull the change; an aborted write never shows.
$PSQL -c "BEGIN; UPDATE fb_case SET doc = jsonb_set(doc, '{source}', '\"rule:aborted\"') WHERE id = 'C-1'; ROLLBACK;"
$PSQL -c "UPDATE fb_case SET doc = jsonb_set(doc, '{source}', '\"rule:changed\"') WHERE id = 'C-2'"
fb A sync --once >"$T/out" || fail "sync after update"
grep -q "pulled 1 cases" "$T/out" || fail "expected exactly the changed case: $(cat "$T/out")"
[ "$(lq A "select source from \"case\" where id='C-2'")" = "rule:changed" ] || fail "update not pulled"
[ "$(lq A "select source from \"case\" where id='C-1'")" = "rule:fast_feedback" ] || fail "aborted update pulled"
ok "updated rows are pulled again; rolled-back ones never"

# A case upstream that this binary cannot read is skipped and named; it does not stall pulls.
$PSQL -c "INSERT INTO fb_case (id, doc, updated_at) VALUES ('C-ODD', '{\"case_id\":\"C-ODD\"}', 0)"
upstream_cases 50 50
fb A sync --once >"$T/out" 2>"$T/err" || fail "sync with an unreadable case"
grep -q "upstream case C-ODD skipped" "$T/err" || fail "no word about C-ODD: $(cat "$T/err")"
[ "$(lq A "select count(*) from \"case\" where id='C-50'")" = 1 ] || fail "pull stalled behind C-ODD"
ok "an unreadable upstream case is skipped with a message; the pull goes on"
