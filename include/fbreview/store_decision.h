#ifndef FBREVIEW_STORE_DECISION_H
#define FBREVIEW_STORE_DECISION_H
/* The decision workflow's rows in the local store: decisions, appeals, notes, the outbox
 * and the audit chain. Every writer here runs inside the caller's transaction
 * (store_begin ... store_commit); core/decision.c decides what to write. */

#include <stddef.h>
#include <stdint.h>

#include "fbreview/err.h"
#include "fbreview/model.h"
#include "fbreview/outbox.h"
#include "fbreview/store.h"

/* decision.approval: the stored word, and the word every output uses (export, show,
 * show --json, the console), where a block the second reviewer refused is "sent_back". */
#define FB_APPROVAL_TABLE(X)                          \
    X(FB_APPR_NONE, "none", "none")                   \
    X(FB_APPR_PENDING, "pending", "pending")          \
    X(FB_APPR_APPROVED, "approved", "approved")       \
    X(FB_APPR_REJECTED, "rejected", "sent_back")
typedef enum fb_approval {
    FB_APPR_UNKNOWN = -1,
#define FB_X(e, s, out) e,
    FB_APPROVAL_TABLE(FB_X)
#undef FB_X
    FB_APPR_COUNT
} fb_approval;
const char *fb_approval_str(fb_approval a);          /* the stored word */
fb_approval fb_approval_from_str(const char *s);
const char *fb_approval_word(fb_approval a);         /* the output word; "none" when unknown */

/* One decision row. Strings are malloc'd (store_decision_row_clear frees them). */
typedef struct fb_decision_row {
    char id[37];
    char *case_id;
    char *reviewer;
    fb_action action;
    fb_violation violation;       /* FB_V_NONE when the action carries none */
    int days;                     /* suspension only, else 0 */
    char *rationale;
    fb_action rec_action;
    fb_violation rec_violation;
    int rec_days;
    int overridden;
    char *notice;
    int64_t decided_at;
    char supersedes[37];          /* "" when none */
    fb_case_status prior_status;  /* the case's status before it (undo and refusals restore it) */
    fb_approval approval;
    char *approved_by;            /* who approved or sent back (approval_by in outputs) */
    int64_t approved_at;
    char *approval_rationale;     /* the second reviewer's reason (a send-back's is required) */
    int claim_override;
    int policy_version;           /* the team policy it was recommended under (0: local config) */
    int64_t undone_at;            /* 0 while standing */
    fb_sync_state sync_state;
    int64_t synced_at;
    char *upstream_note;          /* upstream's answer on conflict/reject, or NULL */
    char conflict_winner[37];     /* conflict: the decision that won (upstream's field), or "" */
    /* The answer to a conflict (conflict_resolution) or a rejection (rejection_answer): */
    int64_t conflict_resolved_at; /* 0 while unanswered */
    char conflict_resolution[12]; /* "accepted", "appealed", "discarded", "redecided" or "" */
} fb_decision_row;

void store_decision_row_clear(fb_decision_row *d);

fb_status store_decision_insert(fb_store *s, const fb_decision_row *d, fb_err *err);
/* FB_ENOTFOUND with a sentence when there is no such decision. */
fb_status store_decision_load(fb_store *s, const char *id, fb_decision_row *out, fb_err *err);
/* The case's standing decision (view standing_decision: its newest decision not undone,
 * not refused upstream, not a block sent back): 1 found, 0 none, -1 error (err set). */
int store_decision_latest_for_case(fb_store *s, const char *case_id, fb_decision_row *out, fb_err *err);
/* The newest decision of the case on record (view recorded_decision: not undone, not
 * refused upstream; a block sent back included): 1 found, 0 none, -1 error. */
int store_decision_newest_for_case(fb_store *s, const char *case_id, fb_decision_row *out, fb_err *err);
/* The reviewer's newest decision that is not undone: 1 found, 0 none, -1 error. */
int store_decision_last_by(fb_store *s, const char *reviewer, fb_decision_row *out, fb_err *err);
/* Every decision of a case, oldest first (undone ones included). */
typedef fb_status (*store_decision_fn)(void *ctx, const fb_decision_row *d, fb_err *err);
fb_status store_decision_each_for_case(fb_store *s, const char *case_id, store_decision_fn fn, void *ctx,
                                       fb_err *err);
fb_status store_decision_set_approval(fb_store *s, const char *id, fb_approval a, const char *by, int64_t at,
                                      const char *rationale, fb_err *err);
fb_status store_decision_set_undone(fb_store *s, const char *id, int64_t at, fb_err *err);

/* Conflicts: decisions upstream refused because another one won the case. */
/* The reviewer's unresolved conflicting decision on a case: 1 found, 0 none, -1 error. */
int store_decision_open_conflict(fb_store *s, const char *case_id, const char *reviewer, fb_decision_row *out,
                                 fb_err *err);
/* The decision that won against a conflicting one, as far as this store knows it: the one
 * upstream named (conflict_winner), else the newest synced decision of the case that is
 * not the loser. 1 found, 0 not (yet) in this store, -1 error. */
int store_decision_conflict_winner(fb_store *s, const fb_decision_row *loser, fb_decision_row *out, fb_err *err);
/* Records the reviewer's resolution ("accepted" | "appealed"); FB_ECONFLICT when the
 * decision is not an unresolved conflict any more. */
fb_status store_decision_resolve_conflict(fb_store *s, const char *id, const char *resolution, int64_t at,
                                          fb_err *err);
/* Rejections: decisions upstream rejected. The reviewer's unanswered one on a case:
 * 1 found, 0 none, -1 error. */
int store_decision_open_rejection(fb_store *s, const char *case_id, const char *reviewer, fb_decision_row *out,
                                  fb_err *err);
/* Records the answer to a rejection: "discarded" for one decision (FB_ECONFLICT when it
 * is not an unanswered rejection), or "redecided" for every unanswered rejection of the
 * reviewer on the case (id NULL, case_id and reviewer set). */
fb_status store_decision_resolve_rejection(fb_store *s, const char *id, const char *case_id, const char *reviewer,
                                           const char *resolution, int64_t at, fb_err *err);

/* The case's status (updated_at refreshed). */
fb_status store_case_set_status(fb_store *s, const char *case_id, fb_case_status st, fb_err *err);

/* Appeals. */
typedef struct fb_appeal_row {
    char id[37];
    char decision_id[37];
    char *case_id;
    char *text;
    int64_t received_at;
    char resolved_by[37];         /* "" while open */
} fb_appeal_row;
void store_appeal_row_clear(fb_appeal_row *a);
fb_status store_appeal_insert(fb_store *s, const fb_appeal_row *a, fb_err *err);
/* The case's unresolved appeal: 1 found, 0 none, -1 error. */
int store_appeal_open_for_case(fb_store *s, const char *case_id, fb_appeal_row *out, fb_err *err);
/* Sets resolved_by (decision_id NULL clears it, for an undone appeal decision). */
fb_status store_appeal_resolve(fb_store *s, const char *appeal_id, const char *decision_id, fb_err *err);
/* The appeal a decision resolved: 1 found, 0 none, -1 error. */
int store_appeal_resolved_by(fb_store *s, const char *decision_id, fb_appeal_row *out, fb_err *err);
/* Every appeal of a case, oldest first; the row is only valid during the call. */
typedef fb_status (*store_appeal_fn)(void *ctx, const fb_appeal_row *a, fb_err *err);
fb_status store_appeal_each_for_case(fb_store *s, const char *case_id, store_appeal_fn fn, void *ctx, fb_err *err);

/* Notes. */
fb_status store_note_insert(fb_store *s, const char *case_id, const char *reviewer, int64_t at, const char *text,
                            fb_err *err);
typedef fb_status (*store_note_fn)(void *ctx, const char *reviewer, int64_t at, const char *text, fb_err *err);
fb_status store_note_each_for_case(fb_store *s, const char *case_id, store_note_fn fn, void *ctx, fb_err *err);

/* Outbox (see schema.sql for payloads and the in-flight protocol). */
fb_status store_outbox_add(fb_store *s, outbox_kind kind, const char *ref, const char *payload, int64_t at,
                           fb_err *err);
enum { OUTBOX_NONE = 0, OUTBOX_UNSENT = 1, OUTBOX_IN_FLIGHT = 2 };
/* OUTBOX_* for the row (kind, ref), -1 on error. */
int store_outbox_state(fb_store *s, outbox_kind kind, const char *ref, fb_err *err);
/* Deletes the unsent row (kind, ref); FB_ECONFLICT when none was deleted. */
fb_status store_outbox_delete_unsent(fb_store *s, outbox_kind kind, const char *ref, fb_err *err);

/* Holds the unsent row (kind, ref) until `until` (ms UTC; 0 lifts the hold): the push
 * leaves it, and every row behind it, for later (store_sync_outbox_held_seq). 1 when the
 * row was unsent, 0 when none was, -1 on error. */
int store_outbox_hold(fb_store *s, outbox_kind kind, const char *ref, int64_t until, fb_err *err);

/* Audit rows (core/audit.c computes the hashes). */
typedef struct fb_audit_row {
    int64_t seq;
    int64_t at;
    const char *actor, *kind, *case_id, *ref, *detail;   /* case_id/ref may be NULL */
    char prev_hash[65];
    char hash[65];
} fb_audit_row;
/* The last row's seq and hash; seq 0 and hash "" when the chain is empty. */
fb_status store_audit_last(fb_store *s, int64_t *seq, char hash[65], fb_err *err);
fb_status store_audit_insert(fb_store *s, const fb_audit_row *a, fb_err *err);
/* Every row in seq order; the row's strings live until fn returns. */
typedef fb_status (*store_audit_fn)(void *ctx, const fb_audit_row *a, fb_err *err);
fb_status store_audit_each(fb_store *s, store_audit_fn fn, void *ctx, fb_err *err);

/* Case ids for bulk decisions (malloc'd array of malloc'd strings; store_ids_free). */
typedef struct fb_ids {
    char **v;
    size_t n;
} fb_ids;
void store_ids_free(fb_ids *ids);
/* Open or claimed cases whose subject is the account, by id. */
fb_status store_cases_of_subject(fb_store *s, const char *account, fb_ids *out, fb_err *err);
/* Open or claimed cases whose subject is in the account's cluster: the accounts linked to it
 * through account_link, transitively, at most max_accounts of them. */
fb_status store_cases_of_cluster(fb_store *s, const char *account, int max_accounts, fb_ids *out, fb_err *err);

#endif
