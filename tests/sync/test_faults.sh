#!/bin/sh
# Faults: a crash between upstream's commit and the local answer, a crash after marking
# rows in flight, the connection cut mid-batch, the server stopped and started under
# --watch. Nothing is lost and nothing is applied twice.
. "$(dirname "$0")/lib.sh"
# The crash points and the mid-batch hook exist only in the test build.
FB=${FB_BIN_TEST:-$FB_ROOT/build/fbreview-test}
pg_start
upstream_cases 1 40
fb A sync --once >/dev/null || fail "A sync"

decide_range() {   # decide_range FIRST LAST: A accepts the recommendation on C-FIRST..C-LAST
    ids=""; i=$1
    while [ "$i" -le "$2" ]; do ids="$ids C-$i"; i=$((i + 1)); done
    fb A decide $ids --accept >"$T/d.out" 2>&1 || { cat "$T/d.out"; fail "decide $1..$2"; }
}

# 1. Crash after upstream committed, before the local answer.
decide_range 1 3
if FBREVIEW_SYNC_CRASH_AFTER=upstream_commit fb A sync --once >/dev/null 2>&1; then fail "no crash"; fi
[ "$(q "select count(*) from fb_decision where outcome='accepted'")" = 3 ] || fail "upstream did not commit"
[ "$(lq A "select count(*) from outbox where sent_at is not null")" = 3 ] || fail "rows not in flight after crash"
[ "$(lq A "select count(*) from decision where sync_state='pending'")" = 3 ] || fail "answered before upstream commit?"
fb A sync --once >"$T/out" || fail "sync after crash"
grep -q "accepted 3" "$T/out" || fail "re-push answer: $(cat "$T/out")"
[ "$(q "select count(*) from fb_decision")" = 3 ] || fail "duplicates upstream"
[ "$(lq A "select count(*) from decision where sync_state='synced'")" = 3 ] || fail "not synced after re-push"
[ "$(lq A "select count(*) from outbox")" = 0 ] || fail "outbox not empty"
ok "crash after upstream commit: re-push, no duplicate"

# 2. Crash after marking in flight, before sending.
decide_range 4 5
if FBREVIEW_SYNC_CRASH_AFTER=mark_sent fb A sync --once >/dev/null 2>&1; then fail "no crash"; fi
[ "$(q "select count(*) from fb_decision")" = 3 ] || fail "sent despite crash"
fb A sync --once >/dev/null || fail "sync after crash 2"
[ "$(q "select count(*) from fb_decision")" = 5 ] || fail "in-flight rows not re-pushed"
[ "$(lq A "select count(*) from decision where sync_state='synced'")" = 5 ] || fail "not synced (2)"
ok "crash after marking in flight: pushed on the next sync"

# 3. The connection is cut in the middle of the second batch (pg_terminate_backend).
decide_range 6 30
kill_cmd="psql -X -q -h $T -p $PGPORT -U postgres -d postgres -c \"select pg_terminate_backend(pid) from pg_stat_activity where pid <> pg_backend_pid() and backend_type = 'client backend'\" >/dev/null"
FBREVIEW_SYNC_BATCH=10 FBREVIEW_SYNC_HOOK_BATCH=2 FBREVIEW_SYNC_HOOK_CMD="$kill_cmd" \
    fb A sync --once >"$T/out" 2>"$T/err" || fail "no recovery after the cut: $(cat "$T/err")"
grep -q "retrying in" "$T/err" || fail "the cut went unnoticed: $(cat "$T/err")"
grep -q "pushed 25 (accepted 25" "$T/out" || fail "after the cut: $(cat "$T/out")"
[ "$(q "select count(*) from fb_decision where outcome='accepted'")" = 30 ] || fail "lost decisions after cut"
[ "$(q "select count(*) from fb_decision")" = 30 ] || fail "duplicates after cut"
[ "$(lq A "select count(*) from decision where sync_state='synced'")" = 30 ] || fail "not synced after cut"
ok "connection cut mid-batch: noticed, reconnected with backoff, the batch went again; no loss, no duplicate"

# 4. The server stops and starts while --watch runs.
FBREVIEW_UPSTREAM=$(conn A) FBREVIEW_SYNC_BACKOFF_MAX_MS=200 "$FB" --db "$T/A.db" --reviewer A sync --watch --interval 1 >"$T/w.out" 2>"$T/w.err" &
wpid=$!
BG_PIDS=$wpid
wait_for 400 grep -q "synced" "$T/w.err" || fail "watch never synced"
pg_down
decide_range 31 40
wait_for 400 grep -q "offline" "$T/w.err" || fail "watch did not notice the server going away"
[ "$(lq A "select count(*) from decision where sync_state='pending'")" = 10 ] || fail "pending while offline"
pg_up
outbox_empty() { [ "$(lq A "select count(*) from outbox")" = 0 ]; }
wait_for 600 outbox_empty || fail "watch did not push after restart: $(cat "$T/w.err")"
kill -TERM $wpid
wait $wpid; wrc=$?
BG_PIDS=
[ "$wrc" = 0 ] || fail "watch exit status $wrc"
grep -q "stopped on signal" "$T/w.err" || fail "watch did not stop cleanly"
[ "$(q "select count(*) from fb_decision where outcome='accepted'")" = 40 ] || fail "lost decisions over restart"
[ "$(q "select count(*) from fb_decision")" = 40 ] || fail "duplicates over restart"
ok "server stop/start under --watch: everything pushed after recovery, clean exit on SIGTERM"
