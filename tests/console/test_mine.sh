#!/bin/sh
# The "mine" queue holds the cases the reviewer holds a live claim on (a lease: claim_by
# and claim_until, the status left open, as a sync claim writes it) and the cases they
# decided: the header's count, the queue page and :goto agree. A claim that ran out is
# nobody's.
. "$(dirname "$0")/lib.sh"
make_store
sql "UPDATE \"case\" SET claim_by='alice', claim_until=strftime('%s','now')*1000 + 3600000 WHERE id='C-1003'"
sql "UPDATE \"case\" SET claim_by='alice', claim_until=strftime('%s','now')*1000 - 1000 WHERE id='C-1005'"
# 160 columns: at 80 the status line leaves the mine count out for the parts before it.
COLUMNS=160 run_script <<EOS
:save-display $T/start.txt
w
:save-display $T/mine.txt
:goto C-1005
:save-display $T/expired.txt
EOS
expect "$T/start.txt" "mine 1 ·"
expect_queue "$T/mine.txt" "mine" 1
selected "$T/mine.txt" | grep -q "C-1003" || { cat "$T/mine.txt"; fail "C-1003 is not in alice's mine queue"; }
reject "$T/mine.txt" "C-1005"
expect "$T/expired.txt" "C-1005 is in the open queue, not in this one (mine)"
