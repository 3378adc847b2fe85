/* fbreview upstream policy publish FILE | policy show [VERSION] — the team's policy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/cli.h"
#include "fbreview/cliopt.h"
#include "fbreview/upstream.h"

int cli_upstream_policy(fb_app *app, int argc, char **argv)
{
    (void)app;
    (void)argc;
    (void)argv;
    return cli_usage("upstream", "policy: not yet");
}
