/* Accuracy of the signals on demo data, measured on a real store: 5,000 demo cases (seed 1)
 * filled with demo_fill, so the cross-case signals (rings, clusters) weighed before each
 * commit count as they do for a reviewer. The suggested code and risk are read back from
 * the store and compared with the generator's truth. Prints the figures: accuracy per
 * code, what the misses were suggested as, the honest cases' risk distribution, and the
 * unclear honest cases. The floors are below. */
#include "testlib.h"

#include "fbreview/demo.h"
#include "fbreview/store.h"

#define N_CASES 5000
#define SEED 1
#define NO_VIOLATION_BELOW 30   /* data/default.conf [policy] no_violation_below */

static void test_demo_accuracy(void **state)
{
    (void)state;
    fb_err err = {0};
    char db[4096];
    snprintf(db, sizeof db, "%s", t_path("accuracy.db"));
    fb_store *store = NULL;
    assert_int_equal(store_open(db, STORE_CREATE, &store, &err), FB_OK);
    if (demo_fill_counted(store, N_CASES, SEED, FB_DEMO_BASE_MS, NULL, &err) != FB_OK)
        fail_msg("demo_fill: %s", err.msg);
    store_close(&store);
    sqlite3 *sq = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(db, &sq, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(sq, "SELECT risk, suggested FROM \"case\" WHERE id=?1", -1, &st, NULL), SQLITE_OK);

    /* confusion[truth][suggested]; index FB_V_COUNT stands for FB_V_NONE */
    int confusion[FB_V_COUNT + 1][FB_V_COUNT + 1];
    memset(confusion, 0, sizeof confusion);
    static const int edges[] = {0, 1, 10, 20, 30, 50, 101};
    int honest_hist[6] = {0}, honest = 0, honest_low = 0, violating = 0, correct = 0, violating_high = 0;
    int unclear = 0, unclear_high = 0, grouped = 0, grouped_correct = 0;
    for (int64_t i = 1; i <= N_CASES; i++) {
        fb_case *c = NULL;
        fb_demo_truth truth;
        assert_int_equal(demo_case_at(SEED, i, FB_DEMO_BASE_MS, &c, &truth, &err), FB_OK);
        sqlite3_bind_text(st, 1, c->id, -1, SQLITE_TRANSIENT);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        int risk = sqlite3_column_int(st, 0);
        fb_violation suggested = fb_violation_from_str((const char *)sqlite3_column_text(st, 1));
        sqlite3_reset(st);
        assert_true(risk >= 0 && risk <= 100);
        int t = truth.code == FB_V_NONE ? FB_V_COUNT : (int)truth.code;
        int g = suggested == FB_V_NONE ? FB_V_COUNT : (int)suggested;
        confusion[t][g]++;
        if (truth.code == FB_V_NONE) {
            honest++;
            honest_low += risk < NO_VIOLATION_BELOW;
            unclear += truth.ambiguous;
            unclear_high += truth.ambiguous && risk >= NO_VIOLATION_BELOW;
            for (int b = 0; b < 6; b++)
                if (risk >= edges[b] && risk < edges[b + 1])
                    honest_hist[b]++;
        } else {
            violating++;
            correct += suggested == truth.code;
            violating_high += risk >= NO_VIOLATION_BELOW;
        }
        grouped += truth.cross_case;
        grouped_correct += truth.cross_case && suggested == truth.code;
        fb_case_free(&c);
    }
    sqlite3_finalize(st);
    sqlite3_close(sq);

    printf("signals accuracy on %d demo cases (seed %d):\n", N_CASES, SEED);
    printf("  %-22s %6s %8s   suggested instead\n", "truth", "cases", "correct");
    for (int t = 0; t < FB_V_COUNT; t++) {
        int n = 0;
        for (int k = 0; k <= FB_V_COUNT; k++)
            n += confusion[t][k];
        printf("  %-22s %6d %7.1f%%  ", fb_violation_str((fb_violation)t), n, n ? 100.0 * confusion[t][t] / n : 0.0);
        for (int s = 0; s <= FB_V_COUNT; s++)
            if (s != t && confusion[t][s])
                printf(" %s:%d", s == FB_V_COUNT ? "none" : fb_violation_str((fb_violation)s), confusion[t][s]);
        printf("\n");
    }
    printf("  violating cases: %d, suggested = truth %.1f%%, risk >= %d %.1f%%\n", violating,
           100.0 * correct / violating, NO_VIOLATION_BELOW, 100.0 * violating_high / violating);
    printf("  honest cases: %d, risk < %d %.1f%%; risk 0: %d, 1-9: %d, 10-19: %d, 20-29: %d, 30-49: %d, 50+: %d\n",
           honest, NO_VIOLATION_BELOW, 100.0 * honest_low / honest, honest_hist[0], honest_hist[1], honest_hist[2],
           honest_hist[3], honest_hist[4], honest_hist[5]);
    printf("  unclear honest cases (reviews next to money or conditions, no trade): %d, risk >= %d: %d\n", unclear,
           NO_VIOLATION_BELOW, unclear_high);
    printf("  cases of cross-case groups (rings, joined clusters): %d, suggested = truth %.1f%%\n", grouped,
           grouped ? 100.0 * grouped_correct / grouped : 0.0);
    fflush(stdout);

    assert_true(violating > N_CASES / 2 && honest > N_CASES / 10);
    /* The cross-case groups are found as a whole: their code is suggested for almost all. */
    assert_true(grouped > 0 && grouped_correct * 100 >= grouped * 90);
    /* Floors (issue 13), a little below what the analyser reaches on the generator's
     * paraphrased messages (seed 1, measured after the third pass): overall 91.6%,
     * fake_job 91.1%, self_hire 99.6%, conflict_of_interest 92.5%, paid_feedback 93.1%,
     * free_work_for_review 89.2%, feedback_extortion 78.2%; honest cases 90.7%. */
    assert_true(correct * 100 >= violating * 90);
    static const int floor_pct[FB_V_COUNT] = {
        [FB_V_FAKE_JOB] = 89, [FB_V_SELF_HIRE] = 97, [FB_V_CONFLICT_OF_INTEREST] = 90,
        [FB_V_PAID_FEEDBACK] = 90, [FB_V_FREE_WORK_FOR_REVIEW] = 87, [FB_V_FEEDBACK_EXTORTION] = 76,
    };
    /* and no code is left far behind (a floor, so one code cannot hide behind the others) */
    for (int t = 0; t < FB_V_COUNT; t++) {
        int n = 0;
        for (int k = 0; k <= FB_V_COUNT; k++)
            n += confusion[t][k];
        if (confusion[t][t] * 100 < n * floor_pct[t])
            fail_msg("%s: %d of %d suggested correctly, below the floor of %d%%", fb_violation_str((fb_violation)t),
                     confusion[t][t], n, floor_pct[t]);
    }
    assert_true(honest_low * 10 >= honest * 9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_accuracy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
