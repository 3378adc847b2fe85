/* The decision workflow: validate, then write a decision with its outbox entry, its audit
 * entry and the case's new status in one transaction. Approvals, undo, appeals and notes
 * follow the same shape: checks and writes inside one BEGIN IMMEDIATE, so what was checked
 * is what gets written even with another console or the sync engine on the same store. */
#include "fbreview/decision.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <uuid/uuid.h>

#include "fbreview/audit.h"
#include "fbreview/describe.h"
#include "fbreview/ingest.h"
#include "fbreview/lifecycle.h"
#include "fbreview/notice.h"
#include "fbreview/outbox.h"
#include "fbreview/store_case.h"
#include "fbreview/store_prior.h"
#include "fbreview/store_sync.h"
#include "fbreview/timeutil.h"

/* Suspension length when neither the reviewer nor the ladder gives one (POLICY.md). */
#define DEFAULT_SUSPENSION_DAYS 14

struct fb_workflow {
    fb_store *store;
    fb_policy *policy;
    char *reviewer;
    fb_ingest *ingest;   /* analyses a stale case before it is shown or decided (lazy) */
#ifdef FB_TEST_HOOKS
    char fault[64];
#endif
    int previewing;      /* workflow_plan: writes that are rolled back; no fault hook */
};

void decide_plan_clear(fb_decide_plan *p)
{
    free(p->notice);
    memset(p, 0, sizeof *p);
}

fb_status workflow_open(fb_store *s, const fb_config *cfg, const char *reviewer, fb_workflow **out, fb_err *err)
{
    *out = NULL;
    if (!reviewer || !reviewer[0])
        return fb_err_set(err, FB_ECONFIG,
                          "no reviewer name; pass --reviewer NAME or set FBREVIEW_REVIEWER");
    fb_workflow *wf = calloc(1, sizeof *wf);
    if (!wf)
        return fb_err_set(err, FB_ENOMEM, "out of memory");
    wf->store = s;
    wf->reviewer = fb_strdup(reviewer);
#ifdef FB_TEST_HOOKS
    const char *f = getenv("FBREVIEW_FAULT");
    workflow_set_fault(wf, f && f[0] ? f : NULL);
#endif
    /* the rules seeded before any case is read; a stale case is analysed again when it is
     * loaded (workflow_case), never the whole store here */
    if (policy_load(cfg, &wf->policy, err) != FB_OK || lifecycle_seed(s, err) != FB_OK ||
        ingest_refresh(s, err) != FB_OK || ingest_open_lazy(s, &wf->ingest, err) != FB_OK) {
        workflow_close(&wf);
        return err->status;
    }
    *out = wf;
    return FB_OK;
}

void workflow_close(fb_workflow **wfp)
{
    fb_workflow *wf = wfp ? *wfp : NULL;
    if (!wf)
        return;
    policy_free(&wf->policy);
    ingest_close(&wf->ingest);
    free(wf->reviewer);
    free(wf);
    *wfp = NULL;
}

fb_status workflow_case(fb_workflow *wf, const char *case_id, fb_case **out, int *redone, fb_err *err)
{
    return ingest_current(wf->ingest, case_id, out, redone, err);
}

fb_status workflow_rules_recheck(fb_workflow *wf, fb_err *err) { return ingest_recheck(wf->ingest, err); }

int workflow_case_stale(const fb_workflow *wf, const fb_case *c) { return ingest_case_stale(wf->ingest, c); }

const fb_policy *workflow_policy(const fb_workflow *wf) { return wf->policy; }
const char *workflow_reviewer(const fb_workflow *wf) { return wf->reviewer; }

#ifdef FB_TEST_HOOKS
void workflow_set_fault(fb_workflow *wf, const char *point)
{
    snprintf(wf->fault, sizeof wf->fault, "%s", point ? point : "");
}

/* The injected failure looks like any other store error to the caller. */
static int fault_hit(fb_workflow *wf, const char *point, fb_err *err)
{
    if (wf->previewing || !wf->fault[0] || strcmp(wf->fault, point) != 0)
        return 0;
    fb_err_set(err, FB_ESTORE, "store %s: injected fault %s (FBREVIEW_FAULT); nothing was saved",
               store_path(wf->store), point);
    return 1;
}
#else
/* The product build has no fault injection (test builds: -DFB_TEST_HOOKS). */
static int fault_hit(fb_workflow *wf, const char *point, fb_err *err)
{
    (void)wf;
    (void)point;
    (void)err;
    return 0;
}
#endif

static void new_uuid(char out[37])
{
    uuid_t u;
    uuid_generate_random(u);
    uuid_unparse_lower(u, out);
}

static int blank(const char *s)
{
    if (!s)
        return 1;
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return 0;
    return 1;
}

const char *decision_describe(fb_action a, fb_violation v, int days, char *buf, size_t n)
{
    char len[32];
    if (a == FB_A_NONE)
        snprintf(buf, n, "none");   /* no recommendation: "read this case" */
    else if (a == FB_A_SUSPENSION && days >= 0)
        snprintf(buf, n, "suspension %s (%s)", fb_days_words(days, len, sizeof len),
                 fb_violation_str(v) ? fb_violation_str(v) : "?");
    else if (fb_action_needs_violation(a))
        snprintf(buf, n, "%s (%s)", fb_action_str(a), fb_violation_str(v) ? fb_violation_str(v) : "?");
    else
        snprintf(buf, n, "%s", fb_action_str(a) ? fb_action_str(a) : "?");
    return buf;
}

/* JSON helpers: NULL and empty strings become null. */
static json_t *jstr(const char *s) { return s && s[0] ? json_string(s) : json_null(); }

static char *json_take(json_t *o)
{
    char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    return s;
}

/* ---- recommendation ---- */

static fb_status recommend_loaded(fb_workflow *wf, const fb_case *c, fb_rec *rec, fb_history *h, fb_err *err)
{
    if (store_prior_history(wf->store, c->subject, c->id, h, err) != FB_OK)
        return err->status;
    *rec = policy_recommend(wf->policy, c, h);
    return FB_OK;
}

fb_status workflow_recommend(fb_workflow *wf, const char *case_id, fb_rec *out, fb_err *err)
{
    fb_case *c = NULL;
    if (workflow_case(wf, case_id, &c, NULL, err) != FB_OK)
        return err->status;
    fb_history h;
    fb_status rc = recommend_loaded(wf, c, out, &h, err);
    fb_case_free(&c);
    return rc;
}

/* ---- validation ---- */

/* The refusal of a decision on a case whose status takes none (the lifecycle says which),
 * in words the reviewer can act on. */
static fb_status refuse_status(const fb_case *c, const fb_decision_row *last, int have_last, fb_err *err)
{
    const char *id = have_last ? last->id : "?", *by = have_last ? last->reviewer : "?";
    switch (c->status) {
    case FB_CS_DECIDED:
        /* What to do next is each front end's (fb_err's remedy: commands or keys). */
        fb_err_set(err, FB_EPOLICY, "case %s is already decided (decision %s by %s)", c->id, id, by);
        fb_err_remedy(err, FB_REMEDY_APPEAL_OR_UNDO, have_last ? last->id : "ID");
        return FB_EPOLICY;
    case FB_CS_PENDING_APPROVAL:
        /* The decision's id travels as the remedy's ref (the CLI names it in its command). */
        fb_err_set(err, FB_EPOLICY, "case %s has a block by %s waiting for a second reviewer's approval", c->id,
                   by);
        fb_err_remedy(err, FB_REMEDY_APPROVE, have_last ? last->id : "ID");
        return FB_EPOLICY;
    default:
        return fb_err_set(err, FB_EPOLICY, "case %s is %s and cannot be decided now", c->id,
                          fb_case_status_str(c->status) ? fb_case_status_str(c->status) : "in an unknown status");
    }
}

/* Loads the case and checks its status takes a decision at all (the lifecycle table);
 * fills the parts of the plan that depend on the case's state (supersedes, appeal, claim).
 * appealed_by receives the reviewer of the appealed decision when the case has an open
 * appeal (the who-rule is checked once the action is known). */
static fb_status check_case(fb_workflow *wf, const fb_decide_req *req, fb_decide_plan *plan, fb_case **cp,
                            char *appealed_by, size_t appealed_n, fb_err *err)
{
    fb_store *s = wf->store;
    appealed_by[0] = '\0';
    if (!req->case_id || !req->case_id[0])
        return fb_err_set(err, FB_EPOLICY, "a decision needs a case id; pick a case from the queue");
    /* inside the decision's transaction: a stale case is analysed again first, so the
     * recommendation recorded with the decision is the current rules' */
    fb_status lrc = workflow_case(wf, req->case_id, cp, NULL, err);
    if (lrc == FB_ENOTFOUND)
        return fb_err_set(err, FB_EPOLICY, "case %s is not in %s; check the case id", req->case_id,
                          store_path(s));
    if (lrc != FB_OK)
        return lrc;
    fb_case *c = *cp;
    snprintf(plan->case_id, sizeof plan->case_id, "%s", c->id);
    plan->old_status = c->status;

    fb_decision_row last = {0};
    int have_last = store_decision_latest_for_case(s, c->id, &last, err);
    if (have_last < 0)
        return err->status;
    fb_status rc = FB_OK;
    if (!lifecycle_decidable(c->status)) {
        rc = refuse_status(c, &last, have_last, err);
        store_decision_row_clear(&last);
        return rc;
    }
    /* The new decision takes the standing one's place (an escalation, or the appealed
     * decision) and answers the case's open appeal, if any. */
    if (have_last)
        snprintf(plan->supersedes, sizeof plan->supersedes, "%s", last.id);
    store_decision_row_clear(&last);
    fb_appeal_row ap = {0};
    int r = store_appeal_open_for_case(s, c->id, &ap, err);
    if (r < 0)
        return err->status;
    if (r == 0 && c->status == FB_CS_APPEALED)
        return fb_err_set(err, FB_EPOLICY,
                          "case %s is marked appealed but has no open appeal; run `fbreview verify` and tell "
                          "your lead", c->id);
    if (r == 1) {
        fb_decision_row appealed = {0};
        if (store_decision_load(s, ap.decision_id, &appealed, err) != FB_OK) {
            store_appeal_row_clear(&ap);
            return err->status;
        }
        plan->appeal_of = 1;
        plan->appealed_action = appealed.action;
        plan->appealed_violation = appealed.violation;
        plan->appealed_days = appealed.days;
        snprintf(plan->supersedes, sizeof plan->supersedes, "%s", appealed.id);
        snprintf(appealed_by, appealed_n, "%s", appealed.reviewer ? appealed.reviewer : "");
        store_decision_row_clear(&appealed);
        store_appeal_row_clear(&ap);
    }

    int64_t now = fb_now_ms();
    if (lifecycle_claim_live(c->claim_by, c->claim_until, now) && strcmp(c->claim_by, wf->reviewer) != 0) {
        if (!req->claim_override) {
            char until[32];
            fb_err_set(err, FB_EPOLICY, "case %s is claimed by %s until %s", c->id, c->claim_by,
                       fb_time_format_utc(c->claim_until, until, sizeof until));
            fb_err_remedy(err, FB_REMEDY_CLAIM, c->id);
            return FB_EPOLICY;
        }
        plan->claim_overridden = 1;
    }
    return FB_OK;
}

/* Resolves action, code and days, and checks the combination. */
static fb_status check_action(fb_workflow *wf, const fb_decide_req *req, const fb_case *c, fb_decide_plan *plan,
                              fb_err *err)
{
    const fb_rec *rec = &plan->rec;
    fb_violation fallback = c->suggested != FB_V_NONE ? c->suggested : c->alleged;
    (void)wf;
    if (req->accept && rec->action == FB_A_NONE)
        /* "read this case": there is nothing to take; the reason says what to read */
        return fb_err_set(err, FB_EPOLICY, "case %s has no recommendation to take (%s); read the case and choose an action",
                          c->id, rec->why[0] ? rec->why : "read this case");
    if (req->accept) {
        plan->action = rec->action;
        plan->violation = fb_action_needs_violation(rec->action)
                              ? (rec->violation != FB_V_NONE ? rec->violation : fallback)
                              : FB_V_NONE;
        plan->days = rec->action == FB_A_SUSPENSION ? (rec->days > 0 ? rec->days : DEFAULT_SUSPENSION_DAYS) : 0;
        if (plan->action < 0 || plan->action >= FB_A_COUNT)
            return fb_err_set(err, FB_EPOLICY, "case %s has no recommendation to accept; choose an action",
                              c->id);
    } else {
        if ((int)req->action < 0 || req->action >= FB_A_COUNT)
            return fb_err_set(err, FB_EPOLICY,
                              "case %s: unknown action; choose no_violation, education, suspension, block or "
                              "escalate", c->id);
        plan->action = req->action;
        if (req->violation != FB_V_NONE && ((int)req->violation < 0 || req->violation >= FB_V_COUNT))
            return fb_err_set(err, FB_EPOLICY,
                              "case %s: unknown violation code; use fake_job, self_hire, conflict_of_interest, "
                              "paid_feedback, free_work_for_review or feedback_extortion", c->id);
        if (fb_action_needs_violation(req->action)) {
            plan->violation = req->violation != FB_V_NONE ? req->violation : fallback;
        } else {
            if (req->violation != FB_V_NONE)
                return fb_err_set(err, FB_EPOLICY,
                                  "case %s: %s carries no violation code; drop the violation (%s)", c->id,
                                  fb_action_str(req->action), fb_violation_str(req->violation));
            plan->violation = FB_V_NONE;
        }
        if (req->action == FB_A_SUSPENSION) {
            plan->days = req->days ? req->days
                         : rec->action == FB_A_SUSPENSION && rec->days > 0 ? rec->days
                                                                            : DEFAULT_SUSPENSION_DAYS;
        } else if (req->days) {
            return fb_err_set(err, FB_EPOLICY,
                              "case %s: days apply only to a suspension, not to %s; drop the days", c->id,
                              fb_action_str(req->action));
        }
    }
    if (fb_action_needs_violation(plan->action) && plan->violation == FB_V_NONE) {
        fb_err_set(err, FB_EPOLICY, "case %s: %s needs a violation code and the case suggests none", c->id,
                   fb_action_str(plan->action));
        fb_err_remedy(err, FB_REMEDY_VIOLATION, c->id);
        return FB_EPOLICY;
    }
    if (plan->action == FB_A_SUSPENSION && !fb_days_valid(plan->days))
        return fb_err_set(err, FB_EPOLICY,
                          "case %s: a suspension lasts %d to %d days, not %d; choose a length in that range",
                          c->id, FB_DAYS_MIN, FB_DAYS_MAX, plan->days);
    return FB_OK;
}

/* check_one leaves the loaded case in *cp for the writer (NULL after a refusal). */
static fb_status check_one(fb_workflow *wf, const fb_decide_req *req, fb_decide_plan *plan, fb_case **cp,
                           fb_err *err)
{
    memset(plan, 0, sizeof *plan);
    plan->old_status = FB_CS_NONE;
    *cp = NULL;
    fb_history h = {0, 0};
    char appealed_by[128];
    if (check_case(wf, req, plan, cp, appealed_by, sizeof appealed_by, err) != FB_OK ||
        recommend_loaded(wf, *cp, &plan->rec, &h, err) != FB_OK ||
        check_action(wf, req, *cp, plan, err) != FB_OK)
        goto refused;
    const fb_case *c = *cp;
    plan->earlier_violations = h.violations;
    const fb_rec *rec = &plan->rec;
    /* An escalation defers the decision rather than overriding the recommendation. */
    /* With no recommendation ("read this case") there is nothing to override. */
    plan->overridden = !req->accept && plan->action != FB_A_ESCALATE && rec->action != FB_A_NONE &&
                       (plan->action != rec->action ||
                        (fb_action_needs_violation(plan->action) && plan->violation != rec->violation) ||
                        (plan->action == FB_A_SUSPENSION && plan->days != rec->days));
    int high = c->risk >= policy_high_risk(wf->policy);
    plan->needs_rationale = plan->overridden || plan->action == FB_A_ESCALATE ||
                            (plan->action == FB_A_NO_VIOLATION && high);
    /* Where the decision leads and who may take it: the lifecycle table. */
    lc_event ev = lifecycle_decide_event(plan->action,
                                         plan->action == FB_A_BLOCK && policy_block_needs_approval(wf->policy));
    lc_actor actor = {.reviewer = wf->reviewer, .roles = LC_ROLES_ALL, .appealed = appealed_by,
                      .appeal_separation = policy_appeal_separation(wf->policy)};
    lc_verdict v = lifecycle_may(c->status, ev, &actor, NULL);
    if (v == LC_NOT_WHO && c->status == FB_CS_APPEALED) {
        fb_err_set(err, FB_EPOLICY,
                   "case %s: the appeal is against your own decision %s; another reviewer must decide "
                   "the appeal (appeal separation is on)", c->id, plan->supersedes);
        goto refused;
    }
    if (v != LC_OK) {
        fb_err_set(err, FB_EPOLICY, "case %s is %s: %s is not allowed there (%s may)", c->id,
                   fb_case_status_str(c->status), lifecycle_event_words(ev),
                   v == LC_NOT_IN_STATUS ? "nobody" : lifecycle_who_words(lifecycle_find(c->status, ev)->who));
        goto refused;
    }
    plan->new_status = lifecycle_next(c->status, ev, FB_CS_NONE);
    notice_facts nf = {
        .action = plan->action,
        .violation = plan->violation,
        .days = plan->days,
        .earlier_violations = h.violations,
        .appeal = plan->appeal_of,
        .appealed_action = plan->appealed_action,
        .appealed_violation = plan->appealed_violation,
        .appealed_days = plan->appealed_days,
    };
    plan->notice = notice_render(&nf);

    if (plan->needs_rationale && blank(req->rationale)) {
        char mine[96], theirs[96];
        decision_describe(plan->action, plan->violation, plan->days, mine, sizeof mine);
        decision_describe(rec->action, rec->violation, rec->days, theirs, sizeof theirs);
        if (plan->action == FB_A_ESCALATE)
            fb_err_set(err, FB_EPOLICY, "case %s: an escalation needs a rationale for the lead", c->id);
        else if (plan->action == FB_A_NO_VIOLATION && high)
            fb_err_set(err, FB_EPOLICY,
                       "case %s: dismissing a case with risk %d (high risk is %d or more; recommended: %s) needs "
                       "a rationale", c->id, c->risk, policy_high_risk(wf->policy), theirs);
        else
            fb_err_set(err, FB_EPOLICY, "case %s: %s differs from the recommended %s and needs a rationale saying why",
                       c->id, mine, theirs);
        fb_err_remedy(err, FB_REMEDY_RATIONALE, c->id);
        /* The plan stays filled: the console shows the preview and prompts for the rationale. */
        fb_case_free(cp);
        return FB_EPOLICY;
    }
    return FB_OK;
refused:
    fb_case_free(cp);
    decide_plan_clear(plan);
    return err->status;
}

fb_status workflow_check(fb_workflow *wf, const fb_decide_req *req, fb_decide_plan *plan, fb_err *err)
{
    fb_case *c = NULL;
    fb_status rc = check_one(wf, req, plan, &c, err);
    fb_case_free(&c);
    return rc;
}

/* ---- writing ---- */

static char *decision_payload(const fb_decision_row *d)
{
    outbox_msg m = {.kind = OUTBOX_DECISION};
    m.u.decision = (outbox_decision){
        .decision_id = d->id, .case_id = d->case_id, .reviewer = d->reviewer,
        .action = fb_action_str(d->action), .violation = fb_violation_str(d->violation),
        .days = d->action == FB_A_SUSPENSION ? d->days : -1, .rationale = d->rationale,
        .rec_action = fb_action_str(d->rec_action), .rec_violation = fb_violation_str(d->rec_violation),
        .rec_days = d->rec_action == FB_A_SUSPENSION ? d->rec_days : -1, .overridden = d->overridden,
        .notice = d->notice, .decided_at = d->decided_at, .supersedes = d->supersedes,
        .approval = fb_approval_str(d->approval), .claim_override = d->claim_override,
        .policy_version = d->policy_version > 0 ? d->policy_version : -1,
    };
    return outbox_encode(&m);
}

/* The audit detail of a decision: what was decided and the status change undo reverses. */
static char *decision_detail(const fb_decision_row *d, fb_case_status from, fb_case_status to)
{
    json_t *o = json_object();
    json_object_set_new(o, "action", json_string(fb_action_str(d->action)));
    json_object_set_new(o, "violation", jstr(fb_violation_str(d->violation)));
    json_object_set_new(o, "days", d->action == FB_A_SUSPENSION ? json_integer(d->days) : json_null());
    json_object_set_new(o, "rec_action", jstr(fb_action_str(d->rec_action)));
    json_object_set_new(o, "overridden", json_boolean(d->overridden));
    json_object_set_new(o, "rationale", jstr(d->rationale));
    json_object_set_new(o, "supersedes", jstr(d->supersedes));
    json_object_set_new(o, "claim_override", json_boolean(d->claim_override));
    json_object_set_new(o, "from", json_string(fb_case_status_str(from)));
    json_object_set_new(o, "to", json_string(fb_case_status_str(to)));
    return json_take(o);
}

static fb_status write_one(fb_workflow *wf, const fb_decide_req *req, fb_decide_plan *plan, int64_t now,
                           fb_err *err)
{
    fb_store *s = wf->store;
    fb_decision_row d = {
        .case_id = plan->case_id,
        .reviewer = wf->reviewer,
        .action = plan->action,
        .violation = plan->violation,
        .days = plan->days,
        .rationale = blank(req->rationale) ? NULL : (char *)(uintptr_t)req->rationale,
        .rec_action = plan->rec.action,
        .rec_violation = plan->rec.violation,
        .rec_days = plan->rec.days,
        .overridden = plan->overridden,
        .notice = plan->notice,
        .decided_at = now,
        .approval = plan->new_status == FB_CS_PENDING_APPROVAL ? FB_APPR_PENDING : FB_APPR_NONE,
        .claim_override = plan->claim_overridden,
        .policy_version = policy_version(wf->policy),
        .prior_status = plan->old_status,
    };
    new_uuid(d.id);
    snprintf(d.supersedes, sizeof d.supersedes, "%s", plan->supersedes);
    if (store_decision_insert(s, &d, err) != FB_OK || fault_hit(wf, "after_decision_insert", err))
        return err->status;
    if (plan->appeal_of) {
        fb_appeal_row ap = {0};
        int r = store_appeal_open_for_case(s, plan->case_id, &ap, err);
        if (r < 0)
            return err->status;
        fb_status rc = r ? store_appeal_resolve(s, ap.id, d.id, err) : FB_OK;
        store_appeal_row_clear(&ap);
        if (rc != FB_OK)
            return rc;
    }
    char *payload = decision_payload(&d);
    char *detail = decision_detail(&d, plan->old_status, plan->new_status);
    fb_status rc = FB_OK;
    if (!payload || !detail)
        rc = fb_err_set(err, FB_ENOMEM, "out of memory saving a decision on case %s", plan->case_id);
    else if (store_outbox_add(s, OUTBOX_DECISION, d.id, payload, now, err) != FB_OK ||
             fault_hit(wf, "after_outbox_insert", err) ||
             audit_append(s, wf->reviewer, "decision", plan->case_id, d.id, detail, err) != FB_OK ||
             store_case_set_status(s, plan->case_id, plan->new_status, err) != FB_OK ||
             /* deciding again answers this reviewer's rejected decisions on the case */
             store_decision_resolve_rejection(s, NULL, plan->case_id, wf->reviewer, "redecided", now, err) != FB_OK)
        rc = err->status;
    free(payload);
    free(detail);
    if (rc == FB_OK)
        memcpy(plan->decision_id, d.id, sizeof d.id);
    return rc;
}

/* Commits, or rolls back with err kept; the fault hook can stop just before COMMIT. */
static fb_status finish(fb_workflow *wf, fb_status rc, fb_err *err)
{
    if (rc == FB_OK && !fault_hit(wf, "before_commit", err) && store_commit(wf->store, err) == FB_OK)
        return FB_OK;
    store_rollback(wf->store);
    return err->status != FB_OK ? err->status : FB_EINTERNAL;
}

/* Decides reqs in order inside one transaction: each case is checked and written before
 * the next is checked, so the ladder of a later case counts the earlier decisions of the
 * same call on its subject (store_prior_history reads them in the open transaction), as if
 * they were decided one at a time. commit: keep the writes when every case passes; else
 * (a preview) roll everything back and keep only the plans. A preview also writes a case
 * whose only problem is a missing rationale, so the cases after it still see it. */
static fb_status decide_in_order(fb_workflow *wf, const fb_decide_req *reqs, size_t n, fb_decide_plan *plans,
                                 int commit, fb_err *err)
{
    if (n == 0)
        return fb_err_set(err, FB_EPOLICY, "no case to decide; name at least one case");
    for (size_t i = 0; i < n; i++)
        memset(&plans[i], 0, sizeof plans[i]);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (reqs[i].case_id && reqs[j].case_id && strcmp(reqs[i].case_id, reqs[j].case_id) == 0)
                return fb_err_set(err, FB_EPOLICY,
                                  "case %s is named twice; each case takes one decision (nothing was saved)",
                                  reqs[i].case_id);
    if (store_begin(wf->store, err) != FB_OK)
        return err->status;
    wf->previewing = !commit;
    fb_status rc = FB_OK, missing = FB_OK;
    fb_err missing_err = {0};
    int64_t now = fb_now_ms();
    for (size_t i = 0; i < n && rc == FB_OK; i++) {
        fb_case *c = NULL;
        rc = check_one(wf, &reqs[i], &plans[i], &c, err);
        fb_case_free(&c);
        if (rc == FB_EPOLICY && !commit && plans[i].needs_rationale && blank(reqs[i].rationale)) {
            if (missing == FB_OK) {
                missing = rc;
                missing_err = *err;
            }
            rc = FB_OK;
        }
        if (rc != FB_OK && n > 1) {
            size_t len = strlen(err->msg);
            snprintf(err->msg + len, sizeof err->msg - len, " (none of the %zu decisions was saved)", n);
        }
        if (rc == FB_OK)
            rc = write_one(wf, &reqs[i], &plans[i], now, err);
    }
    wf->previewing = 0;
    if (commit) {
        rc = finish(wf, rc, err);
    } else {
        store_rollback(wf->store);
        for (size_t i = 0; i < n; i++)
            plans[i].decision_id[0] = '\0';   /* nothing was saved */
        if (rc == FB_OK && missing != FB_OK) {
            *err = missing_err;
            return missing;   /* only rationales are missing: every plan stays filled */
        }
    }
    if (rc != FB_OK)
        for (size_t i = 0; i < n; i++)
            decide_plan_clear(&plans[i]);
    return rc;
}

fb_status workflow_decide(fb_workflow *wf, const fb_decide_req *reqs, size_t n, fb_decide_plan *plans, fb_err *err)
{
    return decide_in_order(wf, reqs, n, plans, 1, err);
}

fb_status workflow_plan(fb_workflow *wf, const fb_decide_req *reqs, size_t n, fb_decide_plan *plans, fb_err *err)
{
    return decide_in_order(wf, reqs, n, plans, 0, err);
}

/* ---- approvals ---- */

/* Who may approve or send back decision_id now (the lifecycle table); d (OUT) is loaded
 * either way it can be, from (OUT) is the case's status. */
static fb_status approve_check(fb_workflow *wf, const char *decision_id, lc_event ev, fb_decision_row *d,
                               fb_case_status *from, fb_err *err)
{
    fb_store *s = wf->store;
    if (store_decision_load(s, decision_id, d, err) != FB_OK)
        return err->status == FB_ENOTFOUND ? (err->status = FB_EPOLICY) : err->status;
    fb_case *c = NULL;
    if (store_case_load(s, d->case_id, &c, err) != FB_OK)
        return err->status;
    *from = c->status;
    fb_case_free(&c);
    lc_actor actor = {.reviewer = wf->reviewer, .roles = LC_ROLES_ALL, .proposer = d->reviewer};
    lc_verdict v = d->approval == FB_APPR_PENDING && !d->undone_at ? lifecycle_may(*from, ev, &actor, NULL)
                                                                    : LC_NOT_IN_STATUS;
    if (v == LC_NOT_IN_STATUS)
        return fb_err_set(err, FB_EPOLICY, "decision %s on case %s is not waiting for approval (%s); nothing to do",
                          d->id, d->case_id,
                          d->undone_at ? "it was undone"
                          : d->approval != FB_APPR_PENDING ? fb_approval_str(d->approval)
                                                           : fb_case_status_str(*from));
    if (v != LC_OK)
        return fb_err_set(err, FB_EPOLICY,
                          "decision %s on case %s was proposed by you (%s); a block needs a different reviewer to "
                          "approve or send it back", d->id, d->case_id, wf->reviewer);
    return FB_OK;
}

fb_status workflow_approve_check(fb_workflow *wf, const char *decision_id, fb_decision_row *d, fb_err *err)
{
    fb_case_status from = FB_CS_NONE;
    if (!decision_id || !decision_id[0])
        return fb_err_set(err, FB_EPOLICY, "no block is waiting for approval on this case");
    return approve_check(wf, decision_id, LC_EV_APPROVE, d, &from, err);
}

fb_status workflow_approve(fb_workflow *wf, const char *decision_id, int reject, const char *rationale, fb_err *err)
{
    fb_store *s = wf->store;
    if (!decision_id || !decision_id[0])
        return fb_err_set(err, FB_EPOLICY, "approving needs a decision id; `fbreview show CASE` lists them");
    if (reject && blank(rationale)) {
        fb_err_set(err, FB_EPOLICY, "sending back decision %s needs a rationale for the proposer", decision_id);
        fb_err_remedy(err, FB_REMEDY_RATIONALE, decision_id);
        return FB_EPOLICY;
    }
    if (store_begin(s, err) != FB_OK)
        return err->status;
    fb_decision_row d = {0};
    fb_status rc = FB_OK;
    char *payload = NULL, *detail = NULL;
    int64_t now = fb_now_ms();
    lc_event ev = reject ? LC_EV_SEND_BACK : LC_EV_APPROVE;
    fb_case_status from = FB_CS_NONE;
    if ((rc = approve_check(wf, decision_id, ev, &d, &from, err)) != FB_OK)
        goto done;
    fb_case_status to = lifecycle_next(from, ev, FB_CS_NONE);
    fb_approval a = reject ? FB_APPR_REJECTED : FB_APPR_APPROVED;
    outbox_msg m = {.kind = OUTBOX_APPROVAL};
    m.u.approval = (outbox_approval){.decision_id = d.id, .approval = fb_approval_str(a), .by = wf->reviewer,
                                     .rationale = blank(rationale) ? NULL : rationale, .at = now};
    payload = outbox_encode(&m);
    json_t *o = json_object();
    json_object_set_new(o, "approval", json_string(fb_approval_str(a)));
    json_object_set_new(o, "proposer", json_string(d.reviewer));
    json_object_set_new(o, "rationale", jstr(blank(rationale) ? NULL : rationale));
    json_object_set_new(o, "from", json_string(fb_case_status_str(from)));
    json_object_set_new(o, "to", json_string(fb_case_status_str(to)));
    detail = json_take(o);
    if (!payload || !detail) {
        rc = fb_err_set(err, FB_ENOMEM, "out of memory recording an approval");
        goto done;
    }
    if (store_decision_set_approval(s, d.id, a, wf->reviewer, now, blank(rationale) ? NULL : rationale, err) != FB_OK ||
        store_outbox_add(s, OUTBOX_APPROVAL, d.id, payload, now, err) != FB_OK ||
        audit_append(s, wf->reviewer, "approval", d.case_id, d.id, detail, err) != FB_OK ||
        store_case_set_status(s, d.case_id, to, err) != FB_OK)
        rc = err->status;
done:
    rc = finish(wf, rc, err);
    free(payload);
    free(detail);
    store_decision_row_clear(&d);
    return rc;
}

/* ---- undo ---- */

/* hold_until > 0: only checks that undo would be allowed now and holds the decision's
 * outbox row until then (the console's undo box), instead of undoing. */
static fb_status undo(fb_workflow *wf, const char *want, int64_t hold_until, char undone_id[37], fb_err *err)
{
    fb_store *s = wf->store;
    undone_id[0] = '\0';
    if (store_begin(s, err) != FB_OK)
        return err->status;
    fb_decision_row d = {0};
    fb_case *c = NULL;
    char *audit = NULL;
    fb_status rc = FB_OK;
    int r = store_decision_last_by(s, wf->reviewer, &d, err);
    if (r < 0) {
        rc = err->status;
        goto done;
    }
    if (r == 0) {
        rc = fb_err_set(err, FB_EPOLICY, "%s has no decision to undo", wf->reviewer);
        goto done;
    }
    if (want && strcmp(want, d.id) != 0) {
        rc = fb_err_set(err, FB_EPOLICY,
                        "decision %s is not your last decision (that is %s on case %s); only the last one can be "
                        "undone", want, d.id, d.case_id);
        goto done;
    }
    if (d.sync_state != FB_SYNC_PENDING) {
        rc = fb_err_set(err, FB_EPOLICY,
                        "decision %s on case %s is already %s upstream and cannot be undone; record an appeal or "
                        "ask your lead", d.id, d.case_id, fb_sync_str(d.sync_state));
        goto done;
    }
    int ob = store_outbox_state(s, OUTBOX_DECISION, d.id, err);
    if (ob < 0) {
        rc = err->status;
        goto done;
    }
    if (ob != OUTBOX_UNSENT) {
        rc = fb_err_set(err, FB_EPOLICY,
                        "decision %s on case %s is %s and cannot be undone; wait for the sync to finish, then "
                        "record an appeal", d.id, d.case_id,
                        ob == OUTBOX_IN_FLIGHT ? "being sent upstream right now" : "no longer in the outbox");
        goto done;
    }
    if (d.approval == FB_APPR_APPROVED || d.approval == FB_APPR_REJECTED) {
        rc = fb_err_set(err, FB_EPOLICY, "decision %s on case %s was already %s by %s and cannot be undone", d.id,
                        d.case_id, d.approval == FB_APPR_APPROVED ? "approved" : "sent back",
                        d.approved_by ? d.approved_by : "another reviewer");
        goto done;
    }
    if (store_case_load(s, d.case_id, &c, err) != FB_OK) {
        rc = err->status;
        goto done;
    }
    /* The case must still be where this decision put it (nothing moved it on since). */
    fb_case_status to = c->status;
    lc_actor actor = {.reviewer = wf->reviewer, .roles = LC_ROLES_ALL, .owner = d.reviewer};
    fb_case_status from = d.prior_status;
    fb_case_status led_to = lifecycle_next(from, lifecycle_decide_event(d.action, d.approval == FB_APPR_PENDING),
                                           FB_CS_NONE);
    if (from == FB_CS_NONE || led_to != to || lifecycle_may(to, LC_EV_UNDO, &actor, NULL) != LC_OK) {
        rc = fb_err_set(err, FB_EPOLICY,
                        "case %s has moved on since decision %s (it is now %s); the decision cannot be undone",
                        d.case_id, d.id, fb_case_status_str(c->status));
        goto done;
    }
    if (hold_until > 0) {
        r = store_outbox_hold(s, OUTBOX_DECISION, d.id, hold_until, err);
        if (r < 0)
            rc = err->status;
        else if (r == 0)
            rc = fb_err_set(err, FB_EPOLICY, "decision %s on case %s is no longer in the outbox and cannot be undone",
                            d.id, d.case_id);
        goto done;
    }
    from = lifecycle_next(to, LC_EV_UNDO, from);
    json_t *o = json_object();
    json_object_set_new(o, "action", json_string(fb_action_str(d.action)));
    json_object_set_new(o, "from", json_string(fb_case_status_str(to)));
    json_object_set_new(o, "to", json_string(fb_case_status_str(from)));
    audit = json_take(o);
    fb_appeal_row ap = {0};
    int64_t now = fb_now_ms();
    if (!audit) {
        rc = fb_err_set(err, FB_ENOMEM, "out of memory undoing a decision");
    } else if (store_decision_set_undone(s, d.id, now, err) != FB_OK ||
               store_outbox_delete_unsent(s, OUTBOX_DECISION, d.id, err) != FB_OK ||
               (r = store_appeal_resolved_by(s, d.id, &ap, err)) < 0 ||
               (r == 1 && store_appeal_resolve(s, ap.id, NULL, err) != FB_OK) ||
               store_case_set_status(s, d.case_id, from, err) != FB_OK ||
               store_sync_case_resettle(s, d.case_id, err) != FB_OK ||
               audit_append(s, wf->reviewer, "undo", d.case_id, d.id, audit, err) != FB_OK) {
        rc = err->status;
    }
    store_appeal_row_clear(&ap);
done:
    rc = finish(wf, rc, err);
    if (rc == FB_OK)
        memcpy(undone_id, d.id, sizeof d.id);
    free(audit);
    fb_case_free(&c);
    store_decision_row_clear(&d);
    return rc;
}

fb_status workflow_undo(fb_workflow *wf, char undone_id[37], fb_err *err)
{
    return undo(wf, NULL, 0, undone_id, err);
}

fb_status workflow_undo_hold(fb_workflow *wf, const char *decision_id, fb_err *err)
{
    char id[37];
    if (!decision_id || !decision_id[0])
        return fb_err_set(err, FB_EPOLICY, "no decision named to hold for undo");
    return undo(wf, decision_id, fb_now_ms() + WORKFLOW_UNDO_HOLD_MS, id, err);
}

fb_status workflow_undo_release(fb_workflow *wf, const char *decision_id, fb_err *err)
{
    if (store_begin(wf->store, err) != FB_OK)
        return err->status;
    fb_status rc = store_outbox_hold(wf->store, OUTBOX_DECISION, decision_id, 0, err) < 0 ? err->status : FB_OK;
    return finish(wf, rc, err);
}

fb_status workflow_undo_id(fb_workflow *wf, const char *decision_id, char undone_id[37], fb_err *err)
{
    return undo(wf, decision_id && decision_id[0] ? decision_id : NULL, 0, undone_id, err);
}

/* ---- appeals ---- */

/* Checks and writes an appeal inside the caller's transaction: ev is LC_EV_APPEAL, or
 * LC_EV_CONFLICT_APPEAL when the reviewer whose decision lost (owner) appeals the winner. */
static fb_status appeal_write(fb_workflow *wf, const char *decision_id, const char *text, lc_event ev,
                              const char *owner, char appeal_id[37], fb_err *err)
{
    fb_store *s = wf->store;
    fb_decision_row d = {0}, latest = {0};
    fb_case *c = NULL;
    char *payload = NULL, *detail = NULL;
    fb_appeal_row ap = {0};
    fb_status rc = FB_OK;
    if (store_decision_load(s, decision_id, &d, err) != FB_OK) {
        rc = err->status == FB_ENOTFOUND ? (err->status = FB_EPOLICY) : err->status;
        goto done;
    }
    if (store_case_load(s, d.case_id, &c, err) != FB_OK) {
        rc = err->status;
        goto done;
    }
    int r = store_decision_latest_for_case(s, d.case_id, &latest, err);
    if (r < 0) {
        rc = err->status;
        goto done;
    }
    if (d.undone_at || r == 0 || strcmp(latest.id, d.id) != 0) {
        rc = fb_err_set(err, FB_EPOLICY,
                        "decision %s on case %s is not the case's standing decision (%s); appeal the standing "
                        "one", d.id, d.case_id, d.undone_at ? "it was undone" : r ? latest.id : "none");
        goto done;
    }
    lc_actor actor = {.reviewer = wf->reviewer, .roles = LC_ROLES_ALL, .owner = owner};
    lc_verdict v = lifecycle_may(c->status, ev, &actor, NULL);
    if (v != LC_OK && c->status == FB_CS_APPEALED) {
        rc = fb_err_set(err, FB_EPOLICY, "case %s already has an open appeal; decide it before recording another",
                        c->id);
        goto done;
    }
    if (v == LC_NOT_IN_STATUS) {
        rc = fb_err_set(err, FB_EPOLICY,
                        "decision %s on case %s cannot be appealed while the case is %s; only a final decision "
                        "can be appealed", d.id, d.case_id, fb_case_status_str(c->status));
        goto done;
    }
    if (v != LC_OK) {
        rc = fb_err_set(err, FB_EPOLICY, "decision %s on case %s: %s may %s, not %s", d.id, d.case_id,
                        lifecycle_who_words(lifecycle_find(c->status, ev)->who), lifecycle_event_words(ev),
                        wf->reviewer);
        goto done;
    }
    fb_case_status to = lifecycle_next(c->status, ev, FB_CS_NONE);
    int64_t now = fb_now_ms();
    new_uuid(ap.id);
    memcpy(ap.decision_id, d.id, sizeof d.id);
    ap.case_id = d.case_id;
    ap.text = (char *)(uintptr_t)text;
    ap.received_at = now;
    outbox_msg m = {.kind = OUTBOX_APPEAL};
    m.u.appeal = (outbox_appeal){.appeal_id = ap.id, .decision_id = d.id, .case_id = d.case_id, .text = text,
                                 .at = now};
    payload = outbox_encode(&m);
    json_t *o = json_object();
    json_object_set_new(o, "decision_id", json_string(d.id));
    json_object_set_new(o, "text", json_string(text));
    json_object_set_new(o, "from", json_string(fb_case_status_str(c->status)));
    json_object_set_new(o, "to", json_string(fb_case_status_str(to)));
    detail = json_take(o);
    if (!payload || !detail)
        rc = fb_err_set(err, FB_ENOMEM, "out of memory recording an appeal");
    else if (store_appeal_insert(s, &ap, err) != FB_OK ||
             store_outbox_add(s, OUTBOX_APPEAL, ap.id, payload, now, err) != FB_OK ||
             audit_append(s, wf->reviewer, "appeal", d.case_id, ap.id, detail, err) != FB_OK ||
             store_case_set_status(s, d.case_id, to, err) != FB_OK)
        rc = err->status;
done:
    if (rc == FB_OK)
        memcpy(appeal_id, ap.id, sizeof ap.id);
    free(payload);
    free(detail);
    fb_case_free(&c);
    store_decision_row_clear(&d);
    store_decision_row_clear(&latest);
    return rc;
}

fb_status workflow_appeal(fb_workflow *wf, const char *decision_id, const char *text, char appeal_id[37], fb_err *err)
{
    appeal_id[0] = '\0';
    if (!decision_id || !decision_id[0])
        return fb_err_set(err, FB_EPOLICY, "an appeal needs the id of the decision it is against");
    if (blank(text)) {
        fb_err_set(err, FB_EPOLICY, "the appeal against decision %s has no text", decision_id);
        fb_err_remedy(err, FB_REMEDY_TEXT, decision_id);
        return FB_EPOLICY;
    }
    if (store_begin(wf->store, err) != FB_OK)
        return err->status;
    fb_status rc = appeal_write(wf, decision_id, text, LC_EV_APPEAL, NULL, appeal_id, err);
    rc = finish(wf, rc, err);
    if (rc != FB_OK)
        appeal_id[0] = '\0';
    return rc;
}

/* ---- conflicts ---- */

/* Loads the reviewer's conflicting decision (inside the transaction) and checks that it is
 * theirs and still unresolved. */
static fb_status conflict_load(fb_workflow *wf, const char *decision_id, fb_decision_row *d, fb_err *err)
{
    if (store_decision_load(wf->store, decision_id, d, err) != FB_OK)
        return err->status == FB_ENOTFOUND ? (err->status = FB_EPOLICY) : err->status;
    if (d->sync_state != FB_SYNC_CONFLICT || d->undone_at)
        return fb_err_set(err, FB_EPOLICY,
                          "decision %s on case %s is not a conflict (it is %s); only a decision upstream refused "
                          "because another one won can be resolved", d->id, d->case_id,
                          d->undone_at ? "undone" : fb_sync_str(d->sync_state) ? fb_sync_str(d->sync_state) : "?");
    fb_case *c = NULL;
    if (store_case_load(wf->store, d->case_id, &c, err) != FB_OK)
        return err->status;
    lc_actor actor = {.reviewer = wf->reviewer, .roles = LC_ROLES_ALL, .owner = d->reviewer};
    lc_verdict v = lifecycle_may(c->status, LC_EV_CONFLICT_ACCEPT, &actor, NULL);
    fb_case_free(&c);
    if (v != LC_OK)
        return fb_err_set(err, FB_EPOLICY,
                          "decision %s on case %s was made by %s, not by you (%s); only its reviewer resolves "
                          "the conflict", d->id, d->case_id, d->reviewer ? d->reviewer : "?", wf->reviewer);
    if (d->conflict_resolved_at)
        return fb_err_set(err, FB_EPOLICY, "the conflict of decision %s on case %s is already resolved (%s)",
                          d->id, d->case_id, d->conflict_resolution);
    return FB_OK;
}

static char *conflict_detail(const fb_decision_row *d, const fb_decision_row *winner, const char *resolution,
                             const char *appeal_id)
{
    json_t *o = json_object();
    json_object_set_new(o, "decision_id", json_string(d->id));
    json_object_set_new(o, "resolution", json_string(resolution));
    json_object_set_new(o, "winner", jstr(winner ? winner->id : d->conflict_winner));
    json_object_set_new(o, "winner_reviewer", jstr(winner ? winner->reviewer : NULL));
    json_object_set_new(o, "appeal_id", jstr(appeal_id));
    json_object_set_new(o, "upstream_note", jstr(d->upstream_note));
    return json_take(o);
}

fb_status workflow_conflict_accept(fb_workflow *wf, const char *decision_id, fb_err *err)
{
    fb_store *s = wf->store;
    if (!decision_id || !decision_id[0])
        return fb_err_set(err, FB_EPOLICY, "resolving a conflict needs the id of your conflicting decision");
    if (store_begin(s, err) != FB_OK)
        return err->status;
    fb_decision_row d = {0}, w = {0};
    char *detail = NULL;
    fb_status rc = conflict_load(wf, decision_id, &d, err);
    int have_w = 0;
    if (rc == FB_OK && (have_w = store_decision_conflict_winner(s, &d, &w, err)) < 0)
        rc = err->status;
    if (rc == FB_OK && !(detail = conflict_detail(&d, have_w ? &w : NULL, "accepted", NULL)))
        rc = fb_err_set(err, FB_ENOMEM, "out of memory resolving a conflict");
    int64_t now = fb_now_ms();
    if (rc == FB_OK && (store_decision_resolve_conflict(s, d.id, "accepted", now, err) != FB_OK ||
                        audit_append(s, wf->reviewer, "conflict", d.case_id, d.id, detail, err) != FB_OK))
        rc = err->status;
    rc = finish(wf, rc, err);
    free(detail);
    store_decision_row_clear(&d);
    store_decision_row_clear(&w);
    return rc;
}

fb_status workflow_conflict_appeal(fb_workflow *wf, const char *decision_id, const char *text, char appeal_id[37],
                                   fb_err *err)
{
    fb_store *s = wf->store;
    if (appeal_id)
        appeal_id[0] = '\0';
    if (!decision_id || !decision_id[0])
        return fb_err_set(err, FB_EPOLICY, "resolving a conflict needs the id of your conflicting decision");
    if (blank(text))
        return fb_err_set(err, FB_EPOLICY,
                          "appealing the decision that won against %s needs a text saying why; nothing was saved",
                          decision_id);
    if (store_begin(s, err) != FB_OK)
        return err->status;
    fb_decision_row d = {0}, w = {0};
    char *detail = NULL;
    char ap[37] = "";
    fb_status rc = conflict_load(wf, decision_id, &d, err);
    if (rc == FB_OK) {
        int r = store_decision_conflict_winner(s, &d, &w, err);
        if (r < 0)
            rc = err->status;
        else if (r == 0)
            rc = fb_err_set(err, FB_EPOLICY,
                            "the decision that won case %s against %s is not in this store yet; sync, then appeal it",
                            d.case_id, d.id);
    }
    if (rc == FB_OK)
        rc = appeal_write(wf, w.id, text, LC_EV_CONFLICT_APPEAL, d.reviewer, ap, err);
    if (rc == FB_OK && !(detail = conflict_detail(&d, &w, "appealed", ap)))
        rc = fb_err_set(err, FB_ENOMEM, "out of memory resolving a conflict");
    int64_t now = fb_now_ms();
    if (rc == FB_OK && (store_decision_resolve_conflict(s, d.id, "appealed", now, err) != FB_OK ||
                        audit_append(s, wf->reviewer, "conflict", d.case_id, d.id, detail, err) != FB_OK))
        rc = err->status;
    rc = finish(wf, rc, err);
    if (rc == FB_OK && appeal_id)
        memcpy(appeal_id, ap, sizeof ap);
    free(detail);
    store_decision_row_clear(&d);
    store_decision_row_clear(&w);
    return rc;
}

/* ---- rejections ---- */

fb_status workflow_discard(fb_workflow *wf, const char *decision_id, fb_err *err)
{
    fb_store *s = wf->store;
    if (!decision_id || !decision_id[0])
        return fb_err_set(err, FB_EPOLICY, "discarding needs the id of your rejected decision");
    if (store_begin(s, err) != FB_OK)
        return err->status;
    fb_decision_row d = {0};
    fb_case *c = NULL;
    char *detail = NULL;
    fb_status rc = FB_OK;
    if (store_decision_load(s, decision_id, &d, err) != FB_OK) {
        rc = err->status == FB_ENOTFOUND ? (err->status = FB_EPOLICY) : err->status;
        goto done;
    }
    if (d.sync_state != FB_SYNC_REJECTED || d.undone_at || d.conflict_resolved_at) {
        rc = fb_err_set(err, FB_EPOLICY,
                        "decision %s on case %s is not a rejection waiting for an answer (it is %s%s); only a "
                        "decision upstream rejected can be discarded", d.id, d.case_id,
                        d.undone_at ? "undone" : fb_sync_str(d.sync_state) ? fb_sync_str(d.sync_state) : "?",
                        d.conflict_resolved_at ? ", answered already" : "");
        goto done;
    }
    if (store_case_load(s, d.case_id, &c, err) != FB_OK) {
        rc = err->status;
        goto done;
    }
    lc_actor actor = {.reviewer = wf->reviewer, .roles = LC_ROLES_ALL, .owner = d.reviewer};
    if (lifecycle_may(c->status, LC_EV_DISCARD, &actor, NULL) != LC_OK) {
        rc = fb_err_set(err, FB_EPOLICY,
                        "decision %s on case %s was made by %s, not by you (%s); only its reviewer discards it",
                        d.id, d.case_id, d.reviewer ? d.reviewer : "?", wf->reviewer);
        goto done;
    }
    json_t *o = json_object();
    json_object_set_new(o, "decision_id", json_string(d.id));
    json_object_set_new(o, "resolution", json_string("discarded"));
    json_object_set_new(o, "upstream_note", jstr(d.upstream_note));
    detail = json_take(o);
    int64_t now = fb_now_ms();
    if (!detail)
        rc = fb_err_set(err, FB_ENOMEM, "out of memory discarding a decision");
    else if (store_decision_resolve_rejection(s, d.id, NULL, NULL, "discarded", now, err) != FB_OK ||
             audit_append(s, wf->reviewer, "discard", d.case_id, d.id, detail, err) != FB_OK)
        rc = err->status;
done:
    rc = finish(wf, rc, err);
    free(detail);
    fb_case_free(&c);
    store_decision_row_clear(&d);
    return rc;
}

/* ---- notes ---- */

fb_status workflow_note(fb_workflow *wf, const char *case_id, const char *text, fb_err *err)
{
    fb_store *s = wf->store;
    if (!case_id || !case_id[0])
        return fb_err_set(err, FB_EPOLICY, "a note needs a case id");
    if (blank(text))
        return fb_err_set(err, FB_EPOLICY, "the note on case %s is empty; type its text", case_id);
    if (store_begin(s, err) != FB_OK)
        return err->status;
    fb_status rc = FB_OK;
    char *payload = NULL, *detail = NULL;
    int ex = store_case_exists(s, case_id);
    if (ex <= 0) {
        rc = ex < 0 ? fb_err_set(err, FB_ESTORE, "store %s: cannot look up case %s", store_path(s), case_id)
                    : fb_err_set(err, FB_EPOLICY, "case %s is not in %s; check the case id", case_id,
                                 store_path(s));
        goto done;
    }
    int64_t now = fb_now_ms();
    outbox_msg m = {.kind = OUTBOX_NOTE};
    m.u.note = (outbox_note){.case_id = case_id, .reviewer = wf->reviewer, .text = text, .at = now};
    payload = outbox_encode(&m);
    json_t *o = json_object();
    json_object_set_new(o, "text", json_string(text));
    detail = json_take(o);
    if (!payload || !detail)
        rc = fb_err_set(err, FB_ENOMEM, "out of memory saving a note");
    else if (store_note_insert(s, case_id, wf->reviewer, now, text, err) != FB_OK ||
             store_outbox_add(s, OUTBOX_NOTE, case_id, payload, now, err) != FB_OK ||
             audit_append(s, wf->reviewer, "note", case_id, NULL, detail, err) != FB_OK)
        rc = err->status;
done:
    rc = finish(wf, rc, err);
    free(payload);
    free(detail);
    return rc;
}

/* ---- case lists for bulk decisions ---- */

fb_status workflow_cases_of_subject(fb_workflow *wf, const char *account, fb_ids *out, fb_err *err)
{
    return store_cases_of_subject(wf->store, account, out, err);
}

fb_status workflow_cases_of_cluster(fb_workflow *wf, const char *account, fb_ids *out, fb_err *err)
{
    return store_cases_of_cluster(wf->store, account, WORKFLOW_CLUSTER_MAX, out, err);
}
