/* The sync engine: push the outbox, pull changes, claim cases (DESIGN.md §8). It talks to
 * upstream through fbreview/upstream.h and to the local store through store_sync.h. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "fbreview/import.h"
#include "fbreview/ingest.h"
#include "fbreview/model.h"
#include "fbreview/outbox.h"
#include "fbreview/retention.h"
#include "fbreview/store_sync.h"
#include "fbreview/sync.h"
#include "fbreview/timeutil.h"

/* [sync] statement_timeout, lock_timeout, idle_in_transaction_timeout: milliseconds. */
void sync_timeouts(const fb_config *cfg, upstream_timeouts *out)
{
    *out = (upstream_timeouts){config_int(cfg, OPT_SYNC_STATEMENT_TIMEOUT), config_int(cfg, OPT_SYNC_LOCK_TIMEOUT),
                               config_int(cfg, OPT_SYNC_IDLE_TIMEOUT)};
}

size_t sync_batch_size(const fb_config *cfg)
{
    const char *e = getenv("FBREVIEW_SYNC_BATCH");
    long v = e && *e ? atol(e) : 0;
    if (v <= 0)
        v = config_int(cfg, OPT_SYNC_BATCH);   /* checked against the options table on load */
    if (v > 100000)
        v = 100000;
    return (size_t)v;
}

/* Test hook: FBREVIEW_SYNC_CRASH_AFTER=POINT makes the process die at POINT as a crash
 * would (no cleanup, no local commit): "mark_sent" (rows in flight, nothing pushed) or
 * "upstream_commit" (upstream committed, nothing answered locally). */
#ifdef FB_TEST_HOOKS
static void crash_point(const char *point)
{
    const char *e = getenv("FBREVIEW_SYNC_CRASH_AFTER");
    if (e && strcmp(e, point) == 0) {
        fprintf(stderr, "fbreview sync: test crash after %s\n", point);
        _exit(3);
    }
}
#else
#define crash_point(point) ((void)0)   /* test builds only (-DFB_TEST_HOOKS) */
#endif

/* ---- push ---- */

/* A small open-addressing set of case ids: a decision batch holds each case once, so
 * upstream can judge it set-based (a second decision on a case goes in the next batch,
 * after the first one's outcome is known). */
typedef struct idset {
    const char **slot;
    size_t cap;
} idset;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* 1 if added, 0 if present. */
static int idset_add(idset *set, const char *id)
{
    size_t i = (size_t)hash_str(id) & (set->cap - 1);
    while (set->slot[i]) {
        if (strcmp(set->slot[i], id) == 0)
            return 0;
        i = (i + 1) & (set->cap - 1);
    }
    set->slot[i] = id;
    return 1;
}

/* The case id of a decision row if it is well formed (a UUID decision_id equal to the
 * outbox row's ref, a UUID or null supersedes, and the fields upstream needs), else NULL. */
static const char *decision_case(const store_outbox_row *r)
{
    uuid_t u;
    if (!r->well_formed || !r->decision_id || !r->ref || strcmp(r->decision_id, r->ref) != 0 ||
        uuid_parse(r->decision_id, u) != 0 || !r->case_id || !*r->case_id ||
        (r->supersedes && uuid_parse(r->supersedes, u) != 0))
        return NULL;
    return r->case_id;
}

static void count_answer(fb_sync_report *rep, const char *kind, const char *ref, upstream_outcome outcome,
                         const char *reason)
{
    rep->pushed++;
    if (outcome == UPSTREAM_ACCEPTED)
        rep->accepted++;
    else if (outcome == UPSTREAM_CONFLICT)
        rep->conflicts++;
    else
        rep->rejected++;
    if (outcome != UPSTREAM_ACCEPTED && rep->on_refused)
        rep->on_refused(rep->ctx, kind, ref, outcome, reason ? reason : "");
}

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The next batch: the outbox's head, cut where upstream could not judge it in one go.
 * A batch is either decisions on distinct cases (upstream judges them set-based; a second
 * decision on a case waits for the first one's outcome) or a run of other kinds. A
 * malformed decision at the head is answered "rejected" locally (upstream could never
 * read it, and it must not block the queue): bad is set and the batch is that row. */
typedef struct batch {
    store_outbox_row *rows;
    size_t n, k;        /* rows read, rows in the batch */
    int decisions, bad;
} batch;

static fb_status batch_next(fb_store *s, int64_t after, int64_t before, size_t limit, idset *set, batch *b,
                            fb_err *err)
{
    store_sync_rows_free(&b->rows, b->n);
    memset(b, 0, sizeof *b);
    fb_status rc = store_sync_outbox_peek_bytes(s, after, before, limit, SYNC_BATCH_BYTES, &b->rows, &b->n, err);
    if (rc != FB_OK || b->n == 0)
        return rc;
    memset(set->slot, 0, set->cap * sizeof(char *));
    b->decisions = outbox_kind_from_str(b->rows[0].kind) == OUTBOX_DECISION;
    for (; b->k < b->n; b->k++) {
        const store_outbox_row *r = &b->rows[b->k];
        int is_dec = outbox_kind_from_str(r->kind) == OUTBOX_DECISION;
        if (is_dec != b->decisions)
            break;
        if (!is_dec)
            continue;
        const char *case_id = decision_case(r);
        if (!case_id) {
            if (b->k == 0) {
                b->bad = 1;
                b->k = 1;
            }
            break;
        }
        if (!idset_add(set, case_id))
            break;
    }
    return FB_OK;
}

/* A batch on its way upstream, pushed by a short-lived thread while this thread does the
 * local work of the neighbouring batches (the two never share a connection). */
/* A refused row of a batch upstream committed, kept until it is answered locally. */
typedef struct refused {
    int64_t seq;
    char *kind, *ref, *reason;
    upstream_outcome outcome;
    char winner[37];
} refused;

typedef struct flight {
    fb_upstream *up;
    batch b;
    upstream_item *items;   /* shared: only the batch being pushed needs them */
    upstream_answer *ans;   /* shared too: settle() takes what it needs */
    size_t cap;             /* entries in items and ans */
    fb_status rc;
    fb_err err;
    int64_t us;
    /* After the push committed (settle): what answering it locally needs, the batch's
     * rows already freed. */
    int64_t first_seq, last_seq;
    size_t answered, n_refused;
    refused *refused;
} flight;

static void *flight_main(void *arg)
{
    flight *f = arg;
    int64_t t = mono_us();
    upstream_answers_clear(f->ans, f->cap);
    f->rc = upstream_push(f->up, f->items, f->b.k, f->ans, &f->err);
    f->us = mono_us() - t;
    return NULL;
}

static void flight_unsettle(flight *f)
{
    for (size_t i = 0; i < f->n_refused; i++) {
        free(f->refused[i].kind);
        free(f->refused[i].ref);
        free(f->refused[i].reason);
    }
    free(f->refused);
    f->refused = NULL;
    f->n_refused = f->answered = 0;
}

/* Upstream committed f's batch: keep the range and the refused rows (few), and free the
 * batch's rows, so only two batches of rows are held at once (the one being pushed and
 * the one being taken), not three. */
static fb_status flight_settle(flight *f, fb_err *err)
{
    flight_unsettle(f);
    size_t k = f->b.k, nr = 0;
    for (size_t i = 0; i < k; i++)
        nr += f->ans[i].outcome != UPSTREAM_ACCEPTED;
    if (nr && !(f->refused = calloc(nr, sizeof *f->refused)))
        return fb_err_set(err, FB_ENOMEM, "out of memory");
    for (size_t i = 0; i < k; i++) {
        if (f->ans[i].outcome == UPSTREAM_ACCEPTED)
            continue;
        refused *r = &f->refused[f->n_refused++];
        r->seq = f->b.rows[i].seq;
        r->kind = fb_strdup(f->b.rows[i].kind);
        r->ref = fb_strdup(f->b.rows[i].ref);
        r->outcome = f->ans[i].outcome;
        r->reason = f->ans[i].reason;   /* taken over */
        memcpy(r->winner, f->ans[i].winner, sizeof r->winner);
        f->ans[i].reason = NULL;
    }
    f->answered = k;
    f->first_seq = k ? f->b.rows[0].seq : 0;
    f->last_seq = k ? f->b.rows[k - 1].seq : 0;
    store_sync_rows_free(&f->b.rows, f->b.n);
    memset(&f->b, 0, sizeof f->b);
    return FB_OK;
}

/* Inside the caller's transaction: the next pushable batch after `after`, marked in
 * flight; malformed decisions met at its head are answered "rejected" on the way. */
static fb_status take_batch(fb_store *s, int64_t after, int64_t before, size_t limit, idset *set, batch *b,
                            fb_sync_report *rep, fb_err *err)
{
    for (;;) {
        fb_status rc = batch_next(s, after, before, limit, set, b, err);
        if (rc != FB_OK || b->n == 0)
            return rc;
        if (!b->bad)
            return store_sync_outbox_mark_sent(s, b->rows[b->k - 1].seq, fb_now_ms(), err);
        static const char malformed[] = "the decision's outbox payload is malformed";
        rc = store_sync_outbox_done(s, b->rows[0].seq, outbox_kind_str(OUTBOX_DECISION), b->rows[0].ref, "rejected", malformed, NULL,
                                    fb_now_ms(), err);
        if (rc != FB_OK)
            return rc;
        count_answer(rep, b->rows[0].kind, b->rows[0].ref, UPSTREAM_REJECTED, malformed);
        after = b->rows[0].seq;
    }
}

/* f is settled (flight_settle). */
static fb_status answer_batch(fb_store *s, const flight *f, fb_sync_report *rep, fb_err *err)
{
    static const char *const state[] = {"synced", "conflict", "rejected"};
    int64_t now = fb_now_ms();
    /* A batch is a contiguous run of the outbox (take_batch): the refused rows are
     * answered one by one, then all the accepted ones at once. */
    for (size_t i = 0; i < f->n_refused; i++) {
        const refused *r = &f->refused[i];
        fb_status rc = outbox_kind_from_str(r->kind) == OUTBOX_UNKNOWN
                           ? store_sync_outbox_keep(s, r->seq, err)
                           : store_sync_outbox_done(s, r->seq, r->kind, r->ref, state[r->outcome],
                                                    r->reason ? r->reason : "", r->winner, now, err);
        if (rc != FB_OK)
            return rc;
    }
    if (f->answered > 0) {
        fb_status rc = store_sync_outbox_done_range(s, f->first_seq, f->last_seq, now, err);
        if (rc != FB_OK)
            return rc;
    }
    for (size_t i = 0; i < f->n_refused; i++)
        count_answer(rep, f->refused[i].kind, f->refused[i].ref, f->refused[i].outcome, f->refused[i].reason);
    rep->pushed += (long)(f->answered - f->n_refused);
    rep->accepted += (long)(f->answered - f->n_refused);
    return FB_OK;
}

static void flight_fill(flight *f)
{
    for (size_t i = 0; i < f->b.k; i++) {
        const store_outbox_row *r = &f->b.rows[i];
        f->items[i] = (upstream_item){r->seq, r->kind, r->ref, NULL, r->payload, NULL, NULL, NULL, NULL, NULL, NULL,
                                      NULL, NULL, NULL};
        if (f->b.decisions) {
            upstream_item *it = &f->items[i];
            it->case_id = r->case_id;
            it->reviewer = r->reviewer;
            it->action = r->action;
            it->violation = r->violation;
            it->days = r->days;
            it->decided_at = r->decided_at;
            it->supersedes = r->supersedes;
            it->approval = r->approval;
            it->claim_override = r->claim_override;
            it->policy_version = r->policy_version;
        }
    }
}

/* The protocol per batch is unchanged — in flight locally (committed) → pushed and
 * committed upstream → answered locally — but the steps of neighbouring batches overlap:
 * while batch i is upstream, one local transaction answers batch i-1 and marks batch
 * i+1 in flight. Upstream still sees the batches one after the other, in outbox order. */
fb_status sync_push(fb_store *s, fb_upstream *up, size_t batch_size, int64_t hold_ms, fb_sync_report *rep,
                    fb_err *err)
{
    /* FBREVIEW_SYNC_TRACE=1: where a batch's time goes (bench_sync.sh). */
    const char *tr = getenv("FBREVIEW_SYNC_TRACE");
    int trace = tr && *tr == '1';
    fb_status rc = FB_OK;
    size_t cap = 1;
    while (cap < batch_size * 2)
        cap <<= 1;
    idset set = {calloc(cap, sizeof(char *)), cap};
    flight fl[3] = {{0}};
    flight *prev = &fl[0], *cur = &fl[1], *next = &fl[2];
    int ok = set.slot != NULL;
    upstream_item *items = calloc(batch_size, sizeof *items);
    upstream_answer *ans = calloc(batch_size, sizeof *ans);
    ok = ok && items && ans;
    for (int i = 0; i < 3; i++)
        fl[i] = (flight){.up = up, .items = items, .ans = ans, .cap = batch_size};
    if (!ok) {
        rc = fb_err_set(err, FB_ENOMEM, "out of memory");
        goto done;
    }
    /* The first batch goes in flight on its own. */
    if ((rc = store_begin(s, err)) != FB_OK)
        goto done;
    /* The undo window: rows younger than hold_ms, or held by a console's open undo box,
     * wait, and so does everything behind them (upstream sees the outbox in order). Fixed
     * for this push, so rows saved while it runs wait for the next one; a hold set later
     * finds its row in flight and is refused (one write transaction at a time). */
    int64_t before = INT64_MAX;
    if ((rc = store_sync_outbox_held_seq(s, fb_now_ms(), hold_ms, &before, err)) != FB_OK) {
        store_rollback(s);
        goto done;
    }
    if ((rc = take_batch(s, 0, before, batch_size, &set, &cur->b, rep, err)) != FB_OK) {
        store_rollback(s);
        goto done;
    }
    if ((rc = store_commit(s, err)) != FB_OK)
        goto done;
    int have_prev = 0;
    while (cur->b.n > 0) {
        crash_point("mark_sent");
        flight_fill(cur);
        pthread_t th;
        if (pthread_create(&th, NULL, flight_main, cur) != 0) {
            rc = fb_err_set(err, FB_EINTERNAL, "cannot start a push thread");
            break;
        }
        /* Meanwhile: answer the batch before (upstream committed it) and put the next
         * one in flight, in one local transaction. */
        int64_t t0 = mono_us(), ta = 0, tt = 0;
        fb_status lrc = store_begin(s, err);
        if (lrc == FB_OK && have_prev)
            lrc = answer_batch(s, prev, rep, err);
        ta = mono_us();
        if (lrc == FB_OK)
            lrc = take_batch(s, cur->b.rows[cur->b.k - 1].seq, before, batch_size, &set, &next->b, rep, err);
        tt = mono_us();
        if (lrc == FB_OK)
            lrc = store_commit(s, err);
        else
            store_rollback(s);
        int64_t local_us = mono_us() - t0;
        if (trace)
            fprintf(stderr, "sync trace: local: answer %lld, take %lld, commit %lld us\n", (long long)(ta - t0),
                    (long long)(tt - ta), (long long)(mono_us() - tt));
        pthread_join(th, NULL);
        if (lrc != FB_OK) {
            rc = lrc;   /* rows stay in flight; the next sync answers them from upstream */
            break;
        }
        have_prev = 0;
        if (cur->rc != FB_OK) {
            rc = cur->rc;
            *err = cur->err;
            break;    /* cur and next stay in flight: the next sync pushes them again */
        }
        crash_point("upstream_commit");
        if ((rc = flight_settle(cur, err)) != FB_OK)
            break;
        rep->batches++;
        if (trace)
            fprintf(stderr, "sync trace: batch %zu: upstream %lld us, local (overlapped) %lld us\n", cur->answered,
                    (long long)cur->us, (long long)local_us);
        flight *t = prev;
        prev = cur;
        cur = next;
        next = t;
        have_prev = 1;
    }
    if (rc == FB_OK && have_prev) {
        if ((rc = store_begin(s, err)) == FB_OK) {
            if ((rc = answer_batch(s, prev, rep, err)) == FB_OK)
                rc = store_commit(s, err);
            else
                store_rollback(s);
        }
    }
done:
    store_sync_rows_free(&fl[0].b.rows, fl[0].b.n);
    store_sync_rows_free(&fl[1].b.rows, fl[1].b.n);
    store_sync_rows_free(&fl[2].b.rows, fl[2].b.n);
    for (int i = 0; i < 3; i++)
        flight_unsettle(&fl[i]);
    if (ans)
        upstream_answers_clear(ans, batch_size);
    free(items);
    free(ans);
    free(set.slot);
    return rc;
}

/* ---- pull ---- */

typedef struct pull_ctx {
    fb_store *s;
    fb_ingest *in;
    fb_sync_report *rep;
    int64_t now;
    long rows;
} pull_ctx;

/* A pull commits locally every PULL_CHUNK rows so the console's own writes (a decision
 * being saved) never wait long behind a big pull. Safe because every pulled write is an
 * idempotent upsert and the cursor moves only at the end: a pull cut half-way is read
 * again from the old cursor. */
#define PULL_CHUNK 500

static fb_status pull_tick(pull_ctx *ctx, fb_err *err)
{
    if (++ctx->rows % PULL_CHUNK != 0)
        return FB_OK;
    fb_status rc = ingest_flush(ctx->in, NULL, err);
    if (rc == FB_OK)
        rc = store_commit(ctx->s, err);
    if (rc == FB_OK)
        rc = store_begin(ctx->s, err);
    return rc;
}

static fb_status pull_case(void *vctx, const char *case_id, const char *doc, const char *status, fb_err *err)
{
    pull_ctx *ctx = vctx;
    if (pull_tick(ctx, err) != FB_OK)
        return err->status;
    fb_case *c = NULL;
    fb_err perr = {0};
    if (import_parse_line(doc, strlen(doc), &c, &perr) != FB_OK) {
        /* Upstream validated it on the way in, so this is a newer format than this binary
         * reads: skip and report it rather than stall every later pull behind it. */
        ctx->rep->pulled_bad++;
        if (ctx->rep->on_refused)
            ctx->rep->on_refused(ctx->rep->ctx, "case", case_id, UPSTREAM_REJECTED, perr.msg);
        return FB_OK;
    }
    fb_status rc = ingest_case(ctx->in, c, "upstream", err);
    fb_case_free(&c);
    if (rc == FB_ECONFLICT) {
        /* Decided here already: the evidence the reviewer saw stays. */
        fb_err_clear(err);
        rc = FB_OK;
    }
    if (rc == FB_OK)
        rc = store_sync_case_status(ctx->s, case_id, status, err);
    if (rc == FB_OK)
        ctx->rep->pulled_cases++;
    return rc;
}

static fb_status pull_decision(void *vctx, const char *payload, fb_err *err)
{
    pull_ctx *ctx = vctx;
    if (pull_tick(ctx, err) != FB_OK)
        return err->status;
    outbox_msg m;
    fb_err derr = {0};
    if (outbox_decode(outbox_kind_str(OUTBOX_DECISION), payload, &m, &derr) != FB_OK) {
        /* Upstream checked it on the way in: a newer format than this binary reads. Skip
         * and report it (as an unreadable case) rather than stall every later pull. */
        ctx->rep->pulled_bad++;
        if (ctx->rep->on_refused)
            ctx->rep->on_refused(ctx->rep->ctx, "decision", "(pulled)", UPSTREAM_REJECTED, derr.msg);
        return FB_OK;
    }
    const outbox_decision *o = &m.u.decision;
    store_sync_decision d = {
        .id = o->decision_id, .case_id = o->case_id, .reviewer = o->reviewer, .action = o->action,
        .violation = o->violation, .rationale = o->rationale, .rec_action = o->rec_action,
        .rec_violation = o->rec_violation, .notice = o->notice, .supersedes = o->supersedes,
        .approval = o->approval, .days = o->days, .rec_days = o->rec_days, .decided_at = o->decided_at,
        .overridden = o->overridden, .claim_override = o->claim_override,
        .policy_version = o->policy_version > 0 ? o->policy_version : 0,
    };
    int inserted = 0;
    fb_status rc = store_sync_put_decision(ctx->s, &d, ctx->now, &inserted, err);
    if (rc == FB_OK && inserted)
        ctx->rep->pulled_decisions++;
    outbox_msg_clear(&m);
    return rc;
}

static fb_status pull_appeal(void *vctx, const char *id, const char *decision_id, const char *case_id,
                             const char *text, int64_t at, fb_err *err)
{
    pull_ctx *ctx = vctx;
    if (pull_tick(ctx, err) != FB_OK)
        return err->status;
    ctx->rep->pulled_other++;
    return store_sync_put_appeal(ctx->s, id, decision_id, case_id, text, at, err);
}

static fb_status pull_approval(void *vctx, const char *decision_id, const char *approval, const char *by, int64_t at,
                               const char *rationale, fb_err *err)
{
    pull_ctx *ctx = vctx;
    if (pull_tick(ctx, err) != FB_OK)
        return err->status;
    ctx->rep->pulled_other++;
    return store_sync_put_approval(ctx->s, decision_id, approval, by, at, rationale, err);
}

static fb_status pull_claim(void *vctx, const char *case_id, const char *reviewer, int64_t until, fb_err *err)
{
    pull_ctx *ctx = vctx;
    if (pull_tick(ctx, err) != FB_OK)
        return err->status;
    return store_sync_put_claim(ctx->s, case_id, reviewer, until, err);
}

static fb_status pull_prior(void *vctx, const char *account, const char *action, const char *violation, int64_t at,
                            fb_err *err)
{
    pull_ctx *ctx = vctx;
    if (pull_tick(ctx, err) != FB_OK)
        return err->status;
    ctx->rep->pulled_other++;
    return store_sync_put_prior(ctx->s, account, action, violation, at, err);
}

static fb_status pull_note(void *vctx, const char *case_id, const char *reviewer, int64_t at, const char *text,
                           fb_err *err)
{
    pull_ctx *ctx = vctx;
    if (pull_tick(ctx, err) != FB_OK)
        return err->status;
    int inserted = 0;
    fb_status rc = FB_OK;
    if (case_id && reviewer && text)
        rc = store_sync_put_note(ctx->s, case_id, reviewer, at, text, &inserted, err);
    if (rc == FB_OK && inserted)
        ctx->rep->pulled_other++;
    return rc;
}

static fb_status pull_case_status(void *vctx, const char *case_id, const char *status, fb_err *err)
{
    pull_ctx *ctx = vctx;
    if (pull_tick(ctx, err) != FB_OK)
        return err->status;
    return case_id && status ? store_sync_case_status(ctx->s, case_id, status, err) : FB_OK;
}

fb_status sync_pull(fb_store *s, fb_upstream *up, fb_sync_report *rep, fb_err *err)
{
    static const upstream_pull_fns fns = {pull_case, pull_decision, pull_appeal, pull_approval, pull_claim,
                                          pull_prior, pull_note, pull_case_status};
    pull_ctx ctx = {s, NULL, rep, fb_now_ms(), 0};
    /* lazy: the rules are compiled only when a round pulls a case */
    fb_status rc = ingest_open_lazy(s, &ctx.in, err);
    if (rc != FB_OK)
        return rc;
    char *cursor = store_state_get(s, "pull_cursor");
    char next[32] = "";
    /* The new cursor commits after every row of the pull (in chunks, see PULL_CHUNK): a
     * pull cut half-way leaves the old cursor, and the next pull reads the same rows again
     * (all writes are upserts). */
    if ((rc = store_begin(s, err)) == FB_OK) {
        rc = upstream_pull(up, cursor, next, &fns, &ctx, err);
        if (rc == FB_OK)   /* rings and clusters the pulled cases closed, before the commit */
            rc = ingest_flush(ctx.in, NULL, err);
        if (rc == FB_OK)
            rc = store_state_set(s, "pull_cursor", next, err);
        if (rc == FB_OK)
            rc = store_commit(s, err);
        else
            store_rollback(s);
    }
    free(cursor);
    ingest_close(&ctx.in);
    return rc;
}

int sync_identity_problem(const char *reviewer, const char *login, int roles, char *msg, size_t n)
{
    if (!login || !*login)
        return 0;
    if (reviewer && strcmp(reviewer, login) != 0) {
        snprintf(msg, n,
                 "this console calls its reviewer \"%s\" but is logged in upstream as \"%s\": upstream records "
                 "work only under the login, so what \"%s\" decides is rejected; run with --reviewer %s "
                 "(or FBREVIEW_REVIEWER), or connect as %s's own login",
                 reviewer, login, reviewer, login, reviewer);
        return 1;
    }
    if (!(roles & (UPSTREAM_ROLE_REVIEWER | UPSTREAM_ROLE_LEAD))) {
        snprintf(msg, n,
                 "login \"%s\" has no reviewer role upstream: pushes are refused until the schema owner runs "
                 "`fbreview upstream grant %s reviewer`",
                 login, login);
        return 1;
    }
    return 0;
}

fb_status sync_team_policy(fb_store *s, int *version, char **body, fb_err *err)
{
    (void)err;
    *version = 0;
    *body = NULL;
    char *v = store_state_get(s, "policy_version");
    if (v && atoi(v) > 0 && (*body = store_state_get(s, "policy_body")) != NULL)
        *version = atoi(v);
    free(v);
    return FB_OK;
}

/* The team's current policy into the store, so the console uses it offline too: the
 * config text, and the phrase rules (or none) for the analyser (ingest_team_rules_set). */
static fb_status pull_policy(fb_store *s, fb_upstream *up, fb_err *err)
{
    upstream_policy pol;
    fb_status rc = upstream_policy_get(up, 0, &pol, err);
    char *have = rc == FB_OK && pol.version > 0 ? store_state_get(s, "policy_version") : NULL;
    if (rc == FB_OK && pol.version > 0 && (!have || atoi(have) != pol.version)) {
        char vs[16];
        snprintf(vs, sizeof vs, "%d", pol.version);
        if ((rc = store_begin(s, err)) == FB_OK) {
            rc = store_state_set(s, "policy_body", pol.body, err);
            if (rc == FB_OK)
                rc = ingest_team_rules_set(s, pol.version, pol.lexicon, pol.frames, err);
            if (rc == FB_OK)
                rc = store_state_set(s, "policy_version", vs, err);
            if (rc == FB_OK)
                rc = store_commit(s, err);
            else
                store_rollback(s);
        }
    }
    free(have);
    upstream_policy_clear(&pol);
    return rc;
}

fb_status sync_once(fb_store *s, fb_upstream *up, const fb_config *cfg, int64_t hold_ms, fb_sync_report *rep,
                    fb_err *err)
{
    fb_status rc = upstream_check_schema(up, err);
    if (rc == FB_OK)
        rc = sync_push(s, up, sync_batch_size(cfg), hold_ms, rep, err);
    /* The policy before the cases: cases pulled in this round are analysed with its rules. */
    if (rc == FB_OK)
        rc = pull_policy(s, up, err);
    if (rc == FB_OK)
        rc = sync_pull(s, up, rep, err);
    if (rc == FB_OK) {
        char t[40];
        rc = store_state_set(s, "last_sync_at", fb_time_format_utc(fb_now_ms(), t, sizeof t), err);
    }
    /* Local retention once the round is in: bounded, so a round stays short. */
    int days = retention_days(cfg);
    if (rc == FB_OK && days > 0)
        rc = retention_purge(s, "fbreview-retention", days, fb_now_ms(), 500, 0, &rep->purged, err);
    return rc;
}

fb_status sync_claim(fb_store *s, fb_upstream *up, const char *case_id, int64_t lease_ms, fb_claim_result *out,
                     fb_err *err)
{
    memset(out, 0, sizeof *out);
    fb_status rc = upstream_claim(up, case_id, lease_ms, &out->granted, out->holder, &out->until_ms, out->reason, err);
    if (rc != FB_OK)
        return rc;
    if ((rc = store_begin(s, err)) != FB_OK)
        return rc;
    rc = store_sync_put_claim(s, case_id, out->holder[0] ? out->holder : NULL, out->until_ms, err);
    if (rc == FB_OK)
        rc = store_commit(s, err);
    else
        store_rollback(s);
    return rc;
}

/* ---- the engine ---- */

struct fb_sync_engine {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop, kick;
    char *db_path, *upstream, *reviewer;
    const fb_config *cfg;
    int interval_ms;
    char claim_req[128];
    fb_sync_status st;
    fb_upstream *up;        /* the thread's connection, under mu: stop cancels its query */
};

static void engine_error(fb_sync_engine *e, const fb_err *err, int online)
{
    pthread_mutex_lock(&e->mu);
    snprintf(e->st.last_error, sizeof e->st.last_error, "%s", err->msg);
    e->st.online = online;
    pthread_mutex_unlock(&e->mu);
}

static void engine_counts(fb_sync_engine *e, fb_store *s)
{
    int64_t pending = 0, in_flight = 0, conflicts = 0, rejected = 0;
    fb_err err = {0};
    if (store_sync_counts(s, &pending, &in_flight, &conflicts, &rejected, &err) != FB_OK)
        return;
    char *pv = store_state_get(s, "policy_version");
    pthread_mutex_lock(&e->mu);
    e->st.pending = pending;
    e->st.conflicts = conflicts;
    e->st.policy_version = pv ? atoi(pv) : 0;
    e->st.rejected = rejected;
    pthread_mutex_unlock(&e->mu);
    free(pv);
}

/* The console's connections run without automatic checkpoints (STORE_INTERACTIVE), so
 * the WAL is copied back here, off the console's thread, between rounds: PASSIVE never
 * waits for and never blocks a writer (a decision being saved). */
static void engine_checkpoint(fb_store *s)
{
    fb_err err = {0};
    int left = 0;
    (void)store_checkpoint(s, STORE_CKPT_PASSIVE, &left, &err);
}

/* Waits ms or until kicked/stopped/asked to claim; returns 1 when asked to stop. */
static int engine_wait(fb_sync_engine *e, long ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&e->mu);
    while (!e->stop && !e->kick && !e->claim_req[0])
        if (pthread_cond_timedwait(&e->cv, &e->mu, &ts) == ETIMEDOUT)
            break;
    e->kick = 0;
    int stop = e->stop;
    pthread_mutex_unlock(&e->mu);
    return stop;
}

static long backoff_max_ms(void)
{
    const char *v = getenv("FBREVIEW_SYNC_BACKOFF_MAX_MS");
    long ms = v && *v ? atol(v) : 0;
    return ms > 0 ? ms : 30000;
}

static void *engine_main(void *arg)
{
    fb_sync_engine *e = arg;
    fb_store *s = NULL;
    fb_upstream *up = NULL;
    fb_err err = {0};
    long backoff = 0, max_backoff = backoff_max_ms();
    int64_t hold_ms = config_int(e->cfg, OPT_SYNC_UNDO_WINDOW) * 1000;
    /* STORE_INTERACTIVE: like the console's connection, no automatic checkpoints in a
     * commit; this thread checkpoints after each round instead (engine_checkpoint). */
    if (store_open(e->db_path, STORE_INTERACTIVE, &s, &err) != FB_OK) {
        engine_error(e, &err, 0);
        goto done;
    }
    engine_counts(e, s);
    for (;;) {
        fb_err_clear(&err);
        fb_status rc = FB_OK;
        if (!up || !upstream_alive(up)) {
            pthread_mutex_lock(&e->mu);
            e->up = NULL;
            pthread_mutex_unlock(&e->mu);
            upstream_close(&up);
            rc = upstream_connect(e->upstream, &up, &err);
            if (rc == FB_OK) {
                upstream_timeouts lim;
                sync_timeouts(e->cfg, &lim);
                upstream_set_timeouts(up, &lim);
                /* Who upstream says we are, told at once (the status line). */
                char login[128];
                int roles = 0;
                rc = upstream_check_schema(up, &err);
                if (rc == FB_OK)
                    rc = upstream_whoami(up, login, &roles, &err);
                pthread_mutex_lock(&e->mu);
                if (rc == FB_OK) {
                    snprintf(e->st.login, sizeof e->st.login, "%s", login);
                    e->st.roles = roles;
                    e->st.login_differs = strcmp(login, e->reviewer) != 0;
                }
                e->up = up;
                int stop = e->stop;
                pthread_mutex_unlock(&e->mu);
                if (stop)
                    break;
            }
        }
        char claim[128] = "";
        pthread_mutex_lock(&e->mu);
        snprintf(claim, sizeof claim, "%s", e->claim_req);
        e->claim_req[0] = '\0';
        e->st.rounds_started++;
        pthread_mutex_unlock(&e->mu);
        if (rc == FB_OK && claim[0]) {
            fb_claim_result cr;
            rc = sync_claim(s, up, claim, SYNC_LEASE_MS_DEFAULT, &cr, &err);
            if (rc == FB_OK) {
                pthread_mutex_lock(&e->mu);
                snprintf(e->st.claim_case, sizeof e->st.claim_case, "%s", claim);
                e->st.claim = cr;
                pthread_mutex_unlock(&e->mu);
            }
        }
        if (rc == FB_OK) {
            fb_sync_report rep = {0};
            rc = sync_once(s, up, e->cfg, hold_ms, &rep, &err);
        }
        engine_counts(e, s);
        engine_checkpoint(s);
        pthread_mutex_lock(&e->mu);
        int stopping = e->stop;
        pthread_mutex_unlock(&e->mu);
        if (stopping)
            break;
        long wait = e->interval_ms;
        /* A row waiting out its undo window (or a hold) goes up when that ends, not a
         * whole interval later; a console lifting its hold kicks the engine. */
        int64_t release = 0, now = fb_now_ms();
        fb_err qerr = {0};
        if (rc == FB_OK && store_sync_outbox_next_release(s, now, hold_ms, &release, &qerr) == FB_OK && release) {
            int64_t due = release - now + 50;
            if (due < 50)
                due = 50;
            if (due < wait)
                wait = (long)due;
        }
        if (rc == FB_OK) {
            backoff = 0;
            pthread_mutex_lock(&e->mu);
            e->st.online = 1;
            e->st.last_sync_ms = fb_now_ms();
            e->st.last_error[0] = '\0';
            pthread_mutex_unlock(&e->mu);
        } else {
            /* Exponential backoff (0.5 s doubling up to the cap) so a down server is not hammered. */
            backoff = backoff ? backoff * 2 : 500;
            if (backoff > max_backoff)
                backoff = max_backoff;
            wait = backoff;
            engine_error(e, &err, up && upstream_alive(up));
            if (up && !upstream_alive(up)) {
                pthread_mutex_lock(&e->mu);
                e->up = NULL;
                pthread_mutex_unlock(&e->mu);
                upstream_close(&up);
            }
        }
        pthread_mutex_lock(&e->mu);
        e->st.rounds_done++;
        pthread_mutex_unlock(&e->mu);
        if (engine_wait(e, wait))
            break;
    }
done:
    pthread_mutex_lock(&e->mu);
    e->up = NULL;
    pthread_mutex_unlock(&e->mu);
    upstream_close(&up);
    store_close(&s);
    pthread_mutex_lock(&e->mu);
    e->st.running = 0;
    e->st.online = 0;
    pthread_cond_broadcast(&e->cv);
    pthread_mutex_unlock(&e->mu);
    return NULL;
}

fb_status sync_engine_start(const char *db_path, const char *upstream, const fb_config *cfg, const char *reviewer,
                            int interval_ms, fb_sync_engine **out, fb_err *err)
{
    *out = NULL;
    if (!upstream || !*upstream)
        return fb_err_set(err, FB_ECONFIG,
                          "no upstream: set FBREVIEW_UPSTREAM or [sync] upstream in the config");
    fb_sync_engine *e = calloc(1, sizeof *e);
    if (!e)
        return fb_err_set(err, FB_ENOMEM, "out of memory");
    pthread_mutex_init(&e->mu, NULL);
    pthread_cond_init(&e->cv, NULL);
    e->db_path = fb_strdup(db_path);
    e->upstream = fb_strdup(upstream);
    e->reviewer = fb_strdup(reviewer);
    e->cfg = cfg;
    e->interval_ms = interval_ms > 0 ? interval_ms : 5000;
    e->st.running = 1;
    if (pthread_create(&e->thread, NULL, engine_main, e) != 0) {
        free(e->db_path);
        free(e->upstream);
        free(e->reviewer);
        free(e);
        return fb_err_set(err, FB_EINTERNAL, "cannot start the sync thread");
    }
    *out = e;
    return FB_OK;
}

void sync_engine_stop(fb_sync_engine **ep)
{
    fb_sync_engine *e = ep ? *ep : NULL;
    if (!e)
        return;
    /* A query the server keeps waiting (a lock, a slow statement) is cancelled, so
     * stopping never waits on the server; the thread sees stop and ends. */
    pthread_mutex_lock(&e->mu);
    e->stop = 1;
    pthread_cond_broadcast(&e->cv);
    /* Again every 100 ms until the thread ends: a cancel that lands between two
     * statements finds nothing to cancel, and the next statement may wait in turn. */
    while (e->st.running) {
        if (e->up)
            upstream_cancel(e->up);
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 100 * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&e->cv, &e->mu, &ts);
    }
    pthread_mutex_unlock(&e->mu);
    pthread_join(e->thread, NULL);
    pthread_mutex_destroy(&e->mu);
    pthread_cond_destroy(&e->cv);
    free(e->db_path);
    if (e->upstream)
        memset(e->upstream, 0, strlen(e->upstream));
    free(e->upstream);
    free(e->reviewer);
    free(e);
    *ep = NULL;
}

void sync_engine_status(fb_sync_engine *e, fb_sync_status *out)
{
    pthread_mutex_lock(&e->mu);
    *out = e->st;
    pthread_mutex_unlock(&e->mu);
}

void sync_engine_kick(fb_sync_engine *e)
{
    pthread_mutex_lock(&e->mu);
    e->kick = 1;
    pthread_cond_signal(&e->cv);
    pthread_mutex_unlock(&e->mu);
}

void sync_engine_claim(fb_sync_engine *e, const char *case_id)
{
    pthread_mutex_lock(&e->mu);
    snprintf(e->claim_req, sizeof e->claim_req, "%s", case_id);
    pthread_cond_signal(&e->cv);
    pthread_mutex_unlock(&e->mu);
}
