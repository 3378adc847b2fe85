/* Config lines longer than libinih's line buffer (200 bytes in Debian's build) are refused
 * with the file and line, never split into pieces that parse as lines of their own (a value
 * cut short, its tail read as another entry, every later line number off). */
#include "testlib.h"

#include "fbreview/config.h"

/* "[sync]\nupstream = " then value bytes of 'A' (with tail copied in at its end), then
 * "\ninterval = 9\n" on line 3. */
static char *long_line_conf(size_t value_len, const char *tail)
{
    size_t cap = value_len + 64;
    char *t = malloc(cap);
    assert_non_null(t);
    int n = snprintf(t, cap, "[sync]\nupstream = ");
    memset(t + n, 'A', value_len);
    if (tail)
        memcpy(t + n + value_len - strlen(tail), tail, strlen(tail));
    snprintf(t + n + value_len, cap - (size_t)n - value_len, "\ninterval = 9\n");
    return t;
}

struct seen {
    const char *file;    /* only entries from this file count */
    int n;
    size_t long_len;
    int after_line;
};

static fb_status each(void *ctx, const fb_config_entry *e, fb_err *err)
{
    (void)err;
    struct seen *s = ctx;
    if (strcmp(e->file, s->file) != 0)
        return FB_OK;
    s->n++;
    if (strcmp(e->key, "upstream") == 0)
        s->long_len = strlen(e->value);
    if (strcmp(e->key, "interval") == 0)
        s->after_line = e->line;
    return FB_OK;
}

static void test_longest_line_kept_whole(void **state)
{
    (void)state;
    /* "upstream = " is 11 bytes: a value of 188 makes a 199-byte line, the most that fits. */
    char *t = long_line_conf(188, NULL);
    fb_config *cfg = config_defaults();
    fb_err err = {0};
    assert_int_equal(config_apply_text(cfg, "t.conf", t, &err), FB_OK);
    struct seen s = {"t.conf", 0, 0, 0};
    assert_int_equal(config_each(cfg, "sync", each, &s, &err), FB_OK);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.long_len, 188);
    assert_int_equal(s.after_line, 3);
    config_free(&cfg);
    free(t);
}

static void test_longer_line_refused(void **state)
{
    (void)state;
    /* One byte more, and a tail that would parse as an entry of its own if split. */
    static const size_t lens[] = {189, 400, 5000};
    for (size_t i = 0; i < sizeof lens / sizeof *lens; i++) {
        char *t = long_line_conf(lens[i], " batch = 7");
        fb_config *cfg = config_defaults();
        fb_err err = {0};
        assert_int_equal(config_apply_text(cfg, "t.conf", t, &err), FB_EINPUT);
        if (!strstr(err.msg, "t.conf:2: line longer than 199 bytes"))
            fail_msg("unexpected error: %s", err.msg);
        struct seen s = {"t.conf", 0, 0, 0};
        assert_int_equal(config_each(cfg, "sync", each, &s, &err), FB_OK);
        assert_int_equal(s.n, 0);   /* nothing of the refused text */
        config_free(&cfg);
        free(t);
    }
}

static void test_file_long_line_refused(void **state)
{
    (void)state;
    char *t = long_line_conf(188, NULL);
    fb_config *cfg = NULL;
    fb_err err = {0};
    char ok[4096];
    snprintf(ok, sizeof ok, "%s", t_write("ok.conf", t));
    free(t);
    assert_int_equal(config_load(ok, 1, &cfg, &err), FB_OK);
    struct seen s = {ok, 0, 0, 0};
    assert_int_equal(config_each(cfg, "sync", each, &s, &err), FB_OK);
    assert_int_equal(s.long_len, 188);
    assert_int_equal(s.after_line, 3);
    config_free(&cfg);

    t = long_line_conf(600, " batch = 7");
    char bad[4096];
    snprintf(bad, sizeof bad, "%s", t_write("bad.conf", t));
    free(t);
    assert_int_equal(config_load(bad, 1, &cfg, &err), FB_EINPUT);
    assert_null(cfg);
    char want[4200];
    snprintf(want, sizeof want, "%s:2: line longer than 199 bytes", bad);
    if (!strstr(err.msg, want))
        fail_msg("unexpected error: %s", err.msg);
}

static void test_line_numbers_after_a_full_line(void **state)
{
    (void)state;
    /* A 199-byte line, then a bad line: the error names line 3 (the newline right after a
     * full buffer is not a line of its own). */
    char *t = long_line_conf(188, NULL);
    char *bad = malloc(strlen(t) + 32);
    assert_non_null(bad);
    strcpy(bad, t);
    char *after = strstr(bad, "interval = 9");
    strcpy(after, "no equals sign here\n");
    fb_config *cfg = config_defaults();
    fb_err err = {0};
    assert_int_equal(config_apply_text(cfg, "t.conf", bad, &err), FB_EINPUT);
    if (!strstr(err.msg, "t.conf:3: cannot parse this line"))
        fail_msg("unexpected error: %s", err.msg);
    config_free(&cfg);
    free(bad);
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_longest_line_kept_whole),
        cmocka_unit_test(test_longer_line_refused),
        cmocka_unit_test(test_file_long_line_refused),
        cmocka_unit_test(test_line_numbers_after_a_full_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
