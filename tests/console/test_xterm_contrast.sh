#!/bin/sh
# The selected row must read in a real terminal: the console runs in xterm under Xvfb (8
# colours, 256 colours, NO_COLOR), a screenshot is taken once the console has drawn (it
# writes a marker with :save-display; the screenshot is polled until the row shows), and
# the contrast ratio of the selected row's text against its background is measured from
# the pixels (WCAG 2 relative luminance): at least 4.5:1, with the queue focused and not.
. "$(dirname "$0")/lib.sh"
for tool in Xvfb xterm import python3; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing: run scripts/deps.sh (xvfb, xterm, imagemagick)"
done
make_store
CW=6 CH=13 BORDER=2      # xterm's 6x13 font, internal border 2, at +0+0 with no window border
mkfifo "$T/dfd"
# Xvfb writes its display number to fd 5 once it accepts clients: a blocking read waits for
# exactly that (EOF if Xvfb dies first).
Xvfb -displayfd 5 -screen 0 640x400x24 -nolisten tcp -br 5>"$T/dfd" 2>"$T/xvfb.log" &
XPID=$!
trap 'kill $XPID 2>/dev/null; rm -rf "$T"' EXIT
read -r dnum <"$T/dfd" || { cat "$T/xvfb.log" >&2; fail "Xvfb exited before it was ready"; }
echo "$dnum" >"$T/display"
DISPLAY=:$(cat "$T/display")
export DISPLAY

# measure NAME TERM NO_COLOR KEYS: runs the console in xterm, sends KEYS, returns the ratio.
measure() {
    name=$1 term=$2 nocolor=$3 keys=$4
    rm -f "$T/keys" "$T/$name.txt" "$T/$name.fifo"
    mkfifo "$T/keys" "$T/$name.fifo"
    exec 4<>"$T/keys"      # read-write: never blocks, and keeps the console's script open
    env NO_COLOR="$nocolor" FBREVIEW_SCRIPT_TTY=1 xterm -geometry 80x24+0+0 -bw 0 -fn 6x13 -tn "$term" \
        -xrm 'XTerm*internalBorder: 2' -e "$FB" --db "$DB" --reviewer alice --script "$T/keys" 2>"$T/xterm.log" &
    xt=$!
    printf '%s\n:save-display %s\n' "$keys" "$T/$name.fifo" >&4
    # The dump goes into a FIFO: reading it blocks until the console has written it whole
    # (EOF when it closes the file), so nothing is polled.
    timeout 20 cat "$T/$name.fifo" >"$T/$name.txt" && [ -s "$T/$name.txt" ] ||
        { cat "$T/xterm.log" >&2; fail "$name: the console never wrote its dump"; }
    row=$(grep -n -m1 '^>' "$T/$name.txt" | cut -d: -f1)
    [ -n "$row" ] || { cat "$T/$name.txt" >&2; fail "$name: no selected row in the dump"; }
    row=$((row - 1))
    # The dump is written before the terminal has painted: poll the screenshot for the row.
    n=0
    while :; do
        import -window root -depth 8 "ppm:$T/$name.ppm" 2>>"$T/import.log" || { cat "$T/import.log" >&2; fail "$name: import failed"; }
        rc=0
        out=$(python3 "$ROOT/tests/console/contrast.py" "$T/$name.ppm" "$row" 3 38 $CW $CH $BORDER) || rc=$?
        [ $rc -eq 0 ] && break
        [ $rc -eq 2 ] || fail "$name: contrast.py failed"
        n=$((n + 1)); [ $n -lt 100 ] || fail "$name: the selected row never showed in the screenshot"
    done
    printf ':q\n' >&4
    exec 4>&-
    # xterm is our child: wait returns when the console has quit and xterm has gone
    wait $xt || { cat "$T/xterm.log" >&2; fail "$name: xterm exited with an error"; }
    set -- $out
    printf '    %-22s contrast %s (text %s on %s)\n' "$name" "$1" "$2" "$3"
    awk -v r="$1" 'BEGIN { exit !(r >= 4.5) }' || fail "$name: the selected row's contrast $1 is below 4.5:1 (text $2 on $3)"
    # Not the terminal's own black on white: the cursor row has colours (or reverse video) of its own.
    [ "$3" != "#ffffff" ] || fail "$name: the selected row is not highlighted"
}

measure focus-256 xterm-256color "" ""
measure selected-256 xterm-256color "" "<Tab>"
measure focus-8 xterm "" ""
measure selected-8 xterm "" "<Tab>"
measure focus-nocolor xterm-256color 1 ""
measure selected-nocolor xterm-256color 1 "<Tab>"
