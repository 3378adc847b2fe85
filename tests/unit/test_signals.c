/* Signals: each evidence signal on a hand-built case with its exact sentence and violation;
 * phrase rules (case-insensitive, byte ranges, UTF-8, no false positives on honest requests);
 * risk cap; suggested code and its tie-break; rules file parse errors. */
#include "testlib.h"

#include <sqlite3.h>

#include "fbreview/config.h"
#include "fbreview/ingest.h"
#include "fbreview/store.h"
#include "fbreview/store_case.h"
#include "fbreview/store_rules.h"
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

static fb_rules *rules;

static int setup(void **state)
{
    (void)state;
    fb_err err = {0};
    if (signals_rules_default(&rules, &err) != FB_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    signals_rules_free(&rules);
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
    assert_int_equal(c->n_signals, 0);
    assert_int_equal(c->n_matches, 0);
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

/* ---- phrase rules ---- */

static void expect_phrase(const char *body, fb_violation v, const char *matched)
{
    fb_case *c = new_case();
    honest_contract(c);
    add_msg(c, "u-2", "hello");
    add_msg(c, "u-2", body);
    compute(c);
    if (c->n_matches == 0)
        fail_msg("no phrase matched in \"%s\"", body);
    assert_int_equal(c->matches[0].message, 1);
    assert_int_equal(c->matches[0].violation, v);
    char got[512];
    snprintf(got, sizeof got, "%.*s", (int)c->matches[0].len, body + c->matches[0].start);
    assert_string_equal(got, matched);
    assert_int_equal(c->suggested, v);
    fb_case_free(&c);
}

static void test_phrases_each_violation(void **state)
{
    (void)state;
    expect_phrase("I'll REFUND you the $20 after you leave 5 stars", FB_V_PAID_FEEDBACK, "REFUND you the $20 after you leave 5 star");
    expect_phrase("Give me five-star feedback and I will pay you back", FB_V_PAID_FEEDBACK, "five-star feedback and I will pay you back");
    expect_phrase("I can send you $15 for a positive review.", FB_V_PAID_FEEDBACK, "send you $15 for a positive review");
    expect_phrase("I'll do the next logo for free if you write me a good review", FB_V_FREE_WORK_FOR_REVIEW,
                  "for free if you write me a good review");
    expect_phrase("Unless you give me 5 stars I will dispute this", FB_V_FEEDBACK_EXTORTION, "Unless you give me 5 star");
    expect_phrase("Pay the full amount or I’ll leave 1 star.", FB_V_FEEDBACK_EXTORTION, "or I’ll leave 1 star");
    expect_phrase("Don't worry, we're on the same team anyway", FB_V_CONFLICT_OF_INTEREST, "same team");
    expect_phrase("Thanks to my Colleague for the help", FB_V_CONFLICT_OF_INTEREST, "my Colleague");
    expect_phrase("I'll accept the offer from my other account", FB_V_SELF_HIRE, "my other account");
    expect_phrase("It's just a test job, no real work needed", FB_V_FAKE_JOB, "just a test job");
    expect_phrase("No need to actually do anything, it's only for the rating.", FB_V_FAKE_JOB,
                  "No need to actually do anything");
    expect_phrase("Leave me a glowing review and there's an extra tip in it for you.", FB_V_PAID_FEEDBACK,
                  "glowing review and there's an extra");
    expect_phrase("Quick deal: 5 stars from you = full refund from me.", FB_V_PAID_FEEDBACK,
                  "5 stars from you = full refund");
    expect_phrase("Free logo in exchange for an honest 5-star rating :)", FB_V_FREE_WORK_FOR_REVIEW,
                  "in exchange for an honest 5-star");
    expect_phrase("Let's set the price to zero and you leave feedback instead.", FB_V_FREE_WORK_FOR_REVIEW, "price to zero");
    expect_phrase("If I don't see a 5-star review by tonight, I'm leaving you 1 star.", FB_V_FEEDBACK_EXTORTION,
                  "5-star review by tonight, I'm leaving you 1 star");
    expect_phrase("Give me a good rating, otherwise you will regret it.", FB_V_FEEDBACK_EXTORTION, "good rating, otherwise");
    expect_phrase("It would be a shame if your profile got a bad review.", FB_V_FEEDBACK_EXTORTION,
                  "shame if your profile got a bad review");
    expect_phrase("Let's swap reviews like the rest of the team did.", FB_V_CONFLICT_OF_INTEREST, "swap reviews");
    expect_phrase("Logged in on the other account, accepting now.", FB_V_SELF_HIRE, "the other account");
}

static void test_phrase_byte_ranges_and_utf8(void **state)
{
    (void)state;
    /* Multi-byte characters before the match: offsets are bytes into the original body. */
    const char *body = "Ça va? Très bien — je vous REMBOURSE… no: I'll Refund you for 5★… OR 5 STARS!";
    fb_case *c = new_case();
    add_msg(c, "u-2", body);
    compute(c);
    assert_true(c->n_matches >= 1);
    const char *want = "Refund you for 5★… OR 5 STAR";
    size_t start = (size_t)(strstr(body, "Refund") - body);
    assert_int_equal(c->matches[0].start, start);
    assert_int_equal(c->matches[0].len, strlen(want));
    assert_memory_equal(body + c->matches[0].start, want, strlen(want));
    assert_int_equal(c->matches[0].violation, FB_V_PAID_FEEDBACK);
    expect_sig(c, "phrase_paid_feedback", FB_V_PAID_FEEDBACK, "message offers a refund for 5 stars");
    fb_case_free(&c);
}

static void test_phrase_every_occurrence_is_highlighted_once_signal(void **state)
{
    (void)state;
    fb_case *c = new_case();
    add_msg(c, "u-1", "same team. Same  Team. SAME-TEAM");
    add_msg(c, "u-2", "yes, my colleague");
    compute(c);
    assert_int_equal(c->n_matches, 4);
    static const size_t starts[] = {0, 11, 23};
    static const size_t lens[] = {9, 10, 9};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(c->matches[i].message, 0);
        assert_int_equal(c->matches[i].start, starts[i]);
        assert_int_equal(c->matches[i].len, lens[i]);
    }
    assert_int_equal(c->matches[3].message, 1);
    assert_int_equal(c->matches[3].start, 5);
    /* two rules matched, so two signals, each once however often it matched */
    assert_int_equal(c->n_signals, 2);
    assert_int_equal(c->suggested, FB_V_CONFLICT_OF_INTEREST);
    fb_case_free(&c);
}

static void test_phrase_word_start_and_sentence_bounds(void **state)
{
    (void)state;
    fb_case *c = new_case();
    /* "steam" does not start "team"; "myother" is not... but "my other" across a sentence is
     * not a gap: "refund." ends a sentence before the stars. */
    add_msg(c, "u-1", "Nice steam engine. Refund processed. Thanks for the 5 stars!");
    add_msg(c, "u-1", "Feel free to reach out for any changes before you leave a review.");
    compute(c);
    assert_int_equal(c->n_matches, 0);
    assert_int_equal(c->n_signals, 0);
    fb_case_free(&c);
}

static void test_honest_requests_and_chatter_do_not_trigger(void **state)
{
    (void)state;
    static const char *const honest[] = {
        "Please leave honest feedback when you have a moment.",
        "If you were happy with the work, I'd appreciate a review. No pressure at all!",
        "Thanks for the 5 stars! It was a pleasure working with you.",
        "Could you leave feedback on the contract once you've reviewed the files? Thank you.",
        "Total $50 for the logo. Thanks for the 5 stars!",
        "Let me know if you need any changes, unless you're happy with it as is.",
        "Unless you have more feedback on the draft, I'll send the final version.",
        "I processed the refund for the cancelled milestone as agreed.",
        "Your feedback helps me a lot — whatever rating you think is fair.",
        "Feel free to ask for revisions for free before we close.",
        "My team will deliver the rest tomorrow.",
        "I'll review the brief and get back to you.",
        "The freelancer account settings were confusing, but I found it.",
        "Happy to work together again! I left you 5 stars as well.",
        "I'm a freelancer based in Lisbon, available for more work.",
        "Would you mind rating my work? Only if you have time.",
        "A kind reminder: the contract ends Friday. Honest feedback welcome.",
        "I will leave feedback after I test the app.",
        "Got the bonus, thank you so much! Leaving feedback now.",
        "The test job went well, let's start the real project.",
        "Thanks for the great review and the extra tip!",
        "Unpaid invoices are listed in the report; please review them.",
        "I'm at the office today, I'll review the draft tonight.",
        "Good or bad, your feedback helps me improve. Any rating you think is fair.",
        "Please don't forget to close the contract or I will not get paid.",
        "We could try a different budget, or else split it into two milestones.",
        "Our colleague in design will join the call.",
    };
    fb_case *c = new_case();
    honest_contract(c);
    add_pay(c, FB_PAY_PAYMENT, "u-1", "u-2", 40000, T0 + 21 * DAY);
    add_fb(c, "u-1", "u-2", 5, T0 + 22 * DAY);
    for (size_t i = 0; i < sizeof honest / sizeof honest[0]; i++)
        add_msg(c, i % 2 ? "u-1" : "u-2", honest[i]);
    compute(c);
    for (size_t i = 0; i < c->n_matches; i++)
        fprintf(stderr, "  false positive in \"%s\": \"%.*s\"\n", honest[c->matches[i].message],
                (int)c->matches[i].len, honest[c->matches[i].message] + c->matches[i].start);
    assert_int_equal(c->n_matches, 0);
    assert_int_equal(c->n_signals, 0);
    assert_int_equal(c->risk, 0);
    assert_int_equal(c->suggested, FB_V_NONE);
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

static fb_rules *parse_ok(const char *tsv)
{
    fb_rules *r = NULL;
    fb_err err = {0};
    if (signals_rules_parse("t.tsv", tsv, &r, &err) != FB_OK)
        fail_msg("%s", err.msg);
    return r;
}

static void test_suggested_sum_then_tie_break(void **state)
{
    (void)state;
    fb_rules *r = parse_ok("alpha\tfake_job\t20\ta\n"
                           "beta\tfake_job\t20\tb\n"
                           "gamma\tpaid_feedback\t30\tc\n"
                           "delta\tself_hire\t40\td\n"
                           "epsilon\tconflict_of_interest\t40\te\n");
    fb_err err = {0};
    fb_case *c = new_case();
    /* sum wins over the heavier single signal: fake_job 40 (20+20) beats paid_feedback 30 */
    add_msg(c, "u-1", "alpha beta gamma");
    ingest_derive_parties(c);
    assert_int_equal(signals_compute(c, r, &err), FB_OK);
    assert_int_equal(c->suggested, FB_V_FAKE_JOB);
    assert_int_equal(c->risk, 70);
    fb_case_free(&c);

    /* equal sums (40 each): the heavier single signal wins (self_hire 40 over fake_job 20+20) */
    c = new_case();
    add_msg(c, "u-1", "alpha beta delta");
    ingest_derive_parties(c);
    assert_int_equal(signals_compute(c, r, &err), FB_OK);
    assert_int_equal(c->suggested, FB_V_SELF_HIRE);
    fb_case_free(&c);

    /* equal sums and equal heaviest: the earlier code in FB_VIOLATION_TABLE (self_hire) */
    c = new_case();
    add_msg(c, "u-1", "epsilon delta");
    ingest_derive_parties(c);
    assert_int_equal(signals_compute(c, r, &err), FB_OK);
    assert_int_equal(c->suggested, FB_V_SELF_HIRE);
    fb_case_free(&c);
    c = new_case();
    add_msg(c, "u-1", "delta epsilon");
    ingest_derive_parties(c);
    assert_int_equal(signals_compute(c, r, &err), FB_OK);
    assert_int_equal(c->suggested, FB_V_SELF_HIRE);
    fb_case_free(&c);
    signals_rules_free(&r);
}

static void test_one_idea_one_signal_one_highlight(void **state)
{
    (void)state;
    /* two default refund rules match this body; they share a sentence: one signal and one
     * highlight (overlapping matches of one group are not repeated) */
    fb_case *c = new_case();
    add_msg(c, "u-2", "I'll refund you after the 5 stars");
    compute(c);
    assert_int_equal(c->n_signals, 1);
    expect_sig(c, "phrase_paid_feedback", FB_V_PAID_FEEDBACK, "message offers a refund for 5 stars");
    assert_int_equal(c->n_matches, 1);
    assert_int_equal(c->matches[0].start, 5);
    fb_case_free(&c);
}

static void test_same_sentence_rules_are_one_signal(void **state)
{
    (void)state;
    fb_rules *r = parse_ok("foo\tpaid_feedback\t20\tmoney talk\n"
                           "bar\tpaid_feedback\t35\tmoney talk\n");
    fb_err err = {0};
    fb_case *c = new_case();
    add_msg(c, "u-1", "foo and bar");
    assert_int_equal(signals_compute(c, r, &err), FB_OK);
    assert_int_equal(c->n_signals, 1);
    assert_int_equal(c->signals[0].weight, 35);
    assert_string_equal(c->signals[0].code, "phrase_paid_feedback");
    assert_string_equal(c->signals[0].sentence, "money talk");
    assert_int_equal(c->n_matches, 2);
    fb_case_free(&c);
    signals_rules_free(&r);
}

static void test_pattern_syntax(void **state)
{
    (void)state;
    fb_rules *r = parse_ok("# comment\n\n"
                           "won't [pay|refund]*[5|five] star\tpaid_feedback\t10\tx\r\n");
    assert_int_equal(signals_rules_count(r), 1);
    static const struct { const char *text; int hits; } t[] = {
        {"I WONT refund unless five stars", 1},
        {"i won’t pay, not for 5-stars", 1},
        {"i won't pay a b c d e f 5 stars", 1},      /* six words skipped */
        {"i won't pay a b c d e f g 5 stars", 0},    /* seven is too many */
        {"i won't pay. 5 stars", 0},                 /* not across a sentence */
        {"i won't pay $5.00 for 5 stars", 1},        /* a decimal point is not a sentence end */
        {"(won't pay 5 stars)", 1},                  /* punctuation before a word start */
        {"swon't pay 5 stars", 0},                   /* matches start at a word */
    };
    fb_err err = {0};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        fb_case *c = new_case();
        add_msg(c, "u-1", t[i].text);
        assert_int_equal(signals_compute(c, r, &err), FB_OK);
        if ((int)c->n_matches != t[i].hits)
            fail_msg("\"%s\": %zu matches, want %d", t[i].text, c->n_matches, t[i].hits);
        fb_case_free(&c);
    }
    signals_rules_free(&r);
}

static void expect_parse_error(const char *tsv, const char *msg)
{
    fb_rules *r = NULL;
    fb_err err = {0};
    assert_int_equal(signals_rules_parse("phrases.tsv", tsv, &r, &err), FB_EINPUT);
    assert_null(r);
    if (strncmp(err.msg, msg, strlen(msg)) != 0)
        fail_msg("got \"%s\", want it to start with \"%s\"", err.msg, msg);
}

static void test_rules_parse_errors(void **state)
{
    (void)state;
    const char *ok = "# header\nfoo\tfake_job\t10\tfoo said\n";
    char buf[256];
    snprintf(buf, sizeof buf, "%sbar\tpaid\t10\tx\n", ok);
    expect_parse_error(buf, "phrases.tsv:3: violation: unknown code \"paid\"");
    snprintf(buf, sizeof buf, "%sbar\tfake_job\tten\tx\n", ok);
    expect_parse_error(buf, "phrases.tsv:3: weight: \"ten\" is not a whole number 1..100");
    snprintf(buf, sizeof buf, "%sbar\tfake_job\t101\tx\n", ok);
    expect_parse_error(buf, "phrases.tsv:3: weight: \"101\"");
    snprintf(buf, sizeof buf, "%sbar\tfake_job\t0\tx\n", ok);
    expect_parse_error(buf, "phrases.tsv:3: weight: \"0\"");
    snprintf(buf, sizeof buf, "%sbar\tfake_job\t10\n", ok);
    expect_parse_error(buf, "phrases.tsv:3: sentence: missing");
    snprintf(buf, sizeof buf, "%sbar\tfake_job\n", ok);
    expect_parse_error(buf, "phrases.tsv:3: weight: missing");
    snprintf(buf, sizeof buf, "%sbar\n", ok);
    expect_parse_error(buf, "phrases.tsv:3: violation: missing");
    snprintf(buf, sizeof buf, "%sbar\tfake_job\t10\t\n", ok);
    expect_parse_error(buf, "phrases.tsv:3: sentence: empty");
    snprintf(buf, sizeof buf, "%sbar\tfake_job\t10\tx\textra\n", ok);
    expect_parse_error(buf, "phrases.tsv:3: sentence: contains a TAB");
    snprintf(buf, sizeof buf, "%sfoo\tfake_job\t10\tagain\n", ok);
    expect_parse_error(buf, "phrases.tsv:3: pattern: \"foo\" appears twice");
    static const struct { const char *pat, *msg; } bad[] = {
        {"[a|b", "phrases.tsv:3: pattern: '[' without its ']'"},
        {"a]", "phrases.tsv:3: pattern: ']' without its '['"},
        {"[a|[b]]", "phrases.tsv:3: pattern: '[' inside [ ]"},
        {"[a||b]", "phrases.tsv:3: pattern: empty alternative"},
        {"*a", "phrases.tsv:3: pattern: starts with a gap"},
        {"a*", "phrases.tsv:3: pattern: ends with a gap"},
        {"a**b", "phrases.tsv:3: pattern: two gaps"},
        {"a|b", "phrases.tsv:3: pattern: '|' outside [ ]"},
        {" a", "phrases.tsv:3: pattern: must start with literal text"},
        {"[a*b]", "phrases.tsv:3: pattern: '*' inside [ ]"},
        {"", "phrases.tsv:3: pattern: empty"},
        {"a*b*c*d*e*f", "phrases.tsv:3: pattern: more than 4 gaps"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(buf, sizeof buf, "%s%s\tfake_job\t10\tx\n", ok, bad[i].pat);
        expect_parse_error(buf, bad[i].msg);
    }
}

static void test_default_rules_parse_and_round_trip(void **state)
{
    (void)state;
    assert_true(signals_rules_count(rules) >= 20);
    /* rules added one by one (as ingest does from the phrase_rule table) behave the same */
    fb_rules *r = NULL;
    fb_err err = {0};
    assert_int_equal(signals_rules_new(&r, &err), FB_OK);
    for (size_t i = 0; i < signals_rules_count(rules); i++) {
        const char *p, *s;
        fb_violation v;
        int w;
        signals_rules_get(rules, i, &p, &v, &w, &s);
        assert_int_equal(signals_rules_add(r, "phrase_rule 1", p, fb_violation_str(v), w, s, &err), FB_OK);
    }
    assert_int_equal(signals_rules_count(r), signals_rules_count(rules));
    assert_int_equal(signals_rules_add(r, "phrase_rule 99", "zzz", "nope", 5, "s", &err), FB_EINPUT);
    assert_string_equal(err.msg, "phrase_rule 99: violation: unknown code \"nope\" (one of fake_job, self_hire, "
                                 "conflict_of_interest, paid_feedback, free_work_for_review, feedback_extortion)");
    fb_case *c = new_case();
    add_msg(c, "u-1", "refund for 5 stars");
    assert_int_equal(signals_compute(c, r, &err), FB_OK);
    assert_int_equal(c->suggested, FB_V_PAID_FEEDBACK);
    fb_case_free(&c);
    signals_rules_free(&r);
    assert_null(r);
}

static void test_no_rules_and_recompute(void **state)
{
    (void)state;
    fb_err err = {0};
    fb_case *c = new_case();
    add_msg(c, "u-1", "refund for 5 stars");
    assert_int_equal(signals_compute(c, NULL, &err), FB_OK);
    assert_int_equal(c->n_signals, 0);
    /* computing twice replaces, never appends */
    assert_int_equal(signals_compute(c, rules, &err), FB_OK);
    assert_int_equal(signals_compute(c, rules, &err), FB_OK);
    assert_int_equal(c->n_signals, 1);
    assert_int_equal(c->n_matches, 1);
    fb_case_free(&c);
}

/* Random bodies (words that occur in the rules, punctuation, multi-byte and stray bytes)
 * and random patterns: nothing crashes, every match lies inside its message, every parse
 * either succeeds or names the line and the field. Deterministic: a fixed xorshift seed. */
static uint64_t fz_state = 0x9e3779b97f4a7c15u;
static uint64_t fz_next(void)
{
    fz_state ^= fz_state << 13;
    fz_state ^= fz_state >> 7;
    fz_state ^= fz_state << 17;
    return fz_state;
}

static void test_random_bodies_and_patterns(void **state)
{
    (void)state;
    static const char *const tokens[] = {
        "refund", "5", "five", "star", "stars", "review", "unless", "or", "i'll", "I’ll", "leave", "1",
        "for", "free", "same", "team", "my", "other", "account", "$", "$20", "bonus", "just", "a", "test",
        "job", ".", ",", "!", "?", "\n", "-", "'", "’", "é", "★", "\xe2\x80", "\xff", "  ", "[", "]", "|", "*",
    };
    const size_t nt = sizeof tokens / sizeof tokens[0];
    fb_err err = {0};
    for (int round = 0; round < 2000; round++) {
        fb_case *c = new_case();
        int nm = 1 + (int)(fz_next() % 3);
        for (int m = 0; m < nm; m++) {
            char body[600] = "";
            int nw = (int)(fz_next() % 40);
            for (int w = 0; w < nw; w++) {
                strcat(body, tokens[fz_next() % nt]);
                if (fz_next() % 3)
                    strcat(body, " ");
            }
            add_msg(c, m % 2 ? "u-1" : "u-2", body);
        }
        assert_int_equal(signals_compute(c, rules, &err), FB_OK);
        for (size_t i = 0; i < c->n_matches; i++) {
            const fb_match *mt = &c->matches[i];
            assert_true(mt->message < c->n_messages);
            assert_true(mt->len > 0);
            assert_true(mt->start + mt->len <= strlen(c->messages[mt->message].body));
        }
        assert_true(c->risk >= 0 && c->risk <= 100);
        fb_case_free(&c);

        /* a random pattern from the same tokens */
        char tsv[400] = "";
        int np = 1 + (int)(fz_next() % 8);
        for (int w = 0; w < np; w++)
            strcat(tsv, tokens[fz_next() % nt]);
        strcat(tsv, "\tpaid_feedback\t10\tfuzz\n");
        fb_rules *r = NULL;
        fb_status st = signals_rules_parse("fuzz.tsv", tsv, &r, &err);
        if (st == FB_OK) {
            c = new_case();
            add_msg(c, "u-1", "refund for 5 stars, or I'll leave 1 star unless my other account $20 bonus");
            assert_int_equal(signals_compute(c, r, &err), FB_OK);
            fb_case_free(&c);
            signals_rules_free(&r);
        } else {
            assert_int_equal(st, FB_EINPUT);
            assert_null(r);
            assert_true(strncmp(err.msg, "fuzz.tsv:", 9) == 0);
        }
    }
}

/* ---- the phrase_rule table: seeded from the file when empty, read by ingest ---- */

static void exec_sql(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void test_rules_table_seeded_and_used_by_ingest(void **state)
{
    (void)state;
    const char *path = t_path("rules.db");
    fb_store *s = NULL;
    fb_err err = {0};
    fb_config *cfg = config_defaults();
    assert_non_null(cfg);
    assert_int_equal(store_open(path, STORE_CREATE, &s, &err), FB_OK);
    int64_t n = -1;
    assert_int_equal(store_rules_count(s, &n, &err), FB_OK);
    assert_int_equal(n, 0);

    fb_ingest *in = NULL;
    assert_int_equal(ingest_open(s, &in, &err), FB_OK);
    assert_int_equal(store_rules_count(s, &n, &err), FB_OK);
    assert_int_equal(n, (int64_t)signals_rules_count(rules));
    ingest_close(&in);
    /* a second open does not seed again */
    size_t inserted = 99;
    fb_rule_row extra = {"zzz", "fake_job", 5, "z"};
    assert_int_equal(store_rules_seed(s, &extra, 1, &inserted, &err), FB_OK);
    assert_int_equal(inserted, 0);
    store_close(&s);

    /* an operator edits the table: a new rule counts on the next ingest, and the
     * matched phrase and its signal are saved with the case */
    exec_sql(path, "INSERT INTO phrase_rule(pattern, violation, weight, sentence) "
                   "VALUES ('secret handshake', 'conflict_of_interest', 33, 'message mentions the handshake')");
    assert_int_equal(store_open(path, 0, &s, &err), FB_OK);
    assert_int_equal(ingest_open(s, &in, &err), FB_OK);
    fb_case *c = new_case();
    honest_contract(c);
    add_msg(c, "u-1", "Hi! Do the SECRET  handshake, then refund for 5 stars");
    assert_int_equal(store_begin(s, &err), FB_OK);
    assert_int_equal(ingest_case(in, c, "local", &err), FB_OK);
    assert_int_equal(store_commit(s, &err), FB_OK);
    fb_case_free(&c);
    assert_int_equal(store_case_load(s, "C-1", &c, &err), FB_OK);
    assert_int_equal(c->n_signals, 2);
    expect_sig(c, "phrase_conflict_of_interest", FB_V_CONFLICT_OF_INTEREST, "message mentions the handshake");
    expect_sig(c, "phrase_paid_feedback", FB_V_PAID_FEEDBACK, "message offers a refund for 5 stars");
    assert_int_equal(c->n_matches, 2);
    assert_int_equal(c->matches[0].start, 11);
    assert_int_equal(c->matches[0].len, 17);
    assert_int_equal(c->matches[0].violation, FB_V_CONFLICT_OF_INTEREST);
    assert_int_equal(c->matches[1].violation, FB_V_PAID_FEEDBACK);
    fb_case_free(&c);
    ingest_close(&in);
    store_close(&s);

    /* a bad row is refused by its id, with what to do */
    exec_sql(path, "UPDATE phrase_rule SET violation='nonsense' WHERE pattern='secret handshake'");
    assert_int_equal(store_open(path, 0, &s, &err), FB_OK);
    assert_int_equal(ingest_open(s, &in, &err), FB_EINPUT);
    assert_null(in);
    char want[128];
    snprintf(want, sizeof want, "phrase_rule %lld: violation: unknown code \"nonsense\"", (long long)n + 1);
    if (!strstr(err.msg, want) || !strstr(err.msg, "edit or delete that row"))
        fail_msg("unexpected error: %s", err.msg);
    store_close(&s);

    /* an emptied table is seeded again */
    exec_sql(path, "DELETE FROM phrase_rule");
    assert_int_equal(store_open(path, 0, &s, &err), FB_OK);
    assert_int_equal(ingest_open(s, &in, &err), FB_OK);
    assert_int_equal(store_rules_count(s, &n, &err), FB_OK);
    assert_int_equal(n, (int64_t)signals_rules_count(rules));
    ingest_close(&in);
    store_close(&s);
    config_free(&cfg);
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
        cmocka_unit_test(test_phrases_each_violation),
        cmocka_unit_test(test_phrase_byte_ranges_and_utf8),
        cmocka_unit_test(test_phrase_every_occurrence_is_highlighted_once_signal),
        cmocka_unit_test(test_phrase_word_start_and_sentence_bounds),
        cmocka_unit_test(test_honest_requests_and_chatter_do_not_trigger),
        cmocka_unit_test(test_risk_is_capped),
        cmocka_unit_test(test_suggested_sum_then_tie_break),
        cmocka_unit_test(test_same_sentence_rules_are_one_signal),
        cmocka_unit_test(test_one_idea_one_signal_one_highlight),
        cmocka_unit_test(test_pattern_syntax),
        cmocka_unit_test(test_rules_parse_errors),
        cmocka_unit_test(test_default_rules_parse_and_round_trip),
        cmocka_unit_test(test_no_rules_and_recompute),
        cmocka_unit_test(test_random_bodies_and_patterns),
        cmocka_unit_test(test_rules_table_seeded_and_used_by_ingest),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
