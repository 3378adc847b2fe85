/* The hint line (from the keymap table) and the status line. */
#include "tui_private.h"

#include <string.h>

#include "fbreview/text.h"
#include "fbreview/timeutil.h"
#include "fbreview/upstream.h"

/* Which hints apply now: the pane with the keys, and what the case in front waits for. */
int tui_hint_context(tui *t)
{
    if (t->help_open)
        return HC_HELP;
    int h = t->focus_case ? HC_CASE : HC_QUEUE;
    if (t->cur && t->cur->status == FB_CS_PENDING_APPROVAL)
        h |= HC_APPROVAL;
    if (t->cur && store_conflict_open(t->store, t->cur->id, t->app->reviewer))
        h |= HC_CONFLICT;
    if (t->cur && store_rejection_open(t->store, t->cur->id, t->app->reviewer))
        h |= HC_REJECTED;
    return h;
}

static int hint_applies(const km_action_info *ai, void *arg) { return tui_action_applies(arg, ai); }

static void hint_draw(tui *t)
{
    int y = t->lines - 2, x = 0;
    int ctx = t->help_open ? KM_HELP : KM_MAIN;
    km_hint h[KM_N_ACTIONS];
    size_t n = keymap_hints(t->km, tui_hint_context(t), ctx, t->cols - 1 + KM_HINT_GAP, hint_applies, t, h,
                            KM_N_ACTIONS);
    for (size_t i = 0; i < n && x < t->cols; i++) {
        char kn[16];
        keymap_key_short(h[i].key, kn, sizeof kn);
        if (i)
            x += draw_clip(y, x, KM_HINT_GAP, AT_NORMAL, "", 1);
        x += draw_clip(y, x, t->cols - x, AT_BOLD, kn, 0);
        x += draw_clip(y, x, t->cols - x, AT_DIM, " ", 0);
        x += draw_clip(y, x, t->cols - x, AT_DIM, h[i].label, 0);
    }
    if (x < t->cols)
        draw_clip(y, x, t->cols - x, AT_NORMAL, "", 1);
}

/* The status line's parts, most important first when the line is short: the sync state
 * (online/offline) always shows; lower parts are dropped before higher ones. */
enum { SP_SYNC, SP_IDENTITY, SP_UNDO, SP_REJECTED, SP_READONLY, SP_REANALYSE, SP_PENDING, SP_CONFLICTS, SP_REVIEWER, SP_POLICY, SP_OPEN,
       SP_APPROVAL, SP_APPEALS, SP_ESCALATED, SP_MINE, SP_CLAIM, SP_ERROR, SP_COUNT };
/* Left to right on the line. */
static const int sp_order[SP_COUNT] = {SP_REVIEWER, SP_IDENTITY, SP_REJECTED, SP_READONLY, SP_REANALYSE, SP_OPEN, SP_MINE, SP_APPEALS,
                                       SP_APPROVAL, SP_ESCALATED, SP_SYNC, SP_PENDING, SP_UNDO, SP_CONFLICTS, SP_POLICY,
                                       SP_CLAIM, SP_ERROR};

static void status_parts(tui *t, char part[SP_COUNT][160])
{
    const queue_counts *c = &t->counts;
    const fb_sync_status *st = &t->sync_st;
    char ago[32];
    for (int i = 0; i < SP_COUNT; i++)
        part[i][0] = '\0';
    int64_t pending = c->pending_sync, conflicts = c->n[QUEUE_CONFLICTS];
    if (!t->sync)
        snprintf(part[SP_SYNC], 160, "offline (no upstream)");
    else if (!st->running && !st->online && !st->last_sync_ms && !st->last_error[0])
        snprintf(part[SP_SYNC], 160, "sync starting");
    else if (st->online && st->last_sync_ms)
        snprintf(part[SP_SYNC], 160, "online, synced %s ago", fb_duration_short(fb_now_ms() - st->last_sync_ms, ago, sizeof ago));
    else
        snprintf(part[SP_SYNC], 160, "%s", st->online ? "online" : "offline");
    if (t->sync) {
        pending = st->pending;
        conflicts = st->conflicts;
        if (st->claim_case[0] && st->claim.granted)
            snprintf(part[SP_CLAIM], 160, "you hold %.60s", st->claim_case);
        else if (st->claim_case[0] && st->claim.holder[0])   /* none: a status nobody claims in */
            snprintf(part[SP_CLAIM], 160, "%.60s is held by %.60s", st->claim_case, st->claim.holder);
        if (!st->online && st->last_error[0])
            snprintf(part[SP_ERROR], 160, "%.150s", st->last_error);
        /* Upstream records work under the login only: a console calling itself someone
         * else, or a login without a role, has everything it pushes refused. */
        if (st->login[0] && st->login_differs)
            snprintf(part[SP_IDENTITY], 160, "login %.50s ≠ reviewer %.50s", st->login,
                     t->app->reviewer);
        else if (st->login[0] && !(st->roles & (UPSTREAM_ROLE_REVIEWER | UPSTREAM_ROLE_LEAD)))
            snprintf(part[SP_IDENTITY], 160, "login %.60s has no reviewer role upstream", st->login);
        if (st->policy_version)
            snprintf(part[SP_POLICY], 160, "policy v%d", st->policy_version);
    }
    snprintf(part[SP_PENDING], 160, "%lld pending", (long long)pending);
    int64_t undo_s = tui_undo_left_s(t);
    if (undo_s > 0) {
        char k[16];
        snprintf(part[SP_UNDO], 160, "%s undo %llds", tui_key_for(t, ACT_UNDO, k, sizeof k), (long long)undo_s);
    }
    if (conflicts)
        snprintf(part[SP_CONFLICTS], 160, "%lld conflict%s", (long long)conflicts, conflicts == 1 ? "" : "s");
    snprintf(part[SP_REVIEWER], 160, "%.100s", t->app->reviewer);
    if (store_readonly(t->store))
        snprintf(part[SP_READONLY], 160, "read-only");
    /* Cases analysed with older rules are being analysed again (the one shown never is). */
    const fb_reanalyse_status *ra = &t->reana_st;
    if (t->reana && ra->active && ra->total > 0)
        snprintf(part[SP_REANALYSE], 160, "re-analysing %d%%", (int)(ra->done * 100 / ra->total));
    else if (t->reana && ra->active)
        snprintf(part[SP_REANALYSE], 160, "re-analysing…");
    if (!t->counts_known) {
        snprintf(part[SP_OPEN], 160, "counting the queues…");
        return;
    }
    /* Rejected decisions come first after the sync state: they did not take effect, and
     * only their reviewer knows it (visible at 80 columns). */
    if (c->n[QUEUE_REJECTED])
        snprintf(part[SP_REJECTED], 160, "%lld rejected", (long long)c->n[QUEUE_REJECTED]);
    snprintf(part[SP_OPEN], 160, "open %lld", (long long)c->n[QUEUE_OPEN]);
    snprintf(part[SP_MINE], 160, "mine %lld", (long long)c->n[QUEUE_MINE]);
    snprintf(part[SP_APPEALS], 160, "appeals %lld", (long long)c->n[QUEUE_APPEALS]);
    snprintf(part[SP_APPROVAL], 160, "approval %lld", (long long)c->n[QUEUE_PENDING]);
    snprintf(part[SP_ESCALATED], 160, "escalated %lld", (long long)c->n[QUEUE_ESCALATED]);
}

static int width_of(const char *s) { return (int)text_width(s, strlen(s)); }

/* A message too long for the status line takes the hint line too, so errors from the
 * workflow are read whole rather than cut off; the sync state keeps its place at the end
 * of the status line. The hint line lends its full width when the rest then fits beside
 * the sync state; else both lines wrap short of it (and a cut shows "…"). */
static int long_message(tui *t, const char *sync)
{
    int syncw = width_of(sync) + 3, cols = t->cols - 1;
    if (!t->msg[0] || width_of(t->msg) + 3 + syncw <= cols)
        return 0;
    int role = t->msg_error ? AT_ERROR : AT_BOLD;
    tdoc d = {0};
    doc_reset(&d, cols);
    doc_add(&d, role, t->msg);
    int wide = d.n <= 1 || (d.n == 2 && d.lines[1].width <= cols - syncw);
    if (!wide) {
        doc_free(&d);
        doc_reset(&d, cols - syncw);
        doc_add(&d, role, t->msg);
    }
    for (int i = 0; i < 2; i++) {
        int y = t->lines - 2 + i;
        int w = wide && i == 0 ? t->cols : cols - syncw;
        if ((size_t)i < d.n)
            doc_draw_line(&d.lines[i], y, 0, w);
        else
            draw_clip(y, 0, w, AT_NORMAL, "", 1);
        if (i == 1 && d.n > 2)
            draw_clip(y, cols - syncw - 1, 1, AT_DIM, "…", 0);
        if (i == 0 && w < t->cols)
            draw_clip(y, w, t->cols - w, AT_NORMAL, "", 1);
    }
    int x = cols - syncw;
    x += draw_clip(t->lines - 1, x, cols - x, AT_DIM, " │ ", 0);
    x += draw_clip(t->lines - 1, x, cols - x, AT_BOLD, sync, 0);
    draw_clip(t->lines - 1, x, t->cols - x, AT_NORMAL, "", 1);
    doc_free(&d);
    return 1;
}

void status_draw(tui *t)
{
    int y = t->lines - 1, cols = t->cols - 1;
    char part[SP_COUNT][160];
    status_parts(t, part);
    if (long_message(t, part[SP_SYNC]))
        return;
    hint_draw(t);
    /* The message first (it is what the reviewer must read now), but never over the sync
     * state; then the parts by priority while they fit. */
    int keep[SP_COUNT] = {0};
    int used = width_of(part[SP_SYNC]) + 2;
    keep[SP_SYNC] = 1;
    int msgw = t->msg[0] ? width_of(t->msg) + 3 : 0;
    if (msgw > cols - used)
        msgw = cols - used;
    for (int i = 1; i < SP_COUNT; i++) {
        int w = part[i][0] ? width_of(part[i]) + 3 : 0;
        if (w && msgw + used + w <= cols) {
            keep[i] = 1;
            used += w;
        }
    }
    int x = 0;
    if (t->msg[0]) {
        x += draw_clip(y, x, msgw - 3 > 0 ? msgw - 3 : 0, t->msg_error ? AT_ERROR : AT_BOLD, t->msg, 0);
        x += draw_clip(y, x, cols - x, AT_DIM, "  │", 0);
    }
    x += draw_clip(y, x, cols - x, AT_DIM, " ", 0);
    int first = 1;
    for (int k = 0; k < SP_COUNT; k++) {
        int i = sp_order[k];
        if (!keep[i])
            continue;
        if (!first)
            x += draw_clip(y, x, cols - x, AT_DIM, i == SP_SYNC ? " │ " : " · ", 0);
        first = 0;
        x += draw_clip(y, x, cols - x, i == SP_SYNC ? AT_BOLD : AT_DIM, part[i], 0);
    }
    draw_clip(y, x, cols - x, AT_DIM, "", 1);
}
