#!/bin/sh
# The team policy may carry the message analyser's phrase rules (issue 11): `upstream
# policy publish FILE --lexicon FILE --frames FILE` checks them as a console will build its
# analyser (a bad line is FILE:LINE: field: problem, and nothing is published); consoles
# pull them with the policy and analyse their undecided cases and the cases they take in
# with them, over their own store's rules, offline too. The rules here are the test's own (the format of
# data/lexicon.tsv and data/frames.tsv), so the built-in rules' contents do not matter.
. "$(dirname "$0")/lib.sh"
pg_start
msg_case() {   # msg_case ID TEXT: a case with one message
    printf '{"case_id":"%s","opened_at":"2026-11-20T10:00:00Z","alleged":"paid_feedback","accounts":[{"id":"u-%s-1","role":"client"},{"id":"u-%s-2","role":"freelancer"}],"messages":[{"from":"u-%s-1","to":"u-%s-2","at":"2026-11-19T09:00:00Z","body":"%s"}]}\n' \
        "$1" "$1" "$1" "$1" "$1" "$2"
}
msg_case C-1 "I send you zorbleflux for a five star review" >"$T/c1.jsonl"
"$FB" upstream import "$T/c1.jsonl" >/dev/null || fail "import C-1"
fb bob sync --once >/dev/null 2>&1 || fail "bob's first sync (before the rules)"

printf '[policy]\nhigh_risk = 55\n' >"$T/team.conf"
printf '# a team lexicon\nzorb\tzorbleflux\nrating\tfive star\n' >"$T/lex.tsv"
printf 'zorb_pay\tpaid_feedback\t40\tsentence\tzorb rating\toffers {zorb} for {rating}\n' >"$T/frames.tsv"

# Bad lines are named FILE:LINE: field, and nothing reaches upstream.
printf '# a team lexicon\nzorb\tzorbleflux\nRating\tfive star\n' >"$T/badlex.tsv"
if "$FB" upstream policy publish "$T/team.conf" --lexicon "$T/badlex.tsv" --frames "$T/frames.tsv" >"$T/out" 2>&1; then
    fail "published a bad lexicon"
fi
grep -q "$T/badlex.tsv:3: class: \"Rating\" is not a class name" "$T/out" || fail "bad lexicon: $(cat "$T/out")"
printf 'zorb_pay\tpaid_feedback\t400\tsentence\tzorb rating\toffers {zorb} for {rating}\n' >"$T/badframes.tsv"
if "$FB" upstream policy publish "$T/team.conf" --lexicon "$T/lex.tsv" --frames "$T/badframes.tsv" >"$T/out" 2>&1; then
    fail "published bad frames"
fi
grep -q "$T/badframes.tsv:1: weight: " "$T/out" || fail "bad frames: $(cat "$T/out")"
# frames naming a class the (built-in) lexicon lacks
if "$FB" upstream policy publish "$T/team.conf" --frames "$T/frames.tsv" >"$T/out" 2>&1; then
    fail "published frames without their classes"
fi
grep -q "$T/frames.tsv:1: needs: unknown class \"zorb\"" "$T/out" || fail "unknown class: $(cat "$T/out")"
if "$FB" upstream policy publish "$T/team.conf" --lexicon "$T/nosuch.tsv" >"$T/out" 2>&1; then fail "published a missing file"; fi
grep -q "cannot open $T/nosuch.tsv" "$T/out" || fail "missing file: $(cat "$T/out")"
[ "$(q "select count(*) from fb_policy")" = 0 ] || fail "a refused policy reached upstream"
ok "bad phrase rules are refused naming FILE:LINE: field; nothing is published"

"$FB" upstream policy publish "$T/team.conf" --lexicon "$T/lex.tsv" --frames "$T/frames.tsv" >"$T/out" 2>&1 ||
    fail "publish with rules: $(cat "$T/out")"
grep -q "published the team policy as version 1 .*with phrase rules" "$T/out" || fail "publish answer: $(cat "$T/out")"
[ "$(q "select lexicon = \$\$$(cat "$T/lex.tsv")
\$\$ and frames = \$\$$(cat "$T/frames.tsv")
\$\$ from fb_policy where version = 1")" = t ] || fail "the rules upstream differ from the files"
"$FB" upstream policy show >"$T/out" || fail "policy show"
grep -q "^# phrase rules: lexicon.tsv .* bytes" "$T/out" || fail "policy show: $(cat "$T/out")"
"$FB" upstream policy show 1 --rules >"$T/out" || fail "policy show --rules"
grep -q "^zorb	zorbleflux" "$T/out" && grep -q "^zorb_pay	paid_feedback" "$T/out" || fail "show --rules: $(cat "$T/out")"
ok "a policy with phrase rules is published and shown"

# alice takes C-1 in after the policy: analysed with the team's rules, not her store's.
fb alice sync --once >/dev/null 2>&1 || fail "alice's first sync"
fb alice show C-1 >"$T/show" || fail "alice show"
grep -q "msg_zorb_pay .*offers “zorbleflux” for “five star”" "$T/show" || fail "the team's frame did not fire: $(cat "$T/show")"
[ "$(lq alice "select count(*) from lexicon_term where term = 'zorbleflux'")" = 0 ] || fail "alice's own rules were changed"
# bob took C-1 in before the policy: his undecided case is analysed again with the team's
# rules; a new case pulled now uses them too.
fb bob show C-1 >"$T/show" || fail "bob show before his sync"
if grep -q "msg_zorb_pay" "$T/show"; then fail "bob's case used rules he has not pulled"; fi
before=$(lq bob "select analysis from \"case\" where id = 'C-1'")
fb bob sync --once >/dev/null 2>&1 || fail "bob pulls the policy"
# the pull marks it stale (the team's rules change the fingerprint) and analyses nothing
# inline; show analyses it before reading it
[ "$(lq bob "select analysis from \"case\" where id = 'C-1'")" = "$before" ] || fail "the pull analysed bob's case inline"
fb bob show C-1 >"$T/show" || fail "bob show"
[ "$(lq bob "select analysis from \"case\" where id = 'C-1'")" != "$before" ] || fail "show left bob's case stale"
grep -q "msg_zorb_pay .*offers “zorbleflux” for “five star”" "$T/show" || fail "bob's earlier case: $(cat "$T/show")"
msg_case C-2 "zorbleflux is yours if you leave a five star rating" >"$T/c2.jsonl"
"$FB" upstream import "$T/c2.jsonl" >/dev/null || fail "import C-2"
fb bob sync --once >/dev/null 2>&1 || fail "bob syncs"
fb bob show C-2 >"$T/show" || fail "bob show C-2"
grep -q "msg_zorb_pay .*offers “zorbleflux” for “five star”" "$T/show" || fail "bob's new case: $(cat "$T/show")"
# offline, the pulled rules still apply to a local import
msg_case C-3 "zorbleflux for your five star" >"$T/c3.jsonl"
FBREVIEW_UPSTREAM="host=$T port=1 user=bob dbname=fbreview" fb bob import "$T/c3.jsonl" >/dev/null 2>&1 || fail "offline import"
fb bob show C-3 >"$T/show" || fail "bob show C-3"
grep -q "msg_zorb_pay .*offers “zorbleflux” for “five star”" "$T/show" || fail "offline import: $(cat "$T/show")"
ok "consoles analyse their undecided cases and those they take in with the team's phrase rules (online and offline)"

# A later version without rules: consoles go back to their own store's rules, for the
# cases they take in and the undecided ones they hold.
"$FB" upstream policy publish "$T/team.conf" >/dev/null || fail "publish without rules"
msg_case C-4 "zorbleflux for a five star review" >"$T/c4.jsonl"
"$FB" upstream import "$T/c4.jsonl" >/dev/null || fail "import C-4"
fb bob sync --once >/dev/null 2>&1 || fail "bob syncs v2"
for c in C-4 C-1; do
    fb bob show $c >"$T/show" || fail "bob show $c"
    if grep -q "msg_zorb_pay" "$T/show"; then fail "rules of v1 used on $c under v2"; fi
done
ok "a version without phrase rules gives the consoles their own rules back"
