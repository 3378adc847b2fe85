/* The enforcement ladder (POLICY.md), thresholds and their config. */
#include "testlib.h"

#include "fbreview/policy.h"

static fb_policy *load(const char *extra)
{
    fb_config *cfg = config_defaults();
    fb_err err = {0};
    if (extra)
        assert_int_equal(config_apply_text(cfg, "test.conf", extra, &err), FB_OK);
    fb_policy *p = NULL;
    assert_int_equal(policy_load(cfg, &p, &err), FB_OK);
    config_free(&cfg);
    return p;
}

static fb_rec rec(const fb_policy *p, fb_violation v, int risk, int earlier, int blocks)
{
    fb_case c = {0};
    c.alleged = FB_V_NONE;
    c.suggested = v;
    c.risk = risk;
    fb_history h = {earlier, blocks};
    return policy_recommend(p, &c, &h);
}

/* Every cell of POLICY.md's table, for every code. */
static void test_ladder_table(void **state)
{
    (void)state;
    fb_policy *p = load(NULL);
    for (int v = 0; v < FB_V_COUNT; v++) {
        int serious = fb_violation_serious((fb_violation)v);
        fb_rec r0 = rec(p, (fb_violation)v, 80, 0, 0);
        fb_rec r1 = rec(p, (fb_violation)v, 80, 1, 0);
        fb_rec r2 = rec(p, (fb_violation)v, 80, 2, 0);
        fb_rec r5 = rec(p, (fb_violation)v, 80, 5, 0);
        assert_int_equal(r0.violation, v);
        if (serious) {
            assert_int_equal(r0.action, FB_A_SUSPENSION);
            assert_int_equal(r0.days, 14);
            assert_int_equal(r1.action, FB_A_SUSPENSION);
            assert_int_equal(r1.days, 30);
        } else {
            assert_int_equal(r0.action, FB_A_EDUCATION);
            assert_int_equal(r0.days, 0);
            assert_int_equal(r1.action, FB_A_SUSPENSION);
            assert_int_equal(r1.days, 14);
        }
        assert_int_equal(r2.action, FB_A_BLOCK);
        assert_int_equal(r5.action, FB_A_BLOCK);
    }
    /* Seriousness as POLICY.md lists it. */
    assert_true(fb_violation_serious(FB_V_SELF_HIRE));
    assert_true(fb_violation_serious(FB_V_PAID_FEEDBACK));
    assert_true(fb_violation_serious(FB_V_FEEDBACK_EXTORTION));
    assert_false(fb_violation_serious(FB_V_FAKE_JOB));
    assert_false(fb_violation_serious(FB_V_CONFLICT_OF_INTEREST));
    assert_false(fb_violation_serious(FB_V_FREE_WORK_FOR_REVIEW));
    policy_free(&p);
    assert_null(p);
}

static void test_earlier_block_means_block(void **state)
{
    (void)state;
    fb_policy *p = load(NULL);
    fb_rec r = rec(p, FB_V_FAKE_JOB, 80, 1, 1);
    assert_int_equal(r.action, FB_A_BLOCK);
    assert_non_null(strstr(r.why, "earlier block"));
    policy_free(&p);
}

static void test_low_risk_is_no_violation(void **state)
{
    (void)state;
    fb_policy *p = load(NULL);
    fb_rec r = rec(p, FB_V_PAID_FEEDBACK, 29, 3, 0);
    assert_int_equal(r.action, FB_A_NO_VIOLATION);
    assert_int_equal(r.violation, FB_V_NONE);
    assert_non_null(strstr(r.why, "below 30"));
    r = rec(p, FB_V_PAID_FEEDBACK, 30, 0, 0);
    assert_int_equal(r.action, FB_A_SUSPENSION);
    /* High risk but no code: nothing to enforce, and no ground to dismiss: read the case. */
    r = rec(p, FB_V_NONE, 90, 0, 0);
    assert_int_equal(r.action, FB_A_NONE);
    assert_non_null(strstr(r.why, "read this case"));
    policy_free(&p);
}

/* no_violation only on positive grounds: the analyser's "read" signal makes a low-risk case
 * "read this case" (no action, with its reason); an "ok" signal or no talk of reviews at all
 * leaves it no_violation; a code with enough risk still climbs the ladder. */
static void test_read_this_case(void **state)
{
    (void)state;
    fb_policy *p = load(NULL);
    fb_case c = {0};
    c.alleged = FB_V_PAID_FEEDBACK;
    c.suggested = FB_V_NONE;
    c.risk = 0;
    fb_signal g = {"read_review_money", FB_V_NONE, 0, (char *)"message talks of \u201creview\u201d and of \u201crefund\u201d"};
    c.signals = &g;
    c.n_signals = 1;
    fb_history h = {0, 0};
    fb_rec r = policy_recommend(p, &c, &h);
    assert_int_equal(r.action, FB_A_NONE);
    assert_int_equal(r.violation, FB_V_NONE);
    assert_string_equal(r.why, "read this case: message talks of \u201creview\u201d and of \u201crefund\u201d");
    /* the same case with a code and enough risk: the ladder */
    c.suggested = FB_V_PAID_FEEDBACK;
    c.risk = 45;
    r = policy_recommend(p, &c, &h);
    assert_int_equal(r.action, FB_A_SUSPENSION);
    /* a request without pressure: no_violation, saying why */
    c.suggested = FB_V_NONE;
    c.risk = 10;
    snprintf(g.code, sizeof g.code, "ok_honest_request");
    r = policy_recommend(p, &c, &h);
    assert_int_equal(r.action, FB_A_NO_VIOLATION);
    assert_non_null(strstr(r.why, "without pressure"));
    /* no message signal at all */
    c.n_signals = 0;
    r = policy_recommend(p, &c, &h);
    assert_int_equal(r.action, FB_A_NO_VIOLATION);
    assert_non_null(strstr(r.why, "no talk of reviews"));
    policy_free(&p);
}

static void test_alleged_used_without_suggestion(void **state)
{
    (void)state;
    fb_policy *p = load(NULL);
    fb_case c = {0};
    c.alleged = FB_V_SELF_HIRE;
    c.suggested = FB_V_NONE;
    c.risk = 50;
    fb_history h = {0, 0};
    fb_rec r = policy_recommend(p, &c, &h);
    assert_int_equal(r.violation, FB_V_SELF_HIRE);
    assert_int_equal(r.action, FB_A_SUSPENSION);
    /* The suggestion wins over the flagged code. */
    c.suggested = FB_V_FAKE_JOB;
    r = policy_recommend(p, &c, &h);
    assert_int_equal(r.violation, FB_V_FAKE_JOB);
    assert_int_equal(r.action, FB_A_EDUCATION);
    assert_non_null(strstr(r.why, "first violation, minor"));
    policy_free(&p);
}

static void test_config_overrides(void **state)
{
    (void)state;
    fb_policy *p = load("[ladder]\nminor.0 = suspension 7\nserious.1 = block\n"
                        "[policy]\nno_violation_below = 50\nhigh_risk = 70\nblock_needs_approval = no\n"
                        "appeal_separation = off\n");
    assert_int_equal(rec(p, FB_V_FAKE_JOB, 80, 0, 0).action, FB_A_SUSPENSION);
    assert_int_equal(rec(p, FB_V_FAKE_JOB, 80, 0, 0).days, 7);
    assert_int_equal(rec(p, FB_V_SELF_HIRE, 80, 1, 0).action, FB_A_BLOCK);
    assert_int_equal(rec(p, FB_V_SELF_HIRE, 45, 0, 0).action, FB_A_NO_VIOLATION);
    assert_int_equal(policy_no_violation_below(p), 50);
    assert_int_equal(policy_high_risk(p), 70);
    assert_int_equal(policy_block_needs_approval(p), 0);
    assert_int_equal(policy_appeal_separation(p), 0);
    policy_free(&p);
    p = load(NULL);
    assert_int_equal(policy_no_violation_below(p), 30);
    assert_int_equal(policy_block_needs_approval(p), 1);
    assert_int_equal(policy_appeal_separation(p), 1);
    policy_free(&p);
}

/* Bad values are refused when the config is read (the options table), naming file and line. */
static void expect_bad(const char *text, const char *needle)
{
    fb_config *cfg = config_defaults();
    fb_err err = {0};
    assert_int_equal(config_apply_text(cfg, "bad.conf", text, &err), FB_EINPUT);
    if (!strstr(err.msg, needle))
        fail_msg("expected \"%s\" in \"%s\"", needle, err.msg);
    /* Nothing of the bad text was kept: the policy is the default one. */
    fb_policy *p = NULL;
    assert_int_equal(policy_load(cfg, &p, &err), FB_OK);
    assert_int_equal(policy_no_violation_below(p), 30);
    fb_rec r = rec(p, FB_V_SELF_HIRE, 90, 1, 0);
    assert_int_equal(r.action, FB_A_SUSPENSION);
    assert_int_equal(r.days, 30);
    policy_free(&p);
    config_free(&cfg);
}

static void test_bad_config(void **state)
{
    (void)state;
    expect_bad("[ladder]\nminor.0 = warn\n", "bad.conf:2: [ladder] minor.0: expected education|suspension N|block");
    expect_bad("[ladder]\nserious.1 = suspension\n", "bad.conf:2: [ladder] serious.1: expected education|suspension N|block (N from 1 to 365)");
    expect_bad("[ladder]\nserious.1 = suspension 400\n", "(N from 1 to 365), got \"suspension 400\"");
    expect_bad("[ladder]\nserious.1 = suspension 30\nserious.1 = block 3\n", "bad.conf:3: [ladder] serious.1: expected");
    expect_bad("[ladder]\nminor.3 = block\n", "bad.conf:2: [ladder] minor.3: unknown setting");
    expect_bad("[policy]\nno_violation_below = lots\n", "bad.conf:2: [policy] no_violation_below: expected a whole number");
    expect_bad("[policy]\nblock_needs_approval = maybe\n", "bad.conf:2: [policy] block_needs_approval: expected true or false");
}

/* The ladder rows of the options table take the model's suspension lengths (one rule). */
static void test_ladder_days_follow_the_model(void **state)
{
    (void)state;
    for (int id = OPT_LADDER_MINOR_0; id <= OPT_LADDER_SERIOUS_2; id++) {
        const fb_option *o = config_option((fb_option_id)id);
        assert_string_equal(o->section, "ladder");
        assert_int_equal(o->min, FB_DAYS_MIN);
        assert_int_equal(o->max, FB_DAYS_MAX);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ladder_table),
        cmocka_unit_test(test_earlier_block_means_block),
        cmocka_unit_test(test_low_risk_is_no_violation),
        cmocka_unit_test(test_read_this_case),
        cmocka_unit_test(test_alleged_used_without_suggestion),
        cmocka_unit_test(test_config_overrides),
        cmocka_unit_test(test_bad_config),
        cmocka_unit_test(test_ladder_days_follow_the_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
