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
 * dismissed, at most 10% of its disguised honest messages called a violation.
 * Since no_violation needs positive grounds (w-concl: talk of reviews no ok frame recognises
 * is "read"), no violating message of the blind blocks, the quoted pages or the development
 * blocks is dismissed (0 of each, measured): those floors are 0. Some honest lines are read
 * instead of dismissed, the accepted price: where a hard-negative floor was lowered, its line
 * says the measured value and why. */
#include "testlib.h"

#include "../eval/corpus.h"

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

static void test_corpus_floors(void **state)
{
    (void)state;
    corpus_stats st[PART_COUNT];
    eval_block(".", "messages.tsv", st);
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
    /* measured 1 of 451 (0.2%) with positive grounds only */
    if (all->violating_nv * 1000 > all->violating * 3)
        fail_msg("%d of %d violating messages recommended no_violation (floor 0.3%%)", all->violating_nv,
                 all->violating);
    if (all->negatives_nv * 100 < all->negatives * 95)
        fail_msg("%d of %d hard negatives kept (floor 95%%)", all->negatives_nv, all->negatives);
    assert_int_equal(all->reads_not_nv, all->reads);
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
    block_in("blind", "block1.tsv", 0, 100, 1);   /* measured: 0 of 51 dismissed, 15 of 15 kept */
    block_in("blind", "block2.tsv", 0, 90, 1);    /* 0 of 37; 16 of 17 kept */
    block_in("blind", "block3.tsv", 0, 100, 1);   /* 0 of 39; 19 of 19 kept */
    /* 0 of 54; 15 of 17 kept (88.2%, lowered from 90%): a refusal whose clause lists "money or
     * favours" (the "or" is a condition word) and a line in Spanish are read */
    block_in("blind", "block5.tsv", 0, 88, 1);
}

/* Block 4's figure (8 of 35 = 22.9% before the third pass, 5 of 35 = 14.3% after, 2 of 35 =
 * 5.7% after the fourth pass's classes) is a ratchet, not the target (5%). */
static void test_blind_block4_no_worse(void **state)
{
    (void)state;
    block_in("blind", "block4.tsv", 0, 90, 0);    /* measured 0 of 35 dismissed, 13 of 14 kept */
}

/* Block 6 was measured once blind (13 of 54 violating dismissed with the third pass's rules),
 * then read to find what kind of wording the rules miss (a language they do not read; 3 of 54
 * dismissed after the fourth pass's classes); and the
 * lines quoted from public pages (tests/data/quoted/): ratchets at today's figures. */
static void test_blind_block6_and_quoted_pages(void **state)
{
    (void)state;
    block_in("blind", "block6.tsv", 0, 94, 1);    /* measured 0 of 54 dismissed, 16 of 17 kept */
    /* 0 of 19 dismissed; 16 of 37 kept (43.2%, lowered from 50%): the pages describe the rules
     * in the third person ("you can politely ask a buyer to update a review", "if he chooses
     * not to do so"), which no ok frame recognises as plain, so they are read */
    block_in("quoted", "pages.tsv", 0, 43, 0);
}

/* Blocks 7, 8 and 9 were written blind in the fourth session, by helpers who never opened the
 * rules, and measured at once with the rules of 714c366 (violating -> no_violation 9 of 91,
 * 4 of 79, 13 of 69; hard negatives kept 26 of 33, 25 of 29, 13 of 24). Nobody reads their
 * misses: they measure generalisation. These floors are those first figures: no rule change
 * may make them worse. */
static void test_blind_held_out_blocks(void **state)
{
    (void)state;
    /* Measured once more (w-concl, rules frozen first, lines not read) when no_violation came
     * to need positive grounds: violating -> no_violation 1 of 91, 1 of 79, 11 of 69 (0 of 91
     * for block 7 once merged with the fourth pass; the floors tighten to those); hard negatives kept 22 of 33 (66.7%), 20 of 29 (69.0%), 12 of
     * 24 (50.0%), lowered from 78%, 86% and 54%: honest talk of reviews in wording no ok frame
     * recognises is now "read this case" instead of no_violation, the accepted price of never
     * dismissing talk of reviews the rules do not understand. */
    block_in("blind", "block7.tsv", 0, 66, 0);
    block_in("blind", "block8.tsv", 2, 68, 1);
    /* Block 9 (hostile spellings) once more (w-evade, the disguise readings finished first,
     * lines not read): a disguised word is itself evidence, so a disguised honest message is
     * "read this case", never no_violation: violating -> no_violation 0 of 69 (11 without the
     * disguise readings), hard negatives kept 7 of 24 (29.2%, lowered from 50%; the other 17
     * read; with the same readings on the fourth pass's rules: 2 of 69 and 8 of 24); blocks 7
     * and 8 unchanged by them. */
    block_in("blind", "block9.tsv", 0, 29, 1);
}

static void test_dev_blocks(void **state)
{
    (void)state;
    static const char *const dev[] = {"dev1.tsv", "dev2.tsv", "dev3.tsv", "dev4.tsv", "dev5.tsv", "dev6.tsv", "dev7.tsv", "dev8.tsv", "dev9.tsv", "dev10.tsv", "dev11.tsv", "dev13.tsv", "dev14.tsv"};
    for (size_t i = 0; i < sizeof dev / sizeof dev[0]; i++)
        block_in("dev", dev[i], 0, 85, 1);
    /* 2 of 3 kept (66.7%, lowered from 85%): "If the bug comes back, I'll have to leave an
     * honest review about it" is a review on a condition, which is read by design */
    block_in("dev", "dev12.tsv", 0, 66, 1);
    /* w-concl: 44 honest lines, 34 violating lines without the lever words the rules knew;
     * first measured 7 of 34 dismissed and 32 of 44 kept, then 0 of 34 and 41 of 44 (93.2%);
     * w-recon (changes before a review is left are no review changed): 42 of 44 (95.5%) */
    block_in("dev", "dev16.tsv", 0, 95, 1);
}

/* Development block 15: disguised wording (look-alike letters, invisible characters, letters
 * spaced out, digits for letters). No violating message dismissed; a disguised honest message
 * may be "read this case" (the disguise itself is evidence) but at most 1 in 10 is called a
 * violation. */
static void test_dev_disguised(void **state)
{
    (void)state;
    corpus_stats st[PART_COUNT];
    eval_block("dev", "dev15.tsv", st);
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
}

/* Block 17 (self_hire, fake_job, conflict_of_interest: ratings as numbers, relationships,
 * one person on both sides, work that is not real; before the fourth pass 22 of 112 violating
 * were dismissed and recall was 61-76%): floors at the measured figures (1 of 112 dismissed,
 * 35 of 40 hard negatives kept, recall 97% per code). */
static void test_dev_block17(void **state)
{
    (void)state;
    /* w-recon (work paused is no sham): 36 of 40 kept (90.0%) */
    block_in("dev", "dev17.tsv", 1, 90, 1);
    recall_in("dev", "dev17.tsv", 95);
}

/* Development block 18 (veiled threats, money that appears or disappears, free work for a
 * review; eight parts each measured once before the rules were tuned on it, and one of hard
 * negatives on the new words; before the fourth pass 36 of 316 violating were dismissed and
 * recall was 28-65%): floors at the figures reached (2 of 316 dismissed; 150 of 183 hard
 * negatives kept, most of the rest "read this case", so below the dev blocks' 85%; recall
 * paid 97.9%, free work 97.9%, extortion 92.7%). Merged with w-concl's positive grounds
 * (senses of "review" that are no talk of reviews, ok frames that rule out every lever) the
 * figures moved to 6 of 316 dismissed, 134 of 183 kept, extortion recall 90.3%. Reconciled
 * (w-recon: the review machinery is talk of reviews again, plain alone; every ok frame rules
 * out veiled, verdict and unpaid; a review tied to the work or to a time, and the sender
 * settling its own invoice, are plain): 0 of 316 dismissed, 149 of 183 kept (81.4%), recall
 * paid 97.9%, free work 98.9%, extortion 95.2%; the floors sit there. */
static void test_dev_block18(void **state)
{
    (void)state;
    block_in("dev", "dev18.tsv", 0, 81, 1);
    recall_in("dev", "dev18.tsv", 95);
    corpus_stats st[PART_COUNT];
    eval_block("dev", "dev18.tsv", st);
    const corpus_stats *all = &st[PART_ALL];
    static const fb_violation above[] = {FB_V_PAID_FEEDBACK, FB_V_FREE_WORK_FOR_REVIEW};
    for (size_t i = 0; i < sizeof above / sizeof above[0]; i++)
        if (all->tp[above[i]] * 100 < all->truth[above[i]] * 97)
            fail_msg("dev18.tsv: %s recall %d/%d (floor 97%%)", fb_violation_str(above[i]), all->tp[above[i]],
                     all->truth[above[i]]);
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
        cmocka_unit_test(test_dev_block18),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
