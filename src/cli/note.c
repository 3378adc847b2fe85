/* fbreview note CASE TEXT — an internal note: case history only, never part of a notice. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/cli.h"
#include "fbreview/cliopt.h"
#include "fbreview/decision.h"

int cli_note(fb_app *app, int argc, char **argv)
{
    /* The words after CASE are the text, so quoting is optional (and options end at CASE). */
    cliopt_spec spec = {.cmd = "note", .min_args = 2, .max_args = -1, .options_first = 1,
                        .missing = "name the case and give the note's text"};
    int nargs = cliopt_parse(&spec, argc, argv);
    if (nargs < 0)
        return spec.exit_status;
    size_t len = 1;
    for (int i = 2; i <= nargs; i++)
        len += strlen(argv[i]) + 1;
    char *text = calloc(len, 1);
    if (!text)
        return 1;
    for (int i = 2; i <= nargs; i++) {
        if (i > 2)
            strcat(text, " ");
        strcat(text, argv[i]);
    }
    fb_store *s = NULL;
    fb_workflow *wf = NULL;
    int rc = cli_open_workflow(app, &s, &wf);
    if (rc) {
        free(text);
        return rc;
    }
    fb_err err = {0};
    char *case_id = NULL;
    rc = cli_case_id(s, argv[1], &case_id);
    if (rc == 0 && workflow_note(wf, case_id, text, &err) != FB_OK)
        rc = cli_fail(&err);
    else if (rc == 0)
        printf("note added to case %s\n", case_id);
    free(case_id);
    workflow_close(&wf);
    store_close(&s);
    free(text);
    return rc;
}
