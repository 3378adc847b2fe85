#!/bin/sh
# The rejected queue: a decision upstream rejected (as sync leaves it: sync_state
# 'rejected' with upstream's reason, the case back to its status before) is counted in the
# status line, waits in the rejected queue with the reason and what to do, and D discards
# it (recorded; nothing goes upstream; the decision itself stays on record).
. "$(dirname "$0")/lib.sh"
make_store
"$FB" --db "$DB" --reviewer alice decide C-1001 --accept >"$T/decide.log" 2>&1 || { cat "$T/decide.log"; fail "decide"; }
d=$(sql "SELECT id FROM decision WHERE case_id='C-1001'")
sql "DELETE FROM outbox;
     UPDATE decision SET sync_state='rejected', synced_at=2, upstream_note='case C-1001 is not upstream' WHERE id='$d';
     UPDATE \"case\" SET status='open' WHERE id='C-1001';"
audit0=$(sql "SELECT count(*) FROM audit")
run_script <<EOS
:save-display $T/start.txt
:queue rejected
:save-display $T/queue.txt
D
n
:save-display $T/cancelled.txt
D
y
:save-display $T/discarded.txt
EOS
expect "$T/start.txt" "1 rejected"
expect_queue "$T/queue.txt" "rejected" 1
expect "$T/queue.txt" "was rejected upstream:"
expect "$T/queue.txt" "case C-1001 is not upstream"
expect "$T/queue.txt" "open, or D discard it."
expect "$T/cancelled.txt" "cancelled; nothing saved"
expect "$T/discarded.txt" "discarded your rejected decision on C-1001"
expect_queue "$T/discarded.txt" "rejected" 0
[ "$(sql "SELECT sync_state || ' ' || rejection_answer FROM decision WHERE id='$d'")" = "rejected discarded" ] ||
    fail "the rejection is not answered: $(sql "SELECT sync_state, rejection_answer FROM decision")"
[ "$(sql "SELECT count(*) FROM audit")" = $((audit0 + 1)) ] || fail "the discard is not audited"
[ "$(sql "SELECT count(*) FROM outbox")" = 0 ] || fail "a discard went to the outbox"
# Another reviewer has nothing to discard there.
REVIEWER=bob run_script <<EOS
:goto C-1001
D
:save-display $T/bob.txt
EOS
# The message is long: at 80 columns it wraps onto the hint line.
expect "$T/bob.txt" "discard needs a decision of yours that upstream"
