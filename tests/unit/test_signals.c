/* Signals: each evidence signal on a hand-built case with its exact sentence and violation;
 * risk cap; suggested code and its tie-break; message frames as signals (one per frame).
 * The analyser itself is tested in test_analyse.c. */
#include "testlib.h"

#include <sqlite3.h>

#include "fbreview/config.h"
#include "fbreview/ingest.h"
#include "fbreview/store.h"
#include "fbreview/store_case.h"
#include "fbreview/model.h"
#include "fbreview/signals.h"

#define T0 1795500000000LL  /* 2026-11-23T... UTC, a fixed instant */
#define MIN (60LL * 1000)
#define HOUR (60 * MIN)
#define DAY (24 * HOUR)

/* ---- building cases by hand ---- */

static fb_case *new_case(void)
{
    fb_case *c = fb_case_new();
    assert_non_null(c);
    c->id = fb_strdup("C-1");
    c->opened_at = T0 + 30 * DAY;
    fb_account *a = fb_grow((void **)&c->accounts, &c->n_accounts, sizeof *a);
    a->id = fb_strdup("u-1");
    a->role = FB_ROLE_CLIENT;
    a->name = fb_strdup("Acme LLC");
    a = fb_grow((void **)&c->accounts, &c->n_accounts, sizeof *a);
    a->id = fb_strdup("u-2");
    a->role = FB_ROLE_FREELANCER;
    a->name = fb_strdup("J. Doe");
    return c;
}

/* A real, unremarkable contract: $400 budget, three weeks of work, feedback days later. */
static void honest_contract(fb_case *c)
{
    c->has_contract = 1;
    c->contract.id = fb_strdup("J-77");
    c->contract.client = fb_strdup("u-1");
    c->contract.freelancer = fb_strdup("u-2");
    c->contract.title = fb_strdup("Logo design");
    c->contract.created_at = T0;
    c->contract.started_at = T0 + HOUR;
    c->contract.ended_at = T0 + 21 * DAY;
    c->contract.has_budget = 1;
    c->contract.budget_minor = 40000;
    memcpy(c->contract.currency, "USD", 4);
}

static void add_link(fb_case *c, fb_link_kind k, const char *a, const char *b, const char *detail)
{
    fb_link *l = fb_grow((void **)&c->links, &c->n_links, sizeof *l);
    l->a = fb_strdup(a);
    l->b = fb_strdup(b);
    l->kind = k;
    l->detail = fb_strdup(detail);
}

static void add_pay(fb_case *c, fb_pay_kind k, const char *from, const char *to, int64_t minor, int64_t at)
{
    fb_payment *p = fb_grow((void **)&c->payments, &c->n_payments, sizeof *p);
    p->id = fb_strdup("P");
    p->from = fb_strdup(from);
    p->to = fb_strdup(to);
    p->kind = k;
    p->amount_minor = minor;
    memcpy(p->currency, "USD", 4);
    p->at = at;
}

static void add_fb(fb_case *c, const char *from, const char *to, int rating, int64_t at)
{
    fb_feedback *f = fb_grow((void **)&c->feedback, &c->n_feedback, sizeof *f);
    f->from = fb_strdup(from);
    f->to = fb_strdup(to);
    f->rating = rating;
    f->text = fb_strdup("Great");
    f->at = at;
}

static void add_msg(fb_case *c, const char *from, const char *body)
{
    fb_message *m = fb_grow((void **)&c->messages, &c->n_messages, sizeof *m);
    m->from = fb_strdup(from);
    m->to = fb_strdup(strcmp(from, "u-1") == 0 ? "u-2" : "u-1");
    m->at = T0 + 2 * HOUR;
    m->body = fb_strdup(body);
}

static fb_analyser *rules;

static int setup(void **state)
{
    (void)state;
    fb_err err = {0};
    if (analyser_default(&rules, &err) != FB_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    analyser_free(&rules);
    return 0;
}

static void compute(fb_case *c)
{
    fb_err err = {0};
    ingest_derive_parties(c);
    assert_int_equal(signals_compute(c, rules, &err), FB_OK);
}

static const fb_signal *find_sig(const fb_case *c, const char *code)
{
    for (size_t i = 0; i < c->n_signals; i++)
        if (strcmp(c->signals[i].code, code) == 0)
            return &c->signals[i];
    return NULL;
}

/* The case has exactly this signal (code, violation, sentence). */
static void expect_sig(const fb_case *c, const char *code, fb_violation v, const char *sentence)
{
    const fb_signal *g = find_sig(c, code);
    if (!g) {
        for (size_t i = 0; i < c->n_signals; i++)
            fprintf(stderr, "  have %s: %s\n", c->signals[i].code, c->signals[i].sentence);
        fail_msg("no signal %s", code);
        return;
    }
    assert_int_equal(g->violation, v);
    assert_string_equal(g->sentence, sentence);
    assert_true(g->weight > 0);
}

/* ---- evidence signals ---- */

static void test_honest_case_has_no_signals(void **state)
{
    (void)state;
    fb_case *c = new_case();
    honest_contract(c);
    add_pay(c, FB_PAY_PAYMENT, "u-1", "u-2", 40000, T0 + 21 * DAY);
    add_fb(c, "u-1", "u-2", 5, T0 + 22 * DAY);
    add_fb(c, "u-2", "u-1", 5, T0 + 22 * DAY + HOUR); /* one mutual pair is normal */
    add_msg(c, "u-2", "Final files attached. Please leave honest feedback when you have a moment.");
    add_msg(c, "u-1", "Thanks, great work! Will do.");
    compute(c);
    /* the only signal is the positive ground: a request without pressure, weighing nothing */
    assert_int_equal(c->n_signals, 1);
    assert_string_equal(c->signals[0].code, "ok_honest_request");
    assert_int_equal(c->signals[0].weight, 0);
    assert_int_equal(c->signals[0].violation, FB_V_NONE);
    assert_int_equal(signals_stance(c), FB_STANCE_OK);
    for (size_t i = 0; i < c->n_matches; i++)
        assert_int_equal(c->matches[i].violation, FB_V_NONE);
    assert_int_equal(c->risk, 0);
    assert_int_equal(c->suggested, FB_V_NONE);
    fb_case_free(&c);
}

static void test_link_signals_each_kind(void **state)
{
    (void)state;
    static const struct { fb_link_kind k; const char *detail, *code, *sentence; fb_violation v; } cases[] = {
        {FB_LINK_SAME_PAYMENT_METHOD, "card ending 4242", "link_same_payment_method",
         "client and freelancer share payment method card ending 4242", FB_V_SELF_HIRE},
        {FB_LINK_SAME_DEVICE, "a1b2-c3d4", "link_same_device", "client and freelancer share device a1b2-c3d4", FB_V_SELF_HIRE},
        /* a detail that already names the kind is not repeated after it */
        {FB_LINK_SAME_DEVICE, "Device fingerprint 9f2c", "link_same_device",
         "client and freelancer share Device fingerprint 9f2c", FB_V_SELF_HIRE},
        {FB_LINK_SAME_IP, "IP 192.0.2.7", "link_same_ip", "client and freelancer share IP 192.0.2.7", FB_V_SELF_HIRE},
        {FB_LINK_SAME_IP, "IPv6 2001:db8::1", "link_same_ip", "client and freelancer share IP address IPv6 2001:db8::1",
         FB_V_SELF_HIRE},
        {FB_LINK_SAME_IP, "203.0.113.7", "link_same_ip", "client and freelancer share IP address 203.0.113.7", FB_V_SELF_HIRE},
        {FB_LINK_SAME_ADDRESS, "12 High St", "link_same_address", "client and freelancer share address 12 High St", FB_V_SELF_HIRE},
        {FB_LINK_SAME_EMAIL_PATTERN, "jdoe+N@mail.test", "link_same_email_pattern",
         "client and freelancer share login email pattern jdoe+N@mail.test", FB_V_SELF_HIRE},
        {FB_LINK_SAME_TEAM, "Pixel Agency", "link_same_team", "client and freelancer are on the same team (Pixel Agency)",
         FB_V_CONFLICT_OF_INTEREST},
        {FB_LINK_SAME_TEAM, NULL, "link_same_team", "client and freelancer are on the same team", FB_V_CONFLICT_OF_INTEREST},
        {FB_LINK_SAME_DEVICE, NULL, "link_same_device", "client and freelancer share device", FB_V_SELF_HIRE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fb_case *c = new_case();
        honest_contract(c);
        /* freelancer named first: the sentence still reads "client and freelancer" */
        add_link(c, cases[i].k, i % 2 ? "u-2" : "u-1", i % 2 ? "u-1" : "u-2", cases[i].detail);
        compute(c);
        assert_int_equal(c->n_signals, 1);
        expect_sig(c, cases[i].code, cases[i].v, cases[i].sentence);
        assert_int_equal(c->suggested, cases[i].v);
        assert_int_equal(c->risk, c->signals[0].weight);
        /* any shared identity alone is worth a look, except an IP address (coworking Wi-Fi,
         * an office network), which needs something else beside it */
        if (cases[i].k == FB_LINK_SAME_IP)
            assert_true(c->risk < 30);
        else
            assert_true(c->risk >= 30);
        fb_case_free(&c);
    }
}

static void test_fast_feedback_short_contract_tiny_payment(void **state)
{
    (void)state;
    fb_case *c = new_case();
    honest_contract(c);
    c->contract.budget_minor = 500;
    c->contract.created_at = T0;
    c->contract.started_at = T0 + 5 * MIN;
    c->contract.ended_at = T0 + 20 * MIN;
    add_pay(c, FB_PAY_PAYMENT, "u-1", "u-2", 500, T0 + 19 * MIN);
    add_fb(c, "u-1", "u-2", 5, T0 + 21 * MIN);
    compute(c);
    expect_sig(c, "fast_feedback", FB_V_FAKE_JOB, "5-star feedback 16 minutes after the contract started, on a $5.00 job");
    expect_sig(c, "short_contract", FB_V_FAKE_JOB, "contract opened and closed within 20 minutes");
    expect_sig(c, "tiny_payment", FB_V_FAKE_JOB, "5-star feedback on a job paid $5.00 in total");
    assert_int_equal(c->suggested, FB_V_FAKE_JOB);
    assert_true(c->risk >= 30);
    fb_case_free(&c);
}

static void test_fast_feedback_without_budget_uses_paid(void **state)
{
    (void)state;
    fb_case *c = new_case();
    honest_contract(c);
    c->contract.has_budget = 0;
    add_pay(c, FB_PAY_PAYMENT, "u-1", "u-2", 2500, T0 + 2 * HOUR);
    add_fb(c, "u-1", "u-2", 5, T0 + 2 * HOUR); /* started at T0+1h: one hour later */
    compute(c);
    expect_sig(c, "fast_feedback", FB_V_FAKE_JOB, "5-star feedback 1 hour after the contract started, on a $25.00 job");
    assert_null(find_sig(c, "tiny_payment"));
    fb_case_free(&c);
}

static void test_zero_value_contract(void **state)
{
    (void)state;
    fb_case *c = new_case();
    honest_contract(c);
    c->contract.budget_minor = 0;
    add_fb(c, "u-1", "u-2", 5, T0 + 5 * DAY);
    compute(c);
    expect_sig(c, "zero_value_contract", FB_V_FREE_WORK_FOR_REVIEW, "zero-value contract: budget $0.00 and nothing paid");
    assert_null(find_sig(c, "tiny_payment"));
    assert_int_equal(c->suggested, FB_V_FREE_WORK_FOR_REVIEW);
    fb_case_free(&c);

    /* no budget given, nothing paid, yet 5-star feedback */
    c = new_case();
    honest_contract(c);
    c->contract.has_budget = 0;
    add_fb(c, "u-1", "u-2", 5, T0 + 5 * DAY);
    compute(c);
    expect_sig(c, "zero_value_contract", FB_V_FREE_WORK_FOR_REVIEW, "zero-value contract: no budget and nothing paid");
    fb_case_free(&c);
}

static void test_refund_and_bonus_after_feedback(void **state)
{
    (void)state;
    fb_case *c = new_case();
    honest_contract(c);
    add_pay(c, FB_PAY_PAYMENT, "u-1", "u-2", 40000, T0 + 21 * DAY);
    add_fb(c, "u-1", "u-2", 5, T0 + 22 * DAY);
    add_pay(c, FB_PAY_REFUND, "u-2", "u-1", 2000, T0 + 22 * DAY + 2 * HOUR);
    compute(c);
    expect_sig(c, "refund_after_feedback", FB_V_PAID_FEEDBACK, "refund of $20.00 from the freelancer 2 hours after 5-star feedback");
    assert_int_equal(c->suggested, FB_V_PAID_FEEDBACK);
    fb_case_free(&c);

    /* a bonus back to the freelancer who praised the client */
    c = new_case();
    honest_contract(c);
    add_fb(c, "u-2", "u-1", 5, T0 + 22 * DAY);
    add_pay(c, FB_PAY_BONUS, "u-1", "u-2", 5000, T0 + 23 * DAY);
    compute(c);
    expect_sig(c, "bonus_after_feedback", FB_V_PAID_FEEDBACK, "bonus of $50.00 from the client 1 day after 5-star feedback");
    fb_case_free(&c);

    /* a tip to the freelancer the client just praised is not payback; neither is a refund weeks later */
    c = new_case();
    honest_contract(c);
    add_pay(c, FB_PAY_PAYMENT, "u-1", "u-2", 40000, T0 + 21 * DAY);
    add_fb(c, "u-1", "u-2", 5, T0 + 22 * DAY);
    add_pay(c, FB_PAY_BONUS, "u-1", "u-2", 5000, T0 + 22 * DAY + HOUR);
    add_pay(c, FB_PAY_REFUND, "u-2", "u-1", 2000, T0 + 40 * DAY);
    compute(c);
    assert_int_equal(c->n_signals, 0);
    fb_case_free(&c);
}

static void test_reciprocal_feedback(void **state)
{
    (void)state;
    fb_case *c = new_case();
    honest_contract(c);
    add_pay(c, FB_PAY_PAYMENT, "u-1", "u-2", 40000, T0 + 21 * DAY);
    for (int i = 0; i < 3; i++) {
        add_fb(c, "u-1", "u-2", 5, T0 + (22 + i) * DAY);
        add_fb(c, "u-2", "u-1", 5, T0 + (22 + i) * DAY + HOUR);
    }
    add_fb(c, "u-2", "u-1", 5, T0 + 30 * DAY); /* unmatched: pairs count the smaller side */
    compute(c);
    expect_sig(c, "reciprocal_feedback", FB_V_FAKE_JOB, "reciprocal 5-star feedback between these accounts on 3 contracts");
    fb_case_free(&c);
}

static void test_prior_violations(void **state)
{
    (void)state;
    fb_case *c = new_case();
    honest_contract(c);
    add_fb(c, "u-1", "u-2", 5, T0 + 22 * DAY);
    fb_account *s = &c->accounts[1];
    fb_prior *p = fb_grow((void **)&s->prior, &s->n_prior, sizeof *p);
    p->action = FB_A_EDUCATION;
    p->violation = FB_V_PAID_FEEDBACK;
    p->at = 1772323200000LL; /* 2026-03-01 */
    p = fb_grow((void **)&s->prior, &s->n_prior, sizeof *p);
    p->action = FB_A_NO_VIOLATION; /* a dismissal is not an earlier violation */
    p->violation = FB_V_NONE;
    p->at = 1775000000000LL;
    compute(c);
    assert_int_equal(c->n_signals, 1);
    /* history says who, not what: it supports no code and adds only a little risk */
    expect_sig(c, "prior_violations", FB_V_NONE, "J. Doe has 1 earlier violation: education for paid_feedback (2026-03-01)");
    assert_true(c->risk > 0 && c->risk < 30);
    assert_int_equal(c->suggested, FB_V_NONE);
    fb_case_free(&c);
}

static void test_new_account(void **state)
{
    (void)state;
    fb_case *c = new_case();
    honest_contract(c);
    c->accounts[0].created_at = T0 - 3 * HOUR;           /* client: 3 hours before the contract */
    c->accounts[1].created_at = T0 - 900 * DAY;          /* freelancer: years */
    compute(c);
    assert_int_equal(c->n_signals, 1);
    expect_sig(c, "new_account", FB_V_SELF_HIRE, "client account created 3 hours before the contract");
    assert_true(c->risk < 30); /* a new account alone is not a case */
    fb_case_free(&c);

    /* a week and more is not new; unknown creation times say nothing */
    c = new_case();
    honest_contract(c);
    c->accounts[0].created_at = T0 - 8 * DAY;
    compute(c);
    assert_int_equal(c->n_signals, 0);
    fb_case_free(&c);
}

static void test_bonus_tip_is_not_payback(void **state)
{
    (void)state;
    /* the client praised the freelancer, then the freelancer praised the client, then the
     * client tipped: a tip for work the client had praised, not payment for praise */
    fb_case *c = new_case();
    honest_contract(c);
    add_pay(c, FB_PAY_PAYMENT, "u-1", "u-2", 40000, T0 + 21 * DAY);
    add_fb(c, "u-1", "u-2", 5, T0 + 22 * DAY);
    add_fb(c, "u-2", "u-1", 5, T0 + 22 * DAY + HOUR);
    add_pay(c, FB_PAY_BONUS, "u-1", "u-2", 3000, T0 + 22 * DAY + 3 * HOUR);
    compute(c);
    assert_int_equal(c->n_signals, 0);
    fb_case_free(&c);

    /* the same bonus after the client gave only 4 stars: payback for the praise */
    c = new_case();
    honest_contract(c);
    add_pay(c, FB_PAY_PAYMENT, "u-1", "u-2", 40000, T0 + 21 * DAY);
    add_fb(c, "u-2", "u-1", 5, T0 + 22 * DAY);
    add_fb(c, "u-1", "u-2", 4, T0 + 22 * DAY + MIN);
    add_pay(c, FB_PAY_BONUS, "u-1", "u-2", 3000, T0 + 22 * DAY + 3 * HOUR);
    compute(c);
    expect_sig(c, "bonus_after_feedback", FB_V_PAID_FEEDBACK, "bonus of $30.00 from the client 3 hours after 5-star feedback");
    fb_case_free(&c);
}

/* ---- risk and the suggested code ---- */

static void test_risk_is_capped(void **state)
{
    (void)state;
    fb_case *c = new_case();
    honest_contract(c);
    add_link(c, FB_LINK_SAME_DEVICE, "u-1", "u-2", "d1");
    add_link(c, FB_LINK_SAME_PAYMENT_METHOD, "u-1", "u-2", "card ending 1111");
    add_link(c, FB_LINK_SAME_IP, "u-1", "u-2", "198.51.100.1");
    add_msg(c, "u-2", "this is my other account, refund for 5 stars");
    compute(c);
    int sum = 0;
    for (size_t i = 0; i < c->n_signals; i++)
        sum += c->signals[i].weight;
    assert_true(sum > 100);
    assert_int_equal(c->risk, 100);
    assert_int_equal(c->suggested, FB_V_SELF_HIRE);
    /* strongest first */
    for (size_t i = 1; i < c->n_signals; i++)
        assert_true(c->signals[i - 1].weight >= c->signals[i].weight);
    fb_case_free(&c);
}

/* An analyser from TSV text: lexicon, then frames. */
static fb_analyser *parse_ok(const char *lex, const char *frames)
{
    fb_analyser *r = NULL;
    fb_err err = {0};
    if (analyser_parse("l.tsv", lex, "f.tsv", frames, &r, &err) != FB_OK)
        fail_msg("%s", err.msg);
    return r;
}

static void test_suggested_sum_then_tie_break(void **state)
{
    (void)state;
    fb_analyser *r = parse_ok("a\talpha\nb\tbeta\ng\tgamma\nd\tdelta\ne\tepsilon\n",
                              "fa\tfake_job\t20\tsentence\ta\ta\n"
                              "fb\tfake_job\t20\tmessage\tb\tb\n"
                              "fg\tpaid_feedback\t30\tmessage\tg\tc\n"
                              "fd\tself_hire\t40\tmessage\td\td\n"
                              "fe\tconflict_of_interest\t40\tmessage\te\te\n");
    fb_err err = {0};
    fb_case *c = new_case();
    /* sum wins over the heavier single signal: fake_job 40 (20+20) beats paid_feedback 30
     * (the sentence frame takes "alpha"; "beta" and "gamma" are two messages' frames) */
    add_msg(c, "u-1", "alpha.");
    add_msg(c, "u-1", "beta");
    add_msg(c, "u-1", "gamma");
    ingest_derive_parties(c);
    assert_int_equal(signals_compute(c, r, &err), FB_OK);
    assert_int_equal(c->suggested, FB_V_FAKE_JOB);
    assert_int_equal(c->risk, 70);
    fb_case_free(&c);

    /* equal sums (40 each): the heavier single signal wins (self_hire 40 over fake_job 20+20) */
    c = new_case();
    add_msg(c, "u-1", "alpha");
    add_msg(c, "u-1", "beta");
    add_msg(c, "u-1", "delta");
    ingest_derive_parties(c);
    assert_int_equal(signals_compute(c, r, &err), FB_OK);
    assert_int_equal(c->suggested, FB_V_SELF_HIRE);
    fb_case_free(&c);

    /* equal sums and equal heaviest: the earlier code in FB_VIOLATION_TABLE (self_hire) */
    for (int order = 0; order < 2; order++) {
        c = new_case();
        add_msg(c, "u-1", order ? "delta" : "epsilon");
        add_msg(c, "u-1", order ? "epsilon" : "delta");
        ingest_derive_parties(c);
        assert_int_equal(signals_compute(c, r, &err), FB_OK);
        assert_int_equal(c->suggested, FB_V_SELF_HIRE);
        fb_case_free(&c);
    }
    analyser_free(&r);
}

static void test_one_frame_one_signal(void **state)
{
    (void)state;
    /* the same frame firing in three messages is one signal, weighed once; every firing
     * is highlighted */
    fb_case *c = new_case();
    add_msg(c, "u-2", "I'll refund you after the 5 stars");
    add_msg(c, "u-2", "Refund for five stars, remember");
    add_msg(c, "u-2", "5 stars = refund");
    compute(c);
    int paid = 0;
    for (size_t i = 0; i < c->n_signals; i++)
        paid += c->signals[i].violation == FB_V_PAID_FEEDBACK;
    assert_int_equal(paid, 1);
    int seen[3] = {0};
    for (size_t i = 0; i < c->n_matches; i++)
        seen[c->matches[i].message] = 1;
    assert_true(seen[0] && seen[1] && seen[2]);
    assert_int_equal(c->suggested, FB_V_PAID_FEEDBACK);
    fb_case_free(&c);
}

static void test_no_analyser_and_recompute(void **state)
{
    (void)state;
    fb_err err = {0};
    fb_case *c = new_case();
    add_msg(c, "u-1", "refund for 5 stars");
    assert_int_equal(signals_compute(c, NULL, &err), FB_OK);
    assert_int_equal(c->n_signals, 0);
    /* computing twice replaces, never appends */
    assert_int_equal(signals_compute(c, rules, &err), FB_OK);
    size_t n = c->n_signals, m = c->n_matches;
    assert_true(n >= 1 && m >= 1);
    assert_int_equal(signals_compute(c, rules, &err), FB_OK);
    assert_int_equal(c->n_signals, n);
    assert_int_equal(c->n_matches, m);
    fb_case_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_honest_case_has_no_signals),
        cmocka_unit_test(test_link_signals_each_kind),
        cmocka_unit_test(test_fast_feedback_short_contract_tiny_payment),
        cmocka_unit_test(test_fast_feedback_without_budget_uses_paid),
        cmocka_unit_test(test_zero_value_contract),
        cmocka_unit_test(test_refund_and_bonus_after_feedback),
        cmocka_unit_test(test_reciprocal_feedback),
        cmocka_unit_test(test_prior_violations),
        cmocka_unit_test(test_new_account),
        cmocka_unit_test(test_bonus_tip_is_not_payback),
        cmocka_unit_test(test_risk_is_capped),
        cmocka_unit_test(test_suggested_sum_then_tie_break),
        cmocka_unit_test(test_one_frame_one_signal),
        cmocka_unit_test(test_no_analyser_and_recompute),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
