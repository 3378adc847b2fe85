#!/bin/sh
# Filters by code, status and risk; sorting by risk, age and SLA.
. "$(dirname "$0")/lib.sh"
make_store
run_script <<EOS
:filter code=self_hire
:save-display $T/code.txt
:filter clear
:filter risk>=80
:save-display $T/risk.txt
f<C-u>code=fake_job<Enter>
:save-display $T/fkey.txt
:filter clear
:sort age
:save-display $T/age.txt
:sort sla
:save-display $T/sla.txt
o
:save-display $T/okey.txt
:filter code=nonsense
:save-display $T/bad.txt
EOS
expect "$T/code.txt" "code=self_hire"
expect "$T/code.txt" "C-1001"
expect "$T/code.txt" "C-1004"
reject "$T/code.txt" "C-1005"
expect "$T/risk.txt" "C-1001"
expect "$T/risk.txt" "C-1002"
reject "$T/risk.txt" "C-1005"
reject "$T/risk.txt" "C-1006"
expect "$T/fkey.txt" "code=fake_job"
expect "$T/fkey.txt" "C-1003"
reject "$T/fkey.txt" "C-1001"
case "$(selected "$T/age.txt")" in *C-1006*) ;; *) fail "age sort does not start with the newest case" ;; esac
case "$(selected "$T/sla.txt")" in *C-1001*) ;; *) fail "SLA sort does not start with the oldest case" ;; esac
expect "$T/okey.txt" "risk ↓"
case "$(selected "$T/okey.txt")" in *C-1001*) ;; *) fail "o did not cycle back to risk" ;; esac
expect "$T/bad.txt" "unknown code"

# An empty :filter clears and says so; f opens with the filter in force to edit (a new f
# never adds to a filter it does not show), and an empty answer clears it.
run_script <<EOS
:filter code=self_hire risk>=50
f
:save-display $T/fprompt.txt
<Esc>
:filter
:save-display $T/emptyfilter.txt
:filter code=self_hire
f<C-u><Enter>
:save-display $T/fcleared.txt
EOS
tail -n 1 "$T/fprompt.txt" | grep -q "code=self_hire risk>=50" || { cat "$T/fprompt.txt"; fail "f does not show the filter in force"; }
expect_msg "$T/emptyfilter.txt" "filter cleared: the whole open queue"
reject "$T/emptyfilter.txt" "filter applied"
expect_queue "$T/emptyfilter.txt" open 6
expect_msg "$T/fcleared.txt" "filter cleared"
expect_queue "$T/fcleared.txt" open 6
