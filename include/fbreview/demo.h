#ifndef FBREVIEW_DEMO_H
#define FBREVIEW_DEMO_H
/* Realistic synthetic cases for demos, benchmarks and signal-accuracy measurements.
 * Everything is a pure function of (seed, index, now): no rand(), and the clock only where
 * the caller reads it. Times are laid out relative to `now` (the moment the demo is made),
 * so a demo shows a working day: most cases fresh, some near their SLA, a few late. The
 * same seed and now always give the same store. */

#include <stdint.h>

#include "fbreview/config.h"
#include "fbreview/err.h"
#include "fbreview/model.h"
#include "fbreview/store.h"

/* 2026-11-24T00:00:00Z: the fixed `now` of demo_case and demo_fill (tests, benchmarks). */
#define FB_DEMO_BASE_MS INT64_C(1795478400000)
/* Cases written per transaction by demo_fill. */
#define FB_DEMO_BATCH 5000

/* What a demo case really is. */
typedef struct fb_demo_truth {
    fb_violation code;       /* FB_V_NONE: no violation */
    /* No violation, but the messages talk about reviews next to money, conditions or
     * relationships without a clear trade: a case the analyser should call "read this case". */
    int ambiguous;
    /* The case belongs to a group of cases that only together show the violation: a
     * feedback ring across cases, or two accounts joined through a third one's links. */
    int cross_case;
} fb_demo_truth;

/* Counts of what demo_fill generated, by ground truth. */
typedef struct fb_demo_counts {
    int64_t honest;                  /* truth FB_V_NONE: pressure-free feedback requests */
    int64_t by_code[FB_V_COUNT];     /* truth = each violation code */
    int64_t ambiguous;               /* honest ones whose messages are unclear (see above) */
    int64_t cross_case;              /* cases in rings or joined clusters */
} fb_demo_counts;

/* One case, its evidence and its ground truth, from (seed, index, now) alone. The case id
 * is "C-" + index zero-padded to 7 digits; index is 0..9999999999 (FB_EINPUT otherwise).
 * Accounts are shared between cases (the same account id always has the same name,
 * country, creation date and prior actions). Cases of a cross-case group are consecutive
 * indices (3k, 3k+1, 3k+2). */
fb_status demo_case_at(uint64_t seed, int64_t index, int64_t now_ms,
                       fb_case **out,           /* OUT: fb_case_free() it */
                       fb_demo_truth *truth,    /* OUT: may be NULL */
                       fb_err *err);
/* demo_case_at at FB_DEMO_BASE_MS, with the violation code only (FB_V_NONE: honest). */
fb_status demo_case(uint64_t seed, int64_t index,
                    fb_case **out,          /* OUT: fb_case_free() it */
                    fb_violation *truth,    /* OUT: may be NULL */
                    fb_err *err);

/* Generates cases with indices 1..n through ingest (origin "local"), FB_DEMO_BATCH per
 * transaction, in bulk mode, with cross-case signals weighed before each commit; progress
 * on stderr when it is a terminal. On failure the batch in progress is rolled back
 * (earlier batches stay). demo_fill uses FB_DEMO_BASE_MS as now. */
fb_status demo_fill(fb_store *s, int64_t n, uint64_t seed, fb_err *err);
/* demo_fill at now_ms that also counts what it generated (counts may be NULL). */
fb_status demo_fill_counted(fb_store *s, int64_t n, uint64_t seed, int64_t now_ms,
                            fb_demo_counts *counts,   /* OUT: may be NULL */
                            fb_err *err);

#endif
