#ifndef FBREVIEW_SYNC_H
#define FBREVIEW_SYNC_H
/* Sync with the shared upstream (DESIGN.md §8): push the outbox, pull what changed,
 * claim cases; and an engine that does this beside the console without blocking it.
 * Talks to PostgreSQL only through fbreview/upstream.h. */

#include <stddef.h>
#include <stdint.h>

#include "fbreview/config.h"
#include "fbreview/err.h"
#include "fbreview/store.h"
#include "fbreview/upstream.h"

/* Batch size ([sync] batch in the options table, fbreview/config.h), 3000 rows by default: past 50,000 decisions/s on a local server (a batch's fixed costs, a
 * transaction and a temp table, are spread thin) within the 32 MB budget (DESIGN.md §9):
 * a push holds two batches' rows at once. SYNC_BATCH_BYTES caps a batch's outbox text
 * as well, so long rationales make batches shorter, not the process bigger. */
#define SYNC_BATCH_BYTES (2u * 1024 * 1024)
#define SYNC_LEASE_MS_DEFAULT (15 * 60 * 1000)

typedef struct fb_sync_report {
    long pushed, accepted, conflicts, rejected;     /* outbox rows answered this run */
    long batches;
    long pulled_cases, pulled_decisions, pulled_other;
    long pulled_bad;                                /* upstream cases this binary cannot read (skipped) */
    long purged;                                    /* cases whose evidence local retention removed */
    /* Optional: told about every answer that is not "accepted" (conflicts name the winner)
     * and about each pulled case skipped as unreadable (kind "case"). */
    void (*on_refused)(void *ctx, const char *kind, const char *ref, upstream_outcome outcome, const char *reason);
    void *ctx;
} fb_sync_report;

/* The upstream transaction limits from [sync] (milliseconds). */
void sync_timeouts(const fb_config *cfg, upstream_timeouts *out);
/* Batch size: FBREVIEW_SYNC_BATCH, else config [sync] batch (its default when unset). */
size_t sync_batch_size(const fb_config *cfg);

/* Pushes every outbox row in order, in batches (one upstream transaction each); each
 * row is marked in flight locally before it goes and answered locally only after
 * upstream committed. Rows younger than hold_ms wait (sync_once). */
fb_status sync_push(fb_store *s, fb_upstream *up, size_t batch, int64_t hold_ms, fb_sync_report *rep, fb_err *err);
/* Pulls rows changed upstream since the cursor (sync_state "pull_cursor") in one local
 * transaction together with the new cursor. Cases go through ingest_case (origin
 * "upstream"). */
fb_status sync_pull(fb_store *s, fb_upstream *up, fb_sync_report *rep, fb_err *err);
/* Says on stderr-ready text (msg, n bytes) how the console's reviewer name and upstream's
 * login disagree, or that the login has no fbreview role; returns 0 when all is well. */
int sync_identity_problem(const char *reviewer, const char *login, int roles, char *msg, size_t n);
/* The team policy last pulled (sync_state policy_version / policy_body): version 0 and
 * body NULL when none; *body is malloc'd. */
fb_status sync_team_policy(fb_store *s, int *version, char **body, fb_err *err);
/* Push, then pull (and the team's current policy); records last_sync_at. hold_ms is the
 * undo window: outbox rows younger than it (and every row behind them) wait for a later
 * push; 0 pushes everything (the CLI's `sync --once`). The engine holds rows for
 * [sync] undo_window. */
fb_status sync_once(fb_store *s, fb_upstream *up, const fb_config *cfg, int64_t hold_ms, fb_sync_report *rep,
                    fb_err *err);

/* Takes or renews the lease on a case for the upstream login and reflects the result
 * locally (case.claim_by/claim_until). granted = 0 names the other holder. */
typedef struct fb_claim_result {
    int granted;
    char holder[128];
    int64_t until_ms;
    char reason[256];           /* why the lifecycle refused the claim ("": not refused by it) */
} fb_claim_result;
fb_status sync_claim(fb_store *s, fb_upstream *up, const char *case_id, int64_t lease_ms,
                     fb_claim_result *out, fb_err *err);

/* ---- the engine beside the console ---- */

typedef struct fb_sync_status {
    int running;                /* the engine thread is alive */
    int online;                 /* the last contact with upstream worked */
    int64_t pending;            /* outbox rows not yet answered */
    int64_t conflicts;          /* local decisions upstream answered with a conflict */
    int64_t rejected;           /* local decisions upstream rejected, not yet answered */
    int64_t last_sync_ms;       /* 0 = never */
    char last_error[512];       /* "" when the last round worked; never holds credentials */
    char claim_case[128];       /* the last claim request's answer */
    fb_claim_result claim;
    char login[128];            /* who upstream says we are ("" until connected) */
    int roles;                  /* UPSTREAM_ROLE_* bits of that login */
    int login_differs;          /* the console's reviewer name is not the login */
    int policy_version;         /* the team policy in the store (0: none pulled) */
    /* Rounds begun and finished (worked or not): a round begun after a kick has seen every
     * claim requested before it, which `:sync` in a script waits for. */
    int64_t rounds_started, rounds_done;
} fb_sync_status;

typedef struct fb_sync_engine fb_sync_engine;

/* Starts a thread with its own store connection (db_path) and its own upstream
 * connection; it syncs every interval_ms (and when kicked), backing off on failure.
 * cfg must outlive the engine. The console never waits on it. */
fb_status sync_engine_start(const char *db_path, const char *upstream, const fb_config *cfg, const char *reviewer,
                            int interval_ms,
                            fb_sync_engine **out,    /* OUT */
                            fb_err *err);
/* Asks the thread to finish its current step and joins it. */
void sync_engine_stop(fb_sync_engine **e);
/* A consistent copy of the status (thread-safe, never blocks on the network). */
void sync_engine_status(fb_sync_engine *e, fb_sync_status *out);
/* Sync now (`:sync`). */
void sync_engine_kick(fb_sync_engine *e);
/* Queues a claim on case_id (opening a case); the answer shows in the status and in the
 * case's claim_by/claim_until once the engine thread has it. */
void sync_engine_claim(fb_sync_engine *e, const char *case_id);

#endif
