/* The local side of sync: the outbox in flight, upstream's answers, pulled rows. */
#include "store_private.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/model.h"
#include "fbreview/outbox.h"
#include "fbreview/store_sync.h"
#include "fbreview/timeutil.h"

/* The batch builder's fields of a decision come from the outbox contract's decoder
 * (outbox.h), not from field names written here again. */
static const char sql_peek[] =
    "SELECT seq, kind, ref, payload, sent_at FROM outbox WHERE seq > ?2 AND seq < ?3 ORDER BY seq LIMIT ?1";
/* When an unsent row may go upstream (?2: the undo window in ms): the end of its undo
 * window or of a console's hold (its undo box is open), whichever is later. The one
 * statement of the rule: the push's bound, the engine's wake and the console's countdown
 * all read it. */
#define OUTBOX_RELEASE_AT "max(created_at + ?2, coalesce(held_until, 0))"
/* The first unsent row not yet released at ?1 (the index on (sent_at, seq) walks the
 * unsent rows in order; the young ones are at the end). */
static const char sql_held_seq[] =
    "SELECT seq FROM outbox WHERE sent_at IS NULL AND " OUTBOX_RELEASE_AT " > ?1 ORDER BY seq LIMIT 1";
static const char sql_next_release[] =
    "SELECT min(" OUTBOX_RELEASE_AT ") FROM outbox WHERE sent_at IS NULL AND " OUTBOX_RELEASE_AT " > ?1";
/* When the reviewer's newest decision that undo could still take back (unsent) goes. */
static const char sql_undo_until[] =
    "SELECT " OUTBOX_RELEASE_AT " FROM outbox o JOIN decision d ON d.id=o.ref"
    " WHERE o.kind='decision' AND o.sent_at IS NULL AND d.reviewer=?1 AND d.undone_at IS NULL"
    " ORDER BY o.seq DESC LIMIT 1";
static const char sql_mark_sent[] =
    "UPDATE outbox SET sent_at=?2 WHERE sent_at IS NULL AND seq<=?1";
static const char sql_decision_state[] =
    "UPDATE decision SET sync_state=?2, synced_at=?3, upstream_note=?4, conflict_winner=?5 WHERE id=?1";
/* After a refusal the case's status is upstream's again once nothing of ours on it waits
 * for an answer (a local-only case: the status before the refused decision). */
static const char sql_resettle[] =
    "UPDATE \"case\" SET status=coalesce(upstream_status, ?2, status), updated_at=?3"
    " WHERE id=?1 AND NOT EXISTS (SELECT 1 FROM awaiting_upstream WHERE case_id=?1)"
    "   AND status IS NOT coalesce(upstream_status, ?2, status)";
/* The case an outbox row is about, and the status to fall back on. */
static const char sql_row_case[] =
    "SELECT case_id, prior_status FROM decision WHERE ?1='decision' AND id=?2"
    " UNION ALL SELECT case_id, NULL FROM decision WHERE ?1='approval' AND id=?2"
    " UNION ALL SELECT case_id, NULL FROM appeal WHERE ?1='appeal' AND id=?2 LIMIT 1";
static const char sql_outbox_delete[] = "DELETE FROM outbox WHERE seq=?1";
static const char sql_range_synced[] =
    "UPDATE decision SET sync_state='synced', synced_at=?3, upstream_note=NULL"
    " WHERE id IN (SELECT ref FROM outbox WHERE seq BETWEEN ?1 AND ?2 AND kind=?4 AND sent_at IS NOT NULL)";
static const char sql_range_delete[] = "DELETE FROM outbox WHERE seq BETWEEN ?1 AND ?2 AND sent_at IS NOT NULL";
/* A row upstream could not take as it is (a kind this binary does not know) stays in the
 * outbox, back to unsent: nothing is lost, and a binary that knows the kind sends it. */
static const char sql_outbox_keep[] = "UPDATE outbox SET sent_at=NULL WHERE seq=?1";
static const char sql_counts[] =
    "SELECT (SELECT count(*) FROM outbox),"
    "       (SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL),"
    "       (SELECT count(*) FROM open_conflict), (SELECT count(*) FROM open_rejection)";
static const char sql_rejected[] =
    "SELECT count(*) FROM decision WHERE sync_state='rejected' AND undone_at IS NULL";
static const char sql_rejected_since[] =
    "SELECT id, case_id, upstream_note, synced_at FROM decision"
    " WHERE sync_state='rejected' AND undone_at IS NULL AND synced_at>=?1 ORDER BY synced_at, id";
static const char sql_has_pending[] = "SELECT EXISTS (SELECT 1 FROM awaiting_upstream WHERE case_id=?1)";
/* Upstream's status is always kept; it becomes the case's status unless a local decision
 * on the case still waits for upstream's answer (the local state wins until then). */
static const char sql_case_upstream_status[] =
    "UPDATE \"case\" SET upstream_status=?2 WHERE id=?1 AND upstream_status IS NOT ?2";
static const char sql_case_status[] =
    "UPDATE \"case\" SET status=?2, updated_at=?3 WHERE id=?1 AND status<>?2"
    " AND NOT EXISTS (SELECT 1 FROM awaiting_upstream WHERE case_id=?1)";
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

/* Copies the row's text into ONE block (a push holds two batches of rows at once: a dozen
 * small allocations per row would cost more than the text itself). kind comes first, so
 * freeing kind frees the row. A decision's fields are decoded once (outbox_decode) and
 * kept as text for upstream's typed staging columns; a payload that does not decode is
 * not well formed (the sync engine answers it "rejected"). */
static int peek_row(sqlite3_stmt *st, store_outbox_row *r, size_t *bytes)
{
    enum { KIND, REF, PAYLOAD, CASE_ID, DECISION_ID, SUPERSEDES, REVIEWER, ACTION, VIOLATION, DAYS, DECIDED_AT,
           APPROVAL, CLAIM_OVERRIDE, POLICY_VERSION, NC };
    const char *t[NC] = {0};
    t[KIND] = (const char *)sqlite3_column_text(st, 1);
    if (!t[KIND])
        t[KIND] = "";   /* kind is NOT NULL in the schema */
    t[REF] = (const char *)sqlite3_column_text(st, 2);
    t[PAYLOAD] = (const char *)sqlite3_column_text(st, 3);
    outbox_msg m = {.kind = OUTBOX_UNKNOWN};
    fb_err derr = {0};
    char days[24], decided_at[24], policy_version[24];
    int well_formed = 0;
    if (outbox_kind_from_str(t[KIND]) == OUTBOX_DECISION &&
        outbox_decode(t[KIND], t[PAYLOAD], &m, &derr) == FB_OK) {
        const outbox_decision *d = &m.u.decision;
        well_formed = 1;
        t[CASE_ID] = d->case_id;
        t[DECISION_ID] = d->decision_id;
        t[SUPERSEDES] = d->supersedes;
        t[REVIEWER] = d->reviewer;
        t[ACTION] = d->action;
        t[VIOLATION] = d->violation;
        if (d->days >= 0) {
            snprintf(days, sizeof days, "%lld", (long long)d->days);
            t[DAYS] = days;
        }
        snprintf(decided_at, sizeof decided_at, "%lld", (long long)d->decided_at);
        t[DECIDED_AT] = decided_at;
        t[APPROVAL] = d->approval ? d->approval : "none";
        t[CLAIM_OVERRIDE] = d->claim_override ? "t" : "f";
        if (d->policy_version >= 0) {
            snprintf(policy_version, sizeof policy_version, "%lld", (long long)d->policy_version);
            t[POLICY_VERSION] = policy_version;
        }
    }
    size_t len[NC], total = 0;
    for (size_t c = 0; c < NC; c++) {
        len[c] = t[c] ? strlen(t[c]) : 0;
        total += t[c] ? len[c] + 1 : 0;
    }
    *bytes = total;
    char *block = malloc(total), *o = block;
    if (!block) {
        outbox_msg_clear(&m);
        return -1;
    }
    char *v[NC];
    for (size_t c = 0; c < NC; c++) {
        if (!t[c]) {
            v[c] = NULL;
            continue;
        }
        memcpy(o, t[c], len[c] + 1);
        v[c] = o;
        o += len[c] + 1;
    }
    outbox_msg_clear(&m);
    r->seq = sqlite3_column_int64(st, 0);
    r->sent_at = sqlite3_column_int64(st, 4);
    r->well_formed = well_formed;
    r->kind = v[KIND];
    r->ref = v[REF];
    r->payload = v[PAYLOAD];
    r->case_id = v[CASE_ID];
    r->decision_id = v[DECISION_ID];
    r->supersedes = v[SUPERSEDES];
    r->reviewer = v[REVIEWER];
    r->action = v[ACTION];
    r->violation = v[VIOLATION];
    r->days = v[DAYS];
    r->decided_at = v[DECIDED_AT];
    r->approval = v[APPROVAL];
    r->claim_override = v[CLAIM_OVERRIDE];
    r->policy_version = v[POLICY_VERSION];
    return 0;
}

fb_status store_sync_outbox_peek(fb_store *s, int64_t after_seq, size_t limit, store_outbox_row **rows, size_t *n,
                                 fb_err *err)
{
    return store_sync_outbox_peek_bytes(s, after_seq, INT64_MAX, limit, SIZE_MAX, rows, n, err);
}

/* The first column of sql's row (none when no row or NULL): ?1 is text or now, ?2 window_ms. */
static fb_status release_int(fb_store *s, const char *sql, const char *text, int64_t now, int64_t window_ms,
                             int64_t none, int64_t *out, fb_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql, err);
    if (!st)
        return err->status;
    if (text)
        store_bind_text(st, 1, text);
    else
        sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, window_ms > 0 ? window_ms : 0);
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL ? sqlite3_column_int64(st, 0) : none;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(s, err, "reading the outbox");
    return FB_OK;
}

fb_status store_sync_outbox_held_seq(fb_store *s, int64_t now, int64_t window_ms, int64_t *seq, fb_err *err)
{
    return release_int(s, sql_held_seq, NULL, now, window_ms, INT64_MAX, seq, err);
}

fb_status store_sync_outbox_next_release(fb_store *s, int64_t now, int64_t window_ms, int64_t *at, fb_err *err)
{
    return release_int(s, sql_next_release, NULL, now, window_ms, 0, at, err);
}

int64_t store_sync_undo_until(fb_store *s, const char *reviewer, int64_t window_ms)
{
    fb_err err = {0};
    int64_t v = 0;
    return release_int(s, sql_undo_until, reviewer ? reviewer : "", 0, window_ms, 0, &v, &err) == FB_OK ? v : 0;
}

fb_status store_sync_outbox_peek_bytes(fb_store *s, int64_t after_seq, int64_t before_seq, size_t limit,
                                       size_t max_bytes, store_outbox_row **rows, size_t *n, fb_err *err)
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
    sqlite3_bind_int64(st, 3, before_seq);
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
                                 const char *note, const char *winner, int64_t now, fb_err *err)
{
    if (outbox_kind_from_str(kind) == OUTBOX_DECISION) {
        sqlite3_stmt *st = store_stmt(s, sql_decision_state, err);
        if (!st)
            return err->status;
        store_bind_text(st, 1, ref);
        store_bind_text(st, 2, state);
        sqlite3_bind_int64(st, 3, now);
        store_bind_text(st, 4, note && *note ? note : NULL);
        store_bind_text(st, 5, winner && *winner ? winner : NULL);
        if (store_step_done(s, st, err, "recording upstream's answer") != FB_OK)
            return err->status;
    }
    sqlite3_stmt *st = store_stmt(s, sql_outbox_delete, err);
    if (!st)
        return err->status;
    sqlite3_bind_int64(st, 1, seq);
    if (store_step_done(s, st, err, "removing a pushed outbox row") != FB_OK)
        return err->status;
    if (strcmp(state, "synced") == 0)
        return FB_OK;
    /* Refused: what we wrote locally did not happen upstream. */
    if (!(st = store_stmt(s, sql_row_case, err)))
        return err->status;
    store_bind_text(st, 1, kind);
    store_bind_text(st, 2, ref);
    char *case_id = NULL, *prior = NULL;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        case_id = store_col_text(st, 0);
        prior = store_col_text(st, 1);
    }
    sqlite3_reset(st);
    fb_status out = FB_OK;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        out = store_fail(s, err, "finding a refused row's case");
    else if (case_id && (st = store_stmt(s, sql_resettle, err)) != NULL) {
        store_bind_text(st, 1, case_id);
        store_bind_text(st, 2, prior);
        sqlite3_bind_int64(st, 3, now);
        out = store_step_done(s, st, err, "restoring a case's status after a refusal");
    } else if (case_id) {
        out = err->status;
    }
    free(case_id);
    free(prior);
    return out;
}

fb_status store_sync_outbox_done_range(fb_store *s, int64_t first_seq, int64_t last_seq, int64_t now, fb_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_range_synced, err);
    if (!st)
        return err->status;
    sqlite3_bind_int64(st, 1, first_seq);
    sqlite3_bind_int64(st, 2, last_seq);
    sqlite3_bind_int64(st, 3, now);
    store_bind_text(st, 4, outbox_kind_str(OUTBOX_DECISION));
    if (store_step_done(s, st, err, "recording upstream's answers") != FB_OK)
        return err->status;
    st = store_stmt(s, sql_range_delete, err);
    if (!st)
        return err->status;
    sqlite3_bind_int64(st, 1, first_seq);
    sqlite3_bind_int64(st, 2, last_seq);
    return store_step_done(s, st, err, "removing pushed outbox rows");
}

fb_status store_sync_case_resettle(fb_store *s, const char *case_id, fb_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_resettle, err);
    if (!st)
        return err->status;
    store_bind_text(st, 1, case_id);
    store_bind_text(st, 2, NULL);
    sqlite3_bind_int64(st, 3, fb_now_ms());
    return store_step_done(s, st, err, "restoring a case's upstream status");
}

fb_status store_sync_outbox_keep(fb_store *s, int64_t seq, fb_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_outbox_keep, err);
    if (!st)
        return err->status;
    sqlite3_bind_int64(st, 1, seq);
    return store_step_done(s, st, err, "keeping a refused outbox row");
}

fb_status store_sync_counts(fb_store *s, int64_t *pending, int64_t *in_flight, int64_t *conflicts,
                            int64_t *rejected, fb_err *err)
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
    *rejected = sqlite3_column_int64(st, 3);
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
    sqlite3_stmt *st = store_stmt(s, sql_case_upstream_status, err);
    if (!st)
        return err->status;
    store_bind_text(st, 1, case_id);
    store_bind_text(st, 2, status);
    if (store_step_done(s, st, err, "keeping upstream's status") != FB_OK)
        return err->status;
    if (!(st = store_stmt(s, sql_case_status, err)))
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
    /* The case's status comes with the pull's case rows (upstream's, after every row). */
    return FB_OK;
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
    if (rc == SQLITE_ROW)
        rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return store_fail(s, err, "saving a pulled appeal");
    /* The case's status comes with the pull's case rows (upstream's, after every row). */
    return FB_OK;
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
    /* The case's status comes with the pull's case rows (upstream's, after every row). */
    return store_step_done(s, st, err, "saving a pulled approval");
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
