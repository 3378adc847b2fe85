#!/bin/sh
# The lead's view: `:stats` in the console and `fbreview stats --charts` draw waiting
# cases by age, decisions per day, the service level, the override rate and per-reviewer
# counts with terminal characters, within 80x24; ASCII when the locale is not UTF-8.
. "$(dirname "$0")/lib.sh"
make_store
"$FB" --db "$DB" --reviewer alice decide C-1001 --accept >/dev/null || fail "alice decides"
"$FB" --db "$DB" --reviewer bob decide C-1004 escalate --rationale "second look" >/dev/null || fail "bob decides"
"$FB" --db "$DB" --reviewer bob decide C-1003 education --violation fake_job --rationale "a first warning" \
    >/dev/null || fail "bob overrides"
run_script <<EOS
:stats
:save-display $T/stats.txt
q
:save-display $T/closed.txt
?
:save-display $T/help.txt
EOS
expect "$T/stats.txt" "Stats — a lead's view"
expect "$T/stats.txt" "Waiting cases by age  4 waiting"
expect "$T/stats.txt" "1-4w"
expect "$T/stats.txt" "█"
expect "$T/stats.txt" "Decisions per day"
expect "$T/stats.txt" "today 3"
expect "$T/stats.txt" "Service level  3 of 3 decisions"
expect "$T/stats.txt" "Override rate  33% (1 of 3"
grep -q "^ *bob .* 2  1 (50%)" "$T/stats.txt" || { cat "$T/stats.txt"; fail "bob's row"; }
grep -q "^ *alice .* 1  0 (0%)" "$T/stats.txt" || { cat "$T/stats.txt"; fail "alice's row"; }
# Every line fits 80 columns and the whole view 24 lines.
[ "$(wc -l <"$T/stats.txt")" -le 24 ] || fail "the stats view is taller than 24 lines"
[ "$(wc -L <"$T/stats.txt")" -le 80 ] || fail "a stats line is wider than 80 columns"
reject "$T/closed.txt" "Stats — a lead's view"
# Closed for good (q is a step back): ? opens the help, not the stats again.
expect "$T/help.txt" "Help — keys"
reject "$T/help.txt" "Stats — a lead's view"

# The command line draws the same; ASCII in the C locale.
"$FB" --db "$DB" stats --charts >"$T/charts.txt" || fail "stats --charts"
expect "$T/charts.txt" "Override rate  33% (1 of 3"
expect "$T/charts.txt" "█"
LANG=C LC_ALL=C "$FB" --db "$DB" stats --charts >"$T/ascii.txt" || fail "stats --charts in C"
reject "$T/ascii.txt" "█"
expect "$T/ascii.txt" "#"
LC_ALL=C awk '{ if ($0 ~ /[\200-\377]/) bad = 1 } END { exit bad }' "$T/ascii.txt" || fail "non-ASCII in the C locale"
