#ifndef FBREVIEW_STORE_LEAD_H
#define FBREVIEW_STORE_LEAD_H
/* A lead's view of the store (`:stats`, `fbreview stats --charts`): waiting cases by age,
 * decisions per day, the service level, and per-reviewer counts with override rates.
 * Numbers only; io/charts.c draws them. */
#include <stddef.h>
#include <stdint.h>

#include "fbreview/err.h"
#include "fbreview/store.h"

#define FB_DAY_MS 86400000LL
/* Age buckets of waiting cases: each row's upper edge (exclusive) and its label. */
#define FB_LEAD_AGE_TABLE(X)              \
    X(FB_DAY_MS, "<1d")                   \
    X(2 * FB_DAY_MS, "1-2d")              \
    X(7 * FB_DAY_MS, "2-7d")              \
    X(28 * FB_DAY_MS, "1-4w")             \
    X(91 * FB_DAY_MS, "1-3mo")            \
    X(INT64_MAX, ">3mo")
enum {
#define FB_X(edge, label) +1
    FB_LEAD_AGE_BUCKETS = 0 FB_LEAD_AGE_TABLE(FB_X)
#undef FB_X
};
#define FB_LEAD_DAYS 14        /* decisions per day: this many days, today last */
#define FB_LEAD_REVIEWERS 8    /* the busiest reviewers of those days */

typedef struct fb_lead_reviewer {
    char name[128];
    int64_t decisions, overridden;
} fb_lead_reviewer;

typedef struct fb_lead_stats {
    int64_t now_ms, sla_ms;
    int64_t age[FB_LEAD_AGE_BUCKETS];   /* waiting (not yet decided) cases by age */
    int64_t waiting, breached;          /* waiting cases; of them older than the SLA */
    int64_t day0_ms;                    /* the first day's start (UTC midnight) */
    int64_t per_day[FB_LEAD_DAYS];      /* standing decisions per UTC day, oldest first */
    int64_t decisions, overridden;      /* over those days */
    int64_t decided_late;               /* of them made after the case's SLA ran out */
    fb_lead_reviewer top[FB_LEAD_REVIEWERS];
    size_t n_top;                       /* busiest first */
} fb_lead_stats;

const char *lead_age_label(int bucket);
/* Fills out for the time now_ms and a service level of sla_ms (a full scan of the cases:
 * for a lead's look, not for every key). */
fb_status store_lead_stats(fb_store *s, int64_t now_ms, int64_t sla_ms,
                           fb_lead_stats *out,   /* OUT */
                           fb_err *err);

#endif
