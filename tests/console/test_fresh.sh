#!/bin/sh
# Fresh data: while the console runs in a real terminal (tmux), another process (the CLI)
# changes the same store; the idle console notices (PRAGMA data_version) and reads the
# queue, the counts and the case on screen again. Waits block on the pane's output.
. "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null || fail "tmux is not installed"
make_store
unset LINES COLUMNS
SOCK="fbfresh$$"
TM="tmux -L $SOCK -f /dev/null"
cleanup() { $TM kill-server 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT

# Until the pane shows the text: between looks, block on the pane's own output (a FIFO
# from pipe-pane); give up after 300 wake-ups or 10 s without any output.
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

$TM new-session -d -s fb -x 120 -y 30 -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -e TZ=UTC -e HOME="$HOME" \
    -e XDG_STATE_HOME="$XDG_STATE_HOME" -e XDG_CONFIG_HOME="$XDG_CONFIG_HOME" "sh -i"
mkfifo "$T/pane.fifo"
exec 3<>"$T/pane.fifo"
$TM pipe-pane -t fb "cat >'$T/pane.fifo'"
$TM send-keys -t fb "$FB --db '$DB' --reviewer alice; echo FBEXIT=\$?" Enter
wait_for "Queue open 6"
wait_for "C-1001 · "

# Bob escalates the case alice looks at, from the command line.
"$FB" --db "$DB" --reviewer bob decide C-1001 escalate --rationale "needs a lead" >/dev/null ||
    fail "bob's decide"
wait_for "Queue open 5"
wait_for "escalated 1"
wait_for "C-1004 · "
# A note on the case on screen shows in its History tab without a key.
$TM send-keys -t fb 6
wait_for "6 History"
"$FB" --db "$DB" --reviewer bob note C-1004 "fresh-note-from-bob" >/dev/null || fail "bob's note"
wait_for "fresh-note-from-bob"
# Status messages expire: a message shown after a key is gone a few seconds later, with
# no key pressed (the wait blocks on the pane's output; the console redraws when it goes).
$TM send-keys -t fb ":queue mine" Enter
wait_for "queue: mine"
wakes=0
while $TM capture-pane -p -t fb | grep -qF "queue: mine"; do
    wakes=$((wakes + 1))
    if [ $wakes -gt 300 ] || ! timeout 15 dd bs=65536 count=1 of=/dev/null <&3 2>/dev/null; then
        $TM capture-pane -p -t fb >&2
        fail "the status message never expired"
    fi
done
$TM send-keys -t fb Q
$TM send-keys -t fb q
wait_for "FBEXIT=0"
echo "  ok: the console sees another process's decide and note (counts, queue, case); messages expire"
