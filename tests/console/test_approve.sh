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
:save-display $T/refused.txt
:goto C-1006
r
:save-display $T/refused-r.txt
EOS
expect_queue "$T/pending.txt" "pending approval" 2
expect "$T/refused.txt" "C-1002"
grep -q "was proposed by" "$T/refused.txt" || { cat "$T/refused.txt"; fail "no refusal shown to the proposer"; }
[ "$(sql "SELECT approval FROM decision WHERE case_id='C-1002'")" = "pending" ] || fail "proposer's approval was saved"
# Hints come from whether a key applies: the proposer is not offered a or r (four eyes),
# and nobody is offered a decision on a block waiting for approval.
h=$(hints "$T/pending.txt")
reject "$h" "a approve"
reject "$h" "r send back"
reject "$h" "y accept"
reject "$h" "d dismiss"
# The proposer's `r` is refused before any prompt opens (the script's next line is not
# typed into a rationale prompt).
grep -q "was proposed by" "$T/refused-r.txt" || { cat "$T/refused-r.txt"; fail "r asked before checking"; }

REVIEWER=bob run_script <<EOS
:queue pending
:goto C-1002
:save-display $T/summary-pending.txt
a
:save-display $T/approve-dialog.txt
y
:save-display $T/approved.txt
:goto C-1006
r
<Enter>
:save-display $T/noreason.txt
r
Looks like a trial task, not a trade<Enter>
:save-display $T/sendback-dialog.txt
n
:save-display $T/sendback-cancelled.txt
r
Looks like a trial task, not a trade<Enter>
y
:save-display $T/sentback.txt
EOS
# Judging what is shown: the proposer, the rationale and the notice, in Summary and in the
# dialog (with the evidence); `r` asks for confirmation as `a` does.
expect "$T/summary-pending.txt" "Proposed: block"
expect "$T/summary-pending.txt" "by alice"
expect "$T/summary-pending.txt" "Rationale: Refund for stars"
expect "$T/summary-pending.txt" "Notice: "
# The hint line offers a and r on a block waiting for approval, and only there.
expect "$T/summary-pending.txt" "a approve  r send back"
h=$(hints "$T/summary-pending.txt")
for k in "y accept" "e educate" "s suspend" "b block" "d dismiss" "x escalate"; do reject "$h" "$k"; done
expect "$T/approve-dialog.txt" "Approve block — y confirms"
expect "$T/approve-dialog.txt" "Rationale: Refund for stars"
expect "$T/approve-dialog.txt" "Evidence:"
# The box is drawn over whole rows: nothing of the panes behind shows at its edges (80x24).
python3 - "$T/approve-dialog.txt" <<'PY' || fail "the pane behind shows beside the dialog"
import sys
rows = open(sys.argv[1], encoding="utf-8").read().split("\n")
top = next(i for i, r in enumerate(rows) if "y confirms" in r)
end = next(i for i, r in enumerate(rows) if "y or Enter: confirm" in r)
bad = [r for r in rows[top:end + 1] if r[:2].strip() or len(r.rstrip()) > 78]
sys.exit(1 if bad or not rows[top - 1].strip() == "" else 0)
PY
expect "$T/approved.txt" "approved: block of C-1002"
expect "$T/noreason.txt" "needs a reason"
expect "$T/sendback-dialog.txt" "Send back block — y confirms"
expect "$T/sendback-dialog.txt" "Sent back because: Looks like a trial task"
expect "$T/sendback-cancelled.txt" "cancelled; nothing saved"
expect "$T/sentback.txt" "sent back: block of C-1006"
[ "$(sql "SELECT approval||' '||approved_by FROM decision WHERE case_id='C-1002'")" = "approved bob" ] || fail "C-1002 not approved by bob"
[ "$(sql "SELECT status FROM \"case\" WHERE id='C-1002'")" = "decided" ] || fail "C-1002 not decided"
[ "$(sql "SELECT approval FROM decision WHERE case_id='C-1006'")" = "rejected" ] || fail "C-1006 not sent back"
# The case view says where each block stands, in the words of the export and `show`.
REVIEWER=carol run_script <<EOS
:queue decided
:goto C-1002
:save-display $T/view-approved.txt
:queue open
:goto C-1006
:save-display $T/view-sentback.txt
EOS
expect "$T/view-approved.txt" "Approval approved by bob"
reject "$T/view-approved.txt" "a approve"
expect "$T/view-sentback.txt" "Approval sent_back by bob — Looks like"

# An appealed case shows the appeal text and the decision appealed in Summary (in the
# appeals queue: the cursor is the case, so it is opened where it is listed).
dec=$(sql "SELECT id FROM decision WHERE case_id='C-1002' AND undone_at IS NULL")
"$FB" --db "$DB" --reviewer carol appeal "$dec" --text "I never paid anyone for a review" >/dev/null ||
    fail "appeal"
REVIEWER=dave run_script <<EOS
:queue appeals
:goto C-1002
:save-display $T/view-appealed.txt
EOS
expect "$T/view-appealed.txt" "Appeal received"
expect "$T/view-appealed.txt" "never paid anyone for a review"
expect "$T/view-appealed.txt" "Appealed: block (paid_feedback) by"
expect "$(hints "$T/view-appealed.txt")" "d dismiss"
# The reviewer whose decision is appealed is not offered a decision on the appeal
# (appeal separation): the hint line goes by whether the key applies to them.
REVIEWER=alice run_script <<EOS
:queue appeals
:goto C-1002
:save-display $T/own-appeal.txt
EOS
expect "$T/own-appeal.txt" "Appeal received"
h=$(hints "$T/own-appeal.txt")
for k in "y accept" "e educate" "s suspend" "b block" "d dismiss" "x escalate"; do reject "$h" "$k"; done

# Deciding the appeal: the confirmation shows the appeal text and the decision appealed.
REVIEWER=dave run_script <<EOS
:queue appeals
:goto C-1002
d
the chat shows no trade<Enter>
:save-display $T/appeal-dialog.txt
n
EOS
expect "$T/appeal-dialog.txt" "Appeal: I never paid anyone"
expect "$T/appeal-dialog.txt" "Appealed: block (paid_feedback) by"
