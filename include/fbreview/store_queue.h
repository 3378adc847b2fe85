#ifndef FBREVIEW_STORE_QUEUE_H
#define FBREVIEW_STORE_QUEUE_H
/* The console's reads: queue pages (keyset paging on the queue indexes, never OFFSET),
 * queue counts, search, a case's history, marks by account. Which cases a queue holds is
 * the lifecycle's (core/lifecycle.h): the store reads it from lc_queue (the queues of
 * statuses) and the view reviewer_queue (mine, conflicts, rejected). */

#include <stddef.h>
#include <stdint.h>

#include "fbreview/err.h"
#include "fbreview/model.h"
#include "fbreview/store.h"
#include "fbreview/store_decision.h"

#define FB_QUEUE_TABLE(X)                              \
    X(QUEUE_OPEN, "open", "open")                      \
    X(QUEUE_MINE, "mine", "mine")                      \
    X(QUEUE_APPEALS, "appeals", "appeals")             \
    X(QUEUE_PENDING, "pending", "pending approval")    \
    X(QUEUE_ESCALATED, "escalated", "escalated")       \
    X(QUEUE_DECIDED, "decided", "decided")            \
    X(QUEUE_CONFLICTS, "conflicts", "conflicts")      \
    X(QUEUE_REJECTED, "rejected", "rejected")
typedef enum fb_queue {
#define FB_X(e, name, words) e,
    FB_QUEUE_TABLE(FB_X)
#undef FB_X
    QUEUE_COUNT
} fb_queue;
const char *queue_name(fb_queue q);      /* "pending" */
const char *queue_words(fb_queue q);     /* "pending approval" */
int queue_from_name(const char *s);      /* -1 when unknown */

typedef enum fb_sort { SORT_RISK, SORT_AGE, SORT_SLA, SORT_COUNT } fb_sort;
const char *sort_name(fb_sort s);
int sort_from_name(const char *s);       /* -1 when unknown */

typedef struct queue_query {
    fb_queue queue;
    fb_sort sort;
    fb_violation code;          /* FB_V_NONE: any */
    fb_case_status status;      /* FB_CS_NONE: the queue's statuses */
    int risk_min, risk_max;     /* 0..100 */
    const char *reviewer;       /* for the reviewer's own queues (mine, conflicts, rejected) */
} queue_query;

/* One queue row; strings are copies (names are untrusted text: draw them through text.h). */
typedef struct queue_row {
    char id[128];
    int risk;
    fb_violation alleged, suggested;
    fb_case_status status;
    int64_t opened_at;
    char subject_name[192], counterparty_name[192];
    char claim_by[96];
    int64_t claim_until;
} queue_row;

/* Where a page starts: after (dir > 0) or before (dir < 0) the anchor row; without an
 * anchor, the first (dir > 0) or last (dir < 0) page. Backward pages come nearest-first. */
typedef struct queue_anchor {
    int set;
    int risk;
    int64_t opened_at;
    char id[128];
} queue_anchor;

void queue_anchor_from_row(queue_anchor *a, const queue_row *r);

fb_status store_queue_page(fb_store *s, const queue_query *q, const queue_anchor *anchor, int dir,
                           queue_row *rows,  /* OUT: up to n */
                           size_t n,
                           size_t *got,      /* OUT */
                           fb_err *err);

/* How many rows the query has (no anchor), or has after (dir > 0) or before (dir < 0) the
 * anchor row in display order, counting no further than cap + 1 (more than cap: cap + 1):
 * the "n of N" of the console's queue pane. It reads the rows it counts, so the cap bounds
 * its time on a large queue. */
fb_status store_queue_count(fb_store *s, const queue_query *q, const queue_anchor *anchor, int dir,
                            int64_t cap,
                            int64_t *out,   /* OUT: 0..cap+1 */
                            fb_err *err);

/* One case as a queue row; FB_ENOTFOUND when missing. */
fb_status store_queue_row(fb_store *s, const char *case_id, queue_row *row, fb_err *err);
/* 1 if the row belongs to the query's queue and passes its filters, 0 if not, -1 on error. */
int store_queue_has(fb_store *s, const queue_query *q, const queue_row *r);

/* The queue's display order: < 0 when a comes before b under sort. */
int queue_row_cmp(fb_sort sort, const queue_row *a, const queue_row *b);

/* Counts per queue (computed at start and after each decision, not per keypress) and
 * unsynced decisions. */
typedef struct queue_counts {
    int64_t n[QUEUE_COUNT];
    int64_t pending_sync;
} queue_counts;
fb_status store_queue_counts(fb_store *s, const char *reviewer, queue_counts *out, fb_err *err);

/* Search case ids (prefix), account names (substring, from three characters: a trigram
 * index) and message text (FTS5 words); calls fn with each matching case id once, up to
 * max. in: only the cases of that queue under its filter (NULL: the whole store, ids
 * first); each index is read up to a bound, so *partial (OUT, may be NULL) is 1 when
 * fewer than max hits were found and an index held more candidates than were read. */
typedef void (*store_id_fn)(void *ctx, const char *case_id);
fb_status store_search(fb_store *s, const queue_query *in, const char *term, size_t max, store_id_fn fn, void *ctx,
                       int *partial, fb_err *err);

/* Open cases whose subject is account (cluster: or any account of its cluster, store_structure.h). */
fb_status store_cases_of_account(fb_store *s, const char *account_id, int cluster, size_t max, store_id_fn fn,
                                 void *ctx, fb_err *err);

/* A case's history, oldest first: its decisions, appeals, notes and audit entries, and the
 * parties' earlier actions (imported or pulled, and decisions on their other cases). Rows
 * are data, never sentences: core/describe.c puts them in words for every reader. */
#define FB_HIST_TABLE(X)                    \
    X(FB_HIST_DECISION, "decision")         \
    X(FB_HIST_APPEAL, "appeal")             \
    X(FB_HIST_NOTE, "note")                 \
    X(FB_HIST_AUDIT, "audit")               \
    X(FB_HIST_PRIOR, "earlier")             \
    X(FB_HIST_EARLIER, "earlier")
typedef enum fb_hist_kind {
#define FB_X(e, s) e,
    FB_HIST_TABLE(FB_X)
#undef FB_X
    FB_HIST_COUNT
} fb_hist_kind;
const char *fb_hist_str(fb_hist_kind k);

/* One history row; strings live until the callback returns and are untrusted text. */
typedef struct fb_history_row {
    fb_hist_kind kind;
    int64_t at;
    const char *who;              /* the reviewer or actor; an account id for earlier actions */
    /* decisions (FB_HIST_DECISION), and the action of earlier ones (PRIOR, EARLIER) */
    fb_action action;
    fb_violation violation;
    int days;
    int overridden;
    fb_approval approval;
    const char *approved_by;
    int undone;
    fb_sync_state sync_state;
    const char *resolution;       /* the answer to a conflict or rejection, or NULL */
    const char *upstream_note;    /* upstream's reason on a conflict or rejection */
    const char *winner;           /* a conflict's winning decision id, or NULL */
    const char *text;             /* rationale (decision), appeal or note text, audit detail (JSON) */
    const char *audit_kind;       /* FB_HIST_AUDIT: what was recorded ("decision", "undo", ...) */
    const char *source;           /* FB_HIST_PRIOR: "import" | "upstream" */
    const char *other_case;       /* FB_HIST_EARLIER: the other case's id */
} fb_history_row;
typedef void (*store_history_fn)(void *ctx, const fb_history_row *row);
fb_status store_case_history(fb_store *s, const char *case_id, const char *subject, const char *counterparty,
                             store_history_fn fn, void *ctx, fb_err *err);

/* The pending (awaiting approval) decision of a case; FB_ENOTFOUND when none. */
fb_status store_case_pending_block(fb_store *s, const char *case_id, char id[37], fb_err *err);
/* 1 if reviewer has a decision that is not synced and not undone. */
int store_has_unsynced(fb_store *s, const char *reviewer);
/* 1 if reviewer has an unresolved conflicting decision on this case — for "conflicts". */
int store_conflict_open(fb_store *s, const char *case_id, const char *reviewer);
/* 1 if reviewer has a rejected decision on this case not yet discarded or decided again. */
int store_rejection_open(fb_store *s, const char *case_id, const char *reviewer);

#endif
