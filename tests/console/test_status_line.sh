#!/bin/sh
# At 80x24 the status line fits and always shows online/offline, also next to a message
# and under a message too long for one line; the help explains the queue's columns.
. "$(dirname "$0")/lib.sh"
make_store
run_script <<EOS
:save-display $T/plain.txt
:queue escalated
:save-display $T/msg.txt
:filter code=this-is-not-a-code-and-the-reviewer-typed-a-very-long-word-into-the-filter-prompt
:save-display $T/long.txt
?
G
:save-display $T/help.txt
EOS
for f in plain msg long; do
    tail -n 1 "$T/$f.txt" | grep -q "offline (no upstream)" || { cat "$T/$f.txt" >&2; fail "$f: the status line lost offline"; }
done
tail -n 1 "$T/plain.txt" | grep -q "alice · open 6" || fail "the status line lost the reviewer and the open count"
expect "$T/msg.txt" "queue: escalated"
expect "$T/long.txt" "filter: unknown code"
expect "$T/help.txt" "! past the SLA"
expect "$T/help.txt" "n of N under the filter"
