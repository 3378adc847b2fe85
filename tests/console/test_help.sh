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
    grep -q -- " $action " "$T/help.txt" || grep -q -- " $action\$" "$T/help.txt" || fail "help does not list $action"
    line=$(grep -m1 -- " $action " "$T/help.txt" || true)
    case "$line" in *"$key"*) ;; *) fail "help does not show key $key for $action: $line" ;; esac
done
reject "$T/closed.txt" "Help — keys"
expect "$T/closed.txt" "Queue open"
