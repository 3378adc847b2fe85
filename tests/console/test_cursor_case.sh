#!/bin/sh
# The cursor is the case: the evidence pane always shows the highlighted row of the current
# queue; / searches the current queue (n/N in queue order); a hit elsewhere names its queue
# and is offered, never shown beside the wrong queue; the focus never moves by itself.
. "$(dirname "$0")/lib.sh"
make_store
# The case shown (evidence header, line 1) is the case under the cursor.
same_case() {
    sel=$(selected "$1" | grep -o 'C-[0-9]*' | head -n 1)
    shown=$(head -n 1 "$1" | grep -o 'C-[0-9]*' | tail -n 1)
    [ -n "$sel" ] && [ "$sel" = "$shown" ] || { cat "$1" >&2; fail "$(basename "$1"): cursor on ${sel:-nothing}, pane shows ${shown:-nothing}"; }
}
run_script <<EOS
:goto C-1003
d
y
:save-display $T/decided.txt
/C-1003<Enter>
:save-display $T/offer.txt
n
:save-display $T/stayed.txt
/stars<Enter>
:save-display $T/hit1.txt
n
:save-display $T/hit2.txt
n
:save-display $T/hit3.txt
N
:save-display $T/hit4.txt
:sort sla
/stars<Enter>
:save-display $T/sla1.txt
:sort risk
:filter code=fake_job
/Zeta<Enter>
:save-display $T/hidden.txt
y
:save-display $T/unhidden.txt
:goto C-1003
:save-display $T/goto-offer.txt
y
:save-display $T/went.txt
EOS
for f in decided stayed hit1 hit2 hit3 hit4 sla1 unhidden went; do same_case "$T/$f.txt"; done
# A hit in another queue: named, offered; n keeps the queue and the cursor.
expect "$T/offer.txt" "C-1003 is in the decided queue, not in this one (open)"
expect "$T/offer.txt" "y goes to the decided queue"
expect_queue "$T/stayed.txt" open 5
expect "$T/stayed.txt" "stayed in the open queue; C-1003 is in the decided"
[ "$(selected "$T/stayed.txt")" = "$(selected "$T/decided.txt")" ] || fail "declining the offer moved the cursor"
# Hits in queue order: risk order is C-1001 (100) then C-1005 (50); n wraps; N goes back.
expect "$T/hit1.txt" "hit 1 of 2 in this queue"
case "$(selected "$T/hit1.txt")" in *C-1001*) ;; *) fail "risk order: first hit is not C-1001" ;; esac
case "$(selected "$T/hit2.txt")" in *C-1005*) ;; *) fail "n did not step to C-1005" ;; esac
case "$(selected "$T/hit3.txt")" in *C-1001*) ;; *) fail "n did not wrap to C-1001" ;; esac
case "$(selected "$T/hit4.txt")" in *C-1005*) ;; *) fail "N did not step back to C-1005" ;; esac
# SLA order puts the older case first: C-1001 was opened 2026-11-20, C-1005 later.
case "$(selected "$T/sla1.txt")" in *C-1001*) ;; *) fail "SLA order: first hit is not the oldest" ;; esac
# The focus stayed on the queue throughout (its hints, its ▶).
expect "$T/hit4.txt" "Enter read"
head -n 1 "$T/hit4.txt" | grep -q '^▶' || fail "the queue lost the focus"
# In this queue but hidden by the filter: offered, y clears the filter.
expect "$T/hidden.txt" "C-1004 is in this queue (open) but the filter hides it"
reject "$T/unhidden.txt" "code=fake_job"
case "$(selected "$T/unhidden.txt")" in *C-1004*) ;; *) fail "y did not select C-1004" ;; esac
# :goto follows the same rule.
expect "$T/goto-offer.txt" "C-1003 is in the decided queue"
expect_queue "$T/went.txt" decided 1
case "$(selected "$T/went.txt")" in *C-1003*) ;; *) fail ":goto + y did not select C-1003 in decided" ;; esac
