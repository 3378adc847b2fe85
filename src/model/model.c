/* The model layer: vocabulary tables and the case's lifetime (below store and core). */
#include "fbreview/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *id; int serious; const char *words; } violations[] = {
#define FB_X(e, s, serious, words) [e] = {s, serious, words},
    FB_VIOLATION_TABLE(FB_X)
#undef FB_X
};
static const struct { const char *id; int needs_code, counts; } actions[] = {
#define FB_X(e, s, needs, counts) [e] = {s, needs, counts},
    FB_ACTION_TABLE(FB_X)
#undef FB_X
};
static const char *const roles[] = {
#define FB_X(e, s) [e] = s,
    FB_ROLE_TABLE(FB_X)
#undef FB_X
};
static const struct { const char *id, *words; int joins; } links[] = {
#define FB_X(e, s, w, j) [e] = {s, w, j},
    FB_LINK_TABLE(FB_X)
#undef FB_X
};
static const char *const pays[] = {
#define FB_X(e, s) [e] = s,
    FB_PAY_TABLE(FB_X)
#undef FB_X
};
static const char *const case_statuses[] = {
#define FB_X(e, s) [e] = s,
    FB_STATUS_CASE_TABLE(FB_X)
#undef FB_X
};
static const char *const sync_states[] = {
#define FB_X(e, s) [e] = s,
    FB_SYNC_TABLE(FB_X)
#undef FB_X
};

#define IN_RANGE(v, n) ((int)(v) >= 0 && (int)(v) < (int)(n))

/* Linear search is right here: every vocabulary has at most six words. */
#define FROM_STR(arr, n, field, s)                      \
    do {                                                \
        if (!(s))                                       \
            return -1;                                  \
        for (int i_ = 0; i_ < (int)(n); i_++)           \
            if (strcmp(arr[i_] field, (s)) == 0)        \
                return i_;                              \
        return -1;                                      \
    } while (0)

const char *fb_violation_str(fb_violation v) { return IN_RANGE(v, FB_V_COUNT) ? violations[v].id : NULL; }
fb_violation fb_violation_from_str(const char *s) { FROM_STR(violations, FB_V_COUNT, .id, s); }
int fb_violation_serious(fb_violation v) { return IN_RANGE(v, FB_V_COUNT) ? violations[v].serious : 0; }
const char *fb_violation_words(fb_violation v) { return IN_RANGE(v, FB_V_COUNT) ? violations[v].words : ""; }
const char *fb_action_str(fb_action a) { return IN_RANGE(a, FB_A_COUNT) ? actions[a].id : NULL; }
fb_action fb_action_from_str(const char *s) { FROM_STR(actions, FB_A_COUNT, .id, s); }
int fb_action_needs_violation(fb_action a) { return IN_RANGE(a, FB_A_COUNT) ? actions[a].needs_code : 0; }
int fb_action_counts_as_violation(fb_action a) { return IN_RANGE(a, FB_A_COUNT) ? actions[a].counts : 0; }

int fb_days_valid(long long days) { return days >= FB_DAYS_MIN && days <= FB_DAYS_MAX; }

const char *fb_days_words(int days, char *buf, size_t size)
{
    snprintf(buf, size, "%d day%s", days, days == 1 ? "" : "s");
    return buf;
}

int fb_days_parse(const char *text, int *days)
{
    long long v = 0;
    const char *p = text;
    if (!p)
        return -1;
    p += strspn(p, " \t");   /* typed at a prompt: blanks around the number are no error */
    if (*p < '0' || *p > '9')
        return -1;
    for (; *p >= '0' && *p <= '9' && v <= FB_DAYS_MAX; p++)
        v = v * 10 + (*p - '0');
    p += strspn(p, " \t");
    if (*p || !fb_days_valid(v))
        return -1;
    *days = (int)v;
    return 0;
}
const char *fb_role_str(fb_role r) { return IN_RANGE(r, FB_ROLE_COUNT) ? roles[r] : NULL; }
fb_role fb_role_from_str(const char *s) { FROM_STR(roles, FB_ROLE_COUNT, , s); }
const char *fb_link_str(fb_link_kind k) { return IN_RANGE(k, FB_LINK_COUNT) ? links[k].id : NULL; }
const char *fb_link_words(fb_link_kind k) { return IN_RANGE(k, FB_LINK_COUNT) ? links[k].words : ""; }
const char *fb_link_article(fb_link_kind k)
{
    return strchr("aeiouAEIOU", fb_link_words(k)[0]) && fb_link_words(k)[0] ? "an" : "a";
}
int fb_link_joins(fb_link_kind k) { return IN_RANGE(k, FB_LINK_COUNT) ? links[k].joins : 0; }
fb_link_kind fb_link_from_str(const char *s) { FROM_STR(links, FB_LINK_COUNT, .id, s); }
const char *fb_pay_str(fb_pay_kind k) { return IN_RANGE(k, FB_PAY_COUNT) ? pays[k] : NULL; }
fb_pay_kind fb_pay_from_str(const char *s) { FROM_STR(pays, FB_PAY_COUNT, , s); }
const char *fb_case_status_str(fb_case_status s) { return IN_RANGE(s, FB_CS_COUNT) ? case_statuses[s] : NULL; }
fb_case_status fb_case_status_from_str(const char *s) { FROM_STR(case_statuses, FB_CS_COUNT, , s); }
const char *fb_sync_str(fb_sync_state s) { return IN_RANGE(s, FB_SYNC_COUNT) ? sync_states[s] : NULL; }
fb_sync_state fb_sync_from_str(const char *s) { FROM_STR(sync_states, FB_SYNC_COUNT, , s); }

fb_case *fb_case_new(void)
{
    fb_case *c = calloc(1, sizeof *c);
    if (c) {
        c->alleged = FB_V_NONE;
        c->suggested = FB_V_NONE;
        c->status = FB_CS_OPEN;
    }
    return c;
}

void fb_case_clear_derived(fb_case *c)
{
    for (size_t i = 0; i < c->n_signals; i++)
        free(c->signals[i].sentence);
    free(c->signals);
    for (size_t i = 0; i < c->n_matches; i++)
        free(c->matches[i].why);
    free(c->matches);
    c->signals = NULL;
    c->n_signals = 0;
    c->matches = NULL;
    c->n_matches = 0;
    c->risk = 0;
    c->suggested = FB_V_NONE;
}

const fb_cut *fb_case_cut(const fb_case *c, const char *field)
{
    for (size_t i = 0; c && i < c->n_cuts; i++)
        if (strcmp(c->cuts[i].field, field) == 0)
            return &c->cuts[i];
    return NULL;
}

const char *fb_field_path(char *buf, size_t n, const char *list, long index, const char *member)
{
    if (index >= 0)
        snprintf(buf, n, "%s[%ld]%s%s", list, index, member ? "." : "", member ? member : "");
    else
        snprintf(buf, n, "%s%s%s", list, member ? "." : "", member ? member : "");
    return buf;
}

void fb_case_free(fb_case **cp)
{
    fb_case *c = cp ? *cp : NULL;
    if (!c)
        return;
    free(c->id);
    free(c->source);
    for (size_t i = 0; i < c->n_accounts; i++) {
        fb_account *a = &c->accounts[i];
        free(a->id);
        free(a->name);
        free(a->country);
        free(a->prior);
    }
    free(c->accounts);
    for (size_t i = 0; i < c->n_links; i++) {
        free(c->links[i].a);
        free(c->links[i].b);
        free(c->links[i].detail);
    }
    free(c->links);
    free(c->contract.id);
    free(c->contract.client);
    free(c->contract.freelancer);
    free(c->contract.title);
    for (size_t i = 0; i < c->n_payments; i++) {
        free(c->payments[i].id);
        free(c->payments[i].from);
        free(c->payments[i].to);
    }
    free(c->payments);
    for (size_t i = 0; i < c->n_feedback; i++) {
        free(c->feedback[i].from);
        free(c->feedback[i].to);
        free(c->feedback[i].text);
    }
    free(c->feedback);
    for (size_t i = 0; i < c->n_messages; i++) {
        free(c->messages[i].from);
        free(c->messages[i].to);
        free(c->messages[i].body);
    }
    free(c->messages);
    free(c->subject);
    free(c->counterparty);
    free(c->cuts);
    fb_case_clear_derived(c);
    free(c->claim_by);
    free(c);
    *cp = NULL;
}

const fb_account *fb_case_account(const fb_case *c, const char *id)
{
    if (!id)
        return NULL;
    for (size_t i = 0; i < c->n_accounts; i++)
        if (c->accounts[i].id && strcmp(c->accounts[i].id, id) == 0)
            return &c->accounts[i];
    return NULL;
}

void fb_structure_clear(fb_structure *st)
{
    for (size_t i = 0; i < st->n_rings; i++)
        for (int k = 0; k < 3; k++) {
            free(st->rings[i].accounts[k]);
            free(st->rings[i].cases[k]);
        }
    free(st->rings);
    for (size_t i = 0; i < st->n_clusters; i++) {
        fb_cluster *cl = &st->clusters[i];
        free(cl->member);
        for (size_t k = 0; k < cl->n_others; k++)
            free(cl->others[k]);
        free(cl->others);
        for (size_t k = 0; k < cl->n_cases; k++)
            free(cl->cases[k]);
        free(cl->cases);
    }
    free(st->clusters);
    free(st->direct_case);
    free(st->via);
    free(st->via_case[0]);
    free(st->via_case[1]);
    memset(st, 0, sizeof *st);
    st->via_kind[0] = st->via_kind[1] = st->direct_kind = FB_LINK_NONE;
}

/* The side that hired: the contract's client, else an account in the client role. */
static int is_side(const fb_case *c, const char *id, const char *contract_side, fb_role role)
{
    if (!id)
        return 0;
    if (c->has_contract && contract_side)
        return strcmp(id, contract_side) == 0;
    const fb_account *a = fb_case_account(c, id);
    return a && a->role == role;
}

int fb_feedback_hire_praise(const fb_case *c, const fb_feedback *f)
{
    return f->rating == 5 && f->from && f->to && strcmp(f->from, f->to) != 0 &&
           is_side(c, f->from, c->contract.client, FB_ROLE_CLIENT) &&
           is_side(c, f->to, c->contract.freelancer, FB_ROLE_FREELANCER);
}
