/* Ingest: every case enters the store through ingest_case. */
#include <stdlib.h>
#include <string.h>

#include "fbreview/ingest.h"
#include "fbreview/policy.h"
#include "fbreview/signals.h"
#include "fbreview/store_case.h"
#include "fbreview/store_prior.h"

struct fb_ingest {
    fb_store *store;
    fb_rules *rules;
    fb_policy *policy;
};

fb_status ingest_open(fb_store *s, const fb_config *cfg, fb_ingest **out, fb_err *err)
{
    *out = NULL;
    fb_ingest *in = calloc(1, sizeof *in);
    if (!in)
        return fb_err_set(err, FB_ENOMEM, "out of memory");
    in->store = s;
    if (signals_rules_default(&in->rules, err) != FB_OK || policy_load(cfg, &in->policy, err) != FB_OK) {
        ingest_close(&in);
        return err->status;
    }
    *out = in;
    return FB_OK;
}

void ingest_close(fb_ingest **inp)
{
    fb_ingest *in = inp ? *inp : NULL;
    if (!in)
        return;
    signals_rules_free(&in->rules);
    policy_free(&in->policy);
    free(in);
    *inp = NULL;
}

/* The subject is the account whose reputation the feedback builds: the receiver of the
 * best feedback, else the freelancer, else the first account. The counterparty is the
 * other side of the contract, else the other account. */
void ingest_derive_parties(fb_case *c)
{
    free(c->subject);
    free(c->counterparty);
    c->subject = c->counterparty = NULL;
    const char *subject = NULL;
    int best = 0;
    for (size_t i = 0; i < c->n_feedback; i++)
        if (c->feedback[i].rating > best && fb_case_account(c, c->feedback[i].to)) {
            best = c->feedback[i].rating;
            subject = c->feedback[i].to;
        }
    for (size_t i = 0; !subject && i < c->n_accounts; i++)
        if (c->accounts[i].role == FB_ROLE_FREELANCER)
            subject = c->accounts[i].id;
    if (!subject && c->n_accounts)
        subject = c->accounts[0].id;
    const char *other = NULL;
    if (c->has_contract && subject) {
        if (c->contract.client && strcmp(c->contract.client, subject) != 0)
            other = c->contract.client;
        else if (c->contract.freelancer && strcmp(c->contract.freelancer, subject) != 0)
            other = c->contract.freelancer;
    }
    for (size_t i = 0; !other && i < c->n_accounts; i++)
        if (!subject || strcmp(c->accounts[i].id, subject) != 0)
            other = c->accounts[i].id;
    c->subject = fb_strdup(subject);
    c->counterparty = fb_strdup(other);
}

fb_status ingest_case(fb_ingest *in, fb_case *c, const char *origin, fb_err *err)
{
    ingest_derive_parties(c);
    if (signals_compute(c, in->rules, err) != FB_OK)
        return err->status;
    fb_history h;
    if (store_prior_history(in->store, c->subject, c->id, &h, err) != FB_OK)
        return err->status;
    /* Imported priors of this very case count too, even before they are stored. */
    const fb_account *subj = fb_case_account(c, c->subject);
    fb_history mine = {0, 0};
    for (size_t i = 0; subj && i < subj->n_prior; i++)
        if (fb_action_counts_as_violation(subj->prior[i].action)) {
            mine.violations++;
            mine.blocks += subj->prior[i].action == FB_A_BLOCK;
        }
    /* Stored priors may already include these (re-import): take the larger count, not the sum. */
    if (mine.violations > h.violations)
        h = mine;
    fb_rec rec = policy_recommend(in->policy, c, &h);
    return store_case_put(in->store, c, origin, rec.action, rec.violation, rec.days, err);
}
