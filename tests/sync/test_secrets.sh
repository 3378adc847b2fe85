#!/bin/sh
# Credentials are never printed: a password in the connection string appears in no
# output, whether things work or fail. service=NAME (a service file) works.
. "$(dirname "$0")/lib.sh"
pg_start
# A's real password, in the string itself (libpq takes it over the PGPASSFILE).
PW=$(pw_of A)
[ -n "$PW" ] || fail "no password for A"
GOOD="$(conn A) password=$PW"
all="$T/all.out"
: >"$all"
run() { "$@" >>"$all" 2>&1; }

upstream_cases 1 2
export FBREVIEW_UPSTREAM="$GOOD"
run fb A sync --once || fail "sync with a password in the string"
fb A decide C-1 --accept >/dev/null 2>&1 || fail "decide"
run fb A sync --once || fail "push with a password"
FBREVIEW_UPSTREAM="$OWNER_UP" run "$FB" upstream init
run fb A upstream claim C-2
# Failures: the wrong port, a malformed string, a missing service, the server down.
FBREVIEW_UPSTREAM="host=$T port=1 user=postgres password=$PW" run fb A sync --once && fail "port 1 worked?"
FBREVIEW_UPSTREAM="host=$T port=$PGPORT password='$PW" run fb A sync --once && fail "malformed string worked?"
FBREVIEW_UPSTREAM="host=$T port=$PGPORT password=$PW bogus_option=1" run fb A sync --once && fail "bogus option worked?"
FBREVIEW_UPSTREAM="postgresql://postgres:$PW@localhost:1/postgres" run fb A sync --once && fail "bad URI worked?"
FBREVIEW_UPSTREAM="service=nosuch password=$PW" run fb A sync --once && fail "missing service worked?"
FBREVIEW_UPSTREAM="host=$T port=$PGPORT user=nosuchuser password=$PW dbname=postgres" run fb A sync --once && fail "bad user?"
pg_down
FBREVIEW_UPSTREAM="$GOOD" run fb A sync --once && fail "sync with the server down worked?"
fb A decide C-2 --accept >/dev/null 2>&1
FBREVIEW_UPSTREAM="$GOOD" FBREVIEW_SYNC_BACKOFF_MAX_MS=100 "$FB" --db "$T/A.db" --reviewer A sync --watch --interval 1 >>"$all" 2>"$T/w.err" &
wpid=$!
BG_PIDS=$wpid
wait_for 400 grep -q offline "$T/w.err" || fail "watch did not report offline"
kill -TERM $wpid; wait $wpid; BG_PIDS=
cat "$T/w.err" >>"$all"
pg_up
[ -s "$all" ] || fail "no output captured"
grep -q "cannot connect" "$all" || fail "failures were not reported"
grep -q "malformed" "$all" || { cat "$all"; fail "malformed string not reported"; }
if grep -F -q "$PW" "$all"; then grep -F "$PW" "$all" | head -3; fail "the password was printed"; fi
if grep -F -q "nosuchuser password" "$all"; then fail "the connection string was echoed"; fi
ok "no output contains the password ($(wc -l <"$all") lines checked)"

# service=NAME through a service file (libpq's own lookup).
cat >"$T/pg_service.conf" <<SVC
[fbtest]
host=$T
port=${BPORT:-$PGPORT}
user=A
dbname=fbreview
SVC
PGSERVICEFILE="$T/pg_service.conf" FBREVIEW_UPSTREAM="service=fbtest" fb A sync --once >"$T/out" 2>&1 || fail "service=NAME: $(cat "$T/out")"
[ "$(lq A "select count(*) from decision where sync_state='synced'")" = 2 ] || fail "service sync did not push"
ok "service=NAME connects through the service file"
