/* fbreview decide CASE... (ACTION [--violation C] [--days N] | --accept) [--rationale T]
 *                 [--override-claim] [--subject ACCOUNT | --cluster ACCOUNT]
 *        fbreview decide --undo [DECISION]
 * Several cases (or every open case of a subject or its linked-account cluster) are decided
 * in one bulk call: all are saved or none is. --undo takes back the reviewer's last decision
 * while it has not been synced (the console's `u`). */
#include <stdio.h>
#include <stdlib.h>

#include "fbreview/cli.h"
#include "fbreview/cliopt.h"
#include "fbreview/decision.h"

static void print_codes(void)
{
    fputs("violation codes:", stderr);
    for (int v = 0; v < FB_V_COUNT; v++)
        fprintf(stderr, " %s", fb_violation_str((fb_violation)v));
    fputc('\n', stderr);
}

static int undo_last(fb_app *app, const char *decision_id)
{
    fb_store *s = NULL;
    fb_workflow *wf = NULL;
    int rc = cli_open_workflow(app, &s, &wf);
    if (rc)
        return rc;
    fb_err err = {0};
    char id[37] = "", *typed = NULL;
    fb_decision_row d = {0};
    if (decision_id)
        rc = cli_decision_id(s, decision_id, &typed);
    if (rc == 0 && (workflow_undo_id(wf, decision_id ? typed : NULL, id, &err) != FB_OK ||
                    store_decision_load(s, id, &d, &err) != FB_OK))
        rc = cli_fail(&err);
    else if (rc == 0)
        printf("undid decision %s on case %s (%s); the row stays on record\n", d.id, d.case_id,
               fb_action_str(d.action));
    store_decision_row_clear(&d);
    free(typed);
    workflow_close(&wf);
    store_close(&s);
    return rc;
}

int cli_decide(fb_app *app, int argc, char **argv)
{
    const char *violation = NULL, *rationale = NULL, *subject = NULL, *cluster = NULL;
    int accept = 0, override = 0, undo = 0;
    long long days_n = 0;
    cliopt opts[] = {
        {.name = "accept", .kind = CLIOPT_FLAG, .dest = &accept,
         .help = "take the recommendation (action, code and days)"},
        {.name = "violation", .kind = CLIOPT_STRING, .dest = &violation, .value_name = "C",
         .help = "the violation code (for education, suspension, block)"},
        {.name = "days", .kind = CLIOPT_INT, .dest = &days_n, .value_name = "N",
         .min = FB_DAYS_MIN, .max = FB_DAYS_MAX, .help = "suspension length in days, 1 to 365"},
        {.name = "rationale", .kind = CLIOPT_STRING, .dest = &rationale, .value_name = "T",
         .help = "why; required when overriding the recommendation"},
        {.name = "override-claim", .kind = CLIOPT_FLAG, .dest = &override,
         .help = "decide a case another reviewer has claimed"},
        {.name = "subject", .kind = CLIOPT_STRING, .dest = &subject, .value_name = "ACCOUNT",
         .help = "every open case whose subject is ACCOUNT"},
        {.name = "cluster", .kind = CLIOPT_STRING, .dest = &cluster, .value_name = "ACCOUNT",
         .help = "every open case of ACCOUNT's linked-account cluster"},
        {.name = "undo", .kind = CLIOPT_FLAG, .dest = &undo,
         .help = "undo your last decision not yet pushed (or DECISION)"},
        {0},
    };
    cliopt_spec spec = {.cmd = "decide", .opts = opts, .max_args = -1};
    int npos = cliopt_parse(&spec, argc, argv), rc = 0;
    if (npos < 0)
        return spec.exit_status;
    char *const *pos = argv + 1;   /* the positional arguments */
    int days_given = cliopt_find(&spec, "days")->seen;
    if (undo) {
        int others = 0;
        for (const cliopt *o = opts; o->name; o++)
            others += o->dest != &undo && o->seen;
        if (npos > 1 || others)
            return cli_usage("decide", "--undo takes at most one decision id%s", others ? " and no other option" : "");
        return undo_last(app, npos == 1 ? pos[0] : NULL);
    }

    /* ACTION is the last positional argument unless --accept takes the recommendation. */
    fb_action action = FB_A_NONE;
    if (!accept) {
        if (npos == 0) {
            rc = cli_usage("decide", "name an action (no_violation, education, suspension, block, escalate) "
                                     "or pass --accept");
            goto done;
        }
        action = fb_action_from_str(pos[npos - 1]);
        if (action == FB_A_NONE) {
            rc = cli_usage("decide", "\"%s\" is not an action; the last argument is one of no_violation, "
                                     "education, suspension, block, escalate (or pass --accept)", pos[npos - 1]);
            goto done;
        }
        npos--;
    } else if (npos > 0 && fb_action_from_str(pos[npos - 1]) != FB_A_NONE) {
        rc = cli_usage("decide", "--accept takes the recommendation; drop the action %s", pos[npos - 1]);
        goto done;
    }
    if (accept && (violation || days_given)) {
        rc = cli_usage("decide", "--accept takes the recommendation's code and days; drop --violation/--days");
        goto done;
    }
    if (subject && cluster) {
        rc = cli_usage("decide", "use --subject or --cluster, not both");
        goto done;
    }
    if (npos == 0 && !subject && !cluster) {
        rc = cli_usage("decide", "name at least one case (or --subject ACCOUNT / --cluster ACCOUNT)");
        goto done;
    }
    fb_violation v = FB_V_NONE;
    if (violation) {
        v = fb_violation_from_str(violation);
        if (v == FB_V_NONE) {
            rc = cli_usage("decide", "\"%s\" is not a violation code", violation);
            print_codes();
            goto done;
        }
    }
    /* What the command line alone shows wrong is a usage error; the rest the workflow says. */
    if (days_given && action != FB_A_SUSPENSION) {
        rc = cli_usage("decide", "--days applies only to a suspension, not to %s; drop --days", pos[npos]);
        goto done;
    }
    if (violation && !accept && !fb_action_needs_violation(action)) {
        rc = cli_usage("decide", "%s carries no violation code; drop --violation", pos[npos]);
        goto done;
    }
    int days = (int)days_n;

    fb_store *s = NULL;
    fb_workflow *wf = NULL;
    if ((rc = cli_open_workflow(app, &s, &wf)) != 0)
        goto done;
    fb_err err = {0};
    fb_ids ids = {0};
    fb_decide_req *reqs = NULL;
    fb_decide_plan *plans = NULL;
    char **typed_ids = NULL;
    if (subject || cluster) {
        fb_status st = subject ? workflow_cases_of_subject(wf, subject, &ids, &err)
                               : workflow_cases_of_cluster(wf, cluster, &ids, &err);
        if (st != FB_OK) {
            rc = cli_fail(&err);
            goto close;
        }
        if (ids.n == 0 && npos == 0) {
            fprintf(stderr, "fbreview: no open case has %s %s as its subject; nothing was decided\n",
                    subject ? "account" : "the cluster of account", subject ? subject : cluster);
            rc = 1;
            goto close;
        }
    }
    size_t n = (size_t)npos + ids.n;
    reqs = calloc(n, sizeof *reqs);
    plans = calloc(n, sizeof *plans);
    if (!reqs || !plans) {
        fputs("fbreview: out of memory\n", stderr);
        rc = 1;
        goto close;
    }
    /* The cases as typed, resolved to their ids in the store (any case). */
    typed_ids = calloc((size_t)npos + 1, sizeof *typed_ids);
    if (!typed_ids) {
        fputs("fbreview: out of memory\n", stderr);
        rc = 1;
        goto close;
    }
    for (int k = 0; k < npos; k++)
        if ((rc = cli_case_id(s, pos[k], &typed_ids[k])) != 0)
            goto close;
    for (size_t k = 0; k < n; k++) {
        fb_decide_req *r = &reqs[k];
        r->case_id = k < (size_t)npos ? typed_ids[k] : ids.v[k - (size_t)npos];
        r->accept = accept;
        r->action = action;
        r->violation = v;
        r->days = days;
        r->rationale = rationale;
        r->claim_override = override;
    }
    if (workflow_decide(wf, reqs, n, plans, &err) != FB_OK) {
        rc = cli_fail(&err);
        goto close;
    }
    for (size_t k = 0; k < n; k++) {
        const fb_decide_plan *p = &plans[k];
        char what[96];
        printf("%s: %s%s -> %s, decision %s\n", p->case_id,
               decision_describe(p->action, p->violation, p->days, what, sizeof what),
               p->overridden ? " [overrides the recommendation]" : "", fb_case_status_str(p->new_status),
               p->decision_id);
        decide_plan_clear(&plans[k]);
    }
close:
    for (int k = 0; typed_ids && k < npos; k++)
        free(typed_ids[k]);
    free(typed_ids);
    free(reqs);
    free(plans);
    store_ids_free(&ids);
    workflow_close(&wf);
    store_close(&s);
done:
    return rc;
}
