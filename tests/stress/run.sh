#!/bin/sh
# `make stress` (not in `make check`): a crash loop against a real upstream.
# Rounds of `decide`, `sync --once` and the console (--script) run side by side on one
# store; each is SIGKILLed at a random moment (most die mid-work, some finish first),
# while a background loop cuts every client connection to the server with
# pg_terminate_backend. A killed decide or console is retried on the same cases later, as
# a reviewer would who never saw "saved". At the end, after one clean sync:
#   - every decision reported as saved (decide's "-> ..., decision ID" line, the console's
#     "saved: CASE" status in a screen dump) exists exactly once locally and upstream;
#   - no case holds two live decisions, locally or upstream; local and upstream hold the
#     same decisions; the outbox is empty; `fbreview verify` passes.
#   FB_STRESS_KILLS=N   stop after N effective kills (default 1000)
#   FB_STRESS_SEED=S    the random seed (printed; the same seed gives the same moments)
#   FB_SYNC_VIA=direct|pgbouncer   as for the sync tests
. "$(dirname "$0")/../sync/lib.sh"
KILLS=${FB_STRESS_KILLS:-1000}
SEED=${FB_STRESS_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
NCASES=$((KILLS * 3 + 200))
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color LINES=24 COLUMNS=100
echo "stress: seed $SEED, $NCASES cases, until $KILLS kills (via $FB_SYNC_VIA)"

pg_start
upstream_cases 1 "$NCASES"
fb alice sync --once >/dev/null || fail "first pull"
[ "$(lq alice "select count(*) from \"case\" where status='open'")" = "$NCASES" ] || fail "pull: not every case"

# Local reads wait for the writers instead of failing on a busy store.
lqw() { sqlite3 -cmd '.timeout 10000' "$T/alice.db" "$1"; }

# The connection cutter: every 50..400 ms, every client backend but its own.
cutter() {
    n=0
    while :; do
        sleep "0.$(awk -v r="$(od -An -N2 -tu2 /dev/urandom)" 'BEGIN { printf "%03d", 50 + r % 350 }')"
        k=$($PSQL -At -c "select count(pg_terminate_backend(pid)) from pg_stat_activity
                          where pid <> pg_backend_pid() and backend_type = 'client backend'" 2>/dev/null) || continue
        n=$((n + k))
        echo "$n" >"$T/cut.count"
    done
}
cutter &
BG_PIDS=$!

: >"$T/reported.ids"     # decision ids decide reported
: >"$T/reported.cases"   # cases the console reported "saved: CASE" for
kills=0 kd=0 ks=0 kc=0 rounds=0 runs=0
echo "0 0 0 0 0 0" >"$T/progress"
start=$(date +%s)
# One awk keeps the random stream (seeded once): each line is a round's draws.
awk -v seed="$SEED" 'BEGIN { srand(seed); for (;;) { for (i = 0; i < 8; i++) printf "%d ", int(rand() * 1000); print "" } }' |
while read -r r1 r2 r3 r4 r5 r6 r7 r8; do
    rounds=$((rounds + 1))
    pids="" kinds=""
    # Open cases for this round (retries of killed work come back here: still open).
    ncase=$((1 + r1 % 3 + (r4 % 8)))
    set -- $(lqw "select id from \"case\" where status='open' order by random() limit $ncase")
    [ $# -gt 0 ] || break
    if [ $((r5 % 3)) -ne 0 ]; then
        fb alice decide "$1" ${2:+"$2"} --accept >"$T/d.$rounds.out" 2>"$T/d.$rounds.err" &
        pids="$pids $!" kinds="$kinds d"
    fi
    if [ $((r6 % 3)) -ne 0 ]; then
        fb alice sync --once >/dev/null 2>&1 &
        pids="$pids $!" kinds="$kinds s"
    fi
    if [ $((r7 % 3)) -ne 0 ] || [ -z "$pids" ]; then
        shift $(($# > 2 ? 2 : $#))
        k=0
        : >"$T/c.$rounds.script"
        for c in "$@"; do
            k=$((k + 1))
            printf ':goto %s\ny\ny\n:save-display %s/c.%s.%s.dump\n' "$c" "$T" "$rounds" "$k" >>"$T/c.$rounds.script"
        done
        fb alice --script "$T/c.$rounds.script" >/dev/null 2>"$T/c.$rounds.err" &
        pids="$pids $!" kinds="$kinds c"
    fi
    # SIGKILL each at its own moment: decide within 0..60 ms, sync and console 0..200 ms.
    # The pids stay ours until waited for (an exited one is a zombie), so no kill can hit
    # another process.
    i=0
    for p in $pids; do
        i=$((i + 1))
        case $i in 1) r=$r2 ;; 2) r=$r3 ;; *) r=$r8 ;; esac
        kind=$(echo $kinds | cut -d' ' -f$i)
        case $kind in d) ms=$((r % 60)) ;; *) ms=$((r % 200)) ;; esac
        sleep "$(printf '0.%03d' "$ms")"
        kill -9 "$p" 2>/dev/null
    done
    i=0
    for p in $pids; do
        i=$((i + 1))
        kind=$(echo $kinds | cut -d' ' -f$i)
        wait "$p" 2>/dev/null   # no "Killed" line from the shell for each kill
        rc=$?
        runs=$((runs + 1))
        if [ $rc = 137 ]; then
            kills=$((kills + 1))
            case $kind in d) kd=$((kd + 1)) ;; s) ks=$((ks + 1)) ;; c) kc=$((kc + 1)) ;; esac
        elif [ $kind != s ] && [ $rc != 0 ] && [ $rc != 1 ]; then
            # Not killed: it must end normally (1: e.g. the case was decided meanwhile).
            cat "$T/$kind.$rounds.err" >&2
            fail "round $rounds: $kind exited with $rc"
        fi
    done
    # What was reported as saved before the kill.
    sed -n 's/.* -> .*, decision \([0-9a-f-]*\)$/\1/p' "$T/d.$rounds.out" 2>/dev/null >>"$T/reported.ids"
    cat "$T"/c.$rounds.*.dump 2>/dev/null | sed -n 's/^saved: \(C-[0-9]*\) .*/\1/p' >>"$T/reported.cases"
    rm -f "$T"/d.$rounds.* "$T"/c.$rounds.*
    echo "$kills $kd $ks $kc $rounds $runs" >"$T/progress"
    [ $((rounds % 100)) = 0 ] && echo "  round $rounds: $kills kills ($kd decide, $ks sync, $kc console)"
    [ "$kills" -ge "$KILLS" ] && break
done
# The loop ran in a subshell (the pipe): its fail ended only that subshell.
[ $? = 0 ] || fail "the crash loop stopped on a failure (above)"
read -r kills kd ks kc rounds runs <"$T/progress"
kill "$BG_PIDS" 2>/dev/null
wait "$BG_PIDS" 2>/dev/null
BG_PIDS=
cuts=$(cat "$T/cut.count" 2>/dev/null || echo 0)
secs=$(($(date +%s) - start))
[ "$kills" -ge "$KILLS" ] || fail "only $kills kills before the cases ran out"

# One clean sync (bounded retries: a connection cut just before may still be noticed).
n=0
until fb alice sync --once >"$T/final.out" 2>&1; do
    n=$((n + 1)); [ $n -ge 20 ] && { cat "$T/final.out"; fail "the final sync does not succeed"; }
done
fb alice verify >"$T/verify.out" 2>&1 || { cat "$T/verify.out"; fail "verify"; }

# Every reported decision exactly once locally and upstream.
sort -u "$T/reported.ids" >"$T/rep.ids"
sort -u "$T/reported.cases" >"$T/rep.cases"
nrep=$(wc -l <"$T/rep.ids")
ncrep=$(wc -l <"$T/rep.cases")
lqw "select id from decision" | sort >"$T/local.ids"
q "select id from fb_decision" | sort >"$T/up.ids"
[ "$(sort -u "$T/local.ids" | wc -l)" = "$(wc -l <"$T/local.ids")" ] || fail "a decision id twice locally"
[ "$(sort -u "$T/up.ids" | wc -l)" = "$(wc -l <"$T/up.ids")" ] || fail "a decision id twice upstream"
missing=$(comm -23 "$T/rep.ids" "$T/local.ids" | head -3)
[ -z "$missing" ] || fail "reported as saved but not in the store: $missing"
missing=$(comm -23 "$T/rep.ids" "$T/up.ids" | head -3)
[ -z "$missing" ] || fail "reported as saved but not upstream: $missing"
cmp -s "$T/local.ids" "$T/up.ids" || fail "local and upstream hold different decisions: $(diff "$T/local.ids" "$T/up.ids" | head -5)"
# Every case the console reported holds exactly one decision, locally and upstream.
for c in $(cat "$T/rep.cases"); do
    [ "$(lqw "select count(*) from decision where case_id='$c' and undone_at is null")" = 1 ] ||
        fail "console reported $c saved; local decisions: $(lqw "select count(*) from decision where case_id='$c'")"
done
[ "$ncrep" = 0 ] || [ "$(q "select count(*) from fb_decision where case_id in ($(sed "s/.*/'&'/" "$T/rep.cases" | paste -sd,)) and outcome='accepted'")" = "$ncrep" ] ||
    fail "a case the console reported is not upstream exactly once"
# Nothing duplicated: no case with two live decisions; nothing left to send.
dup=$(lqw "select case_id from decision where undone_at is null group by case_id having count(*) > 1 limit 3")
[ -z "$dup" ] || fail "two decisions locally on $dup"
dup=$(q "select case_id from fb_decision where outcome = 'accepted' group by case_id having count(*) > 1 limit 3")
[ -z "$dup" ] || fail "two accepted decisions upstream on $dup"
[ "$(lqw "select count(*) from outbox")" = 0 ] || fail "the outbox is not empty after the final sync"
[ "$(lqw "select count(*) from decision where sync_state <> 'synced'")" = 0 ] ||
    fail "decisions not synced: $(lqw "select sync_state, count(*) from decision group by 1")"
ndec=$(wc -l <"$T/local.ids")
echo "stress: PASS in $secs s (seed $SEED, via $FB_SYNC_VIA): $kills kills ($kd decide, $ks sync --once, $kc console) in $runs runs over $rounds rounds; $cuts connections cut by pg_terminate_backend; $ndec decisions saved, $nrep reported by decide and $ncrep by the console, each once locally and upstream; verify passes"
