/* fbreview stats — queue and decision counts, sync state, store size. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/charts.h"
#include "fbreview/cli.h"
#include "fbreview/cliopt.h"
#include "fbreview/store_lead.h"
#include "fbreview/store_sync.h"
#include "fbreview/text.h"
#include "fbreview/timeutil.h"

struct stats_ctx {
    const char *group;
};

static void print_row(void *vctx, const char *group, const char *key, long long count)
{
    struct stats_ctx *ctx = vctx;
    if (!ctx->group || strcmp(ctx->group, group) != 0) {
        printf("%s:\n", group);
        ctx->group = group;
    }
    printf("  %-24s %12lld\n", key ? key : "(none)", count);
}

static void on_row(void *ctx, const char *group, const char *key, int64_t count)
{
    print_row(ctx, group, key, (long long)count);
}

static void chart_piece(void *ctx, charts_role role, const char *text)
{
    (void)ctx;
    (void)role;
    fputs(text, stdout);
}

static void chart_eol(void *ctx)
{
    (void)ctx;
    putchar('\n');
}

/* --charts: the lead's view, 80 columns (COLUMNS when wider), as the console's :stats. */
static int stats_charts(fb_app *app, fb_store *s)
{
    fb_lead_stats st;
    fb_err err = {0};
    int64_t sla = config_int(app->cfg, OPT_CONSOLE_SLA_HOURS) * 3600000LL;
    if (store_lead_stats(s, fb_now_ms(), sla, &st, &err) != FB_OK)
        return cli_fail(&err);
    const char *c = getenv("COLUMNS");
    int width = c && atoi(c) >= 40 ? atoi(c) : 80;
    charts_render(&st, width, text_locale_utf8(), chart_piece, chart_eol, NULL);
    return 0;
}

int cli_stats(fb_app *app, int argc, char **argv)
{
    int charts = 0;
    cliopt opts[] = {
        {.name = "charts", .kind = CLIOPT_FLAG, .dest = &charts,
         .help = "draw the lead's view: waiting cases by age, decisions per day, service level, reviewers"},
        {0},
    };
    cliopt_spec spec = {.cmd = "stats", .opts = opts, .max_args = 0};
    if (cliopt_parse(&spec, argc, argv) < 0)
        return spec.exit_status;
    fb_store *s;
    int rc = cli_open_store(app, STORE_READ_OK, &s);
    if (rc)
        return rc;
    if (charts) {
        rc = stats_charts(app, s);
        store_close(&s);
        return rc;
    }
    fb_err err = {0};
    struct stats_ctx ctx = {0};
    printf("store: %s\n", store_path(s));
    if (store_stats(s, on_row, &ctx, &err) != FB_OK)
        rc = cli_fail(&err);
    char *last = store_state_get(s, "last_sync_at");
    int64_t rejected = 0;
    if (!rc && store_sync_rejected_count(s, &rejected, &err) != FB_OK)
        rc = cli_fail(&err);
    if (!rc) {
        printf("sync:\n  %-24s %12s\n", "last sync", last ? last : "never");
        /* Always shown, also at 0: a decision upstream refused was never applied. */
        printf("  %-24s %12lld\n", "rejected decisions", (long long)rejected);
        if (rejected > 0)
            fprintf(stderr, "fbreview stats: %lld decision%s rejected by upstream and never applied; "
                            "`fbreview show CASE` gives upstream's reason\n",
                    (long long)rejected, rejected == 1 ? " was" : "s were");
    }
    free(last);
    store_close(&s);
    return rc;
}
