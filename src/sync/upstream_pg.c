/* The upstream PostgreSQL through libpq: the only file that includes libpq-fe.h.
 *
 * Every call runs whole transactions with unnamed statements (PQexecParams) or COPY into
 * a temp table created ON COMMIT DROP, so nothing depends on the session: pgbouncer in
 * transaction mode may hand each transaction to another server connection. */
#include <jansson.h>
#include <libpq-fe.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fbreview/config.h"
#include "fbreview/lifecycle.h"
#include "fbreview/model.h"
#include "fbreview/outbox.h"
#include "fbreview/upstream.h"
#include "upstream_sql.h"

/* The newest migration in upstream.sql. */
#define UPSTREAM_SCHEMA_VERSION 6

/* Server time in ms: leases and receipt times use upstream's clock, not the consoles'. */
#define NOW_MS "(extract(epoch FROM statement_timestamp())*1000)::bigint"

struct fb_upstream {
    PGconn *conn;
    PGcancel *cancel;   /* for upstream_cancel(); replaced under cancel_mu on reconnect */
    pthread_mutex_t cancel_mu;
    upstream_timeouts limits;
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

/* BEGIN (with mode, e.g. "ISOLATION LEVEL ...") and the transaction's limits: SET LOCAL
 * lasts exactly one transaction, so it holds through pgbouncer in transaction mode. */
static fb_status pg_begin(fb_upstream *up, const char *mode, const char *doing, fb_err *err)
{
    char sql[320];
    snprintf(sql, sizeof sql,
             "BEGIN%s%s; SET LOCAL statement_timeout = %ld; SET LOCAL lock_timeout = %ld;"
             " SET LOCAL idle_in_transaction_session_timeout = %ld",
             mode ? " " : "", mode ? mode : "", up->limits.statement_ms, up->limits.lock_ms,
             up->limits.idle_in_transaction_ms);
    return pg_exec(up, sql, doing, err);
}

void upstream_set_timeouts(fb_upstream *up, const upstream_timeouts *t)
{
    up->limits.statement_ms = t->statement_ms > 0 ? t->statement_ms : 0;
    up->limits.lock_ms = t->lock_ms > 0 ? t->lock_ms : 0;
    up->limits.idle_in_transaction_ms = t->idle_in_transaction_ms > 0 ? t->idle_in_transaction_ms : 0;
}

void upstream_cancel(fb_upstream *up)
{
    if (!up)
        return;
    pthread_mutex_lock(&up->cancel_mu);
    if (up->cancel) {
        char buf[256];
        (void)PQcancel(up->cancel, buf, sizeof buf);
    }
    pthread_mutex_unlock(&up->cancel_mu);
}

static void cancel_reset(fb_upstream *up)
{
    pthread_mutex_lock(&up->cancel_mu);
    if (up->cancel)
        PQfreeCancel(up->cancel);
    up->cancel = up->conn ? PQgetCancel(up->conn) : NULL;
    pthread_mutex_unlock(&up->cancel_mu);
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
    cancel_reset(up);
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
    pthread_mutex_init(&up->cancel_mu, NULL);
    up->limits = (upstream_timeouts){atol(config_option(OPT_SYNC_STATEMENT_TIMEOUT)->def),
                                     atol(config_option(OPT_SYNC_LOCK_TIMEOUT)->def),
                                     atol(config_option(OPT_SYNC_IDLE_TIMEOUT)->def)};
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
    pthread_mutex_lock(&up->cancel_mu);
    if (up->cancel)
        PQfreeCancel(up->cancel);
    up->cancel = NULL;
    pthread_mutex_unlock(&up->cancel_mu);
    pthread_mutex_destroy(&up->cancel_mu);
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
    cancel_reset(up);
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

/* One INSERT of the lifecycle write; on failure sets *rc. */
static void lc_put(fb_upstream *up, fb_status *rc, const char *sql, int n, const char *const *p, fb_err *err)
{
    if (*rc != FB_OK)
        return;
    PGresult *r = pg_params(up, sql, n, p);
    if (!res_ok(r))
        *rc = pg_fail(up, err, "writing the lifecycle table", r);
    PQclear(r);
}

/* A [policy] setting as JSON (a boolean, a number or a string), from cfg (malloc'd). */
static char *setting_json(const fb_config *cfg, fb_option_id id)
{
    const fb_option *o = config_option(id);
    json_t *v = o->type == OPT_BOOL  ? json_boolean(config_bool(cfg, id))
                : o->type == OPT_INT ? json_integer(config_int(cfg, id))
                                     : json_string(config_str(cfg, id) ? config_str(cfg, id) : "");
    char *t = v ? json_dumps(v, JSON_ENCODE_ANY) : NULL;
    json_decref(v);
    return t;
}

char *upstream_policy_settings(const fb_config *cfg)
{
    fb_option_id ids[16];
    size_t n = lifecycle_settings(ids, sizeof ids / sizeof ids[0]);
    json_t *o = json_object();
    for (size_t i = 0; o && i < n && i < sizeof ids / sizeof ids[0]; i++) {
        char *t = setting_json(cfg, ids[i]);
        json_t *v = t ? json_loads(t, JSON_DECODE_ANY, NULL) : NULL;
        free(t);
        if (!v || json_object_set_new(o, config_option(ids[i])->key, v) != 0) {
            json_decref(o);
            return NULL;
        }
    }
    char *t = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(o);
    return t;
}

/* Writes this binary's lifecycle table (core/lifecycle.h) into the fb_lc_* rows inside the
 * caller's transaction: a judge running meanwhile sees the old rows or the new ones. The
 * statuses become fb_case's CHECK (fb_lc_status_constrain), the approval events' answers
 * fb_approval's (fb_lc_approval_constrain): a value upstream still holds but the table no
 * longer has fails it, and init stops rather than strand a row. */
static fb_status write_lifecycle(fb_upstream *up, fb_err *err)
{
    fb_status rc = pg_exec(up, "DELETE FROM fb_lc_transition; DELETE FROM fb_lc_event; DELETE FROM fb_lc_who;"
                               " DELETE FROM fb_lc_role; DELETE FROM fb_lc_setting",
                           "writing the lifecycle table", err);
    for (int st = 0; st < FB_CS_COUNT; st++) {
        const char *p[] = {fb_case_status_str((fb_case_status)st), st == LC_INITIAL ? "t" : "f"};
        lc_put(up, &rc,
               "INSERT INTO fb_lc_status VALUES ($1, $2::boolean)"
               " ON CONFLICT (status) DO UPDATE SET initial = EXCLUDED.initial",
               2, p, err);
    }
    {
        /* text[] of the statuses, so the rest go (the foreign key stops a status in use) */
        char list[512] = "{";
        for (int st = 0; st < FB_CS_COUNT; st++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", st ? "," : "",
                     fb_case_status_str((fb_case_status)st));
        snprintf(list + strlen(list), sizeof list - strlen(list), "}");
        const char *p[] = {list};
        lc_put(up, &rc, "DELETE FROM fb_lc_status WHERE status <> ALL ($1::text[])", 1, p, err);
        lc_put(up, &rc, "SELECT fb_lc_status_constrain()", 0, NULL, err);
    }
    size_t n = 0;
    const lc_transition *rows = lifecycle_rows(&n);
    for (size_t i = 0; i < n; i++) {
        const lc_transition *t = &rows[i];
        const char *to = t->to == LC_SAME ? "same" : t->to == LC_PREV ? "prev" : fb_case_status_str(t->to);
        const char *p[] = {fb_case_status_str(t->from), lifecycle_event_str(t->event), to,
                           lifecycle_who_str(t->who), lifecycle_role_str(t->role)};
        lc_put(up, &rc, "INSERT INTO fb_lc_transition VALUES ($1, $2, $3, $4, $5)", 5, p, err);
    }
    for (int e = 0; e < LC_EV_COUNT; e++) {
        fb_action a = lifecycle_event_action((lc_event)e);
        fb_approval ap = lifecycle_event_approval((lc_event)e);
        const char *p[] = {lifecycle_event_str((lc_event)e), a == FB_A_NONE ? NULL : fb_action_str(a),
                           lifecycle_event_pending((lc_event)e) ? "t" : "f",
                           ap == FB_APPR_NONE ? NULL : fb_approval_str(ap), lifecycle_event_words((lc_event)e)};
        lc_put(up, &rc,
               "INSERT INTO fb_lc_event (event, action, pending, approval, words) VALUES ($1, $2, $3::boolean, $4, $5)",
               5, p, err);
    }
    /* the answers an approval may record become fb_approval's CHECK, as statuses fb_case's */
    lc_put(up, &rc, "SELECT fb_lc_approval_constrain()", 0, NULL, err);
    for (int w = 0; w < LC_WHO_COUNT; w++) {
        fb_option_id sw = lifecycle_who_switch((lc_who)w);
        const char *p[] = {lifecycle_who_str((lc_who)w), lifecycle_subject_str(lifecycle_who_subject((lc_who)w)),
                           lifecycle_who_must_be((lc_who)w) ? "t" : "f", sw == OPT_COUNT ? NULL : config_option(sw)->key,
                           lifecycle_who_words((lc_who)w)};
        lc_put(up, &rc, "INSERT INTO fb_lc_who VALUES ($1, $2, $3::boolean, $4, $5)", 5, p, err);
    }
    for (int r = 0; r < LC_ROLE_COUNT; r++) {
        fb_option_id set = lifecycle_role_setting((lc_role)r);
        const char *p[] = {lifecycle_role_str((lc_role)r), lifecycle_role_group((lc_role)r),
                           set == OPT_COUNT ? NULL : config_option(set)->key, lifecycle_role_words((lc_role)r)};
        lc_put(up, &rc, "INSERT INTO fb_lc_role VALUES ($1, $2, $3, $4)", 4, p, err);
    }
    /* The defaults of the settings the judge reads: the options table's. */
    fb_config *defs = config_defaults();
    fb_option_id ids[16];
    size_t ns = lifecycle_settings(ids, sizeof ids / sizeof ids[0]);
    if (!defs && rc == FB_OK)
        rc = fb_err_set(err, FB_ENOMEM, "out of memory");
    for (size_t i = 0; defs && i < ns && i < sizeof ids / sizeof ids[0]; i++) {
        char *v = setting_json(defs, ids[i]);
        const char *p[] = {config_option(ids[i])->key, v};
        if (!v && rc == FB_OK)
            rc = fb_err_set(err, FB_ENOMEM, "out of memory");
        lc_put(up, &rc, "INSERT INTO fb_lc_setting VALUES ($1, $2::jsonb)", 2, p, err);
        free(v);
    }
    config_free(&defs);
    return rc;
}

/* What a live claim is, as SQL (lifecycle.h's LC_CLAIM_LIVE_SQL): written before the
 * migrations, which use it. */
static const char sql_claim_live[] =
    "CREATE OR REPLACE FUNCTION fb_lc_claim_live(holder text, until_ms bigint, now_ms bigint) RETURNS boolean"
    " LANGUAGE sql IMMUTABLE AS $fb$ SELECT " LC_CLAIM_LIVE_SQL " $fb$";

/* One transaction: the claim rule, every migration above the schema's version, the
 * lifecycle rows. A transaction-scoped advisory lock (never a session one) serialises two
 * inits; either all of it is there or none. */
fb_status upstream_init(fb_upstream *up, int *from_version, int *to_version, fb_err *err)
{
    fb_status rc = pg_exec(up, "BEGIN; SELECT pg_advisory_xact_lock(4642525601)", "starting init", err);
    if (rc != FB_OK)
        return rc;
    int have = 0;
    if (schema_version(up, &have, err) != 0)
        rc = err->status;
    *from_version = have;
    if (rc == FB_OK)
        rc = pg_exec(up, sql_claim_live, "writing the claim rule", err);
    for (int v = have + 1; v <= UPSTREAM_SCHEMA_VERSION && rc == FB_OK; v++) {
        char *sql = migration_text(v);
        if (!sql) {
            rc = fb_err_set(err, FB_EINTERNAL, "upstream.sql has no migration %d", v);
            break;
        }
        char doing[64];
        snprintf(doing, sizeof doing, "applying migration %d", v);
        rc = pg_exec(up, sql, doing, err);
        free(sql);
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
    if (rc == FB_OK)
        rc = write_lifecycle(up, err);
    if (rc == FB_OK)
        rc = pg_exec(up, "COMMIT", "committing init", err);
    if (rc != FB_OK) {
        pg_rollback(up);
        return rc;
    }
    *to_version = UPSTREAM_SCHEMA_VERSION;
    return FB_OK;
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
    fb_status rc = pg_begin(up, NULL, "starting the import", err);
    if (rc == FB_OK)
        rc = pg_exec(up, "CREATE TEMP TABLE fb_cstage (line bigint, id text, doc jsonb) ON COMMIT DROP",
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
    /* fb_import_cases (upstream.sql) decides what is added, updated and kept, as the
     * admin's login; the rows go to it as one array, never as a table it would read. */
    static const char sql_import[] =
        "SELECT added, updated, kept FROM fb_import_cases("
        " ARRAY(SELECT ROW(s.line, s.id, s.doc)::fb_case_row FROM fb_cstage s))";
    if (rc == FB_OK) {
        PGresult *r = PQexec(up->conn, sql_import);
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

/* The batch, staged by COPY into a temp table, goes to fb_push_decisions (upstream.sql) as
 * one array: the function judges it set-based under the pushing login with the lifecycle
 * table (fb_lc_event, fb_lc_transition, fb_live_claim) and answers each row by its seq,
 * with the standing decision (winner) of a conflict. */
static const char sql_judge[] =
    "SELECT seq, outcome, reason, winner FROM fb_push_decisions("
    " ARRAY(SELECT ROW(s.seq, s.id, s.case_id, s.reviewer, s.action, s.violation, s.days, s.decided_at,"
    "                  s.supersedes, s.approval, s.claim_override, s.policy_version, s.payload)::fb_push_row"
    "         FROM fb_stage s))";

/* Test hook: FBREVIEW_SYNC_HOOK_CMD runs once, in the middle of decision batch number
 * FBREVIEW_SYNC_HOOK_BATCH (default 2) after the rows are staged, so tests can cut the
 * connection mid-batch (pg_terminate_backend) at a known point. */
#ifdef FB_TEST_HOOKS
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
#else
/* The product build runs no commands and injects nothing (test builds: -DFB_TEST_HOOKS). */
#define hook_mid_batch(up) ((void)(up))
#define explain_batch(up, sql) ((void)(up), (void)(sql))
#endif

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
                              items[i].approval, items[i].claim_override, items[i].policy_version,
                              items[i].payload};
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
    rc = pg_begin(up, NULL, "starting a push", err);
    if (rc == FB_OK)
        rc = pg_exec(up,
                     "SET LOCAL random_page_cost = 1.1; SET LOCAL jit = off;"
                     " CREATE TEMP TABLE fb_stage (seq bigint, id uuid, case_id text, reviewer text, action text,"
                     " violation text, days int, decided_at bigint, supersedes uuid, approval text,"
                     " claim_override boolean, policy_version int, payload json) ON COMMIT DROP",
                     "starting a push", err);
    t[1] = now_us();
    if (rc == FB_OK)
        rc = stage_decisions(up, items, n, err);
    t[2] = now_us();
    if (rc == FB_OK)
        hook_mid_batch(up);
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

/* Non-decision items (approval, appeal, note, undo) in outbox order, answered one by one
 * by fb_push_items (upstream.sql) under the pushing login. A payload that is not JSON is
 * refused here: upstream could never read it. */
static fb_status push_items(fb_upstream *up, const upstream_item *items, size_t n, upstream_answer *answers,
                            fb_err *err)
{
    static const char sql[] =
        "SELECT i, outcome, reason FROM fb_push_items("
        " ARRAY(SELECT e->>'kind' FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY x(e, o) ORDER BY o),"
        " ARRAY(SELECT e->'payload' FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY x(e, o) ORDER BY o))";
    json_t *arr = json_array();
    size_t *idx = calloc(n ? n : 1, sizeof *idx);
    size_t k = 0;
    fb_status rc = FB_OK;
    if (!arr || !idx) {
        rc = fb_err_set(err, FB_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        answers[i].outcome = UPSTREAM_ACCEPTED;
        answers[i].reason = NULL;
        answers[i].winner[0] = '\0';
        /* The payload is read by the outbox contract's decoder: an item that does not
         * decode (a kind this binary does not know, a malformed payload) is refused
         * loudly here, never sent or taken as done. */
        outbox_msg m;
        fb_err derr = {0};
        if (outbox_decode(items[i].kind, items[i].payload, &m, &derr) != FB_OK || m.kind == OUTBOX_DECISION) {
            const char *why = m.kind == OUTBOX_DECISION ? "a decision cannot go in a batch of other kinds" : derr.msg;
            size_t len = strlen(items[i].ref) + strlen(why) + 64;
            answers[i].outcome = UPSTREAM_REJECTED;
            if ((answers[i].reason = malloc(len)) != NULL)
                snprintf(answers[i].reason, len, "%s (%s); nothing was applied", why, items[i].ref);
            outbox_msg_clear(&m);
            if (!answers[i].reason) {
                rc = fb_err_set(err, FB_ENOMEM, "out of memory");
                goto done;
            }
            continue;
        }
        json_array_append_new(arr, json_pack("{s:s, s:O}", "kind", items[i].kind, "payload", (json_t *)m.json));
        outbox_msg_clear(&m);
        idx[k++] = i;
    }
    if (k == 0)
        goto done;
    char *text = json_dumps(arr, JSON_COMPACT);
    if (!text) {
        rc = fb_err_set(err, FB_ENOMEM, "out of memory");
        goto done;
    }
    const char *p[] = {text};
    PGresult *r = pg_params(up, sql, 1, p);
    free(text);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rc = pg_fail(up, err, "pushing approvals, appeals and notes", r);
    } else if ((size_t)PQntuples(r) != k) {
        rc = fb_err_set(err, FB_EUPSTREAM, "upstream: push answered %d of %zu items", PQntuples(r), k);
    } else {
        for (int row = 0; row < PQntuples(r) && rc == FB_OK; row++) {
            long at = atol(PQgetvalue(r, row, 0));
            if (at < 1 || (size_t)at > k)
                continue;
            upstream_answer *a = &answers[idx[at - 1]];
            a->outcome = outcome_from(PQgetvalue(r, row, 1));
            if (a->outcome != UPSTREAM_ACCEPTED && !(a->reason = fb_strdup(PQgetvalue(r, row, 2))))
                rc = fb_err_set(err, FB_ENOMEM, "out of memory");
        }
    }
    PQclear(r);
done:
    json_decref(arr);
    free(idx);
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
    fb_status rc = pg_begin(up, NULL, "starting a push", err);
    if (rc == FB_OK)
        rc = push_items(up, items, n, answers, err);
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
        /* The payload as sent, with the fields upstream judged (and recorded under the
         * login) laid over it: another console sees what upstream accepted, whatever
         * else the sender's payload claimed. */
        "SELECT (payload::jsonb || jsonb_build_object('decision_id', id, 'case_id', case_id, 'reviewer', reviewer,"
        "        'action', action, 'violation', violation, 'days', days, 'decided_at', decided_at,"
        "        'supersedes', supersedes, 'claim_override', claim_override, 'policy_version', policy_version))::text"
        "  FROM fb_decision WHERE outcome = 'accepted' AND xid >= $1::xid8 AND xid < $2::xid8"
        " ORDER BY xid, received_at, id",
        "SELECT decision_id::text, approval, by_reviewer, at, rationale FROM fb_approval WHERE xid >= $1::xid8 AND xid < $2::xid8",
        ("SELECT id::text, decision_id::text, case_id, text, received_at FROM fb_appeal"
         " WHERE xid >= $1::xid8 AND xid < $2::xid8"),
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
    fb_status rc = pg_begin(up, "ISOLATION LEVEL REPEATABLE READ READ ONLY", "starting a pull", err);
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

/* One statement in its own transaction (with the limits); r is left for the caller. */
static PGresult *pg_txn_params(fb_upstream *up, const char *sql, int n, const char *const *vals, const char *doing,
                               fb_status *rc, fb_err *err)
{
    *rc = pg_begin(up, NULL, doing, err);
    if (*rc != FB_OK)
        return NULL;
    PGresult *r = pg_params(up, sql, n, vals);
    if (!res_ok(r)) {
        *rc = pg_fail(up, err, doing, r);
        PQclear(r);
        pg_rollback(up);
        return NULL;
    }
    *rc = pg_exec(up, "COMMIT", doing, err);
    if (*rc != FB_OK) {
        PQclear(r);
        pg_rollback(up);
        return NULL;
    }
    return r;
}

fb_status upstream_claim(fb_upstream *up, const char *case_id, int64_t lease_ms, int *granted, char holder[128],
                         int64_t *until_ms, char reason[256], fb_err *err)
{
    /* fb_claim_take: one conditional upsert for the login (upstream.sql). */
    char lease[24];
    snprintf(lease, sizeof lease, "%lld", (long long)lease_ms);
    const char *p[] = {case_id, lease};
    *granted = 0;
    holder[0] = '\0';
    *until_ms = 0;
    reason[0] = '\0';
    fb_status rc;
    PGresult *r = pg_txn_params(up, "SELECT granted, holder, until_ms, reason FROM fb_claim_take($1, $2::bigint)", 2, p,
                                "claiming a case", &rc, err);
    if (!r)
        return rc;
    if (PQntuples(r) >= 1) {
        *granted = PQgetvalue(r, 0, 0)[0] == 't';
        snprintf(holder, 128, "%s", PQgetvalue(r, 0, 1));
        *until_ms = strtoll(PQgetvalue(r, 0, 2), NULL, 10);
        snprintf(reason, 256, "%s", PQgetvalue(r, 0, 3));
    }
    PQclear(r);
    return FB_OK;
}

fb_status upstream_release(fb_upstream *up, const char *case_id, fb_err *err)
{
    const char *p[] = {case_id};
    fb_status rc;
    PGresult *r = pg_txn_params(up, "SELECT fb_claim_release($1)", 1, p, "releasing a claim", &rc, err);
    PQclear(r);
    return rc;
}

/* ---- identity and roles ---- */

fb_status upstream_whoami(fb_upstream *up, char login[128], int *roles, fb_err *err)
{
    static const char sql[] =
        "SELECT session_user,"
        " pg_has_role(session_user, 'fbreview_reviewer', 'MEMBER'),"
        " pg_has_role(session_user, 'fbreview_lead', 'MEMBER'),"
        " pg_has_role(session_user, 'fbreview_admin', 'MEMBER')";
    login[0] = '\0';
    *roles = 0;
    fb_status rc;
    PGresult *r = pg_txn_params(up, sql, 0, NULL, "asking upstream who we are", &rc, err);
    if (!r)
        return rc;
    snprintf(login, 128, "%s", PQgetvalue(r, 0, 0));
    static const int bit[] = {UPSTREAM_ROLE_REVIEWER, UPSTREAM_ROLE_LEAD, UPSTREAM_ROLE_ADMIN};
    for (int i = 0; i < 3; i++)
        if (PQgetvalue(r, 0, i + 1)[0] == 't')
            *roles |= bit[i];
    PQclear(r);
    return FB_OK;
}

/* The group roles a login may be granted: the only role names that reach SQL text. */
static const char *const group_roles[][2] = {
    {"reviewer", "fbreview_reviewer"},
    {"lead", "fbreview_lead"},
    {"admin", "fbreview_admin"},
};

fb_status upstream_grant(fb_upstream *up, const char *login, const char *role, int grant, fb_err *err)
{
    const char *group = NULL;
    for (size_t i = 0; i < sizeof group_roles / sizeof group_roles[0]; i++)
        if (strcmp(role, group_roles[i][0]) == 0)
            group = group_roles[i][1];
    if (!group)
        return fb_err_set(err, FB_EINPUT, "unknown role \"%s\": use reviewer, lead or admin", role);
    fb_status rc = pg_begin(up, NULL, "granting a role", err);
    if (rc != FB_OK)
        return rc;
    const char *p[] = {login};
    PGresult *r = pg_params(up, "SELECT rolcanlogin FROM pg_roles WHERE rolname = $1", 1, p);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rc = pg_fail(up, err, "looking up the login", r);
    } else if (PQntuples(r) != 1 || PQgetvalue(r, 0, 0)[0] != 't') {
        rc = fb_err_set(err, FB_EINPUT,
                        "upstream has no login \"%s\": the DBA creates it first (CREATE ROLE ... LOGIN PASSWORD ...)",
                        login);
    }
    PQclear(r);
    if (rc == FB_OK) {
        /* Identifiers cannot be bound: the login is quoted by libpq, the group comes from
         * the table above. */
        char *qlogin = PQescapeIdentifier(up->conn, login, strlen(login));
        if (!qlogin) {
            rc = pg_fail(up, err, "quoting the login", NULL);
        } else {
            size_t m = strlen(qlogin) + 64;
            char *sql = malloc(m);
            if (!sql) {
                rc = fb_err_set(err, FB_ENOMEM, "out of memory");
            } else {
                snprintf(sql, m, grant ? "GRANT %s TO %s" : "REVOKE %s FROM %s", group, qlogin);
                rc = pg_exec(up, sql, grant ? "granting the role" : "revoking the role", err);
                free(sql);
            }
            PQfreemem(qlogin);
        }
    }
    if (rc == FB_OK)
        rc = pg_exec(up, "COMMIT", "granting a role", err);
    if (rc != FB_OK)
        pg_rollback(up);
    return rc;
}

/* ---- policy ---- */

void upstream_policy_clear(upstream_policy *p)
{
    free(p->body);
    free(p->settings);
    free(p->lexicon);
    free(p->frames);
    memset(p, 0, sizeof *p);
}

fb_status upstream_policy_publish(fb_upstream *up, upstream_policy *pol, fb_err *err)
{
    const char *p[] = {pol->body, pol->settings, pol->lexicon, pol->frames};
    fb_status rc;
    pol->version = 0;
    PGresult *r = pg_txn_params(up, "SELECT fb_policy_publish($1, $2::jsonb, $3, $4)", 4, p, "publishing the policy",
                                &rc, err);
    if (!r)
        return rc;
    pol->version = atoi(PQgetvalue(r, 0, 0));
    PQclear(r);
    return FB_OK;
}

static char *dup_or_null(const PGresult *r, int col)
{
    return PQgetisnull(r, 0, col) ? NULL : fb_strdup(PQgetvalue(r, 0, col));
}

fb_status upstream_policy_get(fb_upstream *up, int version, upstream_policy *out, fb_err *err)
{
    char v[16];
    snprintf(v, sizeof v, "%d", version);
    const char *p[] = {v};
    memset(out, 0, sizeof *out);
    fb_status rc;
    PGresult *r = pg_txn_params(up,
                                "SELECT version, body, settings::text, lexicon, frames, published_by, published_at"
                                "  FROM fb_policy WHERE $1::int = 0 OR version = $1::int ORDER BY version DESC LIMIT 1",
                                1, p, "reading the policy", &rc, err);
    if (!r)
        return rc;
    if (PQntuples(r) == 1) {
        out->version = atoi(PQgetvalue(r, 0, 0));
        out->body = dup_or_null(r, 1);
        out->settings = dup_or_null(r, 2);
        out->lexicon = dup_or_null(r, 3);
        out->frames = dup_or_null(r, 4);
        snprintf(out->published_by, sizeof out->published_by, "%s", PQgetvalue(r, 0, 5));
        out->published_at = strtoll(PQgetvalue(r, 0, 6), NULL, 10);
        if (!out->body || !out->settings || ((out->lexicon == NULL) != PQgetisnull(r, 0, 3)) ||
            ((out->frames == NULL) != PQgetisnull(r, 0, 4))) {
            upstream_policy_clear(out);
            rc = fb_err_set(err, FB_ENOMEM, "out of memory");
        }
    }
    PQclear(r);
    return rc;
}

/* ---- the audit ---- */

static int hex_nibble(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* bytea in hex output ("\x..."), exactly 32 bytes. */
static int bytea32(const char *s, uint8_t out[32])
{
    if (strncmp(s, "\\x", 2) != 0 || strlen(s) != 66)
        return -1;
    for (int i = 0; i < 32; i++) {
        int hi = hex_nibble(s[2 + 2 * i]), lo = hex_nibble(s[3 + 2 * i]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

fb_status upstream_audit_verify(fb_upstream *up, upstream_audit_report *rep, fb_err *err)
{
    memset(rep, 0, sizeof *rep);
    fb_status rc = pg_begin(up, "ISOLATION LEVEL REPEATABLE READ READ ONLY", "reading the audit", err);
    if (rc != FB_OK)
        return rc;
    static const char sql[] =
        "SELECT id, at, who, kind, what::text, coalesce(policy_version::text, ''), prev, hash"
        "  FROM fb_audit ORDER BY id";
    if (!PQsendQuery(up->conn, sql)) {
        rc = pg_fail(up, err, "reading the audit", NULL);
        pg_rollback(up);
        return rc;
    }
    PQsetSingleRowMode(up->conn);
    uint8_t prev[32] = {0};
    int64_t want_id = 1;
    PGresult *r;
    while ((r = PQgetResult(up->conn)) != NULL) {
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_SINGLE_TUPLE && rep->bad_id == 0) {
            int64_t id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
            uint8_t rprev[32], rhash[32], calc[32];
            rep->rows++;
            if (id != want_id) {
                rep->bad_id = id;
                snprintf(rep->why, sizeof rep->why, "expected row %lld here: a row is missing",
                         (long long)want_id);
            } else if (bytea32(PQgetvalue(r, 0, 6), rprev) != 0 || memcmp(rprev, prev, 32) != 0) {
                rep->bad_id = id;
                snprintf(rep->why, sizeof rep->why, "its prev is not the hash of row %lld", (long long)(id - 1));
            } else {
                /* fb_audit_text (upstream.sql): id|at|who|kind|what|policy_version */
                struct sha256_ctx ctx;
                sha256_init(&ctx);
                sha256_update(&ctx, 32, prev);
                for (int c = 0; c < 6; c++) {
                    const char *v = PQgetvalue(r, 0, c);
                    if (c)
                        sha256_update(&ctx, 1, (const uint8_t *)"|");
                    sha256_update(&ctx, strlen(v), (const uint8_t *)v);
                }
                sha256_digest(&ctx, 32, calc);
                if (bytea32(PQgetvalue(r, 0, 7), rhash) != 0 || memcmp(rhash, calc, 32) != 0) {
                    rep->bad_id = id;
                    snprintf(rep->why, sizeof rep->why, "its contents do not match its hash (changed after it was written)");
                } else {
                    memcpy(prev, rhash, 32);
                    want_id++;
                }
            }
        } else if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK && rc == FB_OK) {
            rc = pg_fail(up, err, "reading the audit", r);
        }
        PQclear(r);
    }
    if (rc == FB_OK)
        rc = pg_exec(up, "COMMIT", "reading the audit", err);
    if (rc != FB_OK)
        pg_rollback(up);
    return rc;
}
