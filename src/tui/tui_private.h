#ifndef FBREVIEW_TUI_PRIVATE_H
#define FBREVIEW_TUI_PRIVATE_H
/* Shared by the files of src/tui/ only. */

#include <curses.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "fbreview/app.h"
#include "fbreview/decision.h"
#include "fbreview/describe.h"
#include "fbreview/keymap.h"
#include "fbreview/lifecycle.h"
#include "fbreview/model.h"
#include "fbreview/reanalyse.h"
#include "fbreview/store_queue.h"
#include "fbreview/sync.h"
#include "fbreview/theme.h"

#define TUI_MIN_COLS 80
#define TUI_MIN_LINES 24
/* How long a status message stays once the reviewer is idle: long enough to read it twice. */
#define TUI_MSG_INFO_MS 5000.0
#define TUI_MSG_ERROR_MS 9000.0

/* Attributes by role (fbreview/theme.h): colour pairs, or a monochrome fallback. */
attr_t tui_attr(int role);
void tui_colors_init(void);

/* ---- documents: evidence laid out in lines of safe spans (draw.c) ---- */
typedef struct tspan {
    int role;
    char *s;          /* renderer output only (text.h): safe to hand to curses */
    size_t len;
} tspan;
typedef struct tline {
    tspan *sp;
    size_t n;
    int width;        /* columns used */
} tline;
typedef struct tdoc {
    tline *lines;
    size_t n;
    int width;        /* wrap width */
    int col;          /* column on the last line */
    int indent;       /* continuation indent for wrapped lines */
} tdoc;
void doc_reset(tdoc *d, int width);
void doc_free(tdoc *d);
/* Appends untrusted or own text through the renderer, wrapping at the width. Highlight
 * ranges (byte offsets in src) draw with hl_role. */
/* A highlighted byte range of evidence text; role 0 takes doc_addn's hl_role. */
typedef struct doc_hl { size_t start, len; int role; } doc_hl;
void doc_add(tdoc *d, int role, const char *src);
void doc_addn(tdoc *d, int role, const char *src, size_t len, const doc_hl *hl, size_t nhl, int hl_role);
void doc_addf(tdoc *d, int role, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void doc_nl(tdoc *d);
/* Own words set apart after a value ("(+16 minutes after start)"): gap spaces, or, when it
 * does not fit on the line but fits on one of its own, the next line at the indent —
 * an aside is never split across lines. */
void doc_aside(tdoc *d, int role, int gap, const char *s);
/* Drops the lines from n on (the last kept line stays open for more text). */
void doc_truncate(tdoc *d, size_t n);
void doc_draw_line(const tline *l, int y, int x, int cols);

/* One line of text clipped to cols through the renderer, padded with spaces; returns cols used. */
int draw_clip(int y, int x, int cols, int role, const char *src, int pad);
int draw_clipf(int y, int x, int cols, int role, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* ---- input (input.c): keys from the terminal or from a script ---- */
#define TUI_KEY_RESIZE (KM_KEY_FN + KEY_RESIZE)
#define TUI_KEY_CMD (KM_KEY_FN + 0xFFFF)     /* a scripted :command (text in tui.script_cmd) */
enum { IN_KEY = 1, IN_NONE = 0, IN_END = -1 };

typedef struct tui_view tui_view;
typedef struct tui tui;

/* Handler results (as neomutt's FunctionRetval / htop's reactions). */
typedef enum tui_result { TR_UNHANDLED, TR_DONE, TR_QUIT } tui_result;

struct tui_view {
    const char *name;
    void (*draw)(tui *t);
    tui_result (*handle)(tui *t, km_action a);
};
extern const tui_view view_queue_ops, view_case_ops, view_help_ops, view_stats_ops;

enum {
#define FB_T(X, tab, action, num, bind, name, abbr) tab,
    FB_TAB_TABLE(FB_T, _)
#undef FB_T
    TAB_COUNT
};

typedef struct tui_queue {
    queue_query q;
    queue_row *rows;
    size_t n, cap;
    int sel;
    int64_t total;      /* rows of the queue under its filter; -1: count again */
    int64_t top;        /* place of rows[0] in the queue (0 first); -1: count again */
} tui_queue;

struct tui {
    fb_app *app;
    fb_store *store;
    fb_workflow *wf;
    fb_keymap *km;
    SCREEN *screen;
    FILE *null_out, *null_in;
    int lines, cols;
    int too_small;

    /* script mode */
    FILE *script;
    char *script_buf;         /* the current line's remaining keys */
    size_t script_pos;
    int script_line;
    char script_cmd[4096];

    /* timing */
    FILE *timing;
    double t_start;
    int painted;

    /* state */
    tui_queue queue;
    queue_counts counts;
    int counts_known;         /* 0 until the first count after the first screen */
    int focus_case;           /* 0: queue pane, 1: evidence pane */
    int help_open, help_top;  /* an overlay: help, or the stats when stats_open */
    int stats_open;
    tdoc stats_doc;
    fb_case *cur;             /* the case in the evidence pane */
    fb_rec rec;
    int rec_ok;
    char rec_err[256];
    int tab;
    tdoc doc;
    int doc_valid, doc_top;
    /* Long messages open folded (view_case.c): the fold lines of the built document, and
     * the messages unfolded in the case shown (by index; reset when another case opens). */
    struct { size_t line, message; } *folds;
    size_t n_folds;
    size_t *unfolded;
    size_t n_unfolded;
    char *unfolded_case;
    char **marks;
    size_t n_marks;
    char **hits;
    size_t n_hits;
    int hit;
    char search_term[256];
    char msg[1024];
    int msg_error;
    double msg_at;            /* when it was set (mono ms): messages expire when idle */
    int quit;
    int sla_hours;

    /* sync (sync_ui.c): NULL when no upstream is configured */
    struct fb_sync_engine *sync;
    char sync_text[640];
    fb_sync_status sync_st;   /* the engine's last status (status.c words it) */
    int64_t sync_last;
    int64_t sync_rejected;     /* the engine's count of rejections when last seen */
    double cur_since;         /* when the case in the evidence pane was opened (ms) */
    char claimed[128];        /* the last case we asked the engine to claim */
    int64_t sync_kick_round;  /* rounds the engine had begun when `:sync` kicked it */
    int64_t data_version;     /* PRAGMA data_version at the last look (fresh.c) */
    int64_t audit_head;
    int64_t undo_window_ms;   /* [sync] undo_window: the countdown on the status line */

    /* re-analysis of stale cases in the background (reanalyse.h); NULL when read-only */
    fb_reanalyser *reana;
    fb_reanalyse_status reana_st;   /* as last seen (status.c words it) */
};

extern volatile sig_atomic_t tui_signalled;

/* app.c */
void tui_layout(tui *t);
void tui_draw_all(tui *t);
void tui_message(tui *t, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* An error with what to do next in console keys (fb_err's remedy). */
void tui_error(tui *t, const fb_err *e);
/* 1 when an action's case-bound preconditions hold now (hints offer only those keys). */
int tui_action_applies(tui *t, const km_action_info *ai);
const char *tui_key_for(tui *t, km_action a, char *buf, size_t n);   /* its first key, for sentences */
void tui_refresh_counts(tui *t);
void tui_open_selected(tui *t);
int tui_queue_rows(const tui *t);     /* rows the queue pane shows */
int tui_queue_width(const tui *t);
void tui_handle_resize(tui *t);

/* input.c */
fb_status input_open_script(tui *t, const char *path, fb_err *err);
int input_get(tui *t, int *key);      /* IN_KEY, IN_NONE (timeout), IN_END (script over) */

/* view_queue.c */
void queue_load_first(tui *t);
void queue_load_last(tui *t);
void queue_reload(tui *t);
int queue_seek(tui *t, const char *case_id);
const queue_row *queue_selected(const tui *t);
int tui_is_marked(const tui *t, const char *id);
void queue_changed(tui *t);
int queue_holds(tui *t, const queue_query *q, const queue_row *row);   /* 1: row is in q */
int queue_home(tui *t, const queue_row *row);   /* the queue a case is worked in (no filter), -1: none */          /* the queue, its filter or its rows changed: count again */

/* view_case.c */
void case_build(tui *t);
/* Unfolds the first folded message on screen (or below it); 0 when there is none. */
int case_expand(tui *t);
void case_folds_free(tui *t);
/* "suspension 14 days (self_hire)" for a decision row. */
void case_decision_doc(tdoc *d, const char *label, const fb_decision_row *dr);
void case_notice_doc(tdoc *d, const fb_decision_row *dr);
int case_pane_rows(const tui *t);
int case_pane_x(const tui *t);
/* A tab's name (FB_TAB_TABLE), for words that send the reviewer to it. */
const char *case_tab_name(int tab);

/* fresh.c: changes other connections made to the store */
uint64_t tui_page_hash(const tui *t);   /* a fingerprint of the queue page */
void tui_reload_current(tui *t);        /* reads the case on screen again, keeping the place */
int tui_fresh_poll(tui *t);             /* idle: 1 when something was read again (redraw) */
int tui_reanalyse_poll(tui *t);         /* idle: 1 when the re-analysis progress changed (redraw) */

/* view_stats.c: `:stats`, the lead's view (an overlay like help) */
void stats_open(tui *t);

/* status.c */
void status_draw(tui *t);
int tui_hint_context(tui *t);    /* HC_* bits for the hint line */

/* prompt.c: a readline prompt on the last line; NULL when cancelled. history: the
 * command line's history (saved to paths_history()). */
void prompt_init(tui *t);
void prompt_done(tui *t);
char *prompt_read(tui *t, const char *prompt, const char *prefill, int history);
/* A prompt whose answer is one of words (Tab completes from them; no history). */
char *prompt_read_words(tui *t, const char *prompt, const char *const *words, size_t n);

/* dialog.c: a box over the panes; 1 when confirmed. */
typedef void (*dialog_build_fn)(tui *t, tdoc *body, void *ctx);
int dialog_confirm(tui *t, const char *title, dialog_build_fn build, void *ctx);
/* The same, calling tick before each look at the keyboard (at least every input
 * timeout while the box is open): what must stay true while it is open. */
typedef void (*dialog_tick_fn)(tui *t, void *ctx);
int dialog_confirm_tick(tui *t, const char *title, dialog_build_fn build, dialog_tick_fn tick, void *ctx);

/* actions.c: deciding, approving, undo, notes, marks, search */
tui_result act_decide(tui *t, km_action a);
tui_result act_approve(tui *t, int reject);
tui_result act_undo(tui *t);
tui_result act_note(tui *t);
tui_result act_conflict(tui *t, int appeal);   /* accept (0) or appeal (1) the winning decision */
tui_result act_discard(tui *t);                /* discard this reviewer's rejected decision */
tui_result act_mark(tui *t, km_action a);
void act_search(tui *t, const char *term);
void act_search_step(tui *t, int dir);
void act_goto(tui *t, const char *id);

/* sync_ui.c */
void tui_sync_start(tui *t);
int64_t tui_undo_left_s(tui *t);   /* seconds until the newest unsent decision goes upstream; 0: none */
void tui_sync_stop(tui *t);
int tui_sync_wait(tui *t);
int tui_sync_kick(tui *t);
int tui_sync_poll(tui *t, double now_ms);

/* command.c */
tui_result command_run(tui *t, const char *line);
/* Tab completion: the i-th word that may stand as argument argno (1: the first) of :cmd,
 * or the i-th command name when cmd is NULL; NULL past the last. *file (OUT) is 1 when a
 * file name goes there instead. */
const char *command_candidate(const char *cmd, int argno, int i, int *file);
int tui_save_display(tui *t, const char *path);
void command_in_modal(tui *t);

#endif
