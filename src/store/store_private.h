#ifndef FBREVIEW_STORE_PRIVATE_H
#define FBREVIEW_STORE_PRIVATE_H
/* Shared by the files of src/store/ only. */
#include <sqlite3.h>
#include "fbreview/model.h"
#include "fbreview/store.h"

struct fb_store {
    sqlite3 *db;
    char *path;
    /* Prepared statements cached by the address of their (static) SQL text, as many as
     * the code has. A statement held by a walk that calls back (store_stmt_hold) is never
     * handed out again until released: a callback running the same query gets another. */
    struct store_cached { const char *sql; sqlite3_stmt *st; int held; } *cache;
    size_t n_cache;
    int flags;            /* store_open's flags */
    int busy_ms;          /* how long a statement waits for another connection's lock */
    int64_t busy_since;   /* when the current wait began (monotonic ms) */
};

/* A cached, reset, unbound statement for static SQL text; NULL with err set on failure.
 * The statement is the caller's until its next call into the store. */
sqlite3_stmt *store_stmt(fb_store *s, const char *sql, fb_err *err);
/* The same, held until store_stmt_release: for a walk that calls back into code that may
 * use the store (and the same query) while the walk's rows are being read. */
sqlite3_stmt *store_stmt_hold(fb_store *s, const char *sql, fb_err *err);
/* Resets a held statement and returns it to the cache (NULL is fine). */
void store_stmt_release(fb_store *s, sqlite3_stmt *st);
/* Sets err from the connection's last error, with what we were doing. */
fb_status store_fail(fb_store *s, fb_err *err, const char *doing);
/* Binding helpers: NULL strings bind as SQL NULL; zero times bind as NULL. */
void store_bind_text(sqlite3_stmt *st, int i, const char *v);
void store_bind_time(sqlite3_stmt *st, int i, int64_t ms);
/* Column helpers: a malloc'd copy (NULL for SQL NULL). */
char *store_col_text(sqlite3_stmt *st, int i);
/* Runs a statement that returns no rows to completion. */
fb_status store_step_done(fb_store *s, sqlite3_stmt *st, fb_err *err, const char *doing);

/* 1 when text has three characters (not bytes) or more: the trigram index
 * (account_name_fts) finds nothing shorter. */
static inline int store_trigram_term(const char *t)
{
    int n = 0;
    for (; *t && n < 3; t++)
        n += ((unsigned char)*t & 0xC0) != 0x80;
    return n >= 3;
}

/* Cross-case structure kept by store_case_put (store_structure.c). Before a case's evidence
 * is replaced, its identifying links and ring praise are read (and the praise removed);
 * after the case is written, clusters and rings are brought up to date and the cases whose
 * cross-case signals may have changed are marked pending. r is NULL for a new case. */
typedef struct store_pair { char *a, *b; } store_pair;
typedef struct store_replace {
    store_pair *links;  size_t n_links;    /* identifying links (fb_link_joins) */
    store_pair *praise; size_t n_praise;   /* hire praise: a hired b and gave 5 stars */
} store_replace;
fb_status store_structure_before_replace(fb_store *s, const char *case_id, store_replace *r, fb_err *err);
/* *self (when self is not NULL) says whether c itself reaches other cases and should be
 * weighed; with self NULL such a case is marked pending instead. */
fb_status store_structure_after_put(fb_store *s, const fb_case *c, store_replace *r, int *self, fb_err *err);
void store_replace_free(store_replace *r);

#endif
