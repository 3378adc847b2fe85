/* Local retention: `fbreview purge` (and [retention] evidence_days) removes the evidence of
 * cases decided and synced more than N days ago and nothing else; the decision, the audit
 * (with a purge row) and the case stay; verify passes; show says where the evidence went.
 * Real binary, real SQLite files; "synced N days ago" is set on the decision rows (the
 * state a sync leaves, moved back in time). */
#include "testlib.h"

#include <sys/stat.h>

static const char *keep(const char *path)
{
    static char pool[16][4096];
    static int k;
    char *b = pool[k++ % 16];
    snprintf(b, sizeof pool[0], "%s", path);
    return b;
}

static void run_ok(const char *fmt, const char *a, const char *b)
{
    char *out = NULL;
    int rc = t_run(&out, fmt, a, b);
    if (rc != 0)
        print_error("%s\n", out ? out : "");
    free(out);
    assert_int_equal(rc, 0);
}

/* A count with the case id bound as ?1. */
static long long count(const char *db, const char *sql, const char *id)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    long long v = -1;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return v;
}

static void test_purge_decided_and_synced(void **state)
{
    (void)state;
    const char *src = getenv("FB_SRC_DIR");
    char fixture[4096];
    snprintf(fixture, sizeof fixture, "%s/tests/data/console_cases.jsonl", src ? src : ".");
    const char *db = keep(t_path("r.db"));
    run_ok("--db '%s' import '%s'", db, fixture);
    /* C-1001: decided, synced 40 days ago; C-1002: synced 10 days ago; C-1004: decided,
     * not synced; C-1005: open. */
    static const char *const decided[] = {"C-1001", "C-1002", "C-1004"};
    for (size_t i = 0; i < 3; i++)
        run_ok("--db '%s' --reviewer alice decide %s no_violation --rationale 'seen'", db, decided[i]);
    t_sql(db, "UPDATE decision SET sync_state='synced', synced_at=(strftime('%s','now')-40*86400)*1000 WHERE case_id='C-1001';"
              "UPDATE decision SET sync_state='synced', synced_at=(strftime('%s','now')-10*86400)*1000 WHERE case_id='C-1002';"
              "DELETE FROM outbox WHERE payload->>'case_id' IN ('C-1001','C-1002');");
    assert_true(count(db, "SELECT count(*) FROM message WHERE case_id=?1", "C-1001") > 0);
    long long messages_before = t_sql_int(db, "SELECT count(*) FROM message");
    long long c1001 = count(db, "SELECT count(*) FROM message WHERE case_id=?1", "C-1001");
    long long audit_before = t_sql_int(db, "SELECT count(*) FROM audit");

    /* Off by default: the command says so and changes nothing. */
    char *out = NULL;
    assert_int_equal(t_run(&out, "--db '%s' purge", db), 1);
    assert_non_null(strstr(out, "retention is off"));
    free(out);
    /* A dry run counts. */
    assert_int_equal(t_run(&out, "--db '%s' purge --days 30 --dry-run", db), 0);
    assert_non_null(strstr(out, "would purge 1 case "));
    free(out);
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM message"), messages_before);

    /* The setting, from a config file. */
    const char *conf = t_write("retention.conf", "[retention]\nevidence_days = 30\n");
    assert_int_equal(t_run(&out, "--db '%s' --config '%s' --reviewer alice purge", db, conf), 0);
    assert_non_null(strstr(out, "1 case decided and synced more than 30 days ago"));
    free(out);
    assert_int_equal(count(db, "SELECT count(*) FROM message WHERE case_id=?1", "C-1001"), 0);
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM message"), messages_before - c1001);
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM message_fts WHERE message_fts MATCH 'stars'"),
                     t_sql_int(db, "SELECT count(*) FROM message WHERE body LIKE '%stars%'"));
    assert_int_equal(count(db, "SELECT count(*) FROM account_link WHERE case_id=?1", "C-1001"), 0);
    assert_int_equal(count(db, "SELECT count(*) FROM payment WHERE case_id=?1", "C-1001"), 0);
    assert_int_equal(count(db, "SELECT count(*) FROM signal WHERE case_id=?1", "C-1001"), 0);
    /* Kept: the case (a pointer), its decision, and the audit with a purge row. */
    assert_int_equal(count(db, "SELECT count(*) FROM \"case\" WHERE id=?1", "C-1001"), 1);
    assert_int_equal(count(db, "SELECT count(*) FROM decision WHERE case_id=?1", "C-1001"), 1);
    assert_int_equal(count(db, "SELECT count(*) FROM case_evidence WHERE case_id=?1 AND data->'purged' IS NOT NULL",
                           "C-1001"), 1);
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM audit"), audit_before + 1);
    assert_int_equal(count(db, "SELECT count(*) FROM audit WHERE kind='purge' AND case_id=?1", "C-1001"), 1);
    /* Everything else untouched. */
    static const char *const kept[] = {"C-1002", "C-1004", "C-1005"};
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(count(db, "SELECT count(*) FROM case_evidence WHERE case_id=?1 AND data->'purged' IS NULL",
                               kept[i]), 1);
    /* verify passes; show says where the evidence went. */
    assert_int_equal(t_run(&out, "--db '%s' verify", db), 0);
    free(out);
    assert_int_equal(t_run(&out, "--db '%s' show C-1001", db), 0);
    assert_non_null(strstr(out, "Evidence purged from this store"));
    assert_non_null(strstr(out, "no_violation"));
    free(out);
    assert_int_equal(t_run(&out, "--db '%s' show C-1001 --json", db), 0);
    assert_non_null(strstr(out, "\"evidence_purged_at\": \"20"));
    free(out);
    /* Again: nothing more to purge. */
    assert_int_equal(t_run(&out, "--db '%s' purge --days 30", db), 0);
    assert_non_null(strstr(out, "purge: 0 cases"));
    free(out);
    /* A bad setting names the file and line. */
    const char *badconf = t_write("bad.conf", "[retention]\nevidence_days = soon\n");
    assert_int_equal(t_run(&out, "--db '%s' --config '%s' purge", db, badconf), 1);
    assert_non_null(strstr(out, "bad.conf:2: [retention] evidence_days"));
    free(out);
    /* The console shows the pointer. */
    const char *script = t_write("s.txt", ":queue decided\n:goto C-1001\n");
    FILE *f = fopen(script, "a");
    fprintf(f, ":save-display %s\n", t_path("purged.txt"));
    fclose(f);
    setenv("LINES", "24", 1);
    setenv("COLUMNS", "100", 1);
    setenv("TERM", "xterm", 1);
    assert_int_equal(t_run(&out, "--db '%s' --reviewer alice --script '%s'", db, script), 0);
    free(out);
    out = t_read(t_path("purged.txt"));
    assert_non_null(out);
    assert_non_null(strstr(out, "Evidence purged from this store"));
    free(out);
}

int main(void)
{
    setenv("XDG_CONFIG_HOME", t_path("config-home"), 1);
    setenv("HOME", t_path("home"), 1);
    unsetenv("FBREVIEW_DB");
    unsetenv("FBREVIEW_UPSTREAM");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_purge_decided_and_synced),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
