/* Disguised words (issue 13): look-alike letters of another script, invisible characters,
 * letters spaced or dotted out, digits and symbols for letters. The analyser reads them as
 * the words they stand for (the violation frames fire), the disguise itself is a "read"
 * finding, so a disguised message is never recommended no_violation, and the highlight lies
 * on the original characters. Ordinary text does not turn into words: "a b c", money and
 * numbers, a message in Russian or Greek. */
#include "analyse_fixture.h"

#include "fbreview/analyse.h"
#include "fbreview/config.h"
#include "fbreview/fold.h"
#include "fbreview/ingest.h"
#include "fbreview/policy.h"
#include "fbreview/signals.h"
#include "fbreview/text.h"

static const fb_signal *signal_of(const fb_case *c, const char *code)
{
    for (size_t i = 0; i < c->n_signals; i++)
        if (strcmp(c->signals[i].code, code) == 0)
            return &c->signals[i];
    return NULL;
}

/* The match of message 0 that starts where word does and covers it (an invisible character
 * right after the word may be in it too), or NULL. */
static const fb_match *match_on(const fb_case *c, const char *word)
{
    const char *at = strstr(c->messages[0].body, word);
    if (!at)
        fail_msg("\"%s\" is not in \"%s\"", word, c->messages[0].body);
    size_t s = (size_t)(at - c->messages[0].body);
    for (size_t i = 0; i < c->n_matches; i++)
        if (c->matches[i].message == 0 && c->matches[i].start == s && c->matches[i].len >= strlen(word) &&
            c->matches[i].len <= strlen(word) + 3 && c->matches[i].why && strstr(c->matches[i].why, "disguise"))
            return &c->matches[i];
    return NULL;
}

/* body: recommended v (a violation) or, with v FB_V_NONE, "read this case"; the disguise
 * finding kind names word (as written), which is highlighted exactly. */
static void expect_disguised(const char *body, fb_violation v, const char *kind, const char *word)
{
    fb_case *c = one(body);
    fb_rec r = rec_of(c);
    char code[64];
    snprintf(code, sizeof code, "read_disguise_%s", kind);
    const fb_signal *g = signal_of(c, code);
    if (r.action == FB_A_NO_VIOLATION || !g || (v != FB_V_NONE && r.violation != v) ||
        (v == FB_V_NONE && r.action != FB_A_NONE)) {
        dump(c);
        fail_msg("\"%s\": %s %s, want %s and a %s finding", body, fb_action_str(r.action),
                 r.violation == FB_V_NONE ? "" : fb_violation_str(r.violation),
                 v == FB_V_NONE ? "read this case" : fb_violation_str(v), code);
    }
    /* the word is highlighted as written, the highlight explained by a sentence quoting it
     * (the finding quotes the first disguised word of its kind) */
    const fb_match *mt = match_on(c, word);
    if (!mt) {
        dump(c);
        fail_msg("\"%s\": \"%s\" is not highlighted as written", body, word);
    }
    char quoted[256];
    snprintf(quoted, sizeof quoted, "\u201c%s\u201d in disguise", word);
    if (!strstr(mt->why, quoted))
        fail_msg("\"%s\": the highlight's sentence \"%s\" does not quote %s", body, mt->why, quoted);
    assert_non_null(strstr(g->sentence, "in disguise ("));
    fb_case_free(&c);
}

/* The lead's four, and each kind of disguise, in each kind of violation. */
static void test_disguised_violations_are_seen(void **state)
{
    (void)state;
    expect_disguised("$20 for a r.e.v.i.e.w", FB_V_PAID_FEEDBACK, "spaced", "r.e.v.i.e.w");
    expect_disguised("$20 for a good r\xd0\xb5v\xd1\x96" "ew", FB_V_PAID_FEEDBACK, "lookalike", "r\xd0\xb5v\xd1\x96" "ew");
    expect_disguised("$20 for a good R E V I E W", FB_V_PAID_FEEDBACK, "spaced", "R E V I E W");
    expect_disguised("pay $20 for a g00d r3view", FB_V_PAID_FEEDBACK, "leet", "r3view");
    expect_disguised("pay $20 for a g00d r3view", FB_V_PAID_FEEDBACK, "leet", "g00d");
    /* invisible characters: zero-width space, soft hyphen, a bidi override, word joiner */
    expect_disguised("I'll add a $15 bonus for a good re\xe2\x80\x8bview", FB_V_PAID_FEEDBACK, "hidden",
                     "re\xe2\x80\x8bview");
    expect_disguised("Give me a full re\xc2\xad" "fund or I leave one star", FB_V_FEEDBACK_EXTORTION, "hidden",
                     "re\xc2\xad" "fund");
    expect_disguised("Five st\xe2\x80\xae" "ars and I send a tip", FB_V_PAID_FEEDBACK, "hidden", "st\xe2\x80\xae" "ars");
    expect_disguised("I do the logo for free if you leave f\xe2\x81\xa0" "eedback", FB_V_FREE_WORK_FOR_REVIEW, "hidden",
                     "f\xe2\x81\xa0" "eedback");
    /* spaced and dotted out, also with digits for letters inside */
    expect_disguised("Send me f.e.e.d.b.a.c.k and I refund you", FB_V_PAID_FEEDBACK, "spaced", "f.e.e.d.b.a.c.k");
    expect_disguised("I pay $5 extra for 5-s-t-a-r-s", FB_V_PAID_FEEDBACK, "spaced", "s-t-a-r-s");
    expect_disguised("a bonus for you if you r_a_t_e me well", FB_V_PAID_FEEDBACK, "spaced", "r_a_t_e");
    expect_disguised("$10 for a nice r 3 v i e w", FB_V_PAID_FEEDBACK, "leet", "r 3 v i e w");
#define MIDDLE_DOTS "r\xc2\xb7" "e\xc2\xb7" "v\xc2\xb7" "i\xc2\xb7" "e\xc2\xb7" "w"
    expect_disguised("$10 for a " MIDDLE_DOTS, FB_V_PAID_FEEDBACK, "spaced", MIDDLE_DOTS);
    /* a word cut apart by dots, stars or underscores */
    expect_disguised("$20 for a rev.iew", FB_V_PAID_FEEDBACK, "spaced", "rev.iew");
    expect_disguised("$20 when I see 5 st_ars", FB_V_PAID_FEEDBACK, "spaced", "st_ars");
    /* digits and symbols for letters */
    expect_disguised("tip for f33dback, 10 bucks", FB_V_PAID_FEEDBACK, "leet", "f33dback");
    expect_disguised("I send $30 when I see 5 $tars", FB_V_PAID_FEEDBACK, "leet", "$tars");
    expect_disguised("$25 for a nice rev!ew", FB_V_PAID_FEEDBACK, "leet", "rev!ew");
    expect_disguised("1 st@r unless you refund me", FB_V_FEEDBACK_EXTORTION, "leet", "st@r");
    /* styled letters: mathematical bold, circled, superscript (fullwidth is ordinary typing) */
    expect_disguised("$20 for a good \xf0\x9d\x90\xab\xf0\x9d\x90\x9e\xf0\x9d\x90\xaf\xf0\x9d\x90\xa2\xf0\x9d\x90\x9e\xf0\x9d\x90\xb0",
                     FB_V_PAID_FEEDBACK, "styled",
                     "\xf0\x9d\x90\xab\xf0\x9d\x90\x9e\xf0\x9d\x90\xaf\xf0\x9d\x90\xa2\xf0\x9d\x90\x9e\xf0\x9d\x90\xb0");
    expect_disguised("$20 for \xe2\x93\xa1\xe2\x93\x94\xe2\x93\xa5\xe2\x93\x98\xe2\x93\x94\xe2\x93\xa6", FB_V_PAID_FEEDBACK,
                     "styled", "\xe2\x93\xa1\xe2\x93\x94\xe2\x93\xa5\xe2\x93\x98\xe2\x93\x94\xe2\x93\xa6");
    /* a word wholly of look-alikes (Cyrillic р, а, у) in an English message */
    expect_disguised("I will \xd1\x80\xd0\xb0\xd1\x83 you $10 for 5 stars", FB_V_PAID_FEEDBACK, "lookalike",
                     "\xd1\x80\xd0\xb0\xd1\x83");
}

/* A disguised word alone decides nothing, but it is never "no violation". */
static void test_disguise_alone_is_read(void **state)
{
    (void)state;
    expect_disguised("Please leave me a r.e.v.i.e.w when you can", FB_V_NONE, "spaced", "r.e.v.i.e.w");
    expect_disguised("pls leave f33dback", FB_V_NONE, "leet", "f33dback");
    expect_disguised("A good r\xd0\xb5view would help me", FB_V_NONE, "lookalike", "r\xd0\xb5view");
}

/* Ordinary text: nothing is joined, read as leet or as look-alikes; real Russian and Greek
 * messages keep their letters (still "unread", never "disguised"). */
static void test_ordinary_text_is_not_disguise(void **state)
{
    (void)state;
    static const char *const clear[] = {
        "Option a b c is fine, or plan B.",
        "The file is on the U.S. server, see the A/B test.",
        "I paid $20 for the logo, the invoice says 4.9 hours.",
        "Version 1.2.3 runs on x86 and arm64, with h264 video and mp3 audio.",
        "Call me at 9 a.m. or 5 p.m., my room is 3B.",
        "We use i18n and k8s, the s3 bucket is ready.",
        "My email is john@example.com, password reset sent 2day.",
        "Wow!! Great!! See you at 10!",
        "The top5 list and task1 are in the file report.pdf, e.g. the user_name field.",
        "\xef\xbc\xa9 \xef\xbd\x93\xef\xbd\x85\xef\xbd\x8e\xef\xbd\x94 the files today.",   /* fullwidth "Ｉ ｓｅｎｔ" */
    };
    for (size_t i = 0; i < sizeof clear / sizeof clear[0]; i++) {
        fb_case *c = one(clear[i]);
        fb_rec r = rec_of(c);
        int disguised = 0;
        for (size_t k = 0; k < c->n_signals; k++)
            disguised |= strstr(c->signals[k].code, "disguise") != NULL;
        if (r.action != FB_A_NO_VIOLATION || disguised) {
            dump(c);
            fail_msg("\"%s\": want no disguise found and no_violation", clear[i]);
        }
        fb_case_free(&c);
    }
    static const char *const other[] = {
        "\xd0\x95\xd1\x81\xd0\xbb\xd0\xb8 \xd0\xbd\xd0\xb5 \xd1\x81\xd0\xb4\xd0\xb5\xd0\xbb\xd0\xb0\xd0\xb5\xd1\x88\xd1\x8c "
        "\xd0\xb1\xd0\xb5\xd1\x81\xd0\xbf\xd0\xbb\xd0\xb0\xd1\x82\xd0\xbd\xd0\xbe, \xd0\xbf\xd0\xbe\xd0\xb6\xd0\xb0\xd0\xbb"
        "\xd0\xb5\xd0\xb5\xd1\x88\xd1\x8c \xd0\xbe\xd0\xb1 \xd1\x8d\xd1\x82\xd0\xbe\xd0\xbc.",   /* Russian */
        "\xce\x91\xce\xbd \xce\xb4\xce\xb5\xce\xbd \xcf\x80\xce\xbb\xce\xb7\xcf\x81\xcf\x8e\xcf\x83\xce\xb5\xce\xb9\xcf\x82, "
        "\xce\xb8\xce\xb1 \xce\xb3\xcf\x81\xce\xac\xcf\x88\xcf\x89 \xce\xba\xce\xb1\xce\xba\xce\xae \xce\xba\xcf\x81\xce\xb9"
        "\xcf\x84\xce\xb9\xce\xba\xce\xae \xce\xb1\xcf\x8d\xcf\x81\xce\xb9\xce\xbf.",              /* Greek */
    };
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
        fb_case *c = one(other[i]);
        if (rec_of(c).action == FB_A_NO_VIOLATION || !signal_of(c, "read_unread_language")) {
            dump(c);
            fail_msg("\"%s\": want read this case for an unread language", other[i]);
        }
        for (size_t k = 0; k < c->n_signals; k++)
            assert_null(strstr(c->signals[k].code, "disguise"));
        fb_case_free(&c);
    }
    /* the fold keeps a Russian word Russian, reads a mixed word as Latin */
    fb_folded f = {0};
    fb_err err = {0};
    const char *ru = "\xd0\xa1\xd0\xbe\xd1\x80 \xd0\xb8 \xd0\xbf\xd0\xbe\xd1\x80\xd0\xb0";   /* "Сор и пора" */
    assert_int_equal(text_fold(ru, strlen(ru), &f, &err), FB_OK);
    assert_string_equal(f.t, "\xd1\x81\xd0\xbe\xd1\x80 \xd0\xb8 \xd0\xbf\xd0\xbe\xd1\x80\xd0\xb0");
    assert_int_equal(f.disguised, 0);
    const char *mixed = "Top r\xd0\xb5vi\xd0\xb5w";
    assert_int_equal(text_fold(mixed, strlen(mixed), &f, &err), FB_OK);
    assert_string_equal(f.t, "top review");
    assert_int_equal(text_fold_kind(&f, 5), FB_DISGUISE(LOOKALIKE));
    assert_int_equal(text_fold_kind(&f, 4), 0);
    assert_int_equal(text_fold_orig(&f, 5), 5);
    assert_int_equal(text_fold_orig(&f, 6), 7);      /* "е" was two bytes */
    /* a zero-width space inside a word is dropped and marked; at a word's edge it is not a disguise */
    const char *zw = "re\xe2\x80\x8bview \xe2\x80\x8bok";
    assert_int_equal(text_fold(zw, strlen(zw), &f, &err), FB_OK);
    assert_string_equal(f.t, "review ok");
    assert_int_equal(text_fold_kind(&f, 1), FB_DISGUISE(HIDDEN));
    assert_int_equal(text_fold_kind(&f, 7), 0);
    /* the next ASCII text starts clean */
    assert_int_equal(text_fold("Plain", 5, &f, &err), FB_OK);
    assert_int_equal(f.disguised, 0);
    assert_int_equal(text_fold_kind(&f, 1), 0);
    text_fold_free(&f);
}

/* The highlight of a word with invisible characters covers them, and the one renderer shows
 * them as visible placeholders inside the highlighted range: the reviewer sees that
 * something was hidden there, and no bidi override reaches the terminal. */
static void test_highlight_and_rendering_of_hidden_characters(void **state)
{
    (void)state;
    const char *body = "$20 for a good rev\xe2\x80\xae" "iew\xe2\x80\xac, ok?";
    fb_case *c = one(body);
    const fb_match *mt = match_on(c, "rev\xe2\x80\xae" "iew");
    assert_non_null(mt);
    text_iter it;
    text_unit u;
    int escaped_inside = 0;
    text_iter_init(&it, body, strlen(body));
    while (text_next(&it, &u)) {
        for (const char *p = u.s; *p; p++)
            assert_true((unsigned char)p[0] != 0xe2 || (unsigned char)p[1] != 0x80 || (unsigned char)p[2] < 0xaa ||
                        (unsigned char)p[2] > 0xae);
        if (u.src_off >= mt->start && u.src_off < mt->start + mt->len && u.kind == TEXT_ESCAPED)
            escaped_inside |= strcmp(u.s, "<U+202E>") == 0;
        /* no unit straddles the highlight's edges */
        assert_true(u.src_off >= mt->start + mt->len || u.src_off + u.src_len <= mt->start + mt->len);
        assert_true(u.src_off >= mt->start || u.src_off + u.src_len <= mt->start);
    }
    assert_true(escaped_inside);
    fb_case_free(&c);
}

/* The disguise findings are the analyser's own: a frame cannot take their names. */
static void test_disguise_names_are_reserved(void **state)
{
    (void)state;
    fb_analyser *a = NULL;
    fb_err err = {0};
    assert_int_equal(analyser_parse("lex.tsv", "review\treview\n", "frames.tsv",
                                    "disguise_leet\tread\t0\tsentence\treview\tabout {review}\n", &a, &err),
                     FB_EINPUT);
    assert_null(a);
    assert_non_null(strstr(err.msg, "frames.tsv:1: name"));
    for (int b = 0; b < FB_DISGUISE_COUNT; b++) {
        assert_true(strlen(text_disguise_name(b)) > 0);
        assert_true(strlen(text_disguise_what(b)) > 0);
    }
}

/* Adversarial runs of single letters and of leet-like tokens stay linear. */
static void test_long_runs(void **state)
{
    (void)state;
    size_t n = 1u << 20;
    char *body = malloc(n + 64);
    assert_non_null(body);
    for (size_t i = 0; i < n; i += 2) {
        body[i] = (char)('a' + (i / 2) % 26);
        body[i + 1] = i % 6 == 0 ? '.' : ' ';
    }
    strcpy(body + n, " $20 for a r.e.v.i.e.w");
    fb_case *c = one(body);
    assert_int_equal(c->suggested, FB_V_PAID_FEEDBACK);
    fb_case_free(&c);
    for (size_t i = 0; i < n; i++)
        body[i] = "r3v1ew$@!1 "[i % 11];
    body[n] = '\0';
    c = one(body);
    fb_case_free(&c);
    /* a long run of zero-width spaces inside a word, and a long run of CJK (no spaces) with
     * Cyrillic look-alikes in it, are each looked at once */
    size_t k = 0;
    body[k++] = 'r';
    while (k + 3 < n)
        k += (size_t)sprintf(body + k, "\xe2\x80\x8b");
    strcpy(body + k, "eview, $20 for it");
    c = one(body);
    fb_case_free(&c);
    for (k = 0; k + 3 < n;)
        k += (size_t)sprintf(body + k, k % 300 ? "\xe5\xa5\xbd" : "\xd0\xb5");
    body[k] = '\0';
    c = one(body);
    fb_case_free(&c);
    free(body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_disguised_violations_are_seen),
        cmocka_unit_test(test_disguise_alone_is_read),
        cmocka_unit_test(test_ordinary_text_is_not_disguise),
        cmocka_unit_test(test_highlight_and_rendering_of_hidden_characters),
        cmocka_unit_test(test_disguise_names_are_reserved),
        cmocka_unit_test(test_long_runs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
