/* The upstream PostgreSQL through libpq: the only file that includes libpq-fe.h.
 *
 * Every call runs whole transactions with unnamed statements (PQexecParams) or COPY into
 * a temp table created ON COMMIT DROP, so nothing depends on the session: pgbouncer in
 * transaction mode may hand each transaction to another server connection. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fbreview/lifecycle.h"
#include "fbreview/model.h"
#include "fbreview/outbox.h"
#include "fbreview/upstream.h"
#include "upstream_sql.h"

/* The newest migration in upstream.sql. */
#define UPSTREAM_SCHEMA_VERSION 3

/* Server time in ms: leases and receipt times use upstream's clock, not the consoles'. */
#define NOW_MS "(extract(epoch FROM statement_timestamp())*1000)::bigint"

struct fb_upstream {
    PGconn *conn;
    char *conninfo;     /* kept to reconnect; never printed */
    char *password;     /* from conninfo, scrubbed from every message */
    int in_copy_import; /* upstream_cases_begin .. commit/abort */
    char *imp_buf;      /* the import's rows in COPY text format, sent at commit */
    size_t imp_len, imp_cap;
    long pushes;        /* decision batches pushed by this process (test hook) */
    char *push_buf;     /* a push's COPY data, sent in chunks of about PUSH_CHUNK bytes */
    size_t push_cap;
};

/* A push streams its COPY rows in chunks of this size: neither this buffer nor libpq's
 * output buffer grows with the batch. */
#define PUSH_CHUNK (64 * 1024)

/* Copies msg into dst with the password (if any) replaced, trailing newlines dropped. */
static void scrub(const fb_upstream *up, const char *msg, char *dst, size_t n)
{
    size_t o = 0;
    const char *pw = up ? up->password : NULL;
    size_t pwl = pw ? strlen(pw) : 0;
    for (const char *p = msg ? msg : ""; *p && o + 4 < n;) {
        if (pwl && strncmp(p, pw, pwl) == 0) {
            memcpy(dst + o, "***", 3);
            o += 3;
            p += pwl;
        } else {
            dst[o++] = *p++;
        }
    }
    while (o > 0 && (dst[o - 1] == '\n' || dst[o - 1] == ' '))
        o--;
    dst[o] = '\0';
}

static fb_status pg_fail(fb_upstream *up, fb_err *err, const char *doing, const PGresult *res)
{
    char clean[700];
    const char *m = res ? PQresultErrorMessage(res) : NULL;
    if (!m || !*m)
        m = up && up->conn ? PQerrorMessage(up->conn) : "no connection";
    scrub(up, m, clean, sizeof clean);
    return fb_err_set(err, FB_EUPSTREAM, "upstream: %s: %s", doing, clean[0] ? clean : "failed");
}

/* Runs sql (no parameters, no rows wanted); PGRES_COMMAND_OK or TUPLES_OK is fine. */
static fb_status pg_exec(fb_upstream *up, const char *sql, const char *doing, fb_err *err)
{
    PGresult *r = PQexec(up->conn, sql);
    ExecStatusType st = PQresultStatus(r);
    fb_status rc = FB_OK;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        rc = pg_fail(up, err, doing, r);
    PQclear(r);
    return rc;
}

static PGresult *pg_params(fb_upstream *up, const char *sql, int n, const char *const *vals)
{
    return PQexecParams(up->conn, sql, n, NULL, vals, NULL, NULL, 0);
}

static int res_ok(const PGresult *r)
{
    ExecStatusType st = PQresultStatus(r);
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

static void pg_rollback(fb_upstream *up)
{
    if (up->conn && PQstatus(up->conn) == CONNECTION_OK &&
        PQtransactionStatus(up->conn) != PQTRANS_IDLE) {
        PGresult *r = PQexec(up->conn, "ROLLBACK");
        PQclear(r);
    }
}

/* ---- connection ---- */

static fb_status do_connect(fb_upstream *up, fb_err *err)
{
    /* Defaults first: libpq takes the last value for a repeated key, and the expanded
     * dbname (the user's string) comes after them, so the user's settings win. */
    const char *keys[] = {"connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval",
                          "keepalives_count", "application_name", "dbname", NULL};
    const char *vals[] = {"10", "1", "30", "10", "3", "fbreview", up->conninfo, NULL};
    up->conn = PQconnectdbParams(keys, vals, 1);
    if (!up->conn)
        return fb_err_set(err, FB_ENOMEM, "upstream: out of memory connecting");
    if (PQstatus(up->conn) != CONNECTION_OK) {
        fb_status rc = pg_fail(up, err, "cannot connect (check FBREVIEW_UPSTREAM or [sync] upstream, "
                                        "the server, and .pgpass)", NULL);
        PQfinish(up->conn);
        up->conn = NULL;
        return rc;
    }
    return FB_OK;
}

fb_status upstream_connect(const char *conninfo, fb_upstream **out, fb_err *err)
{
    *out = NULL;
    if (!conninfo || !*conninfo)
        return fb_err_set(err, FB_ECONFIG,
                          "no upstream: set FBREVIEW_UPSTREAM or [sync] upstream in the config "
                          "(a libpq connection string or service=NAME)");
    char *perr = NULL;
    PQconninfoOption *opts = PQconninfoParse(conninfo, &perr);
    if (!opts) {
        /* libpq's message may quote part of the string, which may hold a password. */
        PQfreemem(perr);
        return fb_err_set(err, FB_ECONFIG,
                          "the upstream connection string is malformed (not shown: it may hold a "
                          "password); see libpq's \"Connection Strings\"");
    }
    fb_upstream *up = calloc(1, sizeof *up);
    if (!up) {
        PQconninfoFree(opts);
        return fb_err_set(err, FB_ENOMEM, "out of memory");
    }
    for (PQconninfoOption *o = opts; o->keyword; o++)
        if (strcmp(o->keyword, "password") == 0 && o->val && *o->val)
            up->password = fb_strdup(o->val);
    PQconninfoFree(opts);
    up->conninfo = fb_strdup(conninfo);
    fb_status rc = do_connect(up, err);
    if (rc != FB_OK) {
        upstream_close(&up);
        return rc;
    }
    *out = up;
    return FB_OK;
}

void upstream_close(fb_upstream **upp)
{
    fb_upstream *up = upp ? *upp : NULL;
    if (!up)
        return;
    if (up->conn)
        PQfinish(up->conn);
    free(up->imp_buf);
    free(up->push_buf);
    if (up->password)
        memset(up->password, 0, strlen(up->password));
    free(up->password);
    if (up->conninfo)
        memset(up->conninfo, 0, strlen(up->conninfo));
    free(up->conninfo);
    free(up);
    *upp = NULL;
}

int upstream_alive(fb_upstream *up)
{
    return up && up->conn && PQstatus(up->conn) == CONNECTION_OK;
}

fb_status upstream_reconnect(fb_upstream *up, fb_err *err)
{
    if (up->conn)
        PQfinish(up->conn);
    up->conn = NULL;
    up->in_copy_import = 0;
    return do_connect(up, err);
}

/* ---- schema ---- */

static int schema_version(fb_upstream *up, int *out, fb_err *err)
{
    /* Two statements: the table may not exist yet, and a query naming it would not plan. */
    PGresult *r = PQexec(up->conn, "SELECT to_regclass('fb_schema_version') IS NOT NULL");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        pg_fail(up, err, "reading the schema version", r);
        PQclear(r);
        return -1;
    }
    int exists = PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    *out = 0;
    if (!exists)
        return 0;
    r = PQexec(up->conn, "SELECT coalesce(max(version), 0) FROM fb_schema_version");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        pg_fail(up, err, "reading the schema version", r);
        PQclear(r);
        return -1;
    }
    *out = atoi(PQgetvalue(r, 0, 0));
    PQclear(r);
    return 0;
}

/* The text of migration v: from its "-- migration v" line to the next one (malloc'd). */
static char *migration_text(int v)
{
    char mark[40];
    snprintf(mark, sizeof mark, "-- migration %d\n", v);
    const char *a = strstr(fb_upstream_sql, mark);
    if (!a)
        return NULL;
    a += strlen(mark);
    const char *b = strstr(a, "-- migration ");
    size_t n = b ? (size_t)(b - a) : strlen(a);
    char *t = malloc(n + 1);
    if (!t)
        return NULL;
    memcpy(t, a, n);
    t[n] = '\0';
    return t;
}

/* Rewrites fb_lc_transition and fb_lc_event from this binary's lifecycle table, in one
 * transaction (a judge running meanwhile sees the old rows or the new ones, never none). */
static fb_status write_lifecycle(fb_upstream *up, fb_err *err)
{
    static const char doing[] = "writing the lifecycle table";
    fb_status rc = pg_exec(up, "BEGIN; SELECT pg_advisory_xact_lock(4642525601);"
                               " DELETE FROM fb_lc_transition; DELETE FROM fb_lc_event", doing, err);
    size_t n = 0;
    const lc_transition *rows = lifecycle_rows(&n);
    for (size_t i = 0; i < n && rc == FB_OK; i++) {
        const lc_transition *t = &rows[i];
        const char *to = t->to == LC_SAME ? "same" : t->to == LC_PREV ? "prev" : fb_case_status_str(t->to);
        const char *p[] = {fb_case_status_str(t->from), lifecycle_event_str(t->event), to,
                           lifecycle_who_str(t->who), lifecycle_role_str(t->role)};
        PGresult *r = pg_params(up, "INSERT INTO fb_lc_transition VALUES ($1, $2, $3, $4, $5)", 5, p);
        if (!res_ok(r))
            rc = pg_fail(up, err, doing, r);
        PQclear(r);
    }
    for (int e = 0; e < LC_EV_COUNT && rc == FB_OK; e++) {
        if (lifecycle_event_action((lc_event)e) == FB_A_NONE)
            continue;
        const char *p[] = {lifecycle_event_str((lc_event)e), fb_action_str(lifecycle_event_action((lc_event)e)),
                           lifecycle_event_pending((lc_event)e) ? "t" : "f"};
        PGresult *r = pg_params(up, "INSERT INTO fb_lc_event VALUES ($1, $2, $3::boolean)", 3, p);
        if (!res_ok(r))
            rc = pg_fail(up, err, doing, r);
        PQclear(r);
    }
    if (rc == FB_OK)
        rc = pg_exec(up, "COMMIT", doing, err);
    if (rc != FB_OK)
        pg_rollback(up);
    return rc;
}

fb_status upstream_init(fb_upstream *up, int *from_version, int *to_version, fb_err *err)
{
    int have = 0;
    if (schema_version(up, &have, err) != 0)
        return err->status;
    *from_version = have;
    for (int v = have + 1; v <= UPSTREAM_SCHEMA_VERSION; v++) {
        char *sql = migration_text(v);
        if (!sql)
            return fb_err_set(err, FB_EINTERNAL, "upstream.sql has no migration %d", v);
        /* A transaction-scoped advisory lock (never a session one) serialises two inits. */
        fb_status rc = pg_exec(up, "BEGIN; SELECT pg_advisory_xact_lock(4642525601)", "starting init", err);
        int cur = 0;
        if (rc == FB_OK && schema_version(up, &cur, err) != 0)
            rc = err->status;
        if (rc == FB_OK && cur < v) {
            char doing[64];
            snprintf(doing, sizeof doing, "applying migration %d", v);
            rc = pg_exec(up, sql, doing, err);
            if (rc == FB_OK) {
                char vs[16];
                snprintf(vs, sizeof vs, "%d", v);
                const char *p[] = {vs};
                PGresult *r = pg_params(up, "INSERT INTO fb_schema_version(version) VALUES ($1::int)", 1, p);
                if (!res_ok(r))
                    rc = pg_fail(up, err, "recording the schema version", r);
                PQclear(r);
            }
        }
        free(sql);
        if (rc == FB_OK)
            rc = pg_exec(up, "COMMIT", "committing init", err);
        if (rc != FB_OK) {
            pg_rollback(up);
            return rc;
        }
    }
    *to_version = UPSTREAM_SCHEMA_VERSION;
    return write_lifecycle(up, err);
}

fb_status upstream_check_schema(fb_upstream *up, fb_err *err)
{
    int have = 0;
    if (schema_version(up, &have, err) != 0)
        return err->status;
    if (have < UPSTREAM_SCHEMA_VERSION)
        return fb_err_set(err, FB_EUPSTREAM,
                          "upstream schema is version %d, this fbreview needs %d: run `fbreview upstream init`",
                          have, UPSTREAM_SCHEMA_VERSION);
    return FB_OK;
}

/* ---- COPY helpers ---- */

/* Appends s to buf in COPY text format (backslash, tab, newline and CR escaped). */
static void copy_field(char **buf, size_t *len, size_t *cap, const char *s)
{
    size_t need = *len + (s ? 2 * strlen(s) : 2) + 2;
    if (need > *cap) {
        size_t nc = *cap ? *cap : 4096;
        while (nc < need)
            nc *= 2;
        char *nb = fb_xrealloc(*buf, nc);
        *buf = nb;
        *cap = nc;
    }
    char *o = *buf + *len;
    if (!s) {
        *o++ = '\\';
        *o++ = 'N';
    } else {
        for (const char *p = s; *p; p++) {
            switch (*p) {
            case '\\': *o++ = '\\'; *o++ = '\\'; break;
            case '\t': *o++ = '\\'; *o++ = 't'; break;
            case '\n': *o++ = '\\'; *o++ = 'n'; break;
            case '\r': *o++ = '\\'; *o++ = 'r'; break;
            default: *o++ = *p;
            }
        }
    }
    *len = (size_t)(o - *buf);
}

static void copy_sep(char **buf, size_t *len, size_t *cap, char c)
{
    copy_field(buf, len, cap, "");
    (*buf)[(*len)++] = c;
}

/* Sends a COPY buffer and finishes the COPY. */
static fb_status copy_send(fb_upstream *up, const char *sql, const char *data, size_t len,
                           const char *doing, fb_err *err)
{
    PGresult *r = PQexec(up->conn, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        fb_status rc = pg_fail(up, err, doing, r);
        PQclear(r);
        return rc;
    }
    PQclear(r);
    if ((len && PQputCopyData(up->conn, data, (int)len) != 1) || PQputCopyEnd(up->conn, NULL) != 1)
        return pg_fail(up, err, doing, NULL);
    fb_status rc = FB_OK;
    while ((r = PQgetResult(up->conn)) != NULL) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == FB_OK)
            rc = pg_fail(up, err, doing, r);
        PQclear(r);
    }
    return rc;
}

/* ---- upstream import ---- */

fb_status upstream_cases_begin(fb_upstream *up, fb_err *err)
{
    up->imp_len = 0;
    fb_status rc = pg_exec(up,
                           "BEGIN;"
                           "CREATE TEMP TABLE fb_cstage (line bigint, id text, doc jsonb) ON COMMIT DROP",
                           "starting the import", err);
    if (rc == FB_OK)
        up->in_copy_import = 1;
    return rc;
}

fb_status upstream_cases_add(fb_upstream *up, long line, const char *case_id, const char *doc, fb_err *err)
{
    (void)err;
    char ln[24];
    snprintf(ln, sizeof ln, "%ld", line);
    copy_field(&up->imp_buf, &up->imp_len, &up->imp_cap, ln);
    copy_sep(&up->imp_buf, &up->imp_len, &up->imp_cap, '\t');
    copy_field(&up->imp_buf, &up->imp_len, &up->imp_cap, case_id);
    copy_sep(&up->imp_buf, &up->imp_len, &up->imp_cap, '\t');
    copy_field(&up->imp_buf, &up->imp_len, &up->imp_cap, doc);
    copy_sep(&up->imp_buf, &up->imp_len, &up->imp_cap, '\n');
    return FB_OK;
}

fb_status upstream_cases_commit(fb_upstream *up, upstream_import_report *rep, fb_err *err)
{
    memset(rep, 0, sizeof *rep);
    fb_status rc = copy_send(up, "COPY fb_cstage (line, id, doc) FROM STDIN", up->imp_buf, up->imp_len,
                             "sending the cases", err);
    /* The last line wins for a case id given twice; a case with an accepted decision
     * keeps its evidence (the reviewer decided on what they saw). */
    static const char sql_upsert[] =
        "WITH src AS (SELECT DISTINCT ON (id) id, doc FROM fb_cstage ORDER BY id, line DESC),"
        " kept AS (SELECT s.id FROM src s JOIN fb_case c ON c.id = s.id"
        "          WHERE c.decision_id IS NOT NULL"
        "             OR EXISTS (SELECT 1 FROM fb_decision d WHERE d.case_id = c.id AND d.outcome = 'accepted')),"
        " up AS (INSERT INTO fb_case AS c (id, doc, updated_at)"
        "        SELECT id, doc, " NOW_MS " FROM src WHERE id NOT IN (SELECT id FROM kept)"
        "        ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc, updated_at = EXCLUDED.updated_at"
        "        RETURNING (xmax = 0) AS added)"
        " SELECT (SELECT count(*) FROM up WHERE added), (SELECT count(*) FROM up WHERE NOT added),"
        "        (SELECT count(*) FROM kept)";
    static const char sql_prior[] =
        "INSERT INTO fb_prior_action (account_id, action, violation, at)"
        " SELECT DISTINCT a->>'id', p->>'action', coalesce(p->>'violation', ''),"
        "        (extract(epoch FROM (p->>'at')::timestamptz) * 1000)::bigint"
        "   FROM fb_cstage s, jsonb_array_elements(s.doc->'accounts') a,"
        "        jsonb_array_elements(coalesce(a->'prior', '[]'::jsonb)) p"
        " ON CONFLICT DO NOTHING";
    if (rc == FB_OK) {
        PGresult *r = PQexec(up->conn, sql_upsert);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            rc = pg_fail(up, err, "putting the cases upstream", r);
        } else {
            rep->added = atol(PQgetvalue(r, 0, 0));
            rep->updated = atol(PQgetvalue(r, 0, 1));
            rep->kept = atol(PQgetvalue(r, 0, 2));
        }
        PQclear(r);
    }
    if (rc == FB_OK)
        rc = pg_exec(up, sql_prior, "putting prior actions upstream", err);
    if (rc == FB_OK)
        rc = pg_exec(up, "COMMIT", "committing the import", err);
    if (rc != FB_OK)
        pg_rollback(up);
    up->in_copy_import = 0;
    free(up->imp_buf);
    up->imp_buf = NULL;
    up->imp_len = up->imp_cap = 0;
    return rc;
}

void upstream_cases_abort(fb_upstream *up)
{
    pg_rollback(up);
    up->in_copy_import = 0;
    free(up->imp_buf);
    up->imp_buf = NULL;
    up->imp_len = up->imp_cap = 0;
}

/* ---- push ---- */

/* Judges staged decisions set-based with the lifecycle table (fb_lc_event says which event
 * a decision is, fb_lc_transition whether the case's status takes it, where it leads and
 * who may): accepted when the case is upstream, its status takes the event, the who-rule
 * holds and no other reviewer's live claim stands (unless claim_override); a status that
 * does not take it is a conflict naming the standing decision (winner), a live claim a
 * conflict too; a case not upstream, or a reviewer the who-rule refuses, is rejected.
 * Each decision is recorded once (keyed by its UUID): a re-push reads the first outcome
 * back. */
/* Rows already upstream (a re-push) are judged again but not inserted (ON CONFLICT DO
 * NOTHING, so no RETURNING row): the answer reads their first outcome from fb_decision,
 * which the statement sees as it was before it began. */
static const char sql_judge[] =
    "WITH t AS (SELECT " NOW_MS " AS now),"
    /* Lock the batch's cases in id order: two consoles pushing overlapping batches queue
     * behind each other instead of deadlocking. Under READ COMMITTED a row locked after
     * waiting is read in its newest committed version, so the judging below sees the
     * other console's outcome (its decision row may be newer than this statement's
     * snapshot: hence the coalesce in the reason). */
    " c AS MATERIALIZED (SELECT id, status, decision_id FROM fb_case"
    "   WHERE id IN (SELECT case_id FROM fb_stage) ORDER BY id FOR UPDATE),"
    /* Only what the outcome needs is joined. The standing decision's reviewer and action
     * are looked up by key inside the branches that need them (rare rows), never by
     * joining all of fb_decision, which grows with every push. */
    " judged AS ("
    "  SELECT f.*, c.status AS cstatus, c.decision_id AS standing, tr.to_status, tr.who,"
    "         cl.reviewer AS claim_by, cl.until_ms AS claim_until,"
    "         CASE WHEN c.id IS NULL THEN 'rejected'"
    "              WHEN tr.event IS NULL THEN 'conflict'"
    "              WHEN tr.who = 'not_appealed' AND f.reviewer ="
    "                   (SELECT w.reviewer FROM fb_decision w WHERE w.id = c.decision_id) THEN 'rejected'"
    "              WHEN tr.who NOT IN ('any', 'not_appealed') THEN 'rejected'"
    "              WHEN cl.reviewer IS NOT NULL AND NOT f.claim_override THEN 'conflict'"
    "              ELSE 'accepted' END AS outcome"
    "    FROM fb_stage f CROSS JOIN t"
    "    LEFT JOIN c ON c.id = f.case_id"
    "    LEFT JOIN fb_lc_event ev ON ev.action = f.action AND ev.pending = (f.approval = 'pending')"
    "    LEFT JOIN fb_lc_transition tr ON tr.from_status = c.status AND tr.event = ev.event"
    "    LEFT JOIN fb_live_claim cl ON cl.case_id = f.case_id AND cl.reviewer <> f.reviewer),"
    " ins AS ("
    "  INSERT INTO fb_decision (id, case_id, reviewer, action, violation, days, decided_at, supersedes,"
    "                           approval, claim_override, payload, outcome, reason, winner, received_at)"
    "  SELECT id, case_id, reviewer, action, violation, days, decided_at, supersedes, approval,"
    "         claim_override, payload, outcome,"
    "         CASE WHEN outcome = 'rejected' AND cstatus IS NULL THEN format('case %s is not upstream', case_id)"
    "              WHEN outcome = 'rejected' THEN"
    "                format('case %s is %s: %s may not decide it (the appealed decision is theirs)', case_id,"
    "                       replace(cstatus, '_', ' '), reviewer)"
    "              WHEN outcome = 'conflict' AND to_status IS NULL THEN"
    "                format('case %s is already %s: decision %s (%s) by %s wins', case_id,"
    "                       replace(cstatus, '_', ' '), coalesce(standing::text, 'none'),"
    "                       coalesce((SELECT w.action FROM fb_decision w WHERE w.id = standing), 'just now'),"
    "                       coalesce((SELECT w.reviewer FROM fb_decision w WHERE w.id = standing),"
    "                                'another reviewer'))"
    "              WHEN outcome = 'conflict' THEN"
    "                format('case %s is claimed by %s until %s', case_id, claim_by,"
    "                       to_char(to_timestamp(claim_until / 1000.0) AT TIME ZONE 'UTC',"
    "                               'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))"
    "         END,"
    "         CASE WHEN outcome = 'conflict' AND to_status IS NULL THEN standing END, (SELECT now FROM t)"
    "    FROM judged"
    "  ON CONFLICT (id) DO NOTHING"
    "  RETURNING id, case_id, outcome, reason, winner),"
    /* One set-based UPDATE moves the accepted cases where the table says, setting xid
     * itself (so the per-row touch trigger's WHEN skips it). */
    " upd AS ("
    "  UPDATE fb_case c SET status = j.to_status,"
    "                       decision_id = i.id, updated_at = (SELECT now FROM t), xid = pg_current_xact_id()"
    "    FROM ins i JOIN judged j ON j.id = i.id WHERE i.outcome = 'accepted' AND c.id = i.case_id RETURNING c.id),"
    /* A decided case's lease ends: expired in place (not deleted) so the change has an
     * xid and other consoles pull it. */
    " rel AS (UPDATE fb_claim cl SET until_ms = (SELECT now FROM t), xid = pg_current_xact_id()"
    "         FROM ins i WHERE i.outcome = 'accepted' AND cl.case_id = i.case_id AND cl.until_ms > (SELECT now FROM t)"
    "         RETURNING cl.case_id)"
    /* (upd and rel run to completion whether read or not: data-modifying WITH). A row
     * already upstream (a re-push) is not in ins: its first answer is read by key, only
     * for such rows. */
    " SELECT s.seq, coalesce(i.outcome, (SELECT d.outcome FROM fb_decision d WHERE d.id = s.id)),"
    "        coalesce(i.reason, (SELECT d.reason FROM fb_decision d WHERE d.id = s.id AND i.id IS NULL), ''),"
    "        coalesce(i.winner, (SELECT d.winner FROM fb_decision d WHERE d.id = s.id AND i.id IS NULL))::text"
    "   FROM fb_stage s"
    "   LEFT JOIN ins i ON i.id = s.id"
    "  ORDER BY s.seq";

/* Test hook: FBREVIEW_SYNC_HOOK_CMD runs once, in the middle of decision batch number
 * FBREVIEW_SYNC_HOOK_BATCH (default 2) after the rows are staged, so tests can cut the
 * connection mid-batch (pg_terminate_backend) at a known point. */
static void hook_mid_batch(fb_upstream *up)
{
    static int done;
    const char *cmd = getenv("FBREVIEW_SYNC_HOOK_CMD");
    if (done || !cmd || !*cmd)
        return;
    const char *nb = getenv("FBREVIEW_SYNC_HOOK_BATCH");
    long want = nb && *nb ? atol(nb) : 2;
    if (up->pushes != want)
        return;
    done = 1;
    fflush(NULL);
    if (system(cmd) != 0)
        fputs("fbreview sync: test hook command failed\n", stderr);
}

/* Profiling hook (bench_sync.sh): FBREVIEW_SYNC_EXPLAIN=N prints EXPLAIN (ANALYZE,
 * BUFFERS) of the judging statement of decision batch N to stderr. It runs the statement
 * inside a savepoint rolled back at once, so the batch itself is pushed as usual. */
static void explain_batch(fb_upstream *up, const char *sql)
{
    const char *e = getenv("FBREVIEW_SYNC_EXPLAIN");
    if (!e || !*e || atol(e) != up->pushes)
        return;
    size_t n = strlen(sql) + 64;
    char *q = malloc(n);
    if (!q)
        return;
    snprintf(q, n, "EXPLAIN (ANALYZE, BUFFERS) %s", sql);
    PGresult *r = PQexec(up->conn, "SAVEPOINT fb_explain");
    PQclear(r);
    r = PQexec(up->conn, q);
    fprintf(stderr, "sync explain: batch %ld:\n", up->pushes);
    if (PQresultStatus(r) == PGRES_TUPLES_OK)
        for (int i = 0; i < PQntuples(r); i++)
            fprintf(stderr, "  %s\n", PQgetvalue(r, i, 0));
    else
        fprintf(stderr, "  %s", PQresultErrorMessage(r));
    PQclear(r);
    r = PQexec(up->conn, "ROLLBACK TO SAVEPOINT fb_explain");
    PQclear(r);
    free(q);
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static upstream_outcome outcome_from(const char *s)
{
    if (strcmp(s, "accepted") == 0)
        return UPSTREAM_ACCEPTED;
    if (strcmp(s, "conflict") == 0)
        return UPSTREAM_CONFLICT;
    return UPSTREAM_REJECTED;
}

/* COPYs the batch into fb_stage, a chunk at a time as the rows are formatted. */
static fb_status stage_decisions(fb_upstream *up, const upstream_item *items, size_t n, fb_err *err)
{
    static const char doing[] = "staging decisions";
    PGresult *r = PQexec(up->conn, "COPY fb_stage FROM STDIN");
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        fb_status rc = pg_fail(up, err, doing, r);
        PQclear(r);
        return rc;
    }
    PQclear(r);
    size_t len = 0;
    int sent = 1;
    for (size_t i = 0; i < n && sent; i++) {
        char seq[24];
        snprintf(seq, sizeof seq, "%lld", (long long)items[i].seq);
        const char *cols[] = {seq, items[i].ref, items[i].case_id, items[i].reviewer, items[i].action,
                              items[i].violation, items[i].days, items[i].decided_at, items[i].supersedes,
                              items[i].approval, items[i].claim_override, items[i].payload};
        enum { NC = sizeof cols / sizeof cols[0] };
        for (size_t c = 0; c < NC; c++) {
            copy_field(&up->push_buf, &len, &up->push_cap, cols[c]);
            copy_sep(&up->push_buf, &len, &up->push_cap, c + 1 < NC ? '\t' : '\n');
        }
        if (len >= PUSH_CHUNK || i + 1 == n) {
            sent = PQputCopyData(up->conn, up->push_buf, (int)len) == 1;
            len = 0;
        }
    }
    fb_status rc = FB_OK;
    if (!sent) {
        rc = pg_fail(up, err, doing, NULL);
        PQputCopyEnd(up->conn, "fbreview: sending failed");
    } else if (PQputCopyEnd(up->conn, NULL) != 1) {
        rc = pg_fail(up, err, doing, NULL);
    }
    while ((r = PQgetResult(up->conn)) != NULL) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == FB_OK)
            rc = pg_fail(up, err, doing, r);
        PQclear(r);
    }
    /* One batch's big payloads must not keep a big buffer for the whole run. */
    if (up->push_cap > 4 * PUSH_CHUNK) {
        free(up->push_buf);
        up->push_buf = NULL;
        up->push_cap = 0;
    }
    return rc;
}

static fb_status push_decisions(fb_upstream *up, const upstream_item *items, size_t n,
                                upstream_answer *answers, fb_err *err)
{
    fb_status rc = FB_OK;
    up->pushes++;
    const char *tr = getenv("FBREVIEW_SYNC_TRACE");
    int trace = tr && *tr == '1';
    int64_t t[6];
    t[0] = now_us();
    /* random_page_cost as for data in memory or on SSD, for this transaction only: a
     * batch touches a few thousand rows by key, and index probes beat scanning fb_case.
     * jit off: a big batch's cost estimate can cross jit_above_cost, and compiling the
     * statement costs more (hundreds of ms) than running it. */
    rc = pg_exec(up,
                 "BEGIN; SET LOCAL random_page_cost = 1.1; SET LOCAL jit = off;"
                 " CREATE TEMP TABLE fb_stage (seq bigint, id uuid, case_id text, reviewer text, action text,"
                 " violation text, days int, decided_at bigint, supersedes uuid, approval text,"
                 " claim_override boolean, payload json) ON COMMIT DROP",
                 "starting a push", err);
    t[1] = now_us();
    if (rc == FB_OK)
        rc = stage_decisions(up, items, n, err);
    t[2] = now_us();
    if (rc == FB_OK) {
        hook_mid_batch(up);
        /* A temp table has no statistics until analyzed; without them some batch sizes
         * plan the case lookups as nested scans (seconds instead of milliseconds). The
         * two key columns are enough (the payload's statistics cost the most to take). */
        rc = pg_exec(up, "ANALYZE fb_stage (id, case_id)", "staging decisions", err);
    }
    t[3] = now_us();
    if (rc == FB_OK) {
        explain_batch(up, sql_judge);
        PGresult *r = PQexec(up->conn, sql_judge);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            rc = pg_fail(up, err, "judging decisions", r);
        } else if ((size_t)PQntuples(r) != n) {
            rc = fb_err_set(err, FB_EUPSTREAM, "upstream: push answered %d of %zu decisions", PQntuples(r), n);
        } else {
            for (size_t i = 0; i < n && rc == FB_OK; i++) {
                if (PQgetisnull(r, (int)i, 1)) {
                    /* Only when another session inserted the same UUID at the same moment. */
                    rc = fb_err_set(err, FB_EUPSTREAM, "upstream: decision pushed concurrently; retrying later");
                    break;
                }
                answers[i].outcome = outcome_from(PQgetvalue(r, (int)i, 1));
                const char *why = PQgetvalue(r, (int)i, 2);
                answers[i].reason = NULL;
                snprintf(answers[i].winner, sizeof answers[i].winner, "%s",
                         PQgetisnull(r, (int)i, 3) ? "" : PQgetvalue(r, (int)i, 3));
                if (answers[i].outcome != UPSTREAM_ACCEPTED && !(answers[i].reason = fb_strdup(why)))
                    rc = fb_err_set(err, FB_ENOMEM, "out of memory");
            }
        }
        PQclear(r);
    }
    t[4] = now_us();
    if (rc == FB_OK)
        rc = pg_exec(up, "COMMIT", "committing a push", err);
    t[5] = now_us();
    if (trace)
        fprintf(stderr, "sync trace: upstream batch %zu: begin %lld, copy %lld, analyze %lld, judge %lld, commit %lld us\n",
                n, (long long)(t[1] - t[0]), (long long)(t[2] - t[1]), (long long)(t[3] - t[2]),
                (long long)(t[4] - t[3]), (long long)(t[5] - t[4]));
    if (rc != FB_OK)
        pg_rollback(up);
    return rc;
}

/* One non-decision item inside the caller's transaction. Approvals and appeals are
 * judged with the lifecycle table like decisions: the case (whose standing decision the
 * item is about) must be in a status that takes the event, and the who-rule must hold.
 * Each query answers (done, why): done 1 when the item is applied now or was applied by an
 * earlier push of the same item (a re-push answers the same); why names the refusal. */
static fb_status push_other(fb_upstream *up, const upstream_item *it, upstream_answer *ans, fb_err *err)
{
    static const char sql_approval[] =
        "WITH p AS (SELECT $1::uuid AS decision_id, $2::text AS approval, $3::text AS by, $4::text AS rationale,"
        "                  $5::bigint AS at),"
        " d AS (SELECT x.id, x.case_id, x.reviewer FROM fb_decision x, p WHERE x.id = p.decision_id"
        "           AND x.outcome = 'accepted'),"
        " c AS (SELECT c.id, c.status FROM fb_case c JOIN d ON c.id = d.case_id AND c.decision_id = d.id FOR UPDATE),"
        " tr AS (SELECT t.to_status, t.who FROM fb_lc_transition t, c, p WHERE t.from_status = c.status"
        "           AND t.event = CASE WHEN p.approval = 'approved' THEN 'approve' ELSE 'send_back' END),"
        " ok AS (SELECT 1 FROM tr, d, p WHERE tr.who = 'any' OR (tr.who = 'other' AND d.reviewer <> p.by)),"
        " ins AS (INSERT INTO fb_approval (decision_id, approval, by_reviewer, rationale, at)"
        "         SELECT d.id, p.approval, p.by, p.rationale, p.at FROM d, p WHERE EXISTS (SELECT 1 FROM ok)"
        "         ON CONFLICT (decision_id) DO NOTHING RETURNING decision_id, approval),"
        " dec AS (UPDATE fb_decision x SET approval = i.approval FROM ins i WHERE x.id = i.decision_id"
        "         RETURNING x.id),"
        /* Back to open, a case has no standing decision. */
        " cs AS (UPDATE fb_case c SET status = tr.to_status,"
        "               decision_id = CASE WHEN tr.to_status = 'open' THEN NULL ELSE c.decision_id END,"
        "               updated_at = " NOW_MS
        "          FROM ins i, tr WHERE c.id = (SELECT case_id FROM d)"
        "        RETURNING c.id)"
        " SELECT (SELECT count(*) FROM ins) + (SELECT count(*) FROM fb_approval a, p WHERE a.decision_id = p.decision_id"
        "          AND a.approval = p.approval AND a.by_reviewer = p.by AND a.at = p.at),"
        "        CASE WHEN NOT EXISTS (SELECT 1 FROM d) THEN 'its decision is not accepted upstream'"
        "             WHEN NOT EXISTS (SELECT 1 FROM tr) THEN"
        "               format('case %s is %s, not waiting for approval of this block',"
        "                      (SELECT case_id FROM d), coalesce((SELECT replace(status, '_', ' ') FROM fb_case"
        "                       WHERE id = (SELECT case_id FROM d)), 'gone'))"
        "             WHEN NOT EXISTS (SELECT 1 FROM ok) THEN 'a block needs a reviewer other than its proposer'"
        "             ELSE 'another answer to this block came first' END";
    static const char sql_appeal[] =
        "WITH p AS (SELECT $1::uuid AS id, $2::uuid AS decision_id, $3::text AS text, $4::bigint AS at),"
        " d AS (SELECT x.id, x.case_id FROM fb_decision x, p WHERE x.id = p.decision_id AND x.outcome = 'accepted'),"
        " c AS (SELECT c.id, c.status FROM fb_case c JOIN d ON c.id = d.case_id AND c.decision_id = d.id FOR UPDATE),"
        " tr AS (SELECT t.to_status FROM fb_lc_transition t, c WHERE t.from_status = c.status AND t.event = 'appeal'"
        "          AND t.who = 'any'),"
        " ins AS (INSERT INTO fb_appeal (id, decision_id, case_id, text, received_at)"
        "         SELECT p.id, d.id, d.case_id, p.text, p.at FROM d, p WHERE EXISTS (SELECT 1 FROM tr)"
        "         ON CONFLICT (id) DO NOTHING RETURNING decision_id, case_id),"
        " cs AS (UPDATE fb_case c SET status = tr.to_status, updated_at = " NOW_MS
        "          FROM ins i, tr WHERE c.id = i.case_id RETURNING c.id)"
        " SELECT (SELECT count(*) FROM ins) + (SELECT count(*) FROM fb_appeal a, p WHERE a.id = p.id),"
        "        CASE WHEN NOT EXISTS (SELECT 1 FROM d) THEN 'its decision is not accepted upstream'"
        "             ELSE format('case %s is %s: only the standing decision of a decided case can be appealed',"
        "                         (SELECT case_id FROM d), coalesce((SELECT replace(status, '_', ' ') FROM fb_case"
        "                          WHERE id = (SELECT case_id FROM d)), 'gone')) END";
    static const char sql_note[] =
        "WITH ins AS (INSERT INTO fb_note (case_id, reviewer, at, text)"
        "  SELECT $1::text, $2::text, $3::bigint, $4::text"
        "  ON CONFLICT DO NOTHING RETURNING 1)"
        " SELECT 1, ''";
    const char *sql = NULL;
    ans->outcome = UPSTREAM_ACCEPTED;
    ans->reason = NULL;
    ans->winner[0] = '\0';
    /* The payload is read by the outbox contract's decoder; the statements take typed
     * parameters, never field names of their own. An item that does not decode (a kind
     * this binary does not know, a malformed payload) is refused loudly, never taken as
     * done. */
    outbox_msg m;
    fb_err derr = {0};
    if (outbox_decode(it->kind, it->payload, &m, &derr) != FB_OK || m.kind == OUTBOX_DECISION) {
        ans->outcome = UPSTREAM_REJECTED;
        const char *why = m.kind == OUTBOX_DECISION ? "a decision cannot go in a batch of other kinds" : derr.msg;
        size_t len = strlen(it->ref) + strlen(why) + 64;
        if (m.kind == OUTBOX_DECISION)
            outbox_msg_clear(&m);
        if (!(ans->reason = malloc(len)))
            return fb_err_set(err, FB_ENOMEM, "out of memory");
        snprintf(ans->reason, len, "%s (%s); nothing was applied", why, it->ref);
        return FB_OK;
    }
    char n1[24], n2[24];
    const char *p[5] = {0};
    int np = 0;
    switch (m.kind) {
    case OUTBOX_APPROVAL:
        sql = sql_approval;
        snprintf(n1, sizeof n1, "%lld", (long long)m.u.approval.at);
        p[0] = m.u.approval.decision_id, p[1] = m.u.approval.approval, p[2] = m.u.approval.by;
        p[3] = m.u.approval.rationale, p[4] = n1, np = 5;
        break;
    case OUTBOX_APPEAL:
        sql = sql_appeal;
        snprintf(n1, sizeof n1, "%lld", (long long)m.u.appeal.at);
        p[0] = m.u.appeal.appeal_id, p[1] = m.u.appeal.decision_id, p[2] = m.u.appeal.text, p[3] = n1, np = 4;
        break;
    default:
        sql = sql_note;
        snprintf(n2, sizeof n2, "%lld", (long long)m.u.note.at);
        p[0] = m.u.note.case_id, p[1] = m.u.note.reviewer, p[2] = n2, p[3] = m.u.note.text, np = 4;
        break;
    }
    PGresult *r = pg_params(up, sql, np, p);
    outbox_msg_clear(&m);
    fb_status rc = FB_OK;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rc = pg_fail(up, err, it->kind, r);
    } else if (atol(PQgetvalue(r, 0, 0)) == 0) {
        ans->outcome = UPSTREAM_REJECTED;
        const char *why = PQgetvalue(r, 0, 1);
        size_t len = strlen(it->kind) + strlen(it->ref) + strlen(why) + 8;
        if ((ans->reason = malloc(len)) != NULL)
            snprintf(ans->reason, len, "%s %s: %s", it->kind, it->ref, why);
        else
            rc = fb_err_set(err, FB_ENOMEM, "out of memory");
    }
    PQclear(r);
    return rc;
}

void upstream_answers_clear(upstream_answer *answers, size_t n)
{
    for (size_t i = 0; answers && i < n; i++) {
        free(answers[i].reason);
        answers[i].reason = NULL;
    }
}

fb_status upstream_push(fb_upstream *up, const upstream_item *items, size_t n, upstream_answer *answers,
                        fb_err *err)
{
    if (n == 0)
        return FB_OK;
    if (strcmp(items[0].kind, "decision") == 0)
        return push_decisions(up, items, n, answers, err);
    fb_status rc = pg_exec(up, "BEGIN", "starting a push", err);
    for (size_t i = 0; i < n && rc == FB_OK; i++)
        rc = push_other(up, &items[i], &answers[i], err);
    if (rc == FB_OK)
        rc = pg_exec(up, "COMMIT", "committing a push", err);
    if (rc != FB_OK)
        pg_rollback(up);
    return rc;
}

/* ---- pull ---- */

/* Runs a query in single-row mode and hands each row to fn. */
typedef fb_status (*row_fn)(const PGresult *r, const upstream_pull_fns *fns, void *ctx, fb_err *err);

static fb_status stream_rows(fb_upstream *up, const char *sql, const char *cursor, const char *horizon,
                             row_fn fn, const upstream_pull_fns *fns, void *ctx, const char *doing, fb_err *err)
{
    const char *p[] = {cursor, horizon};
    if (!PQsendQueryParams(up->conn, sql, 2, NULL, p, NULL, NULL, 0))
        return pg_fail(up, err, doing, NULL);
    PQsetSingleRowMode(up->conn);
    fb_status rc = FB_OK;
    PGresult *r;
    while ((r = PQgetResult(up->conn)) != NULL) {
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_SINGLE_TUPLE) {
            if (rc == FB_OK)
                rc = fn(r, fns, ctx, err);
        } else if (st != PGRES_TUPLES_OK && rc == FB_OK) {
            rc = pg_fail(up, err, doing, r);
        }
        PQclear(r);
    }
    return rc;
}

static const char *val(const PGresult *r, int col)
{
    return PQgetisnull(r, 0, col) ? NULL : PQgetvalue(r, 0, col);
}

static int64_t ival(const PGresult *r, int col)
{
    return PQgetisnull(r, 0, col) ? 0 : strtoll(PQgetvalue(r, 0, col), NULL, 10);
}

static fb_status row_case(const PGresult *r, const upstream_pull_fns *f, void *ctx, fb_err *err)
{
    return f->on_case ? f->on_case(ctx, val(r, 0), val(r, 1), val(r, 2), err) : FB_OK;
}

static fb_status row_prior(const PGresult *r, const upstream_pull_fns *f, void *ctx, fb_err *err)
{
    const char *v = val(r, 2);
    return f->on_prior ? f->on_prior(ctx, val(r, 0), val(r, 1), v && *v ? v : NULL, ival(r, 3), err) : FB_OK;
}

static fb_status row_decision(const PGresult *r, const upstream_pull_fns *f, void *ctx, fb_err *err)
{
    return f->on_decision ? f->on_decision(ctx, val(r, 0), err) : FB_OK;
}

static fb_status row_approval(const PGresult *r, const upstream_pull_fns *f, void *ctx, fb_err *err)
{
    return f->on_approval ? f->on_approval(ctx, val(r, 0), val(r, 1), val(r, 2), ival(r, 3), val(r, 4), err) : FB_OK;
}

static fb_status row_appeal(const PGresult *r, const upstream_pull_fns *f, void *ctx, fb_err *err)
{
    return f->on_appeal ? f->on_appeal(ctx, val(r, 0), val(r, 1), val(r, 2), val(r, 3), ival(r, 4), err) : FB_OK;
}

static fb_status row_claim(const PGresult *r, const upstream_pull_fns *f, void *ctx, fb_err *err)
{
    return f->on_claim ? f->on_claim(ctx, val(r, 0), val(r, 1), ival(r, 2), err) : FB_OK;
}

static fb_status row_note(const PGresult *r, const upstream_pull_fns *f, void *ctx, fb_err *err)
{
    return f->on_note ? f->on_note(ctx, val(r, 0), val(r, 1), ival(r, 2), val(r, 3), err) : FB_OK;
}

static fb_status row_status(const PGresult *r, const upstream_pull_fns *f, void *ctx, fb_err *err)
{
    return f->on_case_status ? f->on_case_status(ctx, val(r, 0), val(r, 1), err) : FB_OK;
}

fb_status upstream_pull(fb_upstream *up, const char *cursor, char next_cursor[32], const upstream_pull_fns *fns,
                        void *ctx, fb_err *err)
{
    static const char *const sql[] = {
        "SELECT id, doc::text, status FROM fb_case WHERE xid >= $1::xid8 AND xid < $2::xid8 ORDER BY xid, id",
        "SELECT account_id, action, violation, at FROM fb_prior_action WHERE xid >= $1::xid8 AND xid < $2::xid8",
        /* Accepted decisions only: others' conflicts and rejections are theirs to see. */
        "SELECT payload::text FROM fb_decision WHERE outcome = 'accepted' AND xid >= $1::xid8 AND xid < $2::xid8"
        " ORDER BY xid, received_at, id",
        "SELECT decision_id::text, approval, by_reviewer, at, rationale FROM fb_approval WHERE xid >= $1::xid8 AND xid < $2::xid8",
        "SELECT id::text, decision_id::text, case_id, text, received_at FROM fb_appeal"
        " WHERE xid >= $1::xid8 AND xid < $2::xid8",
        "SELECT case_id, reviewer, until_ms FROM fb_claim WHERE xid >= $1::xid8 AND xid < $2::xid8",
        "SELECT case_id, reviewer, at, text FROM fb_note WHERE xid >= $1::xid8 AND xid < $2::xid8 ORDER BY at",
        /* Last, the changed cases' statuses again: the rows above, applied one by one,
         * may pass through intermediate states (an appeal pulled after the decision that
         * resolved it); the case's upstream status is the truth at this snapshot. */
        "SELECT id, status FROM fb_case WHERE xid >= $1::xid8 AND xid < $2::xid8",
    };
    static const row_fn fn[] = {row_case, row_prior, row_decision, row_approval, row_appeal, row_claim,
                                row_note, row_status};
    static const char *const doing[] = {"pulling cases", "pulling prior actions", "pulling decisions",
                                        "pulling approvals", "pulling appeals", "pulling claims",
                                        "pulling notes", "pulling case statuses"};
    const char *from = cursor && *cursor ? cursor : "0";
    /* One snapshot for the horizon and every read: rows below its xmin are all final. */
    fb_status rc = pg_exec(up, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "starting a pull", err);
    if (rc != FB_OK)
        return rc;
    PGresult *r = PQexec(up->conn, "SELECT pg_snapshot_xmin(pg_current_snapshot())::text");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rc = pg_fail(up, err, "reading the snapshot horizon", r);
        PQclear(r);
        pg_rollback(up);
        return rc;
    }
    snprintf(next_cursor, 32, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    for (size_t i = 0; i < sizeof sql / sizeof sql[0] && rc == FB_OK; i++)
        rc = stream_rows(up, sql[i], from, next_cursor, fn[i], fns, ctx, doing[i], err);
    if (rc == FB_OK)
        rc = pg_exec(up, "COMMIT", "ending a pull", err);
    if (rc != FB_OK)
        pg_rollback(up);
    return rc;
}

/* ---- claims ---- */

fb_status upstream_claim(fb_upstream *up, const char *case_id, const char *reviewer, int64_t lease_ms, int *granted,
                         char holder[128], int64_t *until_ms, fb_err *err)
{
    /* One conditional upsert: it takes a free or expired lease, renews our own, and leaves
     * another reviewer's live lease alone (then no row comes back). */
    static const char sql_take[] =
        "INSERT INTO fb_claim AS cl (case_id, reviewer, until_ms) VALUES ($1, $2, " NOW_MS " + $3::bigint)"
        " ON CONFLICT (case_id) DO UPDATE SET reviewer = EXCLUDED.reviewer, until_ms = EXCLUDED.until_ms"
        " WHERE cl.until_ms <= " NOW_MS " OR cl.reviewer = EXCLUDED.reviewer"
        " RETURNING reviewer, until_ms";
    static const char sql_holder[] = "SELECT reviewer, until_ms FROM fb_claim WHERE case_id = $1";
    char lease[24];
    snprintf(lease, sizeof lease, "%lld", (long long)lease_ms);
    const char *p[] = {case_id, reviewer, lease};
    *granted = 0;
    holder[0] = '\0';
    *until_ms = 0;
    PGresult *r = pg_params(up, sql_take, 3, p);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        fb_status rc = pg_fail(up, err, "claiming a case", r);
        PQclear(r);
        return rc;
    }
    if (PQntuples(r) == 1) {
        *granted = 1;
        snprintf(holder, 128, "%s", PQgetvalue(r, 0, 0));
        *until_ms = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
        PQclear(r);
        return FB_OK;
    }
    PQclear(r);
    /* Only informative (who holds it): a separate autocommit read is fine. */
    r = pg_params(up, sql_holder, 1, p);
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
        snprintf(holder, 128, "%s", PQgetvalue(r, 0, 0));
        *until_ms = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
    }
    PQclear(r);
    return FB_OK;
}

fb_status upstream_release(fb_upstream *up, const char *case_id, const char *reviewer, fb_err *err)
{
    const char *p[] = {case_id, reviewer};
    /* Expired in place rather than deleted, so other consoles pull the release. */
    PGresult *r = pg_params(up,
                            "UPDATE fb_claim SET until_ms = " NOW_MS
                            " WHERE case_id = $1 AND reviewer = $2 AND until_ms > " NOW_MS,
                            2, p);
    fb_status rc = res_ok(r) ? FB_OK : pg_fail(up, err, "releasing a claim", r);
    PQclear(r);
    return rc;
}
