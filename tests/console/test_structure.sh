#!/bin/sh
# Accounts tab: the cluster a case's accounts belong to across cases, with the other cases'
# ids; :goto opens one of them. In the fixture C-1001 (u-1, u-2: payment method) and
# C-1004 (u-7, u-2: device) join u-1, u-2 and u-7 into one cluster.
. "$(dirname "$0")/lib.sh"
make_store
# 30 lines: the Accounts tab of C-1001 is longer than an 80x24 pane (times name their zone).
LINES=30 run_script <<EOS
:goto C-1001
5
:save-display $T/accounts.txt
:goto C-1004
1
:save-display $T/summary.txt
:goto C-1003
5
:save-display $T/none.txt
EOS
expect "$T/accounts.txt" "Across cases"
expect "$T/accounts.txt" "cluster of 3 accounts with Acme LLC"
expect "$T/accounts.txt" "other accounts: u-7"
expect "$T/accounts.txt" "other cases: C-1004"
expect "$T/accounts.txt" ":goto ID opens a case named here"
expect "$T/summary.txt" "C-1004 · self_hire"
expect "$T/none.txt" "  no ring or cluster"
