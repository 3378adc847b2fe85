#!/bin/sh
# Demo generation throughput and memory: `fbreview demo --cases ${N:-1000000} --no-ui`
# into a fresh temporary store. Budget (DESIGN.md §9 store size): 1,000,000 cases in under
# a minute on 2 cores, in bounded memory. Prints figures; never fails on time.
# CPU time is printed beside wall time because a shared machine's load inflates wall time
# (the load average is printed too). Run from the repository root or anywhere.
set -eu
cd "$(dirname "$0")/../.."
n=${N:-1000000}
bin=${FB_BIN:-build/fbreview}
[ -x "$bin" ] || make --no-print-directory all >/dev/null
dir=$(mktemp -d "${TMPDIR:-/tmp}/fbbench.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM
load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")

if [ -x /usr/bin/time ] && [ -z "${BENCH_NO_GNU_TIME:-}" ]; then
    /usr/bin/time -f '%e %U %S %M' -o "$dir/usage" \
        "$bin" --db "$dir/demo.db" demo --cases "$n" --no-ui >"$dir/out" 2>"$dir/err" ||
        { cat "$dir/err" >&2; exit 1; }
else
    # No GNU time: the children's rusage from Python (ru_maxrss is in KiB on Linux).
    python3 - "$dir/usage" "$bin" --db "$dir/demo.db" demo --cases "$n" --no-ui >"$dir/out" 2>"$dir/err" <<'PY' ||
import resource, subprocess, sys, time
t = time.monotonic()
rc = subprocess.call(sys.argv[2:])
wall = time.monotonic() - t
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write("%.2f %.2f %.2f %d\n" % (wall, ru.ru_utime, ru.ru_stime, ru.ru_maxrss))
sys.exit(rc)
PY
        { cat "$dir/err" >&2; exit 1; }
fi
size=$(du -k "$dir/demo.db" | cut -f1)
read -r wall user sys rss <"$dir/usage"
awk -v n="$n" -v wall="$wall" -v user="$user" -v sys="$sys" -v rss="$rss" -v size="$size" -v load="$load" 'BEGIN {
    cpu = user + sys
    printf "demo: %d cases in %.1f s wall = %.0f cases/s (budget: 1,000,000 in < 60 s on 2 cores)\n", n, wall, n / (wall > 0 ? wall : 1)
    printf "demo: cpu %.1f s (user %.1f + sys %.1f, %.0f%% of one core), peak RSS %.1f MB, store %.0f MB, load before %s\n",
           cpu, user, sys, 100 * cpu / (wall > 0 ? wall : 1), rss / 1024, size / 1024, load
}'

# Where the time goes: per-thread CPU of an in-process fill (tests/bench/bench_demo.c).
CFLAGS_B="$(pkg-config --cflags sqlite3 jansson nettle uuid inih icu-uc icu-i18n 2>/dev/null || true)"
LIBS_B="$(pkg-config --libs ncursesw sqlite3 readline libpq jansson nettle uuid inih icu-uc icu-i18n 2>/dev/null || true)"
mkdir -p build/bench
cc -std=c11 -O2 -g -D_GNU_SOURCE -Iinclude -Ibuild/gen $CFLAGS_B -o build/bench/bench_demo \
    tests/bench/bench_demo.c build/libfbreview.a $LIBS_B -lpthread -lm
build/bench/bench_demo "$n" "$dir/inproc.db"
