#!/bin/sh
# "n of N" in the queue's title follows the cursor through row moves, pages, jumps to the
# ends and searches, on a queue longer than a page; N counts the queue under its filter.
. "$(dirname "$0")/lib.sh"
"$FB" --db "$DB" demo --cases 30 --seed 7 --no-ui >"$T/demo.log" 2>&1 || { cat "$T/demo.log" >&2; fail "demo failed"; }
open=$(sql "SELECT count(*) FROM \"case\" WHERE status IN ('open','claimed')")
[ "$open" -gt 21 ] || fail "the demo store has only $open open cases; the test needs more than a page"
run_script <<EOS
:save-display $T/p1.txt
G
:save-display $T/last.txt
kkkkk
:save-display $T/up5.txt
g
<PgDn>
:save-display $T/pgdn.txt
<PgUp>
:save-display $T/pgup.txt
:filter risk>=50
:save-display $T/filter.txt
EOS
pos() { head -n 1 "$1" | grep -Eo '[0-9]+ of [0-9]+' | head -n 1; }
[ "$(pos "$T/p1.txt")" = "1 of $open" ] || fail "first screen: $(pos "$T/p1.txt"), not 1 of $open"
[ "$(pos "$T/last.txt")" = "$open of $open" ] || fail "G: $(pos "$T/last.txt"), not $open of $open"
[ "$(pos "$T/up5.txt")" = "$((open - 5)) of $open" ] || fail "G then 5 up: $(pos "$T/up5.txt")"
# A page down keeps the cursor's row on the screen and moves the page under it.
rows=20
[ "$(pos "$T/pgdn.txt")" = "$(( open - rows + 1 < rows + 1 ? open - rows + 1 : rows + 1 )) of $open" ] ||
    { cat "$T/pgdn.txt" >&2; fail "PgDn: $(pos "$T/pgdn.txt")"; }
[ "$(pos "$T/pgup.txt")" = "1 of $open" ] || fail "PgUp: $(pos "$T/pgup.txt")"
hi=$(sql "SELECT count(*) FROM \"case\" WHERE status IN ('open','claimed') AND risk >= 50")
[ "$(pos "$T/filter.txt")" = "1 of $hi" ] || fail "filter risk>=50: $(pos "$T/filter.txt"), not 1 of $hi"

# A filtered count stops at 1000 ("1000+": counting reads rows, a key must stay quick);
# the unfiltered queue's size is the exact per-status count.
DB=$T/big.db
"$FB" --db "$DB" demo --cases 1300 --seed 3 --no-ui >"$T/demo.log" 2>&1 || { cat "$T/demo.log" >&2; fail "demo failed"; }
big=$(sql "SELECT count(*) FROM \"case\" WHERE status IN ('open','claimed')")
[ "$big" -gt 1000 ] || fail "the big demo store has only $big open cases"
run_script <<EOS
:save-display $T/big.txt
:filter status=open
:save-display $T/bigf.txt
G
:save-display $T/bigfG.txt
EOS
[ "$(pos "$T/big.txt")" = "1 of $big" ] || fail "unfiltered: $(pos "$T/big.txt"), not 1 of $big"
head -n 1 "$T/bigf.txt" | grep -q "1 of 1000+" || { head -n 1 "$T/bigf.txt" >&2; fail "a filtered count over 1000 is not 1000+"; }
head -n 1 "$T/bigfG.txt" | grep -q "1000+ of 1000+" || { head -n 1 "$T/bigfG.txt" >&2; fail "G under a large filter"; }
