/* fbreview approve DECISION [--reject --rationale T] — the second pair of eyes on a block. */
#include <stdio.h>
#include <stdlib.h>

#include "fbreview/cli.h"
#include "fbreview/cliopt.h"
#include "fbreview/decision.h"

int cli_approve(fb_app *app, int argc, char **argv)
{
    const char *rationale = NULL;
    int reject = 0;
    cliopt opts[] = {
        {.name = "reject", .kind = CLIOPT_FLAG, .dest = &reject,
         .help = "send the block back instead of approving it (needs --rationale)"},
        {.name = "rationale", .kind = CLIOPT_STRING, .dest = &rationale, .value_name = "T",
         .help = "why the block is sent back (only with --reject, where it is required)"},
        {0},
    };
    cliopt_spec spec = {.cmd = "approve", .opts = opts, .min_args = 1, .max_args = 1, .arg_name = "decision",
                        .missing = "name the decision to approve (its id from `fbreview show CASE`)"};
    if (cliopt_parse(&spec, argc, argv) < 0)
        return spec.exit_status;
    /* A rationale is the reason a block is sent back; given alone it would be dropped while
     * the block is approved, the opposite of what its writer likely meant. */
    if (rationale && !reject)
        return cli_usage("approve", "--rationale goes with --reject (the reason the block is sent back); "
                                    "to approve, give neither; to send back, add --reject");
    fb_store *s = NULL;
    fb_workflow *wf = NULL;
    int rc = cli_open_workflow(app, &s, &wf);
    if (rc)
        return rc;
    fb_err err = {0};
    fb_decision_row d = {0};
    char *id = NULL;
    rc = cli_decision_id(s, argv[1], &id);
    if (rc == 0 && (workflow_approve(wf, id, reject, rationale, &err) != FB_OK ||
                    store_decision_load(s, id, &d, &err) != FB_OK)) {
        rc = cli_fail(&err);
    } else if (rc == 0) {
        printf("%s decision %s on case %s; the case is now %s\n", reject ? "sent back" : "approved", d.id,
               d.case_id, reject ? "open" : "decided");
    }
    store_decision_row_clear(&d);
    free(id);
    workflow_close(&wf);
    store_close(&s);
    return rc;
}
