#!/bin/sh
# Bench: signals_compute alone (cases/s). Builds tests/bench/bench_signals.c against
# build/libfbreview.a (run `make` first; `make bench` does). Usage: bench_signals.sh [CASES]
set -eu
cd "$(dirname "$0")/../.."
[ -f build/libfbreview.a ] || make --no-print-directory all
mkdir -p build/bench
CFLAGS_B="$(pkg-config --cflags ncursesw sqlite3 readline libpq jansson nettle uuid inih icu-uc icu-i18n 2>/dev/null || true)"
LIBS_B="$(pkg-config --libs ncursesw sqlite3 readline libpq jansson nettle uuid inih icu-uc icu-i18n 2>/dev/null || true)"
cc -std=c11 -O2 -g -D_GNU_SOURCE -Iinclude -Ibuild/gen $CFLAGS_B -o build/bench/bench_signals \
    tests/bench/bench_signals.c build/libfbreview.a $LIBS_B -lpthread -lm
build/bench/bench_signals "${1:-1000000}"
