/* fbreview upstream init | import FILE|- | grant LOGIN ROLE | revoke LOGIN ROLE | verify
 *                   | policy publish FILE | policy show [VERSION] | claim CASE | release CASE
 *   init     creates or upgrades the upstream schema and the group roles (idempotent; the
 *            database owner runs it)
 *   grant    puts an existing login in fbreview_reviewer, _lead or _admin (revoke: out)
 *   verify   recomputes the upstream audit's hash chain; exit 1 naming the first bad row
 *   policy   publishes the team's [policy] and [ladder] as a new version, or prints one
 *   import   validates JSON Lines exactly as `fbreview import` does (import_parse_line,
 *            FILE:LINE: field: problem) and puts the cases upstream in ONE transaction,
 *            all or nothing; each case's line is kept upstream as its evidence document
 *            (a line with fields past the size caps: as import keeps it, cut fields
 *            listed in its "cut" member, so a pull gives every console the same case)
 *   claim    takes or renews the lease on a case (what the console does on opening it) */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/cli.h"
#include "fbreview/cliopt.h"
#include "fbreview/store_id.h"
#include "fbreview/import.h"
#include "fbreview/sync.h"
#include "fbreview/timeutil.h"
#include "fbreview/upstream.h"

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)s[i]))
            return 0;
    return 1;
}

static int upstream_import_file(fb_app *app, const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "fbreview: upstream import: cannot open %s: %s\n", path, strerror(errno));
        return 1;
    }
    fb_err err = {0};
    fb_upstream *up = NULL;
    int rc = 0;
    if (upstream_connect(app->upstream, &up, &err) != FB_OK || upstream_check_schema(up, &err) != FB_OK ||
        upstream_cases_begin(up, &err) != FB_OK) {
        if (f != stdin)
            fclose(f);
        upstream_close(&up);
        return cli_fail(&err);
    }
    const char *name = strcmp(path, "-") == 0 ? "-" : path;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long lineno = 0, bad = 0, good = 0;
    while ((len = getline(&line, &cap, f)) != -1) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (is_blank(line, (size_t)len))
            continue;
        fb_case *c = NULL;
        char *doc = NULL;   /* the line with its cut fields replaced, when any was cut */
        fb_err lerr = {0};
        if (import_parse_line_doc(line, (size_t)len, &c, &doc, &lerr) != FB_OK) {
            fprintf(stderr, "%s:%ld: %s\n", name, lineno, lerr.msg);
            bad++;
            continue;
        }
        if (!bad)
            upstream_cases_add(up, lineno, c->id, doc ? doc : line, &err);
        good++;
        free(doc);
        fb_case_free(&c);
    }
    int read_err = ferror(f);
    free(line);
    if (f != stdin)
        fclose(f);
    if (read_err || bad) {
        upstream_cases_abort(up);
        if (read_err)
            fprintf(stderr, "fbreview: upstream import: reading %s failed\n", name);
        else
            fprintf(stderr, "fbreview: upstream import: %ld bad line%s in %s; nothing was put upstream "
                            "(fix the lines and import the file again)\n",
                    bad, bad == 1 ? "" : "s", name);
        rc = 1;
    } else {
        upstream_import_report rep;
        if (upstream_cases_commit(up, &rep, &err) != FB_OK) {
            rc = cli_fail(&err);
        } else {
            printf("upstream: %ld cases read; %ld added, %ld updated, %ld kept (already decided)\n", good,
                   rep.added, rep.updated, rep.kept);
        }
    }
    upstream_close(&up);
    return rc;
}

static int upstream_claim_case(fb_app *app, const char *typed, long long lease_ms, int release)
{
    fb_store *s;
    char *case_id = NULL;
    int rc = cli_open_store(app, 0, &s);
    if (rc)
        return rc;
    fb_err err = {0};
    /* A case not pulled yet is claimed by the id as typed: upstream knows it. */
    if (store_id_case(s, typed, &case_id, &err) == FB_ENOTFOUND)
        case_id = strdup(typed);
    if (!case_id) {
        store_close(&s);
        return cli_fail(&err);
    }
    fb_upstream *up = NULL;
    if (upstream_connect(app->upstream, &up, &err) != FB_OK) {
        store_close(&s);
        free(case_id);
        return cli_fail(&err);
    }
    if (release) {
        if (upstream_release(up, case_id, &err) != FB_OK)
            rc = cli_fail(&err);
        else
            printf("released %s\n", case_id);
    } else {
        fb_claim_result cr;
        if (sync_claim(s, up, case_id, lease_ms, &cr, &err) != FB_OK) {
            rc = cli_fail(&err);
        } else {
            char t[40];
            fb_time_format_utc(cr.until_ms, t, sizeof t);
            if (cr.granted) {
                printf("claimed %s until %s\n", case_id, t);
            } else if (cr.reason[0]) {
                fprintf(stderr, "fbreview: cannot claim %s: %s\n", case_id, cr.reason);
                rc = 1;
            } else {
                printf("%s is claimed by %s until %s\n", case_id, cr.holder[0] ? cr.holder : "someone", t);
                rc = 1;
            }
        }
    }
    upstream_close(&up);
    store_close(&s);
    free(case_id);
    return rc;
}

/* Connects for a one-shot subcommand; on failure prints and returns the exit status. */
static int connect_checked(fb_app *app, fb_upstream **up)
{
    fb_err err = {0};
    if (upstream_connect(app->upstream, up, &err) != FB_OK || upstream_check_schema(*up, &err) != FB_OK) {
        upstream_close(up);
        return cli_fail(&err);
    }
    return 0;
}

static int upstream_grant_cmd(fb_app *app, const char *login, const char *role, int grant)
{
    fb_upstream *up = NULL;
    int rc = connect_checked(app, &up);
    if (rc)
        return rc;
    fb_err err = {0};
    if (upstream_grant(up, login, role, grant, &err) != FB_OK)
        rc = cli_fail(&err);
    else
        printf(grant ? "%s is now in fbreview_%s\n" : "%s is no longer in fbreview_%s\n", login, role);
    upstream_close(&up);
    return rc;
}

static int upstream_verify_cmd(fb_app *app)
{
    fb_upstream *up = NULL;
    int rc = connect_checked(app, &up);
    if (rc)
        return rc;
    fb_err err = {0};
    upstream_audit_report rep;
    if (upstream_audit_verify(up, &rep, &err) != FB_OK) {
        rc = cli_fail(&err);
    } else if (rep.bad_id) {
        fprintf(stderr, "fbreview: upstream audit row %lld is bad: %s\n", (long long)rep.bad_id, rep.why);
        rc = 1;
    } else {
        printf("upstream audit: %lld rows, the hash chain holds\n", (long long)rep.rows);
    }
    upstream_close(&up);
    return rc;
}

int cli_upstream(fb_app *app, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage("upstream", "needs a subcommand: init, import FILE|-, grant LOGIN ROLE, revoke LOGIN ROLE, "
                                     "verify, policy publish FILE, policy show [VERSION], claim CASE, release CASE");
    const char *sub = argv[1];
    long long lease = SYNC_LEASE_MS_DEFAULT;
    cliopt claim_opts[] = {
        {.name = "lease-ms", .kind = CLIOPT_INT, .dest = &lease, .value_name = "MS", .min = 1,
         .max = 366LL * 86400 * 1000, .needs = "milliseconds",
         .help = "claim: how long the lease lasts, in milliseconds"},
        {0},
    };
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
        cliopt help_opts[1 + CLI_POLICY_N_OPTS + 1] = {claim_opts[0]};
        cli_upstream_policy_opts(help_opts + 1, NULL, NULL, NULL);
        cliopt_spec spec = {.cmd = "upstream", .opts = help_opts};
        cliopt_help(&spec, stdout);
        return 0;
    }
    /* Each subcommand's own arguments, parsed after the subcommand's name. */
    int sub_argc = argc - 1;
    char **sub_argv = argv + 1;
    if (strcmp(sub, "init") == 0) {
        cliopt_spec spec = {.cmd = "upstream", .max_args = 0};
        if (cliopt_parse(&spec, sub_argc, sub_argv) < 0)
            return spec.exit_status;
        fb_err err = {0};
        fb_upstream *up = NULL;
        int from = 0, to = 0;
        if (upstream_connect(app->upstream, &up, &err) != FB_OK || upstream_init(up, &from, &to, &err) != FB_OK) {
            upstream_close(&up);
            return cli_fail(&err);
        }
        upstream_close(&up);
        if (from == to)
            printf("upstream schema is up to date (version %d)\n", to);
        else
            printf("upstream schema: version %d -> %d\n", from, to);
        return 0;
    }
    if (strcmp(sub, "import") == 0) {
        cliopt_spec spec = {.cmd = "upstream", .min_args = 1, .max_args = 1, .arg_name = "file",
                            .missing = "import needs one FILE (or - for stdin)"};
        if (cliopt_parse(&spec, sub_argc, sub_argv) < 0)
            return spec.exit_status;
        return upstream_import_file(app, sub_argv[1]);
    }
    if (strcmp(sub, "claim") == 0 || strcmp(sub, "release") == 0) {
        cliopt_spec spec = {.cmd = "upstream", .opts = claim_opts, .min_args = 1, .max_args = 1, .arg_name = "case"};
        if (cliopt_parse(&spec, sub_argc, sub_argv) < 0)
            return spec.exit_status;
        return upstream_claim_case(app, sub_argv[1], lease, strcmp(sub, "release") == 0);
    }
    if (strcmp(sub, "grant") == 0 || strcmp(sub, "revoke") == 0) {
        cliopt_spec spec = {.cmd = "upstream", .min_args = 2, .max_args = 2, .arg_name = "login and role",
                            .missing = "grant and revoke need LOGIN and ROLE (reviewer, lead or admin)"};
        if (cliopt_parse(&spec, sub_argc, sub_argv) < 0)
            return 2;
        const char *role = sub_argv[2];
        if (strcmp(role, "reviewer") != 0 && strcmp(role, "lead") != 0 && strcmp(role, "admin") != 0)
            return cli_usage("upstream", "unknown role \"%s\": use reviewer, lead or admin", role);
        return upstream_grant_cmd(app, sub_argv[1], role, strcmp(sub, "grant") == 0);
    }
    if (strcmp(sub, "verify") == 0) {
        cliopt_spec spec = {.cmd = "upstream", .max_args = 0};
        if (cliopt_parse(&spec, sub_argc, sub_argv) < 0)
            return 2;
        return upstream_verify_cmd(app);
    }
    if (strcmp(sub, "policy") == 0)
        return cli_upstream_policy(app, sub_argc, sub_argv);
    return cli_usage("upstream", "unknown subcommand \"%s\"", sub);
}
