/* store_sync: the outbox in flight and answered, pulled rows, claims; the sync engine's
 * status when upstream cannot be reached (no server needed for that). */
#include "testlib.h"

#include <sqlite3.h>
#include <time.h>

#include "fbreview/store_decision.h"
#include "fbreview/store_sync.h"
#include "fbreview/sync.h"

static void assert_one(const char *path, const char *sql, const char *want)
{
    char *v = t_sql_text(path, sql);
    assert_non_null(v);
    assert_string_equal(v, want);
    free(v);
}

static const char *seed(const char *name)
{
    const char *p = t_path(name);
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(p, STORE_CREATE, &s, &err), FB_OK);
    store_close(&s);
    t_sql(p, "INSERT INTO \"case\"(id, opened_at, updated_at) VALUES ('C-1',0,0),('C-2',0,0);"
                "INSERT INTO decision(id, case_id, reviewer, action, decided_at)"
                "  VALUES ('11111111-1111-4111-8111-111111111111','C-1','A','education',1);"
                "UPDATE \"case\" SET status='decided' WHERE id='C-1';"
                "INSERT INTO outbox(kind, ref, payload, created_at) VALUES"
                " ('decision','11111111-1111-4111-8111-111111111111',"
                "  '{\"decision_id\":\"11111111-1111-4111-8111-111111111111\",\"case_id\":\"C-1\","
                "\"reviewer\":\"A\",\"action\":\"education\",\"decided_at\":1,\"days\":null,\"supersedes\":null}',1),"
                " ('note','C-2','{\"case_id\":\"C-2\"}',2),"
                " ('decision','x','{\"decision_id\":\"x\",\"decided_at\":\"soon\"}',3);");
    return p;
}

static void test_outbox_peek_mark_done(void **state)
{
    (void)state;
    const char *p = seed("a.db");
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(p, 0, &s, &err), FB_OK);
    store_outbox_row *rows = NULL;
    size_t n = 0;
    assert_int_equal(store_sync_outbox_peek(s, 0, 10, &rows, &n, &err), FB_OK);
    assert_int_equal(n, 3);
    assert_string_equal(rows[0].case_id, "C-1");
    assert_int_equal(rows[0].well_formed, 1);
    assert_null(rows[1].case_id);            /* not a decision */
    assert_int_equal(rows[2].well_formed, 0); /* decided_at is not an integer */
    store_sync_rows_free(&rows, n);
    assert_null(rows);
    /* A byte cap stops the read early, but never before the first row. */
    assert_int_equal(store_sync_outbox_peek_bytes(s, 0, INT64_MAX, 10, 1, &rows, &n, &err), FB_OK);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].case_id, "C-1");
    store_sync_rows_free(&rows, n);
    assert_int_equal(store_sync_outbox_peek_bytes(s, 0, INT64_MAX, 2, SIZE_MAX, &rows, &n, &err), FB_OK);
    assert_int_equal(n, 2);
    store_sync_rows_free(&rows, n);

    assert_int_equal(store_begin(s, &err), FB_OK);
    assert_int_equal(store_sync_outbox_mark_sent(s, 2, 42, &err), FB_OK);
    assert_int_equal(store_commit(s, &err), FB_OK);
    assert_one(p, "SELECT group_concat(x) FROM (SELECT coalesce(sent_at,'-') AS x FROM outbox ORDER BY seq)", "42,42,-");
    int64_t pending, in_flight, conflicts, rejected;
    assert_int_equal(store_sync_counts(s, &pending, &in_flight, &conflicts, &rejected, &err), FB_OK);
    assert_int_equal(pending, 3);
    assert_int_equal(in_flight, 2);
    assert_int_equal(conflicts, 0);
    assert_int_equal(store_sync_case_has_pending(s, "C-1"), 1);

    assert_int_equal(store_begin(s, &err), FB_OK);
    assert_int_equal(store_sync_outbox_done(s, 1, "decision", "11111111-1111-4111-8111-111111111111", "conflict",
                                            "case C-1 is already decided", NULL, 99, &err),
                     FB_OK);
    assert_int_equal(store_commit(s, &err), FB_OK);
    assert_one(p, "SELECT sync_state || '|' || synced_at || '|' || upstream_note FROM decision",
               "conflict|99|case C-1 is already decided");
    assert_one(p, "SELECT count(*) FROM outbox", "2");
    assert_int_equal(store_sync_counts(s, &pending, &in_flight, &conflicts, &rejected, &err), FB_OK);
    assert_int_equal(conflicts, 1);
    assert_int_equal(store_sync_case_has_pending(s, "C-1"), 0);
    store_close(&s);
}

/* When an unsent row may go: the later of its undo window's end and a console's hold.
 * Rows created at 1, 2 and 3 ms; the first is held until 1000. */
static void test_outbox_release(void **state)
{
    (void)state;
    const char *p = seed("release.db");
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(p, 0, &s, &err), FB_OK);
    int64_t seq = 0, at = 0;
    /* No hold: a window of 10 ms keeps all three at 5 ms, none at 20 ms. */
    assert_int_equal(store_sync_outbox_held_seq(s, 5, 10, &seq, &err), FB_OK);
    assert_int_equal(seq, 1);
    assert_int_equal(store_sync_outbox_next_release(s, 5, 10, &at, &err), FB_OK);
    assert_int_equal(at, 11);
    assert_int_equal(store_sync_outbox_held_seq(s, 20, 10, &seq, &err), FB_OK);
    assert_int_equal(seq, INT64_MAX);
    assert_int_equal(store_sync_outbox_next_release(s, 20, 10, &at, &err), FB_OK);
    assert_int_equal(at, 0);
    /* A hold on the first row keeps it (and so everything behind it) past the window, and
     * with no window at all (sync --once); it lapses by itself. */
    assert_int_equal(store_outbox_hold(s, OUTBOX_DECISION, "11111111-1111-4111-8111-111111111111", 1000, &err), 1);
    assert_int_equal(store_sync_outbox_held_seq(s, 20, 10, &seq, &err), FB_OK);
    assert_int_equal(seq, 1);
    assert_int_equal(store_sync_outbox_held_seq(s, 20, 0, &seq, &err), FB_OK);
    assert_int_equal(seq, 1);
    assert_int_equal(store_sync_outbox_next_release(s, 20, 10, &at, &err), FB_OK);
    assert_int_equal(at, 1000);
    assert_int_equal(store_sync_outbox_held_seq(s, 1000, 10, &seq, &err), FB_OK);
    assert_int_equal(seq, INT64_MAX);
    /* Lifted: the window alone again. */
    assert_int_equal(store_outbox_hold(s, OUTBOX_DECISION, "11111111-1111-4111-8111-111111111111", 0, &err), 1);
    assert_int_equal(store_sync_outbox_held_seq(s, 20, 10, &seq, &err), FB_OK);
    assert_int_equal(seq, INT64_MAX);
    /* A row in flight cannot be held. */
    assert_int_equal(store_sync_outbox_mark_sent(s, 1, 30, &err), FB_OK);
    assert_int_equal(store_outbox_hold(s, OUTBOX_DECISION, "11111111-1111-4111-8111-111111111111", 1000, &err), 0);
    store_close(&s);
}

static void test_pulled_rows(void **state)
{
    (void)state;
    const char *p = seed("b.db");
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(p, 0, &s, &err), FB_OK);
    assert_int_equal(store_begin(s, &err), FB_OK);
    /* A pulled status never overrides a pending local decision. */
    assert_int_equal(store_sync_case_status(s, "C-1", "open", &err), FB_OK);
    store_sync_decision d = {.id = "22222222-2222-4222-8222-222222222222", .case_id = "C-2", .reviewer = "B",
                             .action = "block", .violation = "self_hire", .approval = "pending",
                             .days = -1, .rec_days = -1, .decided_at = 5};
    int ins = 0;
    assert_int_equal(store_sync_put_decision(s, &d, 7, &ins, &err), FB_OK);
    assert_int_equal(ins, 1);
    assert_int_equal(store_sync_put_decision(s, &d, 7, &ins, &err), FB_OK);
    assert_int_equal(ins, 0);   /* idempotent */
    assert_int_equal(store_sync_put_approval(s, d.id, "approved", "C", 8, NULL, &err), FB_OK);
    assert_int_equal(store_sync_put_claim(s, "C-2", "B", 1000, &err), FB_OK);
    assert_int_equal(store_sync_put_prior(s, "u-1", "education", NULL, 3, &err), FB_OK);
    assert_int_equal(store_sync_put_prior(s, "u-1", "education", NULL, 3, &err), FB_OK);
    /* Statuses come with the pull's case rows, not from the rows about the case. */
    assert_one(p, "SELECT status FROM \"case\" WHERE id='C-2'", "open");
    assert_int_equal(store_sync_case_status(s, "C-2", "decided", &err), FB_OK);
    assert_int_equal(store_commit(s, &err), FB_OK);
    assert_one(p, "SELECT status || '|' || upstream_status FROM \"case\" WHERE id='C-1'", "decided|open");
    /* Once upstream refuses the pending decision, the case is upstream's again. */
    assert_int_equal(store_begin(s, &err), FB_OK);
    assert_int_equal(store_sync_outbox_done(s, 1, "decision", "11111111-1111-4111-8111-111111111111", "rejected",
                                            "no", NULL, 9, &err), FB_OK);
    assert_int_equal(store_commit(s, &err), FB_OK);
    assert_one(p, "SELECT status FROM \"case\" WHERE id='C-1'", "open");
    store_close(&s);
    assert_one(p, "SELECT status || '|' || claim_by || '|' || claim_until FROM \"case\" WHERE id='C-2'",
               "decided|B|1000");
    assert_one(p, "SELECT sync_state || '|' || approval || '|' || approved_by FROM decision WHERE reviewer='B'",
               "synced|approved|C");
    assert_one(p, "SELECT count(*) FROM prior_action WHERE account_id='u-1'", "1");
}

/* With upstream unreachable the engine runs, reports offline with a sentence that does
 * not contain the password, and stops promptly. */
static void test_engine_offline(void **state)
{
    (void)state;
    const char *p = seed("c.db");
    fb_config *cfg = config_defaults();
    fb_sync_engine *e = NULL;
    fb_err err = {0};
    char conn[256];
    snprintf(conn, sizeof conn, "host=%s port=1 user=nobody password=Hunter2-secret connect_timeout=2",
             getenv("FB_TEST_TMP") ? getenv("FB_TEST_TMP") : "/tmp");
    assert_int_equal(sync_engine_start(p, conn, cfg, "A", 1000, &e, &err), FB_OK);
    fb_sync_status st = {0};
    for (int i = 0; i < 400; i++) {   /* bounded poll for the first round's outcome */
        sync_engine_status(e, &st);
        if (st.last_error[0])
            break;
        struct timespec ts = {0, 10 * 1000000L};
        nanosleep(&ts, NULL);
    }
    assert_true(st.running);
    assert_false(st.online);
    assert_true(st.last_error[0] != '\0');
    assert_null(strstr(st.last_error, "Hunter2"));
    assert_int_equal(st.pending, 3);
    sync_engine_claim(e, "C-2");   /* queued; answered when online */
    sync_engine_kick(e);
    sync_engine_stop(&e);
    assert_null(e);
    config_free(&cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outbox_peek_mark_done),
        cmocka_unit_test(test_outbox_release),
        cmocka_unit_test(test_pulled_rows),
        cmocka_unit_test(test_engine_offline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
