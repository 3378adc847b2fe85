/* A confirmation box over the panes. It redraws itself after a resize and reads keys
 * from the same source as everything else (so scripts confirm it too). */
#include "tui_private.h"

#include <string.h>

static void dialog_draw(tui *t, const char *title, const tdoc *body)
{
    tui_draw_all(t);
    int w = t->cols - 4, h = (int)body->n + 3;
    if (h > t->lines - 4)
        h = t->lines - 4;
    int y0 = (t->lines - h) / 2, x0 = 2;
    /* The box's rows are cleared whole, with a blank row above and below where there is
     * room: nothing of the panes behind shows at its edges. */
    for (int y = y0 > 0 ? y0 - 1 : 0; y <= y0 + h && y < t->lines - 2; y++)
        draw_clip(y, 0, t->cols, AT_NORMAL, "", 1);
    draw_clip(y0, x0, w, AT_HEADER, title, 1);
    for (int i = 1; i < h - 1; i++) {
        size_t li = (size_t)(i - 1);
        draw_clip(y0 + i, x0, 1, AT_HEADER, " ", 1);
        doc_draw_line(li < body->n ? &body->lines[li] : NULL, y0 + i, x0 + 2, w - 3);
        draw_clip(y0 + i, x0 + w - 1, 1, AT_HEADER, " ", 1);
        draw_clip(y0 + i, x0 + 1, 1, AT_NORMAL, " ", 1);
    }
    if ((int)body->n > h - 2)
        draw_clip(y0 + h - 2, x0 + 2, w - 3, AT_DIM, "…", 1);
    draw_clip(y0 + h - 1, x0, w, AT_HEADER, " y or Enter: confirm · n or Esc: cancel", 1);
    refresh();
}

int dialog_confirm(tui *t, const char *title, dialog_build_fn build, void *ctx)
{
    return dialog_confirm_tick(t, title, build, NULL, ctx);
}

int dialog_confirm_tick(tui *t, const char *title, dialog_build_fn build, dialog_tick_fn tick, void *ctx)
{
    tdoc body = {0};
    int result = 0;
    for (;;) {
        if (tick)
            tick(t, ctx);
        /* Laid out again each time: the width may have changed. */
        doc_reset(&body, t->cols - 7);
        build(t, &body, ctx);
        dialog_draw(t, title, &body);
        if (tui_signalled || t->quit)
            break;
        int key;
        int r = input_get(t, &key);
        if (r == IN_END) {
            t->quit = 1;
            break;
        }
        if (r == IN_NONE)
            continue;
        if (key == TUI_KEY_RESIZE) {
            tui_handle_resize(t);
            continue;
        }
        if (key == TUI_KEY_CMD) {
            command_in_modal(t);
            continue;
        }
        if (key == 'y' || key == 'Y' || key == '\n') {
            result = 1;
            break;
        }
        if (key == 'n' || key == 'N' || key == 27 || key == 'q')
            break;
    }
    doc_free(&body);
    return result;
}
