#ifndef FBREVIEW_REANALYSE_H
#define FBREVIEW_REANALYSE_H
/* The console's background re-analysis (ingest.h, "stale cases"): a thread with its own
 * connection to the store walks the stale cases in short batches, one write transaction
 * each, yielding to the console's own writes (STORE_BACKGROUND), so the console opens at
 * once and a decision never waits for more than the batch running. The console analyses
 * the case it shows or decides itself, at once (workflow_case). */

#include <stdint.h>

#include "fbreview/err.h"

typedef struct fb_reanalyser fb_reanalyser;

typedef struct fb_reanalyse_status {
    int active;          /* stale cases are being analysed again now */
    int64_t done;        /* cases analysed again in the current walk */
    int64_t total;       /* done + the stale cases left at the last count; -1: counting */
    int64_t walks;       /* walks finished (the store current and its fingerprint recorded) */
    char error[256];     /* the last failure ("" none): the worker waits for the next nudge */
} fb_reanalyse_status;

/* Opens its own connection to db_path and starts the thread, which looks for stale cases
 * at once. */
fb_status reanalyser_start(const char *db_path, fb_reanalyser **out, fb_err *err);
/* The store changed (the console saw another connection's commit): the rules may have
 * changed, so the worker looks for stale cases again. Never blocks. */
void reanalyser_nudge(fb_reanalyser *r);
void reanalyser_status(fb_reanalyser *r, fb_reanalyse_status *st /* OUT */);
/* Stops after the batch running (if any) and closes the connection. */
void reanalyser_stop(fb_reanalyser **r);

#endif
