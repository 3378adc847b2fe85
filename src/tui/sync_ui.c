/* The console's side of sync: the engine runs in its own thread with its own store and
 * upstream connections (sync.h); the console only starts it, asks it for claims and for a
 * sync now, and reads its status when the loop is idle — it never waits on the network. */
#include "tui_private.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fbreview/store_sync.h"
#include "fbreview/sync.h"
#include "fbreview/timeutil.h"

void tui_sync_start(tui *t)
{
    fb_err err = {0};
    if (!t->app->upstream || !*t->app->upstream)
        return;
    int secs = (int)config_int(t->app->cfg, OPT_SYNC_INTERVAL);
    t->undo_window_ms = config_int(t->app->cfg, OPT_SYNC_UNDO_WINDOW) * 1000;
    if (sync_engine_start(t->app->db_path, t->app->upstream, t->app->cfg, t->app->reviewer, secs * 1000, &t->sync,
                          &err) != FB_OK)
        tui_message(t, 1, "sync not started: %s", err.msg);
}

void tui_sync_stop(tui *t)
{
    if (t->sync)
        sync_engine_stop(&t->sync);
}

int tui_sync_kick(tui *t)
{
    if (!t->sync)
        return 0;
    /* The round that answers this kick is one that begins after it (tui_sync_wait). */
    fb_sync_status st;
    sync_engine_status(t->sync, &st);
    t->sync_kick_round = st.rounds_started;
    sync_engine_kick(t->sync);
    return 1;
}

/* Scripts only (tests): `:sync` waits for the round it asked for, so the next scripted
 * key sees its outcome — no timing in the script. Bounded: gives up after 20 s. */
int tui_sync_wait(tui *t)
{
    fb_sync_status st;
    sync_engine_status(t->sync, &st);
    int64_t before = st.last_sync_ms;
    struct timespec tick = {0, 20 * 1000 * 1000};
    for (int i = 0; i < 1000; i++) {
        nanosleep(&tick, NULL);
        sync_engine_status(t->sync, &st);
        /* A round that began after the kick has finished: it saw every claim asked for
         * before the kick (a round already running when the kicked one was asked may not). */
        if (st.rounds_done > t->sync_kick_round)
            return st.last_sync_ms != before;
        if (!st.online && st.last_error[0] && i > 50)
            return 0;
    }
    return 0;
}

/* The undo window: the reviewer's newest unsent decision waits this long (or while its
 * undo box holds it) before the engine pushes it; the undo key takes it back until then. */
int64_t tui_undo_left_s(tui *t)
{
    if (!t->sync || t->undo_window_ms <= 0)
        return 0;
    int64_t until = store_sync_undo_until(t->store, t->app->reviewer, t->undo_window_ms);
    if (!until)
        return 0;
    int64_t left = until - fb_now_ms();
    return left > 0 ? (left + 999) / 1000 : 0;
}

/* Refreshes the status text; 1 when it changed (the caller redraws). A finished sync
 * round may have pulled cases and claims, so the queue page is read again then. */
int tui_sync_poll(tui *t, double now_ms)
{
    if (!t->sync)
        return 0;
    /* A case the reviewer stays on (not one scrolled past) is claimed upstream, a lease,
     * so two reviewers do not work it at once; only where the lifecycle allows a claim. */
    if (t->cur && strcmp(t->claimed, t->cur->id) != 0 && lifecycle_find(t->cur->status, LC_EV_CLAIM) &&
        (t->focus_case || now_ms - t->cur_since >= 1500)) {
        snprintf(t->claimed, sizeof t->claimed, "%s", t->cur->id);
        sync_engine_claim(t->sync, t->cur->id);
    }
    fb_sync_status st;
    char text[sizeof t->sync_text], ago[32];
    sync_engine_status(t->sync, &st);
    t->sync_st = st;
    /* The text only tells when to redraw (status_parts draws the line from sync_st), so
     * it carries whatever the line shows from the engine. */
    int len = snprintf(text, sizeof text, "%.60s %d %d · ", st.login, st.login_differs, st.roles);
    if (st.online && st.last_sync_ms)
        len += snprintf(text + len, sizeof text - (size_t)len, "synced %s ago",
                        fb_duration_short(fb_now_ms() - st.last_sync_ms, ago, sizeof ago));
    else if (st.online)
        len += snprintf(text + len, sizeof text - (size_t)len, "online");
    else
        len += snprintf(text + len, sizeof text - (size_t)len, "offline");
    len += snprintf(text + len, sizeof text - (size_t)len, " · %lld pending", (long long)st.pending);
    /* The countdown ticks: a new second redraws the status line. */
    int64_t undo_s = tui_undo_left_s(t);
    if (undo_s > 0)
        len += snprintf(text + len, sizeof text - (size_t)len, " · undo %llds", (long long)undo_s);
    if (st.conflicts)
        len += snprintf(text + len, sizeof text - (size_t)len, " · %lld conflicts", (long long)st.conflicts);
    if (st.policy_version)
        len += snprintf(text + len, sizeof text - (size_t)len, " · policy v%d", st.policy_version);
    if (st.claim_case[0] && (st.claim.granted || st.claim.holder[0]))
        len += st.claim.granted
                   ? snprintf(text + len, sizeof text - (size_t)len, " · you hold %.60s", st.claim_case)
                   : snprintf(text + len, sizeof text - (size_t)len, " · %.60s is held by %.60s", st.claim_case,
                              st.claim.holder);
    if (!st.online && st.last_error[0])
        snprintf(text + len, sizeof text - (size_t)len, " (%s)", st.last_error);
    int changed = strcmp(text, t->sync_text) != 0;
    if (st.rejected != t->sync_rejected) {
        /* A round answered rejections (or they were answered): the count and queue change. */
        t->sync_rejected = st.rejected;
        tui_refresh_counts(t);
        changed = 1;
    }
    if (st.last_sync_ms != t->sync_last) {
        t->sync_last = st.last_sync_ms;
        if (!t->too_small && !t->help_open) {
            /* Recount only when the round changed what the page shows: counting scans
             * the status index, too much to pay every few seconds on a large store. */
            uint64_t before = tui_page_hash(t);
            queue_reload(t);
            if (tui_page_hash(t) != before) {
                queue_changed(t);
                tui_refresh_counts(t);
                tui_open_selected(t);
            }
            changed = 1;
        }
    }
    snprintf(t->sync_text, sizeof t->sync_text, "%s", text);
    return changed;
}
