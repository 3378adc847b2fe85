/* fbreview purge [--days N] [--dry-run] — local retention on demand: the evidence of
 * cases decided and synced more than N days ago ([retention] evidence_days unless
 * --days) leaves this store; decisions, audit and the case rows stay. The same purge runs
 * after every sync round when evidence_days is set (core/retention.c). */
#include <stdio.h>

#include "fbreview/cli.h"
#include "fbreview/cliopt.h"
#include "fbreview/retention.h"
#include "fbreview/timeutil.h"

int cli_purge(fb_app *app, int argc, char **argv)
{
    long long days = -1;
    int dry_run = 0;
    cliopt opts[] = {
        {.name = "days", .kind = CLIOPT_INT, .dest = &days, .value_name = "N", .min = 1,
         .max = config_option(OPT_RETENTION_EVIDENCE_DAYS)->max,
         .help = "purge after N days (default: [retention] evidence_days)"},
        {.name = "dry-run", .kind = CLIOPT_FLAG, .dest = &dry_run, .help = "count the cases, change nothing"},
        {0},
    };
    cliopt_spec spec = {.cmd = "purge", .opts = opts, .max_args = 0};
    if (cliopt_parse(&spec, argc, argv) < 0)
        return spec.exit_status;
    fb_err err = {0};
    int d = days < 0 ? retention_days(app->cfg) : (int)days;
    if (d == 0) {
        fprintf(stderr, "fbreview purge: retention is off ([retention] evidence_days = 0); pass --days N or set it "
                        "in your config\n");
        return 1;
    }
    fb_store *s = NULL;
    int rc = cli_open_store(app, 0, &s);
    if (rc)
        return rc;
    long total = 0, n;
    /* In bounded transactions, so a console working on the store waits only briefly. */
    do {
        if (retention_purge(s, app->reviewer, d, fb_now_ms(), 500, dry_run, &n, &err) != FB_OK) {
            rc = cli_fail(&err);
            break;
        }
        total += n;
    } while (n == 500 && !dry_run);
    if (!rc)
        printf("purge: %s%ld case%s decided and synced more than %d day%s ago%s\n", dry_run ? "would purge " : "",
               total, total == 1 ? "" : "s", d, d == 1 ? "" : "s",
               dry_run ? " (dry run: nothing changed)" : ": evidence removed, decisions and audit kept");
    store_close(&s);
    return rc;
}
