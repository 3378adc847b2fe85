/* fbreview sync [--once | --watch] — push decisions, pull cases, appeals and others' decisions. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fbreview/cli.h"
#include "fbreview/cliopt.h"
#include "fbreview/store_sync.h"
#include "fbreview/sync.h"
#include "fbreview/timeutil.h"

/* Every refused row of this run, on stdout with upstream's reason, as upstream answered. */
static void print_refused(void *ctx, const char *kind, const char *ref, upstream_outcome outcome, const char *reason)
{
    (void)ctx;
    if (strcmp(kind, "case") == 0) {
        fprintf(stderr, "fbreview sync: upstream case %s skipped (this fbreview cannot read it: %s)\n", ref, reason);
        return;
    }
    printf("%s %s: %s: %s\n", kind, ref, outcome == UPSTREAM_CONFLICT ? "conflict" : "rejected",
           reason && *reason ? reason : "no reason given");
}

static void print_report(const fb_sync_report *r)
{
    printf("pushed %ld (accepted %ld, conflicts %ld, rejected %ld) in %ld batches; "
           "pulled %ld cases, %ld decisions, %ld other rows\n",
           r->pushed, r->accepted, r->conflicts, r->rejected, r->batches, r->pulled_cases, r->pulled_decisions,
           r->pulled_other);
    if (r->purged)
        printf("local retention: evidence of %ld decided case%s purged from this store\n", r->purged,
               r->purged == 1 ? "" : "s");
}

static int sync_run_once(fb_app *app, int push_only)
{
    fb_store *s;
    /* A new console starts with an empty store and fills it from upstream. */
    int rc = cli_open_store(app, STORE_CREATE, &s);
    if (rc)
        return rc;
    fb_err err = {0};
    fb_upstream *up = NULL;
    fb_sync_report rep = {0};
    rep.on_refused = print_refused;
    /* A lost connection (a server restart, a pooler's stale server connection) gets a few
     * retries with exponential backoff; every step is idempotent, so a retry is safe. */
    fb_status st = FB_EUPSTREAM;
    long backoff_ms = 250;
    int told = 0;
    upstream_timeouts lim;
    sync_timeouts(app->cfg, &lim);
    for (int attempt = 1; attempt <= 3; attempt++) {
        fb_err_clear(&err);
        if (!up || !upstream_alive(up)) {
            upstream_close(&up);
            st = upstream_connect(app->upstream, &up, &err);
            if (st == FB_OK)
                upstream_set_timeouts(up, &lim);
            /* Who upstream says we are, said once before anything is pushed. */
            char login[128], msg[700];
            int roles = 0;
            if (st == FB_OK && !told && upstream_check_schema(up, &err) == FB_OK &&
                upstream_whoami(up, login, &roles, &err) == FB_OK &&
                sync_identity_problem(app->reviewer, login, roles, msg, sizeof msg))
                fprintf(stderr, "fbreview sync: warning: %s\n", msg);
            if (st == FB_OK) {
                told = 1;
                fb_err_clear(&err);   /* a failed look-up only costs the warning */
            }
        } else {
            st = FB_OK;
        }
        /* --once pushes at once: the undo window is the engine's (console, --watch). */
        if (st == FB_OK)
            st = push_only ? sync_push(s, up, sync_batch_size(app->cfg), 0, &rep, &err)
                           : sync_once(s, up, app->cfg, 0, &rep, &err);
        if (st != FB_EUPSTREAM || attempt == 3)
            break;
        fprintf(stderr, "fbreview sync: %s; retrying in %ld ms\n", err.msg, backoff_ms);
        struct timespec ts = {backoff_ms / 1000, (backoff_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
        backoff_ms *= 2;
    }
    if (st == FB_OK) {
        print_report(&rep);
        /* A rejected row was never applied upstream: the run did not do what was asked, so
         * it fails loudly (conflicts are answers with a winner, `fbreview conflict`). */
        if (rep.rejected > 0) {
            fprintf(stderr,
                    "fbreview sync: upstream rejected %ld change%s (listed above with upstream's reason); "
                    "they are kept as rejected and never applied: read the case again "
                    "(`fbreview show CASE`) and decide anew if it still needs a decision\n",
                    rep.rejected, rep.rejected == 1 ? "" : "s");
            rc = 1;
        }
    } else {
        if (rep.pushed)
            print_report(&rep);
        fb_err_wrap(&err, "sync");
        rc = cli_fail(&err);
        fputs("fbreview: nothing is lost: unsent decisions stay in the outbox; run `fbreview sync` again\n", stderr);
    }
    upstream_close(&up);
    store_close(&s);
    return rc;
}

/* --watch reports the decisions upstream rejected since it started, each once. */
struct watch_rejected {
    int64_t since;       /* the next answer time to look from */
    long printed;
    char last_id[37];    /* the last one printed at `since` (answers can share a millisecond) */
};

static void print_watch_rejected(void *vctx, const char *id, const char *case_id, const char *reason, int64_t at)
{
    struct watch_rejected *w = vctx;
    if (!id || (at == w->since && w->last_id[0] && strcmp(id, w->last_id) <= 0))
        return;   /* printed in an earlier look */
    printf("decision %s: rejected: %s (case %s)\n", id, reason && *reason ? reason : "no reason given",
           case_id ? case_id : "?");
    fflush(stdout);
    w->since = at;
    snprintf(w->last_id, sizeof w->last_id, "%s", id);
    w->printed++;
}

/* --watch: the engine thread syncs; this thread only waits for SIGINT/SIGTERM (blocked
 * everywhere and taken with sigtimedwait, so no work happens in a signal handler) and
 * reports changes of state on stderr, and each decision upstream rejected on stdout
 * (the exit status is then 1, as for --once). */
static int sync_run_watch(fb_app *app, int interval_ms)
{
    if (!app->upstream || !*app->upstream) {
        fb_err e = {0};
        fb_err_set(&e, FB_ECONFIG, "no upstream: set FBREVIEW_UPSTREAM or [sync] upstream in the config");
        return cli_fail(&e);
    }
    fb_store *s;
    int rc = cli_open_store(app, STORE_CREATE, &s);   /* fail early and clearly on a missing store */
    if (rc)
        return rc;
    struct watch_rejected rej = {fb_now_ms(), 0, ""};
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    fb_err err = {0};
    fb_sync_engine *e = NULL;
    if (sync_engine_start(app->db_path, app->upstream, app->cfg, app->reviewer, interval_ms, &e, &err) != FB_OK) {
        store_close(&s);
        return cli_fail(&err);
    }
    fb_sync_status last = {0};
    int sig = 0;
    for (;;) {
        struct timespec ts = {0, 200 * 1000000L};
        sig = sigtimedwait(&set, NULL, &ts);
        if (sig == SIGINT || sig == SIGTERM)
            break;
        fb_sync_status st;
        sync_engine_status(e, &st);
        if (strcmp(st.last_error, last.last_error) != 0 && st.last_error[0])
            fprintf(stderr, "fbreview sync: offline: %s (retrying)\n", st.last_error);
        if (st.last_sync_ms != last.last_sync_ms &&
            (st.pending != last.pending || st.conflicts != last.conflicts || last.last_sync_ms == 0 ||
             last.last_error[0]))
            fprintf(stderr, "fbreview sync: synced; %lld pending, %lld conflicts\n", (long long)st.pending,
                    (long long)st.conflicts);
        if (st.rounds_done != last.rounds_done &&
            store_sync_rejected_since(s, rej.since, print_watch_rejected, &rej, &err) != FB_OK) {
            fprintf(stderr, "fbreview sync: %s\n", err.msg);
            fb_err_clear(&err);
        }
        last = st;
        if (!st.running)
            break;
    }
    sync_engine_stop(&e);
    /* The engine's last round may have answered more: report them before leaving. */
    if (store_sync_rejected_since(s, rej.since, print_watch_rejected, &rej, &err) != FB_OK)
        fprintf(stderr, "fbreview sync: %s\n", err.msg);
    store_close(&s);
    fprintf(stderr, "fbreview sync: stopped%s\n", sig > 0 ? " on signal" : "");
    if (rej.printed > 0)
        fprintf(stderr, "fbreview sync: upstream rejected %ld decision%s while watching (listed on standard "
                        "output with upstream's reason); they were never applied\n",
                rej.printed, rej.printed == 1 ? "" : "s");
    return sig > 0 && rej.printed == 0 ? 0 : 1;
}

int cli_sync(fb_app *app, int argc, char **argv)
{
    int watch = 0, once = 0, push_only = 0;
    long long interval = 5;
    cliopt opts[] = {
        {.name = "once", .kind = CLIOPT_FLAG, .dest = &once,
         .help = "one round of push and pull, then exit (the default)"},
        {.name = "watch", .kind = CLIOPT_FLAG, .dest = &watch, .help = "keep syncing until interrupted"},
        /* measuring the push alone (tests/bench/bench_sync.sh) */
        {.name = "push-only", .kind = CLIOPT_FLAG, .dest = &push_only, .help = "push only, no pull (for measuring)"},
        {.name = "interval", .kind = CLIOPT_INT, .dest = &interval, .value_name = "S", .min = 1, .max = 86400,
         .needs = "whole seconds", .help = "seconds between rounds with --watch (default 5)"},
        {0},
    };
    cliopt_spec spec = {.cmd = "sync", .opts = opts, .max_args = 0};
    if (cliopt_parse(&spec, argc, argv) < 0)
        return spec.exit_status;
    if (once && watch)
        return cli_usage("sync", "--once and --watch exclude each other");
    return watch ? sync_run_watch(app, (int)interval * 1000) : sync_run_once(app, push_only);
}
