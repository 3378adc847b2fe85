#ifndef FBREVIEW_KEYMAP_H
#define FBREVIEW_KEYMAP_H
/* The console's actions and key bindings. Every action is declared once, in
 * KM_ACTION_TABLE: the enum, the names `bind` accepts, the help overlay and the hint
 * line all come from it. Default bindings are config text (data/keys.conf) built into
 * the binary; the user's [keys] section applies on top. */

#include <stddef.h>
#include <stdio.h>

#include "fbreview/config.h"
#include "fbreview/err.h"

/* Contexts a key is looked up in. */
enum {
    KM_MAIN = 1 << 0,     /* the queue and evidence panes */
    KM_HELP = 1 << 1,     /* the help overlay */
};
#define KM_CONTEXTS 2

/* Preconditions, checked once by the dispatcher before a handler runs. */
enum {
    KM_NEEDS_CASE    = 1 << 0,   /* a case is selected */
    KM_NEEDS_UNDO    = 1 << 1,   /* this reviewer has an unsynced decision */
    KM_NEEDS_PENDING = 1 << 2,   /* the case is a block waiting for approval */
    KM_NEEDS_HITS    = 1 << 3,   /* a search has hits */
    KM_NEEDS_CONFLICT = 1 << 4,  /* the case holds a conflicting decision of this reviewer's */
    KM_NEEDS_WRITE   = 1 << 5,   /* writes to the store: refused in a read-only console */
    KM_NEEDS_REJECTION = 1 << 6, /* the case holds a rejected decision of this reviewer's */
    /* Asked by the hint line only (a key is offered where it applies); on the key itself
     * the workflow refuses, in its own words with what to do instead. */
    KM_NEEDS_DECIDABLE = 1 << 7, /* the case's status takes a decision (the lifecycle table) */
    KM_NEEDS_REC     = 1 << 8,   /* the case has a recommendation to take */
};

/* Where a hint applies (the hint line is chosen by context): bits of the console's state. */
enum {
    HC_QUEUE    = 1 << 0,   /* the queue pane has the keys */
    HC_CASE     = 1 << 1,   /* the evidence pane has the keys */
    HC_APPROVAL = 1 << 2,   /* the case is a block waiting for approval */
    HC_CONFLICT = 1 << 3,   /* the case holds an open conflict of this reviewer's */
    HC_REJECTED = 1 << 4,   /* the case holds a decision upstream rejected */
    HC_HELP     = 1 << 5,   /* the help overlay */
    HC_PANES    = HC_QUEUE | HC_CASE,
};

/* The evidence tabs, in order, each once: the tab (the console's tab id), its action, its
 * number (:tab's argument, shown in the tab bar), the action's `bind` name, its name and the
 * name's abbreviation (the tab bar's, when the names do not fit). The tab actions of
 * KM_ACTION_TABLE, the tab bar and :tab's completions come from it. T is called as
 * T(X, tab, action, number, bind name, name, abbreviation). */
#define FB_TAB_TABLE(T, X)                                                                        \
    T(X, TAB_SUMMARY, ACT_TAB_SUMMARY, "1", "tab-summary", "Summary", "Sum")                      \
    T(X, TAB_JOB, ACT_TAB_JOB, "2", "tab-job", "Job", "Job")                                      \
    T(X, TAB_PAYMENTS, ACT_TAB_PAYMENTS, "3", "tab-payments", "Payments", "Pay")                  \
    T(X, TAB_MESSAGES, ACT_TAB_MESSAGES, "4", "tab-messages", "Messages", "Msg")                  \
    T(X, TAB_ACCOUNTS, ACT_TAB_ACCOUNTS, "5", "tab-accounts", "Accounts", "Acct")                 \
    T(X, TAB_HISTORY, ACT_TAB_HISTORY, "6", "tab-history", "History", "Hist")
/* A tab's row of KM_ACTION_TABLE. */
#define KM_TAB_ACTION(X, tab, action, num, bind, name, abbr)                                     \
    X(action, bind, KM_MAIN, 0, NULL, 0, 0, "evidence tab " num ": " name)

/* id, name (for `bind`), contexts, preconditions, hint label (NULL: not in the hint line),
 * hint contexts (HC_*), hint priority (1 first; the hint line takes the most important that
 * fit, `help` always), help */
#define KM_ACTION_TABLE(X)                                                                        \
    X(ACT_DOWN, "down", KM_MAIN | KM_HELP, 0, NULL, 0, 0, "next case, or scroll the evidence down") \
    X(ACT_UP, "up", KM_MAIN | KM_HELP, 0, NULL, 0, 0, "previous case, or scroll the evidence up") \
    X(ACT_FIRST, "first", KM_MAIN | KM_HELP, 0, NULL, 0, 0, "first case / top of the evidence")   \
    X(ACT_LAST, "last", KM_MAIN | KM_HELP, 0, NULL, 0, 0, "last case / bottom of the evidence")   \
    X(ACT_PAGE_DOWN, "page-down", KM_MAIN | KM_HELP, 0, NULL, 0, 0, "one page down")              \
    X(ACT_PAGE_UP, "page-up", KM_MAIN | KM_HELP, 0, NULL, 0, 0, "one page up")                    \
    X(ACT_PANE, "pane", KM_MAIN, 0, NULL, 0, 0, "switch between the queue and the evidence pane") \
    X(ACT_OPEN, "open", KM_MAIN, KM_NEEDS_CASE, "read", HC_QUEUE, 3,                              \
      "read the selected case (the evidence pane takes the keys)")                               \
    FB_TAB_TABLE(KM_TAB_ACTION, X)                                                                \
    X(ACT_TAB_NEXT, "tab-next", KM_MAIN, 0, "tab", HC_CASE, 12, "next evidence tab")             \
    X(ACT_TAB_PREV, "tab-prev", KM_MAIN, 0, NULL, 0, 0, "previous evidence tab")                  \
    X(ACT_QUEUE_NEXT, "queue-next", KM_MAIN, 0, "queues", HC_QUEUE, 13,                           \
      "next queue (open, mine, appeals, pending approval, escalated, decided, conflicts, rejected)") \
    X(ACT_QUEUE_PREV, "queue-prev", KM_MAIN, 0, NULL, 0, 0, "previous queue")                     \
    X(ACT_ACCEPT, "accept", KM_MAIN, KM_NEEDS_CASE | KM_NEEDS_WRITE | KM_NEEDS_DECIDABLE | KM_NEEDS_REC, "accept", HC_PANES, 4, "take the recommendation") \
    X(ACT_EDUCATE, "educate", KM_MAIN, KM_NEEDS_CASE | KM_NEEDS_WRITE | KM_NEEDS_DECIDABLE, "educate", HC_PANES, 8, "education (first, minor)") \
    X(ACT_SUSPEND, "suspend", KM_MAIN, KM_NEEDS_CASE | KM_NEEDS_WRITE | KM_NEEDS_DECIDABLE, "suspend", HC_PANES, 7, "suspension (asks for days)") \
    X(ACT_BLOCK, "block", KM_MAIN, KM_NEEDS_CASE | KM_NEEDS_WRITE | KM_NEEDS_DECIDABLE, "block", HC_PANES, 9, "permanent block (needs approval)") \
    X(ACT_DISMISS, "dismiss", KM_MAIN, KM_NEEDS_CASE | KM_NEEDS_WRITE | KM_NEEDS_DECIDABLE, "dismiss", HC_PANES, 6, "no violation: dismiss the case") \
    X(ACT_ESCALATE, "escalate", KM_MAIN, KM_NEEDS_CASE | KM_NEEDS_WRITE | KM_NEEDS_DECIDABLE, "escalate", HC_PANES, 10, "escalate to the lead queue") \
    X(ACT_UNDO, "undo", KM_MAIN, KM_NEEDS_WRITE | KM_NEEDS_UNDO, "undo", HC_PANES, 14, "undo your last unsynced decision") \
    X(ACT_APPROVE, "approve", KM_MAIN, KM_NEEDS_CASE | KM_NEEDS_WRITE | KM_NEEDS_PENDING, "approve", HC_APPROVAL, 1, \
      "approve the proposed block")                                                              \
    X(ACT_SEND_BACK, "send-back", KM_MAIN, KM_NEEDS_CASE | KM_NEEDS_WRITE | KM_NEEDS_PENDING, "send back", HC_APPROVAL, 1, \
      "send the proposed block back (asks for a rationale)")                                     \
    X(ACT_CONFLICT_ACCEPT, "accept-winner", KM_MAIN, KM_NEEDS_CASE | KM_NEEDS_WRITE | KM_NEEDS_CONFLICT, "accept winner", \
      HC_CONFLICT, 1, "accept the decision that won against yours (conflicts queue)")            \
    X(ACT_CONFLICT_APPEAL, "appeal-winner", KM_MAIN, KM_NEEDS_CASE | KM_NEEDS_WRITE | KM_NEEDS_CONFLICT, "appeal winner", \
      HC_CONFLICT, 1, "appeal the decision that won against yours (asks for the text)")          \
    X(ACT_DISCARD, "discard", KM_MAIN, KM_NEEDS_CASE | KM_NEEDS_WRITE | KM_NEEDS_REJECTION, "discard", \
      HC_REJECTED, 1, "discard your decision upstream rejected (rejected queue)")                \
    X(ACT_EXPAND, "expand", KM_MAIN, KM_NEEDS_CASE, NULL, 0, 0,                                    \
      "unfold the long message on screen (Messages tab; long messages open folded)")             \
    X(ACT_NOTE, "note", KM_MAIN, KM_NEEDS_CASE | KM_NEEDS_WRITE, "note", HC_CASE, 15, "add an internal note to the case") \
    X(ACT_MARK, "mark", KM_MAIN, KM_NEEDS_CASE, NULL, 0, 0, "mark or unmark the case (decide many at once)") \
    X(ACT_MARK_ACCOUNT, "mark-account", KM_MAIN, KM_NEEDS_CASE, NULL, 0, 0,                        \
      "mark every open case of the subject account")                                             \
    X(ACT_MARK_CLUSTER, "mark-cluster", KM_MAIN, KM_NEEDS_CASE, NULL, 0, 0,                        \
      "mark every open case of the subject's linked-account cluster")                            \
    X(ACT_UNMARK_ALL, "unmark-all", KM_MAIN, 0, NULL, 0, 0, "clear all marks")                    \
    X(ACT_SEARCH, "search", KM_MAIN, 0, "search", HC_PANES, 5, "search this queue: case ids, account names, messages") \
    X(ACT_SEARCH_NEXT, "search-next", KM_MAIN, KM_NEEDS_HITS, NULL, 0, 0, "next search hit in queue order") \
    X(ACT_SEARCH_PREV, "search-prev", KM_MAIN, KM_NEEDS_HITS, NULL, 0, 0, "previous search hit in queue order") \
    X(ACT_FILTER, "filter", KM_MAIN, 0, "filter", HC_QUEUE, 16, "filter the queue (code=C status=S risk>=N)") \
    X(ACT_SORT, "sort", KM_MAIN, 0, "sort", HC_QUEUE, 17, "sort by risk, age or SLA (cycles)")     \
    X(ACT_COMMAND, "command", KM_MAIN, 0, "cmd", HC_PANES, 11,                                     \
      "command line (:export :sync :goto :filter :sort :queue :stats :q; Tab completes)")                              \
    X(ACT_BACK, "back", KM_MAIN | KM_HELP, 0, "back", HC_CASE | HC_HELP, 2,                       \
      "step back: close the help, or give the keys back to the queue")                           \
    X(ACT_CLOSE, "close", KM_MAIN | KM_HELP, 0, "quit", HC_QUEUE, 30,                             \
      "step back as back does; at the queue, quit")                                              \
    X(ACT_REDRAW, "redraw", KM_MAIN | KM_HELP, 0, NULL, 0, 0, "redraw the screen")                \
    X(ACT_HELP, "help", KM_MAIN, 0, "help", HC_PANES, 0, "this help (the hint line always shows it)") \
    X(ACT_HELP_CLOSE, "help-close", KM_HELP, 0, NULL, 0, 0, "close the help")                     \
    X(ACT_QUIT, "quit", KM_MAIN | KM_HELP, 0, NULL, 0, 0, "quit from anywhere")

/* Action ids start above curses' KEY_MAX (0777) so a key and an action never mix. */
#define KM_ACTION_BASE 01000
typedef enum km_action {
    ACT_NONE = KM_ACTION_BASE,
#define KM_X(id, name, ctx, flags, hint, hctx, prio, help) id,
    KM_ACTION_TABLE(KM_X)
#undef KM_X
    ACT_END
} km_action;
#define KM_N_ACTIONS (ACT_END - ACT_NONE - 1)

typedef struct km_action_info {
    km_action id;
    const char *name;
    int contexts;
    int flags;
    const char *hint;
    int hint_contexts;  /* HC_* */
    int hint_prio;      /* 0 for help: always shown; else 1 first */
    const char *help;
} km_action_info;

/* The table, in declaration order: entries [0, KM_N_ACTIONS). */
extern const km_action_info km_actions[];
const km_action_info *keymap_action(km_action a);     /* NULL for an unknown id */
km_action keymap_action_from_name(const char *name);  /* ACT_NONE when unknown */

/* Keys: a Unicode character is its code point; a curses function key is KM_KEY_FN + KEY_x. */
#define KM_KEY_FN 0x110000
/* Parses "y", "<Down>", "<C-x>", "<Space>", "<F1>"; 0 on success, -1 when unknown. */
int keymap_key_parse(const char *name, int *key);
/* The name of a key as bind writes it; buf >= 16. */
char *keymap_key_name(int key, char *buf, size_t n);
/* The same for people on the hint line: "Enter", "Esc", "C-l" without the brackets. */
char *keymap_key_short(int key, char *buf, size_t n);

typedef struct fb_keymap fb_keymap;

/* The built-in bindings (data/keys.conf), then the [keys] section of cfg (may be NULL). An
 * unknown key or action name, or a key bound twice in one context by the same file, is an
 * error naming the file and line. A user binding replaces the built-in one for that key. */
fb_status keymap_load(const fb_config *cfg, fb_keymap **out, fb_err *err);
/* Applies `bind = KEY ACTION` entries from config text (tests). */
fb_status keymap_apply_text(fb_keymap *km, const char *name, const char *text, fb_err *err);
void keymap_free(fb_keymap **km);

/* Prints every action with its keys (the help's list): plain text, or roff .TP entries
 * for the manual page. */
void keymap_print(const fb_keymap *km, FILE *out, int roff);

/* The hint line: the actions whose hint applies in hctx (HC_* bits), whose key is bound
 * in ctx and that applies() allows (NULL: all; the console asks its cheap preconditions,
 * e.g. no write keys in a read-only console), most important first until cols is full;
 * `help` is always among them. Written to out in table order, with the first key of each;
 * returns how many. */
typedef struct km_hint {
    km_action action;
    int key;
    const char *label;
} km_hint;
#define KM_HINT_GAP 2   /* columns between two hints */
typedef int (*km_applies_fn)(const km_action_info *ai, void *arg);
size_t keymap_hints(const fb_keymap *km, int hctx, int ctx, int cols, km_applies_fn applies, void *arg, km_hint *out,
                    size_t max);

/* The action bound to key in context, or ACT_NONE. */
km_action keymap_lookup(const fb_keymap *km, int context, int key);
/* Keys bound to an action in a context (up to max); returns how many. */
size_t keymap_keys_for(const fb_keymap *km, km_action a, int context, int *keys, size_t max);

#endif
