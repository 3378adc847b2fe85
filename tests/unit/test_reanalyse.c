/* Stale cases (ingest.h): a change of rules marks the undecided cases stale instead of
 * analysing the store again on open; a case shown or decided is analysed at once; the
 * walk goes batch by batch, resumes where a cut-off walk stopped, starts over when the
 * rules change under it, and records the store's fingerprint only at the end; a store of
 * version 8 (no fingerprint on its cases) is brought to 9 and keeps working. Real SQLite
 * files, the real workflow. */
#include "testlib.h"

#include "fbreview/config.h"
#include "fbreview/decision.h"
#include "fbreview/ingest.h"
#include "fbreview/store.h"
#include "fbreview/store_case.h"

#define N_CASES 50

/* An operator's rule in front of the others: "secret handshake" is a conflict of interest. */
static const char add_rule[] =
    "INSERT INTO lexicon_term(class, term) VALUES ('handshake', 'secret handshake');"
    "UPDATE frame_rule SET id = id + 100000;"
    "INSERT INTO frame_rule(id, name, outcome, weight, scope, needs, sentence) VALUES "
    "(1, 'handshake', 'conflict_of_interest', 33, 'sentence', 'handshake', 'mentions the {handshake}')";

static const char count_marked_sql[] =
    "SELECT count(*) FROM \"case\" WHERE printf('%016x', analysis) = (SELECT value FROM sync_state WHERE key='current')";

/* A store of N_CASES undecided cases, each saying the words the operator's rule knows,
 * analysed with the built-in rules (which do not). */
static const char *make_store(const char *name)
{
    const char *path = t_path(name);
    char side[4200];
    for (int i = 0; i < 3; i++) {   /* a store a run before left */
        snprintf(side, sizeof side, "%s%s", path, (const char *const[]){"", "-wal", "-shm"}[i]);
        unlink(side);
    }
    fb_store *s = NULL;
    fb_ingest *in = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(path, STORE_CREATE, &s, &err), FB_OK);
    assert_int_equal(ingest_open(s, &in, &err), FB_OK);
    assert_int_equal(store_begin(s, &err), FB_OK);
    for (int i = 0; i < N_CASES; i++) {
        fb_case *c = fb_case_new();
        char id[16];
        snprintf(id, sizeof id, "C-%03d", i);
        c->id = fb_strdup(id);
        c->opened_at = 1795500000000LL + i;
        fb_account *a = fb_grow((void **)&c->accounts, &c->n_accounts, sizeof *a);
        a->id = fb_strdup(i % 2 ? "u-1" : "u-3");
        a->role = FB_ROLE_CLIENT;
        a = fb_grow((void **)&c->accounts, &c->n_accounts, sizeof *a);
        a->id = fb_strdup("u-2");
        a->role = FB_ROLE_FREELANCER;
        fb_message *m = fb_grow((void **)&c->messages, &c->n_messages, sizeof *m);
        m->from = fb_strdup("u-2");
        m->to = fb_strdup("u-1");
        m->body = fb_strdup("Thanks for the order. Remember the secret handshake.");
        assert_int_equal(ingest_case(in, c, "local", &err), FB_OK);
        fb_case_free(&c);
    }
    assert_int_equal(ingest_flush(in, NULL, &err), FB_OK);
    assert_int_equal(store_commit(s, &err), FB_OK);
    if (ingest_stale(s) != 0) {
        char *a = store_state_get(s, "analysis"), *b = store_state_get(s, "rules_seed");
        fail_msg("stale after import: analysis %s, seed %s, fp %016llx", a, b, (unsigned long long)ingest_analysis(in));
    }
    ingest_close(&in);
    store_close(&s);
    assert_int_equal(t_sql_int(path, "SELECT count(*) FROM \"case\" WHERE risk > 0"), 0);
    return path;
}

/* The fingerprint the store's rules make now, kept in sync_state 'current' for the SQL above. */
static void note_current(const char *path)
{
    fb_store *s = NULL;
    fb_ingest *in = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(path, 0, &s, &err), FB_OK);
    assert_int_equal(ingest_open_lazy(s, &in, &err), FB_OK);
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)ingest_analysis(in));
    assert_int_equal(store_state_set(s, "current", hex, &err), FB_OK);
    ingest_close(&in);
    store_close(&s);
}

static int64_t stale_count(fb_store *s, fb_ingest *in)
{
    fb_err err = {0};
    int64_t n = -1;
    char *rec = store_state_get(s, "analysis");
    unsigned long long unmarked = rec ? strtoull(rec, NULL, 16) : 0;
    free(rec);
    assert_int_equal(ingest_recheck(in, &err), FB_OK);
    assert_int_equal(store_case_stale_count(s, "", ingest_analysis(in), unmarked, &n, &err), FB_OK);
    return n;
}

static fb_workflow *open_wf(fb_store *s, fb_config **cfg)
{
    fb_err err = {0};
    fb_workflow *wf = NULL;
    *cfg = config_defaults();
    if (workflow_open(s, *cfg, "rev", &wf, &err) != FB_OK)
        fail_msg("workflow_open: %s", err.msg);
    return wf;
}

/* Opening after a change of rules analyses nothing; the case shown is analysed at once;
 * the walk then takes the rest batch by batch and records the fingerprint only at its end. */
static void test_open_marks_stale_then_walk_converges(void **state)
{
    (void)state;
    const char *path = make_store("walk.db");
    t_sql(path, add_rule);
    note_current(path);
    fb_store *s = NULL;
    fb_err err = {0};
    fb_config *cfg = NULL;
    assert_int_equal(store_open(path, 0, &s, &err), FB_OK);
    fb_workflow *wf = open_wf(s, &cfg);
    assert_int_equal(t_sql_int(path, "SELECT count(*) FROM \"case\" WHERE risk > 0"), 0);
    assert_int_equal(ingest_stale(s), 1);

    /* shown: analysed with the operator's rule before it is read */
    fb_case *c = NULL;
    int redone = 0;
    assert_int_equal(workflow_case(wf, "C-007", &c, &redone, &err), FB_OK);
    assert_int_equal(redone, 1);
    assert_int_equal(c->n_signals, 1);
    assert_string_equal(c->signals[0].code, "msg_handshake");
    assert_true(c->risk > 0);
    assert_true(c->n_matches > 0);
    fb_case_free(&c);
    assert_int_equal(t_sql_int(path, "SELECT count(*) FROM \"case\" WHERE risk > 0"), 1);

    fb_ingest *in = NULL;
    assert_int_equal(ingest_open_lazy(s, &in, &err), FB_OK);
    assert_int_equal(stale_count(s, in), N_CASES - 1);
    fb_reanalysis w = {.total = -1};
    assert_int_equal(ingest_reanalyse_step(in, &w, 10, &err), FB_OK);
    assert_int_equal(w.done, 10);
    assert_int_equal(w.total, N_CASES - 1);
    assert_false(w.finished);
    assert_int_equal(stale_count(s, in), N_CASES - 11);
    assert_int_equal(ingest_stale(s), 1);   /* not recorded before the end */
    int steps = 1;
    while (!w.finished) {
        assert_int_equal(ingest_reanalyse_step(in, &w, 10, &err), FB_OK);
        assert_true(++steps < 20);
    }
    assert_int_equal(w.done, N_CASES - 1);
    assert_int_equal(stale_count(s, in), 0);
    assert_int_equal(ingest_stale(s), 0);
    assert_int_equal(t_sql_int(path, count_marked_sql), N_CASES);
    assert_int_equal(t_sql_int(path, "SELECT count(*) FROM signal WHERE code='msg_handshake'"), N_CASES);
    ingest_reanalysis_clear(&w);
    ingest_close(&in);
    workflow_close(&wf);
    config_free(&cfg);
    store_close(&s);
}

/* A walk cut off (the process killed between batches: what it committed stays) is taken
 * up by the next walk, which analyses only what is left. */
static void test_walk_cut_off_resumes(void **state)
{
    (void)state;
    const char *path = make_store("cut.db");
    t_sql(path, add_rule);
    note_current(path);
    fb_store *s = NULL;
    fb_ingest *in = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(path, 0, &s, &err), FB_OK);
    assert_int_equal(ingest_open_lazy(s, &in, &err), FB_OK);
    fb_reanalysis w = {.total = -1};
    for (int i = 0; i < 2; i++)
        assert_int_equal(ingest_reanalyse_step(in, &w, 7, &err), FB_OK);
    assert_int_equal(w.done, 14);
    ingest_reanalysis_clear(&w);   /* cut off here */
    ingest_close(&in);
    store_close(&s);
    assert_int_equal(t_sql_int(path, count_marked_sql), 14);

    assert_int_equal(store_open(path, 0, &s, &err), FB_OK);
    assert_int_equal(ingest_open_lazy(s, &in, &err), FB_OK);
    assert_int_equal(ingest_pending(in, &err), 1);
    int64_t done = -1;
    assert_int_equal(ingest_reanalyse_all(in, NULL, NULL, &done, &err), FB_OK);
    assert_int_equal(done, N_CASES - 14);
    assert_int_equal(ingest_pending(in, &err), 0);
    assert_int_equal(t_sql_int(path, count_marked_sql), N_CASES);
    ingest_close(&in);
    store_close(&s);
}

/* Rules that change again under a walk: it starts over and ends with the newest rules. */
static void test_rules_change_under_walk(void **state)
{
    (void)state;
    const char *path = make_store("twice.db");
    t_sql(path, add_rule);
    fb_store *s = NULL;
    fb_ingest *in = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(path, 0, &s, &err), FB_OK);
    assert_int_equal(ingest_open_lazy(s, &in, &err), FB_OK);
    fb_reanalysis w = {.total = -1};
    assert_int_equal(ingest_reanalyse_step(in, &w, 10, &err), FB_OK);
    assert_int_equal(w.done, 10);
    /* another connection (an operator, a pulled policy) changes the weight */
    t_sql(path, "UPDATE frame_rule SET weight=44 WHERE name='handshake'");
    note_current(path);
    while (!w.finished)
        assert_int_equal(ingest_reanalyse_step(in, &w, 10, &err), FB_OK);
    assert_int_equal(t_sql_int(path, count_marked_sql), N_CASES);
    assert_int_equal(t_sql_int(path, "SELECT count(*) FROM signal WHERE code='msg_handshake' AND weight=44"), N_CASES);
    assert_int_equal(ingest_stale(s), 0);
    ingest_reanalysis_clear(&w);
    ingest_close(&in);
    store_close(&s);
}

/* A decision taken while the walk is under way is saved once, with the recommendation of
 * the current rules (its case analysed first, inside the decision's transaction); the
 * walk passes over it afterwards. */
static void test_decision_mid_walk(void **state)
{
    (void)state;
    const char *path = make_store("decide.db");
    fb_store *s = NULL;
    fb_err err = {0};
    fb_config *cfg = NULL;
    fb_rec before, want;
    /* what the old rules recommend, and what the new ones do (on a copy of the store) */
    assert_int_equal(store_open(path, 0, &s, &err), FB_OK);
    fb_workflow *wf = open_wf(s, &cfg);
    assert_int_equal(workflow_recommend(wf, "C-042", &before, &err), FB_OK);
    workflow_close(&wf);
    config_free(&cfg);
    store_close(&s);
    t_sql(path, add_rule);
    note_current(path);
    const char *copy = t_path("decide-copy.db");
    unlink(copy);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "sqlite3 '%s' \".backup '%s'\"", path, copy);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(store_open(copy, 0, &s, &err), FB_OK);
    wf = open_wf(s, &cfg);
    assert_int_equal(workflow_recommend(wf, "C-042", &want, &err), FB_OK);
    workflow_close(&wf);
    config_free(&cfg);
    store_close(&s);
    assert_true(want.action != before.action || want.violation != before.violation);

    assert_int_equal(store_open(path, 0, &s, &err), FB_OK);
    fb_store *bg = NULL;
    fb_ingest *in = NULL;
    assert_int_equal(store_open(path, STORE_BACKGROUND, &bg, &err), FB_OK);
    assert_int_equal(ingest_open_lazy(bg, &in, &err), FB_OK);
    fb_reanalysis w = {.total = -1};
    assert_int_equal(ingest_reanalyse_step(in, &w, 10, &err), FB_OK);   /* C-000..C-009 */
    assert_int_equal(t_sql_int(path, "SELECT count(*) FROM \"case\" WHERE id='C-042' AND risk > 0"), 0);

    wf = open_wf(s, &cfg);
    fb_decide_req req = {.case_id = "C-042", .action = FB_A_ESCALATE, .violation = FB_V_NONE,
                         .rationale = "a lead should see this"};
    fb_decide_plan plan;
    if (workflow_decide(wf, &req, 1, &plan, &err) != FB_OK)
        fail_msg("workflow_decide: %s", err.msg);
    assert_int_equal(plan.rec.action, want.action);
    assert_int_equal(plan.rec.violation, want.violation);
    decide_plan_clear(&plan);
    workflow_close(&wf);
    config_free(&cfg);

    while (!w.finished)
        assert_int_equal(ingest_reanalyse_step(in, &w, 10, &err), FB_OK);
    assert_int_equal(w.done, N_CASES - 1);   /* every case but the decided one */
    assert_int_equal(t_sql_int(path, "SELECT count(*) FROM decision WHERE case_id='C-042'"), 1);
    char *rec = t_sql_text(path, "SELECT coalesce(rec_action, '') || '/' || coalesce(rec_violation, '') FROM decision");
    char wants[96];
    snprintf(wants, sizeof wants, "%s/%s", fb_action_str(want.action) ? fb_action_str(want.action) : "",
             fb_violation_str(want.violation) ? fb_violation_str(want.violation) : "");
    assert_string_equal(rec, wants);
    free(rec);
    assert_int_equal(t_sql_int(path, count_marked_sql), N_CASES);
    ingest_reanalysis_clear(&w);
    ingest_close(&in);
    store_close(&bg);
    store_close(&s);
}

/* Store version 8: cases carry no fingerprint; the store's record says what they were
 * analysed with. Upgraded to 9 on open, rows kept; current when the record is; stale (and
 * analysed again, on demand and by the walk) when it is not. */
static void test_upgrade_from_version_8(void **state)
{
    (void)state;
    const char *path = make_store("v8.db");
    char *rec = t_sql_text(path, "SELECT value FROM sync_state WHERE key='analysis'");
    t_sql(path, "ALTER TABLE \"case\" DROP COLUMN analysis; PRAGMA user_version=8");
    fb_store *s = NULL;
    fb_err err = {0};
    fb_config *cfg = NULL;
    assert_int_equal(store_open(path, 0, &s, &err), FB_OK);
    assert_int_equal(t_sql_int(path, "PRAGMA user_version"), FB_SCHEMA_VERSION);
    assert_int_equal(t_sql_int(path, "SELECT count(*) FROM \"case\" WHERE analysis IS NULL"), N_CASES);
    fb_workflow *wf = open_wf(s, &cfg);
    assert_int_equal(ingest_stale(s), 0);
    fb_case *c = NULL;
    int redone = -1;
    assert_int_equal(workflow_case(wf, "C-001", &c, &redone, &err), FB_OK);
    assert_int_equal(redone, 0);
    assert_int_equal(c->analysis, 0);
    fb_case_free(&c);
    workflow_close(&wf);
    config_free(&cfg);
    store_close(&s);

    /* the same store as an older analyser left it: stale */
    t_sql(path, "UPDATE sync_state SET value='0123456789abcdef' WHERE key='analysis'");
    assert_int_equal(store_open(path, 0, &s, &err), FB_OK);
    wf = open_wf(s, &cfg);
    assert_int_equal(ingest_stale(s), 1);
    assert_int_equal(workflow_case(wf, "C-001", &c, &redone, &err), FB_OK);
    assert_int_equal(redone, 1);
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)c->analysis);
    assert_string_equal(hex, rec);
    fb_case_free(&c);
    fb_ingest *in = NULL;
    int64_t done = -1;
    assert_int_equal(ingest_open_lazy(s, &in, &err), FB_OK);
    assert_int_equal(ingest_reanalyse_all(in, NULL, NULL, &done, &err), FB_OK);
    assert_int_equal(done, N_CASES - 1);
    assert_int_equal(ingest_stale(s), 0);
    assert_int_equal(t_sql_int(path, "SELECT count(*) FROM \"case\" WHERE analysis IS NULL"), 0);
    ingest_close(&in);
    workflow_close(&wf);
    config_free(&cfg);
    store_close(&s);
    free(rec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_marks_stale_then_walk_converges),
        cmocka_unit_test(test_walk_cut_off_resumes),
        cmocka_unit_test(test_rules_change_under_walk),
        cmocka_unit_test(test_decision_mid_walk),
        cmocka_unit_test(test_upgrade_from_version_8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
