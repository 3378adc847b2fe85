#!/bin/sh
# The help overlay lists every action of the keymap table with its bound keys.
. "$(dirname "$0")/lib.sh"
make_store
run_script <<EOS
<Resize 120x60>
?
:save-display $T/help.txt
q
:save-display $T/closed.txt
EOS
expect "$T/help.txt" "Help — keys"
# Every binding in the built-in table shows up: the action name, on a line with its key.
grep '^bind = ' "$ROOT/data/keys.conf" | while read -r _ _ key action; do
    # The name column: two spaces, 20 columns of keys, then the name in 14.
    line=$(awk -v a="$action" 'substr($0, 23, 14) ~ ("^" a " *$")' "$T/help.txt" | head -n 1)
    [ -n "$line" ] || fail "help does not list $action"
    case "$line" in *"$key"*) ;; *) fail "help does not show key $key for $action: $line" ;; esac
done
reject "$T/closed.txt" "Help — keys"
expect "$T/closed.txt" "Queue open"
# `fbreview --keys` prints the same table (the manual page's key list is made from it),
# with the config's rebindings applied.
"$FB" --keys >"$T/keys.txt"
# (the actions' rows and the tabs' rows, whose actions FB_TAB_TABLE declares)
[ "$(wc -l <"$T/keys.txt")" -eq "$(grep -c '^    [XT](\(X, TAB_\|ACT_\)' "$ROOT/include/fbreview/keymap.h")" ] ||
    fail "--keys does not list every action"
grep '^bind = ' "$ROOT/data/keys.conf" | while read -r _ _ key action; do
    grep -- " $action " "$T/keys.txt" | grep -qF -- "$key" || fail "--keys lacks $key for $action"
done
# At 80x24 nothing in the help is cut off: a long text goes on below, under its column.
run_script <<EOS
?
:save-display $T/help80.txt
G
:save-display $T/help80-end.txt
EOS
reject "$T/help80.txt" "…"
reject "$T/help80-end.txt" "…"
grep -q "^  <Tab> .*switch between the queue and the evidence$" "$T/help80.txt" || { cat "$T/help80.txt"; fail "help line"; }
grep -q "^                                    pane$" "$T/help80.txt" || { cat "$T/help80.txt"; fail "the help text does not go on under its column"; }
expect "$T/help80-end.txt" "▶ marks the pane that has the keys."

mkdir -p "$XDG_CONFIG_HOME/fbreview"
printf '[keys]\nbind = <F2> accept\n' >"$XDG_CONFIG_HOME/fbreview/config"
"$FB" --keys | grep -- " accept " | grep -qF "<F2>" || fail "--keys ignores the config's bindings"
printf '[keys]\nbind = y accept-all\n' >"$XDG_CONFIG_HOME/fbreview/config"
if "$FB" --db "$DB" --script "$T/keys.txt" 2>"$T/err.txt"; then fail "a bad binding did not stop the console"; fi
grep -q "config:2: bind: unknown action \"accept-all\"" "$T/err.txt" || { cat "$T/err.txt"; fail "bad binding message"; }

