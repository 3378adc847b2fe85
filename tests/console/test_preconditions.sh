#!/bin/sh
# Preconditions are checked once by the dispatcher from the keymap table's flags.
. "$(dirname "$0")/lib.sh"
run_script <<EOS
y
:save-display $T/nocase.txt
u
:save-display $T/noundo.txt
n
:save-display $T/nohits.txt
Z
:save-display $T/unbound.txt
EOS
expect "$T/nocase.txt" "accept needs a case: this queue is empty"
expect "$T/nocase.txt" "(no cases in this queue)"
expect "$T/noundo.txt" "nothing to undo"
expect "$T/nohits.txt" "no search hits"
expect "$T/unbound.txt" "Z is not bound here"
make_store
run_script <<EOS
a
:save-display $T/notpending.txt
EOS
expect "$T/notpending.txt" "approve needs a block waiting for approval"

# A decision the workflow refuses is refused before any prompt opens: a case waiting for
# approval moves only by `a`/`r`, so `s` on it names the refusal at once instead of
# asking for the days first (the old order: prompt, then refusal).
run_script <<EOS
:goto C-1002
b
Refund for stars<Enter>
y
:queue pending
s
:save-display $T/refused-s.txt
EOS
expect "$T/refused-s.txt" "C-1002"
reject "$T/refused-s.txt" "suspension days"
grep -q "pending_approval\|pending approval\|waiting" "$T/refused-s.txt" ||
    { cat "$T/refused-s.txt"; fail "no refusal shown before the days prompt"; }
# The refusal names console keys, not CLI commands.
tr '\n' ' ' <"$T/refused-s.txt" | tr -s ' ' | grep -q "another reviewer: a approves, r sends back" ||
    { cat "$T/refused-s.txt"; fail "the refusal does not name the console's keys"; }
reject "$T/refused-s.txt" "fbreview approve"
[ "$(sql "SELECT count(*) FROM decision WHERE case_id='C-1002' AND action='suspension'")" = 0 ] ||
    fail "a suspension was saved on a case waiting for approval"
