#!/bin/sh
# Fresh data: while the console runs in a real terminal (tmux), another process (the CLI)
# changes the same store; the idle console notices (PRAGMA data_version) and reads the
# queue, the counts and the case on screen again. Waits block on the pane's output.
. "$(dirname "$0")/lib.sh"
make_store
tmux_start 120
$TM send-keys -t fb "$FB --db '$DB' --reviewer alice; echo FBEXIT=\$?" Enter
tmux_wait "Queue open · 1 of 6 ·"
tmux_wait "C-1001 · "

# Bob escalates the case alice looks at, from the command line.
"$FB" --db "$DB" --reviewer bob decide C-1001 escalate --rationale "needs a lead" >/dev/null ||
    fail "bob's decide"
tmux_wait "Queue open · 1 of 5 ·"
tmux_wait "escalated 1"
tmux_wait "C-1004 · "
# A note on the case on screen shows in its History tab without a key.
$TM send-keys -t fb 6
tmux_wait "6 History"
"$FB" --db "$DB" --reviewer bob note C-1004 "fresh-note-from-bob" >/dev/null || fail "bob's note"
tmux_wait "fresh-note-from-bob"
# Status messages expire: a message shown after a key is gone a few seconds later, with
# no key pressed (the wait blocks on the pane's output; the console redraws when it goes).
$TM send-keys -t fb ":queue mine" Enter
tmux_wait "queue: mine"
wakes=0
while $TM capture-pane -p -t fb | grep -qF "queue: mine"; do
    wakes=$((wakes + 1))
    if [ $wakes -gt 300 ] || ! timeout 15 dd bs=65536 count=1 of=/dev/null <&3 2>/dev/null; then
        $TM capture-pane -p -t fb >&2
        fail "the status message never expired"
    fi
done
$TM send-keys -t fb Q   # quits from anywhere
tmux_wait "FBEXIT=0"
echo "  ok: the console sees another process's decide and note (counts, queue, case); messages expire"
