/* The case lifecycle table and the questions everyone asks it (lifecycle.h). */
#include "fbreview/lifecycle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/store_lifecycle.h"

static const lc_transition rows[] = {
#define FB_X(from, ev, to, who, role) {from, ev, to, who, role},
    FB_LC_TRANSITION_TABLE(FB_X)
#undef FB_X
};
#define N_ROWS (sizeof rows / sizeof rows[0])

static const struct {
    const char *name;
    fb_action action;
    int pending;
    fb_approval approval;
    const char *words;
} events[] = {
#define FB_X(e, s, action, pending, appr, words) [e] = {s, action, pending, appr, words},
    FB_LC_EVENT_TABLE(FB_X)
#undef FB_X
};

static const char *const subjects[] = {
#define FB_X(e, s) [e] = s,
    FB_LC_SUBJECT_TABLE(FB_X)
#undef FB_X
};

static const struct {
    const char *name;
    lc_subject subject;
    int must_be;
    fb_option_id sw;
    const char *words;
} whos[] = {
#define FB_X(e, s, subj, must_be, sw, words) [e] = {s, subj, must_be, sw, words},
    FB_LC_WHO_TABLE(FB_X)
#undef FB_X
};

static const struct {
    const char *name, *group;
    fb_option_id setting;
    const char *words;
} roles[] = {
#define FB_X(e, s, group, setting, words) [e] = {s, group, setting, words},
    FB_LC_ROLE_TABLE(FB_X)
#undef FB_X
};

static const struct {
    fb_case_status status;
    fb_queue queue;
} queues[] = {
#define FB_X(st, q) {st, q},
    FB_LC_QUEUE_TABLE(FB_X)
#undef FB_X
};
#define N_QUEUES (sizeof queues / sizeof queues[0])

int lifecycle_claim_live(const char *claim_by, int64_t claim_until, int64_t now)
{
    return claim_by && claim_by[0] && claim_until > now;
}

const char *lifecycle_event_str(lc_event e) { return e >= 0 && e < LC_EV_COUNT ? events[e].name : "?"; }
const char *lifecycle_event_words(lc_event e) { return e >= 0 && e < LC_EV_COUNT ? events[e].words : "?"; }
lc_event lifecycle_event_from_str(const char *s)
{
    for (int i = 0; s && i < LC_EV_COUNT; i++)
        if (strcmp(events[i].name, s) == 0)
            return (lc_event)i;
    return LC_EV_NONE;
}
const char *lifecycle_who_str(lc_who w) { return w >= 0 && w < LC_WHO_COUNT ? whos[w].name : "?"; }
const char *lifecycle_who_words(lc_who w) { return w >= 0 && w < LC_WHO_COUNT ? whos[w].words : "?"; }
const char *lifecycle_role_str(lc_role r) { return r >= 0 && r < LC_ROLE_COUNT ? roles[r].name : "?"; }
const char *lifecycle_role_words(lc_role r) { return r >= 0 && r < LC_ROLE_COUNT ? roles[r].words : "?"; }
const char *lifecycle_role_group(lc_role r) { return r >= 0 && r < LC_ROLE_COUNT ? roles[r].group : NULL; }
fb_option_id lifecycle_role_setting(lc_role r) { return r >= 0 && r < LC_ROLE_COUNT ? roles[r].setting : OPT_COUNT; }
lc_role lifecycle_role_from_str(const char *s)
{
    for (int i = 0; s && i < LC_ROLE_COUNT; i++)
        if (strcmp(roles[i].name, s) == 0)
            return (lc_role)i;
    return (lc_role)-1;
}
const char *lifecycle_subject_str(lc_subject x) { return x >= 0 && x < LC_SUBJ_COUNT ? subjects[x] : "?"; }
lc_subject lifecycle_who_subject(lc_who w) { return w >= 0 && w < LC_WHO_COUNT ? whos[w].subject : LC_SUBJ_NONE; }
int lifecycle_who_must_be(lc_who w) { return w >= 0 && w < LC_WHO_COUNT ? whos[w].must_be : 0; }
fb_option_id lifecycle_who_switch(lc_who w) { return w >= 0 && w < LC_WHO_COUNT ? whos[w].sw : OPT_COUNT; }
fb_approval lifecycle_event_approval(lc_event e) { return e >= 0 && e < LC_EV_COUNT ? events[e].approval : FB_APPR_NONE; }

static void add_setting(fb_option_id *out, size_t cap, size_t *n, fb_option_id id)
{
    if (id == OPT_COUNT)
        return;
    for (size_t i = 0; i < *n && i < cap; i++)
        if (out[i] == id)
            return;
    if (*n < cap)
        out[*n] = id;
    ++*n;
}

size_t lifecycle_settings(fb_option_id *out, size_t cap)
{
    size_t n = 0;
    for (int w = 0; w < LC_WHO_COUNT; w++)
        add_setting(out, cap, &n, whos[w].sw);
    for (int r = 0; r < LC_ROLE_COUNT; r++)
        add_setting(out, cap, &n, roles[r].setting);
    return n;
}
fb_action lifecycle_event_action(lc_event e) { return e >= 0 && e < LC_EV_COUNT ? events[e].action : FB_A_NONE; }
int lifecycle_event_pending(lc_event e) { return e >= 0 && e < LC_EV_COUNT ? events[e].pending : 0; }

lc_event lifecycle_decide_event(fb_action a, int pending_approval)
{
    for (int i = 0; i < LC_EV_COUNT; i++)
        if (events[i].action == a && a != FB_A_NONE && events[i].pending == (pending_approval != 0))
            return (lc_event)i;
    return LC_EV_NONE;
}

const lc_transition *lifecycle_rows(size_t *n)
{
    *n = N_ROWS;
    return rows;
}

const lc_transition *lifecycle_find(fb_case_status from, lc_event event)
{
    for (size_t i = 0; i < N_ROWS; i++)
        if (rows[i].from == from && rows[i].event == event)
            return &rows[i];
    return NULL;
}

fb_case_status lifecycle_next(fb_case_status from, lc_event event, fb_case_status prev)
{
    const lc_transition *r = lifecycle_find(from, event);
    if (!r)
        return FB_CS_NONE;
    return r->to == LC_SAME ? from : r->to == LC_PREV ? prev : r->to;
}

static int same(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

/* A [policy] switch's value for this actor (the switches lc_actor carries). */
static int switch_on(const lc_actor *a, fb_option_id sw)
{
    return sw == OPT_POLICY_APPEAL_SEPARATION ? a->appeal_separation : 1;
}

/* The role an event needs, a role named by a setting resolved through the actor's policy. */
static lc_role role_needed(const lc_actor *a, lc_role r)
{
    fb_option_id set = roles[r].setting;
    if (set == OPT_COUNT)
        return r;
    const char *named = set == OPT_POLICY_APPROVER_ROLE && a->approver_role ? a->approver_role : config_option(set)->def;
    lc_role n = lifecycle_role_from_str(named);
    /* lc_role may be unsigned: (lc_role)-1 is caught by the upper bound */
    return n >= 0 && n < LC_ROLE_COUNT && roles[n].setting == OPT_COUNT ? n : (lc_role)-1;
}

lc_verdict lifecycle_may(fb_case_status from, lc_event event, const lc_actor *actor, const lc_transition **out)
{
    const lc_transition *r = lifecycle_find(from, event);
    if (out)
        *out = r;
    if (!r)
        return LC_NOT_IN_STATUS;
    /* who before role: "not your own block" is the answer even for one who is no lead */
    if (r->who < 0 || r->who >= LC_WHO_COUNT)
        return LC_NOT_WHO;
    lc_subject subj = whos[r->who].subject;
    if (subj != LC_SUBJ_NONE && switch_on(actor, whos[r->who].sw)) {
        const char *who = subj == LC_SUBJ_PROPOSER ? actor->proposer
                          : subj == LC_SUBJ_APPEALED ? actor->appealed
                                                     : actor->owner;
        if (same(actor->reviewer, who) != whos[r->who].must_be)
            return LC_NOT_WHO;
    }
    lc_role need = role_needed(actor, r->role);
    return need >= 0 && need < LC_ROLE_COUNT && (actor->roles & (1u << need)) ? LC_OK : LC_NOT_ROLE;
}

int lifecycle_queue_of(fb_case_status st)
{
    for (size_t i = 0; i < N_QUEUES; i++)
        if (queues[i].status == st)
            return (int)queues[i].queue;
    return -1;
}

int lifecycle_decidable(fb_case_status st)
{
    for (size_t i = 0; i < N_ROWS; i++)
        if (rows[i].from == st && lifecycle_event_action(rows[i].event) != FB_A_NONE)
            return 1;
    return 0;
}

static const char *to_str(fb_case_status to)
{
    return to == LC_SAME ? "same" : to == LC_PREV ? "prev" : fb_case_status_str(to);
}

fb_status lifecycle_seed(fb_store *s, fb_err *err)
{
    store_lc_row *r = calloc(N_ROWS + LC_EV_COUNT + N_QUEUES + FB_A_COUNT + 1, sizeof *r);
    if (!r)
        return fb_err_set(err, FB_ENOMEM, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < N_ROWS; i++)
        r[n++] = (store_lc_row){STORE_LC_TRANSITION,
                                {fb_case_status_str(rows[i].from), lifecycle_event_str(rows[i].event),
                                 to_str(rows[i].to), lifecycle_who_str(rows[i].who),
                                 lifecycle_role_str(rows[i].role)}};
    for (int i = 0; i < LC_EV_COUNT; i++)
        r[n++] = (store_lc_row){STORE_LC_EVENT,
                                {events[i].name, fb_action_str(events[i].action), events[i].pending ? "1" : "0",
                                 NULL, NULL}};
    for (size_t i = 0; i < N_QUEUES; i++)
        r[n++] = (store_lc_row){STORE_LC_QUEUE,
                                {fb_case_status_str(queues[i].status), queue_name(queues[i].queue), NULL, NULL,
                                 NULL}};
    for (int a = 0; a < FB_A_COUNT; a++)
        r[n++] = (store_lc_row){STORE_LC_ACTION,
                                {fb_action_str((fb_action)a), fb_action_counts_as_violation((fb_action)a) ? "1" : "0",
                                 NULL, NULL, NULL}};
    /* the view live_claim, from the same text upstream's fb_lc_claim_live is written from */
    r[n++] = (store_lc_row){STORE_LC_CLAIM_LIVE, {LC_CLAIM_LIVE_SQL, NULL, NULL, NULL, NULL}};
    fb_status rc = store_lifecycle_put(s, r, n, err);
    free(r);
    return rc;
}
