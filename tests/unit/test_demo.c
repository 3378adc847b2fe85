/* Demo data: a pure function of (seed, index), the same store for the same seed, every
 * code/link/payment kind/ladder rung present, a store with cases refused untouched,
 * bounded memory. Real SQLite files and the real binary; no mocks. */
#include "testlib.h"

#include <nettle/sha2.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include "fbreview/config.h"
#include "fbreview/demo.h"
#include "fbreview/ingest.h"
#include "fbreview/store.h"

/* ---- helpers ---- */

static void h_str(struct sha256_ctx *h, const char *s)
{
    s = s ? s : "\x01(null)";
    sha256_update(h, strlen(s) + 1, (const uint8_t *)s);   /* the NUL separates fields */
}

static void h_int(struct sha256_ctx *h, int64_t v)
{
    char b[32];
    snprintf(b, sizeof b, "%lld", (long long)v);
    h_str(h, b);
}

/* A canonical text of everything demo_case produced, hashed. */
static void case_hash(const fb_case *c, fb_violation truth, uint8_t out[SHA256_DIGEST_SIZE])
{
    struct sha256_ctx h;
    sha256_init(&h);
    h_str(&h, c->id);
    h_int(&h, c->opened_at);
    h_str(&h, c->source);
    h_int(&h, c->alleged);
    h_int(&h, truth);
    for (size_t i = 0; i < c->n_accounts; i++) {
        const fb_account *a = &c->accounts[i];
        h_str(&h, a->id);
        h_int(&h, a->role);
        h_str(&h, a->name);
        h_str(&h, a->country);
        h_int(&h, a->created_at);
        for (size_t j = 0; j < a->n_prior; j++) {
            h_int(&h, a->prior[j].action);
            h_int(&h, a->prior[j].violation);
            h_int(&h, a->prior[j].at);
        }
    }
    for (size_t i = 0; i < c->n_links; i++) {
        h_str(&h, c->links[i].a);
        h_str(&h, c->links[i].b);
        h_int(&h, c->links[i].kind);
        h_str(&h, c->links[i].detail);
    }
    h_int(&h, c->has_contract);
    if (c->has_contract) {
        const fb_contract *k = &c->contract;
        h_str(&h, k->id);
        h_str(&h, k->client);
        h_str(&h, k->freelancer);
        h_str(&h, k->title);
        h_int(&h, k->created_at);
        h_int(&h, k->started_at);
        h_int(&h, k->ended_at);
        h_int(&h, k->has_budget);
        h_int(&h, k->budget_minor);
        h_str(&h, k->currency);
    }
    for (size_t i = 0; i < c->n_payments; i++) {
        const fb_payment *p = &c->payments[i];
        h_str(&h, p->id);
        h_str(&h, p->from);
        h_str(&h, p->to);
        h_int(&h, p->kind);
        h_int(&h, p->amount_minor);
        h_str(&h, p->currency);
        h_int(&h, p->at);
    }
    for (size_t i = 0; i < c->n_feedback; i++) {
        const fb_feedback *f = &c->feedback[i];
        h_str(&h, f->from);
        h_str(&h, f->to);
        h_int(&h, f->rating);
        h_str(&h, f->text);
        h_int(&h, f->at);
    }
    for (size_t i = 0; i < c->n_messages; i++) {
        const fb_message *m = &c->messages[i];
        h_str(&h, m->from);
        h_str(&h, m->to);
        h_int(&h, m->at);
        h_str(&h, m->body);
    }
    sha256_digest(&h, SHA256_DIGEST_SIZE, out);
}

/* SHA-256 over an ordered dump of every evidence table (and the case rows without
 * updated_at, which records when the row was written, not what it says). */
static void store_hash(const char *path, uint8_t out[SHA256_DIGEST_SIZE])
{
    static const char *const queries[] = {
        "SELECT id, opened_at, source, alleged, risk, suggested, status, subject, counterparty,"
        " contract_id, origin FROM \"case\" ORDER BY id",
        "SELECT * FROM account ORDER BY id",
        "SELECT * FROM case_account ORDER BY case_id, account_id",
        "SELECT * FROM account_link ORDER BY id",
        "SELECT * FROM contract ORDER BY case_id",
        "SELECT * FROM payment ORDER BY case_id, ord",
        "SELECT * FROM feedback ORDER BY case_id, ord",
        "SELECT * FROM message ORDER BY id",
        "SELECT * FROM signal ORDER BY case_id, ord",
        "SELECT * FROM message_match ORDER BY case_id, message_ord, start",
        "SELECT * FROM prior_action ORDER BY id",
        "SELECT rowid FROM message_fts WHERE message_fts MATCH 'review' ORDER BY rowid",
    };
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    struct sha256_ctx h;
    sha256_init(&h);
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db, queries[q], -1, &st, NULL), SQLITE_OK);
        int64_t rows = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int i = 0; i < sqlite3_column_count(st); i++)
                h_str(&h, (const char *)sqlite3_column_text(st, i));
            rows++;
        }
        h_int(&h, rows);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    sha256_digest(&h, SHA256_DIGEST_SIZE, out);
}

static int64_t q_int(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int64_t v = -1;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void fill(const char *path, int64_t n, uint64_t seed, fb_demo_counts *counts)
{
    fb_store *s = NULL;
    fb_err err = {0};
    fb_config *cfg = config_defaults();
    assert_int_equal(store_open(path, STORE_CREATE, &s, &err), FB_OK);
    if (demo_fill_counted(s, n, seed, FB_DEMO_BASE_MS, counts, &err) != FB_OK)
        fail_msg("demo_fill: %s", err.msg);
    store_close(&s);
    config_free(&cfg);
}

/* Strict UTF-8: no overlongs, no surrogates, nothing above U+10FFFF. */
static int utf8_valid(const unsigned char *s)
{
    while (*s) {
        unsigned c = *s;
        int n = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : -1;
        if (n < 0 || (n == 1 && c < 0xc2) || (n == 3 && c > 0xf4))
            return 0;
        unsigned cp = n == 0 ? c : c & (0x3f >> n);
        for (int i = 1; i <= n; i++) {
            if ((s[i] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i] & 0x3f);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
            return 0;
        s += n + 1;
    }
    return 1;
}

/* ---- tests ---- */

static void test_case_is_pure(void **state)
{
    (void)state;
    for (int64_t idx = 1; idx <= 400; idx++) {
        fb_case *a = NULL, *b = NULL, *other_seed = NULL;
        fb_violation ta = FB_V_COUNT, tb = FB_V_COUNT, to = FB_V_COUNT;
        fb_err err = {0};
        assert_int_equal(demo_case(7, idx, &a, &ta, &err), FB_OK);
        assert_int_equal(demo_case(7, idx, &b, &tb, &err), FB_OK);
        assert_int_equal(demo_case(8, idx, &other_seed, &to, &err), FB_OK);
        uint8_t ha[SHA256_DIGEST_SIZE], hb[SHA256_DIGEST_SIZE], ho[SHA256_DIGEST_SIZE];
        case_hash(a, ta, ha);
        case_hash(b, tb, hb);
        case_hash(other_seed, to, ho);
        assert_memory_equal(ha, hb, sizeof ha);
        assert_memory_not_equal(ha, ho, sizeof ha);
        char id[32];
        snprintf(id, sizeof id, "C-%07lld", (long long)idx);
        assert_string_equal(a->id, id);
        /* Opened in the 6 days before the fixed now; evidence before the case opened. */
        assert_true(a->opened_at < FB_DEMO_BASE_MS);
        assert_true(a->opened_at >= FB_DEMO_BASE_MS - 6 * 24 * 3600 * INT64_C(1000));
        assert_true(a->n_accounts >= 2);
        assert_true(a->has_contract);
        assert_true(a->contract.created_at <= a->contract.started_at);
        assert_true(a->contract.started_at < a->contract.ended_at);
        for (size_t i = 0; i < a->n_feedback; i++) {
            assert_true(a->feedback[i].rating >= 1 && a->feedback[i].rating <= 5);
            assert_true(a->feedback[i].at < a->opened_at);
        }
        for (size_t i = 0; i < a->n_payments; i++)
            assert_true(a->payments[i].at < a->opened_at);
        for (size_t i = 1; i < a->n_messages; i++)
            assert_true(a->messages[i - 1].at < a->messages[i].at);
        for (size_t i = 0; i < a->n_messages; i++)
            assert_true(utf8_valid((const unsigned char *)a->messages[i].body));
        fb_case_free(&a);
        fb_case_free(&b);
        fb_case_free(&other_seed);
    }
}

static void test_index_out_of_range(void **state)
{
    (void)state;
    fb_case *c = NULL;
    fb_err err = {0};
    assert_int_equal(demo_case(1, -1, &c, NULL, &err), FB_EINPUT);
    assert_null(c);
    assert_non_null(strstr(err.msg, "out of range"));
}

static void test_same_seed_same_store(void **state)
{
    (void)state;
    const char *a = t_path("seed42a.db"), *b = t_path("seed42b.db"), *c = t_path("seed43.db");
    fill(a, 3000, 42, NULL);
    fill(b, 3000, 42, NULL);
    fill(c, 3000, 43, NULL);
    uint8_t ha[SHA256_DIGEST_SIZE], hb[SHA256_DIGEST_SIZE], hc[SHA256_DIGEST_SIZE];
    store_hash(a, ha);
    store_hash(b, hb);
    store_hash(c, hc);
    assert_memory_equal(ha, hb, sizeof ha);
    assert_memory_not_equal(ha, hc, sizeof ha);
    assert_int_equal(q_int(a, "SELECT count(*) FROM \"case\""), 3000);
}

static void test_coverage_in_2000_cases(void **state)
{
    (void)state;
    const char *p = t_path("cover.db");
    fb_demo_counts k;
    fill(p, 2000, 1, &k);

    /* Ground truth: every code, and a good share of honest requests. */
    int64_t total = k.honest;
    for (int v = 0; v < FB_V_COUNT; v++) {
        assert_true(k.by_code[v] >= 100);   /* >= 5% each */
        total += k.by_code[v];
    }
    assert_int_equal(total, 2000);
    assert_true(k.honest >= 2000 * 22 / 100 && k.honest <= 2000 * 33 / 100);

    /* alleged = truth for most, not all, violating cases. */
    int64_t same = 0, violating = 0, hostile = 0, msgs = 0;
    for (int64_t i = 1; i <= 2000; i++) {
        fb_case *c = NULL;
        fb_violation truth;
        fb_err err = {0};
        assert_int_equal(demo_case(1, i, &c, &truth, &err), FB_OK);
        if (truth != FB_V_NONE) {
            violating++;
            same += c->alleged == truth;
        }
        for (size_t m = 0; m < c->n_messages; m++, msgs++)
            hostile += strchr(c->messages[m].body, '\x1b') || strstr(c->messages[m].body, "\xe2\x80\xae") ||
                       strstr(c->messages[m].body, "\xe2\x80\x8b") || strstr(c->messages[m].body, "\xc2\x9b");
        fb_case_free(&c);
    }
    assert_true(same * 100 >= violating * 78 && same * 100 <= violating * 92);
    assert_true(hostile > 0 && hostile * 100 < msgs * 2);   /* present, and rare (~1%) */

    /* Every link kind and payment kind. */
    static const char *const link_kinds[] = {"same_device", "same_ip", "same_payment_method", "same_team",
                                             "same_address", "same_email_pattern"};
    char sql[256];
    for (size_t i = 0; i < 6; i++) {
        snprintf(sql, sizeof sql, "SELECT count(*) FROM account_link WHERE kind='%s'", link_kinds[i]);
        assert_true(q_int(p, sql) > 0);
    }
    assert_true(q_int(p, "SELECT count(*) FROM account_link WHERE detail='card ending 4242'") > 0);
    static const char *const pay_kinds[] = {"payment", "bonus", "refund", "milestone"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(sql, sizeof sql, "SELECT count(*) FROM payment WHERE kind='%s'", pay_kinds[i]);
        assert_true(q_int(p, sql) > 0);
    }
    /* Zero-value contracts and minute-long ones. */
    assert_true(q_int(p, "SELECT count(*) FROM contract WHERE budget=0") > 0);
    assert_true(q_int(p, "SELECT count(*) FROM contract WHERE ended_at - started_at < 30*60000") > 0);

    /* Every rung of the ladder: subjects with 0, 1 and 2+ earlier violations, and a block. */
    static const char ladder[] =
        "SELECT count(*) FROM (SELECT c.id, (SELECT count(*) FROM prior_action p WHERE p.account_id=c.subject"
        " AND p.action IN ('education','suspension','block')) AS n FROM \"case\" c) WHERE %s";
    snprintf(sql, sizeof sql, ladder, "n=0");
    assert_true(q_int(p, sql) > 0);
    snprintf(sql, sizeof sql, ladder, "n=1");
    assert_true(q_int(p, sql) > 0);
    snprintf(sql, sizeof sql, ladder, "n>=2");
    assert_true(q_int(p, sql) > 0);
    assert_true(q_int(p, "SELECT count(*) FROM \"case\" c JOIN prior_action p ON p.account_id=c.subject"
                         " WHERE p.action='block'") > 0);

    /* Shared accounts: subjects with several open cases, accounts linked in several cases. */
    assert_true(q_int(p, "SELECT count(*) FROM (SELECT subject FROM \"case\" GROUP BY subject HAVING count(*) >= 2)") > 0);
    assert_true(q_int(p, "SELECT count(*) FROM (SELECT b FROM account_link GROUP BY b HAVING count(DISTINCT case_id) >= 2)") > 0);
    /* Self-hire second accounts are new: some account made less than a week before its contract. */
    assert_true(q_int(p, "SELECT count(*) FROM contract k JOIN account a ON a.id=k.client"
                         " WHERE k.created_at - a.created_at BETWEEN 0 AND 7*86400000") > 0);
    /* Messages are searchable. */
    assert_true(q_int(p, "SELECT count(*) FROM message_fts WHERE message_fts MATCH 'review'") > 0);

    /* Written in bulk mode (foreign-key checks off), yet nothing dangles. */
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(p, 0, &s, &err), FB_OK);
    assert_int_equal(store_check_integrity(s, &err), FB_OK);
    store_close(&s);
    assert_int_equal(q_int(p, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
}

static void test_refuses_store_with_cases(void **state)
{
    (void)state;
    const char *p = t_path("twice.db");
    char *out = NULL;
    assert_int_equal(t_run(&out, "--db '%s' demo --cases 50 --seed 9 --no-ui", p), 0);
    assert_non_null(strstr(out, "demo: 50 cases (seed 9)"));
    assert_non_null(strstr(out, "honest"));
    free(out);
    uint8_t before[SHA256_DIGEST_SIZE], after[SHA256_DIGEST_SIZE];
    store_hash(p, before);
    assert_int_equal(t_run(&out, "--db '%s' demo --cases 10 --seed 3 --no-ui", p), 1);
    assert_non_null(strstr(out, "already has 50 cases"));
    assert_non_null(strstr(out, "use a new --db"));
    free(out);
    store_hash(p, after);
    assert_memory_equal(before, after, sizeof before);
    assert_int_equal(q_int(p, "SELECT count(*) FROM \"case\""), 50);
}

static void test_usage_errors(void **state)
{
    (void)state;
    char p[4096];   /* t_path's buffers rotate: keep our own copy across the runs below */
    snprintf(p, sizeof p, "%s", t_path("usage.db"));
    static const char *const bad[] = {"--cases abc", "--cases 0", "--cases -5", "--seed", "--seed x1",
                                      "--frobnicate", "--cases 200000000", "--now yesterday",
                                      "--now 2026-02-30T00:00:00Z", "--now"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *out = NULL;
        assert_int_equal(t_run(&out, "--db '%s' demo %s --no-ui", p, bad[i]), 2);
        assert_non_null(strstr(out, "usage: fbreview demo"));
        free(out);
    }
    FILE *f = fopen(p, "rb");   /* a usage error creates no store */
    assert_null(f);
    /* --opt=VALUE works too, and the output is the same for the same arguments. */
    char *o1 = NULL, *o2 = NULL;
    assert_int_equal(t_run(&o1, "--db '%s' demo --cases=30 --seed=5 --no-ui", t_path("eq1.db")), 0);
    assert_int_equal(t_run(&o2, "--db '%s' demo --cases=30 --seed=5 --no-ui", t_path("eq2.db")), 0);
    assert_non_null(strstr(o1, "demo: 30 cases (seed 5)"));
    assert_string_equal(strstr(o1, "honest"), strstr(o2, "honest"));
    free(o1);
    free(o2);
}

/* Dates are relative to now: the whole case moves with it, and a demo made at any moment
 * looks like a working day with the default 48-hour SLA: most cases opened within the
 * day, some due within hours, a few late, none older than six days or in the future. */
static void test_dates_follow_now(void **state)
{
    (void)state;
    const int64_t h = 3600 * INT64_C(1000), now1 = FB_DEMO_BASE_MS + 9 * h + 17 * 60000;
    const int64_t now2 = now1 + 400 * 24 * h;
    int fresh = 0, near_sla = 0, late = 0, n = 2000;
    for (int64_t i = 1; i <= n; i++) {
        fb_case *a = NULL, *b = NULL;
        fb_err err = {0};
        assert_int_equal(demo_case_at(3, i, now1, &a, NULL, &err), FB_OK);
        assert_int_equal(demo_case_at(3, i, now2, &b, NULL, &err), FB_OK);
        int64_t d = now2 - now1, age = now1 - a->opened_at;
        assert_int_equal(b->opened_at - a->opened_at, d);
        assert_int_equal(b->contract.created_at - a->contract.created_at, d);
        for (size_t k = 0; k < a->n_messages; k++)
            assert_int_equal(b->messages[k].at - a->messages[k].at, d);
        for (size_t k = 0; k < a->n_accounts; k++) {
            assert_int_equal(b->accounts[k].created_at - a->accounts[k].created_at, d);
            for (size_t j = 0; j < a->accounts[k].n_prior; j++)
                assert_int_equal(b->accounts[k].prior[j].at - a->accounts[k].prior[j].at, d);
        }
        assert_true(age > 0 && age <= 6 * 24 * h);
        fresh += age < 20 * h;
        near_sla += age >= 38 * h && age < 48 * h;
        late += age > 48 * h;
        fb_case_free(&a);
        fb_case_free(&b);
    }
    assert_true(fresh * 100 >= n * 50 && fresh * 100 <= n * 70);
    assert_true(near_sla * 100 >= n * 5 && near_sla * 100 <= n * 15);
    assert_true(late * 100 >= n * 4 && late * 100 <= n * 12);

    /* --now pins them: the same arguments make the same store, another --now moves it. */
    const char *p1 = t_path("now1.db"), *p2 = t_path("now2.db"), *p3 = t_path("now3.db");
    char *out = NULL;
    assert_int_equal(t_run(&out, "--db '%s' demo --cases 40 --now 2026-11-24T09:00:00Z --no-ui", p1), 0);
    free(out);
    assert_int_equal(t_run(&out, "--db '%s' demo --cases 40 --now 2026-11-24T09:00:00Z --no-ui", p2), 0);
    free(out);
    assert_int_equal(t_run(&out, "--db '%s' demo --cases 40 --now 2027-03-01T09:00:00Z --no-ui", p3), 0);
    free(out);
    uint8_t h1[SHA256_DIGEST_SIZE], h2[SHA256_DIGEST_SIZE], h3[SHA256_DIGEST_SIZE];
    store_hash(p1, h1);
    store_hash(p2, h2);
    store_hash(p3, h3);
    assert_memory_equal(h1, h2, sizeof h1);
    assert_memory_not_equal(h1, h3, sizeof h1);
    assert_true(q_int(p1, "SELECT max(opened_at) FROM \"case\"") < INT64_C(1795510800000));   /* 2026-11-24T09:00Z */
    assert_true(q_int(p3, "SELECT min(opened_at) FROM \"case\"") > INT64_C(1795510800000));
}

/* Some cases only show their violation together: rings across cases and accounts joined
 * through a third one. In a filled store each of them carries a cross-case signal, and the
 * unclear honest cases are there in a fair share. */
static void test_cross_case_groups(void **state)
{
    (void)state;
    const char *p = t_path("groups.db");
    fb_demo_counts k;
    fill(p, 3000, 1, &k);
    assert_true(k.cross_case >= 30);
    assert_true(k.ambiguous * 100 >= 3000 * 3 && k.ambiguous * 100 <= 3000 * 12);
    assert_true(q_int(p, "SELECT count(*) FROM signal WHERE code='ring_of_three'") > 0);
    assert_true(q_int(p, "SELECT count(*) FROM signal WHERE code='ring_hired_each_other'") > 0);
    assert_true(q_int(p, "SELECT count(*) FROM signal WHERE code='cluster_joins_parties'") > 0);
    int64_t grouped = 0;
    for (int64_t i = 1; i <= 3000; i++) {
        fb_case *c = NULL;
        fb_demo_truth t;
        fb_err err = {0};
        assert_int_equal(demo_case_at(1, i, FB_DEMO_BASE_MS, &c, &t, &err), FB_OK);
        if (t.cross_case) {
            char sql[256];
            snprintf(sql, sizeof sql,
                     "SELECT count(*) FROM signal WHERE case_id='%s' AND code IN ('ring_of_three',"
                     "'ring_hired_each_other','cluster_joins_parties','cluster_across_cases')", c->id);
            if (q_int(p, sql) == 0)
                fail_msg("%s is in a cross-case group but has no cross-case signal", c->id);
            grouped++;
        }
        fb_case_free(&c);
    }
    assert_int_equal(grouped, k.cross_case);
}

static void test_pipeline_equals_plain_ingest(void **state)
{
    (void)state;
    /* demo_fill saves on one thread what another prepared; a plain ingest_case loop must
     * give the very same store. */
    const char *a = t_path("piped.db"), *b = t_path("plain.db");
    fill(a, 1500, 11, NULL);
    fb_store *s = NULL;
    fb_ingest *in = NULL;
    fb_err err = {0};
    fb_config *cfg = config_defaults();
    assert_int_equal(store_open(b, STORE_CREATE, &s, &err), FB_OK);
    assert_int_equal(ingest_open(s, &in, &err), FB_OK);
    assert_int_equal(store_begin(s, &err), FB_OK);
    for (int64_t i = 1; i <= 1500; i++) {
        fb_case *c = NULL;
        assert_int_equal(demo_case(11, i, &c, NULL, &err), FB_OK);
        assert_int_equal(ingest_case(in, c, "local", &err), FB_OK);
        fb_case_free(&c);
    }
    assert_int_equal(ingest_flush(in, NULL, &err), FB_OK);
    assert_int_equal(store_commit(s, &err), FB_OK);
    ingest_close(&in);
    store_close(&s);
    config_free(&cfg);
    uint8_t ha[SHA256_DIGEST_SIZE], hb[SHA256_DIGEST_SIZE];
    store_hash(a, ha);
    store_hash(b, hb);
    assert_memory_equal(ha, hb, sizeof ha);
    assert_true(q_int(a, "SELECT count(*) FROM signal") > 0);
}

static void test_failure_rolls_back_the_batch(void **state)
{
    (void)state;
    /* A decided case C-0000004 sits in the way: the fill stops there with a clear error,
     * the batch in progress is rolled back, and the generator thread is stopped cleanly. */
    const char *p = t_path("blocked.db");
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(p, STORE_CREATE, &s, &err), FB_OK);
    store_close(&s);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO \"case\"(id, opened_at, updated_at) VALUES ('C-0000004', 1, 1);"
                                  "INSERT INTO decision(id, case_id, reviewer, action, decided_at)"
                                  " VALUES ('d-1', 'C-0000004', 'ann', 'no_violation', 1);",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    fb_config *cfg = config_defaults();
    assert_int_equal(store_open(p, 0, &s, &err), FB_OK);
    assert_int_equal(demo_fill(s, 3000, 1, &err), FB_ECONFLICT);
    assert_non_null(strstr(err.msg, "C-0000004"));
    store_close(&s);
    config_free(&cfg);
    assert_int_equal(q_int(p, "SELECT count(*) FROM \"case\""), 1);
    assert_int_equal(q_int(p, "SELECT count(*) FROM message"), 0);
}

static void test_memory_bounded(void **state)
{
    (void)state;
    /* 50,000 cases: memory must not grow with the number of cases (SQLite's page cache is
     * capped at 16 MB); a leak of even one case's evidence per case would blow the bound. */
    const char *p = t_path("big.db");
    fill(p, 50000, 3, NULL);
    struct rusage ru;
    assert_int_equal(getrusage(RUSAGE_SELF, &ru), 0);
    assert_int_equal(q_int(p, "SELECT count(*) FROM \"case\""), 50000);
    if (t_memory_measurable())
        assert_true(ru.ru_maxrss < 48 * 1024);   /* KiB */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_is_pure),
        cmocka_unit_test(test_index_out_of_range),
        cmocka_unit_test(test_same_seed_same_store),
        cmocka_unit_test(test_coverage_in_2000_cases),
        cmocka_unit_test(test_refuses_store_with_cases),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_dates_follow_now),
        cmocka_unit_test(test_cross_case_groups),
        cmocka_unit_test(test_pipeline_equals_plain_ingest),
        cmocka_unit_test(test_failure_rolls_back_the_batch),
        cmocka_unit_test(test_memory_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
