/* Decision workflow — placeholder until the workflow lands: refuses everything. */
#include <stdlib.h>
#include <string.h>

#include "fbreview/decision.h"

struct fb_workflow {
    fb_store *store;
    fb_policy *policy;
};

void decide_plan_clear(fb_decide_plan *p)
{
    free(p->notice);
    memset(p, 0, sizeof *p);
}

fb_status workflow_open(fb_store *s, const fb_config *cfg, const char *reviewer, fb_workflow **out, fb_err *err)
{
    (void)reviewer;
    *out = calloc(1, sizeof **out);
    if (!*out)
        return fb_err_set(err, FB_ENOMEM, "out of memory");
    (*out)->store = s;
    return policy_load(cfg, &(*out)->policy, err);
}

void workflow_close(fb_workflow **wf)
{
    if (wf && *wf) {
        policy_free(&(*wf)->policy);
        free(*wf);
        *wf = NULL;
    }
}

const fb_policy *workflow_policy(const fb_workflow *wf) { return wf->policy; }

#define NOT_YET(err) fb_err_set(err, FB_EINTERNAL, "decisions are not available in this build yet")

fb_status workflow_recommend(fb_workflow *wf, const char *case_id, fb_rec *out, fb_err *err)
{
    (void)wf; (void)case_id; (void)out;
    return NOT_YET(err);
}
fb_status workflow_check(fb_workflow *wf, const fb_decide_req *req, fb_decide_plan *plan, fb_err *err)
{
    (void)wf; (void)req; (void)plan;
    return NOT_YET(err);
}
fb_status workflow_decide(fb_workflow *wf, const fb_decide_req *reqs, size_t n, fb_decide_plan *plans, fb_err *err)
{
    (void)wf; (void)reqs; (void)n; (void)plans;
    return NOT_YET(err);
}
fb_status workflow_approve(fb_workflow *wf, const char *decision_id, int reject, const char *rationale, fb_err *err)
{
    (void)wf; (void)decision_id; (void)reject; (void)rationale;
    return NOT_YET(err);
}
fb_status workflow_undo(fb_workflow *wf, char undone_id[37], fb_err *err)
{
    (void)wf; (void)undone_id;
    return NOT_YET(err);
}
fb_status workflow_appeal(fb_workflow *wf, const char *decision_id, const char *text, char appeal_id[37], fb_err *err)
{
    (void)wf; (void)decision_id; (void)text; (void)appeal_id;
    return NOT_YET(err);
}
fb_status workflow_note(fb_workflow *wf, const char *case_id, const char *text, fb_err *err)
{
    (void)wf; (void)case_id; (void)text;
    return NOT_YET(err);
}
