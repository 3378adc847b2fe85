/* The table-driven option parser every subcommand uses (include/fbreview/cliopt.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/cli.h"
#include "fbreview/cliopt.h"

/* Prints a usage error; cliopt_parse then returns -1. */
#define USAGE(...) (cli_usage(__VA_ARGS__), -1)

/* The option argv[i] names, or NULL; *val points at an attached value (`--x=V`, `-xV`)
 * or is NULL. */
static cliopt *match(cliopt *opts, const char *a, const char **val)
{
    *val = NULL;
    for (cliopt *o = opts; o && o->name; o++) {
        if (a[1] == '-') {
            size_t n = strlen(o->name);
            if (strncmp(a + 2, o->name, n) != 0 || (a[2 + n] != '\0' && a[2 + n] != '='))
                continue;
            if (a[2 + n] == '=')
                *val = a + 3 + n;
            return o;
        }
        if (o->short_name && a[1] == o->short_name) {
            if (a[2] == '\0')
                return o;
            if (o->kind == CLIOPT_FLAG)
                continue;
            *val = a + 2 + (a[2] == '=');
            return o;
        }
    }
    return NULL;
}

/* A whole decimal number in [lo, hi]: no sign but '-', no spaces, no trailing text. */
static int parse_int(const char *s, long long lo, long long hi, long long *out)
{
    if (!*s || !(*s == '-' || (*s >= '0' && *s <= '9')))
        return -1;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* The option as it was typed, without an attached value (for messages). */
static const char *typed(const char *a, char *buf, size_t size)
{
    size_t n = strcspn(a, "=");
    if (a[1] != '-' && n > 2)
        n = 2;
    if (n >= size)
        n = size - 1;
    memcpy(buf, a, n);
    buf[n] = '\0';
    return buf;
}

/* "CMD takes -o/--output FILE, --raw or --keys[=man]", from the table. */
static const char *list_options(const cliopt_spec *spec, char *buf, size_t size)
{
    size_t len = (size_t)snprintf(buf, size, "%s takes ", spec->cmd);
    int count = 0;
    for (const cliopt *o = spec->opts; o && o->name; o++)
        count++;
    if (count == 0)
        snprintf(buf + len, size - len, "no options");
    for (int k = 0; k < count && len < size; k++) {
        const cliopt *o = &spec->opts[k];
        const char *sep = k == 0 ? "" : k == count - 1 ? " or " : ", ";
        char s[4] = "";
        if (o->short_name)
            snprintf(s, sizeof s, "-%c/", o->short_name);
        const char *vn = o->value_name ? o->value_name : "VALUE";
        if (o->kind == CLIOPT_FLAG)
            len += (size_t)snprintf(buf + len, size - len, "%s%s--%s", sep, s, o->name);
        else if (o->flags & CLIOPT_OPTARG)
            len += (size_t)snprintf(buf + len, size - len, "%s%s--%s[=%s]", sep, s, o->name, vn);
        else
            len += (size_t)snprintf(buf + len, size - len, "%s%s--%s %s", sep, s, o->name, vn);
    }
    return buf;
}

static int take_value(const cliopt_spec *spec, cliopt *o, const char *name, const char *v)
{
    if (o->kind == CLIOPT_STRING) {
        *(const char **)o->dest = v;
        return 0;
    }
    long long lo = o->min, hi = o->max;
    if (lo == 0 && hi == 0)
        hi = LLONG_MAX;
    long long n;
    if (parse_int(v, lo, hi, &n) != 0) {
        if (lo == 0 && hi == LLONG_MAX)
            return USAGE(spec->cmd, "%s needs a whole number, not \"%s\"", name, v);
        return USAGE(spec->cmd, "%s needs a whole number from %lld to %lld, not \"%s\"", name, lo, hi, v);
    }
    *(long long *)o->dest = n;
    return 0;
}

static int unexpected(const cliopt_spec *spec, char **argv, const char *a)
{
    const char *h = spec->hint ? spec->hint : "";
    const char *sep = spec->hint ? "; " : "";
    if (spec->max_args == 0)
        return USAGE(spec->cmd, "takes no arguments (got \"%s\"%s%s)", a, sep, h);
    if (spec->max_args == 1)
        return USAGE(spec->cmd, "one %s at a time (got %s and %s)", spec->arg_name ? spec->arg_name : "argument",
                     argv[1], a);
    return USAGE(spec->cmd, "at most %d arguments (\"%s\" is one too many%s%s)", spec->max_args, a, sep, h);
}

/* "-o, --output FILE", "--keys[=man]": the option as `--help` lists it. */
static const char *spelled(const cliopt *o, char *buf, size_t size)
{
    const char *vn = o->value_name ? o->value_name : "VALUE";
    char s[8] = "    ";
    if (o->short_name)
        snprintf(s, sizeof s, "-%c, ", o->short_name);
    if (o->kind == CLIOPT_FLAG)
        snprintf(buf, size, "%s--%s", s, o->name);
    else if (o->flags & CLIOPT_OPTARG)
        snprintf(buf, size, "%s--%s[=%s]", s, o->name, vn);
    else
        snprintf(buf, size, "%s--%s %s", s, o->name, vn);
    return buf;
}

void cliopt_help(const cliopt_spec *spec, FILE *out)
{
    const cli_command *c = cli_find(spec->cmd);
    fprintf(out, "usage: fbreview %s%s%s\n", spec->cmd, c && c->args[0] ? " " : "", c ? c->args : "");
    if (c)
        fprintf(out, "\n%s\n", c->summary);
    fputs("\noptions:\n", out);
    char buf[96];
    for (const cliopt *o = spec->opts; o && o->name; o++)
        fprintf(out, "  %-24s %s\n", spelled(o, buf, sizeof buf), o->help ? o->help : "");
    fprintf(out, "  %-24s %s\n", "-h, --help", "print this help and exit");
    fputs("\nglobal options (before the command): --db PATH, --reviewer NAME, --config FILE, --read-only.\n"
          "See fbreview(1) for the whole reference.\n",
          out);
}

static int is_help(const char *a) { return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0; }

int cliopt_parse(cliopt_spec *spec, int argc, char **argv)
{
    int n = 0, options = 1;
    spec->exit_status = 2;   /* what a usage error below leaves */
    for (cliopt *o = spec->opts; o && o->name; o++)
        o->seen = 0;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (options && strcmp(a, "--") == 0) {
            options = 0;
            continue;
        }
        if (!options || a[0] != '-' || a[1] == '\0') {
            if (spec->max_args >= 0 && n >= spec->max_args)
                return unexpected(spec, argv, a);
            argv[++n] = a;   /* n < i: nothing unread is overwritten */
            if (spec->options_first)
                options = 0;
            continue;
        }
        if (is_help(a)) {
            cliopt_help(spec, stdout);
            spec->exit_status = 0;
            return -1;
        }
        char name[64];
        const char *v = NULL;
        cliopt *o = match(spec->opts, a, &v);
        typed(a, name, sizeof name);
        if (!o) {
            char known[512];
            return USAGE(spec->cmd, "unknown option \"%s\" (%s)", a, list_options(spec, known, sizeof known));
        }
        if (o->seen && !(o->flags & CLIOPT_REPEAT))
            return USAGE(spec->cmd, "%s given twice", name);
        o->seen++;
        if (o->kind == CLIOPT_FLAG) {
            if (v)
                return USAGE(spec->cmd, "%s takes no value (got \"%s\")", name, v);
            *(int *)o->dest = o->seen;
            continue;
        }
        if (!v && (o->flags & CLIOPT_OPTARG))
            v = "";
        else if (!v && i + 1 < argc)
            v = argv[++i];
        if (!v || (!*v && (o->flags & CLIOPT_NONEMPTY)))
            return USAGE(spec->cmd, "%s needs %s", name, o->needs ? o->needs : "a value");
        int rc = take_value(spec, o, name, v);
        if (rc)
            return rc;
    }
    if (n < spec->min_args) {
        if (spec->missing)
            return USAGE(spec->cmd, "%s", spec->missing);
        return USAGE(spec->cmd, "name the %s", spec->arg_name ? spec->arg_name : "arguments");
    }
    spec->exit_status = 0;
    return n;
}

const cliopt *cliopt_find(const cliopt_spec *spec, const char *name)
{
    for (const cliopt *o = spec->opts; o && o->name; o++)
        if (strcmp(o->name, name) == 0)
            return o;
    return NULL;
}
