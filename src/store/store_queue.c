/* The console's reads. Queue pages are keyset-paged on case_queue_risk and
 * case_queue_age (case_queue_code_* under a code filter): every page is an index seek plus
 * LIMIT, whatever the store's size. */
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
/* Filters: ?5 code, ?6..?7 risk range. A status queue under a code filter has statements
 * of its own, so the code is an equality on case_queue_code_* (a rare code costs its own
 * rows, not the queue's); the reviewer's own queues are small and take either. The risk
 * range narrows the risk orders' index range (one bound each side, min/max with the
 * anchor: given two, the planner may take the wrong one); where the risk is fixed or the
 * order is by age it is only tested, in the index, and the unary + keeps the planner from
 * ranging on it (for an age order it would sort the whole queue). */
#define CF_NONE ""
#define CF_EQ " AND c.alleged=?5"
#define CF_ANY " AND (?5 IS NULL OR c.alleged=?5)"
#define RISK_TESTED " AND +c.risk BETWEEN ?6 AND ?7"
/* Which rows: one status (?1) of the queue indexes, or one of the reviewer's own queues
 * (?10 names it, ?8 the reviewer): the view reviewer_queue says what each holds. */
#define BASE_STATUS "c.status=?1"
#define BASE_REVIEWER                                                                              \
    "c.id IN (SELECT case_id FROM reviewer_queue WHERE queue=?10 AND reviewer=?8)"                \
    " AND (?1 IS NULL OR c.status=?1)"

/* Risk order is (risk DESC, id ASC): "after (r, id)" is the rest of risk r, then lower risks.
 * Two index ranges in order; UNION ALL keeps them in that order. C is the column list: the
 * row's (COLS) for a page, the key alone (KEYS, no joins) for a count; B which rows, F the
 * code filter. */
#define RISK_FWD_OF(C, B, F)                                                                       \
    "SELECT * FROM (" C " WHERE " B " AND c.risk=?2 AND c.id>?3" F RISK_TESTED " ORDER BY c.id LIMIT ?9)" \
    " UNION ALL SELECT * FROM (" C " WHERE " B " AND c.risk<min(?2, ?7 + 1) AND c.risk>=?6" F        \
    " ORDER BY c.risk DESC, c.id LIMIT ?9) LIMIT ?9"
#define RISK_BACK_OF(C, B, F)                                                                      \
    "SELECT * FROM (" C " WHERE " B " AND c.risk=?2 AND c.id<?3" F RISK_TESTED " ORDER BY c.id DESC LIMIT ?9)" \
    " UNION ALL SELECT * FROM (" C " WHERE " B " AND c.risk>max(?2, ?6 - 1) AND c.risk<=?7" F        \
    " ORDER BY c.risk, c.id DESC LIMIT ?9) LIMIT ?9"
/* Age orders walk (status, opened_at, id) up or down with a row-value range. */
#define AGE_UP_OF(C, B, F)                                                                         \
    C " WHERE " B " AND (c.opened_at, c.id) > (?4, ?3)" F RISK_TESTED " ORDER BY c.opened_at, c.id LIMIT ?9"
#define AGE_DOWN_OF(C, B, F)                                                                       \
    C " WHERE " B " AND (c.opened_at, c.id) < (?4, ?3)" F RISK_TESTED                               \
    " ORDER BY c.opened_at DESC, c.id DESC LIMIT ?9"
#define KEYS "SELECT c.id FROM \"case\" c"

/* The four walks (risk forward and back, age up and down) of one kind of queue. */
typedef struct walks {
    const char *risk_fwd, *risk_back, *age_up, *age_down;
} walks;
#define WALKS_OF(C, B, F) {RISK_FWD_OF(C, B, F), RISK_BACK_OF(C, B, F), AGE_UP_OF(C, B, F), AGE_DOWN_OF(C, B, F)}
/* A status queue, without and with a code filter; the reviewer's own queues. */
static const walks w_status = WALKS_OF(COLS, BASE_STATUS, CF_NONE);
static const walks w_status_code = WALKS_OF(COLS, BASE_STATUS, CF_EQ);
static const walks w_reviewer = WALKS_OF(COLS, BASE_REVIEWER, CF_ANY);
static const char sql_one[] = COLS " WHERE c.id=?1";

/* An age order under a risk filter walks the age index and tests each row's risk: cheap
 * while the filter keeps many rows, a walk of the whole status when it keeps few. When a
 * status holds at most AGE_SORTED_MAX rows under the filter (probed on the risk index,
 * which carries opened_at), they are read from the risk index and sorted by age instead:
 * at most that many index entries, never the case rows. */
#define AGE_SORTED_MAX 5000
#define AGE_SORTED_OF(C, F, IDX, CMP, ORD)                                                         \
    C " WHERE c.id IN (SELECT c.id FROM \"case\" c INDEXED BY " IDX " WHERE c.status=?1" F         \
    " AND c.risk BETWEEN ?6 AND ?7 AND (c.opened_at, c.id) " CMP " (?4, ?3) ORDER BY " ORD " LIMIT ?9)" \
    " ORDER BY " ORD " LIMIT ?9"
#define AGE_UP_SORTED_OF(C, F, IDX) AGE_SORTED_OF(C, F, IDX, ">", "c.opened_at, c.id")
#define AGE_DOWN_SORTED_OF(C, F, IDX) AGE_SORTED_OF(C, F, IDX, "<", "c.opened_at DESC, c.id DESC")
#define AGE_PROBE(F) "SELECT count(*) FROM (SELECT 1 FROM \"case\" c WHERE c.status=?1" F " AND c.risk BETWEEN ?6 AND ?7 LIMIT ?9)"
typedef struct sorted_walks {
    const char *probe;
    const char *up, *down, *count_up, *count_down;
} sorted_walks;
#define SORTED_WALKS(F, IDX)                                                                       \
    {AGE_PROBE(F), AGE_UP_SORTED_OF(COLS, F, IDX), AGE_DOWN_SORTED_OF(COLS, F, IDX),                \
     COUNTED(AGE_UP_SORTED_OF(KEYS, F, IDX)), COUNTED(AGE_DOWN_SORTED_OF(KEYS, F, IDX))}

/* Counting a queue (with its filters), or the rows before or after a row: the page's own
 * query without its limit, counted. */
#define COUNTED(S) "SELECT count(*) FROM (" S ")"
#define COUNTED_WALKS(B, F)                                                                        \
    {COUNTED(RISK_FWD_OF(KEYS, B, F)), COUNTED(RISK_BACK_OF(KEYS, B, F)), COUNTED(AGE_UP_OF(KEYS, B, F)), \
     COUNTED(AGE_DOWN_OF(KEYS, B, F))}
static const struct {
    const walks *page;
    walks count;
} counted[] = {
    {&w_status, COUNTED_WALKS(BASE_STATUS, CF_NONE)},
    {&w_status_code, COUNTED_WALKS(BASE_STATUS, CF_EQ)},
    {&w_reviewer, COUNTED_WALKS(BASE_REVIEWER, CF_ANY)},
};

static const sorted_walks sw_status = SORTED_WALKS(CF_NONE, "case_queue_risk");
static const sorted_walks sw_status_code = SORTED_WALKS(CF_EQ, "case_queue_code_risk");

static const walks *counted_walks(const walks *page)
{
    for (size_t i = 0; i < sizeof counted / sizeof counted[0]; i++)
        if (counted[i].page == page)
            return &counted[i].count;
    return NULL;
}

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

/* The statuses a queue shows (lc_queue), or the status filter; none (0) for the
 * reviewer's own queues. -1 on error. */
static int queue_statuses(fb_store *s, const queue_query *q, fb_case_status out[FB_CS_COUNT], fb_err *err)
{
    static const char sql[] = "SELECT status FROM lc_queue WHERE queue=?1";
    sqlite3_stmt *st = store_stmt(s, sql, err);
    if (!st)
        return -1;
    store_bind_text(st, 1, queue_name(q->queue));
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < FB_CS_COUNT) {
        fb_case_status cs = fb_case_status_from_str((const char *)sqlite3_column_text(st, 0));
        if (cs != FB_CS_NONE)
            out[n++] = cs;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        store_fail(s, err, "reading the queues' statuses");
        return -1;
    }
    if (n > 0 && q->status != FB_CS_NONE) {
        out[0] = q->status;
        n = 1;
    }
    return n;
}

/* Display order of two rows under a sort: < 0 when a comes first. */
int queue_row_cmp(fb_sort sort, const queue_row *a, const queue_row *b)
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

/* 1 when the status holds at most AGE_SORTED_MAX rows under q's filter, 0 when more, -1
 * on error: counted on the risk index, stopping past the bound. */
static int age_filter_few(fb_store *s, const sorted_walks *sw, const queue_query *q, fb_case_status status,
                          fb_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sw->probe, err);
    if (!st)
        return -1;
    store_bind_text(st, 1, fb_case_status_str(status));
    store_bind_text(st, 5, q->code == FB_V_NONE ? NULL : fb_violation_str(q->code));
    sqlite3_bind_int(st, 6, q->risk_min);
    sqlite3_bind_int(st, 7, q->risk_max);
    sqlite3_bind_int(st, 9, AGE_SORTED_MAX + 1);
    int rc = sqlite3_step(st);
    int64_t n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW) {
        store_fail(s, err, "counting a filtered queue");
        return -1;
    }
    return n <= AGE_SORTED_MAX;
}

/* A page of one status; with count set, how many rows the page has (at most n). */
static fb_status page_one_status(fb_store *s, const queue_query *q, fb_case_status status,
                                 const queue_anchor *anchor, int dir, queue_row *rows, size_t n, size_t *got,
                                 int64_t *count, fb_err *err)
{
    const char *sql;
    int r_anchor = 0;
    int64_t t_anchor = 0;
    int up = 0;   /* walking the age index upwards */
    int rev = status == FB_CS_NONE;   /* one of the reviewer's own queues */
    if (rev)
        status = q->status;
    const walks *w = rev ? &w_reviewer : q->code != FB_V_NONE ? &w_status_code : &w_status;
    if (count)
        w = counted_walks(w);
    if (q->sort == SORT_RISK) {
        sql = dir > 0 ? w->risk_fwd : w->risk_back;
        r_anchor = anchor && anchor->set ? anchor->risk : (dir > 0 ? 1000 : -1);
    } else {
        up = (q->sort == SORT_SLA) == (dir > 0);
        sql = up ? w->age_up : w->age_down;
        t_anchor = anchor && anchor->set ? anchor->opened_at : (up ? INT64_MIN : INT64_MAX);
        if (!rev && (q->risk_min > 0 || q->risk_max < 100)) {
            const sorted_walks *sw = q->code != FB_V_NONE ? &sw_status_code : &sw_status;
            int few = age_filter_few(s, sw, q, status, err);
            if (few < 0)
                return err->status;
            if (few)
                sql = count ? (up ? sw->count_up : sw->count_down) : (up ? sw->up : sw->down);
        }
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
    if (rev) {
        store_bind_text(st, 8, q->reviewer);
        store_bind_text(st, 10, queue_name(q->queue));
    }
    sqlite3_bind_int64(st, 9, (sqlite3_int64)n);   /* a count stops at n rows too */
    int rc;
    if (count) {
        rc = sqlite3_step(st);
        *count = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? FB_OK : store_fail(s, err, "counting a queue");
    }
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
    fb_case_status sts[FB_CS_COUNT];
    *got = 0;
    if (n == 0)
        return FB_OK;
    int nsi = queue_statuses(s, q, sts, err);
    if (nsi < 0)
        return err->status;
    if (nsi == 0)
        return page_one_status(s, q, FB_CS_NONE, anchor, dir, rows, n, got, NULL, err);
    size_t ns = (size_t)nsi;
    if (ns == 1)
        return page_one_status(s, q, sts[0], anchor, dir, rows, n, got, NULL, err);
    /* Several statuses: a page from each, merged in display order (each is an index range). */
    queue_row *tmp = malloc(sizeof *tmp * n * ns);
    size_t *cnt = calloc(ns, sizeof *cnt), *pos = calloc(ns, sizeof *pos);
    fb_status rc = FB_OK;
    if (!tmp || !cnt || !pos) {
        rc = fb_err_set(err, FB_ENOMEM, "out of memory reading a queue page");
        goto done;
    }
    for (size_t i = 0; i < ns; i++)
        if ((rc = page_one_status(s, q, sts[i], anchor, dir, tmp + i * n, n, &cnt[i], NULL, err)) != FB_OK)
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
            int c = queue_row_cmp(q->sort, &tmp[i * n + pos[i]], &tmp[best * n + pos[best]]);
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

fb_status store_queue_count(fb_store *s, const queue_query *q, const queue_anchor *anchor, int dir, int64_t cap,
                            int64_t *out, fb_err *err)
{
    fb_case_status sts[FB_CS_COUNT];
    *out = 0;
    /* The whole queue's size does not depend on its order: counted in risk order, where a
     * risk filter is an index range, so a filter costs the rows it keeps (up to cap). */
    queue_query whole;
    if (!anchor || !anchor->set) {
        whole = *q;
        whole.sort = SORT_RISK;
        q = &whole;
        anchor = NULL;
        dir = 1;
    }
    int nsi = queue_statuses(s, q, sts, err);
    if (nsi < 0)
        return err->status;
    /* The reviewer's own queues (none of lc_queue's statuses) are one query on the view
     * reviewer_queue, the page's own. */
    if (nsi == 0) {
        sts[0] = FB_CS_NONE;
        nsi = 1;
    }
    size_t ns = (size_t)nsi;
    /* The statuses of a queue are disjoint ranges: the counts add up. */
    for (size_t i = 0; i < ns && *out <= cap; i++) {
        int64_t c = 0;
        size_t got = 0;
        fb_status rc = page_one_status(s, q, sts[i], anchor, dir, NULL, (size_t)(cap + 1 - *out), &got, &c, err);
        if (rc != FB_OK)
            return rc;
        *out += c;
    }
    return FB_OK;
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

int store_queue_has(fb_store *s, const queue_query *q, const queue_row *r)
{
    static const char sql[] =
        "SELECT EXISTS (SELECT 1 FROM lc_queue WHERE queue=?1 AND status=?2)"
        "    OR EXISTS (SELECT 1 FROM reviewer_queue WHERE queue=?1 AND reviewer=?3 AND case_id=?4)";
    if (q->status != FB_CS_NONE && r->status != q->status)
        return 0;
    if (q->code != FB_V_NONE && r->alleged != q->code)
        return 0;
    if (r->risk < q->risk_min || r->risk > q->risk_max)
        return 0;
    sqlite3_stmt *st = store_stmt(s, sql, NULL);
    if (!st)
        return -1;
    store_bind_text(st, 1, queue_name(q->queue));
    store_bind_text(st, 2, fb_case_status_str(r->status));
    store_bind_text(st, 3, q->reviewer);
    store_bind_text(st, 4, r->id);
    int rc = sqlite3_step(st);
    int in = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_reset(st);
    return in;
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

/* Counts one row per queue: (queue name, count). */
static fb_status count_queues(fb_store *s, const char *sql, const char *reviewer, queue_counts *out, fb_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql, err);
    if (!st)
        return err->status;
    if (reviewer)
        store_bind_text(st, 1, reviewer);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        int q = name ? queue_from_name(name) : -1;
        if (q >= 0)
            out->n[q] += sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? FB_OK : store_fail(s, err, "counting the queues");
}

fb_status store_queue_counts(fb_store *s, const char *reviewer, queue_counts *out, fb_err *err)
{
    /* Statuses counted on the status index first, then mapped to their queues. */
    static const char sql_by_status[] =
        "SELECT q.queue, s.n FROM (SELECT status, count(*) AS n FROM \"case\" GROUP BY status) s"
        " JOIN lc_queue q ON q.status = s.status";
    static const char sql_reviewer[] =
        "SELECT queue, count(DISTINCT case_id) FROM reviewer_queue WHERE reviewer=?1 GROUP BY queue";
    static const char sql_unsynced[] = "SELECT count(*) FROM awaiting_upstream";
    memset(out, 0, sizeof *out);
    if (count_queues(s, sql_by_status, NULL, out, err) != FB_OK ||
        count_queues(s, sql_reviewer, reviewer ? reviewer : "", out, err) != FB_OK ||
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

/* ---- search within a queue ----
 * Each index (case ids, the names' trigram index, the messages' FTS index) is streamed in
 * its own order with each candidate's case row, and a candidate is kept when it is in the
 * queue (the same membership as the page: lc_queue's statuses, or the view reviewer_queue
 * for the reviewer's own queues, and the filter), until max hits or the index's cap of
 * candidates (SEARCH_CAP_*): bounded whatever the store's size. A
 * small queue's ids are read from the queue itself, so every id hit is found. */
#define SQ_ROW "SELECT c.id, c.status, c.alleged, c.risk FROM "
#define SQ_IDS SQ_ROW "\"case\" c WHERE c.id >= ?1 AND c.id < ?2 ORDER BY c.id LIMIT ?6 + 1"
#define SQ_NAMES                                                                                   \
    SQ_ROW "account_name_fts f JOIN case_account ca ON ca.account_id=f.account_id"                 \
    " JOIN \"case\" c ON c.id=ca.case_id WHERE account_name_fts MATCH ?3 LIMIT ?6 + 1"
#define SQ_TEXTS                                                                                   \
    SQ_ROW "message_fts f JOIN message m ON m.id=f.rowid JOIN \"case\" c ON c.id=m.case_id"         \
    " WHERE message_fts MATCH ?4 LIMIT ?6 + 1"
/* Candidates read from each index, so that the three together stay within the 50 ms
 * search budget on a million cases (bench_search.sh): an id costs about 1 us, a name
 * about 5 (the trigram phrase is checked, then its cases), a message about 2.5. */
#define SEARCH_CAP_IDS 8000
#define SEARCH_CAP_NAMES 2500
#define SEARCH_CAP_TEXTS 5000
/* A queue of at most this many cases has its id hits read from the queue (an index range
 * of its status, or the reviewer's rows): exact and cheap. */
#define SEARCH_WALK_MAX 2000
#define SQ_FILTER " AND (?11 IS NULL OR c.status=?11) AND (?13 IS NULL OR c.alleged=?13) AND c.risk BETWEEN ?14 AND ?15"
#define SQ_WALK(M) SQ_ROW "\"case\" c WHERE " M SQ_FILTER " AND c.id >= ?1 AND c.id < ?2 LIMIT ?5"

static const char sq_ids[] = SQ_IDS;
static const char sq_names[] = SQ_NAMES;
static const char sq_texts[] = SQ_TEXTS;
static const char sq_walk_status[] = SQ_WALK("c.status IN (SELECT status FROM lc_queue WHERE queue=?10)");
static const char sq_walk_reviewer[] =
    SQ_WALK("c.id IN (SELECT case_id FROM reviewer_queue WHERE queue=?10 AND reviewer=?12)");
static const char sq_reviewer_ids[] =
    "SELECT DISTINCT case_id FROM reviewer_queue WHERE queue=?1 AND reviewer=?2 ORDER BY case_id";

/* The term's bound values, shared by every statement above. */
struct sterm {
    const char *term;
    char *hi;          /* the id range's end; NULL: no end (all 0xFF) */
    char *name;        /* the trigram phrase; NULL when the term is too short for it */
    char *text;        /* the message phrase */
};

static void sterm_bind(sqlite3_stmt *st, const struct sterm *tm, const queue_query *q, size_t max)
{
    store_bind_text(st, 1, tm->term);
    if (tm->hi)
        store_bind_text(st, 2, tm->hi);
    else
        sqlite3_bind_blob(st, 2, "\xFF\xFF", 2, SQLITE_STATIC);
    if (tm->name)
        store_bind_text(st, 3, tm->name);
    store_bind_text(st, 4, tm->text);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)max);
    if (q) {
        store_bind_text(st, 10, queue_name(q->queue));
        store_bind_text(st, 11, q->status == FB_CS_NONE ? NULL : fb_case_status_str(q->status));
        store_bind_text(st, 12, q->reviewer ? q->reviewer : "");
        store_bind_text(st, 13, q->code == FB_V_NONE ? NULL : fb_violation_str(q->code));
        sqlite3_bind_int(st, 14, q->risk_min);
        sqlite3_bind_int(st, 15, q->risk_max);
    }
}

static fb_status sterm_init(struct sterm *tm, const char *term, fb_err *err)
{
    memset(tm, 0, sizeof *tm);
    tm->term = term;
    /* Case ids with this prefix: [term, term with its last byte + 1). */
    size_t k = strlen(term);
    tm->hi = fb_strdup(term);
    while (k > 0 && (unsigned char)tm->hi[k - 1] == 0xFF)
        tm->hi[--k] = '\0';
    if (k > 0)
        tm->hi[k - 1] = (char)((unsigned char)tm->hi[k - 1] + 1);
    else {
        free(tm->hi);
        tm->hi = NULL;
    }
    /* Names and text: the term as one FTS5 phrase (quotes doubled), so no query syntax
     * leaks in. Names through the trigram index, so from three characters on: a shorter
     * piece of a name would be a scan of every account and names too many people. */
    if (store_trigram_term(term) && !(tm->name = quote_term(term, "\"", '"', '"')))
        return fb_err_set(err, FB_ENOMEM, "out of memory searching");
    if (!(tm->text = quote_term(term, "\"", '"', '"')))
        return fb_err_set(err, FB_ENOMEM, "out of memory searching");
    return FB_OK;
}

static void sterm_clear(struct sterm *tm)
{
    free(tm->hi);
    free(tm->name);
    free(tm->text);
    memset(tm, 0, sizeof *tm);
}

static fb_status search_run(fb_store *s, const char *sql, const struct sterm *tm, const queue_query *q,
                            struct seen *sn, fb_err *err, const char *doing)
{
    sqlite3_stmt *st = store_stmt_hold(s, sql, err);
    if (!st)
        return err->status;
    sterm_bind(st, tm, q, sn->max);
    return collect(s, st, sn, err, doing);
}

/* The queue a search keeps its hits in, tested in memory. */
struct qmember {
    const queue_query *q;
    fb_case_status sts[FB_CS_COUNT];
    int nsts;          /* 0: one of the reviewer's own queues (ids) */
    char **ids;        /* sorted (BINARY, as strcmp) */
    size_t n_ids;
};

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* A candidate row (SQ_ROW's columns) in the queue under its filter. */
static int qmember_has(const struct qmember *m, sqlite3_stmt *st)
{
    const queue_query *q = m->q;
    const char *id = (const char *)sqlite3_column_text(st, 0);
    const char *status = (const char *)sqlite3_column_text(st, 1);
    const char *code = (const char *)sqlite3_column_text(st, 2);
    int risk = sqlite3_column_int(st, 3);
    fb_case_status cs = status ? fb_case_status_from_str(status) : FB_CS_NONE;
    if (!id || (q->status != FB_CS_NONE && cs != q->status) || risk < q->risk_min || risk > q->risk_max)
        return 0;
    if (q->code != FB_V_NONE && (!code || fb_violation_from_str(code) != q->code))
        return 0;
    if (m->nsts == 0)
        return bsearch(&id, m->ids, m->n_ids, sizeof *m->ids, cmp_str) != NULL;
    for (int i = 0; i < m->nsts; i++)
        if (m->sts[i] == cs)
            return 1;
    return 0;
}

/* One index streamed: candidates kept when in the queue; *more is set when the cap
 * stopped the read with candidates left. */
static fb_status search_stream(fb_store *s, const char *sql, int cap, const struct qmember *m,
                               const struct sterm *tm, struct seen *sn, int *more, fb_err *err, const char *doing)
{
    sqlite3_stmt *st = store_stmt_hold(s, sql, err);
    if (!st)
        return err->status;
    sterm_bind(st, tm, NULL, 0);
    sqlite3_bind_int(st, 6, cap);
    int rc, examined = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (examined++ == cap) {
            *more = 1;
            break;
        }
        if (qmember_has(m, st) && !seen_add(sn, (const char *)sqlite3_column_text(st, 0)))
            break;
    }
    store_stmt_release(s, st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(s, err, doing);
    return FB_OK;
}

fb_status store_search(fb_store *s, const queue_query *in, const char *term, size_t max, store_id_fn fn, void *ctx,
                       int *partial, fb_err *err)
{
    /* The whole store: one pass over each index, stopping at the limit. */
    static const char sql_ids[] = "SELECT id FROM \"case\" WHERE id >= ?1 AND id < ?2 ORDER BY id LIMIT ?5";
    static const char sql_names[] =
        "SELECT ca.case_id FROM case_account ca WHERE ca.account_id IN"
        " (SELECT account_id FROM account_name_fts WHERE account_name_fts MATCH ?3 LIMIT ?5) LIMIT ?5";
    static const char sql_text[] =
        "SELECT DISTINCT m.case_id FROM message_fts f JOIN message m ON m.id=f.rowid"
        " WHERE message_fts MATCH ?4 LIMIT ?5";
    struct seen sn = {NULL, 0, max, fn, ctx};
    struct sterm tm;
    struct qmember m = {in, {0}, 0, NULL, 0};
    fb_status rc = FB_OK;
    if (partial)
        *partial = 0;
    if (!*term)
        return FB_OK;
    if ((rc = sterm_init(&tm, term, err)) != FB_OK)
        goto done;
    if (!in) {
        if ((rc = search_run(s, sql_ids, &tm, NULL, &sn, err, "searching case ids")) == FB_OK && tm.name)
            rc = search_run(s, sql_names, &tm, NULL, &sn, err, "searching account names");
        if (rc == FB_OK)
            rc = search_run(s, sql_text, &tm, NULL, &sn, err, "searching message text");
        goto done;
    }
    if ((m.nsts = queue_statuses(s, in, m.sts, err)) < 0) {
        rc = err->status;
        goto done;
    }
    if (m.nsts == 0) {
        /* The reviewer's own queue: its case ids, once. */
        sqlite3_stmt *st = store_stmt(s, sq_reviewer_ids, err);
        if (!st) {
            rc = err->status;
            goto done;
        }
        store_bind_text(st, 1, queue_name(in->queue));
        store_bind_text(st, 2, in->reviewer ? in->reviewer : "");
        int r;
        while ((r = sqlite3_step(st)) == SQLITE_ROW) {
            char **slot = fb_xgrow((void **)&m.ids, &m.n_ids, sizeof *slot);
            *slot = fb_strdup((const char *)sqlite3_column_text(st, 0));
        }
        sqlite3_reset(st);
        if (r != SQLITE_DONE) {
            rc = store_fail(s, err, "reading the queue");
            goto done;
        }
        qsort(m.ids, m.n_ids, sizeof *m.ids, cmp_str);   /* as strcmp orders, whatever the collation */
    }
    int64_t size = 0;
    int more = 0;
    if ((rc = store_queue_count(s, in, NULL, 1, SEARCH_WALK_MAX, &size, err)) != FB_OK)
        goto done;
    if (size <= SEARCH_WALK_MAX)
        rc = search_run(s, m.nsts ? sq_walk_status : sq_walk_reviewer, &tm, in, &sn, err, "searching case ids");
    else
        rc = search_stream(s, sq_ids, SEARCH_CAP_IDS, &m, &tm, &sn, &more, err, "searching case ids");
    if (rc == FB_OK && tm.name && sn.n < max)
        rc = search_stream(s, sq_names, SEARCH_CAP_NAMES, &m, &tm, &sn, &more, err, "searching account names");
    if (rc == FB_OK && sn.n < max)
        rc = search_stream(s, sq_texts, SEARCH_CAP_TEXTS, &m, &tm, &sn, &more, err, "searching message text");
    /* Fewer hits than asked for while an index held more candidates than were read: some
     * hits in this queue may lie further on (said, never hidden). */
    if (partial)
        *partial = more && sn.n < max;
done:
    for (size_t i = 0; i < sn.n; i++)
        free(sn.ids[i]);
    free(sn.ids);
    for (size_t i = 0; i < m.n_ids; i++)
        free(m.ids[i]);
    free(m.ids);
    sterm_clear(&tm);
    return rc;
}

fb_status store_cases_of_account(fb_store *s, const char *account_id, int cluster, size_t max, store_id_fn fn,
                                 void *ctx, fb_err *err)
{
    static const char sql_account[] =
        "SELECT id FROM \"case\" WHERE subject=?1 AND status IN (SELECT status FROM lc_queue WHERE queue='open')"
        " ORDER BY id LIMIT ?2";
    /* The cluster is the one store_structure keeps (accounts joined by identifying links). */
    static const char sql_cluster[] =
        "SELECT c.id FROM \"case\" c WHERE c.subject IN (SELECT ?1 UNION SELECT m.account_id FROM account_cluster m"
        " WHERE m.cluster=(SELECT cluster FROM account_cluster WHERE account_id=?1))"
        " AND c.status IN (SELECT status FROM lc_queue WHERE queue='open') ORDER BY c.id LIMIT ?2";
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

static const char *const hist_names[] = {
#define FB_X(e, s) [e] = s,
    FB_HIST_TABLE(FB_X)
#undef FB_X
};
const char *fb_hist_str(fb_hist_kind k) { return k >= 0 && k < FB_HIST_COUNT ? hist_names[k] : "?"; }

fb_status store_case_history(fb_store *s, const char *case_id, const char *subject, const char *counterparty,
                             store_history_fn fn, void *ctx, fb_err *err)
{
    /* Columns: kind, at, who, action, violation, days, overridden, approval, approved_by,
     * undone, sync_state, resolution, upstream_note, winner, text, audit_kind, source,
     * other_case. Every branch fills the same columns: data only. */
    static const char sql[] =
        "SELECT 0, decided_at, reviewer, action, violation, days, overridden, approval, approved_by,"
        "       undone_at IS NOT NULL, sync_state, coalesce(conflict_resolution, rejection_answer), upstream_note,"
        "       conflict_winner, rationale,"
        "       NULL, NULL, NULL FROM decision WHERE case_id=?1"
        " UNION ALL SELECT 1, received_at, NULL, NULL, NULL, NULL, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL, text,"
        "       NULL, NULL, NULL FROM appeal WHERE case_id=?1"
        " UNION ALL SELECT 2, at, reviewer, NULL, NULL, NULL, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL, text,"
        "       NULL, NULL, NULL FROM note WHERE case_id=?1"
        " UNION ALL SELECT 3, at, actor, NULL, NULL, NULL, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL, detail,"
        "       kind, NULL, NULL FROM audit WHERE case_id=?1"
        " UNION ALL SELECT 4, at, account_id, action, violation, NULL, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL,"
        "       NULL, source, NULL FROM prior_action WHERE account_id IN (?2, ?3)"
        " UNION ALL SELECT 5, d.decided_at, c.subject, d.action, d.violation, d.days, 0, NULL, NULL, 0, NULL, NULL,"
        "       NULL, NULL, NULL, NULL, NULL, c.id"
        "  FROM \"case\" c JOIN decision d ON d.case_id=c.id"
        "  WHERE c.subject IN (?2, ?3) AND c.id<>?1 AND d.undone_at IS NULL"
        " ORDER BY 2";
    sqlite3_stmt *st = store_stmt_hold(s, sql, err);
    if (!st)
        return err->status;
    store_bind_text(st, 1, case_id);
    store_bind_text(st, 2, subject ? subject : "");
    store_bind_text(st, 3, counterparty ? counterparty : "");
    int rc;
#define T(i) ((const char *)sqlite3_column_text(st, (i)))
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int k = sqlite3_column_int(st, 0);
        fb_history_row r = {
            .kind = k >= 0 && k < FB_HIST_COUNT ? (fb_hist_kind)k : FB_HIST_AUDIT,
            .at = sqlite3_column_int64(st, 1),
            .who = T(2),
            .action = T(3) ? fb_action_from_str(T(3)) : FB_A_NONE,
            .violation = T(4) ? fb_violation_from_str(T(4)) : FB_V_NONE,
            .days = sqlite3_column_int(st, 5),
            .overridden = sqlite3_column_int(st, 6),
            .approval = T(7) ? fb_approval_from_str(T(7)) : FB_APPR_NONE,
            .approved_by = T(8),
            .undone = sqlite3_column_int(st, 9),
            .sync_state = T(10) ? fb_sync_from_str(T(10)) : FB_SYNC_NONE,
            .resolution = T(11),
            .upstream_note = T(12),
            .winner = T(13),
            .text = T(14),
            .audit_kind = T(15),
            .source = T(16),
            .other_case = T(17),
        };
        fn(ctx, &r);
    }
#undef T
    store_stmt_release(s, st);
    if (rc != SQLITE_DONE)
        return store_fail(s, err, "reading a case's history");
    return FB_OK;
}

fb_status store_case_pending_block(fb_store *s, const char *case_id, char id[37], fb_err *err)
{
    static const char sql[] = "SELECT id FROM standing_decision WHERE case_id=?1 AND approval='pending'";
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
    static const char sql[] = "SELECT 1 FROM awaiting_upstream WHERE reviewer=?1 LIMIT 1";
    sqlite3_stmt *st = store_stmt(s, sql, NULL);
    if (!st)
        return 0;
    store_bind_text(st, 1, reviewer);
    int yes = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return yes;
}

static int case_reviewer_exists(fb_store *s, const char *sql, const char *case_id, const char *reviewer)
{
    sqlite3_stmt *st = store_stmt(s, sql, NULL);
    if (!st)
        return 0;
    store_bind_text(st, 1, case_id);
    store_bind_text(st, 2, reviewer);
    int yes = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return yes;
}

int store_conflict_open(fb_store *s, const char *case_id, const char *reviewer)
{
    static const char sql[] = "SELECT 1 FROM open_conflict WHERE case_id=?1 AND reviewer=?2 LIMIT 1";
    return case_reviewer_exists(s, sql, case_id, reviewer);
}

int store_rejection_open(fb_store *s, const char *case_id, const char *reviewer)
{
    static const char sql[] = "SELECT 1 FROM open_rejection WHERE case_id=?1 AND reviewer=?2 LIMIT 1";
    return case_reviewer_exists(s, sql, case_id, reviewer);
}
