/* Floors on the labelled message corpus (tests/data/messages.tsv, see tests/eval/corpus.h):
 * a change to the analyser's data or code that undoes issue 13's targets fails here.
 * Over the whole corpus: recall >= 90% and precision >= 80% for every code, violating
 * messages recommended no_violation <= 5%, hard negatives recommended no_violation >= 90%,
 * messages to read never dismissed. `make eval` prints the same figures in full.
 * The blind blocks (tests/data/blind/, written after the rules): violating messages
 * recommended no_violation at most 5% on the blocks the second pass was tuned with, and on
 * block 4 (measured once after all tuning) no worse than that measurement (8 of 35). */
#include "testlib.h"

#include "../eval/corpus.h"

static void test_corpus_floors(void **state)
{
    (void)state;
    const char *src = getenv("FB_SRC_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/data/messages.tsv", src && *src ? src : ".");
    fb_err err = {0};
    fb_analyser *an = NULL;
    fb_config *cfg = config_defaults();
    fb_policy *pol = NULL;
    assert_non_null(cfg);
    assert_int_equal(analyser_default(&an, &err), FB_OK);
    assert_int_equal(policy_load(cfg, &pol, &err), FB_OK);
    corpus_stats st[PART_COUNT];
    assert_int_equal(corpus_eval(path, an, pol, st, NULL), 0);
    corpus_print(stdout, st);
    fflush(stdout);
    const corpus_stats *all = &st[PART_ALL];
    /* issue 13: at least 400 messages, 40 per code, 100 hard negatives */
    assert_true(all->lines >= 400);
    assert_true(all->negatives >= 100);
    for (int v = 0; v < FB_V_COUNT; v++) {
        assert_true(all->truth[v] >= 40);
        if (all->tp[v] * 100 < all->truth[v] * 90 || all->tp[v] * 100 < all->pred[v] * 80)
            fail_msg("%s: recall %d/%d, precision %d/%d (floors 90%% and 80%%)", fb_violation_str((fb_violation)v),
                     all->tp[v], all->truth[v], all->tp[v], all->pred[v]);
    }
    assert_true(all->violating_nv * 100 <= all->violating * 5);
    assert_true(all->negatives_nv * 100 >= all->negatives * 90);
    assert_int_equal(all->reads_not_nv, all->reads);
    policy_free(&pol);
    analyser_free(&an);
    config_free(&cfg);
}

/* One blind block: violating -> no_violation at most max_nv_pct, hard negatives kept at
 * least min_kept_pct, and (when all_reads) no message to read dismissed. */
static void blind_block(const char *name, int max_nv_pct, int min_kept_pct, int all_reads)
{
    const char *src = getenv("FB_SRC_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/data/blind/%s", src && *src ? src : ".", name);
    fb_err err = {0};
    fb_analyser *an = NULL;
    fb_config *cfg = config_defaults();
    fb_policy *pol = NULL;
    assert_non_null(cfg);
    assert_int_equal(analyser_default(&an, &err), FB_OK);
    assert_int_equal(policy_load(cfg, &pol, &err), FB_OK);
    corpus_stats st[PART_COUNT];
    assert_int_equal(corpus_eval(path, an, pol, st, NULL), 0);
    const corpus_stats *all = &st[PART_ALL];
    printf("%s: violating -> no_violation %d of %d, hard negatives kept %d of %d, reads kept %d of %d\n", name,
           all->violating_nv, all->violating, all->negatives_nv, all->negatives, all->reads_not_nv, all->reads);
    fflush(stdout);
    assert_true(all->violating >= 30);
    if (all->violating_nv * 100 > all->violating * max_nv_pct)
        fail_msg("%s: %d of %d violating messages recommended no_violation (floor %d%%)", name, all->violating_nv,
                 all->violating, max_nv_pct);
    if (all->negatives_nv * 100 < all->negatives * min_kept_pct)
        fail_msg("%s: %d of %d hard negatives kept (floor %d%%)", name, all->negatives_nv, all->negatives,
                 min_kept_pct);
    if (all_reads)
        assert_int_equal(all->reads_not_nv, all->reads);
    policy_free(&pol);
    analyser_free(&an);
    config_free(&cfg);
}

static void test_blind_tuned_blocks(void **state)
{
    (void)state;
    blind_block("block1.tsv", 5, 90, 1);
    blind_block("block2.tsv", 5, 75, 1);
    blind_block("block3.tsv", 5, 90, 1);
}

/* The true blind figure (8 of 35 = 22.9%) is a ratchet, not the target (5%). */
static void test_blind_block4_no_worse(void **state)
{
    (void)state;
    blind_block("block4.tsv", 23, 90, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus_floors),
        cmocka_unit_test(test_blind_tuned_blocks),
        cmocka_unit_test(test_blind_block4_no_worse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
