#!/bin/sh
# Deciding marked cases with `y` climbs the ladder in order (POLICY.md): M marks both open
# self_hire cases of J. Doe (C-1001, C-1004); the confirmation shows each case's own
# recommendation, 14 days then 30 days, and that is what is saved.
. "$(dirname "$0")/lib.sh"
make_store
run_script <<EOS
M
y
:save-display $T/dialog.txt
y
:save-display $T/done.txt
EOS
expect "$T/dialog.txt" "Decide 2 cases"
expect "$T/dialog.txt" "C-1001  suspension 14 days (self_hire)"
expect "$T/dialog.txt" "C-1004  suspension 30 days (self_hire)"
expect "$T/dialog.txt" "recommended suspension 14 days (self_hire) — first violation"
expect "$T/dialog.txt" "recommended suspension 30 days (self_hire) — repeat (1 earlier"
reject "$T/dialog.txt" "overrides the recommendation"
expect "$T/done.txt" "saved 2 decisions"
[ "$(sql "SELECT group_concat(case_id || ':' || days || ':' || overridden, ' ') FROM (SELECT * FROM decision ORDER BY case_id)")" = \
  "C-1001:14:0 C-1004:30:0" ] || fail "saved: $(sql "SELECT case_id, action, days, overridden FROM decision")"
