#ifndef FBREVIEW_STORE_RULES_H
#define FBREVIEW_STORE_RULES_H
/* The message analyser's tables, which operators can edit (DESIGN.md §6): lexicon_term
 * (word classes) and frame_rule (frames). Each is seeded from its built-in file
 * (data/lexicon.tsv, data/frames.tsv) when empty; ingest reads the rows from here. The store
 * keeps the rows as text; core/analyse validates and compiles them. */

#include <stddef.h>
#include <stdint.h>

#include "fbreview/err.h"
#include "fbreview/model.h"
#include "fbreview/store.h"

/* Rows in lexicon_term and in frame_rule. */
fb_status store_rules_count(fb_store *s,
                            int64_t *terms,        /* OUT */
                            int64_t *frames,       /* OUT */
                            fb_err *err);
/* Inserts the rows into each table that is empty (checked and done in one savepoint, so
 * it is safe inside or outside the caller's transaction); a table with rows is left as it
 * is. *inserted (may be NULL) counts the rows written. */
fb_status store_rules_seed(fb_store *s, const fb_term_row *terms, size_t n_terms, const fb_frame_row *frames,
                           size_t n_frames,
                           size_t *inserted,       /* OUT: may be NULL */
                           fb_err *err);
/* Replaces every row of both tables with these (one savepoint): the built-in rules of a
 * newer version, over an unedited seed of an older one (ingest_refresh decides). */
fb_status store_rules_replace(fb_store *s, const fb_term_row *terms, size_t n_terms, const fb_frame_row *frames,
                              size_t n_frames, fb_err *err);
/* Each row in id order, terms first; a callback error stops the walk and is returned. */
typedef fb_status (*store_terms_fn)(void *ctx, int64_t id, const fb_term_row *row, fb_err *err);
typedef fb_status (*store_frames_fn)(void *ctx, int64_t id, const fb_frame_row *row, fb_err *err);
fb_status store_rules_each(fb_store *s, store_terms_fn on_term, store_frames_fn on_frame, void *ctx, fb_err *err);

#endif
