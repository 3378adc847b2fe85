#ifndef FBREVIEW_STORE_H
#define FBREVIEW_STORE_H
/* The local SQLite store: open (creating or migrating), transactions, stats, integrity.
 * src/store/ is the only place that writes SQL for the local store. */

#include <stdint.h>
#include "fbreview/err.h"

#define FB_STORE_APP_ID 0x46425256      /* "FBRV" */
#define FB_SCHEMA_VERSION 10

typedef struct fb_store fb_store;

enum {
    STORE_CREATE   = 1 << 0,   /* create the file (0600) when missing; its folder must exist */
    STORE_READONLY = 1 << 1,   /* open read-only: no write, no pragma that changes the file */
    /* An interactive session (the console and its sync thread): no automatic WAL
     * checkpoints (PRAGMA wal_autocheckpoint=0), so a commit never runs one inside the
     * call that saves a decision. The owner runs store_checkpoint() when idle (the sync
     * engine does, on its own connection, after each round) and store_close() of such a
     * connection tries a TRUNCATE checkpoint. CLI commands do not set it: they keep
     * SQLite's automatic checkpoints. */
    STORE_INTERACTIVE = 1 << 2,
    STORE_MKDIR    = 1 << 3,   /* with STORE_CREATE: create missing folders (0700); the default
                                * XDG location only, never a path the user typed */
    STORE_READ_OK  = 1 << 4,   /* the caller only reads: a store whose file or folder the user
                                * may not write opens read-only instead of failing */
    /* Background work in batches that writes only derived data (re-analysis): before each
     * transaction it waits while another connection of this process is starting one, so a
     * decision saved beside it waits for at most the batch already running; its commits
     * are not flushed one by one (synchronous=NORMAL: atomic, durable with the next FULL
     * commit or checkpoint). */
    STORE_BACKGROUND = 1 << 5,
};

/* Opening reads the file's header (application_id, user_version) before anything that could
 * change the file: a file that is not an fbreview store is refused unchanged, with no
 * -wal or -shm left beside it. */
fb_status store_open(const char *path, int flags,
                     fb_store **out,        /* OUT */
                     fb_err *err);
/* Closes; a STORE_INTERACTIVE writer first tries a TRUNCATE checkpoint (waiting at most
 * ~250 ms for readers; a busy store keeps its WAL for the next checkpoint). */
void store_close(fb_store **s);

typedef enum store_ckpt_mode {
    STORE_CKPT_PASSIVE,    /* copies what it can without waiting for anyone (safe any time) */
    STORE_CKPT_TRUNCATE,   /* waits briefly for readers/writers, then empties the -wal file */
} store_ckpt_mode;
/* Checkpoints the WAL into the database (call outside a transaction). frames_left (may
 * be NULL) receives the WAL frames not yet copied (0: fully checkpointed; -1: the store
 * is not in WAL mode). A checkpoint that cannot finish because of another connection
 * (SQLITE_BUSY) is not an error: frames_left says how far it got. */
fb_status store_checkpoint(fb_store *s, store_ckpt_mode mode, int *frames_left, fb_err *err);
const char *store_path(const fb_store *s);
/* Another connection (a second process, the sync engine's thread) committed to the
 * store when this number changed since the last look (PRAGMA data_version; this
 * connection's own commits leave it alone). -1 on error. */
int64_t store_data_version(fb_store *s);
/* The newest audit row's seq (0: none): every local change of a decision, approval,
 * appeal or note writes one, so a changed head means the queue counts moved. */
int64_t store_audit_head(fb_store *s);
/* Database pages this connection looked at (SQLite's cache hits and misses) since the last
 * call: the work of what ran in between, counted rather than timed (a test bounds a
 * query's work with it, whatever the machine's speed). */
int64_t store_pages_read(fb_store *s);
/* 1 when the store is open read-only (asked for, or chosen by STORE_READ_OK). */
int store_readonly(const fb_store *s);
/* 1 inside a transaction this connection began (store_begin), 0 outside. */
int store_in_transaction(const fb_store *s);

/* Transactions. begin is BEGIN IMMEDIATE so a writer never fails half-way on a lock. */
fb_status store_begin(fb_store *s, fb_err *err);
fb_status store_commit(fb_store *s, fb_err *err);
void store_rollback(fb_store *s);
/* Bulk mode (demo generation): synchronous=OFF and foreign-key checks off until turned off
 * again (call it outside a transaction). Never for decisions. Safe for store_case_put, which
 * writes every parent row (case, account) before its children; the checks cost ~12% of a
 * demo fill, and `fbreview verify` (store_check_integrity) still finds any dangling row. */
void store_set_bulk(fb_store *s, int on);
/* Foreign-key enforcement off (0) or on (1); outside a transaction only (SQLite ignores it
 * inside one). For bulk writers that write parents before children (store_case_put),
 * with synchronous left FULL: `fbreview verify` checks the keys afterwards. */
fb_status store_set_foreign_keys(fb_store *s, int on, fb_err *err);

/* Key/value rows of sync_state. get returns a malloc'd string or NULL. */
char *store_state_get(fb_store *s, const char *key);
fb_status store_state_set(fb_store *s, const char *key, const char *value, fb_err *err);

/* A callback receives one (group, key, count) row at a time: stats stream, never build lists. */
typedef void (*store_stats_fn)(void *ctx, const char *group, const char *key, int64_t count);
fb_status store_stats(fb_store *s, store_stats_fn fn, void *ctx, fb_err *err);

/* PRAGMA integrity_check and foreign_key_check; FB_EINPUT with the first finding. */
fb_status store_check_integrity(fb_store *s, fb_err *err);

#endif
