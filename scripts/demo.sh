#!/bin/sh
# `make demo`: a demo store in build/demo.db, then the console on it.
set -eu
db=build/demo.db
if [ ! -f "$db" ]; then
    build/fbreview --db "$db" demo --cases "${DEMO_CASES:-2000}" --seed 1 --no-ui
fi
if [ -t 0 ] && [ -t 1 ]; then
    exec build/fbreview --db "$db"
else
    exec build/fbreview --db "$db" stats
fi
