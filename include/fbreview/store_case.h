#ifndef FBREVIEW_STORE_CASE_H
#define FBREVIEW_STORE_CASE_H
/* Cases and their evidence in the local store. */

#include "fbreview/err.h"
#include "fbreview/model.h"
#include "fbreview/store.h"

/* Writes a case with its evidence, signals and matches (inside the caller's transaction).
 * A case that exists is updated with its evidence replaced (*replaced set to 1, else 0);
 * a case that already has a decision is left alone and FB_ECONFLICT returned. origin is
 * "local" or "upstream". The recommendation is not stored: it depends on the subject's
 * history at decision time, so it is computed then (workflow_recommend). */
fb_status store_case_put(fb_store *s, const fb_case *c, const char *origin,
                         int *replaced,        /* OUT: may be NULL */
                         fb_err *err);

/* store_case_put for a writer that weighs cross-case signals: when the case reaches other
 * cases (store_structure.h), weigh is called after the structure is brought up to date and
 * before the evidence row is written, and may change c's signals, risk and suggested code;
 * the case is not put on the pending list (a later case may put it there). */
typedef fb_status (*store_weigh_fn)(void *ctx, fb_store *s, fb_case *c, fb_err *err);
fb_status store_case_put_weighed(fb_store *s, fb_case *c, const char *origin,
                                 int *replaced,        /* OUT: may be NULL */
                                 store_weigh_fn weigh, void *ctx, fb_err *err);

/* Loads a whole case (evidence, signals, matches, status, claim, accounts' prior actions). */
fb_status store_case_load(fb_store *s, const char *case_id,
                          fb_case **out,      /* OUT: fb_case_free() it */
                          fb_err *err);

/* Replaces the case's signals, risk and suggested code (inside the caller's transaction):
 * for cross-case signals weighed after the case was written (ingest_flush). */
fb_status store_case_set_signals(fb_store *s, const fb_case *c, fb_err *err);

/* 1 if the case has a decision (its evidence and signals stay as the reviewer saw them),
 * 0 if not, -1 on error. */
int store_case_has_decision(fb_store *s, const char *case_id);

/* The case without its payments, messages, phrase matches and prior actions: what
 * weighing its cross-case signals needs (ingest_flush), at a fraction of the cost. */
fb_status store_case_load_brief(fb_store *s, const char *case_id,
                                fb_case **out,      /* OUT: fb_case_free() it */
                                fb_err *err);

/* 1 if the case exists, 0 if not, -1 on error. */
int store_case_exists(fb_store *s, const char *case_id);

#endif
