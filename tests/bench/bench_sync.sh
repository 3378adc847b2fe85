#!/bin/sh
# Push rate: 100,000 decisions from one store to a local throwaway PostgreSQL, next to
# psql \copy of the same rows (seq, payload) into a plain table on the same server.
# A figure, not a test: nothing fails on time.
#   FB_BENCH_DECISIONS=N   decisions to push (default 100000)
#   FB_BENCH_UPSTREAM=M    decisions already upstream before the push (default 0): a
#                          long-lived server holds many; the push must not slow with them
#   FB_BENCH_BIN=PATH      the fbreview binary to measure (default build/fbreview)
#   FBREVIEW_SYNC_TRACE=1  per-batch timings; FBREVIEW_SYNC_EXPLAIN=K: EXPLAIN ANALYZE of batch K
N=${FB_BENCH_DECISIONS:-100000}
M=${FB_BENCH_UPSTREAM:-0}
# Without BATCH, measure the default batch (3000: BATCH=default leaves it to fbreview) and the former default (1000), each on
# a fresh cluster. DESIGN.md §9: >= 50,000 decisions/s within 32 MB peak RSS.
if [ -z "${BATCH:-}" ]; then
    for b in default 1000; do BATCH=$b sh "$0" || exit 1; done
    exit 0
fi
. "$(dirname "$0")/../sync/lib.sh"
FB=${FB_BENCH_BIN:-$FB}
pg_start
now=$(date +%s%3N)
sqlite3 "$T/A.db" 'select 1' >/dev/null
FBREVIEW_UPSTREAM=$(conn bench) "$FB" --db "$T/A.db" --reviewer bench sync --once --push-only >/dev/null || fail "store"
sqlite3 "$T/A.db" <<SQL
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < $N)
INSERT INTO "case"(id, opened_at, updated_at) SELECT 'C-' || i, $now, $now FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < $N)
INSERT INTO decision(id, case_id, reviewer, action, violation, decided_at)
  SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)),2) || '-a'
         || substr(hex(randomblob(2)),2) || '-' || hex(randomblob(6))), 'C-' || i, 'bench', 'education', 'self_hire', $now FROM n;
INSERT INTO outbox(kind, ref, payload, created_at)
  SELECT 'decision', id, json_object('decision_id',id,'case_id',case_id,'reviewer',reviewer,'action',action,
         'violation',violation,'days',NULL,'rationale',NULL,'rec_action',action,'rec_violation',violation,
         'rec_days',NULL,'overridden',0,'notice',NULL,'decided_at',decided_at,'supersedes',NULL,
         'approval','none','claim_override',0), $now FROM decision ORDER BY rowid;
COMMIT;
SQL
$PSQL -c "INSERT INTO fb_case(id, doc, updated_at) SELECT 'C-' || i, '{}', 0 FROM generate_series(1, $N) i" || fail "cases"
if [ "$M" -gt 0 ]; then
    $PSQL -c "INSERT INTO fb_case(id, doc, status, updated_at) SELECT 'OLD-' || i, '{}', 'decided', 0 FROM generate_series(1, $M) i" || fail "old cases"
    $PSQL -c "INSERT INTO fb_decision(id, case_id, reviewer, action, decided_at, payload, outcome, received_at)
              SELECT gen_random_uuid(), 'OLD-' || i, 'old', 'education', 0, '{}', 'accepted', 0 FROM generate_series(1, $M) i" || fail "old decisions"
fi
$PSQL -c "ANALYZE" || fail "analyze"  # as a live server would have: statistics
sqlite3 -separator '	' "$T/A.db" "SELECT seq, payload FROM outbox ORDER BY seq" >"$T/rows.tsv"
$PSQL -c "CREATE TABLE copy_target (seq bigint, p json)"

if [ "$BATCH" = default ]; then unset FBREVIEW_SYNC_BATCH; else export FBREVIEW_SYNC_BATCH=$BATCH; fi
# Peak RSS and CPU of the push with GNU time when present (DESIGN.md §9: <= 32 MB).
timed() { if [ -x /usr/bin/time ]; then /usr/bin/time -o "$T/time.txt" -f '%M %U %S' "$@"; else "$@"; fi; }
t0=$(date +%s%N)
FBREVIEW_UPSTREAM=$(conn bench) timed "$FB" --db "$T/A.db" --reviewer bench sync --once --push-only >/dev/null || fail "push"
t1=$(date +%s%N)
rss="?" cpu="?"
if [ -s "$T/time.txt" ]; then
    read -r kb us ss <"$T/time.txt"
    rss=$(awk -v k="$kb" 'BEGIN { printf "%.1f MB", k / 1024 }')
    cpu=$(awk -v u="$us" -v s="$ss" 'BEGIN { printf "%.2f s user+sys", u + s }')
fi
$PSQL -c "\\copy copy_target FROM '$T/rows.tsv'"
t2=$(date +%s%N)
acc=$(q "SELECT count(*) FROM fb_decision WHERE outcome='accepted' AND reviewer='bench'")
[ "$acc" = "$N" ] || fail "accepted $acc of $N"
awk -v n="$N" -v a="$((t1 - t0))" -v b="$((t2 - t1))" -v via="$FB_SYNC_VIA" -v bs="$BATCH" -v m="$M" -v rss="$rss" -v cpu="$cpu" 'BEGIN {
    printf "bench sync (%s, batch %s, %d upstream before): push %d decisions: %.2f s, %.0f decisions/s (peak RSS %s, CPU %s); psql \\copy of the same rows: %.2f s, %.0f rows/s\n",
           via, bs, m, n, a / 1e9, n / (a / 1e9), rss, cpu, b / 1e9, n / (b / 1e9) }'
