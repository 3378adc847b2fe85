/* Import: every field lands in the store; every kind of bad input is refused with
 * "FILE:LINE: field: problem" and leaves the store unchanged; --skip-bad, stdin,
 * re-import, decided cases, exit codes. Runs the real binary on real SQLite files. */
#include "testlib.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include "fbreview/import.h"
#include "fbreview/store.h"
#include "fbreview/store_case.h"
#include "fbreview/timeutil.h"

/* ---- helpers ---- */

/* t_path and t_write reuse a few static buffers; keep a path beyond the next calls. */
static const char *keep(const char *path)
{
    static char pool[64][4096];
    static int k;
    char *b = pool[k++ % 64];
    snprintf(b, sizeof pool[0], "%s", path);
    return b;
}

/* Two accounts every test line can refer to. */
#define ACCTS "\"accounts\":[{\"id\":\"u-1\",\"role\":\"client\"},{\"id\":\"u-2\",\"role\":\"freelancer\"}]"
#define HEAD(id) "{\"case_id\":\"" id "\",\"opened_at\":\"2026-11-20T10:00:00Z\"," ACCTS
#define GOOD(id) HEAD(id) "}\n"

typedef struct blob {
    char *p;
    size_t n, cap;
} blob;

static void blob_add(blob *b, const void *p, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memcpy(b->p + b->n, p, n);
    b->n += n;
    b->p[b->n] = '\0';
}

/* Every row of every table (FTS shadow tables included), column types and bytes: two
 * equal fingerprints mean an unchanged store. */
static blob fingerprint(const char *db_path)
{
    blob b = {0};
    sqlite3 *db;
    sqlite3_stmt *tables, *rows;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);   /* reads only */
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_schema WHERE type='table' ORDER BY name", -1,
                                        &tables, NULL),
                     SQLITE_OK);
    while (sqlite3_step(tables) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(tables, 0);
        blob_add(&b, name, strlen(name) + 1);
        char *sql = sqlite3_mprintf("SELECT * FROM \"%w\"", name);
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &rows, NULL), SQLITE_OK);
        sqlite3_free(sql);
        while (sqlite3_step(rows) == SQLITE_ROW) {
            for (int i = 0; i < sqlite3_column_count(rows); i++) {
                char tag[32];
                const void *v = sqlite3_column_blob(rows, i);
                int n = sqlite3_column_bytes(rows, i);
                snprintf(tag, sizeof tag, "|%d:%d:", sqlite3_column_type(rows, i), n);
                blob_add(&b, tag, strlen(tag));
                if (v)
                    blob_add(&b, v, (size_t)n);
            }
            blob_add(&b, "\n", 1);
        }
        sqlite3_finalize(rows);
    }
    sqlite3_finalize(tables);
    sqlite3_close(db);
    return b;
}

static void assert_same(const blob *a, const blob *b)
{
    assert_int_equal(a->n, b->n);
    assert_memory_equal(a->p, b->p, a->n);
}

static void assert_contains(const char *out, const char *want)
{
    if (!out || !strstr(out, want)) {
        print_error("expected output to contain:\n  %s\ngot:\n%s\n", want, out ? out : "(null)");
        fail();
    }
}

static fb_case *load_case(const char *db_path, const char *id)
{
    fb_store *s = NULL;
    fb_err err = {0};
    fb_case *c = NULL;
    assert_int_equal(store_open(db_path, 0, &s, &err), FB_OK);
    if (store_case_load(s, id, &c, &err) != FB_OK)
        print_error("%s\n", err.msg);
    assert_non_null(c);
    store_close(&s);
    return c;
}

static int64_t t_ms(const char *rfc3339)
{
    int64_t v = 0;
    assert_int_equal(fb_time_parse(rfc3339, &v), 0);
    return v;
}

static void write_bytes(const char *path, const char *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    /* Nothing from the person running the tests: no config, no default store. */
    setenv("XDG_CONFIG_HOME", t_path("config-home"), 1);
    setenv("HOME", t_path("home"), 1);
    unsetenv("FBREVIEW_DB");
    return 0;
}

/* ---- every field ---- */

static const char rich_line[] =
    "{\"case_id\":\"C-1001\",\"opened_at\":\"2026-11-20T12:00:00.250+02:00\",\"source\":\"rule:fast_feedback\","
    "\"alleged\":\"self_hire\",\"ignored_key\":{\"deep\":[1,2,3]},"
    "\"accounts\":["
    "{\"id\":\"u-1\",\"role\":\"client\",\"name\":\"Acme LLC\",\"country\":\"US\",\"created_at\":\"2025-01-02T00:00:00Z\","
    "\"unknown\":true,"
    "\"prior\":[{\"action\":\"education\",\"violation\":\"paid_feedback\",\"at\":\"2026-03-01T00:00:00Z\"},"
    "{\"action\":\"no_violation\",\"at\":\"2026-04-01T00:00:00Z\"}]},"
    "{\"id\":\"u-2\",\"role\":\"freelancer\",\"name\":\"J. Doe \\u202eevil\\u202c\",\"country\":\"DE\","
    "\"created_at\":\"2026-11-19T00:00:00Z\"},"
    "{\"id\":\"u-3\",\"role\":\"agency\",\"name\":null}],"
    "\"links\":[{\"a\":\"u-1\",\"b\":\"u-2\",\"kind\":\"same_payment_method\",\"detail\":\"card ending 4242\"},"
    "{\"a\":\"u-2\",\"b\":\"u-3\",\"kind\":\"same_team\"}],"
    "\"contract\":{\"id\":\"J-77\",\"client\":\"u-1\",\"freelancer\":\"u-2\",\"title\":\"Logo design\","
    "\"created_at\":\"2026-11-19T09:00:00Z\",\"started_at\":\"2026-11-19T09:05:00Z\","
    "\"ended_at\":\"2026-11-19T09:20:00Z\",\"budget\":\"5.00\",\"currency\":\"USD\"},"
    "\"payments\":[{\"id\":\"P-1\",\"from\":\"u-1\",\"to\":\"u-2\",\"kind\":\"payment\",\"amount\":\"5\",\"currency\":\"USD\","
    "\"at\":\"2026-11-19T09:19:00Z\"},"
    "{\"id\":\"P-2\",\"from\":\"u-2\",\"to\":\"u-1\",\"kind\":\"refund\",\"amount\":\"1200\",\"currency\":\"JPY\","
    "\"at\":\"2026-11-19T09:40:00Z\"},"
    "{\"kind\":\"bonus\",\"amount\":\"0.5\",\"currency\":\"EUR\"},"
    "{\"kind\":\"milestone\",\"amount\":\"1.234\",\"currency\":\"BHD\"}],"
    "\"feedback\":[{\"from\":\"u-1\",\"to\":\"u-2\",\"rating\":5,\"text\":\"Amazing work!\",\"at\":\"2026-11-19T09:21:00Z\"},"
    "{\"from\":\"u-2\",\"to\":\"u-1\",\"rating\":1}],"
    "\"messages\":[{\"from\":\"u-2\",\"to\":\"u-1\",\"at\":\"2026-11-19T09:02:00Z\","
    "\"body\":\"I'll refund you after the 5 stars\"},"
    "{\"from\":\"u-1\",\"to\":\"u-2\",\"body\":\"\\u001b[2J\\u001b]0;pwned\\u0007red\\u001b[31m!\\r\\nline2\\ttab\"},"
    "{\"from\":\"u-2\",\"to\":\"u-1\",\"body\":\"\\u202egnp.exe \\u05e9\\u05dc\\u05d5\\u05dd \\ud83d\\ude00 caf\\u00e9\"}]}";

static void test_every_field(void **state)
{
    (void)state;
    const char *db = keep(t_path("rich.db"));
    const char *in = keep(t_write("rich.jsonl", rich_line));   /* no final newline: still a line */
    char *out = NULL;
    assert_int_equal(t_run(&out, "--db '%s' import '%s'", db, in), 0);
    assert_contains(out, "imported 1 case (0 updated), 0 skipped");
    free(out);

    fb_case *c = load_case(db, "C-1001");
    assert_string_equal(c->id, "C-1001");
    assert_int_equal(c->opened_at, t_ms("2026-11-20T10:00:00.250Z"));
    assert_string_equal(c->source, "rule:fast_feedback");
    assert_int_equal(c->alleged, FB_V_SELF_HIRE);
    assert_int_equal(c->status, FB_CS_OPEN);

    assert_int_equal(c->n_accounts, 3);
    assert_string_equal(c->accounts[0].id, "u-1");
    assert_int_equal(c->accounts[0].role, FB_ROLE_CLIENT);
    assert_string_equal(c->accounts[0].name, "Acme LLC");
    assert_string_equal(c->accounts[0].country, "US");
    assert_int_equal(c->accounts[0].created_at, t_ms("2025-01-02T00:00:00Z"));
    assert_int_equal(c->accounts[0].n_prior, 2);
    assert_int_equal(c->accounts[0].prior[0].action, FB_A_EDUCATION);
    assert_int_equal(c->accounts[0].prior[0].violation, FB_V_PAID_FEEDBACK);
    assert_int_equal(c->accounts[0].prior[0].at, t_ms("2026-03-01T00:00:00Z"));
    assert_int_equal(c->accounts[0].prior[1].action, FB_A_NO_VIOLATION);
    assert_int_equal(c->accounts[0].prior[1].violation, FB_V_NONE);
    assert_int_equal(c->accounts[0].prior[1].at, t_ms("2026-04-01T00:00:00Z"));
    assert_string_equal(c->accounts[1].id, "u-2");
    assert_int_equal(c->accounts[1].role, FB_ROLE_FREELANCER);
    /* bidirectional override kept byte-exact (U+202E, U+202C) */
    assert_string_equal(c->accounts[1].name, "J. Doe \xe2\x80\xae" "evil\xe2\x80\xac");
    assert_string_equal(c->accounts[1].country, "DE");
    assert_int_equal(c->accounts[1].created_at, t_ms("2026-11-19T00:00:00Z"));
    assert_int_equal(c->accounts[1].n_prior, 0);
    assert_string_equal(c->accounts[2].id, "u-3");
    assert_int_equal(c->accounts[2].role, FB_ROLE_AGENCY);
    assert_null(c->accounts[2].name);
    assert_null(c->accounts[2].country);
    assert_int_equal(c->accounts[2].created_at, 0);

    assert_int_equal(c->n_links, 2);
    assert_string_equal(c->links[0].a, "u-1");
    assert_string_equal(c->links[0].b, "u-2");
    assert_int_equal(c->links[0].kind, FB_LINK_SAME_PAYMENT_METHOD);
    assert_string_equal(c->links[0].detail, "card ending 4242");
    assert_int_equal(c->links[1].kind, FB_LINK_SAME_TEAM);
    assert_null(c->links[1].detail);

    assert_true(c->has_contract);
    assert_string_equal(c->contract.id, "J-77");
    assert_string_equal(c->contract.client, "u-1");
    assert_string_equal(c->contract.freelancer, "u-2");
    assert_string_equal(c->contract.title, "Logo design");
    assert_int_equal(c->contract.created_at, t_ms("2026-11-19T09:00:00Z"));
    assert_int_equal(c->contract.started_at, t_ms("2026-11-19T09:05:00Z"));
    assert_int_equal(c->contract.ended_at, t_ms("2026-11-19T09:20:00Z"));
    assert_true(c->contract.has_budget);
    assert_int_equal(c->contract.budget_minor, 500);
    assert_string_equal(c->contract.currency, "USD");

    assert_int_equal(c->n_payments, 4);
    assert_string_equal(c->payments[0].id, "P-1");
    assert_string_equal(c->payments[0].from, "u-1");
    assert_string_equal(c->payments[0].to, "u-2");
    assert_int_equal(c->payments[0].kind, FB_PAY_PAYMENT);
    assert_int_equal(c->payments[0].amount_minor, 500);
    assert_string_equal(c->payments[0].currency, "USD");
    assert_int_equal(c->payments[0].at, t_ms("2026-11-19T09:19:00Z"));
    assert_int_equal(c->payments[1].kind, FB_PAY_REFUND);
    assert_int_equal(c->payments[1].amount_minor, 1200);   /* JPY has no minor unit */
    assert_string_equal(c->payments[1].currency, "JPY");
    assert_int_equal(c->payments[2].kind, FB_PAY_BONUS);
    assert_int_equal(c->payments[2].amount_minor, 50);
    assert_null(c->payments[2].id);
    assert_null(c->payments[2].from);
    assert_int_equal(c->payments[2].at, 0);
    assert_int_equal(c->payments[3].kind, FB_PAY_MILESTONE);
    assert_int_equal(c->payments[3].amount_minor, 1234);  /* BHD has three decimals */

    assert_int_equal(c->n_feedback, 2);
    assert_string_equal(c->feedback[0].from, "u-1");
    assert_string_equal(c->feedback[0].to, "u-2");
    assert_int_equal(c->feedback[0].rating, 5);
    assert_string_equal(c->feedback[0].text, "Amazing work!");
    assert_int_equal(c->feedback[0].at, t_ms("2026-11-19T09:21:00Z"));
    assert_int_equal(c->feedback[1].rating, 1);
    assert_null(c->feedback[1].text);

    assert_int_equal(c->n_messages, 3);
    assert_string_equal(c->messages[0].from, "u-2");
    assert_string_equal(c->messages[0].to, "u-1");
    assert_int_equal(c->messages[0].at, t_ms("2026-11-19T09:02:00Z"));
    assert_string_equal(c->messages[0].body, "I'll refund you after the 5 stars");
    /* escape sequences, BEL, CR LF and tab kept byte-exact */
    assert_string_equal(c->messages[1].body, "\x1b[2J\x1b]0;pwned\x07red\x1b[31m!\r\nline2\ttab");
    assert_int_equal(c->messages[1].at, 0);
    assert_string_equal(c->messages[2].body,
                        "\xe2\x80\xaegnp.exe \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xf0\x9f\x98\x80 caf\xc3\xa9");

    /* derived on ingest */
    assert_string_equal(c->subject, "u-2");
    assert_string_equal(c->counterparty, "u-1");
    fb_case_free(&c);
}

/* ---- bad input: each kind, its exact message, store unchanged ---- */

struct bad_case {
    const char *line;    /* written as line 2, after a good line */
    const char *want;    /* "field: problem" */
};

static const struct bad_case bad_cases[] = {
    /* bad JSON, with jansson's column */
    {"{\"case_id\":\"C-2\",", "json: column 17: string or '}' expected near end of file"},
    {"{\"case_id\":\"C-2\",\"case_id\":\"C-3\"}", "json: column 26: duplicate object key"},
    {"[1,2]", "line: expected a JSON object (one case), got array"},
    /* missing fields */
    {"{\"opened_at\":\"2026-11-20T10:00:00Z\"," ACCTS "}", "case_id: missing"},
    {"{\"case_id\":\"C-2\"," ACCTS "}", "opened_at: missing"},
    {"{\"case_id\":\"C-2\",\"opened_at\":\"2026-11-20T10:00:00Z\"}", "accounts: missing"},
    {"{\"case_id\":\"C-2\",\"opened_at\":\"2026-11-20T10:00:00Z\",\"accounts\":[]}",
     "accounts: empty (a case needs at least one account)"},
    {"{\"case_id\":\"C-2\",\"opened_at\":\"2026-11-20T10:00:00Z\",\"accounts\":[{\"id\":\"u-1\"}]}",
     "accounts[0].role: missing"},
    {HEAD("C-2") ",\"payments\":[{\"kind\":\"payment\",\"amount\":\"5.00\"}]}", "payments[0].currency: missing"},
    {HEAD("C-2") ",\"feedback\":[{\"from\":\"u-1\",\"to\":\"u-2\"}]}", "feedback[0].rating: missing"},
    {HEAD("C-2") ",\"messages\":[{\"from\":\"u-1\",\"to\":\"u-2\"}]}", "messages[0].body: missing"},
    {HEAD("C-2") ",\"contract\":{\"title\":\"x\"}}", "contract.id: missing"},
    {HEAD("C-2") ",\"contract\":{\"id\":\"J-1\",\"budget\":\"5.00\"}}", "contract.currency: missing"},
    {"{\"case_id\":\"C-2\",\"opened_at\":\"2026-11-20T10:00:00Z\",\"accounts\":[{\"id\":\"u-1\",\"role\":\"client\","
     "\"prior\":[{\"action\":\"suspension\",\"at\":\"2026-01-01T00:00:00Z\"}]}]}",
     "accounts[0].prior[0].violation: missing (a prior suspension needs a violation code)"},
    /* mistyped fields */
    {"{\"case_id\":42,\"opened_at\":\"2026-11-20T10:00:00Z\"," ACCTS "}", "case_id: expected a string, got number"},
    {"{\"case_id\":null,\"opened_at\":\"2026-11-20T10:00:00Z\"," ACCTS "}", "case_id: expected a string, got null"},
    {"{\"case_id\":\"C-2\",\"opened_at\":\"2026-11-20T10:00:00Z\",\"accounts\":{}}",
     "accounts: expected an array, got object"},
    {"{\"case_id\":\"C-2\",\"opened_at\":\"2026-11-20T10:00:00Z\",\"accounts\":[\"u-1\"]}",
     "accounts[0]: expected an object, got string"},
    {HEAD("C-2") ",\"contract\":[]}", "contract: expected an object, got array"},
    {HEAD("C-2") ",\"messages\":[{\"from\":\"u-1\",\"to\":\"u-2\",\"body\":true}]}",
     "messages[0].body: expected a string, got boolean"},
    {HEAD("C-2") ",\"feedback\":[{\"from\":\"u-1\",\"to\":\"u-2\",\"rating\":\"5\"}]}",
     "feedback[0].rating: expected an integer 1-5, got string"},
    {HEAD("C-2") ",\"feedback\":[{\"from\":\"u-1\",\"to\":\"u-2\",\"rating\":4.5}]}",
     "feedback[0].rating: expected an integer 1-5, got 4.5"},
    /* unknown enum values */
    {"{\"case_id\":\"C-2\",\"opened_at\":\"2026-11-20T10:00:00Z\",\"accounts\":[{\"id\":\"u-1\",\"role\":\"boss\"}]}",
     "accounts[0].role: unknown role \"boss\" (expected client, freelancer or agency)"},
    {HEAD("C-2") ",\"alleged\":\"spam\"}",
     "alleged: unknown violation code \"spam\" (expected fake_job, self_hire, conflict_of_interest, "
     "paid_feedback, free_work_for_review or feedback_extortion)"},
    {HEAD("C-2") ",\"links\":[{\"a\":\"u-1\",\"b\":\"u-2\",\"kind\":\"same_cat\"}]}",
     "links[0].kind: unknown link kind \"same_cat\" (expected same_device, same_ip, same_payment_method, "
     "same_team, same_address or same_email_pattern)"},
    {HEAD("C-2") ",\"payments\":[{\"kind\":\"tip\",\"amount\":\"5.00\",\"currency\":\"USD\"}]}",
     "payments[0].kind: unknown payment kind \"tip\" (expected payment, bonus, refund or milestone)"},
    {"{\"case_id\":\"C-2\",\"opened_at\":\"2026-11-20T10:00:00Z\",\"accounts\":[{\"id\":\"u-1\",\"role\":\"client\","
     "\"prior\":[{\"action\":\"ban\",\"at\":\"2026-01-01T00:00:00Z\"}]}]}",
     "accounts[0].prior[0].action: unknown action \"ban\" (expected no_violation, education, suspension, block "
     "or escalate)"},
    /* bad times */
    {"{\"case_id\":\"C-2\",\"opened_at\":\"yesterday\"," ACCTS "}", "opened_at: not an RFC 3339 time: \"yesterday\""},
    {"{\"case_id\":\"C-2\",\"opened_at\":\"2026-02-30T10:00:00Z\"," ACCTS "}",
     "opened_at: not an RFC 3339 time: \"2026-02-30T10:00:00Z\""},
    {HEAD("C-2") ",\"messages\":[{\"from\":\"u-1\",\"to\":\"u-2\",\"body\":\"x\",\"at\":\"2026-11-20\"}]}",
     "messages[0].at: not an RFC 3339 time: \"2026-11-20\""},
    /* negative or malformed amounts */
    {HEAD("C-2") ",\"payments\":[{\"kind\":\"payment\",\"amount\":\"5.00\",\"currency\":\"USD\"},"
                 "{\"kind\":\"refund\",\"amount\":\"-5.00\",\"currency\":\"USD\"}]}",
     "payments[1].amount: negative amount \"-5.00\""},
    {HEAD("C-2") ",\"payments\":[{\"kind\":\"payment\",\"amount\":\"5,00\",\"currency\":\"USD\"}]}",
     "payments[0].amount: not a decimal amount: \"5,00\""},
    {HEAD("C-2") ",\"payments\":[{\"kind\":\"payment\",\"amount\":\"5.001\",\"currency\":\"USD\"}]}",
     "payments[0].amount: \"5.001\" has more decimals than USD allows (2)"},
    {HEAD("C-2") ",\"payments\":[{\"kind\":\"payment\",\"amount\":5.0,\"currency\":\"USD\"}]}",
     "payments[0].amount: expected a decimal string such as \"5.00\", got number 5"},
    {HEAD("C-2") ",\"payments\":[{\"kind\":\"payment\",\"amount\":\"99999999999999999999\",\"currency\":\"USD\"}]}",
     "payments[0].amount: amount \"99999999999999999999\" is too large"},
    {HEAD("C-2") ",\"payments\":[{\"kind\":\"payment\",\"amount\":\"5\",\"currency\":\"usd\"}]}",
     "payments[0].currency: not a 3-letter ISO 4217 currency code: \"usd\""},
    {HEAD("C-2") ",\"contract\":{\"id\":\"J-1\",\"budget\":\"-1\",\"currency\":\"USD\"}}",
     "contract.budget: negative amount \"-1\""},
    /* ratings out of range */
    {HEAD("C-2") ",\"feedback\":[{\"from\":\"u-1\",\"to\":\"u-2\",\"rating\":6}]}", "feedback[0].rating: 6 is out of range 1-5"},
    {HEAD("C-2") ",\"feedback\":[{\"from\":\"u-1\",\"to\":\"u-2\",\"rating\":0}]}", "feedback[0].rating: 0 is out of range 1-5"},
    /* accounts the case does not declare */
    {HEAD("C-2") ",\"links\":[{\"a\":\"u-1\",\"b\":\"u-9\",\"kind\":\"same_ip\"}]}",
     "links[0].b: account \"u-9\" is not declared in accounts"},
    {HEAD("C-2") ",\"links\":[{\"a\":\"u-8\",\"b\":\"u-2\",\"kind\":\"same_ip\"}]}",
     "links[0].a: account \"u-8\" is not declared in accounts"},
    {HEAD("C-2") ",\"links\":[{\"a\":\"u-1\",\"b\":\"u-1\",\"kind\":\"same_ip\"}]}",
     "links[0].b: same account as a (\"u-1\"); a link joins two accounts"},
    {HEAD("C-2") ",\"contract\":{\"id\":\"J-1\",\"client\":\"u-7\"}}",
     "contract.client: account \"u-7\" is not declared in accounts"},
    {HEAD("C-2") ",\"contract\":{\"id\":\"J-1\",\"client\":\"u-1\",\"freelancer\":\"u-7\"}}",
     "contract.freelancer: account \"u-7\" is not declared in accounts"},
    {HEAD("C-2") ",\"payments\":[{\"from\":\"u-5\",\"kind\":\"payment\",\"amount\":\"5\",\"currency\":\"USD\"}]}",
     "payments[0].from: account \"u-5\" is not declared in accounts"},
    {HEAD("C-2") ",\"payments\":[{\"from\":\"u-1\",\"to\":\"u-5\",\"kind\":\"payment\",\"amount\":\"5\",\"currency\":\"USD\"}]}",
     "payments[0].to: account \"u-5\" is not declared in accounts"},
    {HEAD("C-2") ",\"feedback\":[{\"from\":\"u-4\",\"to\":\"u-2\",\"rating\":5}]}",
     "feedback[0].from: account \"u-4\" is not declared in accounts"},
    {HEAD("C-2") ",\"feedback\":[{\"from\":\"u-1\",\"to\":\"u-4\",\"rating\":5}]}",
     "feedback[0].to: account \"u-4\" is not declared in accounts"},
    {HEAD("C-2") ",\"messages\":[{\"from\":\"u-1\",\"to\":\"u-2\",\"body\":\"a\"},{\"from\":\"u-3\",\"to\":\"u-2\",\"body\":\"b\"}]}",
     "messages[1].from: account \"u-3\" is not declared in accounts"},
    {HEAD("C-2") ",\"messages\":[{\"from\":\"u-1\",\"to\":\"u-3\",\"body\":\"b\"}]}",
     "messages[0].to: account \"u-3\" is not declared in accounts"},
    /* duplicate account within a case */
    {"{\"case_id\":\"C-2\",\"opened_at\":\"2026-11-20T10:00:00Z\",\"accounts\":[{\"id\":\"u-1\",\"role\":\"client\"},"
     "{\"id\":\"u-2\",\"role\":\"client\"},{\"id\":\"u-1\",\"role\":\"freelancer\"}]}",
     "accounts[2].id: duplicate account \"u-1\" (also accounts[0])"},
    /* ids: empty, control characters (echoed escaped) */
    {"{\"case_id\":\"\",\"opened_at\":\"2026-11-20T10:00:00Z\"," ACCTS "}", "case_id: empty"},
    {"{\"case_id\":\"C-\\u001b[31m\",\"opened_at\":\"2026-11-20T10:00:00Z\"," ACCTS "}",
     "case_id: control character 0x1b in \"C-\\x1b[31m\" (ids must be printable)"},
    {"{\"case_id\":\"C-2\",\"opened_at\":\"2026-11-20T10:00:00Z\",\"accounts\":[{\"id\":\"u-1\",\"role\":\"\\u202eboss\"}]}",
     "accounts[0].role: unknown role \"\\u202eboss\" (expected client, freelancer or agency)"},
    /* invalid UTF-8 (raw bytes) */
    {"{\"case_id\":\"C-2\",\"opened_at\":\"2026-11-20T10:00:00Z\"," ACCTS ",\"source\":\"a\xff\"}",
     "json: invalid UTF-8 at column"},
    {"{\"case_id\":\"C-2\",\"opened_at\":\"2026-11-20T10:00:00Z\"," ACCTS ",\"source\":\"\xc3\x28\"}",
     "json: invalid UTF-8 at column"},
    {"{\"case_id\":\"C-\\ud800\",\"opened_at\":\"2026-11-20T10:00:00Z\"," ACCTS "}",
     "json: column 21: invalid Unicode '\\uD800'"},
    {"{\"case_id\":\"C-\\u0000\",\"opened_at\":\"2026-11-20T10:00:00Z\"," ACCTS "}",
     "json: column 21: \\u0000 (NUL) is not allowed in strings"},
};

static void test_bad_inputs(void **state)
{
    (void)state;
    const char *db = keep(t_path("bad.db"));
    char *out = NULL;
    assert_int_equal(t_run(&out, "--db '%s' import '%s'", db, t_write("base.jsonl", GOOD("C-0"))), 0);
    free(out);
    blob before = fingerprint(db);
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        char name[64], text[4096], want[4096];
        snprintf(name, sizeof name, "bad%zu.jsonl", i);
        snprintf(text, sizeof text, "%s%s\n%s", GOOD("C-1"), bad_cases[i].line, GOOD("C-3"));
        const char *in = keep(t_write(name, text));
        snprintf(want, sizeof want, "%s:2: %s", in, bad_cases[i].want);
        int rc = t_run(&out, "--db '%s' import '%s'", db, in);
        if (rc != 1)
            print_error("case %zu (%s): exit %d\n%s\n", i, bad_cases[i].want, rc, out);
        assert_int_equal(rc, 1);
        assert_contains(out, want);
        /* exactly one bad line, and nothing kept */
        assert_contains(out, "1 bad line of 3; nothing imported, the store is unchanged");
        assert_null(strchr(out, '\x1b'));   /* hostile bytes never reach the terminal */
        free(out);
        blob after = fingerprint(db);
        assert_same(&before, &after);
        free(after.p);
    }
    free(before.p);
}

/* Oversized fields and lines, generated (too long for the table). */
static void test_oversized(void **state)
{
    (void)state;
    const char *db = keep(t_path("big.db"));
    char *out = NULL;
    assert_int_equal(t_run(&out, "--db '%s' import '%s'", db, t_write("base.jsonl", GOOD("C-0"))), 0);
    free(out);
    blob before = fingerprint(db);
    /* Only ids are refused for their length (they are keys, not evidence): every text
     * field is kept (test_large_evidence_kept, test_field_past_the_cap_is_cut). */
    static const struct {
        const char *pre, *post;  /* the long value goes between */
        size_t len;
        const char *want;
    } big[] = {
        {"{\"case_id\":\"", "\",\"opened_at\":\"2026-11-20T10:00:00Z\"," ACCTS "}", 129, "case_id: longer than 128 bytes"},
        {"{\"case_id\":\"C-2\",\"opened_at\":\"2026-11-20T10:00:00Z\",\"accounts\":[{\"id\":\"", "\",\"role\":\"client\"}]}",
         129, "accounts[0].id: longer than 128 bytes"},
    };
    for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
        blob text = {0};
        blob_add(&text, GOOD("C-1"), strlen(GOOD("C-1")));
        blob_add(&text, big[i].pre, strlen(big[i].pre));
        for (size_t k = 0; k < big[i].len; k++)
            blob_add(&text, "x", 1);
        blob_add(&text, big[i].post, strlen(big[i].post));
        blob_add(&text, "\n", 1);
        char name[64], want[256];
        snprintf(name, sizeof name, "big%zu.jsonl", i);
        const char *in = keep(t_path(name));
        write_bytes(in, text.p, text.n);
        snprintf(want, sizeof want, "%s:2: %s", in, big[i].want);
        assert_int_equal(t_run(&out, "--db '%s' import '%s'", db, in), 1);
        assert_contains(out, want);
        free(out);
        free(text.p);
        blob after = fingerprint(db);
        assert_same(&before, &after);
        free(after.p);
    }
    /* At the limits exactly: accepted. */
    char *body = malloc(65537), *id = malloc(129);
    memset(body, 'b', 65536);
    body[65536] = '\0';
    memset(id, 'i', 128);
    id[128] = '\0';
    size_t n = 65536 + 1024;
    char *text = malloc(n);
    snprintf(text, n,
             "{\"case_id\":\"%s\",\"opened_at\":\"2026-11-20T10:00:00Z\"," ACCTS
             ",\"messages\":[{\"from\":\"u-1\",\"to\":\"u-2\",\"body\":\"%s\"}]}\n",
             id, body);
    const char *in = keep(t_path("limits.jsonl"));
    write_bytes(in, text, strlen(text));
    assert_int_equal(t_run(&out, "--db '%s' import '%s'", db, in), 0);
    free(out);
    fb_case *c = load_case(db, id);
    assert_int_equal(strlen(c->messages[0].body), 65536);
    fb_case_free(&c);
    free(text);
    free(body);
    free(id);
    free(before.p);
}

static void blob_s(blob *b, const char *s) { blob_add(b, s, strlen(s)); }

/* ---- size: nothing is refused for it ---- */

/* n characters of varied text (ASCII, 2-, 3- and 4-byte UTF-8, JSON escapes) as a JSON
 * string body into j, and the decoded bytes into raw. */
static void varied_text(size_t n, blob *j, blob *raw)
{
    static const struct { const char *json, *bytes; } pieces[] = {
        {"word ", "word "}, {"caf\u00e9 ", "caf\u00e9 "}, {"\\u00e9", "\u00e9"}, {"\u20ac", "\u20ac"},
        {"\\ud83d\\ude00", "\xf0\x9f\x98\x80"}, {"\\n", "\n"}, {"\\\"", "\""}, {"\xf0\x9f\x8e\x89", "\xf0\x9f\x8e\x89"},
        {"\\\\", "\\"}, {"\\u001b[31m", "\x1b[31m"},
    };
    static const size_t chars[] = {5, 5, 1, 1, 1, 1, 1, 1, 1, 5};
    size_t done = 0;
    for (size_t k = 0; done < n; k++) {
        size_t i = (k * 7 + k / 3) % (sizeof pieces / sizeof pieces[0]);
        if (done + chars[i] > n)
            i = 0;
        if (done + chars[i] > n) {
            blob_s(j, "x");
            blob_s(raw, "x");
            done++;
            continue;
        }
        blob_add(j, pieces[i].json, strlen(pieces[i].json));
        blob_add(raw, pieces[i].bytes, strlen(pieces[i].bytes));
        done += chars[i];
    }
}

static size_t utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

static void sha_hex(const char *p, size_t n, char out[65])
{
    char cmd[4200];
    const char *f = keep(t_path("sha.in"));
    write_bytes(f, p, n);
    snprintf(cmd, sizeof cmd, "sha256sum '%s'", f);
    FILE *pp = popen(cmd, "r");
    assert_non_null(pp);
    assert_non_null(fgets(out, 65, pp));
    pclose(pp);
    out[64] = '\0';
}

/* The case the issue names: a 900,000-character message among 3,000 messages and a
 * 2,000-character name, with a long title, source and feedback: kept whole, no cut. */
static void large_case_line(blob *line, blob *big_raw, blob *name_raw, const char *id)
{
    blob bj = {0}, nj = {0};
    varied_text(900000, &bj, big_raw);
    varied_text(2000, &nj, name_raw);
    blob_s(line, "{\"case_id\":\"");
    blob_add(line, id, strlen(id));
    blob_s(line, "\",\"opened_at\":\"2026-11-20T10:00:00Z\",\"source\":\"");
    for (int i = 0; i < 3000; i++)
        blob_s(line, "s");
    blob_s(line, "\",\"accounts\":[{\"id\":\"u-1\",\"role\":\"client\",\"name\":\"");
    blob_add(line, nj.p, nj.n);
    blob_s(line, "\"},{\"id\":\"u-2\",\"role\":\"freelancer\"}],\"contract\":{\"id\":\"J-1\",\"title\":\"");
    for (int i = 0; i < 5000; i++)
        blob_s(line, "t");
    blob_s(line, "\"},\"feedback\":[{\"from\":\"u-1\",\"to\":\"u-2\",\"rating\":5,\"text\":\"");
    for (int i = 0; i < 100000; i++)
        blob_s(line, "f");
    blob_s(line, "\"}],\"messages\":[");
    for (int i = 0; i < 3000; i++) {
        char m[160];
        if (i)
            blob_s(line, ",");
        if (i == 1234) {
            blob_s(line, "{\"from\":\"u-2\",\"to\":\"u-1\",\"body\":\"");
            blob_add(line, bj.p, bj.n);
            blob_s(line, "\"}");
            continue;
        }
        snprintf(m, sizeof m, "{\"from\":\"u-%d\",\"to\":\"u-%d\",\"body\":\"message %d: please leave 5 stars\"}",
                 1 + i % 2, 2 - i % 2, i);
        blob_add(line, m, strlen(m));
    }
    blob_s(line, "]}\n");
    free(bj.p);
    free(nj.p);
}

static void test_large_evidence_kept(void **state)
{
    (void)state;
    const char *db = keep(t_path("large.db"));
    blob line = {0}, big = {0}, name = {0};
    blob_add(&line, GOOD("C-1"), strlen(GOOD("C-1")));
    large_case_line(&line, &big, &name, "C-BIG");
    const char *in = keep(t_path("large.jsonl"));
    write_bytes(in, line.p, line.n);
    char *out = NULL;
    assert_int_equal(t_run(&out, "--db '%s' import '%s'", db, in), 0);
    free(out);
    fb_case *c = load_case(db, "C-BIG");
    assert_int_equal(c->n_messages, 3000);
    assert_int_equal(utf8_len(c->messages[1234].body), 900000);
    assert_string_equal(c->messages[1234].body, big.p);
    assert_int_equal(utf8_len(c->accounts[0].name), 2000);
    assert_string_equal(c->accounts[0].name, name.p);
    assert_int_equal(strlen(c->contract.title), 5000);
    assert_int_equal(strlen(c->feedback[0].text), 100000);
    assert_int_equal(strlen(c->source), 3000);
    assert_int_equal(c->n_cuts, 0);
    fb_case_free(&c);
    /* --skip-bad keeps it too (it was never bad). */
    const char *db2 = keep(t_path("large2.db"));
    assert_int_equal(t_run(&out, "--db '%s' import --skip-bad '%s'", db2, in), 0);
    assert_contains(out, "imported 2 cases");
    free(out);
    assert_int_equal(t_run(&out, "--db '%s' show C-BIG", db2), 0);
    assert_contains(out, "message 2999: please leave 5 stars");
    free(out);
    free(line.p);
    free(big.p);
    free(name.p);
}

/* A field past LIM_FIELD (16 MiB): the case is imported, the field keeps its start (whole
 * characters) and the record holds the original's length and SHA-256; shown by show and
 * show --json; the document for upstream lists it and reads back the same. */
static void test_field_past_the_cap_is_cut(void **state)
{
    (void)state;
    const size_t cap = (size_t)16 << 20;
    blob bj = {0}, braw = {0}, nj = {0}, nraw = {0}, line = {0};
    varied_text(cap + 1000, &bj, &braw);
    assert_true(braw.n > cap);
    varied_text(cap + 5, &nj, &nraw);
    blob_s(&line, "{\"case_id\":\"C-CUT\",\"opened_at\":\"2026-11-20T10:00:00Z\",\"accounts\":[{\"id\":\"u-1\","
                    "\"role\":\"client\",\"name\":\"");
    blob_add(&line, nj.p, nj.n);
    blob_s(&line, "\"},{\"id\":\"u-2\",\"role\":\"freelancer\"}],\"messages\":[{\"from\":\"u-1\",\"to\":\"u-2\",\"body\":\"short\"},"
                    "{\"from\":\"u-2\",\"to\":\"u-1\",\"body\":\"");
    blob_add(&line, bj.p, bj.n);
    blob_s(&line, "\"}]}");
    char want_body[65], want_name[65];
    sha_hex(braw.p, braw.n, want_body);
    sha_hex(nraw.p, nraw.n, want_name);

    fb_case *c = NULL;
    char *doc = NULL;
    fb_err err = {0};
    assert_int_equal(import_parse_line_doc(line.p, line.n, &c, &doc, &err), FB_OK);
    assert_int_equal(c->n_cuts, 2);
    const fb_cut *k = fb_case_cut(c, "messages[1].body");
    assert_non_null(k);
    assert_int_equal(k->length, braw.n);
    assert_string_equal(k->sha256, want_body);
    size_t kept = strlen(c->messages[1].body);
    assert_int_equal(k->kept, kept);
    assert_true(kept <= cap && kept > cap - 8);
    assert_memory_equal(c->messages[1].body, braw.p, kept);   /* the start, on a character boundary */
    assert_true(((unsigned char)braw.p[kept] & 0xc0) != 0x80);
    k = fb_case_cut(c, "accounts[0].name");
    assert_non_null(k);
    assert_int_equal(k->length, nraw.n);
    assert_string_equal(k->sha256, want_name);
    assert_null(fb_case_cut(c, "messages[0].body"));
    assert_string_equal(c->messages[0].body, "short");
    /* The document for upstream: no marker left, the records in "cut", read back equal. */
    assert_non_null(doc);
    assert_true(strlen(doc) < line.n);
    assert_non_null(strstr(doc, "\"cut\":[{"));
    fb_case *back = NULL;
    assert_int_equal(import_parse_line(doc, strlen(doc), &back, &err), FB_OK);
    assert_int_equal(back->n_cuts, 2);
    assert_string_equal(fb_case_cut(back, "messages[1].body")->sha256, want_body);
    assert_int_equal(fb_case_cut(back, "messages[1].body")->length, braw.n);
    assert_int_equal(fb_case_cut(back, "messages[1].body")->kept, kept);
    assert_string_equal(back->messages[1].body, c->messages[1].body);
    fb_case_free(&back);
    fb_case_free(&c);
    free(doc);

    /* Through the binary: imported, stored with its records, shown. */
    const char *in = keep(t_path("cut.jsonl"));
    blob_s(&line, "\n");
    write_bytes(in, line.p, line.n);
    const char *db = keep(t_path("cut.db"));
    char *out = NULL;
    assert_int_equal(t_run(&out, "--db '%s' import '%s'", db, in), 0);
    free(out);
    c = load_case(db, "C-CUT");
    assert_int_equal(c->n_cuts, 2);
    assert_string_equal(fb_case_cut(c, "messages[1].body")->sha256, want_body);
    fb_case_free(&c);
    assert_int_equal(t_run(&out, "--db '%s' show C-CUT", db), 0);
    assert_contains(out, "Cut on import");
    assert_contains(out, want_body);
    assert_contains(out, want_name);
    char lens[64];
    snprintf(lens, sizeof lens, "of %zu bytes", braw.n);
    assert_contains(out, lens);
    free(out);
    assert_int_equal(t_run(&out, "--db '%s' show C-CUT --json", db), 0);
    assert_contains(out, "\"field\": \"messages[1].body\"");
    assert_contains(out, want_body);
    free(out);
    free(bj.p);
    free(braw.p);
    free(nj.p);
    free(nraw.p);
    free(line.p);
}

/* Past LIM_LINE (64 MiB of text in one line): the first fields are kept whole up to it,
 * each further long field keeps its start; the case is imported. */
static void test_line_past_the_cap(void **state)
{
    (void)state;
    const size_t field = (size_t)14 << 20;
    blob line = {0};
    blob_add(&line, HEAD("C-HUGE") ",\"messages\":[", strlen(HEAD("C-HUGE") ",\"messages\":["));
    char *body = malloc(field);
    memset(body, 'm', field);
    for (int i = 0; i < 6; i++) {
        blob_s(&line, i ? ",{\"from\":\"u-1\",\"to\":\"u-2\",\"body\":\"" : "{\"from\":\"u-1\",\"to\":\"u-2\",\"body\":\"");
        blob_add(&line, body, field);
        blob_s(&line, "\"}");
    }
    blob_s(&line, "]}");
    fb_case *c = NULL;
    fb_err err = {0};
    assert_int_equal(import_parse_line(line.p, line.n, &c, &err), FB_OK);
    assert_int_equal(c->n_messages, 6);
    size_t total = 0;
    for (int i = 0; i < 4; i++)
        assert_int_equal(strlen(c->messages[i].body), field);   /* 56 MiB whole */
    for (int i = 0; i < 6; i++)
        total += strlen(c->messages[i].body);
    assert_true(total <= ((size_t)64 << 20) + ((size_t)64 << 10));
    assert_int_equal(c->n_cuts, 2);
    assert_int_equal(fb_case_cut(c, "messages[4].body")->length, field);
    assert_int_equal(strlen(c->messages[5].body), (size_t)64 << 10);
    fb_case_free(&c);
    free(body);
    free(line.p);
}

/* Structural problems in a long line are still refused, with the field or the byte. */
static void test_long_line_still_checked(void **state)
{
    (void)state;
    const size_t n = ((size_t)16 << 20) + 100;
    static const struct { const char *pre, *tail, *want; } bad_lines[] = {
        {"{\"opened_at\":\"2026-11-20T10:00:00Z\"," ACCTS ",\"source\":\"", "", "case_id: missing"},
        {HEAD("C-1") ",\"opened_at\":\"yesterday\",\"source\":\"", "", "duplicate"},
        {"{\"case_id\":\"C-1\",\"opened_at\":\"yesterday\"," ACCTS ",\"source\":\"", "", "opened_at: not an RFC 3339 time"},
        {HEAD("C-1") ",\"source\":\"", "\\q", "invalid escape"},
        {HEAD("C-1") ",\"source\":\"", "\\u0000", "(NUL) is not allowed"},
        {HEAD("C-1") ",\"source\":\"", "\xff", "invalid UTF-8"},
        {HEAD("C-1") ",\"source\":\"", "\\ud800x", "surrogate"},
        {HEAD("C-1") ",\"source\":\"", "\x01", "control character"},
    };
    for (size_t i = 0; i < sizeof bad_lines / sizeof bad_lines[0]; i++) {
        blob line = {0};
        blob_add(&line, bad_lines[i].pre, strlen(bad_lines[i].pre));
        char *pad = malloc(n);
        memset(pad, 'p', n);
        blob_add(&line, pad, n);
        free(pad);
        blob_add(&line, bad_lines[i].tail, strlen(bad_lines[i].tail));
        blob_s(&line, "\"}");
        fb_case *c = NULL;
        fb_err err = {0};
        assert_int_equal(import_parse_line(line.p, line.n, &c, &err), FB_EINPUT);
        assert_null(c);
        assert_contains(err.msg, bad_lines[i].want);
        free(line.p);
    }
    /* A "cut" member that names no text field of the case is refused. */
    static const char *const bad_cut[] = {
        HEAD("C-1") ",\"cut\":[{\"field\":\"messages[0].body\",\"length\":9,\"sha256\":\"" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"}]}",
        HEAD("C-1") ",\"source\":\"abc\",\"cut\":[{\"field\":\"source\",\"length\":2,\"sha256\":\"" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"}]}",
        HEAD("C-1") ",\"source\":\"abc\",\"cut\":[{\"field\":\"source\",\"length\":9,\"sha256\":\"xyz\"}]}",
    };
    static const char *const bad_cut_want[] = {"cut[0].field", "cut[0].length", "cut[0].sha256"};
    for (size_t i = 0; i < 3; i++) {
        fb_case *c = NULL;
        fb_err err = {0};
        assert_int_equal(import_parse_line(bad_cut[i], strlen(bad_cut[i]), &c, &err), FB_EINPUT);
        assert_contains(err.msg, bad_cut_want[i]);
    }
}

static void test_duplicate_case_in_file(void **state)
{
    (void)state;
    const char *db = keep(t_path("dup.db"));
    const char *in = keep(t_write("dup.jsonl", GOOD("C-1") GOOD("C-2") GOOD("C-1")));
    char *out = NULL;
    assert_int_equal(t_run(&out, "--db '%s' import '%s'", db, in), 1);
    char want[512];
    snprintf(want, sizeof want, "%s:3: case_id: duplicate case \"C-1\" (first on line 1)", in);
    assert_contains(out, want);
    free(out);
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM \"case\""), 0);
}

static void test_many_errors_all_reported(void **state)
{
    (void)state;
    const char *db = keep(t_path("multi.db"));
    char *out = NULL;
    assert_int_equal(t_run(&out, "--db '%s' import '%s'", db, t_write("seed.jsonl", GOOD("C-0"))), 0);
    free(out);
    blob before = fingerprint(db);
    const char *in = keep(t_write("multi.jsonl",
                             GOOD("C-1")
                             "{\"case_id\":42}\n"
                             "\n"
                             GOOD("C-2")
                             "not json\n"
                             HEAD("C-3") ",\"feedback\":[{\"from\":\"u-1\",\"to\":\"u-2\",\"rating\":9}]}\n"
                             GOOD("C-4")));
    assert_int_equal(t_run(&out, "--db '%s' import '%s'", db, in), 1);
    char want[512];
    snprintf(want, sizeof want, "%s:2: case_id: expected a string, got number", in);
    assert_contains(out, want);
    snprintf(want, sizeof want, "%s:5: json: column 3: '[' or '{' expected near 'not'", in);
    assert_contains(out, want);
    snprintf(want, sizeof want, "%s:6: feedback[0].rating: 9 is out of range 1-5", in);
    assert_contains(out, want);
    assert_contains(out, "3 bad lines of 6; nothing imported, the store is unchanged");
    /* lines are reported in file order */
    assert_true(strstr(out, ":2: ") < strstr(out, ":5: "));
    assert_true(strstr(out, ":5: ") < strstr(out, ":6: "));
    free(out);
    blob after = fingerprint(db);
    assert_same(&before, &after);
    free(before.p);
    free(after.p);
}

static void test_skip_bad(void **state)
{
    (void)state;
    const char *db = keep(t_path("skip.db"));
    const char *in = keep(t_write("skip.jsonl", GOOD("C-1") "{\"case_id\":\"C-2\"}\n" GOOD("C-3")));
    char *out = NULL;
    assert_int_equal(t_run(&out, "--db '%s' import --skip-bad '%s'", db, in), 0);
    char want[512];
    snprintf(want, sizeof want, "%s:2: opened_at: missing", in);
    assert_contains(out, want);
    assert_contains(out, "imported 2 cases (0 updated), 1 skipped (1 bad line, 0 already decided)");
    assert_contains(out, "--skip-bad kept the good lines");
    free(out);
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM \"case\" WHERE id IN ('C-1','C-3')"), 2);
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM \"case\""), 2);

    /* Nothing good at all: nothing kept, and that is a failure. */
    blob before = fingerprint(db);
    in = keep(t_write("allbad.jsonl", "{}\n[]\n"));
    assert_int_equal(t_run(&out, "--db '%s' import --skip-bad '%s'", db, in), 1);
    assert_contains(out, "imported 0 cases (0 updated), 2 skipped");
    assert_contains(out, "no good line to keep");
    free(out);
    blob after = fingerprint(db);
    assert_same(&before, &after);
    free(before.p);
    free(after.p);
}

static void test_stdin(void **state)
{
    (void)state;
    const char *db = keep(t_path("stdin.db"));
    const char *in = keep(t_write("stdin.jsonl", GOOD("C-1") GOOD("C-2")));
    char *out = NULL;
    assert_int_equal(t_run(&out, "--db '%s' import - < '%s'", db, in), 0);
    assert_contains(out, "<stdin>: imported 2 cases (0 updated), 0 skipped");
    free(out);
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM \"case\""), 2);
    in = keep(t_write("stdin-bad.jsonl", GOOD("C-3") "{\"case_id\":\"C-4\",\"opened_at\":\"soon\"," ACCTS "}\n"));
    assert_int_equal(t_run(&out, "--db '%s' import - < '%s'", db, in), 1);
    assert_contains(out, "<stdin>:2: opened_at: not an RFC 3339 time: \"soon\"");
    free(out);
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM \"case\""), 2);
}

static void test_crlf_bom_blank_lines(void **state)
{
    (void)state;
    const char *db = keep(t_path("crlf.db"));
    const char *in = keep(t_write("crlf.jsonl", "\xef\xbb\xbf" HEAD("C-1") "}\r\n\r\n   \n" HEAD("C-2") "}\r\n"
                                            "{\"case_id\":7}\r\n"));
    char *out = NULL;
    assert_int_equal(t_run(&out, "--db '%s' import '%s'", db, in), 1);
    char want[512];
    snprintf(want, sizeof want, "%s:5: case_id: expected a string, got number", in);   /* physical line */
    assert_contains(out, want);
    assert_contains(out, "1 bad line of 3;");
    free(out);
    in = keep(t_write("crlf2.jsonl", "\xef\xbb\xbf" HEAD("C-1") "}\r\n\r\n" HEAD("C-2") "}\r\n"));
    assert_int_equal(t_run(&out, "--db '%s' import '%s'", db, in), 0);
    assert_contains(out, "imported 2 cases");
    free(out);
}

static void test_reimport_updates_evidence(void **state)
{
    (void)state;
    const char *db = keep(t_path("re.db"));
    const char *v1 = keep(t_write("v1.jsonl", HEAD("C-1") ",\"messages\":[{\"from\":\"u-1\",\"to\":\"u-2\",\"body\":\"first\"}],"
                                         "\"payments\":[{\"kind\":\"payment\",\"amount\":\"5\",\"currency\":\"USD\"}]}\n"
                                         GOOD("C-2")));
    const char *v2 = keep(t_write("v2.jsonl", HEAD("C-1") ",\"source\":\"rule:v2\",\"messages\":["
                                         "{\"from\":\"u-1\",\"to\":\"u-2\",\"body\":\"second\"},"
                                         "{\"from\":\"u-2\",\"to\":\"u-1\",\"body\":\"third\"}]}\n"
                                         GOOD("C-9")));
    char *out = NULL;
    assert_int_equal(t_run(&out, "--db '%s' import '%s'", db, v1), 0);
    free(out);
    assert_int_equal(t_run(&out, "--db '%s' import '%s'", db, v2), 0);
    assert_contains(out, "imported 2 cases (1 updated), 0 skipped");
    free(out);
    fb_case *c = load_case(db, "C-1");
    assert_string_equal(c->source, "rule:v2");
    assert_int_equal(c->n_messages, 2);
    assert_string_equal(c->messages[0].body, "second");
    assert_string_equal(c->messages[1].body, "third");
    assert_int_equal(c->n_payments, 0);
    fb_case_free(&c);
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM message WHERE case_id='C-1'"), 2);
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM message_fts WHERE message_fts MATCH 'first'"), 0);
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM message_fts WHERE message_fts MATCH 'third'"), 1);
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM \"case\""), 3);
}

/* Contract, payments, feedback, signals and matches live in one JSON row per case
 * (case_evidence): strings that need escaping come back byte for byte, NULLs stay NULL. */
static void test_evidence_round_trip(void **state)
{
    (void)state;
    const char *db = keep(t_path("ev.db"));
    char *out = NULL;
    const char *in = keep(t_write("ev2.jsonl",
        HEAD("C-1") ",\"contract\":{\"id\":\"J-\\\"q\\\\\",\"title\":\"a\\\"b\\\\c\\u0001\\u001b[31m\\u007f\\t\\n"
        "\\u00e9\\ud83d\\ude00 /\\/\"},"
        "\"payments\":[{\"kind\":\"bonus\",\"amount\":\"0\",\"currency\":\"EUR\"}],"
        "\"feedback\":[{\"from\":\"u-1\",\"to\":\"u-2\",\"rating\":5,\"text\":\"\"}]}\n"));
    assert_int_equal(t_run(&out, "--db '%s' import '%s'", db, in), 0);
    free(out);
    fb_case *c = load_case(db, "C-1");
    assert_true(c->has_contract);
    assert_string_equal(c->contract.id, "J-\"q\\");
    assert_string_equal(c->contract.title, "a\"b\\c\x01\x1b[31m\x7f\t\n\xc3\xa9\xf0\x9f\x98\x80 //");
    assert_null(c->contract.client);
    assert_null(c->contract.freelancer);
    assert_int_equal(c->contract.created_at, 0);
    assert_int_equal(c->contract.has_budget, 0);
    assert_int_equal(c->contract.budget_minor, 0);
    assert_string_equal(c->contract.currency, "");
    assert_int_equal(c->n_payments, 1);
    assert_null(c->payments[0].id);
    assert_null(c->payments[0].from);
    assert_int_equal(c->payments[0].kind, FB_PAY_BONUS);
    assert_int_equal(c->payments[0].amount_minor, 0);
    assert_string_equal(c->payments[0].currency, "EUR");
    assert_int_equal(c->payments[0].at, 0);
    assert_int_equal(c->n_feedback, 1);
    assert_string_equal(c->feedback[0].text, "");
    assert_int_equal(c->feedback[0].at, 0);
    fb_case_free(&c);
    /* The views give the old tables' rows. */
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM contract WHERE case_id='C-1' AND id='J-\"q\\' "
                                    "AND budget IS NULL AND currency IS NULL AND created_at IS NULL"), 1);
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM payment WHERE case_id='C-1' AND ord=0 AND kind='bonus' "
                                    "AND amount=0 AND id IS NULL"), 1);
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM feedback WHERE case_id='C-1' AND text=''"), 1);
}

/* Import writes with foreign-key checks off (synchronous stays FULL): a new store, a
 * re-import that replaces evidence, and a case sharing accounts must all pass verify. */
static void test_imported_store_verifies(void **state)
{
    (void)state;
    const char *db = keep(t_path("verify.db"));
    const char *in = keep(t_write("rich.jsonl", rich_line));
    const char *more = keep(t_write("more.jsonl", GOOD("C-2") GOOD("C-3")));
    char *out = NULL;
    for (int i = 0; i < 2; i++) {
        assert_int_equal(t_run(&out, "--db '%s' import '%s'", db, in), 0);
        free(out);
    }
    assert_int_equal(t_run(&out, "--db '%s' import '%s'", db, more), 0);
    free(out);
    assert_int_equal(t_run(&out, "--db '%s' verify", db), 0);
    assert_contains(out, "integrity ok, foreign keys ok");
    free(out);
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM \"case\""), 3);
}

static void test_decided_case_not_replaced(void **state)
{
    (void)state;
    const char *db = keep(t_path("decided.db"));
    char *out = NULL;
    const char *v1 = keep(t_write("d1.jsonl", HEAD("C-1") ",\"messages\":[{\"from\":\"u-1\",\"to\":\"u-2\",\"body\":\"old\"}]}\n"));
    assert_int_equal(t_run(&out, "--db '%s' import '%s'", db, v1), 0);
    free(out);
    t_sql(db, "INSERT INTO decision(id, case_id, reviewer, action, decided_at)"
                 " VALUES ('9b2f4c1e-0000-4000-8000-000000000001','C-1','rev','no_violation',1);"
                 "UPDATE \"case\" SET status='decided' WHERE id='C-1';");
    blob before = fingerprint(db);
    const char *v2 = keep(t_write("d2.jsonl", HEAD("C-1") ",\"messages\":[{\"from\":\"u-1\",\"to\":\"u-2\",\"body\":\"new\"}]}\n"));
    assert_int_equal(t_run(&out, "--db '%s' import '%s'", db, v2), 0);
    char want[512];
    snprintf(want, sizeof want, "%s:1: warning: case C-1 already has a decision", v2);
    assert_contains(out, want);
    assert_contains(out, "imported 0 cases (0 updated), 1 skipped (0 bad lines, 1 already decided)");
    free(out);
    blob after = fingerprint(db);
    assert_same(&before, &after);
    fb_case *c = load_case(db, "C-1");
    assert_string_equal(c->messages[0].body, "old");
    assert_int_equal(c->status, FB_CS_DECIDED);
    fb_case_free(&c);
    free(before.p);
    free(after.p);

    /* A decided case does not make the file bad: the other lines are kept. */
    const char *v3 = keep(t_write("d3.jsonl", GOOD("C-1") GOOD("C-2")));
    assert_int_equal(t_run(&out, "--db '%s' import '%s'", db, v3), 0);
    assert_contains(out, "imported 1 case (0 updated), 1 skipped");
    free(out);
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM \"case\" WHERE id='C-2'"), 1);
}

static void test_exit_codes_and_usage(void **state)
{
    (void)state;
    const char *db = keep(t_path("usage.db"));
    char *out = NULL;
    assert_int_equal(t_run(&out, "--db '%s' import", db), 2);
    assert_contains(out, "usage: fbreview import [--skip-bad] FILE|-");
    free(out);
    assert_int_equal(t_run(&out, "--db '%s' import --frobnicate x.jsonl", db), 2);
    assert_contains(out, "unknown option \"--frobnicate\" (import takes --skip-bad)");
    free(out);
    assert_int_equal(t_run(&out, "--db '%s' import a.jsonl b.jsonl", db), 2);
    assert_contains(out, "one file at a time");
    free(out);
    /* A missing file is a failure, and no store is created for it. */
    assert_int_equal(t_run(&out, "--db '%s' import '%s'", db, t_path("absent.jsonl")), 1);
    assert_contains(out, "cannot read");
    assert_contains(out, "absent.jsonl");
    free(out);
    struct stat sb;
    assert_int_not_equal(stat(db, &sb), 0);
    assert_int_equal(t_run(&out, "--db '%s' import '%s'", db, getenv("FB_TEST_TMP")), 1);
    assert_contains(out, "is a directory");
    free(out);
    assert_int_not_equal(stat(db, &sb), 0);
    /* An empty file imports nothing, successfully. */
    assert_int_equal(t_run(&out, "--db '%s' import '%s'", db, t_write("empty.jsonl", "")), 0);
    assert_contains(out, "imported 0 cases (0 updated), 0 skipped");
    free(out);
}

/* ---- the library directly: decisions about the format ---- */

static void test_parse_line_rules(void **state)
{
    (void)state;
    fb_case *c = NULL;
    fb_err err = {0};
    /* null counts as absent for optional fields; unknown keys are ignored */
    const char *ok = HEAD("C-1") ",\"source\":null,\"alleged\":null,\"links\":null,\"contract\":null,\"x\":[{}]}";
    assert_int_equal(import_parse_line(ok, strlen(ok), &c, &err), FB_OK);
    assert_null(c->source);
    assert_int_equal(c->alleged, FB_V_NONE);
    assert_false(c->has_contract);
    fb_case_free(&c);
    /* messages are "field: problem" without file and line */
    const char *bad = HEAD("C-1") ",\"feedback\":[{\"from\":\"u-1\",\"to\":\"u-2\",\"rating\":6}]}";
    assert_int_equal(import_parse_line(bad, strlen(bad), &c, &err), FB_EINPUT);
    assert_null(c);
    assert_string_equal(err.msg, "feedback[0].rating: 6 is out of range 1-5");
    /* a prior no_violation needs no code; an education does */
    const char *prior = "{\"case_id\":\"C-1\",\"opened_at\":\"2026-11-20T10:00:00Z\",\"accounts\":[{\"id\":\"u-1\","
                        "\"role\":\"client\",\"prior\":[{\"action\":\"no_violation\",\"at\":\"2026-01-01T00:00:00Z\"},"
                        "{\"action\":\"education\",\"violation\":\"fake_job\",\"at\":\"2026-02-01T00:00:00Z\"}]}]}";
    assert_int_equal(import_parse_line(prior, strlen(prior), &c, &err), FB_OK);
    assert_int_equal(c->accounts[0].n_prior, 2);
    assert_int_equal(c->accounts[0].prior[1].violation, FB_V_FAKE_JOB);
    fb_case_free(&c);
    /* a long hostile value is shortened and escaped in the message */
    char line[1024];
    snprintf(line, sizeof line,
             "{\"case_id\":\"C-1\",\"opened_at\":\"%s\\u001b[0m\"," ACCTS "}",
             "9999999999999999999999999999999999999999999999999999999999999999999999999999999999");
    assert_int_equal(import_parse_line(line, strlen(line), &c, &err), FB_EINPUT);
    assert_non_null(strstr(err.msg, "opened_at: not an RFC 3339 time: \"9999"));
    assert_non_null(strstr(err.msg, "...\""));
    assert_null(strchr(err.msg, '\x1b'));
}

/* A callback error stops the stream and is returned; the reader thread is stopped
 * cleanly even while it waits for room in its queue. */
struct stop_ctx {
    long seen;
};

static fb_status stop_after_two(void *vctx, fb_case *c, long line, fb_err *err)
{
    struct stop_ctx *ctx = vctx;
    (void)c;
    if (++ctx->seen == 2)
        return fb_err_set(err, FB_ESTORE, "stopped at line %ld", line);
    return FB_OK;
}

static void test_stream_stops_on_callback_error(void **state)
{
    (void)state;
    const char *p = keep(t_path("many.jsonl"));
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    for (int i = 0; i < 3000; i++)
        fprintf(f, "{\"case_id\":\"C-%d\",\"opened_at\":\"2026-11-20T10:00:00Z\"," ACCTS "}\n", i);
    fclose(f);
    struct stop_ctx ctx = {0};
    import_report rep;
    fb_err err = {0};
    assert_int_equal(import_stream(p, stop_after_two, NULL, &ctx, &rep, &err), FB_ESTORE);
    assert_string_equal(err.msg, "stopped at line 2");
    assert_int_equal(ctx.seen, 2);
    assert_int_equal(rep.cases, 2);
    assert_int_equal(rep.bad, 0);
    /* and the whole file, read to the end */
    ctx.seen = -1000000;
    assert_int_equal(import_stream(p, stop_after_two, NULL, &ctx, &rep, &err), FB_OK);
    assert_int_equal(rep.cases, 3000);
    assert_int_equal(rep.lines, 3000);
}

/* A prepare callback runs in the reader thread on every good case, before the case
 * callback sees it; its failure stops the stream with "FILE:LINE: ...". */
struct prep_ctx {
    long fail_at;      /* the case number (1-based) whose prepare fails; 0: none */
    long *prepared;    /* written by the reader thread only */
};

static fb_status prep_mark(const void *vctx, fb_case *c, fb_err *err)
{
    const struct prep_ctx *ctx = vctx;
    if (++*ctx->prepared == ctx->fail_at)
        return fb_err_set(err, FB_ENOMEM, "signals for case %s: out of memory", c->id);
    c->risk = 42;
    return FB_OK;
}

static fb_status expect_prepared(void *vctx, fb_case *c, long line, fb_err *err)
{
    long *seen = vctx;
    (void)line;
    (*seen)++;
    if (c->risk != 42)
        return fb_err_set(err, FB_EINTERNAL, "case %s was not prepared", c->id);
    return FB_OK;
}

static void test_stream_prepared(void **state)
{
    (void)state;
    const char *p = keep(t_path("prep.jsonl"));
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    for (int i = 0; i < 2000; i++)
        fprintf(f, "{\"case_id\":\"C-%d\",\"opened_at\":\"2026-11-20T10:00:00Z\"," ACCTS "}\n", i);
    fclose(f);
    long prepared = 0, seen = 0;
    struct prep_ctx pc = {0, &prepared};
    import_report rep;
    fb_err err = {0};
    assert_int_equal(import_stream_prepared(p, prep_mark, &pc, expect_prepared, NULL, &seen, &rep, &err), FB_OK);
    assert_int_equal(seen, 2000);
    assert_int_equal(prepared, 2000);
    assert_int_equal(rep.cases, 2000);

    pc = (struct prep_ctx){700, &prepared};
    prepared = seen = 0;
    assert_int_equal(import_stream_prepared(p, prep_mark, &pc, expect_prepared, NULL, &seen, &rep, &err), FB_ENOMEM);
    assert_int_equal(seen, 699);
    char want[4200];
    snprintf(want, sizeof want, "%s:700: signals for case C-699: out of memory", p);
    assert_string_equal(err.msg, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_every_field, setup),
        cmocka_unit_test_setup(test_bad_inputs, setup),
        cmocka_unit_test_setup(test_oversized, setup),
        cmocka_unit_test_setup(test_large_evidence_kept, setup),
        cmocka_unit_test_setup(test_field_past_the_cap_is_cut, setup),
        cmocka_unit_test_setup(test_line_past_the_cap, setup),
        cmocka_unit_test_setup(test_long_line_still_checked, setup),
        cmocka_unit_test_setup(test_duplicate_case_in_file, setup),
        cmocka_unit_test_setup(test_many_errors_all_reported, setup),
        cmocka_unit_test_setup(test_skip_bad, setup),
        cmocka_unit_test_setup(test_stdin, setup),
        cmocka_unit_test_setup(test_crlf_bom_blank_lines, setup),
        cmocka_unit_test_setup(test_reimport_updates_evidence, setup),
        cmocka_unit_test_setup(test_decided_case_not_replaced, setup),
        cmocka_unit_test_setup(test_exit_codes_and_usage, setup),
        cmocka_unit_test_setup(test_parse_line_rules, setup),
        cmocka_unit_test_setup(test_stream_stops_on_callback_error, setup),
        cmocka_unit_test_setup(test_imported_store_verifies, setup),
        cmocka_unit_test_setup(test_evidence_round_trip, setup),
        cmocka_unit_test_setup(test_stream_prepared, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
