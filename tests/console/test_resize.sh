#!/bin/sh
# Resizes at any moment: 200x60 uses the room, 80x24 still works, below 80x24 a clear
# message; a resize inside a prompt keeps the prompt.
. "$(dirname "$0")/lib.sh"
make_store
run_script <<EOS
<Resize 200x60>
:save-display $T/big.txt
<Resize 80x24>
:save-display $T/min.txt
<Resize 70x20>
:save-display $T/small.txt
j
<Resize 100x30>
:save-display $T/back.txt
/Ze<Resize 120x40>ta<Enter>
:save-display $T/prompt.txt
y
<Resize 90x26>
:save-display $T/dialog.txt
n
:save-display $T/dialog_closed.txt
EOS
[ "$(wc -l <"$T/big.txt")" -eq 60 ] || fail "200x60 dump does not have 60 lines"
[ "$(wc -l <"$T/min.txt")" -eq 24 ] || fail "80x24 dump does not have 24 lines"
expect "$T/big.txt" "late"                   # the SLA column appears on wide screens
expect "$T/big.txt" "6 History"
expect "$T/min.txt" "C-1001"
[ "$(wc -L <"$T/min.txt")" -le 80 ] || fail "a line is wider than 80 columns"
expect "$T/small.txt" "needs a terminal of at least 80x24; this one is 70x20"
expect "$T/back.txt" "C-1001"
[ "$(wc -l <"$T/back.txt")" -eq 30 ] || fail "100x30 dump does not have 30 lines"
case "$(selected "$T/prompt.txt")" in *C-1004*) ;; *) fail "search typed across a resize did not find C-1004" ;; esac
expect "$T/dialog.txt" "Decide 1 case"
expect "$T/dialog.txt" "y or Enter: confirm"
[ "$(wc -l <"$T/dialog.txt")" -eq 26 ] || fail "the dialog was not redrawn at 90x26"
[ "$(wc -L <"$T/dialog.txt")" -le 90 ] || fail "the dialog is wider than 90 columns after the resize"
reject "$T/dialog_closed.txt" "Decide 1 case"
