/* fbreview show — not built yet. */
#include <stdio.h>

#include "fbreview/cli.h"

int cli_show(fb_app *app, int argc, char **argv)
{
    (void)app;
    (void)argc;
    (void)argv;
    fputs("fbreview show: not available in this build yet\n", stderr);
    return 1;
}
