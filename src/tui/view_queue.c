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

/* queue.top after a jump to the end: the queue's size less the page, once the size is known
 * (counting the rows before the last page would walk the whole queue). */
#define TOP_LAST_PAGE (-2)
/* Counts stop here ("1000+"): counting reads the rows, and a keypress must stay quick. */
#define COUNT_CAP 1000
/* queue.top when more than COUNT_CAP rows come before the page. */
#define TOP_FAR (-3)

void queue_changed(tui *t)
{
    t->queue.total = -1;
    t->queue.top = -1;
}

static int queue_filtered(const queue_query *q)
{
    return q->code != FB_V_NONE || q->status != FB_CS_NONE || q->risk_min > 0 || q->risk_max < 100;
}

/* The queue's size under its filter: the per-status count the status line has (kept by
 * arithmetic after decisions) when there is no filter, else counted once per change. -1
 * while unknown: the first screen does not wait for a count. */
static int64_t queue_total(tui *t)
{
    if (!t->counts_known)
        return -1;
    /* The reviewer's own queues are counted by their own query: it is the page's. */
    fb_queue qq = t->queue.q.queue;
    if (!queue_filtered(&t->queue.q) && qq != QUEUE_MINE && qq != QUEUE_CONFLICTS)
        return t->counts.n[qq];
    fb_err err = {0};
    if (t->queue.total < 0 && store_queue_count(t->store, &t->queue.q, NULL, 1, COUNT_CAP, &t->queue.total, &err) != FB_OK) {
        tui_message(t, 1, "%s", err.msg);
        t->queue.total = 0;
    }
    return t->queue.total;
}

/* The page's place in the queue: kept by arithmetic while moving by rows or pages, counted
 * (the rows before the page's first, at most COUNT_CAP) after a jump; after G, the size
 * less the page when the size is exact. */
static int64_t queue_top(tui *t, int64_t total, int exact)
{
    if (t->queue.n == 0)
        t->queue.top = 0;
    if (t->queue.top == TOP_LAST_PAGE && exact && total >= (int64_t)t->queue.n)
        t->queue.top = total - (int64_t)t->queue.n;
    if (t->queue.top == -1 || t->queue.top == TOP_LAST_PAGE) {
        fb_err err = {0};
        queue_anchor a = {0};
        queue_anchor_from_row(&a, &t->queue.rows[0]);
        if (store_queue_count(t->store, &t->queue.q, &a, -1, COUNT_CAP, &t->queue.top, &err) != FB_OK)
            t->queue.top = 0;
        else if (t->queue.top > COUNT_CAP)
            t->queue.top = TOP_FAR;
    }
    return t->queue.top;
}

void queue_load_first(tui *t)
{
    ensure_cap(t);
    fetch(t, NULL, 1, t->queue.rows, page_size(t), &t->queue.n);
    t->queue.sel = 0;
    t->queue.top = 0;
}

void queue_load_last(tui *t)
{
    ensure_cap(t);
    fetch(t, NULL, -1, t->queue.rows, page_size(t), &t->queue.n);
    reverse(t->queue.rows, t->queue.n);
    t->queue.sel = t->queue.n ? (int)t->queue.n - 1 : 0;
    t->queue.top = TOP_LAST_PAGE;
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
    t->queue.top = -1;
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

int queue_holds(tui *t, const queue_query *q, const queue_row *row)
{
    /* The same membership the page and the count use (store_queue_has). */
    return store_queue_has(t->store, q, row) == 1;
}

int queue_home(tui *t, const queue_row *row)
{
    for (int i = 0; i < QUEUE_COUNT; i++) {
        queue_query q = {(fb_queue)i, t->queue.q.sort, FB_V_NONE, FB_CS_NONE, 0, 100, t->app->reviewer};
        /* The reviewer's own views (mine) come after the queue a case is worked in. */
        if (i != QUEUE_MINE && queue_holds(t, &q, row))
            return i;
    }
    queue_query q = {QUEUE_MINE, t->queue.q.sort, FB_V_NONE, FB_CS_NONE, 0, 100, t->app->reviewer};
    return queue_holds(t, &q, row) ? QUEUE_MINE : -1;
}

/* Puts a case at the top of the page when it is in the current queue. */
int queue_seek(tui *t, const char *case_id)
{
    fb_err err = {0};
    queue_row row;
    if (store_queue_row(t->store, case_id, &row, &err) != FB_OK)
        return -1;
    if (!queue_holds(t, &t->queue.q, &row))
        return 0;
    ensure_cap(t);
    queue_anchor a = {0};
    queue_anchor_from_row(&a, &row);
    t->queue.rows[0] = row;
    size_t got = 0;
    fetch(t, &a, 1, t->queue.rows + 1, page_size(t) - 1, &got);
    t->queue.n = got + 1;
    t->queue.sel = 0;
    t->queue.top = -1;
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
        if (qu->top >= 0)
            qu->top++;
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
        if (qu->top > 0)
            qu->top--;
        else if (qu->top == TOP_LAST_PAGE)
            qu->top = -1;
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
        if (qu->top >= 0)
            qu->top += (int64_t)got;
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
        qu->top = qu->top >= (int64_t)got ? qu->top - (int64_t)got : -1;
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

/* The queue's columns, one table for the header row and the rows. Widths adapt to the
 * pane: the essentials always, then the parties, the SLA, the long code names and the status
 * as room allows; what is left goes to the party names. */
enum { QC_FLAGS, QC_ID, QC_RISK, QC_CODE, QC_AGE, QC_SLA, QC_STATUS, QC_PARTIES, QC_COUNT };
static const struct {
    const char *head;
    int narrow, wide;   /* width in the narrowest pane; width when room allows (0: optional) */
} qcols[QC_COUNT] = {
    [QC_FLAGS] = {"", 3, 3},
    [QC_ID] = {"case", 10, 12},
    [QC_RISK] = {"risk", 5, 5},
    [QC_CODE] = {"code", 7, 22},
    [QC_AGE] = {"age", 5, 5},
    [QC_SLA] = {"SLA", 0, 10},
    [QC_STATUS] = {"status", 0, 17},
    [QC_PARTIES] = {"subject / counterparty", 11, 24},
};

typedef struct qlayout {
    int w[QC_COUNT];
    int both_parties;   /* room for subject / counterparty, else the subject alone */
} qlayout;

static qlayout queue_layout(int width)
{
    qlayout L = {{0}, 0};
    int used = 0;
    for (int i = 0; i < QC_COUNT; i++)
        used += (L.w[i] = qcols[i].narrow);
    /* Upgrades in order of worth, each taken when it fits. */
    static const int order[] = {QC_ID, QC_PARTIES, QC_SLA, QC_CODE, QC_STATUS};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        int c = order[k], extra = qcols[c].wide - L.w[c];
        if (used + extra <= width) {
            used += extra;
            L.w[c] = qcols[c].wide;
        }
    }
    L.w[QC_PARTIES] += width - used;
    L.both_parties = L.w[QC_PARTIES] >= 20;
    return L;
}

static void draw_header_row(int y, int w, const qlayout *L)
{
    int x = 0;
    for (int i = 0; i < QC_COUNT; i++) {
        if (!L->w[i])
            continue;
        const char *h = i == QC_PARTIES && !L->both_parties ? "subject" : qcols[i].head;
        char cell[64];
        /* Numbers read right-aligned under their header. */
        if (i == QC_RISK)
            snprintf(cell, sizeof cell, "%*s ", L->w[i] - 1, h);
        else
            snprintf(cell, sizeof cell, "%s", h);
        x += draw_clip(y, x, i == QC_PARTIES ? w - x : L->w[i], AT_DIM, cell, 1);
    }
    if (x < w)
        draw_clip(y, x, w - x, AT_DIM, "", 1);
}

/* A party's name in cols columns: whole when it fits, else its given names cut to their
 * first letter ("Maria Lopez" -> "M. Lopez"), so two parties that share a first name stay
 * apart; the renderer still clips what is left. Source bytes are only copied, never
 * drawn from here (draw_clip renders them). */
static const char *name_fit(const char *name, int cols, char *buf, size_t n)
{
    size_t len = strlen(name);
    const char *last = strrchr(name, ' ');
    if ((int)text_width(name, len) <= cols || !last || !last[1] || last == name)
        return name;
    size_t o = 0;
    const char *p = name;
    while (p < last && o + 8 < n) {
        while (*p == ' ')
            p++;
        if (p >= last)
            break;
        text_iter it;
        text_unit u;
        text_iter_init(&it, p, (size_t)(last - p));
        /* A name with control or invisible characters is shown as it is (their
         * placeholders are the point), never shortened into something tidier. */
        if (!text_next(&it, &u) || u.kind != TEXT_PLAIN || u.src_len == 0 || u.src_len + 3 > n - o)
            return name;
        memcpy(buf + o, p, u.src_len);
        o += u.src_len;
        buf[o++] = '.';
        buf[o++] = ' ';
        p = strchr(p, ' ');
        if (!p)
            break;
    }
    snprintf(buf + o, n - o, "%s", last + 1);
    return buf;
}

static void draw_row(tui *t, int y, int w, const qlayout *L, const queue_row *r, int selected)
{
    char age[16], sla[16], d[16];
    int64_t now = fb_now_ms();
    fb_duration_short(now - r->opened_at, age, sizeof age);
    int64_t due = r->opened_at + (int64_t)t->sla_hours * 3600000 - now;
    if (due >= 0)
        snprintf(sla, sizeof sla, "due %s", fb_duration_short(due, d, sizeof d));
    else
        snprintf(sla, sizeof sla, "late %s", fb_duration_short(-due, d, sizeof d));
    int claimed_other = lifecycle_claim_live(r->claim_by, r->claim_until, now) && strcmp(r->claim_by, t->app->reviewer) != 0;
    int base = selected ? (t->focus_case ? AT_SELECTED : AT_FOCUS) : AT_NORMAL;
    int x = 0;
    x += draw_clip(y, x, 1, base, selected ? ">" : " ", 1);
    x += draw_clip(y, x, 1, selected ? base : AT_MARK, tui_is_marked(t, r->id) ? "*" : " ", 1);
    x += draw_clip(y, x, 1, selected ? base : AT_HIGH, claimed_other ? "@" : due < 0 ? "!" : " ", 1);
    /* A long id is clipped with … and a space keeps it off the risk. */
    x += draw_clip(y, x, L->w[QC_ID] - 1, base, r->id, 1);
    x += draw_clip(y, x, 1, base, " ", 1);
    x += draw_clipf(y, x, L->w[QC_RISK], selected ? base : (r->risk >= 60 ? AT_HIGH : AT_NORMAL), "%*d ",
                    L->w[QC_RISK] - 1, r->risk);
    /* Narrow panes show codes by their short names so the parties still fit. */
    static const char *const short_codes[] = {"fake", "self", "coi", "paid", "free", "extort"};
    int wide_code = L->w[QC_CODE] >= qcols[QC_CODE].wide;
    const char *code = r->alleged == FB_V_NONE ? "-" : wide_code ? fb_violation_str(r->alleged) : short_codes[r->alleged];
    x += draw_clip(y, x, L->w[QC_CODE] - 1, base, code, 1);
    x += draw_clip(y, x, 1, base, " ", 1);
    x += draw_clipf(y, x, L->w[QC_AGE], base, "%4s ", age);
    if (L->w[QC_SLA])
        x += draw_clip(y, x, L->w[QC_SLA], base, sla, 1);
    if (L->w[QC_STATUS])
        x += draw_clip(y, x, L->w[QC_STATUS], base, fb_case_status_str(r->status), 1);
    /* Parties: untrusted names, drawn through the renderer. */
    const char *sub = r->subject_name[0] ? r->subject_name : "?";
    const char *cp = r->counterparty_name[0] ? r->counterparty_name : "?";
    char fit1[sizeof r->subject_name], fit2[sizeof r->counterparty_name];
    if (!L->both_parties) {
        x += draw_clip(y, x, w - x, base, name_fit(sub, w - x, fit1, sizeof fit1), 0);
    } else {
        int rest = w - x, half = (rest - 3) / 2;
        x += draw_clip(y, x, half, base, name_fit(sub, half, fit1, sizeof fit1), 0);
        x += draw_clip(y, x, 3, base, " / ", 0);
        x += draw_clip(y, x, w - x, base, name_fit(cp, w - x, fit2, sizeof fit2), 0);
    }
    if (x < w)
        draw_clip(y, x, w - x, base, "", 1);
}

/* Which way each sort runs, for the title: in words when there is room, else an arrow. */
static const char *sort_words(fb_sort s, int compact)
{
    switch (s) {
    case SORT_RISK: return compact ? "risk ↓" : "by risk, highest first";
    case SORT_AGE: return compact ? "age ↑" : "by age, newest first";
    default: return compact ? "SLA ↑" : "by SLA, most overdue first";
    }
}

static void queue_draw(tui *t)
{
    int w = tui_queue_width(t), rows = tui_queue_rows(t);
    char head[512], filter[256];
    const queue_query *q = &t->queue.q;
    char pos[64], total[32] = "…", at[32] = "0";
    int64_t n = queue_total(t);
    /* Exact when it comes from the per-status counts or stayed under the cap. */
    int exact = n >= 0 && (n <= COUNT_CAP || t->queue.total < 0);
    if (n >= 0 && !exact)
        snprintf(total, sizeof total, "%d+", COUNT_CAP);
    else if (n >= 0)
        snprintf(total, sizeof total, "%lld", (long long)n);
    if (t->queue.n) {
        int64_t top = queue_top(t, n, exact);
        if (top == TOP_FAR)
            snprintf(at, sizeof at, "%d+", COUNT_CAP);
        else
            snprintf(at, sizeof at, "%lld", (long long)(top + t->queue.sel + 1));
    }
    snprintf(pos, sizeof pos, "%s of %s", at, total);
    int len = 0;
    filter[0] = '\0';
    if (q->code != FB_V_NONE)
        len += snprintf(filter + len, sizeof filter - (size_t)len, " · code=%s", fb_violation_str(q->code));
    if (q->status != FB_CS_NONE)
        len += snprintf(filter + len, sizeof filter - (size_t)len, " · status=%s", fb_case_status_str(q->status));
    if (q->risk_min > 0 || q->risk_max < 100)
        len += snprintf(filter + len, sizeof filter - (size_t)len, " · risk %d-%d", q->risk_min, q->risk_max);
    if (t->n_marks)
        snprintf(filter + len, sizeof filter - (size_t)len, " · %zu marked", t->n_marks);
    /* The pane with the keys says so: a mark in its title (and its colours). The longest
     * form that fits: the filter is never the part left out. */
    const char *focus = t->focus_case ? "  " : "▶ ";
    for (int form = 0; form < 4; form++) {
        if (form < 2)
            snprintf(head, sizeof head, "%sQueue %s · %s · %s%s", focus, queue_words(q->queue), pos,
                     sort_words(q->sort, form == 1), filter);
        else
            snprintf(head, sizeof head, "%s%s%s%s · %s%s", focus, queue_words(q->queue), form == 2 ? " · " : " ", pos,
                     sort_words(q->sort, 1), filter);
        if ((int)text_width(head, strlen(head)) <= w)
            break;
    }
    draw_clip(0, 0, w, t->focus_case ? AT_HEADER : AT_TAB_ON, head, 1);
    qlayout L = queue_layout(w);
    draw_header_row(1, w, &L);
    for (int i = 0; i < rows; i++) {
        if ((size_t)i < t->queue.n)
            draw_row(t, 2 + i, w, &L, &t->queue.rows[i], i == t->queue.sel);
        else if (i == 0 && t->queue.n == 0)
            draw_clip(2, 0, w, AT_DIM,
                      queue_filtered(q) ? "  (no cases match the filter; f changes it)"
                          : "  (no cases in this queue)",
                      1);
        else
            draw_clip(2 + i, 0, w, AT_NORMAL, "", 1);
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
