#!/bin/sh
# Identity is the upstream login (issue 11): what a console calls itself does not matter
# upstream. Four eyes by a lead, escalations to leads, appeal separation, no direct table
# writes for logins, grant/revoke, and the hash-chained upstream audit.
. "$(dirname "$0")/lib.sh"
pg_start
pg_login carol lead
upstream_cases 1 8
for c in alice bob carol; do fb $c sync --once >/dev/null 2>&1 || fail "$c first sync"; done

# 1. alice's login, calling herself bob: told at connect, nothing accepted as bob.
fb_as alice bob sync --once >/dev/null 2>"$T/err" || fail "alice-as-bob first sync: $(cat "$T/err")"
grep -q 'calls its reviewer "bob" but is logged in upstream as "alice"' "$T/err" ||
    fail "no warning at connect: $(cat "$T/err")"
fb_as alice bob decide C-1 education --violation self_hire --rationale "as bob" >/dev/null 2>&1 || fail "decide as bob"
fb_as alice bob note C-1 "written as bob" >/dev/null 2>&1 || fail "note as bob"
fb_as alice bob sync --once >"$T/out" 2>"$T/err"
grep -q "rejected: decision by bob pushed by login alice" "$T/out" || fail "decision as bob: $(cat "$T/out")"
grep -q "rejected: note by bob pushed by login alice" "$T/out" || fail "note as bob: $(cat "$T/out")"
[ "$(q "select count(*) from fb_decision where reviewer='bob'")" = 0 ] || fail "upstream has a decision by bob"
[ "$(q "select count(*) from fb_note where reviewer='bob'")" = 0 ] || fail "upstream has a note by bob"
[ "$(q "select reviewer || ' ' || outcome from fb_decision where case_id='C-1'")" = "alice rejected" ] ||
    fail "the refusal is not recorded under the login"
[ "$(q "select status from fb_case where id='C-1'")" = open ] || fail "C-1 moved"
[ "$(lq bob "select sync_state from decision where case_id='C-1'")" = rejected ] || fail "not rejected locally"
ok "alice calling herself bob is told so at connect and gets nothing accepted as bob"
# The console says so on its status line, whatever else the line has to show.
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color LINES=24 COLUMNS=80
printf ':sync\n:save-display %s\n' "$T/screen.txt" >"$T/script"
fb_as alice bob --script "$T/script" 2>"$T/err" || fail "alice-as-bob console: $(cat "$T/err")"
tail -1 "$T/screen.txt" | grep -q "login alice ≠ reviewer bob" ||
    fail "console status line at 80 columns: $(tail -1 "$T/screen.txt")"
ok "the console of alice calling herself bob says so on its status line"

# 2. Four eyes: alice proposes a block; alice cannot approve it (another store, or
#    another name), bob (not a lead) cannot, carol (a lead) can.
fb alice decide C-2 block --violation paid_feedback --rationale "paid for stars" >/dev/null 2>&1 || fail "alice block"
d=$(lq alice "select id from decision where case_id='C-2'")
fb alice sync --once >/dev/null 2>&1 || fail "alice push block"
[ "$(q "select status from fb_case where id='C-2'")" = pending_approval ] || fail "not pending approval"
# A second store of alice's (the console refuses her own block, so the row is written as
# a modified console would).
FBREVIEW_UPSTREAM=$(conn alice) fb alice2 sync --once >/dev/null 2>&1 || fail "alice2 pull"
lq alice2 "insert into outbox(kind, ref, payload, created_at) values ('approval', '$d',
           json_object('decision_id','$d','approval','approved','by','alice','at',1), 1)"
FBREVIEW_UPSTREAM=$(conn alice) fb alice2 sync --once >"$T/out" 2>&1
grep -q "block $d: only a reviewer other than the one who proposed it may approve the block, which login alice is not" "$T/out" || fail "self-approval: $(cat "$T/out")"
# alice's login calling herself dave: the console lets dave approve, upstream does not.
fb_as alice dave sync --once >/dev/null 2>&1
fb_as alice dave approve "$d" >/dev/null 2>&1 || fail "dave's local approval"
fb_as alice dave sync --once >"$T/out" 2>&1
grep -q "approval by dave pushed by login alice" "$T/out" || fail "approval as dave: $(cat "$T/out")"
fb bob sync --once >/dev/null 2>&1
fb bob approve "$d" >/dev/null 2>&1 || fail "bob's local approval"
fb bob sync --once >"$T/out" 2>&1
grep -q "only a lead may approve the block (the case is pending approval), and login bob is not in fbreview_lead (policy approver_role = lead)" "$T/out" || fail "non-lead approval: $(cat "$T/out")"
[ "$(q "select count(*) from fb_approval")" = 0 ] || fail "an approval was recorded"
[ "$(q "select status from fb_case where id='C-2'")" = pending_approval ] || fail "C-2 moved"
fb carol sync --once >/dev/null 2>&1
fb carol approve "$d" >/dev/null 2>&1 || fail "carol's local approval"
fb carol sync --once >"$T/out" 2>&1 || fail "carol push: $(cat "$T/out")"
[ "$(q "select approval || ' ' || by_reviewer from fb_approval where decision_id='$d'")" = "approved carol" ] ||
    fail "the lead's approval is not upstream"
[ "$(q "select status from fb_case where id='C-2'")" = decided ] || fail "C-2 not decided after the lead approved"
ok "a block is approved only by a lead other than its proposer (not alice from a second store, not bob)"

# 3. An escalated case is decided only by a lead.
fb alice decide C-3 escalate --rationale "needs a lead" >/dev/null 2>&1 || fail "escalate"
fb alice sync --once >/dev/null 2>&1 || fail "push escalate"
[ "$(q "select status from fb_case where id='C-3'")" = escalated ] || fail "not escalated upstream"
fb bob sync --once >/dev/null 2>&1
fb bob decide C-3 no_violation --rationale "fine" >/dev/null 2>&1 || fail "bob decides C-3 locally"
fb bob sync --once >"$T/out" 2>&1
grep -q "case C-3: only a lead may dismiss (the case is escalated), and login bob is not in fbreview_lead" "$T/out" || fail "non-lead on escalated: $(cat "$T/out")"
fb carol sync --once >/dev/null 2>&1
fb carol decide C-3 no_violation --rationale "fine after all" >/dev/null 2>&1 || fail "carol decides C-3"
fb carol sync --once >"$T/out" 2>&1
grep -q "accepted 1" "$T/out" || fail "lead on escalated: $(cat "$T/out")"
[ "$(q "select reviewer from fb_decision d join fb_case c on c.decision_id = d.id where c.id='C-3'")" = carol ] ||
    fail "C-3 not decided by carol"
ok "an escalated case is decided by a lead, not by a reviewer"

# 4. The appealed reviewer cannot decide the appeal (even with the local check switched off).
fb alice decide C-4 education --violation self_hire --rationale "first time" >/dev/null 2>&1 || fail "C-4"
d4=$(lq alice "select id from decision where case_id='C-4'")
fb alice sync --once >/dev/null 2>&1 || fail "push C-4"
fb bob sync --once >/dev/null 2>&1
fb bob appeal "$d4" --text "I did nothing wrong" >/dev/null 2>&1 || fail "appeal"
fb bob sync --once >/dev/null 2>&1 || fail "push appeal"
[ "$(q "select by_reviewer from fb_appeal where decision_id='$d4'")" = bob ] || fail "appeal not recorded under bob"
printf '[policy]\nappeal_separation = false\n' >"$T/nosep.conf"
fb alice sync --once >/dev/null 2>&1
fb alice --config "$T/nosep.conf" decide C-4 no_violation --rationale "I overturn myself" >"$T/d.out" 2>&1 ||
    fail "alice decides her own appeal locally: $(cat "$T/d.out")"
fb alice sync --once >"$T/out" 2>&1
grep -q "case C-4: only a reviewer other than the one whose decision is appealed may dismiss, which login alice is not" "$T/out" || fail "own appeal: $(cat "$T/out")"
[ "$(q "select status from fb_case where id='C-4'")" = appealed ] || fail "C-4 moved"
fb bob decide C-4 no_violation --rationale "appeal upheld" >/dev/null 2>&1 || fail "bob decides the appeal"
fb bob sync --once >"$T/out" 2>&1
grep -q "accepted 1" "$T/out" || fail "bob on the appeal: $(cat "$T/out")"
ok "the reviewer whose decision is appealed cannot decide the appeal; another can"

# 5. A claim override names who overrode (the login), whatever the console says.
fb carol upstream claim C-5 --lease-ms 600000 >/dev/null || fail "carol claims C-5"
fb bob sync --once >/dev/null 2>&1
fb bob decide C-5 --accept --override-claim >/dev/null 2>&1 || fail "override as bob"
fb bob sync --once >"$T/out" 2>&1 || fail "push override: $(cat "$T/out")"
[ "$(q "select reviewer || ' ' || claim_overrode from fb_decision where case_id='C-5' and outcome='accepted'")" = "bob carol" ] ||
    fail "the override does not name bob over carol"
ok "a claim override records the login that overrode and whose claim it was"

# 6. alice's login has no direct writes on any upstream table.
tables=$(q "select string_agg(tablename, ' ') from pg_tables where schemaname='public' and tablename like 'fb\_%'")
[ -n "$tables" ] || fail "no tables"
for tb in $tables; do
    col=$(q "select column_name from information_schema.columns where table_name = '$tb' order by ordinal_position limit 1")
    for stmt in "UPDATE $tb SET $col = $col" "DELETE FROM $tb" "TRUNCATE $tb"; do
        if psql -X -q -h "$T" -p "$PGPORT" -U alice -d fbreview -c "$stmt" >"$T/psql.out" 2>&1; then
            fail "alice could run: $stmt"
        fi
        grep -q "permission denied" "$T/psql.out" || fail "$stmt: $(cat "$T/psql.out")"
    done
    if psql -X -q -h "$T" -p "$PGPORT" -U alice -d fbreview -c "INSERT INTO $tb DEFAULT VALUES" >"$T/psql.out" 2>&1; then
        fail "alice could insert into $tb"
    fi
    grep -q "permission denied" "$T/psql.out" || fail "insert into $tb: $(cat "$T/psql.out")"
done
if psql -X -q -h "$T" -p "$PGPORT" -U alice -d fbreview -c "SELECT fb_audit_append('x', '{}')" >"$T/psql.out" 2>&1; then
    fail "alice could append to the audit directly"
fi
ok "alice's login cannot INSERT, UPDATE, DELETE or TRUNCATE any upstream table ($(echo $tables | wc -w) tables)"

# 7. grant and revoke: the login must exist; a revoked login's pushes are refused.
if "$FB" upstream grant nosuchlogin reviewer >"$T/out" 2>&1; then fail "granted a missing login"; fi
grep -q 'upstream has no login "nosuchlogin"' "$T/out" || fail "missing login: $(cat "$T/out")"
if "$FB" upstream grant alice superuser >"$T/out" 2>&1; then fail "granted an unknown role"; fi
pg_login 'Eve"; DROP TABLE fb_case; --'
"$FB" upstream grant 'Eve"; DROP TABLE fb_case; --' reviewer >/dev/null || fail "grant to an odd name"
[ "$(q "select count(*) from pg_auth_members m join pg_roles r on r.oid = m.member
        where r.rolname = 'Eve\"; DROP TABLE fb_case; --'")" = 1 ] || fail "the odd login is not a member"
[ "$(q "select count(*) from fb_case")" -gt 0 ] || fail "fb_case is gone"
"$FB" upstream revoke bob reviewer >/dev/null || fail "revoke bob"
fb bob decide C-6 --accept >/dev/null 2>&1 || fail "bob decides C-6"
if fb bob sync --once >"$T/out" 2>&1; then fail "a revoked login pushed"; fi
grep -q "login \"bob\" has no reviewer role upstream" "$T/out" && grep -q "permission denied" "$T/out" ||
    fail "revoked: $(cat "$T/out")"
"$FB" upstream grant bob reviewer >/dev/null || fail "grant bob again"
fb bob sync --once >"$T/out" 2>&1 || fail "bob after the grant: $(cat "$T/out")"
ok "grant needs an existing login and quotes it; revoke takes the right away, grant gives it back"

# 8. The upstream audit: every write above is chained; a tampered row is named.
"$FB" upstream verify >"$T/out" || fail "verify: $(cat "$T/out")"
grep -q "the hash chain holds" "$T/out" || fail "verify output: $(cat "$T/out")"
[ "$(q "select count(distinct who) from fb_audit where who in ('alice','bob','carol')")" = 3 ] || fail "audit lacks logins"
[ "$(q "select count(*) from fb_audit where kind='decisions' and what->>'rows' like '% C-5 % accepted % carol%'")" -ge 1 ] ||
    fail "the audit does not name the overridden claim"
bad=$(q "select id from fb_audit where who='alice' order by id limit 1 offset 1")
$PSQL -c "UPDATE fb_audit SET who = 'mallory' WHERE id = $bad"
if "$FB" upstream verify >"$T/out" 2>"$T/err"; then fail "verify missed a tampered row"; fi
grep -q "upstream audit row $bad is bad" "$T/err" || fail "verify did not name row $bad: $(cat "$T/err")"
ok "upstream verify names the first tampered row ($bad)"
