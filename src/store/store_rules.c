/* The message analyser's tables (lexicon_term, frame_rule): seeding and reading. */
#include "store_private.h"

#include <stdlib.h>

#include "fbreview/store_rules.h"

static const char sql_count_terms[] = "SELECT count(*) FROM lexicon_term";
static const char sql_count_frames[] = "SELECT count(*) FROM frame_rule";
static const char sql_insert_term[] = "INSERT INTO lexicon_term(class, term) VALUES (?1,?2)";
static const char sql_insert_frame[] =
    "INSERT INTO frame_rule(name, outcome, weight, scope, needs, sentence) VALUES (?1,?2,?3,?4,?5,?6)";
static const char sql_each_term[] = "SELECT id, class, term FROM lexicon_term ORDER BY id";
static const char sql_each_frame[] =
    "SELECT id, name, outcome, weight, scope, needs, sentence FROM frame_rule ORDER BY id";
/* A savepoint nests inside a caller's transaction and acts as one when there is none. */
static const char sql_sp_begin[] = "SAVEPOINT fb_rules_seed";
static const char sql_sp_release[] = "RELEASE fb_rules_seed";
static const char sql_sp_rollback[] = "ROLLBACK TO fb_rules_seed";

static fb_status count_one(fb_store *s, const char *sql, int64_t *out, fb_err *err)
{
    *out = 0;
    sqlite3_stmt *st = store_stmt(s, sql, err);
    if (!st)
        return err->status;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? FB_OK : store_fail(s, err, "counting the message analyser's rules");
}

fb_status store_rules_count(fb_store *s, int64_t *terms, int64_t *frames, fb_err *err)
{
    if (count_one(s, sql_count_terms, terms, err) != FB_OK)
        return err->status;
    return count_one(s, sql_count_frames, frames, err);
}

static fb_status seed_rows(fb_store *s, const fb_term_row *terms, size_t n_terms, const fb_frame_row *frames,
                           size_t n_frames, size_t *inserted, fb_err *err)
{
    int64_t have_terms = 0, have_frames = 0;
    if (store_rules_count(s, &have_terms, &have_frames, err) != FB_OK)
        return err->status;
    sqlite3_stmt *st;
    for (size_t i = 0; have_terms == 0 && i < n_terms; i++) {
        if (!(st = store_stmt(s, sql_insert_term, err)))
            return err->status;
        store_bind_text(st, 1, terms[i].cls);
        store_bind_text(st, 2, terms[i].term);
        if (store_step_done(s, st, err, "seeding a lexicon term") != FB_OK)
            return err->status;
        (*inserted)++;
    }
    for (size_t i = 0; have_frames == 0 && i < n_frames; i++) {
        if (!(st = store_stmt(s, sql_insert_frame, err)))
            return err->status;
        store_bind_text(st, 1, frames[i].name);
        store_bind_text(st, 2, frames[i].outcome);
        sqlite3_bind_int(st, 3, frames[i].weight);
        store_bind_text(st, 4, frames[i].scope);
        store_bind_text(st, 5, frames[i].needs);
        store_bind_text(st, 6, frames[i].sentence);
        if (store_step_done(s, st, err, "seeding a frame rule") != FB_OK)
            return err->status;
        (*inserted)++;
    }
    return FB_OK;
}

static fb_status seed_or_replace(fb_store *s, const fb_term_row *terms, size_t n_terms, const fb_frame_row *frames,
                                 size_t n_frames, int replace, size_t *inserted, fb_err *err);

fb_status store_rules_seed(fb_store *s, const fb_term_row *terms, size_t n_terms, const fb_frame_row *frames,
                           size_t n_frames, size_t *inserted, fb_err *err)
{
    return seed_or_replace(s, terms, n_terms, frames, n_frames, 0, inserted, err);
}

fb_status store_rules_replace(fb_store *s, const fb_term_row *terms, size_t n_terms, const fb_frame_row *frames,
                              size_t n_frames, fb_err *err)
{
    return seed_or_replace(s, terms, n_terms, frames, n_frames, 1, NULL, err);
}

static fb_status seed_or_replace(fb_store *s, const fb_term_row *terms, size_t n_terms, const fb_frame_row *frames,
                                 size_t n_frames, int replace, size_t *inserted, fb_err *err)
{
    static const char *const sql_clear[] = {"DELETE FROM lexicon_term", "DELETE FROM frame_rule"};
    size_t count = 0;
    if (inserted)
        *inserted = 0;
    sqlite3_stmt *st = store_stmt(s, sql_sp_begin, err);
    if (!st || store_step_done(s, st, err, "starting to seed the analyser's rules") != FB_OK)
        return err->status;
    fb_status rc = FB_OK;
    for (size_t i = 0; replace && rc == FB_OK && i < 2; i++)
        rc = (st = store_stmt(s, sql_clear[i], err)) ? store_step_done(s, st, err, "replacing the analyser's rules")
                                                     : err->status;
    if (rc == FB_OK)
        rc = seed_rows(s, terms, n_terms, frames, n_frames, &count, err);
    if (rc != FB_OK) {
        fb_err keep = *err;
        if ((st = store_stmt(s, sql_sp_rollback, err)))
            store_step_done(s, st, err, "undoing the analyser's rule seed");
        if ((st = store_stmt(s, sql_sp_release, err)))
            store_step_done(s, st, err, "undoing the analyser's rule seed");
        *err = keep;
        return rc;
    }
    st = store_stmt(s, sql_sp_release, err);
    if (!st || store_step_done(s, st, err, "finishing the analyser's rule seed") != FB_OK)
        return err->status;
    if (inserted)
        *inserted = count;
    return FB_OK;
}

fb_status store_rules_each(fb_store *s, store_terms_fn on_term, store_frames_fn on_frame, void *ctx, fb_err *err)
{
    /* held: the callbacks may run other queries on the store */
    sqlite3_stmt *st = store_stmt_hold(s, sql_each_term, err);
    if (!st)
        return err->status;
    int rc;
    fb_status res = FB_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        fb_term_row row = {(const char *)sqlite3_column_text(st, 1), (const char *)sqlite3_column_text(st, 2)};
        if ((res = on_term(ctx, sqlite3_column_int64(st, 0), &row, err)) != FB_OK)
            break;
    }
    if (res == FB_OK && rc != SQLITE_DONE)
        res = store_fail(s, err, "reading lexicon terms");
    store_stmt_release(s, st);
    if (res != FB_OK)
        return res;
    if (!(st = store_stmt_hold(s, sql_each_frame, err)))
        return err->status;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        fb_frame_row row = {
            (const char *)sqlite3_column_text(st, 1), (const char *)sqlite3_column_text(st, 2),
            sqlite3_column_int(st, 3),                (const char *)sqlite3_column_text(st, 4),
            (const char *)sqlite3_column_text(st, 5), (const char *)sqlite3_column_text(st, 6),
        };
        if ((res = on_frame(ctx, sqlite3_column_int64(st, 0), &row, err)) != FB_OK)
            break;
    }
    if (res == FB_OK && rc != SQLITE_DONE)
        res = store_fail(s, err, "reading frame rules");
    store_stmt_release(s, st);
    return res;
}
