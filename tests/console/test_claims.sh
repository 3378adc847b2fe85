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

# A key the case does not take is refused before the claim is asked about: a block
# waiting for approval, claimed by bob, is not decided by d whatever the claim.
"$FB" --db "$DB" --reviewer carol decide C-1002 block --violation paid_feedback --rationale "stars for refunds" \
    >/dev/null 2>&1 || fail "carol proposes a block"
sql "UPDATE \"case\" SET claim_by='bob', claim_until=strftime('%s','now')*1000 + 3600000 WHERE id='C-1002'"
run_script <<EOS
:queue pending
:goto C-1002
d
:save-display $T/refused.txt
EOS
reject "$T/refused.txt" "is claimed by bob"
expect_msg "$T/refused.txt" "waiting for a second reviewer's approval"
