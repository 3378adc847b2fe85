/* INI configuration on libinih, checked line by line against FB_OPTION_TABLE. Entries are
 * kept in file order; the last one wins on lookup (repeatable keys such as `bind` are all
 * kept for config_each). */
#include "fbreview/config.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "data_files.h"
#include "fbreview/mem.h"

static const fb_option options[OPT_COUNT] = {
#define FB_X(id, sec, key, type, min, max, def, choices, help) [id] = {sec, key, type, min, max, def, choices, help},
    FB_OPTION_TABLE(FB_X)
#undef FB_X
};

struct fb_config {
    fb_config_entry *e;
    size_t n;
    const char *cur_file;
    char **files;        /* owned copies of file names */
    size_t n_files;
    int cur_line;        /* Debian's inih has no line numbers in the handler: our reader counts */
    fb_err *err;         /* the first bad line while parsing */
};

const fb_option *config_option(fb_option_id id)
{
    return (int)id >= 0 && id < OPT_COUNT ? &options[id] : NULL;
}

/* ---- checking a value against its row ---- */

static int parse_long(const char *v, long *out)
{
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (errno || end == v || *end)
        return -1;
    *out = x;
    return 0;
}

static int parse_bool(const char *v, int *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"}, *const no[] = {"false", "no", "off", "0"};
    for (int i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0)
            return *out = 1, 0;
        if (strcasecmp(v, no[i]) == 0)
            return *out = 0, 0;
    }
    return -1;
}

/* Does v match one form of choices ("a|b N|c")? A form "word N" wants the word, one space
 * and a whole number in [min, max]. */
static int choice_ok(const fb_option *o, const char *v)
{
    for (const char *f = o->choices; *f;) {
        size_t len = strcspn(f, "|");
        const char *sp = memchr(f, ' ', len);
        size_t wlen = sp ? (size_t)(sp - f) : len;
        if (strncmp(v, f, wlen) == 0) {
            if (!sp && v[wlen] == '\0')
                return 1;
            long n;
            /* digits right after the one space: no sign, no second space, no tab */
            if (sp && v[wlen] == ' ' && isdigit((unsigned char)v[wlen + 1]) && parse_long(v + wlen + 1, &n) == 0 &&
                n >= o->min && n <= o->max)
                return 1;
        }
        f += len;
        if (*f == '|')
            f++;
    }
    return 0;
}

static fb_status check_value(const fb_option *o, const char *file, int line, const char *v, fb_err *err)
{
    long n;
    int b;
    switch (o->type) {
    case OPT_INT:
        if (parse_long(v, &n) != 0 || n < o->min || n > o->max)
            return fb_err_set(err, FB_EINPUT, "%s:%d: [%s] %s: expected a whole number from %ld to %ld, got \"%s\"",
                              file, line, o->section, o->key, o->min, o->max, v);
        return FB_OK;
    case OPT_BOOL:
        if (parse_bool(v, &b) != 0)
            return fb_err_set(err, FB_EINPUT, "%s:%d: [%s] %s: expected true or false, got \"%s\"", file, line,
                              o->section, o->key, v);
        return FB_OK;
    case OPT_CHOICE:
        if (!choice_ok(o, v) && strstr(o->choices, " N"))
            return fb_err_set(err, FB_EINPUT, "%s:%d: [%s] %s: expected %s (N from %ld to %ld), got \"%s\"", file,
                              line, o->section, o->key, o->choices, o->min, o->max, v);
        if (!choice_ok(o, v))   /* a choice without a number form (approver_role) */
            return fb_err_set(err, FB_EINPUT, "%s:%d: [%s] %s: expected %s, got \"%s\"", file, line, o->section,
                              o->key, o->choices, v);
        return FB_OK;
    case OPT_STRING:
    case OPT_BIND:
        return FB_OK;
    }
    return FB_OK;
}

/* The row for section/key; FB_EINPUT naming the line and what is known there. */
static fb_status find_option(const char *file, int line, const char *section, const char *key, fb_option_id *out,
                             fb_err *err)
{
    int section_known = 0;
    char known[512] = "";
    size_t len = 0;
    for (int i = 0; i < OPT_COUNT; i++) {
        if (strcmp(options[i].section, section) != 0)
            continue;
        section_known = 1;
        if (strcmp(options[i].key, key) == 0)
            return *out = (fb_option_id)i, FB_OK;
        if (len < sizeof known)
            len += (size_t)snprintf(known + len, sizeof known - len, "%s%s", len ? ", " : "", options[i].key);
    }
    if (section_known)
        return fb_err_set(err, FB_EINPUT, "%s:%d: [%s] %s: unknown setting (known here: %s)", file, line, section,
                          key, known);
    len = 0;
    for (int i = 0; i < OPT_COUNT; i++) {
        if (i > 0 && strcmp(options[i].section, options[i - 1].section) == 0)
            continue;
        if (len < sizeof known)
            len += (size_t)snprintf(known + len, sizeof known - len, "%s[%s]", len ? " " : "", options[i].section);
    }
    if (!*section)
        return fb_err_set(err, FB_EINPUT, "%s:%d: %s: a setting outside any section (sections: %s)", file, line, key,
                          known);
    return fb_err_set(err, FB_EINPUT, "%s:%d: [%s]: unknown section (sections: %s)", file, line, section, known);
}

/* ---- reading ---- */

/* A line reader for ini_parse_stream over a FILE or a string, counting lines. inih's line
 * buffer is fixed (INI_MAX_LINE, 200 bytes in Debian's build): a longer line would reach it
 * in pieces, each parsed as a line of its own (a value cut short, its tail read as another
 * entry, every later line number off). Such a line ends the parse instead and is refused. */
struct line_src {
    fb_config *cfg;
    FILE *f;
    const char *text;
};

static int section_known(const char *name, size_t len)
{
    for (int i = 0; i < OPT_COUNT; i++)
        if (strlen(options[i].section) == len && strncmp(options[i].section, name, len) == 0)
            return 1;
    return 0;
}

/* An unknown section is refused on its own line, even when no key follows it. */
static int check_section_line(fb_config *cfg, const char *line)
{
    line += strspn(line, " \t");
    if (*line != '[')
        return 1;
    size_t len = strcspn(line + 1, "]");
    if (line[1 + len] != ']' || section_known(line + 1, len))
        return 1;   /* not a header (inih reports it), or a known one */
    if (len == 0) {
        fb_err_set(cfg->err, FB_EINPUT, "%s:%d: []: a section needs a name", cfg->cur_file, cfg->cur_line);
        return 0;
    }
    fb_option_id id;
    char name[128];
    snprintf(name, sizeof name, "%.*s", (int)(len < sizeof name - 1 ? len : sizeof name - 1), line + 1);
    find_option(cfg->cur_file, cfg->cur_line, name, "", &id, cfg->err);
    return 0;
}

static char *read_line(char *buf, int size, void *stream)
{
    struct line_src *src = stream;
    size_t n = 0;
    int fits = 1;
    if (src->f) {
        if (!fgets(buf, size, src->f))
            return NULL;
        n = strlen(buf);
        if (n == 0 || buf[n - 1] != '\n') {
            /* Full buffer with no newline: fine only when the newline or the end is next. */
            int c = getc(src->f);
            if (c != EOF && c != '\n') {
                ungetc(c, src->f);
                fits = 0;
            }
        }
    } else {
        if (!*src->text)
            return NULL;
        size_t len = strcspn(src->text, "\n");
        fits = len <= (size_t)size - 1;
        n = fits ? len : (size_t)size - 1;
        memcpy(buf, src->text, n);
        buf[n] = '\0';
        src->text += len + (src->text[len] == '\n');
    }
    src->cfg->cur_line++;
    if (!fits) {
        if (src->cfg->err && src->cfg->err->status == FB_OK)
            fb_err_set(src->cfg->err, FB_EINPUT,
                       "%s:%d: line longer than %d bytes; shorten it (a long upstream connection string fits "
                       "in a libpq service file: upstream = service=NAME)",
                       src->cfg->cur_file, src->cfg->cur_line, size - 1);
        return NULL;   /* ends the parse; parse() reports the error */
    }
    if (!check_section_line(src->cfg, buf))
        return NULL;   /* ends the parse; parse() reports the error */
    return buf;
}

static int on_entry(void *user, const char *section, const char *key, const char *value)
{
    fb_config *cfg = user;
    fb_option_id id;
    if (!value)
        value = "";
    if (find_option(cfg->cur_file, cfg->cur_line, section, key, &id, cfg->err) != FB_OK ||
        check_value(&options[id], cfg->cur_file, cfg->cur_line, value, cfg->err) != FB_OK)
        return 0;
    fb_config_entry *e = fb_xgrow((void **)&cfg->e, &cfg->n, sizeof *e);
    e->section = fb_strdup(section);
    e->key = fb_strdup(key);
    e->value = fb_strdup(value);
    e->file = cfg->cur_file;
    e->line = cfg->cur_line;
    e->opt = id;
    return 1;
}

static const char *intern_file(fb_config *cfg, const char *name)
{
    char **slot = fb_xgrow((void **)&cfg->files, &cfg->n_files, sizeof *slot);
    *slot = fb_strdup(name);
    return *slot;
}

static void drop_from(fb_config *cfg, size_t keep)
{
    while (cfg->n > keep) {
        fb_config_entry *e = &cfg->e[--cfg->n];
        free(e->section);
        free(e->key);
        free(e->value);
    }
}

/* Parses one source; on any error the entries it added are dropped. */
static fb_status parse(fb_config *cfg, const char *name, FILE *f, const char *text, fb_err *err)
{
    size_t keep = cfg->n;
    cfg->cur_file = intern_file(cfg, name);
    cfg->cur_line = 0;
    fb_err local = {0};
    cfg->err = &local;
    struct line_src src = {cfg, f, text};
    int rc = ini_parse_stream(read_line, &src, on_entry, cfg);
    cfg->err = NULL;
    if (rc == 0 && local.status == FB_OK)
        return FB_OK;
    drop_from(cfg, keep);
    if (local.status != FB_OK) {   /* our check refused a line */
        if (err)
            *err = local;
        return local.status;
    }
    if (rc < 0)
        return fb_err_set(err, FB_EIO, "cannot read config %s", name);
    return fb_err_set(err, FB_EINPUT, "%s:%d: cannot parse this line (expected `key = value` or `[section]`)", name,
                      rc);
}

fb_status config_apply_text(fb_config *cfg, const char *name, const char *text, fb_err *err)
{
    return parse(cfg, name, NULL, text, err);
}

fb_config *config_defaults(void)
{
    return calloc(1, sizeof(fb_config));
}

fb_status config_load(const char *path, int required, fb_config **out, fb_err *err)
{
    *out = NULL;
    fb_config *cfg = config_defaults();
    if (!cfg)
        return fb_err_set(err, FB_ENOMEM, "out of memory reading the config");
    if (path) {
        FILE *f = fopen(path, "r");
        if (!f) {
            if (required || errno != ENOENT) {
                fb_err_set(err, FB_EIO, "cannot read config %s: %s", path, strerror(errno));
                config_free(&cfg);
                return FB_EIO;
            }
        } else {
            fb_status rc = parse(cfg, path, f, NULL, err);
            fclose(f);
            if (rc != FB_OK) {
                config_free(&cfg);
                return rc;
            }
        }
    }
    *out = cfg;
    return FB_OK;
}

void config_free(fb_config **cp)
{
    fb_config *cfg = cp ? *cp : NULL;
    if (!cfg)
        return;
    drop_from(cfg, 0);
    for (size_t i = 0; i < cfg->n_files; i++)
        free(cfg->files[i]);
    free(cfg->files);
    free(cfg->e);
    free(cfg);
    *cp = NULL;
}

/* ---- values ---- */

const fb_config_entry *config_entry(const fb_config *cfg, fb_option_id id)
{
    for (size_t i = cfg ? cfg->n : 0; i-- > 0;)
        if (cfg->e[i].opt == id)
            return &cfg->e[i];
    return NULL;
}

const char *config_str(const fb_config *cfg, fb_option_id id)
{
    const fb_config_entry *e = config_entry(cfg, id);
    const fb_option *o = config_option(id);
    return e ? e->value : o ? o->def : NULL;
}

long config_int(const fb_config *cfg, fb_option_id id)
{
    const char *v = config_str(cfg, id);
    long n = 0;
    /* Loading checked every line and the table's defaults are checked by a unit test. */
    if (!v || parse_long(v, &n) != 0)
        return 0;
    return n;
}

int config_bool(const fb_config *cfg, fb_option_id id)
{
    const char *v = config_str(cfg, id);
    int b = 0;
    if (!v || parse_bool(v, &b) != 0)
        return 0;
    return b;
}

fb_status config_each(const fb_config *cfg, const char *section, config_each_fn fn, void *ctx, fb_err *err)
{
    for (size_t i = 0; cfg && i < cfg->n; i++) {
        if (strcmp(cfg->e[i].section, section) != 0)
            continue;
        fb_status rc = fn(ctx, &cfg->e[i], err);
        if (rc != FB_OK)
            return rc;
    }
    return FB_OK;
}

/* ---- the defaults as a file and as the manual's section ---- */

static const char *data_text(const char *name)
{
    for (const struct fb_data_file *f = fb_data_files; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f->text;
    return "";
}

/* Text as roff: a leading dot or quote would be a request, a backslash an escape. */
static void roff_text(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\')
            fputs("\\e", out);
        else if (*s == '-')
            fputs("\\-", out);
        else
            fputc(*s, out);
    }
}

/* A comment block of help text, wrapped at 88 columns. */
static void comment(FILE *out, const char *s)
{
    while (*s) {
        size_t take = strlen(s);
        if (take > 86) {
            take = 86;
            while (take > 0 && s[take] != ' ')
                take--;
            if (take == 0)
                take = strcspn(s, " ");
        }
        fprintf(out, "# %.*s\n", (int)take, s);
        s += take;
        while (*s == ' ')
            s++;
    }
}

static void range_words(const fb_option *o, char *buf, size_t n)
{
    switch (o->type) {
    case OPT_INT: snprintf(buf, n, "a whole number from %ld to %ld", o->min, o->max); break;
    case OPT_BOOL: snprintf(buf, n, "true or false"); break;
    case OPT_CHOICE:
        if (strstr(o->choices, " N"))
            snprintf(buf, n, "%s (N from %ld to %ld)", o->choices, o->min, o->max);
        else
            snprintf(buf, n, "%s", o->choices);
        break;
    case OPT_STRING: snprintf(buf, n, "text"); break;
    case OPT_BIND: snprintf(buf, n, "KEY ACTION, repeatable"); break;
    }
}

void config_print_defaults(FILE *out, int roff)
{
    if (!roff)
        fputs("# fbreview settings: every one, at its default (generated by `fbreview --defaults`).\n"
              "# Your config ($XDG_CONFIG_HOME/fbreview/config, or --config FILE) uses the same format;\n"
              "# a line there wins over the default. An unknown section or key, or a value of the\n"
              "# wrong type or out of range, is an error naming the file and line.\n",
              out);
    for (int i = 0; i < OPT_COUNT; i++) {
        const fb_option *o = &options[i];
        int new_section = i == 0 || strcmp(o->section, options[i - 1].section) != 0;
        char range[160];
        range_words(o, range, sizeof range);
        if (roff) {
            if (new_section)
                fprintf(out, ".SS [%s]\n", o->section);
            fputs(".TP\n.B \"", out);
            roff_text(out, o->key);
            fputs(" = ", out);
            roff_text(out, o->def ? o->def : (o->type == OPT_BIND ? "KEY ACTION" : "(unset)"));
            fputs("\"\n\\&", out);   /* \& : the help never reads as a request */
            roff_text(out, o->help);
            fputs(" Value: ", out);
            roff_text(out, range);
            fputs(".\n", out);
            continue;
        }
        if (new_section)
            fprintf(out, "\n[%s]\n", o->section);
        comment(out, o->help);
        fprintf(out, "# Value: %s.\n", range);
        if (o->type == OPT_BIND) {
            /* The built-in bindings, as data/keys.conf gives them. */
            const char *t = data_text("keys.conf");
            while (*t) {
                size_t len = strcspn(t, "\n");
                if (strncmp(t, "bind", 4) == 0)
                    fprintf(out, "%.*s\n", (int)len, t);
                t += len + (t[len] == '\n');
            }
        } else if (o->def) {
            fprintf(out, "%s = %s\n", o->key, o->def);
        } else {
            fprintf(out, "# %s =\n", o->key);
        }
    }
}
