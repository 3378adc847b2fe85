/* Ingest: every case enters the store through ingest_case. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/analyse.h"
#include "fbreview/ingest.h"
#include "fbreview/signals.h"
#include "fbreview/store_case.h"
#include "fbreview/store_rules.h"

struct fb_ingest {
    fb_store *store;
    fb_analyser *analyser;
};

/* Seeds the analyser's tables from the built-in data/lexicon.tsv and data/frames.tsv
 * (each table only when it is empty). */
static fb_status seed_rules(fb_store *s, fb_err *err)
{
    int64_t terms = 0, frames = 0;
    if (store_rules_count(s, &terms, &frames, err) != FB_OK)
        return err->status;
    if (terms > 0 && frames > 0)
        return FB_OK;
    fb_analyser *def = NULL;
    if (analyser_default(&def, err) != FB_OK)
        return err->status;
    size_t nt = analyser_term_count(def), nf = analyser_frame_count(def);
    fb_term_row *tr = calloc(nt ? nt : 1, sizeof *tr);
    fb_frame_row *fr = calloc(nf ? nf : 1, sizeof *fr);
    fb_status st = FB_OK;
    if (!tr || !fr)
        st = fb_err_set(err, FB_ENOMEM, "out of memory seeding the message analyser's rules");
    for (size_t i = 0; st == FB_OK && i < nt; i++)
        analyser_term_get(def, i, &tr[i].cls, &tr[i].term);
    for (size_t i = 0; st == FB_OK && i < nf; i++)
        analyser_frame_get(def, i, &fr[i]);
    if (st == FB_OK)
        st = store_rules_seed(s, tr, nt, fr, nf, NULL, err);
    free(tr);
    free(fr);
    analyser_free(&def);
    return st;
}

static fb_status add_term_row(void *ctx, int64_t id, const fb_term_row *row, fb_err *err)
{
    char where[64];
    snprintf(where, sizeof where, "lexicon_term %lld", (long long)id);
    return analyser_add_term(ctx, where, row->cls, row->term, err);
}

static fb_status add_frame_row(void *ctx, int64_t id, const fb_frame_row *row, fb_err *err)
{
    char where[64];
    snprintf(where, sizeof where, "frame_rule %lld", (long long)id);
    return analyser_add_frame(ctx, where, row, err);
}

/* The analyser's rules come from the store's tables, so operators can edit them; a bad
 * row is reported by its table and id ("frame_rule 7: needs: ..."). */
static fb_status load_rules(fb_store *s, fb_analyser **out, fb_err *err)
{
    if (seed_rules(s, err) != FB_OK || analyser_new(out, err) != FB_OK)
        return err->status;
    if (store_rules_each(s, add_term_row, add_frame_row, *out, err) != FB_OK) {
        analyser_free(out);
        if (err->status != FB_EINPUT)
            return err->status;
        char msg[sizeof err->msg];
        memcpy(msg, err->msg, sizeof msg);
        return fb_err_set(err, FB_EINPUT,
                          "store %s: %s (edit or delete that row; an emptied table is seeded again from the "
                          "built-in rules)", store_path(s), msg);
    }
    return FB_OK;
}

fb_status ingest_open(fb_store *s, fb_ingest **out, fb_err *err)
{
    *out = NULL;
    fb_ingest *in = calloc(1, sizeof *in);
    if (!in)
        return fb_err_set(err, FB_ENOMEM, "out of memory");
    in->store = s;
    if (load_rules(s, &in->analyser, err) != FB_OK) {
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
    analyser_free(&in->analyser);
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

fb_status ingest_prepare(const fb_ingest *in, fb_case *c, fb_err *err)
{
    ingest_derive_parties(c);
    return signals_compute(c, in->analyser, err);   /* pure: reads the rules, never the store */
}

fb_status ingest_case(fb_ingest *in, fb_case *c, const char *origin, fb_err *err)
{
    if (ingest_prepare(in, c, err) != FB_OK)
        return err->status;
    return ingest_save(in, c, origin, NULL, err);
}

fb_status ingest_save(fb_ingest *in, fb_case *c, const char *origin, int *replaced, fb_err *err)
{
    return store_case_put(in->store, c, origin, replaced, err);
}
