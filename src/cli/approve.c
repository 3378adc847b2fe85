/* fbreview approve DECISION [--reject --rationale T] — the second pair of eyes on a block. */
#include <stdio.h>
#include <string.h>

#include "fbreview/cli.h"
#include "fbreview/decision.h"

int cli_approve(fb_app *app, int argc, char **argv)
{
    const char *id = NULL, *rationale = NULL;
    int reject = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--reject") == 0)
            reject = 1;
        else if (strncmp(a, "--rationale=", 12) == 0)
            rationale = a + 12;
        else if (strcmp(a, "--rationale") == 0) {
            if (i + 1 >= argc)
                return cli_usage("approve", "--rationale needs a value");
            rationale = argv[++i];
        } else if (a[0] == '-' && a[1] == '-')
            return cli_usage("approve", "unknown option %s", a);
        else if (id)
            return cli_usage("approve", "one decision at a time (got %s and %s)", id, a);
        else
            id = a;
    }
    if (!id)
        return cli_usage("approve", "name the decision to approve (its id from `fbreview show CASE`)");
    fb_store *s = NULL;
    int rc = cli_open_store(app, 0, &s);
    if (rc)
        return rc;
    fb_err err = {0};
    fb_workflow *wf = NULL;
    fb_decision_row d = {0};
    if (workflow_open(s, app->cfg, app->reviewer, &wf, &err) != FB_OK ||
        workflow_approve(wf, id, reject, rationale, &err) != FB_OK ||
        store_decision_load(s, id, &d, &err) != FB_OK) {
        rc = cli_fail(&err);
    } else {
        printf("%s decision %s on case %s; the case is now %s\n", reject ? "sent back" : "approved", d.id,
               d.case_id, reject ? "open" : "decided");
    }
    store_decision_row_clear(&d);
    workflow_close(&wf);
    store_close(&s);
    return rc;
}
