#!/bin/sh
# "Read this case" in the console: a case whose messages talk of a review and a refund
# that no frame decides has no recommendation; Summary says so and why, y saves nothing
# and says why, and the Messages tab highlights the words with the sentence explaining them.
. "$(dirname "$0")/lib.sh"
export COLUMNS=200 LINES=40
make_store
cat >"$T/read.jsonl" <<'EOJ'
{"case_id":"C-2001","opened_at":"2026-11-20T10:00:00Z","accounts":[{"id":"u-21","role":"client","name":"Dana"},{"id":"u-22","role":"freelancer","name":"Eli"}],"messages":[{"from":"u-22","to":"u-21","at":"2026-11-19T09:00:00Z","body":"About the review and the refund, let's talk tomorrow."}]}
EOJ
"$FB" --db "$DB" import "$T/read.jsonl" >"$T/import2.log" 2>&1 || { cat "$T/import2.log" >&2; fail "import"; }
run_script <<EOS
:goto C-2001
:save-display $T/summary.txt
y
:save-display $T/y.txt
4
:save-display $T/messages.txt
EOS
expect "$T/summary.txt" "Recommended: none — read this case: message talks of “review” and of “refund”"
expect "$T/summary.txt" "read_review_money"
expect "$T/y.txt" "case C-2001 has no recommendation to take"
[ "$(sql "SELECT count(*) FROM decision WHERE case_id='C-2001'")" = 0 ] || fail "y saved a decision on a case with no recommendation"
expect "$T/messages.txt" "About the review and the refund, let's talk tomorrow."
expect "$T/messages.txt" "↳ unsure: talks of “review” and of “refund”: read the messages"
