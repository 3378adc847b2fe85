/* The decision workflow through its C API on real SQLite files: validation, the
 * one-transaction guarantee, four-eyes, appeals, undo, bulk, claims, notes, durability. */
#include "fixture_decision.h"

#include <jansson.h>

#include "fbreview/audit.h"
#include "fbreview/notice.h"
#include "fbreview/timeutil.h"

/* Rows the workflow writes, for "nothing was written" checks. */
static long long written(const char *path)
{
    return t_sql_int(path, "SELECT (SELECT count(*) FROM decision) + (SELECT count(*) FROM outbox)"
                        " + (SELECT count(*) FROM audit) + (SELECT count(*) FROM appeal)"
                        " + (SELECT count(*) FROM note)");
}

static char *status_of(const char *path, const char *case_id)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT status FROM \"case\" WHERE id='%s'", case_id);
    return t_sql_text(path, sql);
}

static void assert_status(const char *path, const char *case_id, const char *want)
{
    char *st = status_of(path, case_id);
    assert_non_null(st);
    assert_string_equal(st, want);
    free(st);
}

/* Decides one request expecting a refusal whose message contains want. */
static void refuse(fb_workflow *wf, fb_decide_req r, const char *want)
{
    fb_decide_plan plan;
    fb_err err = {0};
    assert_int_equal(workflow_decide(wf, &r, 1, &plan, &err), FB_EPOLICY);
    if (!strstr(err.msg, want))
        fprintf(stderr, "message: %s\nwanted: %s\n", err.msg, want);
    assert_non_null(strstr(err.msg, want));
    assert_string_equal(plan.decision_id, "");
}

static void decide_ok(fb_workflow *wf, fb_decide_req r, fb_decide_plan *plan)
{
    fb_err err = {0};
    fb_status rc = workflow_decide(wf, &r, 1, plan, &err);
    if (rc != FB_OK)
        fprintf(stderr, "decide %s: %s\n", r.case_id, err.msg);
    assert_int_equal(rc, FB_OK);
    assert_int_equal(strlen(plan->decision_id), 36);
}

static void test_refusals(void **state)
{
    (void)state;
    fx f;
    fx_open(&f, "refuse.db", "alice", NULL);
    fx_case(f.s, "C-1", "u-1", "u-2", 80, FB_V_SELF_HIRE);       /* recommends suspension 14 */
    fx_case(f.s, "C-2", "u-3", NULL, 10, FB_V_NONE);             /* no code at all, low risk */
    fx_case(f.s, "C-3", "u-4", "u-5", 40, FB_V_FAKE_JOB);        /* education, risk below high */

    refuse(f.wf, fx_accept("C-404"), "case C-404 is not in");
    refuse(f.wf, fx_req("C-1", (fb_action)42, FB_V_NONE, 0, NULL), "unknown action");
    refuse(f.wf, fx_req("C-2", FB_A_EDUCATION, FB_V_NONE, 0, "x"), "needs a violation code");
    {
        /* The refusal names no CLI flag: each front end says how to go on (remedy). */
        fb_decide_req r1 = fx_req("C-2", FB_A_EDUCATION, FB_V_NONE, 0, "x");
        fb_decide_plan p1;
        fb_err e1 = {0};
        assert_int_equal(workflow_decide(f.wf, &r1, 1, &p1, &e1), FB_EPOLICY);
        assert_int_equal(e1.remedy, FB_REMEDY_VIOLATION);
        assert_null(strstr(e1.msg, "--"));
    }
    refuse(f.wf, fx_req("C-1", FB_A_SUSPENSION, FB_V_NONE, 400, "long"), "1 to 365 days, not 400");
    refuse(f.wf, fx_req("C-1", FB_A_SUSPENSION, FB_V_NONE, -3, "neg"), "1 to 365 days, not -3");
    refuse(f.wf, fx_req("C-1", FB_A_NO_VIOLATION, FB_V_SELF_HIRE, 0, "x"), "no_violation carries no violation code");
    refuse(f.wf, fx_req("C-1", FB_A_ESCALATE, FB_V_NONE, 5, "x"), "days apply only to a suspension");
    refuse(f.wf, fx_req("C-1", FB_A_EDUCATION, FB_V_NONE, 7, "x"), "days apply only to a suspension");
    /* Overriding the recommendation needs a rationale; so does a different length or code. */
    refuse(f.wf, fx_req("C-1", FB_A_EDUCATION, FB_V_NONE, 0, NULL),
           "education (self_hire) differs from the recommended suspension 14 days (self_hire)");
    refuse(f.wf, fx_req("C-1", FB_A_SUSPENSION, FB_V_NONE, 30, "  "), "differs from the recommended");
    refuse(f.wf, fx_req("C-1", FB_A_SUSPENSION, FB_V_PAID_FEEDBACK, 0, ""), "differs from the recommended");
    refuse(f.wf, fx_req("C-3", FB_A_ESCALATE, FB_V_NONE, 0, NULL), "an escalation needs a rationale");
    refuse(f.wf, fx_req("C-1", FB_A_NO_VIOLATION, FB_V_NONE, 0, NULL), "dismissing a case with risk 80");
    assert_int_equal(written(f.path), 0);
    assert_status(f.path, "C-1", "open");

    /* The plan stays filled when only the rationale is missing: the console prompts. */
    fb_decide_plan plan;
    fb_err err = {0};
    fb_decide_req r = fx_req("C-1", FB_A_EDUCATION, FB_V_NONE, 0, NULL);
    assert_int_equal(workflow_check(f.wf, &r, &plan, &err), FB_EPOLICY);
    assert_true(plan.needs_rationale);
    assert_true(plan.overridden);
    assert_int_equal(plan.rec.action, FB_A_SUSPENSION);
    assert_non_null(plan.notice);
    decide_plan_clear(&plan);

    /* Dismissing below high risk, and taking the recommendation, need none. */
    r = fx_req("C-3", FB_A_NO_VIOLATION, FB_V_NONE, 0, NULL);
    assert_int_equal(workflow_check(f.wf, &r, &plan, &err), FB_EPOLICY);   /* overrides education */
    decide_plan_clear(&plan);
    fx_case(f.s, "C-4", "u-6", NULL, 20, FB_V_FAKE_JOB);   /* below no_violation_below: recommends dismissal */
    r = fx_req("C-4", FB_A_NO_VIOLATION, FB_V_NONE, 0, NULL);
    assert_int_equal(workflow_check(f.wf, &r, &plan, &err), FB_OK);
    assert_false(plan.needs_rationale);
    assert_null(plan.notice);
    decide_plan_clear(&plan);

    /* Decided and pending-approval cases are not decidable again. */
    decide_ok(f.wf, fx_accept("C-1"), &plan);
    refuse(f.wf, fx_accept("C-1"), "case C-1 is already decided");
    refuse(f.wf, fx_accept("C-1"), plan.decision_id);
    decide_plan_clear(&plan);
    fx_case(f.s, "C-5", "u-7", NULL, 90, FB_V_PAID_FEEDBACK);
    decide_ok(f.wf, fx_req("C-5", FB_A_BLOCK, FB_V_NONE, 0, "caught in the act"), &plan);
    assert_status(f.path, "C-5", "pending_approval");
    refuse(f.wf, fx_accept("C-5"), "waiting for a second reviewer's approval");
    decide_plan_clear(&plan);
    fx_close(&f);
}

static void test_accept_writes_everything(void **state)
{
    (void)state;
    fx f;
    fx_open(&f, "accept.db", "alice", NULL);
    fx_case(f.s, "C-1", "u-1", "u-2", 80, FB_V_SELF_HIRE);
    fb_decide_plan plan;
    decide_ok(f.wf, fx_accept("C-1"), &plan);
    assert_int_equal(plan.action, FB_A_SUSPENSION);
    assert_int_equal(plan.days, 14);
    assert_int_equal(plan.violation, FB_V_SELF_HIRE);
    assert_false(plan.overridden);
    assert_int_equal(plan.new_status, FB_CS_DECIDED);
    assert_int_equal(plan.old_status, FB_CS_OPEN);
    assert_status(f.path, "C-1", "decided");

    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT action||'/'||violation||'/'||days||'/'||rec_action||'/'||rec_days||'/'||overridden||'/'||"
             "reviewer||'/'||approval||'/'||sync_state FROM decision WHERE id='%s'", plan.decision_id);
    char *row = t_sql_text(f.path, sql);
    assert_string_equal(row, "suspension/self_hire/14/suspension/14/0/alice/none/pending");
    free(row);
    /* The notice stored is the rendered one. */
    snprintf(sql, sizeof sql, "SELECT notice FROM decision WHERE id='%s'", plan.decision_id);
    char *notice = t_sql_text(f.path, sql);
    notice_facts nf = {.action = FB_A_SUSPENSION, .violation = FB_V_SELF_HIRE, .days = 14};
    char *want = notice_render(&nf);
    assert_non_null(notice);
    assert_non_null(want);
    assert_string_equal(notice, want);
    assert_non_null(strstr(notice, "14 days"));
    free(notice);
    free(want);
    /* The outbox payload carries the contract's keys. */
    snprintf(sql, sizeof sql, "SELECT payload FROM outbox WHERE kind='decision' AND ref='%s' AND sent_at IS NULL",
             plan.decision_id);
    char *payload = t_sql_text(f.path, sql);
    json_error_t je;
    json_t *j = json_loads(payload, 0, &je);
    assert_non_null(j);
    static const char *const keys[] = {"decision_id", "case_id", "reviewer", "action", "violation", "days",
                                       "rationale", "rec_action", "rec_violation", "rec_days", "overridden",
                                       "notice", "decided_at", "supersedes", "approval", "claim_override"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        assert_non_null(json_object_get(j, keys[i]));
    assert_string_equal(json_string_value(json_object_get(j, "decision_id")), plan.decision_id);
    assert_string_equal(json_string_value(json_object_get(j, "action")), "suspension");
    assert_int_equal(json_integer_value(json_object_get(j, "days")), 14);
    assert_true(json_is_null(json_object_get(j, "supersedes")));
    assert_true(json_is_false(json_object_get(j, "overridden")));
    assert_true(json_integer_value(json_object_get(j, "decided_at")) > 1700000000000LL);
    json_decref(j);
    free(payload);
    /* One audit row naming the case and the decision, and the chain verifies. */
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE kind='decision' AND case_id='C-1' AND ref='%s'",
             plan.decision_id);
    assert_int_equal(t_sql_int(f.path, sql), 1);
    fb_audit_report rep;
    fb_err err = {0};
    assert_int_equal(audit_verify(f.s, &rep, &err), FB_OK);
    assert_int_equal(rep.rows, 1);
    decide_plan_clear(&plan);

    /* An override with a rationale is recorded as one, with the recommendation beside it. */
    fx_case(f.s, "C-2", "u-3", "u-4", 80, FB_V_PAID_FEEDBACK);
    decide_ok(f.wf, fx_req("C-2", FB_A_EDUCATION, FB_V_NONE, 0, "first contact, the user apologised"), &plan);
    snprintf(sql, sizeof sql, "SELECT overridden||'/'||rec_action||'/'||rationale FROM decision WHERE id='%s'",
             plan.decision_id);
    row = t_sql_text(f.path, sql);
    assert_string_equal(row, "1/suspension/first contact, the user apologised");
    free(row);
    decide_plan_clear(&plan);
    fx_close(&f);
}

static void test_fault_leaves_nothing(void **state)
{
    (void)state;
    static const char *const points[] = {"after_decision_insert", "after_outbox_insert", "before_commit"};
    for (size_t i = 0; i < sizeof points / sizeof points[0]; i++) {
        char name[64];
        snprintf(name, sizeof name, "fault%zu.db", i);
        fx f;
        fx_open(&f, name, "alice", NULL);
        fx_case(f.s, "C-1", "u-1", "u-2", 80, FB_V_SELF_HIRE);
        fx_case(f.s, "C-2", "u-3", "u-4", 80, FB_V_SELF_HIRE);
        workflow_set_fault(f.wf, points[i]);
        fb_decide_req reqs[2] = {fx_accept("C-1"), fx_accept("C-2")};
        fb_decide_plan plans[2];
        fb_err err = {0};
        assert_int_equal(workflow_decide(f.wf, reqs, 2, plans, &err), FB_ESTORE);
        assert_non_null(strstr(err.msg, points[i]));
        assert_int_equal(written(f.path), 0);
        assert_status(f.path, "C-1", "open");
        assert_status(f.path, "C-2", "open");
        assert_string_equal(plans[0].decision_id, "");
        /* The store is usable afterwards: the same decision saves once the fault is gone. */
        workflow_set_fault(f.wf, NULL);
        assert_int_equal(workflow_decide(f.wf, reqs, 2, plans, &err), FB_OK);
        assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM decision"), 2);
        decide_plan_clear(&plans[0]);
        decide_plan_clear(&plans[1]);
        fx_close(&f);
    }
    /* The environment variable sets the same hook (how the CLI is tested). */
    setenv("FBREVIEW_FAULT", "after_decision_insert", 1);
    fx f;
    fx_open(&f, "faultenv.db", "alice", NULL);
    unsetenv("FBREVIEW_FAULT");
    fx_case(f.s, "C-1", "u-1", "u-2", 80, FB_V_SELF_HIRE);
    fb_decide_req r = fx_accept("C-1");
    fb_decide_plan plan;
    fb_err err = {0};
    assert_int_equal(workflow_decide(f.wf, &r, 1, &plan, &err), FB_ESTORE);
    assert_int_equal(written(f.path), 0);
    assert_status(f.path, "C-1", "open");
    fx_close(&f);
}

static void test_four_eyes(void **state)
{
    (void)state;
    fx f;
    fx_open(&f, "approve.db", "alice", NULL);
    fx_case(f.s, "C-1", "u-1", "u-2", 90, FB_V_FEEDBACK_EXTORTION);
    fb_decide_plan plan;
    decide_ok(f.wf, fx_req("C-1", FB_A_BLOCK, FB_V_NONE, 0, "threats in three messages"), &plan);
    assert_int_equal(plan.new_status, FB_CS_PENDING_APPROVAL);
    assert_status(f.path, "C-1", "pending_approval");
    char id[37];
    memcpy(id, plan.decision_id, sizeof id);
    decide_plan_clear(&plan);

    fb_err err = {0};
    /* The proposer cannot approve or send back their own block. */
    assert_int_equal(workflow_approve(f.wf, id, 0, NULL, &err), FB_EPOLICY);
    assert_non_null(strstr(err.msg, "proposed by you"));
    assert_int_equal(workflow_approve(f.wf, id, 1, "no", &err), FB_EPOLICY);
    assert_non_null(strstr(err.msg, "proposed by you"));

    fb_store *s2 = NULL;
    fb_workflow *bob = fx_as(&f, "bob", &s2);
    /* Sending back needs a rationale. */
    assert_int_equal(workflow_approve(bob, id, 1, "", &err), FB_EPOLICY);
    assert_non_null(strstr(err.msg, "needs a rationale"));
    assert_int_equal(workflow_approve(bob, "no-such-id", 0, NULL, &err), FB_EPOLICY);
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM outbox WHERE kind='approval'"), 0);
    /* Sent back: the case reopens, the block stays on record as rejected. */
    assert_int_equal(workflow_approve(bob, id, 1, "evidence is one message; suspend instead", &err), FB_OK);
    assert_status(f.path, "C-1", "open");
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT approval||'/'||approved_by FROM decision WHERE id='%s'", id);
    char *row = t_sql_text(f.path, sql);
    assert_string_equal(row, "rejected/bob");
    free(row);
    assert_int_equal(workflow_approve(bob, id, 0, NULL, &err), FB_EPOLICY);
    assert_non_null(strstr(err.msg, "not waiting for approval"));

    /* A new proposal; bob approves it. */
    decide_ok(f.wf, fx_req("C-1", FB_A_BLOCK, FB_V_NONE, 0, "more threats found"), &plan);
    memcpy(id, plan.decision_id, sizeof id);
    decide_plan_clear(&plan);
    assert_int_equal(workflow_approve(bob, id, 0, NULL, &err), FB_OK);
    assert_status(f.path, "C-1", "decided");
    snprintf(sql, sizeof sql, "SELECT approval||'/'||approved_by||'/'||(approved_at>0) FROM decision WHERE id='%s'", id);
    row = t_sql_text(f.path, sql);
    assert_string_equal(row, "approved/bob/1");
    free(row);
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM outbox WHERE kind='approval'"), 2);
    snprintf(sql, sizeof sql, "SELECT payload FROM outbox WHERE kind='approval' AND ref='%s'", id);
    row = t_sql_text(f.path, sql);
    json_t *j = json_loads(row, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(j, "approval")), "approved");
    assert_string_equal(json_string_value(json_object_get(j, "by")), "bob");
    assert_non_null(json_object_get(j, "at"));
    json_decref(j);
    free(row);
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM audit WHERE kind='approval' AND actor='bob'"), 2);
    workflow_close(&bob);
    store_close(&s2);

    /* With approval off, a block is final at once. */
    fx g;
    fx_open(&g, "noapprove.db", "alice", "[policy]\nblock_needs_approval = false\n");
    fx_case(g.s, "C-9", "u-1", "u-2", 90, FB_V_FEEDBACK_EXTORTION);
    decide_ok(g.wf, fx_req("C-9", FB_A_BLOCK, FB_V_NONE, 0, "threats"), &plan);
    assert_status(g.path, "C-9", "decided");
    decide_plan_clear(&plan);
    fx_close(&g);
    fx_close(&f);
}

static void test_appeals(void **state)
{
    (void)state;
    fx f;
    fx_open(&f, "appeal.db", "alice", NULL);
    fx_case(f.s, "C-1", "u-1", "u-2", 80, FB_V_SELF_HIRE);
    fb_decide_plan plan;
    decide_ok(f.wf, fx_accept("C-1"), &plan);
    char first[37], appeal[37];
    memcpy(first, plan.decision_id, sizeof first);
    decide_plan_clear(&plan);

    fb_err err = {0};
    assert_int_equal(workflow_appeal(f.wf, first, "", appeal, &err), FB_EPOLICY);
    assert_non_null(strstr(err.msg, "has no text"));
    assert_int_equal(workflow_appeal(f.wf, first, "It was my brother's account, not mine.", appeal, &err), FB_OK);
    assert_int_equal(strlen(appeal), 36);
    assert_status(f.path, "C-1", "appealed");
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM outbox WHERE kind='appeal'"), 1);
    /* One open appeal at a time. */
    char again[37];
    assert_int_equal(workflow_appeal(f.wf, first, "again", again, &err), FB_EPOLICY);
    assert_string_equal(again, "");
    assert_non_null(strstr(err.msg, "already has an open appeal"));

    /* Separation: alice decided it, so alice cannot decide the appeal. */
    refuse(f.wf, fx_req("C-1", FB_A_NO_VIOLATION, FB_V_NONE, 0, "brother's account"), "against your own decision");

    fb_store *s2 = NULL;
    char sql[256];
    fb_workflow *bob = fx_as(&f, "bob", &s2);
    decide_ok(bob, fx_req("C-1", FB_A_NO_VIOLATION, FB_V_NONE, 0, "the accounts belong to different people"), &plan);
    assert_true(plan.appeal_of);
    assert_string_equal(plan.supersedes, first);
    /* The overturned suspension gets a notice of its own, saved with the decision. */
    assert_non_null(plan.notice);
    assert_non_null(strstr(plan.notice, "reversed our earlier decision"));
    assert_non_null(strstr(plan.notice, "Your suspension is lifted"));
    snprintf(sql, sizeof sql, "SELECT notice FROM decision WHERE id='%s'", plan.decision_id);
    char *saved = t_sql_text(f.path, sql);
    assert_string_equal(saved, plan.notice);
    free(saved);
    assert_status(f.path, "C-1", "decided");
    /* Both decisions stay; the new one points at the old; the appeal is resolved by it. */
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM decision WHERE case_id='C-1'"), 2);
    snprintf(sql, sizeof sql, "SELECT supersedes FROM decision WHERE id='%s'", plan.decision_id);
    char *sup = t_sql_text(f.path, sql);
    assert_string_equal(sup, first);
    free(sup);
    snprintf(sql, sizeof sql, "SELECT resolved_by FROM appeal WHERE id='%s'", appeal);
    char *res = t_sql_text(f.path, sql);
    assert_string_equal(res, plan.decision_id);
    free(res);
    /* Only the standing decision can be appealed. */
    assert_int_equal(workflow_appeal(bob, first, "and again", again, &err), FB_EPOLICY);
    assert_non_null(strstr(err.msg, "not the case's standing decision"));
    decide_plan_clear(&plan);
    workflow_close(&bob);
    store_close(&s2);

    /* With separation off, the same reviewer may decide the appeal. */
    fx g;
    fx_open(&g, "appeal2.db", "alice", "[policy]\nappeal_separation = false\n");
    fx_case(g.s, "C-1", "u-1", "u-2", 80, FB_V_SELF_HIRE);
    decide_ok(g.wf, fx_accept("C-1"), &plan);
    memcpy(first, plan.decision_id, sizeof first);
    decide_plan_clear(&plan);
    assert_int_equal(workflow_appeal(g.wf, first, "please", appeal, &err), FB_OK);
    decide_ok(g.wf, fx_req("C-1", FB_A_EDUCATION, FB_V_NONE, 0, "first time; reduce"), &plan);
    assert_string_equal(plan.supersedes, first);
    assert_non_null(strstr(plan.notice, "We reviewed your appeal and changed our earlier decision"));
    decide_plan_clear(&plan);
    fx_close(&g);
    fx_close(&f);
}

static void test_undo(void **state)
{
    (void)state;
    fx f;
    fx_open(&f, "undo.db", "alice", NULL);
    fx_case(f.s, "C-1", "u-1", "u-2", 80, FB_V_SELF_HIRE);
    fx_case(f.s, "C-2", "u-3", "u-4", 80, FB_V_SELF_HIRE);
    fx_case(f.s, "C-3", "u-5", "u-6", 80, FB_V_SELF_HIRE);
    fb_err err = {0};
    char undone[37];
    assert_int_equal(workflow_undo(f.wf, undone, &err), FB_EPOLICY);
    assert_non_null(strstr(err.msg, "no decision to undo"));

    /* C-2 was escalated (and claimed by alice herself): undo must bring back 'escalated', not 'open'. */
    t_sql(f.path, "UPDATE \"case\" SET status='escalated', claim_by='alice', claim_until=9999999999999 WHERE id='C-2'");
    fb_decide_plan p1, p2;
    decide_ok(f.wf, fx_accept("C-1"), &p1);
    decide_ok(f.wf, fx_accept("C-2"), &p2);

    /* Not the last one. */
    assert_int_equal(workflow_undo_id(f.wf, p1.decision_id, undone, &err), FB_EPOLICY);
    assert_non_null(strstr(err.msg, "not your last decision"));
    /* Another reviewer has no decision to undo, and cannot undo alice's. */
    fb_store *s2 = NULL;
    fb_workflow *bob = fx_as(&f, "bob", &s2);
    assert_int_equal(workflow_undo(bob, undone, &err), FB_EPOLICY);
    workflow_close(&bob);
    store_close(&s2);

    assert_int_equal(workflow_undo(f.wf, undone, &err), FB_OK);
    assert_string_equal(undone, p2.decision_id);
    assert_status(f.path, "C-2", "escalated");
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT undone_at > 0 FROM decision WHERE id='%s'", p2.decision_id);
    assert_int_equal(t_sql_int(f.path, sql), 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM outbox WHERE ref='%s'", p2.decision_id);
    assert_int_equal(t_sql_int(f.path, sql), 0);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE kind='undo' AND ref='%s'", p2.decision_id);
    assert_int_equal(t_sql_int(f.path, sql), 1);
    /* The case can be decided again. */
    fb_decide_plan p3;
    decide_ok(f.wf, fx_accept("C-2"), &p3);

    /* In flight: the sync engine marked the outbox row sent. */
    snprintf(sql, sizeof sql, "UPDATE outbox SET sent_at=1 WHERE ref='%s'", p3.decision_id);
    t_sql(f.path, sql);
    assert_int_equal(workflow_undo(f.wf, undone, &err), FB_EPOLICY);
    assert_non_null(strstr(err.msg, "being sent upstream"));
    /* Synced: upstream committed, the outbox row is gone. */
    snprintf(sql, sizeof sql,
             "UPDATE decision SET sync_state='synced', synced_at=2 WHERE id='%s';"
             "DELETE FROM outbox WHERE ref='%s'", p3.decision_id, p3.decision_id);
    t_sql(f.path, sql);
    assert_int_equal(workflow_undo(f.wf, undone, &err), FB_EPOLICY);
    assert_non_null(strstr(err.msg, "already synced"));
    assert_status(f.path, "C-2", "decided");

    /* Undoing an appeal decision reopens the appeal. */
    t_sql(f.path, "UPDATE decision SET sync_state='synced'");
    t_sql(f.path, "DELETE FROM outbox");
    fb_decide_plan p4;
    decide_ok(f.wf, fx_accept("C-3"), &p4);
    char appeal[37];
    assert_int_equal(workflow_appeal(f.wf, p4.decision_id, "not me", appeal, &err), FB_OK);
    bob = fx_as(&f, "bob", &s2);
    fb_decide_plan p5;
    decide_ok(bob, fx_req("C-3", FB_A_NO_VIOLATION, FB_V_NONE, 0, "different people"), &p5);
    assert_int_equal(workflow_undo(bob, undone, &err), FB_OK);
    assert_string_equal(undone, p5.decision_id);
    assert_status(f.path, "C-3", "appealed");
    snprintf(sql, sizeof sql, "SELECT resolved_by IS NULL FROM appeal WHERE id='%s'", appeal);
    assert_int_equal(t_sql_int(f.path, sql), 1);
    workflow_close(&bob);
    store_close(&s2);

    /* The chain still verifies after all that. */
    assert_int_equal(audit_verify(f.s, NULL, &err), FB_OK);
    decide_plan_clear(&p1);
    decide_plan_clear(&p2);
    decide_plan_clear(&p3);
    decide_plan_clear(&p4);
    decide_plan_clear(&p5);
    fx_close(&f);
}

static void test_bulk(void **state)
{
    (void)state;
    fx f;
    fx_open(&f, "bulk.db", "alice", NULL);
    fx_case(f.s, "C-1", "u-1", "u-2", 80, FB_V_SELF_HIRE);
    fx_case(f.s, "C-2", "u-1", "u-3", 80, FB_V_SELF_HIRE);
    fx_case(f.s, "C-3", "u-3", "u-9", 80, FB_V_SELF_HIRE);    /* u-3 linked to u-1 through C-2 */
    fx_case(f.s, "C-4", "u-7", "u-8", 80, FB_V_SELF_HIRE);    /* another cluster */
    fx_case(f.s, "C-5", "u-1", NULL, 10, FB_V_NONE);          /* no code: education refused */

    /* One bad case: nothing is written. */
    fb_decide_req reqs[3] = {fx_req("C-1", FB_A_EDUCATION, FB_V_NONE, 0, "bulk"),
                             fx_req("C-2", FB_A_EDUCATION, FB_V_NONE, 0, "bulk"),
                             fx_req("C-5", FB_A_EDUCATION, FB_V_NONE, 0, "bulk")};
    fb_decide_plan plans[3];
    fb_err err = {0};
    assert_int_equal(workflow_decide(f.wf, reqs, 3, plans, &err), FB_EPOLICY);
    assert_non_null(strstr(err.msg, "case C-5"));
    assert_non_null(strstr(err.msg, "none of the 3 decisions was saved"));
    assert_int_equal(written(f.path), 0);
    assert_status(f.path, "C-1", "open");
    /* The same case twice is refused. */
    reqs[2] = fx_req("C-1", FB_A_EDUCATION, FB_V_NONE, 0, "bulk");
    assert_int_equal(workflow_decide(f.wf, reqs, 3, plans, &err), FB_EPOLICY);
    assert_non_null(strstr(err.msg, "named twice"));
    assert_int_equal(written(f.path), 0);

    /* Subject and cluster lists. */
    fb_ids ids;
    assert_int_equal(workflow_cases_of_subject(f.wf, "u-1", &ids, &err), FB_OK);
    assert_int_equal(ids.n, 3);
    assert_string_equal(ids.v[0], "C-1");
    assert_string_equal(ids.v[1], "C-2");
    assert_string_equal(ids.v[2], "C-5");
    store_ids_free(&ids);
    assert_int_equal(workflow_cases_of_cluster(f.wf, "u-9", &ids, &err), FB_OK);
    assert_int_equal(ids.n, 4);   /* u-9 - u-3 - u-1: C-1, C-2, C-3, C-5 */
    assert_string_equal(ids.v[2], "C-3");
    store_ids_free(&ids);
    assert_int_equal(workflow_cases_of_cluster(f.wf, "u-7", &ids, &err), FB_OK);
    assert_int_equal(ids.n, 1);
    assert_string_equal(ids.v[0], "C-4");
    store_ids_free(&ids);

    /* All good: one transaction, each case its own row and id. */
    fb_decide_req ok[3] = {fx_accept("C-1"), fx_accept("C-2"), fx_accept("C-3")};
    assert_int_equal(workflow_decide(f.wf, ok, 3, plans, &err), FB_OK);
    assert_int_equal(t_sql_int(f.path, "SELECT count(DISTINCT id) FROM decision"), 3);
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM outbox WHERE kind='decision'"), 3);
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM audit"), 3);
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM \"case\" WHERE status='decided'"), 3);
    assert_string_not_equal(plans[0].decision_id, plans[1].decision_id);
    /* Decided cases leave the subject's list. */
    assert_int_equal(workflow_cases_of_subject(f.wf, "u-1", &ids, &err), FB_OK);
    assert_int_equal(ids.n, 1);
    store_ids_free(&ids);
    for (int i = 0; i < 3; i++)
        decide_plan_clear(&plans[i]);
    fx_close(&f);
}

static void test_claims(void **state)
{
    (void)state;
    fx f;
    fx_open(&f, "claim.db", "alice", NULL);
    fx_case(f.s, "C-1", "u-1", "u-2", 80, FB_V_SELF_HIRE);
    fx_case(f.s, "C-2", "u-3", "u-4", 80, FB_V_SELF_HIRE);
    char sql[256];
    snprintf(sql, sizeof sql,
             "UPDATE \"case\" SET claim_by='bob', claim_until=%lld WHERE id IN ('C-1','C-2')",
             (long long)(fb_now_ms() + 600000));
    t_sql(f.path, sql);
    refuse(f.wf, fx_accept("C-1"), "case C-1 is claimed by bob until");
    {
        /* What to do next is each front end's: the workflow names the remedy, no flag. */
        fb_decide_req r1 = fx_accept("C-1");
        fb_decide_plan p1;
        fb_err e1 = {0};
        assert_int_equal(workflow_decide(f.wf, &r1, 1, &p1, &e1), FB_EPOLICY);
        assert_int_equal(e1.remedy, FB_REMEDY_CLAIM);
        assert_null(strstr(e1.msg, "--"));
    }
    assert_int_equal(written(f.path), 0);

    fb_decide_req r = fx_accept("C-1");
    r.claim_override = 1;
    fb_decide_plan plan;
    decide_ok(f.wf, r, &plan);
    assert_true(plan.claim_overridden);
    snprintf(sql, sizeof sql, "SELECT claim_override FROM decision WHERE id='%s'", plan.decision_id);
    assert_int_equal(t_sql_int(f.path, sql), 1);
    snprintf(sql, sizeof sql, "SELECT json_extract(payload,'$.claim_override') FROM outbox WHERE ref='%s'",
             plan.decision_id);
    assert_int_equal(t_sql_int(f.path, sql), 1);
    snprintf(sql, sizeof sql, "SELECT json_extract(detail,'$.claim_override') FROM audit WHERE ref='%s'",
             plan.decision_id);
    assert_int_equal(t_sql_int(f.path, sql), 1);
    decide_plan_clear(&plan);

    /* An expired claim is no obstacle, and nothing is recorded as overridden. */
    t_sql(f.path, "UPDATE \"case\" SET claim_until=1 WHERE id='C-2'");
    decide_ok(f.wf, fx_accept("C-2"), &plan);
    assert_false(plan.claim_overridden);
    decide_plan_clear(&plan);
    fx_close(&f);
}

static void test_notes_never_in_notices(void **state)
{
    (void)state;
    fx f;
    fx_open(&f, "note.db", "alice", NULL);
    fx_case(f.s, "C-1", "u-1", "u-2", 80, FB_V_SELF_HIRE);
    fb_err err = {0};
    assert_int_equal(workflow_note(f.wf, "C-1", "   ", &err), FB_EPOLICY);
    assert_int_equal(workflow_note(f.wf, "C-404", "x", &err), FB_EPOLICY);
    assert_non_null(strstr(err.msg, "C-404"));
    assert_int_equal(workflow_note(f.wf, "C-1", "INTERNAL-ONLY: the brother story sounds made up", &err), FB_OK);
    fb_decide_plan plan;
    decide_ok(f.wf, fx_accept("C-1"), &plan);
    assert_non_null(plan.notice);
    assert_null(strstr(plan.notice, "INTERNAL-ONLY"));
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM decision WHERE notice LIKE '%INTERNAL-ONLY%'"), 0);
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM outbox WHERE kind='decision' AND payload LIKE '%INTERNAL-ONLY%'"), 0);
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM note WHERE case_id='C-1' AND reviewer='alice'"), 1);
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM outbox WHERE kind='note' AND ref='C-1'"), 1);
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM audit WHERE kind='note' AND case_id='C-1'"), 1);
    decide_plan_clear(&plan);
    fx_close(&f);
}

static void test_escalation_goes_to_lead(void **state)
{
    (void)state;
    fx f;
    fx_open(&f, "escalate.db", "alice", NULL);
    fx_case(f.s, "C-1", "u-1", "u-2", 80, FB_V_SELF_HIRE);
    fb_decide_plan plan;
    decide_ok(f.wf, fx_req("C-1", FB_A_ESCALATE, FB_V_NONE, 0, "legal threat in messages"), &plan);
    assert_status(f.path, "C-1", "escalated");
    assert_null(plan.notice);
    char esc[37];
    memcpy(esc, plan.decision_id, sizeof esc);
    decide_plan_clear(&plan);
    fb_store *s2 = NULL;
    fb_workflow *lead = fx_as(&f, "lead", &s2);
    decide_ok(lead, fx_accept("C-1"), &plan);
    assert_string_equal(plan.supersedes, esc);
    assert_status(f.path, "C-1", "decided");
    decide_plan_clear(&plan);
    workflow_close(&lead);
    store_close(&s2);
    fx_close(&f);
}

static void test_durable_after_reopen(void **state)
{
    (void)state;
    fx f;
    fx_open(&f, "durable.db", "alice", NULL);
    fx_case(f.s, "C-1", "u-1", "u-2", 80, FB_V_SELF_HIRE);
    fb_decide_plan plan;
    decide_ok(f.wf, fx_accept("C-1"), &plan);
    char id[37];
    memcpy(id, plan.decision_id, sizeof id);
    decide_plan_clear(&plan);
    fx_close(&f);

    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(t_path("durable.db"), 0, &s, &err), FB_OK);
    fb_decision_row d;
    assert_int_equal(store_decision_load(s, id, &d, &err), FB_OK);
    assert_string_equal(d.case_id, "C-1");
    assert_string_equal(d.reviewer, "alice");
    assert_int_equal(d.action, FB_A_SUSPENSION);
    assert_int_equal(d.sync_state, FB_SYNC_PENDING);
    store_decision_row_clear(&d);
    assert_int_equal(store_decision_load(s, "nope", &d, &err), FB_ENOTFOUND);
    store_close(&s);
}

static void test_two_consoles_one_case(void **state)
{
    (void)state;
    fx f;
    fx_open(&f, "race.db", "alice", NULL);
    fx_case(f.s, "C-1", "u-1", "u-2", 80, FB_V_SELF_HIRE);
    fb_store *s2 = NULL;
    fb_workflow *bob = fx_as(&f, "bob", &s2);
    /* Both preview the case (no writes), then both save: exactly one decision lands. */
    fb_decide_req r = fx_accept("C-1");
    fb_decide_plan pa, pb;
    fb_err err = {0};
    assert_int_equal(workflow_check(f.wf, &r, &pa, &err), FB_OK);
    assert_int_equal(workflow_check(bob, &r, &pb, &err), FB_OK);
    decide_plan_clear(&pa);
    decide_plan_clear(&pb);
    assert_int_equal(written(f.path), 0);
    decide_ok(f.wf, r, &pa);
    assert_int_equal(workflow_decide(bob, &r, 1, &pb, &err), FB_EPOLICY);
    assert_non_null(strstr(err.msg, "already decided"));
    assert_non_null(strstr(err.msg, "by alice"));
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM decision"), 1);
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM outbox"), 1);
    decide_plan_clear(&pa);
    workflow_close(&bob);
    store_close(&s2);
    fx_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_accept_writes_everything),
        cmocka_unit_test(test_fault_leaves_nothing),
        cmocka_unit_test(test_four_eyes),
        cmocka_unit_test(test_appeals),
        cmocka_unit_test(test_undo),
        cmocka_unit_test(test_bulk),
        cmocka_unit_test(test_claims),
        cmocka_unit_test(test_notes_never_in_notices),
        cmocka_unit_test(test_escalation_goes_to_lead),
        cmocka_unit_test(test_durable_after_reopen),
        cmocka_unit_test(test_two_consoles_one_case),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
