#ifndef FBREVIEW_STORE_PRIOR_H
#define FBREVIEW_STORE_PRIOR_H
/* An account's earlier enforcement, as the ladder counts it: prior_action rows plus this
 * store's own standing decisions on other cases where the account is the subject. */

#include "fbreview/err.h"
#include "fbreview/model.h"
#include "fbreview/store.h"

fb_status store_prior_history(fb_store *s, const char *account_id, const char *exclude_case,
                              fb_history *out,      /* OUT */
                              fb_err *err);

#endif
