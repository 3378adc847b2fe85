/* Conflicts: a decision upstream refused because another one won the case. Its reviewer
 * accepts the winner or appeals it internally; nothing is erased, the audit records it. */
#include "fixture_decision.h"

#include "fbreview/audit.h"
#include "fbreview/store_queue.h"
#include "fbreview/store_sync.h"

#define WINNER_FMT "00000000-0000-4000-8000-0000000000%02d"

/* alice decides case_id locally; sync then leaves it as a conflict against a decision of
 * bob's (winner id WINNER_FMT n), which the pull brought in (unless with_winner is 0).
 * Returns alice's decision id in id. */
static void make_conflict(fx *f, const char *case_id, int n, int with_winner, char id[37])
{
    fb_decide_plan p;
    fb_err err = {0};
    fb_decide_req r = fx_accept(case_id);
    assert_int_equal(workflow_decide(f->wf, &r, 1, &p, &err), FB_OK);
    snprintf(id, 37, "%s", p.decision_id);
    decide_plan_clear(&p);
    char win[37], sql[2048];
    snprintf(win, sizeof win, WINNER_FMT, n);
    snprintf(sql, sizeof sql,
             "DELETE FROM outbox WHERE kind='decision' AND ref='%s';"
             "UPDATE decision SET sync_state='conflict', synced_at=2,"
             " upstream_note='case %s is already decided: decision %s by bob' WHERE id='%s';",
             id, case_id, win, id);
    t_sql(f->path, sql);
    if (with_winner) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO decision(id, case_id, reviewer, action, violation, decided_at, sync_state, synced_at)"
                 " VALUES ('%s', '%s', 'bob', 'education', 'self_hire', 1, 'synced', 2);"
                 "UPDATE \"case\" SET status='decided' WHERE id='%s';",
                 win, case_id, case_id);
        t_sql(f->path, sql);
    }
}

/* One query with one string in it (the format must be a literal). */
static char qbuf[512];
#define q(path, fmt, arg) (snprintf(qbuf, sizeof qbuf, fmt, arg), t_sql_int(path, qbuf))
#define qt(path, fmt, arg) (snprintf(qbuf, sizeof qbuf, fmt, arg), t_sql_text(path, qbuf))

static void expect(fb_status got, const fb_err *err, const char *want)
{
    if (got != FB_EPOLICY || !strstr(err->msg, want))
        fprintf(stderr, "status %d message: %s\nwanted: %s\n", got, err->msg, want);
    assert_int_equal(got, FB_EPOLICY);
    assert_non_null(strstr(err->msg, want));
}

static void test_accept(void **state)
{
    (void)state;
    fx f;
    fb_err err = {0};
    char id[37];
    fx_open(&f, "conflict_accept.db", "alice", NULL);
    fx_case(f.s, "C-1", "u-1", "u-2", 80, FB_V_SELF_HIRE);
    make_conflict(&f, "C-1", 1, 1, id);
    long long audit0 = t_sql_int(f.path, "SELECT count(*) FROM audit");

    /* The conflicts queue holds the case for alice, not for bob. */
    queue_counts c;
    assert_int_equal(store_queue_counts(f.s, "alice", &c, &err), FB_OK);
    assert_int_equal(c.n[QUEUE_CONFLICTS], 1);
    assert_int_equal(store_queue_counts(f.s, "bob", &c, &err), FB_OK);
    assert_int_equal(c.n[QUEUE_CONFLICTS], 0);
    queue_query qq = {.queue = QUEUE_CONFLICTS, .sort = SORT_RISK, .code = FB_V_NONE, .status = FB_CS_NONE,
                      .risk_min = 0, .risk_max = 100, .reviewer = "alice"};
    queue_row rows[4];
    size_t got = 0;
    assert_int_equal(store_queue_page(f.s, &qq, NULL, 1, rows, 4, &got, &err), FB_OK);
    assert_int_equal(got, 1);
    assert_string_equal(rows[0].id, "C-1");

    /* Only alice resolves her conflict. */
    fb_store *s2 = NULL;
    fb_workflow *bob = fx_as(&f, "bob", &s2);
    expect(workflow_conflict_accept(bob, id, &err), &err, "was made by alice, not by you (bob)");
    expect(workflow_conflict_appeal(bob, id, "wrong", NULL, &err), &err, "not by you (bob)");
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM audit"), audit0);

    int64_t pending, in_flight, conflicts, rejected;
    assert_int_equal(store_sync_counts(f.s, &pending, &in_flight, &conflicts, &rejected, &err), FB_OK);
    assert_int_equal(conflicts, 1);
    assert_int_equal(workflow_conflict_accept(f.wf, id, &err), FB_OK);
    /* The status line's count is of conflicts still waiting for an answer. */
    assert_int_equal(store_sync_counts(f.s, &pending, &in_flight, &conflicts, &rejected, &err), FB_OK);
    assert_int_equal(conflicts, 0);
    char *res = qt(f.path, "SELECT conflict_resolution FROM decision WHERE id='%s'", id);
    assert_string_equal(res, "accepted");
    free(res);
    assert_true(q(f.path, "SELECT conflict_resolved_at FROM decision WHERE id='%s'", id) > 0);
    /* Nothing erased: the decision keeps its state and upstream's note; nothing goes up. */
    res = qt(f.path, "SELECT sync_state || ' ' || upstream_note FROM decision WHERE id='%s'", id);
    assert_non_null(strstr(res, "conflict case C-1 is already decided"));
    free(res);
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM decision"), 2);
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM outbox"), 0);
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM appeal"), 0);
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM audit"), audit0 + 1);
    res = qt(f.path, "SELECT actor || ' ' || kind || ' ' || ref || ' ' || json_extract(detail, '$.resolution')"
                     " || ' ' || json_extract(detail, '$.winner') FROM audit WHERE seq=(SELECT max(seq) FROM audit)"
                     " AND '%s'<>''", id);
    char want[256];
    snprintf(want, sizeof want, "alice conflict %s accepted " WINNER_FMT, id, 1);
    assert_string_equal(res, want);
    free(res);
    res = t_sql_text(f.path, "SELECT status FROM \"case\" WHERE id='C-1'");
    assert_string_equal(res, "decided");
    free(res);

    /* Resolved: out of the queue, and a second answer is refused. */
    assert_int_equal(store_queue_counts(f.s, "alice", &c, &err), FB_OK);
    assert_int_equal(c.n[QUEUE_CONFLICTS], 0);
    expect(workflow_conflict_accept(f.wf, id, &err), &err, "already resolved (accepted)");
    expect(workflow_conflict_appeal(f.wf, id, "second thoughts", NULL, &err), &err, "already resolved");
    fb_audit_report rep;
    assert_int_equal(audit_verify(f.s, &rep, &err), FB_OK);
    workflow_close(&bob);
    store_close(&s2);
    fx_close(&f);
}

static void test_appeal(void **state)
{
    (void)state;
    fx f;
    fb_err err = {0};
    char id[37], ap[37];
    fx_open(&f, "conflict_appeal.db", "alice", NULL);
    fx_case(f.s, "C-2", "u-1", "u-2", 80, FB_V_SELF_HIRE);
    make_conflict(&f, "C-2", 2, 1, id);
    long long audit0 = t_sql_int(f.path, "SELECT count(*) FROM audit");

    expect(workflow_conflict_appeal(f.wf, id, "   ", ap, &err), &err, "needs a text");
    expect(workflow_conflict_appeal(f.wf, id, NULL, ap, &err), &err, "needs a text");
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM audit"), audit0);
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM appeal"), 0);

    assert_int_equal(workflow_conflict_appeal(f.wf, id, "the messages show a first offence", ap, &err), FB_OK);
    assert_int_equal(strlen(ap), 36);
    /* An appeal against the WINNING decision, upstream-bound, and the case is appealed. */
    char *res = qt(f.path, "SELECT decision_id || ' ' || text FROM appeal WHERE id='%s'", ap);
    char want[256];
    snprintf(want, sizeof want, WINNER_FMT " the messages show a first offence", 2);
    assert_string_equal(res, want);
    free(res);
    assert_int_equal(q(f.path, "SELECT count(*) FROM outbox WHERE kind='appeal' AND ref='%s'", ap), 1);
    res = t_sql_text(f.path, "SELECT status FROM \"case\" WHERE id='C-2'");
    assert_string_equal(res, "appealed");
    free(res);
    res = qt(f.path, "SELECT conflict_resolution || ' ' || sync_state FROM decision WHERE id='%s'", id);
    assert_string_equal(res, "appealed conflict");
    free(res);
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM decision"), 2);
    /* Audit: the appeal, then the resolution naming it. */
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM audit"), audit0 + 2);
    res = qt(f.path, "SELECT group_concat(kind, ',') FROM (SELECT kind FROM audit WHERE seq > %s ORDER BY seq)",
             "0");
    assert_non_null(strstr(res, "appeal,conflict"));
    free(res);
    res = qt(f.path, "SELECT json_extract(detail, '$.appeal_id') FROM audit WHERE kind='conflict' AND ref='%s'", id);
    assert_string_equal(res, ap);
    free(res);
    fb_audit_report rep;
    assert_int_equal(audit_verify(f.s, &rep, &err), FB_OK);
    fx_close(&f);
}

static void test_refusals(void **state)
{
    (void)state;
    fx f;
    fb_err err = {0};
    char id[37];
    fx_open(&f, "conflict_refuse.db", "alice", NULL);
    fx_case(f.s, "C-3", "u-1", "u-2", 80, FB_V_SELF_HIRE);
    fx_case(f.s, "C-4", "u-3", "u-4", 80, FB_V_SELF_HIRE);
    /* A decision that is not a conflict. */
    fb_decide_plan p;
    fb_decide_req r = fx_accept("C-3");
    assert_int_equal(workflow_decide(f.wf, &r, 1, &p, &err), FB_OK);
    expect(workflow_conflict_accept(f.wf, p.decision_id, &err), &err, "is not a conflict (it is pending)");
    expect(workflow_conflict_appeal(f.wf, p.decision_id, "text", NULL, &err), &err, "is not a conflict");
    decide_plan_clear(&p);
    expect(workflow_conflict_accept(f.wf, "no-such-decision", &err), &err, "no decision no-such-decision");
    expect(workflow_conflict_accept(f.wf, "", &err), &err, "needs the id");
    /* The winner has not been pulled yet: accepting works, appealing it cannot. */
    make_conflict(&f, "C-4", 4, 0, id);
    long long before = t_sql_int(f.path, "SELECT (SELECT count(*) FROM audit) + (SELECT count(*) FROM appeal)"
                                      " + (SELECT count(*) FROM outbox)");
    expect(workflow_conflict_appeal(f.wf, id, "why", NULL, &err), &err, "is not in this store yet");
    assert_int_equal(t_sql_int(f.path, "SELECT (SELECT count(*) FROM audit) + (SELECT count(*) FROM appeal)"
                                    " + (SELECT count(*) FROM outbox)"),
                     before);
    assert_int_equal(q(f.path, "SELECT count(*) FROM decision WHERE id='%s' AND conflict_resolved_at IS NULL", id),
                     1);
    assert_int_equal(workflow_conflict_accept(f.wf, id, &err), FB_OK);
    fx_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accept),
        cmocka_unit_test(test_appeal),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
