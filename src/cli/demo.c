/* fbreview demo [--cases N] [--seed S] [--no-ui]: a store full of realistic synthetic
 * cases, then the console on it. Only a store without cases is filled: demo data mixed
 * into real cases would be a disaster, so a store that has any is refused untouched. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/cli.h"
#include "fbreview/demo.h"

#define DEMO_MAX_CASES INT64_C(100000000)

/* Parses a whole unsigned decimal; 0 on success. */
static int parse_u64(const char *s, uint64_t *out)
{
    if (!s || !*s || *s == '-' || *s == '+')
        return -1;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

/* `--name VALUE` or `--name=VALUE`; returns the value (advancing *i) or NULL if a is not --name. */
static const char *opt_value(const char *name, int argc, char **argv, int *i, int *missing)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        *missing = 1;
        return NULL;
    }
    return argv[++*i];
}

static void count_cases(void *ctx, const char *group, const char *key, int64_t count)
{
    (void)key;
    if (strcmp(group, "cases by status") == 0)
        *(int64_t *)ctx += count;
}

int cli_demo(fb_app *app, int argc, char **argv)
{
    uint64_t cases = 2000, seed = 1;
    int ui = 1;
    for (int i = 1; i < argc; i++) {
        int missing = 0;
        const char *v;
        if (strcmp(argv[i], "--no-ui") == 0) {
            ui = 0;
        } else if ((v = opt_value("--cases", argc, argv, &i, &missing)) != NULL) {
            if (parse_u64(v, &cases) != 0 || cases < 1 || cases > (uint64_t)DEMO_MAX_CASES)
                return cli_usage("demo", "--cases wants a whole number from 1 to %" PRId64 ", not \"%s\"",
                                 DEMO_MAX_CASES, v);
        } else if ((v = opt_value("--seed", argc, argv, &i, &missing)) != NULL) {
            if (parse_u64(v, &seed) != 0)
                return cli_usage("demo", "--seed wants a whole number, not \"%s\"", v);
        } else if (missing) {
            return cli_usage("demo", "%s needs a value", argv[i]);
        } else {
            return cli_usage("demo", "unknown argument \"%s\"", argv[i]);
        }
    }

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
    if (demo_fill_counted(s, app->cfg, (int64_t)cases, seed, &counts, &err) != FB_OK) {
        store_close(&s);
        return cli_fail(&err);
    }
    /* One line, the same for the same arguments: counts by ground truth. */
    printf("demo: %" PRIu64 " cases (seed %" PRIu64 ") in %s: %" PRId64 " honest", cases, seed, store_path(s),
           counts.honest);
    for (int v = 0; v < FB_V_COUNT; v++)
        printf(", %s %" PRId64, fb_violation_str((fb_violation)v), counts.by_code[v]);
    printf("\n");
    fflush(stdout);
    store_close(&s);
    if (!ui)
        return 0;
    char *console_argv[] = {(char *)"console", NULL};
    return cli_console(app, 1, console_argv);
}
