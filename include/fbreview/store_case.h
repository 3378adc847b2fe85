#ifndef FBREVIEW_STORE_CASE_H
#define FBREVIEW_STORE_CASE_H
/* Cases and their evidence in the local store. */

#include "fbreview/err.h"
#include "fbreview/model.h"
#include "fbreview/store.h"

/* Writes a case with its evidence, signals and matches (inside the caller's transaction).
 * A case that exists is updated with its evidence replaced; a case that already has a
 * decision is left alone and FB_ECONFLICT returned. origin is "local" or "upstream".
 * rec_* is the cached recommendation (FB_A_NONE when not computed). */
fb_status store_case_put(fb_store *s, const fb_case *c, const char *origin,
                         fb_action rec_action, fb_violation rec_violation, int rec_days,
                         fb_err *err);

/* Loads a whole case (evidence, signals, matches, status, claim, accounts' prior actions). */
fb_status store_case_load(fb_store *s, const char *case_id,
                          fb_case **out,      /* OUT: fb_case_free() it */
                          fb_err *err);

/* 1 if the case exists, 0 if not, -1 on error. */
int store_case_exists(fb_store *s, const char *case_id);

#endif
