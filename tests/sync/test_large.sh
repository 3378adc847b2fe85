#!/bin/sh
# Large evidence travels: a case with a 900,000-character message among 3,000 messages
# and a 2,000-character name, and a case with a field past the 16 MiB cap, go upstream
# with `upstream import`, are pulled by a console, keep every byte (or, past the cap,
# the kept start with the original's length and SHA-256), and open in the console, where
# the long message is folded until z unfolds it.
. "$(dirname "$0")/lib.sh"
pg_start
python3 - "$T/large.jsonl" "$T/big.sha" <<'PY'
import hashlib, json, sys
pieces = ["word ", "café ", "€", "😀", "\n", '"', "\\", "\x1b[31m", "שלום "]
def text(n):
    out, k = [], 0
    while k < n:
        p = pieces[(k * 7 + k // 3) % len(pieces)]
        if k + len(p) > n:
            p = "x"
        out.append(p)
        k += len(p)
    return "".join(out)
big = text(900000 - len(" END-OF-BIG")) + " END-OF-BIG"
assert len(big) == 900000
name = text(2000)
msgs = [{"from": "u-1" if i % 2 else "u-2", "to": "u-2" if i % 2 else "u-1", "body": "message %d: five stars please" % i}
        for i in range(2999)]
msgs.append({"from": "u-2", "to": "u-1", "body": big})
c1 = {"case_id": "C-BIG", "opened_at": "2026-11-20T10:00:00Z", "alleged": "paid_feedback",
      "accounts": [{"id": "u-1", "role": "client", "name": name}, {"id": "u-2", "role": "freelancer", "name": "Jo"}],
      "messages": msgs}
huge = text((16 << 20) + 4096)
c2 = {"case_id": "C-CUT", "opened_at": "2026-11-20T10:00:00Z",
      "accounts": [{"id": "u-3", "role": "client"}, {"id": "u-4", "role": "freelancer"}],
      "messages": [{"from": "u-3", "to": "u-4", "body": huge}]}
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write(json.dumps(c1, ensure_ascii=False) + "\n")
    f.write(json.dumps(c2) + "\n")
with open(sys.argv[2], "w") as f:
    f.write("%s %d\n" % (hashlib.sha256(huge.encode()).hexdigest(), len(huge.encode())))
PY
read -r SHA LEN <"$T/big.sha"

"$FB" upstream import "$T/large.jsonl" >"$T/out" 2>&1 || { cat "$T/out"; fail "upstream import of large cases"; }
grep -q "2 added" "$T/out" || fail "upstream import: $(cat "$T/out")"
[ "$(q "select jsonb_array_length(doc->'messages') from fb_case where id='C-BIG'")" = 3000 ] || fail "upstream lost messages"
[ "$(q "select length(doc->'messages'->2999->>'body') from fb_case where id='C-BIG'")" = 900000 ] || fail "upstream cut the long message"
[ "$(q "select doc->'cut'->0->>'sha256' || ' ' || (doc->'cut'->0->>'length') from fb_case where id='C-CUT'")" = "$SHA $LEN" ] ||
    fail "upstream lacks the cut record: $(q "select doc->'cut' from fb_case where id='C-CUT'")"
ok "upstream import keeps the large case whole and the cut case with its record"

fb A sync --once >"$T/out" 2>&1 || { cat "$T/out"; fail "A pulls"; }
[ "$(lq A "select count(*) from message where case_id='C-BIG'")" = 3000 ] || fail "A pulled $(lq A "select count(*) from message where case_id='C-BIG'") messages"
[ "$(lq A "select length(body) from message where case_id='C-BIG' and ord=2999")" = 900000 ] || fail "A's long message is not whole"
[ "$(lq A "select length(name) from account where id='u-1'")" = 2000 ] || fail "A's long name is not whole"
fb A show C-CUT >"$T/show.txt" 2>&1 || fail "show C-CUT"
grep -q "messages\[0\].body.*kept 16777.* of $LEN bytes  sha256 $SHA" "$T/show.txt" || { cat "$T/show.txt" | tail -5; fail "show lacks the cut record"; }
fb A show C-CUT --json | grep -q "\"sha256\": \"$SHA\"" || fail "show --json lacks the cut record"
ok "a console pulls both: the long message whole, the cut field marked with length and SHA-256"

# Locally, the same file imports the same way.
fb L import "$T/large.jsonl" >"$T/out" 2>&1 || { cat "$T/out"; fail "local import"; }
[ "$(lq L "select length(body) from message where case_id='C-BIG' and ord=2999")" = 900000 ] || fail "local import cut the message"
[ "$(lq L "select j.value->>3 from case_evidence e, json_each(e.data, '\$.x') j where e.case_id='C-CUT'")" = "$SHA" ] ||
    fail "local import lacks the cut record"
ok "local import keeps the same"

# The console: the long message opens folded; z unfolds it; its end is reachable.
cat >"$T/script" <<EOS
:goto C-BIG
<Tab>
4
G
:save-display $T/folded.txt
z
G
:save-display $T/unfolded.txt
:goto C-CUT
4
:save-display $T/cut.txt
EOS
FBREVIEW_UPSTREAM= LINES=24 COLUMNS=100 TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 \
    "$FB" --db "$T/A.db" --reviewer A --script "$T/script" 2>"$T/console.err" || { cat "$T/console.err"; fail "console"; }
grep -q "folded: 900000 characters" "$T/folded.txt" || { cat "$T/folded.txt"; fail "the long message is not folded"; }
grep -q "END-OF-BIG" "$T/folded.txt" && fail "the folded message shows its end"
grep -q "END-OF-BIG" "$T/unfolded.txt" || { cat "$T/unfolded.txt"; fail "z did not unfold the message"; }
grep -q "cut on import" "$T/cut.txt" || { cat "$T/cut.txt"; fail "the console does not mark the cut field"; }
ok "the console folds the long message, unfolds it on z, marks the cut field"
