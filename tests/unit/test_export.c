/* CSV export: the writer, the real binary against a real store checked by Python's csv
 * module (tests/export_check.py), filters, usage errors, atomic -o, and flat memory on
 * 1,000,000 decisions. Decisions are inserted with SQLite directly: the decision
 * workflow is another module's. */
#include "testlib.h"

#include <errno.h>
#include <dirent.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fbreview/csv.h"
#include "fbreview/export.h"
#include "fbreview/store.h"

#define BASE_MS 1763596800000LL   /* 2025-11-20T00:00:00Z */
#define DAY_MS 86400000LL

/* ---- helpers ---- */

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* t_path rotates eight static buffers: copy paths a test keeps using. */
#define HOLD(var, name)                     \
    char var##_buf[4096];                   \
    snprintf(var##_buf, sizeof var##_buf, "%s", t_path(name)); \
    const char *var = var##_buf

static const char *bin(void)
{
    const char *b = getenv("FB_BIN");
    return b ? b : "build/fbreview";
}

static const char *checker(void)
{
    static char p[4096];
    const char *src = getenv("FB_SRC_DIR");
    snprintf(p, sizeof p, "%s/tests/export_check.py", src ? src : ".");
    return p;
}

static sqlite3 *db_open(const char *path)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL), SQLITE_OK);
    return db;
}

static void db_exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
}

/* A fresh store with the real schema, made by the real store_open. */
static void make_store(const char *path)
{
    fb_store *s = NULL;
    fb_err err = {0};
    unlink(path);
    if (store_open(path, STORE_CREATE, &s, &err) != FB_OK)
        fail_msg("%s", err.msg);
    store_close(&s);
}

static void add_case(sqlite3 *db, const char *id, const char *subject, const char *counterparty,
                     const char *contract)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "INSERT INTO \"case\"(id, opened_at, subject, counterparty, contract_id,"
                                        " status, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 'decided', ?2)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, BASE_MS - DAY_MS);
    sqlite3_bind_text(st, 3, subject, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, counterparty, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, contract, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

typedef struct dec {
    const char *id, *case_id, *reviewer, *action, *violation;
    int has_days;
    int days;
    const char *rationale, *rec_action;
    int overridden;
    int64_t decided_at;
    const char *supersedes, *approved_by, *sync_state;
    const char *approval;             /* NULL: "approved" when approved_by is set, else "none" */
    const char *approval_rationale;
    int64_t synced_at, undone_at;   /* 0 = NULL */
} dec;

static void add_decision(sqlite3 *db, const dec *d)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "INSERT INTO decision(id, case_id, reviewer, action, violation, days,"
                                        " rationale, rec_action, overridden, decided_at, supersedes, approval,"
                                        " approved_by, sync_state, synced_at, undone_at, approval_rationale)"
                                        " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, d->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, d->case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, d->reviewer, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, d->action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, d->violation, -1, SQLITE_STATIC);
    if (d->has_days)
        sqlite3_bind_int(st, 6, d->days);
    sqlite3_bind_text(st, 7, d->rationale, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, d->rec_action, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 9, d->overridden);
    sqlite3_bind_int64(st, 10, d->decided_at);
    sqlite3_bind_text(st, 11, d->supersedes, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 12, d->approval ? d->approval : d->approved_by ? "approved" : "none", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 13, d->approved_by, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 14, d->sync_state ? d->sync_state : "pending", -1, SQLITE_STATIC);
    if (d->synced_at)
        sqlite3_bind_int64(st, 15, d->synced_at);
    if (d->undone_at)
        sqlite3_bind_int64(st, 16, d->undone_at);
    sqlite3_bind_text(st, 17, d->approval_rationale, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

/* Hostile and awkward text: separators, quotes, line breaks, formulas, non-ASCII. */
static const char *const reviewers[] = {
    "ann", "Bob, Jr.", "\"quoted\" reviewer", "=cmd|' /C calc'!A0", "\xe5\x90\x8d\xe5\x89\x8d \xf0\x9f\x98\x80",
    "\xd9\x85\xd8\xb1\xd8\xa7\xd8\xac\xd8\xb9", "+plus", "-minus", "@at", "\ttab", "line\nbreak",
};
static const char *const rationales[] = {
    "plain",
    "comma, inside",
    "quote \" inside",
    "CR\rinside",
    "LF\ninside",
    "CRLF\r\ninside",
    "tab\tinside",
    "=HYPERLINK(\"http://evil.example\",\"click\")",
    "+1",
    "-5",
    "@SUM(A1:A9)",
    "\tleading tab",
    "\rleading CR",
    "\xe6\xbc\xa2\xe5\xad\x97 and emoji \xf0\x9f\x98\x80 and flag \xf0\x9f\x87\xba\xf0\x9f\x87\xb8",
    "\xd7\xa2\xd7\x91\xd7\xa8\xd7\x99\xd7\xaa RTL \xe2\x80\xae override",
    "",
    NULL,
    "trailing comma,",
    "\"",
    "\"\"",
    ",",
    "\r\n",
    " leading space",
};
#define NREV (sizeof reviewers / sizeof reviewers[0])
#define NRAT (sizeof rationales / sizeof rationales[0])
static const char *const actions[] = {"no_violation", "education", "suspension", "block", "escalate"};
static char ids[64][40];

/* The hand-made store: NRAT decisions over four cases (one with formula-like ids), two
 * pairs that tie on decided_at, and one undone decision that must never be exported.
 * Decision i is decided on BASE + i hours; filler adds plain rows after them. */
static void build_hostile_store(const char *path, int filler)
{
    make_store(path);
    sqlite3 *db = db_open(path);
    db_exec(db, "BEGIN");
    add_case(db, "C-1", "u-1", "u-2", "J-77");
    add_case(db, "C-2", "u-3", NULL, NULL);
    add_case(db, "=C-3", "=u-evil", "@u-4", "-J-9");
    add_case(db, "C-4", "\xe5\x90\x8d", "u,5", "J\"8");
    for (size_t i = 0; i < NRAT; i++) {
        /* ids sort opposite to insertion within the tie below, to prove the id order. */
        snprintf(ids[i], sizeof ids[i], "d-%02zu", 50 - i);
        const char *action = actions[i % 5];
        int needs_code = i % 5 >= 1 && i % 5 <= 3;
        dec d = {
            .id = ids[i],
            .case_id = (i % 4 == 0) ? "C-1" : (i % 4 == 1) ? "C-2" : (i % 4 == 2) ? "=C-3" : "C-4",
            .reviewer = reviewers[i % NREV],
            .action = action,
            .violation = needs_code ? "self_hire" : NULL,
            .has_days = i % 5 == 2,
            .days = i == 7 ? -1 : 30,   /* -1: a number must never be "neutralised" */
            .rationale = rationales[i],
            .rec_action = i % 3 ? "suspension" : NULL,
            .overridden = (int)(i % 2),
            .decided_at = BASE_MS + (int64_t)i * 3600000 + (i % 2 ? 123 : 0),
            .supersedes = i == 9 ? ids[2] : NULL,
            .approved_by = i % 5 == 3 || i % 5 == 4 ? "lead, \"senior\"" : NULL,
            /* every approval state: approved, sent back (with a hostile reason), pending */
            /* a pending one keeps a stale approved_by: no output may show it */
            .approval = i % 5 == 4 ? "rejected" : i % 5 == 3 && i % 2 ? "pending" : NULL,
            .approval_rationale = i % 5 == 4 ? "=HYPERLINK(\"x\"), not \"enough\"" : NULL,
            .sync_state = i % 3 == 0 ? "synced" : i % 3 == 1 ? "pending" : "conflict",
            .synced_at = i % 3 == 0 ? BASE_MS + (int64_t)i * 3600000 + 5000 : 0,
        };
        if (i == 5 || i == 6)
            d.decided_at = BASE_MS + 5 * 3600000;   /* a tie: ordered by id */
        add_decision(db, &d);
    }
    dec undone = {.id = "d-undone", .case_id = "C-1", .reviewer = "ann", .action = "block",
                  .violation = "self_hire", .rationale = "UNDONE-MARKER", .decided_at = BASE_MS + 1000,
                  .undone_at = BASE_MS + 2000};
    add_decision(db, &undone);
    for (int i = 0; i < filler; i++) {
        char id[40], why[200];
        snprintf(id, sizeof id, "f-%06d", i);
        snprintf(why, sizeof why, "filler row %d, with \"quotes\" and a comma to make the file longer", i);
        dec d = {.id = id, .case_id = "C-2", .reviewer = "filler", .action = "education",
                 .violation = "fake_job", .rationale = why, .decided_at = BASE_MS + 40 * DAY_MS + i};
        add_decision(db, &d);
    }
    db_exec(db, "COMMIT");
    sqlite3_close(db);
}

static void check_csv(const char *db, const char *csv, const char *extra)
{
    int rc = sh("python3 '%s' '%s' '%s' %s >&2", checker(), db, csv, extra ? extra : "");
    if (rc != 0)
        fail_msg("export_check.py %s failed (exit %d) on %s", extra ? extra : "", rc, csv);
}

/* The byte order mark, then the header. */
static const char header[] =
    "\xEF\xBB\xBF"
    "decision_id,case_id,decided_at_utc,reviewer,action,violation,suspension_days,subject_account,"
    "counterparty_account,contract_id,recommended_action,overridden,approval,approved_by,approval_by,"
    "approval_rationale,supersedes,rationale,policy_version,sync_state,synced_at_utc\r\n";

/* ---- the writer on its own ---- */

static char *memfile_text(FILE *f, char **buf)
{
    fclose(f);
    return *buf;
}

static void test_csv_writer(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    csv_writer *w = csv_new(f, 0);
    csv_text(w, "plain", 5);
    csv_text(w, "a,b", 3);
    csv_text(w, "say \"hi\"", 8);
    csv_text(w, "two\r\nlines", 10);
    csv_text(w, NULL, 0);
    csv_text(w, "", 0);
    csv_end_row(w);
    csv_text(w, "=1+2", 4);
    csv_text(w, "+1", 2);
    csv_text(w, "-5", 2);
    csv_text(w, "@x", 2);
    csv_text(w, "\tt", 2);
    csv_text(w, "\rr", 2);
    csv_text(w, "=a,\"b\"", 6);
    csv_text(w, "a=b", 3);
    csv_plain(w, "-5", 2);
    csv_int(w, -5);
    csv_empty(w);
    csv_end_row(w);
    assert_int_equal(csv_flush(w), 0);
    csv_free(&w);
    assert_null(w);
    char *got = memfile_text(f, &buf);
    assert_string_equal(got,
                        "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\r\nlines\",,\r\n"
                        "'=1+2,'+1,'-5,'@x,'\tt,\"'\rr\",\"'=a,\"\"b\"\"\",a=b,-5,-5,\r\n");
    free(buf);

    /* Raw: formulas stay as they are; quoting does not change. */
    f = open_memstream(&buf, &len);
    w = csv_new(f, 1);
    csv_text(w, "=1+2", 4);
    csv_text(w, "-5", 2);
    csv_text(w, "=a,b", 4);
    csv_end_row(w);
    assert_int_equal(csv_flush(w), 0);
    csv_free(&w);
    got = memfile_text(f, &buf);
    assert_string_equal(got, "=1+2,-5,\"=a,b\"\r\n");
    free(buf);

    /* Cells and rows larger than the 64 KiB buffer, and many rows across its edges. */
    size_t big = 200000;
    char *cell = malloc(big);
    for (size_t i = 0; i < big; i++)
        cell[i] = i % 1000 == 999 ? '"' : (char)('a' + i % 26);
    f = open_memstream(&buf, &len);
    w = csv_new(f, 0);
    for (int r = 0; r < 3000; r++) {
        csv_int(w, r);
        csv_text(w, "x,y", 3);
        csv_end_row(w);
    }
    csv_text(w, cell, big);
    csv_end_row(w);
    assert_int_equal(csv_flush(w), 0);
    csv_free(&w);
    got = memfile_text(f, &buf);
    size_t quotes = big / 1000;
    /* 3000 rows of "r,\"x,y\"\r\n", then the big cell quoted with its quotes doubled. */
    size_t small = 0;
    for (int r = 0; r < 3000; r++)
        small += (size_t)snprintf(NULL, 0, "%d", r) + 8;
    assert_int_equal(len, small + 1 + big + quotes + 1 + 2);
    assert_memory_equal(got, "0,\"x,y\"\r\n1,\"x,y\"\r\n", 18);
    assert_int_equal(got[small], '"');
    assert_memory_equal(got + small + 1, cell, 999);
    assert_memory_equal(got + small + 1 + 999, "\"\"", 2);
    assert_memory_equal(got + len - 3, "\"\r\n", 3);
    free(buf);
    free(cell);

    /* A device that refuses the bytes: the error comes back, and stays. */
    FILE *full = fopen("/dev/full", "w");
    assert_non_null(full);
    w = csv_new(full, 0);
    csv_text(w, "x", 1);
    csv_end_row(w);
    assert_int_equal(csv_flush(w), ENOSPC);
    assert_int_equal(csv_error(w), ENOSPC);
    csv_free(&w);
    fclose(full);
}

/* ---- the real binary against a real store ---- */

static void test_export_roundtrip(void **state)
{
    (void)state;
    HOLD(db, "hostile.db");
    build_hostile_store(db, 0);
    HOLD(out, "out.csv");
    HOLD(err, "err.txt");
    HOLD(stdout_csv, "stdout.csv");

    assert_int_equal(sh("'%s' --db '%s' export -o '%s' 2>'%s'", bin(), db, out, err), 0);
    char *msg = t_read(err);
    char want[256];
    snprintf(want, sizeof want, "exported %zu decisions to %s\n", NRAT, out);
    assert_string_equal(msg, want);
    free(msg);
    check_csv(db, out, "--rows 23");

    /* stdout gets the same bytes, and nothing is said on stderr (not a terminal). */
    assert_int_equal(sh("'%s' --db '%s' export >'%s' 2>'%s'", bin(), db, stdout_csv, err), 0);
    char *a = t_read(out), *b = t_read(stdout_csv), *e = t_read(err);
    assert_string_equal(a, b);
    assert_string_equal(e, "");
    assert_memory_equal(a, header, sizeof header - 1);
    assert_null(strstr(a, "UNDONE-MARKER"));
    /* Formulas neutralised in text cells, ids included; numbers untouched. */
    assert_non_null(strstr(a, "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\""));
    assert_non_null(strstr(a, ",'=C-3,"));
    assert_non_null(strstr(a, ",'=u-evil,'@u-4,'-J-9,"));
    assert_non_null(strstr(a, ",-1,"));
    assert_non_null(strstr(a, ",'-5,"));
    /* --no-bom: the same bytes without the byte order mark. */
    HOLD(nobom, "nobom.csv");
    assert_int_equal(sh("'%s' --db '%s' export --no-bom -o '%s' 2>/dev/null", bin(), db, nobom), 0);
    check_csv(db, nobom, "--no-bom --rows 23");
    char *nb = t_read(nobom);
    assert_string_equal(nb, a + 3);
    free(nb);
    /* UTC times without the "Z" a spreadsheet would read as text (the column says UTC) */
    assert_non_null(strstr(a, ",2025-11-20T05:00:00,"));
    assert_null(strstr(a, ":00Z,"));
    /* The tie at 05:00: d-44 (inserted second) sorts before d-45. */
    char *p44 = strstr(a, "\r\nd-44,"), *p45 = strstr(a, "\r\nd-45,");
    assert_non_null(p44);
    assert_non_null(p45);
    assert_true(p44 < p45);
    free(b);
    free(e);

    /* On a terminal, progress goes to stderr (script(1) provides the terminal). */
    if (sh("command -v script >/dev/null") == 0) {
        assert_int_equal(sh("script -qec \"'%s' --db '%s' export -o '%s'\" /dev/null >'%s' 2>&1", bin(), db,
                            t_path("tty.csv"), err),
                         0);
        e = t_read(err);
        assert_non_null(strstr(e, "exporting decisions: 23"));
        assert_non_null(strstr(e, "exported 23 decisions to"));
        free(e);
        b = t_read(t_path("tty.csv"));
        assert_string_equal(a, b);
        free(b);
    }

    /* The library call the console uses gives the very same bytes. */
    fb_store *s = NULL;
    fb_err ferr = {0};
    assert_int_equal(store_open(db, 0, &s, &ferr), FB_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    long rows = -1;
    assert_int_equal(export_run(s, NULL, 0, f, &rows, &ferr), FB_OK);
    fclose(f);
    assert_int_equal(rows, (long)NRAT);
    assert_int_equal(len, strlen(a));
    assert_memory_equal(buf, a, len);
    free(buf);
    /* Twice on one store: the cached statement is reset properly. */
    f = open_memstream(&buf, &len);
    assert_int_equal(export_run(s, NULL, 0, f, &rows, &ferr), FB_OK);
    fclose(f);
    assert_int_equal(len, strlen(a));
    free(buf);
    store_close(&s);
    free(a);
}

static void test_export_raw(void **state)
{
    (void)state;
    HOLD(db, "raw.db");
    build_hostile_store(db, 0);
    HOLD(out, "raw.csv");
    assert_int_equal(sh("'%s' --db '%s' export --raw -o '%s' 2>/dev/null", bin(), db, out), 0);
    check_csv(db, out, "--raw --rows 23");
    char *a = t_read(out);
    assert_non_null(strstr(a, "\"=HYPERLINK(\"\"http://evil.example\"\""));
    assert_null(strstr(a, "'=HYPERLINK"));
    assert_non_null(strstr(a, ",=C-3,"));
    assert_non_null(strstr(a, ",-5,"));
    assert_null(strstr(a, ",'"));   /* nothing neutralised anywhere */
    free(a);
}

static void test_export_filters(void **state)
{
    (void)state;
    HOLD(db, "filters.db");
    build_hostile_store(db, 0);
    HOLD(out, "f.csv");
    char extra[512];
    /* Decision i is at BASE + i h (odd ones +123 ms; 5 and 6 both at 05:00). */
    static const struct {
        const char *args;     /* for fbreview */
        int64_t since, until; /* for the checker; -1 = none */
        const char *action, *reviewer;
        int rows;
    } cases[] = {
        {"--since 2025-11-20T10:00:00Z", BASE_MS + 10 * 3600000LL, -1, NULL, NULL, 13},
        {"--since=2025-11-20T11:00:00.123Z", BASE_MS + 11 * 3600000LL + 123, -1, NULL, NULL, 12},
        {"--since 2025-11-20T11:00:00.124Z", BASE_MS + 11 * 3600000LL + 124, -1, NULL, NULL, 11},
        {"--until 2025-11-20T05:00:00Z", -1, BASE_MS + 5 * 3600000LL, NULL, NULL, 5},
        {"--until 2025-11-20T05:00:00.001Z", -1, BASE_MS + 5 * 3600000LL + 1, NULL, NULL, 7},
        {"--since 2025-11-20 --until 2025-11-21", BASE_MS, BASE_MS + DAY_MS, NULL, NULL, 23},
        {"--since 2025-11-21", BASE_MS + DAY_MS, -1, NULL, NULL, 0},
        {"--until 2025-11-20", -1, BASE_MS, NULL, NULL, 0},
        {"--since 2025-11-20T12:00:00+02:00", BASE_MS + 10 * 3600000LL, -1, NULL, NULL, 13},
        {"--action block", -1, -1, "block", NULL, 4},
        {"--action=no_violation", -1, -1, "no_violation", NULL, 5},
        {"--reviewer 'Bob, Jr.'", -1, -1, NULL, "Bob, Jr.", 2},
        {"--reviewer '\xe5\x90\x8d\xe5\x89\x8d \xf0\x9f\x98\x80'", -1, -1, NULL,
         "\xe5\x90\x8d\xe5\x89\x8d \xf0\x9f\x98\x80", 2},
        {"--reviewer nobody", -1, -1, NULL, "nobody", 0},
        {"--action suspension --reviewer ann --since 2025-11-20T01:00:00Z", BASE_MS + 3600000, -1,
         "suspension", "ann", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(sh("'%s' --db '%s' export %s -o '%s' 2>/dev/null", bin(), db, cases[i].args, out), 0);
        int n = snprintf(extra, sizeof extra, "--rows %d", cases[i].rows);
        if (cases[i].since >= 0)
            n += snprintf(extra + n, sizeof extra - (size_t)n, " --since %lld", (long long)cases[i].since);
        if (cases[i].until >= 0)
            n += snprintf(extra + n, sizeof extra - (size_t)n, " --until %lld", (long long)cases[i].until);
        if (cases[i].action)
            n += snprintf(extra + n, sizeof extra - (size_t)n, " --action %s", cases[i].action);
        if (cases[i].reviewer)
            snprintf(extra + n, sizeof extra - (size_t)n, " --reviewer '%s'", cases[i].reviewer);
        fprintf(stderr, "filter: %s\n", cases[i].args);
        check_csv(db, out, extra);
    }
    /* No match: just the header. */
    assert_int_equal(sh("'%s' --db '%s' export --reviewer nobody -o '%s' 2>/dev/null", bin(), db, out), 0);
    char *a = t_read(out);
    assert_string_equal(a, header);
    free(a);
}

static void expect_usage(const char *args, const char *needle1, const char *needle2)
{
    char *out = NULL;
    int rc = t_run(&out, "--db '%s' export %s", t_path("usage.db"), args);
    if (rc != 2 || !strstr(out, needle1) || (needle2 && !strstr(out, needle2)))
        fail_msg("export %s: exit %d, said: %s", args, rc, out);
    assert_non_null(strstr(out, "usage: fbreview export"));
    free(out);
}

static void test_export_usage_errors(void **state)
{
    (void)state;
    make_store(t_path("usage.db"));
    expect_usage("--since yesterday", "--since", "\"yesterday\"");
    expect_usage("--since 2026-02-30", "--since", "\"2026-02-30\"");
    expect_usage("--until 2026-11-20T25:00:00Z", "--until", "\"2026-11-20T25:00:00Z\"");
    expect_usage("--until=", "--until", "\"\"");
    expect_usage("--action ban", "\"ban\"", "no_violation, education, suspension, block, escalate");
    expect_usage("--since", "--since needs", NULL);
    expect_usage("-o", "-o needs", NULL);
    expect_usage("--reviewer", "--reviewer needs", NULL);
    expect_usage("--since 2026-11-21 --until 2026-11-20", "--since must be before --until", NULL);
    expect_usage("--bogus", "unknown option \"--bogus\"", NULL);
    expect_usage("stray.csv", "takes no arguments (got \"stray.csv\"; the output file goes after -o)", NULL);
    /* A missing store is a failure (1), not a usage error, and says what to do. */
    char *out = NULL;
    assert_int_equal(t_run(&out, "--db '%s' export", t_path("absent.db")), 1);
    assert_non_null(strstr(out, "absent.db"));
    free(out);
}

/* Names in dir that are not in keep[] (NULL-terminated): temp files left behind. */
static int strays(const char *dir, const char *const *keep)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        int known = 0;
        for (const char *const *k = keep; *k; k++)
            known |= strcmp(e->d_name, *k) == 0;
        if (!known) {
            fprintf(stderr, "stray file: %s/%s\n", dir, e->d_name);
            n++;
        }
    }
    closedir(d);
    return n;
}

static void test_export_atomic(void **state)
{
    (void)state;
    HOLD(db, "atomic.db");
    build_hostile_store(db, 3000);   /* a few hundred KB of CSV */
    HOLD(dir, "outdir");
    assert_int_equal(mkdir(dir, 0755), 0);
    char target[4096], link[4096];
    snprintf(target, sizeof target, "%s/keep.csv", dir);
    snprintf(link, sizeof link, "%s/link.csv", dir);
    FILE *f = fopen(target, "w");
    fputs("OLD CONTENT\n", f);
    fclose(f);
    assert_int_equal(chmod(target, 0640), 0);
    static const char *const keep[] = {"keep.csv", "link.csv", NULL};
    char *out = NULL;

    /* A folder that does not exist: error naming the file, nothing created. */
    assert_int_equal(t_run(&out, "--db '%s' export -o '%s/missing/x.csv'", db, dir), 1);
    assert_non_null(strstr(out, "missing/x.csv"));
    free(out);
    assert_int_equal(access(t_path("outdir/missing"), F_OK), -1);

    /* The disk "fills" half-way (a file size limit makes write() fail with EFBIG): error,
     * the old file intact, no temporary file left beside it. */
    assert_int_equal(sh("ulimit -f 100; trap '' XFSZ; exec '%s' --db '%s' export -o '%s' >'%s' 2>&1", bin(), db,
                        target, t_path("efbig.txt")),
                     1);
    out = t_read(t_path("efbig.txt"));
    assert_non_null(strstr(out, "keep.csv"));
    assert_non_null(strstr(out, "File too large"));
    free(out);
    out = t_read(target);
    assert_string_equal(out, "OLD CONTENT\n");
    free(out);
    assert_int_equal(strays(dir, keep), 0);

    /* A read-only folder (only meaningful when not root: root writes anyway). */
    if (geteuid() != 0) {
        assert_int_equal(chmod(dir, 0555), 0);
        assert_int_equal(t_run(&out, "--db '%s' export -o '%s'", db, target), 1);
        assert_non_null(strstr(out, "keep.csv"));
        free(out);
        assert_int_equal(chmod(dir, 0755), 0);
        out = t_read(target);
        assert_string_equal(out, "OLD CONTENT\n");
        free(out);
        assert_int_equal(strays(dir, keep), 0);
    } else {
        /* Root writes into read-only folders, so run the export as nobody. The checkout
         * (and FB_TEST_TMP) may be where nobody cannot enter (/root): the binary and a copy
         * of the store go into a folder nobody can reach (tests/shared-tmp.sh), the store
         * in a folder it may write (SQLite's -shm), the target in one it may only read. */
        char shared[4096] = "", cmd[4200];
        const char *src = getenv("FB_SRC_DIR");
        snprintf(cmd, sizeof cmd, "'%s/tests/shared-tmp.sh' nobody", src ? src : ".");
        FILE *p = sh("command -v runuser >/dev/null && id nobody >/dev/null 2>&1") == 0 ? popen(cmd, "r") : NULL;
        if (p) {
            if (!fgets(shared, sizeof shared, p))
                shared[0] = '\0';
            shared[strcspn(shared, "\n")] = '\0';
            pclose(p);
        }
        if (!shared[0]) {
            fprintf(stderr, "root, and no other user can reach a temp folder: the read-only-folder case is "
                            "covered by EFBIG above\n");
        } else {
            assert_int_equal(sh("mkdir -p '%s/db' '%s/out' && cp '%s' '%s/db/s.db' && cp '%s' '%s/fbreview'"
                                " && printf 'OLD\\n' >'%s/out/keep.csv' && chown -R nobody '%s/db' '%s/out'"
                                " && chmod 555 '%s/out'",
                                shared, shared, db, shared, bin(), shared, shared, shared, shared, shared),
                             0);
            assert_int_equal(sh("runuser -u nobody -- '%s/fbreview' --db '%s/db/s.db' export -o '%s/out/keep.csv'"
                                " >'%s/ro.txt' 2>&1",
                                shared, shared, shared, shared),
                             1);
            snprintf(cmd, sizeof cmd, "%s/ro.txt", shared);
            out = t_read(cmd);
            assert_non_null(strstr(out, "out/keep.csv"));
            assert_non_null(strstr(out, "Permission denied"));
            free(out);
            snprintf(cmd, sizeof cmd, "%s/out/keep.csv", shared);
            out = t_read(cmd);
            assert_string_equal(out, "OLD\n");
            free(out);
            static const char *const only_keep[] = {"keep.csv", NULL};
            snprintf(cmd, sizeof cmd, "%s/out", shared);
            assert_int_equal(strays(cmd, only_keep), 0);
            assert_int_equal(sh("rm -rf '%s'", shared), 0);
        }
    }

    /* The in-process call (the console's :export) fails the same way. */
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(db, 0, &s, &err), FB_OK);
    long rows = 7;
    assert_int_equal(export_to_path(s, NULL, 0, t_path("outdir/nope/x.csv"), NULL, &rows, &err), FB_EIO);
    assert_non_null(strstr(err.msg, "nope/x.csv"));
    assert_int_equal(rows, 0);
    assert_int_equal(export_to_path(s, NULL, 0, dir, NULL, &rows, &err), FB_EIO);
    assert_non_null(strstr(err.msg, "folder"));

    /* Never over the store itself: refused input (exit 1), known only once the store is open. */
    assert_int_equal(export_to_path(s, NULL, 0, db, NULL, &rows, &err), FB_EINPUT);
    assert_non_null(strstr(err.msg, "the store itself"));
    char wal[4200];
    snprintf(wal, sizeof wal, "%s-wal", db);
    assert_int_equal(access(wal, F_OK), 0);   /* open in WAL mode: the log exists */
    assert_int_equal(export_to_path(s, NULL, 0, wal, NULL, &rows, &err), FB_EINPUT);
    assert_int_equal(t_run(&out, "--db '%s' export -o '%s'", db, db), 1);
    assert_non_null(strstr(out, "the store itself"));
    free(out);

    /* Success replaces the file whole and keeps its mode. */
    assert_int_equal(export_to_path(s, NULL, 0, target, NULL, &rows, &err), FB_OK);
    assert_int_equal(rows, (long)NRAT + 3000);
    struct stat st;
    assert_int_equal(stat(target, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640);
    check_csv(db, target, "--rows 3023");
    assert_int_equal(strays(dir, keep), 0);

    /* A symlink: the file it names is replaced, the link stays a link. */
    char real[4096];
    snprintf(real, sizeof real, "%s/real.csv", t_path("elsewhere"));
    assert_int_equal(mkdir(t_path("elsewhere"), 0755), 0);
    f = fopen(real, "w");
    fputs("OLD\n", f);
    fclose(f);
    assert_int_equal(symlink(real, link), 0);
    assert_int_equal(export_to_path(s, NULL, 0, link, NULL, &rows, &err), FB_OK);
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    check_csv(db, real, "--rows 3023");
    assert_int_equal(strays(dir, keep), 0);
    store_close(&s);

    /* A device is written in place, never renamed over: /dev/null stays /dev/null. */
    assert_int_equal(t_run(&out, "--db '%s' export -o /dev/null", db), 0);
    assert_non_null(strstr(out, "exported 3023 decisions to /dev/null"));
    free(out);
    assert_int_equal(stat("/dev/null", &st), 0);
    assert_true(S_ISCHR(st.st_mode));
}

/* ---- memory: flat whatever the number of decisions ---- */

/* n decisions over 100 cases; with ties, all in one millisecond and inserted in an order
 * unlike their ids, so only an index on (decided_at, id) avoids sorting them. */
static void fill_bulk(const char *path, long n, int ties)
{
    make_store(path);
    sqlite3 *db = db_open(path);
    db_exec(db, "PRAGMA journal_mode=DELETE; PRAGMA synchronous=OFF; BEGIN");
    db_exec(db,
            "WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM k WHERE i < 99)"
            " INSERT INTO \"case\"(id, opened_at, subject, counterparty, contract_id, status, updated_at)"
            " SELECT 'C-' || i, 0, 'u-' || i, 'u-' || (i + 1000), 'J-' || i, 'decided', 0 FROM k");
    sqlite3_stmt *st;
    assert_int_equal(
        sqlite3_prepare_v2(
            db,
            "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM k WHERE i < ?1)"
            " INSERT INTO decision(id, case_id, reviewer, action, violation, days, rationale, rec_action,"
            "  overridden, decided_at, sync_state, synced_at)"
            " SELECT printf('%08x-0000-4000-8000-%012d', CASE WHEN ?3 THEN (i * 7919) % 1000003 ELSE i END, i),"
            "  'C-' || (i % 100), 'reviewer' || (i % 7),"
            "  CASE i % 5 WHEN 0 THEN 'no_violation' WHEN 1 THEN 'education' WHEN 2 THEN 'suspension'"
            "   WHEN 3 THEN 'block' ELSE 'escalate' END,"
            "  CASE WHEN i % 5 IN (1, 2, 3) THEN 'self_hire' END, CASE WHEN i % 5 = 2 THEN 30 END,"
            "  'Rationale ' || i || ', with a comma, \"quotes\" and =formula', 'suspension', i % 2,"
            "  CASE WHEN ?3 THEN ?2 ELSE ?2 + i * 1000 END, CASE WHEN i % 3 = 0 THEN 'synced' ELSE 'pending' END,"
            "  CASE WHEN i % 3 = 0 THEN ?2 + i * 1000 + 500 END"
            " FROM k",
            -1, &st, NULL),
        SQLITE_OK);
    sqlite3_bind_int64(st, 1, n);
    sqlite3_bind_int64(st, 2, BASE_MS);
    sqlite3_bind_int(st, 3, ties);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    db_exec(db, "COMMIT");
    sqlite3_close(db);
}

/* Runs `fbreview --db DB export` with stdout on /dev/null; returns the child's peak RSS
 * in KiB (wait4 reports it for exactly that child). */
static long export_peak_rss(const char *db)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout))
            _exit(126);
        execl(bin(), bin(), "--db", db, "export", (char *)NULL);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    assert_int_equal(wait4(pid, &status, 0, &ru), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    return ru.ru_maxrss;
}

static void test_export_memory_flat(void **state)
{
    (void)state;
    static const long sizes[] = {10000, 100000, 1000000};
    long rss[3];
    for (int i = 0; i < 3; i++) {
        char name[64];
        snprintf(name, sizeof name, "bulk%ld.db", sizes[i]);
        HOLD(db, name);
        fill_bulk(db, sizes[i], 0);
        rss[i] = export_peak_rss(db);
        fprintf(stderr, "export of %7ld decisions: peak RSS %ld KiB\n", sizes[i], rss[i]);
        if (sizes[i] == 1000000) {
            /* And it really did export them all. */
            char *out = NULL;
            assert_int_equal(t_run(&out, "--db '%s' export -o /dev/null", db), 0);
            assert_non_null(strstr(out, "exported 1000000 decisions"));
            free(out);
        }
        unlink(db);
    }
    /* 300,000 decisions in one millisecond: still no sort, still flat. */
    HOLD(tiedb, "ties.db");
    fill_bulk(tiedb, 300000, 1);
    long tie_rss = export_peak_rss(tiedb);
    fprintf(stderr, "export of  300000 decisions sharing one decided_at: peak RSS %ld KiB\n", tie_rss);
    unlink(tiedb);
    if (!t_memory_measurable())
        return;
    assert_true(tie_rss < 32 * 1024);
    assert_true(tie_rss <= rss[1] + 2048);
    /* The budget is 32 MB whatever the store's size. */
    assert_true(rss[2] < 32 * 1024);
    /* Flat: SQLite's page cache (capped at 16 MB by store_open) fills as the scan reads
     * pages, so a tiny store uses less; past that, a 10x larger export costs no more. */
    assert_true(rss[2] <= rss[1] + 2048);
    assert_true(rss[2] <= rss[0] + 20 * 1024);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_writer),
        cmocka_unit_test(test_export_roundtrip),
        cmocka_unit_test(test_export_raw),
        cmocka_unit_test(test_export_filters),
        cmocka_unit_test(test_export_usage_errors),
        cmocka_unit_test(test_export_atomic),
        cmocka_unit_test(test_export_memory_flat),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
