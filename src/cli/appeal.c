/* fbreview appeal DECISION --text T — record an appeal (upstream delivers the real ones). */
#include <stdio.h>
#include <string.h>

#include "fbreview/cli.h"
#include "fbreview/decision.h"

int cli_appeal(fb_app *app, int argc, char **argv)
{
    const char *id = NULL, *text = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--text=", 7) == 0)
            text = a + 7;
        else if (strcmp(a, "--text") == 0) {
            if (i + 1 >= argc)
                return cli_usage("appeal", "--text needs a value");
            text = argv[++i];
        } else if (a[0] == '-' && a[1] == '-')
            return cli_usage("appeal", "unknown option %s", a);
        else if (id)
            return cli_usage("appeal", "one decision at a time (got %s and %s)", id, a);
        else
            id = a;
    }
    if (!id)
        return cli_usage("appeal", "name the decision being appealed");
    if (!text)
        return cli_usage("appeal", "give the appeal's text with --text TEXT");
    fb_store *s = NULL;
    int rc = cli_open_store(app, 0, &s);
    if (rc)
        return rc;
    fb_err err = {0};
    fb_workflow *wf = NULL;
    char appeal_id[37] = "";
    fb_decision_row d = {0};
    if (workflow_open(s, app->cfg, app->reviewer, &wf, &err) != FB_OK ||
        workflow_appeal(wf, id, text, appeal_id, &err) != FB_OK || store_decision_load(s, id, &d, &err) != FB_OK)
        rc = cli_fail(&err);
    else
        printf("appeal %s recorded against decision %s; case %s is now appealed\n", appeal_id, d.id, d.case_id);
    store_decision_row_clear(&d);
    workflow_close(&wf);
    store_close(&s);
    return rc;
}
