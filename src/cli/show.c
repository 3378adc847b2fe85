/* fbreview show CASE [--json] — a case, its parties and evidence, why it was flagged, the
 * recommendation and its decisions. Every piece of stored text (attacker-written evidence
 * included) goes through the safe renderer before it reaches the terminal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fbreview/cli.h"
#include "fbreview/cliopt.h"
#include "fbreview/decision.h"
#include "fbreview/money.h"
#include "fbreview/store_case.h"
#include "fbreview/store_decision.h"
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

static const char *describe(fb_action a, fb_violation v, int days)
{
    static char buf[2][96];
    static int k;
    char *b = buf[k++ % 2];
    if (a == FB_A_SUSPENSION)
        snprintf(b, 96, "suspension %d days (%s)", days, fb_violation_str(v) ? fb_violation_str(v) : "?");
    else if (fb_action_needs_violation(a))
        snprintf(b, 96, "%s (%s)", fb_action_str(a), fb_violation_str(v) ? fb_violation_str(v) : "?");
    else
        snprintf(b, 96, "%s", fb_action_str(a) ? fb_action_str(a) : "?");
    return b;
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
    if (d->approval == FB_APPR_PENDING)
        printf("      waiting for a second reviewer's approval\n");
    else if (d->approval == FB_APPR_APPROVED || d->approval == FB_APPR_REJECTED)
        printf("      %s by %s %s\n", d->approval == FB_APPR_APPROVED ? "approved" : "sent back",
               safe(d->approved_by), local_time(d->approved_at));
    if (d->claim_override)
        printf("      decided over another reviewer's claim\n");
    return FB_OK;
}

static fb_status print_note(void *ctx, const char *reviewer, int64_t at, const char *text, fb_err *err)
{
    (void)err;
    ++*(int *)ctx;
    printf("  %s  %s: %s\n", local_time(at), safe(reviewer), safe(text));
    return FB_OK;
}

static const char *account_name(const fb_case *c, const char *id)
{
    const fb_account *a = id ? fb_case_account(c, id) : NULL;
    return a && a->name ? a->name : "";
}

static void show_text(const fb_case *c, const fb_rec *rec, fb_store *s, fb_err *err)
{
    printf("Case %s · %s? · risk %d · %s\n", safe(c->id), c->alleged != FB_V_NONE ? fb_violation_str(c->alleged) : "-",
           c->risk, fb_case_status_str(c->status));
    printf("Opened %s · source %s", local_time(c->opened_at), safe(c->source ? c->source : "-"));
    if (c->claim_by && c->claim_until)
        printf(" · claimed by %s until %s", safe(c->claim_by), local_time(c->claim_until));
    printf("\nSubject: %s %s · counterparty: %s %s\n", safe(c->subject), safe(account_name(c, c->subject)),
           safe(c->counterparty ? c->counterparty : "-"), safe(account_name(c, c->counterparty)));

    printf("\nParties:\n");
    for (size_t i = 0; i < c->n_accounts; i++) {
        const fb_account *a = &c->accounts[i];
        printf("  %s  %s  %s  %s  created %s\n", safe(a->id), fb_role_str(a->role) ? fb_role_str(a->role) : "?",
               safe(a->name), safe(a->country), a->created_at ? local_time(a->created_at) : "?");
        for (size_t j = 0; j < a->n_prior; j++)
            printf("      prior: %s %s %s\n", fb_action_str(a->prior[j].action) ? fb_action_str(a->prior[j].action) : "?",
                   fb_violation_str(a->prior[j].violation) ? fb_violation_str(a->prior[j].violation) : "",
                   local_time(a->prior[j].at));
    }
    for (size_t i = 0; i < c->n_links; i++)
        printf("  link: %s and %s share a %s (%s)\n", safe(c->links[i].a), safe(c->links[i].b),
               fb_link_words(c->links[i].kind), safe(c->links[i].detail));

    if (c->has_contract) {
        const fb_contract *k = &c->contract;
        char money[64] = "?";
        if (k->has_budget)
            fb_money_format(k->budget_minor, k->currency, money, sizeof money);
        printf("\nContract %s \"%s\": client %s, freelancer %s, budget %s; created %s, started %s, ended %s\n",
               safe(k->id), safe(k->title), safe(k->client), safe(k->freelancer), safe(money),
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
            printf("  %s  %s -> %s  %d stars  \"%s\"\n", local_time(f->at), safe(f->from), safe(f->to), f->rating,
                   safe(f->text));
        }
    }
    if (c->n_messages) {
        printf("\nMessages:\n");
        for (size_t i = 0; i < c->n_messages; i++) {
            const fb_message *m = &c->messages[i];
            printf("  %s  %s -> %s: %s\n", local_time(m->at), safe(m->from), safe(m->to), safe(m->body));
        }
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
    printf("\nNotes:\n");
    if (store_note_each_for_case(s, c->id, print_note, &n, err) != FB_OK)
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
    json_object_set_new(o, "approval", json_string(fb_approval_str(d->approval) ? fb_approval_str(d->approval) : "?"));
    json_object_set_new(o, "approved_by", jtext(d->approved_by));
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

static fb_status show_json(const fb_case *c, const fb_rec *rec, fb_store *s, fb_err *err)
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
    json_t *parties = json_array();
    for (size_t i = 0; i < c->n_accounts; i++) {
        const fb_account *a = &c->accounts[i];
        json_t *p = json_object();
        json_object_set_new(p, "id", jtext(a->id));
        json_object_set_new(p, "role", fb_role_str(a->role) ? json_string(fb_role_str(a->role)) : json_null());
        json_object_set_new(p, "name", jtext(a->name));
        json_object_set_new(p, "country", jtext(a->country));
        json_array_append_new(parties, p);
    }
    json_object_set_new(o, "parties", parties);
    json_t *sig = json_array();
    for (size_t i = 0; i < c->n_signals; i++) {
        json_t *g = json_object();
        json_object_set_new(g, "code", jtext(c->signals[i].code));
        json_object_set_new(g, "violation", jvio(c->signals[i].violation));
        json_object_set_new(g, "weight", json_integer(c->signals[i].weight));
        json_object_set_new(g, "sentence", jtext(c->signals[i].sentence));
        json_array_append_new(sig, g);
    }
    json_object_set_new(o, "signals", sig);
    json_t *r = json_object();
    json_object_set_new(r, "action", json_string(fb_action_str(rec->action) ? fb_action_str(rec->action) : "?"));
    json_object_set_new(r, "violation", jvio(rec->violation));
    json_object_set_new(r, "days", rec->action == FB_A_SUSPENSION ? json_integer(rec->days) : json_null());
    json_object_set_new(r, "why", jtext(rec->why));
    json_object_set_new(o, "recommended", r);
    json_t *dec = json_array(), *notes = json_array();
    json_object_set_new(o, "decisions", dec);
    json_object_set_new(o, "notes", notes);
    fb_status rc = store_decision_each_for_case(s, c->id, json_decision, dec, err);
    if (rc == FB_OK)
        rc = store_note_each_for_case(s, c->id, json_note, notes, err);
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
        {.name = "json", .kind = CLIOPT_FLAG, .dest = &as_json},
        {0},
    };
    cliopt_spec spec = {.cmd = "show", .opts = opts, .min_args = 1, .max_args = 1, .arg_name = "case",
                        .missing = "name the case to show"};
    if (cliopt_parse(&spec, argc, argv) < 0)
        return 2;
    const char *id = argv[1];
    fb_store *s = NULL;
    int rc = cli_open_store(app, 0, &s);
    if (rc)
        return rc;
    fb_err err = {0};
    fb_workflow *wf = NULL;
    fb_case *c = NULL;
    fb_rec rec;
    if (store_case_load(s, id, &c, &err) != FB_OK ||
        workflow_open(s, app->cfg, app->reviewer ? app->reviewer : "-", &wf, &err) != FB_OK ||
        workflow_recommend(wf, id, &rec, &err) != FB_OK) {
        rc = cli_fail(&err);
    } else if (as_json) {
        if (show_json(c, &rec, s, &err) != FB_OK)
            rc = cli_fail(&err);
    } else {
        show_text(c, &rec, s, &err);
    }
    fb_case_free(&c);
    workflow_close(&wf);
    store_close(&s);
    return rc;
}
