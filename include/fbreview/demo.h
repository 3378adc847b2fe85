#ifndef FBREVIEW_DEMO_H
#define FBREVIEW_DEMO_H
/* Realistic synthetic cases for demos, benchmarks and signal-accuracy measurements.
 * Everything is a pure function of (seed, index): no rand(), no clock. Times are laid out
 * relative to a fixed base (FB_DEMO_BASE_MS), so the same seed always gives the same store. */

#include <stdint.h>

#include "fbreview/config.h"
#include "fbreview/err.h"
#include "fbreview/model.h"
#include "fbreview/store.h"

/* 2026-11-24T00:00:00Z: cases open over the 14 days before this instant. */
#define FB_DEMO_BASE_MS INT64_C(1795478400000)
/* Cases written per transaction by demo_fill. */
#define FB_DEMO_BATCH 5000

/* Counts of what demo_fill generated, by ground truth. */
typedef struct fb_demo_counts {
    int64_t honest;                  /* truth FB_V_NONE: pressure-free feedback requests */
    int64_t by_code[FB_V_COUNT];     /* truth = each violation code */
} fb_demo_counts;

/* One case, its evidence and its ground truth, from (seed, index) alone. The case id is
 * "C-" + index zero-padded to 7 digits; index is 0..9999999999 (FB_EINPUT otherwise). Accounts are shared between cases (the same
 * account id always has the same name, country, creation date and prior actions). */
fb_status demo_case(uint64_t seed, int64_t index,
                    fb_case **out,          /* OUT: fb_case_free() it */
                    fb_violation *truth,    /* OUT: FB_V_NONE for an honest case; may be NULL */
                    fb_err *err);

/* Generates cases with indices 1..n through ingest_case (origin "local"), FB_DEMO_BATCH per
 * transaction, in bulk mode; progress on stderr when it is a terminal. On failure the
 * batch in progress is rolled back (earlier batches stay). */
fb_status demo_fill(fb_store *s, int64_t n, uint64_t seed, fb_err *err);
/* demo_fill that also counts what it generated (counts may be NULL). */
fb_status demo_fill_counted(fb_store *s, int64_t n, uint64_t seed,
                            fb_demo_counts *counts,   /* OUT: may be NULL */
                            fb_err *err);

#endif
