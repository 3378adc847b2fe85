#!/bin/sh
# Attacker-written names, titles, feedback and messages are shown as visible placeholders;
# no escape sequence, control or bidi override reaches the screen.
. "$(dirname "$0")/lib.sh"
make_store
run_script <<EOS
:goto C-1002
:save-display $T/summary.txt
2
:save-display $T/job.txt
4
:save-display $T/msg.txt
5
:save-display $T/acct.txt
EOS
expect "$T/summary.txt" "^[[31mEvil^[[0m <U+202E>gnp.exe"
expect "$T/job.txt" "Translate ^[]0;pwned^G page"
expect "$T/job.txt" "Great ^[[2J job"
expect "$T/msg.txt" "hello ^[]0;pwned^G world <U+202E>abc"
expect "$T/acct.txt" "山田太郎"
for f in summary job msg acct; do
    if LC_ALL=C grep -q "$(printf '\033')" "$T/$f.txt"; then fail "an ESC byte reached the screen ($f)"; fi
    if grep -q "$(printf '\342\200\256')" "$T/$f.txt"; then fail "a bidi override reached the screen ($f)"; fi
    if LC_ALL=C grep -q "$(printf '\007')" "$T/$f.txt"; then fail "a BEL reached the screen ($f)"; fi
done
# The queue row's names go through the renderer too.
expect "$T/summary.txt" "^[["
