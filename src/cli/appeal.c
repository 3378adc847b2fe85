/* fbreview appeal — not built yet. */
#include <stdio.h>

#include "fbreview/cli.h"

int cli_appeal(fb_app *app, int argc, char **argv)
{
    (void)app;
    (void)argc;
    (void)argv;
    fputs("fbreview appeal: not available in this build yet\n", stderr);
    return 1;
}
