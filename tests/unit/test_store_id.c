/* Ids as people type them (store_id): a decision by a unique prefix of 8 or more
 * characters in any case, an ambiguous prefix named with its candidates; a case id in any
 * case; then every command that takes those ids, through the real binary. */
#include "fixture_decision.h"

#include "fbreview/store_id.h"

#define UUID_A "deadbeef-0000-4000-8000-00000000000a"
#define UUID_B "deadbeef-0000-4000-8000-00000000000b"
#define UUID_C "cafe0000-1111-4000-8000-000000000001"
#define UUID_D "beef0000-2222-4000-8000-000000000001"

static void assert_contains(const char *out, const char *want)
{
    if (!out || !strstr(out, want)) {
        print_error("expected to contain:\n  %s\ngot:\n%s\n", want, out ? out : "(null)");
        fail();
    }
}

static const char *make_store(const char *name)
{
    fx f;
    fx_open(&f, name, "setup", NULL);
    fx_case(f.s, "C-1", "u-1", "u-2", 80, FB_V_SELF_HIRE);
    fx_case(f.s, "C-2", "u-3", "u-4", 80, FB_V_SELF_HIRE);
    fx_case(f.s, "ab-3", "u-5", "u-6", 45, FB_V_FAKE_JOB);
    fx_case(f.s, "AB-3", "u-7", "u-8", 45, FB_V_FAKE_JOB);
    fx_case(f.s, "C%_", "u-9", NULL, 10, FB_V_NONE);
    static char path[4096];
    snprintf(path, sizeof path, "%s", f.path);
    fx_close(&f);
    return path;
}

static void put_decision(const char *db, const char *id, const char *case_id)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO decision(id, case_id, reviewer, action, decided_at) VALUES ('%s', '%s', 'x', 'escalate', 1)",
             id, case_id);
    t_sql(db, sql);
}

static void test_decision_prefix(void **state)
{
    (void)state;
    const char *db = make_store("ids.db");
    put_decision(db, UUID_A, "C-1");
    put_decision(db, UUID_B, "C-1");
    put_decision(db, UUID_C, "C-2");
    put_decision(db, "legacy-id", "C-2");   /* not a UUID: found by its whole id */
    put_decision(db, UUID_D, "C-2");
    put_decision(db, UUID_D "-x", "C-2");    /* longer than a UUID: never cut to one */
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(db, 0, &s, &err), FB_OK);
    char *id = NULL;

    assert_int_equal(store_id_decision(s, UUID_C, &id, &err), FB_OK);
    assert_string_equal(id, UUID_C);
    free(id);
    assert_int_equal(store_id_decision(s, "cafe0000", &id, &err), FB_OK);
    assert_string_equal(id, UUID_C);
    free(id);
    assert_int_equal(store_id_decision(s, "CAFE0000-11", &id, &err), FB_OK);   /* any case */
    assert_string_equal(id, UUID_C);
    free(id);
    assert_int_equal(store_id_decision(s, "DEADBEEF-0000-4000-8000-00000000000B", &id, &err), FB_OK);
    assert_string_equal(id, UUID_B);
    free(id);
    assert_int_equal(store_id_decision(s, UUID_D "-x", &id, &err), FB_OK);
    assert_string_equal(id, UUID_D "-x");
    free(id);
    assert_int_equal(store_id_decision(s, UUID_D, &id, &err), FB_OK);   /* the exact id wins */
    assert_string_equal(id, UUID_D);
    free(id);
    assert_int_equal(store_id_decision(s, "legacy-id", &id, &err), FB_OK);
    assert_string_equal(id, "legacy-id");
    free(id);

    /* ambiguous: both candidates named */
    assert_int_equal(store_id_decision(s, "deadbeef", &id, &err), FB_EINPUT);
    assert_contains(err.msg, "ambiguous");
    assert_contains(err.msg, UUID_A);
    assert_contains(err.msg, UUID_B);
    assert_int_equal(store_id_decision(s, "deadbeef-0000-4000-8000-00000000000", &id, &err), FB_EINPUT);
    /* too short, even when unique */
    assert_int_equal(store_id_decision(s, "cafe000", &id, &err), FB_EINPUT);
    assert_contains(err.msg, "at least 8 characters");
    /* none, and nothing a pattern could widen */
    assert_int_equal(store_id_decision(s, "cafe0001", &id, &err), FB_ENOTFOUND);
    assert_int_equal(store_id_decision(s, "%%%%%%%%", &id, &err), FB_ENOTFOUND);
    assert_int_equal(store_id_decision(s, "cafe000_", &id, &err), FB_ENOTFOUND);
    assert_int_equal(store_id_decision(s, "", &id, &err), FB_EINPUT);
    assert_int_equal(store_id_decision(s, UUID_C "0", &id, &err), FB_ENOTFOUND);
    store_close(&s);
}

static void test_case_any_case(void **state)
{
    (void)state;
    const char *db = make_store("cases.db");
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(db, 0, &s, &err), FB_OK);
    char *id = NULL;
    assert_int_equal(store_id_case(s, "c-1", &id, &err), FB_OK);
    assert_string_equal(id, "C-1");
    free(id);
    assert_int_equal(store_id_case(s, "C-1", &id, &err), FB_OK);
    assert_string_equal(id, "C-1");
    free(id);
    /* an exact match wins over ids that differ only in case */
    assert_int_equal(store_id_case(s, "ab-3", &id, &err), FB_OK);
    assert_string_equal(id, "ab-3");
    free(id);
    assert_int_equal(store_id_case(s, "AB-3", &id, &err), FB_OK);
    assert_string_equal(id, "AB-3");
    free(id);
    /* otherwise several are ambiguous, and named */
    assert_int_equal(store_id_case(s, "Ab-3", &id, &err), FB_EINPUT);
    assert_null(id);
    assert_contains(err.msg, "AB-3");
    assert_contains(err.msg, "ab-3");
    /* LIKE's wildcards are plain characters here */
    assert_int_equal(store_id_case(s, "c%_", &id, &err), FB_OK);
    assert_string_equal(id, "C%_");
    free(id);
    assert_int_equal(store_id_case(s, "C-%", &id, &err), FB_ENOTFOUND);
    assert_int_equal(store_id_case(s, "C-", &id, &err), FB_ENOTFOUND);
    store_close(&s);
}

/* The 36-character id after "decision " in decide's output. */
static void decision_id_of(const char *out, char id[37])
{
    const char *d = strstr(out, "decision ");
    assert_non_null(d);
    memcpy(id, d + 9, 36);
    id[36] = '\0';
}

/* Every command that takes an id the console shows: show, decide, --undo, approve, appeal, note. */
static void test_commands_take_short_ids(void **state)
{
    (void)state;
    const char *db = make_store("cmds.db");
    char *out = NULL, id[37], up[37];
    assert_int_equal(t_run(&out, "--db '%s' show c-1", db), 0);
    assert_contains(out, "Case C-1");
    free(out);
    assert_int_equal(t_run(&out, "--db '%s' show --json c-1", db), 0);
    assert_contains(out, "\"case_id\": \"C-1\"");
    free(out);
    assert_int_equal(t_run(&out, "--db '%s' show Ab-3", db), 1);
    assert_contains(out, "ambiguous");
    free(out);
    assert_int_equal(t_run(&out, "--db '%s' --reviewer ann note c-2 see the login history", db), 0);
    assert_contains(out, "note added to case C-2");
    free(out);
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM note WHERE case_id='C-2'"), 1);

    assert_int_equal(t_run(&out, "--db '%s' --reviewer ann decide c-1 block --rationale 'two accounts'", db), 0);
    assert_contains(out, "C-1: block");
    decision_id_of(out, id);
    free(out);
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM decision WHERE case_id='C-1'"), 1);
    for (int i = 0; i < 36; i++)
        up[i] = (char)(id[i] >= 'a' && id[i] <= 'f' ? id[i] - 'a' + 'A' : id[i]);
    up[36] = '\0';
    /* approve by the first 8 characters, in upper case */
    assert_int_equal(t_run(&out, "--db '%s' --reviewer bob approve %.8s", db, up), 0);
    assert_contains(out, "approved decision");
    assert_contains(out, id);
    free(out);
    /* too short is refused (exit 1), and changes nothing */
    assert_int_equal(t_run(&out, "--db '%s' --reviewer cat appeal %.7s --text 'not me'", db, id), 1);
    assert_contains(out, "at least 8 characters");
    free(out);
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM appeal"), 0);
    assert_int_equal(t_run(&out, "--db '%s' --reviewer cat appeal %.10s --text 'not me'", db, id), 0);
    assert_contains(out, "case C-1 is now appealed");
    free(out);
    assert_int_equal(t_sql_int(db, "SELECT count(*) FROM appeal"), 1);

    assert_int_equal(t_run(&out, "--db '%s' --reviewer dan decide C-2 --accept", db), 0);
    decision_id_of(out, id);
    free(out);
    assert_int_equal(t_run(&out, "--db '%s' --reviewer dan decide --undo %.8s", db, id), 0);
    assert_contains(out, "undid decision");
    free(out);
    assert_int_equal(t_run(&out, "--db '%s' --reviewer dan conflict %.8s --accept", db, id), 1);
    assert_false(strstr(out, "no decision"));   /* found; refused for what it is */
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decision_prefix),
        cmocka_unit_test(test_case_any_case),
        cmocka_unit_test(test_commands_take_short_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
