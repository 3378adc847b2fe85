#ifndef FBREVIEW_STORE_SYNC_H
#define FBREVIEW_STORE_SYNC_H
/* The local side of sync: the outbox in flight, outcomes, and what a pull brings in.
 * Every call runs inside the caller's transaction unless it says otherwise. */

#include <stddef.h>
#include <stdint.h>

#include "fbreview/err.h"
#include "fbreview/store.h"

typedef struct store_outbox_row {
    int64_t seq;
    char *kind, *ref, *payload;
    char *case_id, *decision_id, *supersedes;  /* decisions: payload fields (NULL when absent) */
    /* decisions: more payload fields as text, for upstream's typed staging columns */
    char *reviewer, *action, *violation, *days, *decided_at, *approval, *claim_override;
    char *policy_version;         /* decisions: the policy version it was recommended under, or NULL */
    int64_t sent_at;              /* 0 = not yet in flight */
    int well_formed;              /* decisions: the fields upstream needs have their types */
} store_outbox_row;

/* The first `limit` outbox rows after after_seq, in order (in-flight ones included: they
 * are re-pushed). */
fb_status store_sync_outbox_peek(fb_store *s, int64_t after_seq, size_t limit,
                                 store_outbox_row **rows,   /* OUT: store_sync_rows_free() */
                                 size_t *n,                 /* OUT */
                                 fb_err *err);
/* The same, only rows before before_seq (INT64_MAX: all), stopping early once the rows
 * read hold max_bytes of text (at least one row is read): a batch's memory stays bounded
 * whatever the payloads' size. */
fb_status store_sync_outbox_peek_bytes(fb_store *s, int64_t after_seq, int64_t before_seq, size_t limit,
                                       size_t max_bytes,
                                       store_outbox_row **rows,   /* OUT: store_sync_rows_free() */
                                       size_t *n,                 /* OUT */
                                       fb_err *err);
/* The undo window (window_ms) and a console's holds: the first unsent row not yet
 * released at now (INT64_MAX when none); it and every row behind it wait, so the outbox
 * keeps its order. A hold counts even when window_ms is 0. */
fb_status store_sync_outbox_held_seq(fb_store *s, int64_t now, int64_t window_ms,
                                     int64_t *seq,   /* OUT */
                                     fb_err *err);
/* The next time after now an unsent row is released (0: none waits). */
fb_status store_sync_outbox_next_release(fb_store *s, int64_t now, int64_t window_ms,
                                         int64_t *at,   /* OUT */
                                         fb_err *err);
/* When the reviewer's newest still-unsent decision is released (0: none), for the
 * console's undo countdown. */
int64_t store_sync_undo_until(fb_store *s, const char *reviewer, int64_t window_ms);
void store_sync_rows_free(store_outbox_row **rows, size_t n);
/* Marks rows up to last_seq in flight (sent_at = now where unset). */
fb_status store_sync_outbox_mark_sent(fb_store *s, int64_t last_seq, int64_t now, fb_err *err);
/* Upstream answered an item: a decision gets its sync_state ("synced", "conflict",
 * "rejected"), synced_at, upstream's note and the winner's id (conflicts); the outbox row
 * is deleted. A refused item's case takes upstream's status again (upstream_status; for
 * a case upstream never had, the status before the refused decision) once nothing else
 * of ours on it waits for an answer. */
fb_status store_sync_outbox_done(fb_store *s, int64_t seq, const char *kind, const char *ref,
                                 const char *state, const char *note, const char *winner, int64_t now,
                                 fb_err *err);

/* The case takes upstream's status again (as last pulled) when nothing of ours on it
 * waits for an answer: after an undo, the status before the decision may be older than
 * what a pull brought meanwhile. A case upstream never had keeps its status. */
fb_status store_sync_case_resettle(fb_store *s, const char *case_id, fb_err *err);

/* Puts a row back to unsent and keeps it (an outbox kind unknown to this binary: refused,
 * never taken as done and never deleted). */
fb_status store_sync_outbox_keep(fb_store *s, int64_t seq, fb_err *err);

/* Upstream accepted every row of a batch still in the outbox (and in flight) with
 * first_seq <= seq <= last_seq (a batch is a contiguous run of the outbox; answer its other rows first with
 * store_sync_outbox_done): their decisions become "synced" and the rows are deleted, in
 * two set-based statements. */
fb_status store_sync_outbox_done_range(fb_store *s, int64_t first_seq, int64_t last_seq, int64_t now, fb_err *err);

/* Counts for the status line; conflicts and rejections: those no reviewer has answered
 * yet (the views open_conflict and open_rejection). */
fb_status store_sync_counts(fb_store *s, int64_t *pending, int64_t *in_flight, int64_t *conflicts,
                            int64_t *rejected, fb_err *err);
/* Decisions upstream rejected (kept on record, never applied): `stats` counts them. */
fb_status store_sync_rejected_count(fb_store *s,
                                    int64_t *out,     /* OUT */
                                    fb_err *err);
/* Each decision upstream rejected at or after since_ms (when its answer was recorded),
 * oldest first, with upstream's reason (NULL when none): `sync --watch` reports them. */
typedef void (*store_rejected_fn)(void *ctx, const char *decision_id, const char *case_id, const char *reason,
                                  int64_t answered_at);
fb_status store_sync_rejected_since(fb_store *s, int64_t since_ms, store_rejected_fn fn, void *ctx, fb_err *err);

/* ---- pull ---- */
/* 1 when the case has a decision that is not undone and not yet answered upstream
 * (local state wins until the push resolves it), 0 if not, -1 on error. */
int store_sync_case_has_pending(fb_store *s, const char *case_id);
/* Keeps a pulled case's upstream status, and makes it the case's status unless a local
 * decision on the case waits for upstream's answer. */
fb_status store_sync_case_status(fb_store *s, const char *case_id, const char *status, fb_err *err);

/* Another console's accepted decision, as pulled. */
typedef struct store_sync_decision {
    const char *id, *case_id, *reviewer, *action, *violation, *rationale;
    const char *rec_action, *rec_violation, *notice, *supersedes, *approval;
    int64_t days, rec_days, decided_at;   /* days/rec_days < 0: none */
    int overridden, claim_override;
    int64_t policy_version;               /* 0: none */
} store_sync_decision;
/* Inserts it as synced when missing (1 = inserted, 0 = known already) and resolves the
 * appeals on the decision it supersedes (appeal.resolved_by). The case's status is not
 * touched: the pull's case rows carry upstream's. */
fb_status store_sync_put_decision(fb_store *s, const store_sync_decision *d, int64_t now,
                                  int *inserted,   /* OUT */
                                  fb_err *err);
/* An appeal already answered by a pulled superseding decision is stored resolved. The
 * case's status comes with the pull's case rows. */
fb_status store_sync_put_appeal(fb_store *s, const char *id, const char *decision_id, const char *case_id,
                                const char *text, int64_t received_at, fb_err *err);
fb_status store_sync_put_approval(fb_store *s, const char *decision_id, const char *approval, const char *by,
                                  int64_t at, const char *rationale, fb_err *err);
fb_status store_sync_put_prior(fb_store *s, const char *account_id, const char *action, const char *violation,
                               int64_t at, fb_err *err);
/* Another console's note (or our own, back from upstream): inserted unless a note with
 * the same (case_id, reviewer, at, text) is here, or the case is not (1 = inserted). */
fb_status store_sync_put_note(fb_store *s, const char *case_id, const char *reviewer, int64_t at, const char *text,
                              int *inserted,   /* OUT */
                              fb_err *err);
/* Reflects a lease on the case (claim_by/claim_until); by NULL clears it. */
fb_status store_sync_put_claim(fb_store *s, const char *case_id, const char *by, int64_t until_ms, fb_err *err);

#endif
