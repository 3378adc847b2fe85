#!/bin/sh
# One policy for the team (issue 11): an admin publishes [policy] and [ladder] as a
# version; consoles pull it with sync and use it over their own config (offline too);
# every decision records the version it was recommended under (store, upstream,
# show --json, CSV); the console's status line shows it.
. "$(dirname "$0")/lib.sh"
pg_start
upstream_cases 1 3
fb alice sync --once >/dev/null 2>&1 || fail "alice first sync"
# A console config of alice's own that disagrees with the team (it must lose).
printf '[ladder]\nserious.0 = suspension 7\n' >"$T/alice.conf"
fb alice --config "$T/alice.conf" show C-1 >"$T/out" || fail "show before"
grep -q "Recommended: suspension 7 days (self_hire)" "$T/out" || fail "local config not used: $(grep Recommended "$T/out")"

# Publishing: only admins; only [policy] and [ladder]; bad values named FILE:LINE.
printf '[policy]\nhigh_risk = 50\n[ladder]\nserious.0 = suspension 60\n' >"$T/team.conf"
if FBREVIEW_UPSTREAM=$(conn alice) "$FB" upstream policy publish "$T/team.conf" >"$T/out" 2>&1; then
    fail "a reviewer published the policy"
fi
grep -q "permission denied for function fb_policy_publish" "$T/out" || fail "reviewer publish: $(cat "$T/out")"
printf '[ladder]\nserious.0 = suspension 60\n[sync]\nupstream = x\n' >"$T/bad1.conf"
if "$FB" upstream policy publish "$T/bad1.conf" >"$T/out" 2>&1; then fail "published [sync]"; fi
grep -q "bad1.conf:3: section \[sync\] is not part of the team policy" "$T/out" || fail "bad section: $(cat "$T/out")"
printf '[policy]\napprover_role = anyone\n' >"$T/bad2.conf"
if "$FB" upstream policy publish "$T/bad2.conf" >"$T/out" 2>&1; then fail "published approver_role = anyone"; fi
grep -q "bad2.conf:2: \[policy\] approver_role: expected lead|reviewer, got \"anyone\"" "$T/out" || fail "bad role: $(cat "$T/out")"
[ "$(q "select count(*) from fb_policy")" = 0 ] || fail "a bad policy reached upstream"
"$FB" upstream policy publish "$T/team.conf" >"$T/out" || fail "publish: $(cat "$T/out")"
grep -q "published the team policy as version 1" "$T/out" || fail "publish answer: $(cat "$T/out")"
"$FB" upstream policy show >"$T/out" || fail "policy show"
grep -q "^# team policy version 1, published by fbowner" "$T/out" && grep -q "serious.0 = suspension 60" "$T/out" ||
    fail "policy show: $(cat "$T/out")"
if "$FB" upstream policy show 2 >/dev/null 2>&1; then fail "showed a version that does not exist"; fi
ok "only an admin publishes, and only a valid [policy]/[ladder] file; policy show prints a version"

# The console takes it at its next sync, over its own config, and keeps it offline.
fb alice --config "$T/alice.conf" sync --once >/dev/null 2>&1 || fail "alice sync"
[ "$(lq alice "select value from sync_state where key='policy_version'")" = 1 ] || fail "policy not pulled"
fb alice --config "$T/alice.conf" show C-1 >"$T/out" || fail "show after"
grep -q "Recommended: suspension 60 days (self_hire)" "$T/out" || fail "team policy not used: $(grep Recommended "$T/out")"
FBREVIEW_UPSTREAM="host=$T port=1 user=alice dbname=fbreview" fb alice --config "$T/alice.conf" show C-2 >"$T/out" ||
    fail "show offline"
grep -q "Recommended: suspension 60 days (self_hire)" "$T/out" || fail "offline: $(grep Recommended "$T/out")"
ok "a published policy reaches the console by sync and wins over its config (online and offline)"

# The decision carries the version: store, payload, upstream, show --json, CSV.
fb alice --config "$T/alice.conf" decide C-1 --accept >"$T/out" 2>&1 || fail "decide: $(cat "$T/out")"
[ "$(lq alice "select days || ' ' || policy_version from decision where case_id='C-1'")" = "60 1" ] ||
    fail "local decision: $(lq alice "select days, policy_version from decision where case_id='C-1'")"
fb alice sync --once >/dev/null 2>&1 || fail "push"
[ "$(q "select policy_version from fb_decision where case_id='C-1'")" = 1 ] || fail "upstream lacks the version"
fb alice show C-1 --json >"$T/show.json" || fail "show --json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); v=[x.get("policy_version") for x in d["decisions"]]; sys.exit(0 if v==[1] else 1)' \
    "$T/show.json" || fail "show --json decisions: $(cat "$T/show.json" | head -c 600)"
fb alice export -o "$T/out.csv" >/dev/null || fail "export"
python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"))); sys.exit(0 if [x["policy_version"] for x in r]==["1"] else 1)' \
    "$T/out.csv" || fail "CSV policy_version: $(cat "$T/out.csv")"
fb bob sync --once >/dev/null 2>&1 || fail "bob pulls"
[ "$(lq bob "select policy_version from decision where case_id='C-1'")" = 1 ] || fail "the pulled decision lost its version"
ok "the decision records policy_version 1 in the store, upstream, show --json, the CSV and on other consoles"

# The console's status line shows the version.
printf ':sync\n:save-display %s\n' "$T/screen.txt" >"$T/script"
LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color LINES=24 COLUMNS=200 fb alice --script "$T/script" 2>"$T/err" ||
    fail "console: $(cat "$T/err")"
grep -q "policy v1" "$T/screen.txt" || fail "status line: $(tail -1 "$T/screen.txt")"
ok "the console's status line shows the policy version"

# approver_role = reviewer: a reviewer (not the proposer) may then approve a block.
printf '[policy]\napprover_role = reviewer\n' >"$T/team2.conf"
"$FB" upstream policy publish "$T/team2.conf" >/dev/null || fail "publish v2"
fb alice decide C-2 block --violation paid_feedback --rationale "paid" >/dev/null 2>&1 || fail "block"
d=$(lq alice "select id from decision where case_id='C-2'")
fb alice sync --once >/dev/null 2>&1 || fail "push block"
fb bob sync --once >/dev/null 2>&1
fb bob approve "$d" >/dev/null 2>&1 || fail "bob approves locally"
fb bob sync --once >"$T/out" 2>&1 || fail "bob push: $(cat "$T/out")"
[ "$(q "select by_reviewer from fb_approval where decision_id='$d'")" = bob ] || fail "reviewer approval under approver_role = reviewer: $(cat "$T/out")"
ok "approver_role = reviewer lets a reviewer other than the proposer approve"
