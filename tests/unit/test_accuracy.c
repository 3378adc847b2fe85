/* Accuracy of the signals on demo data: over 5,000 demo cases (seed 1) the suggested code
 * equals the ground truth for >= 90% of violating cases, and >= 90% of honest cases score
 * below the no-violation threshold (30); no single code below 85%. Prints the figures: accuracy per code, what the
 * misses were suggested as, and the honest cases' risk distribution. */
#include "testlib.h"

#include "fbreview/demo.h"
#include "fbreview/ingest.h"
#include "fbreview/signals.h"

#define N_CASES 5000
#define SEED 1
#define NO_VIOLATION_BELOW 30   /* data/default.conf [policy] no_violation_below */

static void test_demo_accuracy(void **state)
{
    (void)state;
    fb_analyser *rules = NULL;
    fb_err err = {0};
    assert_int_equal(analyser_default(&rules, &err), FB_OK);

    /* confusion[truth][suggested]; index FB_V_COUNT stands for FB_V_NONE */
    int confusion[FB_V_COUNT + 1][FB_V_COUNT + 1];
    memset(confusion, 0, sizeof confusion);
    static const int edges[] = {0, 1, 10, 20, 30, 50, 101};
    int honest_hist[6] = {0}, honest = 0, honest_low = 0, violating = 0, correct = 0, violating_high = 0;
    for (int64_t i = 1; i <= N_CASES; i++) {
        fb_case *c = NULL;
        fb_violation truth = FB_V_NONE;
        assert_int_equal(demo_case(SEED, i, &c, &truth, &err), FB_OK);
        ingest_derive_parties(c);
        assert_int_equal(signals_compute(c, rules, &err), FB_OK);
        assert_true(c->risk >= 0 && c->risk <= 100);
        int t = truth == FB_V_NONE ? FB_V_COUNT : (int)truth;
        int s = c->suggested == FB_V_NONE ? FB_V_COUNT : (int)c->suggested;
        confusion[t][s]++;
        if (truth == FB_V_NONE) {
            honest++;
            honest_low += c->risk < NO_VIOLATION_BELOW;
            for (int b = 0; b < 6; b++)
                if (c->risk >= edges[b] && c->risk < edges[b + 1])
                    honest_hist[b]++;
        } else {
            violating++;
            correct += c->suggested == truth;
            violating_high += c->risk >= NO_VIOLATION_BELOW;
        }
        fb_case_free(&c);
    }

    printf("signals accuracy on %d demo cases (seed %d):\n", N_CASES, SEED);
    printf("  %-22s %6s %8s   suggested instead\n", "truth", "cases", "correct");
    for (int t = 0; t < FB_V_COUNT; t++) {
        int n = 0;
        for (int s = 0; s <= FB_V_COUNT; s++)
            n += confusion[t][s];
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
    fflush(stdout);

    assert_true(violating > N_CASES / 2 && honest > N_CASES / 10);
    assert_true(correct * 10 >= violating * 9);
    /* and no code is left far behind (a floor, so one code cannot hide behind the others) */
    for (int t = 0; t < FB_V_COUNT; t++) {
        int n = 0;
        for (int s = 0; s <= FB_V_COUNT; s++)
            n += confusion[t][s];
        assert_true(confusion[t][t] * 100 >= n * 85);
    }
    assert_true(honest_low * 10 >= honest * 9);
    analyser_free(&rules);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_accuracy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
