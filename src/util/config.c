/* INI configuration on libinih: entries kept in file order, last one wins on lookup. */
#include "fbreview/config.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data_files.h"
#include "fbreview/mem.h"

struct fb_config {
    fb_config_entry *e;
    size_t n;
    const char *cur_file;
    char **files;        /* owned copies of file names */
    size_t n_files;
    int cur_line;        /* Debian's inih has no line numbers in the handler: our reader counts */
};

/* A line reader for ini_parse_stream over a FILE or a string, counting lines. */
struct line_src {
    fb_config *cfg;
    FILE *f;
    const char *text;
};

static char *read_line(char *buf, int size, void *stream)
{
    struct line_src *src = stream;
    char *r;
    if (src->f) {
        r = fgets(buf, size, src->f);
    } else {
        if (!*src->text)
            return NULL;
        int n = 0;
        while (n < size - 1 && src->text[n] && src->text[n] != '\n')
            n++;
        if (src->text[n] == '\n' && n < size - 1)
            n++;
        memcpy(buf, src->text, (size_t)n);
        buf[n] = '\0';
        src->text += n;
        r = buf;
    }
    if (r)
        src->cfg->cur_line++;
    return r;
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
    char **slot = fb_xgrow((void **)&cfg->files, &cfg->n_files, sizeof *slot);
    *slot = fb_strdup(name);
    return *slot;
}

fb_status config_apply_text(fb_config *cfg, const char *name, const char *text, fb_err *err)
{
    cfg->cur_file = intern_file(cfg, name);
    struct line_src src = {cfg, NULL, text};
    cfg->cur_line = 0;
    int rc = ini_parse_stream(read_line, &src, on_entry, cfg);
    if (rc != 0)
        return fb_err_set(err, FB_EINPUT, "%s:%d: cannot parse this line (expected `key = value` or `[section]`)",
                          name, rc);
    return FB_OK;
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
        exit(1);
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
            cfg->cur_file = intern_file(cfg, path);
            struct line_src src = {cfg, f, NULL};
            cfg->cur_line = 0;
            int rc = ini_parse_stream(read_line, &src, on_entry, cfg);
            fclose(f);
            if (rc != 0) {
                fb_err_set(err, FB_EINPUT, "%s:%d: cannot parse this line (expected `key = value` or `[section]`)",
                           path, rc);
                config_free(&cfg);
                return FB_EINPUT;
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
