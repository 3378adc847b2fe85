#!/bin/sh
# Quitting the console while the server keeps its sync query waiting (a lock the DBA
# holds) returns at once: stopping the sync engine cancels the running query. The real
# binary in a real terminal (tmux); the limits are set far beyond the test's patience, so
# only the cancel can end the wait.
. "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null || fail "tmux is not installed"
pg_start
upstream_cases 1 3
fb alice sync --once >/dev/null 2>&1 || fail "alice first sync"
printf '[sync]\nstatement_timeout = 600000\nlock_timeout = 600000\n' >"$T/alice.conf"

# The DBA holds fb_case: every pull waits on the lock.
mkfifo "$T/fifo"
$PSQL <"$T/fifo" >"$T/psql.out" 2>&1 &
ppid=$!
BG_PIDS=$ppid
exec 3>"$T/fifo"
echo "BEGIN; LOCK TABLE fb_case IN ACCESS EXCLUSIVE MODE;" >&3
echo "\\! touch $T/locked" >&3
wait_for 400 test -f "$T/locked" || fail "the lock was not taken"

SOCK="fbquit$$"
TM="tmux -L $SOCK -f /dev/null"
BG_TMUX=1
stop_tmux() { $TM kill-server 2>/dev/null || true; }
trap 'stop_tmux; cleanup' EXIT
$TM new-session -d -s fb -x 120 -y 30 -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -e TZ=UTC -e HOME="$HOME" \
    -e PGPASSFILE="$PGPASSFILE" -e XDG_STATE_HOME="$XDG_STATE_HOME" -e XDG_CONFIG_HOME="$XDG_CONFIG_HOME" \
    -e FBREVIEW_UPSTREAM="$(conn alice)" \
    "$FB --db '$T/alice.db' --reviewer alice --config '$T/alice.conf'; echo \$? >'$T/exit'" ||
    fail "tmux did not start"

# Wait (bounded) until alice's sync query is waiting on the lock upstream.
waiting() {
    [ "$(q "select count(*) from pg_stat_activity where usename = 'alice' and wait_event_type = 'Lock'")" -ge 1 ]
}
wait_for 600 waiting || { $TM capture-pane -p -t fb >&2; fail "the console's sync never waited on the lock"; }
$TM send-keys -t fb q
# The console must be gone within about a second: 25 polls of 50 ms, then it has failed.
exited() { test -s "$T/exit"; }
wait_for 25 exited || { $TM capture-pane -p -t fb >&2; fail "the console did not quit within about a second"; }
[ "$(cat "$T/exit")" = 0 ] || fail "the console exited with $(cat "$T/exit")"
gone() { [ "$(q "select count(*) from pg_stat_activity where usename = 'alice' and state = 'active'")" = 0 ]; }
wait_for 200 gone || fail "alice's query is still running upstream"
ok "quitting the console while the server holds a lock returns within about a second (the query is cancelled)"
echo "ROLLBACK;" >&3
exec 3>&-
wait $ppid
BG_PIDS=
