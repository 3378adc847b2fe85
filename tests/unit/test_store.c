/* Store: open, create, migrate, refuse a newer store and a foreign file, state, integrity. */
#include "testlib.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fbreview/store.h"
#include "fbreview/store_queue.h"
#include "fbreview/store_rules.h"
/* The statement cache is private to src/store; this test checks its contract. */
#include "../../src/store/store_private.h"

static void test_create_sets_ids_and_wal(void **state)
{
    (void)state;
    const char *p = t_path("sub/dir/new.db");
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(p, STORE_CREATE | STORE_MKDIR, &s, &err), FB_OK);
    store_close(&s);
    assert_null(s);
    assert_int_equal(t_sql_int(p, "PRAGMA application_id"), FB_STORE_APP_ID);
    assert_int_equal(t_sql_int(p, "PRAGMA user_version"), FB_SCHEMA_VERSION);
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM sqlite_schema WHERE name='decision'"), 1);
    assert_int_equal(t_sql_int(p, "SELECT journal_mode='wal' FROM pragma_journal_mode"), 1);
    /* STRICT tables */
    assert_int_equal(t_sql_int(p, "SELECT strict FROM pragma_table_list WHERE name='case'"), 1);
}

/* Size of the -wal file beside path (0 when absent). */
static long wal_bytes(const char *path)
{
    char w[4096];
    snprintf(w, sizeof w, "%s-wal", path);
    struct stat sb;
    return stat(w, &sb) == 0 ? (long)sb.st_size : 0;
}

/* Writes `commits` transactions of ~1 MB each (~250 WAL frames of 4 KiB per commit);
 * salt varies the content (SQLite writes no page for an identical overwrite). */
static void write_mb(fb_store *s, int commits, int salt)
{
    fb_err err = {0};
    size_t n = 1 << 20;
    char *v = malloc(n + 1);
    assert_non_null(v);
    for (int i = 0; i < commits; i++) {
        for (size_t k = 0; k < n; k++)
            v[k] = (char)('a' + (k * 7 + (size_t)(i + salt)) % 26);
        v[n] = '\0';
        char key[16];
        snprintf(key, sizeof key, "blob%d", i);
        assert_int_equal(store_begin(s, &err), FB_OK);
        assert_int_equal(store_state_set(s, key, v, &err), FB_OK);
        assert_int_equal(store_commit(s, &err), FB_OK);
    }
    free(v);
}

/* STORE_INTERACTIVE: commits never checkpoint (the WAL grows past SQLite's 1,000-page
 * automatic threshold), store_checkpoint copies it all back (0 frames left), TRUNCATE
 * empties the -wal file, and closing such a connection leaves no WAL behind. Without the
 * flag (the CLI) SQLite's automatic checkpoints keep the WAL near 1,000 pages. */
static void test_interactive_checkpoints(void **state)
{
    (void)state;
    const char *p = t_path("ckpt.db");
    fb_store *s = NULL, *reader = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(p, STORE_CREATE | STORE_INTERACTIVE, &s, &err), FB_OK);
    /* A second connection keeps SQLite from checkpointing at close behind our back. */
    assert_int_equal(store_open(p, 0, &reader, &err), FB_OK);
    assert_int_equal(store_checkpoint(s, STORE_CKPT_TRUNCATE, NULL, &err), FB_OK);
    assert_int_equal(wal_bytes(p), 0);
    write_mb(s, 8, 0);
    long grown = wal_bytes(p);
    assert_true(grown > 1500L * 4096);   /* ~2,000 frames: no automatic checkpoint ran */
    int left = -2;
    assert_int_equal(store_checkpoint(s, STORE_CKPT_PASSIVE, &left, &err), FB_OK);
    assert_int_equal(left, 0);
    assert_int_equal(store_checkpoint(s, STORE_CKPT_TRUNCATE, &left, &err), FB_OK);
    assert_int_equal(left, 0);
    assert_int_equal(wal_bytes(p), 0);
    char *v = store_state_get(reader, "blob7");   /* the data is all there */
    assert_non_null(v);
    assert_int_equal(strlen(v), 1 << 20);
    free(v);
    /* Close of an interactive writer truncates the WAL (the reader stays open). */
    write_mb(s, 2, 1);
    assert_true(wal_bytes(p) > 0);
    store_close(&s);
    assert_int_equal(wal_bytes(p), 0);
    store_close(&reader);

    /* Without the flag: automatic checkpoints keep the WAL file near 1,000 pages. */
    const char *q = t_path("ckpt_cli.db");
    assert_int_equal(store_open(q, STORE_CREATE, &s, &err), FB_OK);
    assert_int_equal(store_open(q, 0, &reader, &err), FB_OK);
    write_mb(s, 8, 0);
    assert_true(wal_bytes(q) < 1300L * 4096);
    store_close(&reader);
    store_close(&s);
}

static void test_missing_without_create(void **state)
{
    (void)state;
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(t_path("absent.db"), 0, &s, &err), FB_ENOTFOUND);
    assert_non_null(strstr(err.msg, "absent.db"));
    assert_null(s);
}

static void test_reopen_keeps_data(void **state)
{
    (void)state;
    const char *p = t_path("reopen.db");
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(p, STORE_CREATE, &s, &err), FB_OK);
    assert_int_equal(store_state_set(s, "cursor", "42", &err), FB_OK);
    store_close(&s);
    assert_int_equal(store_open(p, 0, &s, &err), FB_OK);
    char *v = store_state_get(s, "cursor");
    assert_string_equal(v, "42");
    free(v);
    assert_null(store_state_get(s, "nothing"));
    store_close(&s);
}

static void test_migrates_empty_version_zero(void **state)
{
    (void)state;
    /* A file SQLite created but nothing wrote to (version 0, no tables) migrates forward. */
    const char *p = t_path("v0.db");
    t_sql(p, "PRAGMA user_version=0");
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(p, 0, &s, &err), FB_OK);
    store_close(&s);
    assert_int_equal(t_sql_int(p, "PRAGMA user_version"), FB_SCHEMA_VERSION);
}

/* A version-1 store (before approval_rationale) is brought forward on open. */
/* Version 4 -> 5: the lifecycle's tables and views appear, a decision gets the status it
 * left from its audit row. */
static void test_upgrades_version_four(void **state)
{
    (void)state;
    const char *p = t_path("v4.db");
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(p, STORE_CREATE, &s, &err), FB_OK);
    store_close(&s);
    t_strip_lifecycle(p);
    t_sql(p, "INSERT INTO \"case\"(id, opened_at, updated_at, status) VALUES ('C-1', 0, 0, 'decided');"
             "INSERT INTO decision(id, case_id, reviewer, action, decided_at) VALUES ('d-1', 'C-1', 'A', 'education', 1);"
             "INSERT INTO audit(at, actor, kind, case_id, ref, detail, prev_hash, hash)"
             " VALUES (1, 'A', 'decision', 'C-1', 'd-1', '{\"from\":\"escalated\",\"to\":\"decided\"}', '', 'x');"
             "ALTER TABLE decision DROP COLUMN policy_version; ALTER TABLE outbox DROP COLUMN held_until; ALTER TABLE \"case\" DROP COLUMN analysis; PRAGMA user_version=4");
    assert_int_equal(store_open(p, 0, &s, &err), FB_OK);
    store_close(&s);
    assert_int_equal(t_sql_int(p, "PRAGMA user_version"), FB_SCHEMA_VERSION);
    char *prior = t_sql_text(p, "SELECT prior_status FROM decision WHERE id='d-1'");
    assert_string_equal(prior, "escalated");
    free(prior);
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM standing_decision WHERE case_id='C-1'"), 1);
}

static void test_upgrades_version_one(void **state)
{
    (void)state;
    const char *p = t_path("v1.db");
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(p, STORE_CREATE, &s, &err), FB_OK);
    store_close(&s);
    /* What versions 2, 5 and 7 add goes, so the upgrades have it to add again (6's name
     * index is idempotent). */
    t_strip_lifecycle(p);
    t_sql(p, "ALTER TABLE decision DROP COLUMN policy_version; ALTER TABLE outbox DROP COLUMN held_until; ALTER TABLE \"case\" DROP COLUMN analysis; ALTER TABLE decision DROP COLUMN approval_rationale;"
             " PRAGMA user_version=1");
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM pragma_table_info('decision') WHERE name='approval_rationale'"), 0);
    assert_int_equal(store_open(p, 0, &s, &err), FB_OK);
    store_close(&s);
    assert_int_equal(t_sql_int(p, "PRAGMA user_version"), FB_SCHEMA_VERSION);
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM pragma_table_info('decision') WHERE name='approval_rationale'"), 1);
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM pragma_table_info('decision') WHERE name='policy_version'"), 1);
    /* version 4: the lifecycle's columns, rows' tables and views */
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM pragma_table_info('decision') WHERE name='prior_status'"), 1);
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM sqlite_schema WHERE name IN ('reviewer_queue','lc_transition')"), 2);
}

/* A version-5 store (before the account name index) gets the index, filled, on open. */
static void test_upgrades_version_five(void **state)
{
    (void)state;
    const char *p = t_path("v5.db");
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(p, STORE_CREATE, &s, &err), FB_OK);
    store_close(&s);
    t_sql(p, "DROP TABLE account_name_fts; INSERT INTO account(id, name) VALUES ('u-1', 'Joanna Quist'),"
             " ('u-2', NULL); ALTER TABLE decision DROP COLUMN policy_version; ALTER TABLE outbox DROP COLUMN held_until; ALTER TABLE \"case\" DROP COLUMN analysis; PRAGMA user_version=5");
    assert_int_equal(store_open(p, 0, &s, &err), FB_OK);
    store_close(&s);
    assert_int_equal(t_sql_int(p, "PRAGMA user_version"), FB_SCHEMA_VERSION);
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM account_name_fts WHERE account_name_fts MATCH '\"anna q\"'"),
                     1);
}

/* A version-6 store (before the team policy) gets decision.policy_version on open; its
 * decisions keep theirs as NULL (recommended under the local config). */
static void test_upgrades_version_six(void **state)
{
    (void)state;
    const char *p = t_path("v6.db");
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(p, STORE_CREATE, &s, &err), FB_OK);
    store_close(&s);
    t_sql(p, "INSERT INTO \"case\"(id, opened_at, updated_at, status) VALUES ('C-1', 0, 0, 'decided');"
             "INSERT INTO decision(id, case_id, reviewer, action, decided_at) VALUES ('d-1', 'C-1', 'A', 'education', 1);"
             "ALTER TABLE decision DROP COLUMN policy_version; ALTER TABLE outbox DROP COLUMN held_until; ALTER TABLE \"case\" DROP COLUMN analysis; PRAGMA user_version=6");
    assert_int_equal(store_open(p, 0, &s, &err), FB_OK);
    store_close(&s);
    assert_int_equal(t_sql_int(p, "PRAGMA user_version"), FB_SCHEMA_VERSION);
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM decision WHERE id='d-1' AND policy_version IS NULL"), 1);
}

static void collect_id(void *ctx, const char *case_id)
{
    char *buf = ctx;
    strcat(buf, case_id);
    strcat(buf, " ");
}

static char *search(const char *db, const char *term)
{
    static char found[1024];
    fb_store *s = NULL;
    fb_err err = {0};
    found[0] = '\0';
    assert_int_equal(store_open(db, 0, &s, &err), FB_OK);
    assert_int_equal(store_search(s, NULL, term, 50, collect_id, found, NULL, &err), FB_OK);
    store_close(&s);
    return found;
}

#define NAMED_CASE(id, acct, name)                                                                          \
    "{\"case_id\":\"" id "\",\"opened_at\":\"2026-11-20T10:00:00Z\",\"alleged\":\"self_hire\",\"accounts\":" \
    "[{\"id\":\"" acct "\",\"role\":\"client\",\"name\":\"" name "\"},"                                \
    "{\"id\":\"" acct "-f\",\"role\":\"freelancer\",\"name\":\"Ng\"}]}\n"

/* Names are searched by substring through the trigram index, case-insensitively, from
 * three characters (a shorter piece would be a scan of every account); an import that
 * renames an account moves it in the index; quotes in a term are literal. */
static void test_search_names(void **state)
{
    (void)state;
    const char *db = t_path("names.db");
    const char *f1 = t_write("names1.jsonl", NAMED_CASE("C-1", "u-a", "Zebulon \\\"Zeb\\\" Okafor")
                                               NAMED_CASE("C-2", "u-b", "Ada Lovelace"));
    char *out = NULL;
    assert_int_equal(t_run(&out, "--db '%s' import '%s'", db, f1), 0);
    free(out);
    assert_string_equal(search(db, "bulon"), "C-1 ");
    assert_string_equal(search(db, "LOVEL"), "C-2 ");
    assert_string_equal(search(db, "\"Zeb\""), "C-1 ");
    assert_string_equal(search(db, "Ng"), "");    /* names from three characters (no scan) */
    assert_string_equal(search(db, "C-"), "C-1 C-2 ");    /* ids by prefix from one */
    assert_string_equal(search(db, "nobody here"), "");
    /* A later case renames u-b: the old name is gone from the index, the new one found. */
    const char *f2 = t_write("names2.jsonl", NAMED_CASE("C-3", "u-b", "Ada King"));
    int irc = t_run(&out, "--db '%s' import '%s'", db, f2);
    if (irc)
        fprintf(stderr, "%s\n", out);
    assert_int_equal(irc, 0);
    free(out);
    assert_string_equal(search(db, "Lovelace"), "");
    assert_string_equal(search(db, "da Kin"), "C-2 C-3 ");
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM account_name_fts WHERE account_id='u-b'"), 1);
}

/* Searching within a queue: only the queue's cases (its statuses and filter), whatever
 * matches elsewhere; a small queue's ids are read from the queue (all found), a large
 * one's from the index; a term that matches too much elsewhere says the search was
 * partial rather than claiming there is nothing. */
struct qhits {
    const char *db;
    char want[16];      /* the status every hit must have */
    int n, bad;
};

static void check_hit(void *ctx, const char *case_id)
{
    struct qhits *h = ctx;
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM \"case\" WHERE id='%s' AND status='%s'", case_id, h->want);
    h->n++;
    if (t_sql_int(h->db, sql) != 1)
        h->bad++;
}

static int qsearch(const char *db, fb_queue queue, fb_violation code, const char *want, const char *term,
                   size_t max, int *partial)
{
    fb_store *s = NULL;
    fb_err err = {0};
    struct qhits h = {db, "", 0, 0};
    snprintf(h.want, sizeof h.want, "%s", want);
    queue_query q = {queue, SORT_RISK, code, FB_CS_NONE, 0, 100, "r"};
    assert_int_equal(store_open(db, 0, &s, &err), FB_OK);
    assert_int_equal(store_search(s, &q, term, max, check_hit, &h, partial, &err), FB_OK);
    store_close(&s);
    assert_int_equal(h.bad, 0);
    return h.n;
}

static void test_search_queue(void **state)
{
    (void)state;
    const char *db = t_path("qsearch.db");
    char *out = NULL;
    assert_int_equal(t_run(&out, "--db '%s' demo --cases 3000 --seed 7 --no-ui", db), 0);
    free(out);
    /* A small queue (30 escalated) beside a large one (2970 open). */
    t_sql(db, "UPDATE \"case\" SET status='escalated' WHERE rowid % 100 = 7");
    int partial = -1;
    /* Every id of the small queue, none of the others'. */
    assert_int_equal(qsearch(db, QUEUE_ESCALATED, FB_V_NONE, "escalated", "C-", 500, &partial), 30);
    assert_int_equal(partial, 0);
    /* The large queue: the first 50, all open. */
    assert_int_equal(qsearch(db, QUEUE_OPEN, FB_V_NONE, "open", "C-", 50, &partial), 50);
    assert_int_equal(partial, 0);
    /* The filter too: a code's cases only. */
    long long coded = t_sql_int(db, "SELECT count(*) FROM \"case\" WHERE status='escalated' AND alleged='self_hire'");
    assert_int_equal(qsearch(db, QUEUE_ESCALATED, FB_V_SELF_HIRE, "escalated", "C-", 500, &partial), coded);
    /* One of the reviewer's own queues (mine: what r decided), whatever its statuses. */
    char *three = t_sql_text(db, "SELECT group_concat(id, ' ') FROM (SELECT id FROM \"case\" WHERE status='open'"
                                 " ORDER BY id LIMIT 3)");
    assert_int_equal(t_run(&out, "--db '%s' --reviewer r decide %s no_violation --rationale 'seen'", db, three), 0);
    free(out);
    free(three);
    assert_int_equal(qsearch(db, QUEUE_MINE, FB_V_NONE, "decided", "C-", 500, &partial), 3);
    /* A word of one escalated case's message is found in its queue. */
    char *word = t_sql_text(db, "SELECT substr(body, 1, instr(body || ' ', ' ') - 1) FROM message m"
                                " JOIN \"case\" c ON c.id=m.case_id WHERE c.status='escalated' LIMIT 1");
    assert_true(qsearch(db, QUEUE_ESCALATED, FB_V_NONE, "escalated", word, 500, &partial) >= 1);
    free(word);
    /* A word in more messages than one search reads: the escalated hits found are right,
     * and the search says it did not read them all. */
    t_sql(db, "CREATE VIRTUAL TABLE message_fts_v USING fts5vocab(message_fts, row)");
    char *common = t_sql_text(db, "SELECT term FROM message_fts_v ORDER BY doc DESC LIMIT 1");
    assert_true(t_sql_int(db, "SELECT max(doc) FROM message_fts_v") > 5000);
    qsearch(db, QUEUE_ESCALATED, FB_V_NONE, "escalated", common, 500, &partial);
    assert_int_equal(partial, 1);
    free(common);
}

static void test_refuses_newer(void **state)
{
    (void)state;
    const char *p = t_path("newer.db");
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(p, STORE_CREATE, &s, &err), FB_OK);
    store_close(&s);
    t_sql(p, "PRAGMA user_version=99");
    assert_int_equal(store_open(p, 0, &s, &err), FB_ESTORE);
    assert_non_null(strstr(err.msg, "schema version 99"));
    assert_non_null(strstr(err.msg, "upgrade fbreview"));
    assert_int_equal(t_sql_int(p, "PRAGMA user_version"), 99);   /* unchanged */
}

static void test_refuses_foreign_sqlite(void **state)
{
    (void)state;
    const char *p = t_path("foreign.db");
    t_sql(p, "CREATE TABLE t(x); INSERT INTO t VALUES (1);");
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(p, 0, &s, &err), FB_ESTORE);
    assert_non_null(strstr(err.msg, "not an fbreview store"));
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM sqlite_schema"), 1);
}

static void test_refuses_garbage_file(void **state)
{
    (void)state;
    const char *p = t_write("garbage.db", "this is not a database at all, not even close............");
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_not_equal(store_open(p, 0, &s, &err), FB_OK);
    assert_non_null(strstr(err.msg, "garbage.db"));
}

static void test_integrity_ok(void **state)
{
    (void)state;
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(t_path("int.db"), STORE_CREATE, &s, &err), FB_OK);
    assert_int_equal(store_check_integrity(s, &err), FB_OK);
    store_close(&s);
}

static void test_foreign_key_damage_found(void **state)
{
    (void)state;
    const char *p = t_path("fk.db");
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(p, STORE_CREATE, &s, &err), FB_OK);
    store_close(&s);
    t_sql(p, "PRAGMA foreign_keys=OFF; INSERT INTO note(case_id, reviewer, at, text) VALUES ('C-404','r',1,'x');");
    assert_int_equal(store_open(p, 0, &s, &err), FB_OK);
    assert_int_equal(store_check_integrity(s, &err), FB_EINPUT);
    assert_non_null(strstr(err.msg, "note"));
    store_close(&s);
}

/* The cache holds every distinct query the code has, however many (it once stopped at 128). */
static void test_statement_cache_has_no_fixed_limit(void **state)
{
    (void)state;
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(t_path("cache.db"), STORE_CREATE, &s, &err), FB_OK);
    enum { N = 400 };
    static char sql[N][48];   /* static: the cache keys on the text's address */
    for (int i = 0; i < N; i++) {
        snprintf(sql[i], sizeof sql[i], "SELECT %d", i);
        sqlite3_stmt *st = store_stmt(s, sql[i], &err);
        assert_non_null(st);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), i);
    }
    /* Asking again gives the cached statement back, reset. */
    for (int i = 0; i < N; i += 37) {
        sqlite3_stmt *st = store_stmt(s, sql[i], &err);
        assert_non_null(st);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), i);
    }
    store_close(&s);
}

/* A callback that walks the same query again must not reset the walk it runs inside. */
struct nested { fb_store *s; int outer, inner, depth; };

static fb_status on_frame(void *ctx, int64_t id, const fb_frame_row *row, fb_err *err)
{
    (void)ctx, (void)id, (void)row, (void)err;
    return FB_OK;
}

static fb_status on_term(void *ctx, int64_t id, const fb_term_row *row, fb_err *err)
{
    (void)id;
    (void)row;
    struct nested *n = ctx;
    if (n->depth > 0) {
        n->inner++;
        return FB_OK;
    }
    if (++n->outer > 10)   /* the old cache restarted the outer walk: stop, do not spin */
        return fb_err_set(err, FB_EINTERNAL, "the outer walk restarted");
    n->depth++;
    fb_status rc = store_rules_each(n->s, on_term, on_frame, n, err);
    n->depth--;
    return rc;
}

static void test_callback_keeps_callers_statement(void **state)
{
    (void)state;
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(t_path("nested.db"), STORE_CREATE, &s, &err), FB_OK);
    const fb_term_row rows[] = {{"a", "one"}, {"a", "two"}, {"a", "three"}};
    size_t inserted = 0;
    assert_int_equal(store_rules_seed(s, rows, 3, NULL, 0, &inserted, &err), FB_OK);
    assert_int_equal(inserted, 3);
    struct nested n = {s, 0, 0, 0};
    assert_int_equal(store_rules_each(s, on_term, on_frame, &n, &err), FB_OK);
    assert_int_equal(n.outer, 3);
    assert_int_equal(n.inner, 9);
    store_close(&s);
}

/* A version 2 store (phrase rules) is brought to 3: the analyser's tables, matches with why. */
static void test_upgrades_version_two(void **state)
{
    (void)state;
    const char *p = t_path("v2.db");
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(p, STORE_CREATE, &s, &err), FB_OK);
    store_close(&s);
    t_sql(p, "DROP TABLE lexicon_term; DROP TABLE frame_rule; DROP VIEW message_match;"
             "CREATE VIEW message_match AS SELECT e.case_id AS case_id, j.value->>0 AS message_ord, j.value->>1 AS start,"
             " j.value->>2 AS len, j.value->>3 AS violation FROM case_evidence e, json_each(e.data, '$.m') j;"
             "CREATE TABLE phrase_rule (id INTEGER PRIMARY KEY, pattern TEXT NOT NULL UNIQUE, violation TEXT NOT NULL,"
             " weight INTEGER NOT NULL, sentence TEXT NOT NULL) STRICT;"
             "ALTER TABLE decision DROP COLUMN policy_version; ALTER TABLE outbox DROP COLUMN held_until; ALTER TABLE \"case\" DROP COLUMN analysis; PRAGMA user_version=2");
    t_strip_lifecycle(p);
    assert_int_equal(store_open(p, 0, &s, &err), FB_OK);
    int64_t terms = -1, frames = -1;
    assert_int_equal(store_rules_count(s, &terms, &frames, &err), FB_OK);
    assert_true(terms == 0 && frames == 0);
    store_close(&s);
    assert_int_equal(t_sql_int(p, "PRAGMA user_version"), FB_SCHEMA_VERSION);
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM sqlite_schema WHERE name='phrase_rule'"), 0);
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM pragma_table_info('message_match') WHERE name='why'"), 1);
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM pragma_table_info('decision') WHERE name='policy_version'"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_sets_ids_and_wal),
        cmocka_unit_test(test_upgrades_version_one),
        cmocka_unit_test(test_upgrades_version_four),
        cmocka_unit_test(test_upgrades_version_two),
        cmocka_unit_test(test_statement_cache_has_no_fixed_limit),
        cmocka_unit_test(test_callback_keeps_callers_statement),
        cmocka_unit_test(test_missing_without_create),
        cmocka_unit_test(test_reopen_keeps_data),
        cmocka_unit_test(test_migrates_empty_version_zero),
        cmocka_unit_test(test_refuses_newer),
        cmocka_unit_test(test_refuses_foreign_sqlite),
        cmocka_unit_test(test_refuses_garbage_file),
        cmocka_unit_test(test_interactive_checkpoints),
        cmocka_unit_test(test_integrity_ok),
        cmocka_unit_test(test_upgrades_version_five),
        cmocka_unit_test(test_upgrades_version_six),
        cmocka_unit_test(test_search_names),
        cmocka_unit_test(test_search_queue),
        cmocka_unit_test(test_foreign_key_damage_found),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
