#ifndef FBREVIEW_NOTICE_H
#define FBREVIEW_NOTICE_H
/* The notice a user receives (POLICY.md "The notice"): templates are data
 * (data/notices.txt), one per action, filled with the rule in the user's words and the
 * suspension length. */

#include "fbreview/model.h"

/* A malloc'd notice, or NULL for actions that carry none (no_violation, escalate).
 * earlier_violations selects the first-violation wording for education. */
char *notice_render(fb_action action, fb_violation violation, int days, int earlier_violations);

#endif
