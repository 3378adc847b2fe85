#ifndef FBREVIEW_STORE_ID_H
#define FBREVIEW_STORE_ID_H
/* The one resolver from an id as a person typed it to the id in the store (as git does
 * with commit ids): a decision by its whole id or a unique prefix of at least
 * STORE_ID_PREFIX_MIN characters, in any case; a case by its id, any ASCII case. Every
 * command that takes an id the console shows asks here first. */

#include "fbreview/err.h"
#include "fbreview/store.h"

#define STORE_ID_PREFIX_MIN 8
/* How many candidates an ambiguous prefix lists. */
#define STORE_ID_CANDIDATES 5

/* The decision `typed` names: the decision with exactly that id, else the one whose id
 * (a lower-case UUID) begins with it, in any case. *out is malloc'd: the id whole, never
 * cut to a buffer. FB_ENOTFOUND when none, FB_EINPUT when the prefix is too short or
 * names several (the message lists them). */
fb_status store_id_decision(fb_store *s,
                            const char *typed,
                            char **out,         /* OUT */
                            fb_err *err);

/* The case `typed` names: the case with exactly that id, else the one whose id equals it
 * ignoring ASCII case. *out is malloc'd. FB_ENOTFOUND when none, FB_EINPUT when several
 * differ only in case and none matches exactly (the message lists them). */
fb_status store_id_case(fb_store *s,
                        const char *typed,
                        char **out,             /* OUT */
                        fb_err *err);

#endif
