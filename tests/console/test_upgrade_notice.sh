#!/bin/sh
# An upgrade that may take a while (the 9 -> 10 index rebuild: about 17 s on a million cases)
# says so on a terminal before anything else happens, once; a pipe or file gets nothing.
. "$(dirname "$0")/lib.sh"
make_store
sql "PRAGMA user_version=9"
# stderr a terminal: script(1) gives the command a pty
script -qec "'$FB' --db '$DB' show C-1001 --json >/dev/null" /dev/null >"$T/tty.out" 2>&1 ||
    { cat "$T/tty.out" >&2; fail "show on a version-9 store"; }
expect "$T/tty.out" "upgrading $DB from schema version 9 to"
[ "$(sql 'PRAGMA user_version')" -gt 9 ] || fail "the store was not upgraded"
# once: the upgraded store is quiet
script -qec "'$FB' --db '$DB' show C-1001 --json >/dev/null" /dev/null >"$T/again.out" 2>&1 || fail "show again"
reject "$T/again.out" "upgrading"
# not a terminal: nothing on stderr
sql "PRAGMA user_version=9"
"$FB" --db "$DB" show C-1001 --json >/dev/null 2>"$T/pipe.err" || { cat "$T/pipe.err" >&2; fail "show from a pipe"; }
reject "$T/pipe.err" "upgrading"
echo "ok: an upgrade is announced on a terminal, once, and never into a pipe"
