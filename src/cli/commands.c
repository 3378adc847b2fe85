/* The one table of subcommands, and the helpers every command uses. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fbreview/cli.h"
#include "fbreview/decision.h"
#include "fbreview/store_id.h"

const cli_command cli_commands[] = {
    {"console",  cli_console,  "[--script FILE] [--keys[=man]]", "open the console (the default command); --keys lists its keys"},
    {"demo",     cli_demo,     "[--cases N] [--seed S] [--now T] [--no-ui]", "fill a store with realistic synthetic cases, then open it"},
    {"import",   cli_import,   "[--skip-bad] FILE|-", "add cases from JSON Lines"},
    {"export",   cli_export,   "[-o FILE] [--since T] [--until T] [--action A] [--reviewer R] [--raw] [--no-bom]", "decisions as CSV for spreadsheets (UTF-8 with a byte order mark, UTC times)"},
    {"show",     cli_show,     "CASE [--json]", "a case with all its evidence, signals, recommendation, decisions, appeals and notes"},
    {"decide",   cli_decide,   "(CASE... | --subject ACCOUNT | --cluster ACCOUNT) (ACTION [--violation C] [--days N] | --accept) [--rationale T] [--override-claim] | --undo [DECISION]", "record decisions (or undo your last unsynced one)"},
    {"approve",  cli_approve,  "DECISION [--reject --rationale T]", "approve or send back a proposed block"},
    {"appeal",   cli_appeal,   "DECISION --text T", "record an appeal against a decision"},
    {"conflict", cli_conflict, "DECISION (--accept | --appeal T)", "answer your decision that lost a conflict upstream"},
    {"note",     cli_note,     "CASE TEXT", "add an internal note to a case"},
    {"sync",     cli_sync,     "[--once | --watch] [--interval S] [--push-only]", "push decisions, pull cases and appeals"},
    {"upstream", cli_upstream, "init | import FILE|- | grant LOGIN ROLE | revoke LOGIN ROLE | verify | policy publish FILE [--lexicon FILE] [--frames FILE] | policy show [VERSION] [--rules] | claim CASE [--lease-ms MS] | release CASE", "set up the upstream schema and roles; put cases upstream; publish the team policy; check the audit; take a lease"},
    {"reanalyse", cli_reanalyse, "", "analyse again now every undecided case analysed with older rules (the console does it in the background)"},
    {"purge",    cli_purge,    "[--days N] [--dry-run]", "local retention: remove the evidence of cases decided and synced more than N days ago"},
    {"stats",    cli_stats,    "[--charts]", "queue and decision counts, sync state; --charts draws the lead's view"},
    {"verify",   cli_verify,   "", "integrity: SQLite check, foreign keys, audit chain"},
    {NULL, NULL, NULL, NULL},
};

const cli_command *cli_find(const char *name)
{
    for (const cli_command *c = cli_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

int cli_fail(const fb_err *err)
{
    /* What to do next, in commands (the console says it in keys). */
    char next[256] = "";
    if (err->remedy == FB_REMEDY_APPEAL_OR_UNDO)
        snprintf(next, sizeof next, "; to change it, record an appeal with `fbreview appeal %s --text TEXT`, or "
                                    "undo it with `fbreview decide --undo` if it is your own unsynced decision",
                 err->ref);
    else if (err->remedy == FB_REMEDY_APPROVE)
        snprintf(next, sizeof next, "; approve or send it back with `fbreview approve %s [--reject --rationale TEXT]`",
                 err->ref);
    else if (err->remedy == FB_REMEDY_VIOLATION)
        snprintf(next, sizeof next, "; name one with --violation CODE");
    else if (err->remedy == FB_REMEDY_RATIONALE)
        snprintf(next, sizeof next, "; add --rationale TEXT");
    else if (err->remedy == FB_REMEDY_TEXT)
        snprintf(next, sizeof next, "; add --text TEXT");
    else if (err->remedy == FB_REMEDY_CLAIM)
        snprintf(next, sizeof next, "; pick another case, or decide anyway with --override-claim (the override is "
                                    "recorded)");
    fprintf(stderr, "fbreview: %s%s\n", err->msg[0] ? err->msg : fb_status_name(err->status), next);
    return 1;   /* runtime, configuration or refused input: only cli_usage gives 2 */
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "fbreview %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    const cli_command *c = cli_find(cmd);
    fprintf(stderr, "\nusage: fbreview %s %s\n", cmd, c ? c->args : "");
    return 2;
}

int cli_case_id(fb_store *s, const char *typed, char **case_id)
{
    fb_err err = {0};
    return store_id_case(s, typed, case_id, &err) == FB_OK ? 0 : cli_fail(&err);
}

int cli_decision_id(fb_store *s, const char *typed, char **decision_id)
{
    fb_err err = {0};
    return store_id_decision(s, typed, decision_id, &err) == FB_OK ? 0 : cli_fail(&err);
}

int cli_open_store(fb_app *app, int flags, fb_store **out)
{
    fb_err err = {0};
    if ((app->store_flags & STORE_READONLY) && !(flags & STORE_READ_OK)) {
        fb_err_set(&err, FB_ECONFIG, "--read-only: this command writes to the store; run it without --read-only");
        return cli_fail(&err);
    }
    if (store_open(app->db_path, flags | app->store_flags, out, &err) != FB_OK)
        return cli_fail(&err);
    return 0;
}

int cli_open_workflow(fb_app *app, fb_store **store, fb_workflow **wf)
{
    int rc = cli_open_store(app, 0, store);
    if (rc)
        return rc;
    fb_err err = {0};
    if (workflow_open(*store, app->cfg, app->reviewer, wf, &err) != FB_OK) {
        store_close(store);
        return cli_fail(&err);
    }
    return 0;
}
