/* fbreview demo [--cases N] [--seed S] [--no-ui]: a store full of realistic synthetic
 * cases, then the console on it. Only a store without cases is filled: demo data mixed
 * into real cases would be a disaster, so a store that has any is refused untouched. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/cli.h"
#include "fbreview/cliopt.h"
#include "fbreview/demo.h"

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
    int no_ui = 0;
    cliopt opts[] = {
        {.name = "cases", .kind = CLIOPT_INT, .dest = &cases, .value_name = "N", .min = 1, .max = DEMO_MAX_CASES,
         .help = "how many cases to make (default 2000)"},
        {.name = "seed", .kind = CLIOPT_INT, .dest = &seed, .value_name = "S",
         .help = "random seed, for the same store again (default 1)"},
        {.name = "no-ui", .kind = CLIOPT_FLAG, .dest = &no_ui,
         .help = "fill the store and exit without opening the console"},
        {0},
    };
    cliopt_spec spec = {.cmd = "demo", .opts = opts, .max_args = 0};
    if (cliopt_parse(&spec, argc, argv) < 0)
        return spec.exit_status;

    fb_store *s = NULL;
    int rc = cli_open_store(app, 1, &s);
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
    if (demo_fill_counted(s, (int64_t)cases, (uint64_t)seed, &counts, &err) != FB_OK) {
        store_close(&s);
        return cli_fail(&err);
    }
    /* One line, the same for the same arguments: counts by ground truth. */
    printf("demo: %lld cases (seed %lld) in %s: %" PRId64 " honest", cases, seed, store_path(s),
           counts.honest);
    for (int v = 0; v < FB_V_COUNT; v++)
        printf(", %s %" PRId64, fb_violation_str((fb_violation)v), counts.by_code[v]);
    printf("\n");
    fflush(stdout);
    store_close(&s);
    if (no_ui)
        return 0;
    char *console_argv[] = {(char *)"console", NULL};
    return cli_console(app, 1, console_argv);
}
