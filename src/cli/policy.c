/* fbreview upstream policy publish FILE | policy show [VERSION] — the team's policy.
 *
 * A policy is config text in the config's own format holding only [policy] and [ladder];
 * publish checks it exactly as the console would load it (FILE:LINE on a bad key or
 * value) and puts it upstream as a new version (admins only). Consoles pull the current
 * version with every sync and, with an upstream configured, use it over their own config
 * for these settings (cli_apply_team_policy). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/cli.h"
#include "fbreview/cliopt.h"
#include "fbreview/policy.h"
#include "fbreview/sync.h"
#include "fbreview/timeutil.h"
#include "fbreview/upstream.h"

/* The sections a team policy may hold (the rest stays each console's own). */
static const char *const policy_sections[] = {"policy", "ladder"};

static int is_policy_section(const char *name, size_t n)
{
    for (size_t i = 0; i < sizeof policy_sections / sizeof policy_sections[0]; i++)
        if (strlen(policy_sections[i]) == n && strncmp(policy_sections[i], name, n) == 0)
            return 1;
    return 0;
}

static char *read_all(const char *path, fb_err *err)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fb_err_set(err, FB_EINPUT, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    char chunk[8192];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (len + got + 1 > cap) {
            size_t nc = cap ? cap * 2 : 16384;
            while (nc < len + got + 1)
                nc *= 2;
            char *nb = realloc(buf, nc);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap = nc;
        }
        memcpy(buf + len, chunk, got);
        len += got;
    }
    int bad = ferror(f) || (!buf && len);
    if (f != stdin)
        fclose(f);
    if (bad) {
        free(buf);
        fb_err_set(err, FB_EINPUT, "reading %s failed", path);
        return NULL;
    }
    if (!buf && !(buf = calloc(1, 1)))
        fb_err_set(err, FB_ENOMEM, "out of memory");
    else
        buf[len] = '\0';
    return buf;
}

/* Sections other than [policy] and [ladder], and [policy] version (which only a pulled
 * policy sets), are refused naming FILE:LINE. */
static fb_status check_sections(const char *path, const char *text, fb_err *err)
{
    int line = 0, in_policy = 0;
    for (const char *p = text; *p;) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        line++;
        const char *s = p;
        while (s < p + n && (*s == ' ' || *s == '\t'))
            s++;
        if (s < p + n && *s == '[') {
            const char *close = memchr(s, ']', (size_t)(p + n - s));
            size_t len = close ? (size_t)(close - s - 1) : 0;
            if (!close || !is_policy_section(s + 1, len))
                return fb_err_set(err, FB_EINPUT,
                                  "%s:%d: section %.*s is not part of the team policy (only [policy] and [ladder])",
                                  path, line, (int)n, p);
            in_policy = len == 6 && strncmp(s + 1, "policy", 6) == 0;
        } else if (in_policy && strncmp(s, "version", 7) == 0 && strchr(" \t=", s[7])) {
            return fb_err_set(err, FB_EINPUT, "%s:%d: version: set by upstream when the policy is published, not in the file",
                              path, line);
        }
        p = eol ? eol + 1 : p + n;
    }
    return FB_OK;
}

static int policy_publish(fb_app *app, const char *path)
{
    fb_err err = {0};
    char *text = read_all(path, &err);
    if (!text)
        return cli_fail(&err);
    int rc = 0;
    fb_config *cfg = config_defaults();
    fb_policy *pol = NULL;
    char *settings = NULL;
    if (!cfg) {
        fb_err_set(&err, FB_ENOMEM, "out of memory");
        rc = cli_fail(&err);
    } else if (check_sections(path, text, &err) != FB_OK || config_apply_text(cfg, path, text, &err) != FB_OK ||
               policy_load(cfg, &pol, &err) != FB_OK) {
        rc = cli_fail(&err);
    } else if (!(settings = upstream_policy_settings(cfg))) {
        fb_err_set(&err, FB_ENOMEM, "out of memory");
        rc = cli_fail(&err);
    }
    if (rc == 0) {
        fb_upstream *up = NULL;
        int v = 0;
        if (upstream_connect(app->upstream, &up, &err) != FB_OK || upstream_check_schema(up, &err) != FB_OK ||
            upstream_policy_publish(up, text, settings, &v, &err) != FB_OK)
            rc = cli_fail(&err);
        else
            printf("published the team policy as version %d (upstream judges with %s); consoles take it at their "
                   "next sync\n", v, settings);
        upstream_close(&up);
    }
    policy_free(&pol);
    config_free(&cfg);
    free(settings);
    free(text);
    return rc;
}

static int policy_show(fb_app *app, int version)
{
    fb_err err = {0};
    fb_upstream *up = NULL;
    int v = 0, rc = 0;
    char *body = NULL, by[128];
    int64_t at = 0;
    if (upstream_connect(app->upstream, &up, &err) != FB_OK || upstream_check_schema(up, &err) != FB_OK ||
        upstream_policy_get(up, version, &v, &body, by, &at, &err) != FB_OK) {
        rc = cli_fail(&err);
    } else if (v == 0) {
        if (version)
            fprintf(stderr, "fbreview: upstream has no policy version %d\n", version);
        else
            fprintf(stderr, "fbreview: no team policy is published upstream yet (fbreview upstream policy publish FILE)\n");
        rc = 1;
    } else {
        char t[40];
        printf("# team policy version %d, published by %s at %s\n", v, by, fb_time_format_utc(at, t, sizeof t));
        fputs(body, stdout);
        if (*body && body[strlen(body) - 1] != '\n')
            putchar('\n');
    }
    free(body);
    upstream_close(&up);
    return rc;
}

int cli_upstream_policy(fb_app *app, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage("upstream", "policy needs publish FILE or show [VERSION]");
    if (strcmp(argv[1], "publish") == 0) {
        cliopt_spec spec = {.cmd = "upstream", .min_args = 1, .max_args = 1, .arg_name = "file",
                            .missing = "policy publish needs one FILE (or - for stdin)"};
        if (cliopt_parse(&spec, argc - 1, argv + 1) < 0)
            return 2;
        return policy_publish(app, argv[2]);
    }
    if (strcmp(argv[1], "show") == 0) {
        cliopt_spec spec = {.cmd = "upstream", .max_args = 1, .arg_name = "version"};
        if (cliopt_parse(&spec, argc - 1, argv + 1) < 0)
            return 2;
        long v = 0;
        if (argc > 2) {
            char *end = NULL;
            v = strtol(argv[2], &end, 10);
            if (!*argv[2] || *end || v < 1 || v > 1000000000)
                return cli_usage("upstream", "policy show: VERSION is a whole number from 1 (got \"%s\")", argv[2]);
        }
        return policy_show(app, (int)v);
    }
    return cli_usage("upstream", "policy: unknown subcommand \"%s\" (publish FILE or show [VERSION])", argv[1]);
}

typedef struct textbuf {
    char *p;
    size_t len, cap;
    int bad;
} textbuf;

static void tb_add(textbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->bad)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 4096;
        while (nc < b->len + n + 1)
            nc *= 2;
        char *np = realloc(b->p, nc);
        if (!np) {
            b->bad = 1;
            return;
        }
        b->p = np;
        b->cap = nc;
    }
    memcpy(b->p + b->len, s, n + 1);
    b->len += n;
}

int cli_apply_team_policy(fb_app *app)
{
    if (!app->upstream || !*app->upstream || !app->db_path)
        return 0;
    FILE *probe = fopen(app->db_path, "rb");
    if (!probe)
        return 0;   /* a new store: nothing pulled yet */
    fclose(probe);
    fb_err err = {0};
    fb_store *s = NULL;
    if (store_open(app->db_path, STORE_READONLY, &s, &err) != FB_OK)
        return 0;   /* the command reports the store's problem itself */
    int v = 0;
    char *body = NULL;
    (void)sync_team_policy(s, &v, &body, &err);
    store_close(&s);
    if (!v) {
        free(body);
        return 0;
    }
    /* Every default of these sections first (from the options table), so the team policy
     * replaces the local config's values, not only the keys it names. */
    textbuf b = {0};
    for (size_t i = 0; i < sizeof policy_sections / sizeof policy_sections[0]; i++) {
        tb_add(&b, "[");
        tb_add(&b, policy_sections[i]);
        tb_add(&b, "]\n");
        for (int id = 0; id < OPT_COUNT; id++) {
            const fb_option *o = config_option((fb_option_id)id);
            if (strcmp(o->section, policy_sections[i]) != 0 || !o->def)
                continue;
            tb_add(&b, o->key);
            tb_add(&b, " = ");
            tb_add(&b, o->def);
            tb_add(&b, "\n");
        }
    }
    char vl[48];
    snprintf(vl, sizeof vl, "\n[policy]\nversion = %d\n", v);
    tb_add(&b, "\n");
    tb_add(&b, body);
    tb_add(&b, vl);
    free(body);
    char name[64];
    snprintf(name, sizeof name, "team policy v%d (upstream)", v);
    int rc = 0;
    if (b.bad) {
        fb_err_set(&err, FB_ENOMEM, "out of memory applying the team policy");
        rc = cli_fail(&err);
    } else if (config_apply_text(app->cfg, name, b.p, &err) != FB_OK)
        rc = cli_fail(&err);
    free(b.p);
    return rc;
}
