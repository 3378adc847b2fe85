#!/bin/sh
# `make fuzz`: runs each libFuzzer target for SECONDS from its seeds (tests/fuzz/corpus/T,
# plus tests/fuzz/T.dict when present); fails when any target finds a crash, a leak, a
# sanitizer report or a timeout. The growing corpus lives in DIR/../corpus/T (not in git);
# a finding's input is left in DIR/../artifacts/.
#   tests/fuzz/run.sh DIR SECONDS TARGET...     (FUZZ_ARGS: more libFuzzer flags, e.g. -max_len=N)
set -u
dir=$1 secs=$2
shift 2
cd "$(dirname "$0")/../.."
top=$(dirname "$dir")
mkdir -p "$top/artifacts"
fail=0
for t in "$@"; do
    bin="$dir/fuzz_$t"
    work="$top/corpus/$t"
    mkdir -p "$work"
    set -- -max_total_time="$secs" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$top/artifacts/$t-"
    [ -f "tests/fuzz/$t.dict" ] && set -- "$@" -dict="tests/fuzz/$t.dict"
    set -- "$@" ${FUZZ_ARGS:-}
    log="$top/fuzz_$t.log"
    if "$bin" "$@" "$work" "tests/fuzz/corpus/$t" >"$log" 2>&1; then
        # The last status line: executions, coverage (cov) and features (ft).
        stats=$(grep -E '^#[0-9]+' "$log" | tail -1)
        runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
        printf '  PASS  fuzz_%s: %s runs in %s s; %s\n' "$t" "${runs:-?}" "$secs" "$stats"
    else
        printf '  FAIL  fuzz_%s (log %s):\n' "$t" "$log"
        grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -20; tail -3 "$log"
        fail=1
    fi
done
exit $fail
