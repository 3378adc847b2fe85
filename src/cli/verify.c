/* fbreview verify — SQLite integrity, foreign keys, and the audit chain. */
#include <inttypes.h>
#include <stdio.h>

#include "fbreview/audit.h"
#include "fbreview/cli.h"
#include "fbreview/cliopt.h"

int cli_verify(fb_app *app, int argc, char **argv)
{
    cliopt_spec spec = {.cmd = "verify", .max_args = 0};
    if (cliopt_parse(&spec, argc, argv) < 0)
        return spec.exit_status;
    fb_store *s;
    int rc = cli_open_store(app, STORE_READ_OK, &s);
    if (rc)
        return rc;
    fb_err err = {0};
    fb_audit_report rep = {0, 0};
    if (store_check_integrity(s, &err) != FB_OK || audit_verify(s, &rep, &err) != FB_OK)
        rc = cli_fail(&err);
    else
        printf("verify: %s: integrity ok, foreign keys ok, audit chain ok (%" PRId64 " rows)\n", store_path(s),
               rep.rows);
    store_close(&s);
    return rc;
}
