#!/bin/sh
# Marks: Space marks one case; M marks all open cases of the subject account; deciding
# with marks decides them all in one workflow call, after one confirmation listing them.
. "$(dirname "$0")/lib.sh"
make_store
run_script <<EOS
L
:save-display $T/cluster.txt
U
M
:save-display $T/marked.txt
# education overrides the recommended suspensions: one rationale for both
e
Same freelancer on both, first time<Enter>
:save-display $T/dialog.txt
y
:save-display $T/done.txt
:goto C-1006
<Space>
:goto C-1005
<Space>
<Space>
:save-display $T/toggle.txt
U
:save-display $T/cleared.txt
EOS
expect "$T/cluster.txt" "marked 2 open cases of the linked-account cluster"
expect "$T/marked.txt" "marked 2 open cases of the subject account"
expect "$T/marked.txt" "2 marked"
expect "$T/dialog.txt" "Decide 2 cases"
expect "$T/dialog.txt" "C-1001  education"
expect "$T/dialog.txt" "C-1004  education"
expect "$T/done.txt" "saved 2 decisions (education)"
expect "$T/toggle.txt" "1 marked"
expect "$T/cleared.txt" "marks cleared"
[ "$(sql "SELECT count(*) FROM decision WHERE case_id IN ('C-1001','C-1004') AND action='education'")" = "2" ] || fail "marked cases not both decided"
[ "$(sql "SELECT count(DISTINCT decided_at) FROM decision WHERE case_id IN ('C-1001','C-1004')")" = "1" ] || fail "not decided at once"
