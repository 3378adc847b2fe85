/* The colour table: every default pair keeps WCAG AA contrast (4.5:1) in xterm's 8-colour
 * palette and in the 256-colour cube; no bold black on a colour; the cursor rows stay
 * visible without colours. */
#include "testlib.h"

#include <math.h>

#include "fbreview/theme.h"

static void contrast_arithmetic(void **state)
{
    (void)state;
    /* WCAG's own reference points. */
    assert_true(fabs(theme_contrast(0x000000, 0xffffff) - 21.0) < 0.01);
    assert_true(fabs(theme_contrast(0x777777, 0xffffff) - 4.48) < 0.01);
    assert_true(fabs(theme_contrast(0x123456, 0x123456) - 1.0) < 1e-9);
    assert_int_equal(theme_rgb(16), 0x000000);
    assert_int_equal(theme_rgb(231), 0xffffff);
    assert_int_equal(theme_rgb(25), 0x005faf);
    assert_int_equal(theme_rgb(252), 0xd0d0d0);
    assert_int_equal(theme_rgb(4), 0x0000ee);
}

static void pairs_keep_aa(void **state)
{
    (void)state;
    for (int i = 0; i < AT_COUNT; i++) {
        const fb_theme_role *r = &fb_theme[i];
        assert_non_null(r->name);
        /* A colour on the terminal's own background (or the reverse) has a contrast nobody
         * knows: a role sets both or neither. */
        assert_int_equal(r->fg8 == TH_DEFAULT, r->bg8 == TH_DEFAULT);
        assert_int_equal(r->fg256 == TH_DEFAULT, r->bg256 == TH_DEFAULT);
        if (r->bg8 != TH_DEFAULT) {
            assert_true(r->fg8 >= 0 && r->fg8 < 8 && r->bg8 >= 0 && r->bg8 < 8);
            double c = theme_contrast(theme_rgb(r->fg8), theme_rgb(r->bg8));
            if (c < 4.5)
                fail_msg("%s: 8-colour contrast %.2f < 4.5", r->name, c);
            /* Bold black turns grey in xterm and many others. */
            assert_false(r->fg8 == 0 && (r->attr & TH_BOLD));
        }
        if (r->bg256 != TH_DEFAULT) {
            assert_true(r->fg256 >= 16 && r->fg256 < 256 && r->bg256 >= 16 && r->bg256 < 256);
            double c = theme_contrast(theme_rgb(r->fg256), theme_rgb(r->bg256));
            if (c < 4.5)
                fail_msg("%s: 256-colour contrast %.2f < 4.5", r->name, c);
            assert_false(theme_rgb(r->fg256) == 0 && (r->attr & TH_BOLD));
        }
    }
}

static void cursor_rows_without_colour(void **state)
{
    (void)state;
    /* The selected and the focused row, the active tab and the pane titles read in reverse
     * video; a match is underlined; the focused row differs from the merely selected one. */
    assert_true(fb_theme[AT_SELECTED].mono & TH_REVERSE);
    assert_true(fb_theme[AT_FOCUS].mono & TH_REVERSE);
    assert_true(fb_theme[AT_TAB_ON].mono & TH_REVERSE);
    assert_true(fb_theme[AT_HEADER].mono & TH_REVERSE);
    assert_true(fb_theme[AT_MATCH].mono & TH_UNDERLINE);
    assert_int_not_equal(fb_theme[AT_FOCUS].mono, fb_theme[AT_SELECTED].mono);
    assert_true(fb_theme[AT_FOCUS].bg8 != fb_theme[AT_SELECTED].bg8);
    assert_true(fb_theme[AT_FOCUS].bg256 != fb_theme[AT_SELECTED].bg256);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(contrast_arithmetic),
        cmocka_unit_test(pairs_keep_aa),
        cmocka_unit_test(cursor_rows_without_colour),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
