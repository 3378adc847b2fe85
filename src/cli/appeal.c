/* fbreview appeal DECISION --text T — record an appeal (upstream delivers the real ones). */
#include <stdio.h>
#include <stdlib.h>

#include "fbreview/cli.h"
#include "fbreview/cliopt.h"
#include "fbreview/decision.h"

int cli_appeal(fb_app *app, int argc, char **argv)
{
    const char *text = NULL;
    cliopt opts[] = {
        {.name = "text", .kind = CLIOPT_STRING, .dest = &text, .value_name = "T",
         .help = "the user's appeal, as they wrote it"},
        {0},
    };
    cliopt_spec spec = {.cmd = "appeal", .opts = opts, .min_args = 1, .max_args = 1, .arg_name = "decision",
                        .missing = "name the decision being appealed"};
    if (cliopt_parse(&spec, argc, argv) < 0)
        return spec.exit_status;
    if (!text)
        return cli_usage("appeal", "give the appeal's text with --text TEXT");
    fb_store *s = NULL;
    fb_workflow *wf = NULL;
    int rc = cli_open_workflow(app, &s, &wf);
    if (rc)
        return rc;
    fb_err err = {0};
    char appeal_id[37] = "";
    fb_decision_row d = {0};
    char *id = NULL;
    rc = cli_decision_id(s, argv[1], &id);
    if (rc == 0 && (workflow_appeal(wf, id, text, appeal_id, &err) != FB_OK ||
                    store_decision_load(s, id, &d, &err) != FB_OK))
        rc = cli_fail(&err);
    else if (rc == 0)
        printf("appeal %s recorded against decision %s; case %s is now appealed\n", appeal_id, d.id, d.case_id);
    store_decision_row_clear(&d);
    free(id);
    workflow_close(&wf);
    store_close(&s);
    return rc;
}
