/* fbreview conflict DECISION (--accept | --appeal T) — answer a decision of yours that
 * upstream refused because another one won the case (the console's conflicts queue). */
#include <stdio.h>
#include <stdlib.h>

#include "fbreview/cli.h"
#include "fbreview/cliopt.h"
#include "fbreview/decision.h"

int cli_conflict(fb_app *app, int argc, char **argv)
{
    const char *text = NULL;
    int accept = 0;
    cliopt opts[] = {
        {.name = "accept", .kind = CLIOPT_FLAG, .dest = &accept, .help = "the winning decision stands"},
        {.name = "appeal", .kind = CLIOPT_STRING, .dest = &text, .value_name = "T",
         .help = "appeal the winning decision with this text"},
        {0},
    };
    cliopt_spec spec = {.cmd = "conflict", .opts = opts, .min_args = 1, .max_args = 1, .arg_name = "decision",
                        .missing = "name your conflicting decision"};
    if (cliopt_parse(&spec, argc, argv) < 0)
        return spec.exit_status;
    if (accept == !!text)
        return cli_usage("conflict", "give either --accept (the winning decision stands) or --appeal TEXT");
    fb_store *s = NULL;
    fb_workflow *wf = NULL;
    int rc = cli_open_workflow(app, &s, &wf);
    if (rc)
        return rc;
    fb_err err = {0};
    char appeal_id[37] = "", *id = NULL;
    rc = cli_decision_id(s, argv[1], &id);
    if (rc != 0) {
        /* cli_decision_id said why */
    } else if (accept) {
        if (workflow_conflict_accept(wf, id, &err) != FB_OK)
            rc = cli_fail(&err);
        else
            printf("conflict of decision %s resolved: the winning decision stands\n", id);
    } else if (workflow_conflict_appeal(wf, id, text, appeal_id, &err) != FB_OK) {
        rc = cli_fail(&err);
    } else {
        printf("conflict of decision %s resolved: appeal %s recorded against the winning decision\n", id,
               appeal_id);
    }
    free(id);
    workflow_close(&wf);
    store_close(&s);
    return rc;
}
