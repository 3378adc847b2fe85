#!/bin/sh
# `/` searches case ids, account names and message text (FTS5); n and N step through hits.
. "$(dirname "$0")/lib.sh"
make_store
run_script <<EOS
/Zeta<Enter>
:save-display $T/name.txt
/C-1006<Enter>
:save-display $T/id.txt
/stars<Enter>
:save-display $T/text1.txt
n
:save-display $T/text2.txt
n
:save-display $T/text3.txt
N
:save-display $T/text4.txt
/no such words anywhere<Enter>
:save-display $T/none.txt
/%<Enter>
:save-display $T/percent.txt
/"stars<Enter>
:save-display $T/quote.txt
EOS
case "$(selected "$T/name.txt")" in *C-1004*) ;; *) fail "name search did not find C-1004" ;; esac
case "$(selected "$T/id.txt")" in *C-1006*) ;; *) fail "id search did not find C-1006" ;; esac
expect "$T/text1.txt" "hit 1 of 2"
case "$(selected "$T/text1.txt")" in *C-1001*) ;; *) fail "first text hit is not C-1001" ;; esac
expect "$T/text2.txt" "hit 2 of 2"
case "$(selected "$T/text2.txt")" in *C-1005*) ;; *) fail "n did not move to C-1005" ;; esac
expect "$T/text3.txt" "hit 1 of 2"
expect "$T/text4.txt" "hit 2 of 2"
expect "$T/none.txt" "no case matches"
# Search terms are literal: LIKE wildcards match themselves, a quote is no FTS5 syntax.
expect "$T/percent.txt" "no case matches"
expect "$T/quote.txt" "hit 1 of 2"

# Search works within the queue, whatever matches elsewhere: in a small escalated queue
# of a larger store, every case id matches "C-" and all of them are found, though the
# first hundreds of matches in the store are open cases.
DB=$T/big.db
"$FB" --db "$DB" demo --cases 1500 --seed 3 --no-ui >/dev/null 2>&1 || fail "demo store"
esc=$(sql "SELECT group_concat(id, ' ') FROM (SELECT id FROM \"case\" ORDER BY id DESC LIMIT 4)")
# shellcheck disable=SC2086
"$FB" --db "$DB" --reviewer lead decide $esc escalate --rationale "for the lead" >/dev/null 2>&1 ||
    fail "escalate four cases"
run_script <<EOS
:queue escalated
/C-<Enter>
:save-display $T/small-queue.txt
EOS
expect_msg "$T/small-queue.txt" "hit 1 of 4 in this queue"
reject "$T/small-queue.txt" "Not in this queue"
