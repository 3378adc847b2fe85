#!/bin/sh
# Search benchmark (DESIGN.md §9: search <= 50 ms on 1,000,000 cases): the real console
# on a demo store, one `/term` per run, timed by FBREVIEW_TIMING (the key's handling,
# search and redraw). Search works within the current queue, so each term is timed in the
# open queue (nearly every case) and in a small escalated queue (about 300 cases spread over the
# store; the worst case: nearly every match lies outside it). Terms: a case id prefix, a
# piece of an account name (the trigram index), a name nobody has, a two-character term
# (ids only: names need three), a word of message text (FTS5) and the commonest word of
# the messages. Prints figures; never fails on time. BENCH_SEARCH_N sets the store size
# (default 1,000,000); BENCH_SEARCH_DB reuses an existing store (its escalated cases are
# made once).
set -eu
cd "$(dirname "$0")/../.."
N=${BENCH_SEARCH_N:-1000000}
BIN=${FB_BIN:-build/fbreview}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fbbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
db=${BENCH_SEARCH_DB:-}
if [ -z "$db" ]; then
    db=$tmp/store.db
    "$BIN" --db "$db" demo --cases "$N" --no-ui >/dev/null
fi
"$BIN" --db "$db" stats >/dev/null   # opening migrates an older store before timing
cases=$(sqlite3 "$db" 'SELECT count(*) FROM "case"')
half=$((cases / 2))
id=$(sqlite3 "$db" "SELECT substr(id, 1, length(id) - 1) FROM \"case\" LIMIT 1 OFFSET $half")
name=$(sqlite3 "$db" "SELECT substr(name, 2, 6) FROM account WHERE length(name) > 8 LIMIT 1 OFFSET $half")
word=$(sqlite3 "$db" "SELECT substr(body, 1, instr(body || ' ', ' ') - 1) FROM message LIMIT 1 OFFSET $half")
common=the
# The small queue: every 3331st case escalated (by the CLI, as a reviewer would), once.
few=$(sqlite3 "$db" "SELECT id FROM \"case\" WHERE rowid % 3331 = 7 OR rowid = 1")
if [ "$(sqlite3 "$db" "SELECT count(*) FROM \"case\" WHERE status='escalated'")" -eq 0 ]; then
    # shellcheck disable=SC2086
    "$BIN" --db "$db" --reviewer bench decide $few escalate --rationale "bench: a small queue" >/dev/null
fi
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) printf "%.2f", a[int((NR + 1) / 2)]; else printf "-" }'; }
time_term() {
    # The queue, the search, then n: a search with no hit in this queue offers another.
    printf ':queue %s\n/%s<Enter>\nn\n' "$1" "$3" >"$tmp/script"
    for run in 1 2 3 4 5; do
        LANG=C.UTF-8 TERM=xterm-256color LINES=50 COLUMNS=160 FBREVIEW_TIMING=$tmp/timing \
            "$BIN" --db "$db" --reviewer bench --script "$tmp/script"
        awk '$1 == "key_ms" && ++n == 2 { print $2 }' "$tmp/timing"
    done >"$tmp/ms"
    printf '  %-10s %-22s median %s ms, max %s ms  (%s)\n' "$1" "$2" "$(median <"$tmp/ms")" \
        "$(sort -n "$tmp/ms" | tail -1)" "$3"
}
echo "search on $cases cases, within the current queue (budget 50 ms):"
for queue in open escalated; do
    time_term $queue "case id prefix" "$id"
    time_term $queue "account name piece" "$name"
    time_term $queue "name nobody has" "Qzxwv Nobody"
    time_term $queue "id, two characters" "C-"
    time_term $queue "message word" "$word"
    time_term $queue "commonest word" "$common"
done
