/* fbreview demo [--cases N] [--seed S] [--now T] [--no-ui]: a store full of realistic
 * synthetic cases dated relative to now (or T, for tests), then the console on it. Only a store without cases is filled: demo data mixed
 * into real cases would be a disaster, so a store that has any is refused untouched. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/cli.h"
#include "fbreview/cliopt.h"
#include "fbreview/demo.h"
#include "fbreview/timeutil.h"

#define DEMO_MAX_CASES INT64_C(100000000)

static void count_cases(void *ctx, const char *group, const char *key, int64_t count)
{
    (void)key;
    if (strcmp(group, "cases by status") == 0)
        *(int64_t *)ctx += count;
}

int cli_demo(fb_app *app, int argc, char **argv)
{
    long long cases = 2000, seed = 1;
    const char *now_text = NULL;
    int no_ui = 0;
    cliopt opts[] = {
        {.name = "cases", .kind = CLIOPT_INT, .dest = &cases, .value_name = "N", .min = 1, .max = DEMO_MAX_CASES,
         .help = "how many cases to make (default 2000)"},
        {.name = "seed", .kind = CLIOPT_INT, .dest = &seed, .value_name = "S",
         .help = "random seed, for the same store again (default 1)"},
        {.name = "now", .kind = CLIOPT_STRING, .dest = &now_text, .value_name = "T", .flags = CLIOPT_NONEMPTY,
         .help = "date the cases relative to this RFC 3339 time instead of now (the same T, the same store)"},
        {.name = "no-ui", .kind = CLIOPT_FLAG, .dest = &no_ui,
         .help = "fill the store and exit without opening the console"},
        {0},
    };
    cliopt_spec spec = {.cmd = "demo", .opts = opts, .max_args = 0};
    if (cliopt_parse(&spec, argc, argv) < 0)
        return spec.exit_status;
    int64_t now = fb_now_ms();
    if (now_text && fb_time_parse(now_text, &now) != 0)
        return cli_usage("demo", "--now: %s is not an RFC 3339 time such as 2026-11-24T09:00:00Z", now_text);

    fb_store *s = NULL;
    int rc = cli_open_store(app, STORE_CREATE, &s);
    if (rc != 0)
        return rc;
    fb_err err = {0};
    int64_t existing = 0;
    if (store_stats(s, count_cases, &existing, &err) != FB_OK) {
        store_close(&s);
        return cli_fail(&err);
    }
    if (existing > 0) {
        fprintf(stderr,
                "fbreview demo: store %s already has %" PRId64 " cases; demo data is only written to a "
                "store without cases, so it was not changed; use a new --db\n",
                store_path(s), existing);
        store_close(&s);
        return 1;
    }
    fb_demo_counts counts;
    if (demo_fill_counted(s, (int64_t)cases, (uint64_t)seed, now, &counts, &err) != FB_OK) {
        store_close(&s);
        return cli_fail(&err);
    }
    /* One line, the same for the same arguments: counts by ground truth. */
    printf("demo: %lld cases (seed %lld) in %s: %" PRId64 " honest", cases, seed, store_path(s),
           counts.honest);
    for (int v = 0; v < FB_V_COUNT; v++)
        printf(", %s %" PRId64, fb_violation_str((fb_violation)v), counts.by_code[v]);
    printf("; %" PRId64 " unclear, %" PRId64 " in cross-case rings or clusters\n", counts.ambiguous, counts.cross_case);
    fflush(stdout);
    store_close(&s);
    if (no_ui)
        return 0;
    char *console_argv[] = {(char *)"console", NULL};
    return cli_console(app, 1, console_argv);
}
