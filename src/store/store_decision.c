/* Decisions, appeals, notes, outbox and audit rows: all the SQL of the decision workflow. */
#include "store_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/store_decision.h"
#include "fbreview/timeutil.h"

static const char *const approvals[] = {
#define FB_X(e, s, out) [e] = s,
    FB_APPROVAL_TABLE(FB_X)
#undef FB_X
};
static const char *const approval_words[] = {
#define FB_X(e, s, out) [e] = out,
    FB_APPROVAL_TABLE(FB_X)
#undef FB_X
};

const char *fb_approval_word(fb_approval a)
{
    return (int)a >= 0 && a < FB_APPR_COUNT ? approval_words[a] : approval_words[FB_APPR_NONE];
}

const char *fb_approval_str(fb_approval a)
{
    return (int)a >= 0 && a < FB_APPR_COUNT ? approvals[a] : NULL;
}

fb_approval fb_approval_from_str(const char *s)
{
    for (int i = 0; s && i < FB_APPR_COUNT; i++)
        if (strcmp(approvals[i], s) == 0)
            return (fb_approval)i;
    return FB_APPR_UNKNOWN;
}

#define PREP(var, sql)                                                   \
    sqlite3_stmt *var = store_stmt(s, (sql), err);                       \
    if (!var)                                                            \
        return err->status

/* Copies a text column into a fixed buffer ("" for NULL). */
static void col_copy(char *dst, size_t n, sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(dst, n, "%s", t ? (const char *)t : "");
}

/* ---- decisions ---- */

void store_decision_row_clear(fb_decision_row *d)
{
    free(d->case_id);
    free(d->reviewer);
    free(d->rationale);
    free(d->notice);
    free(d->approved_by);
    free(d->approval_rationale);
    free(d->upstream_note);
    memset(d, 0, sizeof *d);
}

static const char sql_decision_insert[] =
    "INSERT INTO decision(id, case_id, reviewer, action, violation, days, rationale, rec_action,"
    " rec_violation, rec_days, overridden, notice, decided_at, supersedes, approval, claim_override, prior_status,"
    " policy_version)"
    " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18)";

fb_status store_decision_insert(fb_store *s, const fb_decision_row *d, fb_err *err)
{
    PREP(st, sql_decision_insert);
    store_bind_text(st, 1, d->id);
    store_bind_text(st, 2, d->case_id);
    store_bind_text(st, 3, d->reviewer);
    store_bind_text(st, 4, fb_action_str(d->action));
    store_bind_text(st, 5, fb_violation_str(d->violation));
    if (d->action == FB_A_SUSPENSION)
        sqlite3_bind_int(st, 6, d->days);
    store_bind_text(st, 7, d->rationale && d->rationale[0] ? d->rationale : NULL);
    store_bind_text(st, 8, fb_action_str(d->rec_action));
    store_bind_text(st, 9, fb_violation_str(d->rec_violation));
    if (d->rec_action == FB_A_SUSPENSION)
        sqlite3_bind_int(st, 10, d->rec_days);
    sqlite3_bind_int(st, 11, d->overridden != 0);
    store_bind_text(st, 12, d->notice);
    sqlite3_bind_int64(st, 13, d->decided_at);
    store_bind_text(st, 14, d->supersedes[0] ? d->supersedes : NULL);
    store_bind_text(st, 15, fb_approval_str(d->approval));
    sqlite3_bind_int(st, 16, d->claim_override != 0);
    store_bind_text(st, 17, fb_case_status_str(d->prior_status));
    if (d->policy_version > 0)
        sqlite3_bind_int(st, 18, d->policy_version);
    return store_step_done(s, st, err, "saving a decision");
}

#define DECISION_COLS                                                                             \
    "id, case_id, reviewer, action, violation, days, rationale, rec_action, rec_violation, rec_days," \
    " overridden, notice, decided_at, supersedes, approval, approved_by, approved_at, claim_override," \
    " undone_at, sync_state, synced_at, upstream_note, coalesce(conflict_resolved_at, rejection_answered_at)," \
    " coalesce(conflict_resolution, rejection_answer), prior_status," \
    " conflict_winner, approval_rationale," \
    " policy_version"

static void decision_from_row(sqlite3_stmt *st, fb_decision_row *d)
{
    memset(d, 0, sizeof *d);
    col_copy(d->id, sizeof d->id, st, 0);
    d->case_id = store_col_text(st, 1);
    d->reviewer = store_col_text(st, 2);
    d->action = fb_action_from_str((const char *)sqlite3_column_text(st, 3));
    d->violation = fb_violation_from_str((const char *)sqlite3_column_text(st, 4));
    d->days = sqlite3_column_int(st, 5);
    d->rationale = store_col_text(st, 6);
    d->rec_action = fb_action_from_str((const char *)sqlite3_column_text(st, 7));
    d->rec_violation = fb_violation_from_str((const char *)sqlite3_column_text(st, 8));
    d->rec_days = sqlite3_column_int(st, 9);
    d->overridden = sqlite3_column_int(st, 10);
    d->notice = store_col_text(st, 11);
    d->decided_at = sqlite3_column_int64(st, 12);
    col_copy(d->supersedes, sizeof d->supersedes, st, 13);
    d->approval = fb_approval_from_str((const char *)sqlite3_column_text(st, 14));
    d->approved_by = store_col_text(st, 15);
    d->approved_at = sqlite3_column_int64(st, 16);
    d->claim_override = sqlite3_column_int(st, 17);
    d->undone_at = sqlite3_column_int64(st, 18);
    d->sync_state = fb_sync_from_str((const char *)sqlite3_column_text(st, 19));
    d->synced_at = sqlite3_column_int64(st, 20);
    d->upstream_note = store_col_text(st, 21);
    d->conflict_resolved_at = sqlite3_column_int64(st, 22);
    col_copy(d->conflict_resolution, sizeof d->conflict_resolution, st, 23);
    d->prior_status = fb_case_status_from_str((const char *)sqlite3_column_text(st, 24));
    col_copy(d->conflict_winner, sizeof d->conflict_winner, st, 25);
    d->approval_rationale = store_col_text(st, 26);
    d->policy_version = sqlite3_column_int(st, 27);
}

/* Runs a one-row query bound to one text; 1 row, 0 none, -1 error. */
static int decision_one(fb_store *s, const char *sql, const char *arg, fb_decision_row *out, fb_err *err,
                        const char *doing)
{
    sqlite3_stmt *st = store_stmt(s, sql, err);
    if (!st)
        return -1;
    store_bind_text(st, 1, arg);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        decision_from_row(st, out);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    store_fail(s, err, doing);
    return -1;
}

static const char sql_decision_load[] = "SELECT " DECISION_COLS " FROM decision WHERE id=?1";

fb_status store_decision_load(fb_store *s, const char *id, fb_decision_row *out, fb_err *err)
{
    int r = decision_one(s, sql_decision_load, id, out, err, "loading a decision");
    if (r < 0)
        return err->status;
    if (r == 0)
        return fb_err_set(err, FB_ENOTFOUND, "no decision %s in %s; `fbreview show CASE` lists a case's decisions",
                          id, s->path);
    return FB_OK;
}

static const char sql_decision_latest_case[] = "SELECT " DECISION_COLS " FROM standing_decision WHERE case_id=?1";
static const char sql_decision_newest_case[] =
    "SELECT " DECISION_COLS " FROM recorded_decision WHERE case_id=?1 ORDER BY decided_at DESC, rid DESC LIMIT 1";

int store_decision_newest_for_case(fb_store *s, const char *case_id, fb_decision_row *out, fb_err *err)
{
    return decision_one(s, sql_decision_newest_case, case_id, out, err, "finding a case's newest decision");
}

int store_decision_latest_for_case(fb_store *s, const char *case_id, fb_decision_row *out, fb_err *err)
{
    return decision_one(s, sql_decision_latest_case, case_id, out, err, "finding a case's decision");
}

static const char sql_decision_last_by[] =
    "SELECT " DECISION_COLS " FROM decision WHERE reviewer=?1 AND undone_at IS NULL"
    " ORDER BY decided_at DESC, rowid DESC LIMIT 1";

int store_decision_last_by(fb_store *s, const char *reviewer, fb_decision_row *out, fb_err *err)
{
    return decision_one(s, sql_decision_last_by, reviewer, out, err, "finding the last decision");
}

static const char sql_decision_each_case[] =
    "SELECT " DECISION_COLS " FROM decision WHERE case_id=?1 ORDER BY decided_at, rowid";

fb_status store_decision_each_for_case(fb_store *s, const char *case_id, store_decision_fn fn, void *ctx,
                                       fb_err *err)
{
    sqlite3_stmt *st = store_stmt_hold(s, sql_decision_each_case, err);
    if (!st)
        return err->status;
    store_bind_text(st, 1, case_id);
    fb_status rc = FB_OK;
    int r;
    while (rc == FB_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        fb_decision_row d;
        decision_from_row(st, &d);
        rc = fn(ctx, &d, err);
        store_decision_row_clear(&d);
    }
    if (rc == FB_OK && r != SQLITE_DONE)
        rc = store_fail(s, err, "listing a case's decisions");
    store_stmt_release(s, st);
    return rc;
}

static const char sql_decision_approval[] =
    "UPDATE decision SET approval=?2, approved_by=?3, approved_at=?4, approval_rationale=?5 WHERE id=?1";

fb_status store_decision_set_approval(fb_store *s, const char *id, fb_approval a, const char *by, int64_t at,
                                      const char *rationale, fb_err *err)
{
    PREP(st, sql_decision_approval);
    store_bind_text(st, 1, id);
    store_bind_text(st, 2, fb_approval_str(a));
    store_bind_text(st, 3, by);
    store_bind_time(st, 4, at);
    store_bind_text(st, 5, rationale);
    return store_step_done(s, st, err, "recording an approval");
}

/* Only a pending (unsynced) decision can be undone: the WHERE keeps that true even if a
 * sync finished between the caller's checks and this statement. */
static const char sql_decision_undo[] =
    "UPDATE decision SET undone_at=?2 WHERE id IN (SELECT id FROM awaiting_upstream WHERE id=?1)";

fb_status store_decision_set_undone(fb_store *s, const char *id, int64_t at, fb_err *err)
{
    PREP(st, sql_decision_undo);
    store_bind_text(st, 1, id);
    sqlite3_bind_int64(st, 2, at);
    if (store_step_done(s, st, err, "undoing a decision") != FB_OK)
        return err->status;
    if (sqlite3_changes(s->db) != 1)
        return fb_err_set(err, FB_ECONFLICT, "decision %s is no longer pending; it was not undone", id);
    return FB_OK;
}

/* ---- conflicts ---- */

/* Runs a one-row query bound to up to three texts; 1 row, 0 none, -1 error. */
static int decision_one3(fb_store *s, const char *sql, const char *a1, const char *a2, const char *a3,
                         fb_decision_row *out, fb_err *err, const char *doing)
{
    sqlite3_stmt *st = store_stmt(s, sql, err);
    if (!st)
        return -1;
    store_bind_text(st, 1, a1);
    store_bind_text(st, 2, a2);
    store_bind_text(st, 3, a3);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        decision_from_row(st, out);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    store_fail(s, err, doing);
    return -1;
}

static const char sql_open_conflict[] =
    "SELECT " DECISION_COLS " FROM open_conflict WHERE case_id=?1 AND reviewer=?2"
    " ORDER BY decided_at DESC, rowid DESC LIMIT 1";

int store_decision_open_conflict(fb_store *s, const char *case_id, const char *reviewer, fb_decision_row *out,
                                 fb_err *err)
{
    return decision_one3(s, sql_open_conflict, case_id, reviewer, NULL, out, err, "finding a conflict");
}

/* Upstream names the winner in its own field (conflict_winner). */
static const char sql_conflict_winner[] =
    "SELECT " DECISION_COLS " FROM decision WHERE case_id=?1 AND id<>?2 AND undone_at IS NULL"
    " AND sync_state='synced'"
    " ORDER BY id IS ?3 DESC, decided_at DESC, rowid DESC LIMIT 1";

int store_decision_conflict_winner(fb_store *s, const fb_decision_row *loser, fb_decision_row *out, fb_err *err)
{
    return decision_one3(s, sql_conflict_winner, loser->case_id, loser->id,
                         loser->conflict_winner[0] ? loser->conflict_winner : NULL, out, err,
                         "finding the winning decision");
}

static const char sql_open_rejection[] =
    "SELECT " DECISION_COLS " FROM open_rejection WHERE case_id=?1 AND reviewer=?2"
    " ORDER BY decided_at DESC, rowid DESC LIMIT 1";

int store_decision_open_rejection(fb_store *s, const char *case_id, const char *reviewer, fb_decision_row *out,
                                  fb_err *err)
{
    return decision_one3(s, sql_open_rejection, case_id, reviewer, NULL, out, err, "finding a rejection");
}

static const char sql_resolve_rejection[] =
    "UPDATE decision SET rejection_answered_at=?4, rejection_answer=?5"
    " WHERE id IN (SELECT id FROM open_rejection WHERE (?1 IS NULL OR id=?1)"
    "               AND (?2 IS NULL OR case_id=?2) AND (?3 IS NULL OR reviewer=?3))";

fb_status store_decision_resolve_rejection(fb_store *s, const char *id, const char *case_id, const char *reviewer,
                                           const char *resolution, int64_t at, fb_err *err)
{
    PREP(st, sql_resolve_rejection);
    store_bind_text(st, 1, id);
    store_bind_text(st, 2, case_id);
    store_bind_text(st, 3, reviewer);
    sqlite3_bind_int64(st, 4, at);
    store_bind_text(st, 5, resolution);
    if (store_step_done(s, st, err, "answering a rejection") != FB_OK)
        return err->status;
    if (id && sqlite3_changes(s->db) != 1)
        return fb_err_set(err, FB_ECONFLICT, "decision %s is not an unanswered rejection; nothing was changed", id);
    return FB_OK;
}

static const char sql_resolve_conflict[] =
    "UPDATE decision SET conflict_resolved_at=?2, conflict_resolution=?3"
    " WHERE id IN (SELECT id FROM open_conflict WHERE id=?1)";

fb_status store_decision_resolve_conflict(fb_store *s, const char *id, const char *resolution, int64_t at,
                                          fb_err *err)
{
    PREP(st, sql_resolve_conflict);
    store_bind_text(st, 1, id);
    sqlite3_bind_int64(st, 2, at);
    store_bind_text(st, 3, resolution);
    if (store_step_done(s, st, err, "resolving a conflict") != FB_OK)
        return err->status;
    if (sqlite3_changes(s->db) != 1)
        return fb_err_set(err, FB_ECONFLICT, "decision %s is not an unresolved conflict; nothing was changed", id);
    return FB_OK;
}

static const char sql_case_status[] = "UPDATE \"case\" SET status=?2, updated_at=?3 WHERE id=?1";

fb_status store_case_set_status(fb_store *s, const char *case_id, fb_case_status cs, fb_err *err)
{
    PREP(st, sql_case_status);
    store_bind_text(st, 1, case_id);
    store_bind_text(st, 2, fb_case_status_str(cs));
    sqlite3_bind_int64(st, 3, fb_now_ms());
    if (store_step_done(s, st, err, "changing a case's status") != FB_OK)
        return err->status;
    if (sqlite3_changes(s->db) != 1)
        return fb_err_set(err, FB_ENOTFOUND, "no case %s in %s", case_id, s->path);
    return FB_OK;
}

/* ---- appeals ---- */

void store_appeal_row_clear(fb_appeal_row *a)
{
    free(a->case_id);
    free(a->text);
    memset(a, 0, sizeof *a);
}

static const char sql_appeal_insert[] =
    "INSERT INTO appeal(id, decision_id, case_id, text, received_at) VALUES (?1,?2,?3,?4,?5)";

fb_status store_appeal_insert(fb_store *s, const fb_appeal_row *a, fb_err *err)
{
    PREP(st, sql_appeal_insert);
    store_bind_text(st, 1, a->id);
    store_bind_text(st, 2, a->decision_id);
    store_bind_text(st, 3, a->case_id);
    store_bind_text(st, 4, a->text);
    sqlite3_bind_int64(st, 5, a->received_at);
    return store_step_done(s, st, err, "saving an appeal");
}

static int appeal_one(fb_store *s, const char *sql, const char *arg, fb_appeal_row *out, fb_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql, err);
    if (!st)
        return -1;
    store_bind_text(st, 1, arg);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof *out);
        col_copy(out->id, sizeof out->id, st, 0);
        col_copy(out->decision_id, sizeof out->decision_id, st, 1);
        out->case_id = store_col_text(st, 2);
        out->text = store_col_text(st, 3);
        out->received_at = sqlite3_column_int64(st, 4);
        col_copy(out->resolved_by, sizeof out->resolved_by, st, 5);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    store_fail(s, err, "finding an appeal");
    return -1;
}

static const char sql_appeal_open[] =
    "SELECT id, decision_id, case_id, text, received_at, resolved_by FROM appeal"
    " WHERE case_id=?1 AND resolved_by IS NULL ORDER BY received_at DESC, rowid DESC LIMIT 1";

int store_appeal_open_for_case(fb_store *s, const char *case_id, fb_appeal_row *out, fb_err *err)
{
    return appeal_one(s, sql_appeal_open, case_id, out, err);
}

static const char sql_appeal_by_resolver[] =
    "SELECT id, decision_id, case_id, text, received_at, resolved_by FROM appeal WHERE resolved_by=?1";

int store_appeal_resolved_by(fb_store *s, const char *decision_id, fb_appeal_row *out, fb_err *err)
{
    return appeal_one(s, sql_appeal_by_resolver, decision_id, out, err);
}

static const char sql_appeal_each[] =
    "SELECT id, decision_id, case_id, text, received_at, resolved_by FROM appeal"
    " WHERE case_id=?1 ORDER BY received_at, rowid";

fb_status store_appeal_each_for_case(fb_store *s, const char *case_id, store_appeal_fn fn, void *ctx, fb_err *err)
{
    sqlite3_stmt *st = NULL;
    /* Not the cached statement: fn may run other queries of this file. */
    if (sqlite3_prepare_v2(s->db, sql_appeal_each, -1, &st, NULL) != SQLITE_OK)
        return store_fail(s, err, "listing a case's appeals");
    store_bind_text(st, 1, case_id);
    fb_status rc = FB_OK;
    int r;
    while (rc == FB_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        fb_appeal_row a = {0};
        col_copy(a.id, sizeof a.id, st, 0);
        col_copy(a.decision_id, sizeof a.decision_id, st, 1);
        a.case_id = store_col_text(st, 2);
        a.text = store_col_text(st, 3);
        a.received_at = sqlite3_column_int64(st, 4);
        col_copy(a.resolved_by, sizeof a.resolved_by, st, 5);
        rc = fn(ctx, &a, err);
        store_appeal_row_clear(&a);
    }
    if (rc == FB_OK && r != SQLITE_DONE)
        rc = store_fail(s, err, "listing a case's appeals");
    sqlite3_finalize(st);
    return rc;
}

static const char sql_appeal_resolve[] = "UPDATE appeal SET resolved_by=?2 WHERE id=?1";

fb_status store_appeal_resolve(fb_store *s, const char *appeal_id, const char *decision_id, fb_err *err)
{
    PREP(st, sql_appeal_resolve);
    store_bind_text(st, 1, appeal_id);
    store_bind_text(st, 2, decision_id);
    return store_step_done(s, st, err, "resolving an appeal");
}

/* ---- notes ---- */

static const char sql_note_insert[] = "INSERT INTO note(case_id, reviewer, at, text) VALUES (?1,?2,?3,?4)";

fb_status store_note_insert(fb_store *s, const char *case_id, const char *reviewer, int64_t at, const char *text,
                            fb_err *err)
{
    PREP(st, sql_note_insert);
    store_bind_text(st, 1, case_id);
    store_bind_text(st, 2, reviewer);
    sqlite3_bind_int64(st, 3, at);
    store_bind_text(st, 4, text);
    return store_step_done(s, st, err, "saving a note");
}

static const char sql_note_each[] = "SELECT reviewer, at, text FROM note WHERE case_id=?1 ORDER BY at, id";

fb_status store_note_each_for_case(fb_store *s, const char *case_id, store_note_fn fn, void *ctx, fb_err *err)
{
    sqlite3_stmt *st = store_stmt_hold(s, sql_note_each, err);
    if (!st)
        return err->status;
    store_bind_text(st, 1, case_id);
    fb_status rc = FB_OK;
    int r;
    while (rc == FB_OK && (r = sqlite3_step(st)) == SQLITE_ROW)
        rc = fn(ctx, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1),
                (const char *)sqlite3_column_text(st, 2), err);
    if (rc == FB_OK && r != SQLITE_DONE)
        rc = store_fail(s, err, "listing a case's notes");
    store_stmt_release(s, st);
    return rc;
}

/* ---- outbox ---- */

static const char sql_outbox_add[] = "INSERT INTO outbox(kind, ref, payload, created_at) VALUES (?1,?2,?3,?4)";

fb_status store_outbox_add(fb_store *s, outbox_kind kind, const char *ref, const char *payload, int64_t at,
                           fb_err *err)
{
    PREP(st, sql_outbox_add);
    store_bind_text(st, 1, outbox_kind_str(kind));
    store_bind_text(st, 2, ref);
    store_bind_text(st, 3, payload);
    sqlite3_bind_int64(st, 4, at);
    return store_step_done(s, st, err, "queueing for upstream");
}

static const char sql_outbox_state[] =
    "SELECT max(sent_at IS NOT NULL) FROM outbox WHERE kind=?1 AND ref=?2";

int store_outbox_state(fb_store *s, outbox_kind kind, const char *ref, fb_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_outbox_state, err);
    if (!st)
        return -1;
    store_bind_text(st, 1, outbox_kind_str(kind));
    store_bind_text(st, 2, ref);
    int rc = sqlite3_step(st);
    int out = -1;
    if (rc == SQLITE_ROW)
        out = sqlite3_column_type(st, 0) == SQLITE_NULL ? OUTBOX_NONE
              : sqlite3_column_int(st, 0)               ? OUTBOX_IN_FLIGHT
                                                        : OUTBOX_UNSENT;
    sqlite3_reset(st);
    if (out < 0)
        store_fail(s, err, "reading the outbox");
    return out;
}

static const char sql_outbox_delete[] = "DELETE FROM outbox WHERE kind=?1 AND ref=?2 AND sent_at IS NULL";

fb_status store_outbox_delete_unsent(fb_store *s, outbox_kind kind, const char *ref, fb_err *err)
{
    PREP(st, sql_outbox_delete);
    store_bind_text(st, 1, outbox_kind_str(kind));
    store_bind_text(st, 2, ref);
    if (store_step_done(s, st, err, "removing from the outbox") != FB_OK)
        return err->status;
    if (sqlite3_changes(s->db) < 1)
        return fb_err_set(err, FB_ECONFLICT, "%s %s is no longer waiting in the outbox", outbox_kind_str(kind), ref);
    return FB_OK;
}

static const char sql_outbox_hold[] = "UPDATE outbox SET held_until=?3 WHERE kind=?1 AND ref=?2 AND sent_at IS NULL";

int store_outbox_hold(fb_store *s, outbox_kind kind, const char *ref, int64_t until, fb_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_outbox_hold, err);
    if (!st)
        return -1;
    store_bind_text(st, 1, outbox_kind_str(kind));
    store_bind_text(st, 2, ref);
    if (until > 0)
        sqlite3_bind_int64(st, 3, until);
    else
        sqlite3_bind_null(st, 3);
    if (store_step_done(s, st, err, "holding an outbox row") != FB_OK)
        return -1;
    return sqlite3_changes(s->db) > 0;
}

/* ---- audit ---- */

static const char sql_audit_last[] = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1";

fb_status store_audit_last(fb_store *s, int64_t *seq, char hash[65], fb_err *err)
{
    PREP(st, sql_audit_last);
    int rc = sqlite3_step(st);
    *seq = 0;
    hash[0] = '\0';
    if (rc == SQLITE_ROW) {
        *seq = sqlite3_column_int64(st, 0);
        col_copy(hash, 65, st, 1);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(s, err, "reading the audit chain");
    return FB_OK;
}

static const char sql_audit_insert[] =
    "INSERT INTO audit(seq, at, actor, kind, case_id, ref, detail, prev_hash, hash) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)";

fb_status store_audit_insert(fb_store *s, const fb_audit_row *a, fb_err *err)
{
    PREP(st, sql_audit_insert);
    sqlite3_bind_int64(st, 1, a->seq);
    sqlite3_bind_int64(st, 2, a->at);
    store_bind_text(st, 3, a->actor);
    store_bind_text(st, 4, a->kind);
    store_bind_text(st, 5, a->case_id);
    store_bind_text(st, 6, a->ref);
    store_bind_text(st, 7, a->detail);
    store_bind_text(st, 8, a->prev_hash);
    store_bind_text(st, 9, a->hash);
    return store_step_done(s, st, err, "appending to the audit chain");
}

static const char sql_audit_each[] =
    "SELECT seq, at, actor, kind, case_id, ref, detail, prev_hash, hash FROM audit ORDER BY seq";

fb_status store_audit_each(fb_store *s, store_audit_fn fn, void *ctx, fb_err *err)
{
    sqlite3_stmt *st = store_stmt_hold(s, sql_audit_each, err);
    if (!st)
        return err->status;
    fb_status rc = FB_OK;
    int r;
    while (rc == FB_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        fb_audit_row a = {
            .seq = sqlite3_column_int64(st, 0),
            .at = sqlite3_column_int64(st, 1),
            .actor = (const char *)sqlite3_column_text(st, 2),
            .kind = (const char *)sqlite3_column_text(st, 3),
            .case_id = (const char *)sqlite3_column_text(st, 4),
            .ref = (const char *)sqlite3_column_text(st, 5),
            .detail = (const char *)sqlite3_column_text(st, 6),
        };
        col_copy(a.prev_hash, sizeof a.prev_hash, st, 7);
        col_copy(a.hash, sizeof a.hash, st, 8);
        rc = fn(ctx, &a, err);
    }
    if (rc == FB_OK && r != SQLITE_DONE)
        rc = store_fail(s, err, "reading the audit chain");
    store_stmt_release(s, st);
    return rc;
}


/* ---- case lists for bulk decisions ---- */

void store_ids_free(fb_ids *ids)
{
    for (size_t i = 0; i < ids->n; i++)
        free(ids->v[i]);
    free(ids->v);
    ids->v = NULL;
    ids->n = 0;
}

static fb_status collect_ids(fb_store *s, sqlite3_stmt *st, fb_ids *out, fb_err *err)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char **slot = fb_grow((void **)&out->v, &out->n, sizeof *slot);
        if (!slot) {
            sqlite3_reset(st);
            store_ids_free(out);
            return fb_err_set(err, FB_ENOMEM, "out of memory listing cases");
        }
        *slot = store_col_text(st, 0);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        store_ids_free(out);
        return store_fail(s, err, "listing cases");
    }
    return FB_OK;
}

static const char sql_cases_of_subject[] =
    "SELECT id FROM \"case\" WHERE subject=?1 AND status IN (SELECT status FROM lc_queue WHERE queue='open') ORDER BY id";

fb_status store_cases_of_subject(fb_store *s, const char *account, fb_ids *out, fb_err *err)
{
    out->v = NULL;
    out->n = 0;
    PREP(st, sql_cases_of_subject);
    store_bind_text(st, 1, account);
    return collect_ids(s, st, out, err);
}

/* Links are undirected: walk both columns (each with its own index). UNION drops accounts
 * already reached, so cycles end; the LIMIT bounds a pathological cluster. */
static const char sql_cases_of_cluster[] =
    "WITH RECURSIVE cl(id) AS ("
    "  SELECT ?1"
    "  UNION SELECT l.b FROM account_link l JOIN cl ON l.a=cl.id"
    "  UNION SELECT l.a FROM account_link l JOIN cl ON l.b=cl.id"
    "  LIMIT ?2)"
    " SELECT c.id FROM \"case\" c WHERE c.subject IN (SELECT id FROM cl)"
    "   AND c.status IN (SELECT status FROM lc_queue WHERE queue='open') ORDER BY c.id";

fb_status store_cases_of_cluster(fb_store *s, const char *account, int max_accounts, fb_ids *out, fb_err *err)
{
    out->v = NULL;
    out->n = 0;
    PREP(st, sql_cases_of_cluster);
    store_bind_text(st, 1, account);
    sqlite3_bind_int(st, 2, max_accounts > 0 ? max_accounts : 1000);
    return collect_ids(s, st, out, err);
}
