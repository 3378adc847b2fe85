#!/bin/sh
# Every decision path through the console: accept (two keys), educate, suspend with days,
# block (→ pending approval), dismiss, escalate, the rationale prompt and its cancel, notes.
. "$(dirname "$0")/lib.sh"
make_store
run_script <<EOS
# accept the recommendation for C-1001: y, then y in the confirmation
y
:save-display $T/accept_dialog.txt
y
:save-display $T/accept_done.txt
# suspend C-1004 for 21 days (the ladder's 30 for a repeat is filled in), a rationale for the override
s
:save-display $T/days.txt
<C-u>21<Enter>
:save-display $T/rationale.txt
Same device as the client, repeat<Enter>
:save-display $T/suspend_dialog.txt
<Enter>
:save-display $T/suspend_done.txt
# block C-1002: an override of the recommended suspension, so a rationale; it waits for approval
b
Refund for stars, and a prior education<Enter>
:save-display $T/block_dialog.txt
y
:save-display $T/block_done.txt
# a cancelled rationale saves nothing
:goto C-1005
x
<Esc>
:save-display $T/cancel.txt
# escalate C-1005 with a rationale
x
Threat needs the lead's eyes<Enter>
y
# dismiss C-1003 (its recommendation is no violation)
:goto C-1003
d
:save-display $T/dismiss_dialog.txt
y
:save-display $T/dismiss_done.txt
# educate C-1006 (its recommendation: no rationale needed)
:goto C-1006
e
:save-display $T/educate_dialog.txt
y
# a note on C-1002, then its history
:queue pending
c
Checked the refund with payments<Enter>
6
:save-display $T/history.txt
:export $T/out.csv action=education
:save-display $T/export.txt
:export
:save-display $T/export_usage.txt
:queue mine
:save-display $T/mine.txt
:queue decided
:sort age
:save-display $T/decided.txt
EOS
expect "$T/accept_dialog.txt" "Decide 1 case"
expect "$T/accept_dialog.txt" "C-1001  suspension 14 days (self_hire)"
expect "$T/accept_dialog.txt" "Notice the user gets:"
expect "$T/accept_dialog.txt" "suspended for 14 days"
expect "$T/accept_done.txt" "saved: C-1001 suspension"
case "$(selected "$T/accept_done.txt")" in *C-1004*) ;; *) fail "the next case did not open after saving" ;; esac
expect "$T/days.txt" "suspension days (1-365): 30"
expect "$T/rationale.txt" "rationale (required):"
expect "$T/suspend_dialog.txt" "suspension 21 days (self_hire)"
expect "$T/suspend_dialog.txt" "suspended for 21 days"
expect "$T/suspend_done.txt" "saved: C-1004 suspension"
expect "$T/block_dialog.txt" "→ waits"
expect "$T/block_done.txt" "(waits for approval)"
expect "$T/cancel.txt" "nothing saved"
expect "$T/dismiss_dialog.txt" "No notice is sent for this action."
expect "$T/educate_dialog.txt" "C-1006  education (free_work_for_review)"
expect "$T/dismiss_done.txt" "saved: C-1003 no_violation"
expect "$T/history.txt" "note alice"
expect "$T/history.txt" "Checked the refund with payments"
expect "$T/history.txt" "· awaiting"
# History is typed rows in words: the note once (not again as its audit entry), and no
# raw audit fields (kinds, JSON details).
[ "$(grep -c "Checked the refund with payments" "$T/history.txt")" -eq 1 ] || { cat "$T/history.txt"; fail "the note shows more than once"; }
reject "$T/history.txt" "{\""
reject "$T/history.txt" "audit"

[ "$(sql "SELECT action||' '||coalesce(violation,'-')||' '||coalesce(days,'-')||' '||reviewer FROM decision WHERE case_id='C-1001'")" = "suspension self_hire 14 alice" ] || fail "C-1001 decision"
[ "$(sql "SELECT action||' '||days||' '||overridden||' '||rationale FROM decision WHERE case_id='C-1004'")" = "suspension 21 1 Same device as the client, repeat" ] || fail "C-1004 decision"
[ "$(sql "SELECT status FROM \"case\" WHERE id='C-1002'")" = "pending_approval" ] || fail "C-1002 not pending approval"
[ "$(sql "SELECT approval FROM decision WHERE case_id='C-1002'")" = "pending" ] || fail "C-1002 approval"
[ "$(sql "SELECT status FROM \"case\" WHERE id='C-1005'")" = "escalated" ] || fail "C-1005 not escalated"
[ "$(sql "SELECT count(*) FROM decision WHERE case_id='C-1005'")" = "1" ] || fail "the cancelled escalation was saved"
[ "$(sql "SELECT action FROM decision WHERE case_id='C-1003'")" = "no_violation" ] || fail "C-1003 not dismissed"
[ "$(sql "SELECT action FROM decision WHERE case_id='C-1006'")" = "education" ] || fail "C-1006 not educated"
[ "$(sql "SELECT text FROM note WHERE case_id='C-1002'")" = "Checked the refund with payments" ] || fail "note not saved"
expect_queue "$T/mine.txt" "mine" 6
for c in C-1001 C-1002 C-1003 C-1004 C-1005 C-1006; do expect "$T/mine.txt" "$c"; done
expect_queue "$T/decided.txt" "decided" 4
reject "$T/decided.txt" "C-1002"
expect "$T/export.txt" "exported 1 decision to"
expect "$T/export_usage.txt" ":export needs a file name"
[ "$(wc -l <"$T/out.csv")" -eq 2 ] || fail ":export did not write a header and one row"
head -1 "$T/out.csv" | grep -q "^$(printf '\357\273\277')decision_id,case_id" || fail ":export header (after the byte order mark)"
"$FB" --db "$DB" verify >/dev/null || fail "verify fails after console decisions"

# A code the case does not suggest is asked for in the console (Tab completes it), after
# the action is known to be allowed; no refusal points at a command-line flag.
cat >"$T/nocode.jsonl" <<'EOJ'
{"case_id":"C-2001","opened_at":"2026-11-20T10:00:00Z","accounts":[{"id":"n-1","role":"client","name":"Plain Client"},{"id":"n-2","role":"freelancer","name":"Plain Hand"}]}
EOJ
"$FB" --db "$DB" import "$T/nocode.jsonl" >/dev/null 2>&1 || fail "import the case without a code"
run_script <<EOS
:goto C-2001
e
:save-display $T/code_prompt.txt
<Esc>
:save-display $T/code_cancel.txt
e
self<Tab><Enter>
no code was flagged, the chat shows it<Enter>
:save-display $T/code_dialog.txt
y
EOS
expect "$T/code_prompt.txt" "violation code (Tab lists them):"
expect_msg "$T/code_cancel.txt" "education needs a violation code"
reject "$T/code_cancel.txt" "--"
expect "$T/code_dialog.txt" "C-2001  education (self_hire)"
[ "$(sql "SELECT action||' '||violation FROM decision WHERE case_id='C-2001'")" = "education self_hire" ] ||
    fail "C-2001 not educated for self_hire"
