#ifndef FBREVIEW_POLICY_H
#define FBREVIEW_POLICY_H
/* POLICY.md as code: the enforcement ladder, thresholds and guardrails, read from the
 * config's [policy] and [ladder] sections (defaults in data/default.conf). */

#include "fbreview/config.h"
#include "fbreview/err.h"
#include "fbreview/model.h"

typedef struct fb_policy fb_policy;

typedef struct fb_rec {
    fb_action action;          /* FB_A_NONE: "read this case", no recommendation (why says why) */
    fb_violation violation;    /* FB_V_NONE for no_violation */
    int days;                  /* suspension only */
    char why[256];             /* "repeat (1 earlier), serious code" */
} fb_rec;

fb_status policy_load(const fb_config *cfg, fb_policy **out, fb_err *err);
void policy_free(fb_policy **p);

/* The recommendation for a case with the given subject history. no_violation only on
 * positive grounds (a request without pressure, or no talk of reviews, with low risk);
 * when the messages leave it open, FB_A_NONE ("read this case") with the reason. */
fb_rec policy_recommend(const fb_policy *p, const fb_case *c, const fb_history *h);

int policy_no_violation_below(const fb_policy *p);
int policy_high_risk(const fb_policy *p);
int policy_block_needs_approval(const fb_policy *p);
int policy_appeal_separation(const fb_policy *p);
/* The version of the team's upstream policy the settings come from ([policy] version,
 * set only by the pulled policy); 0 when they come from the local config. */
int policy_version(const fb_policy *p);

#endif
