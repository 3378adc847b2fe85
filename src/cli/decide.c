/* fbreview decide — not built yet. */
#include <stdio.h>

#include "fbreview/cli.h"

int cli_decide(fb_app *app, int argc, char **argv)
{
    (void)app;
    (void)argc;
    (void)argv;
    fputs("fbreview decide: not available in this build yet\n", stderr);
    return 1;
}
