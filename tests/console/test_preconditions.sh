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
