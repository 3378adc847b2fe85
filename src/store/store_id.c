/* Ids as people type them: see include/fbreview/store_id.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/store_id.h"
#include "store_private.h"

/* Decision ids are lower-case UUIDs (libuuid, or upstream's gen_random_uuid), so a prefix
 * is a key range [p, p with its last character raised): the primary key answers it. */
static const char sql_decision_exact[] = "SELECT id FROM decision WHERE id = ?1";
static const char sql_decision_range[] = "SELECT id FROM decision WHERE id >= ?1 AND id < ?2 ORDER BY id LIMIT ?3";

/* The exact id first (the primary key); only then the ids equal ignoring ASCII case. */
static const char sql_case_exact[] = "SELECT id FROM \"case\" WHERE id = ?1";
static const char sql_case_nocase[] = "SELECT id FROM \"case\" WHERE id = ?1 COLLATE NOCASE ORDER BY id LIMIT ?2";

/* Steps a bound statement of ids: returns how many rows (-1 on a store error), the first
 * id in *first (malloc'd) and up to STORE_ID_CANDIDATES of them, comma-separated, in list. */
static int collect(fb_store *s, sqlite3_stmt *st, char **first, char *list, size_t list_size, fb_err *err,
                   const char *doing)
{
    int n = 0, rc;
    size_t len = 0;
    list[0] = '\0';
    *first = NULL;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        if (!id)
            continue;
        if (n == 0 && !(*first = strdup(id))) {
            sqlite3_reset(st);
            fb_err_set(err, FB_ENOMEM, "out of memory");
            return -1;
        }
        if (n < STORE_ID_CANDIDATES && len < list_size)
            len += (size_t)snprintf(list + len, list_size - len, "%s%s", n ? ", " : "", id);
        n++;
    }
    if (rc != SQLITE_DONE) {
        store_fail(s, err, doing);
        sqlite3_reset(st);
        free(*first);
        *first = NULL;
        return -1;
    }
    sqlite3_reset(st);
    return n;
}

/* Whether typed could be part of a UUID; its lower-case form into low. */
static int uuid_chars(const char *typed, size_t n, char *low)
{
    for (size_t i = 0; i < n; i++) {
        char c = typed[i];
        if (c >= 'A' && c <= 'F')
            c = (char)(c - 'A' + 'a');
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-'))
            return 0;
        low[i] = c;
    }
    low[n] = '\0';
    return 1;
}

fb_status store_id_decision(fb_store *s, const char *typed, char **out, fb_err *err)
{
    *out = NULL;
    size_t n = typed ? strlen(typed) : 0;
    char lo[37], hi[37], list[STORE_ID_CANDIDATES * 40 + 8], *first = NULL;
    /* The id exactly as typed first: the primary key, whatever the id looks like. */
    sqlite3_stmt *st = store_stmt(s, sql_decision_exact, err);
    if (!st)
        return err->status;
    store_bind_text(st, 1, typed ? typed : "");
    int k = collect(s, st, &first, list, sizeof list, err, "finding a decision by its id");
    if (k == 0 && n <= 36 && uuid_chars(typed, n, lo)) {
        if (n < STORE_ID_PREFIX_MIN)
            return fb_err_set(err, FB_EINPUT,
                              "decision \"%s\" is too short: give at least %d characters of its id "
                              "(`fbreview show CASE` lists them)",
                              typed, STORE_ID_PREFIX_MIN);
        memcpy(hi, lo, n + 1);
        hi[n - 1]++;   /* '0'-'9', 'a'-'f' and '-' all have a next character below 0x7f */
        if (!(st = store_stmt(s, sql_decision_range, err)))
            return err->status;
        store_bind_text(st, 1, lo);
        store_bind_text(st, 2, hi);
        sqlite3_bind_int(st, 3, STORE_ID_CANDIDATES + 1);
        k = collect(s, st, &first, list, sizeof list, err, "finding a decision by its id");
    }
    if (k < 0)
        return err->status;
    if (k == 1) {
        *out = first;
        return FB_OK;
    }
    free(first);
    if (k == 0)
        return fb_err_set(err, FB_ENOTFOUND, "no decision %s in %s; `fbreview show CASE` lists a case's decisions",
                          typed ? typed : "", store_path(s));
    return fb_err_set(err, FB_EINPUT, "decision %s is ambiguous: it begins %s%s; give more of the id", typed, list,
                      k > STORE_ID_CANDIDATES ? " and more" : "");
}

fb_status store_id_case(fb_store *s, const char *typed, char **out, fb_err *err)
{
    *out = NULL;
    if (!typed || !*typed)
        return fb_err_set(err, FB_EINPUT, "no case id given");
    char list[STORE_ID_CANDIDATES * 80 + 8], *first = NULL;
    sqlite3_stmt *st = store_stmt(s, sql_case_exact, err);
    if (!st)
        return err->status;
    store_bind_text(st, 1, typed);
    int k = collect(s, st, &first, list, sizeof list, err, "finding a case by its id");
    if (k == 0) {
        if (!(st = store_stmt(s, sql_case_nocase, err)))
            return err->status;
        store_bind_text(st, 1, typed);
        sqlite3_bind_int(st, 2, STORE_ID_CANDIDATES + 1);
        k = collect(s, st, &first, list, sizeof list, err, "finding a case by its id");
    }
    if (k < 0)
        return err->status;
    if (k == 0)
        return fb_err_set(err, FB_ENOTFOUND, "no case %s in %s", typed, store_path(s));
    if (k > 1) {
        free(first);
        return fb_err_set(err, FB_EINPUT, "case %s is ambiguous: the store has %s%s, which differ only in case; "
                                          "type the id exactly",
                          typed, list, k > STORE_ID_CANDIDATES ? " and more" : "");
    }
    *out = first;
    return FB_OK;
}
