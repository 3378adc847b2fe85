#!/bin/sh
# `make demo`: a demo store in build/demo.db, then the console on it when stdin and stdout
# are a terminal (else its stats: nothing waits for a terminal).
set -eu
# The Makefile passes its build's binary and folder (build-san/ under SANITIZE=1).
bin=${FB_BIN:-build/fbreview}
db=${FB_BUILD:-build}/demo.db
if [ ! -f "$db" ]; then
    "$bin" --db "$db" demo --cases "${DEMO_CASES:-2000}" --seed 1 --no-ui
fi
if [ -t 0 ] && [ -t 1 ]; then
    exec "$bin" --db "$db"
else
    exec "$bin" --db "$db" stats
fi
