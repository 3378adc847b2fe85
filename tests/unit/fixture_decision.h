#ifndef FBREVIEW_FIXTURE_DECISION_H
#define FBREVIEW_FIXTURE_DECISION_H
/* Shared by the decision, audit and decide-CLI tests: real stores on disk, cases built in C,
 * and a second SQLite connection to look at (or tamper with) what the workflow wrote. */
#include "testlib.h"

#include <sqlite3.h>

#include "fbreview/config.h"
#include "fbreview/decision.h"
#include "fbreview/store_case.h"

/* Saves a case in its own transaction: subject (freelancer) and other (client) accounts,
 * an optional link between them, the given risk and suggested code (its alleged code too). */
static inline void fx_case(fb_store *s, const char *id, const char *subject, const char *other, int risk,
                           fb_violation suggested)
{
    fb_case *c = fb_case_new();
    fb_err err = {0};
    c->id = fb_strdup(id);
    c->opened_at = 1763632800000;   /* 2025-11-20T10:00:00Z */
    c->source = fb_strdup("rule:test");
    c->alleged = suggested;
    c->suggested = suggested;
    c->risk = risk;
    fb_account *a = fb_grow((void **)&c->accounts, &c->n_accounts, sizeof *a);
    a->id = fb_strdup(subject);
    a->role = FB_ROLE_FREELANCER;
    a->name = fb_strdup("J. Doe");
    if (other) {
        a = fb_grow((void **)&c->accounts, &c->n_accounts, sizeof *a);
        a->id = fb_strdup(other);
        a->role = FB_ROLE_CLIENT;
        a->name = fb_strdup("Acme LLC");
        fb_link *l = fb_grow((void **)&c->links, &c->n_links, sizeof *l);
        l->a = fb_strdup(subject);
        l->b = fb_strdup(other);
        l->kind = FB_LINK_SAME_PAYMENT_METHOD;
        l->detail = fb_strdup("card ending 4242");
    }
    if (suggested != FB_V_NONE) {
        fb_signal *g = fb_grow((void **)&c->signals, &c->n_signals, sizeof *g);
        snprintf(g->code, sizeof g->code, "shared_link");
        g->violation = suggested;
        g->weight = risk;
        g->sentence = fb_strdup("Client and freelancer share a payment method (card ending 4242).");
    }
    c->subject = fb_strdup(subject);
    c->counterparty = fb_strdup(other);
    assert_int_equal(store_begin(s, &err), FB_OK);
    assert_int_equal(store_case_put(s, c, "local", NULL, &err), FB_OK);
    assert_int_equal(store_commit(s, &err), FB_OK);
    fb_case_free(&c);
}

/* A fresh store and a workflow for reviewer, with extra config text on top of the defaults. */
typedef struct fx {
    char path[4096];            /* a copy: t_path's buffers rotate */
    fb_store *s;
    fb_config *cfg;
    fb_workflow *wf;
} fx;

static inline void fx_open(fx *f, const char *name, const char *reviewer, const char *extra_config)
{
    fb_err err = {0};
    snprintf(f->path, sizeof f->path, "%s", t_path(name));
    f->cfg = config_defaults();
    if (extra_config)
        assert_int_equal(config_apply_text(f->cfg, "test.conf", extra_config, &err), FB_OK);
    assert_int_equal(store_open(f->path, STORE_CREATE, &f->s, &err), FB_OK);
    assert_int_equal(workflow_open(f->s, f->cfg, reviewer, &f->wf, &err), FB_OK);
}

/* Another reviewer on the same store (its own connection, as a second console would be). */
static inline fb_workflow *fx_as(fx *f, const char *reviewer, fb_store **s2)
{
    fb_err err = {0};
    fb_workflow *wf = NULL;
    assert_int_equal(store_open(f->path, 0, s2, &err), FB_OK);
    assert_int_equal(workflow_open(*s2, f->cfg, reviewer, &wf, &err), FB_OK);
    return wf;
}

static inline void fx_close(fx *f)
{
    workflow_close(&f->wf);
    store_close(&f->s);
    config_free(&f->cfg);
}

static inline fb_decide_req fx_req(const char *case_id, fb_action a, fb_violation v, int days, const char *why)
{
    fb_decide_req r = {case_id, 0, a, v, days, why, 0};
    return r;
}

static inline fb_decide_req fx_accept(const char *case_id)
{
    fb_decide_req r = {case_id, 1, FB_A_NONE, FB_V_NONE, 0, NULL, 0};
    return r;
}

#endif
