/* Notices (POLICY.md "The notice the user receives"), rendered for every action and every
 * code, first and repeated violations, every suspension length's plural, appeals upheld,
 * changed and overturned. The wording is data (data/notices.txt); these tests hold it to
 * the policy's required content and to plain sentences. */
#include "testlib.h"

#include <ctype.h>

#include "fbreview/notice.h"

static const fb_action with_notice[] = {FB_A_EDUCATION, FB_A_SUSPENSION, FB_A_BLOCK};
#define N_WITH_NOTICE (sizeof with_notice / sizeof with_notice[0])

static void has(const char *text, const char *needle)
{
    if (!text || !strstr(text, needle))
        fail_msg("expected \"%s\" in notice:\n%s", needle, text ? text : "(none)");
}

static void lacks(const char *text, const char *needle)
{
    if (text && strstr(text, needle))
        fail_msg("did not expect \"%s\" in notice:\n%s", needle, text);
}

static char *render(fb_action a, fb_violation v, int days, int earlier)
{
    notice_facts f = {.action = a, .violation = v, .days = days, .earlier_violations = earlier};
    return notice_render(&f);
}

static char *render_appeal(fb_action a, fb_violation v, int days, fb_action was, fb_violation was_v, int was_days)
{
    notice_facts f = {.action = a, .violation = v, .days = days, .earlier_violations = 1, .appeal = 1,
                      .appealed_action = was, .appealed_violation = was_v, .appealed_days = was_days};
    return notice_render(&f);
}

/* Plain sentences: every placeholder filled, every paragraph starts with a capital and ends
 * with a full stop (or the closing parenthesis of the inbox's menu path), no doubled or
 * stray spaces, no "1 days", no code names. */
static void reads_as_sentences(const char *n)
{
    assert_non_null(n);
    assert_null(strchr(n, '{'));
    lacks(n, "  ");
    lacks(n, " .");
    lacks(n, "\n\n");
    lacks(n, " 1 days");
    lacks(n, "found hiring");
    for (int v = 0; v < FB_V_COUNT; v++)
        lacks(n, fb_violation_str((fb_violation)v));
    for (const char *line = n; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len == 0 || !isupper((unsigned char)line[0]) || line[len - 1] == ' ' ||
            (line[len - 1] != '.' && line[len - 1] != ')'))
            fail_msg("paragraph is not a sentence: \"%.*s\"\nin:\n%s", (int)len, line, n);
        line += len + (end ? 1 : 0);
    }
    assert_true(n[strlen(n) - 1] == '\n');
}

/* POLICY.md: what was found in the user's terms, how to respond. */
static void says_how_to_respond(const char *n)
{
    has(n, "reply to the email notification");
    has(n, "your reply goes straight to the team");
    has(n, "Help > Your support requests");
}

static void test_no_notice_for_dismiss_and_escalate(void **state)
{
    (void)state;
    assert_null(render(FB_A_NO_VIOLATION, FB_V_NONE, 0, 0));
    assert_null(render(FB_A_ESCALATE, FB_V_SELF_HIRE, 0, 0));
    /* an appeal dismissed against a dismissal or an escalation overturns nothing */
    assert_null(render_appeal(FB_A_NO_VIOLATION, FB_V_NONE, 0, FB_A_NO_VIOLATION, FB_V_NONE, 0));
    assert_null(render_appeal(FB_A_NO_VIOLATION, FB_V_NONE, 0, FB_A_ESCALATE, FB_V_NONE, 0));
    assert_null(render_appeal(FB_A_ESCALATE, FB_V_NONE, 0, FB_A_BLOCK, FB_V_SELF_HIRE, 0));
}

/* Every action with every code, first and repeated: the finding as a sentence to the user. */
static void test_every_action_and_code(void **state)
{
    (void)state;
    for (size_t a = 0; a < N_WITH_NOTICE; a++) {
        for (int v = 0; v < FB_V_COUNT; v++) {
            for (int earlier = 0; earlier < 3; earlier += 2) {
                char *n = render(with_notice[a], (fb_violation)v, 30, earlier);
                reads_as_sentences(n);
                says_how_to_respond(n);
                char want[512];
                snprintf(want, sizeof want, "found that %s.", fb_violation_words((fb_violation)v));
                has(n, want);
                /* the finding is said to the user: "that you ..." */
                assert_int_equal(strncmp(fb_violation_words((fb_violation)v), "you ", 4), 0);
                lacks(n, "We reviewed your appeal");
                free(n);
            }
        }
    }
    /* a decision without a code still reads */
    char *n = render(FB_A_SUSPENSION, FB_V_NONE, 7, 0);
    reads_as_sentences(n);
    has(n, "found that your account broke our rules on feedback.");
    free(n);
}

static void test_education_first_violation(void **state)
{
    (void)state;
    char *n = render(FB_A_EDUCATION, FB_V_FAKE_JOB, 0, 0);
    has(n, "This is education");
    has(n, "your account stays active");
    has(n, "This is the first violation on record for your account.\n");
    free(n);
    n = render(FB_A_EDUCATION, FB_V_FAKE_JOB, 0, 2);
    reads_as_sentences(n);
    lacks(n, "first violation");
    has(n, "This is education");
    free(n);
}

static void test_suspension_length_plurals(void **state)
{
    (void)state;
    static const struct {
        int days;
        const char *want;
    } lengths[] = {{1, "suspended for 1 day."}, {2, "suspended for 2 days."}, {14, "suspended for 14 days."},
                   {21, "suspended for 21 days."}, {365, "suspended for 365 days."}};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        char *n = render(FB_A_SUSPENSION, FB_V_SELF_HIRE, lengths[i].days, 1);
        reads_as_sentences(n);
        has(n, lengths[i].want);
        has(n, "no longer available");
        free(n);
    }
    char buf[32];
    assert_string_equal(fb_days_words(1, buf, sizeof buf), "1 day");
    assert_string_equal(fb_days_words(30, buf, sizeof buf), "30 days");
}

static void test_block_is_permanent(void **state)
{
    (void)state;
    char *n = render(FB_A_BLOCK, FB_V_PAID_FEEDBACK, 0, 2);
    has(n, "permanently blocked");
    has(n, "no longer available");
    free(n);
}

/* The extortion notice goes to the one who threatened: it names what they did, says that
 * reports of coercion are taken seriously (POLICY.md), and does not ask them to report
 * pressure as if they were its victim. */
static void test_extortion_addressed_to_the_offender(void **state)
{
    (void)state;
    for (size_t a = 0; a < N_WITH_NOTICE; a++) {
        char *n = render(with_notice[a], FB_V_FEEDBACK_EXTORTION, 14, 0);
        reads_as_sentences(n);
        has(n, "found that you threatened to leave bad feedback");
        has(n, "We take reports of threats and coercion seriously");
        lacks(n, "If anyone pressures you");
        lacks(n, "report it");
        lacks(n, "you are not expected to go along");
        free(n);
    }
    for (int v = 0; v < FB_V_COUNT; v++) {
        if (v == FB_V_FEEDBACK_EXTORTION)
            continue;
        char *n = render(FB_A_SUSPENSION, (fb_violation)v, 14, 0);
        lacks(n, "coercion");
        free(n);
    }
}

/* An appeal that overturns a violation is told so, per action it overturns and per code. */
static void test_overturned_appeal(void **state)
{
    (void)state;
    static const char *const lifted[] = {"The education notice we sent you is withdrawn",
                                         "Your suspension is lifted", "The block is lifted"};
    for (size_t a = 0; a < N_WITH_NOTICE; a++) {
        for (int v = 0; v < FB_V_COUNT; v++) {
            char *n = render_appeal(FB_A_NO_VIOLATION, FB_V_NONE, 0, with_notice[a], (fb_violation)v, 14);
            reads_as_sentences(n);
            says_how_to_respond(n);
            has(n, "We reviewed your appeal and reversed our earlier decision");
            char want[512];
            snprintf(want, sizeof want, "we no longer find that %s.", fb_violation_words((fb_violation)v));
            has(n, want);
            has(n, lifted[a]);
            lacks(n, "coercion");
            free(n);
        }
    }
}

/* An appeal that keeps or changes a violation: the action's notice, opened by the outcome. */
static void test_appeal_upheld_or_changed(void **state)
{
    (void)state;
    char *n = render_appeal(FB_A_BLOCK, FB_V_SELF_HIRE, 0, FB_A_BLOCK, FB_V_SELF_HIRE, 0);
    reads_as_sentences(n);
    assert_int_equal(strncmp(n, "We reviewed your appeal, and our earlier decision stands.\n", 58), 0);
    has(n, "permanently blocked");
    free(n);
    n = render_appeal(FB_A_SUSPENSION, FB_V_SELF_HIRE, 7, FB_A_BLOCK, FB_V_SELF_HIRE, 0);
    reads_as_sentences(n);
    has(n, "We reviewed your appeal and changed our earlier decision");
    has(n, "suspended for 7 days.");
    free(n);
    /* a shorter suspension is a change, not the same decision upheld */
    n = render_appeal(FB_A_SUSPENSION, FB_V_SELF_HIRE, 7, FB_A_SUSPENSION, FB_V_SELF_HIRE, 30);
    has(n, "changed our earlier decision");
    free(n);
    n = render_appeal(FB_A_SUSPENSION, FB_V_SELF_HIRE, 30, FB_A_SUSPENSION, FB_V_SELF_HIRE, 30);
    has(n, "our earlier decision stands");
    free(n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_notice_for_dismiss_and_escalate),
        cmocka_unit_test(test_every_action_and_code),
        cmocka_unit_test(test_education_first_violation),
        cmocka_unit_test(test_suspension_length_plurals),
        cmocka_unit_test(test_block_is_permanent),
        cmocka_unit_test(test_extortion_addressed_to_the_offender),
        cmocka_unit_test(test_overturned_appeal),
        cmocka_unit_test(test_appeal_upheld_or_changed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
