/* fbreview: argument parsing, configuration, subcommand dispatch. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/cli.h"
#include "fbreview/paths.h"

static void usage(FILE *out)
{
    fputs("usage: fbreview [--db PATH] [--reviewer NAME] [--config FILE] [--read-only] [COMMAND [ARGS]]\n"
          "       fbreview --defaults    every setting at its default, as a config file\n\n"
          "A keyboard-driven console for reviewing flagged feedback-building cases.\n\n"
          "commands:\n",
          out);
    for (const cli_command *c = cli_commands; c->name; c++)
        fprintf(out, "  %-9s %-s\n  %-9s   %s\n", c->name, c->args, "", c->summary);
    fputs("\nenvironment: FBREVIEW_DB, FBREVIEW_REVIEWER, FBREVIEW_UPSTREAM, FBREVIEW_SCRIPT, NO_COLOR\n"
          "see fbreview(1) for everything else.\n",
          out);
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    fb_app app = {0};
    const char *db = NULL, *reviewer = NULL, *config = NULL;
    int i = 1;
    /* Global options come before the command; each takes `--opt VALUE` or `--opt=VALUE`. */
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        size_t n = 0;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(a, "--version") == 0) {
            printf("fbreview %s\n", FB_VERSION);
            return 0;
        }
        if (strcmp(a, "--read-only") == 0) {
            app.store_flags |= STORE_READONLY;
            continue;
        }
        /* Every setting at its default, from the options table: as a config file
         * (data/default.conf) or as the manual's CONFIGURATION section. */
        if (strcmp(a, "--defaults") == 0 || strcmp(a, "--defaults=man") == 0) {
            config_print_defaults(stdout, a[10] == '=');
            return fflush(stdout) == 0 ? 0 : 1;
        }
        if (strncmp(a, "--db", n = 4) == 0)
            slot = &db;
        else if (strncmp(a, "--reviewer", n = 10) == 0)
            slot = &reviewer;
        else if (strncmp(a, "--config", n = 8) == 0)
            slot = &config;
        else
            break;   /* a command's own option, e.g. `fbreview --script F` for the console */
        if (a[n] == '=') {
            *slot = a + n + 1;
        } else if (a[n] == '\0' && i + 1 < argc) {
            *slot = argv[++i];
        } else if (a[n] == '\0') {
            fprintf(stderr, "fbreview: %s needs a value\n", a);
            return 2;
        } else {
            break;
        }
    }

    const char *cmd_name = "console";
    int cmd_argc = argc - i + 1;
    char **cmd_argv = argv + i - 1;
    if (i < argc && argv[i][0] != '-') {
        cmd_name = argv[i];
        cmd_argc = argc - i;
        cmd_argv = argv + i;
    } else {
        cmd_argv[0] = (char *)"console";
    }
    const cli_command *cmd = cli_find(cmd_name);
    if (!cmd) {
        fprintf(stderr, "fbreview: unknown command \"%s\"; see `fbreview --help`\n", cmd_name);
        return 2;
    }

    if (!db)
        db = getenv("FBREVIEW_DB");
    if (!(db && *db))
        app.store_flags |= STORE_MKDIR;
    app.db_path = db && *db ? strdup(db) : paths_default_db();
    if (!reviewer)
        reviewer = getenv("FBREVIEW_REVIEWER");
    app.reviewer = reviewer && *reviewer ? strdup(reviewer) : paths_login_name();
    app.config_path = config ? strdup(config) : paths_default_config();
    if (!app.db_path) {
        fputs("fbreview: no store path: set --db, FBREVIEW_DB, XDG_DATA_HOME or HOME\n", stderr);
        app_free(&app);
        return 1;   /* configuration, not usage */
    }
    fb_err err = {0};
    if (config_load(app.config_path, config != NULL, &app.cfg, &err) != FB_OK) {
        int rc = cli_fail(&err);
        app_free(&app);
        return rc;
    }
    const char *up = getenv("FBREVIEW_UPSTREAM");
    app.upstream = up && *up ? up : config_str(app.cfg, OPT_SYNC_UPSTREAM);
    /* With an upstream, the team's policy (pulled by sync) wins over the local config. */
    if (cli_apply_team_policy(&app) != 0) {
        app_free(&app);
        return 1;
    }

    int rc = cmd->run(&app, cmd_argc, cmd_argv);
    app_free(&app);
    return rc;
}
