/* Opening, migrating and maintaining the local store. */
#include "store_private.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fbreview/model.h"
#include "schema_sql.h"

/* A new store is created from schema.sql, which is always the newest shape. An older
 * store is brought forward by upgrades[v - 1] (version v to v + 1), in order. A new schema
 * version changes schema.sql, appends its upgrade here and bumps FB_SCHEMA_VERSION. */
static const char *const upgrades[FB_SCHEMA_VERSION - 1] = {
    /* 1 -> 2: the second reviewer's reason travels with the approval (export, show). */
    "ALTER TABLE decision ADD COLUMN approval_rationale TEXT;",
    /* 2 -> 3: the message analyser's word classes and frames replace the phrase rules
     * (seeded from the built-in files on the next ingest), and a match carries its why.
     * Cases analysed before keep the signals they were given until imported again. */
    "DROP TABLE IF EXISTS phrase_rule;"
    "CREATE TABLE IF NOT EXISTS lexicon_term (id INTEGER PRIMARY KEY, class TEXT NOT NULL, term TEXT NOT NULL,"
    " UNIQUE (class, term)) STRICT;"
    "CREATE TABLE IF NOT EXISTS frame_rule (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, outcome TEXT NOT NULL,"
    " weight INTEGER NOT NULL, scope TEXT NOT NULL, needs TEXT NOT NULL, sentence TEXT NOT NULL) STRICT;"
    "DROP VIEW IF EXISTS message_match;"
    "CREATE VIEW message_match AS"
    " SELECT e.case_id AS case_id, j.value->>0 AS message_ord, j.value->>1 AS start, j.value->>2 AS len,"
    " j.value->>3 AS violation, j.value->>4 AS why"
    " FROM case_evidence e, json_each(e.data, '$.m') j;",
    /* 3 -> 4: cross-case structure (schema.sql). The tables start empty; the next writer
     * (ingest_open) builds them from the cases already there (store_structure_rebuild). */
    "CREATE TABLE IF NOT EXISTS hire_praise (from_acct TEXT NOT NULL, to_acct TEXT NOT NULL,"
    " case_id TEXT NOT NULL, PRIMARY KEY (from_acct, to_acct, case_id)) STRICT, WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS account_cluster (account_id TEXT PRIMARY KEY, cluster INTEGER NOT NULL)"
    " STRICT, WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS account_cluster_members ON account_cluster(cluster);"
    "CREATE TABLE IF NOT EXISTS cluster (id INTEGER PRIMARY KEY, size INTEGER NOT NULL) STRICT;"
    "CREATE TABLE IF NOT EXISTS structure_pending (case_id TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;"
    "INSERT OR REPLACE INTO sync_state(key, value) VALUES ('structure_rebuild', '');",
    /* 4 -> 5: the lifecycle table (core/lifecycle.h). A claim is a lease, not a status;
     * upstream's status is kept beside the local one; a decision records the status it
     * left (undo, refusals) and a conflict's winner; a rejection gets its own answer. The
     * lc_* tables and the views follow from schema.sql's lifecycle section (LIFECYCLE_MARK),
     * so they are written once. Earlier decisions take their prior status from their
     * audit row. (The CHECK constraints of a new store's columns are not added here.) */
    "UPDATE \"case\" SET status='open' WHERE status='claimed';"
    "ALTER TABLE \"case\" ADD COLUMN upstream_status TEXT;"
    "ALTER TABLE decision ADD COLUMN prior_status TEXT;"
    "ALTER TABLE decision ADD COLUMN conflict_winner TEXT;"
    "ALTER TABLE decision ADD COLUMN rejection_answered_at INTEGER;"
    "ALTER TABLE decision ADD COLUMN rejection_answer TEXT;"
    "UPDATE decision SET prior_status=(SELECT a.detail->>'from' FROM audit a WHERE a.kind='decision'"
    " AND a.ref=decision.id ORDER BY a.seq DESC LIMIT 1);"
    "CREATE INDEX IF NOT EXISTS case_by_claim ON \"case\"(claim_by) WHERE claim_by IS NOT NULL;"
    "CREATE INDEX IF NOT EXISTS decision_rejections ON decision(reviewer, case_id)"
    " WHERE sync_state='rejected' AND rejection_answered_at IS NULL AND undone_at IS NULL;"
    "CREATE INDEX IF NOT EXISTS decision_awaiting ON decision(case_id) WHERE sync_state='pending' AND undone_at IS NULL;"
    "CREATE INDEX IF NOT EXISTS decision_by_reviewer ON decision(reviewer, decided_at);"
    "CREATE INDEX IF NOT EXISTS decision_by_supersedes ON decision(supersedes) WHERE supersedes IS NOT NULL;",
    /* 5 -> 6: account names searched through a trigram index (search within 50 ms), filled
     * whole from the accounts (idempotent: a store that has the table is filled afresh). */
    "CREATE VIRTUAL TABLE IF NOT EXISTS account_name_fts USING fts5(name, account_id UNINDEXED, tokenize='trigram');"
    "DELETE FROM account_name_fts;"
    "INSERT INTO account_name_fts(name, account_id) SELECT name, id FROM account WHERE name IS NOT NULL;",
    /* 6 -> 7: the team policy version a decision was recommended under (NULL: local config). */
    "ALTER TABLE decision ADD COLUMN policy_version INTEGER;",
    /* 7 -> 8: a console's hold on an unsent outbox row while its undo box is open. */
    "ALTER TABLE outbox ADD COLUMN held_until INTEGER;",
    /* 8 -> 9: each case records the analysis it was given, so a change of rules marks cases
     * stale instead of analysing the store again at once (ingest.h). Rows stay NULL: they
     * were analysed with sync_state 'analysis', no row is rewritten here. */
    "ALTER TABLE \"case\" ADD COLUMN analysis INTEGER;",
    /* 9 -> 10: a queue filter is an index range (a code, risk in a risk order) or tested in
     * the index (risk in an age order), so :filter costs the rows it keeps, not the rows it
     * skips (schema.sql, store_queue.c). */
    "DROP INDEX IF EXISTS case_queue_risk;"
    "CREATE INDEX case_queue_risk ON \"case\"(status, risk DESC, id, opened_at);"
    "DROP INDEX IF EXISTS case_queue_age;"
    "CREATE INDEX case_queue_age ON \"case\"(status, opened_at, id, risk);"
    "CREATE INDEX IF NOT EXISTS case_queue_code_risk ON \"case\"(status, alleged, risk DESC, id, opened_at);"
    "CREATE INDEX IF NOT EXISTS case_queue_code_age ON \"case\"(status, alleged, opened_at, id, risk);",
};
/* Where schema.sql's lifecycle section begins: the 4 -> 5 upgrade runs it after its own text. */
#define LIFECYCLE_MARK "-- ---- The lifecycle"

fb_status store_fail(fb_store *s, fb_err *err, const char *doing)
{
    return fb_err_set(err, FB_ESTORE, "store %s: %s: %s", s && s->path ? s->path : "?", doing,
                      s && s->db ? sqlite3_errmsg(s->db) : "no connection");
}

static struct store_cached *stmt_entry(fb_store *s, const char *sql, fb_err *err)
{
    for (size_t i = 0; i < s->n_cache; i++) {
        if (s->cache[i].sql == sql && !s->cache[i].held) {
            sqlite3_reset(s->cache[i].st);
            sqlite3_clear_bindings(s->cache[i].st);
            return &s->cache[i];
        }
    }
    /* Not yet prepared, or every copy is held by a walk further up the stack. */
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        store_fail(s, err, "preparing a query");
        return NULL;
    }
    struct store_cached *e = fb_grow((void **)&s->cache, &s->n_cache, sizeof *e);
    if (!e) {
        sqlite3_finalize(st);
        fb_err_set(err, FB_ENOMEM, "store: out of memory caching a query");
        return NULL;
    }
    e->sql = sql;
    e->st = st;
    return e;
}

sqlite3_stmt *store_stmt(fb_store *s, const char *sql, fb_err *err)
{
    struct store_cached *e = stmt_entry(s, sql, err);
    return e ? e->st : NULL;
}

sqlite3_stmt *store_stmt_hold(fb_store *s, const char *sql, fb_err *err)
{
    struct store_cached *e = stmt_entry(s, sql, err);
    if (!e)
        return NULL;
    e->held = 1;
    return e->st;
}

void store_stmt_release(fb_store *s, sqlite3_stmt *st)
{
    if (!st)
        return;
    sqlite3_reset(st);
    for (size_t i = 0; i < s->n_cache; i++)
        if (s->cache[i].st == st)
            s->cache[i].held = 0;
}

void store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

void store_bind_time(sqlite3_stmt *st, int i, int64_t ms)
{
    if (ms)
        sqlite3_bind_int64(st, i, ms);
    else
        sqlite3_bind_null(st, i);
}

char *store_col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? fb_strdup((const char *)t) : NULL;
}

fb_status store_step_done(fb_store *s, sqlite3_stmt *st, fb_err *err, const char *doing)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return store_fail(s, err, doing);
    return FB_OK;
}

static fb_status exec(fb_store *s, const char *sql, fb_err *err, const char *doing)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fb_err_set(err, FB_ESTORE, "store %s: %s: %s", s->path, doing, msg ? msg : "?");
        sqlite3_free(msg);
        return FB_ESTORE;
    }
    return FB_OK;
}

static int pragma_int(fb_store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static fb_status mkdir_parents(const char *path, fb_err *err)
{
    char *p = fb_strdup(path);
    for (char *q = p + 1; *q; q++) {
        if (*q != '/')
            continue;
        *q = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST) {
            fb_err_set(err, FB_EIO, "cannot create folder %s: %s", p, strerror(errno));
            free(p);
            return FB_EIO;
        }
        *q = '/';
    }
    free(p);
    return FB_OK;
}

/* The folder a path is in ("." for a bare name); malloc'd. */
static char *folder_of(const char *path)
{
    char *d = fb_strdup(path);
    char *slash = strrchr(d, '/');
    if (!slash) {
        free(d);
        return fb_strdup(".");
    }
    if (slash == d)
        slash[1] = '\0';
    else
        *slash = '\0';
    return d;
}

static int exists_with(const char *path, const char *suffix, int mode)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s%s", path, suffix);
    return access(buf, mode) == 0;
}

/* Whether we may write the store: the file, and its folder (SQLite creates -wal and
 * -shm there) unless both already exist and are writable. */
static int store_writable(const char *path)
{
    if (access(path, W_OK) != 0)
        return 0;
    char *dir = folder_of(path);
    int ok = access(dir, W_OK) == 0 || (exists_with(path, "-wal", W_OK) && exists_with(path, "-shm", W_OK));
    free(dir);
    return ok;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Reads the file's SQLite header through SQLite's own file layer, before any connection
 * sees the file: a file that is not ours is refused with nothing written (no WAL switch,
 * no -wal or -shm). Not with open(2)/close(2): closing any descriptor of a file drops
 * every POSIX lock this process holds on it, so a second connection opened beside a
 * running one (the console's sync engine) would let another process take the store for
 * unused and delete its -wal under it; SQLite's unix VFS keeps such a descriptor open
 * until its locks are gone. An empty file, or a database that has never had a table or
 * an application_id, is ours to take. (A stale header of one of our own stores, whose
 * first transaction still sits in its -wal, reads as new; the SQL check in
 * check_identity then decides.) */
static fb_status check_header(const char *path, fb_err *err)
{
    unsigned char h[100];
    sqlite3_vfs *vfs = sqlite3_vfs_find(NULL);
    sqlite3_file *f = vfs ? calloc(1, (size_t)vfs->szOsFile) : NULL;
    char *full = vfs ? calloc(1, (size_t)vfs->mxPathname + 1) : NULL;
    if (!f || !full) {
        free(f);
        free(full);
        return fb_err_set(err, FB_ENOMEM, "out of memory reading store %s", path);
    }
    int out = 0;
    sqlite3_int64 size = 0;
    int rc = vfs->xFullPathname(vfs, path, vfs->mxPathname + 1, full);
    if (rc == SQLITE_OK)
        rc = vfs->xOpen(vfs, full, f, SQLITE_OPEN_READONLY | SQLITE_OPEN_MAIN_DB, &out);
    if (rc == SQLITE_OK) {
        rc = f->pMethods->xFileSize(f, &size);
        if (rc == SQLITE_OK && size > 0)
            rc = f->pMethods->xRead(f, h, (int)(size < (sqlite3_int64)sizeof h ? size : (sqlite3_int64)sizeof h), 0);
    }
    if (f->pMethods)
        f->pMethods->xClose(f);
    free(f);
    free(full);
    if (rc != SQLITE_OK)
        return fb_err_set(err, FB_EIO, "cannot read store %s: %s", path, sqlite3_errstr(rc));
    ssize_t n = size < (sqlite3_int64)sizeof h ? (ssize_t)size : (ssize_t)sizeof h;
    if (n == 0)
        return FB_OK;
    if (n < (ssize_t)sizeof h || memcmp(h, "SQLite format 3", 16) != 0)
        return fb_err_set(err, FB_ESTORE,
                          "%s is not an fbreview store (not an SQLite database); it was left as it was. "
                          "Point --db or FBREVIEW_DB at an fbreview store or a new file", path);
    uint32_t app = be32(h + 68), ver = be32(h + 60), cookie = be32(h + 40);
    if (app != FB_STORE_APP_ID && (app != 0 || cookie != 0 || ver != 0))
        return fb_err_set(err, FB_ESTORE,
                          "%s is not an fbreview store (application_id %" PRIu32 "); it was left as it was. "
                          "Point --db or FBREVIEW_DB at an fbreview store or a new file", path, app);
    if (ver > FB_SCHEMA_VERSION)
        return fb_err_set(err, FB_ESTORE,
                          "store %s has schema version %" PRIu32 " but this fbreview knows only up to %d; "
                          "upgrade fbreview (the store was not changed)", path, ver, FB_SCHEMA_VERSION);
    return FB_OK;
}

/* The same check through SQLite, read-only, before any pragma that writes: it also sees
 * what sits in the -wal. */
static fb_status check_identity(fb_store *s, int *version, fb_err *err)
{
    int app = pragma_int(s, "PRAGMA application_id");
    int ver = pragma_int(s, "PRAGMA user_version");
    int tables = pragma_int(s, "SELECT count(*) FROM sqlite_schema");
    *version = ver;
    if (app < 0 || ver < 0 || tables < 0)
        return store_fail(s, err, "reading the store's header");
    if (app != FB_STORE_APP_ID && (app != 0 || tables > 0))
        return fb_err_set(err, FB_ESTORE,
                          "%s is not an fbreview store (application_id %d); it was left as it was. "
                          "Point --db or FBREVIEW_DB at an fbreview store or a new file", s->path, app);
    if (ver > FB_SCHEMA_VERSION)
        return fb_err_set(err, FB_ESTORE,
                          "store %s has schema version %d but this fbreview knows only up to %d; "
                          "upgrade fbreview (the store was not changed)", s->path, ver, FB_SCHEMA_VERSION);
    if ((s->flags & STORE_READONLY) && ver < FB_SCHEMA_VERSION)
        return fb_err_set(err, FB_ESTORE,
                          ver == 0 ? "%s is empty, not an fbreview store yet (it is open read-only, so "
                                     "nothing was created); create one with `fbreview import FILE`"
                                   : "store %s needs upgrading, which a read-only store cannot be; open "
                                     "it once with write access", s->path);
    return FB_OK;
}

static fb_status migrate(fb_store *s, int ver, fb_err *err)
{
    if (ver == FB_SCHEMA_VERSION)
        return FB_OK;
    if (store_begin(s, err) != FB_OK)
        return err->status;
    if (ver == 0 && exec(s, fb_schema_sql, err, "creating the schema") != FB_OK) {
        store_rollback(s);
        return err->status;
    }
    /* An upgrade may rebuild indexes over every case (seconds on a million): say so, once,
     * before the console takes the screen, so the wait is not mistaken for a hang. */
    int tell = ver > 0 && isatty(STDERR_FILENO);
    if (tell)
        fprintf(stderr, "fbreview: upgrading %s from schema version %d to %d (once; a large store takes a while)\n",
                s->path, ver, FB_SCHEMA_VERSION);
    for (int v = ver > 0 ? ver : FB_SCHEMA_VERSION; v < FB_SCHEMA_VERSION; v++) {
        const char *lc = v == 4 ? strstr(fb_schema_sql, LIFECYCLE_MARK) : NULL;
        if (exec(s, upgrades[v - 1], err, "migrating the schema") != FB_OK ||
            (lc && exec(s, lc, err, "migrating the schema (the lifecycle)") != FB_OK)) {
            store_rollback(s);
            return err->status;
        }
    }
    char sql[128];
    snprintf(sql, sizeof sql, "PRAGMA application_id=%d; PRAGMA user_version=%d;", FB_STORE_APP_ID,
             FB_SCHEMA_VERSION);
    if (exec(s, sql, err, "stamping the schema version") != FB_OK) {
        store_rollback(s);
        return err->status;
    }
    return store_commit(s, err);
}

/* Creates the store file 0600 before SQLite opens it: SQLite gives -wal and -shm the
 * mode of the database file, so all three hold personal data for the user only. The
 * folder must exist unless STORE_MKDIR (the default location) says to create it (0700). */
static fb_status create_file(const char *path, int flags, fb_err *err)
{
    char *dir = folder_of(path);
    struct stat sb;
    fb_status st = FB_OK;
    if (stat(dir, &sb) != 0) {
        if (!(flags & STORE_MKDIR))
            st = fb_err_set(err, FB_EIO, "cannot create store %s: folder %s does not exist (%s); create it "
                                         "first or choose another --db", path, dir, strerror(errno));
        else
            st = mkdir_parents(path, err);
    } else if (!S_ISDIR(sb.st_mode)) {
        st = fb_err_set(err, FB_EIO, "cannot create store %s: %s is not a folder", path, dir);
    }
    free(dir);
    if (st != FB_OK)
        return st;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST)
        return fb_err_set(err, FB_EIO, "cannot create store %s: %s", path, strerror(errno));
    if (fd >= 0)
        close(fd);
    return FB_OK;
}

/* A URI for a read-only open. With no -wal beside the store no writer is at work (a
 * writer keeps its -wal while it runs): it opens immutable, so SQLite creates no -shm
 * or -wal beside a file that is not ours to change (in a folder we may write, a plain
 * read-only open would leave both, owned by us, in the owner's way). With a -wal, mode=ro
 * shares the writer's -shm and sees its commits. */
static char *readonly_uri(const char *path)
{
    int immutable = !exists_with(path, "-wal", F_OK);
    size_t n = strlen(path);
    char *uri = malloc(n * 3 + 32);
    if (!uri)
        return NULL;
    char *o = uri + sprintf(uri, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (isalnum(*p) || strchr("/-._~", *p))
            *o++ = (char)*p;
        else
            o += sprintf(o, "%%%02X", *p);
    }
    sprintf(o, immutable ? "?immutable=1" : "?mode=ro");
    return uri;
}

static int64_t busy_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waiting for another connection's write lock. SQLite's own busy wait sleeps up to 100 ms
 * between looks, so a decision waiting beside a batch walker (ingest_reanalyse_step, which
 * leaves a few ms between its transactions) could miss gap after gap; this looks every
 * millisecond, up to the same limit. */
static int busy_poll(void *arg, int count)
{
    fb_store *s = arg;
    int64_t now = busy_now_ms();
    if (count == 0)
        s->busy_since = now;
    if (now - s->busy_since >= s->busy_ms)
        return 0;
    struct timespec tick = {0, 1000 * 1000};
    nanosleep(&tick, NULL);
    return 1;
}

/* SQLite's memory statistics take a global mutex on every allocation; nothing here reads
 * them, and turning them off saves ~7% of a bulk fill. sqlite3_config must run before SQLite
 * initialises, so it runs once, before the first store is opened. */
static pthread_once_t sqlite_configured = PTHREAD_ONCE_INIT;
static void sqlite_configure(void) { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

fb_status store_open(const char *path, int flags, fb_store **out, fb_err *err)
{
    *out = NULL;
    pthread_once(&sqlite_configured, sqlite_configure);
    struct stat sb;
    int exists = stat(path, &sb) == 0;
    if (!exists && !(flags & STORE_CREATE))
        return fb_err_set(err, FB_ENOTFOUND,
                          "no store at %s; create one with `fbreview import FILE` or `fbreview demo`", path);
    if (exists && check_header(path, err) != FB_OK)
        return err->status;
    if (exists && !(flags & STORE_READONLY) && !store_writable(path)) {
        if (!(flags & STORE_READ_OK))
            return fb_err_set(err, FB_EIO,
                              "store %s is read-only for you (the file or its folder is not writable); this "
                              "command writes to it. Reading works: show, stats, export, verify, "
                              "the console with --read-only", path);
        flags |= STORE_READONLY;
    }
    if (!exists && (flags & STORE_READONLY))
        return fb_err_set(err, FB_ENOTFOUND, "no store at %s (read-only: nothing was created)", path);
    if (!exists && create_file(path, flags, err) != FB_OK)
        return err->status;

    fb_store *s = calloc(1, sizeof *s);
    if (!s)
        return fb_err_set(err, FB_ENOMEM, "out of memory opening %s", path);
    s->path = fb_strdup(path);
    s->flags = flags;
    int rc;
    if (flags & STORE_READONLY) {
        char *uri = readonly_uri(path);
        rc = uri ? sqlite3_open_v2(uri, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL)
                 : SQLITE_NOMEM;
        free(uri);
    } else {
        rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    }
    if (rc != SQLITE_OK) {
        store_fail(s, err, "opening");
        store_close(&s);
        return FB_ESTORE;
    }
    sqlite3_extended_result_codes(s->db, 1);
    s->busy_ms = 5000;
    sqlite3_busy_handler(s->db, busy_poll, s);
    int ver = 0;
    /* synchronous=FULL: a decision the reviewer saw as saved survives power loss. */
    const char *pragmas = (flags & STORE_READONLY)
                              ? "PRAGMA foreign_keys=ON;"
                              : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                                "PRAGMA cache_size=-16000; PRAGMA temp_store=MEMORY;";
    if (check_identity(s, &ver, err) != FB_OK || exec(s, pragmas, err, "setting pragmas") != FB_OK ||
        (!(flags & STORE_READONLY) && migrate(s, ver, err) != FB_OK)) {
        store_close(&s);
        return err->status;
    }
    /* Background batches write only what can be derived again (analysis): their commits
     * need not reach the disk before the call returns (WAL keeps them atomic; the next
     * FULL commit, a decision's, syncs them too), which spares a flush per batch. */
    if ((flags & STORE_BACKGROUND) && !(flags & STORE_READONLY) &&
        exec(s, "PRAGMA synchronous=NORMAL;", err, "setting pragmas") != FB_OK) {
        store_close(&s);
        return err->status;
    }
    /* After migrate: creating a store is a CLI-sized bulk write. */
    if ((flags & STORE_INTERACTIVE) && !(flags & STORE_READONLY) &&
        exec(s, "PRAGMA wal_autocheckpoint=0;", err, "turning off automatic checkpoints") != FB_OK) {
        store_close(&s);
        return err->status;
    }
    *out = s;
    return FB_OK;
}

int store_readonly(const fb_store *s) { return (s->flags & STORE_READONLY) != 0; }

int store_in_transaction(const fb_store *s) { return s->db && !sqlite3_get_autocommit(s->db); }

fb_status store_checkpoint(fb_store *s, store_ckpt_mode mode, int *frames_left, fb_err *err)
{
    int log = -1, done = -1;
    int rc = sqlite3_wal_checkpoint_v2(s->db, NULL,
                                       mode == STORE_CKPT_TRUNCATE ? SQLITE_CHECKPOINT_TRUNCATE
                                                                   : SQLITE_CHECKPOINT_PASSIVE,
                                       &log, &done);
    if (frames_left)
        *frames_left = log < 0 ? -1 : log - done;
    /* BUSY: a reader or writer kept it from finishing; what it copied stays copied. */
    if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY)
        return store_fail(s, err, "checkpointing the WAL");
    return FB_OK;
}

void store_close(fb_store **sp)
{
    fb_store *s = sp ? *sp : NULL;
    if (!s)
        return;
    for (size_t i = 0; i < s->n_cache; i++)
        sqlite3_finalize(s->cache[i].st);
    free(s->cache);
    if (s->db && (s->flags & STORE_INTERACTIVE) && !(s->flags & STORE_READONLY) && sqlite3_get_autocommit(s->db)) {
        /* The WAL does not grow without bound across sessions: empty it when nobody else
         * is using the store (SQLite also does so when the last connection closes). */
        s->busy_ms = 250;
        store_checkpoint(s, STORE_CKPT_TRUNCATE, NULL, NULL);
    }
    if (s->db)
        sqlite3_close(s->db);
    free(s->path);
    free(s);
    *sp = NULL;
}

const char *store_path(const fb_store *s) { return s->path; }

static int64_t first_int(fb_store *s, const char *sql)
{
    sqlite3_stmt *st = store_stmt(s, sql, NULL);
    if (!st)
        return -1;
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    return v;
}

int64_t store_data_version(fb_store *s) { return first_int(s, "PRAGMA data_version"); }
int64_t store_audit_head(fb_store *s) { return first_int(s, "SELECT coalesce(max(seq), 0) FROM audit"); }

int64_t store_pages_read(fb_store *s)
{
    int hit = 0, miss = 0, high = 0;
    sqlite3_db_status(s->db, SQLITE_DBSTATUS_CACHE_HIT, &hit, &high, 1);
    sqlite3_db_status(s->db, SQLITE_DBSTATUS_CACHE_MISS, &miss, &high, 1);
    return (int64_t)hit + miss;
}

/* Connections of this process starting a write transaction (STORE_BACKGROUND ones yield to
 * them): SQLite's busy handler polls with growing sleeps, so a batch worker that began its
 * next transaction at once could keep a waiting decision out for its whole timeout. */
static pthread_mutex_t fg_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t fg_cv = PTHREAD_COND_INITIALIZER;
static int fg_waiting;

fb_status store_begin(fb_store *s, fb_err *err)
{
    int bg = (s->flags & STORE_BACKGROUND) != 0;
    pthread_mutex_lock(&fg_mu);
    if (bg)
        while (fg_waiting)
            pthread_cond_wait(&fg_cv, &fg_mu);
    else
        fg_waiting++;
    pthread_mutex_unlock(&fg_mu);
    fb_status rc = exec(s, "BEGIN IMMEDIATE", err, "starting a transaction");
    if (!bg) {
        pthread_mutex_lock(&fg_mu);
        fg_waiting--;
        pthread_cond_broadcast(&fg_cv);
        pthread_mutex_unlock(&fg_mu);
    }
    return rc;
}
fb_status store_commit(fb_store *s, fb_err *err) { return exec(s, "COMMIT", err, "committing"); }
void store_rollback(fb_store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

void store_set_bulk(fb_store *s, int on)
{
    sqlite3_exec(s->db, on ? "PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF" : "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON",
                 NULL, NULL, NULL);
}

fb_status store_set_foreign_keys(fb_store *s, int on, fb_err *err)
{
    return exec(s, on ? "PRAGMA foreign_keys=ON" : "PRAGMA foreign_keys=OFF", err, "setting foreign_keys");
}

char *store_state_get(fb_store *s, const char *key)
{
    static const char sql[] = "SELECT value FROM sync_state WHERE key=?1";
    sqlite3_stmt *st = store_stmt(s, sql, NULL);
    if (!st)
        return NULL;
    store_bind_text(st, 1, key);
    char *v = sqlite3_step(st) == SQLITE_ROW ? store_col_text(st, 0) : NULL;
    sqlite3_reset(st);
    return v;
}

fb_status store_state_set(fb_store *s, const char *key, const char *value, fb_err *err)
{
    static const char sql[] =
        "INSERT INTO sync_state(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value=excluded.value";
    sqlite3_stmt *st = store_stmt(s, sql, err);
    if (!st)
        return err->status;
    store_bind_text(st, 1, key);
    store_bind_text(st, 2, value);
    return store_step_done(s, st, err, "saving sync state");
}

fb_status store_stats(fb_store *s, store_stats_fn fn, void *ctx, fb_err *err)
{
    static const char *const queries[][2] = {
        {"cases by status", "SELECT status, count(*) FROM \"case\" GROUP BY status ORDER BY status"},
        {"cases by alleged code", "SELECT coalesce(alleged,'(none)'), count(*) FROM \"case\" GROUP BY 1 ORDER BY 1"},
        {"decisions by action", "SELECT action, count(*) FROM decision WHERE undone_at IS NULL GROUP BY action ORDER BY action"},
        {"decisions by sync state", "SELECT sync_state, count(*) FROM decision WHERE undone_at IS NULL GROUP BY 1 ORDER BY 1"},
        {"across cases", "SELECT 'clusters', count(*) FROM cluster"
                         " UNION ALL SELECT 'largest cluster', coalesce(max(size), 0) FROM cluster"
                         " UNION ALL SELECT '5-star hires', count(*) FROM hire_praise"},
        {"store", "SELECT 'bytes', page_count * page_size FROM pragma_page_count(), pragma_page_size()"},
    };
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        sqlite3_stmt *st = store_stmt_hold(s, queries[q][1], err);
        if (!st)
            return err->status;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            fn(ctx, queries[q][0], (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1));
        store_stmt_release(s, st);
        if (rc != SQLITE_DONE)
            return store_fail(s, err, "reading stats");
    }
    return FB_OK;
}

fb_status store_check_integrity(fb_store *s, fb_err *err)
{
    sqlite3_stmt *st = NULL;
    fb_status rc = FB_OK;
    if (sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
        return store_fail(s, err, "running integrity_check");
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        if (!r || strcmp(r, "ok") != 0)
            rc = fb_err_set(err, FB_EINPUT, "store %s: integrity_check: %s", s->path, r ? r : "no answer");
    } else {
        rc = store_fail(s, err, "running integrity_check");
    }
    sqlite3_finalize(st);
    if (rc != FB_OK)
        return rc;
    if (sqlite3_prepare_v2(s->db, "PRAGMA foreign_key_check", -1, &st, NULL) != SQLITE_OK)
        return store_fail(s, err, "running foreign_key_check");
    if (sqlite3_step(st) == SQLITE_ROW)
        rc = fb_err_set(err, FB_EINPUT,
                        "store %s: foreign_key_check: table %s row %lld refers to a missing row in %s",
                        s->path, sqlite3_column_text(st, 0), (long long)sqlite3_column_int64(st, 1),
                        sqlite3_column_text(st, 2));
    sqlite3_finalize(st);
    return rc;
}
