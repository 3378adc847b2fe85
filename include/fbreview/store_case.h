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

/* Local retention (core/retention.c decides when): cases whose evidence may go, i.e.
 * decided, every live decision synced, the last synced before synced_before (ms), nothing
 * of theirs waiting in the outbox, evidence not yet purged. At most limit, oldest first. */
typedef fb_status (*store_case_id_fn)(void *ctx, const char *case_id, fb_err *err);
fb_status store_case_purgeable(fb_store *s, int64_t synced_before, long limit, store_case_id_fn fn, void *ctx,
                               fb_err *err);
/* Removes a case's evidence (messages and their search entries, account links, the
 * evidence row's contract, payments, feedback, signals, matches and cut records), inside
 * the caller's transaction. What stays: the case row (id, parties, status, risk), its
 * decisions, notes, appeals and audit, and a pointer: the evidence row then holds
 * {"purged": {"at": ms, "days": N}} (store_case_load sets fb_case.purged_at). */
fb_status store_case_purge(fb_store *s, const char *case_id, int64_t at, int days, fb_err *err);

/* Replaces the case's signals, risk and suggested code (inside the caller's transaction):
 * for cross-case signals weighed after the case was written (ingest_flush). */
fb_status store_case_set_signals(fb_store *s, const fb_case *c, fb_err *err);
/* The same, the message matches (highlights) and c->analysis (the fingerprint of the rules
 * they come from): all that analysing the case's evidence again yields (ingest.h), inside
 * the caller's transaction. */
fb_status store_case_set_analysis(fb_store *s, const fb_case *c, fb_err *err);
/* Stale cases: without a decision, and analysed (the "case".analysis fingerprint) with
 * other rules than current; a case written before store version 9 carries no fingerprint
 * and counts as analysed with unmarked (0: stale whatever current is). Up to max ids after
 * the id after ("": from the first), in id order; free each id and the array. */
fb_status store_case_stale_after(fb_store *s, const char *after, uint64_t current, uint64_t unmarked, size_t max,
                                 char ***ids,          /* OUT */
                                 size_t *n,            /* OUT */
                                 fb_err *err);
/* How many stale cases lie after the id after. A scan: for progress and the last check. */
fb_status store_case_stale_count(fb_store *s, const char *after, uint64_t current, uint64_t unmarked,
                                 int64_t *count,       /* OUT */
                                 fb_err *err);

/* 1 if the case has a decision (its evidence and signals stay as the reviewer saw them),
 * 0 if not, -1 on error. */
int store_case_has_decision(fb_store *s, const char *case_id);

/* The case without its payments, messages, phrase matches and prior actions: what
 * weighing its cross-case signals needs (ingest_flush), at a fraction of the cost. */
fb_status store_case_load_brief(fb_store *s, const char *case_id,
                                fb_case **out,      /* OUT: fb_case_free() it */
                                fb_err *err);

/* 1 if the store holds no case at all, 0 if it holds some, -1 on error. */
int store_case_none(fb_store *s);

/* 1 if the case exists, 0 if not, -1 on error. */
int store_case_exists(fb_store *s, const char *case_id);

#endif
