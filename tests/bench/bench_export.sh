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
# measure CMD...: runs it three times; sets ms (best wall time) and cpu (best user+sys CPU,
# in ms, when GNU time is there: steadier than wall time on a shared machine).
measure() {
    ms=; cpu=
    for _ in 1 2 3; do
        t0=$(now)
        if [ -x /usr/bin/time ]; then
            /usr/bin/time -f '%U %S' -o "$tmp/time" "$@"
            c=$(awk '{ printf "%d", ($1 + $2) * 1000 }' "$tmp/time")
            if [ -z "$cpu" ] || [ "$c" -lt "$cpu" ]; then cpu=$c; fi
        else
            "$@"
        fi
        t1=$(now)
        m=$(( (t1 - t0) / 1000000 ))
        if [ -z "$ms" ] || [ "$m" -lt "$ms" ]; then ms=$m; fi
    done
}
# Each command as a script of its own, so GNU time measures exactly it (redirections included).
cat >"$tmp/fb.sh" <<EOS
exec "$BIN" --db "$db" export -o "$tmp/fb.csv" 2>/dev/null
EOS
cat >"$tmp/fb_raw.sh" <<EOS
exec "$BIN" --db "$db" export --raw -o "$tmp/fb_raw.csv" 2>/dev/null
EOS
cat >"$tmp/fb_null.sh" <<EOS
exec "$BIN" --db "$db" export >/dev/null
EOS
printf '%s\n' "$QUERY" >"$tmp/query.sql"
printf '%s\n' "$QUERY_INT" >"$tmp/query_int.sql"
cat >"$tmp/sq.sh" <<EOS
exec sqlite3 -csv -header "$db" <"$tmp/query.sql" >"$tmp/sq.csv"
EOS
cat >"$tmp/sq_int.sh" <<EOS
exec sqlite3 -csv -header "$db" <"$tmp/query_int.sql" >"$tmp/sq_int.csv"
EOS
cat >"$tmp/sq_null.sh" <<EOS
exec sqlite3 -csv -header "$db" <"$tmp/query.sql" >/dev/null
EOS

sh "$tmp/sq.sh"   # warm the page cache
measure sh "$tmp/fb.sh";      fb_ms=$ms;     fb_cpu=$cpu
measure sh "$tmp/fb_raw.sh";  fbraw_ms=$ms;  fbraw_cpu=$cpu
measure sh "$tmp/sq.sh";      sq_ms=$ms;     sq_cpu=$cpu
measure sh "$tmp/sq_int.sh";  sqint_ms=$ms;  sqint_cpu=$cpu
measure sh "$tmp/fb_null.sh"; fbnull_ms=$ms; fbnull_cpu=$cpu
measure sh "$tmp/sq_null.sh"; sqnull_ms=$ms; sqnull_cpu=$cpu
rows=$(($(wc -l <"$tmp/sq.csv") - 1))
fb_bytes=$(wc -c <"$tmp/fb.csv")
sq_bytes=$(wc -c <"$tmp/sq.csv")
rss=
if [ -x /usr/bin/time ]; then
    rss=$(/usr/bin/time -f %M "$BIN" --db "$db" export -o /dev/null 2>&1 >/dev/null | tail -1)
fi

rate() { awk -v n="$1" -v ms="$2" 'BEGIN { printf "%.0f", (ms > 0 ? n / (ms / 1000) : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "n/a"; else printf "%.2fx", a / b }'; }
line() { printf '  %-34s %6d ms wall %9s rows/s  %6s ms CPU\n' "$1" "$2" "$(rate "$N" "$2")" "${3:--}"; }
echo "export benchmark: $N decisions ($rows rows from sqlite3; best of 3, warm cache)"
line "fbreview export -o FILE (fsync)" "$fb_ms" "$fb_cpu"
line "fbreview export --raw -o FILE" "$fbraw_ms" "$fbraw_cpu"
line "sqlite3 -csv, same columns" "$sq_ms" "$sq_cpu"
line "sqlite3 -csv, integer times" "$sqint_ms" "$sqint_cpu"
line "fbreview export >/dev/null" "$fbnull_ms" "$fbnull_cpu"
line "sqlite3 -csv >/dev/null" "$sqnull_ms" "$sqnull_cpu"
echo "  bytes: fbreview $fb_bytes, sqlite3 $sq_bytes"
echo "  ratio fbreview / sqlite3 (budget 1.5x): wall $(ratio "$fb_ms" "$sq_ms"), CPU $(ratio "$fb_cpu" "$sq_cpu");" \
     "to /dev/null: wall $(ratio "$fbnull_ms" "$sqnull_ms"), CPU $(ratio "$fbnull_cpu" "$sqnull_cpu")"
echo "  vs sqlite3 with integer times: wall $(ratio "$fb_ms" "$sqint_ms"), CPU $(ratio "$fb_cpu" "$sqint_cpu")"
[ -n "$rss" ] && echo "  fbreview export peak RSS: $rss KiB (budget 32 MB)"
exit 0
