/* INI configuration on libinih: entries kept in file order, last one wins on lookup. */
#include "fbreview/config.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data_files.h"
#include "fbreview/model.h"

struct fb_config {
    fb_config_entry *e;
    size_t n;
    const char *cur_file;
    char **files;        /* owned copies of file names */
    size_t n_files;
    int cur_line;        /* Debian's inih has no line numbers in the handler: our reader counts */
};

/* A line reader for ini_parse_stream over a FILE or a string, counting lines. inih's line
 * buffer is fixed (INI_MAX_LINE, 200 bytes in Debian's build): a longer line would reach it
 * in pieces, each parsed as a line of its own (a value cut short, its tail read as another
 * entry, every later line number off). Such a line ends the parse instead and is refused. */
struct line_src {
    fb_config *cfg;
    FILE *f;
    const char *text;
    int too_long;        /* the line number of a line that did not fit, 0 if none */
    int max;             /* the longest line that fits, in bytes */
};

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
        if (len > (size_t)size - 1)
            fits = 0;
        n = len < (size_t)size - 1 ? len : (size_t)size - 1;
        memcpy(buf, src->text, n);
        buf[n] = '\0';
        src->text += len + (src->text[len] == '\n');
    }
    src->cfg->cur_line++;
    if (!fits) {
        src->too_long = src->cfg->cur_line;
        src->max = size - 1;
        return NULL;
    }
    return buf;
}

static int on_entry(void *user, const char *section, const char *key, const char *value)
{
    fb_config *cfg = user;
    fb_config_entry *e = fb_grow((void **)&cfg->e, &cfg->n, sizeof *e);
    if (!e)
        return 0;
    e->section = fb_strdup(section);
    e->key = fb_strdup(key);
    e->value = fb_strdup(value ? value : "");
    e->file = cfg->cur_file;
    e->line = cfg->cur_line;
    return 1;
}

static const char *intern_file(fb_config *cfg, const char *name)
{
    char **slot = fb_grow((void **)&cfg->files, &cfg->n_files, sizeof *slot);
    *slot = fb_strdup(name);
    return *slot;
}

/* Parses one source (a FILE or a string) named name on top of cfg. */
static fb_status parse(fb_config *cfg, const char *name, FILE *f, const char *text, fb_err *err)
{
    cfg->cur_file = intern_file(cfg, name);
    struct line_src src = {cfg, f, text, 0, 0};
    cfg->cur_line = 0;
    int rc = ini_parse_stream(read_line, &src, on_entry, cfg);
    if (src.too_long && (rc == 0 || rc >= src.too_long))
        return fb_err_set(err, FB_EINPUT,
                          "%s:%d: line longer than %d bytes; shorten it (a long upstream connection string "
                          "fits in a libpq service file: upstream = service=NAME)",
                          name, src.too_long, src.max);
    if (rc != 0)
        return fb_err_set(err, FB_EINPUT, "%s:%d: cannot parse this line (expected `key = value` or `[section]`)",
                          name, rc);
    return FB_OK;
}

fb_status config_apply_text(fb_config *cfg, const char *name, const char *text, fb_err *err)
{
    return parse(cfg, name, NULL, text, err);
}

static const char *default_text(void)
{
    for (const struct fb_data_file *f = fb_data_files; f->name; f++)
        if (strcmp(f->name, "default.conf") == 0)
            return f->text;
    return "";
}

fb_config *config_defaults(void)
{
    fb_config *cfg = calloc(1, sizeof *cfg);
    if (!cfg)
        return NULL;
    fb_err err;
    if (config_apply_text(cfg, "(built-in defaults)", default_text(), &err) != FB_OK) {
        /* The defaults ship with the binary; a parse error is a build bug. */
        fprintf(stderr, "fbreview: %s\n", err.msg);
        abort();
    }
    return cfg;
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
            fb_status st = parse(cfg, path, f, NULL, err);
            fclose(f);
            if (st != FB_OK) {
                config_free(&cfg);
                return st;
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
    for (size_t i = 0; i < cfg->n; i++) {
        free(cfg->e[i].section);
        free(cfg->e[i].key);
        free(cfg->e[i].value);
    }
    for (size_t i = 0; i < cfg->n_files; i++)
        free(cfg->files[i]);
    free(cfg->files);
    free(cfg->e);
    free(cfg);
    *cp = NULL;
}

static const fb_config_entry *find(const fb_config *cfg, const char *section, const char *key)
{
    for (size_t i = cfg->n; i-- > 0;)
        if (strcmp(cfg->e[i].section, section) == 0 && strcmp(cfg->e[i].key, key) == 0)
            return &cfg->e[i];
    return NULL;
}

const char *config_get(const fb_config *cfg, const char *section, const char *key, const char *def)
{
    const fb_config_entry *e = cfg ? find(cfg, section, key) : NULL;
    return e ? e->value : def;
}

fb_status config_get_int(const fb_config *cfg, const char *section, const char *key, int def, int min,
                         int max, int *out, fb_err *err)
{
    const fb_config_entry *e = cfg ? find(cfg, section, key) : NULL;
    if (!e) {
        *out = def;
        return FB_OK;
    }
    char *end;
    errno = 0;
    long v = strtol(e->value, &end, 10);
    if (errno || end == e->value || *end || v < min || v > max)
        return fb_err_set(err, FB_EINPUT, "%s:%d: [%s] %s: expected a whole number from %d to %d, got \"%s\"",
                          e->file, e->line, section, key, min, max, e->value);
    *out = (int)v;
    return FB_OK;
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
