/* POLICY.md's enforcement ladder and guardrails, read from [policy] and [ladder]. */
#include "fbreview/policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LADDER_RUNGS 3   /* 0, 1, "2 or more" earlier violations */

typedef struct rung {
    fb_action action;
    int days;
} rung;

struct fb_policy {
    rung ladder[2][LADDER_RUNGS];   /* [serious][earlier violations, capped] */
    int no_violation_below;
    int high_risk;
    int block_needs_approval;
    int appeal_separation;
    int version;    /* the team policy's version in force (0: the local config) */
};

static fb_status parse_bool(const fb_config *cfg, const char *key, int def, int *out, fb_err *err)
{
    const char *v = config_get(cfg, "policy", key, NULL);
    if (!v) {
        *out = def;
        return FB_OK;
    }
    static const char *const yes[] = {"true", "yes", "on", "1"}, *const no[] = {"false", "no", "off", "0"};
    for (int i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0)
            return *out = 1, FB_OK;
        if (strcasecmp(v, no[i]) == 0)
            return *out = 0, FB_OK;
    }
    return fb_err_set(err, FB_EINPUT, "config [policy] %s: expected true or false, got \"%s\"", key, v);
}

/* "education" | "suspension DAYS" | "block" */
static fb_status parse_rung(const fb_config_entry *e, rung *out, fb_err *err)
{
    char word[32];
    int days = 0, n = 0;
    if (sscanf(e->value, "%31s %d %n", word, &days, &n) < 1)
        goto bad;
    out->action = fb_action_from_str(word);
    out->days = 0;
    if (out->action == FB_A_SUSPENSION) {
        if (n == 0 || e->value[n] != '\0' || !fb_days_valid(days))
            return fb_err_set(err, FB_EINPUT, "%s:%d: [ladder] %s: a suspension needs days from %d to %d, got \"%s\"",
                              e->file, e->line, e->key, FB_DAYS_MIN, FB_DAYS_MAX, e->value);
        out->days = days;
        return FB_OK;
    }
    if ((out->action == FB_A_EDUCATION || out->action == FB_A_BLOCK) && strcmp(word, e->value) == 0)
        return FB_OK;
bad:
    return fb_err_set(err, FB_EINPUT,
                      "%s:%d: [ladder] %s: expected education, suspension DAYS or block, got \"%s\"", e->file,
                      e->line, e->key, e->value);
}

static fb_status on_ladder(void *ctx, const fb_config_entry *e, fb_err *err)
{
    fb_policy *p = ctx;
    int serious, k;
    char kind[16];
    int n = 0;
    if (sscanf(e->key, "%15[a-z].%d%n", kind, &k, &n) != 2 || e->key[n] != '\0' || k < 0 || k >= LADDER_RUNGS ||
        (strcmp(kind, "minor") != 0 && strcmp(kind, "serious") != 0))
        return fb_err_set(err, FB_EINPUT,
                          "%s:%d: [ladder] unknown key \"%s\" (expected minor.0, minor.1, minor.2, serious.0, "
                          "serious.1 or serious.2)", e->file, e->line, e->key);
    serious = strcmp(kind, "serious") == 0;
    return parse_rung(e, &p->ladder[serious][k], err);
}

fb_status policy_load(const fb_config *cfg, fb_policy **out, fb_err *err)
{
    *out = NULL;
    fb_policy *p = calloc(1, sizeof *p);
    if (!p)
        return fb_err_set(err, FB_ENOMEM, "out of memory");
    /* POLICY.md defaults, in case a config leaves a rung out. */
    const rung defaults[2][LADDER_RUNGS] = {
        {{FB_A_EDUCATION, 0}, {FB_A_SUSPENSION, 14}, {FB_A_BLOCK, 0}},
        {{FB_A_SUSPENSION, 14}, {FB_A_SUSPENSION, 30}, {FB_A_BLOCK, 0}},
    };
    memcpy(p->ladder, defaults, sizeof defaults);
    if (config_each(cfg, "ladder", on_ladder, p, err) != FB_OK ||
        config_get_int(cfg, "policy", "no_violation_below", 30, 0, 101, &p->no_violation_below, err) != FB_OK ||
        config_get_int(cfg, "policy", "high_risk", 60, 0, 101, &p->high_risk, err) != FB_OK ||
        parse_bool(cfg, "block_needs_approval", 1, &p->block_needs_approval, err) != FB_OK ||
        parse_bool(cfg, "appeal_separation", 1, &p->appeal_separation, err) != FB_OK ||
        config_get_int(cfg, "policy", "version", 0, 0, 1000000000, &p->version, err) != FB_OK) {
        policy_free(&p);
        return err->status;
    }
    *out = p;
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
    fb_rec r = {FB_A_NO_VIOLATION, FB_V_NONE, 0, ""};
    fb_violation v = c->suggested != FB_V_NONE ? c->suggested : c->alleged;
    if (c->risk < p->no_violation_below || v == FB_V_NONE) {
        snprintf(r.why, sizeof r.why, "risk %d is below %d: the evidence supports no violation", c->risk,
                 p->no_violation_below);
        return r;
    }
    int serious = fb_violation_serious(v);
    int earlier = h ? h->violations : 0;
    r.violation = v;
    if (h && h->blocks > 0) {
        r.action = FB_A_BLOCK;
        snprintf(r.why, sizeof r.why, "an earlier block is on record");
        return r;
    }
    int k = earlier < LADDER_RUNGS - 1 ? earlier : LADDER_RUNGS - 1;
    r.action = p->ladder[serious][k].action;
    r.days = p->ladder[serious][k].days;
    const char *sev = serious ? "serious" : "minor";
    if (earlier == 0)
        snprintf(r.why, sizeof r.why, "first violation, %s code", sev);
    else
        snprintf(r.why, sizeof r.why, "repeat (%d earlier violation%s), %s code", earlier, earlier == 1 ? "" : "s",
                 sev);
    return r;
}

int policy_no_violation_below(const fb_policy *p) { return p->no_violation_below; }
int policy_high_risk(const fb_policy *p) { return p->high_risk; }
int policy_block_needs_approval(const fb_policy *p) { return p->block_needs_approval; }
int policy_appeal_separation(const fb_policy *p) { return p->appeal_separation; }
int policy_version(const fb_policy *p) { return p->version; }
