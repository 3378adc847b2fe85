/* The console's background re-analysis: a worker thread, its own store connection, bounded
 * batches (ingest_reanalyse_step). The console asks for its status when idle. */
#include "fbreview/reanalyse.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fbreview/ingest.h"
#include "fbreview/mem.h"
#include "fbreview/store.h"

struct fb_reanalyser {
    char *db_path;
    pthread_t thread;
    int started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop, nudged;
    fb_reanalyse_status st;
};

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Waits for a nudge or stop; with ms > 0 at most that long (the gap between batches). */
static int wait_turn(fb_reanalyser *r, double ms)
{
    pthread_mutex_lock(&r->mu);
    if (ms > 0) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        long ns = until.tv_nsec + (long)(ms * 1e6);
        until.tv_sec += ns / 1000000000L;
        until.tv_nsec = ns % 1000000000L;
        if (!r->stop)
            pthread_cond_timedwait(&r->cv, &r->mu, &until);
    } else {
        while (!r->stop && !r->nudged)
            pthread_cond_wait(&r->cv, &r->mu);
        r->nudged = 0;
    }
    int stop = r->stop;
    pthread_mutex_unlock(&r->mu);
    return !stop;
}

static void publish(fb_reanalyser *r, int active, const fb_reanalysis *w, int finished, const fb_err *err)
{
    pthread_mutex_lock(&r->mu);
    r->st.active = active;
    if (w) {
        r->st.done = w->done;
        r->st.total = w->total;
    }
    r->st.walks += finished;
    snprintf(r->st.error, sizeof r->st.error, "%s", err && err->status != FB_OK ? err->msg : "");
    pthread_mutex_unlock(&r->mu);
}

static void *run(void *arg)
{
    fb_reanalyser *r = arg;
    fb_store *s = NULL;
    fb_ingest *in = NULL;
    fb_err err = {0};
    if (store_open(r->db_path, STORE_INTERACTIVE | STORE_BACKGROUND, &s, &err) != FB_OK ||
        ingest_open_lazy(s, &in, &err) != FB_OK) {
        publish(r, 0, NULL, 0, &err);
        ingest_close(&in);
        store_close(&s);
        return NULL;
    }
    fb_reanalysis w;
    memset(&w, 0, sizeof w);
    w.total = -1;
    int walking = 0;
    for (;;) {
        if (!walking) {
            fb_err_clear(&err);
            int due = ingest_pending(in, &err);
            if (due < 0) {
                publish(r, 0, &w, 0, &err);
                if (!wait_turn(r, 0))
                    break;
                continue;
            }
            if (due) {
                walking = 1;
                ingest_reanalysis_clear(&w);
                publish(r, 1, &w, 0, NULL);
            } else if (!wait_turn(r, 0)) {
                break;
            } else {
                continue;
            }
        }
        fb_err_clear(&err);
        double t0 = mono_ms();
        if (ingest_reanalyse_step(in, &w, INGEST_REANALYSE_BATCH, &err) != FB_OK) {
            walking = 0;
            publish(r, 0, &w, 0, &err);
            if (!wait_turn(r, 0))
                break;
            continue;
        }
        if (w.finished) {
            walking = 0;
            publish(r, 0, &w, 1, NULL);
            continue;   /* the rules may have changed again meanwhile: look before waiting */
        }
        publish(r, 1, &w, 0, NULL);
        /* A gap after each batch, a quarter of its time: other processes' writers (a
         * `fbreview decide`, a second console) get their turn through SQLite's busy wait. */
        double took = mono_ms() - t0;
        if (!wait_turn(r, took / 4 > INGEST_REANALYSE_GAP_MS ? took / 4 : INGEST_REANALYSE_GAP_MS))
            break;
    }
    ingest_reanalysis_clear(&w);
    ingest_close(&in);
    store_close(&s);
    return NULL;
}

fb_status reanalyser_start(const char *db_path, fb_reanalyser **out, fb_err *err)
{
    *out = NULL;
    fb_reanalyser *r = calloc(1, sizeof *r);
    if (!r || !(r->db_path = fb_strdup(db_path))) {
        free(r);
        return fb_err_set(err, FB_ENOMEM, "out of memory");
    }
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
    r->st.total = -1;
    if (pthread_create(&r->thread, NULL, run, r) != 0) {
        reanalyser_stop(&r);
        return fb_err_set(err, FB_EINTERNAL, "cannot start the re-analysis thread");
    }
    r->started = 1;
    *out = r;
    return FB_OK;
}

void reanalyser_nudge(fb_reanalyser *r)
{
    if (!r)
        return;
    pthread_mutex_lock(&r->mu);
    r->nudged = 1;
    pthread_cond_signal(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

void reanalyser_status(fb_reanalyser *r, fb_reanalyse_status *st)
{
    pthread_mutex_lock(&r->mu);
    *st = r->st;
    pthread_mutex_unlock(&r->mu);
}

void reanalyser_stop(fb_reanalyser **rp)
{
    fb_reanalyser *r = rp ? *rp : NULL;
    if (!r)
        return;
    if (r->started) {
        pthread_mutex_lock(&r->mu);
        r->stop = 1;
        pthread_cond_broadcast(&r->cv);
        pthread_mutex_unlock(&r->mu);
        pthread_join(r->thread, NULL);
    }
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv);
    free(r->db_path);
    free(r);
    *rp = NULL;
}
