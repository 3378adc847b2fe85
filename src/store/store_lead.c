/* A lead's numbers (store_lead.h): three grouped scans, bound parameters only. */
#include "store_private.h"

#include <stdio.h>
#include <string.h>

#include "fbreview/model.h"
#include "fbreview/store_lead.h"

static const int64_t age_edges[] = {
#define FB_X(edge, label) edge,
    FB_LEAD_AGE_TABLE(FB_X)
#undef FB_X
};
static const char *const age_labels[] = {
#define FB_X(edge, label) label,
    FB_LEAD_AGE_TABLE(FB_X)
#undef FB_X
};

const char *lead_age_label(int bucket)
{
    return bucket >= 0 && bucket < FB_LEAD_AGE_BUCKETS ? age_labels[bucket] : "?";
}

/* The bucket is the number of edges the age has reached (edges ?3..?7); the status is
 * judged in C (model), so no status list is typed here. */
_Static_assert(FB_LEAD_AGE_BUCKETS == 6, "sql_ages names five edges (?3..?7): change it with the table");
static const char sql_ages[] =
    "SELECT status, (?1 - opened_at >= ?3) + (?1 - opened_at >= ?4) + (?1 - opened_at >= ?5)"
    "  + (?1 - opened_at >= ?6) + (?1 - opened_at >= ?7) AS bucket, count(*), sum(?1 - opened_at >= ?2)"
    " FROM \"case\" GROUP BY status, bucket";
static const char sql_days[] =
    "SELECT (decided_at - ?1) / 86400000, count(*), sum(overridden) FROM decision"
    " WHERE decided_at >= ?1 AND undone_at IS NULL GROUP BY 1";
static const char sql_late[] =
    "SELECT count(*) FROM decision d JOIN \"case\" c ON c.id=d.case_id"
    " WHERE d.decided_at >= ?1 AND d.undone_at IS NULL AND d.decided_at - c.opened_at > ?2";
static const char sql_reviewers[] =
    "SELECT reviewer, count(*), sum(overridden) FROM decision WHERE decided_at >= ?1 AND undone_at IS NULL"
    " GROUP BY reviewer ORDER BY 2 DESC, reviewer LIMIT ?2";

fb_status store_lead_stats(fb_store *s, int64_t now_ms, int64_t sla_ms, fb_lead_stats *out, fb_err *err)
{
    memset(out, 0, sizeof *out);
    out->now_ms = now_ms;
    out->sla_ms = sla_ms;
    out->day0_ms = (now_ms / FB_DAY_MS - (FB_LEAD_DAYS - 1)) * FB_DAY_MS;
    sqlite3_stmt *st = store_stmt(s, sql_ages, err);
    if (!st)
        return err->status;
    sqlite3_bind_int64(st, 1, now_ms);
    sqlite3_bind_int64(st, 2, sla_ms);
    for (int i = 0; i < FB_LEAD_AGE_BUCKETS - 1; i++)
        sqlite3_bind_int64(st, 3 + i, age_edges[i]);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *status = (const char *)sqlite3_column_text(st, 0);
        if (fb_case_status_from_str(status ? status : "") == FB_CS_DECIDED)
            continue;   /* decided cases wait for nobody */
        int b = sqlite3_column_int(st, 1);
        int64_t n = sqlite3_column_int64(st, 2);
        out->age[b >= 0 && b < FB_LEAD_AGE_BUCKETS ? b : FB_LEAD_AGE_BUCKETS - 1] += n;
        out->waiting += n;
        out->breached += sqlite3_column_int64(st, 3);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return store_fail(s, err, "counting waiting cases by age");

    if (!(st = store_stmt(s, sql_days, err)))
        return err->status;
    sqlite3_bind_int64(st, 1, out->day0_ms);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t d = sqlite3_column_int64(st, 0);
        int64_t n = sqlite3_column_int64(st, 1);
        if (d >= 0 && d < FB_LEAD_DAYS)
            out->per_day[d] += n;
        out->decisions += n;
        out->overridden += sqlite3_column_int64(st, 2);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return store_fail(s, err, "counting decisions per day");

    if (!(st = store_stmt(s, sql_late, err)))
        return err->status;
    sqlite3_bind_int64(st, 1, out->day0_ms);
    sqlite3_bind_int64(st, 2, sla_ms);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        out->decided_late = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return store_fail(s, err, "counting late decisions");

    if (!(st = store_stmt(s, sql_reviewers, err)))
        return err->status;
    sqlite3_bind_int64(st, 1, out->day0_ms);
    sqlite3_bind_int64(st, 2, FB_LEAD_REVIEWERS);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->n_top < FB_LEAD_REVIEWERS) {
        fb_lead_reviewer *r = &out->top[out->n_top++];
        const char *name = (const char *)sqlite3_column_text(st, 0);
        snprintf(r->name, sizeof r->name, "%s", name ? name : "?");
        r->decisions = sqlite3_column_int64(st, 1);
        r->overridden = sqlite3_column_int64(st, 2);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return store_fail(s, err, "counting decisions per reviewer");
    return FB_OK;
}
