/* The local side of sync: the outbox in flight, upstream's answers, pulled rows. */
#include "store_private.h"

#include <stdlib.h>
#include <string.h>

#include "fbreview/model.h"
#include "fbreview/store_sync.h"
#include "fbreview/timeutil.h"

/* SQLite reads the payload fields the batch builder needs (faster than parsing in C). */
static const char sql_peek[] =
    "SELECT seq, kind, ref, payload, sent_at,"
    "       CASE WHEN kind='decision' AND json_valid(payload) THEN json_extract(payload, '$.case_id') END,"
    "       CASE WHEN kind='decision' AND json_valid(payload) THEN json_extract(payload, '$.decision_id') END,"
    "       CASE WHEN kind='decision' AND json_valid(payload) THEN"
    "            json_type(payload, '$.case_id')='text' AND json_type(payload, '$.reviewer')='text'"
    "            AND json_type(payload, '$.action')='text' AND json_type(payload, '$.decided_at')='integer'"
    "            AND coalesce(json_type(payload, '$.supersedes'), 'null') IN ('null', 'text')"
    "            AND coalesce(json_type(payload, '$.days'), 'null') IN ('null', 'integer')"
    "       ELSE 0 END,"
    "       CASE WHEN kind='decision' AND json_valid(payload) THEN json_extract(payload, '$.supersedes') END,"
    "       CASE WHEN kind='decision' AND json_valid(payload) THEN json_extract(payload, '$.reviewer') END,"
    "       CASE WHEN kind='decision' AND json_valid(payload) THEN json_extract(payload, '$.action') END,"
    "       CASE WHEN kind='decision' AND json_valid(payload) THEN json_extract(payload, '$.violation') END,"
    "       CASE WHEN kind='decision' AND json_valid(payload) THEN json_extract(payload, '$.days') END,"
    "       CASE WHEN kind='decision' AND json_valid(payload) THEN json_extract(payload, '$.decided_at') END,"
    "       CASE WHEN kind='decision' AND json_valid(payload) THEN"
    "            coalesce(json_extract(payload, '$.approval'), 'none') END,"
    "       CASE WHEN kind='decision' AND json_valid(payload) THEN"
    "            CASE WHEN json_extract(payload, '$.claim_override') IN (1, 'true') THEN 't' ELSE 'f' END END,"
    "       CASE WHEN kind='decision' AND json_valid(payload)"
    "             AND json_type(payload, '$.policy_version')='integer' THEN json_extract(payload, '$.policy_version') END"
    "  FROM outbox WHERE seq > ?2 ORDER BY seq LIMIT ?1";
static const char sql_mark_sent[] =
    "UPDATE outbox SET sent_at=?2 WHERE sent_at IS NULL AND seq<=?1";
static const char sql_decision_state[] =
    "UPDATE decision SET sync_state=?2, synced_at=?3, upstream_note=?4 WHERE id=?1";
static const char sql_outbox_delete[] = "DELETE FROM outbox WHERE seq=?1";
static const char sql_range_synced[] =
    "UPDATE decision SET sync_state='synced', synced_at=?3, upstream_note=NULL"
    " WHERE id IN (SELECT ref FROM outbox WHERE seq BETWEEN ?1 AND ?2 AND kind='decision')";
static const char sql_range_delete[] = "DELETE FROM outbox WHERE seq BETWEEN ?1 AND ?2";
static const char sql_counts[] =
    "SELECT (SELECT count(*) FROM outbox),"
    "       (SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL),"
    "       (SELECT count(*) FROM decision WHERE sync_state='conflict' AND conflict_resolved_at IS NULL"
    "         AND undone_at IS NULL)";
static const char sql_rejected[] =
    "SELECT count(*) FROM decision WHERE sync_state='rejected' AND undone_at IS NULL";
static const char sql_rejected_since[] =
    "SELECT id, case_id, upstream_note, synced_at FROM decision"
    " WHERE sync_state='rejected' AND undone_at IS NULL AND synced_at>=?1 ORDER BY synced_at, id";
static const char sql_has_pending[] =
    "SELECT EXISTS (SELECT 1 FROM decision WHERE case_id=?1 AND sync_state='pending' AND undone_at IS NULL)";
static const char sql_case_status[] =
    "UPDATE \"case\" SET status=?2, updated_at=?3 WHERE id=?1 AND status<>?2"
    " AND NOT EXISTS (SELECT 1 FROM decision WHERE case_id=?1 AND sync_state='pending' AND undone_at IS NULL)";
static const char sql_put_decision[] =
    "INSERT INTO decision(id, case_id, reviewer, action, violation, days, rationale, rec_action, rec_violation,"
    " rec_days, overridden, notice, decided_at, supersedes, approval, claim_override, sync_state, synced_at,"
    " policy_version)"
    " SELECT ?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,"
    "        (SELECT id FROM decision WHERE id=?14),?15,?16,'synced',?17,?18"
    "  WHERE EXISTS (SELECT 1 FROM \"case\" WHERE id=?2)"
    " ON CONFLICT(id) DO NOTHING";
/* A pulled appeal may arrive after the decision that resolved it (one pull brings the
 * appeal and the re-decision: decisions come first): it is then stored resolved. */
static const char sql_put_appeal[] =
    "INSERT INTO appeal(id, decision_id, case_id, text, received_at, resolved_by)"
    " SELECT ?1,?2,?3,?4,?5,"
    "        (SELECT id FROM decision WHERE supersedes=?2 AND undone_at IS NULL AND sync_state='synced'"
    "          ORDER BY decided_at LIMIT 1)"
    "  WHERE EXISTS (SELECT 1 FROM decision WHERE id=?2)"
    " ON CONFLICT(id) DO NOTHING RETURNING resolved_by IS NULL";
static const char sql_appealed[] =
    "UPDATE \"case\" SET status='appealed', updated_at=?2 WHERE id=?1 AND status<>'appealed'"
    " AND NOT EXISTS (SELECT 1 FROM decision WHERE case_id=?1 AND sync_state='pending' AND undone_at IS NULL)";
/* A pulled decision that supersedes another (an appeal decided on another console)
 * resolves the appeals on the decision it replaces. */
static const char sql_resolve_appeals[] =
    "UPDATE appeal SET resolved_by=?1 WHERE decision_id=?2 AND resolved_by IS NULL"
    " AND EXISTS (SELECT 1 FROM decision WHERE id=?1)";
/* Notes are keyed by what they say (upstream.sql, migration 2): a note we wrote comes
 * back from upstream as the same row. */
static const char sql_put_note[] =
    "INSERT INTO note(case_id, reviewer, at, text)"
    " SELECT ?1,?2,?3,?4 WHERE EXISTS (SELECT 1 FROM \"case\" WHERE id=?1)"
    "   AND NOT EXISTS (SELECT 1 FROM note WHERE case_id=?1 AND reviewer=?2 AND at=?3 AND text=?4)";
static const char sql_put_approval[] =
    "UPDATE decision SET approval=?2, approved_by=?3, approved_at=?4, approval_rationale=?5"
    " WHERE id=?1 AND approval<>?2";
static const char sql_approval_case[] =
    "UPDATE \"case\" SET status=CASE WHEN ?2='approved' THEN 'decided' ELSE 'open' END, updated_at=?3"
    " WHERE id=(SELECT case_id FROM decision WHERE id=?1) AND status='pending_approval'";
/* UNIQUE treats NULL violations as distinct, so "IS" does the deduplication. */
static const char sql_put_prior[] =
    "INSERT OR IGNORE INTO prior_action(account_id, action, violation, at, source)"
    " SELECT ?1,?2,?3,?4,'upstream' WHERE NOT EXISTS (SELECT 1 FROM prior_action"
    "  WHERE account_id=?1 AND action=?2 AND violation IS ?3 AND at=?4)";
static const char sql_put_claim[] = "UPDATE \"case\" SET claim_by=?2, claim_until=?3 WHERE id=?1";

void store_sync_rows_free(store_outbox_row **rows, size_t n)
{
    if (!rows || !*rows)
        return;
    /* A row's strings share one block, which begins with kind (peek_row). */
    for (size_t i = 0; i < n; i++)
        free((*rows)[i].kind);
    free(*rows);
    *rows = NULL;
}

/* Copies the row's text columns into ONE block (a push holds three batches of rows at
 * once: a dozen small allocations per row would cost more than the text itself). Column
 * 1 (kind) is never NULL and comes first, so freeing kind frees the row. */
static int peek_row(sqlite3_stmt *st, store_outbox_row *r, size_t *bytes)
{
    static const int cols[] = {1, 2, 3, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    enum { NC = sizeof cols / sizeof cols[0] };
    const unsigned char *t[NC];
    size_t len[NC], total = 0;
    for (size_t c = 0; c < NC; c++) {
        t[c] = sqlite3_column_text(st, cols[c]);
        len[c] = t[c] ? (size_t)sqlite3_column_bytes(st, cols[c]) : 0;
        if (!t[c] && c == 0)
            t[c] = (const unsigned char *)"";   /* kind is NOT NULL in the schema */
        total += t[c] ? len[c] + 1 : 0;
    }
    *bytes = total;
    char *block = malloc(total), *o = block;
    if (!block)
        return -1;
    char *v[NC];
    for (size_t c = 0; c < NC; c++) {
        if (!t[c]) {
            v[c] = NULL;
            continue;
        }
        memcpy(o, t[c], len[c]);
        o[len[c]] = '\0';
        v[c] = o;
        o += len[c] + 1;
    }
    r->seq = sqlite3_column_int64(st, 0);
    r->sent_at = sqlite3_column_int64(st, 4);
    r->well_formed = sqlite3_column_int(st, 7);
    r->kind = v[0];
    r->ref = v[1];
    r->payload = v[2];
    r->case_id = v[3];
    r->decision_id = v[4];
    r->supersedes = v[5];
    r->reviewer = v[6];
    r->action = v[7];
    r->violation = v[8];
    r->days = v[9];
    r->decided_at = v[10];
    r->approval = v[11];
    r->claim_override = v[12];
    r->policy_version = v[13];
    return 0;
}

fb_status store_sync_outbox_peek(fb_store *s, int64_t after_seq, size_t limit, store_outbox_row **rows, size_t *n,
                                 fb_err *err)
{
    return store_sync_outbox_peek_bytes(s, after_seq, limit, SIZE_MAX, rows, n, err);
}

fb_status store_sync_outbox_peek_bytes(fb_store *s, int64_t after_seq, size_t limit, size_t max_bytes,
                                       store_outbox_row **rows, size_t *n, fb_err *err)
{
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *st = store_stmt(s, sql_peek, err);
    if (!st)
        return err->status;
    store_outbox_row *out = calloc(limit ? limit : 1, sizeof *out);
    if (!out)
        return fb_err_set(err, FB_ENOMEM, "out of memory");
    sqlite3_bind_int64(st, 1, (sqlite3_int64)limit);
    sqlite3_bind_int64(st, 2, after_seq);
    size_t k = 0, bytes = 0;
    int rc = SQLITE_DONE;
    while (k < limit && bytes < max_bytes && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        size_t b = 0;
        if (peek_row(st, &out[k], &b) != 0) {
            sqlite3_reset(st);
            store_sync_rows_free(&out, k);
            return fb_err_set(err, FB_ENOMEM, "out of memory");
        }
        bytes += b;
        k++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        store_sync_rows_free(&out, k);
        return store_fail(s, err, "reading the outbox");
    }
    *rows = out;
    *n = k;
    return FB_OK;
}

fb_status store_sync_outbox_mark_sent(fb_store *s, int64_t last_seq, int64_t now, fb_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_mark_sent, err);
    if (!st)
        return err->status;
    sqlite3_bind_int64(st, 1, last_seq);
    sqlite3_bind_int64(st, 2, now);
    return store_step_done(s, st, err, "marking the outbox in flight");
}

fb_status store_sync_outbox_done(fb_store *s, int64_t seq, const char *kind, const char *ref, const char *state,
                                 const char *note, int64_t now, fb_err *err)
{
    if (strcmp(kind, "decision") == 0) {
        sqlite3_stmt *st = store_stmt(s, sql_decision_state, err);
        if (!st)
            return err->status;
        store_bind_text(st, 1, ref);
        store_bind_text(st, 2, state);
        sqlite3_bind_int64(st, 3, now);
        store_bind_text(st, 4, note && *note ? note : NULL);
        if (store_step_done(s, st, err, "recording upstream's answer") != FB_OK)
            return err->status;
    }
    sqlite3_stmt *st = store_stmt(s, sql_outbox_delete, err);
    if (!st)
        return err->status;
    sqlite3_bind_int64(st, 1, seq);
    return store_step_done(s, st, err, "removing a pushed outbox row");
}

fb_status store_sync_outbox_done_range(fb_store *s, int64_t first_seq, int64_t last_seq, int64_t now, fb_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_range_synced, err);
    if (!st)
        return err->status;
    sqlite3_bind_int64(st, 1, first_seq);
    sqlite3_bind_int64(st, 2, last_seq);
    sqlite3_bind_int64(st, 3, now);
    if (store_step_done(s, st, err, "recording upstream's answers") != FB_OK)
        return err->status;
    st = store_stmt(s, sql_range_delete, err);
    if (!st)
        return err->status;
    sqlite3_bind_int64(st, 1, first_seq);
    sqlite3_bind_int64(st, 2, last_seq);
    return store_step_done(s, st, err, "removing pushed outbox rows");
}

fb_status store_sync_counts(fb_store *s, int64_t *pending, int64_t *in_flight, int64_t *conflicts, fb_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_counts, err);
    if (!st)
        return err->status;
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return store_fail(s, err, "counting the outbox");
    }
    *pending = sqlite3_column_int64(st, 0);
    *in_flight = sqlite3_column_int64(st, 1);
    *conflicts = sqlite3_column_int64(st, 2);
    sqlite3_reset(st);
    return FB_OK;
}

fb_status store_sync_rejected_count(fb_store *s, int64_t *out, fb_err *err)
{
    *out = 0;
    sqlite3_stmt *st = store_stmt(s, sql_rejected, err);
    if (!st)
        return err->status;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? FB_OK : store_fail(s, err, "counting rejected decisions");
}

fb_status store_sync_rejected_since(fb_store *s, int64_t since_ms, store_rejected_fn fn, void *ctx, fb_err *err)
{
    sqlite3_stmt *st = store_stmt_hold(s, sql_rejected_since, err);
    if (!st)
        return err->status;
    sqlite3_bind_int64(st, 1, since_ms);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn(ctx, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
           (const char *)sqlite3_column_text(st, 2), sqlite3_column_int64(st, 3));
    store_stmt_release(s, st);
    return rc == SQLITE_DONE ? FB_OK : store_fail(s, err, "listing rejected decisions");
}

int store_sync_case_has_pending(fb_store *s, const char *case_id)
{
    fb_err err = {0};
    sqlite3_stmt *st = store_stmt(s, sql_has_pending, &err);
    if (!st)
        return -1;
    store_bind_text(st, 1, case_id);
    int v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_reset(st);
    return v;
}

fb_status store_sync_case_status(fb_store *s, const char *case_id, const char *status, fb_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_case_status, err);
    if (!st)
        return err->status;
    store_bind_text(st, 1, case_id);
    store_bind_text(st, 2, status);
    sqlite3_bind_int64(st, 3, fb_now_ms());
    return store_step_done(s, st, err, "setting a pulled case's status");
}

static void bind_opt_int(sqlite3_stmt *st, int i, int64_t v)
{
    if (v < 0)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_int64(st, i, v);
}

fb_status store_sync_put_decision(fb_store *s, const store_sync_decision *d, int64_t now, int *inserted, fb_err *err)
{
    *inserted = 0;
    sqlite3_stmt *st = store_stmt(s, sql_put_decision, err);
    if (!st)
        return err->status;
    store_bind_text(st, 1, d->id);
    store_bind_text(st, 2, d->case_id);
    store_bind_text(st, 3, d->reviewer);
    store_bind_text(st, 4, d->action);
    store_bind_text(st, 5, d->violation);
    bind_opt_int(st, 6, d->days);
    store_bind_text(st, 7, d->rationale);
    store_bind_text(st, 8, d->rec_action);
    store_bind_text(st, 9, d->rec_violation);
    bind_opt_int(st, 10, d->rec_days);
    sqlite3_bind_int(st, 11, d->overridden);
    store_bind_text(st, 12, d->notice);
    sqlite3_bind_int64(st, 13, d->decided_at);
    store_bind_text(st, 14, d->supersedes);
    store_bind_text(st, 15, d->approval ? d->approval : "none");
    sqlite3_bind_int(st, 16, d->claim_override);
    sqlite3_bind_int64(st, 17, now);
    if (d->policy_version > 0)
        sqlite3_bind_int64(st, 18, d->policy_version);
    if (store_step_done(s, st, err, "saving a pulled decision") != FB_OK)
        return err->status;
    *inserted = sqlite3_changes(s->db) > 0;
    if (!*inserted)
        return FB_OK;
    if (d->supersedes) {
        st = store_stmt(s, sql_resolve_appeals, err);
        if (!st)
            return err->status;
        store_bind_text(st, 1, d->id);
        store_bind_text(st, 2, d->supersedes);
        if (store_step_done(s, st, err, "resolving an appeal with a pulled decision") != FB_OK)
            return err->status;
    }
    const char *status = strcmp(d->action, "escalate") == 0 ? "escalated"
                         : (strcmp(d->action, "block") == 0 && d->approval && strcmp(d->approval, "pending") == 0)
                             ? "pending_approval"
                             : "decided";
    return store_sync_case_status(s, d->case_id, status, err);
}

fb_status store_sync_put_appeal(fb_store *s, const char *id, const char *decision_id, const char *case_id,
                                const char *text, int64_t received_at, fb_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_put_appeal, err);
    if (!st)
        return err->status;
    store_bind_text(st, 1, id);
    store_bind_text(st, 2, decision_id);
    store_bind_text(st, 3, case_id);
    store_bind_text(st, 4, text);
    sqlite3_bind_int64(st, 5, received_at);
    int rc = sqlite3_step(st);
    int open = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
    if (rc == SQLITE_ROW)
        rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return store_fail(s, err, "saving a pulled appeal");
    if (!open)
        return FB_OK;   /* known already, its decision is not here, or already resolved */
    st = store_stmt(s, sql_appealed, err);
    if (!st)
        return err->status;
    store_bind_text(st, 1, case_id);
    sqlite3_bind_int64(st, 2, fb_now_ms());
    return store_step_done(s, st, err, "moving an appealed case");
}

fb_status store_sync_put_approval(fb_store *s, const char *decision_id, const char *approval, const char *by,
                                  int64_t at, const char *rationale, fb_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_put_approval, err);
    if (!st)
        return err->status;
    store_bind_text(st, 1, decision_id);
    store_bind_text(st, 2, approval);
    store_bind_text(st, 3, by);
    sqlite3_bind_int64(st, 4, at);
    store_bind_text(st, 5, rationale);
    if (store_step_done(s, st, err, "saving a pulled approval") != FB_OK)
        return err->status;
    if (sqlite3_changes(s->db) == 0)
        return FB_OK;
    st = store_stmt(s, sql_approval_case, err);
    if (!st)
        return err->status;
    store_bind_text(st, 1, decision_id);
    store_bind_text(st, 2, approval);
    sqlite3_bind_int64(st, 3, fb_now_ms());
    return store_step_done(s, st, err, "moving an approved case");
}

fb_status store_sync_put_prior(fb_store *s, const char *account_id, const char *action, const char *violation,
                               int64_t at, fb_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_put_prior, err);
    if (!st)
        return err->status;
    store_bind_text(st, 1, account_id);
    store_bind_text(st, 2, action);
    store_bind_text(st, 3, violation);
    sqlite3_bind_int64(st, 4, at);
    return store_step_done(s, st, err, "saving a pulled prior action");
}

fb_status store_sync_put_claim(fb_store *s, const char *case_id, const char *by, int64_t until_ms, fb_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_put_claim, err);
    if (!st)
        return err->status;
    store_bind_text(st, 1, case_id);
    store_bind_text(st, 2, by);
    store_bind_time(st, 3, by ? until_ms : 0);
    return store_step_done(s, st, err, "saving a claim");
}

fb_status store_sync_put_note(fb_store *s, const char *case_id, const char *reviewer, int64_t at, const char *text,
                              int *inserted, fb_err *err)
{
    *inserted = 0;
    sqlite3_stmt *st = store_stmt(s, sql_put_note, err);
    if (!st)
        return err->status;
    store_bind_text(st, 1, case_id);
    store_bind_text(st, 2, reviewer);
    sqlite3_bind_int64(st, 3, at);
    store_bind_text(st, 4, text);
    if (store_step_done(s, st, err, "saving a pulled note") != FB_OK)
        return err->status;
    *inserted = sqlite3_changes(s->db) > 0;
    return FB_OK;
}
