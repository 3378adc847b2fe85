/* fbreview console — not built yet. */
#include <stdio.h>

#include "fbreview/cli.h"

int cli_console(fb_app *app, int argc, char **argv)
{
    (void)app;
    (void)argc;
    (void)argv;
    fputs("fbreview console: not available in this build yet\n", stderr);
    return 1;
}
