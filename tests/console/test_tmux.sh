#!/bin/sh
# The real binary in a real terminal (tmux): triage three cases with real keys, quit,
# check the store, and check that the terminal was given back (alternate screen left,
# the shell's own lines visible again). Waits block on the pane's output (tmux_wait in lib.sh).
. "$(dirname "$0")/lib.sh"
make_store
tmux_start 100
# The pty buffers what we type until the shell reads it.
$TM send-keys -t fb "echo before-console; $FB --db '$DB' --reviewer alice; echo FBEXIT=\$?" Enter
tmux_wait "of 6 ·"
tmux_wait "Recommended:"
# Three cases, two keys each: accept the recommendation, confirm.
$TM send-keys -t fb y
tmux_wait "Decide 1 case"
$TM send-keys -t fb y
tmux_wait "saved: C-1001"
$TM send-keys -t fb y
tmux_wait "Decide 1 case"
$TM send-keys -t fb Enter
tmux_wait "saved: C-1004"
$TM send-keys -t fb y
tmux_wait "Decide 1 case"
$TM send-keys -t fb y
tmux_wait "saved: C-1002"
tmux_wait "of 3 ·"
# A resize of the real terminal is taken in stride.
$TM resize-window -t fb -x 120 -y 40
tmux_wait "6 History"
$TM send-keys -t fb q
tmux_wait "FBEXIT=0"
screen=$($TM capture-pane -p -t fb)
case "$screen" in *"of 3 ·"*) fail "the console's screen is still shown after quitting" ;; esac
case "$screen" in *before-console*) ;; *) fail "the shell's screen was not restored" ;; esac
[ "$($TM display-message -p -t fb '#{alternate_on}')" = "0" ] || fail "the alternate screen is still on"
[ "$(sql "SELECT count(*) FROM decision WHERE reviewer='alice' AND undone_at IS NULL")" = "3" ] ||
    fail "three decisions expected in the store"
[ "$(sql "SELECT group_concat(case_id, ' ') FROM (SELECT case_id FROM decision ORDER BY case_id)")" = "C-1001 C-1002 C-1004" ] ||
    fail "the wrong cases were decided"
# Terminal modes are sane again: the shell echoes what we type.
$TM send-keys -t fb "echo typed-after" Enter
tmux_wait "typed-after"
# SIGTERM while the console runs: the loop sees the flag, the terminal is restored, the
# decisions stay.
$TM send-keys -t fb "clear; $FB --db '$DB' --reviewer alice; echo FBEXIT2=\$?" Enter
tmux_wait "of 3 ·"
fb_pid=$(pane_fb_pid) || exit 1
kill -TERM "$fb_pid"
tmux_wait "FBEXIT2="
tmux_wait "interrupted; every saved decision is kept"
[ "$($TM display-message -p -t fb '#{alternate_on}')" = "0" ] || fail "the alternate screen is still on after SIGTERM"
case "$($TM capture-pane -p -t fb)" in *"of 3 ·"*) fail "the console's screen is still shown after SIGTERM" ;; esac
[ "$(sql "SELECT count(*) FROM decision WHERE undone_at IS NULL")" = "3" ] || fail "decisions lost after SIGTERM"
