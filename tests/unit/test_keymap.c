/* The keymap: the built-in table binds no key twice in one context, every action has a
 * name and help, and `bind` errors name the file and line. */
#include "testlib.h"

#include <locale.h>

#include "fbreview/keymap.h"

static void builtin_loads_without_clashes(void **state)
{
    (void)state;
    fb_keymap *km = NULL;
    fb_err err = {0};
    assert_int_equal(keymap_load(NULL, &km, &err), FB_OK);
    assert_non_null(km);
    /* No key maps to two actions in one context: look every key up and compare with
     * every action's key list. */
    for (int ctx = KM_MAIN; ctx <= KM_HELP; ctx <<= 1) {
        for (int i = 0; i < KM_N_ACTIONS; i++) {
            int keys[16];
            size_t n = keymap_keys_for(km, km_actions[i].id, ctx, keys, 16);
            for (size_t k = 0; k < n; k++)
                assert_int_equal(keymap_lookup(km, ctx, keys[k]), km_actions[i].id);
        }
    }
    /* The routine keys of DESIGN.md §6. */
    assert_int_equal(keymap_lookup(km, KM_MAIN, 'y'), ACT_ACCEPT);
    assert_int_equal(keymap_lookup(km, KM_MAIN, 'd'), ACT_DISMISS);
    assert_int_equal(keymap_lookup(km, KM_MAIN, 'n'), ACT_SEARCH_NEXT);
    assert_int_equal(keymap_lookup(km, KM_MAIN, 'N'), ACT_SEARCH_PREV);
    /* Stepping back: q, Esc, h, Left close the view in front; Q quits from anywhere. */
    int esc, left;
    assert_int_equal(keymap_key_parse("<Esc>", &esc), 0);
    assert_int_equal(keymap_key_parse("<Left>", &left), 0);
    for (int ctx = KM_MAIN; ctx <= KM_HELP; ctx <<= 1) {
        assert_int_equal(keymap_lookup(km, ctx, 'q'), ACT_CLOSE);
        assert_int_equal(keymap_lookup(km, ctx, esc), ACT_BACK);
        assert_int_equal(keymap_lookup(km, ctx, 'h'), ACT_BACK);
        assert_int_equal(keymap_lookup(km, ctx, left), ACT_BACK);
        assert_int_equal(keymap_lookup(km, ctx, 'Q'), ACT_QUIT);
    }
    assert_int_equal(keymap_lookup(km, KM_HELP, '?'), ACT_HELP_CLOSE);
    keymap_free(&km);
    assert_null(km);
}

/* The hint line: in every context and every combination of case states, `? help` is on it
 * at 80 columns (79 usable), it fits, and the context's own keys come first. */
static void hints_fit_80_with_help(void **state)
{
    (void)state;
    fb_keymap *km = NULL;
    fb_err err = {0};
    assert_int_equal(keymap_load(NULL, &km, &err), FB_OK);
    for (int hctx = 1; hctx < (HC_HELP << 1); hctx++) {
        int ctx = hctx & HC_HELP ? KM_HELP : KM_MAIN;
        if ((hctx & HC_HELP) && hctx != HC_HELP)
            continue;
        if (!(hctx & (HC_QUEUE | HC_CASE | HC_HELP)) || (hctx & HC_QUEUE && hctx & HC_CASE))
            continue;
        km_hint h[KM_N_ACTIONS];
        size_t n = keymap_hints(km, hctx, ctx, 79 + KM_HINT_GAP, NULL, NULL, h, KM_N_ACTIONS);
        int width = 0, help = 0;
        for (size_t i = 0; i < n; i++) {
            char kn[16];
            width += (int)(strlen(keymap_key_short(h[i].key, kn, sizeof kn)) + 1 + strlen(h[i].label)) +
                     (i ? KM_HINT_GAP : 0);
            help |= h[i].action == ACT_HELP;
        }
        assert_true(width <= 79);
        if (ctx == KM_MAIN) {
            assert_true(help);
            assert_int_equal(h[n - 1].action, ACT_HELP);
        }
        if (hctx & HC_APPROVAL) {
            assert_int_equal(h[0].action, ACT_APPROVE);
            assert_int_equal(h[1].action, ACT_SEND_BACK);
        } else if (hctx & HC_CONFLICT) {
            assert_int_equal(h[0].action, ACT_CONFLICT_ACCEPT);
        }
        for (size_t i = 0; i < n; i++)
            if (h[i].action == ACT_APPROVE)
                assert_true(hctx & HC_APPROVAL);
    }
    /* Narrower than all of them: help still fits, lower priorities go first. */
    km_hint h[KM_N_ACTIONS];
    size_t n = keymap_hints(km, HC_QUEUE, KM_MAIN, 20, NULL, NULL, h, KM_N_ACTIONS);
    assert_true(n >= 1);
    assert_int_equal(h[n - 1].action, ACT_HELP);
    keymap_free(&km);
}

static void builtin_text_has_no_duplicates(void **state)
{
    (void)state;
    /* A key bound twice in one context in one file is refused, as at start. */
    fb_keymap *km = NULL;
    fb_err err = {0};
    assert_int_equal(keymap_load(NULL, &km, &err), FB_OK);
    assert_int_equal(keymap_apply_text(km, "dup.conf", "[keys]\nbind = Z accept\nbind = Z dismiss\n", &err),
                     FB_EINPUT);
    assert_non_null(strstr(err.msg, "dup.conf:3"));
    assert_non_null(strstr(err.msg, "already bound"));
    keymap_free(&km);
}

static void every_action_named_and_helped(void **state)
{
    (void)state;
    for (int i = 0; i < KM_N_ACTIONS; i++) {
        assert_true(km_actions[i].id > KM_ACTION_BASE);
        assert_non_null(km_actions[i].name);
        assert_non_null(km_actions[i].help);
        assert_int_equal(keymap_action_from_name(km_actions[i].name), km_actions[i].id);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(km_actions[i].name, km_actions[j].name);
    }
    assert_int_equal(keymap_action_from_name("no-such-action"), ACT_NONE);
}

static void rebind_overrides_builtin(void **state)
{
    (void)state;
    fb_keymap *km = NULL;
    fb_err err = {0};
    assert_int_equal(keymap_load(NULL, &km, &err), FB_OK);
    assert_int_equal(keymap_apply_text(km, "user.conf", "[keys]\nbind = y dismiss\nbind = <F2> accept\nbind = j none\n",
                                       &err),
                     FB_OK);
    assert_int_equal(keymap_lookup(km, KM_MAIN, 'y'), ACT_DISMISS);
    int f2;
    assert_int_equal(keymap_key_parse("<F2>", &f2), 0);
    assert_int_equal(keymap_lookup(km, KM_MAIN, f2), ACT_ACCEPT);
    assert_int_equal(keymap_lookup(km, KM_MAIN, 'j'), ACT_NONE);
    keymap_free(&km);
}

static void bind_errors_name_file_and_line(void **state)
{
    (void)state;
    fb_keymap *km = NULL;
    fb_err err = {0};
    assert_int_equal(keymap_load(NULL, &km, &err), FB_OK);
    assert_int_equal(keymap_apply_text(km, "a.conf", "[keys]\n\nbind = y frobnicate\n", &err), FB_EINPUT);
    assert_non_null(strstr(err.msg, "a.conf:3"));
    assert_non_null(strstr(err.msg, "unknown action \"frobnicate\""));
    assert_int_equal(keymap_apply_text(km, "b.conf", "[keys]\nbind = <Bogus> accept\n", &err), FB_EINPUT);
    assert_non_null(strstr(err.msg, "b.conf:2"));
    assert_non_null(strstr(err.msg, "unknown key name \"<Bogus>\""));
    assert_int_equal(keymap_apply_text(km, "c.conf", "[keys]\nbind = y\n", &err), FB_EINPUT);
    assert_non_null(strstr(err.msg, "c.conf:2"));
    assert_int_equal(keymap_apply_text(km, "d.conf", "[keys]\nfoo = y accept\n", &err), FB_EINPUT);
    assert_non_null(strstr(err.msg, "d.conf:2"));
    keymap_free(&km);

    /* Through the real binary: a bad config stops the console before the screen is taken. */
    const char *cfg = t_write("bad.conf", "[keys]\nbind = y nope\n");
    char *out = NULL;
    int rc = t_run(&out, "--db '%s' --config '%s'", t_path("x.db"), cfg);
    assert_int_not_equal(rc, 0);
    assert_non_null(strstr(out, "bad.conf:2"));
    assert_non_null(strstr(out, "unknown action \"nope\""));
    free(out);
}

static void key_names_round_trip(void **state)
{
    (void)state;
    const char *names[] = {"y", "<Down>", "<PgDn>", "<C-l>", "<Space>", "<Enter>", "<Esc>", "<Tab>", "<F5>", "?", "é"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        int k;
        char buf[16];
        assert_int_equal(keymap_key_parse(names[i], &k), 0);
        assert_string_equal(keymap_key_name(k, buf, sizeof buf), names[i]);
    }
    int k;
    assert_int_equal(keymap_key_parse("", &k), -1);
    assert_int_equal(keymap_key_parse("ab", &k), -1);
    assert_int_equal(keymap_key_parse("<C-1>", &k), -1);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(builtin_loads_without_clashes),
        cmocka_unit_test(hints_fit_80_with_help),
        cmocka_unit_test(builtin_text_has_no_duplicates),
        cmocka_unit_test(every_action_named_and_helped),
        cmocka_unit_test(rebind_overrides_builtin),
        cmocka_unit_test(bind_errors_name_file_and_line),
        cmocka_unit_test(key_names_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
