/* Signals: why a case was flagged, computed from its evidence (DESIGN.md §5, POLICY.md).
 *
 * signals_compute is pure: it reads the case and the phrase rules and writes the derived
 * fields (signals, matches, risk, suggested); it never touches the store. It runs on every
 * imported case, so the phrase matcher does no allocation per rule and no regex: each body
 * is lower-cased once, and at each word start only the rules whose pattern can begin with
 * that byte are tried (rules are bucketed by their possible first bytes when parsed).
 * Alternatives are matched in place, never multiplied out: a rule like
 * "[pay|bonus|tip]*for*[good|great] [review|rating]" is one program, not 12 patterns.
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

#include "data_files.h"
#include "fbreview/money.h"
#include "fbreview/timeutil.h"

/* ---- the one table of evidence signals: code, violation, weight, sentence format ---- */

/* Phrase-rule signals are not here: their violation, weight and sentence come from
 * data/phrases.tsv (the phrase_rule table); their code is "phrase_" + the violation. */
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
#define GAP_WORDS 6                        /* what a '*' in a phrase pattern may skip */
#define MAX_GAPS 4                         /* gaps backtrack: 7^4 tries per word start at worst */

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

/* ---- phrase rules ---- */

enum elem_kind { EL_LIT, EL_SEP, EL_APOS, EL_GAP, EL_ALT };

typedef struct elem {
    enum elem_kind kind;
    size_t off, n;       /* EL_LIT: bytes in fb_rules.lit; EL_ALT: alternatives in fb_rules.alts */
} elem;

typedef struct alt_range { size_t first, n; } alt_range;   /* elems of one alternative */

typedef struct rule {
    char *pattern;
    fb_violation violation;
    int weight;
    char *sentence;
    size_t group;        /* first rule with the same violation and sentence: one signal */
    size_t first, n;     /* the compiled program: elems */
} rule;

#define NONE ((size_t)-1)

struct fb_rules {
    rule *rules;       size_t n_rules;
    elem *elems;       size_t n_elems;
    alt_range *alts;   size_t n_alts;
    char *lit;         size_t n_lit, cap_lit;
    size_t cur_first;  /* while compiling: the first elem of the sequence being built */
    /* Rules by the byte their pattern can start with: bidx[bstart[b] .. bstart[b+1]),
     * each with the set of bytes that can follow that first byte (a cheap second check). */
    size_t bstart[257];
    struct bucket_entry { size_t rule; unsigned char second[32]; } *bidx;
    size_t n_bidx;
};

static unsigned char fold(unsigned char ch) { return ch >= 'A' && ch <= 'Z' ? (unsigned char)(ch + 32) : ch; }
static int is_alnum(unsigned char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z'); }
static int is_sep(unsigned char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '-' || ch == '_'; }
static int is_space(unsigned char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; }
/* A gap never runs past the end of a sentence: words in the next sentence are unrelated. */
static int ends_sentence(const char *t, size_t n, size_t i)
{
    unsigned char ch = (unsigned char)t[i];
    if (ch == '!' || ch == '?' || ch == '\n' || ch == ';')
        return 1;
    return ch == '.' && (i + 1 == n || is_space((unsigned char)t[i + 1]));
}

fb_status signals_rules_new(fb_rules **out, fb_err *err)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return fb_err_set(err, FB_ENOMEM, "phrase rules: out of memory");
    return FB_OK;
}

void signals_rules_free(fb_rules **rp)
{
    fb_rules *r = rp ? *rp : NULL;
    if (!r)
        return;
    for (size_t i = 0; i < r->n_rules; i++) {
        free(r->rules[i].pattern);
        free(r->rules[i].sentence);
    }
    free(r->rules);
    free(r->alts);
    free(r->bidx);
    free(r->elems);
    free(r->lit);
    free(r);
    *rp = NULL;
}

size_t signals_rules_count(const fb_rules *r) { return r ? r->n_rules : 0; }

void signals_rules_get(const fb_rules *r, size_t i, const char **pattern, fb_violation *violation,
                       int *weight, const char **sentence)
{
    *pattern = r->rules[i].pattern;
    *violation = r->rules[i].violation;
    *weight = r->rules[i].weight;
    *sentence = r->rules[i].sentence;
}

/* A pattern split into slots: each slot is a gap or a list of alternatives (plain text is a
 * slot with one alternative). Alternatives point into the pattern text. */
typedef struct alt { const char *s; size_t n; } alt;
typedef struct slot { int gap; alt alts[32]; size_t n_alts; } slot;

static fb_status pattern_err(fb_err *err, const char *where, const char *what)
{
    return fb_err_set(err, FB_EINPUT, "%s: pattern: %s", where, what);
}

static fb_status split_pattern(const char *where, const char *p, slot *slots, size_t max_slots,
                               size_t *n_slots, fb_err *err)
{
    size_t n = 0;
    const char *s = p;
    while (*s) {
        if (n == max_slots)
            return pattern_err(err, where, "too many parts (at most 64 texts, gaps and groups)");
        slot *sl = &slots[n];
        memset(sl, 0, sizeof *sl);
        if (*s == '*') {
            if (n > 0 && slots[n - 1].gap)
                return pattern_err(err, where, "two gaps '*' in a row");
            sl->gap = 1;
            s++;
        } else if (*s == '[') {
            const char *a = ++s;
            for (;; s++) {
                if (!*s)
                    return pattern_err(err, where, "'[' without its ']'");
                if (*s == '[')
                    return pattern_err(err, where, "'[' inside [ ] (groups do not nest)");
                if (*s == '*')
                    return pattern_err(err, where, "'*' inside [ ] (a gap cannot be an alternative)");
                if (*s == '|' || *s == ']') {
                    if (sl->n_alts == 32)
                        return pattern_err(err, where, "more than 32 alternatives in one [ ]");
                    if (s == a)
                        return pattern_err(err, where, "empty alternative in [ ]");
                    sl->alts[sl->n_alts++] = (alt){a, (size_t)(s - a)};
                    a = s + 1;
                    if (*s == ']')
                        break;
                }
            }
            s++;
        } else {
            const char *a = s;
            while (*s && *s != '*' && *s != '[') {
                if (*s == ']' || *s == '|')
                    return pattern_err(err, where, *s == ']' ? "']' without its '['" : "'|' outside [ ]");
                s++;
            }
            sl->alts[0] = (alt){a, (size_t)(s - a)};
            sl->n_alts = 1;
        }
        n++;
    }
    if (n == 0)
        return pattern_err(err, where, "empty");
    size_t gaps = 0;
    for (size_t i = 0; i < n; i++)
        gaps += slots[i].gap;
    if (gaps > MAX_GAPS)
        return pattern_err(err, where, "more than 4 gaps '*' (each one multiplies the work per message)");
    if (slots[0].gap)
        return pattern_err(err, where, "starts with a gap '*'");
    if (slots[n - 1].gap)
        return pattern_err(err, where, "ends with a gap '*'");
    *n_slots = n;
    return FB_OK;
}

static fb_status add_lit(fb_rules *r, const char *s, size_t n, size_t *off)
{
    if (r->n_lit + n > r->cap_lit) {
        size_t cap = r->cap_lit ? r->cap_lit * 2 : 1024;
        while (cap < r->n_lit + n)
            cap *= 2;
        char *p = realloc(r->lit, cap);
        if (!p)
            return FB_ENOMEM;
        r->lit = p;
        r->cap_lit = cap;
    }
    for (size_t i = 0; i < n; i++)
        r->lit[r->n_lit + i] = (char)fold((unsigned char)s[i]);
    *off = r->n_lit;
    r->n_lit += n;
    return FB_OK;
}

static fb_status push_elem(fb_rules *r, enum elem_kind k, const char *s, size_t n)
{
    /* Spaces collapse; a space next to a gap is part of the gap (within one sequence). */
    int has_prev = r->n_elems > r->cur_first;
    if (k == EL_SEP && has_prev && (r->elems[r->n_elems - 1].kind == EL_SEP || r->elems[r->n_elems - 1].kind == EL_GAP))
        return FB_OK;
    if (k == EL_GAP && has_prev && r->elems[r->n_elems - 1].kind == EL_SEP)
        r->n_elems--;
    if (k == EL_LIT && has_prev && r->elems[r->n_elems - 1].kind == EL_LIT &&
        r->elems[r->n_elems - 1].off + r->elems[r->n_elems - 1].n == r->n_lit) {
        /* Adjacent literal text from two slots ("my" "other"): one literal. */
        size_t off;
        if (add_lit(r, s, n, &off) != FB_OK)
            return FB_ENOMEM;
        r->elems[r->n_elems - 1].n += n;
        return FB_OK;
    }
    elem *e = fb_grow((void **)&r->elems, &r->n_elems, sizeof *e);
    if (!e)
        return FB_ENOMEM;
    e->kind = k;
    if (k == EL_LIT && add_lit(r, s, n, &e->off) != FB_OK)
        return FB_ENOMEM;
    e->n = n;
    return FB_OK;
}

static fb_status push_text(fb_rules *r, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (s[i] == ' ') {
            if (push_elem(r, EL_SEP, NULL, 0) != FB_OK)
                return FB_ENOMEM;
            i++;
        } else if (s[i] == '\'') {
            if (push_elem(r, EL_APOS, NULL, 0) != FB_OK)
                return FB_ENOMEM;
            i++;
        } else {
            size_t j = i;
            while (j < n && s[j] != ' ' && s[j] != '\'')
                j++;
            if (push_elem(r, EL_LIT, s + i, j - i) != FB_OK)
                return FB_ENOMEM;
            i = j;
        }
    }
    return FB_OK;
}

static fb_status compile_oom(fb_err *err) { return fb_err_set(err, FB_ENOMEM, "phrase rules: out of memory"); }

/* Compiles the slots into one program: the alternatives of each group first (each its own
 * short LIT/SEP/APOS sequence), then the rule's top-level sequence, which refers to them. */
static fb_status compile_rule(fb_rules *r, const char *where, const slot *slots, size_t n_slots,
                              size_t *first, size_t *n, fb_err *err)
{
    size_t alt_base[64];
    for (size_t i = 0; i < n_slots; i++) {
        alt_base[i] = r->n_alts;
        if (slots[i].gap || slots[i].n_alts == 1)
            continue;
        for (size_t k = 0; k < slots[i].n_alts; k++) {
            r->cur_first = r->n_elems;
            if (push_text(r, slots[i].alts[k].s, slots[i].alts[k].n) != FB_OK)
                return compile_oom(err);
            alt_range *ar = fb_grow((void **)&r->alts, &r->n_alts, sizeof *ar);
            if (!ar)
                return compile_oom(err);
            ar->first = r->cur_first;
            ar->n = r->n_elems - r->cur_first;
            if (i == 0 && r->elems[ar->first].kind != EL_LIT)
                return pattern_err(err, where, "must start with literal text (not a space, ' or gap)");
        }
    }
    r->cur_first = r->n_elems;
    for (size_t i = 0; i < n_slots; i++) {
        fb_status st = FB_OK;
        if (slots[i].gap)
            st = push_elem(r, EL_GAP, NULL, 0);
        else if (slots[i].n_alts == 1)
            st = push_text(r, slots[i].alts[0].s, slots[i].alts[0].n);
        else if ((st = push_elem(r, EL_ALT, NULL, 0)) == FB_OK) {
            r->elems[r->n_elems - 1].off = alt_base[i];
            r->elems[r->n_elems - 1].n = slots[i].n_alts;
        }
        if (st != FB_OK)
            return compile_oom(err);
    }
    /* Trailing separators match nothing useful; drop them. */
    while (r->n_elems > r->cur_first && r->elems[r->n_elems - 1].kind == EL_SEP)
        r->n_elems--;
    if (r->n_elems == r->cur_first || (r->elems[r->cur_first].kind != EL_LIT && r->elems[r->cur_first].kind != EL_ALT))
        return pattern_err(err, where, "must start with literal text (not a space, ' or gap)");
    *first = r->cur_first;
    *n = r->n_elems - r->cur_first;
    return FB_OK;
}

/* Notes in seen[] (256 x 32-byte bitmaps) which bytes can start a match of the literal e,
 * and which can follow that first byte. A one-byte literal can be followed by anything. */
static void note_first(const fb_rules *r, const elem *e, unsigned char *firsts, unsigned char (*second)[32])
{
    unsigned char b0 = (unsigned char)r->lit[e->off];
    firsts[b0] = 1;
    if (e->n == 1)
        memset(second[b0], 0xff, 32);
    else {
        unsigned char b1 = (unsigned char)r->lit[e->off + 1];
        second[b0][b1 >> 3] |= (unsigned char)(1u << (b1 & 7));
    }
}

/* The buckets are rebuilt after each add (arrays may have moved). A rule goes into the
 * bucket of every byte its pattern can start with; rule order inside a bucket keeps
 * matching deterministic. */
static fb_status rebuild_buckets(fb_rules *r, fb_err *err)
{
    size_t count[256] = {0};
    size_t nr = r->n_rules ? r->n_rules : 1;
    unsigned char *firsts = calloc(nr, 256);
    unsigned char (*second)[32] = calloc(nr * 256, 32);
    if (!firsts || !second) {
        free(firsts);
        free(second);
        return compile_oom(err);
    }
    for (size_t i = 0; i < r->n_rules; i++) {
        const elem *e = &r->elems[r->rules[i].first];
        if (e->kind == EL_LIT)
            note_first(r, e, firsts + i * 256, second + i * 256);
        else
            for (size_t k = 0; k < e->n; k++)
                note_first(r, &r->elems[r->alts[e->off + k].first], firsts + i * 256, second + i * 256);
        for (size_t b = 0; b < 256; b++)
            count[b] += firsts[i * 256 + b];
    }
    size_t total = 0;
    for (size_t b = 0; b < 256; b++) {
        r->bstart[b] = total;
        total += count[b];
    }
    r->bstart[256] = total;
    struct bucket_entry *idx = realloc(r->bidx, (total ? total : 1) * sizeof *idx);
    if (!idx) {
        free(firsts);
        free(second);
        return compile_oom(err);
    }
    r->bidx = idx;
    r->n_bidx = total;
    size_t fill[256];
    memcpy(fill, r->bstart, sizeof fill);
    for (size_t i = 0; i < r->n_rules; i++)
        for (size_t b = 0; b < 256; b++)
            if (firsts[i * 256 + b]) {
                r->bidx[fill[b]].rule = i;
                memcpy(r->bidx[fill[b]].second, second[i * 256 + b], 32);
                fill[b]++;
            }
    free(firsts);
    free(second);
    return FB_OK;
}

static int parse_weight(const char *s, int *out)
{
    if (!s || !*s)
        return -1;
    long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9' || v > 1000)
            return -1;
        v = v * 10 + (*p - '0');
    }
    if (v < 1 || v > 100)
        return -1;
    *out = (int)v;
    return 0;
}

static fb_status add_rule(fb_rules *r, const char *where, const char *pattern, const char *violation,
                          int weight, const char *sentence, fb_err *err)
{
    if (!pattern || !*pattern)
        return pattern_err(err, where, "empty");
    fb_violation v = fb_violation_from_str(violation);
    if (v == FB_V_NONE)
        return fb_err_set(err, FB_EINPUT,
                          "%s: violation: unknown code \"%s\" (one of fake_job, self_hire, conflict_of_interest, "
                          "paid_feedback, free_work_for_review, feedback_extortion)",
                          where, violation ? violation : "");
    if (weight < 1 || weight > 100)
        return fb_err_set(err, FB_EINPUT, "%s: weight: %d is out of range (a whole number 1..100)", where, weight);
    if (!sentence || !*sentence)
        return fb_err_set(err, FB_EINPUT, "%s: sentence: empty (the reviewer needs to read why)", where);
    for (size_t i = 0; i < r->n_rules; i++)
        if (strcmp(r->rules[i].pattern, pattern) == 0)
            return fb_err_set(err, FB_EINPUT, "%s: pattern: \"%s\" appears twice", where, pattern);
    slot slots[64];
    size_t n_slots = 0;
    fb_status st = split_pattern(where, pattern, slots, sizeof slots / sizeof slots[0], &n_slots, err);
    if (st != FB_OK)
        return st;
    size_t alts0 = r->n_alts, elems0 = r->n_elems, lit0 = r->n_lit, first = 0, n = 0;
    if ((st = compile_rule(r, where, slots, n_slots, &first, &n, err)) != FB_OK) {
        r->n_alts = alts0;
        r->n_elems = elems0;
        r->n_lit = lit0;
        return st;
    }
    rule *ru = fb_grow((void **)&r->rules, &r->n_rules, sizeof *ru);
    if (!ru)
        return fb_err_set(err, FB_ENOMEM, "phrase rules: out of memory");
    ru->pattern = fb_strdup(pattern);
    ru->violation = v;
    ru->weight = weight;
    ru->sentence = fb_strdup(sentence);
    ru->group = r->n_rules - 1;
    for (size_t i = 0; i + 1 < r->n_rules; i++)
        if (r->rules[i].violation == v && strcmp(r->rules[i].sentence, sentence) == 0) {
            ru->group = i;
            break;
        }
    ru->first = first;
    ru->n = n;
    return rebuild_buckets(r, err);
}

fb_status signals_rules_add(fb_rules *r, const char *where, const char *pattern, const char *violation,
                            int weight, const char *sentence, fb_err *err)
{
    return add_rule(r, where, pattern, violation, weight, sentence, err);
}

fb_status signals_rules_parse(const char *name, const char *tsv, fb_rules **out, fb_err *err)
{
    fb_rules *r = NULL;
    fb_status st = signals_rules_new(&r, err);
    if (st != FB_OK)
        return st;
    char *copy = fb_strdup(tsv ? tsv : "");
    int line = 0;
    for (char *s = copy, *next; s && *s; s = next) {
        line++;
        char *nl = strchr(s, '\n');
        next = nl ? nl + 1 : NULL;
        if (nl)
            *nl = '\0';
        size_t len = strlen(s);
        if (len && s[len - 1] == '\r')
            s[--len] = '\0';
        if (len == 0 || s[0] == '#')
            continue;
        char where[512];
        snprintf(where, sizeof where, "%s:%d", name, line);
        char *col[5] = {0};
        int n = 0;
        for (char *c = s; n < 5;) {
            col[n++] = c;
            char *tab = strchr(c, '\t');
            if (!tab)
                break;
            *tab = '\0';
            c = tab + 1;
        }
        static const char *const field[] = {"pattern", "violation", "weight", "sentence"};
        if (n < 4) {
            st = fb_err_set(err, FB_EINPUT, "%s: %s: missing (expected pattern<TAB>violation<TAB>weight<TAB>sentence)",
                            where, field[n]);
            break;
        }
        if (n > 4) {
            st = fb_err_set(err, FB_EINPUT, "%s: sentence: contains a TAB (only four columns are allowed)", where);
            break;
        }
        int weight = 0;
        if (parse_weight(col[2], &weight) != 0) {
            st = fb_err_set(err, FB_EINPUT, "%s: weight: \"%s\" is not a whole number 1..100", where, col[2]);
            break;
        }
        if ((st = add_rule(r, where, col[0], col[1], weight, col[3], err)) != FB_OK)
            break;
    }
    free(copy);
    if (st != FB_OK) {
        signals_rules_free(&r);
        return st;
    }
    *out = r;
    return FB_OK;
}

const char *signals_rules_default_text(void)
{
    for (const struct fb_data_file *f = fb_data_files; f->name; f++)
        if (strcmp(f->name, "phrases.tsv") == 0)
            return f->text;
    return "";
}

fb_status signals_rules_default(fb_rules **out, fb_err *err)
{
    return signals_rules_parse("phrases.tsv", signals_rules_default_text(), out, err);
}

static int lit_at(const fb_rules *r, const elem *e, const char *t, size_t n, size_t p)
{
    const char *l = r->lit + e->off;
    return p + e->n <= n && t[p] == l[0] && memcmp(t + p + 1, l + 1, e->n - 1) == 0;
}

/* Matches elems at t[p]; returns the end offset, or NONE. t is lower-cased. Only gaps and
 * alternatives branch; literals, separators and apostrophes are deterministic. */
static size_t match_at(const fb_rules *r, const elem *e, size_t ne, const char *t, size_t n, size_t p)
{
    for (size_t i = 0; i < ne; i++) {
        switch (e[i].kind) {
        case EL_LIT:
            if (!lit_at(r, &e[i], t, n, p))
                return NONE;
            p += e[i].n;
            break;
        case EL_SEP:
            while (p < n && is_sep((unsigned char)t[p]))
                p++;
            break;
        case EL_APOS:
            if (p < n && t[p] == '\'')
                p++;
            else if (p + 3 <= n && memcmp(t + p, "\xe2\x80\x99", 3) == 0)
                p += 3;
            break;
        case EL_ALT:
            for (size_t k = 0; k < e[i].n; k++) {
                const alt_range *a = &r->alts[e[i].off + k];
                const elem *fe = &r->elems[a->first];
                if (fe->kind == EL_LIT && (p >= n || t[p] != r->lit[fe->off]))
                    continue;
                size_t q = match_at(r, r->elems + a->first, a->n, t, n, p);
                if (q == NONE)
                    continue;
                size_t end = i + 1 == ne ? q : match_at(r, e + i + 1, ne - i - 1, t, n, q);
                if (end != NONE)
                    return end;
            }
            return NONE;
        case EL_GAP: {
            /* Finish the current word, then try the rest at each of the next words. */
            while (p < n && is_alnum((unsigned char)t[p]))
                p++;
            for (int w = 0; w <= GAP_WORDS; w++) {
                while (p < n && !is_alnum((unsigned char)t[p]) && (unsigned char)t[p] < 0x80 && t[p] != '$') {
                    if (ends_sentence(t, n, p))
                        return NONE;
                    p++;
                }
                if (p >= n)
                    return NONE;
                size_t end = match_at(r, e + i + 1, ne - i - 1, t, n, p);
                if (end != NONE)
                    return end;
                while (p < n && !is_space((unsigned char)t[p]) && !ends_sentence(t, n, p))
                    p++;
            }
            return NONE;
        }
        }
    }
    return p;
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

/* Lower-cases each body once into scratch, then tries the rules bucketed under each
 * word start's first byte. One signal per rule group; every match is kept for highlighting. */
static void phrase_signals(sigbuf *b, fb_case *c, const fb_rules *r)
{
    if (!r || r->n_rules == 0 || c->n_messages == 0)
        return;
    size_t cap = 0;
    for (size_t m = 0; m < c->n_messages; m++) {
        size_t n = c->messages[m].body ? strlen(c->messages[m].body) : 0;
        cap = n > cap ? n : cap;
    }
    /* scratch: the lower-cased body, then per rule group the end of its last match in this
     * message (rules of one group are one idea: overlapping matches are highlighted once),
     * then per group its heaviest matched weight. */
    size_t *last_end = malloc(r->n_rules * 2 * sizeof *last_end);
    char *t = malloc(cap + 1);
    if (!last_end || !t) {
        free(last_end);
        free(t);
        b->failed = 1;
        return;
    }
    size_t *group_w = last_end + r->n_rules;
    memset(group_w, 0, r->n_rules * sizeof *group_w);
    for (size_t m = 0; m < c->n_messages; m++) {
        const char *body = c->messages[m].body;
        if (!body)
            continue;
        size_t n = strlen(body);
        for (size_t i = 0; i < n; i++)
            t[i] = (char)fold((unsigned char)body[i]);
        for (size_t i = 0; i < r->n_rules; i++)
            last_end[i] = 0;
        for (size_t p = 0; p < n; p++) {
            unsigned char ch = (unsigned char)t[p];
            size_t b0 = r->bstart[ch], b1 = r->bstart[ch + 1];
            if (b0 == b1 || (p > 0 && is_alnum((unsigned char)t[p - 1])))
                continue;
            unsigned char next = p + 1 < n ? (unsigned char)t[p + 1] : 0;
            for (size_t bi = b0; bi < b1; bi++) {
                if (!(r->bidx[bi].second[next >> 3] & (1u << (next & 7))))
                    continue;
                const rule *ru = &r->rules[r->bidx[bi].rule];
                if (last_end[ru->group] > p)
                    continue;
                size_t end = match_at(r, r->elems + ru->first, ru->n, t, n, p);
                if (end == NONE)
                    continue;
                last_end[ru->group] = end;
                if ((size_t)ru->weight > group_w[ru->group])
                    group_w[ru->group] = (size_t)ru->weight;
                fb_match *mt = fb_grow((void **)&c->matches, &c->n_matches, sizeof *mt);
                if (!mt) {
                    b->failed = 1;
                    goto done;
                }
                mt->message = m;
                mt->start = p;
                mt->len = end - p;
                mt->violation = ru->violation;
            }
        }
    }
    for (size_t g = 0; g < r->n_rules; g++) {
        if (!group_w[g])
            continue;
        char code[40];
        snprintf(code, sizeof code, "phrase_%s", fb_violation_str(r->rules[g].violation));
        add_signal(b, code, r->rules[g].violation, (int)group_w[g], "%s", r->rules[g].sentence);
    }
done:
    free(last_end);
    free(t);
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

fb_status signals_compute(fb_case *c, const fb_rules *rules, fb_err *err)
{
    fb_case_clear_derived(c);
    sigbuf b = {c, 0};
    links_signals(&b, c);
    contract_signals(&b, c);
    payback_signals(&b, c);
    new_account_signal(&b, c);
    reciprocal_signal(&b, c);
    phrase_signals(&b, c, rules);
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
