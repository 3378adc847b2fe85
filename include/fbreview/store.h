#ifndef FBREVIEW_STORE_H
#define FBREVIEW_STORE_H
/* The local SQLite store: open (creating or migrating), transactions, stats, integrity.
 * src/store/ is the only place that writes SQL for the local store. */

#include <stdint.h>
#include "fbreview/err.h"

#define FB_STORE_APP_ID 0x46425256      /* "FBRV" */
#define FB_SCHEMA_VERSION 1

typedef struct fb_store fb_store;

enum {
    STORE_CREATE   = 1 << 0,   /* create the file (and its folder) when missing */
    STORE_READONLY = 1 << 1,
};

fb_status store_open(const char *path, int flags,
                     fb_store **out,        /* OUT */
                     fb_err *err);
void store_close(fb_store **s);
const char *store_path(const fb_store *s);

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
