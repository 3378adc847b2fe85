/* POLICY.md's enforcement ladder and guardrails, read from [policy] and [ladder]. */
#include "fbreview/policy.h"
#include "fbreview/signals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* "education" | "suspension DAYS" | "block": the form FB_RUNG_CHOICES allows, which
 * loading the config checked; the words are the model's action names. */
static fb_status parse_rung(const fb_config *cfg, fb_option_id id, rung *out, fb_err *err)
{
    const char *v = config_str(cfg, id);
    char word[32];
    int days = 0;
    int got = v ? sscanf(v, "%31s %d", word, &days) : 0;
    out->action = got >= 1 ? fb_action_from_str(word) : FB_A_NONE;
    out->days = out->action == FB_A_SUSPENSION ? days : 0;
    if (out->action == FB_A_SUSPENSION && got == 2 && !fb_days_valid(days)) {
        /* The options table's range and the model's length rule disagree: say where. */
        const fb_config_entry *e = config_entry(cfg, id);
        const fb_option *o = config_option(id);
        return fb_err_set(err, FB_EINPUT, "%s:%d: [%s] %s: a suspension lasts %d to %d days, got \"%s\"",
                          e ? e->file : "(defaults)", e ? e->line : 0, o->section, o->key, FB_DAYS_MIN,
                          FB_DAYS_MAX, v);
    }
    if ((out->action == FB_A_SUSPENSION && got == 2) ||
        ((out->action == FB_A_EDUCATION || out->action == FB_A_BLOCK) && got == 1))
        return FB_OK;
    /* Only an options table whose choices name no action gets here. */
    const fb_option *o = config_option(id);
    return fb_err_set(err, FB_EINTERNAL, "[%s] %s: \"%s\" names no action", o->section, o->key, v ? v : "");
}

fb_status policy_load(const fb_config *cfg, fb_policy **out, fb_err *err)
{
    static const fb_option_id rungs[2][LADDER_RUNGS] = {
        {OPT_LADDER_MINOR_0, OPT_LADDER_MINOR_1, OPT_LADDER_MINOR_2},
        {OPT_LADDER_SERIOUS_0, OPT_LADDER_SERIOUS_1, OPT_LADDER_SERIOUS_2},
    };
    *out = NULL;
    fb_policy *p = calloc(1, sizeof *p);
    if (!p)
        return fb_err_set(err, FB_ENOMEM, "out of memory");
    for (int serious = 0; serious < 2; serious++)
        for (int k = 0; k < LADDER_RUNGS; k++)
            if (parse_rung(cfg, rungs[serious][k], &p->ladder[serious][k], err) != FB_OK) {
                policy_free(&p);
                return err->status;
            }
    p->no_violation_below = (int)config_int(cfg, OPT_POLICY_NO_VIOLATION_BELOW);
    p->high_risk = (int)config_int(cfg, OPT_POLICY_HIGH_RISK);
    p->block_needs_approval = config_bool(cfg, OPT_POLICY_BLOCK_NEEDS_APPROVAL);
    p->appeal_separation = config_bool(cfg, OPT_POLICY_APPEAL_SEPARATION);
    p->version = (int)config_int(cfg, OPT_POLICY_VERSION);
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
        /* no_violation only on positive grounds; otherwise no recommendation at all */
        fb_stance stance = signals_stance(c);
        if (stance == FB_STANCE_READ || c->risk >= p->no_violation_below) {
            const char *reason = signals_read_reason(c);
            r.action = FB_A_NONE;
            if (reason)
                snprintf(r.why, sizeof r.why, "read this case: %s", reason);
            else
                snprintf(r.why, sizeof r.why, "read this case: risk %d with no violation code standing out", c->risk);
        } else if (stance == FB_STANCE_OK) {
            snprintf(r.why, sizeof r.why, "the messages ask for feedback without pressure and risk %d is below %d",
                     c->risk, p->no_violation_below);
        } else {
            snprintf(r.why, sizeof r.why, "no talk of reviews in the messages and risk %d is below %d", c->risk,
                     p->no_violation_below);
        }
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
