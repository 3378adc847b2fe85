/* Times for people: human ages in both forms and local times that name their zone. */
#include "testlib.h"

#include <stdlib.h>
#include <time.h>

#include "fbreview/timeutil.h"

#define SEC 1000LL
#define DAY (86400 * SEC)

static void test_duration_short(void **state)
{
    (void)state;
    static const struct { int64_t ms; const char *want; } cases[] = {
        {0, "0s"}, {45 * SEC, "45s"}, {16 * 60 * SEC, "16m"}, {5 * 3600 * SEC, "5h"},
        {36 * 3600 * SEC, "36h"}, {2 * DAY, "2d"}, {45 * DAY, "45d"}, {61 * DAY, "2mo"},
        {100 * DAY, "3mo"}, {400 * DAY, "1y"}, {2643 * DAY, "7y"}, {-5 * SEC, "0s"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char b[16];
        assert_string_equal(fb_duration_short(cases[i].ms, b, sizeof b), cases[i].want);
    }
}

static void test_duration_words(void **state)
{
    (void)state;
    static const struct { int64_t ms; const char *want; } cases[] = {
        {1 * SEC, "1 second"}, {11 * 60 * SEC, "11 minutes"}, {3600 * SEC, "1 hour"}, {DAY, "1 day"},
        {14 * DAY, "14 days"}, {59 * DAY, "59 days"}, {61 * DAY, "2 months"}, {366 * DAY, "1 year"},
        {2643 * DAY, "7 years"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char b[32];
        assert_string_equal(fb_duration_words(cases[i].ms, b, sizeof b), cases[i].want);
    }
}

static void test_local_time_names_zone(void **state)
{
    (void)state;
    char b[40];
    int64_t ms = 1795168800000LL;   /* 2026-11-20T10:00:00Z */
    setenv("TZ", "UTC", 1);
    tzset();
    assert_string_equal(fb_time_format_local(ms, b, sizeof b), "2026-11-20 10:00 UTC");
    setenv("TZ", "CET-1", 1);   /* a POSIX rule: no tzdata needed */
    tzset();
    assert_string_equal(fb_time_format_local(ms, b, sizeof b), "2026-11-20 11:00 CET");
    /* The CSV's form stays UTC whatever TZ says. */
    assert_string_equal(fb_time_format_utc(ms, b, sizeof b), "2026-11-20T10:00:00Z");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_duration_short),
        cmocka_unit_test(test_duration_words),
        cmocka_unit_test(test_local_time_names_zone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
