#!/bin/sh
# The conflicts queue: two of alice's decisions lost upstream (as sync leaves them: the
# decision 'conflict' with upstream's note and the winner's id in its own field, the
# winner pulled in as a synced decision).
# She sees each winner, accepts one and appeals the other; nothing of hers is erased.
. "$(dirname "$0")/lib.sh"
make_store
for c in C-1001 C-1004; do
    "$FB" --db "$DB" --reviewer alice decide "$c" --accept >"$T/decide.log" 2>&1 || { cat "$T/decide.log"; fail "decide $c"; }
done
d1=$(sql "SELECT id FROM decision WHERE case_id='C-1001'")
d4=$(sql "SELECT id FROM decision WHERE case_id='C-1004'")
w1=11111111-1111-4111-8111-111111111111
w4=44444444-4444-4444-8444-444444444444
sql "DELETE FROM outbox;
     UPDATE decision SET sync_state='conflict', synced_at=2,
            upstream_note='case ' || case_id || ' is already decided: decision '
                          || CASE case_id WHEN 'C-1001' THEN '$w1' ELSE '$w4' END || ' by bob',
            conflict_winner=CASE case_id WHEN 'C-1001' THEN '$w1' ELSE '$w4' END
      WHERE reviewer='alice';
     INSERT INTO decision(id, case_id, reviewer, action, violation, days, rationale, decided_at, sync_state, synced_at)
     VALUES ('$w1', 'C-1001', 'bob', 'education', 'self_hire', NULL, 'first offence', 1763640000000, 'synced', 2),
            ('$w4', 'C-1004', 'bob', 'no_violation', NULL, NULL, 'a real trial task', 1763640000000, 'synced', 2);"
audit0=$(sql "SELECT count(*) FROM audit")

# Not a conflict: the keys are refused by their precondition.
run_script <<EOS
:goto C-1002
A
:save-display $T/refused.txt
EOS
expect "$T/refused.txt" "accept-winner needs a conflicting decision of yours"

# Bob has no conflicts; alice has two.
REVIEWER=bob run_script <<EOS
:queue conflicts
:save-display $T/bob.txt
EOS
expect_queue "$T/bob.txt" "conflicts" 0

run_script <<EOS
:queue conflicts
:save-display $T/queue.txt
6
:save-display $T/history.txt
1
A
y
:save-display $T/accepted.txt
P
<Enter>
:save-display $T/notext.txt
P
The chat shows a trade, not a trial<Enter>
:save-display $T/appeal-dialog.txt
y
:save-display $T/appealed.txt
w
:save-display $T/next.txt
EOS
expect_queue "$T/queue.txt" "conflicts" 2
expect "$T/queue.txt" "Your decision suspension 14"
expect "$T/queue.txt" "conflicted: case C-1001 is"
expect "$T/queue.txt" "Winning decision: education"
expect "$T/queue.txt" "by bob"
expect "$T/queue.txt" "A accept it"
# The hint line offers A and P on a conflict of yours, first.
expect "$T/queue.txt" "A accept winner  P appeal winner"
expect "$T/history.txt" "Your decision suspension 14"
# History rows are data put in words by core (describe.c).
expect "$T/history.txt" "decision alice"
expect "$T/history.txt" "conflict: case C-1001 is already"
expect "$T/accepted.txt" "accepted the winning decision on C-1001"
# The next conflict opens: C-1004, whose winner dismissed the case.
expect "$T/accepted.txt" "Your decision suspension 30"
expect "$T/accepted.txt" "Winning decision: no_violation"
expect "$T/notext.txt" "an appeal needs a text; nothing saved"
expect "$T/appeal-dialog.txt" "Appeal the winning decision — y confirms"
expect "$T/appeal-dialog.txt" "Appeal: The chat shows a trade, not a trial"
expect "$T/appealed.txt" "appealed the winning decision on C-1004"
expect_queue "$T/appealed.txt" "conflicts" 0

[ "$(sql "SELECT conflict_resolution FROM decision WHERE id='$d1'")" = accepted ] || fail "C-1001 not accepted"
[ "$(sql "SELECT conflict_resolution FROM decision WHERE id='$d4'")" = appealed ] || fail "C-1004 not appealed"
[ "$(sql "SELECT count(*) FROM decision WHERE sync_state='conflict' AND upstream_note IS NOT NULL AND conflict_resolved_at IS NOT NULL")" = 2 ] ||
    fail "a conflicting decision lost its state or note"
[ "$(sql "SELECT decision_id || ' ' || text FROM appeal")" = "$w4 The chat shows a trade, not a trial" ] || fail "appeal: $(sql "SELECT * FROM appeal")"
[ "$(sql "SELECT status FROM \"case\" WHERE id='C-1004'")" = appealed ] || fail "C-1004 not in the appeals queue"
[ "$(sql "SELECT status FROM \"case\" WHERE id='C-1001'")" = decided ] || fail "C-1001 changed status"
[ "$(sql "SELECT group_concat(kind, ' ') FROM outbox")" = appeal ] || fail "outbox: $(sql "SELECT kind, ref FROM outbox")"
[ "$(sql "SELECT count(*) FROM audit")" = $((audit0 + 3)) ] || fail "audit entries"
[ "$(sql "SELECT group_concat(kind, ' ') FROM (SELECT kind FROM audit WHERE seq > $audit0 ORDER BY seq)")" = "conflict appeal conflict" ] ||
    fail "audit kinds"
"$FB" --db "$DB" verify >"$T/verify.log" 2>&1 || { cat "$T/verify.log"; fail "audit chain"; }
