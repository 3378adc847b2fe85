/* Bench: signals_compute alone, in cases per second, over a varied set of prebuilt cases
 * (honest ones and one kind per violation, with several messages each). Not a test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fbreview/ingest.h"
#include "fbreview/model.h"
#include "fbreview/signals.h"

#define MIN (60LL * 1000)
#define HOUR (60 * MIN)
#define DAY (24 * HOUR)

static const char *const chatter[] = {
    "Hi! Thanks for the invite, I have a few questions about the brief before I start.",
    "Sure, the deadline is Friday. Please use the brand colours from the attached guide.",
    "First draft attached — let me know what you think about the layout and the fonts.",
    "Looks great, can you make the header a bit larger and try a darker blue?",
    "Done, final files uploaded. Please leave honest feedback when you have a moment.",
    "Ça marche, merci beaucoup ! Très bon travail — 5 étoiles bien méritées.",
};
static const char *const bad[] = {
    "I'll refund you the full $20 after you leave 5 stars, ok?",
    "I'll do the next logo for free if you write me a good review",
    "Pay the rest now or I'll leave 1 star on your profile.",
    "No worries, we're on the same team so just close it quickly",
    "I'll accept the offer from my other account tonight",
    "It's just a test job, no real work, close it after the review",
};

static char *dup(const char *s) { return fb_strdup(s); }

static fb_case *build(int i)
{
    fb_case *c = fb_case_new();
    char id[32];
    snprintf(id, sizeof id, "C-%d", i);
    c->id = dup(id);
    int64_t t0 = 1795500000000LL + (int64_t)i * MIN;
    const char *ids[2] = {"u-1", "u-2"};
    for (int k = 0; k < 2; k++) {
        fb_account *a = fb_grow((void **)&c->accounts, &c->n_accounts, sizeof *a);
        a->id = dup(ids[k]);
        a->role = k ? FB_ROLE_FREELANCER : FB_ROLE_CLIENT;
        a->name = dup(k ? "J. Doe" : "Acme LLC");
    }
    int kind = i % 8; /* 0,1 honest; 2..7 one violation each */
    int fast = kind >= 2;
    c->has_contract = 1;
    c->contract.id = dup("J-1");
    c->contract.client = dup("u-1");
    c->contract.freelancer = dup("u-2");
    c->contract.created_at = t0;
    c->contract.started_at = t0 + 5 * MIN;
    c->contract.ended_at = fast ? t0 + 40 * MIN : t0 + 12 * DAY;
    c->contract.has_budget = 1;
    c->contract.budget_minor = fast ? 500 : 35000;
    memcpy(c->contract.currency, "USD", 4);
    fb_payment *p = fb_grow((void **)&c->payments, &c->n_payments, sizeof *p);
    p->from = dup("u-1");
    p->to = dup("u-2");
    p->kind = FB_PAY_PAYMENT;
    p->amount_minor = c->contract.budget_minor;
    memcpy(p->currency, "USD", 4);
    p->at = c->contract.ended_at;
    fb_feedback *f = fb_grow((void **)&c->feedback, &c->n_feedback, sizeof *f);
    f->from = dup("u-1");
    f->to = dup("u-2");
    f->rating = 5;
    f->text = dup("Great work");
    f->at = c->contract.ended_at + (fast ? MIN : DAY);
    if (kind == 3) {
        fb_link *l = fb_grow((void **)&c->links, &c->n_links, sizeof *l);
        l->a = dup("u-1");
        l->b = dup("u-2");
        l->kind = FB_LINK_SAME_PAYMENT_METHOD;
        l->detail = dup("card ending 4242");
    }
    if (kind == 4) {
        p = fb_grow((void **)&c->payments, &c->n_payments, sizeof *p);
        p->from = dup("u-2");
        p->to = dup("u-1");
        p->kind = FB_PAY_REFUND;
        p->amount_minor = 500;
        memcpy(p->currency, "USD", 4);
        p->at = f->at + 2 * HOUR;
    }
    int nmsg = 3 + i % 5;
    for (int k = 0; k < nmsg; k++) {
        fb_message *m = fb_grow((void **)&c->messages, &c->n_messages, sizeof *m);
        m->from = dup(ids[k % 2]);
        m->to = dup(ids[(k + 1) % 2]);
        m->at = t0 + k * MIN;
        m->body = dup(kind >= 2 && k == nmsg - 1 ? bad[kind - 2] : chatter[(i + k) % 6]);
    }
    ingest_derive_parties(c);
    return c;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    enum { K = 4096 };
    fb_rules *rules = NULL;
    fb_err err = {0};
    if (signals_rules_default(&rules, &err) != FB_OK) {
        fprintf(stderr, "bench_signals: %s\n", err.msg);
        return 1;
    }
    fb_case **cases = malloc(K * sizeof *cases);
    size_t msgs = 0, bytes = 0;
    for (int i = 0; i < K; i++) {
        cases[i] = build(i);
        msgs += cases[i]->n_messages;
        for (size_t m = 0; m < cases[i]->n_messages; m++)
            bytes += strlen(cases[i]->messages[m].body);
    }
    /* CPU time as well as wall time: on a shared machine the wall clock includes waiting. */
    struct timespec a, b, ca, cb;
    long signals = 0;
    clock_gettime(CLOCK_MONOTONIC, &a);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ca);
    for (long i = 0; i < n; i++) {
        fb_case *c = cases[i % K];
        if (signals_compute(c, rules, &err) != FB_OK) {
            fprintf(stderr, "bench_signals: %s\n", err.msg);
            return 1;
        }
        signals += (long)c->n_signals;
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cb);
    double secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    double cpu = (double)(cb.tv_sec - ca.tv_sec) + (double)(cb.tv_nsec - ca.tv_nsec) / 1e9;
    printf("signals_compute: %ld cases in %.3f s wall (%.0f cases/s), %.3f s CPU (%.0f cases/s, %.2f us/case)\n"
           "  %zu rules, %.1f messages/case, %.0f bytes/message, %.2f signals/case\n",
           n, secs, (double)n / secs, cpu, (double)n / cpu, cpu * 1e6 / (double)n, signals_rules_count(rules),
           (double)msgs / K, (double)bytes / (double)msgs, (double)signals / (double)n);
    for (int i = 0; i < K; i++)
        fb_case_free(&cases[i]);
    free(cases);
    signals_rules_free(&rules);
    return 0;
}
