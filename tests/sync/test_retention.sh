#!/bin/sh
# Local retention in the sync round: with [retention] evidence_days set, a sync purges the
# evidence of cases decided and synced more than that many days ago; the decision and the
# audit stay, verify passes, and later pulls do not bring the evidence back.
. "$(dirname "$0")/lib.sh"
pg_start
upstream_cases 1 2
printf '[retention]\nevidence_days = 30\n' >"$T/ret.conf"
fb A --config "$T/ret.conf" sync --once >/dev/null || fail "first pull"
fb A decide C-1 education --violation self_hire --rationale seen >/dev/null 2>&1 || fail "decide"
fb A --config "$T/ret.conf" sync --once >"$T/out" || fail "push"
grep -q "accepted 1" "$T/out" || fail "push: $(cat "$T/out")"
grep -q "local retention" "$T/out" && fail "purged a case synced just now"
[ "$(lq A "select count(*) from feedback where case_id='C-1'")" = 1 ] || fail "evidence gone too early"
# The decision synced 40 days ago (the state a sync leaves, moved back in time).
lq A "update decision set synced_at = synced_at - 40*86400000 where case_id='C-1'"
fb A --config "$T/ret.conf" sync --once >"$T/out" || fail "sync with retention"
grep -q "local retention: evidence of 1 decided case purged" "$T/out" || fail "no purge: $(cat "$T/out")"
[ "$(lq A "select count(*) from feedback where case_id='C-1'")" = 0 ] || fail "C-1's evidence kept"
[ "$(lq A "select count(*) from account_link where case_id='C-1'")" = 0 ] || fail "C-1's links kept"
[ "$(lq A "select count(*) from feedback where case_id='C-2'")" = 1 ] || fail "C-2's evidence purged"
[ "$(lq A "select sync_state from decision where case_id='C-1'")" = synced ] || fail "decision lost"
[ "$(lq A "select count(*) from audit where kind='purge' and case_id='C-1'")" = 1 ] || fail "no audit row"
fb A verify >/dev/null || fail "verify after purge"
ok "a sync round purges the evidence of a case synced 40 days ago, keeps decision and audit"
# Upstream changes the case again (re-import): the decided case keeps its pointer here.
upstream_cases 1 2
fb A --config "$T/ret.conf" sync --once >/dev/null || fail "later sync"
[ "$(lq A "select count(*) from feedback where case_id='C-1'")" = 0 ] || fail "a pull brought the evidence back"
fb A show C-1 | grep -q "Evidence purged from this store" || fail "show lacks the pointer"
ok "later pulls leave the purged case as it is"
