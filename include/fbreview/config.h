#ifndef FBREVIEW_CONFIG_H
#define FBREVIEW_CONFIG_H
/* INI configuration (libinih). The built-in defaults are config text (data/default.conf)
 * read first; the user's file ($XDG_CONFIG_HOME/fbreview/config) is applied on top.
 * Later entries with the same section and key win; repeated keys (e.g. `bind`) are all kept. */

#include "fbreview/err.h"

typedef struct fb_config fb_config;

typedef struct fb_config_entry {
    char *section, *key, *value;
    const char *file;     /* where it came from, for error messages */
    int line;
} fb_config_entry;

/* Defaults plus the file at path (a missing file is fine unless required). */
fb_status config_load(const char *path, int required,
                      fb_config **out,       /* OUT */
                      fb_err *err);
/* Defaults only (tests). */
fb_config *config_defaults(void);
/* Applies more config text on top (tests, --set). name is used in error messages. */
fb_status config_apply_text(fb_config *cfg, const char *name, const char *text, fb_err *err);
void config_free(fb_config **cfg);

/* The last value for section/key, or def. */
const char *config_get(const fb_config *cfg, const char *section, const char *key, const char *def);
/* An integer in [min,max]; FB_EINPUT naming file:line when it is not. */
fb_status config_get_int(const fb_config *cfg, const char *section, const char *key, int def,
                         int min, int max, int *out, fb_err *err);
/* Every entry of a section, in order (defaults first). */
typedef fb_status (*config_each_fn)(void *ctx, const fb_config_entry *e, fb_err *err);
fb_status config_each(const fb_config *cfg, const char *section, config_each_fn fn, void *ctx, fb_err *err);

#endif
