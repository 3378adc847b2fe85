/* Keys from the terminal, or from a script (tig's way): one line per step, keys like
 * `j`, `<Down>`, `<Enter>`, `<C-x>`, `<Resize 80x24>`, or a `:command` line; `#` starts
 * a comment. The next scripted key is handed out only when the caller asks for it, i.e.
 * after the previous one was fully handled, so there is no timing. */
#include "tui_private.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

fb_status input_open_script(tui *t, const char *path, fb_err *err)
{
    t->script = fopen(path, "r");
    if (!t->script)
        return fb_err_set(err, FB_EIO, "cannot read script %s: %s", path, strerror(errno));
    return FB_OK;
}

/* Reads the next script line that has something to do; 0 at the end. */
static int next_line(tui *t)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    free(t->script_buf);
    t->script_buf = NULL;
    t->script_pos = 0;
    while ((n = getline(&line, &cap, t->script)) >= 0) {
        t->script_line++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0 || line[0] == '#')
            continue;
        t->script_buf = line;
        return 1;
    }
    free(line);
    return 0;
}

/* One key from the current script line; 0 when the line is used up. */
static int script_key(tui *t, int *key)
{
    const char *p = t->script_buf + t->script_pos;
    if (!*p)
        return 0;
    if (*p == '<') {
        const char *end = strchr(p, '>');
        if (end) {
            char name[64];
            size_t len = (size_t)(end - p + 1);
            if (len < sizeof name) {
                memcpy(name, p, len);
                name[len] = '\0';
                int w, h;
                if (sscanf(name, "<Resize %dx%d>", &w, &h) == 2) {
                    t->script_pos += len;
                    /* A forced size (tests): curses takes it as if the terminal had changed. */
                    if (w > 0 && h > 0)
                        resizeterm(h, w);
                    *key = TUI_KEY_RESIZE;
                    return 1;
                }
                if (keymap_key_parse(name, key) == 0) {
                    t->script_pos += len;
                    return 1;
                }
            }
        }
    }
    mbstate_t st;
    memset(&st, 0, sizeof st);
    wchar_t wc;
    size_t used = mbrtowc(&wc, p, strlen(p), &st);
    if (used == (size_t)-1 || used == (size_t)-2 || used == 0) {
        t->script_pos++;
        *key = 0xFFFD;
        return 1;
    }
    t->script_pos += used;
    *key = (int)wc;
    return 1;
}

int input_get(tui *t, int *key)
{
    if (t->script) {
        for (;;) {
            if (t->script_buf && script_key(t, key))
                return IN_KEY;
            if (!next_line(t))
                return IN_END;
            if (t->script_buf[0] == ':') {
                snprintf(t->script_cmd, sizeof t->script_cmd, "%s", t->script_buf + 1);
                t->script_pos = strlen(t->script_buf);
                *key = TUI_KEY_CMD;
                return IN_KEY;
            }
        }
    }
    wint_t wc;
    int rc = get_wch(&wc);
    if (rc == ERR)
        return IN_NONE;
    if (rc == KEY_CODE_YES) {
        *key = (int)(KM_KEY_FN + (int)wc);
        if (wc == KEY_ENTER)
            *key = '\n';
    } else {
        *key = wc == '\r' ? '\n' : (int)wc;
    }
    return IN_KEY;
}
