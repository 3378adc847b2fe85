# Shared by the console tests (sourced). A private HOME and XDG dirs, a pinned terminal,
# the real binary on a real SQLite store built from tests/data/console_cases.jsonl.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# The binary under test: the Makefile passes its build's (build-san/ under SANITIZE=1).
FB=${FB_BIN:-$ROOT/build/fbreview}
T=$(mktemp -d "${TMPDIR:-/tmp}/fbconsole.XXXXXX")
trap 'rm -rf "$T"' EXIT
export HOME="$T/home" XDG_CONFIG_HOME="$T/config" XDG_DATA_HOME="$T/data" XDG_STATE_HOME="$T/state"
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC TERM=xterm-256color LINES=24 COLUMNS=80
unset NO_COLOR FBREVIEW_SCRIPT FBREVIEW_DB FBREVIEW_REVIEWER FBREVIEW_TIMING FBREVIEW_UPSTREAM 2>/dev/null || true
mkdir -p "$HOME"
DB="$T/fb.db"
REVIEWER=alice

fail() { echo "FAIL ($(basename "$0")): $*" >&2; exit 1; }

# The store: `fbreview import` of the fixture. Risk order after import:
# C-1001 100, C-1004 100, C-1002 85, C-1006 70, C-1005 50, C-1003 0.
make_store() {
    "$FB" --db "$DB" import "$ROOT/tests/data/console_cases.jsonl" >"$T/import.log" 2>&1 ||
        { cat "$T/import.log" >&2; fail "import failed"; }
}

# Runs the console with the script read from stdin; extra args go before --script.
run_script() {
    cat >"$T/script"
    "$FB" --db "$DB" --reviewer "$REVIEWER" "$@" --script "$T/script" 2>"$T/stderr" ||
        { cat "$T/stderr" >&2; fail "console exited with $?"; }
}

expect() { grep -qF -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "expected \"$2\" in $(basename "$1")"; }; }
reject() { if grep -qF -- "$2" "$1"; then echo "--- $1:" >&2; cat "$1" >&2; fail "did not expect \"$2\" in $(basename "$1")"; fi; }
# expect_msg FILE TEXT: the status message, read as the reviewer reads it — a message too
# long for the status line wraps over the hint line, so the last two lines are joined
# (runs of spaces count as one, in TEXT too).
expect_msg() {
    want=$(printf '%s' "$2" | tr -s ' ')
    tail -n 2 "$1" | tr '\n' ' ' | tr -s ' ' | grep -qF -- "$want" ||
        { echo "--- $1:" >&2; cat "$1" >&2; fail "expected the message \"$2\" in $(basename "$1")"; }
}
# The queue pane's title: "Queue WORDS · n of N ·" (N counts the queue under its filter;
# a narrow pane leaves out "Queue" and a dot).
expect_queue() {
    grep -Eq "(Queue )?$2( ·)? [0-9]+ of $3 ·" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "expected queue $2 of $3 in $(basename "$1")"; }
}
# The hint line of a dump (the last but one line), for expect/reject.
hints() { tail -n 2 "$1" | head -n 1 >"$1.hints"; echo "$1.hints"; }
# The line of a dump holding the queue cursor.
selected() { grep -m1 '^>' "$1" || true; }
sql() { sqlite3 "$DB" "$1"; }

# tmux_start COLS: the real binary's terminal for the tmux tests — a private tmux server
# with one pane of COLS x 30 running `sh -i` (killed on exit), its output piped into a FIFO
# held open on fd 3 (read-write: the writer never sees EPIPE) so tmux_wait can block on it.
tmux_start() {
    command -v tmux >/dev/null || fail "tmux is not installed"
    unset LINES COLUMNS   # the real terminal's size, not the pinned one of the scripted tests
    TM="tmux -L fbtest$$ -f /dev/null"
    trap '$TM kill-server 2>/dev/null || true; rm -rf "$T"' EXIT
    $TM new-session -d -s fb -x "$1" -y 30 -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -e TZ=UTC -e HOME="$HOME" \
        -e XDG_STATE_HOME="$XDG_STATE_HOME" -e XDG_CONFIG_HOME="$XDG_CONFIG_HOME" "sh -i"
    mkfifo "$T/pane.fifo"
    exec 3<>"$T/pane.fifo"
    $TM pipe-pane -t fb "cat >'$T/pane.fifo'"
}

# tmux_wait TEXT: until the pane shows TEXT. Between looks it blocks on the pane's own
# output: it wakes when the terminal changes, never after a fixed time; gives up after
# 300 wake-ups or 10 s without any output.
tmux_wait() {
    wakes=0
    while ! $TM capture-pane -p -t fb | grep -qF -- "$1"; do
        wakes=$((wakes + 1))
        if [ $wakes -gt 300 ] || ! timeout 10 dd bs=65536 count=1 of=/dev/null <&3 2>/dev/null; then
            $TM capture-pane -p -t fb >&2
            fail "timed out waiting for \"$1\""
        fi
    done
}

# The console's pid in the tmux pane: a descendant of the pane's process, a child or a
# grandchild (with SHELL=/bin/sh, tmux's `sh -c "sh -i"` keeps the outer shell in between).
pane_fb_pid() {
    pane_pid=$($TM display-message -p -t fb '#{pane_pid}')
    fb_pid=$(ps -e -o pid=,ppid=,comm= | awk -v top="$pane_pid" '
        { parent[$1] = $2; name[$1] = $3 }
        END { for (p in name) if (name[p] == "fbreview") {
                  for (a = parent[p]; a in parent && a != top; a = parent[a]) ;
                  if (a == top) print p } }')
    [ -n "$fb_pid" ] && [ "$(echo "$fb_pid" | wc -l)" = 1 ] || fail "cannot find the console's process (${fb_pid:-none})"
    echo "$fb_pid"
}
