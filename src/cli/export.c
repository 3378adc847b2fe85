/* fbreview export [-o FILE] [--since T] [--until T] [--action A] [--reviewer R] [--raw]
 * Decisions as CSV (DESIGN.md §7) on stdout, or written atomically to FILE. */
#include <stdio.h>
#include <string.h>

#include "fbreview/cli.h"
#include "fbreview/export.h"
#include "fbreview/model.h"
#include "fbreview/progress.h"
#include "fbreview/timeutil.h"

/* Matches `NAME VALUE` or `NAME=VALUE` at argv[*i]: 1 and *val set (advancing *i past a
 * separate value), 0 when argv[*i] is another option, -1 when the value is missing. */
static int opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    if (a[n] != '\0')
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *val = argv[++*i];
    return 1;
}

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
    const char *out_path = NULL, *v = NULL;
    int raw = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int m;
        if (strcmp(a, "--raw") == 0) {
            raw = 1;
        } else if ((m = opt_value(argc, argv, &i, "-o", &v)) != 0 ||
                   (m = opt_value(argc, argv, &i, "--output", &v)) != 0) {
            if (m < 0 || !*v)
                return cli_usage("export", "%s needs a file name", a);
            out_path = v;
        } else if ((m = opt_value(argc, argv, &i, "--since", &v)) != 0) {
            if (m < 0)
                return cli_usage("export", "--since needs a time");
            if (parse_when(v, &f.since) != 0)
                return bad_time("--since", v);
            f.has_since = 1;
        } else if ((m = opt_value(argc, argv, &i, "--until", &v)) != 0) {
            if (m < 0)
                return cli_usage("export", "--until needs a time");
            if (parse_when(v, &f.until) != 0)
                return bad_time("--until", v);
            f.has_until = 1;
        } else if ((m = opt_value(argc, argv, &i, "--action", &v)) != 0) {
            if (m < 0)
                return cli_usage("export", "--action needs an action");
            if (fb_action_from_str(v) == FB_A_NONE)
                return bad_action(v);
            f.action = v;
        } else if ((m = opt_value(argc, argv, &i, "--reviewer", &v)) != 0) {
            if (m < 0 || !*v)
                return cli_usage("export", "--reviewer needs a name");
            f.reviewer = v;
        } else if (a[0] == '-' && a[1] != '\0') {
            return cli_usage("export", "unknown option \"%s\"", a);
        } else {
            return cli_usage("export", "unexpected argument \"%s\" (the output file goes after -o)", a);
        }
    }
    if (f.has_since && f.has_until && f.since >= f.until)
        return cli_usage("export", "--since must be before --until (--until is exclusive)");

    fb_store *s = NULL;
    int rc = cli_open_store(app, 0, &s);
    if (rc)
        return rc;
    fb_err err = {0};
    fb_progress prog;
    long rows = 0;
    fb_status st;
    progress_start(&prog, "exporting decisions", 0);
    if (!out_path || strcmp(out_path, "-") == 0)
        st = export_stream(s, &f, raw, stdout, &prog, &rows, &err);
    else
        st = export_to_path(s, &f, raw, out_path, &prog, &rows, &err);
    progress_end(&prog);
    store_close(&s);
    if (st != FB_OK)
        return cli_fail(&err);
    if (out_path && strcmp(out_path, "-") != 0)
        fprintf(stderr, "exported %ld decision%s to %s\n", rows, rows == 1 ? "" : "s", out_path);
    return 0;
}
