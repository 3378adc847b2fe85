#!/bin/sh
# Stepping back: q, Esc, h and Left close the view in front (help -> where you were,
# evidence pane -> queue); q from the queue quits; Q quits from anywhere. The hint line
# is chosen by context and always ends with ? help at 80 columns.
. "$(dirname "$0")/lib.sh"
make_store
for key in q '<Esc>' h '<Left>'; do
    run_script <<EOS
<Enter>
:save-display $T/case.txt
$key
:save-display $T/queue.txt
<Enter>
?
:save-display $T/help.txt
$key
:save-display $T/after-help.txt
EOS
    expect "$T/case.txt" "Esc back"              # the evidence pane has the keys
    expect "$T/queue.txt" "Enter read"           # the queue has them again
    reject "$T/queue.txt" "Esc back"
    expect "$T/help.txt" "Help — keys"
    reject "$T/after-help.txt" "Help — keys"
    expect "$T/after-help.txt" "Esc back"        # back where we were: the evidence pane
    tail -n 2 "$T/case.txt" | head -n 1 | grep -q '? help$' || fail "$key: the case hint line does not end with ? help"
done
# Esc, h and Left at the queue stay; q quits (nothing after it runs).
run_script <<EOS
<Esc>h<Left>
:save-display $T/stay.txt
q
:save-display $T/never.txt
EOS
expect "$T/stay.txt" "q quits"
[ ! -e "$T/never.txt" ] || fail "q at the queue did not quit"
# Q quits from the evidence pane and from the help.
run_script <<EOS
<Enter>
Q
:save-display $T/never2.txt
EOS
[ ! -e "$T/never2.txt" ] || fail "Q in the evidence pane did not quit"
run_script <<EOS
?
Q
:save-display $T/never3.txt
EOS
[ ! -e "$T/never3.txt" ] || fail "Q over the help did not quit"
# A block waiting for approval puts a and r on the hint line (bob looks at alice's block).
run_script <<EOS
:goto C-1002
b
Refund for stars<Enter>
y
EOS
REVIEWER=bob run_script <<EOS
:queue pending
:save-display $T/pending.txt
EOS
tail -n 2 "$T/pending.txt" | head -n 1 | grep -q '^a approve  r send back' ||
    { cat "$T/pending.txt" >&2; fail "the approval hints are not first on a pending case"; }
tail -n 2 "$T/pending.txt" | head -n 1 | grep -q '? help$' || fail "approval hint line lost ? help"
