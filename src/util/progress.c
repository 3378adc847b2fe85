/* Progress lines on a terminal's stderr. */
#include "fbreview/progress.h"

#include <stdio.h>
#include <unistd.h>

#include "fbreview/timeutil.h"

static void draw(fb_progress *p, int final)
{
    double secs = (double)(p->last_ms - p->started_ms) / 1000.0;
    double rate = secs > 0 ? (double)p->done / secs : 0;
    if (p->total > 0 && !final && rate > 0)
        fprintf(stderr, "\r%s: %lld/%lld  %.0f/s  %.0fs left   ", p->label, (long long)p->done,
                (long long)p->total, rate, (double)(p->total - p->done) / rate);
    else
        fprintf(stderr, "\r%s: %lld  %.0f/s  %.1fs%s", p->label, (long long)p->done, rate, secs,
                final ? "          \n" : "   ");
    fflush(stderr);
}

void progress_start(fb_progress *p, const char *label, int64_t total)
{
    p->label = label;
    p->total = total;
    p->done = 0;
    p->started_ms = p->last_ms = fb_now_ms();
    p->active = isatty(STDERR_FILENO);
}

void progress_add(fb_progress *p, int64_t n)
{
    p->done += n;
    if (!p->active || (p->done & 1023) != 0)
        return;
    int64_t now = fb_now_ms();
    if (now - p->last_ms >= 200) {
        p->last_ms = now;
        draw(p, 0);
    }
}

void progress_end(fb_progress *p)
{
    if (!p->active)
        return;
    p->last_ms = fb_now_ms();
    draw(p, 1);
}
