/* The `:` command line: one table of commands, like the keymap. */
#include "tui_private.h"

#include <errno.h>
#include <readline/tilde.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <wchar.h>

#include "fbreview/export.h"
#include "fbreview/text.h"
#include "fbreview/timeutil.h"

typedef tui_result (*cmd_fn)(tui *t, char *args);

static tui_result cmd_quit(tui *t, char *args)
{
    (void)t;
    (void)args;
    return TR_QUIT;
}

static tui_result cmd_goto(tui *t, char *args)
{
    if (!*args)
        tui_message(t, 1, ":goto needs a case id");
    else
        act_goto(t, args);
    return TR_DONE;
}

static tui_result cmd_search(tui *t, char *args)
{
    act_search(t, args);
    return TR_DONE;
}

/* filter code=C status=S risk>=N risk<=N | clear */
static tui_result cmd_filter(tui *t, char *args)
{
    /* The words are the whole filter: what they do not name is cleared. */
    queue_query q = t->queue.q;
    q.code = FB_V_NONE;
    q.status = FB_CS_NONE;
    q.risk_min = 0;
    q.risk_max = 100;
    char *save = NULL;
    for (char *w = strtok_r(args, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
        if (strcmp(w, "clear") == 0 || strcmp(w, "none") == 0) {
            q.code = FB_V_NONE;
            q.status = FB_CS_NONE;
            q.risk_min = 0;
            q.risk_max = 100;
        } else if (strncmp(w, "code=", 5) == 0) {
            q.code = strcmp(w + 5, "any") == 0 ? FB_V_NONE : fb_violation_from_str(w + 5);
            if (q.code == FB_V_NONE && strcmp(w + 5, "any") != 0) {
                tui_message(t, 1, "filter: unknown code \"%.40s\" (fake_job, self_hire, ...)", w + 5);
                return TR_DONE;
            }
        } else if (strncmp(w, "status=", 7) == 0) {
            q.status = strcmp(w + 7, "any") == 0 ? FB_CS_NONE : fb_case_status_from_str(w + 7);
            if (q.status == FB_CS_NONE && strcmp(w + 7, "any") != 0) {
                tui_message(t, 1, "filter: unknown status \"%.40s\" (open, decided, pending_approval, escalated, appealed)", w + 7);
                return TR_DONE;
            }
        } else if (strncmp(w, "risk>=", 6) == 0 || strncmp(w, "risk<=", 6) == 0) {
            char *end;
            long v = strtol(w + 6, &end, 10);
            if (end == w + 6 || *end || v < 0 || v > 100) {
                tui_message(t, 1, "filter: risk takes a number from 0 to 100");
                return TR_DONE;
            }
            if (w[4] == '>')
                q.risk_min = (int)v;
            else
                q.risk_max = (int)v;
        } else {
            tui_message(t, 1, "filter: expected code=C status=S risk>=N risk<=N or clear, not \"%.40s\"", w);
            return TR_DONE;
        }
    }
    t->queue.q = q;
    queue_changed(t);
    queue_load_first(t);
    tui_open_selected(t);
    if (q.code == FB_V_NONE && q.status == FB_CS_NONE && q.risk_min == 0 && q.risk_max == 100)
        tui_message(t, 0, "filter cleared: the whole %s queue", queue_words(q.queue));
    else
        tui_message(t, 0, "filter applied (shown in the queue's title)");
    return TR_DONE;
}

static tui_result cmd_sort(tui *t, char *args)
{
    int s = sort_from_name(args);
    if (s < 0) {
        tui_message(t, 1, "sort: risk, age or sla");
        return TR_DONE;
    }
    t->queue.q.sort = (fb_sort)s;
    queue_load_first(t);
    tui_open_selected(t);
    tui_message(t, 0, "sorted by %s", sort_name((fb_sort)s));
    return TR_DONE;
}

static tui_result cmd_queue(tui *t, char *args)
{
    int q = queue_from_name(args);
    if (q < 0) {
        tui_message(t, 1, "queue: open, mine, appeals, pending, escalated, decided or conflicts");
        return TR_DONE;
    }
    t->queue.q.queue = (fb_queue)q;
    t->queue.q.status = FB_CS_NONE;
    queue_changed(t);
    queue_load_first(t);
    tui_open_selected(t);
    tui_message(t, 0, "queue: %s", queue_words((fb_queue)q));
    return TR_DONE;
}

struct overwrite_ctx {
    const char *path;
    long long bytes;
};

static void build_overwrite(tui *t, tdoc *d, void *vctx)
{
    (void)t;
    const struct overwrite_ctx *c = vctx;
    char safe[512];
    text_clip(c->path, strlen(c->path), 400, 1, safe, sizeof safe);
    doc_add(d, AT_BOLD, safe);
    doc_addf(d, AT_NORMAL, " exists (%lld bytes). The export replaces it whole.", c->bytes);
    doc_nl(d);
}

/* :export FILE [since=T] [until=T] [action=A] [reviewer=R] [raw] — the CLI's export. An
 * existing file is replaced only after a confirmation. */
static tui_result cmd_export(tui *t, char *args)
{
    char *save = NULL;
    char *path = strtok_r(args, " \t", &save);
    export_filter f = {0};
    int raw = 0;
    if (!path) {
        tui_message(t, 1, ":export needs a file name: :export FILE [since=T] [until=T] [action=A] [reviewer=R]");
        return TR_DONE;
    }
    for (char *w = strtok_r(NULL, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
        if (strncmp(w, "since=", 6) == 0 && fb_time_parse(w + 6, &f.since) == 0) {
            f.has_since = 1;
        } else if (strncmp(w, "until=", 6) == 0 && fb_time_parse(w + 6, &f.until) == 0) {
            f.has_until = 1;
        } else if (strncmp(w, "action=", 7) == 0 && fb_action_from_str(w + 7) != FB_A_NONE) {
            f.action = w + 7;
        } else if (strncmp(w, "reviewer=", 9) == 0 && w[9]) {
            f.reviewer = w + 9;
        } else if (strcmp(w, "raw") == 0) {
            raw = 1;
        } else {
            tui_message(t, 1, "export: expected since=RFC3339 until=RFC3339 action=A reviewer=R or raw, not \"%.40s\"", w);
            return TR_DONE;
        }
    }
    long rows = 0;
    fb_err err = {0};
    /* ~ and ~user as the shell would (readline's tilde expansion). */
    char *full = tilde_expand(path);
    struct stat sb;
    if (stat(full, &sb) == 0 && S_ISREG(sb.st_mode)) {
        struct overwrite_ctx c = {full, (long long)sb.st_size};
        if (!dialog_confirm(t, " File exists — y replaces it", build_overwrite, &c)) {
            tui_message(t, 0, "export cancelled; %.200s is unchanged", full);
            free(full);
            return TR_DONE;
        }
    }
    if (export_to_path(t->store, &f, raw, full, NULL, &rows, &err) != FB_OK)
        tui_message(t, 1, "%s", err.msg);
    else
        tui_message(t, 0, "exported %ld decision%s to %.200s", rows, rows == 1 ? "" : "s", full);
    free(full);
    return TR_DONE;
}

static tui_result cmd_sync(tui *t, char *args)
{
    (void)args;
    tui_sync_poll(t, 0);   /* the claim of the case on screen goes with this round */
    if (tui_sync_kick(t)) {
        if (t->script && !tui_sync_wait(t))
            tui_message(t, 1, "sync did not finish in 20 s");
        else
            tui_message(t, 0, t->script ? "sync done" : "sync requested");
        tui_sync_poll(t, 0);
    }
    else
        tui_message(t, 1, "no upstream configured (FBREVIEW_UPSTREAM or [sync] upstream): %lld decisions wait offline",
                    (long long)t->counts.pending_sync);
    return TR_DONE;
}

static tui_result cmd_save_display(tui *t, char *args)
{
    if (tui_save_display(t, args) != 0)
        tui_message(t, 1, "save-display: cannot write %.200s: %s", args, strerror(errno));
    return TR_DONE;
}

static tui_result cmd_tab(tui *t, char *args)
{
    int n = atoi(args);
    if (n < 1 || n > TAB_COUNT) {
        tui_message(t, 1, "tab: 1 to %d", TAB_COUNT);
        return TR_DONE;
    }
    t->tab = n - 1;
    t->doc_valid = 0;
    t->doc_top = 0;
    return TR_DONE;
}

static tui_result cmd_stats(tui *t, char *args)
{
    (void)args;
    stats_open(t);
    return TR_DONE;
}

/* What a command's arguments are, for Tab completion in the prompt (command_candidate). */
typedef enum cmd_args { ARGS_NONE, ARGS_QUEUE, ARGS_FILTER, ARGS_SORT, ARGS_EXPORT, ARGS_TAB, ARGS_FILE } cmd_args;

static const struct {
    const char *name;
    cmd_fn fn;
    cmd_args args;
} commands[] = {
    {"q", cmd_quit, ARGS_NONE},          {"quit", cmd_quit, ARGS_NONE},     {"goto", cmd_goto, ARGS_NONE},
    {"search", cmd_search, ARGS_NONE},   {"filter", cmd_filter, ARGS_FILTER}, {"sort", cmd_sort, ARGS_SORT},
    {"queue", cmd_queue, ARGS_QUEUE},    {"export", cmd_export, ARGS_EXPORT}, {"sync", cmd_sync, ARGS_NONE},
    {"save-display", cmd_save_display, ARGS_FILE},                          {"tab", cmd_tab, ARGS_TAB},
    {"stats", cmd_stats, ARGS_NONE},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

/* "key=value" words built once from the model's tables (codes, statuses, actions). */
static const char *keyed_word(const char *key, const char *value)
{
    static char words[64][48];
    static size_t n;
    for (size_t i = 0; i < n; i++)
        if (strncmp(words[i], key, strlen(key)) == 0 && strcmp(words[i] + strlen(key), value) == 0)
            return words[i];
    if (n == sizeof words / sizeof words[0])
        return NULL;
    snprintf(words[n], sizeof words[n], "%s%s", key, value);
    return words[n++];
}

const char *command_candidate(const char *cmd, int argno, int i, int *file)
{
    static const char *const tabs[] = {
#define FB_T(X, tab, action, num, bind, name, abbr) [tab] = num,
        FB_TAB_TABLE(FB_T, _)
#undef FB_T
    };
    static const char *const filter_keys[] = {"clear", "risk>=", "risk<="};
    static const char *const export_keys[] = {"since=", "until=", "reviewer=", "raw"};
    *file = 0;
    if (!cmd)
        return (size_t)i < N_COMMANDS ? commands[i].name : NULL;
    cmd_args a = ARGS_NONE;
    for (size_t k = 0; k < N_COMMANDS; k++)
        if (strcmp(commands[k].name, cmd) == 0)
            a = commands[k].args;
    switch (a) {
    case ARGS_QUEUE: return argno == 1 && i < QUEUE_COUNT ? queue_name((fb_queue)i) : NULL;
    case ARGS_SORT: return argno == 1 && i < SORT_COUNT ? sort_name((fb_sort)i) : NULL;
    case ARGS_TAB: return argno == 1 && i < TAB_COUNT ? tabs[i] : NULL;
    case ARGS_FILE: *file = argno == 1; return NULL;
    case ARGS_FILTER:
        if (i < 3)
            return filter_keys[i];
        i -= 3;
        if (i < FB_V_COUNT)
            return keyed_word("code=", fb_violation_str((fb_violation)i));
        i -= FB_V_COUNT;
        return i < FB_CS_COUNT ? keyed_word("status=", fb_case_status_str((fb_case_status)i)) : NULL;
    case ARGS_EXPORT:
        if (argno == 1) {
            *file = 1;
            return NULL;
        }
        if (i < 4)
            return export_keys[i];
        i -= 4;
        return i < FB_A_COUNT ? keyed_word("action=", fb_action_str((fb_action)i)) : NULL;
    case ARGS_NONE: break;
    }
    return NULL;
}

tui_result command_run(tui *t, const char *line)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", line);
    char *p = buf;
    while (*p == ' ' || *p == ':')
        p++;
    char *args = p + strcspn(p, " \t");
    if (*args)
        *args++ = '\0';
    while (*args == ' ' || *args == '\t')
        args++;
    size_t n = strlen(args);
    while (n && (args[n - 1] == ' ' || args[n - 1] == '\t'))
        args[--n] = '\0';
    if (!*p)
        return TR_DONE;
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, p) == 0)
            return commands[i].fn(t, args);
    char safe[64];
    text_clip(p, strlen(p), 30, 1, safe, sizeof safe);
    tui_message(t, 1, "unknown command :%s (:export :sync :goto :filter :sort :queue :stats :q)", safe);
    return TR_DONE;
}

/* A scripted :command while a prompt or dialog is open: only :save-display makes sense
 * there (tests look at the dialog); anything else is ignored. */
void command_in_modal(tui *t)
{
    const char *c = t->script_cmd;
    while (*c == ' ')
        c++;
    if (strncmp(c, "save-display ", 13) == 0 && tui_save_display(t, c + 13) != 0)
        tui_message(t, 1, "save-display: cannot write %.200s", c + 13);
}

/* Writes the screen as UTF-8 text, one line per row, trailing spaces trimmed (tig's
 * :save-display): the screen as drawn after the last key, prompts and dialogs included. */
int tui_save_display(tui *t, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    wchar_t *row = calloc((size_t)t->cols + 1, sizeof *row);
    char *mb = malloc((size_t)t->cols * MB_CUR_MAX + 1);
    if (!row || !mb) {
        fclose(f);
        free(row);
        free(mb);
        return -1;
    }
    for (int y = 0; y < t->lines; y++) {
        int n = mvinnwstr(y, 0, row, t->cols);
        if (n < 0)
            n = 0;
        row[n] = L'\0';
        while (n > 0 && row[n - 1] == L' ')
            row[--n] = L'\0';
        size_t len = wcstombs(mb, row, (size_t)t->cols * MB_CUR_MAX);
        if (len == (size_t)-1)
            len = 0;
        fwrite(mb, 1, len, f);
        fputc('\n', f);
    }
    free(row);
    free(mb);
    return fclose(f);
}
