/* Readline inside curses, as tig's prompt.c: readline reads keys through rl_getc_function
 * (so scripted keys reach it too) and draws through rl_redisplay_function on the last
 * line; it never touches the terminal itself (no prep/deprep, no signal handlers, no
 * LINES/COLUMNS in the environment). */
#include "tui_private.h"

#include <fcntl.h>
#include <readline/history.h>
#include <readline/readline.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>

#include "fbreview/paths.h"
#include "fbreview/text.h"

static tui *cur;                 /* the console a prompt is open in (one at a time) */
static const char *prefill_text;
static int cancelled;
static unsigned char pending[8];
static int n_pending, pos_pending;
static FILE *rl_null;
static HISTORY_STATE *cmd_history;
static char *history_path;

static void no_prep(int meta) { (void)meta; }
/* Readline would look for typeahead on its own stdin (and skip redisplays when it thinks
 * some is there); our keys come only through getc_fn. */
static int no_typeahead(void) { return 0; }
static void no_deprep(void) {}

static int startup_hook(void)
{
    if (prefill_text && *prefill_text)
        rl_insert_text(prefill_text);
    return 0;
}

static void redisplay(void)
{
    if (!cur)
        return;
    int y = cur->lines - 1, cols = cur->cols;
    const char *p = rl_display_prompt ? rl_display_prompt : "";
    size_t pw = text_width(p, strlen(p));
    size_t before = text_width(rl_line_buffer, (size_t)rl_point);
    /* Scroll the line so the cursor stays visible on narrow screens. */
    size_t room = cols > (int)pw + 2 ? (size_t)cols - pw - 1 : 1;
    size_t skip = before >= room ? before - room + 1 : 0;
    const char *text = rl_line_buffer;
    size_t off = 0, w = 0;
    while (skip && text[off]) {
        /* Skip whole characters worth `skip` columns. */
        mbstate_t st;
        memset(&st, 0, sizeof st);
        wchar_t wc;
        size_t n = mbrtowc(&wc, text + off, strlen(text + off), &st);
        if (n == (size_t)-1 || n == (size_t)-2 || n == 0)
            n = 1;
        w += text_width(text + off, n);
        off += n;
        if (w >= skip)
            break;
    }
    move(y, 0);
    clrtoeol();
    int used = draw_clip(y, 0, cols - 1, AT_BOLD, p, 0);
    draw_clip(y, used, cols - 1 - used, AT_NORMAL, text + off, 0);
    size_t cx = pw + text_width(text + off, (size_t)rl_point > off ? (size_t)rl_point - off : 0);
    move(y, (int)(cx < (size_t)cols ? cx : (size_t)cols - 1));
    refresh();
}

static int getc_fn(FILE *f)
{
    (void)f;
    for (;;) {
        if (pos_pending < n_pending)
            return pending[pos_pending++];
        if (tui_signalled || cur->quit) {
            cancelled = 1;
            return '\n';
        }
        int key;
        int r = input_get(cur, &key);
        if (r == IN_END) {
            /* The script ended inside a prompt: cancel it and quit (the implicit quit). */
            cur->quit = 1;
            cancelled = 1;
            return '\n';
        }
        if (r == IN_NONE)
            continue;
        if (key == TUI_KEY_RESIZE) {
            tui_handle_resize(cur);
            redisplay();
            continue;
        }
        if (key == TUI_KEY_CMD) {
            command_in_modal(cur);
            continue;
        }
        if (key == 27 || key == 7) {          /* Esc or C-g: cancel */
            cancelled = 1;
            return '\n';
        }
        if (key == '\n' || key == '\r')
            return '\n';
        if (key >= KM_KEY_FN) {
            switch (key - KM_KEY_FN) {
            case KEY_LEFT: return 2;          /* C-b */
            case KEY_RIGHT: return 6;         /* C-f */
            case KEY_HOME: return 1;          /* C-a */
            case KEY_END: return 5;           /* C-e */
            case KEY_UP: return 16;           /* C-p: history */
            case KEY_DOWN: return 14;         /* C-n */
            case KEY_BACKSPACE: return 127;
            case KEY_DC: return rl_end > rl_point ? 4 : 0;   /* C-d on an empty line would be EOF */
            default: continue;
            }
        }
        if (key < 0x80)
            return key;
        mbstate_t st;
        memset(&st, 0, sizeof st);
        char mb[8];
        size_t n = wcrtomb(mb, (wchar_t)key, &st);
        if (n == (size_t)-1)
            continue;
        memcpy(pending, mb, n);
        n_pending = (int)n;
        pos_pending = 1;
        return pending[0];
    }
}

/* Tab completion on the command line: command names, then each command's arguments
 * (queue names, codes, statuses, actions, sort keys, tabs) from command_candidate, and
 * file names (readline's own, `~` included) where a file goes. */
static char cmpl_cmd[32];
static int cmpl_argno, cmpl_i;
static const char *const *cmpl_words;   /* prompt_read_words: Tab completes from these */
static size_t cmpl_n_words;

static char *candidate_gen(const char *text, int state)
{
    if (state == 0)
        cmpl_i = 0;
    size_t n = strlen(text);
    for (;;) {
        int file = 0;
        const char *w = cmpl_words ? ((size_t)cmpl_i < cmpl_n_words ? cmpl_words[cmpl_i++] : NULL)
                                   : command_candidate(cmpl_cmd[0] ? cmpl_cmd : NULL, cmpl_argno, cmpl_i++, &file);
        if (!w)
            return NULL;
        if (strncmp(w, text, n) == 0)
            return fb_strdup(w);
    }
}

static char **complete(const char *text, int start, int end)
{
    (void)end;
    rl_attempted_completion_over = 1;   /* never readline's default (file names everywhere) */
    /* The words before the one completed: the first is the command. */
    char before[4096];
    snprintf(before, sizeof before, "%.*s", start, rl_line_buffer);
    char *save = NULL, *w = strtok_r(before, " \t", &save);
    cmpl_cmd[0] = '\0';
    cmpl_argno = 0;
    if (w) {
        while (*w == ':')
            w++;
        snprintf(cmpl_cmd, sizeof cmpl_cmd, "%s", w);
        cmpl_argno = 1;
        while (strtok_r(NULL, " \t", &save))
            cmpl_argno++;
    }
    int file = 0;
    if (cmpl_cmd[0] && !cmpl_words)
        (void)command_candidate(cmpl_cmd, cmpl_argno, 0, &file);
    char **m = rl_completion_matches(text, file ? rl_filename_completion_function : candidate_gen);
    /* "code=" and the like take their value next: no space after them. */
    if (m && !m[1] && *m[0] && m[0][strlen(m[0]) - 1] == '=')
        rl_completion_suppress_append = 1;
    return m;
}

/* Several matches: they show on the hint line above the prompt (readline would print
 * them to its stream, which is /dev/null here). */
static void show_matches(char **matches, int n, int max_len)
{
    (void)max_len;
    char list[1024] = "";
    size_t len = 0;
    for (int i = 1; i <= n && len + 2 < sizeof list; i++) {
        const char *m = matches[i];
        const char *base = strrchr(m, '/');   /* file names: the last part, as shells show */
        if (base && base[1])
            m = base + 1;
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i > 1 ? "  " : "", m);
    }
    draw_clip(cur->lines - 2, 0, cur->cols, AT_BOLD, list, 1);
    redisplay();
}

void prompt_init(tui *t)
{
    (void)t;
    rl_readline_name = "fbreview";
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_change_environment = 0;
    rl_getc_function = getc_fn;
    rl_redisplay_function = redisplay;
    rl_prep_term_function = no_prep;
    rl_deprep_term_function = no_deprep;
    rl_startup_hook = startup_hook;
    rl_input_available_hook = no_typeahead;
    rl_null = fopen("/dev/null", "w");
    rl_outstream = rl_null;
    rl_inhibit_completion = 1;   /* on for the command line only (prompt_read) */
    rl_attempted_completion_function = complete;
    rl_completion_display_matches_hook = show_matches;
    /* Words break at blanks only: "code=self_hire" and "~/x.csv" are one word each. */
    rl_completer_word_break_characters = (char *)" \t";
    rl_completion_query_items = 1000;   /* a list is never a "Display all?" question */
    using_history();
    history_path = paths_history();
    if (history_path)
        read_history(history_path);
    cmd_history = history_get_history_state();
}

void prompt_done(tui *t)
{
    (void)t;
    if (cmd_history) {
        free(cmd_history);
        cmd_history = NULL;
    }
    clear_history();
    free(history_path);
    history_path = NULL;
    if (rl_null)
        fclose(rl_null);
    rl_null = NULL;
    rl_outstream = NULL;
}

static void ensure_parent(const char *path)
{
    char *dir = fb_strdup(path);
    for (char *p = dir + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(dir, 0700);
            *p = '/';
        }
    }
    free(dir);
}

char *prompt_read_words(tui *t, const char *prompt, const char *const *words, size_t n)
{
    cmpl_words = words;
    cmpl_n_words = n;
    rl_inhibit_completion = 0;
    char *line = prompt_read(t, prompt, NULL, -1);
    cmpl_words = NULL;
    cmpl_n_words = 0;
    return line;
}

char *prompt_read(tui *t, const char *prompt, const char *prefill, int history)
{
    static HISTORY_STATE empty;
    HISTORY_STATE *saved = NULL;
    cur = t;
    cancelled = 0;
    n_pending = pos_pending = 0;
    prefill_text = prefill;
    /* Rationales and notes do not share the command line's history. */
    if (!history) {
        saved = history_get_history_state();
        history_set_history_state(&empty);
    }
    if (history < 0)
        history = 0;   /* prompt_read_words: its own completion, no history */
    else
        rl_inhibit_completion = !history;
    curs_set(1);
    char *line = readline(prompt);
    curs_set(0);
    if (!history && saved) {
        history_set_history_state(saved);
        free(saved);
    }
    prefill_text = NULL;
    if (cancelled || !line) {
        free(line);
        line = NULL;
    } else if (history && *line && history_path) {
        add_history(line);
        ensure_parent(history_path);
        /* Append this one line so other consoles' history is kept. The file is created
         * 0600 here (readline appends only to a file that exists): commands name cases
         * and accounts of people under investigation. */
        int fd = open(history_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
        if (fd >= 0)
            close(fd);
        append_history(1, history_path);
        history_truncate_file(history_path, 1000);
    }
    move(t->lines - 1, 0);
    clrtoeol();
    return line;
}
