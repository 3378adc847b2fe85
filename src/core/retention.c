/* Local retention (include/fbreview/retention.h). */
#include "fbreview/retention.h"

#include <stdio.h>

#include "fbreview/audit.h"
#include "fbreview/store_case.h"

int retention_days(const fb_config *cfg) { return (int)config_int(cfg, OPT_RETENTION_EVIDENCE_DAYS); }

struct purge_ctx {
    fb_store *s;
    const char *actor;
    int days, dry_run;
    int64_t now;
    long n;
};

static fb_status purge_one(void *vctx, const char *case_id, fb_err *err)
{
    struct purge_ctx *p = vctx;
    p->n++;
    if (p->dry_run)
        return FB_OK;
    char detail[96];
    snprintf(detail, sizeof detail, "retention: {\"evidence_days\":%d}", p->days);
    if (store_case_purge(p->s, case_id, p->now, p->days, err) != FB_OK ||
        audit_append(p->s, p->actor, "purge", case_id, NULL, detail, err) != FB_OK)
        return err->status;
    return FB_OK;
}

fb_status retention_purge(fb_store *s, const char *actor, int days, int64_t now_ms, long limit, int dry_run,
                          long *purged, fb_err *err)
{
    if (purged)
        *purged = 0;
    if (days <= 0)
        return FB_OK;
    struct purge_ctx p = {s, actor, days, dry_run, now_ms, 0};
    if (store_begin(s, err) != FB_OK)
        return err->status;
    fb_status rc = store_case_purgeable(s, now_ms - (int64_t)days * 86400000, limit, purge_one, &p, err);
    if (rc == FB_OK && !dry_run)
        rc = store_commit(s, err);
    if (rc != FB_OK || dry_run)
        store_rollback(s);
    if (rc == FB_OK && purged)
        *purged = p.n;
    return rc;
}
