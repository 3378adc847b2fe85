#!/bin/sh
# `make demo`: a demo store in build/demo.db, then the console on it when stdin and stdout
# are a terminal (else its stats: nothing waits for a terminal). The demo's cases are
# dated relative to the day it is made, so a store from an earlier day (its day is kept in
# build/demo.day) is made again: the queue shows today's working day, not last week's.
set -eu
# The Makefile passes its build's binary and folder (build-san/ under SANITIZE=1).
bin=${FB_BIN:-build/fbreview}
dir=${FB_BUILD:-build}
db=$dir/demo.db
stamp=$dir/demo.day
today=$(date -u +%F)
if [ ! -f "$db" ] || [ "$(cat "$stamp" 2>/dev/null || true)" != "$today" ]; then
    if [ -f "$db" ]; then
        echo "demo: $db is from $(cat "$stamp" 2>/dev/null || echo "an earlier build"); making today's"
    fi
    rm -f "$db" "$db-wal" "$db-shm" "$stamp"
    "$bin" --db "$db" demo --cases "${DEMO_CASES:-2000}" --seed 1 --no-ui
    echo "$today" >"$stamp"
fi
if [ -t 0 ] && [ -t 1 ]; then
    exec "$bin" --db "$db"
else
    exec "$bin" --db "$db" stats
fi
