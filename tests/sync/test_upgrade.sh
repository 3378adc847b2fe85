#!/bin/sh
# `fbreview upstream init` upgrades an upstream a released fbreview set up: a schema at
# version 3 (the lifecycle table), 4 (identity) or 5 (one judge), with cases, decisions,
# (at 4 and 5) a published policy and (at 5) an approval, becomes version 6 (fb_approval's
# CHECK written from the lifecycle's approval events) in one transaction, keeping every
# row; the upgraded upstream then judges with the table and the migrated policy.
# The old schemas are made from upstream.sql's first migrations: released migrations are
# never edited, so they are what that release's init ran.
. "$(dirname "$0")/lib.sh"
pg_start
pg_login carol lead
# sqlq DB SQL: one value from database DB, as the DBA.
sqlq() { psql -X -q -At -v ON_ERROR_STOP=1 -h "$T" -p "$PGPORT" -U postgres -d "$1" -c "$2"; }

# old_schema DB N: database DB at schema version N, as that release's init and pushes left
# it: the lifecycle rows its init wrote, an open case, a decided one and a block waiting
# for approval (proposed by alice), and at version 4 a policy with approver_role = reviewer.
old_schema() {
    db=$1 n=$2
    $PSQL_DBA -c "CREATE DATABASE $db OWNER fbowner" || fail "create $db"
    # init writes fb_lc_claim_live (the claim rule, from lifecycle.h) before the migrations:
    # here today's, as init left it
    q "select pg_get_functiondef('fb_lc_claim_live'::regproc) || ';'" >"$T/m.sql" || fail "claim rule"
    awk -v n="$n" '/^-- migration [0-9]+$/ { if ($3 + 0 > n) exit } { print }' "$FB_ROOT/upstream.sql" >>"$T/m.sql"
    grep -q "^-- migration $n\$" "$T/m.sql" || fail "upstream.sql has no migration $n"
    i=1
    while [ $i -le "$n" ]; do echo "INSERT INTO fb_schema_version(version) VALUES ($i);" >>"$T/m.sql"; i=$((i + 1)); done
    psql -X -q -v ON_ERROR_STOP=1 -1 "$(conn fbowner "$db")" -f "$T/m.sql" >"$T/m.out" 2>&1 || fail "schema $n in $db: $(cat "$T/m.out")"
    if [ "$n" -ge 5 ]; then
        # the rows version 5's init wrote (today's, which it shares) and the status CHECK
        for t in fb_lc_status fb_lc_transition fb_lc_event fb_lc_who fb_lc_role fb_lc_setting; do
            q "copy $t to stdout" | psql -X -q -v ON_ERROR_STOP=1 "$(conn fbowner "$db")" -c "copy $t from stdin" ||
                fail "$t rows"
        done
        sqlq "$db" "select fb_lc_status_constrain()" >/dev/null || fail "status CHECK in $db"
    else
        # the rows the old init wrote (the old columns of today's table)
        q "copy (select from_status, event, to_status, who, replace(role, 'approver', 'lead') from fb_lc_transition) to stdout" |
            psql -X -q -v ON_ERROR_STOP=1 "$(conn fbowner "$db")" -c "copy fb_lc_transition from stdin" || fail "lc rows"
        q "copy (select event, action, pending from fb_lc_event where action is not null) to stdout" |
            psql -X -q -v ON_ERROR_STOP=1 "$(conn fbowner "$db")" -c "copy fb_lc_event from stdin" || fail "lc events"
    fi
    {
        for c in 1 2 3; do
            printf "INSERT INTO fb_case (id, doc, updated_at) VALUES ('C-%s', '%s', 1);\n" "$c" "$(case_json "C-$c")"
        done
        cat <<SQL
INSERT INTO fb_decision (id, case_id, reviewer, action, violation, decided_at, payload, outcome, received_at)
VALUES ('00000000-0000-4000-8000-000000000002', 'C-2', 'alice', 'education', 'self_hire', 1, '{}', 'accepted', 1);
INSERT INTO fb_decision (id, case_id, reviewer, action, violation, decided_at, approval, payload, outcome, received_at)
VALUES ('00000000-0000-4000-8000-000000000003', 'C-3', 'alice', 'block', 'paid_feedback', 1, 'pending', '{"approval":"pending"}', 'accepted', 1);
UPDATE fb_case SET status = 'decided', decision_id = '00000000-0000-4000-8000-000000000002' WHERE id = 'C-2';
UPDATE fb_case SET status = 'pending_approval', decision_id = '00000000-0000-4000-8000-000000000003' WHERE id = 'C-3';
SQL
        [ "$n" -eq 4 ] && printf "INSERT INTO fb_policy (version, body, approver_role, published_by, published_at)
            VALUES (1, '[policy]\napprover_role = reviewer\n', 'reviewer', 'fbowner', 1);\n"
        if [ "$n" -ge 5 ]; then
            printf "INSERT INTO fb_policy (version, body, settings, published_by, published_at)
                VALUES (1, '[policy]\napprover_role = reviewer\n', '{\"approver_role\": \"reviewer\"}', 'fbowner', 1);\n"
            # an answered block: C-4 decided by approval, its answer kept in fb_approval
            printf "INSERT INTO fb_case (id, doc, updated_at) VALUES ('C-4', '%s', 1);\n" "$(case_json C-4)"
            cat <<SQL
INSERT INTO fb_decision (id, case_id, reviewer, action, violation, decided_at, approval, payload, outcome, received_at)
VALUES ('00000000-0000-4000-8000-000000000004', 'C-4', 'alice', 'block', 'paid_feedback', 1, 'approved', '{"approval":"pending"}', 'accepted', 1);
INSERT INTO fb_approval (decision_id, approval, by_reviewer, at) VALUES ('00000000-0000-4000-8000-000000000004', 'approved', 'carol', 2);
UPDATE fb_case SET status = 'decided', decision_id = '00000000-0000-4000-8000-000000000004' WHERE id = 'C-4';
SQL
        fi
    } | psql -X -q -v ON_ERROR_STOP=1 "$(conn fbowner "$db")" >/dev/null || fail "old rows in $db"
    [ "$(sqlq "$db" "select count(*) from pg_constraint where conname = 'fb_case_status_check'")" = "$((n < 5))" ] ||
        fail "$db: the old status CHECK"
    [ "$(sqlq "$db" "select count(*) from pg_constraint where conname = 'fb_approval_approval_check'")" = 1 ] ||
        fail "$db lacks the old approval CHECK"
}

# upgraded DB FROM CASES DECISIONS: init upgrades it; the rows are kept; the table's rows
# replace the CHECKs.
upgraded() {
    FBREVIEW_UPSTREAM=$(conn fbowner "$1") "$FB" upstream init >"$T/out" 2>&1 || fail "init on $1: $(cat "$T/out")"
    grep -q "upstream schema: version $2 -> 6" "$T/out" || fail "init on $1 said: $(cat "$T/out")"
    [ "$(sqlq "$1" "select string_agg(id || ' ' || status, ', ' order by id) from fb_case")" = "$3" ] ||
        fail "$1 cases: $(sqlq "$1" "select * from fb_case")"
    [ "$(sqlq "$1" "select count(*) from fb_decision")" = "$4" ] || fail "$1 lost decisions"
    [ "$(sqlq "$1" "select string_agg(status, ' ' order by status) || ' / ' || (select status from fb_lc_status where initial)
                    from fb_lc_status")" = "appealed decided escalated open pending_approval / open" ] ||
        fail "$1 statuses: $(sqlq "$1" "select * from fb_lc_status")"
    [ "$(sqlq "$1" "select string_agg(conname, ' ' order by conname) from pg_constraint
                    where conrelid = 'fb_case'::regclass and contype in ('c', 'f')")" = fb_case_status_lc ] ||
        fail "$1 constraints: $(sqlq "$1" "select conname from pg_constraint where conrelid = 'fb_case'::regclass")"
    # fb_approval's CHECK lists exactly the answers the approval events record, and refuses others
    [ "$(sqlq "$1" "select string_agg(conname || ' ' || obj_description(oid, 'pg_constraint'), ', ')
                    from pg_constraint where conrelid = 'fb_approval'::regclass and contype = 'c'")" = \
      "fb_approval_lc $(sqlq "$1" "select array_agg(distinct approval order by approval) from fb_lc_event where approval is not null")" ] ||
        fail "$1 approval constraints: $(sqlq "$1" "select conname, pg_get_constraintdef(oid) from pg_constraint
                                                   where conrelid = 'fb_approval'::regclass")"
    if sqlq "$1" "insert into fb_approval (decision_id, approval, by_reviewer, at)
                  values ('00000000-0000-4000-8000-000000000009', 'maybe', 'carol', 1)" >"$T/out" 2>&1; then
        fail "$1: fb_approval took an answer no approval event records"
    fi
    grep -q fb_approval_lc "$T/out" || fail "$1 refused 'maybe' for another reason: $(cat "$T/out")"
    FBREVIEW_UPSTREAM=$(conn fbowner "$1") "$FB" upstream init >"$T/out" 2>&1 || fail "init again on $1"
    grep -q "upstream schema is up to date (version 6)" "$T/out" || fail "init again on $1: $(cat "$T/out")"
    FBREVIEW_UPSTREAM=$(conn fbowner "$1") "$FB" upstream verify >"$T/out" 2>&1 || fail "verify $1: $(cat "$T/out")"
}

# on DB LOGIN ARGS...: fbreview as LOGIN on its own store for DB.
on() {
    db=$1 login=$2; shift 2
    FBREVIEW_UPSTREAM=$(conn "$login" "$db") "$FB" --db "$T/$db-$login.db" --reviewer "$login" "$@"
}

old_schema fbv5 5
status_check=$(sqlq fbv5 "select oid from pg_constraint where conname = 'fb_case_status_lc'")
upgraded fbv5 5 "C-1 open, C-2 decided, C-3 pending_approval, C-4 decided" 3
[ "$(sqlq fbv5 "select approval || ' ' || by_reviewer from fb_approval")" = "approved carol" ] ||
    fail "fbv5 approval row: $(sqlq fbv5 "select * from fb_approval")"
# the same statuses: the status CHECK (now through fb_lc_check) is kept, not rewritten
[ "$(sqlq fbv5 "select oid from pg_constraint where conname = 'fb_case_status_lc'")" = "$status_check" ] ||
    fail "fbv5 status CHECK rewritten"
# The CHECK follows the table: an approval event with another answer (as a newer lifecycle
# table would bring) lets fb_approval take it once the CHECK is written again (rolled back).
sqlq fbv5 "begin; insert into fb_lc_event (event, pending, approval, words) values ('defer', false, 'deferred', 'defer');
           select fb_lc_approval_constrain();
           insert into fb_approval (decision_id, approval, by_reviewer, at)
           values ('00000000-0000-4000-8000-000000000003', 'deferred', 'carol', 3); rollback" >"$T/out" 2>&1 ||
    fail "fbv5: the approval CHECK does not follow fb_lc_event: $(cat "$T/out")"
# bob (approver_role = reviewer in the policy) approves alice's block under the new CHECK
on fbv5 bob sync --once >/dev/null 2>&1 || fail "bob pulls fbv5"
on fbv5 bob approve 00000000-0000-4000-8000-000000000003 >"$T/out" 2>&1 || fail "bob approves on fbv5: $(cat "$T/out")"
on fbv5 bob sync --once >"$T/out" 2>&1 || fail "bob pushes on fbv5: $(cat "$T/out")"
[ "$(sqlq fbv5 "select c.status || ' ' || a.approval from fb_case c join fb_approval a on a.decision_id = c.decision_id
                where c.id = 'C-3'")" = "decided approved" ] || fail "fbv5 approval: $(cat "$T/out")"
ok "a version-5 upstream upgrades to 6 keeping its rows; fb_approval's CHECK comes from the approval events"

old_schema fbv4 4
upgraded fbv4 4 "C-1 open, C-2 decided, C-3 pending_approval" 2
[ "$(sqlq fbv4 "select settings::text from fb_policy where version = 1")" = '{"approver_role": "reviewer"}' ] ||
    fail "v4 policy settings: $(sqlq fbv4 "select settings from fb_policy")"
# The migrated policy holds: bob (no lead) approves alice's block; alice decides the open case.
on fbv4 bob sync --once >/dev/null 2>&1 || fail "bob pulls fbv4"
on fbv4 bob approve 00000000-0000-4000-8000-000000000003 >"$T/out" 2>&1 || fail "bob approves on fbv4: $(cat "$T/out")"
on fbv4 bob sync --once >"$T/out" 2>&1 || fail "bob pushes on fbv4: $(cat "$T/out")"
[ "$(sqlq fbv4 "select status from fb_case where id = 'C-3'")" = decided ] || fail "fbv4 approval: $(cat "$T/out")"
on fbv4 alice sync --once >/dev/null 2>&1 || fail "alice pulls fbv4"
on fbv4 alice decide C-1 education --violation self_hire --rationale "first" >/dev/null 2>&1 || fail "alice decides"
on fbv4 alice sync --once >"$T/out" 2>&1 || fail "alice pushes on fbv4: $(cat "$T/out")"
[ "$(sqlq fbv4 "select c.status || ' ' || d.from_status from fb_case c join fb_decision d on d.id = c.decision_id
                where c.id = 'C-1'")" = "decided open" ] || fail "fbv4 decision: $(cat "$T/out")"
ok "a version-4 upstream upgrades to 6 keeping its rows; its policy's approver_role = reviewer still holds"

old_schema fbv3 3
upgraded fbv3 3 "C-1 open, C-2 decided, C-3 pending_approval" 2
[ "$(sqlq fbv3 "select count(*) from fb_policy")" = 0 ] || fail "fbv3 has a policy"
# No policy: the defaults (approver_role = lead): bob is refused, carol approves.
on fbv3 bob sync --once >/dev/null 2>&1 || fail "bob pulls fbv3"
on fbv3 bob approve 00000000-0000-4000-8000-000000000003 >/dev/null 2>&1 || fail "bob approves on fbv3"
on fbv3 bob sync --once >"$T/out" 2>&1
grep -q "only a lead may approve the block" "$T/out" || fail "fbv3 bob: $(cat "$T/out")"
on fbv3 carol sync --once >/dev/null 2>&1 || fail "carol pulls fbv3"
on fbv3 carol approve 00000000-0000-4000-8000-000000000003 >/dev/null 2>&1 || fail "carol approves on fbv3"
on fbv3 carol sync --once >"$T/out" 2>&1 || fail "carol pushes on fbv3: $(cat "$T/out")"
[ "$(sqlq fbv3 "select status from fb_case where id = 'C-3'")" = decided ] || fail "fbv3 approval: $(cat "$T/out")"
ok "a version-3 upstream upgrades to 6 (identity and the judge) keeping its rows; a lead approves, a reviewer not"
