/* Writing and reading a case with its evidence. */
#include "store_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/store_case.h"
#include "fbreview/timeutil.h"

/* One look before writing: does the case have a decision (refuse), and evidence (replace)? */
static const char sql_case_state[] =
    "SELECT EXISTS (SELECT 1 FROM decision WHERE case_id=?1), EXISTS (SELECT 1 FROM case_account WHERE case_id=?1)";
static const char sql_case_upsert[] =
    "INSERT INTO \"case\"(id, opened_at, source, alleged, risk, suggested, subject, counterparty,"
    " contract_id, origin, updated_at, analysis)"
    " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)"
    " ON CONFLICT(id) DO UPDATE SET opened_at=excluded.opened_at, source=excluded.source,"
    " alleged=excluded.alleged, risk=excluded.risk, suggested=excluded.suggested,"
    " subject=excluded.subject, counterparty=excluded.counterparty, contract_id=excluded.contract_id,"
    " origin=excluded.origin, updated_at=excluded.updated_at, analysis=excluded.analysis";
/* No RETURNING clause on purpose: it gives the statement a savepoint, and FTS5 flushes its
 * pending index at every savepoint (slow: see schema.sql). sql_case_state asks instead. */
static const char *const sql_clear[] = {
    "DELETE FROM case_account WHERE case_id=?1",
    "DELETE FROM account_link WHERE case_id=?1",
    "DELETE FROM message WHERE case_id=?1",
};
static const char sql_account[] =
    "INSERT INTO account(id, name, country, created_at) VALUES (?1,?2,?3,?4)"
    " ON CONFLICT(id) DO UPDATE SET name=coalesce(excluded.name, name),"
    " country=coalesce(excluded.country, country), created_at=coalesce(excluded.created_at, created_at)";
/* The name index (account_name_fts) follows the account's name: a new named account adds
 * a row; a rename drops the old row (found through the index by its old name, else by
 * id) and adds the new one. */
static const char sql_account_name[] = "SELECT name FROM account WHERE id=?1";
static const char sql_name_fts_add[] = "INSERT INTO account_name_fts(name, account_id) VALUES (?1,?2)";
static const char sql_name_fts_drop[] =
    "DELETE FROM account_name_fts WHERE rowid IN (SELECT rowid FROM account_name_fts"
    " WHERE account_name_fts MATCH ?1 AND account_id=?2)";
static const char sql_name_fts_drop_scan[] = "DELETE FROM account_name_fts WHERE account_id=?1";
static const char sql_case_account[] =
    "INSERT INTO case_account(case_id, account_id, role, ord) VALUES (?1,?2,?3,?4)";
static const char sql_prior[] =
    "INSERT OR IGNORE INTO prior_action(account_id, action, violation, at, source) VALUES (?1,?2,?3,?4,?5)";
static const char sql_link[] = "INSERT INTO account_link(case_id, a, b, kind, detail) VALUES (?1,?2,?3,?4,?5)";
static const char sql_message[] =
    "INSERT INTO message(case_id, ord, from_acct, to_acct, at, body) VALUES (?1,?2,?3,?4,?5,?6)";
/* The search index, written beside each message (schema.sql says why not by a trigger). */
static const char sql_message_fts[] = "INSERT INTO message_fts(rowid, body) VALUES (?1,?2)";
/* The evidence nothing queries by column (contract, payments, feedback, signals, phrase
 * matches) is one JSON row per case: one insert instead of about a dozen. schema.sql's
 * views (contract, payment, feedback, signal, message_match) read it back as rows. */
static const char sql_evidence[] =
    "INSERT INTO case_evidence(case_id, data) VALUES (?1,?2)"
    " ON CONFLICT(case_id) DO UPDATE SET data=excluded.data";

/* ---- the evidence row's JSON, written by hand (no tree, no allocation per value) ---- */

typedef struct jbuf {
    char *p;
    size_t len, cap;
    int failed;
    char local[4096];
} jbuf;

static void jb_need(jbuf *b, size_t more)
{
    if (b->failed || b->len + more <= b->cap)
        return;
    size_t ncap = b->cap * 2;
    while (ncap < b->len + more)
        ncap *= 2;
    char *np = b->p == b->local ? malloc(ncap) : realloc(b->p, ncap);
    if (!np) {
        b->failed = 1;
        return;
    }
    if (b->p == b->local)
        memcpy(np, b->local, b->len);
    b->p = np;
    b->cap = ncap;
}

static void jb_raw(jbuf *b, const char *s, size_t n)
{
    jb_need(b, n);
    if (b->failed)
        return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void jb_ch(jbuf *b, char c) { jb_raw(b, &c, 1); }

/* A comma before every element but the first of its array. */
static void jb_sep(jbuf *b, int *first)
{
    if (!*first)
        jb_ch(b, ',');
    *first = 0;
}

/* A string element; null when s is NULL. One pass, no strlen: room is checked every
 * 64 bytes of input (64 * 6 output bytes at most, plus the quotes). */
static void jb_str(jbuf *b, const char *s, int *first)
{
    jb_sep(b, first);
    if (!s) {
        jb_raw(b, "null", 4);
        return;
    }
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    jb_ch(b, '"');
    for (;;) {
        jb_need(b, 64 * 6 + 1);
        if (b->failed)
            return;
        char *o = b->p + b->len;
        int i = 0;
        for (; i < 64 && *p; i++, p++) {
            unsigned c = *p;
            if (c == '"' || c == '\\') {
                *o++ = '\\';
                *o++ = (char)c;
            } else if (c < 0x20 || c == 0x7f) {
                memcpy(o, "\\u00", 4);
                o[4] = hex[c >> 4];
                o[5] = hex[c & 15];
                o += 6;
            } else {
                *o++ = (char)c;
            }
        }
        b->len = (size_t)(o - b->p);
        if (!*p)
            break;
    }
    jb_ch(b, '"');
}

/* Decimal digits by hand: snprintf was a tenth of this row's cost. */
static void jb_int(jbuf *b, long long v, int *first)
{
    char num[24], *e = num + sizeof num, *p = e;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--p = '-';
    jb_sep(b, first);
    jb_raw(b, p, (size_t)(e - p));
}

/* A time element; null when zero (as store_bind_time binds zero as NULL). */
static void jb_time(jbuf *b, int64_t ms, int *first)
{
    if (ms)
        jb_int(b, ms, first);
    else
        jb_str(b, NULL, first);
}

/* Opens the list member key ("p", "f", ...) or its next element: each element is an
 * array of the columns in schema.sql's order. */
static void jb_elem(jbuf *b, const char *key, size_t i, int *top)
{
    if (i == 0) {
        jb_sep(b, top);
        jb_ch(b, '"');
        jb_raw(b, key, strlen(key));
        jb_raw(b, "\":[[", 4);
    } else {
        jb_raw(b, "],[", 3);
    }
}

/* One signal's columns (inside its array). */
static void jb_signal(jbuf *b, const fb_signal *g)
{
    int f = 1;
    jb_str(b, g->code, &f);
    jb_str(b, fb_violation_str(g->violation), &f);
    jb_int(b, g->weight, &f);
    jb_str(b, g->sentence ? g->sentence : "", &f);
}

static void jb_evidence(jbuf *b, const fb_case *c)
{
    int top = 1;
    jb_ch(b, '{');
    if (c->has_contract) {
        const fb_contract *k = &c->contract;
        int f = 1;
        top = 0;
        jb_raw(b, "\"c\":[", 5);
        jb_str(b, k->id, &f);
        jb_str(b, k->client, &f);
        jb_str(b, k->freelancer, &f);
        jb_str(b, k->title, &f);
        jb_time(b, k->created_at, &f);
        jb_time(b, k->started_at, &f);
        jb_time(b, k->ended_at, &f);
        if (k->has_budget)
            jb_int(b, k->budget_minor, &f);
        else
            jb_str(b, NULL, &f);
        jb_str(b, k->currency[0] ? k->currency : NULL, &f);
        jb_ch(b, ']');
    }
    for (size_t i = 0; i < c->n_payments; i++) {
        const fb_payment *p = &c->payments[i];
        int f = 1;
        jb_elem(b, "p", i, &top);
        jb_str(b, p->id, &f);
        jb_str(b, p->from, &f);
        jb_str(b, p->to, &f);
        jb_str(b, fb_pay_str(p->kind), &f);
        jb_int(b, p->amount_minor, &f);
        jb_str(b, p->currency, &f);
        jb_time(b, p->at, &f);
    }
    if (c->n_payments)
        jb_raw(b, "]]", 2);
    for (size_t i = 0; i < c->n_feedback; i++) {
        const fb_feedback *fe = &c->feedback[i];
        int f = 1;
        jb_elem(b, "f", i, &top);
        jb_str(b, fe->from, &f);
        jb_str(b, fe->to, &f);
        jb_int(b, fe->rating, &f);
        jb_str(b, fe->text, &f);
        jb_time(b, fe->at, &f);
    }
    if (c->n_feedback)
        jb_raw(b, "]]", 2);
    for (size_t i = 0; i < c->n_signals; i++) {
        jb_elem(b, "s", i, &top);
        jb_signal(b, &c->signals[i]);
    }
    if (c->n_signals)
        jb_raw(b, "]]", 2);
    for (size_t i = 0; i < c->n_matches; i++) {
        const fb_match *m = &c->matches[i];
        int f = 1;
        jb_elem(b, "m", i, &top);
        jb_int(b, (long long)m->message, &f);
        jb_int(b, (long long)m->start, &f);
        jb_int(b, (long long)m->len, &f);
        jb_str(b, fb_violation_str(m->violation), &f);
        jb_str(b, m->why, &f);
    }
    if (c->n_matches)
        jb_raw(b, "]]", 2);
    for (size_t i = 0; i < c->n_cuts; i++) {
        const fb_cut *k = &c->cuts[i];
        int f = 1;
        jb_elem(b, "x", i, &top);
        jb_str(b, k->field, &f);
        jb_int(b, (long long)k->kept, &f);
        jb_int(b, (long long)k->length, &f);
        jb_str(b, k->sha256, &f);
    }
    if (c->n_cuts)
        jb_raw(b, "]]", 2);
    jb_ch(b, '}');
}

#define STEP(st, doing)                                                  \
    do {                                                                 \
        if (store_step_done(s, (st), err, (doing)) != FB_OK)             \
            return err->status;                                          \
    } while (0)
#define PREP(var, sql)                                                   \
    sqlite3_stmt *var = store_stmt(s, (sql), err);                       \
    if (!var)                                                            \
        return err->status

/* Keeps account_name_fts in step with the account row about to be upserted. */
static fb_status account_name_index(fb_store *s, const fb_account *a, fb_err *err)
{
    PREP(q, sql_account_name);
    store_bind_text(q, 1, a->id);
    int rc = sqlite3_step(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        sqlite3_reset(q);
        return store_fail(s, err, "reading an account");
    }
    int exists = rc == SQLITE_ROW;
    const char *old_c = exists ? (const char *)sqlite3_column_text(q, 0) : NULL;
    char *old = old_c ? fb_strdup(old_c) : NULL;
    sqlite3_reset(q);
    fb_status st = FB_OK;
    if (!a->name || (old && strcmp(old, a->name) == 0))
        goto done;   /* no name given (the old one stays) or the same name */
    if (old) {
        sqlite3_stmt *d;
        char *phrase = NULL;   /* bound without a copy: freed after the step */
        if (store_trigram_term(old)) {
            /* The old name as one FTS5 phrase (quotes doubled): no query syntax leaks in. */
            size_t n = strlen(old);
            char *o = phrase = fb_xmalloc(n * 2 + 3);
            *o++ = '"';
            for (const char *p = old; *p; p++) {
                if (*p == '"')
                    *o++ = '"';
                *o++ = *p;
            }
            *o++ = '"';
            *o = '\0';
            d = store_stmt(s, sql_name_fts_drop, err);
            if (d) {
                store_bind_text(d, 1, phrase);
                store_bind_text(d, 2, a->id);
            }
        } else {
            d = store_stmt(s, sql_name_fts_drop_scan, err);
            if (d)
                store_bind_text(d, 1, a->id);
        }
        st = d ? store_step_done(s, d, err, "updating the account name index") : err->status;
        free(phrase);
        if (st != FB_OK)
            goto done;
    }
    sqlite3_stmt *add = store_stmt(s, sql_name_fts_add, err);
    if (!add) {
        st = err->status;
        goto done;
    }
    store_bind_text(add, 1, a->name);
    store_bind_text(add, 2, a->id);
    st = store_step_done(s, add, err, "indexing an account name");
done:
    free(old);
    return st;
}

static fb_status put_rows(fb_store *s, const fb_case *c, const char *origin, fb_err *err);
static fb_status put_evidence(fb_store *s, const fb_case *c, fb_err *err);

static fb_status put(fb_store *s, const fb_case *c, fb_case *mut, const char *origin, int *replaced,
                     store_weigh_fn weigh, void *ctx, fb_err *err);

fb_status store_case_put(fb_store *s, const fb_case *c, const char *origin, int *replaced, fb_err *err)
{
    return put(s, c, NULL, origin, replaced, NULL, NULL, err);
}

fb_status store_case_put_weighed(fb_store *s, fb_case *c, const char *origin, int *replaced, store_weigh_fn weigh,
                                 void *ctx, fb_err *err)
{
    return put(s, c, c, origin, replaced, weigh, ctx, err);
}

static const char sql_set_risk[] = "UPDATE \"case\" SET risk=?2, suggested=?3 WHERE id=?1";
/* The same, with the analysis the signals and matches now come from (store_case_set_analysis). */
static const char sql_set_risk_analysis[] = "UPDATE \"case\" SET risk=?2, suggested=?3, analysis=?4 WHERE id=?1";

/* The analysis fingerprint as the column holds it: NULL for none (0). */
static void bind_analysis(sqlite3_stmt *st, int i, uint64_t fp)
{
    if (fp)
        sqlite3_bind_int64(st, i, (sqlite3_int64)fp);
    else
        sqlite3_bind_null(st, i);
}

/* mut is c when the caller lets weigh change the case's signals before its evidence row
 * is written (NULL otherwise). */
static fb_status put(fb_store *s, const fb_case *c, fb_case *mut, const char *origin, int *replaced,
                     store_weigh_fn weigh, void *ctx, fb_err *err)
{
    PREP(cs, sql_case_state);
    store_bind_text(cs, 1, c->id);
    if (sqlite3_step(cs) != SQLITE_ROW)
        return sqlite3_reset(cs), store_fail(s, err, "saving a case");
    int decided = sqlite3_column_int(cs, 0), had_evidence = sqlite3_column_int(cs, 1);
    sqlite3_reset(cs);
    if (decided)
        return fb_err_set(err, FB_ECONFLICT, "case %s already has a decision; its evidence was not replaced",
                          c->id);
    if (replaced)
        *replaced = had_evidence;

    PREP(up, sql_case_upsert);
    store_bind_text(up, 1, c->id);
    sqlite3_bind_int64(up, 2, c->opened_at);
    store_bind_text(up, 3, c->source);
    store_bind_text(up, 4, fb_violation_str(c->alleged));
    sqlite3_bind_int(up, 5, c->risk);
    store_bind_text(up, 6, fb_violation_str(c->suggested));
    store_bind_text(up, 7, c->subject);
    store_bind_text(up, 8, c->counterparty);
    store_bind_text(up, 9, c->has_contract ? c->contract.id : NULL);
    store_bind_text(up, 10, origin);
    sqlite3_bind_int64(up, 11, fb_now_ms());
    bind_analysis(up, 12, c->analysis);
    STEP(up, "saving a case");

    store_replace rep = {0};
    if (had_evidence) {
        if (store_structure_before_replace(s, c->id, &rep, err) != FB_OK) {
            store_replace_free(&rep);
            return err->status;
        }
        for (size_t i = 0; i < sizeof sql_clear / sizeof sql_clear[0]; i++) {
            sqlite3_stmt *st = store_stmt(s, sql_clear[i], err);
            if (st)
                store_bind_text(st, 1, c->id);
            if (!st || store_step_done(s, st, err, "replacing a case's evidence") != FB_OK) {
                store_replace_free(&rep);
                return err->status;
            }
        }
    }
    int pending = 0;
    fb_status rs = put_rows(s, c, origin, err);
    if (rs == FB_OK)
        rs = store_structure_after_put(s, c, had_evidence ? &rep : NULL, mut && weigh ? &pending : NULL, err);
    store_replace_free(&rep);
    if (rs != FB_OK)
        return rs;
    /* A case that reaches other cases is weighed now, before its evidence row is written:
     * one write instead of a second one at the flush. */
    if (mut && weigh) {
        int risk = mut->risk;
        fb_violation suggested = mut->suggested;
        if (pending && weigh(ctx, s, mut, err) != FB_OK)
            return err->status;
        if (mut->risk != risk || mut->suggested != suggested) {
            PREP(ur, sql_set_risk);
            store_bind_text(ur, 1, c->id);
            sqlite3_bind_int(ur, 2, c->risk);
            store_bind_text(ur, 3, fb_violation_str(c->suggested));
            STEP(ur, "saving a case");
        }
    }
    return put_evidence(s, c, err);
}

/* The case's accounts, links and messages (its evidence row is written by put_evidence). */
static fb_status put_rows(fb_store *s, const fb_case *c, const char *origin, fb_err *err)
{
    PREP(acc, sql_account);
    PREP(ca, sql_case_account);
    PREP(pr, sql_prior);
    for (size_t i = 0; i < c->n_accounts; i++) {
        const fb_account *a = &c->accounts[i];
        if (account_name_index(s, a, err) != FB_OK)
            return err->status;
        store_bind_text(acc, 1, a->id);
        store_bind_text(acc, 2, a->name);
        store_bind_text(acc, 3, a->country);
        store_bind_time(acc, 4, a->created_at);
        STEP(acc, "saving an account");
        store_bind_text(ca, 1, c->id);
        store_bind_text(ca, 2, a->id);
        store_bind_text(ca, 3, fb_role_str(a->role));
        sqlite3_bind_int64(ca, 4, (sqlite3_int64)i);
        STEP(ca, "saving a case's account");
        for (size_t j = 0; j < a->n_prior; j++) {
            store_bind_text(pr, 1, a->id);
            store_bind_text(pr, 2, fb_action_str(a->prior[j].action));
            store_bind_text(pr, 3, fb_violation_str(a->prior[j].violation));
            sqlite3_bind_int64(pr, 4, a->prior[j].at);
            store_bind_text(pr, 5, origin && strcmp(origin, "upstream") == 0 ? "upstream" : "import");
            STEP(pr, "saving a prior action");
        }
    }
    PREP(ln, sql_link);
    for (size_t i = 0; i < c->n_links; i++) {
        store_bind_text(ln, 1, c->id);
        store_bind_text(ln, 2, c->links[i].a);
        store_bind_text(ln, 3, c->links[i].b);
        store_bind_text(ln, 4, fb_link_str(c->links[i].kind));
        store_bind_text(ln, 5, c->links[i].detail);
        STEP(ln, "saving an account link");
    }
    PREP(ms, sql_message);
    PREP(mf, sql_message_fts);
    for (size_t i = 0; i < c->n_messages; i++) {
        const fb_message *m = &c->messages[i];
        store_bind_text(ms, 1, c->id);
        sqlite3_bind_int64(ms, 2, (sqlite3_int64)i);
        store_bind_text(ms, 3, m->from);
        store_bind_text(ms, 4, m->to);
        store_bind_time(ms, 5, m->at);
        sqlite3_bind_text(ms, 6, m->body ? m->body : "", -1, SQLITE_STATIC);
        STEP(ms, "saving a message");
        sqlite3_bind_int64(mf, 1, sqlite3_last_insert_rowid(s->db));
        sqlite3_bind_text(mf, 2, m->body ? m->body : "", -1, SQLITE_STATIC);
        STEP(mf, "indexing a message for search");
    }
    return FB_OK;
}

static fb_status put_evidence(fb_store *s, const fb_case *c, fb_err *err)
{
    PREP(ev, sql_evidence);
    jbuf jb = {.p = NULL, .len = 0, .cap = sizeof jb.local, .failed = 0};
    jb.p = jb.local;
    jb_evidence(&jb, c);
    if (jb.failed)
        return fb_err_set(err, FB_ENOMEM, "out of memory saving case %s", c->id);
    store_bind_text(ev, 1, c->id);
    sqlite3_bind_text(ev, 2, jb.p, (int)jb.len, SQLITE_STATIC);
    fb_status st = store_step_done(s, ev, err, "saving a case's evidence");
    if (jb.p != jb.local)
        free(jb.p);
    return st;
}

/* 'decided' and "every live decision synced" spell out when a case is finished here; the
 * lifecycle table has no view for it yet (the other statuses can still change). */
static const char sql_purgeable[] =
    "SELECT c.id FROM \"case\" c JOIN case_evidence e ON e.case_id = c.id"
    " WHERE c.status = 'decided' AND e.data->'purged' IS NULL"
    " AND NOT EXISTS (SELECT 1 FROM decision d WHERE d.case_id = c.id AND d.undone_at IS NULL"
    "                 AND (d.sync_state <> 'synced' OR d.synced_at IS NULL))"
    " AND (SELECT max(d.synced_at) FROM decision d WHERE d.case_id = c.id AND d.undone_at IS NULL) < ?1"
    " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.payload->>'case_id' = c.id)"
    " ORDER BY c.updated_at, c.id LIMIT ?2";

fb_status store_case_purgeable(fb_store *s, int64_t synced_before, long limit, store_case_id_fn fn, void *ctx,
                               fb_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_purgeable, err);
    if (!st)
        return err->status;
    sqlite3_bind_int64(st, 1, synced_before);
    sqlite3_bind_int64(st, 2, limit);
    /* Collected first: the callback purges, which must not run under this cursor. */
    char **ids = NULL;
    size_t n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char **slot = fb_grow((void **)&ids, &n, sizeof *slot);
        if (!slot)
            break;
        *slot = store_col_text(st, 0);
    }
    sqlite3_reset(st);
    fb_status out = rc == SQLITE_DONE ? FB_OK : store_fail(s, err, "finding cases past retention");
    for (size_t i = 0; i < n; i++) {
        if (out == FB_OK)
            out = fn(ctx, ids[i], err);
        free(ids[i]);
    }
    free(ids);
    return out;
}

fb_status store_case_purge(fb_store *s, const char *case_id, int64_t at, int days, fb_err *err)
{
    static const char *const sql[] = {
        "DELETE FROM message WHERE case_id=?1",   /* the message_ad trigger empties the search index */
        "DELETE FROM account_link WHERE case_id=?1",
        "UPDATE case_evidence SET data=json_object('purged', json_object('at', ?2, 'days', ?3)) WHERE case_id=?1",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        sqlite3_stmt *st = store_stmt(s, sql[i], err);
        if (!st)
            return err->status;
        store_bind_text(st, 1, case_id);
        if (i == 2) {
            sqlite3_bind_int64(st, 2, at);
            sqlite3_bind_int(st, 3, days);
        }
        if (store_step_done(s, st, err, "purging a case's evidence") != FB_OK)
            return err->status;
    }
    return FB_OK;
}

static const char sql_set_signals[] =
    "UPDATE case_evidence SET data=json_set(data, '$.s', json(?2)) WHERE case_id=?1";
static const char sql_drop_signals[] = "UPDATE case_evidence SET data=json_remove(data, '$.s') WHERE case_id=?1";

/* Writes the case's risk and suggested code, and its signals as the evidence row's '$.s'
 * (and, when with_matches, its message matches as '$.m'); an empty list is removed. */
static fb_status set_derived(fb_store *s, const fb_case *c, int with_matches, fb_err *err)
{
    static const char sql_set_matches[] =
        "UPDATE case_evidence SET data=json_set(data, '$.m', json(?2)) WHERE case_id=?1";
    static const char sql_drop_matches[] = "UPDATE case_evidence SET data=json_remove(data, '$.m') WHERE case_id=?1";
    PREP(up, with_matches ? sql_set_risk_analysis : sql_set_risk);
    store_bind_text(up, 1, c->id);
    sqlite3_bind_int(up, 2, c->risk);
    store_bind_text(up, 3, fb_violation_str(c->suggested));
    if (with_matches)
        bind_analysis(up, 4, c->analysis);
    STEP(up, "saving a case's signals");
    for (int part = 0; part < 1 + !!with_matches; part++) {
        size_t n = part == 0 ? c->n_signals : c->n_matches;
        if (n == 0) {
            PREP(dr, part == 0 ? sql_drop_signals : sql_drop_matches);
            store_bind_text(dr, 1, c->id);
            STEP(dr, "saving a case's signals");
            continue;
        }
        jbuf jb = {.p = NULL, .len = 0, .cap = sizeof jb.local, .failed = 0};
        jb.p = jb.local;
        jb_ch(&jb, '[');
        for (size_t i = 0; i < n; i++) {
            jb_raw(&jb, i ? ",[" : "[", i ? 2 : 1);
            if (part == 0)
                jb_signal(&jb, &c->signals[i]);
            else {
                const fb_match *m = &c->matches[i];
                int f = 1;
                jb_int(&jb, (long long)m->message, &f);
                jb_int(&jb, (long long)m->start, &f);
                jb_int(&jb, (long long)m->len, &f);
                jb_str(&jb, fb_violation_str(m->violation), &f);
                jb_str(&jb, m->why, &f);
            }
            jb_ch(&jb, ']');
        }
        jb_ch(&jb, ']');
        if (jb.failed) {
            if (jb.p != jb.local)
                free(jb.p);
            return fb_err_set(err, FB_ENOMEM, "out of memory saving case %s", c->id);
        }
        sqlite3_stmt *ev = store_stmt(s, part == 0 ? sql_set_signals : sql_set_matches, err);
        fb_status st = ev ? FB_OK : err->status;
        if (ev) {
            store_bind_text(ev, 1, c->id);
            sqlite3_bind_text(ev, 2, jb.p, (int)jb.len, SQLITE_STATIC);
            st = store_step_done(s, ev, err, "saving a case's signals");
        }
        if (jb.p != jb.local)
            free(jb.p);
        if (st != FB_OK)
            return st;
    }
    return FB_OK;
}

fb_status store_case_set_signals(fb_store *s, const fb_case *c, fb_err *err)
{
    return set_derived(s, c, 0, err);
}

fb_status store_case_set_analysis(fb_store *s, const fb_case *c, fb_err *err)
{
    return set_derived(s, c, 1, err);
}

/* A case is stale when it has no decision and its analysis (NULL: written before store
 * version 9, analysed with what ?3 names) is not ?2. Keyset over the primary key. */
#define STALE_WHERE                                                                              \
    " c.id > ?1 AND coalesce(c.analysis, ?3) IS NOT ?2"                                          \
    " AND NOT EXISTS (SELECT 1 FROM decision d WHERE d.case_id=c.id)"

static void bind_stale(sqlite3_stmt *st, const char *after, uint64_t current, uint64_t unmarked)
{
    store_bind_text(st, 1, after ? after : "");
    sqlite3_bind_int64(st, 2, (sqlite3_int64)current);
    bind_analysis(st, 3, unmarked);
}

fb_status store_case_stale_after(fb_store *s, const char *after, uint64_t current, uint64_t unmarked, size_t max,
                                 char ***ids, size_t *n, fb_err *err)
{
    static const char sql[] = "SELECT c.id FROM \"case\" c WHERE" STALE_WHERE " ORDER BY c.id LIMIT ?4";
    *ids = NULL;
    *n = 0;
    PREP(st, sql);
    bind_stale(st, after, current, unmarked);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)max);
    int rc;
    fb_status res = FB_OK;
    while (res == FB_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        char **slot = fb_grow((void **)ids, n, sizeof **ids);
        if (!slot || !(*slot = fb_strdup((const char *)sqlite3_column_text(st, 0)))) {
            if (slot)
                (*n)--;
            res = fb_err_set(err, FB_ENOMEM, "out of memory listing cases");
        }
    }
    if (res == FB_OK && rc != SQLITE_DONE)
        res = store_fail(s, err, "listing cases to analyse again");
    sqlite3_reset(st);
    if (res != FB_OK) {
        for (size_t i = 0; i < *n; i++)
            free((*ids)[i]);
        free(*ids);
        *ids = NULL;
        *n = 0;
    }
    return res;
}

fb_status store_case_stale_count(fb_store *s, const char *after, uint64_t current, uint64_t unmarked,
                                 int64_t *count, fb_err *err)
{
    static const char sql[] = "SELECT count(*) FROM \"case\" c WHERE" STALE_WHERE;
    *count = 0;
    PREP(st, sql);
    bind_stale(st, after, current, unmarked);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *count = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? FB_OK : store_fail(s, err, "counting cases to analyse again");
}

int store_case_has_decision(fb_store *s, const char *case_id)
{
    sqlite3_stmt *st = store_stmt(s, sql_case_state, NULL);
    if (!st)
        return -1;
    store_bind_text(st, 1, case_id);
    int rc = sqlite3_step(st);
    int v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_reset(st);
    return v;
}

int store_case_none(fb_store *s)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT NOT EXISTS (SELECT 1 FROM \"case\")", NULL);
    if (!st)
        return -1;
    int v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_reset(st);
    return v;
}

int store_case_exists(fb_store *s, const char *case_id)
{
    static const char sql[] = "SELECT 1 FROM \"case\" WHERE id=?1";
    sqlite3_stmt *st = store_stmt(s, sql, NULL);
    if (!st)
        return -1;
    store_bind_text(st, 1, case_id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static const char sql_load_case[] =
    "SELECT opened_at, source, alleged, risk, suggested, status, claim_by, claim_until, subject,"
    " counterparty, updated_at, analysis, EXISTS (SELECT 1 FROM decision d WHERE d.case_id=?1)"
    " FROM \"case\" WHERE id=?1";
static const char sql_load_accounts[] =
    "SELECT a.id, ca.role, a.name, a.country, a.created_at FROM case_account ca"
    " JOIN account a ON a.id=ca.account_id WHERE ca.case_id=?1 ORDER BY ca.ord";
static const char sql_load_prior[] =
    "SELECT action, violation, at FROM prior_action WHERE account_id=?1 ORDER BY at";
static const char sql_load_links[] =
    "SELECT a, b, kind, detail FROM account_link WHERE case_id=?1 ORDER BY id";
static const char sql_load_contract[] =
    "SELECT id, client, freelancer, title, created_at, started_at, ended_at, budget, currency"
    " FROM contract WHERE case_id=?1";
static const char sql_load_payments[] =
    "SELECT id, from_acct, to_acct, kind, amount, currency, at FROM payment WHERE case_id=?1 ORDER BY ord";
static const char sql_load_feedback[] =
    "SELECT from_acct, to_acct, rating, text, at FROM feedback WHERE case_id=?1 ORDER BY ord";
static const char sql_load_messages[] =
    "SELECT from_acct, to_acct, at, body FROM message WHERE case_id=?1 ORDER BY ord";
static const char sql_load_signals[] =
    "SELECT code, violation, weight, sentence FROM signal WHERE case_id=?1 ORDER BY ord";
/* Fields cut on import ("x": [field, kept, length, sha256]). */
static const char sql_load_cuts[] =
    "SELECT j.value->>0, j.value->>1, j.value->>2, j.value->>3 FROM case_evidence e, json_each(e.data, '$.x') j"
    " WHERE e.case_id=?1 ORDER BY j.key";
static const char sql_load_purged[] =
    "SELECT data->'purged'->>'at', data->'purged'->>'days' FROM case_evidence WHERE case_id=?1"
    " AND data->'purged' IS NOT NULL";
static const char sql_load_matches[] =
    "SELECT message_ord, start, len, violation, why FROM message_match WHERE case_id=?1 ORDER BY message_ord, start";

#define OOM() fb_err_set(err, FB_ENOMEM, "out of memory loading case %s", case_id)
#define LOAD_ROWS(var, sql, body)                                        \
    do {                                                                 \
        sqlite3_stmt *var = store_stmt(s, (sql), err);                   \
        if (!var)                                                        \
            goto fail;                                                   \
        store_bind_text(var, 1, case_id);                                \
        int rc_;                                                         \
        while ((rc_ = sqlite3_step(var)) == SQLITE_ROW) {                \
            body                                                         \
        }                                                                \
        sqlite3_reset(var);                                              \
        if (rc_ != SQLITE_DONE) {                                        \
            store_fail(s, err, "loading a case");                        \
            goto fail;                                                   \
        }                                                                \
    } while (0)

static void copy_cur(char dst[4], sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(dst, 4, "%s", t ? (const char *)t : "");
}

static fb_status load(fb_store *s, const char *case_id, int brief, fb_case **out, fb_err *err);

fb_status store_case_load(fb_store *s, const char *case_id, fb_case **out, fb_err *err)
{
    return load(s, case_id, 0, out, err);
}

fb_status store_case_load_brief(fb_store *s, const char *case_id, fb_case **out, fb_err *err)
{
    return load(s, case_id, 1, out, err);
}

static fb_status load(fb_store *s, const char *case_id, int brief, fb_case **out, fb_err *err)
{
    *out = NULL;
    fb_case *c = fb_case_new();
    if (!c)
        return OOM();
    sqlite3_stmt *cs = store_stmt(s, sql_load_case, err);
    if (!cs)
        goto fail;
    store_bind_text(cs, 1, case_id);
    int rc = sqlite3_step(cs);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(cs);
        if (rc == SQLITE_DONE)
            fb_err_set(err, FB_ENOTFOUND, "no case %s in %s", case_id, s->path);
        else
            store_fail(s, err, "loading a case");
        goto fail;
    }
    c->id = fb_strdup(case_id);
    c->opened_at = sqlite3_column_int64(cs, 0);
    c->source = store_col_text(cs, 1);
    c->alleged = fb_violation_from_str((const char *)sqlite3_column_text(cs, 2));
    c->risk = sqlite3_column_int(cs, 3);
    c->suggested = fb_violation_from_str((const char *)sqlite3_column_text(cs, 4));
    c->status = fb_case_status_from_str((const char *)sqlite3_column_text(cs, 5));
    c->claim_by = store_col_text(cs, 6);
    c->claim_until = sqlite3_column_int64(cs, 7);
    c->subject = store_col_text(cs, 8);
    c->counterparty = store_col_text(cs, 9);
    c->updated_at = sqlite3_column_int64(cs, 10);
    c->analysis = (uint64_t)sqlite3_column_int64(cs, 11);
    c->has_decision = sqlite3_column_int(cs, 12);
    sqlite3_reset(cs);

    LOAD_ROWS(st, sql_load_accounts, {
        fb_account *a = fb_grow((void **)&c->accounts, &c->n_accounts, sizeof *a);
        if (!a) { OOM(); goto fail; }
        a->id = store_col_text(st, 0);
        a->role = fb_role_from_str((const char *)sqlite3_column_text(st, 1));
        a->name = store_col_text(st, 2);
        a->country = store_col_text(st, 3);
        a->created_at = sqlite3_column_int64(st, 4);
    });
    for (size_t i = 0; !brief && i < c->n_accounts; i++) {
        fb_account *a = &c->accounts[i];
        sqlite3_stmt *st = store_stmt(s, sql_load_prior, err);
        if (!st)
            goto fail;
        store_bind_text(st, 1, a->id);
        while (sqlite3_step(st) == SQLITE_ROW) {
            fb_prior *p = fb_grow((void **)&a->prior, &a->n_prior, sizeof *p);
            if (!p) { sqlite3_reset(st); OOM(); goto fail; }
            p->action = fb_action_from_str((const char *)sqlite3_column_text(st, 0));
            p->violation = fb_violation_from_str((const char *)sqlite3_column_text(st, 1));
            p->at = sqlite3_column_int64(st, 2);
        }
        sqlite3_reset(st);
    }
    LOAD_ROWS(st, sql_load_links, {
        fb_link *l = fb_grow((void **)&c->links, &c->n_links, sizeof *l);
        if (!l) { OOM(); goto fail; }
        l->a = store_col_text(st, 0);
        l->b = store_col_text(st, 1);
        l->kind = fb_link_from_str((const char *)sqlite3_column_text(st, 2));
        l->detail = store_col_text(st, 3);
    });
    LOAD_ROWS(st, sql_load_contract, {
        fb_contract *k = &c->contract;
        c->has_contract = 1;
        k->id = store_col_text(st, 0);
        k->client = store_col_text(st, 1);
        k->freelancer = store_col_text(st, 2);
        k->title = store_col_text(st, 3);
        k->created_at = sqlite3_column_int64(st, 4);
        k->started_at = sqlite3_column_int64(st, 5);
        k->ended_at = sqlite3_column_int64(st, 6);
        k->has_budget = sqlite3_column_type(st, 7) != SQLITE_NULL;
        k->budget_minor = sqlite3_column_int64(st, 7);
        copy_cur(k->currency, st, 8);
    });
    if (!brief) LOAD_ROWS(st, sql_load_payments, {
        fb_payment *p = fb_grow((void **)&c->payments, &c->n_payments, sizeof *p);
        if (!p) { OOM(); goto fail; }
        p->id = store_col_text(st, 0);
        p->from = store_col_text(st, 1);
        p->to = store_col_text(st, 2);
        p->kind = fb_pay_from_str((const char *)sqlite3_column_text(st, 3));
        p->amount_minor = sqlite3_column_int64(st, 4);
        copy_cur(p->currency, st, 5);
        p->at = sqlite3_column_int64(st, 6);
    });
    LOAD_ROWS(st, sql_load_feedback, {
        fb_feedback *f = fb_grow((void **)&c->feedback, &c->n_feedback, sizeof *f);
        if (!f) { OOM(); goto fail; }
        f->from = store_col_text(st, 0);
        f->to = store_col_text(st, 1);
        f->rating = sqlite3_column_int(st, 2);
        f->text = store_col_text(st, 3);
        f->at = sqlite3_column_int64(st, 4);
    });
    if (!brief) LOAD_ROWS(st, sql_load_messages, {
        fb_message *m = fb_grow((void **)&c->messages, &c->n_messages, sizeof *m);
        if (!m) { OOM(); goto fail; }
        m->from = store_col_text(st, 0);
        m->to = store_col_text(st, 1);
        m->at = sqlite3_column_int64(st, 2);
        m->body = store_col_text(st, 3);
    });
    LOAD_ROWS(st, sql_load_signals, {
        fb_signal *g = fb_grow((void **)&c->signals, &c->n_signals, sizeof *g);
        if (!g) { OOM(); goto fail; }
        snprintf(g->code, sizeof g->code, "%s", (const char *)sqlite3_column_text(st, 0));
        g->violation = fb_violation_from_str((const char *)sqlite3_column_text(st, 1));
        g->weight = sqlite3_column_int(st, 2);
        g->sentence = store_col_text(st, 3);
    });
    if (!brief) LOAD_ROWS(st, sql_load_matches, {
        fb_match *m = fb_grow((void **)&c->matches, &c->n_matches, sizeof *m);
        if (!m) { OOM(); goto fail; }
        m->message = (size_t)sqlite3_column_int64(st, 0);
        m->start = (size_t)sqlite3_column_int64(st, 1);
        m->len = (size_t)sqlite3_column_int64(st, 2);
        m->violation = fb_violation_from_str((const char *)sqlite3_column_text(st, 3));
        m->why = store_col_text(st, 4);
    });
    LOAD_ROWS(st, sql_load_purged, {
        c->purged_at = sqlite3_column_int64(st, 0);
        c->purged_days = sqlite3_column_int(st, 1);
    });
    LOAD_ROWS(st, sql_load_cuts, {
        fb_cut *k = fb_grow((void **)&c->cuts, &c->n_cuts, sizeof *k);
        if (!k) { OOM(); goto fail; }
        const unsigned char *field = sqlite3_column_text(st, 0);
        const unsigned char *sha = sqlite3_column_text(st, 3);
        snprintf(k->field, sizeof k->field, "%s", field ? (const char *)field : "?");
        k->kept = (uint64_t)sqlite3_column_int64(st, 1);
        k->length = (uint64_t)sqlite3_column_int64(st, 2);
        snprintf(k->sha256, sizeof k->sha256, "%s", sha ? (const char *)sha : "");
    });
    *out = c;
    return FB_OK;
fail:
    fb_case_free(&c);
    return err ? err->status : FB_ESTORE;
}
