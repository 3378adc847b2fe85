/* The evidence pane: the open case in six tabs. Every piece of evidence text goes through
 * the document builder, i.e. through the safe renderer. */
#include "tui_private.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/money.h"
#include "fbreview/store_structure.h"
#include "fbreview/text.h"
#include "fbreview/timeutil.h"

static const struct {
    const char *num, *name, *abbr;
} tabs[TAB_COUNT] = {
#define FB_T(X, tab, action, num, bind, name, abbr) [tab] = {num, name, abbr},
    FB_TAB_TABLE(FB_T, _)
#undef FB_T
};

/* How the tab bar names the tabs, widest first: the first that fits the pane is drawn. A
 * level gives the active tab and the others each a full name, an abbreviation or none
 * (the number alone), so the active tab always shows and the others keep a name as long
 * as one fits. */
enum { TN_NONE, TN_ABBR, TN_FULL };
static const struct {
    int active, other;
} tab_levels[] = {
    {TN_FULL, TN_FULL}, {TN_FULL, TN_ABBR}, {TN_ABBR, TN_ABBR}, {TN_FULL, TN_NONE}, {TN_ABBR, TN_NONE},
    {TN_NONE, TN_NONE},
};
#define N_TAB_LEVELS (sizeof tab_levels / sizeof tab_levels[0])

/* A tab's label at a level: " N Name " with every name (the widest level); below it the
 * others drop their trailing space, so abbreviations fit 80 columns. */
static void tab_label(char *out, size_t n, int level, int i, int active)
{
    int how = active ? tab_levels[level].active : tab_levels[level].other;
    const char *name = how == TN_FULL ? tabs[i].name : how == TN_ABBR ? tabs[i].abbr : NULL;
    snprintf(out, n, " %s%s%s%s", tabs[i].num, name ? " " : "", name ? name : "", active || level == 0 ? " " : "");
}

int case_pane_x(const tui *t) { return tui_queue_width(t) + 1; }
const char *case_tab_name(int tab) { return tab >= 0 && tab < TAB_COUNT ? tabs[tab].name : "?"; }
int case_pane_rows(const tui *t) { return t->lines - 4; }

/* Names in headers and lists are shortened (a flagged user may pick a name of any
 * length; it is shown whole in the Accounts tab). Rotating buffers: several per line. */
enum { NAME_SHOWN = 80 };   /* bytes */

static const char *short_text(const char *s)
{
    static char buf[4][NAME_SHOWN + 8];
    static int k;
    size_t n = strlen(s);
    if (n <= NAME_SHOWN)
        return s;
    char *b = buf[k++ % 4];
    n = NAME_SHOWN;
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)   /* a whole UTF-8 character */
        n--;
    memcpy(b, s, n);
    memcpy(b + n, "…", sizeof "…");
    return b;
}

static const char *acct_name(const fb_case *c, const char *id)
{
    const fb_account *a = id ? fb_case_account(c, id) : NULL;
    return short_text(a && a->name ? a->name : id ? id : "?");
}

/* A line saying that a field was cut on import, with what identifies the original. */
static void cut_note(tdoc *d, const fb_case *c, const char *list, long index, const char *member)
{
    char path[FB_FIELD_PATH_MAX];
    const fb_cut *cut = fb_case_cut(c, fb_field_path(path, sizeof path, list, index, member));
    if (!cut)
        return;
    int indent = d->indent;
    doc_nl(d);
    d->indent = 4;
    doc_addf(d, AT_HIGH, "    ✂ cut on import: %" PRIu64 " of %" PRIu64 " bytes kept", cut->kept, cut->length);
    doc_add(d, AT_DIM, " · sha256 ");
    doc_add(d, AT_DIM, cut->sha256);
    d->indent = indent;
}

static void when(tdoc *d, int role, int64_t ms)
{
    char b[32];
    if (ms)
        doc_add(d, role, fb_time_format_local(ms, b, sizeof b));
    else
        doc_add(d, role, "unknown");
}

static void line_kv(tdoc *d, const char *k, const char *v)
{
    doc_add(d, AT_BOLD, k);
    doc_add(d, AT_NORMAL, v ? v : "-");
    doc_nl(d);
}

static int64_t first_feedback(const fb_case *c)
{
    int64_t t = 0;
    for (size_t i = 0; i < c->n_feedback; i++)
        if (c->feedback[i].at && (!t || c->feedback[i].at < t))
            t = c->feedback[i].at;
    return t;
}

/* The reviewer's unresolved conflict on this case, at the top of Summary and History:
 * their decision, upstream's answer, and the decision that won when this store has it. */
static void conflict_banner(tui *t, tdoc *d)
{
    fb_decision_row mine = {0}, w = {0};
    fb_err err = {0};
    char words[160], kn[16];
    if (store_decision_open_conflict(t->store, t->cur->id, t->app->reviewer, &mine, &err) <= 0)
        return;
    doc_add(d, AT_ERROR, "Your decision ");
    doc_add(d, AT_ERROR, describe_decision(&mine, words, sizeof words));
    doc_add(d, AT_ERROR, " conflicted: ");
    doc_add(d, AT_NORMAL, mine.upstream_note ? mine.upstream_note : "(upstream gave no reason)");
    doc_nl(d);
    doc_add(d, AT_BOLD, "Winning decision: ");
    if (store_decision_conflict_winner(t->store, &mine, &w, &err) > 0) {
        doc_add(d, AT_HIGH, describe_decision(&w, words, sizeof words));
        doc_add(d, AT_NORMAL, " by ");
        doc_add(d, AT_NORMAL, w.reviewer ? w.reviewer : "?");
        doc_add(d, AT_NORMAL, " at ");
        when(d, AT_NORMAL, w.decided_at);
        if (w.rationale && *w.rationale) {
            doc_add(d, AT_DIM, " — ");
            doc_add(d, AT_NORMAL, w.rationale);
        }
    } else {
        doc_add(d, AT_DIM, "not in this store yet (the next sync brings it)");
    }
    doc_nl(d);
    int k;
    doc_add(d, AT_DIM, "Resolve it: ");
    if (keymap_keys_for(t->km, ACT_CONFLICT_ACCEPT, KM_MAIN, &k, 1) == 1) {
        doc_add(d, AT_BOLD, keymap_key_name(k, kn, sizeof kn));
        doc_add(d, AT_DIM, " accept it · ");
    }
    if (keymap_keys_for(t->km, ACT_CONFLICT_APPEAL, KM_MAIN, &k, 1) == 1) {
        doc_add(d, AT_BOLD, keymap_key_name(k, kn, sizeof kn));
        doc_add(d, AT_DIM, " appeal it");
    }
    doc_nl(d);
    doc_nl(d);
    store_decision_row_clear(&mine);
    store_decision_row_clear(&w);
}

/* The reviewer's decision upstream rejected on this case, at the top of Summary and
 * History: upstream's reason and the two ways to answer it. */
static void rejection_banner(tui *t, tdoc *d)
{
    fb_decision_row mine = {0};
    fb_err err = {0};
    char words[160], kn[16];
    if (store_decision_open_rejection(t->store, t->cur->id, t->app->reviewer, &mine, &err) <= 0)
        return;
    doc_add(d, AT_ERROR, "Your decision ");
    doc_add(d, AT_ERROR, describe_decision(&mine, words, sizeof words));
    doc_add(d, AT_ERROR, " was rejected upstream: ");
    doc_add(d, AT_NORMAL, mine.upstream_note ? mine.upstream_note : "(upstream gave no reason)");
    doc_nl(d);
    doc_add(d, AT_DIM, "It did not take effect. Sync (:sync) to pull the case as upstream has it, then decide it "
                       "again if it is still open");
    int k;
    if (keymap_keys_for(t->km, ACT_DISCARD, KM_MAIN, &k, 1) == 1) {
        doc_add(d, AT_DIM, ", or ");
        doc_add(d, AT_BOLD, keymap_key_name(k, kn, sizeof kn));
        doc_add(d, AT_DIM, " discard it");
    }
    doc_add(d, AT_DIM, ".");
    doc_nl(d);
    doc_nl(d);
    store_decision_row_clear(&mine);
}

/* A case whose evidence local retention removed: said at the top of every tab. */
static void purged_banner(const fb_case *c, tdoc *d)
{
    if (!c->purged_at)
        return;
    doc_add(d, AT_HIGH, "Evidence purged from this store on ");
    when(d, AT_HIGH, c->purged_at);
    doc_addf(d, AT_NORMAL, " (local retention: %d days after the decision synced). The decisions, notes and audit "
                           "are kept; the evidence is upstream.", c->purged_days);
    doc_nl(d);
    doc_nl(d);
}

/* Where the case's latest block stands with the second reviewer, in the words of the
 * export and `show` (fb_approval_word): pending, approved by, sent_back by and why. */
static void approval_line(tui *t, tdoc *d)
{
    fb_decision_row dr = {0};
    fb_err err = {0};
    if (store_decision_newest_for_case(t->store, t->cur->id, &dr, &err) > 0 && dr.approval != FB_APPR_NONE &&
        dr.approval != FB_APPR_UNKNOWN) {
        char words[96];
        doc_add(d, AT_BOLD, "Approval ");
        doc_add(d, dr.approval == FB_APPR_PENDING ? AT_HIGH : AT_NORMAL, fb_approval_word(dr.approval));
        if (dr.approval == FB_APPR_PENDING) {
            doc_add(d, AT_NORMAL, " · ");
            doc_add(d, AT_NORMAL, describe_decision(&dr, words, sizeof words));
            doc_add(d, AT_NORMAL, " by ");
            doc_add(d, AT_NORMAL, dr.reviewer ? dr.reviewer : "?");
        } else {
            doc_add(d, AT_NORMAL, " by ");
            doc_add(d, AT_NORMAL, dr.approved_by ? dr.approved_by : "?");
            if (dr.approval_rationale) {
                doc_add(d, AT_NORMAL, " — ");
                doc_add(d, AT_NORMAL, dr.approval_rationale);
            }
        }
        doc_nl(d);
    }
    store_decision_row_clear(&dr);
}

/* A decision as a reviewer judges it: what, by whom and when, and why; then (apart, the
 * longest part last) the notice the user gets. Summary (pending and appealed cases) and
 * the approval dialog show them. */
void case_decision_doc(tdoc *d, const char *label, const fb_decision_row *dr)
{
    char words[160];
    doc_add(d, AT_BOLD, label);
    doc_add(d, AT_HIGH, describe_decision(dr, words, sizeof words));
    doc_add(d, AT_NORMAL, " by ");
    doc_add(d, AT_BOLD, dr->reviewer ? dr->reviewer : "?");
    doc_add(d, AT_NORMAL, " at ");
    when(d, AT_NORMAL, dr->decided_at);
    if (dr->overridden)
        doc_add(d, AT_HIGH, " (overrode the recommendation)");
    doc_nl(d);
    d->indent = 2;
    doc_add(d, AT_BOLD, "  Rationale: ");
    if (dr->rationale && *dr->rationale)
        doc_add(d, AT_NORMAL, dr->rationale);
    else
        doc_add(d, AT_DIM, "none given");
    doc_nl(d);
    d->indent = 0;
}

void case_notice_doc(tdoc *d, const fb_decision_row *dr)
{
    d->indent = 2;
    doc_add(d, AT_BOLD, "  Notice: ");
    if (dr->notice && *dr->notice)
        doc_add(d, AT_NORMAL, dr->notice);
    else
        doc_add(d, AT_DIM, "none is sent");
    doc_nl(d);
    d->indent = 0;
}

/* The appeal text and the decision appealed (an appealed case's Summary). */
static void appeal_block(tui *t, tdoc *d)
{
    fb_appeal_row ap = {0};
    fb_decision_row dr = {0};
    fb_err err = {0};
    if (store_appeal_open_for_case(t->store, t->cur->id, &ap, &err) > 0) {
        doc_add(d, AT_BOLD, "Appeal received ");
        when(d, AT_NORMAL, ap.received_at);
        doc_add(d, AT_BOLD, ": ");
        d->indent = 2;
        doc_add(d, AT_NORMAL, ap.text ? ap.text : "");
        d->indent = 0;
        doc_nl(d);
        if (store_decision_load(t->store, ap.decision_id, &dr, &err) == FB_OK)
        {
            case_decision_doc(d, "Appealed: ", &dr);
            case_notice_doc(d, &dr);
        }
        doc_nl(d);
    }
    store_appeal_row_clear(&ap);
    store_decision_row_clear(&dr);
}

/* The proposed block a pending case waits on, whole (proposer, rationale, notice). */
static void proposal_block(tui *t, tdoc *d)
{
    char id[37];
    fb_decision_row dr = {0};
    fb_err err = {0};
    if (store_case_pending_block(t->store, t->cur->id, id, &err) == FB_OK &&
        store_decision_load(t->store, id, &dr, &err) == FB_OK) {
        case_decision_doc(d, "Proposed: ", &dr);
        case_notice_doc(d, &dr);
        doc_nl(d);
    }
    store_decision_row_clear(&dr);
}

static void build_summary(tui *t, tdoc *d)
{
    const fb_case *c = t->cur;
    char dur[32];
    conflict_banner(t, d);
    rejection_banner(t, d);
    doc_add(d, AT_BOLD, "Opened ");
    when(d, AT_NORMAL, c->opened_at);
    doc_addf(d, AT_NORMAL, " (%s ago)", fb_duration_words(fb_now_ms() - c->opened_at, dur, sizeof dur));
    doc_add(d, AT_NORMAL, " · source ");
    doc_add(d, AT_NORMAL, c->source ? short_text(c->source) : "-");
    cut_note(d, c, "source", -1, NULL);
    doc_nl(d);
    doc_addf(d, AT_NORMAL, "Status %s · risk %d", fb_case_status_str(c->status), c->risk);
    if (lifecycle_claim_live(c->claim_by, c->claim_until, fb_now_ms())) {
        doc_add(d, AT_NORMAL, " · claimed by ");
        doc_add(d, strcmp(c->claim_by, t->app->reviewer) ? AT_HIGH : AT_NORMAL, c->claim_by);
    }
    doc_nl(d);
    approval_line(t, d);
    if (c->status == FB_CS_PENDING_APPROVAL)
        proposal_block(t, d);
    if (c->status == FB_CS_APPEALED)
        appeal_block(t, d);
    doc_addf(d, AT_NORMAL, "Flagged code %s · suggested %s",
             c->alleged != FB_V_NONE ? fb_violation_str(c->alleged) : "(none)",
             c->suggested != FB_V_NONE ? fb_violation_str(c->suggested) : "(none)");
    doc_nl(d);
    if (c->alleged != FB_V_NONE && c->suggested != FB_V_NONE && c->alleged != c->suggested) {
        doc_add(d, AT_HIGH, "  suggested code differs from flagged code");
        doc_nl(d);
    }
    /* The recommendation near the top: it is what a routine case is decided on. */
    doc_add(d, AT_BOLD, "Recommended: ");
    if (t->rec_ok && t->rec.action == FB_A_NONE) {
        /* no recommendation: y does nothing here; the reason says what to read */
        doc_add(d, AT_ERROR, "none");
        doc_add(d, AT_NORMAL, " — ");
        doc_add(d, AT_NORMAL, t->rec.why);
    } else if (t->rec_ok) {
        const fb_rec *r = &t->rec;
        doc_add(d, AT_HIGH, fb_action_str(r->action));
        if (r->action == FB_A_SUSPENSION)
        {
            char len[32];
            doc_addf(d, AT_HIGH, " %s", fb_days_words(r->days, len, sizeof len));
        }
        if (r->violation != FB_V_NONE)
            doc_addf(d, AT_NORMAL, " (%s)", fb_violation_str(r->violation));
        if (r->why[0]) {
            doc_add(d, AT_NORMAL, " — ");
            doc_add(d, AT_NORMAL, r->why);
        }
    } else {
        doc_add(d, AT_DIM, "unavailable: ");
        doc_add(d, AT_DIM, t->rec_err);
    }
    doc_nl(d);
    doc_add(d, AT_BOLD, "Subject ");
    doc_add(d, AT_NORMAL, acct_name(c, c->subject));
    doc_add(d, AT_BOLD, " · counterparty ");
    doc_add(d, AT_NORMAL, acct_name(c, c->counterparty));
    doc_nl(d);
    doc_nl(d);
    doc_add(d, AT_BOLD, "Why flagged:");
    doc_nl(d);
    if (c->n_signals == 0) {
        doc_add(d, AT_DIM, "  no signals");
        doc_nl(d);
    }
    d->indent = 4;
    for (size_t i = 0; i < c->n_signals; i++) {
        doc_add(d, AT_NORMAL, "  • ");
        doc_add(d, AT_NORMAL, c->signals[i].sentence);
        doc_addf(d, AT_DIM, "  (+%d %s)", c->signals[i].weight, c->signals[i].code);
        doc_nl(d);
    }
    d->indent = 0;
    doc_add(d, AT_BOLD, "Prior actions:");
    doc_nl(d);
    int any = 0;
    for (size_t i = 0; i < c->n_accounts; i++) {
        const fb_account *a = &c->accounts[i];
        for (size_t j = 0; j < a->n_prior; j++) {
            doc_add(d, AT_NORMAL, "  ");
            doc_add(d, AT_NORMAL, short_text(a->name ? a->name : a->id));
            doc_addf(d, AT_NORMAL, " — %s%s%s, ", fb_action_str(a->prior[j].action),
                     a->prior[j].violation != FB_V_NONE ? ", " : "",
                     a->prior[j].violation != FB_V_NONE ? fb_violation_str(a->prior[j].violation) : "");
            when(d, AT_NORMAL, a->prior[j].at);
            doc_nl(d);
            any = 1;
        }
    }
    if (!any) {
        doc_add(d, AT_DIM, "  none on record");
        doc_nl(d);
    }
}

static void build_job(tui *t, tdoc *d)
{
    const fb_case *c = t->cur;
    char dur[32], money[48];
    if (!c->has_contract) {
        doc_add(d, AT_DIM, "No contract in this case.");
        doc_nl(d);
    } else {
        const fb_contract *k = &c->contract;
        line_kv(d, "Contract ", k->id);
        doc_add(d, AT_BOLD, "Title    ");
        doc_add(d, AT_NORMAL, k->title ? k->title : "-");
        cut_note(d, c, "contract", -1, "title");
        doc_nl(d);
        doc_add(d, AT_BOLD, "Client   ");
        doc_add(d, AT_NORMAL, acct_name(c, k->client));
        doc_nl(d);
        doc_add(d, AT_BOLD, "Freelancer ");
        doc_add(d, AT_NORMAL, acct_name(c, k->freelancer));
        doc_nl(d);
        doc_add(d, AT_BOLD, "Budget   ");
        doc_add(d, AT_NORMAL, k->has_budget ? fb_money_format(k->budget_minor, k->currency, money, sizeof money)
                                             : "none given");
        doc_nl(d);
        doc_nl(d);
        doc_add(d, AT_BOLD, "Timeline");
        doc_nl(d);
        int64_t fb = first_feedback(c);
        struct step { const char *what; int64_t at; } steps[] = {
            {"created ", k->created_at}, {"started ", k->started_at}, {"feedback", fb}, {"ended   ", k->ended_at}};
        enum { N_STEPS = sizeof steps / sizeof steps[0] };
        /* In time order (feedback before the end shows as such); unknown times last. A
         * stable insertion sort: equal times keep the contract's own order. */
        for (size_t i = 1; i < N_STEPS; i++) {
            struct step v = steps[i];
            size_t j = i;
            while (j > 0 && v.at && (!steps[j - 1].at || steps[j - 1].at > v.at)) {
                steps[j] = steps[j - 1];
                j--;
            }
            steps[j] = v;
        }
        /* Wrapped lines go on under the time, never back at the margin. */
        d->indent = 12;
        for (size_t i = 0; i < N_STEPS; i++) {
            doc_addf(d, AT_NORMAL, "  %s  ", steps[i].what);
            when(d, AT_NORMAL, steps[i].at);
            int64_t rel = steps[i].at - k->started_at;
            if (steps[i].at && k->started_at && steps[i].at != k->started_at) {
                char aside[80];
                snprintf(aside, sizeof aside, "(%s%s %s start)", rel >= 0 ? "+" : "",
                         fb_duration_words(rel, dur, sizeof dur), rel >= 0 ? "after" : "before");
                doc_aside(d, rel >= 0 && rel < 3600000 ? AT_HIGH : AT_DIM, 2, aside);
            }
            if (steps[i].at == fb && fb && k->ended_at && fb < k->ended_at)
                doc_aside(d, AT_HIGH, 2, "before the contract ended");
            doc_nl(d);
        }
        d->indent = 0;
    }
    doc_nl(d);
    doc_add(d, AT_BOLD, "Feedback");
    doc_nl(d);
    if (c->n_feedback == 0) {
        doc_add(d, AT_DIM, "  none");
        doc_nl(d);
    }
    d->indent = 4;
    for (size_t i = 0; i < c->n_feedback; i++) {
        const fb_feedback *f = &c->feedback[i];
        doc_addf(d, AT_NORMAL, "  %d/5 ", f->rating);
        doc_add(d, AT_NORMAL, acct_name(c, f->from));
        doc_add(d, AT_NORMAL, " → ");
        doc_add(d, AT_NORMAL, acct_name(c, f->to));
        char at[32];
        doc_aside(d, AT_DIM, 2, f->at ? fb_time_format_local(f->at, at, sizeof at) : "unknown");   /* never split */
        doc_nl(d);
        if (f->text) {
            doc_add(d, AT_NORMAL, "    ");
            doc_add(d, AT_NORMAL, f->text);
            cut_note(d, c, "feedback", (long)i, "text");
            doc_nl(d);
        }
    }
    d->indent = 0;
}

static void build_payments(tui *t, tdoc *d)
{
    const fb_case *c = t->cur;
    char money[48];
    int64_t fb = first_feedback(c);
    if (c->n_payments == 0) {
        doc_add(d, AT_DIM, "No payments in this case.");
        doc_nl(d);
        return;
    }
    d->indent = 4;
    for (size_t i = 0; i < c->n_payments; i++) {
        const fb_payment *p = &c->payments[i];
        int after = fb && p->at > fb && (p->kind == FB_PAY_REFUND || p->kind == FB_PAY_BONUS);
        when(d, AT_NORMAL, p->at);
        doc_addf(d, after ? AT_HIGH : AT_NORMAL, "  %-9s %12s  ", fb_pay_str(p->kind),
                 fb_money_format(p->amount_minor, p->currency, money, sizeof money));
        doc_add(d, AT_NORMAL, acct_name(c, p->from));
        doc_add(d, AT_NORMAL, " → ");
        doc_add(d, AT_NORMAL, acct_name(c, p->to));
        if (p->id) {
            doc_add(d, AT_DIM, "  ");
            doc_add(d, AT_DIM, p->id);
        }
        if (after)
            doc_add(d, AT_HIGH, "  ← after feedback");
        doc_nl(d);
    }
    d->indent = 0;
}

/* A long message opens folded: its first FOLD_LINES lines (from at most FOLD_BYTES of
 * it, so a message of megabytes is not laid out to be hidden), then a line that says how
 * much is folded and which key unfolds it. Unfolded messages are laid out whole. */
enum { FOLD_LINES = 12, FOLD_BYTES = 4096 };

void case_folds_free(tui *t)
{
    free(t->folds);
    t->folds = NULL;
    t->n_folds = 0;
    free(t->unfolded);
    t->unfolded = NULL;
    t->n_unfolded = 0;
    free(t->unfolded_case);
    t->unfolded_case = NULL;
}

static int is_unfolded(const tui *t, size_t m)
{
    for (size_t i = 0; i < t->n_unfolded; i++)
        if (t->unfolded[i] == m)
            return 1;
    return 0;
}

static size_t utf8_chars(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xc0) != 0x80;
    return k;
}

static void build_messages(tui *t, tdoc *d)
{
    const fb_case *c = t->cur;
    if (!t->unfolded_case || strcmp(t->unfolded_case, c->id) != 0) {
        case_folds_free(t);
        t->unfolded_case = fb_strdup(c->id);
    }
    t->n_folds = 0;
    if (c->n_messages == 0) {
        doc_add(d, AT_DIM, "No messages in this case.");
        doc_nl(d);
        return;
    }
    doc_hl *hl = fb_xcalloc(c->n_matches + 1, sizeof *hl);
    char kn[16] = "";
    int key;
    if (keymap_keys_for(t->km, ACT_EXPAND, KM_MAIN, &key, 1) == 1)
        keymap_key_name(key, kn, sizeof kn);
    for (size_t i = 0; i < c->n_messages; i++) {
        const fb_message *m = &c->messages[i];
        size_t nhl = 0;
        for (size_t j = 0; j < c->n_matches; j++)
            if (c->matches[j].message == i)
                /* words that made the analyser unsure stand out differently from words of a violation */
                hl[nhl++] = (doc_hl){c->matches[j].start, c->matches[j].len,
                                     c->matches[j].violation == FB_V_NONE ? AT_HIGH : AT_MATCH};
        doc_add(d, AT_DIM, "[");
        when(d, AT_DIM, m->at);
        doc_add(d, AT_DIM, "] ");
        doc_add(d, AT_BOLD, acct_name(c, m->from));
        doc_add(d, AT_DIM, " → ");
        doc_add(d, AT_NORMAL, acct_name(c, m->to));
        doc_nl(d);
        size_t first = d->n - 1;
        d->indent = 2;
        doc_add(d, AT_NORMAL, "  ");
        size_t len = m->body ? strlen(m->body) : 0;
        int unfolded = is_unfolded(t, i);
        size_t shown = len;
        if (!unfolded && len > FOLD_BYTES) {
            shown = FOLD_BYTES;
            while (shown > 0 && ((unsigned char)m->body[shown] & 0xc0) == 0x80)
                shown--;
        }
        if (m->body)
            doc_addn(d, AT_NORMAL, m->body, shown, hl, nhl, AT_MATCH);
        int folded = 0;
        if (!unfolded && d->n - first > FOLD_LINES) {
            doc_truncate(d, first + FOLD_LINES);
            folded = 1;
        }
        if (folded || shown < len) {
            doc_nl(d);
            t->folds = fb_xrealloc(t->folds, (t->n_folds + 1) * sizeof *t->folds);
            t->folds[t->n_folds].line = d->n - 1;
            t->folds[t->n_folds].message = i;
            t->n_folds++;
            d->indent = 0;
            doc_addf(d, AT_HIGH, "  ▸ folded: %zu characters in all", utf8_chars(m->body, len));
            if (kn[0])
                doc_addf(d, AT_DIM, " — %s unfolds it", kn);
        }
        cut_note(d, c, "messages", (long)i, "body");
        d->indent = 0;
        doc_nl(d);
        /* each firing of the analyser explained in one sentence naming the words */
        for (size_t j = 0; j < c->n_matches; j++) {
            const fb_match *mt = &c->matches[j];
            if (mt->message != i || !mt->why)
                continue;
            d->indent = 6;
            doc_add(d, AT_DIM, "  \u21b3 ");
            doc_add(d, mt->violation == FB_V_NONE ? AT_HIGH : AT_MATCH,
                    mt->violation == FB_V_NONE ? "unsure" : fb_violation_str(mt->violation));
            doc_add(d, AT_DIM, ": ");
            doc_add(d, AT_NORMAL, mt->why);
            d->indent = 0;
            doc_nl(d);
        }
    }
    free(hl);
}

/* The fold on screen (or the next one below the top) is unfolded; the view stays where
 * it was, so the reviewer reads on from the same line. */
int case_expand(tui *t)
{
    int rows = case_pane_rows(t);
    size_t pick = t->n_folds;
    for (size_t i = 0; i < t->n_folds; i++)
        if (t->folds[i].line >= (size_t)t->doc_top) {
            pick = i;
            break;
        }
    if (pick == t->n_folds || t->folds[pick].line >= (size_t)(t->doc_top + rows))
        return 0;
    t->unfolded = fb_xrealloc(t->unfolded, (t->n_unfolded + 1) * sizeof *t->unfolded);
    t->unfolded[t->n_unfolded++] = t->folds[pick].message;
    int top = t->doc_top;
    case_build(t);
    t->doc_top = top;
    return 1;
}

/* "C-1, C-2, …" as one run of text. */
static void id_run(tdoc *d, char *const *ids, size_t n, int more)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            doc_add(d, AT_NORMAL, ", ");
        doc_add(d, AT_HIGH, ids[i]);
    }
    if (more)
        doc_add(d, AT_DIM, ", …");
}

/* Rings and clusters reaching other cases, read live from the store (a few indexed rows,
 * lists capped), with the other cases' ids for :goto. */
static void build_structure(tui *t, tdoc *d)
{
    const fb_case *c = t->cur;
    fb_structure st;
    fb_err err = {0};
    doc_nl(d);
    doc_add(d, AT_BOLD, "Across cases");
    doc_add(d, AT_DIM, " (shared device, IP, payment method or address; 5-star hires)");
    doc_nl(d);
    if (store_structure_facts(t->store, c, &st, &err) != FB_OK) {
        doc_add(d, AT_DIM, "  ");
        doc_add(d, AT_DIM, err.msg);
        doc_nl(d);
        fb_structure_clear(&st);
        return;
    }
    d->indent = 4;
    int any = 0;
    for (size_t i = 0; i < st.n_rings; i++) {
        const fb_ring *g = &st.rings[i];
        any = 1;
        doc_add(d, AT_HIGH, g->length == 2 ? "  hired each other: " : "  ring of three: ");
        for (int k = 0; k < g->length; k++) {
            doc_add(d, AT_NORMAL, acct_name(c, g->accounts[k]));
            doc_add(d, AT_NORMAL, " hired ");
            doc_add(d, AT_NORMAL, acct_name(c, g->accounts[(k + 1) % g->length]));
            doc_add(d, AT_DIM, k == 0 ? " here" : " in ");
            if (k)
                doc_add(d, AT_HIGH, g->cases[k]);
            doc_add(d, AT_NORMAL, k + 1 < g->length ? "; " : "");
        }
        doc_nl(d);
    }
    for (size_t i = 0; i < st.n_clusters; i++) {
        const fb_cluster *cl = &st.clusters[i];
        any = 1;
        /* a cluster: accounts sharing a device, IP, payment method or address (fb_link_joins) */
        doc_addf(d, AT_NORMAL, "  cluster of %lld accounts with ", (long long)cl->size);
        doc_add(d, AT_BOLD, acct_name(c, cl->member));
        doc_nl(d);
        if (cl->n_others) {
            doc_add(d, AT_NORMAL, "    other accounts: ");
            id_run(d, cl->others, cl->n_others, cl->more_others);
            doc_nl(d);
        }
        doc_add(d, AT_NORMAL, "    other cases: ");
        if (cl->n_cases)
            id_run(d, cl->cases, cl->n_cases, cl->more_cases);
        else
            doc_add(d, AT_DIM, "none");
        doc_nl(d);
    }
    if (st.parties_joined) {
        any = 1;
        doc_add(d, AT_HIGH, "  ");
        doc_add(d, AT_HIGH, acct_name(c, c->subject));
        doc_add(d, AT_HIGH, " and ");
        doc_add(d, AT_HIGH, acct_name(c, c->counterparty));
        doc_add(d, AT_HIGH, " are joined through other cases");
        if (st.direct_case) {
            doc_addf(d, AT_NORMAL, ": they share %s %s in ", fb_link_article(st.direct_kind), fb_link_words(st.direct_kind));
            doc_add(d, AT_HIGH, st.direct_case);
        } else if (st.via) {
            doc_add(d, AT_NORMAL, ": ");
            doc_add(d, AT_NORMAL, st.via);
            doc_addf(d, AT_NORMAL, " shares %s %s with one (", fb_link_article(st.via_kind[0]),
                     fb_link_words(st.via_kind[0]));
            doc_add(d, AT_HIGH, st.via_case[0]);
            doc_addf(d, AT_NORMAL, ") and %s %s with the other (", fb_link_article(st.via_kind[1]),
                     fb_link_words(st.via_kind[1]));
            doc_add(d, AT_HIGH, st.via_case[1]);
            doc_add(d, AT_NORMAL, ")");
        }
        doc_nl(d);
    }
    if (any) {
        doc_add(d, AT_DIM, "  :goto ID opens a case named here");
        doc_nl(d);
    } else {
        doc_add(d, AT_DIM, "  no ring or cluster");
        doc_nl(d);
    }
    d->indent = 0;
    fb_structure_clear(&st);
}

static void build_accounts(tui *t, tdoc *d)
{
    const fb_case *c = t->cur;
    char dur[32];
    for (size_t i = 0; i < c->n_accounts; i++) {
        const fb_account *a = &c->accounts[i];
        doc_add(d, AT_BOLD, a->name ? a->name : "(no name)");
        doc_add(d, AT_DIM, "  ");
        doc_add(d, AT_DIM, a->id);
        cut_note(d, c, "accounts", (long)i, "name");
        doc_nl(d);
        doc_addf(d, AT_NORMAL, "  %s", fb_role_str(a->role));
        if (c->subject && strcmp(a->id, c->subject) == 0)
            doc_add(d, AT_HIGH, " · subject");
        doc_add(d, AT_NORMAL, " · country ");
        doc_add(d, AT_NORMAL, a->country ? a->country : "?");
        doc_add(d, AT_NORMAL, " · created ");
        when(d, AT_NORMAL, a->created_at);
        if (a->created_at)
            doc_addf(d, AT_NORMAL, " (%s ago)", fb_duration_words(fb_now_ms() - a->created_at, dur, sizeof dur));
        doc_nl(d);
        doc_addf(d, AT_NORMAL, "  %zu prior action%s", a->n_prior, a->n_prior == 1 ? "" : "s");
        doc_nl(d);
    }
    doc_nl(d);
    doc_add(d, AT_BOLD, "Links");
    doc_nl(d);
    if (c->n_links == 0) {
        doc_add(d, AT_DIM, "  none");
        doc_nl(d);
    }
    d->indent = 4;
    for (size_t i = 0; i < c->n_links; i++) {
        const fb_link *l = &c->links[i];
        doc_add(d, AT_NORMAL, "  ");
        doc_add(d, AT_NORMAL, acct_name(c, l->a));
        doc_add(d, AT_NORMAL, " ⇄ ");
        doc_add(d, AT_NORMAL, acct_name(c, l->b));
        doc_addf(d, AT_HIGH, ": same %s", fb_link_words(l->kind));
        if (l->detail) {
            doc_add(d, AT_NORMAL, " — ");
            doc_add(d, AT_NORMAL, l->detail);
            cut_note(d, c, "links", (long)i, "detail");
        }
        doc_nl(d);
    }
    d->indent = 0;
    build_structure(t, d);
}

struct hist_ctx {
    tdoc *d;
    int n;
};

/* One history row, put in words by core (describe.h), every word through the renderer. */
static void on_history(void *vctx, const fb_history_row *r)
{
    struct hist_ctx *h = vctx;
    tdoc *d = h->d;
    char label[64], text[4096];
    if (!describe_history_shown(r))
        return;
    when(d, AT_DIM, r->at);
    doc_add(d, AT_BOLD, "  ");
    doc_add(d, AT_BOLD, describe_history_label(r, label, sizeof label));
    if (r->who && *r->who) {
        doc_add(d, AT_NORMAL, " ");
        doc_add(d, AT_NORMAL, r->who);
    }
    doc_nl(d);
    d->indent = 4;
    doc_add(d, AT_NORMAL, "    ");
    doc_add(d, AT_NORMAL, describe_history(r, text, sizeof text));
    d->indent = 0;
    doc_nl(d);
    h->n++;
}

static void build_history(tui *t, tdoc *d)
{
    const fb_case *c = t->cur;
    struct hist_ctx h = {d, 0};
    fb_err err = {0};
    conflict_banner(t, d);
    rejection_banner(t, d);
    if (store_case_history(t->store, c->id, c->subject, c->counterparty, on_history, &h, &err) != FB_OK) {
        doc_add(d, AT_ERROR, err.msg);
        doc_nl(d);
    }
    if (h.n == 0) {
        doc_add(d, AT_DIM, "No decisions, appeals, notes or earlier actions on record.");
        doc_nl(d);
    }
}

void case_build(tui *t)
{
    int w = t->cols - case_pane_x(t) - 1;
    doc_reset(&t->doc, w);
    t->doc_valid = 1;
    if (!t->cur)
        return;
    purged_banner(t->cur, &t->doc);
    switch (t->tab) {
    case TAB_SUMMARY: build_summary(t, &t->doc); break;
    case TAB_JOB: build_job(t, &t->doc); break;
    case TAB_PAYMENTS: build_payments(t, &t->doc); break;
    case TAB_MESSAGES: build_messages(t, &t->doc); break;
    case TAB_ACCOUNTS: build_accounts(t, &t->doc); break;
    default: build_history(t, &t->doc); break;
    }
    /* A trailing empty line from the last doc_nl is not content. */
    if (t->doc.n && t->doc.lines[t->doc.n - 1].n == 0)
        t->doc.n--, free(t->doc.lines[t->doc.n].sp);
}

static void case_draw(tui *t)
{
    int x = case_pane_x(t), w = t->cols - x;
    int rows = case_pane_rows(t);
    if (!t->doc_valid)
        case_build(t);
    /* Header: the case id, its code and risk (the id and code are data: through the renderer). */
    if (t->cur) {
        /* Parts that do not fit are left out whole, the status first (Summary has it), then
         * the risk; the id and the code always show (a long id is clipped with …). */
        char head[512];
        for (int parts = 3; parts >= 1; parts--) {
            int n = snprintf(head, sizeof head, "%s%s · %s%s", t->focus_case ? "▶ " : "  ", t->cur->id,
                             t->cur->alleged != FB_V_NONE ? fb_violation_str(t->cur->alleged) : "(no code)",
                             t->cur->alleged != FB_V_NONE && t->cur->suggested != FB_V_NONE &&
                                     t->cur->alleged != t->cur->suggested ? "?" : "");
            if (parts >= 2 && n > 0 && (size_t)n < sizeof head)
                n += snprintf(head + n, sizeof head - (size_t)n, " · risk %d", t->cur->risk);
            if (parts >= 3 && n > 0 && (size_t)n < sizeof head)
                snprintf(head + n, sizeof head - (size_t)n, " · %s", fb_case_status_str(t->cur->status));
            if ((int)text_width(head, strlen(head)) <= w)
                break;
        }
        draw_clip(0, x, w, t->focus_case ? AT_TAB_ON : AT_HEADER, head, 1);
    } else {
        draw_clip(0, x, w, AT_HEADER, " no case", 1);
    }
    /* Tab bar: the widest naming of the tabs that fits (tab_levels). */
    char label[64];
    size_t level = 0;
    for (; level + 1 < N_TAB_LEVELS; level++) {
        size_t width = 0;
        for (int i = 0; i < TAB_COUNT; i++) {
            tab_label(label, sizeof label, (int)level, i, i == t->tab);
            width += text_width(label, strlen(label));
        }
        if (width <= (size_t)(w > 0 ? w : 0))
            break;
    }
    int cx = x;
    move(1, x);
    for (int i = 0; i < TAB_COUNT && cx < x + w; i++) {
        tab_label(label, sizeof label, (int)level, i, i == t->tab);
        cx += draw_clip(1, cx, x + w - cx, i == t->tab ? AT_TAB_ON : AT_TAB, label, 0);
    }
    if (cx < x + w)
        draw_clip(1, cx, x + w - cx, AT_NORMAL, "", 1);
    int maxtop = (int)t->doc.n - rows;
    if (t->doc_top > maxtop)
        t->doc_top = maxtop > 0 ? maxtop : 0;
    /* A long tab says so on its own last row (the line it takes shows one scroll on; at
     * the end nothing is below and every row is content). */
    size_t below = t->doc.n > (size_t)(t->doc_top + rows) ? t->doc.n - (size_t)(t->doc_top + rows) + 1 : 0;
    int shown = below && rows > 1 ? rows - 1 : rows;
    for (int i = 0; i < shown; i++) {
        size_t li = (size_t)(t->doc_top + i);
        doc_draw_line(li < t->doc.n ? &t->doc.lines[li] : NULL, 2 + i, x + 1, w - 1);
        mvaddch(2 + i, x, ' ');
    }
    if (shown < rows) {
        char mark[64];
        snprintf(mark, sizeof mark, "↓ %zu more line%s below", below, below == 1 ? "" : "s");
        mvaddch(1 + rows, x, ' ');
        draw_clip(1 + rows, x + 1, w - 1, AT_DIM, mark, 1);
    }
    if (!t->cur)
        draw_clip(2, x + 1, w - 1, AT_DIM, "Select a case in the queue.", 1);
}

static tui_result case_handle(tui *t, km_action a)
{
    int rows = case_pane_rows(t);
    int maxtop = (int)t->doc.n - rows;
    if (maxtop < 0)
        maxtop = 0;
    switch (a) {
    case ACT_DOWN: t->doc_top += t->doc_top < maxtop; break;
    case ACT_UP: t->doc_top -= t->doc_top > 0; break;
    case ACT_PAGE_DOWN: t->doc_top = t->doc_top + rows > maxtop ? maxtop : t->doc_top + rows; break;
    case ACT_PAGE_UP: t->doc_top = t->doc_top > rows ? t->doc_top - rows : 0; break;
    case ACT_FIRST: t->doc_top = 0; break;
    case ACT_LAST: t->doc_top = maxtop; break;
    default: return TR_UNHANDLED;
    }
    return TR_DONE;
}

const tui_view view_case_ops = {"case", case_draw, case_handle};
