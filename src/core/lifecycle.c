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
    const char *words;
} events[] = {
#define FB_X(e, s, action, pending, words) [e] = {s, action, pending, words},
    FB_LC_EVENT_TABLE(FB_X)
#undef FB_X
};

static const struct {
    const char *name, *words;
} whos[] = {
#define FB_X(e, s, words) [e] = {s, words},
    FB_LC_WHO_TABLE(FB_X)
#undef FB_X
};

static const char *const roles[] = {
#define FB_X(e, s) [e] = s,
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
const char *lifecycle_role_str(lc_role r) { return r >= 0 && r < LC_ROLE_COUNT ? roles[r] : "?"; }
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

lc_verdict lifecycle_may(fb_case_status from, lc_event event, const lc_actor *actor, const lc_transition **out)
{
    const lc_transition *r = lifecycle_find(from, event);
    if (out)
        *out = r;
    if (!r)
        return LC_NOT_IN_STATUS;
    if (!(actor->roles & (1 << r->role)))
        return LC_NOT_ROLE;
    switch (r->who) {
    case LC_WHO_ANY: break;
    case LC_WHO_OTHER:
        if (same(actor->reviewer, actor->proposer))
            return LC_NOT_WHO;
        break;
    case LC_WHO_NOT_APPEALED:
        if (actor->appeal_separation && same(actor->reviewer, actor->appealed))
            return LC_NOT_WHO;
        break;
    case LC_WHO_OWN:
        if (!same(actor->reviewer, actor->owner))
            return LC_NOT_WHO;
        break;
    default: return LC_NOT_WHO;
    }
    return LC_OK;
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
    store_lc_row *r = calloc(N_ROWS + LC_EV_COUNT + N_QUEUES + FB_A_COUNT, sizeof *r);
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
    fb_status rc = store_lifecycle_put(s, r, n, err);
    free(r);
    return rc;
}
