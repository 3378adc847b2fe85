#!/bin/sh
# The working day's details: times name their zone (TZ honoured), ages read 7y/3mo/2d,
# the Job timeline is in time order (feedback before the contract's end is marked), a
# long tab says "more below", asides wrap whole and indented at 80 columns, and a one-day suspension reads "1 day".
. "$(dirname "$0")/lib.sh"
make_store
# An old case whose feedback came before the contract ended.
cat >"$T/old.jsonl" <<'EOJ'
{"case_id":"C-0001","opened_at":"2019-06-01T10:00:00Z","alleged":"fake_job","accounts":[{"id":"o-1","role":"client","name":"Old Client"},{"id":"o-2","role":"freelancer","name":"Old Hand"}],"contract":{"id":"J-1","client":"o-1","freelancer":"o-2","title":"Old job","created_at":"2019-05-01T09:00:00Z","started_at":"2019-05-01T10:00:00Z","ended_at":"2019-05-20T10:00:00Z"},"feedback":[{"from":"o-1","to":"o-2","rating":5,"text":"Great","at":"2019-05-02T10:00:00Z"}]}
EOJ
"$FB" --db "$DB" import "$T/old.jsonl" >/dev/null || fail "import the old case"
TZ=CET-1 COLUMNS=160 run_script <<EOS
:goto C-0001
:save-display $T/summary.txt
2
:save-display $T/job.txt
EOS
run_script <<EOS
:goto C-1001
1
:save-display $T/long.txt
<Tab>
G
:save-display $T/bottom.txt
EOS
expect "$T/summary.txt" "Opened 2019-06-01 11:00 CET"
expect "$T/summary.txt" "(7 years ago)"
grep -q "C-0001 .* 7y" "$T/summary.txt" || { cat "$T/summary.txt"; fail "the queue's age is not 7y"; }
# Time order: created, started, feedback (marked), ended.
awk '/created /{c=NR} /started /{s=NR} /feedback /{f=NR} /ended /{e=NR} END { exit !(c < s && s < f && f < e) }' \
    "$T/job.txt" || { cat "$T/job.txt"; fail "the Job timeline is not in time order"; }
expect "$T/job.txt" "before the contract ended"
expect "$T/job.txt" "(1 hour before start)"
expect "$T/job.txt" "(+1 day after start)"
expect "$T/long.txt" "more lines below"
reject "$T/bottom.txt" "more line"

# C-1001's feedback came after the contract ended: ended is listed first.
run_script <<EOS
:goto C-1001
2
:save-display $T/job2.txt
s
<C-u>1<Enter>
a short first suspension<Enter>
:save-display $T/one-day.txt
n
EOS
awk '/ended /{e=NR} /feedback /{f=NR} END { exit !(e < f) }' "$T/job2.txt" ||
    { cat "$T/job2.txt"; fail "feedback listed before the contract's end it followed"; }
reject "$T/job2.txt" "before the contract ended"
# At 80 columns an aside that does not fit beside the time goes whole onto the next
# line, indented under the time (never split, never back at the margin).
expect "$T/job2.txt" "(5 minutes before start)"
expect "$T/job2.txt" "│             (+16 minutes after start)"
expect "$T/job2.txt" "│     2026-11-19 09:21 UTC"   # a feedback's time, whole under its line
expect "$T/one-day.txt" "suspension 1 day"
reject "$T/one-day.txt" "1 days"
