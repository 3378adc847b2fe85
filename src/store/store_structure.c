/* Cross-case structure: feedback rings and account clusters (schema.sql, store_structure.h).
 *
 * Writing (store_case_put, through store_structure_after_put) is incremental and cheap for
 * a case that joins nothing: a lookup per account, a union per identifying link, two ring
 * queries per praise edge. A case is marked pending (weighed again by ingest_flush) only
 * when it has structure beyond itself, and the other cases a change reaches are marked
 * with it: a union marks the cases of the smaller cluster, and of the larger one only
 * while it is small enough that its members' sentences still change (CAP). */
#include "store_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/store_case.h"
#include "fbreview/store_structure.h"

/* In a cluster of CAP accounts, every case with at most FB_STRUCT_LIST + 1 accounts in it
 * already reads "12+ other accounts": growing it further changes nothing those cases say,
 * so they need not be weighed again. */
#define CAP (2 * FB_STRUCT_LIST + 2)
/* Praise given by one account looked at when searching a three-account ring through it. */
#define RING_SCAN 1000
/* Neighbours of one account looked at when naming the account that joins two others. */
#define VIA_SCAN 64

static const char sql_find[] = "SELECT cluster FROM account_cluster WHERE account_id=?1";
static const char sql_size[] = "SELECT size FROM cluster WHERE id=?1";
static const char sql_new_cluster[] = "INSERT INTO cluster(size) VALUES (2)";
static const char sql_set_size[] = "UPDATE cluster SET size=?2 WHERE id=?1";
static const char sql_drop_cluster[] = "DELETE FROM cluster WHERE id=?1";
static const char sql_drop_members[] = "DELETE FROM account_cluster WHERE cluster=?1";
static const char sql_label[] =
    "INSERT INTO account_cluster(account_id, cluster) VALUES (?1,?2)"
    " ON CONFLICT(account_id) DO UPDATE SET cluster=excluded.cluster";
static const char sql_relabel[] = "UPDATE account_cluster SET cluster=?2 WHERE cluster=?1";
static const char sql_members[] = "SELECT account_id FROM account_cluster WHERE cluster=?1 LIMIT ?2";
static const char sql_member_cases[] =
    "SELECT DISTINCT ca.case_id FROM account_cluster m JOIN case_account ca ON ca.account_id=m.account_id"
    " WHERE m.cluster=?1 AND ca.case_id<>?2 LIMIT ?3";
static const char sql_mark_cluster[] =
    "INSERT OR IGNORE INTO structure_pending(case_id) SELECT ca.case_id FROM account_cluster m"
    " JOIN case_account ca ON ca.account_id=m.account_id WHERE m.cluster=?1 AND ca.case_id<>?2";
static const char sql_mark_account[] =
    "INSERT OR IGNORE INTO structure_pending(case_id) SELECT case_id FROM case_account"
    " WHERE account_id=?1 AND case_id<>?2";
static const char sql_mark_case[] = "INSERT OR IGNORE INTO structure_pending(case_id) VALUES (?1)";
static const char sql_links_of[] =
    "SELECT b, kind, case_id FROM account_link WHERE a=?1"
    " UNION ALL SELECT a, kind, case_id FROM account_link WHERE b=?1 LIMIT ?2";
static const char sql_praise_add[] = "INSERT OR IGNORE INTO hire_praise(from_acct, to_acct, case_id) VALUES (?1,?2,?3)";
static const char sql_praise_del[] = "DELETE FROM hire_praise WHERE from_acct=?1 AND to_acct=?2 AND case_id=?3";
/* The case's praise edges as stored: read before its evidence is replaced. */
static const char sql_praise_of_case[] =
    "SELECT h.from_acct, h.to_acct FROM feedback f JOIN hire_praise h"
    " ON h.from_acct=f.from_acct AND h.to_acct=f.to_acct AND h.case_id=f.case_id WHERE f.case_id=?1";
static const char sql_links_of_case[] = "SELECT a, b, kind FROM account_link WHERE case_id=?1";
/* u hired v here: did v hire u, in another case? (?1 = v, ?2 = u) */
static const char sql_ring2[] =
    "SELECT case_id FROM hire_praise WHERE from_acct=?1 AND to_acct=?2 AND case_id<>?3 LIMIT ?4";
/* u hired v here: did v hire some w who hired u? (?1 = u, ?2 = v) */
static const char sql_ring3[] =
    "SELECT e1.to_acct, e1.case_id, e2.case_id FROM"
    " (SELECT to_acct, case_id FROM hire_praise WHERE from_acct=?2 AND to_acct NOT IN (?1, ?2)"
    "  AND case_id<>?3 LIMIT 1000) e1"
    " JOIN hire_praise e2 ON e2.from_acct=e1.to_acct AND e2.to_acct=?1 AND e2.case_id<>?3 LIMIT ?4";
static const char sql_pending[] = "SELECT case_id FROM structure_pending LIMIT ?1";
static const char sql_pending_del[] = "DELETE FROM structure_pending WHERE case_id=?1";

#define PREP(var, sql)                                                   \
    sqlite3_stmt *var = store_stmt(s, (sql), err);                       \
    if (!var)                                                            \
        return err->status
#define DOING "keeping cross-case structure"

_Static_assert(RING_SCAN == 1000, "sql_ring3 scans RING_SCAN rows: keep the two in step");

/* ---- the union-find ---- */

static fb_status cl_find(fb_store *s, const char *acct, int64_t *id, fb_err *err)
{
    PREP(st, sql_find);
    store_bind_text(st, 1, acct);
    int rc = sqlite3_step(st);
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? FB_OK : store_fail(s, err, DOING);
}

static fb_status cl_size(fb_store *s, int64_t id, int64_t *size, fb_err *err)
{
    PREP(st, sql_size);
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    *size = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? FB_OK : store_fail(s, err, DOING);
}

static fb_status exec_ii(fb_store *s, const char *sql, int64_t a, int64_t b, fb_err *err)
{
    PREP(st, sql);
    sqlite3_bind_int64(st, 1, a);
    if (sqlite3_bind_parameter_count(st) >= 2)
        sqlite3_bind_int64(st, 2, b);
    return store_step_done(s, st, err, DOING);
}

static fb_status exec_ti(fb_store *s, const char *sql, const char *t, int64_t i, fb_err *err)
{
    PREP(st, sql);
    store_bind_text(st, 1, t);
    sqlite3_bind_int64(st, 2, i);
    return store_step_done(s, st, err, DOING);
}

static fb_status exec_it(fb_store *s, const char *sql, int64_t i, const char *t, fb_err *err)
{
    PREP(st, sql);
    sqlite3_bind_int64(st, 1, i);
    store_bind_text(st, 2, t);
    return store_step_done(s, st, err, DOING);
}

static fb_status exec_tt(fb_store *s, const char *sql, const char *a, const char *b, fb_err *err)
{
    PREP(st, sql);
    store_bind_text(st, 1, a);
    store_bind_text(st, 2, b);
    return store_step_done(s, st, err, DOING);
}

static fb_status mark_case(fb_store *s, const char *case_id, fb_err *err)
{
    PREP(st, sql_mark_case);
    store_bind_text(st, 1, case_id);
    return store_step_done(s, st, err, DOING);
}

/* Joins the clusters of a and b; marks the other cases (not case_id) whose view changed. */
static fb_status cl_union(fb_store *s, const char *a, const char *b, const char *case_id, fb_err *err)
{
    int64_t ca, cb, sa, sb;
    if (cl_find(s, a, &ca, err) != FB_OK || cl_find(s, b, &cb, err) != FB_OK)
        return err->status;
    if (ca && ca == cb)
        return FB_OK;
    if (!ca && !cb) {
        PREP(st, sql_new_cluster);
        if (store_step_done(s, st, err, DOING) != FB_OK)
            return err->status;
        int64_t id = sqlite3_last_insert_rowid(s->db);
        if (exec_ti(s, sql_label, a, id, err) || exec_ti(s, sql_label, b, id, err) ||
            exec_tt(s, sql_mark_account, a, case_id, err) || exec_tt(s, sql_mark_account, b, case_id, err))
            return err->status;
        return FB_OK;
    }
    if (!ca || !cb) {   /* one new account joins a cluster */
        int64_t c = ca ? ca : cb;
        const char *lone = ca ? b : a;
        if (cl_size(s, c, &sa, err) != FB_OK)
            return err->status;
        if ((sa < CAP && exec_it(s, sql_mark_cluster, c, case_id, err)) ||
            exec_tt(s, sql_mark_account, lone, case_id, err) || exec_ti(s, sql_label, lone, c, err) ||
            exec_ii(s, sql_set_size, c, sa + 1, err))
            return err->status;
        return FB_OK;
    }
    if (cl_size(s, ca, &sa, err) != FB_OK || cl_size(s, cb, &sb, err) != FB_OK)
        return err->status;
    int64_t big = sa >= sb ? ca : cb, small = sa >= sb ? cb : ca;
    int64_t sbig = sa >= sb ? sa : sb;
    if (exec_it(s, sql_mark_cluster, small, case_id, err) ||
        (sbig < CAP && exec_it(s, sql_mark_cluster, big, case_id, err)) ||
        exec_ii(s, sql_relabel, small, big, err) || exec_ii(s, sql_set_size, big, sa + sb, err) ||
        exec_ii(s, sql_drop_cluster, small, 0, err))
        return err->status;
    return FB_OK;
}

/* A cluster that lost a link may fall apart: forget it and join its members again from
 * the links that remain. Rare (a case's evidence replaced without a link it had). */
static fb_status cl_rebuild(fb_store *s, int64_t id, const char *case_id, fb_err *err)
{
    char **members = NULL;
    size_t n = 0;
    fb_status rc = FB_OK;
    sqlite3_stmt *st = store_stmt(s, sql_members, err);
    if (!st)
        return err->status;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, -1);
    while (sqlite3_step(st) == SQLITE_ROW) {
        char **slot = fb_grow((void **)&members, &n, sizeof *members);
        if (!slot) {
            rc = fb_err_set(err, FB_ENOMEM, "out of memory " DOING);
            break;
        }
        *slot = store_col_text(st, 0);
    }
    sqlite3_reset(st);
    if (rc == FB_OK && (exec_it(s, sql_mark_cluster, id, case_id, err) ||
                        exec_ii(s, sql_drop_members, id, 0, err) || exec_ii(s, sql_drop_cluster, id, 0, err)))
        rc = err->status;
    for (size_t i = 0; rc == FB_OK && i < n; i++) {
        /* Collect first: cl_union writes while this query would still be reading. */
        char **peer = NULL;
        size_t np = 0;
        st = store_stmt(s, sql_links_of, err);
        if (!st) {
            rc = err->status;
            break;
        }
        store_bind_text(st, 1, members[i]);
        sqlite3_bind_int64(st, 2, -1);
        while (rc == FB_OK && sqlite3_step(st) == SQLITE_ROW) {
            if (!fb_link_joins(fb_link_from_str((const char *)sqlite3_column_text(st, 1))))
                continue;
            char **slot = fb_grow((void **)&peer, &np, sizeof *peer);
            if (!slot)
                rc = fb_err_set(err, FB_ENOMEM, "out of memory " DOING);
            else
                *slot = store_col_text(st, 0);
        }
        sqlite3_reset(st);
        for (size_t k = 0; k < np; k++) {
            if (rc == FB_OK && peer[k] && strcmp(peer[k], members[i]) != 0)
                rc = cl_union(s, members[i], peer[k], case_id, err);
            free(peer[k]);
        }
        free(peer);
    }
    for (size_t i = 0; i < n; i++)
        free(members[i]);
    free(members);
    return rc;
}

/* ---- rings ---- */

/* Marks the cases on a ring through the praise from -> to of case_id; *found says whether
 * there was one. Used when that praise appears (its partners gain a ring) and when it goes
 * (they lose one). */
static fb_status ring_partners(fb_store *s, const char *from, const char *to, const char *case_id, int *found,
                               fb_err *err)
{
    *found = 0;
    char *ids[2 * CAP];
    size_t n = 0;
    PREP(r2, sql_ring2);
    store_bind_text(r2, 1, to);
    store_bind_text(r2, 2, from);
    store_bind_text(r2, 3, case_id);
    sqlite3_bind_int(r2, 4, CAP);
    while (n < 2 * CAP && sqlite3_step(r2) == SQLITE_ROW)
        ids[n++] = store_col_text(r2, 0);
    sqlite3_reset(r2);
    sqlite3_stmt *r3 = store_stmt(s, sql_ring3, err);
    if (r3) {
        store_bind_text(r3, 1, from);
        store_bind_text(r3, 2, to);
        store_bind_text(r3, 3, case_id);
        sqlite3_bind_int(r3, 4, CAP / 2);
        while (n + 2 <= 2 * CAP && sqlite3_step(r3) == SQLITE_ROW) {
            ids[n++] = store_col_text(r3, 1);
            ids[n++] = store_col_text(r3, 2);
        }
        sqlite3_reset(r3);
    }
    fb_status rc = r3 ? FB_OK : err->status;
    for (size_t i = 0; i < n; i++) {
        if (rc == FB_OK && ids[i])
            rc = mark_case(s, ids[i], err);
        free(ids[i]);
    }
    *found = n > 0;
    return rc;
}

/* ---- writing a case ---- */

void store_replace_free(store_replace *r)
{
    for (size_t i = 0; i < r->n_links; i++) {
        free(r->links[i].a);
        free(r->links[i].b);
    }
    free(r->links);
    for (size_t i = 0; i < r->n_praise; i++) {
        free(r->praise[i].a);
        free(r->praise[i].b);
    }
    free(r->praise);
    memset(r, 0, sizeof *r);
}

static fb_status read_pairs(fb_store *s, const char *sql, const char *case_id, int links, store_pair **arr,
                            size_t *n, fb_err *err)
{
    PREP(st, sql);
    store_bind_text(st, 1, case_id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (links && !fb_link_joins(fb_link_from_str((const char *)sqlite3_column_text(st, 2))))
            continue;
        store_pair *p = fb_grow((void **)arr, n, sizeof *p);
        if (!p) {
            sqlite3_reset(st);
            return fb_err_set(err, FB_ENOMEM, "out of memory " DOING);
        }
        p->a = store_col_text(st, 0);
        p->b = store_col_text(st, 1);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? FB_OK : store_fail(s, err, DOING);
}

fb_status store_structure_before_replace(fb_store *s, const char *case_id, store_replace *r, fb_err *err)
{
    memset(r, 0, sizeof *r);
    if (read_pairs(s, sql_links_of_case, case_id, 1, &r->links, &r->n_links, err) != FB_OK ||
        read_pairs(s, sql_praise_of_case, case_id, 0, &r->praise, &r->n_praise, err) != FB_OK)
        return err->status;
    for (size_t i = 0; i < r->n_praise; i++) {
        PREP(st, sql_praise_del);
        store_bind_text(st, 1, r->praise[i].a);
        store_bind_text(st, 2, r->praise[i].b);
        store_bind_text(st, 3, case_id);
        if (store_step_done(s, st, err, DOING) != FB_OK)
            return err->status;
    }
    return FB_OK;
}

static int same_pair(const char *a, const char *b, const char *x, const char *y)
{
    return a && b && x && y && strcmp(a, x) == 0 && strcmp(b, y) == 0;
}

static int case_has_praise(const fb_case *c, const char *from, const char *to)
{
    for (size_t i = 0; i < c->n_feedback; i++)
        if (fb_feedback_hire_praise(c, &c->feedback[i]) && same_pair(c->feedback[i].from, c->feedback[i].to, from, to))
            return 1;
    return 0;
}

static int case_has_link(const fb_case *c, const char *a, const char *b)
{
    for (size_t i = 0; i < c->n_links; i++)
        if (fb_link_joins(c->links[i].kind) &&
            (same_pair(c->links[i].a, c->links[i].b, a, b) || same_pair(c->links[i].a, c->links[i].b, b, a)))
            return 1;
    return 0;
}

fb_status store_structure_after_put(fb_store *s, const fb_case *c, store_replace *r, int *self, fb_err *err)
{
    int pending = 0, found;
    /* Praise that went away: the rings it closed are gone. */
    for (size_t i = 0; r && i < r->n_praise; i++)
        if (!case_has_praise(c, r->praise[i].a, r->praise[i].b) &&
            ring_partners(s, r->praise[i].a, r->praise[i].b, c->id, &found, err) != FB_OK)
            return err->status;
    /* Links that went away: their clusters are rebuilt from the links that remain. */
    for (size_t i = 0; r && i < r->n_links; i++) {
        if (case_has_link(c, r->links[i].a, r->links[i].b))
            continue;
        int64_t id;
        if (cl_find(s, r->links[i].a, &id, err) != FB_OK || (id && cl_rebuild(s, id, c->id, err) != FB_OK))
            return err->status;
        pending = 1;
    }
    for (size_t i = 0; i < c->n_links; i++) {
        const fb_link *l = &c->links[i];
        if (fb_link_joins(l->kind) && l->a && l->b && strcmp(l->a, l->b) != 0 &&
            cl_union(s, l->a, l->b, c->id, err) != FB_OK)
            return err->status;
    }
    for (size_t i = 0; i < c->n_feedback; i++) {
        const fb_feedback *f = &c->feedback[i];
        if (!fb_feedback_hire_praise(c, f))
            continue;
        PREP(st, sql_praise_add);
        store_bind_text(st, 1, f->from);
        store_bind_text(st, 2, f->to);
        store_bind_text(st, 3, c->id);
        if (store_step_done(s, st, err, DOING) != FB_OK ||
            ring_partners(s, f->from, f->to, c->id, &found, err) != FB_OK)
            return err->status;
        pending |= found;
    }
    /* This case has structure beyond itself when a cluster of one of its accounts holds
     * more accounts than the case has in it. */
    int64_t seen[8];
    size_t n_seen = 0;
    for (size_t i = 0; !pending && i < c->n_accounts; i++) {
        int64_t id, size;
        if (cl_find(s, c->accounts[i].id, &id, err) != FB_OK)
            return err->status;
        int dup = !id;
        for (size_t k = 0; k < n_seen; k++)
            dup |= seen[k] == id;
        if (dup)
            continue;
        if (n_seen < 8)
            seen[n_seen++] = id;
        if (cl_size(s, id, &size, err) != FB_OK)
            return err->status;
        int64_t here = 0;
        for (size_t k = 0; k < c->n_accounts && here < size; k++) {
            int64_t other;
            if (cl_find(s, c->accounts[k].id, &other, err) != FB_OK)
                return err->status;
            here += other == id;
        }
        pending = size > here;
    }
    /* A replaced case's new signals have none of the cross-case ones: when it has
     * structure beyond itself, it is weighed again like a new case (by the caller, when
     * it asks through self; else at the flush). */
    if (self) {
        *self = pending;
        return FB_OK;
    }
    return pending ? mark_case(s, c->id, err) : FB_OK;
}

/* ---- reading ---- */

static void sort_ids(char **ids, size_t n)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(ids[j - 1], ids[j]) > 0; j--) {
            char *t = ids[j];
            ids[j] = ids[j - 1];
            ids[j - 1] = t;
        }
}

#define OOM() fb_err_set(err, FB_ENOMEM, "out of memory reading the cross-case structure")

static fb_status add_id(char ***arr, size_t *n, const char *id, fb_err *err)
{
    char **slot = fb_grow((void **)arr, n, sizeof **arr);
    if (!slot)
        return OOM();
    *slot = fb_strdup(id);
    return FB_OK;
}

static fb_status facts_rings(fb_store *s, const fb_case *c, fb_structure *out, fb_err *err)
{
    for (size_t i = 0; i < c->n_feedback && out->n_rings < FB_STRUCT_LIST; i++) {
        const fb_feedback *f = &c->feedback[i];
        if (!fb_feedback_hire_praise(c, f))
            continue;
        int dup = 0;
        for (size_t k = 0; k < i; k++)
            dup |= fb_feedback_hire_praise(c, &c->feedback[k]) && same_pair(c->feedback[k].from, c->feedback[k].to, f->from, f->to);
        if (dup)
            continue;
        PREP(r2, sql_ring2);
        store_bind_text(r2, 1, f->to);
        store_bind_text(r2, 2, f->from);
        store_bind_text(r2, 3, c->id);
        sqlite3_bind_int(r2, 4, FB_STRUCT_LIST);
        int rc;
        while ((rc = sqlite3_step(r2)) == SQLITE_ROW && out->n_rings < FB_STRUCT_LIST) {
            fb_ring *g = fb_grow((void **)&out->rings, &out->n_rings, sizeof *g);
            if (!g) {
                sqlite3_reset(r2);
                return OOM();
            }
            g->length = 2;
            g->accounts[0] = fb_strdup(f->from);
            g->accounts[1] = fb_strdup(f->to);
            g->cases[0] = fb_strdup(c->id);
            g->cases[1] = store_col_text(r2, 0);
        }
        sqlite3_reset(r2);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return store_fail(s, err, "reading feedback rings");
        PREP(r3, sql_ring3);
        store_bind_text(r3, 1, f->from);
        store_bind_text(r3, 2, f->to);
        store_bind_text(r3, 3, c->id);
        sqlite3_bind_int(r3, 4, FB_STRUCT_LIST);
        while ((rc = sqlite3_step(r3)) == SQLITE_ROW && out->n_rings < FB_STRUCT_LIST) {
            fb_ring *g = fb_grow((void **)&out->rings, &out->n_rings, sizeof *g);
            if (!g) {
                sqlite3_reset(r3);
                return OOM();
            }
            g->length = 3;
            g->accounts[0] = fb_strdup(f->from);
            g->accounts[1] = fb_strdup(f->to);
            g->accounts[2] = store_col_text(r3, 0);
            g->cases[0] = fb_strdup(c->id);
            g->cases[1] = store_col_text(r3, 1);
            g->cases[2] = store_col_text(r3, 2);
        }
        sqlite3_reset(r3);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return store_fail(s, err, "reading feedback rings");
    }
    return FB_OK;
}

static fb_status facts_cluster(fb_store *s, const fb_case *c, const char *acct, int64_t id, fb_structure *out,
                               fb_err *err)
{
    fb_cluster *cl = fb_grow((void **)&out->clusters, &out->n_clusters, sizeof *cl);
    if (!cl)
        return OOM();
    cl->id = id;
    cl->member = fb_strdup(acct);
    if (cl_size(s, id, &cl->size, err) != FB_OK)
        return err->status;
    PREP(m, sql_members);
    sqlite3_bind_int64(m, 1, id);
    sqlite3_bind_int64(m, 2, (sqlite3_int64)(FB_STRUCT_LIST + 1 + c->n_accounts));
    int rc;
    while ((rc = sqlite3_step(m)) == SQLITE_ROW) {
        const char *a = (const char *)sqlite3_column_text(m, 0);
        if (!a || fb_case_account(c, a))
            continue;
        if (cl->n_others == FB_STRUCT_LIST) {
            cl->more_others = 1;
            break;
        }
        if (add_id(&cl->others, &cl->n_others, a, err) != FB_OK) {
            sqlite3_reset(m);
            return err->status;
        }
    }
    sqlite3_reset(m);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(s, err, "reading account clusters");
    PREP(k, sql_member_cases);
    sqlite3_bind_int64(k, 1, id);
    store_bind_text(k, 2, c->id);
    sqlite3_bind_int(k, 3, FB_STRUCT_LIST + 1);
    while ((rc = sqlite3_step(k)) == SQLITE_ROW) {
        if (cl->n_cases == FB_STRUCT_LIST) {
            cl->more_cases = 1;
            break;
        }
        if (add_id(&cl->cases, &cl->n_cases, (const char *)sqlite3_column_text(k, 0), err) != FB_OK) {
            sqlite3_reset(k);
            return err->status;
        }
    }
    sqlite3_reset(k);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(s, err, "reading account clusters");
    sort_ids(cl->others, cl->n_others);
    sort_ids(cl->cases, cl->n_cases);
    return FB_OK;
}

typedef struct nb { char *acct, *case_id; fb_link_kind kind; } nb;

static fb_status neighbours(fb_store *s, const char *acct, nb **out, size_t *n, fb_err *err)
{
    PREP(st, sql_links_of);
    store_bind_text(st, 1, acct);
    sqlite3_bind_int(st, 2, VIA_SCAN);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        fb_link_kind k = fb_link_from_str((const char *)sqlite3_column_text(st, 1));
        if (!fb_link_joins(k))
            continue;
        nb *x = fb_grow((void **)out, n, sizeof *x);
        if (!x) {
            sqlite3_reset(st);
            return OOM();
        }
        x->acct = store_col_text(st, 0);
        x->kind = k;
        x->case_id = store_col_text(st, 2);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? FB_OK : store_fail(s, err, "reading account links");
}

static void nb_free(nb *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].acct);
        free(v[i].case_id);
    }
    free(v);
}

/* Subject and counterparty in one cluster with no identifying link between them in this
 * case: name a third account linked to both, if the first VIA_SCAN links of each show one. */
static fb_status facts_joined(fb_store *s, const fb_case *c, fb_structure *out, fb_err *err)
{
    const char *sj = c->subject, *cp = c->counterparty;
    if (!sj || !cp || strcmp(sj, cp) == 0 || case_has_link(c, sj, cp))
        return FB_OK;
    int64_t a, b;
    if (cl_find(s, sj, &a, err) != FB_OK || cl_find(s, cp, &b, err) != FB_OK)
        return err->status;
    if (!a || a != b)
        return FB_OK;
    out->parties_joined = 1;
    nb *na = NULL, *nbb = NULL;
    size_t n_a = 0, n_b = 0;
    fb_status rc = neighbours(s, sj, &na, &n_a, err);
    if (rc == FB_OK)
        rc = neighbours(s, cp, &nbb, &n_b, err);
    for (size_t i = 0; rc == FB_OK && !out->direct_case && i < n_a; i++)
        if (na[i].acct && strcmp(na[i].acct, cp) == 0) {
            out->direct_kind = na[i].kind;
            out->direct_case = fb_strdup(na[i].case_id);
        }
    for (size_t i = 0; rc == FB_OK && !out->direct_case && !out->via && i < n_a; i++) {
        if (!na[i].acct || strcmp(na[i].acct, cp) == 0 || strcmp(na[i].acct, sj) == 0)
            continue;
        for (size_t k = 0; k < n_b; k++)
            if (nbb[k].acct && strcmp(na[i].acct, nbb[k].acct) == 0) {
                out->via = fb_strdup(na[i].acct);
                out->via_kind[0] = na[i].kind;
                out->via_kind[1] = nbb[k].kind;
                out->via_case[0] = fb_strdup(na[i].case_id);
                out->via_case[1] = fb_strdup(nbb[k].case_id);
                break;
            }
    }
    nb_free(na, n_a);
    nb_free(nbb, n_b);
    return rc;
}

fb_status store_structure_facts(fb_store *s, const fb_case *c, fb_structure *out, fb_err *err)
{
    memset(out, 0, sizeof *out);
    out->via_kind[0] = out->via_kind[1] = out->direct_kind = FB_LINK_NONE;
    if (!c->id)
        return FB_OK;
    if (facts_rings(s, c, out, err) != FB_OK)
        return err->status;
    for (size_t i = 0; i < c->n_accounts; i++) {
        int64_t id;
        if (cl_find(s, c->accounts[i].id, &id, err) != FB_OK)
            return err->status;
        int seen = !id;
        for (size_t k = 0; k < out->n_clusters; k++)
            seen |= out->clusters[k].id == id;
        if (!seen && facts_cluster(s, c, c->accounts[i].id, id, out, err) != FB_OK)
            return err->status;
    }
    return facts_joined(s, c, out, err);
}

#define REBUILD_KEY "structure_rebuild"

int store_structure_needs_rebuild(fb_store *s)
{
    char *v = store_state_get(s, REBUILD_KEY);
    int needed = v != NULL;
    free(v);
    return needed;
}

fb_status store_structure_rebuild(fb_store *s, size_t max, int *done, fb_err *err)
{
    static const char sql_next[] = "SELECT id FROM \"case\" WHERE id > ?1 ORDER BY id LIMIT ?2";
    *done = 0;
    char *last = store_state_get(s, REBUILD_KEY);
    if (!last) {
        *done = 1;
        return FB_OK;
    }
    char **ids = NULL;
    size_t n = 0;
    fb_status rc = FB_OK;
    sqlite3_stmt *st = store_stmt(s, sql_next, err);
    if (!st) {
        free(last);
        return err->status;
    }
    store_bind_text(st, 1, last);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
    while (rc == FB_OK && sqlite3_step(st) == SQLITE_ROW)
        rc = add_id(&ids, &n, (const char *)sqlite3_column_text(st, 0), err);
    sqlite3_reset(st);
    free(last);
    for (size_t i = 0; rc == FB_OK && i < n; i++) {
        fb_case *c = NULL;
        if ((rc = store_case_load_brief(s, ids[i], &c, err)) == FB_OK)
            rc = store_structure_after_put(s, c, NULL, NULL, err);
        fb_case_free(&c);
    }
    if (rc == FB_OK && n)
        rc = store_state_set(s, REBUILD_KEY, ids[n - 1], err);
    if (rc == FB_OK && n < max) {
        PREP(del, "DELETE FROM sync_state WHERE key='" REBUILD_KEY "'");
        rc = store_step_done(s, del, err, DOING);
        *done = rc == FB_OK;
    }
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
    return rc;
}

fb_status store_structure_pending_take(fb_store *s, size_t max, char ***ids, size_t *n, fb_err *err)
{
    *ids = NULL;
    *n = 0;
    PREP(st, sql_pending);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)max);
    int rc;
    fb_status res = FB_OK;
    while (res == FB_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        res = add_id(ids, n, (const char *)sqlite3_column_text(st, 0), err);
    sqlite3_reset(st);
    if (res == FB_OK && rc != SQLITE_DONE)
        res = store_fail(s, err, DOING);
    for (size_t i = 0; res == FB_OK && i < *n; i++) {
        sqlite3_stmt *d = store_stmt(s, sql_pending_del, err);
        if (!d)
            return err->status;
        store_bind_text(d, 1, (*ids)[i]);
        res = store_step_done(s, d, err, DOING);
    }
    return res;
}
