/* The analyser's unit tests share one fixture: the built-in analyser and policy, a case of
 * messages between a client and a freelancer, its recommendation on a clean record and
 * whether a word of it is highlighted. Included by test_analyse*.c only. */
#ifndef FB_TEST_ANALYSE_FIXTURE_H
#define FB_TEST_ANALYSE_FIXTURE_H

#include "testlib.h"

#include "fbreview/analyse.h"
#include "fbreview/config.h"
#include "fbreview/ingest.h"
#include "fbreview/policy.h"
#include "fbreview/signals.h"

static fb_analyser *an;
static fb_policy *pol;

static inline int setup(void **state)
{
    (void)state;
    fb_err err = {0};
    fb_config *cfg = config_defaults();
    if (analyser_default(&an, &err) != FB_OK || policy_load(cfg, &pol, &err) != FB_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    config_free(&cfg);
    return 0;
}

static inline int teardown(void **state)
{
    (void)state;
    analyser_free(&an);
    policy_free(&pol);
    return 0;
}

static inline fb_case *msg_case(const char *const *bodies, size_t n)
{
    fb_case *c = fb_case_new();
    c->id = fb_strdup("C-1");
    fb_account *a = fb_grow((void **)&c->accounts, &c->n_accounts, sizeof *a);
    a->id = fb_strdup("u-1");
    a->role = FB_ROLE_CLIENT;
    a = fb_grow((void **)&c->accounts, &c->n_accounts, sizeof *a);
    a->id = fb_strdup("u-2");
    a->role = FB_ROLE_FREELANCER;
    for (size_t i = 0; i < n; i++) {
        fb_message *m = fb_grow((void **)&c->messages, &c->n_messages, sizeof *m);
        m->from = fb_strdup(i % 2 ? "u-1" : "u-2");
        m->to = fb_strdup(i % 2 ? "u-2" : "u-1");
        m->body = fb_strdup(bodies[i]);
    }
    ingest_derive_parties(c);
    fb_err err = {0};
    assert_int_equal(signals_compute(c, an, &err), FB_OK);
    return c;
}

static inline fb_case *one(const char *body) { return msg_case(&body, 1); }

static inline void dump(const fb_case *c)
{
    for (size_t i = 0; i < c->n_signals; i++)
        fprintf(stderr, "    %s (%d): %s\n", c->signals[i].code, c->signals[i].weight, c->signals[i].sentence);
}

/* The body's recommendation on a clean record. */
static inline fb_rec rec_of(const fb_case *c)
{
    fb_history h = {0, 0};
    return policy_recommend(pol, c, &h);
}

/* 1 if some match of message m covers the bytes of word in the body. */
static inline int highlighted(const fb_case *c, size_t m, const char *word)
{
    const char *body = c->messages[m].body;
    const char *at = strstr(body, word);
    if (!at)
        fail_msg("\"%s\" is not in \"%s\"", word, body);
    size_t s = (size_t)(at - body), e = s + strlen(word);
    for (size_t i = 0; i < c->n_matches; i++)
        if (c->matches[i].message == m && c->matches[i].start <= s && c->matches[i].start + c->matches[i].len >= e)
            return 1;
    return 0;
}

#endif
