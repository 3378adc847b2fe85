/* Cross-case structure on real SQLite stores, written through the real `fbreview import`:
 * feedback rings across cases (two accounts that hired each other; three in a circle),
 * clusters joined through a third account, what a later import changes in earlier cases,
 * a replaced case that loses a link, and decided cases keeping the signals the reviewer saw. */
#include "testlib.h"

#include "fbreview/model.h"
#include "fbreview/store_case.h"
#include "fbreview/store_structure.h"

/* One case line: id, client, freelancer, an optional identifying link between two of the
 * case's accounts (kind or NULL), and 5-star feedback from the client to the freelancer. */
static void case_line(char *buf, size_t n, const char *id, const char *client, const char *fl, const char *link_a,
                      const char *link_b, const char *kind, const char *third)
{
    char accounts[512], links[256] = "";
    snprintf(accounts, sizeof accounts,
             "{\"id\":\"%s\",\"role\":\"client\",\"name\":\"Client %s\"},"
             "{\"id\":\"%s\",\"role\":\"freelancer\",\"name\":\"Freelancer %s\"}%s%s%s",
             client, client, fl, fl, third ? ",{\"id\":\"" : "", third ? third : "",
             third ? "\",\"role\":\"agency\",\"name\":\"Third\"}" : "");
    if (kind)
        snprintf(links, sizeof links, ",\"links\":[{\"a\":\"%s\",\"b\":\"%s\",\"kind\":\"%s\",\"detail\":\"x\"}]", link_a,
                 link_b, kind);
    snprintf(buf, n,
             "{\"case_id\":\"%s\",\"opened_at\":\"2026-11-20T10:00:00Z\",\"source\":\"rule:x\","
             "\"accounts\":[%s]%s,"
             "\"contract\":{\"id\":\"J-%s\",\"client\":\"%s\",\"freelancer\":\"%s\",\"title\":\"Work\","
             "\"created_at\":\"2026-11-01T09:00:00Z\",\"started_at\":\"2026-11-01T10:00:00Z\","
             "\"ended_at\":\"2026-11-09T10:00:00Z\",\"budget\":\"300.00\",\"currency\":\"USD\"},"
             "\"payments\":[{\"id\":\"P-%s\",\"from\":\"%s\",\"to\":\"%s\",\"kind\":\"payment\",\"amount\":\"300.00\","
             "\"currency\":\"USD\",\"at\":\"2026-11-09T10:00:00Z\"}],"
             "\"feedback\":[{\"from\":\"%s\",\"to\":\"%s\",\"rating\":5,\"text\":\"Great\",\"at\":\"2026-11-10T10:00:00Z\"},"
             "{\"from\":\"%s\",\"to\":\"%s\",\"rating\":5,\"text\":\"Great client\",\"at\":\"2026-11-10T11:00:00Z\"}]}\n",
             id, accounts, links, id, client, fl, id, client, fl, client, fl, fl, client);
}

static void import_lines(const char *db, const char *name, const char *lines)
{
    char *out = NULL;
    const char *file = t_write(name, lines);
    int rc = t_run(&out, "--db '%s' import '%s'", db, file);
    if (rc != 0)
        fail_msg("import %s: %s", name, out ? out : "?");
    free(out);
}

static void import_case(const char *db, const char *name, const char *id, const char *client, const char *fl,
                        const char *la, const char *lb, const char *kind, const char *third)
{
    char line[4096];
    case_line(line, sizeof line, id, client, fl, la, lb, kind, third);
    import_lines(db, name, line);
}

/* The number of signals with this code on a case (through the schema's signal view). */
static long long sig_count(const char *db, const char *case_id, const char *code)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM signal WHERE case_id='%s' AND code='%s'", case_id, code);
    return t_sql_int(db, sql);
}

static char *sig_sentence(const char *db, const char *case_id, const char *code)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT sentence FROM signal WHERE case_id='%s' AND code='%s'", case_id, code);
    return t_sql_text(db, sql);
}

static void expect_text(const char *db, const char *sql, const char *want)
{
    char *got = t_sql_text(db, sql);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static long long risk_of(const char *db, const char *case_id)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT risk FROM \"case\" WHERE id='%s'", case_id);
    return t_sql_int(db, sql);
}

/* Two accounts that hired each other in two cases: the second import closes the ring, and
 * the first case (already in the store) gets the signal too, with its risk raised. A
 * third contract between them with the same roles is repeat business, not another ring. */
static void test_ring_across_cases(void **state)
{
    (void)state;
    char db[4096];
    snprintf(db, sizeof db, "%s", t_path("ring.db"));
    import_case(db, "a.jsonl", "C-A", "u-1", "u-2", NULL, NULL, NULL, NULL);
    assert_int_equal(sig_count(db, "C-A", "ring_hired_each_other"), 0);
    long long risk_before = risk_of(db, "C-A");

    import_case(db, "b.jsonl", "C-B", "u-2", "u-1", NULL, NULL, NULL, NULL);
    assert_int_equal(sig_count(db, "C-A", "ring_hired_each_other"), 1);
    assert_int_equal(sig_count(db, "C-B", "ring_hired_each_other"), 1);
    char *s = sig_sentence(db, "C-A", "ring_hired_each_other");
    assert_non_null(s);
    assert_non_null(strstr(s, "client and freelancer hired each other"));
    assert_non_null(strstr(s, "in case C-B"));
    free(s);
    s = sig_sentence(db, "C-B", "ring_hired_each_other");
    assert_non_null(strstr(s, "in case C-A"));
    free(s);
    assert_int_equal(risk_of(db, "C-A"), risk_before + 35);
    expect_text(db, "SELECT suggested FROM \"case\" WHERE id='C-A'", "conflict_of_interest");
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM structure_pending"), 0);

    /* C-B again, without a client in it (two freelancers): no hire, so no ring; C-A's
     * signal and risk go back to what they were. */
    import_lines(db, "b2.jsonl",
                 "{\"case_id\":\"C-B\",\"opened_at\":\"2026-11-20T10:00:00Z\",\"accounts\":["
                 "{\"id\":\"u-2\",\"role\":\"freelancer\"},{\"id\":\"u-1\",\"role\":\"freelancer\"}],"
                 "\"feedback\":[{\"from\":\"u-2\",\"to\":\"u-1\",\"rating\":5}]}\n");
    assert_int_equal(sig_count(db, "C-A", "ring_hired_each_other"), 0);
    assert_int_equal(sig_count(db, "C-B", "ring_hired_each_other"), 0);
    assert_int_equal(risk_of(db, "C-A"), risk_before);

    /* Repeat business between two other accounts: mutual 5 stars twice, same roles. */
    import_case(db, "c.jsonl", "C-C", "u-7", "u-8", NULL, NULL, NULL, NULL);
    import_case(db, "d.jsonl", "C-D", "u-7", "u-8", NULL, NULL, NULL, NULL);
    assert_int_equal(sig_count(db, "C-C", "ring_hired_each_other"), 0);
    assert_int_equal(sig_count(db, "C-D", "ring_hired_each_other"), 0);
}

/* A -> B -> C -> A over three cases, imported one at a time: the third closes the ring for
 * all three. */
static void test_ring_of_three(void **state)
{
    (void)state;
    char db[4096];
    snprintf(db, sizeof db, "%s", t_path("ring3.db"));
    import_case(db, "1.jsonl", "C-1", "u-a", "u-b", NULL, NULL, NULL, NULL);
    import_case(db, "2.jsonl", "C-2", "u-b", "u-c", NULL, NULL, NULL, NULL);
    assert_int_equal(sig_count(db, "C-1", "ring_of_three"), 0);
    import_case(db, "3.jsonl", "C-3", "u-c", "u-a", NULL, NULL, NULL, NULL);
    assert_int_equal(sig_count(db, "C-1", "ring_of_three"), 1);
    assert_int_equal(sig_count(db, "C-2", "ring_of_three"), 1);
    assert_int_equal(sig_count(db, "C-3", "ring_of_three"), 1);
    char *s = sig_sentence(db, "C-1", "ring_of_three");
    assert_non_null(strstr(s, "who hired u-c in case C-2, who hired the client in case C-3"));
    free(s);
    assert_int_equal(sig_count(db, "C-1", "ring_hired_each_other"), 0);
}

/* The client shares a device with a third account in one case, the freelancer a payment
 * method with it in another; the case where the client hires the freelancer links them by
 * nothing, yet they are joined. Imported first, that case learns it from later imports. */
static void test_cluster_through_third_account(void **state)
{
    (void)state;
    char db[4096];
    snprintf(db, sizeof db, "%s", t_path("cluster.db"));
    import_case(db, "x.jsonl", "C-X", "u-p", "u-f", NULL, NULL, NULL, NULL);
    assert_int_equal(sig_count(db, "C-X", "cluster_joins_parties"), 0);
    char two[8192], l1[4096], l2[4096];
    case_line(l1, sizeof l1, "C-Y", "u-p", "u-t", "u-p", "u-t", "same_device", NULL);
    case_line(l2, sizeof l2, "C-Z", "u-t", "u-f", "u-f", "u-t", "same_payment_method", NULL);
    snprintf(two, sizeof two, "%s%s", l1, l2);
    import_lines(db, "yz.jsonl", two);

    assert_int_equal(sig_count(db, "C-X", "cluster_joins_parties"), 1);
    char *s = sig_sentence(db, "C-X", "cluster_joins_parties");
    assert_non_null(s);
    assert_non_null(strstr(s, "account u-t shares a payment method with the freelancer (case C-Z) and a device with the client (case C-Y)"));
    free(s);
    /* the two others see the cluster reaching beyond them */
    assert_int_equal(sig_count(db, "C-Y", "cluster_across_cases"), 1);
    s = sig_sentence(db, "C-Y", "cluster_across_cases");
    assert_non_null(strstr(s, "with 1 other account (cases C-X, C-Z)"));
    free(s);
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM cluster"), 1);
    assert_int_equal(t_sql_int(db, "SELECT size FROM cluster"), 3);
    expect_text(db, "SELECT suggested FROM \"case\" WHERE id='C-X'", "self_hire");

    /* show and show --json list the cluster, the other cases and the account joining them */
    char *out = NULL;
    assert_int_equal(t_run(&out, "--db '%s' show C-X", db), 0);
    assert_non_null(strstr(out, "Across cases:"));
    assert_non_null(strstr(out, "other cases: C-Y, C-Z"));
    assert_non_null(strstr(out, "u-t shares a payment method with the subject (C-Z) and a device with the counterparty (C-Y)"));
    free(out);
    assert_int_equal(t_run(&out, "--db '%s' show C-X --json", db), 0);
    assert_non_null(strstr(out, "\"parties_joined\": true"));
    assert_non_null(strstr(out, "\"other_cases\": [\n          \"C-Y\",\n          \"C-Z\"\n        ]"));
    assert_non_null(strstr(out, "\"account\": \"u-t\""));
    assert_non_null(strstr(out, "\"code\": \"cluster_joins_parties\""));
    free(out);

    /* C-Z again without its link: the cluster falls apart and C-X is no longer joined. */
    import_case(db, "z2.jsonl", "C-Z", "u-t", "u-f", NULL, NULL, NULL, NULL);
    assert_int_equal(sig_count(db, "C-X", "cluster_joins_parties"), 0);
    assert_int_equal(sig_count(db, "C-Y", "cluster_across_cases"), 0);
    assert_int_equal(t_sql_int(db, "SELECT size FROM cluster"), 2);
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM account_cluster WHERE account_id='u-f'"), 0);

    /* Client and freelancer linked directly in another case: that case is named. */
    import_case(db, "v1.jsonl", "C-V1", "u-g", "u-h", NULL, NULL, NULL, NULL);
    import_case(db, "v2.jsonl", "C-V2", "u-h", "u-g", "u-h", "u-g", "same_address", NULL);
    s = sig_sentence(db, "C-V1", "cluster_joins_parties");
    assert_non_null(s);
    assert_non_null(strstr(s, "joined through other cases: they share an address in case C-V2"));
    free(s);
    assert_int_equal(sig_count(db, "C-V2", "cluster_joins_parties"), 0);

    /* A team link identifies no one: it joins nothing. */
    import_case(db, "w.jsonl", "C-W", "u-f", "u-q", "u-f", "u-q", "same_team", NULL);
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM account_cluster WHERE account_id='u-q'"), 0);
}

/* A decided case keeps the signals the reviewer saw; the facts (read live) show the ring. */
static void test_decided_case_keeps_signals(void **state)
{
    (void)state;
    char db[4096];
    snprintf(db, sizeof db, "%s", t_path("decided.db"));
    char *out = NULL;
    import_case(db, "a.jsonl", "C-A", "u-1", "u-2", NULL, NULL, NULL, NULL);
    assert_int_equal(t_run(&out, "--db '%s' --reviewer ann decide C-A no_violation --rationale ok", db), 0);
    free(out);
    long long risk = risk_of(db, "C-A");
    import_case(db, "b.jsonl", "C-B", "u-2", "u-1", NULL, NULL, NULL, NULL);
    assert_int_equal(sig_count(db, "C-A", "ring_hired_each_other"), 0);
    assert_int_equal(risk_of(db, "C-A"), risk);
    assert_int_equal(sig_count(db, "C-B", "ring_hired_each_other"), 1);

    fb_store *s = NULL;
    fb_err err = {0};
    fb_case *c = NULL;
    assert_int_equal(store_open(db, STORE_READONLY, &s, &err), FB_OK);
    assert_int_equal(store_case_load(s, "C-A", &c, &err), FB_OK);
    fb_structure st;
    assert_int_equal(store_structure_facts(s, c, &st, &err), FB_OK);
    assert_int_equal(st.n_rings, 1);
    assert_int_equal(st.rings[0].length, 2);
    assert_string_equal(st.rings[0].cases[1], "C-B");
    fb_structure_clear(&st);
    fb_case_free(&c);
    store_close(&s);
}

/* Clusters of many accounts: the lists stop at FB_STRUCT_LIST and say there is more. */
static void test_big_cluster_lists_are_capped(void **state)
{
    (void)state;
    char db[4096];
    snprintf(db, sizeof db, "%s", t_path("big.db"));
    /* One import per case: the early cases are weighed again while the cluster grows. */
    for (int i = 0; i < 30; i++) {
        char id[32], fl[32], line[4096];
        snprintf(id, sizeof id, "C-%02d", i);
        snprintf(fl, sizeof fl, "u-f%02d", i);
        case_line(line, sizeof line, id, "u-hub", fl, "u-hub", fl, "same_ip", NULL);
        import_lines(db, "one.jsonl", line);
    }
    assert_int_equal(t_sql_int(db, "SELECT size FROM cluster"), 31);
    char *s = sig_sentence(db, "C-00", "cluster_across_cases");
    assert_non_null(s);
    assert_non_null(strstr(s, "with 12+ other accounts (cases C-01, C-02, C-03, …)"));
    free(s);

    fb_store *st = NULL;
    fb_err err = {0};
    fb_case *c = NULL;
    assert_int_equal(store_open(db, STORE_READONLY, &st, &err), FB_OK);
    assert_int_equal(store_case_load(st, "C-05", &c, &err), FB_OK);
    fb_structure f;
    assert_int_equal(store_structure_facts(st, c, &f, &err), FB_OK);
    assert_int_equal(f.n_clusters, 1);
    assert_int_equal(f.clusters[0].size, 31);
    assert_int_equal(f.clusters[0].n_others, FB_STRUCT_LIST);
    assert_true(f.clusters[0].more_others);
    assert_int_equal(f.clusters[0].n_cases, FB_STRUCT_LIST);
    assert_true(f.clusters[0].more_cases);
    fb_structure_clear(&f);
    fb_case_free(&c);
    store_close(&st);
    /* The first case, weighed while the cluster grew, ends up saying "12+" too. */
    s = sig_sentence(db, "C-29", "cluster_across_cases");
    assert_non_null(strstr(s, "with 12+ other accounts"));
    free(s);
    s = sig_sentence(db, "C-00", "cluster_across_cases");
    assert_non_null(strstr(s, "with 12+ other accounts"));
    free(s);
}

/* A store from before cross-case structure (schema 3: cases, no structure tables) gets
 * them on open, and the next import builds them from the cases already there. */
static void test_upgrade_builds_structure(void **state)
{
    (void)state;
    char db[4096];
    snprintf(db, sizeof db, "%s", t_path("v2.db"));
    import_case(db, "a.jsonl", "C-A", "u-1", "u-2", NULL, NULL, NULL, NULL);
    import_case(db, "b.jsonl", "C-B", "u-2", "u-1", NULL, NULL, NULL, NULL);
    t_strip_lifecycle(db);
    t_sql(db, "DROP TABLE hire_praise; DROP TABLE account_cluster; DROP TABLE cluster; DROP TABLE structure_pending;"
              "UPDATE case_evidence SET data=json_remove(data, '$.s'); UPDATE \"case\" SET risk=0;"
              "ALTER TABLE decision DROP COLUMN policy_version; ALTER TABLE outbox DROP COLUMN held_until; ALTER TABLE \"case\" DROP COLUMN analysis; PRAGMA user_version=3");
    assert_int_equal(sig_count(db, "C-A", "ring_hired_each_other"), 0);
    /* an unrelated import: the open upgrades the store, and the rebuild weighs C-A and C-B */
    import_case(db, "c.jsonl", "C-C", "u-5", "u-6", NULL, NULL, NULL, NULL);
    assert_int_equal(t_sql_int(db, "PRAGMA user_version"), FB_SCHEMA_VERSION);
    assert_int_equal(sig_count(db, "C-A", "ring_hired_each_other"), 1);
    assert_int_equal(sig_count(db, "C-B", "ring_hired_each_other"), 1);
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM sync_state WHERE key='structure_rebuild'"), 0);
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM structure_pending"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ring_across_cases),
        cmocka_unit_test(test_ring_of_three),
        cmocka_unit_test(test_cluster_through_third_account),
        cmocka_unit_test(test_decided_case_keeps_signals),
        cmocka_unit_test(test_big_cluster_lists_are_capped),
        cmocka_unit_test(test_upgrade_builds_structure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
