/* The lead's view (charts.h): waiting cases by age as bars, decisions per day as a
 * sparkline, the service level, and the busiest reviewers with their override rates. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fbreview/charts.h"
#include "fbreview/text.h"
#include "fbreview/timeutil.h"

typedef struct out {
    charts_piece_fn piece;
    charts_eol_fn eol;
    void *ctx;
} out;

static void put(const out *o, charts_role r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void put(const out *o, charts_role r, const char *fmt, ...)
{
    char b[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    o->piece(o->ctx, r, b);
}

/* A bar of value/max over cols columns: whole blocks then an eighth (UTF-8) or '#'. */
static void bar(const out *o, int64_t value, int64_t max, int cols, int utf8)
{
    static const char *const eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    char b[512] = "";
    size_t len = 0;
    int64_t units = max > 0 ? value * cols * 8 / max : 0;
    if (value > 0 && units == 0)
        units = 1;   /* a count above zero is never drawn as nothing */
    for (int64_t i = 0; i < units / 8 && len + 4 < sizeof b; i++)
        len += (size_t)snprintf(b + len, sizeof b - len, "%s", utf8 ? "█" : "#");
    int rest = (int)(units % 8);
    if (rest && len + 4 < sizeof b)
        len += (size_t)snprintf(b + len, sizeof b - len, "%s", utf8 ? eighths[rest] : (rest >= 4 ? "#" : "+"));
    int drawn = (int)(units / 8) + (rest ? 1 : 0);
    for (; drawn < cols && len + 1 < sizeof b; drawn++)
        b[len++] = ' ';
    b[len] = '\0';
    o->piece(o->ctx, CH_BAR, b);
}

static int pct(int64_t part, int64_t whole) { return whole > 0 ? (int)((part * 100 + whole / 2) / whole) : 0; }

void charts_render(const fb_lead_stats *st, int width, int utf8, charts_piece_fn piece, charts_eol_fn eol, void *ctx)
{
    out o = {piece, eol, ctx};
    if (width < 40)
        width = 40;
    int barw = width - 24;   /* "  label  " (9) + bar + " count" (up to 12) */
    if (barw > 60)
        barw = 60;
    /* 1. Waiting cases by age. */
    put(&o, CH_TITLE, "Waiting cases by age");
    put(&o, CH_TEXT, "  %lld waiting, %lld past the %lld h service level", (long long)st->waiting,
        (long long)st->breached, (long long)(st->sla_ms / 3600000));
    eol(ctx);
    int64_t max = 0;
    for (int i = 0; i < FB_LEAD_AGE_BUCKETS; i++)
        max = st->age[i] > max ? st->age[i] : max;
    for (int i = 0; i < FB_LEAD_AGE_BUCKETS; i++) {
        put(&o, CH_DIM, "  %-6s ", lead_age_label(i));
        bar(&o, st->age[i], max, barw, utf8);
        put(&o, CH_TEXT, " %lld", (long long)st->age[i]);
        eol(ctx);
    }
    /* 2. Decisions per day: a sparkline, today last. */
    static const char *const spark_u[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    static const char spark_a[] = "_.-:=+*#";
    int64_t dmax = 0;
    for (int i = 0; i < FB_LEAD_DAYS; i++)
        dmax = st->per_day[i] > dmax ? st->per_day[i] : dmax;
    char line[256] = "";
    size_t len = 0;
    for (int i = 0; i < FB_LEAD_DAYS; i++) {
        int lv = dmax > 0 ? (int)(st->per_day[i] * 7 / dmax) : 0;
        if (st->per_day[i] == 0) {
            len += (size_t)snprintf(line + len, sizeof line - len, " ");
            continue;
        }
        if (utf8)
            len += (size_t)snprintf(line + len, sizeof line - len, "%s", spark_u[lv]);
        else
            len += (size_t)snprintf(line + len, sizeof line - len, "%c", spark_a[lv]);
    }
    char first[40];
    fb_time_format_utc(st->day0_ms, first, sizeof first);
    first[10] = '\0';
    put(&o, CH_TITLE, "Decisions per day");
    put(&o, CH_DIM, "  since %s UTC ", first);
    piece(ctx, CH_BAR, line);
    put(&o, CH_TEXT, "  max %lld, today %lld", (long long)dmax, (long long)st->per_day[FB_LEAD_DAYS - 1]);
    eol(ctx);
    /* 3. The service level and overrides over those days. */
    put(&o, CH_TITLE, "Service level");
    put(&o, CH_TEXT, "  %lld of %lld decisions (%d%%) came after the case's %lld h", (long long)st->decided_late,
        (long long)st->decisions, pct(st->decided_late, st->decisions), (long long)(st->sla_ms / 3600000));
    eol(ctx);
    put(&o, CH_TITLE, "Override rate");
    put(&o, CH_TEXT, "  %d%% (%lld of %lld decisions overrode the recommendation)",
        pct(st->overridden, st->decisions), (long long)st->overridden, (long long)st->decisions);
    eol(ctx);
    /* 4. The busiest reviewers. */
    put(&o, CH_TITLE, "By reviewer");
    put(&o, CH_DIM, "  (%d days; decisions, overrides)", FB_LEAD_DAYS);
    eol(ctx);
    if (st->n_top == 0) {
        put(&o, CH_DIM, "  no decisions in these days");
        eol(ctx);
    }
    int64_t rmax = st->n_top ? st->top[0].decisions : 0;
    int rbar = barw - 14;
    for (size_t i = 0; i < st->n_top; i++) {
        char name[64];
        const char *n = st->top[i].name;
        text_clip(n, strlen(n), 12, 1, name, sizeof name);
        int pad = 12 - (int)text_width(name, strlen(name));
        put(&o, CH_TEXT, "  %s%*s ", name, pad > 0 ? pad : 0, "");
        bar(&o, st->top[i].decisions, rmax, rbar, utf8);
        put(&o, CH_TEXT, " %lld", (long long)st->top[i].decisions);
        put(&o, CH_DIM, "  %lld (%d%%)", (long long)st->top[i].overridden,
            pct(st->top[i].overridden, st->top[i].decisions));
        eol(ctx);
    }
}
