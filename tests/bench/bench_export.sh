#!/bin/sh
# Export benchmark (DESIGN.md §9: export within 1.5x of `sqlite3 -csv` on the same rows).
# Fills a store with N decisions (default 1,000,000; BENCH_EXPORT_N to change), then times
# `fbreview export -o FILE` against `sqlite3 -csv` selecting the same columns from the same
# rows in the same order, with the times formatted in SQL so both do the same work.
# Prints the figures; never fails on time. Best of three runs each, warm page cache.
set -eu
cd "$(dirname "$0")/../.."
N=${BENCH_EXPORT_N:-1000000}
BIN=${FB_BIN:-build/fbreview}
command -v sqlite3 >/dev/null || { echo "bench_export: sqlite3 (the shell) is not installed; skipped"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fbbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
db=$tmp/store.db

# An empty file is an empty SQLite database; fbreview migrates it to the real schema.
: >"$db"
"$BIN" --db "$db" export -o /dev/null 2>/dev/null
sqlite3 "$db" >/dev/null <<SQL
PRAGMA journal_mode=DELETE; PRAGMA synchronous=OFF;
BEGIN;
WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM k WHERE i < 99)
INSERT INTO "case"(id, opened_at, subject, counterparty, contract_id, status, updated_at)
SELECT 'C-' || i, 0, 'u-' || i, 'u-' || (i + 1000), 'J-' || i, 'decided', 0 FROM k;
WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM k WHERE i < $N)
INSERT INTO decision(id, case_id, reviewer, action, violation, days, rationale, rec_action,
                     overridden, decided_at, sync_state, synced_at)
SELECT printf('%08x-0000-4000-8000-%012d', i, i), 'C-' || (i % 100), 'reviewer' || (i % 7),
       CASE i % 5 WHEN 0 THEN 'no_violation' WHEN 1 THEN 'education' WHEN 2 THEN 'suspension'
                  WHEN 3 THEN 'block' ELSE 'escalate' END,
       CASE WHEN i % 5 IN (1, 2, 3) THEN 'self_hire' END, CASE WHEN i % 5 = 2 THEN 30 END,
       'Rationale ' || i || ', with a comma, "quotes" and =formula', 'suspension', i % 2,
       1763596800000 + i * 1000 + (i % 1000), CASE WHEN i % 3 = 0 THEN 'synced' ELSE 'pending' END,
       CASE WHEN i % 3 = 0 THEN 1763596800000 + i * 1000 + 500 END
FROM k;
COMMIT;
PRAGMA journal_mode=WAL;
SQL

# The same rows, columns and order as the export (src/store/store_export.c).
QUERY="SELECT d.id AS decision_id, d.case_id,
  strftime('%Y-%m-%dT%H:%M:%fZ', d.decided_at / 1000.0, 'unixepoch') AS decided_at,
  d.reviewer, d.action, d.violation, d.days AS suspension_days, c.subject AS subject_account,
  c.counterparty AS counterparty_account, c.contract_id, d.rec_action AS recommended_action,
  CASE WHEN d.overridden THEN 'true' ELSE 'false' END AS overridden, d.approved_by, d.supersedes,
  d.rationale, d.sync_state,
  strftime('%Y-%m-%dT%H:%M:%fZ', d.synced_at / 1000.0, 'unixepoch') AS synced_at
 FROM decision d LEFT JOIN \"case\" c ON c.id = d.case_id
 WHERE d.undone_at IS NULL ORDER BY d.decided_at, d.id"

# The same without formatting the times (integer ms), for a lower bound on sqlite3's side.
QUERY_INT=$(printf '%s' "$QUERY" | sed "s|strftime('%Y-%m-%dT%H:%M:%fZ', d.decided_at / 1000.0, 'unixepoch')|d.decided_at|; s|strftime('%Y-%m-%dT%H:%M:%fZ', d.synced_at / 1000.0, 'unixepoch')|d.synced_at|")

now() { date +%s%N; }
# best_of CMD...: runs it three times, prints the fastest in milliseconds.
best_of() {
    best=
    for _ in 1 2 3; do
        t0=$(now)
        "$@"
        t1=$(now)
        ms=$(( (t1 - t0) / 1000000 ))
        if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
    done
    echo "$best"
}
run_fb() { "$BIN" --db "$db" export -o "$tmp/fb.csv" 2>/dev/null; }
run_fb_raw() { "$BIN" --db "$db" export --raw -o "$tmp/fb_raw.csv" 2>/dev/null; }
run_sq() { sqlite3 -csv -header "$db" "$QUERY" >"$tmp/sq.csv"; }
run_sq_int() { sqlite3 -csv -header "$db" "$QUERY_INT" >"$tmp/sq_int.csv"; }

run_sq   # warm the page cache
fb_ms=$(best_of run_fb)
fbraw_ms=$(best_of run_fb_raw)
sq_ms=$(best_of run_sq)
sqint_ms=$(best_of run_sq_int)
rows=$(($(wc -l <"$tmp/sq.csv") - 1))
fb_bytes=$(wc -c <"$tmp/fb.csv")
sq_bytes=$(wc -c <"$tmp/sq.csv")
rss=
if [ -x /usr/bin/time ]; then
    rss=$(/usr/bin/time -f %M "$BIN" --db "$db" export -o /dev/null 2>&1 >/dev/null | tail -1)
fi

rate() { awk -v n="$1" -v ms="$2" 'BEGIN { printf "%.0f", (ms > 0 ? n / (ms / 1000) : 0) }'; }
echo "export benchmark: $N decisions ($rows rows from sqlite3)"
printf '  fbreview export -o FILE        %6d ms  %9s rows/s  %s bytes (fsync included)\n' "$fb_ms" "$(rate "$N" "$fb_ms")" "$fb_bytes"
printf '  fbreview export --raw -o FILE  %6d ms  %9s rows/s\n' "$fbraw_ms" "$(rate "$N" "$fbraw_ms")"
printf '  sqlite3 -csv (same columns)    %6d ms  %9s rows/s  %s bytes\n' "$sq_ms" "$(rate "$rows" "$sq_ms")" "$sq_bytes"
printf '  sqlite3 -csv (integer times)    %6d ms  %9s rows/s\n' "$sqint_ms" "$(rate "$rows" "$sqint_ms")"
awk -v a="$fb_ms" -v b="$sq_ms" 'BEGIN { printf "  ratio fbreview / sqlite3: %.2fx (budget 1.5x)\n", (b > 0 ? a / b : 0) }'
awk -v a="$fb_ms" -v b="$sqint_ms" 'BEGIN { printf "  ratio fbreview / sqlite3 with integer times: %.2fx\n", (b > 0 ? a / b : 0) }'
[ -n "$rss" ] && echo "  fbreview export peak RSS: $rss KiB (budget 32 MB)"
exit 0
