/* `:stats`: the lead's view over the panes (io/charts.c draws it; the numbers come from
 * store_lead_stats when it opens). It scrolls and closes as the help overlay does. */
#include "tui_private.h"

#include <string.h>

#include "fbreview/charts.h"
#include "fbreview/store_lead.h"
#include "fbreview/text.h"
#include "fbreview/timeutil.h"

static void piece(void *ctx, charts_role role, const char *text)
{
    static const int roles[] = {[CH_TITLE] = AT_BOLD, [CH_TEXT] = AT_NORMAL, [CH_BAR] = AT_HIGH, [CH_DIM] = AT_DIM};
    doc_add(ctx, roles[role], text);
}

static void eol(void *ctx) { doc_nl(ctx); }

void stats_open(tui *t)
{
    fb_lead_stats st;
    fb_err err = {0};
    if (store_lead_stats(t->store, fb_now_ms(), (int64_t)t->sla_hours * 3600000LL, &st, &err) != FB_OK) {
        tui_message(t, 1, "%s", err.msg);
        return;
    }
    doc_free(&t->stats_doc);
    doc_reset(&t->stats_doc, t->cols - 1);
    charts_render(&st, t->cols - 1, text_locale_utf8(), piece, eol, &t->stats_doc);
    t->stats_open = 1;
    t->help_open = 1;   /* the overlay's key context (scroll, close) */
    t->help_top = 0;
}

static void stats_draw(tui *t)
{
    int rows = t->lines - 3;
    int maxtop = (int)t->stats_doc.n - rows;
    if (t->help_top > maxtop)
        t->help_top = maxtop > 0 ? maxtop : 0;
    draw_clip(0, 0, t->cols, AT_HEADER, " Stats — a lead's view (q, Esc or ? closes; j/k scroll)", 1);
    for (int i = 0; i < rows; i++) {
        size_t li = (size_t)(t->help_top + i);
        if (li < t->stats_doc.n) {
            draw_clip(1 + i, 0, t->cols, AT_NORMAL, "", 1);
            doc_draw_line(&t->stats_doc.lines[li], 1 + i, 1, t->cols - 1);
        } else {
            draw_clip(1 + i, 0, t->cols, AT_NORMAL, "", 1);
        }
    }
}

static tui_result stats_handle(tui *t, km_action a)
{
    int rows = t->lines - 3;
    int maxtop = (int)t->stats_doc.n - rows;
    if (maxtop < 0)
        maxtop = 0;
    switch (a) {
    case ACT_DOWN: t->help_top += t->help_top < maxtop; break;
    case ACT_UP: t->help_top -= t->help_top > 0; break;
    case ACT_FIRST: t->help_top = 0; break;
    case ACT_LAST: t->help_top = maxtop; break;
    case ACT_HELP_CLOSE:
    case ACT_BACK:
    case ACT_CLOSE:   /* one step back from the overlay: to the panes, never a quit */
        t->help_open = t->stats_open = 0;
        doc_free(&t->stats_doc);
        break;
    default: return TR_UNHANDLED;
    }
    return TR_DONE;
}

const tui_view view_stats_ops = {"stats", stats_draw, stats_handle};
