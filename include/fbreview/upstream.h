#ifndef FBREVIEW_UPSTREAM_H
#define FBREVIEW_UPSTREAM_H
/* The shared upstream PostgreSQL, seen from the sync engine. Only src/sync/upstream_pg.c
 * knows libpq; everything else talks through these calls.
 *
 * Every call is one or more whole transactions: nothing (prepared statements, advisory
 * locks, LISTEN, temp tables) outlives a transaction, so the connection may go through
 * pgbouncer in transaction mode and many consoles share one server.
 * Error messages never contain the connection string or its password. */

#include <stddef.h>
#include <stdint.h>

#include "fbreview/err.h"

typedef struct fb_upstream fb_upstream;

/* conninfo: a libpq connection string, a URI or "service=NAME"; connect_timeout and
 * keepalives get defaults when the string does not set them. */
fb_status upstream_connect(const char *conninfo,
                           fb_upstream **out,      /* OUT */
                           fb_err *err);
void upstream_close(fb_upstream **up);
/* 1 while the connection looks usable. */
int upstream_alive(fb_upstream *up);
/* Drops and re-opens the connection (after a failure). */
fb_status upstream_reconnect(fb_upstream *up, fb_err *err);

/* Limits every transaction upstream runs with (SET LOCAL after each BEGIN, so they hold
 * through pgbouncer in transaction mode); milliseconds, 0 = the server's setting. A new
 * connection starts with the options table's defaults ([sync] statement_timeout, ...). */
typedef struct upstream_timeouts {
    long statement_ms, lock_ms, idle_in_transaction_ms;
} upstream_timeouts;
void upstream_set_timeouts(fb_upstream *up, const upstream_timeouts *t);
/* Asks the server to cancel the query this connection is running, if any. Safe to call
 * from another thread while the owning thread waits on the query (PQcancel). */
void upstream_cancel(fb_upstream *up);

/* Who upstream says we are: the login (session_user) and its fbreview roles. */
enum { UPSTREAM_ROLE_REVIEWER = 1, UPSTREAM_ROLE_LEAD = 2, UPSTREAM_ROLE_ADMIN = 4 };
fb_status upstream_whoami(fb_upstream *up,
                          char login[128],          /* OUT */
                          int *roles,               /* OUT: UPSTREAM_ROLE_* bits */
                          fb_err *err);
/* Grants (grant = 1) or revokes the group role fbreview_<role> (role: reviewer, lead or
 * admin) to or from an existing login. The schema owner runs it. */
fb_status upstream_grant(fb_upstream *up, const char *login, const char *role, int grant, fb_err *err);

/* ---- the team's policy ---- */
/* The [policy] settings upstream's judge reads (lifecycle_settings), from cfg, as a JSON
 * object (malloc'd; NULL when out of memory). */
char *upstream_policy_settings(const fb_config *cfg);
/* One published version. lexicon and frames are the message analyser's phrase rules in
 * the format of data/lexicon.tsv and data/frames.tsv (NULL: this version carries none). */
typedef struct upstream_policy {
    int version;                /* 0: none */
    char *body;                 /* [policy] and [ladder] in the config's format */
    char *settings;             /* the settings upstream's judge reads, as JSON */
    char *lexicon, *frames;
    char published_by[128];
    int64_t published_at;
} upstream_policy;
void upstream_policy_clear(upstream_policy *p);
/* Publishes p's body, settings (the JSON of upstream_policy_settings), lexicon and frames
 * (both or neither) as a new version (admin); p->version is set. */
fb_status upstream_policy_publish(fb_upstream *up, upstream_policy *p, fb_err *err);
/* Version `version` (0: the current one) into *out (cleared first); out->version 0 when
 * none was ever published. */
fb_status upstream_policy_get(fb_upstream *up, int version, upstream_policy *out, fb_err *err);

/* ---- the upstream audit ---- */
typedef struct upstream_audit_report {
    int64_t rows;        /* rows checked */
    int64_t bad_id;      /* the first bad row (0: the chain holds) */
    char why[256];
} upstream_audit_report;
/* Recomputes the hash chain of fb_audit (here, not on the server) in id order. */
fb_status upstream_audit_verify(fb_upstream *up, upstream_audit_report *rep, fb_err *err);

/* Creates or upgrades the schema (upstream.sql's migrations), then writes the lifecycle
 * table (core/lifecycle.h) into fb_lc_transition, which the judging SQL joins. */
fb_status upstream_init(fb_upstream *up,
                        int *from_version,          /* OUT */
                        int *to_version,            /* OUT */
                        fb_err *err);
/* The schema version upstream has (0 when none); FB_EUPSTREAM with advice when older
 * than this binary's. */
fb_status upstream_check_schema(fb_upstream *up, fb_err *err);

/* ---- putting cases upstream (upstream import): all in ONE transaction ---- */
fb_status upstream_cases_begin(fb_upstream *up, fb_err *err);
/* doc: the case's JSON object text. */
fb_status upstream_cases_add(fb_upstream *up, long line, const char *case_id, const char *doc, fb_err *err);
typedef struct upstream_import_report {
    long added, updated, kept;   /* kept: has an accepted decision, evidence unchanged */
} upstream_import_report;
fb_status upstream_cases_commit(fb_upstream *up, upstream_import_report *rep, fb_err *err);
void upstream_cases_abort(fb_upstream *up);

/* ---- push ---- */
typedef struct upstream_item {
    int64_t seq;              /* outbox order */
    const char *kind;         /* decision | approval | appeal | note | undo */
    const char *ref;          /* decisions: the decision UUID (checked by the caller) */
    const char *case_id;      /* decisions: the payload's case_id */
    const char *payload;      /* JSON text (schema.sql's outbox contract) */
    /* decisions: the payload's other fields as text (NULL = none), read and checked by the
     * caller, so upstream takes typed columns instead of digging in JSON */
    const char *reviewer, *action, *violation, *days, *decided_at, *supersedes, *approval, *claim_override,
        *policy_version;
} upstream_item;

typedef enum upstream_outcome {
    UPSTREAM_ACCEPTED,
    UPSTREAM_CONFLICT,
    UPSTREAM_REJECTED,
} upstream_outcome;

typedef struct upstream_answer {
    upstream_outcome outcome;
    /* upstream's words on conflict/reject, malloc'd (NULL when accepted): a push holds
     * three batches of answers at once, and nearly all are "accepted".
     * upstream_answers_clear() frees them. */
    char *reason;
    char winner[37];          /* conflict: the standing decision that won ("" when none, e.g. a claim) */
} upstream_answer;

/* Frees the reasons of n answers and sets them NULL (before answers are reused). */
void upstream_answers_clear(upstream_answer *answers, size_t n);

/* Pushes n items in ONE transaction and answers each (answers[i] for items[i]) after
 * COMMIT succeeded; answers must hold no reasons (zeroed or cleared). Either all decisions with distinct case ids (staged with COPY, judged
 * set-based) or no decisions at all (applied one by one in order). Idempotent: an item
 * already upstream answers what upstream recorded the first time. */
fb_status upstream_push(fb_upstream *up, const upstream_item *items, size_t n,
                        upstream_answer *answers,   /* OUT: n entries */
                        fb_err *err);

/* ---- pull ---- */
typedef struct upstream_pull_fns {
    fb_status (*on_case)(void *ctx, const char *case_id, const char *doc, const char *status,
                         fb_err *err);
    /* an accepted decision, as its outbox payload JSON */
    fb_status (*on_decision)(void *ctx, const char *payload, fb_err *err);
    fb_status (*on_appeal)(void *ctx, const char *appeal_id, const char *decision_id, const char *case_id,
                           const char *text, int64_t received_at, fb_err *err);
    fb_status (*on_approval)(void *ctx, const char *decision_id, const char *approval, const char *by,
                             int64_t at, const char *rationale /* NULL when none */, fb_err *err);
    fb_status (*on_claim)(void *ctx, const char *case_id, const char *reviewer, int64_t until_ms, fb_err *err);
    fb_status (*on_prior)(void *ctx, const char *account_id, const char *action, const char *violation,
                          int64_t at, fb_err *err);
    /* a note (any console's, ours included: the key is (case_id, reviewer, at, text)) */
    fb_status (*on_note)(void *ctx, const char *case_id, const char *reviewer, int64_t at, const char *text,
                         fb_err *err);
    /* last: every changed case's upstream status once more, after all the rows above */
    fb_status (*on_case_status)(void *ctx, const char *case_id, const char *status, fb_err *err);
} upstream_pull_fns;

/* Streams every row written by transactions with cursor <= xid < horizon, where horizon
 * is the xmin of the pull's own snapshot (upstream.sql explains why nothing committed
 * late is skipped); next_cursor receives the horizon. cursor "" or NULL starts at 0.
 * Rows arrive in this order: cases, prior actions, decisions, approvals, appeals, claims,
 * notes, and last the changed cases' statuses again. */
fb_status upstream_pull(fb_upstream *up, const char *cursor,
                        char next_cursor[32],       /* OUT */
                        const upstream_pull_fns *fns, void *ctx,
                        fb_err *err);

/* ---- claims ---- */
/* Takes or renews a lease of lease_ms on case_id for the login with one conditional upsert:
 * granted when the lifecycle lets the login claim the case in its status and there is no
 * live claim or the login already holds it. Otherwise holder and until name the claim
 * upstream has (if any) and reason says why the lifecycle refused ("" when the refusal is
 * another's live claim). Times are upstream's clock. */
fb_status upstream_claim(fb_upstream *up, const char *case_id, int64_t lease_ms,
                         int *granted,              /* OUT */
                         char holder[128],          /* OUT */
                         int64_t *until_ms,         /* OUT */
                         char reason[256],          /* OUT */
                         fb_err *err);
/* Gives the login's own claim back: the lease is expired in place. */
fb_status upstream_release(fb_upstream *up, const char *case_id, fb_err *err);

#endif
