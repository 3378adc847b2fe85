/* Store files: what we create is for the user only (0600 files, 0700 folders); a folder
 * the user named is never created; a file that is not ours is refused byte for byte
 * unchanged, with no -wal, -shm or -journal left beside it; read-only opens leave the
 * store as it was. */
#include "testlib.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fbreview/store.h"

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)len + 1);
    *n = fread(b, 1, (size_t)len, f);
    fclose(f);
    return b;
}

static int exists_suffix(const char *path, const char *suffix)
{
    char buf[4200];
    snprintf(buf, sizeof buf, "%s%s", path, suffix);
    return access(buf, F_OK) == 0;
}

static int mode_of(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (int)(sb.st_mode & 0777) : -1;
}

static void test_created_for_the_user_only(void **state)
{
    (void)state;
    mode_t old = umask(0);   /* the modes must not depend on the caller's umask */
    const char *p = t_path("modes.db");
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(p, STORE_CREATE, &s, &err), FB_OK);
    assert_int_equal(store_state_set(s, "k", "v", &err), FB_OK);
    /* While open: the store and both WAL files. */
    char wal[4200], shm[4200];
    snprintf(wal, sizeof wal, "%s-wal", p);
    snprintf(shm, sizeof shm, "%s-shm", p);
    assert_int_equal(mode_of(p), 0600);
    assert_int_equal(mode_of(wal), 0600);
    assert_int_equal(mode_of(shm), 0600);
    store_close(&s);

    /* The default location: missing folders are created 0700. */
    const char *deep = t_path("xdg/a/b/fbreview.db");
    assert_int_equal(store_open(deep, STORE_CREATE | STORE_MKDIR, &s, &err), FB_OK);
    store_close(&s);
    assert_int_equal(mode_of(deep), 0600);
    assert_int_equal(mode_of(t_path("xdg/a/b")), 0700);
    assert_int_equal(mode_of(t_path("xdg/a")), 0700);
    assert_int_equal(mode_of(t_path("xdg")), 0700);
    umask(old);
}

static void test_named_folder_is_never_created(void **state)
{
    (void)state;
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(t_path("nope/deeper/x.db"), STORE_CREATE, &s, &err), FB_EIO);
    assert_null(s);
    assert_non_null(strstr(err.msg, "nope/deeper"));
    assert_non_null(strstr(err.msg, "does not exist"));
    assert_int_equal(access(t_path("nope"), F_OK), -1);
    /* A file where the folder should be. */
    t_write("afile", "x");
    assert_int_equal(store_open(t_path("afile/x.db"), STORE_CREATE | STORE_MKDIR, &s, &err), FB_EIO);
    assert_null(s);
}

/* Builds a foreign file with the sqlite3 library (not through us). */
static void make_foreign(const char *path, const char *sql)
{
    sqlite3 *db;
    unlink(path);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, &msg), SQLITE_OK);
    sqlite3_free(msg);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static void refused_unchanged(const char *path, int flags, const char *why)
{
    size_t n0 = 0, n1 = 0;
    char *before = slurp(path, &n0);
    assert_non_null(before);
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_not_equal(store_open(path, flags, &s, &err), FB_OK);
    assert_null(s);
    assert_non_null(strstr(err.msg, why));
    char *after = slurp(path, &n1);
    assert_non_null(after);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0);
    assert_false(exists_suffix(path, "-wal"));
    assert_false(exists_suffix(path, "-shm"));
    assert_false(exists_suffix(path, "-journal"));
    free(before);
    free(after);
}

static void test_foreign_files_refused_unchanged(void **state)
{
    (void)state;
    static const struct { const char *name, *sql, *why; } cases[] = {
        {"appid.db", "PRAGMA application_id=1234; CREATE TABLE t(x); INSERT INTO t VALUES (1);", "application_id 1234"},
        {"plain.db", "CREATE TABLE t(x); INSERT INTO t VALUES (1);", "not an fbreview store"},
        /* A WAL-mode file: a careless open would checkpoint or add -wal/-shm. */
        {"wal.db", "PRAGMA journal_mode=WAL; CREATE TABLE t(x); INSERT INTO t VALUES (1);", "not an fbreview store"},
        {"newer.db", "PRAGMA application_id=1178751574; PRAGMA user_version=99;", "schema version 99"},
        {"onlyver.db", "PRAGMA user_version=3;", "not an fbreview store"},
    };
    static const int flag_sets[] = {STORE_CREATE, 0, STORE_READ_OK, STORE_READONLY, STORE_CREATE | STORE_INTERACTIVE};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *p = t_path(cases[i].name);
        make_foreign(p, cases[i].sql);
        assert_false(exists_suffix(p, "-wal"));
        for (size_t f = 0; f < sizeof flag_sets / sizeof flag_sets[0]; f++)
            refused_unchanged(p, flag_sets[f], cases[i].why);
    }
    /* Not SQLite at all. */
    const char *txt = t_write("notes.txt", "SQLite format 2? no: a reviewer's notes, not a database\n");
    refused_unchanged(txt, STORE_CREATE, "not an SQLite database");
    /* Through the command line: exit 1, the bytes unchanged (cmp). */
    const char *p = t_path("cli-foreign.db");
    make_foreign(p, "PRAGMA application_id=77; CREATE TABLE t(x);");
    char cmd[9000];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s.orig'", p, p);
    assert_int_equal(system(cmd), 0);
    const char *subs[] = {"stats", "verify", "import /dev/null", "show X", "export -o /dev/null", "note X hi"};
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        char *out = NULL;
        assert_int_equal(t_run(&out, "--db '%s' %s", p, subs[i]), 1);
        assert_non_null(strstr(out, "not an fbreview store"));
        free(out);
        snprintf(cmd, sizeof cmd, "cmp '%s' '%s.orig'", p, p);
        assert_int_equal(system(cmd), 0);
        assert_false(exists_suffix(p, "-wal"));
        assert_false(exists_suffix(p, "-shm"));
    }
}

static void test_readonly_open_leaves_no_trace(void **state)
{
    (void)state;
    const char *p = t_path("ours.db");
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(p, STORE_CREATE, &s, &err), FB_OK);
    assert_int_equal(store_state_set(s, "k", "v", &err), FB_OK);
    store_close(&s);
    assert_false(exists_suffix(p, "-wal"));
    size_t n0, n1;
    char *before = slurp(p, &n0);
    assert_int_equal(store_open(p, STORE_READONLY, &s, &err), FB_OK);
    assert_int_equal(store_readonly(s), 1);
    char *v = store_state_get(s, "k");
    assert_string_equal(v, "v");
    free(v);
    /* A write is refused by SQLite itself. */
    assert_int_not_equal(store_state_set(s, "k", "w", &err), FB_OK);
    store_close(&s);
    char *after = slurp(p, &n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0);
    assert_false(exists_suffix(p, "-wal"));
    assert_false(exists_suffix(p, "-shm"));
    free(before);
    free(after);
    /* Read-only and no store: nothing is created. */
    assert_int_equal(store_open(t_path("none.db"), STORE_READONLY | STORE_CREATE, &s, &err), FB_ENOTFOUND);
    assert_int_equal(access(t_path("none.db"), F_OK), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_created_for_the_user_only),
        cmocka_unit_test(test_named_folder_is_never_created),
        cmocka_unit_test(test_foreign_files_refused_unchanged),
        cmocka_unit_test(test_readonly_open_leaves_no_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
