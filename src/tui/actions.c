/* Deciding, approving, undoing, notes, marks and search: the console's side of the
 * decision workflow (decision.h). Validation and saving are the workflow's; here we
 * gather what the reviewer wants, show the notice, and move on to the next case. */
#include "tui_private.h"

#include <stdlib.h>
#include <string.h>

#include "fbreview/store_case.h"
#include "fbreview/store_id.h"
#include "fbreview/text.h"
#include "fbreview/timeutil.h"

/* The cases an action applies to: the marked ones, else the open case. */
static size_t targets(tui *t, char *const **out)
{
    if (t->n_marks) {
        *out = t->marks;
        return t->n_marks;
    }
    static char *one[1];
    one[0] = t->cur ? t->cur->id : NULL;
    *out = one;
    return t->cur ? 1 : 0;
}

struct confirm_ctx {
    const fb_decide_plan *plans;
    size_t n;
};

static void build_confirm(tui *t, tdoc *d, void *vctx)
{
    const struct confirm_ctx *c = vctx;
    /* Two lines a case; leave room for the notice below the list on a small screen. */
    size_t shown = t->lines > 16 ? (size_t)(t->lines - 12) / 2 : 2;
    if (shown > 8)
        shown = 8;
    for (size_t i = 0; i < c->n && i < shown; i++) {
        const fb_decide_plan *p = &c->plans[i];
        char words[128];
        doc_add(d, AT_BOLD, p->case_id);
        doc_addf(d, AT_NORMAL, "  %s", decision_describe(p->action, p->violation, p->days, words, sizeof words));
        if (p->overridden)
            doc_add(d, AT_HIGH, "  (overrides the recommendation)");
        if (p->new_status == FB_CS_PENDING_APPROVAL)
            doc_add(d, AT_HIGH, "  → waits for a second reviewer's approval");
        doc_nl(d);
        /* This case's own recommendation: a bulk call climbs the ladder case by case. */
        doc_add(d, AT_DIM, "    recommended ");
        doc_add(d, AT_DIM, decision_describe(p->rec.action, p->rec.violation, p->rec.days, words, sizeof words));
        if (p->rec.why[0]) {
            doc_add(d, AT_DIM, " — ");
            doc_add(d, AT_DIM, p->rec.why);
        }
        doc_nl(d);
    }
    if (c->n > shown) {
        doc_addf(d, AT_DIM, "… and %zu more", c->n - shown);
        doc_nl(d);
    }
    /* Deciding an appeal: what was appealed and what the appeal says, before the notice. */
    if (c->n == 1 && c->plans[0].appeal_of) {
        fb_appeal_row ap = {0};
        fb_decision_row dr = {0};
        fb_err err = {0};
        if (store_appeal_open_for_case(t->store, c->plans[0].case_id, &ap, &err) > 0) {
            doc_add(d, AT_BOLD, "Appeal: ");
            doc_add(d, AT_NORMAL, ap.text ? ap.text : "");
            doc_nl(d);
            if (store_decision_load(t->store, ap.decision_id, &dr, &err) == FB_OK)
                case_decision_doc(d, "Appealed: ", &dr);
        }
        store_appeal_row_clear(&ap);
        store_decision_row_clear(&dr);
    }
    doc_nl(d);
    const char *notice = c->n ? c->plans[0].notice : NULL;
    if (notice && *notice) {
        doc_add(d, AT_BOLD, c->n > 1 ? "Notice the user gets (first case):" : "Notice the user gets:");
        doc_nl(d);
        doc_add(d, AT_NORMAL, notice);
        doc_nl(d);
    } else {
        doc_add(d, AT_DIM, "No notice is sent for this action.");
        doc_nl(d);
    }
}

struct claims_ctx {
    char *const *ids;
    const queue_row *rows;
    const int *claimed;
    size_t n;
};

static void build_claims(tui *t, tdoc *d, void *vctx)
{
    (void)t;
    const struct claims_ctx *c = vctx;
    char until[32];
    for (size_t i = 0; i < c->n; i++) {
        if (!c->claimed[i])
            continue;
        doc_add(d, AT_BOLD, c->ids[i]);
        doc_add(d, AT_NORMAL, " is claimed by ");
        doc_add(d, AT_HIGH, c->rows[i].claim_by);
        doc_addf(d, AT_NORMAL, " until %s", fb_time_format_local(c->rows[i].claim_until, until, sizeof until));
        doc_nl(d);
    }
    doc_nl(d);
    doc_add(d, AT_NORMAL, "Another reviewer holds these cases. Deciding anyway is recorded as a claim override.");
    doc_nl(d);
}

/* Cases another reviewer holds a live claim on: asked once, before anything else. */
static int confirm_claims(tui *t, char *const *ids, fb_decide_req *reqs, size_t n)
{
    queue_row *rows = fb_xcalloc(n, sizeof *rows);
    int *claimed = fb_xcalloc(n, sizeof *claimed);
    int any = 0, ok = 1;
    int64_t now = fb_now_ms();
    for (size_t i = 0; i < n; i++) {
        fb_err err = {0};
        if (store_queue_row(t->store, ids[i], &rows[i], &err) == FB_OK &&
            lifecycle_claim_live(rows[i].claim_by, rows[i].claim_until, now) &&
            strcmp(rows[i].claim_by, t->app->reviewer) != 0)
            claimed[i] = any = 1;
    }
    if (any) {
        struct claims_ctx cc = {ids, rows, claimed, n};
        ok = dialog_confirm(t, " Claimed by another reviewer — y decides anyway", build_claims, &cc);
        for (size_t i = 0; ok && i < n; i++)
            reqs[i].claim_override = claimed[i];
    }
    free(rows);
    free(claimed);
    return ok;
}

static void clear_plans(fb_decide_plan *plans, size_t n)
{
    for (size_t i = 0; i < n; i++)
        decide_plan_clear(&plans[i]);
}

/* Moves saved decisions between the cached counts: recounting scans the whole status
 * index, which a keypress should not pay for on a large store. */
/* Where a case stood before a decision, for the cached counts. */
struct before {
    fb_case_status status;
    int mine, rejected;
};

static void before_take(tui *t, const char *id, struct before *b)
{
    queue_row row;
    fb_err err = {0};
    b->status = FB_CS_NONE;
    b->mine = b->rejected = 0;
    if (store_queue_row(t->store, id, &row, &err) != FB_OK)
        return;
    b->status = row.status;
    queue_query q = {QUEUE_MINE, SORT_RISK, FB_V_NONE, FB_CS_NONE, 0, 100, t->app->reviewer};
    b->mine = store_queue_has(t->store, &q, &row) == 1;
    b->rejected = store_rejection_open(t->store, id, t->app->reviewer);
}

static void counts_after_decide(tui *t, const struct before *before, const fb_decide_plan *plans, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int from = lifecycle_queue_of(before[i].status), to = lifecycle_queue_of(plans[i].new_status);
        if (from >= 0 && t->counts.n[from] > 0)
            t->counts.n[from]--;
        if (to >= 0)
            t->counts.n[to]++;
        if (!before[i].mine)
            t->counts.n[QUEUE_MINE]++;   /* the reviewer's standing decision now */
        if (before[i].rejected && t->counts.n[QUEUE_REJECTED] > 0)
            t->counts.n[QUEUE_REJECTED]--;   /* deciding again answered the rejection */
        t->counts.pending_sync++;
    }
}

static void after_change(tui *t)
{
    tui_sync_kick(t);   /* push what was just saved without waiting for the interval */
    queue_changed(t);
    queue_reload(t);
    fb_case_free(&t->cur);
    tui_open_selected(t);
    t->doc_valid = 0;
}

tui_result act_decide(tui *t, km_action a)
{
    char *const *ids;
    size_t n = targets(t, &ids);
    fb_decide_req *reqs = fb_xcalloc(n, sizeof *reqs);
    fb_decide_plan *plans = fb_xcalloc(n, sizeof *plans);
    char *rationale = NULL;
    struct before *before = NULL;
    fb_err err = {0};
    fb_action action = FB_A_NONE;
    switch (a) {
    case ACT_EDUCATE: action = FB_A_EDUCATION; break;
    case ACT_SUSPEND: action = FB_A_SUSPENSION; break;
    case ACT_BLOCK: action = FB_A_BLOCK; break;
    case ACT_DISMISS: action = FB_A_NO_VIOLATION; break;
    case ACT_ESCALATE: action = FB_A_ESCALATE; break;
    default: break;
    }
    for (size_t i = 0; i < n; i++)
        reqs[i] = (fb_decide_req){.case_id = ids[i], .accept = a == ACT_ACCEPT, .action = action,
                                  .violation = FB_V_NONE, .days = 0};

    /* Preconditions first: a refusal (a case not decidable now) shows before anything is
     * asked; only what the reviewer can answer here (another's claim, a code the case does
     * not suggest, a rationale) is asked for, after the action is known to be allowed. The
     * dry run takes any claim as overridden: the claim is asked about next. */
    for (size_t i = 0; i < n; i++)
        reqs[i].claim_override = 1;
    for (int asked = 0;; asked = 1) {
        int only_rationale = 0;
        clear_plans(plans, n);
        fb_status prc = workflow_plan(t->wf, reqs, n, plans, &err);
        for (size_t i = 0; i < n; i++)
            only_rationale |= plans[i].needs_rationale;
        if (prc != FB_OK && err.remedy == FB_REMEDY_VIOLATION && !asked) {
            const char *codes[FB_V_COUNT];
            for (int v = 0; v < FB_V_COUNT; v++)
                codes[v] = fb_violation_str((fb_violation)v);
            char *code = prompt_read_words(t, "violation code (Tab lists them): ", codes, FB_V_COUNT);
            char word[64] = "";
            if (code)
                sscanf(code, "%63s", word);   /* Tab completion leaves a space after the word */
            fb_violation v = word[0] ? fb_violation_from_str(word) : FB_V_NONE;
            free(code);
            if (v == FB_V_NONE) {
                tui_message(t, 1, "%s needs a violation code (Tab at the prompt lists them); nothing saved",
                            fb_action_str(action));
                goto done;
            }
            for (size_t i = 0; i < n; i++)
                reqs[i].violation = v;
            fb_err_clear(&err);
            continue;
        }
        if (prc != FB_OK && !only_rationale) {
            tui_error(t, &err);
            goto done;
        }
        fb_err_clear(&err);
        break;
    }
    for (size_t i = 0; i < n; i++)
        reqs[i].claim_override = 0;
    if (!confirm_claims(t, ids, reqs, n)) {
        tui_message(t, 0, "cancelled; nothing saved");
        goto done;
    }

    if (action == FB_A_SUSPENSION) {
        /* The ladder's length for this case (the preflight's plan) is the default the
         * reviewer edits. */
        char def[16];
        snprintf(def, sizeof def, "%d", plans[0].days > 0 ? plans[0].days : 14);
        char ask[64];
        snprintf(ask, sizeof ask, "suspension days (%d-%d): ", FB_DAYS_MIN, FB_DAYS_MAX);
        char *days = prompt_read(t, ask, def, 0);
        if (!days) {
            tui_message(t, 0, "cancelled");
            goto done;
        }
        int d = 0;
        int bad = fb_days_parse(days, &d) != 0;
        free(days);
        if (bad) {
            tui_message(t, 1, "suspension days must be a whole number from %d to %d; nothing saved", FB_DAYS_MIN,
                        FB_DAYS_MAX);
            goto done;
        }
        for (size_t i = 0; i < n; i++)
            reqs[i].days = d;
    }

    for (int round = 0; round < 2; round++) {
        int need_rationale = 0;
        clear_plans(plans, n);
        for (size_t i = 0; i < n; i++)
            reqs[i].rationale = rationale;
        fb_err_clear(&err);
        /* The whole call in order, as it will be saved: each case's own rung of the ladder. */
        fb_status rc = workflow_plan(t->wf, reqs, n, plans, &err);
        for (size_t i = 0; i < n && !rationale; i++)
            need_rationale |= plans[i].needs_rationale;
        if (need_rationale && !rationale) {
            rationale = prompt_read(t, "rationale (required): ", NULL, 0);
            if (!rationale || !*rationale) {
                tui_message(t, 1, "a rationale is needed for this decision; nothing saved");
                goto done;
            }
            continue;
        }
        if (rc != FB_OK) {
            tui_error(t, &err);
            goto done;
        }
        break;
    }

    char title[256];
    snprintf(title, sizeof title, " Decide %zu case%s — y confirms", n, n == 1 ? "" : "s");
    struct confirm_ctx cc = {plans, n};
    if (!dialog_confirm(t, title, build_confirm, &cc)) {
        tui_message(t, 0, "cancelled; nothing saved");
        goto done;
    }
    clear_plans(plans, n);
    fb_err_clear(&err);
    before = fb_xcalloc(n, sizeof *before);
    for (size_t i = 0; i < n; i++)
        before_take(t, ids[i], &before[i]);
    if (workflow_decide(t->wf, reqs, n, plans, &err) != FB_OK) {
        tui_error(t, &err);
        goto done;
    }
    counts_after_decide(t, before, plans, n);
    if (n == 1) {
        tui_message(t, 0, "saved: %s %s%s", plans[0].case_id, fb_action_str(plans[0].action),
                    plans[0].new_status == FB_CS_PENDING_APPROVAL ? " (waits for approval)" : "");
    } else {
        tui_message(t, 0, "saved %zu decisions (%s)", n, fb_action_str(plans[0].action));
    }
    for (size_t i = 0; i < t->n_marks; i++)
        free(t->marks[i]);
    free(t->marks);
    t->marks = NULL;
    t->n_marks = 0;
    after_change(t);
done:
    clear_plans(plans, n);
    free(before);
    free(plans);
    free(reqs);
    free(rationale);
    return TR_DONE;
}

struct approve_ctx {
    const fb_case *c;
    const fb_decision_row *d;
    const char *rationale;    /* a send-back's reason */
    int reject;
};

/* What the second reviewer judges: the proposal whole and the evidence in brief. */
static void build_approve(tui *t, tdoc *d, void *vctx)
{
    (void)t;
    const struct approve_ctx *c = vctx;
    doc_addf(d, AT_NORMAL, "%s the proposed block of ", c->reject ? "Send back" : "Approve");
    doc_add(d, AT_BOLD, c->c->id);
    doc_addf(d, AT_NORMAL, " (risk %d)", c->c->risk);
    doc_nl(d);
    doc_nl(d);
    case_decision_doc(d, "Proposed: ", c->d);
    doc_add(d, AT_BOLD, "Evidence:");
    doc_nl(d);
    size_t shown = c->c->n_signals < 4 ? c->c->n_signals : 4;
    d->indent = 4;
    for (size_t i = 0; i < shown; i++) {
        doc_add(d, AT_NORMAL, "  • ");
        doc_add(d, AT_NORMAL, c->c->signals[i].sentence);
        doc_nl(d);
    }
    d->indent = 0;
    if (c->c->n_signals > shown) {
        doc_addf(d, AT_DIM, "  … %zu more signals (%s tab)", c->c->n_signals - shown, case_tab_name(TAB_SUMMARY));
        doc_nl(d);
    }
    if (c->c->n_signals == 0) {
        doc_add(d, AT_DIM, "  no signals");
        doc_nl(d);
    }
    if (c->reject) {
        doc_add(d, AT_BOLD, "Sent back because: ");
        doc_add(d, AT_NORMAL, c->rationale ? c->rationale : "");
        doc_nl(d);
    }
    doc_nl(d);
    case_notice_doc(d, c->d);
}

/* Approve or send back: preconditions first, then the reason (send back), then the same
 * confirmation for both. */
tui_result act_approve(tui *t, int reject)
{
    char id[37];
    fb_err err = {0};
    char *rationale = NULL;
    fb_decision_row d = {0};
    if (store_case_pending_block(t->store, t->cur->id, id, &err) != FB_OK ||
        workflow_approve_check(t->wf, id, &d, &err) != FB_OK) {
        tui_error(t, &err);
        goto done;
    }
    if (reject) {
        rationale = prompt_read(t, "why send it back (required): ", NULL, 0);
        if (!rationale || !*rationale) {
            tui_message(t, 1, "sending back needs a reason for the proposer; nothing saved");
            goto done;
        }
    }
    struct approve_ctx c = {t->cur, &d, rationale, reject};
    if (!dialog_confirm(t, reject ? " Send back block — y confirms" : " Approve block — y confirms", build_approve,
                        &c)) {
        tui_message(t, 0, "cancelled; nothing saved");
        goto done;
    }
    if (workflow_approve(t->wf, id, reject, rationale, &err) != FB_OK)
        tui_error(t, &err);
    else {
        tui_message(t, 0, "%s: block of %s", reject ? "sent back" : "approved", t->cur->id);
        tui_refresh_counts(t);
        after_change(t);
    }
done:
    store_decision_row_clear(&d);
    free(rationale);
    return TR_DONE;
}

struct undo_ctx {
    const fb_decision_row *r;
    int64_t renew_at;   /* when the hold on its outbox row is renewed */
};

static void build_undo(tui *t, tdoc *d, void *vctx)
{
    const struct undo_ctx *u = vctx;
    const fb_decision_row *r = u->r;
    char w[160], at[32];
    doc_add(d, AT_NORMAL, "Undo your decision on ");
    doc_add(d, AT_BOLD, r->case_id);
    doc_nl(d);
    doc_add(d, AT_HIGH, describe_decision(r, w, sizeof w));
    doc_add(d, AT_DIM, " · ");
    doc_add(d, AT_DIM, fb_time_format_local(r->decided_at, at, sizeof at));
    doc_nl(d);
    doc_add(d, AT_DIM, "It has not gone upstream; the case goes back to where it was and the decision stays on "
                       "record as undone.");
    doc_nl(d);
    if (t->sync) {
        doc_add(d, AT_HIGH, "It stays here while this box is open, however long you take; if you cancel, it goes upstream.");
        doc_nl(d);
    }
}

/* Keeps the hold on the decision's outbox row while the box is open (it lapses by itself
 * WORKFLOW_UNDO_HOLD_MS after the last renewal: a console that dies holds nothing). */
static void tick_undo(tui *t, void *vctx)
{
    struct undo_ctx *u = vctx;
    int64_t now = fb_now_ms();
    if (now < u->renew_at)
        return;
    fb_err err = {0};
    u->renew_at = now + WORKFLOW_UNDO_HOLD_MS / 2;
    /* A refusal here (the row is gone) shows when the reviewer confirms. */
    (void)workflow_undo_hold(t->wf, u->r->id, &err);
}

tui_result act_undo(tui *t)
{
    char id[37] = "";
    fb_err err = {0};
    fb_decision_row last = {0};
    /* The decision the dialog shows is the one undone (by id), or nothing is. */
    int r = store_decision_last_by(t->store, t->app->reviewer, &last, &err);
    if (r <= 0) {
        tui_message(t, 1, "%s", r < 0 ? err.msg : "nothing to undo: you have no unsynced decision");
        goto done;
    }
    /* Refused before anything is asked (the workflow says why: synced, in flight); else its
     * outbox row is held while the box is open, so a reviewer who pressed undo in time
     * gets it however long the answer takes. */
    if (workflow_undo_hold(t->wf, last.id, &err) != FB_OK) {
        tui_error(t, &err);
        goto done;
    }
    struct undo_ctx u = {&last, fb_now_ms() + WORKFLOW_UNDO_HOLD_MS / 2};
    int yes = dialog_confirm_tick(t, " Undo your decision — y confirms", build_undo, tick_undo, &u);
    if (yes && workflow_undo_id(t->wf, last.id, id, &err) == FB_OK) {
        tui_message(t, 0, "undone: decision %.8s", id);
        tui_refresh_counts(t);
        after_change(t);
        goto done;
    }
    /* Not undone: the hold ends now (the engine pushes it when its window allows). */
    fb_err rerr = {0};
    if (workflow_undo_release(t->wf, last.id, &rerr) == FB_OK)
        tui_sync_kick(t);
    if (yes)
        tui_error(t, &err);
    else
        tui_message(t, 0, "cancelled; nothing changed");
done:
    store_decision_row_clear(&last);
    return TR_DONE;
}

tui_result act_note(tui *t)
{
    char *text = prompt_read(t, "note (internal, never in a notice): ", NULL, 0);
    fb_err err = {0};
    if (!text || !*text) {
        free(text);
        tui_message(t, 0, "cancelled");
        return TR_DONE;
    }
    if (workflow_note(t->wf, t->cur->id, text, &err) != FB_OK)
        tui_error(t, &err);
    else {
        tui_message(t, 0, "note added to %s", t->cur->id);
        t->doc_valid = 0;
    }
    free(text);
    return TR_DONE;
}

struct conflict_ctx {
    const fb_decision_row *mine, *winner;
    int have_winner;
    const char *appeal;   /* the appeal's text; NULL: accepting */
};

static void build_conflict(tui *t, tdoc *d, void *vctx)
{
    (void)t;
    const struct conflict_ctx *c = vctx;
    char w[160], at[32];
    doc_add(d, AT_NORMAL, c->appeal ? "Appeal the decision that won case " : "Accept the decision that won case ");
    doc_add(d, AT_BOLD, c->mine->case_id);
    doc_nl(d);
    if (c->have_winner) {
        doc_add(d, AT_HIGH, describe_decision(c->winner, w, sizeof w));
        doc_add(d, AT_NORMAL, " by ");
        doc_add(d, AT_NORMAL, c->winner->reviewer ? c->winner->reviewer : "?");
        doc_add(d, AT_DIM, " · ");
        doc_add(d, AT_DIM, fb_time_format_local(c->winner->decided_at, at, sizeof at));
    } else {
        doc_add(d, AT_DIM, "(the winning decision is not in this store yet)");
    }
    doc_nl(d);
    if (c->appeal) {
        doc_add(d, AT_BOLD, "Appeal: ");
        doc_add(d, AT_NORMAL, c->appeal);
        doc_nl(d);
        doc_add(d, AT_DIM, "The case goes to the appeals queue, where another reviewer decides it.");
        doc_nl(d);
        return;
    }
    doc_add(d, AT_DIM, "Yours, ");
    doc_add(d, AT_DIM, describe_decision(c->mine, w, sizeof w));
    doc_add(d, AT_DIM, ", stays on record as a conflict; nothing goes upstream.");
    doc_nl(d);
}

tui_result act_conflict(tui *t, int appeal)
{
    fb_decision_row mine = {0}, winner = {0};
    fb_err err = {0};
    char *text = NULL;
    int r = store_decision_open_conflict(t->store, t->cur->id, t->app->reviewer, &mine, &err);
    if (r <= 0) {
        tui_message(t, 1, "%s", r < 0 ? err.msg : "no conflicting decision of yours on this case");
        return TR_DONE;
    }
    int have_winner = store_decision_conflict_winner(t->store, &mine, &winner, &err) > 0;
    if (appeal) {
        text = prompt_read(t, "appeal the winning decision — why (required): ", NULL, 0);
        if (!text || !*text) {
            tui_message(t, 1, "an appeal needs a text; nothing saved");
            goto done;
        }
        struct conflict_ctx c = {&mine, &winner, have_winner, text};
        if (!dialog_confirm(t, " Appeal the winning decision — y confirms", build_conflict, &c)) {
            tui_message(t, 0, "cancelled; nothing saved");
            goto done;
        }
        char ap[37] = "";
        if (workflow_conflict_appeal(t->wf, mine.id, text, ap, &err) != FB_OK) {
            tui_error(t, &err);
            goto done;
        }
        tui_message(t, 0, "appealed the winning decision on %s (appeal %.8s); the case is in the appeals queue",
                    mine.case_id, ap);
    } else {
        struct conflict_ctx c = {&mine, &winner, have_winner, NULL};
        if (!dialog_confirm(t, " Accept the winning decision — y confirms", build_conflict, &c)) {
            tui_message(t, 0, "cancelled; nothing saved");
            goto done;
        }
        if (workflow_conflict_accept(t->wf, mine.id, &err) != FB_OK) {
            tui_error(t, &err);
            goto done;
        }
        tui_message(t, 0, "accepted the winning decision on %s", mine.case_id);
    }
    tui_refresh_counts(t);
    after_change(t);
done:
    free(text);
    store_decision_row_clear(&mine);
    store_decision_row_clear(&winner);
    return TR_DONE;
}

static void build_discard(tui *t, tdoc *d, void *vctx)
{
    (void)t;
    const fb_decision_row *r = vctx;
    char w[160];
    doc_add(d, AT_NORMAL, "Discard your decision on ");
    doc_add(d, AT_BOLD, r->case_id);
    doc_add(d, AT_NORMAL, " that upstream rejected:");
    doc_nl(d);
    doc_add(d, AT_HIGH, describe_decision(r, w, sizeof w));
    doc_nl(d);
    doc_add(d, AT_DIM, "Upstream: ");
    doc_add(d, AT_NORMAL, r->upstream_note ? r->upstream_note : "(no reason given)");
    doc_nl(d);
    doc_add(d, AT_DIM, "It stays on record as rejected; nothing goes upstream and the case keeps upstream's status.");
    doc_nl(d);
}

tui_result act_discard(tui *t)
{
    fb_decision_row r = {0};
    fb_err err = {0};
    int have = store_decision_open_rejection(t->store, t->cur->id, t->app->reviewer, &r, &err);
    if (have <= 0) {
        tui_message(t, 1, "%s", have < 0 ? err.msg : "no rejected decision of yours on this case");
        return TR_DONE;
    }
    if (!dialog_confirm(t, " Discard the rejected decision — y confirms", build_discard, &r))
        tui_message(t, 0, "cancelled; nothing saved");
    else if (workflow_discard(t->wf, r.id, &err) != FB_OK)
        tui_error(t, &err);
    else {
        tui_message(t, 0, "discarded your rejected decision on %s", r.case_id);
        tui_refresh_counts(t);
        after_change(t);
    }
    store_decision_row_clear(&r);
    return TR_DONE;
}

static void mark_add(void *ctx, const char *id)
{
    tui *t = ctx;
    if (!id || tui_is_marked(t, id))
        return;
    char **slot = fb_xgrow((void **)&t->marks, &t->n_marks, sizeof *slot);
    *slot = fb_strdup(id);
}

tui_result act_mark(tui *t, km_action a)
{
    fb_err err = {0};
    size_t before = t->n_marks;
    switch (a) {
    case ACT_MARK:
        for (size_t i = 0; i < t->n_marks; i++) {
            if (strcmp(t->marks[i], t->cur->id) == 0) {
                free(t->marks[i]);
                t->marks[i] = t->marks[--t->n_marks];
                tui_message(t, 0, "unmarked %s · %zu marked", t->cur->id, t->n_marks);
                return TR_DONE;
            }
        }
        mark_add(t, t->cur->id);
        tui_message(t, 0, "marked %s · %zu marked", t->cur->id, t->n_marks);
        break;
    case ACT_MARK_ACCOUNT: case ACT_MARK_CLUSTER:
        if (!t->cur->subject) {
            tui_message(t, 1, "this case names no subject account");
            break;
        }
        if (store_cases_of_account(t->store, t->cur->subject, a == ACT_MARK_CLUSTER, 1000, mark_add, t, &err) !=
            FB_OK) {
            tui_error(t, &err);
            break;
        }
        tui_message(t, 0, "marked %zu open case%s of the %s · %zu marked", t->n_marks - before,
                    t->n_marks - before == 1 ? "" : "s",
                    a == ACT_MARK_CLUSTER ? "linked-account cluster" : "subject account", t->n_marks);
        break;
    default:
        for (size_t i = 0; i < t->n_marks; i++)
            free(t->marks[i]);
        free(t->marks);
        t->marks = NULL;
        t->n_marks = 0;
        tui_message(t, 0, "marks cleared");
        break;
    }
    return TR_DONE;
}

/* The cursor is the case: a case outside the current queue is never shown beside it. We
 * say which queue holds it and offer to go there (the queue changes, the focus does not). */
struct offer_ctx {
    const char *id;
    int home;
    int filtered;   /* in this queue, hidden by the filter */
    size_t more;    /* other hits outside this queue */
    int more_plus;  /* more were not looked at */
    int partial;    /* this queue was not searched whole (the term matches too much) */
};

static void build_offer(tui *t, tdoc *d, void *vctx)
{
    const struct offer_ctx *o = vctx;
    doc_add(d, AT_BOLD, o->id);
    if (o->filtered) {
        doc_addf(d, AT_NORMAL, " is in this queue (%s) but the filter hides it.", queue_words(t->queue.q.queue));
        doc_nl(d);
        doc_add(d, AT_NORMAL, "y clears the filter and selects it; n stays where you are.");
    } else {
        doc_addf(d, AT_NORMAL, " is in the %s queue, not in this one (%s).", queue_words((fb_queue)o->home),
                 queue_words(t->queue.q.queue));
        doc_nl(d);
        doc_addf(d, AT_NORMAL, "y goes to the %s queue and selects it; n stays where you are.",
                 queue_words((fb_queue)o->home));
    }
    doc_nl(d);
    if (o->more) {
        doc_addf(d, AT_DIM, "(%zu%s more hit%s outside this queue)", o->more, o->more_plus ? "+" : "",
                 o->more == 1 && !o->more_plus ? "" : "s");
        doc_nl(d);
    }
    if (o->partial) {
        doc_add(d, AT_DIM, "The term matches too much elsewhere to read it all: this queue may hold hits further on; "
                           "a longer term narrows it.");
        doc_nl(d);
    }
}

/* 1 when the case ends up selected in the (maybe new) current queue. */
static int offer_case(tui *t, const queue_row *row, size_t more, int more_plus, int partial)
{
    struct offer_ctx o = {row->id, queue_home(t, row), 0, more, more_plus, partial};
    queue_query unfiltered = t->queue.q;
    unfiltered.code = FB_V_NONE;
    unfiltered.status = FB_CS_NONE;
    unfiltered.risk_min = 0;
    unfiltered.risk_max = 100;
    o.filtered = queue_holds(t, &unfiltered, row);
    if (!o.filtered && o.home < 0) {
        tui_message(t, 1, "%s (%s) is in no queue", row->id, fb_case_status_str(row->status));
        return 0;
    }
    char title[96];
    snprintf(title, sizeof title, " Not in this queue — y goes there");
    if (!dialog_confirm(t, title, build_offer, &o)) {
        tui_message(t, 0, "stayed in the %s queue; %s is in the %s queue", queue_words(t->queue.q.queue), row->id,
                    o.filtered ? queue_words(t->queue.q.queue) : queue_words((fb_queue)o.home));
        return 0;
    }
    if (!o.filtered)
        unfiltered.queue = (fb_queue)o.home;
    t->queue.q = unfiltered;
    queue_changed(t);
    if (queue_seek(t, row->id) != 1) {
        queue_load_first(t);
        tui_open_selected(t);
        tui_message(t, 1, "%s left the queue meanwhile", row->id);
        return 0;
    }
    tui_open_selected(t);
    return 1;
}

static void goto_case(tui *t, const char *id)
{
    queue_row row;
    fb_err err = {0};
    if (store_queue_row(t->store, id, &row, &err) != FB_OK) {
        tui_message(t, 1, "no case %s in this store", id);
        return;
    }
    if (queue_seek(t, id) == 1) {
        tui_open_selected(t);
        return;
    }
    if (offer_case(t, &row, 0, 0, 0))
        tui_message(t, 0, "%s in the %s queue", id, queue_words(t->queue.q.queue));
}

/* The case id as typed: resolved as the CLI resolves it (any case; fbreview/store_id.h). */
void act_goto(tui *t, const char *typed)
{
    char *id = NULL;
    fb_err err = {0};
    if (store_id_case(t->store, typed, &id, &err) != FB_OK) {
        tui_error(t, &err);
        return;
    }
    goto_case(t, id);
    free(id);
}

struct search_acc {
    tui *t;
    queue_row *in;      /* hits in the current queue, with its filter */
    size_t n_in;
    queue_row first_out;
    size_t n_out;
    size_t n_any;       /* matches anywhere looked at */
};

/* A hit the store found in the current queue (store_search within it). */
static void hit_in(void *ctx, const char *id)
{
    struct search_acc *a = ctx;
    queue_row row;
    fb_err err = {0};
    if (store_queue_row(a->t->store, id, &row, &err) != FB_OK)
        return;
    queue_row *slot = fb_xgrow((void **)&a->in, &a->n_in, sizeof *slot);
    *slot = row;
}

/* A hit anywhere: counted when it is not one of this queue's. */
static void hit_any(void *ctx, const char *id)
{
    struct search_acc *a = ctx;
    queue_row row;
    fb_err err = {0};
    a->n_any++;
    for (size_t i = 0; i < a->n_in; i++)
        if (strcmp(a->in[i].id, id) == 0)
            return;
    if (store_queue_row(a->t->store, id, &row, &err) != FB_OK || queue_holds(a->t, &a->t->queue.q, &row))
        return;
    if (a->n_out++ == 0)
        a->first_out = row;
}

static fb_sort cmp_sort;
static int cmp_hits(const void *x, const void *y) { return queue_row_cmp(cmp_sort, x, y); }

static void hits_clear(tui *t)
{
    for (size_t i = 0; i < t->n_hits; i++)
        free(t->hits[i]);
    free(t->hits);
    t->hits = NULL;
    t->n_hits = 0;
    t->hit = 0;
}

static void hit_show(tui *t)
{
    if (queue_seek(t, t->hits[t->hit]) != 1) {
        tui_message(t, 1, "%s has left this queue since the search; / searches again", t->hits[t->hit]);
        return;
    }
    tui_open_selected(t);
}

/* Hits kept for n and N; matches anywhere looked at to say where else the term is. */
#define SEARCH_HITS 500
#define SEARCH_ELSEWHERE 100

/* Searches the current queue: hits in queue order, so n and N walk down and up the queue.
 * Hits elsewhere are counted and, when this queue has none, offered. */
void act_search(tui *t, const char *term)
{
    fb_err err = {0};
    struct search_acc a;
    memset(&a, 0, sizeof a);
    a.t = t;
    hits_clear(t);
    if (!*term)
        return;
    snprintf(t->search_term, sizeof t->search_term, "%s", term);
    /* This queue's hits from the store's search within it; then, bounded, where else the
     * term is found (offered when this queue has none, else counted). */
    int partial = 0;
    if (store_search(t->store, &t->queue.q, term, SEARCH_HITS, hit_in, &a, &partial, &err) != FB_OK ||
        store_search(t->store, NULL, term, SEARCH_ELSEWHERE, hit_any, &a, NULL, &err) != FB_OK) {
        tui_error(t, &err);
        free(a.in);
        return;
    }
    char safe[128];
    text_clip(term, strlen(term), 40, 1, safe, sizeof safe);
    if (a.n_in == 0) {
        free(a.in);
        if (a.n_out == 0) {
            tui_message(t, 1, "no case matches \"%s\"", safe);
            return;
        }
        queue_row out = a.first_out;
        if (offer_case(t, &out, a.n_out - 1, a.n_any >= SEARCH_ELSEWHERE, partial)) {
            /* In the new queue the search goes on there, n and N included. */
            char again[sizeof t->search_term];
            snprintf(again, sizeof again, "%s", t->search_term);
            act_search(t, again);
        }
        return;
    }
    cmp_sort = t->queue.q.sort;
    qsort(a.in, a.n_in, sizeof *a.in, cmp_hits);
    for (size_t i = 0; i < a.n_in; i++) {
        char **slot = fb_xgrow((void **)&t->hits, &t->n_hits, sizeof *slot);
        *slot = fb_strdup(a.in[i].id);
    }
    free(a.in);
    hit_show(t);
    char more[64] = "";
    if (a.n_out)
        snprintf(more, sizeof more, "; %zu%s more in other queues", a.n_out,
                 a.n_any >= SEARCH_ELSEWHERE ? "+" : "");
    if (partial)
        tui_message(t, 0, "hit 1 of %zu in this queue so far: the term matches too much elsewhere to read it all, "
                          "a longer term narrows it%s (n next, N previous)", t->n_hits, more);
    else
        tui_message(t, 0, "hit 1 of %zu%s in this queue%s (n next, N previous)", t->n_hits,
                    t->n_hits >= SEARCH_HITS ? "+" : "", more);
}

void act_search_step(tui *t, int dir)
{
    int n = (int)t->n_hits;
    t->hit = ((t->hit + (dir > 0 ? 1 : -1)) % n + n) % n;
    hit_show(t);
    if (!t->msg_error)
        tui_message(t, 0, "hit %d of %zu in this queue: %s", t->hit + 1, t->n_hits, t->hits[t->hit]);
}
