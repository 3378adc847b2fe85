#!/bin/sh
# A proposed block: its proposer is refused (the workflow's message); another reviewer
# approves it; a third case is sent back with a rationale.
. "$(dirname "$0")/lib.sh"
make_store
run_script <<EOS
:goto C-1002
b
Refund for stars<Enter>
y
:goto C-1006
b
Free work for a review<Enter>
y
:queue pending
:save-display $T/pending.txt
a
y
:save-display $T/refused.txt
EOS
expect "$T/pending.txt" "Queue pending approval 2"
expect "$T/refused.txt" "C-1002"
grep -q "was proposed by" "$T/refused.txt" || { cat "$T/refused.txt"; fail "no refusal shown to the proposer"; }
[ "$(sql "SELECT approval FROM decision WHERE case_id='C-1002'")" = "pending" ] || fail "proposer's approval was saved"

REVIEWER=bob run_script <<EOS
:queue pending
:goto C-1002
a
y
:save-display $T/approved.txt
:goto C-1006
r
<Enter>
:save-display $T/noreason.txt
r
Looks like a trial task, not a trade<Enter>
:save-display $T/sentback.txt
EOS
expect "$T/approved.txt" "approved: block of C-1002"
expect "$T/noreason.txt" "needs a rationale"
expect "$T/sentback.txt" "sent back: block of C-1006"
[ "$(sql "SELECT approval||' '||approved_by FROM decision WHERE case_id='C-1002'")" = "approved bob" ] || fail "C-1002 not approved by bob"
[ "$(sql "SELECT status FROM \"case\" WHERE id='C-1002'")" = "decided" ] || fail "C-1002 not decided"
[ "$(sql "SELECT approval FROM decision WHERE case_id='C-1006'")" = "rejected" ] || fail "C-1006 not sent back"
# The case view says where each block stands, in the words of the export and `show`.
REVIEWER=carol run_script <<EOS
:goto C-1002
:save-display $T/view-approved.txt
:goto C-1006
:save-display $T/view-sentback.txt
EOS
expect "$T/view-approved.txt" "Approval approved by bob"
expect "$T/view-sentback.txt" "Approval sent_back by bob — Looks like"
