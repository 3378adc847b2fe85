#!/bin/sh
# Moving in the queue, between panes and through the six evidence tabs; switching queues.
. "$(dirname "$0")/lib.sh"
make_store
run_script <<EOS
:save-display $T/first.txt
j
:save-display $T/down.txt
G
:save-display $T/last.txt
g
<Down><Down><Up>
:save-display $T/updown.txt
:goto C-1005
2
:save-display $T/job.txt
3
:save-display $T/pay.txt
4
:save-display $T/msg.txt
5
:save-display $T/acct.txt
6
:save-display $T/hist.txt
]
:save-display $T/wrap.txt
<Tab>
j
:save-display $T/scroll.txt
<Tab>
w
:save-display $T/mine.txt
:queue open
:goto C-1003
:save-display $T/goto.txt
EOS
case "$(selected "$T/first.txt")" in *C-1001*) ;; *) fail "first row is not C-1001" ;; esac
case "$(selected "$T/down.txt")" in *C-1004*) ;; *) fail "j did not move to C-1004" ;; esac
case "$(selected "$T/last.txt")" in *C-1003*) ;; *) fail "G did not go to the last case" ;; esac
case "$(selected "$T/updown.txt")" in *C-1004*) ;; *) fail "Down Down Up did not land on C-1004" ;; esac
expect_queue "$T/first.txt" "open" 6
expect "$T/first.txt" " 1 Sum "    # the first tab, named (abbreviated at 80 columns)
expect "$T/first.txt" "Why flagged:"
expect "$T/first.txt" "Recommended:"
expect "$T/job.txt" "Data entry"
expect "$T/job.txt" "Timeline"
expect "$T/pay.txt" "No payments in this case."
expect "$T/msg.txt" "Give me 5 stars"
expect "$T/acct.txt" "Quick Buyer"
expect "$T/acct.txt" "Links"
expect "$T/hist.txt" "No decisions, appeals, notes or"
expect "$T/wrap.txt" "Opened"                 # ] from History wraps to Summary
expect_queue "$T/mine.txt" "mine" 0
expect "$T/mine.txt" "(no cases in this queue)"
case "$(selected "$T/goto.txt")" in *C-1003*) ;; *) fail ":goto C-1003 did not select it" ;; esac
# The hint line comes from the keymap table.
expect "$T/first.txt" "y accept  e educate  s suspend"
