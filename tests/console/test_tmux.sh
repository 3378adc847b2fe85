#!/bin/sh
# The real binary in a real terminal (tmux): triage three cases with real keys, quit,
# check the store, and check that the terminal was given back (alternate screen left,
# the shell's own lines visible again). Waits block on the pane's output (see wait_for).
. "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null || fail "tmux is not installed"
make_store
# The real terminal's size, not the pinned one of the scripted tests.
unset LINES COLUMNS
SOCK="fbtest$$"
TM="tmux -L $SOCK -f /dev/null"
cleanup() { $TM kill-server 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT

# Waits until the pane shows the text. Between looks it blocks on the pane's own output
# (tmux pipe-pane into a FIFO we hold open on fd 3): it wakes when the terminal changes,
# never after a fixed time; gives up after 300 wake-ups or 10 s without any output.
wait_for() {
    wakes=0
    while ! $TM capture-pane -p -t fb | grep -qF -- "$1"; do
        wakes=$((wakes + 1))
        if [ $wakes -gt 300 ] || ! timeout 10 dd bs=65536 count=1 of=/dev/null <&3 2>/dev/null; then
            $TM capture-pane -p -t fb >&2
            fail "timed out waiting for \"$1\""
        fi
    done
}

$TM new-session -d -s fb -x 100 -y 30 -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -e TZ=UTC -e HOME="$HOME" \
    -e XDG_STATE_HOME="$XDG_STATE_HOME" -e XDG_CONFIG_HOME="$XDG_CONFIG_HOME" "sh -i"
mkfifo "$T/pane.fifo"
exec 3<>"$T/pane.fifo"   # read-write: the FIFO always has a reader, so the writer never sees EPIPE
$TM pipe-pane -t fb "cat >'$T/pane.fifo'"
# The pty buffers what we type until the shell reads it.
$TM send-keys -t fb "echo before-console; $FB --db '$DB' --reviewer alice; echo FBEXIT=\$?" Enter
wait_for "Queue open 6"
wait_for "Recommended:"
# Three cases, two keys each: accept the recommendation, confirm.
$TM send-keys -t fb y
wait_for "Decide 1 case"
$TM send-keys -t fb y
wait_for "saved: C-1001"
$TM send-keys -t fb y
wait_for "Decide 1 case"
$TM send-keys -t fb Enter
wait_for "saved: C-1004"
$TM send-keys -t fb y
wait_for "Decide 1 case"
$TM send-keys -t fb y
wait_for "saved: C-1002"
wait_for "Queue open 3"
# A resize of the real terminal is taken in stride.
$TM resize-window -t fb -x 120 -y 40
wait_for "6 History"
$TM send-keys -t fb q
wait_for "FBEXIT=0"
screen=$($TM capture-pane -p -t fb)
case "$screen" in *"Queue open"*) fail "the console's screen is still shown after quitting" ;; esac
case "$screen" in *before-console*) ;; *) fail "the shell's screen was not restored" ;; esac
[ "$($TM display-message -p -t fb '#{alternate_on}')" = "0" ] || fail "the alternate screen is still on"
[ "$(sql "SELECT count(*) FROM decision WHERE reviewer='alice' AND undone_at IS NULL")" = "3" ] ||
    fail "three decisions expected in the store"
[ "$(sql "SELECT group_concat(case_id, ' ') FROM (SELECT case_id FROM decision ORDER BY case_id)")" = "C-1001 C-1002 C-1004" ] ||
    fail "the wrong cases were decided"
# Terminal modes are sane again: the shell echoes what we type.
$TM send-keys -t fb "echo typed-after" Enter
wait_for "typed-after"
# SIGTERM while the console runs: the loop sees the flag, the terminal is restored, the
# decisions stay.
$TM send-keys -t fb "clear; $FB --db '$DB' --reviewer alice; echo FBEXIT2=\$?" Enter
wait_for "Queue open 3"
# The console is a descendant of the pane's process, a child or a grandchild: with
# SHELL=/bin/sh, tmux's `sh -c "sh -i"` keeps the outer shell in between.
pane_pid=$($TM display-message -p -t fb '#{pane_pid}')
fb_pid=$(ps -e -o pid=,ppid=,comm= | awk -v top="$pane_pid" '
    { parent[$1] = $2; name[$1] = $3 }
    END { for (p in name) if (name[p] == "fbreview") {
              for (a = parent[p]; a in parent && a != top; a = parent[a]) ;
              if (a == top) print p } }')
[ -n "$fb_pid" ] && [ "$(echo "$fb_pid" | wc -l)" = 1 ] || fail "cannot find the console's process (${fb_pid:-none})"
kill -TERM "$fb_pid"
wait_for "FBEXIT2="
wait_for "interrupted; every saved decision is kept"
[ "$($TM display-message -p -t fb '#{alternate_on}')" = "0" ] || fail "the alternate screen is still on after SIGTERM"
case "$($TM capture-pane -p -t fb)" in *"Queue open"*) fail "the console's screen is still shown after SIGTERM" ;; esac
[ "$(sql "SELECT count(*) FROM decision WHERE undone_at IS NULL")" = "3" ] || fail "decisions lost after SIGTERM"
