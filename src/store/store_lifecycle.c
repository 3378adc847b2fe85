/* Writing the lifecycle's rows (store_lifecycle.h). */
#include "store_private.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/store_lifecycle.h"

static const char *const sql_delete[] = {
    "DELETE FROM lc_transition", "DELETE FROM lc_event", "DELETE FROM lc_queue", "DELETE FROM lc_action",
};
static const char *const sql_insert[] = {
    "INSERT INTO lc_transition(from_status, event, to_status, who, role) VALUES (?1,?2,?3,?4,?5)",
    "INSERT INTO lc_event(event, action, pending) VALUES (?1,?2,CAST(?3 AS INTEGER))",
    "INSERT INTO lc_queue(status, queue) VALUES (?1,?2)",
    "INSERT INTO lc_action(action, counts) VALUES (?1,CAST(?2 AS INTEGER))",
};
static const int n_cols[] = {5, 3, 2, 2};
#define N_LC_TABLES (sizeof sql_insert / sizeof sql_insert[0])

/* live_claim: the claim rule's condition (core's text, never the store's) over a case's
 * holder, lease end and the store's clock in ms. SQLite flattens the inner select, so a
 * reader's reviewer filter still reaches the case_by_claim index. DDL takes no bound
 * parameters: the condition is spliced in, and must be one expression (checked below). */
static const char sql_claim_drop[] = "DROP VIEW IF EXISTS live_claim";
static const char sql_claim_view_head[] =
    "CREATE VIEW live_claim AS SELECT case_id, reviewer, claim_until FROM"
    " (SELECT id AS case_id, claim_by AS reviewer, claim_until, claim_by AS holder, claim_until AS until_ms,"
    " CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) AS now_ms FROM \"case\") WHERE (";
static const char sql_claim_view_tail[] = ")";
static const char sql_sp_begin[] = "SAVEPOINT fb_lifecycle";
static const char sql_sp_release[] = "RELEASE fb_lifecycle";
static const char sql_sp_rollback[] = "ROLLBACK TO fb_lifecycle";

/* FNV-1a over every field (with separators), as 16 hex digits. */
static void fingerprint(const store_lc_row *rows, size_t n, char out[17])
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ (unsigned)rows[i].table) * 1099511628211ULL;
        for (int c = 0; c < 5; c++) {
            for (const char *p = rows[i].v[c] ? rows[i].v[c] : "\x01"; *p; p++)
                h = (h ^ (unsigned char)*p) * 1099511628211ULL;
            h = (h ^ 0x1F) * 1099511628211ULL;
        }
    }
    snprintf(out, 17, "%016" PRIx64, h);
}

static fb_status run(fb_store *s, const char *sql, fb_err *err, const char *doing)
{
    sqlite3_stmt *st = store_stmt(s, sql, err);
    return st ? store_step_done(s, st, err, doing) : err->status;
}

static fb_status put_claim_view(fb_store *s, const char *cond, fb_err *err, const char *doing)
{
    if (!cond || !cond[0] || strchr(cond, ';'))
        return fb_err_set(err, FB_EINTERNAL, "store %s: %s: the claim rule is not one SQL condition", s->path, doing);
    size_t n = strlen(sql_claim_view_head) + strlen(cond) + strlen(sql_claim_view_tail) + 1;
    char *sql = malloc(n);
    if (!sql)
        return fb_err_set(err, FB_ENOMEM, "out of memory");
    snprintf(sql, n, "%s%s%s", sql_claim_view_head, cond, sql_claim_view_tail);
    fb_status rc = run(s, sql_claim_drop, err, doing);
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    if (rc == FB_OK && sqlite3_prepare_v2(s->db, sql, -1, &st, &tail) != SQLITE_OK)
        rc = store_fail(s, err, doing);
    else if (rc == FB_OK && tail && *tail)
        rc = fb_err_set(err, FB_EINTERNAL, "store %s: %s: the claim rule is not one SQL condition", s->path, doing);
    else if (rc == FB_OK)
        rc = store_step_done(s, st, err, doing);
    sqlite3_finalize(st);
    free(sql);
    return rc;
}

fb_status store_lifecycle_put(fb_store *s, const store_lc_row *rows, size_t n, fb_err *err)
{
    if (sqlite3_db_readonly(s->db, "main") == 1)
        return FB_OK;
    char fp[17];
    fingerprint(rows, n, fp);
    char *have = store_state_get(s, "lifecycle");
    int same = have && strcmp(have, fp) == 0;
    free(have);
    if (same)
        return FB_OK;
    static const char doing[] = "writing the lifecycle table";
    if (run(s, sql_sp_begin, err, doing) != FB_OK)
        return err->status;
    fb_status rc = FB_OK;
    for (size_t t = 0; rc == FB_OK && t < sizeof sql_delete / sizeof sql_delete[0]; t++)
        rc = run(s, sql_delete[t], err, doing);
    for (size_t i = 0; rc == FB_OK && i < n; i++) {
        if (rows[i].table == STORE_LC_CLAIM_LIVE) {
            rc = put_claim_view(s, rows[i].v[0], err, doing);
            continue;
        }
        if ((size_t)rows[i].table >= N_LC_TABLES) {
            rc = fb_err_set(err, FB_EINTERNAL, "store %s: %s: unknown row kind %d", s->path, doing, (int)rows[i].table);
            break;
        }
        sqlite3_stmt *st = store_stmt(s, sql_insert[rows[i].table], err);
        if (!st) {
            rc = err->status;
            break;
        }
        for (int c = 0; c < n_cols[rows[i].table]; c++)
            store_bind_text(st, c + 1, rows[i].v[c]);
        rc = store_step_done(s, st, err, doing);
    }
    if (rc == FB_OK)
        rc = store_state_set(s, "lifecycle", fp, err);
    if (rc == FB_OK)
        return run(s, sql_sp_release, err, doing);
    fb_err keep = *err;
    run(s, sql_sp_rollback, err, doing);
    run(s, sql_sp_release, err, doing);
    *err = keep;
    return rc;
}
