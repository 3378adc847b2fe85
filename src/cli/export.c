/* fbreview export [-o FILE] [--since T] [--until T] [--action A] [--reviewer R] [--raw] [--no-bom]
 * Decisions as CSV (DESIGN.md §8) on stdout, or written atomically to FILE. */
#include <stdio.h>
#include <string.h>

#include "fbreview/cli.h"
#include "fbreview/cliopt.h"
#include "fbreview/export.h"
#include "fbreview/model.h"
#include "fbreview/progress.h"
#include "fbreview/timeutil.h"

/* RFC 3339, or YYYY-MM-DD meaning midnight UTC that day. */
static int parse_when(const char *v, int64_t *ms)
{
    if (strlen(v) == 10 && v[4] == '-' && v[7] == '-') {
        char full[32];
        snprintf(full, sizeof full, "%sT00:00:00Z", v);
        return fb_time_parse(full, ms);
    }
    return fb_time_parse(v, ms);
}

static int bad_time(const char *opt, const char *v)
{
    return cli_usage("export", "%s \"%s\" is not a time; use RFC 3339 (2026-11-20T10:00:00Z) or a date (2026-11-20)",
                     opt, v);
}

static int bad_action(const char *v)
{
    char valid[256] = "";
    for (int a = 0; a < FB_A_COUNT; a++) {
        if (a)
            strncat(valid, ", ", sizeof valid - strlen(valid) - 1);
        strncat(valid, fb_action_str((fb_action)a), sizeof valid - strlen(valid) - 1);
    }
    return cli_usage("export", "--action \"%s\" is not an action; valid actions: %s", v, valid);
}

int cli_export(fb_app *app, int argc, char **argv)
{
    export_filter f = {0};
    const char *out_path = NULL, *since = NULL, *until = NULL;
    int raw = 0, no_bom = 0;
    cliopt opts[] = {
        {.name = "output", .short_name = 'o', .kind = CLIOPT_STRING, .dest = &out_path, .value_name = "FILE",
         .flags = CLIOPT_NONEMPTY, .needs = "a file name",
          .help = "write to FILE atomically instead of standard output (- is stdout)"},
        {.name = "since", .kind = CLIOPT_STRING, .dest = &since, .value_name = "T", .needs = "a time",
         .help = "decisions made at or after T (RFC 3339 or YYYY-MM-DD, UTC)"},
        {.name = "until", .kind = CLIOPT_STRING, .dest = &until, .value_name = "T", .needs = "a time",
         .help = "decisions made before T"},
        {.name = "action", .kind = CLIOPT_STRING, .dest = &f.action, .value_name = "A", .needs = "an action",
         .help = "only this action"},
        {.name = "reviewer", .kind = CLIOPT_STRING, .dest = &f.reviewer, .value_name = "R",
         .flags = CLIOPT_NONEMPTY, .needs = "a name", .help = "only decisions by this reviewer"},
        {.name = "no-bom", .kind = CLIOPT_FLAG, .dest = &no_bom,
         .help = "no UTF-8 byte order mark (for tools that do not want one)"},
        {.name = "raw", .kind = CLIOPT_FLAG, .dest = &raw,
         .help = "do not neutralise cells a spreadsheet would run as a formula"},
        {0},
    };
    cliopt_spec spec = {.cmd = "export", .opts = opts, .max_args = 0,
                        .hint = "the output file goes after -o"};
    if (cliopt_parse(&spec, argc, argv) < 0)
        return spec.exit_status;
    if (since && parse_when(since, &f.since) != 0)
        return bad_time("--since", since);
    if (until && parse_when(until, &f.until) != 0)
        return bad_time("--until", until);
    f.has_since = since != NULL;
    f.has_until = until != NULL;
    if (f.action && fb_action_from_str(f.action) == FB_A_NONE)
        return bad_action(f.action);
    if (f.has_since && f.has_until && f.since >= f.until)
        return cli_usage("export", "--since must be before --until (--until is exclusive)");

    fb_store *s = NULL;
    int rc = cli_open_store(app, STORE_READ_OK, &s);
    if (rc)
        return rc;
    fb_err err = {0};
    fb_progress prog;
    long rows = 0;
    fb_status st;
    unsigned flags = (raw ? EXPORT_RAW : 0) | (no_bom ? EXPORT_NO_BOM : 0);
    progress_start(&prog, "exporting decisions", 0);
    if (!out_path || strcmp(out_path, "-") == 0)
        st = export_stream(s, &f, flags, stdout, &prog, &rows, &err);
    else
        st = export_to_path(s, &f, flags, out_path, &prog, &rows, &err);
    progress_end(&prog);
    store_close(&s);
    if (st != FB_OK)
        return cli_fail(&err);
    if (out_path && strcmp(out_path, "-") != 0)
        fprintf(stderr, "exported %ld decision%s to %s\n", rows, rows == 1 ? "" : "s", out_path);
    return 0;
}
