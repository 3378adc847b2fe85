/* fbreview (console) — the default command: the curses console on the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/cli.h"
#include "fbreview/tui.h"

int cli_console(fb_app *app, int argc, char **argv)
{
    tui_options opt = {0};
    opt.script = getenv("FBREVIEW_SCRIPT");
    if (opt.script && !*opt.script)
        opt.script = NULL;
    opt.timing = getenv("FBREVIEW_TIMING");
    if (opt.timing && !*opt.timing)
        opt.timing = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--script") == 0 && i + 1 < argc)
            opt.script = argv[++i];
        else if (strncmp(argv[i], "--script=", 9) == 0)
            opt.script = argv[i] + 9;
        else
            return cli_usage("console", "unknown option \"%s\" (the console takes --script FILE)", argv[i]);
    }
    return tui_run(app, &opt);
}
