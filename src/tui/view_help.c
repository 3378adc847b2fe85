/* The help overlay: every action from the one table, with the keys bound to it now. */
#include "tui_private.h"

#include <string.h>

/* After the keys: how to rebind, the commands, and what the queue's columns mean. */
static const char *const help_tail[] = {
    "",
    "  Rebind keys in the config's [keys] section: bind = KEY ACTION",
    "    (bind = KEY none unbinds).",
    "  Commands: :export FILE  :sync  :goto ID  :filter ...  :sort risk|age|sla",
    "    :queue NAME  :q",
    "  Queue rows: > the cursor, the case shown and acted on; * marked;",
    "    ! past the SLA; @ claimed by another reviewer.",
    "  Columns: age, since the case opened; SLA, due in or late by.",
    "  The case's title: its id, the flagged code (code? when the signals suggest another),",
    "    the risk and the status.",
    "  The title: the queue, n of N under the filter, the sort and its direction;",
    "    ▶ marks the pane that has the keys.",
};
#define HELP_TAIL (sizeof help_tail / sizeof help_tail[0])

/* The help as a document at the screen's width: a help text too long for its line goes on
 * below, under the text column, rather than being cut off (80 columns). */
static void help_build(tui *t, tdoc *d)
{
    enum { KEYS_W = 20, NAME_W = 14, TEXT_X = 2 + KEYS_W + NAME_W };
    doc_reset(d, t->cols);
    for (int i = 0; i < KM_N_ACTIONS; i++) {
        const km_action_info *ai = &km_actions[i];
        char keys[96] = "";
        size_t len = 0;
        int k[8];
        int ctx = ai->contexts & KM_MAIN ? KM_MAIN : KM_HELP;
        size_t n = keymap_keys_for(t->km, ai->id, ctx, k, 8);
        for (size_t j = 0; j < n && len < sizeof keys - 20; j++) {
            char kn[16];
            len += (size_t)snprintf(keys + len, sizeof keys - len, "%s%s", j ? " " : "",
                                    keymap_key_name(k[j], kn, sizeof kn));
        }
        d->indent = 0;
        doc_add(d, AT_NORMAL, "  ");
        doc_add(d, n ? AT_BOLD : AT_DIM, n ? keys : "(unbound)");
        while (d->col < 2 + KEYS_W - 1)
            doc_add(d, AT_NORMAL, " ");
        doc_add(d, AT_NORMAL, " ");
        doc_add(d, AT_DIM, ai->name);
        while (d->col < TEXT_X)
            doc_add(d, AT_NORMAL, " ");
        d->indent = TEXT_X;
        doc_add(d, AT_NORMAL, ai->help);
        doc_nl(d);
    }
    d->indent = 4;
    for (size_t i = 0; i < HELP_TAIL; i++) {
        doc_add(d, AT_DIM, help_tail[i]);
        doc_nl(d);
    }
    d->indent = 0;
}

static void help_draw(tui *t)
{
    tdoc d = {0};
    help_build(t, &d);
    int rows = t->lines - 3;
    int maxtop = (int)d.n - rows;
    if (t->help_top > maxtop)
        t->help_top = maxtop > 0 ? maxtop : 0;
    draw_clip(0, 0, t->cols, AT_HEADER, " Help — keys (q, Esc, h or ? closes; j/k scroll)", 1);
    for (int i = 0; i < rows; i++) {
        size_t li = (size_t)(t->help_top + i);
        if (li < d.n)
            doc_draw_line(&d.lines[li], 1 + i, 0, t->cols);
        else
            draw_clip(1 + i, 0, t->cols, AT_NORMAL, "", 1);
    }
    doc_free(&d);
}

static tui_result help_handle(tui *t, km_action a)
{
    tdoc d = {0};
    help_build(t, &d);
    int rows = t->lines - 3;
    int maxtop = (int)d.n - rows;
    doc_free(&d);
    if (maxtop < 0)
        maxtop = 0;
    switch (a) {
    case ACT_DOWN: t->help_top += t->help_top < maxtop; break;
    case ACT_UP: t->help_top -= t->help_top > 0; break;
    case ACT_PAGE_DOWN: t->help_top = t->help_top + rows > maxtop ? maxtop : t->help_top + rows; break;
    case ACT_PAGE_UP: t->help_top = t->help_top > rows ? t->help_top - rows : 0; break;
    case ACT_FIRST: t->help_top = 0; break;
    case ACT_LAST: t->help_top = maxtop; break;
    case ACT_HELP_CLOSE: t->help_open = 0; break;
    default: return TR_UNHANDLED;
    }
    return TR_DONE;
}

const tui_view view_help_ops = {"help", help_draw, help_handle};
