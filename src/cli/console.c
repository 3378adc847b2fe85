/* fbreview (console) — the default command: the curses console on the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/cli.h"
#include "fbreview/cliopt.h"
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
    const char *keys = NULL;
    cliopt opts[] = {
        {.name = "script", .kind = CLIOPT_STRING, .dest = &opt.script, .value_name = "FILE",
         .help = "feed keys and :commands from FILE (tests; also FBREVIEW_SCRIPT)"},
        {.name = "keys", .kind = CLIOPT_STRING, .dest = &keys, .value_name = "man", .flags = CLIOPT_OPTARG,
         .help = "list the console's keys and exit (=man: as roff for the manual)"},
        {0},
    };
    cliopt_spec spec = {.cmd = "console", .opts = opts, .max_args = 0};
    if (cliopt_parse(&spec, argc, argv) < 0)
        return spec.exit_status;
    if (keys && *keys && strcmp(keys, "man") != 0)
        return cli_usage("console", "--keys takes no value or =man, not \"%s\"", keys);
    if (keys)
        return print_keys(app, *keys != '\0');
    return tui_run(app, &opt);
}
