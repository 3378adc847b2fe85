/* The decisions cursor behind the CSV export: see include/fbreview/store_export.h. */
#include "fbreview/store_export.h"

#include <stdlib.h>

#include "store_private.h"

struct store_export_cursor {
    fb_store *s;
    sqlite3_stmt *st;    /* held from the statement cache: released, never finalised, on close */
};

/* Bounds are always bound (the full int64 range when absent) rather than written as
 * "?1 IS NULL OR ...", so the planner walks decision_by_time (decided_at, id) for both
 * the range and the order: no sort at all. A sort would hold rows in memory (temp_store
 * is MEMORY): even sorting only the ties on decided_at grew without bound when many
 * decisions shared a millisecond. LEFT JOIN keeps decision as the outer loop; the case
 * is a primary-key lookup. */
static const char export_sql[] =
    "SELECT d.id, d.case_id, d.decided_at, d.reviewer, d.action, d.violation, d.days,"
    "       c.subject, c.counterparty, c.contract_id, d.rec_action, d.overridden,"
    "       d.approved_by, d.supersedes, d.rationale, d.sync_state, d.synced_at,"
    "       d.approval, d.approval_rationale, d.policy_version"
    "  FROM decision d LEFT JOIN \"case\" c ON c.id = d.case_id"
    " WHERE d.decided_at BETWEEN ?1 AND ?2"
    "   AND d.undone_at IS NULL"
    "   AND (?3 IS NULL OR d.action = ?3)"
    "   AND (?4 IS NULL OR d.reviewer = ?4)"
    " ORDER BY d.decided_at, d.id";

fb_status store_export_open(fb_store *s, const export_filter *f, store_export_cursor **out, fb_err *err)
{
    *out = NULL;
    static const export_filter all;
    if (!f)
        f = &all;
    /* Held while the cursor is open: other work on the store cannot reset it under us. */
    sqlite3_stmt *st = store_stmt_hold(s, export_sql, err);
    if (!st)
        return err->status;
    store_export_cursor *c = malloc(sizeof *c);
    if (!c) {
        store_stmt_release(s, st);
        return fb_err_set(err, FB_ENOMEM, "out of memory starting the export");
    }
    int64_t lo = f->has_since ? f->since : INT64_MIN, hi = INT64_MAX;
    if (f->has_until) {
        /* until is exclusive, BETWEEN inclusive; nothing lies before INT64_MIN. */
        if (f->until == INT64_MIN) {
            lo = INT64_MAX;
            hi = INT64_MIN;
        } else {
            hi = f->until - 1;
        }
    }
    sqlite3_bind_int64(st, 1, lo);
    sqlite3_bind_int64(st, 2, hi);
    store_bind_text(st, 3, f->action);
    store_bind_text(st, 4, f->reviewer);
    c->s = s;
    c->st = st;
    *out = c;
    return FB_OK;
}

static store_text col_text(sqlite3_stmt *st, int i)
{
    store_text t;
    t.p = (const char *)sqlite3_column_text(st, i);
    t.len = t.p ? (size_t)sqlite3_column_bytes(st, i) : 0;
    return t;
}

int store_export_next(store_export_cursor *c, store_export_row *r, fb_err *err)
{
    sqlite3_stmt *st = c->st;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW) {
        store_fail(c->s, err, "reading decisions for the export");
        return -1;
    }
    r->decision_id = col_text(st, 0);
    r->case_id = col_text(st, 1);
    r->decided_at = sqlite3_column_int64(st, 2);
    r->reviewer = col_text(st, 3);
    r->action = col_text(st, 4);
    r->violation = col_text(st, 5);
    r->has_days = sqlite3_column_type(st, 6) != SQLITE_NULL;
    r->days = sqlite3_column_int64(st, 6);
    r->subject = col_text(st, 7);
    r->counterparty = col_text(st, 8);
    r->contract_id = col_text(st, 9);
    r->rec_action = col_text(st, 10);
    r->overridden = sqlite3_column_int(st, 11) != 0;
    r->approval_by = col_text(st, 12);
    r->supersedes = col_text(st, 13);
    r->rationale = col_text(st, 14);
    r->sync_state = col_text(st, 15);
    r->has_synced_at = sqlite3_column_type(st, 16) != SQLITE_NULL;
    r->synced_at = sqlite3_column_int64(st, 16);
    r->approval = col_text(st, 17);
    r->approval_rationale = col_text(st, 18);
    r->policy_version = sqlite3_column_int(st, 19);
    return 1;
}

void store_export_close(store_export_cursor **cp)
{
    store_export_cursor *c = cp ? *cp : NULL;
    if (!c)
        return;
    /* Reset ends the read transaction; the statement stays cached for the next export. */
    store_stmt_release(c->s, c->st);
    sqlite3_clear_bindings(c->st);
    free(c);
    *cp = NULL;
}
