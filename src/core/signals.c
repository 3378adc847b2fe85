/* Signals: why a case was flagged, computed from its evidence (DESIGN.md §5, POLICY.md).
 *
 * signals_compute is pure: it reads the case and the message analyser (core/analyse) and
 * writes the derived fields (signals, matches, risk, suggested); it never touches the store.
 *
 * Risk is the sum of the weights of the signals found, capped at 100. The suggested
 * violation is the one whose signals weigh most in total; ties go to the violation with the
 * heavier single signal, then to the earlier code in FB_VIOLATION_TABLE (model.h) — a fixed
 * order, so the same evidence always suggests the same code. */
#include "fbreview/signals.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fbreview/money.h"
#include "fbreview/timeutil.h"

/* ---- the one table of evidence signals: code, violation, weight, sentence format ---- */

/* Message signals are not here: their outcome, weight and sentence come from the analyser's
 * frames (data/frames.tsv, the frame_rule table); their code is msg_/read_/ok_ + the frame. */
#define SIGNAL_TABLE(X)                                                                         \
    /* shared links between the two sides: roles, then what they share ("payment method   \
     * card ending 4242"; the detail alone when it already names the kind: "IP 192.0.2.1") */ \
    X(SIG_LINK_DEVICE, "link_same_device", FB_V_SELF_HIRE, 45, "%s and %s share %s")          \
    X(SIG_LINK_IP, "link_same_ip", FB_V_SELF_HIRE, 20, "%s and %s share %s")                  \
    X(SIG_LINK_PAYMENT, "link_same_payment_method", FB_V_SELF_HIRE, 50, "%s and %s share %s") \
    X(SIG_LINK_ADDRESS, "link_same_address", FB_V_SELF_HIRE, 40, "%s and %s share %s")        \
    X(SIG_LINK_EMAIL, "link_same_email_pattern", FB_V_SELF_HIRE, 35, "%s and %s share %s")    \
    /* roles, " (detail)" or "" */                                                             \
    X(SIG_LINK_TEAM, "link_same_team", FB_V_CONFLICT_OF_INTEREST, 45,                          \
      "%s and %s are on the same team%s")                                                      \
    /* duration since start, job value (", on a $5.00 job" or "") */                           \
    X(SIG_FAST_FEEDBACK, "fast_feedback", FB_V_FAKE_JOB, 20,                                   \
      "5-star feedback %s after the contract started%s")                                       \
    /* duration from opening to closing */                                                     \
    X(SIG_SHORT_CONTRACT, "short_contract", FB_V_FAKE_JOB, 15,                                 \
      "contract opened and closed within %s")                                                  \
    /* total paid to the freelancer */                                                         \
    X(SIG_TINY_PAYMENT, "tiny_payment", FB_V_FAKE_JOB, 20, "5-star feedback on a job paid %s in total") \
    /* "budget $0.00" or "no budget" */                                                     \
    X(SIG_ZERO_VALUE, "zero_value_contract", FB_V_FREE_WORK_FOR_REVIEW, 30,                   \
      "zero-value contract: %s and nothing paid")                                       \
    /* amount, payer's role, delay after the feedback */                                       \
    X(SIG_REFUND_AFTER, "refund_after_feedback", FB_V_PAID_FEEDBACK, 40,                       \
      "refund of %s from the %s %s after 5-star feedback")                                     \
    X(SIG_BONUS_AFTER, "bonus_after_feedback", FB_V_PAID_FEEDBACK, 35,                         \
      "bonus of %s from the %s %s after 5-star feedback")                                      \
    /* number of contracts */                                                                  \
    X(SIG_RECIPROCAL, "reciprocal_feedback", FB_V_FAKE_JOB, 25,                                \
      "reciprocal 5-star feedback between these accounts on %d contracts")                     \
    /* role, age at the contract's creation */                                              \
    X(SIG_NEW_ACCOUNT, "new_account", FB_V_SELF_HIRE, 15,                                      \
      "%s account created %s before the contract")                                            \
    /* subject's name, count, "s" or "", the list. History says who, not what: it supports   \
     * no code (the ladder counts it separately) and only adds a little risk. */              \
    X(SIG_PRIOR, "prior_violations", FB_V_NONE, 5, "%s has %d earlier violation%s: %s")         \
    STRUCTURE_SIGNAL_TABLE(X)

/* Signals from other cases too (store_structure.h): weighed by signals_structure once the
 * case is in the store, not by signals_compute. */
#define STRUCTURE_SIGNAL_TABLE(X)                                                              \
    /* hirer's role, hired's role, again both, the other case, " (and N more)" or "" */      \
    X(SIG_RING_SWAP, "ring_hired_each_other", FB_V_CONFLICT_OF_INTEREST, 35,                   \
      "%s and %s hired each other with 5 stars both ways: the %s hired the %s in case %s%s")  \
    /* hirer's role, hired's role, third account, its case, the hirer's role, the case */     \
    X(SIG_RING_THREE, "ring_of_three", FB_V_CONFLICT_OF_INTEREST, 40,                          \
      "5-star ring of three accounts: the %s hired the %s here, who hired %s in case %s, who hired the %s in case %s") \
    /* the two roles, how they are joined */                                                 \
    X(SIG_CLUSTER_JOINS, "cluster_joins_parties", FB_V_SELF_HIRE, 40,                          \
      "%s and %s share no device, IP, payment method or address in this case but are joined through other cases: %s") \
    /* role, number of other accounts ("3", "12+"), "s" or "", the other cases */           \
    X(SIG_CLUSTER_WIDE, "cluster_across_cases", FB_V_SELF_HIRE, 15,                            \
      "%s shares a device, IP, payment method or address with %s other account%s (cases %s)")

enum sig_id {
#define SIG_X(e, code, v, w, fmt) e,
    SIGNAL_TABLE(SIG_X)
#undef SIG_X
    SIG_COUNT
};

static const struct {
    const char *code;
    fb_violation violation;
    int weight;
    const char *fmt;
} sig_table[SIG_COUNT] = {
#define SIG_X(e, code, v, w, fmt) [e] = {code, v, w, fmt},
    SIGNAL_TABLE(SIG_X)
#undef SIG_X
};

/* Thresholds for the evidence signals. */
#define MINUTE_MS ((int64_t)60 * 1000)
#define HOUR_MS (60 * MINUTE_MS)
#define DAY_MS (24 * HOUR_MS)
#define FAST_FEEDBACK_MS (2 * HOUR_MS)     /* 5-star feedback this soon after the start */
#define SHORT_CONTRACT_MS (2 * HOUR_MS)    /* opened and closed this quickly */
#define PAYBACK_WINDOW_MS (7 * DAY_MS)     /* refund/bonus this long after the feedback */
#define RECIPROCAL_MIN 2                   /* one mutual pair is normal; a ring is more */
#define NEW_ACCOUNT_MS (7 * DAY_MS)        /* an account this young at the contract's creation */

/* "Tiny" is at most this many major units of the currency (a rough, deliberately coarse
 * table: the point is a job worth nothing, not exchange rates). Others: 10. */
static const struct { const char code[4]; int64_t major; } tiny_table[] = {
    {"JPY", 1500}, {"KRW", 15000}, {"INR", 800},
};

static int64_t tiny_limit_minor(const char *currency)
{
    int64_t major = 10;
    for (size_t i = 0; i < sizeof tiny_table / sizeof tiny_table[0]; i++)
        if (strcmp(tiny_table[i].code, currency) == 0)
            major = tiny_table[i].major;
    int64_t m = major;
    for (int e = fb_money_exponent(currency); e > 0; e--)
        m *= 10;
    return m;
}

/* ---- computing the signals ---- */

typedef struct sigbuf {
    fb_case *c;
    int failed;
} sigbuf;

static void add_signal(sigbuf *b, const char *code, fb_violation v, int weight, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void add_signal(sigbuf *b, const char *code, fb_violation v, int weight, const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    fb_signal *g = fb_grow((void **)&b->c->signals, &b->c->n_signals, sizeof *g);
    if (!g) {
        b->failed = 1;
        return;
    }
    snprintf(g->code, sizeof g->code, "%s", code);
    g->violation = v;
    g->weight = weight;
    g->sentence = fb_strdup(text);
}

/* The table's format strings are not literals at the call site; the table is ours. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#define ADD_SIG(b, id, v, ...) add_signal((b), sig_table[id].code, (v), sig_table[id].weight, sig_table[id].fmt, __VA_ARGS__)

static const char *role_of(const fb_case *c, const char *id)
{
    const fb_account *a = fb_case_account(c, id);
    const char *r = a ? fb_role_str(a->role) : NULL;
    return r ? r : "other account";
}

static const char *name_of(const fb_case *c, const char *id)
{
    const fb_account *a = fb_case_account(c, id);
    return a && a->name && *a->name ? a->name : id;
}

static void links_signals(sigbuf *b, const fb_case *c)
{
    static const enum sig_id by_kind[FB_LINK_COUNT] = {
        [FB_LINK_SAME_DEVICE] = SIG_LINK_DEVICE,   [FB_LINK_SAME_IP] = SIG_LINK_IP,
        [FB_LINK_SAME_PAYMENT_METHOD] = SIG_LINK_PAYMENT, [FB_LINK_SAME_TEAM] = SIG_LINK_TEAM,
        [FB_LINK_SAME_ADDRESS] = SIG_LINK_ADDRESS, [FB_LINK_SAME_EMAIL_PATTERN] = SIG_LINK_EMAIL,
    };
    for (size_t i = 0; i < c->n_links; i++) {
        const fb_link *l = &c->links[i];
        if ((int)l->kind < 0 || l->kind >= FB_LINK_COUNT)
            continue;
        /* A link counts once per kind: two device links are still one shared device story. */
        int seen = 0;
        for (size_t j = 0; j < i; j++)
            seen |= c->links[j].kind == l->kind;
        if (seen)
            continue;
        char what[320];
        const char *words = fb_link_words(l->kind), *d = l->detail && *l->detail ? l->detail : NULL;
        size_t w1 = strcspn(words, " ");
        if (l->kind == FB_LINK_SAME_TEAM)
            snprintf(what, sizeof what, d ? " (%s)" : "%s", d ? d : "");
        else if (d && strncasecmp(d, words, w1) == 0 && (d[w1] == ' ' || d[w1] == '\0'))
            snprintf(what, sizeof what, "%s", d);        /* "device fingerprint 9f2c", not "device device …" */
        else
            snprintf(what, sizeof what, "%s%s%s", words, d ? " " : "", d ? d : "");
        enum sig_id id = by_kind[l->kind];
        const char *ra = role_of(c, l->a), *rb = role_of(c, l->b);
        /* Client first when the link names the freelancer first: the sentence reads the same way every time. */
        if (strcmp(ra, "freelancer") == 0 && strcmp(rb, "client") == 0) {
            const char *t = ra;
            ra = rb;
            rb = t;
        }
        ADD_SIG(b, id, sig_table[id].violation, ra, rb, what);
    }
}

static int64_t paid_to_freelancer(const fb_case *c, const char **currency)
{
    int64_t total = 0;
    *currency = c->has_contract && c->contract.currency[0] ? c->contract.currency : NULL;
    for (size_t i = 0; i < c->n_payments; i++) {
        const fb_payment *p = &c->payments[i];
        if (p->kind != FB_PAY_PAYMENT && p->kind != FB_PAY_MILESTONE)
            continue;
        if (c->has_contract && c->contract.freelancer && p->to && strcmp(p->to, c->contract.freelancer) != 0)
            continue;
        total += p->amount_minor;
        if (!*currency && p->currency[0])
            *currency = p->currency;
    }
    if (!*currency)
        *currency = "USD";
    return total;
}

/* The earliest 5-star feedback, preferring any with a known time over one without. */
static const fb_feedback *first_five_star(const fb_case *c)
{
    const fb_feedback *best = NULL;
    for (size_t i = 0; i < c->n_feedback; i++) {
        const fb_feedback *f = &c->feedback[i];
        if (f->rating == 5 && (!best || (f->at && (!best->at || f->at < best->at))))
            best = f;
    }
    return best;
}

static void contract_signals(sigbuf *b, const fb_case *c)
{
    const fb_feedback *five = first_five_star(c);
    const char *cur;
    int64_t paid = paid_to_freelancer(c, &cur);
    char money[64], dur[32];
    if (!c->has_contract)
        return;
    const fb_contract *k = &c->contract;
    int64_t start = k->started_at ? k->started_at : k->created_at;
    if (five && start && five->at >= start && five->at - start <= FAST_FEEDBACK_MS) {
        char job[96] = "";
        if (k->has_budget)
            snprintf(job, sizeof job, ", on a %s job", fb_money_format(k->budget_minor, cur, money, sizeof money));
        else if (paid > 0)
            snprintf(job, sizeof job, ", on a %s job", fb_money_format(paid, cur, money, sizeof money));
        ADD_SIG(b, SIG_FAST_FEEDBACK, sig_table[SIG_FAST_FEEDBACK].violation,
                fb_duration_words(five->at - start, dur, sizeof dur), job);
    }
    int64_t opened = k->created_at ? k->created_at : k->started_at;
    if (opened && k->ended_at && k->ended_at >= opened && k->ended_at - opened <= SHORT_CONTRACT_MS)
        ADD_SIG(b, SIG_SHORT_CONTRACT, sig_table[SIG_SHORT_CONTRACT].violation,
                fb_duration_words(k->ended_at - opened, dur, sizeof dur));
    int zero_budget = k->has_budget && k->budget_minor == 0;
    if (paid == 0 && (zero_budget || (!k->has_budget && five))) {
        char what[80] = "no budget";
        if (zero_budget)
            snprintf(what, sizeof what, "budget %s", fb_money_format(0, cur, money, sizeof money));
        ADD_SIG(b, SIG_ZERO_VALUE, sig_table[SIG_ZERO_VALUE].violation, what);
    }
    else if (five && paid > 0 && paid <= tiny_limit_minor(cur))
        ADD_SIG(b, SIG_TINY_PAYMENT, sig_table[SIG_TINY_PAYMENT].violation, fb_money_format(paid, cur, money, sizeof money));
}

/* Money flowing back to whoever gave 5-star feedback (a refund from the freelancer to the
 * client who praised them, a bonus from the client to the freelancer who praised them)
 * soon after it: the shape of a paid review. A tip in the other direction is not, and
 * neither is a bonus from someone who had praised the payee themselves. */
/* 1 if from had given to 5-star feedback before at: a bonus then is a tip for work the
 * payer praised, not a payment for the praise it received. */
static int praised_before(const fb_case *c, const char *from, const char *to, int64_t at)
{
    for (size_t i = 0; i < c->n_feedback; i++) {
        const fb_feedback *f = &c->feedback[i];
        if (f->rating == 5 && f->from && f->to && f->at <= at && strcmp(f->from, from) == 0 && strcmp(f->to, to) == 0)
            return 1;
    }
    return 0;
}

static void payback_signals(sigbuf *b, const fb_case *c)
{
    char money[64], dur[32];
    for (size_t i = 0; i < c->n_payments; i++) {
        const fb_payment *p = &c->payments[i];
        if ((p->kind != FB_PAY_REFUND && p->kind != FB_PAY_BONUS) || !p->from || !p->to)
            continue;
        for (size_t j = 0; j < c->n_feedback; j++) {
            const fb_feedback *f = &c->feedback[j];
            if (f->rating != 5 || !f->from || !f->to || strcmp(f->to, p->from) != 0 || strcmp(f->from, p->to) != 0)
                continue;
            if (p->at < f->at || p->at - f->at > PAYBACK_WINDOW_MS)
                continue;
            if (p->kind == FB_PAY_BONUS && praised_before(c, p->from, p->to, p->at))
                continue;
            enum sig_id id = p->kind == FB_PAY_REFUND ? SIG_REFUND_AFTER : SIG_BONUS_AFTER;
            const char *cur = p->currency[0] ? p->currency : c->has_contract && c->contract.currency[0] ? c->contract.currency : "USD";
            ADD_SIG(b, id, sig_table[id].violation, fb_money_format(p->amount_minor, cur, money, sizeof money),
                    role_of(c, p->from), fb_duration_words(p->at - f->at, dur, sizeof dur));
            break;
        }
    }
}

/* A side of the contract whose account was opened days or hours before it: the second
 * account of a self-hire is usually brand new. One signal, for the youngest account. */
static void new_account_signal(sigbuf *b, const fb_case *c)
{
    if (!c->has_contract || !c->contract.created_at)
        return;
    const fb_account *young = NULL;
    const char *sides[2] = {c->contract.client, c->contract.freelancer};
    for (int i = 0; i < 2; i++) {
        const fb_account *a = fb_case_account(c, sides[i]);
        if (!a || !a->created_at || a->created_at > c->contract.created_at ||
            c->contract.created_at - a->created_at > NEW_ACCOUNT_MS)
            continue;
        if (!young || a->created_at > young->created_at)
            young = a;
    }
    if (young) {
        char dur[32];
        const char *role = fb_role_str(young->role);
        ADD_SIG(b, SIG_NEW_ACCOUNT, sig_table[SIG_NEW_ACCOUNT].violation, role ? role : "an",
                fb_duration_words(c->contract.created_at - young->created_at, dur, sizeof dur));
    }
}

static void reciprocal_signal(sigbuf *b, const fb_case *c)
{
    if (!c->subject || !c->counterparty)
        return;
    int ab = 0, ba = 0;
    for (size_t i = 0; i < c->n_feedback; i++) {
        const fb_feedback *f = &c->feedback[i];
        if (f->rating != 5 || !f->from || !f->to)
            continue;
        ab += strcmp(f->from, c->subject) == 0 && strcmp(f->to, c->counterparty) == 0;
        ba += strcmp(f->from, c->counterparty) == 0 && strcmp(f->to, c->subject) == 0;
    }
    int pairs = ab < ba ? ab : ba;
    if (pairs >= RECIPROCAL_MIN)
        ADD_SIG(b, SIG_RECIPROCAL, sig_table[SIG_RECIPROCAL].violation, pairs);
}

static void prior_signal(sigbuf *b, const fb_case *c)
{
    const fb_account *s = fb_case_account(c, c->subject);
    if (!s)
        return;
    char list[512] = "";
    size_t len = 0;
    int count = 0;
    for (size_t i = 0; i < s->n_prior; i++) {
        const fb_prior *p = &s->prior[i];
        if (!fb_action_counts_as_violation(p->action))
            continue;
        count++;
        char when[32];
        fb_time_format_utc(p->at, when, sizeof when);
        when[10] = '\0';
        const char *vs = fb_violation_str(p->violation);
        int w = snprintf(list + len, sizeof list - len, "%s%s%s%s (%s)", count > 1 ? ", " : "",
                         fb_action_str(p->action), vs ? " for " : "", vs ? vs : "", when);
        if (w > 0 && (size_t)w < sizeof list - len)
            len += (size_t)w;
    }
    if (count)
        ADD_SIG(b, SIG_PRIOR, sig_table[SIG_PRIOR].violation, name_of(c, s->id), count, count == 1 ? "" : "s", list);
}
#pragma GCC diagnostic pop

/* The message analyser's findings: a violation frame is a signal with the frame's weight;
 * "read" and "ok" frames are signals of weight 0 that the recommendation reads
 * (signals_stance). The matches (highlighting) are written by the analyser itself. */
static void message_signals(sigbuf *b, fb_case *c, const fb_analyser *a, fb_err *err)
{
    fb_finding *f = NULL;
    size_t n = 0;
    if (analyser_run(a, c, &f, &n, err) != FB_OK) {
        b->failed = 1;
        return;
    }
    for (size_t i = 0; i < n; i++)
        add_signal(b, f[i].code, f[i].violation, f[i].weight, "message %s", f[i].sentence);
    analyser_findings_free(&f, n);
}

/* Strongest first (stable): the reviewer reads the heaviest reason at the top. */
static void sort_signals(fb_case *c)
{
    for (size_t i = 1; i < c->n_signals; i++) {
        fb_signal g = c->signals[i];
        size_t j = i;
        while (j > 0 && c->signals[j - 1].weight < g.weight) {
            c->signals[j] = c->signals[j - 1];
            j--;
        }
        c->signals[j] = g;
    }
}

static void score(fb_case *c)
{
    int sum[FB_V_COUNT] = {0}, top[FB_V_COUNT] = {0}, total = 0;
    for (size_t i = 0; i < c->n_signals; i++) {
        const fb_signal *g = &c->signals[i];
        total += g->weight;
        if ((int)g->violation < 0 || g->violation >= FB_V_COUNT)
            continue;
        sum[g->violation] += g->weight;
        if (g->weight > top[g->violation])
            top[g->violation] = g->weight;
    }
    c->risk = total > 100 ? 100 : total;
    c->suggested = FB_V_NONE;
    for (int v = 0; v < FB_V_COUNT; v++) {
        if (!sum[v])
            continue;
        if (c->suggested == FB_V_NONE || sum[v] > sum[c->suggested] ||
            (sum[v] == sum[c->suggested] && top[v] > top[c->suggested]))
            c->suggested = (fb_violation)v;
    }
}

fb_status signals_compute(fb_case *c, const fb_analyser *analyser, fb_err *err)
{
    fb_case_clear_derived(c);
    sigbuf b = {c, 0};
    links_signals(&b, c);
    contract_signals(&b, c);
    payback_signals(&b, c);
    new_account_signal(&b, c);
    reciprocal_signal(&b, c);
    message_signals(&b, c, analyser, err);
    prior_signal(&b, c);
    if (b.failed) {
        fb_case_clear_derived(c);
        return fb_err_set(err, FB_ENOMEM, "signals for case %s: out of memory", c->id ? c->id : "?");
    }
    sort_signals(c);
    score(c);
    return FB_OK;
}

/* ---- cross-case structure ---- */

static int is_structural(const char *code)
{
    static const enum sig_id ids[] = {
#define SIG_X(e, code, v, w, fmt) e,
        STRUCTURE_SIGNAL_TABLE(SIG_X)
#undef SIG_X
    };
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        if (strcmp(sig_table[ids[i]].code, code) == 0)
            return 1;
    return 0;
}

/* "C-1, C-2, C-3" and ", …" when the list goes on. */
static void id_list(char *buf, size_t n, char *const *ids, size_t count, int more)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < count && i < 3; i++) {
        int w = snprintf(buf + len, n - len, "%s%s", i ? ", " : "", ids[i]);
        if (w < 0 || (size_t)w >= n - len)
            return;
        len += (size_t)w;
    }
    if (count > 3 || more)
        snprintf(buf + len, n - len, ", …");
}

static const char *role_or_id(const fb_case *c, const char *id)
{
    const fb_account *a = fb_case_account(c, id);
    const char *r = a ? fb_role_str(a->role) : NULL;
    return r ? r : id;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void structure_signals(sigbuf *b, const fb_case *c, const fb_structure *st)
{
    const fb_ring *two = NULL, *three = NULL;
    size_t n_two = 0;
    for (size_t i = 0; i < st->n_rings; i++) {
        const fb_ring *g = &st->rings[i];
        if (g->length == 2 && n_two++ == 0)
            two = g;
        if (g->length == 3 && !three)
            three = g;
    }
    if (two) {
        const char *hirer = role_or_id(c, two->accounts[0]), *hired = role_or_id(c, two->accounts[1]);
        char more[48] = "";
        if (n_two > 1)
            snprintf(more, sizeof more, " (and %zu more)", n_two - 1);
        ADD_SIG(b, SIG_RING_SWAP, sig_table[SIG_RING_SWAP].violation, hirer, hired, hired, hirer, two->cases[1], more);
    }
    if (three) {
        const char *hirer = role_or_id(c, three->accounts[0]), *hired = role_or_id(c, three->accounts[1]);
        ADD_SIG(b, SIG_RING_THREE, sig_table[SIG_RING_THREE].violation, hirer, hired, three->accounts[2],
                three->cases[1], hirer, three->cases[2]);
    }
    if (st->parties_joined) {
        char how[400];
        if (st->direct_case)
            snprintf(how, sizeof how, "they share %s %s in case %s", fb_link_article(st->direct_kind),
                     fb_link_words(st->direct_kind), st->direct_case);
        else if (st->via)
            snprintf(how, sizeof how, "account %s shares %s %s with the %s (case %s) and %s %s with the %s (case %s)",
                     st->via, fb_link_article(st->via_kind[0]), fb_link_words(st->via_kind[0]),
                     role_or_id(c, c->subject), st->via_case[0], fb_link_article(st->via_kind[1]),
                     fb_link_words(st->via_kind[1]), role_or_id(c, c->counterparty), st->via_case[1]);
        else
            snprintf(how, sizeof how, "a chain of shared traits through other accounts");
        ADD_SIG(b, SIG_CLUSTER_JOINS, sig_table[SIG_CLUSTER_JOINS].violation, role_or_id(c, c->subject),
                role_or_id(c, c->counterparty), how);
    }
    /* The cluster reaching furthest beyond this case, once. */
    const fb_cluster *wide = NULL;
    for (size_t i = 0; i < st->n_clusters; i++) {
        const fb_cluster *cl = &st->clusters[i];
        if (cl->n_others && cl->n_cases && (!wide || cl->n_others > wide->n_others))
            wide = cl;
    }
    if (wide) {
        char count[24], cases[160];
        snprintf(count, sizeof count, "%zu%s", wide->n_others, wide->more_others ? "+" : "");
        id_list(cases, sizeof cases, wide->cases, wide->n_cases, wide->more_cases);
        ADD_SIG(b, SIG_CLUSTER_WIDE, sig_table[SIG_CLUSTER_WIDE].violation, role_or_id(c, wide->member), count,
                wide->n_others == 1 && !wide->more_others ? "" : "s", cases);
    }
}
#pragma GCC diagnostic pop

static int same_signal(const fb_signal *a, const fb_signal *b)
{
    return strcmp(a->code, b->code) == 0 && a->weight == b->weight && a->violation == b->violation &&
           strcmp(a->sentence ? a->sentence : "", b->sentence ? b->sentence : "") == 0;
}

fb_status signals_structure(fb_case *c, const fb_structure *st, int *changed, fb_err *err)
{
    *changed = 0;
    /* The old cross-case signals move out (kept to compare), the others stay in order. */
    fb_signal *old = NULL;
    size_t n_old = 0, keep = 0;
    for (size_t i = 0; i < c->n_signals; i++) {
        if (!is_structural(c->signals[i].code)) {
            c->signals[keep++] = c->signals[i];
            continue;
        }
        fb_signal *o = fb_grow((void **)&old, &n_old, sizeof *o);
        if (!o) {
            free(c->signals[i].sentence);
            *changed = 1;
            continue;
        }
        *o = c->signals[i];
    }
    c->n_signals = keep;
    sigbuf b = {c, 0};
    structure_signals(&b, c, st);
    if (!*changed) {
        size_t n_new = c->n_signals - keep;
        *changed = n_new != n_old;
        for (size_t i = 0; !*changed && i < n_new; i++) {
            int found = 0;
            for (size_t k = 0; k < n_old && !found; k++)
                found = same_signal(&c->signals[keep + i], &old[k]);
            *changed = !found;
        }
    }
    for (size_t i = 0; i < n_old; i++)
        free(old[i].sentence);
    free(old);
    if (b.failed)
        return fb_err_set(err, FB_ENOMEM, "cross-case signals for case %s: out of memory", c->id ? c->id : "?");
    sort_signals(c);
    score(c);
    return FB_OK;
}

fb_stance signals_stance(const fb_case *c)
{
    int read = 0, ok = 0;
    for (size_t i = 0; i < c->n_signals; i++) {
        read |= strncmp(c->signals[i].code, SIGNALS_READ_PREFIX, sizeof SIGNALS_READ_PREFIX - 1) == 0;
        ok |= strncmp(c->signals[i].code, SIGNALS_OK_PREFIX, sizeof SIGNALS_OK_PREFIX - 1) == 0;
    }
    return read ? FB_STANCE_READ : ok ? FB_STANCE_OK : FB_STANCE_SILENT;
}

const char *signals_read_reason(const fb_case *c)
{
    for (size_t i = 0; i < c->n_signals; i++)
        if (strncmp(c->signals[i].code, SIGNALS_READ_PREFIX, sizeof SIGNALS_READ_PREFIX - 1) == 0)
            return c->signals[i].sentence;
    return NULL;
}
