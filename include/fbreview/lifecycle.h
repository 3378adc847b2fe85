#ifndef FBREVIEW_LIFECYCLE_H
#define FBREVIEW_LIFECYCLE_H
/* The case lifecycle: ONE table of what may happen to a case, in which status, by whom,
 * and where it leads (DESIGN.md §2). Everything else asks it:
 *   - the decision workflow (core/decision.c) checks each event with lifecycle_may();
 *   - the console's preconditions and queues (tui) ask lifecycle_may() and
 *     lifecycle_queue_of();
 *   - the local store's SQL reads the rows lifecycle_seed() writes into lc_* tables
 *     (views in schema.sql: standing_decision, open_conflict, open_rejection,
 *     reviewer_queue, status_queue, counted_violation) and the view live_claim, which
 *     lifecycle_seed() writes from LC_CLAIM_LIVE_SQL;
 *   - the upstream judge, fb_lc_may in upstream.sql, reads only the fb_lc_* rows that
 *     `upstream init` writes from these tables (upstream_pg.c: statuses, transitions,
 *     events, who values, roles, the [policy] settings they name) and fb_lc_claim_live,
 *     written from LC_CLAIM_LIVE_SQL; fb_case's status CHECK and fb_approval's answer
 *     CHECK are written from the status rows and the approval events' answers.
 * Nothing writes these rules a second time. */

#include <stddef.h>
#include <stdint.h>

#include "fbreview/config.h"
#include "fbreview/err.h"
#include "fbreview/model.h"
#include "fbreview/store.h"
#include "fbreview/store_decision.h"
#include "fbreview/store_queue.h"

/* Whom the who-rule compares the one acting with. */
#define FB_LC_SUBJECT_TABLE(X)                                                              \
    X(LC_SUBJ_NONE, "none") X(LC_SUBJ_PROPOSER, "proposer") X(LC_SUBJ_APPEALED, "appealed") \
    X(LC_SUBJ_OWNER, "owner")
typedef enum lc_subject {
#define FB_X(e, s) e,
    FB_LC_SUBJECT_TABLE(FB_X)
#undef FB_X
    LC_SUBJ_COUNT
} lc_subject;

/* Who may act, beyond the role: the meaning of each value, defined here once (the local
 * judge, lifecycle_may, and upstream's fb_lc_may read these columns). id, name, the
 * subject compared with the one acting, 1 = must be the subject / 0 = must not be, the
 * [policy] switch that turns the rule off (OPT_COUNT: none), words. */
#define FB_LC_WHO_TABLE(X)                                                                          \
    X(LC_WHO_ANY, "any", LC_SUBJ_NONE, 0, OPT_COUNT, "any reviewer")                                \
    X(LC_WHO_OTHER, "other", LC_SUBJ_PROPOSER, 0, OPT_COUNT, "a reviewer other than the one who proposed it") \
    X(LC_WHO_NOT_APPEALED, "not_appealed", LC_SUBJ_APPEALED, 0, OPT_POLICY_APPEAL_SEPARATION,      \
      "a reviewer other than the one whose decision is appealed")                                   \
    X(LC_WHO_OWN, "own", LC_SUBJ_OWNER, 1, OPT_COUNT, "the reviewer who made the decision")
typedef enum lc_who {
#define FB_X(e, s, subj, must_be, sw, words) e,
    FB_LC_WHO_TABLE(FB_X)
#undef FB_X
    LC_WHO_COUNT
} lc_who;

/* The role an event needs: id, name, the upstream group role that holds it (NULL: the
 * role is the one a [policy] setting names), that setting (OPT_COUNT: none), words.
 * Locally every reviewer holds every role (lifecycle_may's role argument); upstream
 * (fb_lc_may) asks the login's membership of the group. */
#define FB_LC_ROLE_TABLE(X)                                                                       \
    X(LC_ROLE_REVIEWER, "reviewer", "fbreview_reviewer", OPT_COUNT, "a reviewer")                 \
    X(LC_ROLE_LEAD, "lead", "fbreview_lead", OPT_COUNT, "a lead")                                 \
    X(LC_ROLE_APPROVER, "approver", NULL, OPT_POLICY_APPROVER_ROLE, "the approver role of the policy")
typedef enum lc_role {
#define FB_X(e, s, group, setting, words) e,
    FB_LC_ROLE_TABLE(FB_X)
#undef FB_X
    LC_ROLE_COUNT
} lc_role;

/* The status of a new case; a case back in it has no standing decision. */
#define LC_INITIAL FB_CS_OPEN

/* Events: id, stable name, the decision's action (FB_A_NONE: not a decision), whether the
 * decision waits for approval, the answer an approval event records (FB_APPR_NONE: not
 * one), words for messages. */
#define FB_LC_EVENT_TABLE(X)                                                                                 \
    X(LC_EV_DECIDE_NO_VIOLATION, "decide_no_violation", FB_A_NO_VIOLATION, 0, FB_APPR_NONE, "dismiss")       \
    X(LC_EV_DECIDE_EDUCATION, "decide_education", FB_A_EDUCATION, 0, FB_APPR_NONE, "educate")                \
    X(LC_EV_DECIDE_SUSPENSION, "decide_suspension", FB_A_SUSPENSION, 0, FB_APPR_NONE, "suspend")             \
    X(LC_EV_DECIDE_BLOCK, "decide_block", FB_A_BLOCK, 0, FB_APPR_NONE, "block")                              \
    X(LC_EV_PROPOSE_BLOCK, "propose_block", FB_A_BLOCK, 1, FB_APPR_NONE, "propose a block")                  \
    X(LC_EV_DECIDE_ESCALATE, "decide_escalate", FB_A_ESCALATE, 0, FB_APPR_NONE, "escalate")                  \
    X(LC_EV_APPROVE, "approve", FB_A_NONE, 0, FB_APPR_APPROVED, "approve the block")                         \
    X(LC_EV_SEND_BACK, "send_back", FB_A_NONE, 0, FB_APPR_REJECTED, "send the block back")                   \
    X(LC_EV_APPEAL, "appeal", FB_A_NONE, 0, FB_APPR_NONE, "appeal")                                          \
    X(LC_EV_UNDO, "undo", FB_A_NONE, 0, FB_APPR_NONE, "undo")                                                \
    X(LC_EV_CONFLICT_ACCEPT, "conflict_accept", FB_A_NONE, 0, FB_APPR_NONE, "accept the winning decision")    \
    X(LC_EV_CONFLICT_APPEAL, "conflict_appeal", FB_A_NONE, 0, FB_APPR_NONE, "appeal the winning decision")    \
    X(LC_EV_DISCARD, "discard", FB_A_NONE, 0, FB_APPR_NONE, "discard the rejected decision")                 \
    X(LC_EV_CLAIM, "claim", FB_A_NONE, 0, FB_APPR_NONE, "claim")                                             \
    X(LC_EV_CLAIM_OVERRIDE, "claim_override", FB_A_NONE, 0, FB_APPR_NONE, "decide despite another's claim")
typedef enum lc_event {
    LC_EV_NONE = -1,
#define FB_X(e, s, action, pending, appr, words) e,
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
    X(FB_CS_PENDING_APPROVAL, LC_EV_APPROVE, FB_CS_DECIDED, LC_WHO_OTHER, LC_ROLE_APPROVER) \
    X(FB_CS_PENDING_APPROVAL, LC_EV_SEND_BACK, FB_CS_OPEN, LC_WHO_OTHER, LC_ROLE_APPROVER) \
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
 * until). LC_CLAIM_LIVE_SQL is the same rule as an SQL expression over holder, until_ms and
 * now_ms, valid in SQLite and PostgreSQL: `upstream init` writes it as fb_lc_claim_live(),
 * which every upstream claim test calls, and lifecycle_seed() writes the local view
 * live_claim from it (test_lifecycle checks all three agree). */
int lifecycle_claim_live(const char *claim_by, int64_t claim_until, int64_t now);
#define LC_CLAIM_LIVE_SQL "holder IS NOT NULL AND holder <> '' AND until_ms > now_ms"

const char *lifecycle_event_str(lc_event e);
lc_event lifecycle_event_from_str(const char *s);
const char *lifecycle_event_words(lc_event e);
const char *lifecycle_who_str(lc_who w);
const char *lifecycle_who_words(lc_who w);
const char *lifecycle_role_str(lc_role r);
const char *lifecycle_role_words(lc_role r);
const char *lifecycle_role_group(lc_role r);        /* NULL: named by a [policy] setting */
fb_option_id lifecycle_role_setting(lc_role r);     /* OPT_COUNT: none */
lc_role lifecycle_role_from_str(const char *s);     /* -1 when unknown */
const char *lifecycle_subject_str(lc_subject s);
lc_subject lifecycle_who_subject(lc_who w);
int lifecycle_who_must_be(lc_who w);                /* 1: must be the subject; 0: must not */
fb_option_id lifecycle_who_switch(lc_who w);        /* OPT_COUNT: none */
/* The approval answer an approval event records (FB_APPR_NONE: not one). */
fb_approval lifecycle_event_approval(lc_event e);
/* The [policy] settings the judge reads (who switches, role settings), each once; returns
 * how many (at most cap are written). */
size_t lifecycle_settings(fb_option_id *out, size_t cap);
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
    int appeal_separation;      /* [policy] appeal_separation: the not_appealed rule's switch */
    const char *approver_role;  /* [policy] approver_role (NULL: its default): LC_ROLE_APPROVER */
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
