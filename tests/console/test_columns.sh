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
