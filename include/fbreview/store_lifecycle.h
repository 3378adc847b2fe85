#ifndef FBREVIEW_STORE_LIFECYCLE_H
#define FBREVIEW_STORE_LIFECYCLE_H
/* The lifecycle's rows in the local store (lc_transition, lc_event, lc_queue, lc_action):
 * the data the views of schema.sql read, and the view live_claim, whose condition is
 * core's claim rule as SQL. core/lifecycle.c owns the rules and writes them here
 * (lifecycle_seed); the store never spells them out itself. */

#include <stddef.h>

#include "fbreview/err.h"
#include "fbreview/store.h"

typedef enum store_lc_table {
    STORE_LC_TRANSITION,   /* from_status, event, to_status ("same" | "prev" | status), who, role */
    STORE_LC_EVENT,        /* event, action (NULL: not a decision), pending ("0" | "1") */
    STORE_LC_QUEUE,        /* status, queue */
    STORE_LC_ACTION,       /* action, counts as a violation ("0" | "1") */
    STORE_LC_CLAIM_LIVE,   /* an SQL condition over holder, until_ms and now_ms (lifecycle.h's
                            * LC_CLAIM_LIVE_SQL): the view live_claim is written from it */
} store_lc_table;

typedef struct store_lc_row {
    store_lc_table table;
    const char *v[5];
} store_lc_row;

/* Replaces the four tables' rows and the view live_claim with these when they differ from
 * what the store holds (a fingerprint in sync_state 'lifecycle'); a savepoint, so it nests
 * in a transaction. Nothing is written to a read-only store. */
fb_status store_lifecycle_put(fb_store *s, const store_lc_row *rows, size_t n, fb_err *err);

#endif
