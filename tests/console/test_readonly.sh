#!/bin/sh
# A store the user may only read: show, stats, export, verify and the console work on it,
# the console says "read-only" in its status line and refuses every key that writes, and
# the store's bytes stay as they were (no -wal, no -shm left). Root may write anything, so
# as root the unprivileged part runs as nobody, on copies in a folder nobody can reach
# (the checkout may be in /root).
. "$(dirname "$0")/lib.sh"
make_store

# 1. --read-only, asked for.
cp "$DB" "$T/before.db"
run_script --read-only <<EOS
:save-display $T/ro.txt
y
:save-display $T/refused.txt
c
:save-display $T/note.txt
EOS
expect "$T/ro.txt" "read-only"
expect "$T/refused.txt" "accept: this console is read-only"
expect "$T/note.txt" "note: this console is read-only"
cmp -s "$DB" "$T/before.db" || fail "--read-only changed the store"
[ ! -e "$DB-wal" ] && [ ! -e "$DB-shm" ] || fail "--read-only left -wal/-shm beside the store"
"$FB" --db "$DB" --read-only decide C-1001 education --violation fake_job >"$T/decide.txt" 2>&1 &&
    fail "decide --read-only succeeded"
expect "$T/decide.txt" "--read-only"
[ "$(sql "SELECT count(*) FROM decision")" = 0 ] || fail "a decision was written"

# 2. A store the user cannot write: read-only is chosen by itself.
if [ "$(id -u)" = 0 ]; then
    command -v runuser >/dev/null && id nobody >/dev/null 2>&1 || { echo "  skip: no runuser/nobody"; exit 0; }
    S=$("$ROOT/tests/shared-tmp.sh" nobody) || { echo "  skip: nobody cannot reach a temp folder"; exit 0; }
    trap 'rm -rf "$T" "$S"' EXIT
    as_user() { runuser -u nobody -- env HOME="$S/home" XDG_CONFIG_HOME="$S/home/c" XDG_DATA_HOME="$S/home/d" \
        XDG_STATE_HOME="$S/home/s" "$@"; }
    mkdir "$S/store" "$S/home"
    chown nobody "$S/home"
else
    S=$(mktemp -d "${TMPDIR:-/tmp}/fbro.XXXXXX")
    trap 'chmod -R u+w "$S" 2>/dev/null; rm -rf "$T" "$S"' EXIT
    as_user() { env HOME="$S/home" XDG_CONFIG_HOME="$S/home/c" XDG_DATA_HOME="$S/home/d" XDG_STATE_HOME="$S/home/s" "$@"; }
    mkdir "$S/store" "$S/home"
fi
cp "$FB" "$S/fbreview"
chmod 755 "$S/fbreview"
cp "$DB" "$S/store/fb.db"
chmod 444 "$S/store/fb.db"
chmod 555 "$S/store"
RO="$S/store/fb.db"
for cmd in "stats" "verify" "show C-1001" "show C-1001 --json" "export -o -"; do
    # shellcheck disable=SC2086
    as_user "$S/fbreview" --db "$RO" $cmd >"$S/home/out.txt" 2>&1 || { cat "$S/home/out.txt" >&2; fail "$cmd on a read-only store"; }
done
as_user "$S/fbreview" --db "$RO" show C-1001 >"$T/show.txt" 2>&1 || fail "show"
expect "$T/show.txt" "C-1001"
as_user "$S/fbreview" --db "$RO" export -o - >"$T/export.csv" 2>&1 || fail "export"
expect "$T/export.csv" "decision_id"
as_user "$S/fbreview" --db "$RO" note C-1001 hello >"$T/note-cli.txt" 2>&1 && fail "note on a read-only store succeeded"
expect "$T/note-cli.txt" "read-only for you"
printf ':save-display %s/home/auto.txt\ny\n:save-display %s/home/auto-y.txt\n' "$S" "$S" >"$S/home/script"
as_user "$S/fbreview" --db "$RO" --reviewer bob --script "$S/home/script" 2>"$T/console.err" ||
    { cat "$T/console.err" >&2; fail "the console on a read-only store"; }
expect "$S/home/auto.txt" "read-only"
expect "$S/home/auto-y.txt" "this console is read-only"
cmp -s "$RO" "$T/before.db" || fail "the read-only store changed"
[ ! -e "$RO-wal" ] && [ ! -e "$RO-shm" ] || fail "-wal/-shm left beside a read-only store"
