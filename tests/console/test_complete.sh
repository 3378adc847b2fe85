#!/bin/sh
# The `:` prompt completes with Tab (readline): command names, queue names, codes and
# statuses, sort keys, actions, and file names (with ~); several matches are listed on
# the hint line. `:export` expands ~ and asks before it replaces a file.
. "$(dirname "$0")/lib.sh"
make_store
run_script <<EOS
<C-l>:que<Tab>pen<Tab><Enter>
:save-display $T/queue.txt
<C-l>:queue op<Tab><Enter>
<C-l>:filter code=paid<Tab><Enter>
:save-display $T/filter.txt
<C-l>:filter clear<Enter>
<C-l>:sort <Tab><Tab>
:save-display $T/list.txt
<Esc>
<C-l>:export action=<Tab>
:save-display $T/nofile.txt
<Esc>
EOS
expect_queue "$T/queue.txt" "pending approval" 0
expect "$T/filter.txt" "paid_feedback"
reject "$T/filter.txt" "self_hire"
expect "$T/list.txt" "age  risk  sla"
expect "$T/list.txt" ":sort"
# The first argument of :export is a file: "action=" is not offered there.
reject "$T/nofile.txt" "action=education"

# :export ~/FILE writes under $HOME; a second export asks before replacing it (n keeps
# it whole), y replaces it; Tab completes the file name.
run_script <<EOS
:export ~/decisions.csv
:save-display $T/export1.txt
EOS
expect_msg "$T/export1.txt" "exported 0 decisions to $HOME/decisions.csv"
[ -f "$HOME/decisions.csv" ] || fail ":export ~/decisions.csv did not write under HOME"
echo "not an export" >"$HOME/decisions.csv"
run_script <<EOS
:export ~/decisions.csv
:save-display $T/ask.txt
n
:save-display $T/kept.txt
EOS
expect "$T/ask.txt" "File exists — y replaces it"
expect "$T/kept.txt" "export cancelled"
[ "$(cat "$HOME/decisions.csv")" = "not an export" ] || fail "n replaced the file"
run_script <<EOS
<C-l>:export ~/deci<Tab><Enter>
:save-display $T/ask2.txt
y
:save-display $T/replaced.txt
EOS
expect "$T/ask2.txt" "File exists — y replaces it"
expect_msg "$T/replaced.txt" "exported 0 decisions to $HOME/decisions.csv"
grep -q "decision_id" "$HOME/decisions.csv" || fail "y did not replace the file"
