#ifndef FBREVIEW_DECISION_H
#define FBREVIEW_DECISION_H
/* The decision workflow: one set of functions used by the console and the CLI alike.
 * Validation happens before anything is written; a decision, its outbox entry, its audit
 * entry and the case's new status are written in ONE transaction (synchronous=FULL). */

#include <stddef.h>

#include "fbreview/config.h"
#include "fbreview/err.h"
#include "fbreview/model.h"
#include "fbreview/policy.h"
#include "fbreview/store.h"
#include "fbreview/store_decision.h"

typedef struct fb_workflow fb_workflow;

/* What the reviewer asks for on one case. */
typedef struct fb_decide_req {
    const char *case_id;
    int accept;                 /* take the recommendation (action/violation/days ignored) */
    fb_action action;
    fb_violation violation;     /* FB_V_NONE: the suggested code for actions that need one */
    int days;                   /* 0: the ladder's default for a suspension */
    const char *rationale;      /* NULL or "" when none was typed */
    int claim_override;         /* decide despite another reviewer's live claim (recorded) */
} fb_decide_req;

/* What a request resolves to, before or after saving. */
typedef struct fb_decide_plan {
    char case_id[128];
    fb_action action;
    fb_violation violation;
    int days;
    fb_rec rec;                 /* the recommendation at decision time */
    int overridden;             /* differs from the recommendation */
    int needs_rationale;        /* policy wants a rationale for this request */
    int appeal_of;              /* the case is appealed: this decision supersedes */
    fb_action appealed_action;  /* when appeal_of: the decision appealed against */
    fb_violation appealed_violation;
    int appealed_days;
    char supersedes[37];
    fb_case_status new_status;  /* decided | pending_approval | escalated */
    char *notice;               /* malloc'd or NULL; freed by decide_plan_clear */
    char decision_id[37];       /* set once saved */
    fb_case_status old_status;  /* the case's status before this decision (undo restores it) */
    int claim_overridden;       /* another reviewer's live claim was overridden (recorded) */
    int earlier_violations;     /* the subject's earlier violations (the ladder's input) */
} fb_decide_plan;

void decide_plan_clear(fb_decide_plan *p);

/* A decision in words, the one place for it: "suspension 30 days (self_hire)",
 * "education (fake_job)", "no_violation"; days < 0: a suspension of unknown length
 * ("suspension (self_hire)", an earlier action). Returns buf. */
const char *decision_describe(fb_action a, fb_violation v, int days, char *buf, size_t n);

fb_status workflow_open(fb_store *s, const fb_config *cfg, const char *reviewer,
                        fb_workflow **out,   /* OUT */
                        fb_err *err);
void workflow_close(fb_workflow **wf);
const fb_policy *workflow_policy(const fb_workflow *wf);

/* The current recommendation for a case (signals, ladder, subject history). */
fb_status workflow_recommend(fb_workflow *wf, const char *case_id, fb_rec *out, fb_err *err);
/* The case as the store holds it, analysed again first when its analysis is stale (new
 * rules or analyser: ingest_current), so what is shown and decided is the current rules'.
 * *redone (may be NULL) is 1 when it was. */
fb_status workflow_case(fb_workflow *wf, const char *case_id,
                        fb_case **out,      /* OUT: fb_case_free() it */
                        int *redone,        /* OUT: may be NULL */
                        fb_err *err);
/* 1 when c has no decision and was analysed with other rules (only a read-only store
 * keeps such a case as it is). */
int workflow_case_stale(const fb_workflow *wf, const fb_case *c);
/* Reads the rules' fingerprint again (a long-lived console, after other connections wrote). */
fb_status workflow_rules_recheck(fb_workflow *wf, fb_err *err);

/* Validates one request and fills plan (notice preview included) without writing.
 * FB_EPOLICY with a sentence when the request is refused (a missing rationale included).
 * When the only problem is a missing rationale, plan stays filled (needs_rationale = 1) so
 * the console can show the preview and prompt; after any other refusal it is cleared. */
fb_status workflow_check(fb_workflow *wf, const fb_decide_req *req, fb_decide_plan *plan, fb_err *err);

/* Decides n cases in one transaction, in the order given (POLICY.md: several cases
 * decided together climb the ladder as if decided one by one): each case's recommendation
 * counts the decisions this call made before it on the same subject. plans[i] receives
 * what was saved for reqs[i]. Nothing is written when any request is refused; err names
 * the case. Decidable: open, claimed, escalated (the new decision supersedes the
 * escalation) and appealed (it supersedes the appealed decision and resolves the appeal). */
fb_status workflow_decide(fb_workflow *wf, const fb_decide_req *reqs, size_t n,
                          fb_decide_plan *plans,   /* OUT: n entries */
                          fb_err *err);
/* The same walk, rolled back: what workflow_decide would save, each case with its own
 * recommendation in order (the console's confirmation). When the only refusals are missing
 * rationales, returns the first one's FB_EPOLICY with every plan filled (needs_rationale
 * set where one is needed); after any other refusal the plans are cleared. */
fb_status workflow_plan(fb_workflow *wf, const fb_decide_req *reqs, size_t n,
                        fb_decide_plan *plans,     /* OUT: n entries */
                        fb_err *err);

/* Approve (reject = 0) or send back (reject = 1, rationale required) a proposed block
 * (one waiting because block_needs_approval is on). Always refused for the block's own
 * proposer: the approval is the second pair of eyes. Approved: case decided; sent back:
 * case open again, the block stays on record as rejected. */
fb_status workflow_approve(fb_workflow *wf, const char *decision_id, int reject, const char *rationale,
                           fb_err *err);
/* The same preconditions without writing (the console checks them before it asks for a
 * rationale): FB_OK when this reviewer may approve or send back decision_id now. d (OUT)
 * receives the proposed decision whenever it could be read (store_decision_row_clear). */
fb_status workflow_approve_check(fb_workflow *wf, const char *decision_id,
                                 fb_decision_row *d,   /* OUT */
                                 fb_err *err);

/* Undoes this reviewer's last decision while it is unsynced and its outbox row is not in
 * flight; the case returns to its earlier status, the unsent outbox row is deleted, the
 * decision row stays (undone_at) and the audit records it. undone_id (OUT) receives its id. */
fb_status workflow_undo(fb_workflow *wf, char undone_id[37], fb_err *err);
/* The same for a named decision: refused unless it is this reviewer's last decision
 * (NULL or "" undoes the last one, as workflow_undo). */
fb_status workflow_undo_id(fb_workflow *wf, const char *decision_id, char undone_id[37], fb_err *err);
/* The console's undo box: while it is open, the engine must not push the decision (the
 * reviewer pressed undo in time and gets it). workflow_undo_hold refuses as undo would
 * (nothing written) or holds decision_id's outbox row for WORKFLOW_UNDO_HOLD_MS; the box
 * calls it again to renew the hold while open, so a console that dies leaves a hold that
 * lapses by itself. workflow_undo_release lifts it (the box closed without undoing). */
#define WORKFLOW_UNDO_HOLD_MS (60 * 1000)
fb_status workflow_undo_hold(fb_workflow *wf, const char *decision_id, fb_err *err);
fb_status workflow_undo_release(fb_workflow *wf, const char *decision_id, fb_err *err);

/* Records an appeal against a decision; the case moves to the appeals queue. */
fb_status workflow_appeal(fb_workflow *wf, const char *decision_id, const char *text, char appeal_id[37],
                          fb_err *err);

/* Conflicts: this reviewer's decision that upstream refused because another decision won
 * the case (sync_state 'conflict'). Only the reviewer who made it resolves it; the decision
 * row stays as it was (conflict_resolution, conflict_resolved_at record the answer) and the
 * audit records it ("conflict"). One transaction each.
 * accept: the winning decision stands; nothing goes upstream.
 * appeal: an appeal against the winning decision (the usual appeal path: the case enters
 * the appeals queue, an 'appeal' outbox entry goes upstream); text required. appeal_id
 * (OUT, may be NULL) receives the appeal's id. */
fb_status workflow_conflict_accept(fb_workflow *wf, const char *decision_id, fb_err *err);
fb_status workflow_conflict_appeal(fb_workflow *wf, const char *decision_id, const char *text, char appeal_id[37],
                                   fb_err *err);

/* Rejections: this reviewer's decision that upstream rejected (sync_state 'rejected').
 * Discarding it answers the rejection (conflict_resolution 'discarded', audited); nothing
 * goes upstream and the case keeps upstream's status. Deciding the case again answers it
 * too ('redecided'). */
fb_status workflow_discard(fb_workflow *wf, const char *decision_id, fb_err *err);

/* An internal note on a case (history only, never in a notice). */
fb_status workflow_note(fb_workflow *wf, const char *case_id, const char *text, fb_err *err);

/* Case lists for bulk decisions (free with store_ids_free): every open or claimed case whose
 * subject is the account, or whose subject is in the account's linked-account cluster
 * (account_link followed transitively, at most WORKFLOW_CLUSTER_MAX accounts). */
#define WORKFLOW_CLUSTER_MAX 1000
fb_status workflow_cases_of_subject(fb_workflow *wf, const char *account, fb_ids *out, fb_err *err);
fb_status workflow_cases_of_cluster(fb_workflow *wf, const char *account, fb_ids *out, fb_err *err);

/* The reviewer this workflow acts for. */
const char *workflow_reviewer(const fb_workflow *wf);

#ifdef FB_TEST_HOOKS
/* Test hook for the one-transaction guarantee (test builds only, -DFB_TEST_HOOKS): makes
 * the next writes fail at a named point ("after_decision_insert", "after_outbox_insert",
 * "before_commit"), as if the process died there; NULL turns it off. The environment
 * variable FBREVIEW_FAULT sets it at open. */
void workflow_set_fault(fb_workflow *wf, const char *point);
#endif

#endif
