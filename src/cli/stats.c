/* fbreview stats — queue and decision counts, sync state, store size. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/cli.h"
#include "fbreview/cliopt.h"
#include "fbreview/store_sync.h"

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
    int rc = cli_open_store(app, STORE_READ_OK, &s);
    if (rc)
        return rc;
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
