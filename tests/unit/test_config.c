/* Settings with a schema: every line is checked against the options table, errors name
 * FILE:LINE, the table's defaults are valid values of their own rows. */
#include "testlib.h"

#include <sys/stat.h>

#include "fbreview/config.h"

static void expect_error(const char *text, const char *needle)
{
    fb_config *cfg = config_defaults();
    fb_err err = {0};
    assert_int_equal(config_apply_text(cfg, "user.conf", text, &err), FB_EINPUT);
    if (!strstr(err.msg, needle))
        fail_msg("expected \"%s\" in \"%s\"", needle, err.msg);
    config_free(&cfg);
}

static void test_unknown_sections_and_keys(void **state)
{
    (void)state;
    expect_error("[polcy]\nhigh_risk = 10\n", "user.conf:1: [polcy]: unknown section");
    expect_error("# a comment\n\n[polcy]\n", "user.conf:3: [polcy]: unknown section");   /* even with no key */
    expect_error("[policy]\nhigh_rsk = 10\n", "user.conf:2: [policy] high_rsk: unknown setting (known here: ");
    expect_error("high_risk = 10\n", "user.conf:1: high_risk: a setting outside any section");
    expect_error("[sync]\ninterval = 5\n[keys]\nbind = y accept\nbindd = y accept\n", "user.conf:5: [keys] bindd: unknown setting");
    expect_error("[]\n", "user.conf:1: []: a section needs a name");
}

static void test_types_and_ranges(void **state)
{
    (void)state;
    expect_error("[policy]\nhigh_risk = 102\n", "user.conf:2: [policy] high_risk: expected a whole number from 0 to 101, got \"102\"");
    expect_error("[policy]\nhigh_risk = -1\n", "from 0 to 101, got \"-1\"");
    expect_error("[policy]\nhigh_risk = 6O\n", "got \"6O\"");
    expect_error("[policy]\nhigh_risk =\n", "got \"\"");
    expect_error("[sync]\nbatch = 0\n", "user.conf:2: [sync] batch: expected a whole number from 1 to 100000");
    expect_error("[sync]\ninterval = 99999999999999999999\n", "[sync] interval: expected a whole number");
    expect_error("[console]\nsla_hours = 1.5\n", "[console] sla_hours: expected a whole number");
    expect_error("[policy]\nappeal_separation = nope\n", "[policy] appeal_separation: expected true or false");
    expect_error("[ladder]\nminor.1 = suspension  14\n", "[ladder] minor.1: expected education|suspension N|block");
    expect_error("[ladder]\nminor.1 = suspension 0\n", "(N from 1 to 365)");
    expect_error("[ladder]\nminor.1 = educationx\n", "[ladder] minor.1: expected");
    expect_error("[ladder]\nminor.1 = block 2\n", "[ladder] minor.1: expected");
    expect_error("[ladder]\nminor.1 = suspension\t14\n", "[ladder] minor.1: expected");
    expect_error("[ladder]\nminor.1 = suspension -3\n", "[ladder] minor.1: expected");
    expect_error("[ladder]\nminor.1 = suspension 14 days\n", "[ladder] minor.1: expected");
}

static void test_values_defaults_and_last_wins(void **state)
{
    (void)state;
    fb_config *cfg = config_defaults();
    fb_err err = {0};
    assert_int_equal(config_int(cfg, OPT_POLICY_HIGH_RISK), 60);
    assert_int_equal(config_bool(cfg, OPT_POLICY_BLOCK_NEEDS_APPROVAL), 1);
    assert_null(config_str(cfg, OPT_SYNC_UPSTREAM));
    assert_null(config_entry(cfg, OPT_POLICY_HIGH_RISK));
    assert_int_equal(config_apply_text(cfg, "a.conf", "[policy]\nhigh_risk = 70\nblock_needs_approval = off\n"
                                                      "[sync]\nupstream = service=x\n", &err), FB_OK);
    assert_int_equal(config_apply_text(cfg, "b.conf", "; again\n[policy]\nhigh_risk = 80\n", &err), FB_OK);
    assert_int_equal(config_int(cfg, OPT_POLICY_HIGH_RISK), 80);
    const fb_config_entry *e = config_entry(cfg, OPT_POLICY_HIGH_RISK);
    assert_non_null(e);
    assert_string_equal(e->file, "b.conf");
    assert_int_equal(e->line, 3);
    assert_int_equal(config_bool(cfg, OPT_POLICY_BLOCK_NEEDS_APPROVAL), 0);
    assert_string_equal(config_str(cfg, OPT_SYNC_UPSTREAM), "service=x");
    /* A bad text keeps nothing of itself, not even its good lines. */
    assert_int_equal(config_apply_text(cfg, "c.conf", "[policy]\nhigh_risk = 90\nhigh_risk = 900\n", &err), FB_EINPUT);
    assert_int_equal(config_int(cfg, OPT_POLICY_HIGH_RISK), 80);
    config_free(&cfg);
}

/* Every row's default is a valid value of its own row, and every row is printed. */
static void test_table_defaults_are_valid(void **state)
{
    (void)state;
    for (int i = 0; i < OPT_COUNT; i++) {
        const fb_option *o = config_option((fb_option_id)i);
        assert_non_null(o);
        assert_true(o->help && *o->help);
        if (!o->def)
            continue;
        char text[512];
        snprintf(text, sizeof text, "[%s]\n%s = %s\n", o->section, o->key, o->def);
        fb_config *cfg = config_defaults();
        fb_err err = {0};
        if (config_apply_text(cfg, "defaults", text, &err) != FB_OK)
            fail_msg("default of [%s] %s is not valid: %s", o->section, o->key, err.msg);
        config_free(&cfg);
    }
    /* The printed defaults read back cleanly (data/default.conf is this text). */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    config_print_defaults(f, 0);
    fclose(f);
    fb_config *cfg = config_defaults();
    fb_err err = {0};
    assert_int_equal(config_apply_text(cfg, "printed", buf, &err), FB_OK);
    for (int i = 0; i < OPT_COUNT; i++) {
        const fb_option *o = config_option((fb_option_id)i);
        if (o->def)
            assert_non_null(config_entry(cfg, (fb_option_id)i));
    }
    config_free(&cfg);
    free(buf);
}

/* The binary: a typo in the config is exit 1 naming FILE:LINE, and nothing is touched. */
static void test_binary_refuses_bad_config(void **state)
{
    (void)state;
    const char *conf = t_write("typo.conf", "[policy]\nhigh_risk = 60\n\n[polcy]\nhigh_risk = 10\n");
    const char *db = t_path("never.db");
    char *out = NULL;
    assert_int_equal(t_run(&out, "--db '%s' --config '%s' stats", db, conf), 1);
    assert_non_null(strstr(out, "typo.conf:4: [polcy]: unknown section"));
    struct stat sb;
    assert_int_not_equal(stat(db, &sb), 0);   /* no store was created */
    free(out);
    conf = t_write("range.conf", "[console]\nsla_hours = 0\n");
    assert_int_equal(t_run(&out, "--db '%s' --config '%s' show X", db, conf), 1);
    assert_non_null(strstr(out, "range.conf:2: [console] sla_hours: expected a whole number from 1 to 8760"));
    free(out);
    /* The defaults printed by the binary are a valid config for it, key bindings included
     * (the keymap checks those when the console starts). */
    const char *defaults = t_path("defaults.conf");
    assert_int_equal(t_run(NULL, "--defaults > '%s'", defaults), 0);
    assert_int_equal(t_run(&out, "--db '%s' --config '%s' console --keys", t_path("ok.db"), defaults), 0);
    assert_non_null(strstr(out, "accept"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_sections_and_keys),
        cmocka_unit_test(test_types_and_ranges),
        cmocka_unit_test(test_values_defaults_and_last_wins),
        cmocka_unit_test(test_table_defaults_are_valid),
        cmocka_unit_test(test_binary_refuses_bad_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
