/* The lifecycle table (core/lifecycle.h): its own consistency, the rows the store's views
 * read, the queues built on it (the "mine" defect, the rejected queue and its discard),
 * and the outbox contract (a round trip per kind, an unknown kind refused). */
#include "fixture_decision.h"

#include <sqlite3.h>
#include <string.h>

#include "fbreview/describe.h"
#include "fbreview/lifecycle.h"
#include "fbreview/outbox.h"
#include "fbreview/store_queue.h"
#include "fbreview/store_sync.h"
#include "fbreview/timeutil.h"

/* ---- the table ---- */

static int is_status(fb_case_status s) { return (int)s >= 0 && s < FB_CS_COUNT; }

static void test_table_consistent(void **state)
{
    (void)state;
    size_t n = 0;
    const lc_transition *r = lifecycle_rows(&n);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        assert_true(is_status(r[i].from));
        assert_true(r[i].event >= 0 && r[i].event < LC_EV_COUNT);
        assert_true(is_status(r[i].to) || r[i].to == LC_SAME || r[i].to == LC_PREV);
        assert_true(r[i].who >= 0 && r[i].who < LC_WHO_COUNT);
        assert_true(r[i].role >= 0 && r[i].role < LC_ROLE_COUNT);
        /* one row per (status, event): the table answers every question once */
        for (size_t j = 0; j < i; j++)
            assert_false(r[i].from == r[j].from && r[i].event == r[j].event);
        /* a decision leads to the same status whatever status it starts from */
        if (lifecycle_event_action(r[i].event) != FB_A_NONE)
            for (size_t j = 0; j < n; j++)
                if (r[j].event == r[i].event)
                    assert_int_equal(r[j].to, r[i].to);
        /* only undo goes back, and only decisions and answers keep nothing but the status */
        if (r[i].to == LC_PREV)
            assert_int_equal(r[i].event, LC_EV_UNDO);
    }
    for (int a = 0; a < FB_A_COUNT; a++) {
        /* every action is a decide event (a block two: final and waiting for approval) */
        lc_event e = lifecycle_decide_event((fb_action)a, 0);
        assert_int_not_equal(e, LC_EV_NONE);
        assert_int_equal(lifecycle_event_action(e), a);
        assert_int_equal(lifecycle_event_from_str(lifecycle_event_str(e)), e);
    }
    assert_int_equal(lifecycle_event_action(lifecycle_decide_event(FB_A_BLOCK, 1)), FB_A_BLOCK);
    for (int st = 0; st < FB_CS_COUNT; st++) {
        /* every status is shown by exactly one status queue */
        assert_true(lifecycle_queue_of((fb_case_status)st) >= 0);
        /* an answer to upstream's refusal is possible whatever the case's status */
        assert_non_null(lifecycle_find((fb_case_status)st, LC_EV_CONFLICT_ACCEPT));
        assert_non_null(lifecycle_find((fb_case_status)st, LC_EV_DISCARD));
        /* a status that takes a decision takes a claim, and the other way round */
        assert_int_equal(lifecycle_decidable((fb_case_status)st),
                         lifecycle_find((fb_case_status)st, LC_EV_CLAIM) != NULL);
    }
    /* every status a decision leads to can be undone back */
    for (int e = 0; e < LC_EV_COUNT; e++) {
        fb_case_status to = lifecycle_next(FB_CS_OPEN, (lc_event)e, FB_CS_NONE);
        if (lifecycle_event_action((lc_event)e) != FB_A_NONE)
            assert_non_null(lifecycle_find(to, LC_EV_UNDO));
    }
    assert_int_equal(lifecycle_next(FB_CS_ESCALATED, LC_EV_UNDO, FB_CS_APPEALED), FB_CS_APPEALED);
    assert_int_equal(lifecycle_next(FB_CS_DECIDED, LC_EV_CONFLICT_ACCEPT, FB_CS_NONE), FB_CS_DECIDED);
    assert_int_equal(lifecycle_next(FB_CS_DECIDED, LC_EV_DECIDE_BLOCK, FB_CS_NONE), FB_CS_NONE);
}

static void test_who_rules(void **state)
{
    (void)state;
    lc_actor a = {.reviewer = "alice", .roles = LC_ROLES_ALL, .proposer = "alice", .appealed = "alice",
                  .owner = "bob", .appeal_separation = 1};
    assert_int_equal(lifecycle_may(FB_CS_PENDING_APPROVAL, LC_EV_APPROVE, &a, NULL), LC_NOT_WHO);
    assert_int_equal(lifecycle_may(FB_CS_DECIDED, LC_EV_APPROVE, &a, NULL), LC_NOT_IN_STATUS);
    assert_int_equal(lifecycle_may(FB_CS_APPEALED, LC_EV_DECIDE_EDUCATION, &a, NULL), LC_NOT_WHO);
    assert_int_equal(lifecycle_may(FB_CS_DECIDED, LC_EV_UNDO, &a, NULL), LC_NOT_WHO);
    a.appeal_separation = 0;
    assert_int_equal(lifecycle_may(FB_CS_APPEALED, LC_EV_DECIDE_EDUCATION, &a, NULL), LC_OK);
    a.proposer = "bob";
    a.owner = "alice";
    assert_int_equal(lifecycle_may(FB_CS_PENDING_APPROVAL, LC_EV_APPROVE, &a, NULL), LC_OK);
    assert_int_equal(lifecycle_may(FB_CS_DECIDED, LC_EV_UNDO, &a, NULL), LC_OK);
    /* the role column is enforced once roles exist (issue 11): without lead, no approval */
    a.roles = 1 << LC_ROLE_REVIEWER;
    assert_int_equal(lifecycle_may(FB_CS_PENDING_APPROVAL, LC_EV_APPROVE, &a, NULL), LC_NOT_ROLE);
    assert_int_equal(lifecycle_may(FB_CS_OPEN, LC_EV_DECIDE_BLOCK, &a, NULL), LC_OK);
    assert_true(lifecycle_claim_live("bob", 2000, 1000));
    assert_false(lifecycle_claim_live("bob", 1000, 1000));
    assert_false(lifecycle_claim_live(NULL, 2000, 1000));
    /* approver: the role [policy] approver_role names (default lead) */
    a.approver_role = "reviewer";
    assert_int_equal(lifecycle_may(FB_CS_PENDING_APPROVAL, LC_EV_APPROVE, &a, NULL), LC_OK);
    assert_int_equal(lifecycle_may(FB_CS_PENDING_APPROVAL, LC_EV_SEND_BACK, &a, NULL), LC_OK);
    a.proposer = "alice";
    assert_int_equal(lifecycle_may(FB_CS_PENDING_APPROVAL, LC_EV_APPROVE, &a, NULL), LC_NOT_WHO);
    a.approver_role = "approver";   /* a role named by a setting cannot name another such role */
    a.proposer = "bob";
    a.roles = LC_ROLES_ALL;
    assert_int_equal(lifecycle_may(FB_CS_PENDING_APPROVAL, LC_EV_APPROVE, &a, NULL), LC_NOT_ROLE);
}

/* The who and role columns are what the judges read: each who value's subject and sense,
 * each role's group or setting; the settings the judge reads are [policy] options. */
static void test_who_and_role_columns(void **state)
{
    (void)state;
    assert_int_equal(lifecycle_who_subject(LC_WHO_ANY), LC_SUBJ_NONE);
    assert_int_equal(lifecycle_who_subject(LC_WHO_OTHER), LC_SUBJ_PROPOSER);
    assert_int_equal(lifecycle_who_must_be(LC_WHO_OWN), 1);
    assert_int_equal(lifecycle_who_switch(LC_WHO_NOT_APPEALED), OPT_POLICY_APPEAL_SEPARATION);
    for (int r = 0; r < LC_ROLE_COUNT; r++) {
        /* exactly one of: a group, a setting */
        assert_true((lifecycle_role_group((lc_role)r) != NULL) != (lifecycle_role_setting((lc_role)r) != OPT_COUNT));
        assert_int_equal(lifecycle_role_from_str(lifecycle_role_str((lc_role)r)), r);
    }
    fb_option_id ids[8];
    size_t n = lifecycle_settings(ids, 8);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(config_option(ids[i])->section, "policy");
    assert_int_equal(lifecycle_event_approval(LC_EV_APPROVE), FB_APPR_APPROVED);
    assert_int_equal(lifecycle_event_approval(LC_EV_SEND_BACK), FB_APPR_REJECTED);
    assert_int_equal(lifecycle_event_approval(LC_EV_APPEAL), FB_APPR_NONE);
}

/* LC_CLAIM_LIVE_SQL (upstream's fb_lc_claim_live) says what lifecycle_claim_live says. */
static void test_claim_rule_sql_agrees(void **state)
{
    (void)state;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT coalesce((" LC_CLAIM_LIVE_SQL "), 0) FROM"
                                        " (SELECT ?1 AS holder, ?2 AS until_ms, ?3 AS now_ms)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    const char *holders[] = {NULL, "", "bob"};
    const int64_t times[] = {-1, 0, 999, 1000, 1001, INT64_MAX};
    for (size_t h = 0; h < 3; h++)
        for (size_t u = 0; u < 6; u++)
            for (size_t n = 0; n < 6; n++) {
                sqlite3_reset(st);
                if (holders[h])
                    sqlite3_bind_text(st, 1, holders[h], -1, SQLITE_STATIC);
                else
                    sqlite3_bind_null(st, 1);
                sqlite3_bind_int64(st, 2, times[u]);
                sqlite3_bind_int64(st, 3, times[n]);
                assert_int_equal(sqlite3_step(st), SQLITE_ROW);
                assert_int_equal(sqlite3_column_int(st, 0) != 0, lifecycle_claim_live(holders[h], times[u], times[n]));
            }
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* The store's view live_claim is written from LC_CLAIM_LIVE_SQL: its definition holds that
 * text, and it lists exactly the cases lifecycle_claim_live calls claimed (an empty holder
 * with a lease ahead is no claim: the hand-written view of before said it was). A store
 * with another definition (an older binary's) gets the rule's on the next writable open. */
static void test_claim_view_is_the_rule(void **state)
{
    (void)state;
    fx f;
    fx_open(&f, "claimview.db", "alice", NULL);
    char *def = t_sql_text(f.path, "SELECT sql FROM sqlite_schema WHERE type='view' AND name='live_claim'");
    assert_non_null(def);
    assert_non_null(strstr(def, LC_CLAIM_LIVE_SQL));
    free(def);
    const char *holders[] = {NULL, "", "bob"};
    const int64_t ahead[] = {-600000, 600000};
    int64_t now = fb_now_ms();
    fb_err err = {0};
    for (size_t h = 0; h < 3; h++)
        for (size_t a = 0; a < 2; a++) {
            char id[16];
            snprintf(id, sizeof id, "C-%zu%zu", h, a);
            fx_case(f.s, id, "u-1", "u-2", 50, FB_V_SELF_HIRE);
            assert_int_equal(store_begin(f.s, &err), FB_OK);
            assert_int_equal(store_sync_put_claim(f.s, id, holders[h], now + ahead[a], &err), FB_OK);
            assert_int_equal(store_commit(f.s, &err), FB_OK);
        }
    for (int pass = 0; pass < 2; pass++) {
        for (size_t h = 0; h < 3; h++)
            for (size_t a = 0; a < 2; a++) {
                char sql[128];
                snprintf(sql, sizeof sql, "SELECT count(*) FROM live_claim WHERE case_id='C-%zu%zu'", h, a);
                assert_int_equal(t_sql_int(f.path, sql), lifecycle_claim_live(holders[h], now + ahead[a], now));
            }
        if (pass)
            break;
        /* an older binary's hand-written view, and its fingerprint */
        t_sql(f.path, "DROP VIEW live_claim; CREATE VIEW live_claim AS SELECT id AS case_id, claim_by AS reviewer,"
                      " claim_until FROM \"case\" WHERE claim_by IS NOT NULL"
                      " AND claim_until > CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER);"
                      " UPDATE sync_state SET value='x' WHERE key='lifecycle'");
        assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM live_claim WHERE case_id='C-11'"), 1);
        fb_store *s2 = NULL;
        fb_workflow *wf2 = fx_as(&f, "bob", &s2);
        workflow_close(&wf2);
        store_close(&s2);
    }
    fx_close(&f);
}

/* The store holds the table's rows, written once, and rewritten when they differ. */
static void test_rows_in_store(void **state)
{
    (void)state;
    fx f;
    fx_open(&f, "rows.db", "alice", NULL);
    size_t n = 0;
    const lc_transition *r = lifecycle_rows(&n);
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM lc_transition"), (long long)n);
    for (size_t i = 0; i < n; i++) {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT who FROM lc_transition WHERE from_status='%s' AND event='%s'",
                 fb_case_status_str(r[i].from), lifecycle_event_str(r[i].event));
        char *who = t_sql_text(f.path, sql);
        assert_non_null(who);
        assert_string_equal(who, lifecycle_who_str(r[i].who));
        free(who);
    }
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM lc_queue"), FB_CS_COUNT);
    /* A hand edit is undone the next time a workflow opens the store. */
    t_sql(f.path, "DELETE FROM lc_transition; UPDATE sync_state SET value='x' WHERE key='lifecycle'");
    fb_store *s2 = NULL;
    fb_workflow *wf2 = fx_as(&f, "bob", &s2);
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM lc_transition"), (long long)n);
    workflow_close(&wf2);
    store_close(&s2);
    fx_close(&f);
}

/* ---- queues ---- */

static queue_query query(fb_queue q, const char *reviewer)
{
    queue_query qq = {.queue = q, .sort = SORT_RISK, .code = FB_V_NONE, .status = FB_CS_NONE, .risk_min = 0,
                      .risk_max = 100, .reviewer = reviewer};
    return qq;
}

static size_t page(fb_store *s, fb_queue q, const char *reviewer, queue_row *rows, size_t n)
{
    fb_err err = {0};
    queue_query qq = query(q, reviewer);
    size_t got = 0;
    assert_int_equal(store_queue_page(s, &qq, NULL, 1, rows, n, &got, &err), FB_OK);
    return got;
}

/* Defect: a claim (as sync_claim writes it: claim_by and claim_until, the status left
 * open) made the header say "mine 0" while :goto showed the case in "mine". The count,
 * the page and the membership test now read one view (reviewer_queue). */
static void test_mine_counts_a_live_claim(void **state)
{
    (void)state;
    fx f;
    fx_open(&f, "mine.db", "alice", NULL);
    fx_case(f.s, "C-1", "u-1", "u-2", 80, FB_V_SELF_HIRE);
    fx_case(f.s, "C-2", "u-3", "u-4", 70, FB_V_SELF_HIRE);
    fb_err err = {0};
    assert_int_equal(store_begin(f.s, &err), FB_OK);
    assert_int_equal(store_sync_put_claim(f.s, "C-1", "alice", fb_now_ms() + 600000, &err), FB_OK);
    assert_int_equal(store_sync_put_claim(f.s, "C-2", "alice", fb_now_ms() - 1000, &err), FB_OK);   /* ran out */
    assert_int_equal(store_commit(f.s, &err), FB_OK);
    queue_counts c;
    assert_int_equal(store_queue_counts(f.s, "alice", &c, &err), FB_OK);
    assert_int_equal(c.n[QUEUE_MINE], 1);
    assert_int_equal(c.n[QUEUE_OPEN], 2);
    queue_row rows[4];
    assert_int_equal(page(f.s, QUEUE_MINE, "alice", rows, 4), 1);
    assert_string_equal(rows[0].id, "C-1");
    queue_query q = query(QUEUE_MINE, "alice");
    assert_int_equal(store_queue_has(f.s, &q, &rows[0]), 1);
    queue_row r2;
    assert_int_equal(store_queue_row(f.s, "C-2", &r2, &err), FB_OK);
    assert_int_equal(store_queue_has(f.s, &q, &r2), 0);
    /* bob's mine is empty; a decision of alice's makes C-2 hers too */
    assert_int_equal(store_queue_counts(f.s, "bob", &c, &err), FB_OK);
    assert_int_equal(c.n[QUEUE_MINE], 0);
    fb_decide_plan p;
    fb_decide_req rq = fx_accept("C-2");
    assert_int_equal(workflow_decide(f.wf, &rq, 1, &p, &err), FB_OK);
    decide_plan_clear(&p);
    assert_int_equal(store_queue_counts(f.s, "alice", &c, &err), FB_OK);
    assert_int_equal(c.n[QUEUE_MINE], 2);
    assert_int_equal(page(f.s, QUEUE_MINE, "alice", rows, 4), 2);
    fx_close(&f);
}

/* A decision upstream rejected: the case takes upstream's status back, the rejected queue
 * and its count hold it for its reviewer, and discarding answers it (audited). */
static void test_rejected_queue_and_discard(void **state)
{
    (void)state;
    fx f;
    fx_open(&f, "rej.db", "alice", NULL);
    fx_case(f.s, "C-1", "u-1", "u-2", 80, FB_V_SELF_HIRE);
    fx_case(f.s, "C-2", "u-3", "u-4", 80, FB_V_SELF_HIRE);
    fb_err err = {0};
    fb_decide_plan p;
    fb_decide_req rq = fx_accept("C-1");
    assert_int_equal(workflow_decide(f.wf, &rq, 1, &p, &err), FB_OK);
    char id[37];
    memcpy(id, p.decision_id, sizeof id);
    decide_plan_clear(&p);
    assert_int_equal(store_begin(f.s, &err), FB_OK);
    assert_int_equal(store_sync_outbox_done(f.s, 1, "decision", id, "rejected", "case C-1 is not upstream", NULL,
                                            fb_now_ms(), &err), FB_OK);
    assert_int_equal(store_commit(f.s, &err), FB_OK);
    char *st = t_sql_text(f.path, "SELECT status FROM \"case\" WHERE id='C-1'");
    assert_string_equal(st, "open");   /* it never took effect: the status before it */
    free(st);
    queue_counts c;
    assert_int_equal(store_queue_counts(f.s, "alice", &c, &err), FB_OK);
    assert_int_equal(c.n[QUEUE_REJECTED], 1);
    assert_int_equal(c.n[QUEUE_MINE], 0);
    int64_t pending, in_flight, conflicts, rejected;
    assert_int_equal(store_sync_counts(f.s, &pending, &in_flight, &conflicts, &rejected, &err), FB_OK);
    assert_int_equal(rejected, 1);
    queue_row rows[4];
    assert_int_equal(page(f.s, QUEUE_REJECTED, "alice", rows, 4), 1);
    assert_string_equal(rows[0].id, "C-1");
    assert_int_equal(page(f.s, QUEUE_REJECTED, "bob", rows, 4), 0);

    /* Only alice discards it; once. */
    fb_store *s2 = NULL;
    fb_workflow *bob = fx_as(&f, "bob", &s2);
    assert_int_equal(workflow_discard(bob, id, &err), FB_EPOLICY);
    assert_non_null(strstr(err.msg, "not by you (bob)"));
    workflow_close(&bob);
    store_close(&s2);
    assert_int_equal(workflow_discard(f.wf, id, &err), FB_OK);
    assert_int_equal(workflow_discard(f.wf, id, &err), FB_EPOLICY);
    assert_int_equal(store_queue_counts(f.s, "alice", &c, &err), FB_OK);
    assert_int_equal(c.n[QUEUE_REJECTED], 0);
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE kind='discard' AND ref='%s'", id);
    assert_int_equal(t_sql_int(f.path, sql), 1);

    /* Deciding a case again answers its rejection too. */
    rq = fx_accept("C-2");
    assert_int_equal(workflow_decide(f.wf, &rq, 1, &p, &err), FB_OK);
    memcpy(id, p.decision_id, sizeof id);
    decide_plan_clear(&p);
    assert_int_equal(store_begin(f.s, &err), FB_OK);
    assert_int_equal(store_sync_outbox_done(f.s, 2, "decision", id, "rejected", "no", NULL, fb_now_ms(), &err),
                     FB_OK);
    assert_int_equal(store_commit(f.s, &err), FB_OK);
    rq = fx_accept("C-2");
    assert_int_equal(workflow_decide(f.wf, &rq, 1, &p, &err), FB_OK);
    decide_plan_clear(&p);
    snprintf(sql, sizeof sql, "SELECT rejection_answer FROM decision WHERE id='%s'", id);
    st = t_sql_text(f.path, sql);
    assert_string_equal(st, "redecided");
    free(st);
    fx_close(&f);
}

/* ---- typed history ---- */

struct hist {
    char text[8][512];
    char label[8][64];
    int shown[8];
    int n;
};

static void on_row(void *ctx, const fb_history_row *r)
{
    struct hist *h = ctx;
    if (h->n < 8) {
        describe_history(r, h->text[h->n], sizeof h->text[0]);
        describe_history_label(r, h->label[h->n], sizeof h->label[0]);
        h->shown[h->n] = describe_history_shown(r);
        h->n++;
    }
}

/* The store hands rows (kind, who, when, fields) and core words them; the conflict's
 * winner comes as a field, the audit entry's detail as its fields. */
static void test_history_rows(void **state)
{
    (void)state;
    fx f;
    fx_open(&f, "hist.db", "alice", NULL);
    fx_case(f.s, "C-1", "u-1", "u-2", 80, FB_V_SELF_HIRE);
    fb_err err = {0};
    fb_decide_plan p;
    fb_decide_req rq = fx_req("C-1", FB_A_EDUCATION, FB_V_NONE, 0, "seen it");
    assert_int_equal(workflow_decide(f.wf, &rq, 1, &p, &err), FB_OK);
    char id[37];
    memcpy(id, p.decision_id, sizeof id);
    decide_plan_clear(&p);
    assert_int_equal(store_begin(f.s, &err), FB_OK);
    assert_int_equal(store_sync_outbox_done(f.s, 1, "decision", id, "conflict", "case C-1 is already decided",
                                            "99999999-9999-4999-8999-999999999999", fb_now_ms(), &err), FB_OK);
    assert_int_equal(store_commit(f.s, &err), FB_OK);
    struct hist h = {0};
    assert_int_equal(store_case_history(f.s, "C-1", "u-1", "u-2", on_row, &h, &err), FB_OK);
    assert_int_equal(h.n, 2);
    int dec = strcmp(h.label[0], "decision") == 0 ? 0 : 1;
    assert_string_equal(h.label[dec], "decision");
    assert_string_equal(h.text[dec], "education (self_hire) (overrides the recommendation) · conflict: case C-1 is "
                                     "already decided (winner 99999999) — seen it");
    assert_string_equal(h.label[1 - dec], "audit: decision");
    assert_non_null(strstr(h.text[1 - dec], "action education"));
    assert_non_null(strstr(h.text[1 - dec], "to decided"));
    /* History shows each event once: the decision's audit entry is not a second row. */
    assert_true(h.shown[dec]);
    assert_false(h.shown[1 - dec]);
    /* An event without a row of its own (an undo) is shown in words, not as its fields. */
    fx_case(f.s, "C-2", "u-3", "u-4", 80, FB_V_SELF_HIRE);
    fb_decide_req r2 = fx_req("C-2", FB_A_EDUCATION, FB_V_NONE, 0, "seen it");
    assert_int_equal(workflow_decide(f.wf, &r2, 1, &p, &err), FB_OK);
    decide_plan_clear(&p);
    char undone[37];
    assert_int_equal(workflow_undo(f.wf, undone, &err), FB_OK);
    struct hist h2 = {0};
    assert_int_equal(store_case_history(f.s, "C-2", "u-3", "u-4", on_row, &h2, &err), FB_OK);
    int found = 0;
    for (int i = 0; i < h2.n; i++)
        if (strcmp(h2.label[i], "undo") == 0) {
            found = 1;
            assert_true(h2.shown[i]);
            assert_string_equal(h2.text[i], "undid the decision (education); the case went back to open");
        }
    assert_true(found);
    char w[64];
    assert_string_equal(decision_describe(FB_A_SUSPENSION, FB_V_SELF_HIRE, 30, w, sizeof w),
                        "suspension 30 days (self_hire)");
    assert_string_equal(decision_describe(FB_A_SUSPENSION, FB_V_SELF_HIRE, -1, w, sizeof w), "suspension (self_hire)");
    assert_string_equal(decision_describe(FB_A_NO_VIOLATION, FB_V_NONE, 0, w, sizeof w), "no_violation");
    fx_close(&f);
}

/* ---- the outbox contract ---- */

static void roundtrip(const outbox_msg *m)
{
    char *text = outbox_encode(m);
    assert_non_null(text);
    outbox_msg back;
    fb_err err = {0};
    assert_int_equal(outbox_decode(outbox_kind_str(m->kind), text, &back, &err), FB_OK);
    assert_int_equal(back.kind, m->kind);
    char *again = outbox_encode(&back);
    assert_string_equal(text, again);   /* every field survives, in its type */
    outbox_msg_clear(&back);
    free(text);
    free(again);
}

static void test_outbox_roundtrip(void **state)
{
    (void)state;
    outbox_msg m = {.kind = OUTBOX_DECISION};
    m.u.decision = (outbox_decision){"11111111-1111-4111-8111-111111111111", "C-1", "alice", "suspension",
                                     "self_hire", 30, "why \"quoted\"\n", "suspension", "self_hire", 14, 1,
                                     "notice", 1763632800000, "22222222-2222-4222-8222-222222222222", "none", 1, 3};
    roundtrip(&m);
    m.u.decision.days = -1;   /* null */
    m.u.decision.supersedes = NULL;
    m.u.decision.policy_version = -1;   /* null: the local config */
    roundtrip(&m);
    m = (outbox_msg){.kind = OUTBOX_APPROVAL};
    m.u.approval = (outbox_approval){"11111111-1111-4111-8111-111111111111", "rejected", "bob", "too harsh", 5};
    roundtrip(&m);
    m = (outbox_msg){.kind = OUTBOX_APPEAL};
    m.u.appeal = (outbox_appeal){"33333333-3333-4333-8333-333333333333", "11111111-1111-4111-8111-111111111111",
                                 "C-1", "ünïcode text", 6};
    roundtrip(&m);
    m = (outbox_msg){.kind = OUTBOX_NOTE};
    m.u.note = (outbox_note){"C-1", "alice", "a note", 7};
    roundtrip(&m);
    for (int k = 0; k < OUTBOX_KIND_COUNT; k++)
        assert_int_equal(outbox_kind_from_str(outbox_kind_str((outbox_kind)k)), k);
}

static void test_outbox_refuses(void **state)
{
    (void)state;
    outbox_msg m;
    fb_err err = {0};
    assert_int_equal(outbox_decode("undo", "{}", &m, &err), FB_EINPUT);
    assert_non_null(strstr(err.msg, "outbox undo: unknown kind"));
    assert_int_equal(outbox_kind_from_str("undo"), OUTBOX_UNKNOWN);
    assert_null(outbox_kind_str(OUTBOX_UNKNOWN));
    assert_int_equal(outbox_decode("note", "[1]", &m, &err), FB_EINPUT);
    assert_non_null(strstr(err.msg, "not a JSON object"));
    assert_int_equal(outbox_decode("note", "{\"case_id\":\"C-1\",\"reviewer\":\"a\",\"text\":\"t\"}", &m, &err),
                     FB_EINPUT);
    assert_non_null(strstr(err.msg, "outbox note: at: missing"));
    assert_int_equal(outbox_decode("note", "{\"case_id\":\"C-1\",\"reviewer\":\"a\",\"text\":\"t\",\"at\":\"x\"}", &m,
                                   &err), FB_EINPUT);
    assert_non_null(strstr(err.msg, "at: not an integer"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_consistent),
        cmocka_unit_test(test_who_rules),
        cmocka_unit_test(test_who_and_role_columns),
        cmocka_unit_test(test_claim_rule_sql_agrees),
        cmocka_unit_test(test_claim_view_is_the_rule),
        cmocka_unit_test(test_rows_in_store),
        cmocka_unit_test(test_mine_counts_a_live_claim),
        cmocka_unit_test(test_rejected_queue_and_discard),
        cmocka_unit_test(test_history_rows),
        cmocka_unit_test(test_outbox_roundtrip),
        cmocka_unit_test(test_outbox_refuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
