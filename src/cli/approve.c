/* fbreview approve — not built yet. */
#include <stdio.h>

#include "fbreview/cli.h"

int cli_approve(fb_app *app, int argc, char **argv)
{
    (void)app;
    (void)argc;
    (void)argv;
    fputs("fbreview approve: not available in this build yet\n", stderr);
    return 1;
}
