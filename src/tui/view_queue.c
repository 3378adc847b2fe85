/* The queue pane: one page of rows, keyset-paged. Moving past an edge fetches only the
 * next row or page from the index; nothing is counted or skipped per keypress. */
#include "tui_private.h"

#include <stdlib.h>
#include <string.h>

#include "fbreview/text.h"
#include "fbreview/timeutil.h"

static void ensure_cap(tui *t)
{
    size_t want = (size_t)(tui_queue_rows(t) > 0 ? tui_queue_rows(t) : 1);
    if (t->queue.cap < want) {
        queue_row *r = fb_xrealloc(t->queue.rows, want * sizeof *r);
        t->queue.rows = r;
        t->queue.cap = want;
    }
}

static size_t page_size(const tui *t) { return (size_t)(tui_queue_rows(t) > 0 ? tui_queue_rows(t) : 1); }

static int fetch(tui *t, const queue_anchor *a, int dir, queue_row *rows, size_t n, size_t *got)
{
    fb_err err = {0};
    if (store_queue_page(t->store, &t->queue.q, a, dir, rows, n, got, &err) != FB_OK) {
        tui_message(t, 1, "%s", err.msg);
        *got = 0;
        return -1;
    }
    return 0;
}

static void reverse(queue_row *rows, size_t n)
{
    for (size_t i = 0; i < n / 2; i++) {
        queue_row tmp = rows[i];
        rows[i] = rows[n - 1 - i];
        rows[n - 1 - i] = tmp;
    }
}

void queue_load_first(tui *t)
{
    ensure_cap(t);
    fetch(t, NULL, 1, t->queue.rows, page_size(t), &t->queue.n);
    t->queue.sel = 0;
}

void queue_load_last(tui *t)
{
    ensure_cap(t);
    fetch(t, NULL, -1, t->queue.rows, page_size(t), &t->queue.n);
    reverse(t->queue.rows, t->queue.n);
    t->queue.sel = t->queue.n ? (int)t->queue.n - 1 : 0;
}

/* Re-reads the page from its top row (or the row that now follows it): after a decision,
 * a filter or a resize. The selection keeps its place, so the next case comes up. */
void queue_reload(tui *t)
{
    ensure_cap(t);
    if (t->queue.n == 0) {
        queue_load_first(t);
        return;
    }
    queue_anchor a = {0};
    queue_anchor_from_row(&a, &t->queue.rows[0]);
    queue_row prev;
    size_t got = 0;
    int sel = t->queue.sel;
    fetch(t, &a, -1, &prev, 1, &got);
    if (got) {
        queue_anchor_from_row(&a, &prev);
        fetch(t, &a, 1, t->queue.rows, page_size(t), &t->queue.n);
    } else {
        fetch(t, NULL, 1, t->queue.rows, page_size(t), &t->queue.n);
    }
    if (t->queue.n == 0) {
        queue_load_last(t);
        return;
    }
    t->queue.sel = sel < (int)t->queue.n ? sel : (int)t->queue.n - 1;
}

/* Puts a case at the top of the page when it is in the current queue. */
int queue_seek(tui *t, const char *case_id)
{
    fb_err err = {0};
    queue_row row;
    if (store_queue_row(t->store, case_id, &row, &err) != FB_OK)
        return -1;
    /* The same membership the page and the count use (store_queue_has). */
    if (store_queue_has(t->store, &t->queue.q, &row) != 1)
        return 0;
    ensure_cap(t);
    queue_anchor a = {0};
    queue_anchor_from_row(&a, &row);
    t->queue.rows[0] = row;
    size_t got = 0;
    fetch(t, &a, 1, t->queue.rows + 1, page_size(t) - 1, &got);
    t->queue.n = got + 1;
    t->queue.sel = 0;
    return 1;
}

const queue_row *queue_selected(const tui *t)
{
    return t->queue.n ? &t->queue.rows[t->queue.sel] : NULL;
}

static int move_down(tui *t, int steps)
{
    tui_queue *qu = &t->queue;
    if (qu->n == 0)
        return 0;
    int moved = 0;
    while (steps-- > 0) {
        if (qu->sel + 1 < (int)qu->n) {
            qu->sel++;
            moved = 1;
            continue;
        }
        if (qu->n < page_size(t))
            break;     /* a short page is the end of the queue */
        queue_anchor a = {0};
        queue_anchor_from_row(&a, &qu->rows[qu->n - 1]);
        queue_row next;
        size_t got = 0;
        fetch(t, &a, 1, &next, 1, &got);
        if (!got)
            break;
        memmove(qu->rows, qu->rows + 1, (qu->n - 1) * sizeof *qu->rows);
        qu->rows[qu->n - 1] = next;
        moved = 1;
    }
    return moved;
}

static int move_up(tui *t, int steps)
{
    tui_queue *qu = &t->queue;
    if (qu->n == 0)
        return 0;
    int moved = 0;
    while (steps-- > 0) {
        if (qu->sel > 0) {
            qu->sel--;
            moved = 1;
            continue;
        }
        queue_anchor a = {0};
        queue_anchor_from_row(&a, &qu->rows[0]);
        queue_row prev;
        size_t got = 0;
        fetch(t, &a, -1, &prev, 1, &got);
        if (!got)
            break;
        size_t keep = qu->n < page_size(t) ? qu->n : qu->n - 1;
        memmove(qu->rows + 1, qu->rows, keep * sizeof *qu->rows);
        qu->rows[0] = prev;
        qu->n = keep + 1;
        moved = 1;
    }
    return moved;
}

/* A page at a time: one index read of a page, not one per row. */
static int page_down(tui *t)
{
    tui_queue *qu = &t->queue;
    size_t ps = page_size(t);
    if (qu->n == 0)
        return 0;
    if (qu->n < ps) {
        qu->sel = (int)qu->n - 1;
        return 1;
    }
    queue_anchor a = {0};
    queue_anchor_from_row(&a, &qu->rows[qu->n - 1]);
    queue_row *next = fb_xmalloc(ps * sizeof *next);
    size_t got = 0;
    fetch(t, &a, 1, next, ps, &got);
    if (got == 0) {
        qu->sel = (int)qu->n - 1;
    } else {
        size_t keep = ps - got;
        memmove(qu->rows, qu->rows + got, keep * sizeof *qu->rows);
        memcpy(qu->rows + keep, next, got * sizeof *next);
        qu->n = ps;
    }
    free(next);
    return 1;
}

static int page_up(tui *t)
{
    tui_queue *qu = &t->queue;
    size_t ps = page_size(t);
    if (qu->n == 0)
        return 0;
    queue_anchor a = {0};
    queue_anchor_from_row(&a, &qu->rows[0]);
    queue_row *prev = fb_xmalloc(ps * sizeof *prev);
    size_t got = 0;
    fetch(t, &a, -1, prev, ps, &got);
    if (got == 0) {
        qu->sel = 0;
    } else {
        reverse(prev, got);
        size_t keep = qu->n + got > ps ? ps - got : qu->n;
        memmove(qu->rows + got, qu->rows, keep * sizeof *qu->rows);
        memcpy(qu->rows, prev, got * sizeof *prev);
        qu->n = got + keep;
    }
    free(prev);
    return 1;
}

int tui_is_marked(const tui *t, const char *id)
{
    for (size_t i = 0; i < t->n_marks; i++)
        if (strcmp(t->marks[i], id) == 0)
            return 1;
    return 0;
}

static void draw_row(tui *t, int y, int w, const queue_row *r, int selected)
{
    char age[16], sla[16];
    int64_t now = fb_now_ms();
    fb_duration_short(now - r->opened_at, age, sizeof age);
    int64_t due = r->opened_at + (int64_t)t->sla_hours * 3600000 - now;
    if (due >= 0) {
        char d[16];
        snprintf(sla, sizeof sla, "due %s", fb_duration_short(due, d, sizeof d));
    } else {
        char d[16];
        snprintf(sla, sizeof sla, "late %s", fb_duration_short(-due, d, sizeof d));
    }
    int claimed_other = lifecycle_claim_live(r->claim_by, r->claim_until, now) && strcmp(r->claim_by, t->app->reviewer) != 0;
    int base = selected ? (t->focus_case ? AT_SELECTED : AT_FOCUS) : AT_NORMAL;
    int x = 0;
    x += draw_clip(y, x, 1, base, selected ? ">" : " ", 1);
    x += draw_clip(y, x, 1, selected ? base : AT_MARK, tui_is_marked(t, r->id) ? "*" : " ", 1);
    x += draw_clip(y, x, 1, selected ? base : AT_HIGH, claimed_other ? "@" : due < 0 ? "!" : " ", 1);
    int narrow = w < 60;
    x += draw_clip(y, x, narrow ? 9 : 11, base, r->id, 1);
    x += draw_clip(y, x, 1, base, " ", 1);   /* a long id must not run into the risk */
    x += draw_clipf(y, x, 4, selected ? base : (r->risk >= 60 ? AT_HIGH : AT_NORMAL), "%3d ", r->risk);
    /* Narrow panes show codes by their short names so the parties still fit. */
    static const char *const short_codes[] = {"fake", "self", "coi", "paid", "free", "extort"};
    const char *code = r->alleged == FB_V_NONE ? "-" : narrow ? short_codes[r->alleged] : fb_violation_str(r->alleged);
    int cw = narrow ? 7 : 21;
    x += draw_clip(y, x, cw - 1, base, code, 1);
    x += draw_clip(y, x, 1, base, " ", 1);
    x += draw_clipf(y, x, 5, base, "%4s ", age);
    if (w >= 70) {
        x += draw_clip(y, x, 10, base, sla, 1);
        x += draw_clip(y, x, 17, base, fb_case_status_str(r->status), 1);
    }
    /* Parties: untrusted names, drawn through the renderer. */
    int rest = w - x;
    if (rest > 3) {
        int half = (rest - 3) / 2;
        int used = draw_clip(y, x, half, base, r->subject_name[0] ? r->subject_name : "?", 0);
        x += used;
        x += draw_clip(y, x, 3, base, " / ", 0);
        x += draw_clip(y, x, w - x, base, r->counterparty_name[0] ? r->counterparty_name : "?", 0);
    }
    if (x < w)
        draw_clip(y, x, w - x, base, "", 1);
}

static void queue_draw(tui *t)
{
    int w = tui_queue_width(t), rows = tui_queue_rows(t);
    char head[256];
    const queue_query *q = &t->queue.q;
    char count[32] = "…";
    if (t->counts_known)
        snprintf(count, sizeof count, "%lld", (long long)t->counts.n[q->queue]);
    int len = snprintf(head, sizeof head, " Queue %s %s · by %s", queue_words(q->queue), count, sort_name(q->sort));
    if (q->code != FB_V_NONE)
        len += snprintf(head + len, sizeof head - (size_t)len, " · code=%s", fb_violation_str(q->code));
    if (q->status != FB_CS_NONE)
        len += snprintf(head + len, sizeof head - (size_t)len, " · status=%s", fb_case_status_str(q->status));
    if (q->risk_min > 0 || q->risk_max < 100)
        len += snprintf(head + len, sizeof head - (size_t)len, " · risk %d-%d", q->risk_min, q->risk_max);
    if (t->n_marks)
        snprintf(head + len, sizeof head - (size_t)len, " · %zu marked", t->n_marks);
    draw_clip(0, 0, w, t->focus_case ? AT_HEADER : AT_TAB_ON, head, 1);
    for (int i = 0; i < rows; i++) {
        if ((size_t)i < t->queue.n)
            draw_row(t, 1 + i, w, &t->queue.rows[i], i == t->queue.sel);
        else if (i == 0 && t->queue.n == 0)
            draw_clip(1, 0, w, AT_DIM, "  (no cases in this queue)", 1);
        else
            draw_clip(1 + i, 0, w, AT_NORMAL, "", 1);
    }
}

static tui_result queue_handle(tui *t, km_action a)
{
    int moved = 0;
    switch (a) {
    case ACT_DOWN: moved = move_down(t, 1); break;
    case ACT_UP: moved = move_up(t, 1); break;
    case ACT_PAGE_DOWN: moved = page_down(t); break;
    case ACT_PAGE_UP: moved = page_up(t); break;
    case ACT_FIRST: queue_load_first(t); moved = 1; break;
    case ACT_LAST: queue_load_last(t); moved = 1; break;
    default: return TR_UNHANDLED;
    }
    if (moved)
        tui_open_selected(t);
    return TR_DONE;
}

const tui_view view_queue_ops = {"queue", queue_draw, queue_handle};
