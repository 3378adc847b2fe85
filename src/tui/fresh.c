/* Fresh data: the console notices commits other connections made to its store (the CLI,
 * a second console, the sync engine's thread) when it is idle, and reads the queue page,
 * the counts and the case on screen again — so a count never disagrees with the pane. */
#include "tui_private.h"

#include <stdint.h>
#include <string.h>
#include <time.h>

uint64_t tui_page_hash(const tui *t)
{
    uint64_t h = 1469598103934665603ULL;   /* FNV-1a over ids, statuses and claims */
    for (size_t i = 0; i < t->queue.n; i++) {
        for (const char *p = t->queue.rows[i].id; *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211ULL;
        h = (h ^ (uint64_t)(t->queue.rows[i].status + 1)) * 1099511628211ULL;
        h = (h ^ (uint64_t)t->queue.rows[i].claim_until) * 1099511628211ULL;
    }
    return h ^ t->queue.n;
}

void tui_reload_current(tui *t)
{
    char id[128] = "";
    int top = t->doc_top;
    if (t->cur)
        snprintf(id, sizeof id, "%s", t->cur->id);
    fb_case_free(&t->cur);
    tui_open_selected(t);
    if (t->cur && strcmp(t->cur->id, id) == 0)
        t->doc_top = top;   /* the same case: the reviewer keeps their place in it */
}

int tui_fresh_poll(tui *t)
{
    int64_t v = store_data_version(t->store);
    if (v < 0 || v == t->data_version)
        return 0;
    t->data_version = v;
    /* Another connection wrote: the rules may have changed (a pulled policy, an operator),
     * so the case shown is checked against them, and the worker looks for stale cases. */
    fb_err err = {0};
    if (workflow_rules_recheck(t->wf, &err) != FB_OK)
        tui_message(t, 1, "%s", err.msg);
    reanalyser_nudge(t->reana);
    if (t->too_small || t->help_open)
        return 0;
    /* Counting scans the status index: only when the page or the audit head moved (every
     * local change writes audit; the engine's rounds alone move neither). */
    uint64_t before = tui_page_hash(t);
    int64_t head = store_audit_head(t->store);
    queue_reload(t);
    /* The background walk reorders the page (risks change) with every batch but moves no
     * case between queues: the counts wait for its end (tui_reanalyse_poll), unless a
     * risk filter makes them depend on it. */
    const queue_query *q = &t->queue.q;
    int by_risk = q->risk_min > 0 || q->risk_max < 100;
    if (head != t->audit_head || (tui_page_hash(t) != before && (!t->reana_st.active || by_risk))) {
        t->audit_head = head;
        queue_changed(t);   /* the title's "n of N" under a filter is counted again */
        tui_refresh_counts(t);
    }
    tui_reload_current(t);
    return 1;
}

static double fresh_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int tui_reanalyse_poll(tui *t)
{
    if (!t->reana)
        return 0;
    fb_reanalyse_status st;
    reanalyser_status(t->reana, &st);
    int pct_was = t->reana_st.total > 0 ? (int)(t->reana_st.done * 100 / t->reana_st.total) : -1;
    int pct = st.total > 0 ? (int)(st.done * 100 / st.total) : -1;
    int changed = st.active != t->reana_st.active || pct != pct_was || strcmp(st.error, t->reana_st.error) != 0;
    if (st.walks != t->reana_st.walks && st.done > 0)
        tui_message(t, 0, "%lld case%s analysed again with the current rules", (long long)st.done,
                    st.done == 1 ? "" : "s");
    else if (st.error[0] && strcmp(st.error, t->reana_st.error) != 0)
        tui_message(t, 1, "analysing cases again stopped: %s", st.error);
    if (st.walks != t->reana_st.walks) {
        /* the walk's end: what the counts skipped while it ran (tui_fresh_poll) */
        queue_changed(t);
        tui_refresh_counts(t);
        changed = 1;
    }
    if (t->timing && st.total > 0 && t->reana_st.total <= 0)
        fprintf(t->timing, "reanalyse_stale %lld\n", (long long)st.total);
    if (t->timing && st.walks != t->reana_st.walks)
        fprintf(t->timing, "reanalyse_done_ms %.3f\nreanalysed %lld\n", fresh_mono_ms() - t->t_start,
                (long long)st.done);
    if (t->timing)
        fflush(t->timing);   /* read while the console runs (bench_reanalyse) */
    t->reana_st = st;
    return changed;
}
