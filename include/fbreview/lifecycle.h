#ifndef FBREVIEW_LIFECYCLE_H
#define FBREVIEW_LIFECYCLE_H
/* The case lifecycle: ONE table of what may happen to a case, in which status, by whom,
 * and where it leads (DESIGN.md §2). Everything else asks it:
 *   - the decision workflow (core/decision.c) checks each event with lifecycle_may();
 *   - the console's preconditions and queues (tui) ask lifecycle_may() and
 *     lifecycle_queue_of();
 *   - the local store's SQL reads the rows lifecycle_seed() writes into lc_* tables
 *     (views in schema.sql: live_claim, standing_decision, open_conflict, open_rejection,
 *     reviewer_queue, status_queue, counted_violation);
 *   - the upstream judge (upstream_pg.c) joins fb_lc_transition, which `upstream init`
 *     fills from this same table (lifecycle_rows()).
 * Nothing writes these rules a second time. */

#include <stddef.h>
#include <stdint.h>

#include "fbreview/err.h"
#include "fbreview/model.h"
#include "fbreview/store.h"
#include "fbreview/store_queue.h"

/* Who may act, beyond the role. */
#define FB_LC_WHO_TABLE(X)                                                                  \
    X(LC_WHO_ANY, "any", "any reviewer")                                                    \
    X(LC_WHO_OTHER, "other", "a reviewer other than the one who proposed it")                \
    X(LC_WHO_NOT_APPEALED, "not_appealed", "a reviewer other than the one whose decision is appealed") \
    X(LC_WHO_OWN, "own", "the reviewer who made the decision")
typedef enum lc_who {
#define FB_X(e, s, words) e,
    FB_LC_WHO_TABLE(FB_X)
#undef FB_X
    LC_WHO_COUNT
} lc_who;

/* The role an event needs. Recorded here for the upstream roles (issue 11); locally every
 * reviewer holds every role until then (lifecycle_may's role argument). */
#define FB_LC_ROLE_TABLE(X) X(LC_ROLE_REVIEWER, "reviewer") X(LC_ROLE_LEAD, "lead")
typedef enum lc_role {
#define FB_X(e, s) e,
    FB_LC_ROLE_TABLE(FB_X)
#undef FB_X
    LC_ROLE_COUNT
} lc_role;

/* Events: id, stable name, the decision's action (FB_A_NONE: not a decision), whether the
 * decision waits for approval, words for messages. */
#define FB_LC_EVENT_TABLE(X)                                                                   \
    X(LC_EV_DECIDE_NO_VIOLATION, "decide_no_violation", FB_A_NO_VIOLATION, 0, "dismiss")       \
    X(LC_EV_DECIDE_EDUCATION, "decide_education", FB_A_EDUCATION, 0, "educate")                \
    X(LC_EV_DECIDE_SUSPENSION, "decide_suspension", FB_A_SUSPENSION, 0, "suspend")             \
    X(LC_EV_DECIDE_BLOCK, "decide_block", FB_A_BLOCK, 0, "block")                              \
    X(LC_EV_PROPOSE_BLOCK, "propose_block", FB_A_BLOCK, 1, "propose a block")                  \
    X(LC_EV_DECIDE_ESCALATE, "decide_escalate", FB_A_ESCALATE, 0, "escalate")                  \
    X(LC_EV_APPROVE, "approve", FB_A_NONE, 0, "approve the block")                             \
    X(LC_EV_SEND_BACK, "send_back", FB_A_NONE, 0, "send the block back")                       \
    X(LC_EV_APPEAL, "appeal", FB_A_NONE, 0, "appeal")                                          \
    X(LC_EV_UNDO, "undo", FB_A_NONE, 0, "undo")                                                \
    X(LC_EV_CONFLICT_ACCEPT, "conflict_accept", FB_A_NONE, 0, "accept the winning decision")    \
    X(LC_EV_CONFLICT_APPEAL, "conflict_appeal", FB_A_NONE, 0, "appeal the winning decision")    \
    X(LC_EV_DISCARD, "discard", FB_A_NONE, 0, "discard the rejected decision")                 \
    X(LC_EV_CLAIM, "claim", FB_A_NONE, 0, "claim")                                             \
    X(LC_EV_CLAIM_OVERRIDE, "claim_override", FB_A_NONE, 0, "decide despite another's claim")
typedef enum lc_event {
    LC_EV_NONE = -1,
#define FB_X(e, s, action, pending, words) e,
    FB_LC_EVENT_TABLE(FB_X)
#undef FB_X
    LC_EV_COUNT
} lc_event;

/* Targets that are not a status: the status stays, or the status before the decision
 * being undone comes back. */
#define LC_SAME ((fb_case_status)-2)
#define LC_PREV ((fb_case_status)-3)

/* A decision taken from a status where deciding is allowed: each action leads to the
 * same place whatever the status it starts from (checked by test_lifecycle). */
#define FB_LC_DECIDE_FROM(X, from, who, role)                                         \
    X(from, LC_EV_DECIDE_NO_VIOLATION, FB_CS_DECIDED, who, role)                      \
    X(from, LC_EV_DECIDE_EDUCATION, FB_CS_DECIDED, who, role)                         \
    X(from, LC_EV_DECIDE_SUSPENSION, FB_CS_DECIDED, who, role)                        \
    X(from, LC_EV_DECIDE_BLOCK, FB_CS_DECIDED, who, role)                             \
    X(from, LC_EV_PROPOSE_BLOCK, FB_CS_PENDING_APPROVAL, who, role)                   \
    X(from, LC_EV_DECIDE_ESCALATE, FB_CS_ESCALATED, who, role)                        \
    X(from, LC_EV_CLAIM, LC_SAME, LC_WHO_ANY, LC_ROLE_REVIEWER)                        \
    X(from, LC_EV_CLAIM_OVERRIDE, LC_SAME, LC_WHO_ANY, LC_ROLE_REVIEWER)

/* Answers to upstream's refusals touch no status: the case's status is upstream's. */
#define FB_LC_ANSWER_IN(X, from)                                                      \
    X(from, LC_EV_CONFLICT_ACCEPT, LC_SAME, LC_WHO_OWN, LC_ROLE_REVIEWER)             \
    X(from, LC_EV_DISCARD, LC_SAME, LC_WHO_OWN, LC_ROLE_REVIEWER)

/* from status, event, to status, who, role. A (status, event) pair not listed is refused. */
#define FB_LC_TRANSITION_TABLE(X)                                                     \
    FB_LC_DECIDE_FROM(X, FB_CS_OPEN, LC_WHO_ANY, LC_ROLE_REVIEWER)                    \
    FB_LC_DECIDE_FROM(X, FB_CS_ESCALATED, LC_WHO_ANY, LC_ROLE_LEAD)                   \
    FB_LC_DECIDE_FROM(X, FB_CS_APPEALED, LC_WHO_NOT_APPEALED, LC_ROLE_REVIEWER)       \
    X(FB_CS_PENDING_APPROVAL, LC_EV_APPROVE, FB_CS_DECIDED, LC_WHO_OTHER, LC_ROLE_LEAD) \
    X(FB_CS_PENDING_APPROVAL, LC_EV_SEND_BACK, FB_CS_OPEN, LC_WHO_OTHER, LC_ROLE_LEAD) \
    X(FB_CS_DECIDED, LC_EV_APPEAL, FB_CS_APPEALED, LC_WHO_ANY, LC_ROLE_REVIEWER)       \
    X(FB_CS_DECIDED, LC_EV_CONFLICT_APPEAL, FB_CS_APPEALED, LC_WHO_OWN, LC_ROLE_REVIEWER) \
    X(FB_CS_DECIDED, LC_EV_UNDO, LC_PREV, LC_WHO_OWN, LC_ROLE_REVIEWER)                \
    X(FB_CS_PENDING_APPROVAL, LC_EV_UNDO, LC_PREV, LC_WHO_OWN, LC_ROLE_REVIEWER)       \
    X(FB_CS_ESCALATED, LC_EV_UNDO, LC_PREV, LC_WHO_OWN, LC_ROLE_REVIEWER)              \
    FB_LC_ANSWER_IN(X, FB_CS_OPEN)                                                    \
    FB_LC_ANSWER_IN(X, FB_CS_DECIDED)                                                 \
    FB_LC_ANSWER_IN(X, FB_CS_PENDING_APPROVAL)                                        \
    FB_LC_ANSWER_IN(X, FB_CS_ESCALATED)                                               \
    FB_LC_ANSWER_IN(X, FB_CS_APPEALED)

/* Which queue shows which status. The reviewer's own queues (mine, conflicts, rejected)
 * hold cases by what the reviewer did, whatever their status: see lifecycle_seed. */
#define FB_LC_QUEUE_TABLE(X)                  \
    X(FB_CS_OPEN, QUEUE_OPEN)                 \
    X(FB_CS_APPEALED, QUEUE_APPEALS)          \
    X(FB_CS_PENDING_APPROVAL, QUEUE_PENDING)  \
    X(FB_CS_ESCALATED, QUEUE_ESCALATED)       \
    X(FB_CS_DECIDED, QUEUE_DECIDED)

/* A live claim: someone holds the lease and it has not run out (upstream's clock sets
 * until; the same rule is the view live_claim and the judge's claim test). */
int lifecycle_claim_live(const char *claim_by, int64_t claim_until, int64_t now);

const char *lifecycle_event_str(lc_event e);
lc_event lifecycle_event_from_str(const char *s);
const char *lifecycle_event_words(lc_event e);
const char *lifecycle_who_str(lc_who w);
const char *lifecycle_who_words(lc_who w);
const char *lifecycle_role_str(lc_role r);
/* The decision's action for a decide event (FB_A_NONE otherwise) and whether it waits
 * for approval. */
fb_action lifecycle_event_action(lc_event e);
int lifecycle_event_pending(lc_event e);
/* The event a decision is: its action, and whether it waits for approval. */
lc_event lifecycle_decide_event(fb_action a, int pending_approval);

/* One row of the table. */
typedef struct lc_transition {
    fb_case_status from;
    lc_event event;
    fb_case_status to;          /* a status, LC_SAME or LC_PREV */
    lc_who who;
    lc_role role;
} lc_transition;
const lc_transition *lifecycle_rows(size_t *n /* OUT */);
/* The row for (from, event), or NULL when the event is not allowed in that status. */
const lc_transition *lifecycle_find(fb_case_status from, lc_event event);
/* The status after event in from (NULL row: FB_CS_NONE); prev is the status before the
 * decision an undo reverses. */
fb_case_status lifecycle_next(fb_case_status from, lc_event event, fb_case_status prev);

/* Who is acting and what the who-rule needs to know. */
typedef struct lc_actor {
    const char *reviewer;       /* the one acting */
    int roles;                  /* bit (1 << lc_role) per role held; LC_ROLES_ALL until issue 11 */
    const char *proposer;       /* LC_WHO_OTHER: who proposed the block */
    const char *appealed;       /* LC_WHO_NOT_APPEALED: whose decision is appealed */
    const char *owner;          /* LC_WHO_OWN: whose decision it is */
    int appeal_separation;      /* policy: LC_WHO_NOT_APPEALED applies only when on */
} lc_actor;
#define LC_ROLES_ALL ((1 << LC_ROLE_COUNT) - 1)

/* Why an event was refused: a reason code, never a sentence to parse. */
typedef enum lc_verdict {
    LC_OK = 0,
    LC_NOT_IN_STATUS,           /* no row for (status, event) */
    LC_NOT_WHO,                 /* the who-rule refuses this reviewer */
    LC_NOT_ROLE,                /* the reviewer lacks the role */
} lc_verdict;
lc_verdict lifecycle_may(fb_case_status from, lc_event event, const lc_actor *actor,
                         const lc_transition **row /* OUT, may be NULL */);

/* The queue that shows a status (-1 for none). */
int lifecycle_queue_of(fb_case_status st);
/* 1 when some decide event is allowed in the status. */
int lifecycle_decidable(fb_case_status st);

/* Writes the table into the local store's lc_* tables (replacing what is there) when they
 * differ from this binary's; inside a savepoint, so it nests in a caller's transaction.
 * A read-only store is left alone. */
fb_status lifecycle_seed(fb_store *s, fb_err *err);

#endif
