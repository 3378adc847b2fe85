#!/bin/sh
# Queue columns stay apart whatever the width of the case ids (9-character demo ids, long ids).
. "$(dirname "$0")/lib.sh"
cat >"$T/cols.jsonl" <<'EOJ'
{"case_id":"C-0000008","opened_at":"2026-11-20T10:00:00Z","alleged":"self_hire","accounts":[{"id":"u-1","role":"client","name":"Acme"},{"id":"u-2","role":"freelancer","name":"Doe"}],"links":[{"a":"u-1","b":"u-2","kind":"same_payment_method","detail":"card ending 4242"},{"a":"u-1","b":"u-2","kind":"same_device","detail":"d1"}],"messages":[{"from":"u-2","to":"u-1","at":"2026-11-19T09:02:00Z","body":"I will refund you after the 5 stars"}]}
{"case_id":"C-CASE-WITH-A-VERY-LONG-IDENTIFIER","opened_at":"2026-11-20T10:00:00Z","alleged":"fake_job","accounts":[{"id":"u-3","role":"client","name":"Beta"}]}
EOJ
"$FB" --db "$DB" import "$T/cols.jsonl" >"$T/import.log" 2>&1 || { cat "$T/import.log" >&2; fail "import failed"; }
for size in 80x24 200x60; do
    run_script <<EOS
<Resize $size>
:save-display $T/cols-$size.txt
EOS
    grep -Eq '^[> ][ *][ !@]C-0000008 +[0-9]+ ' "$T/cols-$size.txt" ||
        { cat "$T/cols-$size.txt" >&2; fail "at $size the 9-character id runs into the risk column"; }
    grep -Eq '^[> ][ *][ !@]C-CASE-W.*… +[0-9]+ ' "$T/cols-$size.txt" ||
        { cat "$T/cols-$size.txt" >&2; fail "at $size a long id is not clipped with … before the risk"; }
done
grep -q 'C-0000008 *100 ' "$T/cols-80x24.txt" || fail "the fixture no longer has a 3-digit risk"

# Orientation: a header row names the columns; the title says n of N (N under the filter)
# and the sort with its direction; at 160 columns the party names fill the pane.
make_store
run_script <<EOS
:save-display $T/o80.txt
jj
:save-display $T/o80-3.txt
G
:save-display $T/o80-last.txt
k
:save-display $T/o80-up.txt
g
:filter code=self_hire
:save-display $T/o80-filter.txt
:sort age
<Resize 160x48>
:save-display $T/o160.txt
EOS
sed -n 2p "$T/o80.txt" | grep -Eq '^ +case +risk code +age +subject' || { cat "$T/o80.txt" >&2; fail "no column header row at 80x24"; }
expect_queue "$T/o80.txt" open 8
grep -q "1 of 8 · risk ↓" "$T/o80.txt" || fail "the title does not show the place and the sort direction"
grep -q "3 of 8" "$T/o80-3.txt" || { cat "$T/o80-3.txt" >&2; fail "n of N does not follow the cursor"; }
grep -q "8 of 8" "$T/o80-last.txt" || { cat "$T/o80-last.txt" >&2; fail "G: n of N is not the last"; }
grep -q "7 of 8" "$T/o80-up.txt" || { cat "$T/o80-up.txt" >&2; fail "G k: n of N is not 7 of 8"; }
grep -q "1 of 3 · risk ↓ · code=self_hire" "$T/o80-filter.txt" || { cat "$T/o80-filter.txt" >&2; fail "the count ignores the filter"; }
sed -n 2p "$T/o160.txt" | grep -q 'subject / counterparty' || { cat "$T/o160.txt" >&2; fail "no party column at 160"; }
grep -q "by age, newest first · code=self_hire" "$T/o160.txt" || { cat "$T/o160.txt" >&2; fail "sort in words at 160"; }
grep -Eq '^>.*J\. Doe / Zeta Corp' "$T/o160.txt" || { cat "$T/o160.txt" >&2; fail "party names hidden at 160 columns"; }

# Party names that do not fit keep their family name: given names go to their initial,
# so two parties who share a first name stay apart (80x24: the subject; 160: both).
cat >"$T/names.jsonl" <<'EOJ'
{"case_id":"N-1","opened_at":"2026-11-20T10:00:00Z","alleged":"self_hire","accounts":[{"id":"n-1","role":"client","name":"Isabella Maria Fernandez"},{"id":"n-2","role":"freelancer","name":"Isabella Gonzalez-Whitfield"}]}
EOJ
"$FB" --db "$DB" import "$T/names.jsonl" >/dev/null 2>&1 || fail "import the names"
run_script <<EOS
:goto N-1
:save-display $T/names80.txt
<Resize 160x48>
:save-display $T/names160.txt
EOS
grep -q "N-1 .* I\. Gonzal…" "$T/names80.txt" || { cat "$T/names80.txt"; fail "at 80x24 the subject lost its family name"; }
grep -q "N-1 .* I\. Gonzalez.* / I\. M\. Fernand" "$T/names160.txt" ||
    { cat "$T/names160.txt"; fail "at 160x48 the parties are not told apart"; }
