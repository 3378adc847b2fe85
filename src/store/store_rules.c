/* The phrase_rule table: seeding and reading the message phrase rules. */
#include "store_private.h"

#include <stdlib.h>

#include "fbreview/store_rules.h"

static const char sql_count[] = "SELECT count(*) FROM phrase_rule";
static const char sql_insert[] =
    "INSERT INTO phrase_rule(pattern, violation, weight, sentence) VALUES (?1,?2,?3,?4)";
static const char sql_each[] = "SELECT id, pattern, violation, weight, sentence FROM phrase_rule ORDER BY id";
/* A savepoint nests inside a caller's transaction and acts as one when there is none. */
static const char sql_sp_begin[] = "SAVEPOINT fb_rules_seed";
static const char sql_sp_release[] = "RELEASE fb_rules_seed";
static const char sql_sp_rollback[] = "ROLLBACK TO fb_rules_seed";

fb_status store_rules_count(fb_store *s, int64_t *out, fb_err *err)
{
    *out = 0;
    sqlite3_stmt *st = store_stmt(s, sql_count, err);
    if (!st)
        return err->status;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? FB_OK : store_fail(s, err, "counting phrase rules");
}

fb_status store_rules_seed(fb_store *s, const fb_rule_row *rows, size_t n, size_t *inserted, fb_err *err)
{
    if (inserted)
        *inserted = 0;
    sqlite3_stmt *st = store_stmt(s, sql_sp_begin, err);
    if (!st || store_step_done(s, st, err, "starting to seed phrase rules") != FB_OK)
        return err->status;
    int64_t have = 0;
    fb_status rc = store_rules_count(s, &have, err);
    for (size_t i = 0; rc == FB_OK && have == 0 && i < n; i++) {
        if (!(st = store_stmt(s, sql_insert, err))) {
            rc = err->status;
            break;
        }
        store_bind_text(st, 1, rows[i].pattern);
        store_bind_text(st, 2, rows[i].violation);
        sqlite3_bind_int(st, 3, rows[i].weight);
        store_bind_text(st, 4, rows[i].sentence);
        rc = store_step_done(s, st, err, "seeding a phrase rule");
        if (rc == FB_OK && inserted)
            (*inserted)++;
    }
    if (rc != FB_OK) {
        fb_err keep = *err;
        if ((st = store_stmt(s, sql_sp_rollback, err)))
            store_step_done(s, st, err, "undoing the phrase rule seed");
        if ((st = store_stmt(s, sql_sp_release, err)))
            store_step_done(s, st, err, "undoing the phrase rule seed");
        *err = keep;
        if (inserted)
            *inserted = 0;
        return rc;
    }
    st = store_stmt(s, sql_sp_release, err);
    if (!st || store_step_done(s, st, err, "finishing the phrase rule seed") != FB_OK)
        return err->status;
    return FB_OK;
}

fb_status store_rules_each(fb_store *s, store_rules_fn fn, void *ctx, fb_err *err)
{
    sqlite3_stmt *st = store_stmt_hold(s, sql_each, err);
    if (!st)
        return err->status;
    int rc;
    fb_status res = FB_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        fb_rule_row row = {
            (const char *)sqlite3_column_text(st, 1),
            (const char *)sqlite3_column_text(st, 2),
            sqlite3_column_int(st, 3),
            (const char *)sqlite3_column_text(st, 4),
        };
        if ((res = fn(ctx, sqlite3_column_int64(st, 0), &row, err)) != FB_OK)
            break;
    }
    if (res == FB_OK && rc != SQLITE_DONE)
        res = store_fail(s, err, "reading phrase rules");
    store_stmt_release(s, st);
    return res;
}
