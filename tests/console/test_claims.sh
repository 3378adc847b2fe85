#!/bin/sh
# A case claimed by another reviewer is marked in the queue; deciding it asks first and
# records the override.
. "$(dirname "$0")/lib.sh"
make_store
sql "UPDATE \"case\" SET claim_by='bob', claim_until=strftime('%s','now')*1000 + 3600000 WHERE id='C-1001'"
run_script <<EOS
:save-display $T/queue.txt
y
:save-display $T/ask.txt
n
:save-display $T/cancelled.txt
y
y
:save-display $T/notice.txt
y
:save-display $T/done.txt
EOS
grep -q '^>.@C-1001' "$T/queue.txt" || { cat "$T/queue.txt"; fail "C-1001 is not marked as claimed by someone else"; }
expect "$T/queue.txt" "Status open · risk 100 · claimed by"
expect "$T/ask.txt" "C-1001 is claimed by bob"
expect "$T/cancelled.txt" "cancelled; nothing saved"
expect "$T/notice.txt" "Decide 1 case"
expect "$T/done.txt" "saved: C-1001"
[ "$(sql "SELECT claim_override FROM decision WHERE case_id='C-1001'")" = "1" ] || fail "the claim override is not recorded"
