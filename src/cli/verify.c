/* fbreview verify — SQLite integrity, foreign keys, and the audit chain. */
#include <stdio.h>

#include "fbreview/cli.h"

int cli_verify(fb_app *app, int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return cli_usage("verify", "takes no arguments");
    fb_store *s;
    int rc = cli_open_store(app, 0, &s);
    if (rc)
        return rc;
    fb_err err = {0};
    if (store_check_integrity(s, &err) != FB_OK)
        rc = cli_fail(&err);
    else
        printf("verify: %s: integrity ok, foreign keys ok\n", store_path(s));
    store_close(&s);
    return rc;
}
