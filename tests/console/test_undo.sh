#!/bin/sh
# u undoes the reviewer's last unsynced decision after a confirmation showing it (as every
# decision-changing key asks); with none left it says so.
. "$(dirname "$0")/lib.sh"
make_store
run_script <<EOS
u
:save-display $T/nothing.txt
y
y
:save-display $T/decided.txt
u
:save-display $T/undo_dialog.txt
n
:save-display $T/undo_cancel.txt
u
y
:save-display $T/undone.txt
:goto C-1001
:save-display $T/back.txt
EOS
expect "$T/nothing.txt" "nothing to undo"
expect_queue "$T/decided.txt" "open" 5
expect "$T/undo_dialog.txt" "Undo your decision — y confirms"
expect "$T/undo_dialog.txt" "Undo your decision on C-1001"
expect "$T/undo_cancel.txt" "cancelled; nothing changed"
expect "$T/undone.txt" "undone: decision"
expect_queue "$T/undone.txt" "open" 6
case "$(selected "$T/back.txt")" in *C-1001*) ;; *) fail "C-1001 is not back in the open queue" ;; esac
[ "$(sql "SELECT status FROM \"case\" WHERE id='C-1001'")" = "open" ] || fail "C-1001 not open again"
[ "$(sql "SELECT count(*) FROM decision WHERE case_id='C-1001' AND undone_at IS NOT NULL")" = "1" ] || fail "the undone decision row is not kept"
