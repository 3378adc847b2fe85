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
# The line of a dump holding the queue cursor.
selected() { grep -m1 '^>' "$1" || true; }
sql() { sqlite3 "$DB" "$1"; }
