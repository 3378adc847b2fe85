#ifndef FBREVIEW_NOTICE_H
#define FBREVIEW_NOTICE_H
/* The notice a user receives (POLICY.md "The notice"): templates are data
 * (data/notices.txt), one per action and one per action an appeal overturns, filled with
 * what we found (the code's wording, a sentence addressed to the user), the suspension's
 * length and the appeal's outcome. */

#include "fbreview/model.h"

/* What a notice is about: the decision, and for a decision on an appeal the decision
 * appealed against. */
typedef struct notice_facts {
    fb_action action;
    fb_violation violation;          /* FB_V_NONE when the action carries none */
    int days;                        /* suspension only */
    int earlier_violations;          /* 0 selects the first-violation wording */
    int appeal;                      /* this decision answers an appeal */
    fb_action appealed_action;       /* the decision appealed against (when appeal) */
    fb_violation appealed_violation;
    int appealed_days;
} notice_facts;

/* A malloc'd notice, or NULL when the user gets none: no_violation and escalate carry no
 * notice, except a no_violation that overturns an appealed violation (the user is told
 * the earlier decision is reversed). */
char *notice_render(const notice_facts *f);

#endif
