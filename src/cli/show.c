/* fbreview show CASE [--json] — a case, its parties and evidence, why it was flagged, the
 * recommendation and its decisions. Every piece of stored text (attacker-written evidence
 * included) goes through the safe renderer before it reaches the terminal. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fbreview/cli.h"
#include "fbreview/cliopt.h"
#include "fbreview/decision.h"
#include "fbreview/describe.h"
#include "fbreview/ingest.h"
#include "fbreview/money.h"
#include "fbreview/store_case.h"
#include "fbreview/store_decision.h"
#include "fbreview/store_structure.h"
#include "fbreview/store_queue.h"
#include "fbreview/text.h"
#include "fbreview/timeutil.h"

/* Longest single line we print for one piece of evidence; longer text is clipped with "…". */
#define SHOW_COLS 400

/* A safe single-line form of untrusted text (static buffers, rotated: several per printf). */
static const char *safe(const char *s)
{
    static char buf[8][SHOW_COLS * 8 + 64];
    static int k;
    char *b = buf[k++ % 8];
    if (!s)
        return "";
    text_clip(s, strlen(s), SHOW_COLS, 1, b, sizeof buf[0]);
    return b;
}

static const char *local_time(int64_t ms)
{
    static char buf[4][32];
    static int k;
    char *b = buf[k++ % 4];
    if (!ms)
        return "?";
    return fb_time_format_local(ms, b, 32);
}

/* decision_describe into rotating buffers (two per printf). */
static const char *describe(fb_action a, fb_violation v, int days)
{
    static char buf[2][128];
    static int k;
    return decision_describe(a, v, days, buf[k++ % 2], sizeof buf[0]);
}

static const char *sync_label(const fb_decision_row *d)
{
    return d->undone_at ? "undone" : fb_sync_str(d->sync_state) ? fb_sync_str(d->sync_state) : "?";
}

static fb_status print_decision(void *ctx, const fb_decision_row *d, fb_err *err)
{
    (void)err;
    ++*(int *)ctx;
    printf("  %s  %s  %s  %s  [%s]\n", safe(d->id), local_time(d->decided_at), safe(d->reviewer),
           describe(d->action, d->violation, d->days), sync_label(d));
    if (d->overridden)
        printf("      overrides the recommended %s\n", describe(d->rec_action, d->rec_violation, d->rec_days));
    if (d->rationale)
        printf("      rationale: %s\n", safe(d->rationale));
    if (d->supersedes[0])
        printf("      supersedes %s\n", safe(d->supersedes));
    /* The same approval words as the export (fb_approval_word) and show --json. */
    if (d->approval == FB_APPR_PENDING)
        printf("      approval: pending (waits for a second reviewer)\n");
    else if (d->approval == FB_APPR_APPROVED || d->approval == FB_APPR_REJECTED)
        printf("      approval: %s by %s %s%s%s\n", fb_approval_word(d->approval), safe(d->approved_by),
               local_time(d->approved_at), d->approval_rationale ? " — " : "",
               d->approval_rationale ? safe(d->approval_rationale) : "");
    if (d->claim_override)
        printf("      decided over another reviewer's claim\n");
    return FB_OK;
}

static fb_status print_appeal(void *ctx, const fb_appeal_row *a, fb_err *err)
{
    (void)err;
    ++*(int *)ctx;
    printf("  %s  against %s  %s\n", local_time(a->received_at), safe(a->decision_id),
           a->resolved_by[0] ? "resolved" : "open");
    printf("      %s\n", safe(a->text));
    if (a->resolved_by[0])
        printf("      resolved by decision %s\n", safe(a->resolved_by));
    return FB_OK;
}

static fb_status print_note(void *ctx, const char *reviewer, int64_t at, const char *text, fb_err *err)
{
    (void)err;
    ++*(int *)ctx;
    printf("  %s  %s: %s\n", local_time(at), safe(reviewer), safe(text));
    return FB_OK;
}

/* The same words as the console's History tab (core/describe.c). */
static void print_history(void *ctx, const fb_history_row *r)
{
    char label[64], text[4096];
    if (!describe_history_shown(r))
        return;
    ++*(int *)ctx;
    printf("  %s  %s %s: %s\n", local_time(r->at), describe_history_label(r, label, sizeof label), safe(r->who),
           safe(describe_history(r, text, sizeof text)));
}

static const char *account_name(const fb_case *c, const char *id)
{
    const fb_account *a = id ? fb_case_account(c, id) : NULL;
    return a && a->name ? a->name : "";
}

/* " [cut: ...]" after a field cut on import, "" for a whole one (rotating buffers). */
static const char *cut_mark(const fb_case *c, const char *list, long index, const char *member)
{
    static char buf[4][256];
    static int k;
    char path[FB_FIELD_PATH_MAX];
    const fb_cut *cut = fb_case_cut(c, fb_field_path(path, sizeof path, list, index, member));
    if (!cut)
        return "";
    char *b = buf[k++ % 4];
    snprintf(b, sizeof buf[0], " [cut on import: %" PRIu64 " of %" PRIu64 " bytes kept, sha256 %s]", cut->kept,
             cut->length, cut->sha256);
    return b;
}

static void print_ids(char *const *ids, size_t n, int more)
{
    for (size_t i = 0; i < n; i++)
        printf("%s%s", i ? ", " : "", safe(ids[i]));
    printf("%s\n", more ? ", …" : n ? "" : "none");
}

/* Rings and clusters that reach other cases (store_structure.h). */
static void show_structure_text(const fb_structure *st)
{
    if (!st->n_rings && !st->n_clusters)
        return;
    printf("\nAcross cases:\n");
    for (size_t i = 0; i < st->n_rings; i++) {
        const fb_ring *g = &st->rings[i];
        printf("  %s", g->length == 2 ? "hired each other:" : "ring of three:");
        for (int k = 0; k < g->length; k++)
            printf("%s %s hired %s %s%s", k ? ";" : "", safe(g->accounts[k]), safe(g->accounts[(k + 1) % g->length]),
                   k ? "in " : "here", k ? safe(g->cases[k]) : "");
        printf("\n");
    }
    for (size_t i = 0; i < st->n_clusters; i++) {
        const fb_cluster *cl = &st->clusters[i];
        printf("  cluster of %lld accounts (shared device, IP, payment method or address) with %s\n",
               (long long)cl->size, safe(cl->member));
        printf("    other accounts: ");
        print_ids(cl->others, cl->n_others, cl->more_others);
        printf("    other cases: ");
        print_ids(cl->cases, cl->n_cases, cl->more_cases);
    }
    if (st->parties_joined) {
        printf("  subject and counterparty are joined through other cases");
        if (st->direct_case)
            printf(": they share %s %s in %s", fb_link_article(st->direct_kind), fb_link_words(st->direct_kind),
                   safe(st->direct_case));
        else if (st->via)
            printf(": %s shares %s %s with the subject (%s) and %s %s with the counterparty (%s)", safe(st->via),
                   fb_link_article(st->via_kind[0]), fb_link_words(st->via_kind[0]), safe(st->via_case[0]),
                   fb_link_article(st->via_kind[1]), fb_link_words(st->via_kind[1]), safe(st->via_case[1]));
        printf("\n");
    }
}

static void show_text(const fb_case *c, const fb_structure *st, const fb_rec *rec, fb_store *s, fb_err *err)
{
    printf("Case %s · %s? · risk %d · %s\n", safe(c->id), c->alleged != FB_V_NONE ? fb_violation_str(c->alleged) : "-",
           c->risk, fb_case_status_str(c->status));
    printf("Opened %s · source %s%s", local_time(c->opened_at), safe(c->source ? c->source : "-"),
           cut_mark(c, "source", -1, NULL));
    if (c->claim_by && c->claim_until)
        printf(" · claimed by %s until %s", safe(c->claim_by), local_time(c->claim_until));
    printf("\nSubject: %s %s · counterparty: %s %s\n", safe(c->subject), safe(account_name(c, c->subject)),
           safe(c->counterparty ? c->counterparty : "-"), safe(account_name(c, c->counterparty)));

    if (c->purged_at)
        printf("\nEvidence purged from this store on %s (local retention: %d days after the decision synced); "
               "the decisions, notes and audit are kept, and the evidence is upstream as case %s\n",
               local_time(c->purged_at), c->purged_days, safe(c->id));

    printf("\nParties:\n");
    for (size_t i = 0; i < c->n_accounts; i++) {
        const fb_account *a = &c->accounts[i];
        printf("  %s  %s  %s%s  %s  created %s\n", safe(a->id), fb_role_str(a->role) ? fb_role_str(a->role) : "?",
               safe(a->name), cut_mark(c, "accounts", (long)i, "name"), safe(a->country),
               a->created_at ? local_time(a->created_at) : "?");
        for (size_t j = 0; j < a->n_prior; j++)
            printf("      prior: %s %s %s\n", fb_action_str(a->prior[j].action) ? fb_action_str(a->prior[j].action) : "?",
                   fb_violation_str(a->prior[j].violation) ? fb_violation_str(a->prior[j].violation) : "",
                   local_time(a->prior[j].at));
    }
    for (size_t i = 0; i < c->n_links; i++)
        printf("  link: %s and %s share %s %s (%s)%s\n", safe(c->links[i].a), safe(c->links[i].b),
               fb_link_article(c->links[i].kind), fb_link_words(c->links[i].kind), safe(c->links[i].detail),
               cut_mark(c, "links", (long)i, "detail"));
    show_structure_text(st);

    if (c->has_contract) {
        const fb_contract *k = &c->contract;
        char money[64] = "?";
        if (k->has_budget)
            fb_money_format(k->budget_minor, k->currency, money, sizeof money);
        printf("\nContract %s \"%s\"%s: client %s, freelancer %s, budget %s; created %s, started %s, ended %s\n",
               safe(k->id), safe(k->title), cut_mark(c, "contract", -1, "title"), safe(k->client), safe(k->freelancer), safe(money),
               local_time(k->created_at), local_time(k->started_at), local_time(k->ended_at));
    }
    if (c->n_payments) {
        printf("\nPayments:\n");
        for (size_t i = 0; i < c->n_payments; i++) {
            const fb_payment *p = &c->payments[i];
            char money[64];
            fb_money_format(p->amount_minor, p->currency, money, sizeof money);
            printf("  %s  %s  %s %s -> %s\n", local_time(p->at), fb_pay_str(p->kind) ? fb_pay_str(p->kind) : "?",
                   safe(money), safe(p->from), safe(p->to));
        }
    }
    if (c->n_feedback) {
        printf("\nFeedback:\n");
        for (size_t i = 0; i < c->n_feedback; i++) {
            const fb_feedback *f = &c->feedback[i];
            printf("  %s  %s -> %s  %d stars  \"%s\"%s\n", local_time(f->at), safe(f->from), safe(f->to), f->rating,
                   safe(f->text), cut_mark(c, "feedback", (long)i, "text"));
        }
    }
    if (c->n_messages) {
        printf("\nMessages:\n");
        for (size_t i = 0; i < c->n_messages; i++) {
            const fb_message *m = &c->messages[i];
            printf("  %s  %s -> %s: %s%s\n", local_time(m->at), safe(m->from), safe(m->to), safe(m->body),
                   cut_mark(c, "messages", (long)i, "body"));
            for (size_t j = 0; j < c->n_matches; j++)
                if (c->matches[j].message == i && c->matches[j].why)
                    printf("      \u21b3 %s\n", safe(c->matches[j].why));
        }
    }

    if (c->n_cuts) {
        printf("\nCut on import (past the size caps; the start is kept, the original's length and SHA-256 "
               "identify it):\n");
        for (size_t i = 0; i < c->n_cuts; i++)
            printf("  %-22s kept %" PRIu64 " of %" PRIu64 " bytes  sha256 %s\n", safe(c->cuts[i].field),
                   c->cuts[i].kept, c->cuts[i].length, safe(c->cuts[i].sha256));
    }

    printf("\nWhy flagged:\n");
    if (!c->n_signals)
        printf("  (no signals)\n");
    for (size_t i = 0; i < c->n_signals; i++)
        printf("  %3d  %-22s %s\n", c->signals[i].weight, safe(c->signals[i].code), safe(c->signals[i].sentence));
    printf("\nRecommended: %s — %s\n", describe(rec->action, rec->violation, rec->days), safe(rec->why));

    int n = 0;
    printf("\nDecisions:\n");
    if (store_decision_each_for_case(s, c->id, print_decision, &n, err) != FB_OK)
        fprintf(stderr, "fbreview: %s\n", err->msg);
    if (!n)
        printf("  (none)\n");
    n = 0;
    printf("\nAppeals:\n");
    if (store_appeal_each_for_case(s, c->id, print_appeal, &n, err) != FB_OK)
        fprintf(stderr, "fbreview: %s\n", err->msg);
    if (!n)
        printf("  (none)\n");
    n = 0;
    printf("\nNotes:\n");
    if (store_note_each_for_case(s, c->id, print_note, &n, err) != FB_OK)
        fprintf(stderr, "fbreview: %s\n", err->msg);
    if (!n)
        printf("  (none)\n");
    n = 0;
    printf("\nHistory:\n");
    if (store_case_history(s, c->id, c->subject, c->counterparty, print_history, &n, err) != FB_OK)
        fprintf(stderr, "fbreview: %s\n", err->msg);
    if (!n)
        printf("  (none)\n");
}

/* jansson refuses invalid UTF-8; such text (the importer refuses it too) appears in its safe form. */
static json_t *jtext(const char *s)
{
    if (!s)
        return json_null();
    json_t *j = json_string(s);
    return j ? j : json_string(safe(s));
}

static json_t *jtime(int64_t ms)
{
    char buf[32];
    return ms ? json_string(fb_time_format_utc(ms, buf, sizeof buf)) : json_null();
}

static json_t *jvio(fb_violation v) { return fb_violation_str(v) ? json_string(fb_violation_str(v)) : json_null(); }

static fb_status json_decision(void *ctx, const fb_decision_row *d, fb_err *err)
{
    (void)err;
    json_t *o = json_object();
    json_object_set_new(o, "decision_id", json_string(d->id));
    json_object_set_new(o, "action", json_string(fb_action_str(d->action)));
    json_object_set_new(o, "violation", jvio(d->violation));
    json_object_set_new(o, "days", d->action == FB_A_SUSPENSION ? json_integer(d->days) : json_null());
    json_object_set_new(o, "reviewer", jtext(d->reviewer));
    json_object_set_new(o, "decided_at", jtime(d->decided_at));
    /* The raw sync state; an undone decision is told apart by undone_at. */
    json_object_set_new(o, "sync_state", fb_sync_str(d->sync_state) ? json_string(fb_sync_str(d->sync_state)) : json_null());
    json_object_set_new(o, "rationale", jtext(d->rationale));
    json_object_set_new(o, "recommended_action", fb_action_str(d->rec_action) ? json_string(fb_action_str(d->rec_action)) : json_null());
    json_object_set_new(o, "overridden", json_boolean(d->overridden));
    json_object_set_new(o, "supersedes", d->supersedes[0] ? json_string(d->supersedes) : json_null());
    /* As the export: approved_by only for an approved block; approval_by for either answer. */
    int answered = d->approval == FB_APPR_APPROVED || d->approval == FB_APPR_REJECTED;
    json_object_set_new(o, "approval", json_string(fb_approval_word(d->approval)));
    json_object_set_new(o, "approved_by", d->approval == FB_APPR_APPROVED ? jtext(d->approved_by) : json_null());
    json_object_set_new(o, "approval_by", answered ? jtext(d->approved_by) : json_null());
    json_object_set_new(o, "approval_rationale", answered ? jtext(d->approval_rationale) : json_null());
    json_object_set_new(o, "claim_override", json_boolean(d->claim_override));
    json_object_set_new(o, "policy_version", d->policy_version > 0 ? json_integer(d->policy_version) : json_null());
    json_object_set_new(o, "undone_at", jtime(d->undone_at));
    json_object_set_new(o, "notice", jtext(d->notice));
    json_array_append_new(ctx, o);
    return FB_OK;
}

static fb_status json_note(void *ctx, const char *reviewer, int64_t at, const char *text, fb_err *err)
{
    (void)err;
    json_t *o = json_object();
    json_object_set_new(o, "reviewer", jtext(reviewer));
    json_object_set_new(o, "at", jtime(at));
    json_object_set_new(o, "text", jtext(text));
    json_array_append_new(ctx, o);
    return FB_OK;
}

static json_t *jmoney(int64_t minor, const char *currency)
{
    char buf[48];
    return json_string(fb_money_decimal(minor, currency, buf, sizeof buf));
}

static json_t *jaction(fb_action a) { return fb_action_str(a) ? json_string(fb_action_str(a)) : json_null(); }

static json_t *json_parties(const fb_case *c)
{
    json_t *parties = json_array();
    for (size_t i = 0; i < c->n_accounts; i++) {
        const fb_account *a = &c->accounts[i];
        json_t *p = json_object(), *prior = json_array();
        json_object_set_new(p, "id", jtext(a->id));
        json_object_set_new(p, "role", fb_role_str(a->role) ? json_string(fb_role_str(a->role)) : json_null());
        json_object_set_new(p, "name", jtext(a->name));
        json_object_set_new(p, "country", jtext(a->country));
        json_object_set_new(p, "created_at", jtime(a->created_at));
        for (size_t j = 0; j < a->n_prior; j++) {
            json_t *x = json_object();
            json_object_set_new(x, "action", jaction(a->prior[j].action));
            json_object_set_new(x, "violation", jvio(a->prior[j].violation));
            json_object_set_new(x, "at", jtime(a->prior[j].at));
            json_array_append_new(prior, x);
        }
        json_object_set_new(p, "prior_actions", prior);
        json_array_append_new(parties, p);
    }
    return parties;
}

static json_t *json_links(const fb_case *c)
{
    json_t *links = json_array();
    for (size_t i = 0; i < c->n_links; i++) {
        json_t *l = json_object();
        json_object_set_new(l, "a", jtext(c->links[i].a));
        json_object_set_new(l, "b", jtext(c->links[i].b));
        json_object_set_new(l, "kind", fb_link_str(c->links[i].kind) ? json_string(fb_link_str(c->links[i].kind))
                                                                     : json_null());
        json_object_set_new(l, "detail", jtext(c->links[i].detail));
        json_array_append_new(links, l);
    }
    return links;
}

static json_t *json_contract(const fb_case *c)
{
    if (!c->has_contract)
        return json_null();
    const fb_contract *k = &c->contract;
    json_t *o = json_object();
    json_object_set_new(o, "id", jtext(k->id));
    json_object_set_new(o, "title", jtext(k->title));
    json_object_set_new(o, "client", jtext(k->client));
    json_object_set_new(o, "freelancer", jtext(k->freelancer));
    json_object_set_new(o, "budget", k->has_budget ? jmoney(k->budget_minor, k->currency) : json_null());
    json_object_set_new(o, "currency", k->has_budget ? jtext(k->currency) : json_null());
    json_object_set_new(o, "created_at", jtime(k->created_at));
    json_object_set_new(o, "started_at", jtime(k->started_at));
    json_object_set_new(o, "ended_at", jtime(k->ended_at));
    return o;
}

static json_t *json_payments(const fb_case *c)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < c->n_payments; i++) {
        const fb_payment *p = &c->payments[i];
        json_t *o = json_object();
        json_object_set_new(o, "id", jtext(p->id));
        json_object_set_new(o, "kind", fb_pay_str(p->kind) ? json_string(fb_pay_str(p->kind)) : json_null());
        json_object_set_new(o, "amount", jmoney(p->amount_minor, p->currency));
        json_object_set_new(o, "currency", jtext(p->currency));
        json_object_set_new(o, "from", jtext(p->from));
        json_object_set_new(o, "to", jtext(p->to));
        json_object_set_new(o, "at", jtime(p->at));
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *json_feedback(const fb_case *c)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < c->n_feedback; i++) {
        const fb_feedback *f = &c->feedback[i];
        json_t *o = json_object();
        json_object_set_new(o, "from", jtext(f->from));
        json_object_set_new(o, "to", jtext(f->to));
        json_object_set_new(o, "rating", json_integer(f->rating));
        json_object_set_new(o, "text", jtext(f->text));
        json_object_set_new(o, "at", jtime(f->at));
        json_array_append_new(arr, o);
    }
    return arr;
}

/* Messages with the phrase rules that matched in each: byte offsets into the body (as
 * stored, UTF-8) and the matched text. */
static json_t *json_messages(const fb_case *c)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < c->n_messages; i++) {
        const fb_message *m = &c->messages[i];
        json_t *o = json_object(), *matches = json_array();
        json_object_set_new(o, "from", jtext(m->from));
        json_object_set_new(o, "to", jtext(m->to));
        json_object_set_new(o, "at", jtime(m->at));
        json_object_set_new(o, "body", jtext(m->body));
        size_t blen = m->body ? strlen(m->body) : 0;
        for (size_t k = 0; k < c->n_matches; k++) {
            const fb_match *x = &c->matches[k];
            if (x->message != i || x->start > blen || x->len > blen - x->start)
                continue;
            json_t *h = json_object();
            json_object_set_new(h, "start", json_integer((json_int_t)x->start));
            json_object_set_new(h, "length", json_integer((json_int_t)x->len));
            json_t *t = json_stringn(m->body + x->start, x->len);
            json_object_set_new(h, "text", t ? t : json_null());
            json_object_set_new(h, "violation", jvio(x->violation));
            /* the first match of each analyser firing explains it (null on the others) */
            json_object_set_new(h, "why", jtext(x->why));
            json_array_append_new(matches, h);
        }
        json_object_set_new(o, "matches", matches);
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *json_signals(const fb_case *c)
{
    json_t *sig = json_array();
    for (size_t i = 0; i < c->n_signals; i++) {
        json_t *g = json_object();
        json_object_set_new(g, "code", jtext(c->signals[i].code));
        json_object_set_new(g, "violation", jvio(c->signals[i].violation));
        json_object_set_new(g, "weight", json_integer(c->signals[i].weight));
        json_object_set_new(g, "sentence", jtext(c->signals[i].sentence));
        json_array_append_new(sig, g);
    }
    return sig;
}

static fb_status json_appeal(void *ctx, const fb_appeal_row *a, fb_err *err)
{
    (void)err;
    json_t *o = json_object();
    json_object_set_new(o, "appeal_id", json_string(a->id));
    json_object_set_new(o, "decision_id", json_string(a->decision_id));
    json_object_set_new(o, "text", jtext(a->text));
    json_object_set_new(o, "received_at", jtime(a->received_at));
    json_object_set_new(o, "resolved_by", a->resolved_by[0] ? json_string(a->resolved_by) : json_null());
    json_array_append_new(ctx, o);
    return FB_OK;
}

/* The case's history as the store tells it (store_case_history), one object per row:
 * the one place that turns history rows into JSON. */
static void json_history_row(void *ctx, const fb_history_row *r)
{
    char label[64], text[4096];
    json_t *o = json_object();
    json_object_set_new(o, "at", jtime(r->at));
    json_object_set_new(o, "kind", json_string(fb_hist_str(r->kind)));
    json_object_set_new(o, "label", jtext(describe_history_label(r, label, sizeof label)));
    json_object_set_new(o, "who", jtext(r->who));
    json_object_set_new(o, "text", jtext(describe_history(r, text, sizeof text)));
    if (r->kind == FB_HIST_DECISION || r->kind == FB_HIST_PRIOR || r->kind == FB_HIST_EARLIER) {
        json_object_set_new(o, "action", fb_action_str(r->action) ? json_string(fb_action_str(r->action)) : json_null());
        json_object_set_new(o, "violation", jvio(r->violation));
    }
    if (r->kind == FB_HIST_DECISION) {
        json_object_set_new(o, "sync_state", r->undone ? json_string("undone") : jtext(fb_sync_str(r->sync_state)));
        json_object_set_new(o, "resolution", jtext(r->resolution));
        json_object_set_new(o, "winner", jtext(r->winner));
    }
    json_array_append_new(ctx, o);
}

static json_t *jids(char *const *ids, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, jtext(ids[i]));
    return a;
}

static json_t *jlink_kind(fb_link_kind k) { return fb_link_str(k) ? json_string(fb_link_str(k)) : json_null(); }

/* Rings and clusters that reach other cases (store_structure.h). */
static json_t *json_structure(const fb_structure *st)
{
    json_t *o = json_object(), *rings = json_array(), *clusters = json_array();
    for (size_t i = 0; i < st->n_rings; i++) {
        const fb_ring *g = &st->rings[i];
        json_t *r = json_object();
        json_object_set_new(r, "accounts", jids(g->accounts, (size_t)g->length));
        json_object_set_new(r, "cases", jids(g->cases, (size_t)g->length));
        json_array_append_new(rings, r);
    }
    for (size_t i = 0; i < st->n_clusters; i++) {
        const fb_cluster *cl = &st->clusters[i];
        json_t *k = json_object();
        json_object_set_new(k, "member", jtext(cl->member));
        json_object_set_new(k, "size", json_integer(cl->size));
        json_object_set_new(k, "other_accounts", jids(cl->others, cl->n_others));
        json_object_set_new(k, "more_accounts", json_boolean(cl->more_others));
        json_object_set_new(k, "other_cases", jids(cl->cases, cl->n_cases));
        json_object_set_new(k, "more_cases", json_boolean(cl->more_cases));
        json_array_append_new(clusters, k);
    }
    json_object_set_new(o, "rings", rings);
    json_object_set_new(o, "clusters", clusters);
    json_object_set_new(o, "parties_joined", json_boolean(st->parties_joined));
    if (st->direct_case) {
        json_t *d = json_object();
        json_object_set_new(d, "kind", jlink_kind(st->direct_kind));
        json_object_set_new(d, "case_id", jtext(st->direct_case));
        json_object_set_new(o, "linked_in", d);
    } else {
        json_object_set_new(o, "linked_in", json_null());
    }
    if (st->via) {
        json_t *v = json_object(), *links = json_array();
        json_object_set_new(v, "account", jtext(st->via));
        for (int k = 0; k < 2; k++) {
            json_t *l = json_object();
            json_object_set_new(l, "with", json_string(k ? "counterparty" : "subject"));
            json_object_set_new(l, "kind", jlink_kind(st->via_kind[k]));
            json_object_set_new(l, "case_id", jtext(st->via_case[k]));
            json_array_append_new(links, l);
        }
        json_object_set_new(v, "links", links);
        json_object_set_new(o, "via", v);
    } else {
        json_object_set_new(o, "via", json_null());
    }
    return o;
}

static fb_status show_json(const fb_case *c, const fb_structure *st, const fb_rec *rec, fb_store *s, fb_err *err)
{
    json_t *o = json_object();
    json_object_set_new(o, "case_id", jtext(c->id));
    json_object_set_new(o, "status", json_string(fb_case_status_str(c->status)));
    json_object_set_new(o, "alleged", jvio(c->alleged));
    json_object_set_new(o, "risk", json_integer(c->risk));
    json_object_set_new(o, "suggested", jvio(c->suggested));
    json_object_set_new(o, "opened_at", jtime(c->opened_at));
    json_object_set_new(o, "source", jtext(c->source));
    json_object_set_new(o, "subject", jtext(c->subject));
    json_object_set_new(o, "counterparty", jtext(c->counterparty));
    json_object_set_new(o, "claim_by", jtext(c->claim_by));
    json_object_set_new(o, "claim_until", jtime(c->claim_until));
    json_object_set_new(o, "parties", json_parties(c));
    json_object_set_new(o, "links", json_links(c));
    json_object_set_new(o, "structure", json_structure(st));
    json_object_set_new(o, "contract", json_contract(c));
    json_object_set_new(o, "payments", json_payments(c));
    json_object_set_new(o, "feedback", json_feedback(c));
    json_object_set_new(o, "messages", json_messages(c));
    json_object_set_new(o, "signals", json_signals(c));
    /* Text fields cut on import: which, how much was kept, the original's length and SHA-256. */
    json_t *cuts = json_array();
    for (size_t i = 0; i < c->n_cuts; i++)
        json_array_append_new(cuts, json_pack("{s:o, s:I, s:I, s:o}", "field", jtext(c->cuts[i].field), "kept",
                                              (json_int_t)c->cuts[i].kept, "length", (json_int_t)c->cuts[i].length,
                                              "sha256", jtext(c->cuts[i].sha256)));
    json_object_set_new(o, "cut", cuts);
    json_object_set_new(o, "evidence_purged_at", jtime(c->purged_at));
    json_t *r = json_object();
    /* "none": no recommendation ("read this case"); why says what made the analyser unsure */
    json_object_set_new(r, "action", json_string(fb_action_str(rec->action) ? fb_action_str(rec->action) : "none"));
    json_object_set_new(r, "violation", jvio(rec->violation));
    json_object_set_new(r, "days", rec->action == FB_A_SUSPENSION ? json_integer(rec->days) : json_null());
    json_object_set_new(r, "why", jtext(rec->why));
    json_object_set_new(o, "recommended", r);
    json_t *dec = json_array(), *appeals = json_array(), *notes = json_array(), *history = json_array();
    json_object_set_new(o, "decisions", dec);
    json_object_set_new(o, "appeals", appeals);
    json_object_set_new(o, "notes", notes);
    json_object_set_new(o, "history", history);
    fb_status rc = store_decision_each_for_case(s, c->id, json_decision, dec, err);
    if (rc == FB_OK)
        rc = store_appeal_each_for_case(s, c->id, json_appeal, appeals, err);
    if (rc == FB_OK)
        rc = store_note_each_for_case(s, c->id, json_note, notes, err);
    if (rc == FB_OK)
        rc = store_case_history(s, c->id, c->subject, c->counterparty, json_history_row, history, err);
    if (rc == FB_OK) {
        char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (text) {
            puts(text);
            free(text);
        } else {
            rc = fb_err_set(err, FB_ENOMEM, "out of memory writing JSON for case %s", c->id);
        }
    }
    json_decref(o);
    return rc;
}

int cli_show(fb_app *app, int argc, char **argv)
{
    int as_json = 0;
    cliopt opts[] = {
        {.name = "json", .kind = CLIOPT_FLAG, .dest = &as_json, .help = "print the case as one JSON object"},
        {0},
    };
    cliopt_spec spec = {.cmd = "show", .opts = opts, .min_args = 1, .max_args = 1, .arg_name = "case",
                        .missing = "name the case to show"};
    if (cliopt_parse(&spec, argc, argv) < 0)
        return spec.exit_status;
    fb_store *s = NULL;
    char *id = NULL;
    int rc = cli_open_store(app, STORE_READ_OK, &s);
    if (rc)
        return rc;
    if ((rc = cli_case_id(s, argv[1], &id)) != 0) {
        store_close(&s);
        return rc;
    }
    fb_err err = {0};
    fb_workflow *wf = NULL;
    fb_case *c = NULL;
    fb_rec rec;
    fb_structure st = {0};
    /* through the workflow: a case analysed with older rules or an older analyser is
     * analysed again first (workflow_case), so what is shown is the current analysis */
    if (workflow_open(s, app->cfg, app->reviewer ? app->reviewer : "-", &wf, &err) != FB_OK ||
        workflow_case(wf, id, &c, NULL, &err) != FB_OK || store_structure_facts(s, c, &st, &err) != FB_OK ||
        workflow_recommend(wf, id, &rec, &err) != FB_OK) {
        rc = cli_fail(&err);
    } else {
        /* a store only read cannot be analysed again: say so beside what it holds */
        if (store_readonly(s) && workflow_case_stale(wf, c))
            fprintf(stderr, "fbreview: note: this store's signals come from older analysis rules; open it "
                            "writable (without --read-only, with write access) to analyse its cases again\n");
        if (!as_json)
            show_text(c, &st, &rec, s, &err);
        else if (show_json(c, &st, &rec, s, &err) != FB_OK)
            rc = cli_fail(&err);
    }
    fb_structure_clear(&st);
    fb_case_free(&c);
    workflow_close(&wf);
    store_close(&s);
    free(id);
    return rc;
}
