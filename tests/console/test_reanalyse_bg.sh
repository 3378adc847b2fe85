#!/bin/sh
# The rules change under a store of a few thousand cases (an operator's edit, as a pulled
# team policy does): the real console in a real terminal (tmux) shows its first screen at
# once, with the case on screen already analysed with the new rules, and analyses the rest
# in the background until every case is current and the store's fingerprint is written.
# Killed (-9) half-way, the next run goes on from the cases still stale. `fbreview show`
# and `decide` of a stale case give the new analysis; `sync`-style marking is the same
# path (the rules change, nothing is analysed on open). Waits are on the pane's output or
# bounded polls of the store, never fixed sleeps.
. "$(dirname "$0")/lib.sh"
N=10000
"$FB" --db "$DB" demo --cases $N --seed 7 --now 2026-11-20T09:00:00Z --no-ui >"$T/demo.log" 2>&1 ||
    { cat "$T/demo.log" >&2; fail "demo"; }
undecided() { sql "SELECT count(*) FROM \"case\" c WHERE NOT EXISTS (SELECT 1 FROM decision d WHERE d.case_id=c.id)"; }
# Cases without a decision whose fingerprint is not the store's recorded one.
behind() {
    sql "SELECT count(*) FROM \"case\" c WHERE NOT EXISTS (SELECT 1 FROM decision d WHERE d.case_id=c.id)
         AND coalesce(printf('%016x', c.analysis), '') IS NOT (SELECT value FROM sync_state WHERE key='analysis')"
}
recorded() { sql "SELECT value FROM sync_state WHERE key='analysis'"; }
[ "$(behind)" = 0 ] || fail "a fresh store has stale cases"
old=$(recorded)

# An operator gives every violation frame one more point: every case analysed again.
sql "UPDATE frame_rule SET weight = weight + 1 WHERE weight > 0"
stale=$(undecided)

tmux_start 120
$TM send-keys -t fb "FBREVIEW_TIMING='$T/timing' $FB --db '$DB' --reviewer alice; echo FBEXIT=\$?" Enter
tmux_wait "Recommended:"
# Converges: the finish message, then every case current and the new fingerprint written.
tmux_wait "analysed again with the current rules"
[ "$(behind)" = 0 ] || fail "cases left stale after the background walk"
new=$(recorded)
[ -n "$new" ] && [ "$new" != "$old" ] || fail "the store's fingerprint was not written ($old -> $new)"
$TM send-keys -t fb Q
tmux_wait "FBEXIT=0"
# The timing file: the first screen was drawn first (the worker starts after it), and the
# walk then found the store stale and analysed the cases.
grep -q '^first_paint_ms ' "$T/timing" || fail "no first paint in the timing file"
n_stale=$(awk '$1 == "reanalyse_stale" { print $2 }' "$T/timing")
n_done=$(awk '$1 == "reanalysed" { print $2 }' "$T/timing")
[ -n "$n_stale" ] && [ "$n_stale" -ge $((stale - 1)) ] ||
    fail "the walk found ${n_stale:-no} stale cases after the first screen, $stale expected"
[ "$n_done" = "$n_stale" ] || fail "the walk analysed $n_done of $n_stale stale cases"

# The rules change again; the console is killed (-9) while the walk is under way.
sql "UPDATE frame_rule SET weight = weight + 1 WHERE weight > 0"
$TM send-keys -t fb "clear; $FB --db '$DB' --reviewer alice; echo FBEXIT2=\$?" Enter
tmux_wait "re-analysing"
fb_pid=$(pane_fb_pid) || exit 1
kill -KILL "$fb_pid"
tmux_wait "FBEXIT2="
[ "$(recorded)" = "$new" ] || fail "the fingerprint was written before the walk ended"
left=$(sql "SELECT count(*) FROM \"case\" c WHERE NOT EXISTS (SELECT 1 FROM decision d WHERE d.case_id=c.id)
            AND printf('%016x', c.analysis) = '$new'")
[ "$left" -gt 0 ] && [ "$left" -lt "$stale" ] || fail "killed half-way: $left of $stale cases left stale (want some, not all)"
sql "PRAGMA integrity_check" | grep -qx ok || fail "the store is damaged after kill -9"

# A stale case shown by the CLI is analysed first: its JSON is what `reanalyse` gives it.
case1=$(sql "SELECT c.id FROM \"case\" c WHERE NOT EXISTS (SELECT 1 FROM decision d WHERE d.case_id=c.id)
             AND printf('%016x', c.analysis) = '$new' ORDER BY c.id DESC LIMIT 1")
case2=$(sql "SELECT c.id FROM \"case\" c WHERE NOT EXISTS (SELECT 1 FROM decision d WHERE d.case_id=c.id)
             AND printf('%016x', c.analysis) = '$new' ORDER BY c.id DESC LIMIT 1 OFFSET 1")
[ -n "$case1" ] && [ -n "$case2" ] || fail "no stale cases left to show"
"$FB" --db "$DB" show "$case1" --json >"$T/shown.json" 2>"$T/shown.err" || { cat "$T/shown.err" >&2; fail "show"; }
[ "$(sql "SELECT printf('%016x', analysis) FROM \"case\" WHERE id='$case1'")" != "$new" ] ||
    fail "show left the case stale"
# A stale case decided by the CLI: the decision records the new rules' recommendation.
"$FB" --db "$DB" --reviewer bob decide "$case2" escalate --rationale "check the new rules" >"$T/decide.log" 2>&1 ||
    { cat "$T/decide.log" >&2; fail "decide"; }

# `fbreview reanalyse` finishes what the killed walk left, and only that.
"$FB" --db "$DB" reanalyse >"$T/reanalyse.out" 2>"$T/reanalyse.err" || { cat "$T/reanalyse.err" >&2; fail "reanalyse"; }
done_n=$(sed -n 's/^reanalyse: \([0-9]*\) case.*/\1/p' "$T/reanalyse.out")
[ "$done_n" = $((left - 2)) ] || fail "reanalyse analysed ${done_n:-?} cases, $((left - 2)) were left"
[ "$(behind)" = 0 ] || fail "cases left stale after reanalyse"
[ "$(recorded)" != "$new" ] || fail "reanalyse did not write the new fingerprint"
"$FB" --db "$DB" show "$case1" --json >"$T/again.json" 2>/dev/null || fail "show after reanalyse"
cmp -s "$T/shown.json" "$T/again.json" || { diff "$T/shown.json" "$T/again.json" >&2; fail "show of a stale case differs from the finished store"; }
# The decided case was analysed with the new rules before it was decided, and its decision
# records what they recommend: the export's recommended_action is the recommendation `show`
# makes from the case's (new) signals.
[ "$(sql "SELECT printf('%016x', analysis) FROM \"case\" WHERE id='$case2'")" = "$(recorded)" ] ||
    fail "the decided case kept the old rules' analysis"
[ "$(sql "SELECT count(*) FROM decision WHERE case_id='$case2'")" = 1 ] || fail "the decision was not saved once"
"$FB" --db "$DB" export --no-bom >"$T/export.csv" || fail "export"
rec=$("$FB" --db "$DB" show "$case2" --json | python3 -c 'import json,sys; r=json.load(sys.stdin)["recommended"]; print(r["action"] or "none")')
[ "$(grep -c "$case2" "$T/export.csv")" = 1 ] || fail "the decision on $case2 is not exported once"
grep "$case2" "$T/export.csv" | grep -q ",$rec," || { grep "$case2" "$T/export.csv" >&2; fail "export: recommended_action is not $rec"; }
echo "ok: first screen at once, background walk converges, kill -9 resumes, show/decide of stale cases current"
