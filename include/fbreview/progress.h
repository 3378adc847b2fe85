#ifndef FBREVIEW_PROGRESS_H
#define FBREVIEW_PROGRESS_H
/* Progress for long work on stderr (count, rate, time left) when stderr is a terminal;
 * silent otherwise. Redraws at most a few times a second. */
#include <stdint.h>

typedef struct fb_progress {
    const char *label;
    int64_t total;       /* 0 when unknown */
    int64_t done;
    int64_t started_ms, last_ms;
    int active;
} fb_progress;

void progress_start(fb_progress *p, const char *label, int64_t total);
void progress_add(fb_progress *p, int64_t n);
void progress_end(fb_progress *p);
#endif
