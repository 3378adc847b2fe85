#!/bin/sh
# The tab bar names the tabs wherever names fit (tab_levels in view_case.c, names and
# abbreviations from one table, FB_TAB_TABLE): at 80 columns every tab has its abbreviation
# (before, only the active tab had a name and the others were numbers), wider every tab its
# full name; at any width the active tab shows and no label is cut at the pane's edge.
. "$(dirname "$0")/lib.sh"
make_store
for size in 80x24 84x24 88x24 92x24 100x30 120x30 140x40 160x48 200x60; do
    for tab in 1 4 6; do
        run_script <<EOS
<Resize $size>
$tab
:save-display $T/tabs-$size-$tab.txt
EOS
        # the evidence pane's part of row 2: after the queue's │
        bar=$(sed -n 2p "$T/tabs-$size-$tab.txt" | sed 's/.*│//')
        cols=${size%x*}
        case $tab in 1) active='1 Sum(mary)?' ;; 4) active='4 M(sg|essages)' ;; 6) active='6 Hist(ory)?' ;; esac
        echo "$bar" | grep -Eq " $active( |\$)" || fail "$size, tab $tab: the active tab has no name: [$bar]"
        # every label whole: a number, then its name, its abbreviation or nothing
        echo "$bar" | grep -Eq '^ 1( Sum| Summary)? +2( Job)? +3( Pay| Payments)? +4( Msg| Messages)? +5( Acct| Accounts)? +6( Hist| History)? *$' ||
            fail "$size, tab $tab: a label is cut or missing: [$bar]"
        if [ "$cols" -ge 80 ]; then
            echo "$bar" | grep -Eq '1 Sum.* 2 Job .*3 Pay.* 4 M(sg|essages) .*5 Acc.* 6 Hist' ||
                fail "$size, tab $tab: at $cols columns a tab has no name: [$bar]"
        fi
        if [ "$cols" -ge 160 ]; then
            echo "$bar" | grep -q '1 Summary  2 Job  3 Payments  4 Messages  5 Accounts  6 History' ||
                fail "$size, tab $tab: the full names fit but are not shown: [$bar]"
        fi
    done
done
