#ifndef FBREVIEW_STORE_STRUCTURE_H
#define FBREVIEW_STORE_STRUCTURE_H
/* Cross-case structure in the local store: feedback rings (accounts that hired each other
 * and praised each other with 5 stars, across cases) and account clusters (accounts joined
 * by a trait that identifies one person, fb_link_joins, in any case).
 *
 * store_case_put keeps the tables current as each case is written (a union-find for the
 * clusters, a praise edge per case for the rings) and marks the cases whose cross-case
 * signals may have changed; ingest_flush weighs them again before the transaction commits.
 * Readers (the console, `show`) ask store_structure_facts, which reads a few indexed rows
 * whatever the size of the store: every list is capped (FB_STRUCT_LIST). */

#include <stddef.h>

#include "fbreview/err.h"
#include "fbreview/model.h"
#include "fbreview/store.h"

/* The rings through this case's praise and the clusters of its accounts. c needs its id,
 * accounts, links, contract, feedback, subject and counterparty (a loaded case has them).
 * fb_structure_clear() the result, also on failure. */
fb_status store_structure_facts(fb_store *s, const fb_case *c,
                                fb_structure *out,      /* OUT */
                                fb_err *err);

/* A store upgraded from before cross-case structure has cases but empty structure tables:
 * 1 while store_structure_rebuild has cases left to add, 0 when done (or never needed). */
int store_structure_needs_rebuild(fb_store *s);
/* Adds up to max cases to the structure, in id order, from where the last call stopped
 * (kept in the store, so a rebuild cut off goes on later); *done = 1 after the last. Inside
 * the caller's transaction; the cases it reaches are marked pending (ingest_flush). */
fb_status store_structure_rebuild(fb_store *s, size_t max,
                                  int *done,      /* OUT */
                                  fb_err *err);

/* Takes (and forgets) up to max case ids whose cross-case signals may have changed;
 * *n = 0 when none is left. Inside the caller's transaction. Free each id and the array. */
fb_status store_structure_pending_take(fb_store *s, size_t max,
                                       char ***ids,      /* OUT */
                                       size_t *n,        /* OUT */
                                       fb_err *err);

#endif
