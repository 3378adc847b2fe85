#!/bin/sh
# The `:` command line is readline: editing keys work, Esc cancels, and the history is
# kept in $XDG_STATE_HOME/fbreview/history across runs.
. "$(dirname "$0")/lib.sh"
make_store
run_script <<EOS
# The : key opens the prompt (a line starting with : would be a scripted command).
<C-l>:goto C-1006<Enter>
:save-display $T/goto.txt
<C-l>:goto C-100X<Backspace>3<Enter>
:save-display $T/edit.txt
<C-l>:goto C-1005<Left><Left><Left><Left><Left><Left>bogus <Esc>
:save-display $T/cancel.txt
<C-l>:nonsense<Enter>
:save-display $T/unknown.txt
EOS
case "$(selected "$T/goto.txt")" in *C-1006*) ;; *) fail ":goto through the prompt" ;; esac
case "$(selected "$T/edit.txt")" in *C-1003*) ;; *) fail "Backspace in the prompt" ;; esac
case "$(selected "$T/cancel.txt")" in *C-1003*) ;; *) fail "Esc did not cancel the prompt" ;; esac
expect "$T/unknown.txt" "unknown command :nonsense"
H="$XDG_STATE_HOME/fbreview/history"
[ -f "$H" ] || fail "no history file at $H"
grep -q "goto C-1006" "$H" || fail "history lacks the first command"
grep -q "goto C-1003" "$H" || fail "history lacks the edited command"
# The history names cases and accounts under investigation: for its owner only, in
# folders fbreview created for its owner only.
[ "$(stat -c %a "$H")" = 600 ] || fail "history file mode $(stat -c %a "$H"), not 600"
[ "$(stat -c %a "$(dirname "$H")")" = 700 ] || fail "history folder mode $(stat -c %a "$(dirname "$H")"), not 700"
# A new run recalls the history with Up.
run_script <<EOS
<C-l>:<Up><Up><Enter>
:save-display $T/recall.txt
EOS
case "$(selected "$T/recall.txt")" in *C-1003*) ;; *) fail "Up did not recall :goto C-1003 from the history" ;; esac
