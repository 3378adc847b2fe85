#!/bin/sh
# Cross-case structure on pull: a case imported locally, then the case that closes a ring
# with it pulled from upstream. The pull weighs the local case again before it commits:
# both carry the ring signal, and the local case's risk rises.
. "$(dirname "$0")/lib.sh"
pg_start

# hire FROM TO: a case in which FROM hired TO and gave 5 stars.
hire() {
    printf '{"case_id":"%s","opened_at":"2026-11-20T10:00:00Z","source":"rule:reciprocal_feedback","accounts":[{"id":"%s","role":"client","name":"A"},{"id":"%s","role":"freelancer","name":"B"}],"contract":{"id":"J-%s","client":"%s","freelancer":"%s","title":"Work","created_at":"2026-11-01T09:00:00Z","started_at":"2026-11-01T10:00:00Z","ended_at":"2026-11-09T10:00:00Z","budget":"300.00","currency":"USD"},"feedback":[{"from":"%s","to":"%s","rating":5,"text":"Great","at":"2026-11-10T10:00:00Z"}]}\n' \
        "$1" "$2" "$3" "$1" "$2" "$3" "$2" "$3"
}

hire C-LOCAL u-r1 u-r2 >"$T/local.jsonl"
fb A import "$T/local.jsonl" 2>/dev/null || fail "local import"
[ "$(lq A "select count(*) from signal where case_id='C-LOCAL' and code='ring_hired_each_other'")" = 0 ] ||
    fail "a ring before its closing edge"
risk0=$(lq A "select risk from \"case\" where id='C-LOCAL'")

hire C-UP u-r2 u-r1 >"$T/up.jsonl"
"$FB" upstream import "$T/up.jsonl" >/dev/null || fail "upstream import"
fb A sync --once >/dev/null || fail "sync"
[ "$(lq A "select count(*) from \"case\" where id='C-UP'")" = 1 ] || fail "C-UP not pulled"
[ "$(lq A "select count(*) from signal where case_id='C-UP' and code='ring_hired_each_other'")" = 1 ] ||
    fail "the pulled case has no ring signal"
[ "$(lq A "select count(*) from signal where case_id='C-LOCAL' and code='ring_hired_each_other'")" = 1 ] ||
    fail "the local case was not weighed again after the pull"
risk1=$(lq A "select risk from \"case\" where id='C-LOCAL'")
[ "$risk1" -gt "$risk0" ] || fail "the local case's risk did not rise ($risk0 -> $risk1)"
[ "$(lq A "select count(*) from structure_pending")" = 0 ] || fail "pending structure left after the pull"
ok "the pull closes the ring: both cases carry it, C-LOCAL's risk $risk0 -> $risk1"

# Pulled again unchanged: nothing changes, nothing is left pending.
$PSQL -c "UPDATE fb_case SET doc = jsonb_set(doc, '{source}', '\"rule:again\"') WHERE id = 'C-UP'" >/dev/null
fb A sync --once >/dev/null || fail "second sync"
[ "$(lq A "select count(*) from signal where case_id='C-UP' and code='ring_hired_each_other'")" = 1 ] ||
    fail "the ring signal went away on a re-pull"
ok "a re-pulled case keeps its ring"
