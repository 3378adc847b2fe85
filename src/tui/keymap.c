/* Key bindings: the action table, key names, and loading `bind` entries. */
#include "fbreview/keymap.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>
#include <wchar.h>

#include "data_files.h"
#include "fbreview/model.h"

_Static_assert(KM_ACTION_BASE > KEY_MAX, "action ids must not collide with curses keys");

const km_action_info km_actions[] = {
#define KM_X(id, name, ctx, flags, hint, hctx, prio, help) {id, name, ctx, flags, hint, hctx, prio, help},
    KM_ACTION_TABLE(KM_X)
#undef KM_X
};

const km_action_info *keymap_action(km_action a)
{
    if (a <= ACT_NONE || a >= ACT_END)
        return NULL;
    return &km_actions[a - ACT_NONE - 1];
}

km_action keymap_action_from_name(const char *name)
{
    for (int i = 0; i < KM_N_ACTIONS; i++)
        if (strcmp(km_actions[i].name, name) == 0)
            return km_actions[i].id;
    return ACT_NONE;
}

static const struct {
    const char *name;
    int key;
} named_keys[] = {
    {"Up", KM_KEY_FN + KEY_UP},         {"Down", KM_KEY_FN + KEY_DOWN},
    {"Left", KM_KEY_FN + KEY_LEFT},     {"Right", KM_KEY_FN + KEY_RIGHT},
    {"PgUp", KM_KEY_FN + KEY_PPAGE},    {"PgDn", KM_KEY_FN + KEY_NPAGE},
    {"Home", KM_KEY_FN + KEY_HOME},     {"End", KM_KEY_FN + KEY_END},
    {"BackTab", KM_KEY_FN + KEY_BTAB},  {"Backspace", KM_KEY_FN + KEY_BACKSPACE},
    {"Delete", KM_KEY_FN + KEY_DC},     {"Insert", KM_KEY_FN + KEY_IC},
    {"Enter", '\n'},                    {"Tab", '\t'},
    {"Esc", 27},                        {"Space", ' '},
    {"LessThan", '<'},
};

int keymap_key_parse(const char *name, int *key)
{
    size_t n = strlen(name);
    if (n == 0)
        return -1;
    if (name[0] != '<' || n == 1) {
        /* One character, in UTF-8. */
        mbstate_t st;
        memset(&st, 0, sizeof st);
        wchar_t wc;
        size_t used = mbrtowc(&wc, name, n, &st);
        if (used == (size_t)-1 || used == (size_t)-2 || used != n || wc < 32 || wc == 127)
            return -1;
        *key = (int)wc;
        return 0;
    }
    if (name[n - 1] != '>')
        return -1;
    char inner[32];
    if (n - 2 >= sizeof inner)
        return -1;
    memcpy(inner, name + 1, n - 2);
    inner[n - 2] = '\0';
    for (size_t i = 0; i < sizeof named_keys / sizeof named_keys[0]; i++)
        if (strcasecmp(inner, named_keys[i].name) == 0) {
            *key = named_keys[i].key;
            return 0;
        }
    if ((inner[0] == 'C' || inner[0] == 'c') && inner[1] == '-' && inner[2] && !inner[3]) {
        int c = inner[2];
        if (c >= 'a' && c <= 'z')
            c -= 32;
        if (c < '@' || c > '_')
            return -1;
        *key = c - '@';
        return 0;
    }
    if ((inner[0] == 'F' || inner[0] == 'f') && inner[1]) {
        char *end;
        long f = strtol(inner + 1, &end, 10);
        if (*end || f < 1 || f > 12)
            return -1;
        *key = KM_KEY_FN + KEY_F((int)f);
        return 0;
    }
    return -1;
}

char *keymap_key_name(int key, char *buf, size_t n)
{
    for (size_t i = 0; i < sizeof named_keys / sizeof named_keys[0]; i++)
        if (named_keys[i].key == key && key != '<') {
            snprintf(buf, n, "<%s>", named_keys[i].name);
            return buf;
        }
    if (key >= KM_KEY_FN + KEY_F(1) && key <= KM_KEY_FN + KEY_F(12)) {
        snprintf(buf, n, "<F%d>", key - KM_KEY_FN - KEY_F0);
    } else if (key > 0 && key < 32) {
        snprintf(buf, n, "<C-%c>", (char)(key + 'a' - 1));
    } else if (key >= 32 && key < KM_KEY_FN) {
        mbstate_t st;
        memset(&st, 0, sizeof st);
        char mb[8];
        size_t len = wcrtomb(mb, (wchar_t)key, &st);
        if (len == (size_t)-1 || len >= n)
            snprintf(buf, n, "<U+%04X>", (unsigned)key);
        else {
            memcpy(buf, mb, len);
            buf[len] = '\0';
        }
    } else {
        snprintf(buf, n, "<key %d>", key);
    }
    return buf;
}

char *keymap_key_short(int key, char *buf, size_t n)
{
    keymap_key_name(key, buf, n);
    size_t len = strlen(buf);
    if (len > 2 && buf[0] == '<' && buf[len - 1] == '>') {
        memmove(buf, buf + 1, len - 2);
        buf[len - 2] = '\0';
    }
    return buf;
}

typedef struct km_binding {
    int context;        /* one KM_* bit */
    int key;
    km_action action;   /* ACT_NONE: explicitly unbound */
    int line;
    int layer;          /* 0 built-in, 1+ later files */
} km_binding;

struct fb_keymap {
    km_binding *b;
    size_t n;
    int layer;
    char layer_name[512]; /* the file being read: a new name starts a new layer */
};

static km_binding *find_binding(fb_keymap *km, int context, int key)
{
    for (size_t i = 0; i < km->n; i++)
        if (km->b[i].context == context && km->b[i].key == key)
            return &km->b[i];
    return NULL;
}

static fb_status bind_one(fb_keymap *km, const char *file, int line, int key, km_action a, int contexts,
                          fb_err *err)
{
    for (int ctx = 1; ctx < (1 << KM_CONTEXTS); ctx <<= 1) {
        if (!(contexts & ctx))
            continue;
        km_binding *b = find_binding(km, ctx, key);
        if (b && b->layer == km->layer) {
            char kn[16];
            const km_action_info *old = keymap_action(b->action);
            return fb_err_set(err, FB_EINPUT,
                              "%s:%d: key %s is already bound to \"%s\" (line %d) in the same context; "
                              "bind each key once",
                              file, line, keymap_key_name(key, kn, sizeof kn), old ? old->name : "none",
                              b->line);
        }
        if (!b) {
            b = fb_grow((void **)&km->b, &km->n, sizeof *b);
            if (!b)
                return fb_err_set(err, FB_ENOMEM, "out of memory loading key bindings");
        }
        *b = (km_binding){ctx, key, a, line, km->layer};
    }
    return FB_OK;
}

static fb_status on_key_entry(void *ctx, const fb_config_entry *e, fb_err *err)
{
    fb_keymap *km = ctx;
    if (strcmp(km->layer_name, e->file) != 0) {
        snprintf(km->layer_name, sizeof km->layer_name, "%s", e->file);
        km->layer++;
    }
    if (strcmp(e->key, "bind") != 0)
        return fb_err_set(err, FB_EINPUT, "%s:%d: [keys] %s: unknown setting; write `bind = KEY ACTION`",
                          e->file, e->line, e->key);
    char keyname[64], action[64], extra[8];
    int got = sscanf(e->value, "%63s %63s %7s", keyname, action, extra);
    if (got != 2)
        return fb_err_set(err, FB_EINPUT, "%s:%d: bind: expected `bind = KEY ACTION`, got \"%s\"", e->file,
                          e->line, e->value);
    int key;
    if (keymap_key_parse(keyname, &key) != 0)
        return fb_err_set(err, FB_EINPUT,
                          "%s:%d: bind: unknown key name \"%s\" (a character, <Down>, <C-x>, <F1>, <Space> ...)",
                          e->file, e->line, keyname);
    if (strcmp(action, "none") == 0)
        return bind_one(km, e->file, e->line, key, ACT_NONE, (1 << KM_CONTEXTS) - 1, err);
    km_action a = keymap_action_from_name(action);
    const km_action_info *ai = keymap_action(a);
    if (!ai)
        return fb_err_set(err, FB_EINPUT, "%s:%d: bind: unknown action \"%s\" (see the help overlay, `?`)",
                          e->file, e->line, action);
    return bind_one(km, e->file, e->line, key, a, ai->contexts, err);
}

static const char *builtin_keys(void)
{
    for (const struct fb_data_file *f = fb_data_files; f->name; f++)
        if (strcmp(f->name, "keys.conf") == 0)
            return f->text;
    return "";
}

fb_status keymap_apply_text(fb_keymap *km, const char *name, const char *text, fb_err *err)
{
    fb_config *tmp = config_defaults();
    if (!tmp)
        return fb_err_set(err, FB_ENOMEM, "out of memory loading key bindings");
    fb_status rc = config_apply_text(tmp, name, text, err);
    if (rc == FB_OK)
        rc = config_each(tmp, "keys", on_key_entry, km, err);
    config_free(&tmp);
    return rc;
}

fb_status keymap_load(const fb_config *cfg, fb_keymap **out, fb_err *err)
{
    *out = NULL;
    fb_keymap *km = calloc(1, sizeof *km);
    if (!km)
        return fb_err_set(err, FB_ENOMEM, "out of memory loading key bindings");
    fb_config *tmp = config_defaults();
    fb_status rc = tmp ? config_apply_text(tmp, "(built-in keys)", builtin_keys(), err)
                       : fb_err_set(err, FB_ENOMEM, "out of memory loading key bindings");
    if (rc == FB_OK)
        rc = config_each(tmp, "keys", on_key_entry, km, err);
    if (rc == FB_OK && cfg)
        rc = config_each(cfg, "keys", on_key_entry, km, err);
    config_free(&tmp);
    if (rc != FB_OK) {
        keymap_free(&km);
        return rc;
    }
    *out = km;
    return FB_OK;
}

void keymap_free(fb_keymap **kmp)
{
    if (!kmp || !*kmp)
        return;
    free((*kmp)->b);
    free(*kmp);
    *kmp = NULL;
}

km_action keymap_lookup(const fb_keymap *km, int context, int key)
{
    for (size_t i = 0; i < km->n; i++)
        if (km->b[i].context == context && km->b[i].key == key)
            return km->b[i].action;
    return ACT_NONE;
}

size_t keymap_keys_for(const fb_keymap *km, km_action a, int context, int *keys, size_t max)
{
    size_t got = 0;
    for (size_t i = 0; i < km->n && got < max; i++)
        if (km->b[i].context == context && km->b[i].action == a)
            keys[got++] = km->b[i].key;
    return got;
}

size_t keymap_hints(const fb_keymap *km, int hctx, int ctx, int cols, km_applies_fn applies, void *arg, km_hint *out,
                    size_t max)
{
    char chosen[KM_N_ACTIONS] = {0};
    int keys[KM_N_ACTIONS] = {0};
    int width = 0;
    /* By priority: 0 (help) first, so it always has its room; then 1, 2, ... while they fit. */
    for (int prio = 0; prio <= 99; prio++) {
        for (int i = 0; i < KM_N_ACTIONS; i++) {
            const km_action_info *ai = &km_actions[i];
            if (ai->hint_prio != prio || !ai->hint || !(ai->hint_contexts & hctx) || chosen[i])
                continue;
            if (applies && !applies(ai, arg))
                continue;
            int k;
            if (keymap_keys_for(km, ai->id, ctx, &k, 1) != 1)
                continue;
            char kn[16];
            int w = (int)(strlen(keymap_key_short(k, kn, sizeof kn)) + 1 + strlen(ai->hint)) + KM_HINT_GAP;
            if (width + w > cols)
                continue;     /* a shorter one of lower priority may still fit */
            width += w;
            chosen[i] = 1;
            keys[i] = k;
        }
    }
    size_t n = 0;
    /* The keys of the moment (priority 1: approve, send back, ...) first, then the rest in
     * table order, help at the end where people look for it. */
    for (int pass = 0; pass < 3; pass++)
        for (int i = 0; i < KM_N_ACTIONS && n < max; i++) {
            int p = km_actions[i].hint_prio;
            if (chosen[i] && (pass == 0 ? p == 1 : pass == 1 ? p > 1 : p == 0))
                out[n++] = (km_hint){km_actions[i].id, keys[i], km_actions[i].hint};
        }
    return n;
}

/* The key list for people and for the manual page, from the same table as the help. */
void keymap_print(const fb_keymap *km, FILE *out, int roff)
{
    for (int i = 0; i < KM_N_ACTIONS; i++) {
        const km_action_info *ai = &km_actions[i];
        int ctx = ai->contexts & KM_MAIN ? KM_MAIN : KM_HELP;
        int keys[8];
        size_t n = keymap_keys_for(km, ai->id, ctx, keys, 8);
        char list[128] = "";
        size_t len = 0;
        for (size_t k = 0; k < n && len < sizeof list - 24; k++) {
            char kn[16];
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", k ? " " : "",
                                    keymap_key_name(keys[k], kn, sizeof kn));
        }
        if (roff) {
            /* roff: a leading dot or quote would be a request; backslashes are escapes. */
            fputs(".TP\n.B \"", out);
            for (const char *p = n ? list : "(unbound)"; *p; p++) {
                if (*p == '\\')
                    fputs("\\e", out);
                else if (*p == '"')
                    fputs("\\(dq", out);
                else
                    fputc(*p, out);
            }
            fprintf(out, "\"\n%s \\(em %s\n", ai->name, ai->help);
        } else {
            fprintf(out, "%-20s %-14s %s\n", n ? list : "(unbound)", ai->name, ai->help);
        }
    }
}
