# Sync test helpers: a throwaway PostgreSQL cluster (and pgbouncer in transaction mode)
# in a temp dir, removed by a trap on exit. Source it; then call pg_start.
#   FB_SYNC_VIA=direct|pgbouncer   how fbreview reaches the server (run.sh runs both)
set -u
FB_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# The binary under test: the Makefile passes its build's (build-san/ under SANITIZE=1).
FB=${FB_BIN:-$FB_ROOT/build/fbreview}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
FB_SYNC_VIA=${FB_SYNC_VIA:-direct}
export TZ=UTC
unset FBREVIEW_SYNC_CRASH_AFTER FBREVIEW_SYNC_HOOK_CMD FBREVIEW_SYNC_HOOK_BATCH FBREVIEW_SYNC_BATCH

# As root the cluster runs as postgres, which must reach $T: the checkout (and $TMPDIR)
# may be where only root may enter (/root), so the folder comes from tests/shared-tmp.sh.
if [ "$(id -u)" = 0 ]; then
    T=$("$FB_ROOT/tests/shared-tmp.sh" postgres) || { echo "FAIL: user postgres cannot reach a temp folder" >&2; exit 1; }
else
    T=$(mktemp -d "${TMPDIR:-/tmp}/fbsync.XXXXXX")
fi
chmod 777 "$T"
export XDG_CONFIG_HOME="$T/config" XDG_DATA_HOME="$T/data" XDG_STATE_HOME="$T/state" HOME="$T"
unset FBREVIEW_DB FBREVIEW_UPSTREAM
# These tests push what they decide at once; the undo window (a console's decisions wait
# [sync] undo_window seconds) is tested where it is set (tests/console/test_undo_window.sh).
mkdir -p "$T/config/fbreview"
printf '[sync]\nundo_window = 0\n' >"$T/config/fbreview/config"

# Run a command as the postgres user when we are root (initdb refuses root), from $T:
# the checkout may be a folder postgres cannot enter.
as_pg() {
    if [ "$(id -u)" = 0 ]; then (cd "$T" && runuser -u postgres -- "$@"); else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

cleanup() {
    rc=$?
    [ -n "${BG_PIDS:-}" ] && for p in $BG_PIDS; do kill "$p" 2>/dev/null; done
    [ -f "$T/pgbouncer.pid" ] && kill "$(cat "$T/pgbouncer.pid")" 2>/dev/null
    [ -d "$T/data" ] && as_pg "$PGBIN/pg_ctl" -D "$T/data" -m fast -w stop >/dev/null 2>&1
    if [ "$rc" != 0 ]; then
        echo "--- $0 failed (via $FB_SYNC_VIA); logs:" >&2
        tail -n 20 "$T/log" "$T/pgbouncer.log" 2>/dev/null >&2
    fi
    rm -rf "$T"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "  ok: $*"; }

# Passwords: random per run, in a temporary PGPASSFILE (0600) that libpq reads. Every
# login (the DBA "postgres", the schema owner "fbowner", the reviewers) authenticates with
# scram-sha-256 over the unix socket, and through pgbouncer with its own auth file.
export PGPASSFILE="$T/pgpass"
: >"$PGPASSFILE"
chmod 600 "$PGPASSFILE"
new_password() { od -An -N12 -tx1 /dev/urandom | tr -d ' \n'; }
# pw_of LOGIN: the login's password (for tests that put one in the connection string).
pw_of() { awk -F: -v u="$1" '$4 == u { print $5; exit }' "$PGPASSFILE"; }
remember_password() {   # remember_password LOGIN PASSWORD
    printf '*:*:*:%s:%s\n' "$1" "$2" >>"$PGPASSFILE"
    if [ -n "${BPORT:-}" ]; then printf '"%s" "%s"\n' "$1" "$2" >>"$T/userlist.txt"; fi
}

# conn LOGIN [DB]: the connection string for LOGIN (straight to the server or through
# pgbouncer) to the database fbreview (or DB).
conn() { echo "host=$T port=${BPORT:-$PGPORT} user=$1 dbname=${2:-fbreview}"; }

# pg_login LOGIN [ROLE]: the DBA creates a login with a password; the schema owner grants
# ROLE (reviewer, lead or admin) with `fbreview upstream grant`.
pg_login() {
    pw=$(new_password)
    printf 'CREATE ROLE :"login" LOGIN PASSWORD :%s;\n' "'pw'" |
        $PSQL_DBA -v login="$1" -v pw="$pw" >/dev/null || fail "create login $1"
    remember_password "$1" "$pw"
    if [ -n "${BPORT:-}" ]; then as_pg kill -HUP "$(cat "$T/pgbouncer.pid")" || fail "pgbouncer reload"; fi
    if [ -n "${2:-}" ]; then
        FBREVIEW_UPSTREAM="$OWNER_UP" "$FB" upstream grant "$1" "$2" >/dev/null || fail "grant $2 to $1"
    fi
}

pg_start() {
    PGPORT=$(free_port)
    pw=$(new_password)
    printf '%s\n' "$pw" >"$T/pwfile"
    chmod 644 "$T/pwfile"
    as_pg "$PGBIN/initdb" -D "$T/data" -U postgres --pwfile="$T/pwfile" --auth-local=scram-sha-256 \
        --auth-host=scram-sha-256 -E UTF8 --no-locale >"$T/initdb.log" 2>&1 || { cat "$T/initdb.log"; fail initdb; }
    rm -f "$T/pwfile"
    remember_password postgres "$pw"
    pg_up
    PSQL_DBA="psql -X -q -v ON_ERROR_STOP=1 -h $T -p $PGPORT -U postgres -d postgres"
    # The schema owner creates the group roles (CREATEROLE) and owns the database.
    pw=$(new_password)
    printf 'CREATE ROLE fbowner LOGIN CREATEROLE PASSWORD :%s;\nCREATE DATABASE fbreview OWNER fbowner;\n' "'pw'" |
        $PSQL_DBA -v pw="$pw" >/dev/null || fail "create the owner and the database"
    remember_password fbowner "$pw"
    # q and the tests' psql look at upstream as the DBA (a superuser).
    PSQL="psql -X -q -v ON_ERROR_STOP=1 -h $T -p $PGPORT -U postgres -d fbreview"
    if [ "$FB_SYNC_VIA" = pgbouncer ]; then
        BPORT=$(free_port)
        # No user= in [databases]: pgbouncer logs in to the server as the client's own
        # login (from its auth file), so session_user upstream is the reviewer's login.
        cat >"$T/pgbouncer.ini" <<INI
[databases]
fbreview = host=$T port=$PGPORT dbname=fbreview
postgres = host=$T port=$PGPORT dbname=postgres
# any other database a test makes (test_upgrade's old schemas), by the same name
* = host=$T port=$PGPORT
[pgbouncer]
listen_addr =
listen_port = $BPORT
unix_socket_dir = $T
auth_type = scram-sha-256
auth_file = $T/userlist.txt
pool_mode = transaction
max_client_conn = 200
default_pool_size = 4
logfile = $T/pgbouncer.log
pidfile = $T/pgbouncer.pid
server_reset_query =
# A stopped server should show as an error soon, not park clients for minutes.
query_wait_timeout = 3
server_login_retry = 1
# Check a pooled server connection before reuse, so a restarted server is noticed.
server_check_delay = 0
ignore_startup_parameters = extra_float_digits
INI
        awk -F: '{ printf "\"%s\" \"%s\"\n", $4, $5 }' "$PGPASSFILE" >"$T/userlist.txt"
        chmod 644 "$T/pgbouncer.ini" "$T/userlist.txt"
        as_pg /usr/sbin/pgbouncer -d "$T/pgbouncer.ini" >/dev/null 2>&1 || fail "pgbouncer did not start"
        n=0
        until psql -X -q -h "$T" -p "$BPORT" -U postgres -d postgres -c 'select 1' >/dev/null 2>&1; do
            n=$((n + 1)); [ $n -gt 200 ] && fail "pgbouncer not answering"
            sleep_tick
        done
    fi
    OWNER_UP=$(conn fbowner)
    export FBREVIEW_UPSTREAM="$OWNER_UP"
    "$FB" upstream init >/dev/null || fail "upstream init"
    # The team most tests use: reviewers A, C, D, alice, bob and bench; B is a lead.
    for l in A C D alice bob bench; do pg_login "$l" reviewer; done
    pg_login B lead
}

# autovacuum off: an auto-ANALYZE holds an xid for a moment and (rightly) holds the pull
# horizon back; tests that assert "pulled by the next sync" must not race it.
pg_up() {
    as_pg "$PGBIN/pg_ctl" -D "$T/data" -l "$T/log" -o "-p $PGPORT -k $T -c listen_addresses='' -c autovacuum=off" -w start >/dev/null ||
        { cat "$T/log"; fail "pg_ctl start"; }
    # Through pgbouncer: wait until it serves again, every login's pool (each pauses its
    # logins for server_login_retry after failures while the server was down).
    if [ -n "${BPORT:-}" ]; then
        for u in $(awk -F: '{ print $4 }' "$PGPASSFILE"); do
            wait_for 400 psql -X -q -h "$T" -p "$BPORT" -U "$u" -d fbreview -c 'select 1' >/dev/null 2>&1 ||
                fail "pgbouncer does not serve $u after the restart"
        done
    fi
}
pg_down() {
    as_pg "$PGBIN/pg_ctl" -D "$T/data" -m fast -w stop >/dev/null || fail "pg_ctl stop"
}

# A tiny pause for bounded polling loops (a poll interval, not a wait for an outcome).
sleep_tick() { sleep 0.05; }

# wait_for N CMD...: polls CMD up to N times.
wait_for() {
    n=$1; shift
    i=0
    until "$@"; do
        i=$((i + 1)); [ $i -ge "$n" ] && return 1
        sleep_tick
    done
}

# fb NAME ARGS...: fbreview on console NAME's store as reviewer NAME, connected upstream as
# login NAME (unless the test set FBREVIEW_UPSTREAM to something of its own, or unset it).
fb() {
    name=$1; shift
    if [ -n "${OWNER_UP:-}" ] && [ "${FBREVIEW_UPSTREAM-}" = "$OWNER_UP" ]; then
        FBREVIEW_UPSTREAM=$(conn "$name") "$FB" --db "$T/$name.db" --reviewer "$name" "$@"
    else
        "$FB" --db "$T/$name.db" --reviewer "$name" "$@"
    fi
}
# fb_as LOGIN NAME ARGS...: console NAME's store as reviewer NAME, connected as LOGIN.
fb_as() {
    login=$1 name=$2; shift 2
    FBREVIEW_UPSTREAM=$(conn "$login") "$FB" --db "$T/$name.db" --reviewer "$name" "$@"
}

# q SQL: one value from upstream.
q() { $PSQL -At -c "$1"; }
# lq NAME SQL: one value from a local store.
lq() { sqlite3 "$T/$1.db" "$2"; }

# case_json ID: one valid JSON Lines case.
case_json() {
    printf '{"case_id":"%s","opened_at":"2026-11-20T10:00:00Z","source":"rule:fast_feedback","alleged":"self_hire","accounts":[{"id":"u-%s-1","role":"client","name":"Acme LLC","country":"US"},{"id":"u-%s-2","role":"freelancer","name":"J. Doe","country":"US"}],"links":[{"a":"u-%s-1","b":"u-%s-2","kind":"same_payment_method","detail":"card ending 4242"}],"feedback":[{"from":"u-%s-1","to":"u-%s-2","rating":5,"text":"Amazing work!","at":"2026-11-19T09:21:00Z"}]}\n' "$1" "$1" "$1" "$1" "$1" "$1" "$1"
}

# upstream_cases FIRST LAST: put cases C-FIRST..C-LAST upstream.
upstream_cases() {
    i=$1
    : >"$T/cases.jsonl"
    while [ "$i" -le "$2" ]; do case_json "C-$i" >>"$T/cases.jsonl"; i=$((i + 1)); done
    "$FB" upstream import "$T/cases.jsonl" >/dev/null || fail "upstream import"
}
