/* A queue filter costs the rows it keeps, not the rows it skips (DESIGN.md §10's keypress
 * budget for :filter): on a store of many cases where a filter keeps one, the first page and
 * the "n of N" count read a few dozen database pages in every order, counted with
 * store_pages_read (work, not time). Before, a code filter tested each case row, a risk
 * filter under an age order did too, and a narrow risk range in risk order walked the
 * index from the top: thousands of pages. The rows found are checked as well. */
#include "testlib.h"

#include "fbreview/lifecycle.h"
#include "fbreview/store.h"
#include "fbreview/store_queue.h"

#define N_CASES 20000
/* Pages a filter keeping one case may read: its index ranges, the case and its accounts. */
#define PAGES_MAX 80

static fb_store *fill(const char *name, char path[4096])
{
    fb_err err = {0};
    fb_store *s = NULL;
    snprintf(path, 4096, "%s", t_path(name));
    assert_int_equal(store_open(path, STORE_CREATE, &s, &err), FB_OK);
    assert_int_equal(lifecycle_seed(s, &err), FB_OK);   /* the queues' statuses */
    store_close(&s);
    /* Every case but one is self_hire at risk 90; C-rare is fake_job at risk 5, the oldest
     * but one (so no order finds it first by luck). */
    t_sql(path, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)"
                " INSERT INTO \"case\"(id, opened_at, alleged, risk, status, updated_at)"
                " SELECT printf('C-%05d', i), 1000 + i, 'self_hire', 90, 'open', 1 FROM n;"
                " UPDATE \"case\" SET id='C-rare', alleged='fake_job', risk=5 WHERE id='C-00002';");
    assert_int_equal(store_open(path, 0, &s, &err), FB_OK);
    return s;
}

static void test_filter_reads_what_it_keeps(void **state)
{
    (void)state;
    char path[4096];
    fb_store *s = fill("filter.db", path);
    struct {
        fb_violation code;
        int risk_min, risk_max;
        const char *what;
    } filters[] = {
        {FB_V_FAKE_JOB, 0, 100, "code=fake_job"},
        {FB_V_NONE, 0, 10, "risk<=10"},
        {FB_V_NONE, 5, 5, "risk>=5 risk<=5"},
        {FB_V_FAKE_JOB, 0, 10, "code=fake_job risk<=10"},
    };
    fb_err err = {0};
    for (size_t f = 0; f < sizeof filters / sizeof filters[0]; f++)
        for (int sort = 0; sort < SORT_COUNT; sort++) {
            queue_query q = {QUEUE_OPEN, (fb_sort)sort, filters[f].code, FB_CS_NONE, filters[f].risk_min,
                             filters[f].risk_max, "alice"};
            queue_row rows[50];
            size_t got = 0;
            int64_t total = -1;
            store_pages_read(s);
            assert_int_equal(store_queue_page(s, &q, NULL, 1, rows, 50, &got, &err), FB_OK);
            assert_int_equal(store_queue_count(s, &q, NULL, 1, 1000, &total, &err), FB_OK);
            int64_t pages = store_pages_read(s);
            if (pages > PAGES_MAX || got != 1 || total != 1)
                fail_msg("%s, sort %s: %zu rows, total %lld, %lld pages read (at most %d)", filters[f].what,
                         sort_name((fb_sort)sort), got, (long long)total, (long long)pages, PAGES_MAX);
            assert_string_equal(rows[0].id, "C-rare");
        }
    /* a filter that keeps many still pages and counts in order (the age walk's tested risk) */
    queue_query q = {QUEUE_OPEN, SORT_SLA, FB_V_NONE, FB_CS_NONE, 50, 100, "alice"};
    queue_row rows[3];
    size_t got = 0;
    int64_t total = -1;
    assert_int_equal(store_queue_page(s, &q, NULL, 1, rows, 3, &got, &err), FB_OK);
    assert_int_equal(got, 3);
    assert_string_equal(rows[0].id, "C-00001");
    assert_string_equal(rows[1].id, "C-00003");
    assert_int_equal(store_queue_count(s, &q, NULL, 1, 1000, &total, &err), FB_OK);
    assert_int_equal(total, 1001);
    store_close(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_filter_reads_what_it_keeps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
