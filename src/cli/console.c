/* fbreview (console) — the default command: the curses console on the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/cli.h"
#include "fbreview/keymap.h"
#include "fbreview/tui.h"

/* `fbreview --keys[=man]`: the key table with this config's bindings (the manual page's
 * key list is generated from it). */
static int print_keys(fb_app *app, int roff)
{
    fb_keymap *km = NULL;
    fb_err err = {0};
    if (keymap_load(app->cfg, &km, &err) != FB_OK)
        return cli_fail(&err);
    keymap_print(km, stdout, roff);
    keymap_free(&km);
    return 0;
}

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
        else if (strcmp(argv[i], "--keys") == 0 || strcmp(argv[i], "--keys=man") == 0)
            return print_keys(app, strcmp(argv[i], "--keys=man") == 0);
        else
            return cli_usage("console", "unknown option \"%s\" (the console takes --script FILE or --keys)",
                             argv[i]);
    }
    return tui_run(app, &opt);
}
