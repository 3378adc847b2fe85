#!/bin/sh
# A store whose cases were analysed by an older fbreview (their signals stripped, no
# fingerprint on the cases and another in the store's record, as an upgrade from store
# version 8 leaves them): read-only, show and the console say the signals are older and
# change nothing; opened writable, show analyses the case it shows again and gives back
# exactly what a fresh import gives.
. "$(dirname "$0")/lib.sh"
make_store

"$FB" --db "$DB" show C-1001 --json >"$T/fresh.json" 2>"$T/fresh.err" || { cat "$T/fresh.err" >&2; fail "show"; }
expect "$T/fresh.json" '"code"'
reject "$T/fresh.err" "older analysis rules"

# What an older analyser left: no signals, no highlights, no risk, another record.
sql "UPDATE case_evidence SET data=json_remove(data, '\$.s', '\$.m');
     UPDATE \"case\" SET risk=0, suggested=NULL, analysis=NULL;
     UPDATE sync_state SET value='older' WHERE key='analysis';"
cp "$DB" "$T/old.db"

# Read-only: nothing changes, and the reader is told.
"$FB" --db "$DB" --read-only show C-1001 --json >"$T/ro.json" 2>"$T/ro.err" || { cat "$T/ro.err" >&2; fail "show --read-only"; }
expect "$T/ro.err" "older analysis rules"
reject "$T/ro.json" '"code"'
run_script --read-only <<EOS
:save-display $T/ro-console.txt
EOS
expect_msg "$T/ro-console.txt" "signals from older analysis rules"
cmp -s "$DB" "$T/old.db" || fail "a read-only open changed the store"

# Writable: analysed again before the case is shown, as a fresh import has it.
"$FB" --db "$DB" show C-1001 --json >"$T/again.json" 2>"$T/again.err" || { cat "$T/again.err" >&2; fail "show"; }
reject "$T/again.err" "older analysis rules"
cmp -s "$T/fresh.json" "$T/again.json" || { diff "$T/fresh.json" "$T/again.json" >&2; fail "analysed again, the case differs from a fresh import"; }
[ "$(sql "SELECT count(*) FROM \"case\" WHERE risk > 0")" -gt 0 ] || fail "no case got its risk back"
run_script <<EOS
:save-display $T/console.txt
EOS
reject "$T/console.txt" "older analysis rules"

# An operator's rule in front of the others: the console's first screen shows the case on
# screen analysed with it (at once, before any background walk has started), with its new
# risk in the evidence pane.
sql "INSERT INTO lexicon_term(class, term) VALUES ('operatorword', 'refund you');
     UPDATE frame_rule SET id = id + 100000;
     INSERT INTO frame_rule(id, name, outcome, weight, scope, needs, sentence) VALUES
       (1, 'operator_rule', 'conflict_of_interest', 33, 'sentence', 'operatorword', 'names the operator''s {operatorword}');"
run_script <<EOS
:save-display $T/operator.txt
EOS
expect "$T/operator.txt" "names the operator's"
