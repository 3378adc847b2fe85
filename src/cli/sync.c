/* fbreview sync — not built yet. */
#include <stdio.h>

#include "fbreview/cli.h"

int cli_sync(fb_app *app, int argc, char **argv)
{
    (void)app;
    (void)argc;
    (void)argv;
    fputs("fbreview sync: not available in this build yet\n", stderr);
    return 1;
}
