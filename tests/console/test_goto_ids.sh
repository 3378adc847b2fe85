#!/bin/sh
# :goto takes a case id as the command line does (fbreview/store_id.h): in any case, and
# an unknown one is named.
. "$(dirname "$0")/lib.sh"
make_store
run_script <<EOS
:goto c-1006
:save-display $T/lower.txt
:goto C-1005
:save-display $T/exact.txt
:goto c-404
:save-display $T/missing.txt
EOS
case "$(selected "$T/lower.txt")" in *C-1006*) ;; *) fail ":goto c-1006 did not select C-1006" ;; esac
case "$(selected "$T/exact.txt")" in *C-1005*) ;; *) fail ":goto C-1005 did not select C-1005" ;; esac
expect "$T/missing.txt" "no case c-404"
