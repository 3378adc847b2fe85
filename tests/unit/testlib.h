#ifndef FBREVIEW_TESTLIB_H
#define FBREVIEW_TESTLIB_H
/* Helpers shared by the cmocka tests: temp paths, running the real binary, reading files.
 * Include it instead of <cmocka.h> (which needs these system headers first). Everything is static so each test binary stays self-contained. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>
#include <sqlite3.h>

/* 1 when this test (and the binary beside it, same build) runs under AddressSanitizer
 * (`make check SANITIZE=1`): peak RSS is then mostly shadow memory and the allocator's
 * quarantine, so memory budgets are checked only in the plain build. */
#if defined(__SANITIZE_ADDRESS__)
#define T_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define T_ASAN 1
#endif
#endif
#ifndef T_ASAN
#define T_ASAN 0
#endif
static inline int t_memory_measurable(void)
{
    if (T_ASAN)
        fprintf(stderr, "note: under AddressSanitizer; the memory budget is checked in the plain build only\n");
    return !T_ASAN;
}

/* A fresh path under the per-test temp dir ($FB_TEST_TMP, set by tests/run-unit.sh). */
static inline const char *t_path(const char *name)
{
    static char buf[8][4096];
    static int k;
    const char *dir = getenv("FB_TEST_TMP");
    char *b = buf[k++ % 8];
    snprintf(b, sizeof buf[0], "%s/%s", dir ? dir : "/tmp", name);
    return b;
}

/* Writes text to a file under the temp dir and returns its path. */
static inline const char *t_write(const char *name, const char *text)
{
    const char *p = t_path(name);
    FILE *f = fopen(p, "wb");
    if (!f)
        abort();
    fputs(text, f);
    fclose(f);
    return p;
}

/* Reads a whole file (malloc'd, NUL-terminated), NULL if missing. */
static inline char *t_read(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    size_t got = fread(b, 1, (size_t)n, f);
    b[got] = '\0';
    fclose(f);
    return b;
}

/* Runs `$FB_BIN ARGS` (the test build, with its hooks) through the shell with stdout+stderr captured into *out (malloc'd);
 * returns the exit status. args is a printf format (quote paths yourself). */
static inline int t_run(char **out, const char *fmt, ...)
{
    char args[8192], cmd[9000];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    const char *bin = getenv("FB_BIN");
    const char *cap = t_path("run.out");
    snprintf(cmd, sizeof cmd, "%s %s >'%s' 2>&1", bin ? bin : "build/fbreview-test", args, cap);
    int st = system(cmd);
    if (out)
        *out = t_read(cap);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* SQL on a store file through a separate connection (the real SQLite, no mocks). */
static inline void t_sql(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fprintf(stderr, "t_sql: %s: %s\n", sql, msg ? msg : "?");
    sqlite3_free(msg);
    assert_int_equal(rc, SQLITE_OK);
    sqlite3_close(db);
}

/* The first column of the first row as an integer (-1 when no row). */
static inline long long t_sql_int(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long long v = -1;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* The first column of the first row as a malloc'd string (NULL when no row or NULL). */
static inline char *t_sql_text(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    char *v = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        v = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* A current store made version 4 again: what the 4 -> 5 upgrade (the lifecycle) adds is
 * taken away, so a test of an older version's upgrade path can run it again. */
static inline void t_strip_lifecycle(const char *path)
{
    t_sql(path, "DROP VIEW reviewer_queue; DROP VIEW counted_violation; DROP VIEW standing_decision;"
                " DROP VIEW live_decision; DROP VIEW recorded_decision; DROP VIEW open_conflict;"
                " DROP VIEW open_rejection; DROP VIEW awaiting_upstream; DROP VIEW live_claim;"
                " DROP TABLE lc_transition; DROP TABLE lc_event; DROP TABLE lc_queue; DROP TABLE lc_action;"
                " DROP INDEX case_by_claim; DROP INDEX decision_rejections; DROP INDEX decision_awaiting;"
                " DROP INDEX decision_by_reviewer; DROP INDEX decision_by_supersedes;"
                " ALTER TABLE \"case\" DROP COLUMN upstream_status; ALTER TABLE decision DROP COLUMN prior_status;"
                " ALTER TABLE decision DROP COLUMN conflict_winner;"
                " ALTER TABLE decision DROP COLUMN rejection_answer; ALTER TABLE decision DROP COLUMN rejection_answered_at;");
}

#endif
