/* Policy — placeholder until the ladder work lands: recommends no_violation. */
#include <stdlib.h>

#include "fbreview/policy.h"

struct fb_policy {
    int unused;
};

fb_status policy_load(const fb_config *cfg, fb_policy **out, fb_err *err)
{
    (void)cfg;
    (void)err;
    *out = calloc(1, sizeof **out);
    return FB_OK;
}

void policy_free(fb_policy **p)
{
    if (p) {
        free(*p);
        *p = NULL;
    }
}

fb_rec policy_recommend(const fb_policy *p, const fb_case *c, const fb_history *h)
{
    (void)p;
    (void)c;
    (void)h;
    fb_rec r = {FB_A_NO_VIOLATION, FB_V_NONE, 0, ""};
    return r;
}

int policy_no_violation_below(const fb_policy *p) { (void)p; return 30; }
int policy_high_risk(const fb_policy *p) { (void)p; return 60; }
int policy_block_needs_approval(const fb_policy *p) { (void)p; return 1; }
int policy_appeal_separation(const fb_policy *p) { (void)p; return 1; }
