/* The hint line (from the keymap table) and the status line. */
#include "tui_private.h"

#include <string.h>

#include "fbreview/text.h"

static void hint_draw(tui *t)
{
    int y = t->lines - 2, x = 0;
    int ctx = t->help_open ? KM_HELP : KM_MAIN;
    /* Keys bound to this case's state (a r on a pending block, A P on a conflict) first:
     * they are what the reviewer came to this case for. */
    const int special = KM_NEEDS_PENDING | KM_NEEDS_CONFLICT;
    for (int i = 0; i < 2 * KM_N_ACTIONS && x < t->cols; i++) {
        const km_action_info *ai = &km_actions[i % KM_N_ACTIONS];
        if ((i < KM_N_ACTIONS) != ((ai->flags & special) != 0))
            continue;
        if (!ai->hint || !(ai->contexts & ctx) || !tui_action_applies(t, ai))
            continue;
        int k;
        if (keymap_keys_for(t->km, ai->id, ctx, &k, 1) != 1)
            continue;
        char kn[16], piece[64];
        snprintf(piece, sizeof piece, "%s %s  ", keymap_key_name(k, kn, sizeof kn), ai->hint);
        size_t w = strlen(piece);
        if (x + (int)w > t->cols)
            break;
        x += draw_clip(y, x, (int)strlen(kn), AT_BOLD, kn, 0);
        x += draw_clip(y, x, t->cols - x, AT_DIM, piece + strlen(kn), 0);
    }
    if (x < t->cols)
        draw_clip(y, x, t->cols - x, AT_NORMAL, "", 1);
}

/* A message too long for the status line takes the hint line too, so errors from the
 * workflow are read whole rather than cut off. */
static int long_message(tui *t)
{
    if (!t->msg[0] || text_width(t->msg, strlen(t->msg)) + 4 <= (size_t)t->cols)
        return 0;
    tdoc d = {0};
    doc_reset(&d, t->cols - 1);
    doc_add(&d, t->msg_error ? AT_ERROR : AT_BOLD, t->msg);
    for (int i = 0; i < 2; i++) {
        int y = t->lines - 2 + i;
        if ((size_t)i < d.n)
            doc_draw_line(&d.lines[i], y, 0, t->cols - 1);
        else
            draw_clip(y, 0, t->cols - 1, AT_NORMAL, "", 1);
        if (i == 1 && d.n > 2)
            draw_clip(y, t->cols - 2, 1, AT_DIM, "…", 0);
    }
    doc_free(&d);
    return 1;
}

void status_draw(tui *t)
{
    if (long_message(t))
        return;
    hint_draw(t);
    int y = t->lines - 1;
    char left[1024];
    const queue_counts *c = &t->counts;
    /* With an upstream the engine's status; without one the console works offline and
     * the pending count comes from the decision table. */
    char sync[700];
    if (t->sync)
        snprintf(sync, sizeof sync, "%s", t->sync_text[0] ? t->sync_text : "sync starting");
    else {
        int n = snprintf(sync, sizeof sync, "offline (no upstream) · %lld pending", (long long)c->pending_sync);
        if (c->n[QUEUE_CONFLICTS] && n > 0 && (size_t)n < sizeof sync)
            snprintf(sync + n, sizeof sync - (size_t)n, " · %lld conflicts", (long long)c->n[QUEUE_CONFLICTS]);
    }
    const char *ro = store_readonly(t->store) ? " · read-only" : "";
    /* Rejected decisions come first: they did not take effect, and only their reviewer
     * knows it (visible at 80 columns). */
    char rejected[48] = "";
    if (c->n[QUEUE_REJECTED])
        snprintf(rejected, sizeof rejected, " · %lld rejected", (long long)c->n[QUEUE_REJECTED]);
    snprintf(left, sizeof left, " %s%s%s · open %lld · mine %lld · appeals %lld · pending approval %lld · escalated %lld │ %s │ ",
             t->app->reviewer, rejected, ro, (long long)c->n[QUEUE_OPEN], (long long)c->n[QUEUE_MINE],
             (long long)c->n[QUEUE_APPEALS], (long long)c->n[QUEUE_PENDING], (long long)c->n[QUEUE_ESCALATED],
             sync);
    if (!t->counts_known)
        snprintf(left, sizeof left, " %s%s · counting the queues…", t->app->reviewer, ro);
    if (t->msg[0]) {
        /* The message first: it is what the reviewer must read now. */
        int x = draw_clip(y, 0, t->cols - 1, t->msg_error ? AT_ERROR : AT_BOLD, t->msg, 0);
        x += draw_clip(y, x, t->cols - 1 - x, AT_DIM, "  │", 0);
        draw_clip(y, x, t->cols - 1 - x, AT_DIM, left, 1);
    } else {
        draw_clip(y, 0, t->cols - 1, AT_DIM, left, 1);
    }
}
