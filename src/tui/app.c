/* The console: set-up, the loop, the dispatcher, and the way out. Keys come from
 * input_get (terminal or script); KEY_RESIZE is taken from the key stream like any key
 * (htop's way), and signals only set a flag that the loop acts on. */
#include "tui_private.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fbreview/ingest.h"
#include "fbreview/store_case.h"
#include "fbreview/tui.h"

volatile sig_atomic_t tui_signalled;

static void on_signal(int sig)
{
    (void)sig;
    tui_signalled = 1;
}

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int curses_active;

/* Whatever way we leave, the terminal is given back. */
static void restore_terminal(void)
{
    if (curses_active && !isendwin())
        endwin();
    curses_active = 0;
}

void tui_message(tui *t, int error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->msg, sizeof t->msg, fmt, ap);
    va_end(ap);
    t->msg_error = error;
    t->msg_at = mono_ms();
}

/* The first key bound to an action in the main context, for sentences ("(unbound)" if none). */
const char *tui_key_for(tui *t, km_action a, char *buf, size_t n)
{
    int k;
    if (keymap_keys_for(t->km, a, KM_MAIN, &k, 1) != 1)
        return "(unbound)";
    return keymap_key_name(k, buf, n);
}

void tui_error(tui *t, const fb_err *e)
{
    char k1[16], k2[16];
    switch (e->remedy) {
    case FB_REMEDY_APPEAL_OR_UNDO:
        tui_message(t, 1, "%s; %s undoes your own unsynced decision, else an appeal changes it", e->msg,
                    tui_key_for(t, ACT_UNDO, k1, sizeof k1));
        break;
    case FB_REMEDY_APPROVE:
        tui_message(t, 1, "%s; another reviewer: %s approves, %s sends back", e->msg,
                    tui_key_for(t, ACT_APPROVE, k1, sizeof k1), tui_key_for(t, ACT_SEND_BACK, k2, sizeof k2));
        break;
    /* The console asks for these itself; when one still reaches here the prompt was left. */
    case FB_REMEDY_VIOLATION:
        tui_message(t, 1, "%s; press the key again and name a code at the prompt (Tab lists them)", e->msg);
        break;
    case FB_REMEDY_RATIONALE:
    case FB_REMEDY_TEXT:
        tui_message(t, 1, "%s; press the key again and type it at the prompt", e->msg);
        break;
    case FB_REMEDY_CLAIM:
        tui_message(t, 1, "%s; pick another case (%s, %s), or press the key again and confirm with y "
                          "(the override is recorded)", e->msg, tui_key_for(t, ACT_DOWN, k1, sizeof k1),
                    tui_key_for(t, ACT_UP, k2, sizeof k2));
        break;
    default:
        tui_message(t, 1, "%s", e->msg);
    }
}

/* Idle: a message has been read after a while (a refusal is given longer); 1 when it
 * went (redraw). */
static int message_expire(tui *t)
{
    double keep = t->msg_error ? TUI_MSG_ERROR_MS : TUI_MSG_INFO_MS;
    if (!t->msg[0] || mono_ms() - t->msg_at < keep)
        return 0;
    t->msg[0] = '\0';
    return 1;
}

int tui_queue_width(const tui *t) { return t->cols < 120 ? t->cols / 2 : t->cols * 45 / 100; }
/* Below the pane title and the column header row, above the hint and status lines. */
int tui_queue_rows(const tui *t) { return t->lines - 4 > 1 ? t->lines - 4 : 1; }

void tui_layout(tui *t)
{
    getmaxyx(stdscr, t->lines, t->cols);
    t->too_small = t->cols < TUI_MIN_COLS || t->lines < TUI_MIN_LINES;
    t->doc_valid = 0;
}

void tui_handle_resize(tui *t)
{
    int old_rows = tui_queue_rows(t);
    tui_layout(t);
    if (!t->too_small && tui_queue_rows(t) != old_rows)
        queue_reload(t);
    erase();
    tui_draw_all(t);
}

void tui_refresh_counts(tui *t)
{
    fb_err err = {0};
    t->counts_known = 1;
    if (store_queue_counts(t->store, t->app->reviewer, &t->counts, &err) != FB_OK)
        tui_message(t, 1, "%s", err.msg);
}

void tui_open_selected(tui *t)
{
    const queue_row *r = queue_selected(t);
    double t0 = mono_ms();
    if (t->cur && r && strcmp(t->cur->id, r->id) == 0 && t->cur->status == r->status)
        return;
    fb_case_free(&t->cur);
    t->doc_valid = 0;
    t->doc_top = 0;
    t->rec_ok = 0;
    if (!r)
        return;
    fb_err err = {0};
    /* a case analysed with older rules is analysed again first (the background walk may
     * not have reached it): the pane never shows the old rules' evidence or risk */
    if (workflow_case(t->wf, r->id, &t->cur, NULL, &err) != FB_OK) {
        tui_message(t, 1, "%s", err.msg);
        return;
    }
    fb_err rerr = {0};
    t->rec_ok = workflow_recommend(t->wf, t->cur->id, &t->rec, &rerr) == FB_OK;
    if (!t->rec_ok)
        snprintf(t->rec_err, sizeof t->rec_err, "%s", rerr.msg);
    t->cur_since = mono_ms();
    if (t->timing)
        fprintf(t->timing, "open_case_ms %.3f\n", mono_ms() - t0);
}

static void draw_too_small(tui *t)
{
    erase();
    char b[160];
    snprintf(b, sizeof b, "fbreview needs a terminal of at least %dx%d; this one is %dx%d.", TUI_MIN_COLS,
             TUI_MIN_LINES, t->cols, t->lines);
    int y = t->lines / 2 - 1 > 0 ? t->lines / 2 - 1 : 0;
    draw_clip(y, 0, t->cols, AT_BOLD, b, 0);
    if (y + 1 < t->lines)
        draw_clip(y + 1, 0, t->cols, AT_NORMAL, "Enlarge the window, or press q to quit.", 0);
}

void tui_draw_all(tui *t)
{
    if (t->too_small) {
        draw_too_small(t);
        refresh();
        return;
    }
    if (t->help_open) {
        (t->stats_open ? &view_stats_ops : &view_help_ops)->draw(t);
    } else {
        view_queue_ops.draw(t);
        int x = tui_queue_width(t);
        for (int y = 0; y < t->lines - 2; y++)
            mvaddstr(y, x, y == 0 ? " " : "│");
        view_case_ops.draw(t);
    }
    status_draw(t);
    refresh();
}

/* Whether a key would do something now (the hint line offers only those): the table's
 * preconditions, answered from the case on screen and the store's own rows, silently.
 * Decision keys go by the lifecycle table (a block waiting for approval takes a r, not
 * y d); with marks they apply to the marked cases, which the workflow checks one by one. */
int tui_action_applies(tui *t, const km_action_info *ai)
{
    const fb_case *c = t->cur;
    if ((ai->flags & KM_NEEDS_WRITE) && store_readonly(t->store))
        return 0;
    if ((ai->flags & KM_NEEDS_CASE) && !c)
        return 0;
    if ((ai->flags & KM_NEEDS_DECIDABLE) && !t->n_marks && (!c || !lifecycle_decidable(c->status)))
        return 0;
    if ((ai->flags & KM_NEEDS_DECIDABLE) && !t->n_marks && c->status == FB_CS_APPEALED &&
        policy_appeal_separation(workflow_policy(t->wf))) {
        /* An appeal against this reviewer's own decision is another reviewer's to decide. */
        fb_appeal_row ap = {0};
        fb_decision_row d = {0};
        fb_err err = {0};
        int own = store_appeal_open_for_case(t->store, c->id, &ap, &err) == 1 &&
                  store_decision_load(t->store, ap.decision_id, &d, &err) == FB_OK && d.reviewer &&
                  strcmp(d.reviewer, t->app->reviewer) == 0;
        store_appeal_row_clear(&ap);
        store_decision_row_clear(&d);
        if (own)
            return 0;
    }
    if ((ai->flags & KM_NEEDS_REC) && !t->n_marks && (!t->rec_ok || t->rec.action == FB_A_NONE))
        return 0;
    if ((ai->flags & KM_NEEDS_PENDING) && (!c || !lifecycle_find(c->status, LC_EV_APPROVE)))
        return 0;
    if (ai->flags & KM_NEEDS_PENDING) {
        /* The proposer is refused (four eyes): not offered to them. */
        char id[37];
        fb_decision_row d = {0};
        fb_err err = {0};
        int ok = store_case_pending_block(t->store, c->id, id, &err) == FB_OK &&
                 workflow_approve_check(t->wf, id, &d, &err) == FB_OK;
        store_decision_row_clear(&d);
        if (!ok)
            return 0;
    }
    if ((ai->flags & KM_NEEDS_CONFLICT) && (!c || !store_conflict_open(t->store, c->id, t->app->reviewer)))
        return 0;
    if ((ai->flags & KM_NEEDS_REJECTION) && (!c || !store_rejection_open(t->store, c->id, t->app->reviewer)))
        return 0;
    if ((ai->flags & KM_NEEDS_UNDO) && !store_has_unsynced(t->store, t->app->reviewer))
        return 0;
    if ((ai->flags & KM_NEEDS_HITS) && t->n_hits == 0)
        return 0;
    return 1;
}

/* Preconditions from the table, checked once here before any handler runs. */
static int precondition_ok(tui *t, const km_action_info *ai)
{
    if ((ai->flags & KM_NEEDS_WRITE) && store_readonly(t->store)) {
        tui_message(t, 1, "%s: this console is read-only (--read-only, or the store's file or folder is not "
                          "writable for you); nothing was saved", ai->name);
        return 0;
    }
    if ((ai->flags & KM_NEEDS_CASE) && !t->cur) {
        tui_message(t, 1, "%s needs a case: this queue is empty", ai->name);
        return 0;
    }
    if ((ai->flags & KM_NEEDS_PENDING) && t->cur && !lifecycle_find(t->cur->status, LC_EV_APPROVE)) {
        tui_message(t, 1, "%s needs a block waiting for approval (see the pending queue, w)", ai->name);
        return 0;
    }
    if ((ai->flags & KM_NEEDS_CONFLICT) && t->cur && !store_conflict_open(t->store, t->cur->id, t->app->reviewer)) {
        tui_message(t, 1, "%s needs a conflicting decision of yours on this case (see the conflicts queue, "
                          ":queue conflicts)", ai->name);
        return 0;
    }
    if ((ai->flags & KM_NEEDS_REJECTION) && t->cur && !store_rejection_open(t->store, t->cur->id, t->app->reviewer)) {
        tui_message(t, 1, "%s needs a decision of yours that upstream rejected on this case (see the rejected "
                          "queue, :queue rejected)", ai->name);
        return 0;
    }
    if ((ai->flags & KM_NEEDS_UNDO) && !store_has_unsynced(t->store, t->app->reviewer)) {
        tui_message(t, 1, "nothing to undo: you have no unsynced decision");
        return 0;
    }
    if ((ai->flags & KM_NEEDS_HITS) && t->n_hits == 0) {
        tui_message(t, 1, "no search hits: search with / first");
        return 0;
    }
    return 1;
}

static void set_tab(tui *t, int tab)
{
    t->tab = (tab + TAB_COUNT) % TAB_COUNT;
    t->doc_valid = 0;
    t->doc_top = 0;
}

static void switch_queue(tui *t, int q)
{
    t->queue.q.queue = (fb_queue)((q + QUEUE_COUNT) % QUEUE_COUNT);
    t->queue.q.status = FB_CS_NONE;
    queue_changed(t);
    queue_load_first(t);
    tui_open_selected(t);
    tui_message(t, 0, "queue: %s", queue_words(t->queue.q.queue));
}

static tui_result generic_handle(tui *t, km_action a)
{
    char *line;
    switch (a) {
    case ACT_PANE: t->focus_case = !t->focus_case; break;
    case ACT_OPEN: t->focus_case = 1; break;
#define FB_T(X, tab, action, num, bind, name, abbr) case action: set_tab(t, tab); break;
    FB_TAB_TABLE(FB_T, _)
#undef FB_T
    case ACT_TAB_NEXT: set_tab(t, t->tab + 1); break;
    case ACT_TAB_PREV: set_tab(t, t->tab - 1); break;
    case ACT_QUEUE_NEXT: switch_queue(t, (int)t->queue.q.queue + 1); break;
    case ACT_QUEUE_PREV: switch_queue(t, (int)t->queue.q.queue - 1); break;
    case ACT_ACCEPT: case ACT_EDUCATE: case ACT_SUSPEND: case ACT_BLOCK: case ACT_DISMISS: case ACT_ESCALATE:
        return act_decide(t, a);
    case ACT_UNDO: return act_undo(t);
    case ACT_APPROVE: return act_approve(t, 0);
    case ACT_SEND_BACK: return act_approve(t, 1);
    case ACT_NOTE: return act_note(t);
    case ACT_EXPAND:
        if (t->tab != TAB_MESSAGES)
            tui_message(t, 1, "expand: long messages are folded in the Messages tab (4)");
        else if (!case_expand(t))
            tui_message(t, 1, "expand: no folded message on screen");
        break;
    case ACT_CONFLICT_ACCEPT: return act_conflict(t, 0);
    case ACT_CONFLICT_APPEAL: return act_conflict(t, 1);
    case ACT_DISCARD: return act_discard(t);
    case ACT_MARK: case ACT_MARK_ACCOUNT: case ACT_MARK_CLUSTER: case ACT_UNMARK_ALL:
        return act_mark(t, a);
    case ACT_SEARCH:
        if ((line = prompt_read(t, "/", NULL, 0))) {
            act_search(t, line);
            free(line);
        }
        break;
    case ACT_SEARCH_NEXT: act_search_step(t, 1); break;
    case ACT_SEARCH_PREV: act_search_step(t, -1); break;
    case ACT_FILTER: {
        char cur[160];
        const queue_query *q = &t->queue.q;
        int n = 0;
        cur[0] = '\0';
        if (q->code != FB_V_NONE)
            n += snprintf(cur + n, sizeof cur - (size_t)n, "code=%s ", fb_violation_str(q->code));
        if (q->status != FB_CS_NONE)
            n += snprintf(cur + n, sizeof cur - (size_t)n, "status=%s ", fb_case_status_str(q->status));
        if (q->risk_min > 0)
            n += snprintf(cur + n, sizeof cur - (size_t)n, "risk>=%d ", q->risk_min);
        if (q->risk_max < 100)
            snprintf(cur + n, sizeof cur - (size_t)n, "risk<=%d ", q->risk_max);
        if ((line = prompt_read(t, "filter (code=C status=S risk>=N, empty clears): ", cur, 0))) {
            char cmd[600];
            snprintf(cmd, sizeof cmd, "filter %s", *line ? line : "clear");
            free(line);
            return command_run(t, cmd);
        }
        break;
    }
    case ACT_SORT: {
        char cmd[32];
        snprintf(cmd, sizeof cmd, "sort %s", sort_name((fb_sort)((t->queue.q.sort + 1) % SORT_COUNT)));
        return command_run(t, cmd);
    }
    case ACT_COMMAND:
        if ((line = prompt_read(t, ":", NULL, 1))) {
            tui_result r = command_run(t, line);
            free(line);
            return r;
        }
        break;
    case ACT_REDRAW: clearok(curscr, TRUE); break;
    case ACT_HELP: t->help_open = 1; t->help_top = 0; break;
    case ACT_BACK: case ACT_CLOSE:
        /* One step back: the help first, then the evidence pane; the queue is the last
         * view, which only `close` (q) leaves, by quitting. */
        if (t->help_open)
            t->help_open = 0;
        else if (t->focus_case)
            t->focus_case = 0;
        else if (a == ACT_CLOSE)
            return TR_QUIT;
        else {
            char kn[16] = "";
            int k;
            if (keymap_keys_for(t->km, ACT_CLOSE, KM_MAIN, &k, 1) == 1)
                keymap_key_name(k, kn, sizeof kn);
            tui_message(t, 0, "this is the queue, the first view%s%s%s", kn[0] ? "; " : "", kn,
                        kn[0] ? " quits" : "");
        }
        break;
    case ACT_QUIT: return TR_QUIT;
    default: return TR_UNHANDLED;
    }
    return TR_DONE;
}

static tui_result dispatch(tui *t, int key)
{
    if (key == TUI_KEY_RESIZE) {
        tui_handle_resize(t);
        return TR_DONE;
    }
    if (key == TUI_KEY_CMD)
        return command_run(t, t->script_cmd);
    if (t->too_small)
        return key == 'q' || key == 'Q' ? TR_QUIT : TR_DONE;
    int ctx = t->help_open ? KM_HELP : KM_MAIN;
    km_action a = keymap_lookup(t->km, ctx, key);
    if (a == ACT_NONE) {
        char kn[16];
        tui_message(t, 1, "%s is not bound here (? lists the keys)", keymap_key_name(key, kn, sizeof kn));
        return TR_DONE;
    }
    const km_action_info *ai = keymap_action(a);
    t->msg[0] = '\0';
    if (!precondition_ok(t, ai))
        return TR_DONE;
    /* The view in front takes the action first; the generic handler takes the rest. */
    const tui_view *v = t->help_open ? (t->stats_open ? &view_stats_ops : &view_help_ops)
                        : t->focus_case ? &view_case_ops : &view_queue_ops;
    tui_result r = v->handle(t, a);
    /* Over the help only the actions of its own context come here (back, close, quit). */
    if (r == TR_UNHANDLED)
        r = generic_handle(t, a);
    return r;
}

static fb_status init_screen(tui *t, const tui_options *opt, fb_err *err)
{
    if (opt->script && !getenv("FBREVIEW_SCRIPT_TTY")) {
        /* Scripted runs draw into /dev/null (tig's TIG_NO_DISPLAY); :save-display reads it back. */
        t->null_out = fopen("/dev/null", "w");
        t->null_in = fopen("/dev/null", "r");
        const char *term = getenv("TERM");
        if (!t->null_out || !t->null_in ||
            !(t->screen = newterm(term && *term ? term : "xterm", t->null_out, t->null_in)))
            return fb_err_set(err, FB_EIO, "cannot start a display for the script (TERM=%s)", term ? term : "");
        set_term(t->screen);
    } else {
        /* newterm, not initscr: initscr exits the process on a bad TERM, we want our message. */
        const char *term = getenv("TERM");
        if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
            return fb_err_set(err, FB_EIO, "the console needs a terminal; for scripts use --script FILE");
        if (!(t->screen = newterm(NULL, stdout, stdin)))
            return fb_err_set(err, FB_EIO, "cannot start the terminal: TERM=%s is unknown here; set TERM",
                              term ? term : "(unset)");
        set_term(t->screen);
    }
    curses_active = 1;
    atexit(restore_terminal);
    /* Out of memory anywhere (fbreview/mem.h) gives the terminal back before the message. */
    fb_oom_hook(restore_terminal);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    curs_set(0);
    set_escdelay(25);
    /* Wake up now and then so a signal's flag is acted on even without a key. */
    timeout(250);
    tui_colors_init();
    return FB_OK;
}

static void free_list(char ***l, size_t *n)
{
    for (size_t i = 0; i < *n; i++)
        free((*l)[i]);
    free(*l);
    *l = NULL;
    *n = 0;
}

/* Without a sync engine nobody else checkpoints the WAL of an interactive store: do it
 * while the reviewer is idle, at most every few seconds (PASSIVE never waits on readers). */
static void idle_checkpoint(tui *t)
{
    static double last;
    double now = mono_ms();
    if (t->sync || now - last < 5000)
        return;
    last = now;
    store_checkpoint(t->store, STORE_CKPT_PASSIVE, NULL, NULL);
}

int tui_run(fb_app *app, const tui_options *opt)
{
    tui T = {0};
    tui *t = &T;
    fb_err err = {0};
    int rc = 0;
    t->app = app;
    t->t_start = mono_ms();
    t->queue.q = (queue_query){QUEUE_OPEN, SORT_RISK, FB_V_NONE, FB_CS_NONE, 0, 100, app->reviewer};

    /* Everything that can fail with a message is done before the screen is taken. */
    if (keymap_load(app->cfg, &t->km, &err) != FB_OK)
        goto fail;
    t->sla_hours = (int)config_int(app->cfg, OPT_CONSOLE_SLA_HOURS);
    /* Interactive: no automatic WAL checkpoint inside a save; the sync engine (or the idle
     * loop below, when there is no upstream) checkpoints instead. */
    if (store_open(app->db_path, STORE_CREATE | STORE_INTERACTIVE | STORE_READ_OK | app->store_flags,
                   &t->store, &err) != FB_OK)
        goto fail;
    if (workflow_open(t->store, app->cfg, app->reviewer, &t->wf, &err) != FB_OK)
        goto fail;
    if (opt->script && input_open_script(t, opt->script, &err) != FB_OK)
        goto fail;
    if (opt->timing && !(t->timing = fopen(opt->timing, "w"))) {
        fb_err_set(&err, FB_EIO, "cannot write timing file %s", opt->timing);
        goto fail;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    if (init_screen(t, opt, &err) != FB_OK)
        goto fail;
    prompt_init(t);
    tui_sync_start(t);
    tui_layout(t);
    queue_changed(t);
    queue_load_first(t);
    tui_open_selected(t);
    /* a store only read cannot be analysed again (workflow_open did it for a writer) */
    if (store_readonly(t->store) && ingest_stale(t->store) == 1)
        tui_message(t, 0, "signals from older analysis rules: open the store writable to analyse its cases again");
    tui_draw_all(t);
    if (t->timing)
        fprintf(t->timing, "first_paint_ms %.3f\n", mono_ms() - t->t_start);
    /* The counts scan the status index (O(cases)): the first screen does not wait for them. */
    tui_refresh_counts(t);
    t->data_version = store_data_version(t->store);
    t->audit_head = store_audit_head(t->store);
    tui_draw_all(t);
    if (t->timing)
        fprintf(t->timing, "counts_ms %.3f\n", mono_ms() - t->t_start);
    /* Cases analysed with older rules are analysed again beside the console, never before
     * its first screen. */
    if (!store_readonly(t->store) && reanalyser_start(app->db_path, &t->reana, &err) != FB_OK)
        tui_message(t, 1, "cases are not analysed again in the background: %s", err.msg);

    while (!t->quit && !tui_signalled) {
        int key;
        int r = input_get(t, &key);
        if (r == IN_END)
            break;       /* the script's implicit quit */
        if (r == IN_NONE) {
            /* Idle: the sync engine's news, if any. */
            int redraw = tui_sync_poll(t, mono_ms());
            redraw |= tui_fresh_poll(t);
            redraw |= tui_reanalyse_poll(t);
            redraw |= message_expire(t);
            if (redraw)
                tui_draw_all(t);
            idle_checkpoint(t);
            continue;
        }
        double k0 = mono_ms();
        if (dispatch(t, key) == TR_QUIT)
            t->quit = 1;
        if (t->quit)
            break;
        tui_sync_poll(t, mono_ms());
        tui_draw_all(t);
        if (t->timing)
            fprintf(t->timing, "key_ms %.3f\n", mono_ms() - k0);
    }
    goto done;

fail:
    rc = fb_status_exit_code(err.status) ? fb_status_exit_code(err.status) : 1;
done:
    restore_terminal();
    if (t->screen) {
        delscreen(t->screen);
        t->screen = NULL;
    }
    if (t->null_out)
        fclose(t->null_out);
    if (t->null_in)
        fclose(t->null_in);
    tui_sync_stop(t);
    reanalyser_stop(&t->reana);
    prompt_done(t);
    if (rc)
        fprintf(stderr, "fbreview: %s\n", err.msg);
    else if (tui_signalled)
        fputs("fbreview: interrupted; every saved decision is kept\n", stderr);
    if (t->timing)
        fclose(t->timing);
    if (t->script)
        fclose(t->script);
    free(t->script_buf);
    free(t->queue.rows);
    doc_free(&t->doc);
    doc_free(&t->stats_doc);
    case_folds_free(t);
    fb_case_free(&t->cur);
    free_list(&t->marks, &t->n_marks);
    free_list(&t->hits, &t->n_hits);
    workflow_close(&t->wf);
    store_close(&t->store);
    keymap_free(&t->km);
    return rc;
}
