#ifndef FBREVIEW_STORE_EXPORT_H
#define FBREVIEW_STORE_EXPORT_H
/* A streaming cursor over decisions for the CSV export (DESIGN.md §7): one row at a time
 * straight from SQLite, in (decided_at, id) order, so memory stays flat whatever the
 * number of decisions. Undone decisions are never exported. */

#include <stddef.h>
#include <stdint.h>

#include "fbreview/err.h"
#include "fbreview/store.h"

/* Which decisions; a zero-initialised filter means all of them. */
typedef struct export_filter {
    int has_since;
    int64_t since;           /* ms UTC, inclusive */
    int has_until;
    int64_t until;           /* ms UTC, exclusive */
    const char *action;      /* an action id ("block"), NULL for any */
    const char *reviewer;    /* exact reviewer name, NULL for any */
} export_filter;

/* Text as stored: p is NULL for SQL NULL; len excludes the terminating NUL. */
typedef struct store_text {
    const char *p;
    size_t len;
} store_text;

/* One decision joined with its case. Pointers stay valid until the next
 * store_export_next or store_export_close. */
typedef struct store_export_row {
    store_text decision_id, case_id;
    int64_t decided_at;              /* ms UTC */
    store_text reviewer, action, violation;
    int has_days;
    int64_t days;                    /* suspension days */
    store_text subject, counterparty, contract_id;
    store_text rec_action;
    int overridden;
    store_text approval;             /* as stored: none, pending, approved, rejected */
    store_text approval_by;          /* who approved or sent back */
    store_text approval_rationale;
    store_text supersedes, rationale, sync_state;
    int has_synced_at;
    int64_t synced_at;               /* ms UTC */
    int policy_version;              /* 0: none (local config) */
} store_export_row;

typedef struct store_export_cursor store_export_cursor;

/* Starts the query. While the cursor is open the store is reading one consistent
 * snapshot (one statement); close it before other work on the same store. */
fb_status store_export_open(fb_store *s, const export_filter *f,
                            store_export_cursor **out,   /* OUT: store_export_close() it */
                            fb_err *err);
/* 1 and *row filled, 0 at the end, -1 on error (err set). */
int store_export_next(store_export_cursor *c,
                      store_export_row *row,              /* OUT */
                      fb_err *err);
void store_export_close(store_export_cursor **c);

#endif
