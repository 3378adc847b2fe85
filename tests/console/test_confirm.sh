#!/bin/sh
# Every key that changes a decision asks for confirmation the same way: a box titled
# "… — y confirms" showing what will happen, "y or Enter: confirm · n or Esc: cancel" at
# its foot, and n saves nothing ("cancelled"). Any prompt the key needs (days, a
# rationale, a code, a reason, an appeal's text) comes before the box, and only once the
# action is allowed. Keys: y e s b d x (decide), a r (a block waiting for approval), u
# (undo), A P (a decision that lost upstream), D (a decision upstream rejected).
. "$(dirname "$0")/lib.sh"
make_store
"$FB" --db "$DB" --reviewer alice decide C-1002 block --violation paid_feedback --rationale "Refund for stars" \
    >/dev/null 2>&1 || fail "alice proposes a block on C-1002"
"$FB" --db "$DB" --reviewer alice decide C-1004 --accept >/dev/null 2>&1 || fail "alice decides C-1004"
w4=44444444-4444-4444-8444-444444444444
sql "DELETE FROM outbox WHERE ref IN (SELECT id FROM decision WHERE case_id='C-1004');
     UPDATE decision SET sync_state='conflict', synced_at=2,
            upstream_note='case C-1004 is already decided: decision $w4 by carol'
      WHERE case_id='C-1004' AND reviewer='alice';
     INSERT INTO decision(id, case_id, reviewer, action, violation, days, rationale, decided_at, sync_state, synced_at)
     VALUES ('$w4', 'C-1004', 'carol', 'no_violation', NULL, NULL, 'a real trial task', 1796382000000, 'synced', 2);" ||
    fail "cannot set up the conflict"
"$FB" --db "$DB" --reviewer dave decide C-1005 --accept >/dev/null 2>&1 || fail "dave decides C-1005"
sql "DELETE FROM outbox WHERE ref IN (SELECT id FROM decision WHERE case_id='C-1005');
     UPDATE decision SET sync_state='rejected', synced_at=2, upstream_note='case C-1005 is not upstream'
      WHERE case_id='C-1005' AND reviewer='dave';
     UPDATE \"case\" SET status='open' WHERE id='C-1005';" || fail "cannot set up the rejection"
"$FB" --db "$DB" --reviewer bob decide C-1003 no_violation >/dev/null 2>&1 || fail "bob decides C-1003"
state() { sql "SELECT (SELECT count(*) FROM decision WHERE undone_at IS NULL) || ' ' ||
                      (SELECT count(*) FROM audit) || ' ' || (SELECT count(*) FROM appeal) || ' ' ||
                      (SELECT group_concat(id || status) FROM \"case\")"; }

n=0
# check REVIEWER QUEUE CASE KEY INPUT...: the key (and its prompts' answers), the box, then n.
check() {
    who=$1 queue=$2 case=$3 key=$4
    shift 4
    n=$((n + 1))
    before=$(state)
    {
        echo ":queue $queue"
        echo ":goto $case"
        echo "$key"
        for line in "$@"; do echo "$line"; done
        echo ":save-display $T/box$n.txt"
        echo "n"
        echo ":save-display $T/after$n.txt"
    } >"$T/script"
    "$FB" --db "$DB" --reviewer "$who" --script "$T/script" 2>"$T/stderr" ||
        { cat "$T/stderr" >&2; fail "console exited ($who, $key)"; }
    grep -q " — y confirms" "$T/box$n.txt" || { cat "$T/box$n.txt"; fail "$key on $case: no confirmation box"; }
    expect "$T/box$n.txt" "y or Enter: confirm · n or Esc: cancel"
    expect_msg "$T/after$n.txt" "cancelled; nothing"
    [ "$(state)" = "$before" ] || fail "$key on $case: n saved something"
}
check bob open C-1001 y
check bob open C-1001 e "not the ladder's step<Enter>"
check bob open C-1001 s "<Enter>"
check bob open C-1001 b "serious enough<Enter>"
check bob open C-1001 d "nothing happened<Enter>"
check bob open C-1001 x "for the lead<Enter>"
check bob pending C-1002 a
check bob pending C-1002 r "looks like a trial task<Enter>"
check bob decided C-1003 u
check alice conflicts C-1004 A
check alice conflicts C-1004 P "the chat shows a real trade<Enter>"
check dave rejected C-1005 D
echo "  ok: $n decision-changing keys each ask y/n the same way and n saves nothing"
