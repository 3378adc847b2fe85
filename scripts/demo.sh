#!/bin/sh
# `make demo`: a demo store in build/demo.db, then the console on it. The demo's cases are
# dated relative to the day it is made, so a store from an earlier day (its day is kept in
# build/demo.day) is made again: the queue shows today's working day, not last week's.
set -eu
db=build/demo.db
stamp=build/demo.day
today=$(date -u +%F)
if [ ! -f "$db" ] || [ "$(cat "$stamp" 2>/dev/null || true)" != "$today" ]; then
    if [ -f "$db" ]; then
        echo "demo: build/demo.db is from $(cat "$stamp" 2>/dev/null || echo "an earlier build"); making today's"
    fi
    rm -f "$db" "$db-wal" "$db-shm" "$stamp"
    build/fbreview --db "$db" demo --cases "${DEMO_CASES:-2000}" --seed 1 --no-ui
    echo "$today" >"$stamp"
fi
if [ -t 0 ] && [ -t 1 ]; then
    exec build/fbreview --db "$db"
else
    exec build/fbreview --db "$db" stats
fi
