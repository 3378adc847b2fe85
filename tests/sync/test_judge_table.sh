#!/bin/sh
# One meaning on both sides (issue 11): upstream's judge (fb_lc_may, reading the rows
# `upstream init` writes) answers every question of the lifecycle table, under every
# policy setting it reads, as the local judge (lifecycle_may) does: build/tests/
# lifecycle_table prints each question with the local answer; upstream is asked the same
# as a reviewer (alice) and as a lead (carol).
. "$(dirname "$0")/lib.sh"
TABLE=${FB_LIFECYCLE_TABLE_BIN:-${FB_BUILD:-$FB_ROOT/build}/tests/lifecycle_table}
[ -x "$TABLE" ] || fail "$TABLE is missing: run make sync-tests"
pg_start
pg_login carol lead
"$TABLE" >"$T/expected.tsv" || fail "lifecycle_table"
n=$(wc -l <"$T/expected.tsv")
[ "$n" -ge 1000 ] || fail "only $n questions"
$PSQL -c "CREATE TABLE lc_expected (status text, event text, same int, held text, sep boolean, approver text,
                                    verdict text, to_status text)" || fail "table"
$PSQL -c "\\copy lc_expected FROM '$T/expected.tsv'" || fail "copy"
$PSQL -At -c "SELECT e.status, e.event, e.same, e.held, e.sep, e.approver, e.verdict, e.to_status,
                     m.verdict, coalesce(m.to_status, '-'), m.reason
                FROM lc_expected e,
                     LATERAL (SELECT CASE WHEN e.same = 1 THEN CASE e.held WHEN 'lead' THEN 'carol' ELSE 'alice' END
                                          ELSE 'zed' END AS subj) s,
                     LATERAL fb_lc_may(e.status, e.event, CASE e.held WHEN 'lead' THEN 'carol' ELSE 'alice' END,
                                       s.subj, s.subj, s.subj, 'escalated',
                                       jsonb_build_object('appeal_separation', e.sep, 'approver_role', e.approver)) m
               WHERE m.verdict IS DISTINCT FROM e.verdict OR coalesce(m.to_status, '-') IS DISTINCT FROM e.to_status" \
    >"$T/diff" || fail "compare"
[ -s "$T/diff" ] && fail "upstream's judge differs from lifecycle_may on $(wc -l <"$T/diff") of $n questions:
$(head -20 "$T/diff")"
[ "$(q "select count(*) from lc_expected where verdict = 'ok'")" -gt 0 ] &&
    [ "$(q "select count(distinct verdict) from lc_expected")" = 4 ] || fail "the questions do not cover every verdict"
ok "fb_lc_may answers all $n questions as lifecycle_may does (every status, event, who, role and setting)"
