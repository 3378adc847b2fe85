#ifndef FBREVIEW_AUDIT_H
#define FBREVIEW_AUDIT_H
/* The audit chain: append-only (schema triggers refuse UPDATE and DELETE) and hash-chained.
 *
 * Each row's hash is SHA-256, in lower-case hex, over
 *     prev_hash (64 hex characters; 64 zeros for the first row)
 *     followed by the canonical content: for each of seq, at, actor, kind, case_id, ref,
 *     detail in that order, "~\n" when NULL, else "<byte length>:<bytes>\n" (seq and at
 *     as decimal text).
 * Length prefixes make the serialisation unambiguous whatever bytes a field holds, so
 * moving text from one field to another changes the hash. */

#include <stdint.h>

#include "fbreview/err.h"
#include "fbreview/store.h"

#define AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* Appends one row inside the caller's transaction (seq = last + 1, at = now). */
fb_status audit_append(fb_store *s, const char *actor, const char *kind, const char *case_id, const char *ref,
                       const char *detail, fb_err *err);

/* Computes a row's hash into hex[65]. case_id, ref may be NULL. */
void audit_hash(const char *prev_hash, int64_t seq, int64_t at, const char *actor, const char *kind,
                const char *case_id, const char *ref, const char *detail, char hex[65]);

/* What audit_verify found. */
typedef struct fb_audit_report {
    int64_t rows;          /* rows checked */
    int64_t bad_seq;       /* first row that does not match, 0 if none */
} fb_audit_report;

/* Recomputes the chain. FB_EINPUT naming the first bad row (seq, kind, case, and whether
 * its own hash or its link to the previous row is wrong); FB_OK when every row matches. */
fb_status audit_verify(fb_store *s, fb_audit_report *out, fb_err *err);

#endif
