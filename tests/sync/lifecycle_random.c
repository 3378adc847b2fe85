/* Random event sequences through the lifecycle, on three consoles against a real upstream
 * (tests/sync/test_lifecycle_random.sh starts it and compares the statuses afterwards).
 *
 *   lifecycle_random DIR CASES ROUNDS SEED
 *
 * DIR holds the consoles' stores (A.db, B.db, C.db, reviewers A, B, C); the cases C-1 ..
 * C-CASES are upstream already; FBREVIEW_UPSTREAM names the server. Each round, every
 * console in a random order applies random events (decide with each action or take the
 * recommendation, with or without a claim override; approve; send back; appeal; undo;
 * answer a conflict; discard a rejection; claim) to a random part of the cases through
 * the real workflow, then syncs. A console acts on what it pulled at its last sync, so
 * consoles race each other as people do: conflicts, rejections and refusals come from
 * the lifecycle table on both sides, never from this program. Each case is one sequence.
 * At the end every console syncs twice; the script then checks that every console's
 * statuses are upstream's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/config.h"
#include "fbreview/decision.h"
#include "fbreview/store.h"
#include "fbreview/store_decision.h"
#include "fbreview/store_queue.h"
#include "fbreview/sync.h"

#define N_CONSOLES 3

typedef struct console {
    char name[2];
    fb_store *s;
    fb_workflow *wf;
    fb_upstream *up;   /* its own login: upstream records each write under session_user */
} console;

enum ev { EV_DECIDE, EV_APPROVE, EV_SEND_BACK, EV_APPEAL, EV_UNDO, EV_CONFLICT_ACCEPT, EV_CONFLICT_APPEAL,
          EV_DISCARD, EV_CLAIM, EV_COUNT };
static const int weight[EV_COUNT] = {36, 12, 8, 12, 5, 8, 5, 7, 7};
static const char *const ev_name[EV_COUNT] = {"decide", "approve", "send_back", "appeal", "undo",
                                              "conflict_accept", "conflict_appeal", "discard", "claim"};
static long applied[EV_COUNT], refused[EV_COUNT];

static unsigned long long rng;
static unsigned rnd(unsigned n)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((rng >> 33) % n);
}

static void die(const char *what, const fb_err *err)
{
    fprintf(stderr, "lifecycle_random: %s: %s\n", what, err ? err->msg : "");
    exit(1);
}

/* A refusal (policy, or nothing to act on) is part of the game; anything else fails. */
static void outcome(enum ev e, fb_status rc, const fb_err *err)
{
    if (rc == FB_OK)
        applied[e]++;
    else if (rc == FB_EPOLICY || rc == FB_ENOTFOUND)
        refused[e]++;
    else
        die(ev_name[e], err);
}

static void act(console *c, fb_upstream *up, const char *case_id)
{
    unsigned total = 0, pick;
    for (int i = 0; i < EV_COUNT; i++)
        total += (unsigned)weight[i];
    pick = rnd(total);
    enum ev e = EV_DECIDE;
    while (pick >= (unsigned)weight[e])
        pick -= (unsigned)weight[e++];
    fb_err err = {0};
    fb_status rc = FB_EPOLICY;
    fb_decision_row d = {0};
    char id[37], ap[37];
    switch (e) {
    case EV_DECIDE: {
        static const fb_action actions[] = {FB_A_NONE, FB_A_NO_VIOLATION, FB_A_EDUCATION, FB_A_SUSPENSION,
                                            FB_A_BLOCK, FB_A_ESCALATE};
        fb_action a = actions[rnd(sizeof actions / sizeof actions[0])];
        fb_decide_req r = {case_id, a == FB_A_NONE, a, FB_V_NONE, 0, "random sequence", (int)rnd(2)};
        fb_decide_plan p;
        rc = workflow_decide(c->wf, &r, 1, &p, &err);
        decide_plan_clear(&p);
        break;
    }
    case EV_APPROVE: case EV_SEND_BACK:
        if (store_case_pending_block(c->s, case_id, id, &err) == FB_OK)
            rc = workflow_approve(c->wf, id, e == EV_SEND_BACK, "random sequence", &err);
        break;
    case EV_APPEAL:
        if (store_decision_latest_for_case(c->s, case_id, &d, &err) == 1)
            rc = workflow_appeal(c->wf, d.id, "random appeal", ap, &err);
        break;
    case EV_UNDO:
        rc = workflow_undo(c->wf, id, &err);
        break;
    case EV_CONFLICT_ACCEPT: case EV_CONFLICT_APPEAL:
        if (store_decision_open_conflict(c->s, case_id, c->name, &d, &err) == 1)
            rc = e == EV_CONFLICT_ACCEPT ? workflow_conflict_accept(c->wf, d.id, &err)
                                         : workflow_conflict_appeal(c->wf, d.id, "random appeal", ap, &err);
        break;
    case EV_DISCARD:
        if (store_decision_open_rejection(c->s, case_id, c->name, &d, &err) == 1)
            rc = workflow_discard(c->wf, d.id, &err);
        break;
    case EV_CLAIM: {
        fb_claim_result cr;
        /* A short lease: some run out before the next round, some do not. */
        rc = sync_claim(c->s, up, case_id, 200 + rnd(3000), &cr, &err);
        if (rc == FB_OK && !cr.granted)
            rc = FB_EPOLICY;
        break;
    }
    default: break;
    }
    store_decision_row_clear(&d);
    outcome(e, rc, &err);
}

static void sync_console(console *c, fb_upstream *up, const fb_config *cfg, fb_sync_report *total)
{
    fb_sync_report rep = {0};
    fb_err err = {0};
    if (sync_once(c->s, up, cfg, 0, &rep, &err) != FB_OK)
        die("sync", &err);
    total->accepted += rep.accepted;
    total->conflicts += rep.conflicts;
    total->rejected += rep.rejected;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: lifecycle_random DIR CASES ROUNDS SEED\n");
        return 2;
    }
    const char *dir = argv[1];
    int n_cases = atoi(argv[2]), rounds = atoi(argv[3]);
    rng = strtoull(argv[4], NULL, 10) * 2654435761ULL + 1;
    fb_config *cfg = config_defaults();
    fb_err err = {0};
    console cons[N_CONSOLES];
    fb_sync_report total = {0};
    for (int k = 0; k < N_CONSOLES; k++) {
        char path[4096];
        snprintf(cons[k].name, sizeof cons[k].name, "%c", 'A' + k);
        snprintf(path, sizeof path, "%s/%s.db", dir, cons[k].name);
        if (store_open(path, STORE_CREATE, &cons[k].s, &err) != FB_OK ||
            workflow_open(cons[k].s, cfg, cons[k].name, &cons[k].wf, &err) != FB_OK)
            die("open", &err);
        /* Each console connects as its own login: FBREVIEW_UPSTREAM_<name>. */
        char var[32];
        snprintf(var, sizeof var, "FBREVIEW_UPSTREAM_%s", cons[k].name);
        cons[k].up = NULL;
        if (upstream_connect(getenv(var), &cons[k].up, &err) != FB_OK)
            die("connect", &err);
        sync_console(&cons[k], cons[k].up, cfg, &total);
    }
    char case_id[32];
    for (int r = 0; r < rounds; r++) {
        int order[N_CONSOLES] = {0, 1, 2};
        for (int i = N_CONSOLES - 1; i > 0; i--) {
            int j = (int)rnd((unsigned)i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int o = 0; o < N_CONSOLES; o++) {
            console *c = &cons[order[o]];
            for (int i = 1; i <= n_cases; i++) {
                if (rnd(100) >= 30)
                    continue;
                snprintf(case_id, sizeof case_id, "C-%d", i);
                act(c, c->up, case_id);
            }
            /* Now and then a console stays offline for a round: its decisions race more. */
            if (rnd(100) < 80)
                sync_console(c, c->up, cfg, &total);
        }
    }
    for (int pass = 0; pass < 2; pass++)
        for (int k = 0; k < N_CONSOLES; k++)
            sync_console(&cons[k], cons[k].up, cfg, &total);
    long all = 0;
    for (int e = 0; e < EV_COUNT; e++) {
        printf("%s %ld applied %ld refused\n", ev_name[e], applied[e], refused[e]);
        all += applied[e];
    }
    printf("upstream answered: %ld accepted, %ld conflicts, %ld rejected\n", total.accepted, total.conflicts,
           total.rejected);
    printf("events applied: %ld on %d sequences\n", all, n_cases);
    for (int k = 0; k < N_CONSOLES; k++) {
        workflow_close(&cons[k].wf);
        store_close(&cons[k].s);
        upstream_close(&cons[k].up);
    }
    config_free(&cfg);
    return 0;
}
