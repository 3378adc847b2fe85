/* fbreview stats — queue and decision counts, sync state, store size. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/cli.h"
#include "fbreview/cliopt.h"

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

int cli_stats(fb_app *app, int argc, char **argv)
{
    cliopt_spec spec = {.cmd = "stats", .max_args = 0};
    if (cliopt_parse(&spec, argc, argv) < 0)
        return spec.exit_status;
    fb_store *s;
    int rc = cli_open_store(app, 0, &s);
    if (rc)
        return rc;
    fb_err err = {0};
    struct stats_ctx ctx = {0};
    printf("store: %s\n", store_path(s));
    if (store_stats(s, on_row, &ctx, &err) != FB_OK)
        rc = cli_fail(&err);
    char *last = store_state_get(s, "last_sync_at");
    if (!rc)
        printf("sync:\n  %-24s %12s\n", "last sync", last ? last : "never");
    free(last);
    store_close(&s);
    return rc;
}
