/* Save-a-decision latency (DESIGN.md §9: <= 2 ms, durable). Each decision is one
 * workflow_decide call: validation, the decision row, outbox, audit and status in one
 * transaction committed with synchronous=FULL. Prints figures; asserts nothing.
 * Also prints the disk's floor (the smallest durable SQLite commit in the same folder) and
 * the same decisions without fsync, so the figure can be read on any disk.
 * usage: bench_decide STORE_PATH [DECISIONS [FILLER_CASES]] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "fbreview/config.h"
#include "fbreview/decision.h"
#include "fbreview/store_case.h"

/* Bulk phase: BULK_CASES cases decided BULK_SIZE at a time, one durable transaction each. */
#define BULK_CASES 1000
#define BULK_SIZE 50

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The disk's floor: the smallest durable commit (one row, WAL, synchronous=FULL) on a
 * separate file in the same folder, timed alternately with the decisions so that both see
 * the same disk (shared virtual disks vary by 20x from minute to minute). */
static sqlite3 *floor_open(const char *store_path)
{
    char path[4096];
    snprintf(path, sizeof path, "%s.floor", store_path);
    sqlite3 *db = NULL;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return NULL;
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t(x)", NULL, NULL, NULL);
    return db;
}

static double floor_commit(sqlite3 *db)
{
    double t0 = now_ms();
    sqlite3_exec(db, "BEGIN IMMEDIATE; INSERT INTO t VALUES (1); COMMIT", NULL, NULL, NULL);
    return now_ms() - t0;
}

/* Cases in the store (a demo store may have been built before this program ran). */
static long count_cases(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long n = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "SELECT count(*) FROM \"case\"", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            n = (long)sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}

/* A realistic small case: two linked accounts, a contract-free self-hire signal. */
static int put_case(fb_store *s, const char *id, long k, fb_err *err)
{
    fb_case *c = fb_case_new();
    char sub[32], oth[32];
    snprintf(sub, sizeof sub, "u-%ld", 2 * k);
    snprintf(oth, sizeof oth, "u-%ld", 2 * k + 1);
    c->id = fb_strdup(id);
    c->opened_at = 1763632800000;
    c->alleged = c->suggested = FB_V_SELF_HIRE;
    c->risk = 80;
    fb_account *a = fb_grow((void **)&c->accounts, &c->n_accounts, sizeof *a);
    a->id = fb_strdup(sub);
    a->role = FB_ROLE_FREELANCER;
    a = fb_grow((void **)&c->accounts, &c->n_accounts, sizeof *a);
    a->id = fb_strdup(oth);
    a->role = FB_ROLE_CLIENT;
    fb_link *l = fb_grow((void **)&c->links, &c->n_links, sizeof *l);
    l->a = fb_strdup(sub);
    l->b = fb_strdup(oth);
    l->kind = FB_LINK_SAME_DEVICE;
    fb_signal *g = fb_grow((void **)&c->signals, &c->n_signals, sizeof *g);
    snprintf(g->code, sizeof g->code, "shared_device");
    g->violation = FB_V_SELF_HIRE;
    g->weight = 80;
    g->sentence = fb_strdup("Client and freelancer used the same device.");
    c->subject = fb_strdup(sub);
    c->counterparty = fb_strdup(oth);
    fb_status rc = store_case_put(s, c, "local", NULL, err);
    fb_case_free(&c);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_decide STORE_PATH [DECISIONS [FILLER_CASES]]\n");
        return 2;
    }
    long n = argc > 2 ? atol(argv[2]) : 2000;
    long fill = argc > 3 ? atol(argv[3]) : 0;
    fb_err err = {0};
    fb_store *s = NULL;
    fb_config *cfg = config_defaults();
    fb_workflow *wf = NULL;
    if (store_open(argv[1], STORE_CREATE, &s, &err) != FB_OK)
        goto fail;
    /* Setup in bulk mode (not timed); decisions run with synchronous=FULL again. */
    store_set_bulk(s, 1);
    if (store_begin(s, &err) != FB_OK)
        goto fail;
    char id[32];
    for (long k = 0; k < n + fill + BULK_CASES; k++) {
        snprintf(id, sizeof id, k < n ? "B-%ld" : k < n + BULK_CASES ? "K-%ld" : "F-%ld", k);
        if (put_case(s, id, k, &err) != FB_OK)
            goto fail;
    }
    if (store_commit(s, &err) != FB_OK)
        goto fail;
    store_set_bulk(s, 0);
    if (workflow_open(s, cfg, "bench", &wf, &err) != FB_OK)
        goto fail;
    /* First half durable, each decision next to a floor commit; second half without fsync:
     * what the decision itself costs (never done for real). */
    long half = n / 2;
    double *t = malloc((size_t)n * sizeof *t), *fl = malloc((size_t)half * sizeof *fl);
    sqlite3 *fdb = floor_open(argv[1]);
    for (long k = 0; k < n; k++) {
        if (k == half)
            store_set_bulk(s, 1);
        if (k < half)
            fl[k] = floor_commit(fdb);
        snprintf(id, sizeof id, "B-%ld", k);
        fb_decide_req r = {id, 1, FB_A_NONE, FB_V_NONE, 0, NULL, 0};
        fb_decide_plan p;
        double t0 = now_ms();
        if (workflow_decide(wf, &r, 1, &p, &err) != FB_OK)
            goto fail;
        t[k] = now_ms() - t0;
        decide_plan_clear(&p);
    }
    store_set_bulk(s, 0);
    sqlite3_close(fdb);
    qsort(t, (size_t)half, sizeof *t, cmp_double);
    qsort(t + half, (size_t)(n - half), sizeof *t, cmp_double);
    qsort(fl, (size_t)half, sizeof *fl, cmp_double);
    printf("decide: %ld durable decisions (one transaction each, synchronous=FULL) on a store of %ld cases\n",
           half, count_cases(argv[1]));
    printf("decide: median %.3f ms  p90 %.3f ms  p99 %.3f ms  max %.3f ms   budget 2 ms (durable)\n", t[half / 2],
           t[half * 9 / 10], t[half * 99 / 100], t[half - 1]);
    printf("decide: this disk's floor meanwhile, the smallest durable SQLite commit: median %.3f ms  p90 %.3f ms\n",
           fl[half / 2], fl[half * 9 / 10]);
    /* Bulk: one transaction for BULK_SIZE cases (the console's subject/cluster decisions). */
    fb_decide_req reqs[BULK_SIZE];
    fb_decide_plan plans[BULK_SIZE];
    char ids[BULK_SIZE][32];
    double bt[BULK_CASES / BULK_SIZE];
    for (long b = 0; b < BULK_CASES / BULK_SIZE; b++) {
        for (long j = 0; j < BULK_SIZE; j++) {
            snprintf(ids[j], sizeof ids[j], "K-%ld", n + b * BULK_SIZE + j);
            fb_decide_req r = {ids[j], 1, FB_A_NONE, FB_V_NONE, 0, NULL, 0};
            reqs[j] = r;
        }
        double t0 = now_ms();
        if (workflow_decide(wf, reqs, BULK_SIZE, plans, &err) != FB_OK)
            goto fail;
        bt[b] = now_ms() - t0;
        for (long j = 0; j < BULK_SIZE; j++)
            decide_plan_clear(&plans[j]);
    }
    qsort(bt, BULK_CASES / BULK_SIZE, sizeof *bt, cmp_double);
    printf("decide: bulk of %d cases in one durable transaction: median %.3f ms (%.3f ms per case)\n", BULK_SIZE,
           bt[BULK_CASES / BULK_SIZE / 2], bt[BULK_CASES / BULK_SIZE / 2] / BULK_SIZE);
    printf("decide: the same decision without fsync (%ld decisions, synchronous=OFF): median %.3f ms\n", n - half,
           t[half + (n - half) / 2]);
    free(fl);
    free(t);
    workflow_close(&wf);
    store_close(&s);
    config_free(&cfg);
    return 0;
fail:
    fprintf(stderr, "bench_decide: %s\n", err.msg);
    return 1;
}
