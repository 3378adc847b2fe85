/* Notices (POLICY.md "The notice"). */
#include "testlib.h"

#include "fbreview/notice.h"

static void has(const char *text, const char *needle)
{
    if (!strstr(text, needle))
        fail_msg("expected \"%s\" in notice:\n%s", needle, text);
}

static void test_no_notice_for_dismiss_and_escalate(void **state)
{
    (void)state;
    assert_null(notice_render(FB_A_NO_VIOLATION, FB_V_NONE, 0, 0));
    assert_null(notice_render(FB_A_ESCALATE, FB_V_SELF_HIRE, 0, 0));
}

static void test_every_action_says_how_to_respond(void **state)
{
    (void)state;
    const fb_action acts[] = {FB_A_EDUCATION, FB_A_SUSPENSION, FB_A_BLOCK};
    for (size_t a = 0; a < 3; a++) {
        for (int v = 0; v < FB_V_COUNT; v++) {
            char *n = notice_render(acts[a], (fb_violation)v, 30, 0);
            assert_non_null(n);
            has(n, fb_violation_words((fb_violation)v));               /* the rule in the user's words */
            assert_null(strstr(n, fb_violation_str((fb_violation)v)));  /* never the code */
            has(n, "reply to the email notification");
            has(n, "straight to the team reviewing your case");
            has(n, "Help > Your support requests");
            assert_null(strchr(n, '{'));                                /* every placeholder filled */
            free(n);
        }
    }
}

static void test_education_first_violation(void **state)
{
    (void)state;
    char *n = notice_render(FB_A_EDUCATION, FB_V_FAKE_JOB, 0, 0);
    has(n, "This is education");
    has(n, "your account stays active");
    has(n, "first violation");
    free(n);
    n = notice_render(FB_A_EDUCATION, FB_V_FAKE_JOB, 0, 2);
    assert_null(strstr(n, "first violation"));
    free(n);
}

static void test_suspension_length_and_block_permanent(void **state)
{
    (void)state;
    char *n = notice_render(FB_A_SUSPENSION, FB_V_SELF_HIRE, 30, 1);
    has(n, "suspended for 30 days");
    has(n, "no longer available");
    free(n);
    n = notice_render(FB_A_BLOCK, FB_V_PAID_FEEDBACK, 0, 2);
    has(n, "permanently blocked");
    has(n, "no longer available");
    free(n);
}

static void test_extortion_mentions_coercion(void **state)
{
    (void)state;
    char *n = notice_render(FB_A_SUSPENSION, FB_V_FEEDBACK_EXTORTION, 14, 0);
    has(n, "threats and coercion seriously");
    free(n);
    n = notice_render(FB_A_SUSPENSION, FB_V_SELF_HIRE, 14, 0);
    assert_null(strstr(n, "coercion"));
    free(n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_notice_for_dismiss_and_escalate),
        cmocka_unit_test(test_every_action_says_how_to_respond),
        cmocka_unit_test(test_education_first_violation),
        cmocka_unit_test(test_suspension_length_and_block_permanent),
        cmocka_unit_test(test_extortion_mentions_coercion),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
