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
    "  The title: the queue, n of N under the filter, the sort and its direction;",
    "    ▶ marks the pane that has the keys.",
};
#define HELP_TAIL (sizeof help_tail / sizeof help_tail[0])

static size_t help_lines(void) { return (size_t)KM_N_ACTIONS + HELP_TAIL; }

static void help_draw(tui *t)
{
    int rows = t->lines - 3;
    int maxtop = (int)help_lines() - rows;
    if (t->help_top > maxtop)
        t->help_top = maxtop > 0 ? maxtop : 0;
    draw_clip(0, 0, t->cols, AT_HEADER, " Help — keys (q, Esc, h or ? closes; j/k scroll)", 1);
    for (int i = 0; i < rows; i++) {
        int li = t->help_top + i;
        int y = 1 + i;
        if (li < KM_N_ACTIONS) {
            const km_action_info *ai = &km_actions[li];
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
            int x = draw_clip(y, 0, 2, AT_NORMAL, "", 1);
            x += draw_clip(y, x, 20, n ? AT_BOLD : AT_DIM, n ? keys : "(unbound)", 1);
            x += draw_clip(y, x, 14, AT_DIM, ai->name, 1);
            draw_clip(y, x, t->cols - x, AT_NORMAL, ai->help, 1);
        } else if ((size_t)li < help_lines()) {
            draw_clip(y, 0, t->cols, AT_DIM, help_tail[li - KM_N_ACTIONS], 1);
        } else {
            draw_clip(y, 0, t->cols, AT_NORMAL, "", 1);
        }
    }
}

static tui_result help_handle(tui *t, km_action a)
{
    int rows = t->lines - 3;
    int maxtop = (int)help_lines() - rows;
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
