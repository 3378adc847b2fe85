/* Drawing: attributes by role, and the only way text reaches curses — through the safe
 * renderer (text.h). Evidence is never handed to curses as it came in. */
#include "tui_private.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/text.h"

static attr_t attrs[AT_COUNT];

static attr_t curses_attrs(unsigned th)
{
    return (th & TH_BOLD ? A_BOLD : 0) | (th & TH_UNDERLINE ? A_UNDERLINE : 0) | (th & TH_REVERSE ? A_REVERSE : 0);
}

/* The theme table (theme.h): the 256-colour column where the terminal has it, else the
 * 8-colour one; attributes alone under NO_COLOR or without colours. */
void tui_colors_init(void)
{
    const char *nc = getenv("NO_COLOR");
    int color = has_colors() && !(nc && *nc);
    if (color && start_color() == OK) {
        int wide = COLORS >= 256;
        use_default_colors();
        for (int i = 1; i < AT_COUNT; i++) {
            const fb_theme_role *r = &fb_theme[i];
            init_pair((short)i, wide ? r->fg256 : r->fg8, wide ? r->bg256 : r->bg8);
            attrs[i] = (attr_t)COLOR_PAIR(i) | curses_attrs(r->attr);
        }
        attrs[AT_NORMAL] = A_NORMAL;
    } else {
        for (int i = 0; i < AT_COUNT; i++)
            attrs[i] = curses_attrs(fb_theme[i].mono);
    }
}

attr_t tui_attr(int role) { return role >= 0 && role < AT_COUNT ? attrs[role] : A_NORMAL; }

/* ---- documents ---- */

void doc_reset(tdoc *d, int width)
{
    doc_free(d);
    d->width = width > 1 ? width : 1;
}

void doc_free(tdoc *d)
{
    for (size_t i = 0; i < d->n; i++) {
        for (size_t j = 0; j < d->lines[i].n; j++)
            free(d->lines[i].sp[j].s);
        free(d->lines[i].sp);
    }
    free(d->lines);
    memset(d, 0, sizeof *d);
}

void doc_truncate(tdoc *d, size_t n)
{
    while (d->n > n && d->n > 0) {
        tline *l = &d->lines[--d->n];
        for (size_t j = 0; j < l->n; j++)
            free(l->sp[j].s);
        free(l->sp);
        memset(l, 0, sizeof *l);
    }
    d->col = d->n ? d->lines[d->n - 1].width : 0;
}

static tline *cur_line(tdoc *d)
{
    if (d->n == 0) {
        fb_xgrow((void **)&d->lines, &d->n, sizeof(tline));
        d->col = 0;
    }
    return &d->lines[d->n - 1];
}

void doc_nl(tdoc *d)
{
    cur_line(d);
    fb_xgrow((void **)&d->lines, &d->n, sizeof(tline));
    d->col = 0;
}

static void put(tdoc *d, int role, const char *s, size_t len, int width)
{
    tline *l = cur_line(d);
    if (d->col + width > d->width && d->col > 0) {
        doc_nl(d);
        l = cur_line(d);
        for (int i = 0; i < d->indent && i < d->width / 2; i++)
            put(d, AT_NORMAL, " ", 1, 1);
    }
    tspan *sp = l->n ? &l->sp[l->n - 1] : NULL;
    if (!sp || sp->role != role) {
        sp = fb_xgrow((void **)&l->sp, &l->n, sizeof *sp);
        sp->role = role;
    }
    char *grown = fb_xrealloc(sp->s, sp->len + len + 1);
    sp->s = grown;
    memcpy(sp->s + sp->len, s, len);
    sp->len += len;
    sp->s[sp->len] = '\0';
    d->col += width;
    l->width += width;
}

/* A word waiting to be placed: wrapped as a whole when it fits on a line of its own. */
struct word {
    text_unit u[48];
    int role[48];
    int n, width;
};

static void word_flush(tdoc *d, struct word *w)
{
    if (w->n == 0)
        return;
    int room = d->width - d->col;
    if (w->width > room && d->col > d->indent && w->width <= d->width - d->indent) {
        doc_nl(d);
        for (int i = 0; i < d->indent && i < d->width / 2; i++)
            put(d, AT_NORMAL, " ", 1, 1);
    }
    for (int i = 0; i < w->n; i++)
        put(d, w->role[i], w->u[i].s, strlen(w->u[i].s), w->u[i].width);
    w->n = w->width = 0;
}

void doc_aside(tdoc *d, int role, int gap, const char *s)
{
    int w = (int)text_width(s, strlen(s));
    if (d->col > d->indent && d->col + gap + w > d->width && d->indent + w <= d->width) {
        doc_nl(d);
        for (int i = 0; i < d->indent && i < d->width / 2; i++)
            put(d, AT_NORMAL, " ", 1, 1);
    } else {
        for (int i = 0; i < gap && d->col > 0; i++)
            put(d, AT_NORMAL, " ", 1, 1);
    }
    doc_add(d, role, s);
}

void doc_addn(tdoc *d, int role, const char *src, size_t len, const doc_hl *hl, size_t nhl, int hl_role)
{
    text_iter it;
    text_unit u;
    struct word w;
    if (!src)
        return;
    w.n = w.width = 0;
    text_iter_init(&it, src, len);
    while (text_next(&it, &u)) {
        int r = role;
        for (size_t i = 0; i < nhl; i++)
            if (u.src_off >= hl[i].start && u.src_off < hl[i].start + hl[i].len)
                r = hl[i].role ? hl[i].role : hl_role;
        if (u.kind == TEXT_NEWLINE) {
            word_flush(d, &w);
            doc_nl(d);
            for (int i = 0; i < d->indent && i < d->width / 2; i++)
                put(d, AT_NORMAL, " ", 1, 1);
        } else if (u.kind == TEXT_TAB) {
            word_flush(d, &w);
            int n = 8 - d->col % 8;
            for (int i = 0; i < n && d->col < d->width; i++)
                put(d, r, " ", 1, 1);
        } else {
            if (u.kind == TEXT_ESCAPED && r == role)
                r = AT_ESCAPED;
            if (u.kind == TEXT_PLAIN && u.s[0] == ' ' && u.s[1] == '\0') {
                word_flush(d, &w);
                /* A space at the wrap point: the line break stands in for it. */
                if (d->col < d->width)
                    put(d, r, u.s, 1, 1);
                continue;
            }
            if (w.n == (int)(sizeof w.u / sizeof w.u[0]))
                word_flush(d, &w);
            w.u[w.n] = u;
            w.role[w.n++] = r;
            w.width += u.width;
        }
    }
    word_flush(d, &w);
}

void doc_add(tdoc *d, int role, const char *src)
{
    if (src)
        doc_addn(d, role, src, strlen(src), NULL, 0, 0);
}

void doc_addf(tdoc *d, int role, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    doc_add(d, role, buf);
}

void doc_draw_line(const tline *l, int y, int x, int cols)
{
    move(y, x);
    for (size_t i = 0; l && i < l->n; i++) {
        attrset(tui_attr(l->sp[i].role));
        addstr(l->sp[i].s);
    }
    attrset(A_NORMAL);
    for (int used = l ? l->width : 0; used < cols; used++)
        addch(' ');
}

int draw_clip(int y, int x, int cols, int role, const char *src, int pad)
{
    char buf[4096];
    if (cols <= 0)
        return 0;
    int used = src ? text_clip(src, strlen(src), cols, 1, buf, sizeof buf) : 0;
    attrset(tui_attr(role));
    if (used > 0)
        mvaddstr(y, x, buf);
    else
        move(y, x);
    for (; pad && used < cols; used++)
        addch(' ');
    attrset(A_NORMAL);
    return used;
}

int draw_clipf(int y, int x, int cols, int role, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return draw_clip(y, x, cols, role, buf, 1);
}
