/* libFuzzer target: the config parser (src/util/config.c on libinih) applied on top of the
 * built-in defaults, then what reads it: every entry, integer settings, the policy and the
 * key map. Bad input must come back as an error naming where, never a crash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/config.h"
#include "fbreview/keymap.h"
#include "fbreview/policy.h"
#include "fbreview/sync.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int input_lines;

static fb_status each(void *ctx, const fb_config_entry *e, fb_err *err)
{
    (void)err;
    size_t *n = ctx;
    if (!e->section || !e->key || !e->value || !e->file)
        abort();
    /* An entry of ours names a line the input has (no line read in pieces). */
    if (strcmp(e->file, "fuzz.conf") == 0 && (e->line < 1 || e->line > input_lines))
        abort();
    *n += strlen(e->value);
    return FB_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    input_lines = 1;
    for (const char *p = text; (p = strchr(p, '\n')); p++)
        input_lines++;
    fb_config *cfg = config_defaults();
    fb_err err = {0};
    if (config_apply_text(cfg, "fuzz.conf", text, &err) != FB_OK) {
        if (err.msg[0] == '\0')
            abort();
    } else {
        size_t n = 0;
        static const char *const sections[] = {"ladder", "policy", "keys", "sync", "console", "fuzz"};
        for (size_t i = 0; i < sizeof sections / sizeof *sections; i++)
            if (config_each(cfg, sections[i], each, &n, &err) != FB_OK)
                abort();
        /* Every setting of the table, read the way its type says. */
        for (int id = 0; id < OPT_COUNT; id++) {
            const fb_option *o = config_option((fb_option_id)id);
            if (!o)
                abort();
            if (o->type == OPT_INT) {
                long v = config_int(cfg, (fb_option_id)id);
                if (v < o->min || v > o->max)
                    abort();   /* a value outside its range got past the check */
            } else if (o->type == OPT_BOOL) {
                (void)config_bool(cfg, (fb_option_id)id);
            } else {
                (void)config_str(cfg, (fb_option_id)id);
            }
        }
        (void)sync_batch_size(cfg);
        fb_policy *p = NULL;
        if (policy_load(cfg, &p, &err) == FB_OK)
            policy_free(&p);
        else if (err.msg[0] == '\0')
            abort();
        fb_keymap *km = NULL;
        if (keymap_load(cfg, &km, &err) == FB_OK)
            keymap_free(&km);
        else if (err.msg[0] == '\0')
            abort();
    }
    config_free(&cfg);
    free(text);
    return 0;
}
