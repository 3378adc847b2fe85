#ifndef FBREVIEW_CLI_H
#define FBREVIEW_CLI_H
/* Subcommands: one file each in src/cli/, one table (src/cli/commands.c) that main.c
 * dispatches from and that --help prints. A command returns the process exit status. */

#include "fbreview/app.h"
#include "fbreview/cliopt.h"
#include "fbreview/config.h"
#include "fbreview/err.h"
#include "fbreview/store.h"

typedef struct fb_workflow fb_workflow;   /* fbreview/decision.h */

typedef int (*cli_fn)(fb_app *app, int argc, char **argv);

typedef struct cli_command {
    const char *name;
    cli_fn run;
    const char *args;       /* usage after the name */
    const char *summary;
} cli_command;

extern const cli_command cli_commands[];   /* NULL-name terminated */
const cli_command *cli_find(const char *name);

/* Shared helpers for commands (their options: fbreview/cliopt.h). */
/* Prints "fbreview: <msg>" on stderr and returns 1: exit status 2 is for usage errors only (cli_usage). */
int cli_fail(const fb_err *err);
/* Prints "fbreview CMD: <msg>" and a usage hint; returns 2. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Opens the app's store with a command's store_open flags (STORE_CREATE, STORE_READ_OK)
 * plus app->store_flags; --read-only with a command that writes is refused. On failure
 * prints and returns the exit status. */
int cli_open_store(fb_app *app, int flags, fb_store **out);
/* Opens the app's store and a workflow on it for the app's reviewer; on failure prints,
 * closes what it opened and returns the exit status (0 when both are open). */
int cli_open_workflow(fb_app *app, fb_store **store /* OUT */, fb_workflow **wf /* OUT */);

/* An id as the person typed it, resolved in the store (fbreview/store_id.h: a unique
 * decision prefix of 8 or more characters, a case id in any case); on failure prints and
 * returns 1. The id is malloc'd. */
int cli_case_id(fb_store *s, const char *typed, char **case_id /* OUT */);
int cli_decision_id(fb_store *s, const char *typed, char **decision_id /* OUT */);

/* The command implementations (one file each). */
int cli_console(fb_app *app, int argc, char **argv);
int cli_demo(fb_app *app, int argc, char **argv);
int cli_import(fb_app *app, int argc, char **argv);
int cli_export(fb_app *app, int argc, char **argv);
int cli_show(fb_app *app, int argc, char **argv);
int cli_decide(fb_app *app, int argc, char **argv);
int cli_approve(fb_app *app, int argc, char **argv);
int cli_appeal(fb_app *app, int argc, char **argv);
int cli_conflict(fb_app *app, int argc, char **argv);
int cli_note(fb_app *app, int argc, char **argv);
int cli_sync(fb_app *app, int argc, char **argv);
int cli_upstream(fb_app *app, int argc, char **argv);
/* `upstream policy publish FILE | show [VERSION]` (src/cli/policy.c); argv[0] is "policy". */
int cli_upstream_policy(fb_app *app, int argc, char **argv);
/* The options of policy publish (--lexicon, --frames) and policy show (--rules), for its
 * parser and for `fbreview upstream --help`. */
enum { CLI_POLICY_N_OPTS = 3 };
void cli_upstream_policy_opts(cliopt out[CLI_POLICY_N_OPTS], const char **lexicon, const char **frames,
                              int *rules);
/* With an upstream configured, puts the team policy last pulled into this store over the
 * config's [policy] and [ladder] (and sets [policy] version). 0, or the exit status. */
int cli_apply_team_policy(fb_app *app);
int cli_stats(fb_app *app, int argc, char **argv);
int cli_purge(fb_app *app, int argc, char **argv);
int cli_reanalyse(fb_app *app, int argc, char **argv);
int cli_verify(fb_app *app, int argc, char **argv);

#endif
