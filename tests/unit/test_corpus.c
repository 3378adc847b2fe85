/* Floors on the labelled message corpus (tests/data/messages.tsv, see tests/eval/corpus.h):
 * a change to the analyser's data or code that undoes issue 13's targets fails here. The
 * floors sit a little below what the analyser reaches (third pass), so a rule change cannot
 * silently undo the gains. Over the whole corpus: recall >= 90% and precision >= 80% for
 * every code, violating messages recommended no_violation <= 1%, hard negatives recommended
 * no_violation >= 95%, messages to read never dismissed. `make eval` prints the figures.
 * The blind blocks (tests/data/blind/, written after the rules): on the blocks used as
 * development data since their first measurement (1, 2, 3, 5) violating -> no_violation at
 * most 3%; block 4 (kept as a test set: its misses never read) no worse than its last
 * measurement (4 of 35); block 6 and the quoted pages no worse than today. The development blocks (tests/data/dev/): no violating message
 * dismissed, hard negatives kept >= 85%; block 15 (disguised wording): no violating message
 * dismissed, at most 10% of its disguised honest messages called a violation. */
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
    assert_int_equal(corpus_eval(path, an, pol, st, NULL, 0), 0);
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
    if (all->violating_nv * 100 > all->violating * 1)
        fail_msg("%d of %d violating messages recommended no_violation (floor 1%%)", all->violating_nv,
                 all->violating);
    if (all->negatives_nv * 100 < all->negatives * 95)
        fail_msg("%d of %d hard negatives kept (floor 95%%)", all->negatives_nv, all->negatives);
    assert_int_equal(all->reads_not_nv, all->reads);
    policy_free(&pol);
    analyser_free(&an);
    config_free(&cfg);
}

/* One block of tests/data/DIR measured (st: the parts' figures). */
static void eval_block(const char *dir, const char *name, corpus_stats st[PART_COUNT])
{
    const char *src = getenv("FB_SRC_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/data/%s/%s", src && *src ? src : ".", dir, name);
    fb_err err = {0};
    fb_analyser *an = NULL;
    fb_config *cfg = config_defaults();
    fb_policy *pol = NULL;
    assert_non_null(cfg);
    assert_int_equal(analyser_default(&an, &err), FB_OK);
    assert_int_equal(policy_load(cfg, &pol, &err), FB_OK);
    assert_int_equal(corpus_eval(path, an, pol, st, NULL, 0), 0);
    policy_free(&pol);
    analyser_free(&an);
    config_free(&cfg);
}

/* One block of tests/data/DIR: violating -> no_violation at most max_nv_pct, hard negatives
 * kept at least min_kept_pct, and (when all_reads) no message to read dismissed. */
static void block_in(const char *dir, const char *name, int max_nv_pct, int min_kept_pct, int all_reads)
{
    corpus_stats st[PART_COUNT];
    eval_block(dir, name, st);
    const corpus_stats *all = &st[PART_ALL];
    printf("%s: violating -> no_violation %d of %d, hard negatives kept %d of %d, reads kept %d of %d\n", name,
           all->violating_nv, all->violating, all->negatives_nv, all->negatives, all->reads_not_nv, all->reads);
    fflush(stdout);
    assert_true(all->lines >= 8);    /* the file was read, not cut short */
    if (all->violating_nv * 100 > all->violating * max_nv_pct)
        fail_msg("%s: %d of %d violating messages recommended no_violation (floor %d%%)", name, all->violating_nv,
                 all->violating, max_nv_pct);
    if (all->negatives_nv * 100 < all->negatives * min_kept_pct)
        fail_msg("%s: %d of %d hard negatives kept (floor %d%%)", name, all->negatives_nv, all->negatives,
                 min_kept_pct);
    if (all_reads)
        assert_int_equal(all->reads_not_nv, all->reads);
}

/* Recall of every code the block has at least min_recall_pct. */
static void recall_in(const char *dir, const char *name, int min_recall_pct)
{
    corpus_stats st[PART_COUNT];
    eval_block(dir, name, st);
    const corpus_stats *all = &st[PART_ALL];
    for (int v = 0; v < FB_V_COUNT; v++)
        if (all->truth[v] > 0 && all->tp[v] * 100 < all->truth[v] * min_recall_pct)
            fail_msg("%s: %s recall %d/%d (floor %d%%)", name, fb_violation_str((fb_violation)v), all->tp[v],
                     all->truth[v], min_recall_pct);
}

static void test_blind_tuned_blocks(void **state)
{
    (void)state;
    block_in("blind", "block1.tsv", 3, 90, 1);
    block_in("blind", "block2.tsv", 3, 75, 1);
    block_in("blind", "block3.tsv", 3, 90, 1);
    block_in("blind", "block5.tsv", 3, 90, 1);
}

/* Block 4's figure (8 of 35 = 22.9% before the third pass, 5 of 35 = 14.3% after, 2 of 35 =
 * 5.7% after the fourth pass's classes) is a ratchet, not the target (5%). */
static void test_blind_block4_no_worse(void **state)
{
    (void)state;
    block_in("blind", "block4.tsv", 6, 90, 0);
}

/* Block 6 was measured once blind (13 of 54 violating dismissed with the third pass's rules),
 * then read to find what kind of wording the rules miss (a language they do not read; 3 of 54
 * dismissed after the fourth pass's classes); and the
 * lines quoted from public pages (tests/data/quoted/): ratchets at today's figures. */
static void test_blind_block6_and_quoted_pages(void **state)
{
    (void)state;
    block_in("blind", "block6.tsv", 6, 80, 1);
    block_in("quoted", "pages.tsv", 5, 50, 0);
}

/* Blocks 7, 8 and 9 were written blind in the fourth session, by helpers who never opened the
 * rules, and measured at once with the rules of 714c366 (violating -> no_violation 9 of 91,
 * 4 of 79, 13 of 69; hard negatives kept 26 of 33, 25 of 29, 13 of 24). Nobody reads their
 * misses: they measure generalisation. These floors are those first figures: no rule change
 * may make them worse. One exception, by decision (issue 13, w-evade): a disguised word is
 * itself evidence, so a disguised honest message is "read this case", never no_violation;
 * with that, block 9 (hostile spellings) went to violating -> no_violation 2 of 69 and hard
 * negatives kept 8 of 24 (the other 16 read, none called a violation), measured once with
 * the disguise readings finished, its lines never read. Its floors are those figures. */
static void test_blind_held_out_blocks(void **state)
{
    (void)state;
    block_in("blind", "block7.tsv", 10, 78, 0);
    block_in("blind", "block8.tsv", 6, 86, 1);
    block_in("blind", "block9.tsv", 3, 33, 1);
}

static void test_dev_blocks(void **state)
{
    (void)state;
    static const char *const dev[] = {"dev1.tsv", "dev2.tsv", "dev3.tsv", "dev4.tsv", "dev5.tsv", "dev6.tsv", "dev7.tsv", "dev8.tsv", "dev9.tsv", "dev10.tsv", "dev11.tsv", "dev12.tsv", "dev13.tsv", "dev14.tsv"};
    for (size_t i = 0; i < sizeof dev / sizeof dev[0]; i++)
        block_in("dev", dev[i], 0, 85, 1);
}

/* Development block 15: disguised wording (look-alike letters, invisible characters, letters
 * spaced out, digits for letters). No violating message dismissed; a disguised honest message
 * may be "read this case" (the disguise itself is evidence) but at most 1 in 10 is called a
 * violation. */
static void test_dev_disguised(void **state)
{
    (void)state;
    const char *src = getenv("FB_SRC_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/data/dev/dev15.tsv", src && *src ? src : ".");
    fb_err err = {0};
    fb_analyser *an = NULL;
    fb_config *cfg = config_defaults();
    fb_policy *pol = NULL;
    assert_non_null(cfg);
    assert_int_equal(analyser_default(&an, &err), FB_OK);
    assert_int_equal(policy_load(cfg, &pol, &err), FB_OK);
    corpus_stats st[PART_COUNT];
    assert_int_equal(corpus_eval(path, an, pol, st, NULL, 0), 0);
    const corpus_stats *all = &st[PART_ALL];
    int flagged = all->negatives - all->negatives_nv - all->negatives_read;
    printf("dev15.tsv: violating -> no_violation %d of %d, hard negatives called a violation %d of %d\n",
           all->violating_nv, all->violating, flagged, all->negatives);
    fflush(stdout);
    assert_true(all->violating >= 50 && all->negatives >= 15);   /* the file was read, not cut short */
    if (all->violating_nv > 0)
        fail_msg("dev15.tsv: %d of %d disguised violating messages recommended no_violation", all->violating_nv,
                 all->violating);
    if (flagged * 10 > all->negatives)
        fail_msg("dev15.tsv: %d of %d disguised honest messages called a violation (at most 10%%)", flagged,
                 all->negatives);
    policy_free(&pol);
    analyser_free(&an);
    config_free(&cfg);
}

/* Block 17 (self_hire, fake_job, conflict_of_interest: ratings as numbers, relationships,
 * one person on both sides, work that is not real; before the fourth pass 22 of 112 violating
 * were dismissed and recall was 61-76%): floors at the measured figures (1 of 112 dismissed,
 * 35 of 40 hard negatives kept, recall 97% per code). */
static void test_dev_block17(void **state)
{
    (void)state;
    block_in("dev", "dev17.tsv", 1, 87, 1);
    recall_in("dev", "dev17.tsv", 95);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus_floors),
        cmocka_unit_test(test_blind_tuned_blocks),
        cmocka_unit_test(test_blind_block4_no_worse),
        cmocka_unit_test(test_blind_block6_and_quoted_pages),
        cmocka_unit_test(test_blind_held_out_blocks),
        cmocka_unit_test(test_dev_blocks),
        cmocka_unit_test(test_dev_disguised),
        cmocka_unit_test(test_dev_block17),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
