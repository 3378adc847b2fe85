#ifndef FBREVIEW_STORE_RULES_H
#define FBREVIEW_STORE_RULES_H
/* The phrase_rule table: message phrase rules that operators can edit (DESIGN.md §5).
 * Seeded from data/phrases.tsv when empty; ingest reads the rules from here. The store
 * keeps the rows as text; core/signals validates and compiles them. */

#include <stddef.h>
#include <stdint.h>

#include "fbreview/err.h"
#include "fbreview/store.h"

typedef struct fb_rule_row {
    const char *pattern;
    const char *violation;     /* a violation code, e.g. "paid_feedback" */
    int weight;
    const char *sentence;
} fb_rule_row;

/* Number of rows in phrase_rule. */
fb_status store_rules_count(fb_store *s,
                            int64_t *out,          /* OUT */
                            fb_err *err);
/* Inserts rows only if the table is empty (checked and done in one savepoint, so it is
 * safe inside or outside the caller's transaction). *inserted is 0 when it was not empty. */
fb_status store_rules_seed(fb_store *s, const fb_rule_row *rows, size_t n,
                           size_t *inserted,       /* OUT: may be NULL */
                           fb_err *err);
/* Each row in id order; a callback error stops the walk and is returned. */
typedef fb_status (*store_rules_fn)(void *ctx, int64_t id, const fb_rule_row *row, fb_err *err);
fb_status store_rules_each(fb_store *s, store_rules_fn fn, void *ctx, fb_err *err);

#endif
