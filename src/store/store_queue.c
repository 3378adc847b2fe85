/* The console's reads. Queue pages are keyset-paged on case_queue_risk and
 * case_queue_age: every page is an index seek plus LIMIT, whatever the store's size. */
#include "store_private.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/store_queue.h"

static const char *const queue_names[] = {
#define FB_X(e, name, words) name,
    FB_QUEUE_TABLE(FB_X)
#undef FB_X
};
static const char *const queue_wordings[] = {
#define FB_X(e, name, words) words,
    FB_QUEUE_TABLE(FB_X)
#undef FB_X
};
static const char *const sort_names[SORT_COUNT] = {"risk", "age", "sla"};

const char *queue_name(fb_queue q) { return q >= 0 && q < QUEUE_COUNT ? queue_names[q] : "?"; }
const char *queue_words(fb_queue q) { return q >= 0 && q < QUEUE_COUNT ? queue_wordings[q] : "?"; }
int queue_from_name(const char *s)
{
    for (int i = 0; i < QUEUE_COUNT; i++)
        if (strcmp(s, queue_names[i]) == 0)
            return i;
    return -1;
}
const char *sort_name(fb_sort s) { return s >= 0 && s < SORT_COUNT ? sort_names[s] : "?"; }
int sort_from_name(const char *s)
{
    for (int i = 0; i < SORT_COUNT; i++)
        if (strcmp(s, sort_names[i]) == 0)
            return i;
    return -1;
}

#define COLS                                                                                     \
    "SELECT c.id, c.risk, c.alleged, c.suggested, c.status, c.opened_at, c.claim_by, c.claim_until," \
    " sa.name, ca.name FROM \"case\" c LEFT JOIN account sa ON sa.id=c.subject"                \
    " LEFT JOIN account ca ON ca.id=c.counterparty"
/* Filters: ?5 code, ?6..?7 risk range. The unary + keeps the planner from choosing the
 * risk index for an age order (it would sort the whole queue). */
#define QF " AND (?5 IS NULL OR c.alleged=?5) AND +c.risk BETWEEN ?6 AND ?7"
/* Which rows: one status (?1) of the queue indexes, or "mine" (?8): the cases this reviewer
 * decided or holds a claim on, found from the decision table and the claimed range. */
#define BASE_STATUS "c.status=?1"
#define BASE_MINE                                                                                  \
    "c.id IN (SELECT case_id FROM decision WHERE reviewer=?8 AND undone_at IS NULL"              \
    " UNION SELECT id FROM \"case\" WHERE status='claimed' AND claim_by=?8) AND (?1 IS NULL OR c.status=?1)"
/* "conflicts" (?8): the cases where this reviewer has a decision upstream refused as a
 * conflict and has not yet answered it (the partial index decision_conflicts). */
#define BASE_CONFLICTS                                                                             \
    "c.id IN (SELECT case_id FROM decision WHERE reviewer=?8 AND sync_state='conflict'"           \
    " AND conflict_resolved_at IS NULL AND undone_at IS NULL) AND (?1 IS NULL OR c.status=?1)"

/* Risk order is (risk DESC, id ASC): "after (r, id)" is the rest of risk r, then lower risks.
 * Two index ranges in order; UNION ALL keeps them in that order. */
#define RISK_FWD(B)                                                                                \
    "SELECT * FROM (" COLS " WHERE " B " AND c.risk=?2 AND c.id>?3" QF " ORDER BY c.id LIMIT ?9)"   \
    " UNION ALL SELECT * FROM (" COLS " WHERE " B " AND c.risk<?2" QF                              \
    " ORDER BY c.risk DESC, c.id LIMIT ?9) LIMIT ?9"
#define RISK_BACK(B)                                                                               \
    "SELECT * FROM (" COLS " WHERE " B " AND c.risk=?2 AND c.id<?3" QF " ORDER BY c.id DESC LIMIT ?9)" \
    " UNION ALL SELECT * FROM (" COLS " WHERE " B " AND c.risk>?2" QF                              \
    " ORDER BY c.risk, c.id DESC LIMIT ?9) LIMIT ?9"
/* Age orders walk (status, opened_at, id) up or down with a row-value range. */
#define AGE_UP(B) COLS " WHERE " B " AND (c.opened_at, c.id) > (?4, ?3)" QF " ORDER BY c.opened_at, c.id LIMIT ?9"
#define AGE_DOWN(B)                                                                                \
    COLS " WHERE " B " AND (c.opened_at, c.id) < (?4, ?3)" QF " ORDER BY c.opened_at DESC, c.id DESC LIMIT ?9"

static const char sql_risk_fwd[] = RISK_FWD(BASE_STATUS);
static const char sql_risk_back[] = RISK_BACK(BASE_STATUS);
static const char sql_age_up[] = AGE_UP(BASE_STATUS);
static const char sql_age_down[] = AGE_DOWN(BASE_STATUS);
static const char sql_mine_risk_fwd[] = RISK_FWD(BASE_MINE);
static const char sql_mine_risk_back[] = RISK_BACK(BASE_MINE);
static const char sql_mine_age_up[] = AGE_UP(BASE_MINE);
static const char sql_mine_age_down[] = AGE_DOWN(BASE_MINE);
static const char sql_conf_risk_fwd[] = RISK_FWD(BASE_CONFLICTS);
static const char sql_conf_risk_back[] = RISK_BACK(BASE_CONFLICTS);
static const char sql_conf_age_up[] = AGE_UP(BASE_CONFLICTS);
static const char sql_conf_age_down[] = AGE_DOWN(BASE_CONFLICTS);
static const char sql_one[] = COLS " WHERE c.id=?1";

static void copy_text(char *dst, size_t n, sqlite3_stmt *st, int col)
{
    const char *v = (const char *)sqlite3_column_text(st, col);
    size_t len = v ? (size_t)sqlite3_column_bytes(st, col) : 0;
    if (len >= n) {
        len = n - 1;
        /* Cut on a UTF-8 boundary so a long name does not end in a broken character. */
        while (len > 0 && ((unsigned char)v[len] & 0xC0) == 0x80)
            len--;
    }
    if (len)
        memcpy(dst, v, len);
    dst[len] = '\0';
}

static void read_row(sqlite3_stmt *st, queue_row *r)
{
    memset(r, 0, sizeof *r);
    copy_text(r->id, sizeof r->id, st, 0);
    r->risk = sqlite3_column_int(st, 1);
    const char *t = (const char *)sqlite3_column_text(st, 2);
    r->alleged = t ? fb_violation_from_str(t) : FB_V_NONE;
    t = (const char *)sqlite3_column_text(st, 3);
    r->suggested = t ? fb_violation_from_str(t) : FB_V_NONE;
    t = (const char *)sqlite3_column_text(st, 4);
    r->status = t ? fb_case_status_from_str(t) : FB_CS_NONE;
    r->opened_at = sqlite3_column_int64(st, 5);
    copy_text(r->claim_by, sizeof r->claim_by, st, 6);
    r->claim_until = sqlite3_column_int64(st, 7);
    copy_text(r->subject_name, sizeof r->subject_name, st, 8);
    copy_text(r->counterparty_name, sizeof r->counterparty_name, st, 9);
}

void queue_anchor_from_row(queue_anchor *a, const queue_row *r)
{
    a->set = 1;
    a->risk = r->risk;
    a->opened_at = r->opened_at;
    snprintf(a->id, sizeof a->id, "%s", r->id);
}

static size_t queue_statuses(const queue_query *q, fb_case_status out[6])
{
    if (q->status != FB_CS_NONE) {
        out[0] = q->status;
        return 1;
    }
    switch (q->queue) {
    case QUEUE_OPEN: out[0] = FB_CS_OPEN; out[1] = FB_CS_CLAIMED; return 2;
    case QUEUE_MINE:    /* any status: the cases come from the reviewer's decisions and claims */
    case QUEUE_CONFLICTS:   /* any status: the cases come from the reviewer's conflicts */
        out[0] = FB_CS_NONE;
        return 1;
    case QUEUE_APPEALS: out[0] = FB_CS_APPEALED; return 1;
    case QUEUE_PENDING: out[0] = FB_CS_PENDING_APPROVAL; return 1;
    case QUEUE_ESCALATED: out[0] = FB_CS_ESCALATED; return 1;
    case QUEUE_DECIDED: default: out[0] = FB_CS_DECIDED; return 1;
    }
}

/* Display order of two rows under a sort: < 0 when a comes first. */
static int row_cmp(fb_sort sort, const queue_row *a, const queue_row *b)
{
    int c = 0;
    switch (sort) {
    case SORT_RISK:
        c = (a->risk < b->risk) - (a->risk > b->risk);
        if (!c)
            c = strcmp(a->id, b->id);
        break;
    case SORT_AGE:
        c = (a->opened_at < b->opened_at) - (a->opened_at > b->opened_at);
        if (!c)
            c = -strcmp(a->id, b->id);
        break;
    default:
        c = (a->opened_at > b->opened_at) - (a->opened_at < b->opened_at);
        if (!c)
            c = strcmp(a->id, b->id);
        break;
    }
    return c;
}

static fb_status page_one_status(fb_store *s, const queue_query *q, fb_case_status status,
                                 const queue_anchor *anchor, int dir, queue_row *rows, size_t n, size_t *got,
                                 fb_err *err)
{
    const char *sql;
    int r_anchor = 0;
    int64_t t_anchor = 0;
    int up = 0;   /* walking the age index upwards */
    int mine = q->queue == QUEUE_MINE, conf = q->queue == QUEUE_CONFLICTS;
    if (q->sort == SORT_RISK) {
        sql = conf   ? (dir > 0 ? sql_conf_risk_fwd : sql_conf_risk_back)
              : mine ? (dir > 0 ? sql_mine_risk_fwd : sql_mine_risk_back)
                     : (dir > 0 ? sql_risk_fwd : sql_risk_back);
        r_anchor = anchor && anchor->set ? anchor->risk : (dir > 0 ? 1000 : -1);
    } else {
        up = (q->sort == SORT_SLA) == (dir > 0);
        sql = conf   ? (up ? sql_conf_age_up : sql_conf_age_down)
              : mine ? (up ? sql_mine_age_up : sql_mine_age_down)
                     : (up ? sql_age_up : sql_age_down);
        t_anchor = anchor && anchor->set ? anchor->opened_at : (up ? INT64_MIN : INT64_MAX);
    }
    sqlite3_stmt *st = store_stmt(s, sql, err);
    if (!st)
        return err->status;
    store_bind_text(st, 1, fb_case_status_str(status));
    sqlite3_bind_int(st, 2, r_anchor);
    store_bind_text(st, 3, anchor && anchor->set ? anchor->id : "");
    sqlite3_bind_int64(st, 4, t_anchor);
    store_bind_text(st, 5, q->code == FB_V_NONE ? NULL : fb_violation_str(q->code));
    sqlite3_bind_int(st, 6, q->risk_min);
    sqlite3_bind_int(st, 7, q->risk_max);
    if (mine || conf)
        store_bind_text(st, 8, q->reviewer);
    sqlite3_bind_int64(st, 9, (sqlite3_int64)n);
    int rc;
    *got = 0;
    while (*got < n && (rc = sqlite3_step(st)) == SQLITE_ROW)
        read_row(st, &rows[(*got)++]);
    sqlite3_reset(st);
    if (*got < n && rc != SQLITE_DONE)
        return store_fail(s, err, "reading a queue page");
    return FB_OK;
}

fb_status store_queue_page(fb_store *s, const queue_query *q, const queue_anchor *anchor, int dir, queue_row *rows,
                           size_t n, size_t *got, fb_err *err)
{
    fb_case_status sts[6];
    size_t ns = queue_statuses(q, sts);
    *got = 0;
    if (n == 0)
        return FB_OK;
    if (ns == 1)
        return page_one_status(s, q, sts[0], anchor, dir, rows, n, got, err);
    /* Several statuses: a page from each, merged in display order (each is an index range). */
    queue_row *tmp = malloc(sizeof *tmp * n * ns);
    size_t *cnt = calloc(ns, sizeof *cnt), *pos = calloc(ns, sizeof *pos);
    fb_status rc = FB_OK;
    if (!tmp || !cnt || !pos) {
        rc = fb_err_set(err, FB_ENOMEM, "out of memory reading a queue page");
        goto done;
    }
    for (size_t i = 0; i < ns; i++)
        if ((rc = page_one_status(s, q, sts[i], anchor, dir, tmp + i * n, n, &cnt[i], err)) != FB_OK)
            goto done;
    while (*got < n) {
        size_t best = ns;
        for (size_t i = 0; i < ns; i++) {
            if (pos[i] >= cnt[i])
                continue;
            if (best == ns) {
                best = i;
                continue;
            }
            int c = row_cmp(q->sort, &tmp[i * n + pos[i]], &tmp[best * n + pos[best]]);
            if (dir < 0 ? c > 0 : c < 0)
                best = i;
        }
        if (best == ns)
            break;
        rows[(*got)++] = tmp[best * n + pos[best]++];
    }
done:
    free(tmp);
    free(cnt);
    free(pos);
    return rc;
}

fb_status store_queue_row(fb_store *s, const char *case_id, queue_row *row, fb_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_one, err);
    if (!st)
        return err->status;
    store_bind_text(st, 1, case_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_row(st, row);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return FB_OK;
    if (rc == SQLITE_DONE)
        return fb_err_set(err, FB_ENOTFOUND, "no case %s in this store", case_id);
    return store_fail(s, err, "reading a case");
}

int queue_row_matches(const queue_query *q, const queue_row *r, int mine)
{
    fb_case_status sts[6];
    size_t ns = queue_statuses(q, sts);
    int in = 0;
    for (size_t i = 0; i < ns; i++)
        in |= sts[i] == r->status || sts[i] == FB_CS_NONE;
    if (!in || ((q->queue == QUEUE_MINE || q->queue == QUEUE_CONFLICTS) && !mine))
        return 0;
    if (q->code != FB_V_NONE && r->alleged != q->code)
        return 0;
    return r->risk >= q->risk_min && r->risk <= q->risk_max;
}


/* One count; param binds ?1 when given. */
static fb_status count_one(fb_store *s, const char *sql, const char *param, int64_t *out, fb_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql, err);
    if (!st)
        return err->status;
    if (param)
        store_bind_text(st, 1, param);
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? FB_OK : store_fail(s, err, "counting the queues");
}

fb_status store_queue_counts(fb_store *s, const char *reviewer, queue_counts *out, fb_err *err)
{
    static const char sql_by_status[] = "SELECT status, count(*) FROM \"case\" GROUP BY status";
    static const char sql_mine[] =
        "SELECT (SELECT count(*) FROM \"case\" WHERE status='claimed' AND claim_by=?1)"
        " + (SELECT count(DISTINCT d.case_id) FROM decision d JOIN \"case\" c ON c.id=d.case_id"
        " WHERE d.reviewer=?1 AND d.undone_at IS NULL AND c.status<>'open'"
        " AND NOT (c.status='claimed' AND c.claim_by=?1))";
    static const char sql_conflicts[] =
        "SELECT count(DISTINCT case_id) FROM decision WHERE reviewer=?1 AND sync_state='conflict'"
        " AND conflict_resolved_at IS NULL AND undone_at IS NULL";
    static const char sql_unsynced[] =
        "SELECT count(*) FROM decision WHERE sync_state='pending' AND undone_at IS NULL";
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = store_stmt(s, sql_by_status, err);
    if (!st)
        return err->status;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        int64_t n = sqlite3_column_int64(st, 1);
        switch (fb_case_status_from_str(t ? t : "")) {
        case FB_CS_OPEN: case FB_CS_CLAIMED: out->n[QUEUE_OPEN] += n; break;
        case FB_CS_APPEALED: out->n[QUEUE_APPEALS] += n; break;
        case FB_CS_PENDING_APPROVAL: out->n[QUEUE_PENDING] += n; break;
        case FB_CS_ESCALATED: out->n[QUEUE_ESCALATED] += n; break;
        case FB_CS_DECIDED: out->n[QUEUE_DECIDED] += n; break;
        default: break;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return store_fail(s, err, "counting the queues");
    if (count_one(s, sql_mine, reviewer, &out->n[QUEUE_MINE], err) != FB_OK ||
        count_one(s, sql_conflicts, reviewer, &out->n[QUEUE_CONFLICTS], err) != FB_OK ||
        count_one(s, sql_unsynced, NULL, &out->pending_sync, err) != FB_OK)
        return err->status;
    return FB_OK;
}

/* The term with each of specials preceded by esc, and wrapped in wrap when not 0: a LIKE
 * pattern matched literally, or one FTS5 phrase (quotes doubled). malloc'd; NULL if no memory. */
static char *quote_term(const char *term, const char *specials, char esc, char wrap)
{
    char *out = malloc(strlen(term) * 2 + 3), *o = out;
    if (!out)
        return NULL;
    if (wrap)
        *o++ = wrap;
    for (const char *p = term; *p; p++) {
        if (strchr(specials, *p))
            *o++ = esc;
        *o++ = *p;
    }
    if (wrap)
        *o++ = wrap;
    *o = '\0';
    return out;
}

struct seen {
    char **ids;
    size_t n, max;
    store_id_fn fn;
    void *ctx;
};

static int seen_add(struct seen *sn, const char *id)
{
    for (size_t i = 0; i < sn->n; i++)
        if (strcmp(sn->ids[i], id) == 0)
            return 1;
    if (sn->n >= sn->max)
        return 0;
    char **slot = fb_grow((void **)&sn->ids, &sn->n, sizeof *slot);
    if (!slot)
        return 0;
    *slot = fb_strdup(id);
    sn->fn(sn->ctx, id);
    return 1;
}

static fb_status collect(fb_store *s, sqlite3_stmt *st, struct seen *sn, fb_err *err, const char *doing)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        if (id && !seen_add(sn, id))
            break;
    }
    store_stmt_release(s, st);   /* held by the caller: seen_add calls back */
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(s, err, doing);
    return FB_OK;
}

fb_status store_search(fb_store *s, const char *term, size_t max, store_id_fn fn, void *ctx, fb_err *err)
{
    static const char sql_ids[] = "SELECT id FROM \"case\" WHERE id >= ?1 AND id < ?2 ORDER BY id LIMIT ?3";
    /* One pass over the accounts (a join would look each case_account row up instead),
     * then their cases by index; message hits in FTS order, stopping at the limit. */
    static const char sql_names[] =
        "SELECT ca.case_id FROM case_account ca WHERE ca.account_id IN"
        " (SELECT id FROM account WHERE name LIKE '%' || ?1 || '%' ESCAPE '\\' LIMIT ?2) LIMIT ?2";
    static const char sql_text[] =
        "SELECT DISTINCT m.case_id FROM message_fts f JOIN message m ON m.id=f.rowid"
        " WHERE message_fts MATCH ?1 LIMIT ?2";
    struct seen sn = {NULL, 0, max, fn, ctx};
    fb_status rc = FB_OK;
    size_t len = strlen(term);
    char *hi = NULL, *like = NULL, *fts = NULL;
    if (len == 0)
        return FB_OK;
    /* Case ids with this prefix: [term, term with its last byte + 1). */
    hi = fb_strdup(term);
    size_t k = len;
    while (k > 0 && (unsigned char)hi[k - 1] == 0xFF)
        hi[--k] = '\0';
    if (k > 0)
        hi[k - 1] = (char)((unsigned char)hi[k - 1] + 1);
    sqlite3_stmt *st = store_stmt_hold(s, sql_ids, err);
    if (!st) {
        rc = err->status;
        goto done;
    }
    store_bind_text(st, 1, term);
    if (k > 0)
        store_bind_text(st, 2, hi);
    else
        sqlite3_bind_blob(st, 2, "\xFF\xFF", 2, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)max);
    if ((rc = collect(s, st, &sn, err, "searching case ids")) != FB_OK)
        goto done;
    /* Names: LIKE with its wildcards escaped, so the term is matched literally. */
    if (!(like = quote_term(term, "%_\\", '\\', 0))) {
        rc = fb_err_set(err, FB_ENOMEM, "out of memory searching");
        goto done;
    }
    if (!(st = store_stmt_hold(s, sql_names, err))) {
        rc = err->status;
        goto done;
    }
    store_bind_text(st, 1, like);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
    if ((rc = collect(s, st, &sn, err, "searching account names")) != FB_OK)
        goto done;
    /* Message text: the term as one FTS5 phrase (quotes doubled), so no query syntax leaks in. */
    if (!(fts = quote_term(term, "\"", '"', '"'))) {
        rc = fb_err_set(err, FB_ENOMEM, "out of memory searching");
        goto done;
    }
    if (!(st = store_stmt_hold(s, sql_text, err))) {
        rc = err->status;
        goto done;
    }
    store_bind_text(st, 1, fts);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
    rc = collect(s, st, &sn, err, "searching message text");
done:
    for (size_t i = 0; i < sn.n; i++)
        free(sn.ids[i]);
    free(sn.ids);
    free(hi);
    free(like);
    free(fts);
    return rc;
}

fb_status store_cases_of_account(fb_store *s, const char *account_id, int cluster, size_t max, store_id_fn fn,
                                 void *ctx, fb_err *err)
{
    static const char sql_account[] =
        "SELECT id FROM \"case\" WHERE subject=?1 AND status IN ('open','claimed') ORDER BY id LIMIT ?2";
    /* The cluster is the one store_structure keeps (accounts joined by identifying links). */
    static const char sql_cluster[] =
        "SELECT c.id FROM \"case\" c WHERE c.subject IN (SELECT ?1 UNION SELECT m.account_id FROM account_cluster m"
        " WHERE m.cluster=(SELECT cluster FROM account_cluster WHERE account_id=?1))"
        " AND c.status IN ('open','claimed') ORDER BY c.id LIMIT ?2";
    sqlite3_stmt *st = store_stmt_hold(s, cluster ? sql_cluster : sql_account, err);
    if (!st)
        return err->status;
    store_bind_text(st, 1, account_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn(ctx, (const char *)sqlite3_column_text(st, 0));
    store_stmt_release(s, st);
    if (rc != SQLITE_DONE)
        return store_fail(s, err, "finding an account's open cases");
    return FB_OK;
}

fb_status store_case_history(fb_store *s, const char *case_id, const char *subject, const char *counterparty,
                             store_history_fn fn, void *ctx, fb_err *err)
{
    static const char sql[] =
        "SELECT decided_at, 'decision', reviewer,"
        "  action || coalesce(' ' || violation, '') || coalesce(' ' || days || ' days', '')"
        "  || CASE WHEN overridden THEN ' (overrides the recommendation)' ELSE '' END"
        "  || CASE approval WHEN 'pending' THEN ' · awaiting approval' WHEN 'approved' THEN ' · approved by '"
        "     || coalesce(approved_by, '?') WHEN 'rejected' THEN ' · sent back by ' || coalesce(approved_by, '?')"
        "     ELSE '' END"
        "  || CASE WHEN undone_at IS NOT NULL THEN ' · undone' ELSE ' · ' || sync_state END"
        "  || coalesce(' (' || conflict_resolution || ' the winner)', '')"
        "  || CASE WHEN sync_state IN ('conflict','rejected') THEN coalesce(': ' || upstream_note, '') ELSE '' END"
        "  || coalesce(' — ' || rationale, '')"
        " FROM decision WHERE case_id=?1"
        " UNION ALL SELECT received_at, 'appeal', '', text FROM appeal WHERE case_id=?1"
        " UNION ALL SELECT at, 'note', reviewer, text FROM note WHERE case_id=?1"
        " UNION ALL SELECT at, 'audit', actor, kind || ': ' || detail FROM audit WHERE case_id=?1"
        " UNION ALL SELECT at, 'earlier', account_id, action || coalesce(' ' || violation, '') || ' (' || source || ')'"
        "  FROM prior_action WHERE account_id IN (?2, ?3)"
        " UNION ALL SELECT d.decided_at, 'earlier', c.subject,"
        "  d.action || coalesce(' ' || d.violation, '') || ' on ' || c.id"
        "  FROM \"case\" c JOIN decision d ON d.case_id=c.id"
        "  WHERE c.subject IN (?2, ?3) AND c.id<>?1 AND d.undone_at IS NULL"
        " ORDER BY 1";
    sqlite3_stmt *st = store_stmt_hold(s, sql, err);
    if (!st)
        return err->status;
    store_bind_text(st, 1, case_id);
    store_bind_text(st, 2, subject ? subject : "");
    store_bind_text(st, 3, counterparty ? counterparty : "");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn(ctx, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
           (const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3));
    store_stmt_release(s, st);
    if (rc != SQLITE_DONE)
        return store_fail(s, err, "reading a case's history");
    return FB_OK;
}

fb_status store_case_pending_block(fb_store *s, const char *case_id, char id[37], fb_err *err)
{
    static const char sql[] = "SELECT id FROM decision WHERE case_id=?1 AND approval='pending'"
                              " AND undone_at IS NULL ORDER BY decided_at DESC LIMIT 1";
    sqlite3_stmt *st = store_stmt(s, sql, err);
    if (!st)
        return err->status;
    store_bind_text(st, 1, case_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(id, 37, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return FB_OK;
    if (rc == SQLITE_DONE)
        return fb_err_set(err, FB_ENOTFOUND, "case %s has no block waiting for approval", case_id);
    return store_fail(s, err, "finding a pending block");
}

int store_has_unsynced(fb_store *s, const char *reviewer)
{
    static const char sql[] = "SELECT 1 FROM decision WHERE sync_state='pending' AND undone_at IS NULL"
                              " AND reviewer=?1 LIMIT 1";
    sqlite3_stmt *st = store_stmt(s, sql, NULL);
    if (!st)
        return 0;
    store_bind_text(st, 1, reviewer);
    int yes = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return yes;
}

int store_conflict_open(fb_store *s, const char *case_id, const char *reviewer)
{
    static const char sql[] = "SELECT 1 FROM decision WHERE case_id=?1 AND reviewer=?2 AND sync_state='conflict'"
                              " AND conflict_resolved_at IS NULL AND undone_at IS NULL LIMIT 1";
    sqlite3_stmt *st = store_stmt(s, sql, NULL);
    if (!st)
        return 0;
    store_bind_text(st, 1, case_id);
    store_bind_text(st, 2, reviewer);
    int yes = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return yes;
}

int store_decided_by(fb_store *s, const char *case_id, const char *reviewer)
{
    static const char sql[] = "SELECT 1 FROM decision WHERE case_id=?1 AND reviewer=?2 AND undone_at IS NULL LIMIT 1";
    sqlite3_stmt *st = store_stmt(s, sql, NULL);
    if (!st)
        return 0;
    store_bind_text(st, 1, case_id);
    store_bind_text(st, 2, reviewer);
    int yes = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return yes;
}
