/* fbreview upstream policy publish FILE [--lexicon FILE] [--frames FILE] | policy show
 * [VERSION] [--rules] — the team's policy.
 *
 * A policy is config text in the config's own format holding only [policy] and [ladder];
 * publish checks it exactly as the console would load it (FILE:LINE on a bad key or
 * value), takes from it the settings upstream's judge reads (upstream_policy_settings),
 * optionally adds the analyser's phrase rules (checked as a console builds its analyser),
 * and puts it upstream as a new version (admins only). Consoles pull the current version
 * with every sync and, with an upstream configured, use it over their own config for
 * these settings (cli_apply_team_policy); its phrase rules over their store's (ingest). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/analyse.h"
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

/* The phrase rules a policy carries: both files, or one and the built-in other; checked
 * exactly as a console will build its analyser from them (FILE:LINE: field: problem). */
static fb_status read_rules(const char *lex_path, const char *frames_path, upstream_policy *pol, fb_err *err)
{
    if (!lex_path && !frames_path)
        return FB_OK;
    pol->lexicon = lex_path ? read_all(lex_path, err) : fb_strdup(analyser_default_lexicon());
    pol->frames = pol->lexicon ? frames_path ? read_all(frames_path, err) : fb_strdup(analyser_default_frames()) : NULL;
    if (!pol->lexicon || !pol->frames)
        return err->status ? err->status : fb_err_set(err, FB_ENOMEM, "out of memory");
    fb_analyser *a = NULL;
    fb_status rc = analyser_parse(lex_path ? lex_path : "built-in lexicon.tsv", pol->lexicon,
                                  frames_path ? frames_path : "built-in frames.tsv", pol->frames, &a, err);
    analyser_free(&a);
    return rc;
}

static int policy_publish(fb_app *app, const char *path, const char *lex_path, const char *frames_path)
{
    fb_err err = {0};
    upstream_policy pol = {0};
    pol.body = read_all(path, &err);
    if (!pol.body)
        return cli_fail(&err);
    int rc = 0;
    fb_config *cfg = config_defaults();
    fb_policy *loaded = NULL;
    if (!cfg) {
        fb_err_set(&err, FB_ENOMEM, "out of memory");
        rc = cli_fail(&err);
    } else if (check_sections(path, pol.body, &err) != FB_OK || config_apply_text(cfg, path, pol.body, &err) != FB_OK ||
               policy_load(cfg, &loaded, &err) != FB_OK || read_rules(lex_path, frames_path, &pol, &err) != FB_OK) {
        rc = cli_fail(&err);
    } else if (!(pol.settings = upstream_policy_settings(cfg))) {
        fb_err_set(&err, FB_ENOMEM, "out of memory");
        rc = cli_fail(&err);
    }
    if (rc == 0) {
        fb_upstream *up = NULL;
        if (upstream_connect(app->upstream, &up, &err) != FB_OK || upstream_check_schema(up, &err) != FB_OK ||
            upstream_policy_publish(up, &pol, &err) != FB_OK)
            rc = cli_fail(&err);
        else
            printf("published the team policy as version %d (upstream judges with %s%s); consoles take it at their "
                   "next sync\n", pol.version, pol.settings, pol.lexicon ? "; with phrase rules" : "");
        upstream_close(&up);
    }
    policy_free(&loaded);
    config_free(&cfg);
    upstream_policy_clear(&pol);
    return rc;
}

/* Prints a version: the config text, then the phrase rules it carries (each as a comment
 * header and the file's lines), so the output can be read back by policy publish's checks
 * part by part. */
static int policy_show(fb_app *app, int version, int rules)
{
    fb_err err = {0};
    fb_upstream *up = NULL;
    int rc = 0;
    upstream_policy pol = {0};
    if (upstream_connect(app->upstream, &up, &err) != FB_OK || upstream_check_schema(up, &err) != FB_OK ||
        upstream_policy_get(up, version, &pol, &err) != FB_OK) {
        rc = cli_fail(&err);
    } else if (pol.version == 0) {
        if (version)
            fprintf(stderr, "fbreview: upstream has no policy version %d\n", version);
        else
            fprintf(stderr, "fbreview: no team policy is published upstream yet (fbreview upstream policy publish FILE)\n");
        rc = 1;
    } else {
        char t[40];
        printf("# team policy version %d, published by %s at %s\n", pol.version, pol.published_by,
               fb_time_format_utc(pol.published_at, t, sizeof t));
        printf("# upstream judges with %s\n", pol.settings);
        if (!pol.lexicon)
            printf("# phrase rules: none (consoles use their own)\n");
        else if (!rules)
            printf("# phrase rules: lexicon.tsv %zu bytes, frames.tsv %zu bytes (--rules prints them)\n",
                   strlen(pol.lexicon), strlen(pol.frames));
        fputs(pol.body, stdout);
        if (*pol.body && pol.body[strlen(pol.body) - 1] != '\n')
            putchar('\n');
        const char *part[][2] = {{"lexicon.tsv", pol.lexicon}, {"frames.tsv", pol.frames}};
        for (int i = 0; rules && pol.lexicon && i < 2; i++) {
            printf("# ---- %s ----\n", part[i][0]);
            fputs(part[i][1], stdout);
            if (*part[i][1] && part[i][1][strlen(part[i][1]) - 1] != '\n')
                putchar('\n');
        }
    }
    upstream_policy_clear(&pol);
    upstream_close(&up);
    return rc;
}

void cli_upstream_policy_opts(cliopt out[CLI_POLICY_N_OPTS], const char **lexicon, const char **frames, int *rules)
{
    out[0] = (cliopt){.name = "lexicon", .kind = CLIOPT_STRING, .dest = lexicon, .value_name = "FILE",
                      .flags = CLIOPT_NONEMPTY, .needs = "a file name",
                      .help = "policy publish: these word classes (data/lexicon.tsv's format) as the team's phrase rules"};
    out[1] = (cliopt){.name = "frames", .kind = CLIOPT_STRING, .dest = frames, .value_name = "FILE",
                      .flags = CLIOPT_NONEMPTY, .needs = "a file name",
                      .help = "policy publish: these frames (data/frames.tsv's format) with them (the one not given "
                              "is the built-in file)"};
    out[2] = (cliopt){.name = "rules", .kind = CLIOPT_FLAG, .dest = rules,
                      .help = "policy show: also print the phrase rules the version carries"};
}

int cli_upstream_policy(fb_app *app, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage("upstream", "policy needs publish FILE or show [VERSION]");
    const char *lex = NULL, *frames = NULL;
    int rules = 0;
    cliopt all[CLI_POLICY_N_OPTS];
    cli_upstream_policy_opts(all, &lex, &frames, &rules);
    if (strcmp(argv[1], "publish") == 0) {
        cliopt opts[] = {all[0], all[1], {0}};
        cliopt_spec spec = {.cmd = "upstream", .opts = opts, .min_args = 1, .max_args = 1, .arg_name = "file",
                            .missing = "policy publish needs one FILE (or - for stdin)"};
        if (cliopt_parse(&spec, argc - 1, argv + 1) < 0)
            return spec.exit_status;
        return policy_publish(app, argv[2], lex, frames);
    }
    if (strcmp(argv[1], "show") == 0) {
        cliopt opts[] = {all[2], {0}};
        cliopt_spec spec = {.cmd = "upstream", .opts = opts, .max_args = 1, .arg_name = "version"};
        int n = cliopt_parse(&spec, argc - 1, argv + 1);
        if (n < 0)
            return spec.exit_status;
        long v = 0;
        if (n > 0) {   /* the positional argument, moved to argv[2] */
            char *end = NULL;
            v = strtol(argv[2], &end, 10);
            if (!*argv[2] || *end || v < 1 || v > 1000000000)
                return cli_usage("upstream", "policy show: VERSION is a whole number from 1 (got \"%s\")", argv[2]);
        }
        return policy_show(app, (int)v, rules);
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
