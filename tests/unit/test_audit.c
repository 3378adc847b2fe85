/* The audit chain: append-only, hash-chained, and `fbreview verify` names the first row
 * that does not match after someone edits the file behind the triggers' back. */
#include "fixture_decision.h"

#include "fbreview/audit.h"
#include "fbreview/store_decision.h"

/* A store with five audit rows: three decisions, a note and an appeal. */
static void make_chain(fx *f, const char *name)
{
    fx_open(f, name, "alice", NULL);
    fx_case(f->s, "C-1", "u-1", "u-2", 80, FB_V_SELF_HIRE);
    fx_case(f->s, "C-2", "u-3", "u-4", 45, FB_V_FAKE_JOB);
    fx_case(f->s, "C-3", "u-5", "u-6", 80, FB_V_PAID_FEEDBACK);
    fb_decide_req reqs[3] = {fx_accept("C-1"), fx_accept("C-2"), fx_accept("C-3")};
    fb_decide_plan plans[3];
    fb_err err = {0};
    assert_int_equal(workflow_decide(f->wf, reqs, 3, plans, &err), FB_OK);
    assert_int_equal(workflow_note(f->wf, "C-2", "looked at the messages", &err), FB_OK);
    char appeal[37];
    assert_int_equal(workflow_appeal(f->wf, plans[0].decision_id, "not me", appeal, &err), FB_OK);
    for (int i = 0; i < 3; i++)
        decide_plan_clear(&plans[i]);
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    fclose(out);
}

static void test_chain_verifies(void **state)
{
    (void)state;
    fx f;
    make_chain(&f, "good.db");
    fb_audit_report rep;
    fb_err err = {0};
    assert_int_equal(audit_verify(f.s, &rep, &err), FB_OK);
    assert_int_equal(rep.rows, 5);
    assert_int_equal(rep.bad_seq, 0);
    /* Genesis, and each row links to the one before it. */
    char *g = t_sql_text(f.path, "SELECT prev_hash FROM audit WHERE seq=1");
    assert_string_equal(g, AUDIT_GENESIS);
    free(g);
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM audit a JOIN audit b ON b.seq=a.seq+1"
                                    " WHERE b.prev_hash=a.hash"), 4);
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM audit WHERE length(hash)=64"
                                    " AND hash NOT GLOB '*[^0-9a-f]*'"), 5);
    fx_close(&f);
    char *out = NULL;
    assert_int_equal(t_run(&out, "--db '%s' verify", f.path), 0);
    assert_non_null(strstr(out, "audit chain ok (5 rows)"));
    free(out);
}

static void test_triggers_refuse_changes(void **state)
{
    (void)state;
    fx f;
    make_chain(&f, "append.db");
    fx_close(&f);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f.path, &db), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE audit SET detail='x' WHERE seq=1", NULL, NULL, NULL), SQLITE_OK);
    assert_non_null(strstr(sqlite3_errmsg(db), "append-only"));
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit WHERE seq=1", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(t_sql_int(f.path, "SELECT count(*) FROM audit"), 5);
}

static void test_tamper_detected_by_binary(void **state)
{
    (void)state;
    fx f;
    make_chain(&f, "orig.db");
    fx_close(&f);   /* the last connection closing checkpoints the WAL into the file */
    const char *copy = t_path("tampered.db");
    copy_file(f.path, copy);
    /* Drop the triggers and change one byte of an old row's detail. */
    t_sql(copy, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;"
                 "UPDATE audit SET detail = substr(detail, 1, 2) || char(unicode(substr(detail, 3, 1)) + 1)"
                 " || substr(detail, 4) WHERE seq = 2");
    char *out = NULL;
    assert_int_equal(t_run(&out, "--db '%s' verify", copy), 1);
    assert_non_null(strstr(out, "audit row seq 2 (decision, case C-2)"));
    assert_non_null(strstr(out, "does not match its hash"));
    free(out);
    /* The original still verifies. */
    assert_int_equal(t_run(&out, "--db '%s' verify", f.path), 0);
    free(out);

    /* Recomputing the row's own hash does not help: the next row's link breaks. */
    const char *copy2 = t_path("rehashed.db");
    copy_file(f.path, copy2);
    t_sql(copy2, "DROP TRIGGER audit_no_update; UPDATE audit SET actor='mallory' WHERE seq=3");
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(copy2, 0, &s, &err), FB_OK);
    char *p3 = t_sql_text(copy2, "SELECT prev_hash FROM audit WHERE seq=3");
    char *d3 = t_sql_text(copy2, "SELECT detail FROM audit WHERE seq=3");
    char *r3 = t_sql_text(copy2, "SELECT ref FROM audit WHERE seq=3");
    long long at3 = t_sql_int(copy2, "SELECT at FROM audit WHERE seq=3");
    char hex[65], sql[512];
    audit_hash(p3, 3, at3, "mallory", "decision", "C-3", r3, d3, hex);
    snprintf(sql, sizeof sql, "UPDATE audit SET hash='%s' WHERE seq=3", hex);
    t_sql(copy2, sql);
    fb_audit_report rep;
    assert_int_equal(audit_verify(s, &rep, &err), FB_EINPUT);
    assert_int_equal(rep.bad_seq, 4);
    assert_non_null(strstr(err.msg, "prev_hash does not match"));
    store_close(&s);
    free(p3);
    free(d3);
    free(r3);

    /* A deleted middle row is found at the row after the gap. */
    const char *copy3 = t_path("deleted.db");
    copy_file(f.path, copy3);
    t_sql(copy3, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq=2");
    assert_int_equal(t_run(&out, "--db '%s' verify", copy3), 1);
    assert_non_null(strstr(out, "audit row seq 3"));
    free(out);
}

static void test_hash_is_canonical(void **state)
{
    (void)state;
    char a[65], b[65], c[65];
    audit_hash(AUDIT_GENESIS, 1, 1000, "alice", "note", "C-1", NULL, "x", a);
    audit_hash(AUDIT_GENESIS, 1, 1000, "alice", "note", "C-1", NULL, "x", b);
    assert_string_equal(a, b);
    /* Moving bytes between fields, or NULL versus empty, changes the hash. */
    audit_hash(AUDIT_GENESIS, 1, 1000, "alic", "enote", "C-1", NULL, "x", c);
    assert_string_not_equal(a, c);
    audit_hash(AUDIT_GENESIS, 1, 1000, "alice", "note", "C-1", "", "x", c);
    assert_string_not_equal(a, c);
    audit_hash(AUDIT_GENESIS, 2, 1000, "alice", "note", "C-1", NULL, "x", c);
    assert_string_not_equal(a, c);
    /* A known answer pins the serialisation: SHA-256 of
     * 64 zeros "1:1\n4:1000\n5:alice\n4:note\n3:C-1\n~\n1:x\n". */
    assert_string_equal(a, "d68ec32c879eecb461f6b6d22ccc1ad3c9bc4683e7d3200f0b56b52a6a9680bf");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chain_verifies),
        cmocka_unit_test(test_triggers_refuse_changes),
        cmocka_unit_test(test_tamper_detected_by_binary),
        cmocka_unit_test(test_hash_is_canonical),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
