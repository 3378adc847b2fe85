/* Word patterns (pattern.h): compiled into one program per pattern, matched in place.
 * Alternatives are never multiplied out: "[pay|bonus|tip]*for*[good|great] [review|rating]"
 * is one program, not 12 patterns. Patterns are bucketed by the bytes they can start with,
 * each with the set of bytes that can follow (a cheap second check), so a scan tries only a
 * handful of patterns at each word start. */
#include "fbreview/pattern.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/model.h"

#define GAP_WORDS 6     /* what a '*' may skip */
#define MAX_GAPS 4      /* gaps backtrack: 7^4 tries per word start at worst */
#define MAX_SLOTS 64
#define MAX_ALTS 64
#define NONE ((size_t)-1)
#define FAR_BYTES 2     /* bytes 4 and 5 of a start checked too (after "the ", "your") */

enum elem_kind { EL_LIT, EL_SEP, EL_APOS, EL_GAP, EL_ALT, EL_NUM, EL_END };

typedef struct elem {
    enum elem_kind kind;
    size_t off, n;       /* EL_LIT: bytes in lit; EL_ALT: alternatives in alts */
    int by_byte;         /* EL_ALT: every alternative starts with a literal, sorted by its byte */
} elem;

/* One alternative: its elems; byte: its first byte when it starts with a literal. */
typedef struct alt_range { size_t first, n; unsigned char byte; } alt_range;

typedef struct prog { int tag, exact; size_t first, n; } prog;

struct fb_patterns {
    prog *progs;       size_t n_progs;
    elem *elems;       size_t n_elems;
    alt_range *alts;   size_t n_alts;
    char *lit;         size_t n_lit, cap_lit;
    char **words;      size_t n_words;
    size_t *wset;      size_t wcap;    /* words as a hash set: index + 1, 0 empty (note_word) */
    size_t cur_first;  /* while compiling: the first elem of the sequence being built */
    int defer;         /* patterns_add leaves the buckets to patterns_build */
    int unbuilt;       /* patterns added since the buckets were last built */
    size_t bstart[257];
    /* one entry per pattern and pair of first bytes it can start with (wild: any second
     * byte), with the set of bytes that can come third: two cheap checks before a match */
    struct bucket_entry { size_t prog; unsigned char second[32], third[32], later[FAR_BYTES][32]; } *bidx;
    /* The entries of each first byte again, split by the second: pair[pstart[b0 * 256 +
     * b1] ..) lists (as bidx indices, in bidx order) those whose set of second bytes holds
     * b1 but not every byte, wild[wstart[b0] ..) those that take any second byte. A scan
     * merges the two lists, so it tries the same entries in the same order as a walk of
     * the whole bucket, without loading the entries whose second byte cannot match. */
    uint32_t *pstart;  uint32_t *pair;
    uint32_t wstart[257]; uint32_t *wild;
};

static int is_digit(unsigned char ch) { return ch >= '0' && ch <= '9'; }
static int is_alnum(unsigned char ch) { return (ch >= 'a' && ch <= 'z') || is_digit(ch) || (ch >= 'A' && ch <= 'Z'); }
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

fb_status patterns_new(fb_patterns **out, fb_err *err)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return fb_err_set(err, FB_ENOMEM, "word patterns: out of memory");
    return FB_OK;
}

void patterns_free(fb_patterns **pp)
{
    fb_patterns *p = pp ? *pp : NULL;
    if (!p)
        return;
    for (size_t i = 0; i < p->n_words; i++)
        free(p->words[i]);
    free(p->words);
    free(p->wset);
    free(p->progs);
    free(p->alts);
    free(p->bidx);
    free(p->pstart);
    free(p->pair);
    free(p->wild);
    free(p->elems);
    free(p->lit);
    free(p);
    *pp = NULL;
}

size_t patterns_count(const fb_patterns *p) { return p ? p->n_progs : 0; }

size_t patterns_words(const fb_patterns *p, const char *const **out)
{
    *out = (const char *const *)p->words;
    return p->n_words;
}

/* A pattern split into slots: a gap, or a list of alternatives (plain text is one). */
typedef struct alt { const char *s; size_t n; } alt;
typedef struct slot { int gap; alt alts[MAX_ALTS]; size_t n_alts; } slot;

static fb_status pattern_err(fb_err *err, const char *where, const char *field, const char *what)
{
    return fb_err_set(err, FB_EINPUT, "%s: %s: %s", where, field, what);
}

static fb_status split_pattern(const char *where, const char *field, const char *p, slot *slots, size_t *n_slots,
                               fb_err *err)
{
    size_t n = 0;
    const char *s = p;
    while (*s) {
        if (n == MAX_SLOTS)
            return pattern_err(err, where, field, "too many parts (at most 64 texts, gaps and groups)");
        slot *sl = &slots[n];
        memset(sl, 0, sizeof *sl);
        if (*s == '*') {
            if (n > 0 && slots[n - 1].gap)
                return pattern_err(err, where, field, "two gaps '*' in a row");
            sl->gap = 1;
            s++;
        } else if (*s == '[') {
            const char *a = ++s;
            for (;; s++) {
                if (*s == '\\' && s[1]) {
                    s++;
                    continue;
                }
                if (!*s)
                    return pattern_err(err, where, field, "'[' without its ']'");
                if (*s == '[')
                    return pattern_err(err, where, field, "'[' inside [ ] (groups do not nest)");
                if (*s == '*')
                    return pattern_err(err, where, field, "'*' inside [ ] (a gap cannot be an alternative)");
                if (*s == '|' || *s == ']') {
                    if (sl->n_alts == MAX_ALTS)
                        return pattern_err(err, where, field, "more than 64 alternatives in one [ ]");
                    if (s == a)
                        return pattern_err(err, where, field, "empty alternative in [ ]");
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
                if (*s == '\\' && s[1]) {
                    s += 2;
                    continue;
                }
                if (*s == ']' || *s == '|')
                    return pattern_err(err, where, field, *s == ']' ? "']' without its '['" : "'|' outside [ ]");
                s++;
            }
            sl->alts[0] = (alt){a, (size_t)(s - a)};
            sl->n_alts = 1;
        }
        n++;
    }
    if (n == 0)
        return pattern_err(err, where, field, "empty");
    size_t gaps = 0;
    for (size_t i = 0; i < n; i++)
        gaps += slots[i].gap;
    if (gaps > MAX_GAPS)
        return pattern_err(err, where, field, "more than 4 gaps '*' (each one multiplies the work per message)");
    if (slots[0].gap)
        return pattern_err(err, where, field, "starts with a gap '*'");
    if (slots[n - 1].gap)
        return pattern_err(err, where, field, "ends with a gap '*'");
    *n_slots = n;
    return FB_OK;
}

static unsigned char fold_ascii(unsigned char ch) { return ch >= 'A' && ch <= 'Z' ? (unsigned char)(ch + 32) : ch; }

static fb_status add_lit(fb_patterns *r, const char *s, size_t n, size_t *off)
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
        r->lit[r->n_lit + i] = (char)fold_ascii((unsigned char)s[i]);
    *off = r->n_lit;
    r->n_lit += n;
    return FB_OK;
}

static fb_status push_elem(fb_patterns *r, enum elem_kind k, const char *s, size_t n)
{
    /* Spaces collapse; a space next to a gap is part of the gap (within one sequence). */
    int has_prev = r->n_elems > r->cur_first;
    if (k == EL_SEP && has_prev && (r->elems[r->n_elems - 1].kind == EL_SEP || r->elems[r->n_elems - 1].kind == EL_GAP))
        return FB_OK;
    if (k == EL_GAP && has_prev && r->elems[r->n_elems - 1].kind == EL_SEP)
        r->n_elems--;
    if (k == EL_LIT && has_prev && r->elems[r->n_elems - 1].kind == EL_LIT &&
        r->elems[r->n_elems - 1].off + r->elems[r->n_elems - 1].n == r->n_lit) {
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

static size_t word_hash(const char *w)
{
    size_t h = 1469598103934665603ULL & SIZE_MAX;
    for (; *w; w++)
        h = (h ^ (unsigned char)*w) * (1099511628211ULL & SIZE_MAX);
    return h;
}

/* Adds w to the words unless it is there: a hash set beside the list (a scan of the list
 * for each word made compiling the lexicon quadratic), the list kept in first-seen order. */
static fb_status word_add(fb_patterns *r, const char *w)
{
    if (2 * (r->n_words + 1) > r->wcap) {
        size_t cap = r->wcap ? r->wcap * 2 : 256;
        size_t *set = calloc(cap, sizeof *set);
        if (!set)
            return FB_ENOMEM;
        for (size_t k = 0; k < r->n_words; k++) {
            size_t i = word_hash(r->words[k]) & (cap - 1);
            while (set[i])
                i = (i + 1) & (cap - 1);
            set[i] = k + 1;
        }
        free(r->wset);
        r->wset = set;
        r->wcap = cap;
    }
    size_t i = word_hash(w) & (r->wcap - 1);
    for (; r->wset[i]; i = (i + 1) & (r->wcap - 1))
        if (strcmp(r->words[r->wset[i] - 1], w) == 0)
            return FB_OK;
    char **slotp = fb_grow((void **)&r->words, &r->n_words, sizeof *slotp);
    if (!slotp || !(*slotp = fb_strdup(w)))
        return FB_ENOMEM;
    r->wset[i] = r->n_words;
    return FB_OK;
}

/* Notes a literal word of the pattern for the vocabulary (letters only, 3+ bytes). */
static fb_status note_word(fb_patterns *r, const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        while (i < n && !((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
            i++;
        size_t j = i;
        while (j < n && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z')))
            j++;
        if (j - i >= 3 && (j == n || !(s[j] & 0x80)) && (i == 0 || !(s[i - 1] & 0x80))) {
            char w[64];
            size_t len = j - i < sizeof w - 1 ? j - i : sizeof w - 1;
            for (size_t k = 0; k < len; k++)
                w[k] = (char)fold_ascii((unsigned char)s[i + k]);
            w[len] = '\0';
            if (word_add(r, w) != FB_OK)
                return FB_ENOMEM;
        }
        i = j;
    }
    return FB_OK;
}

/* One alternative's text into elems: spaces, apostrophes, '#', '>', escapes, literals. */
static fb_status push_text(fb_patterns *r, const char *s, size_t n)
{
    size_t i = 0;
    char buf[256];
    while (i < n) {
        if (s[i] == ' ') {
            if (push_elem(r, EL_SEP, NULL, 0) != FB_OK)
                return FB_ENOMEM;
            i++;
        } else if (s[i] == '\'') {
            if (push_elem(r, EL_APOS, NULL, 0) != FB_OK)
                return FB_ENOMEM;
            i++;
        } else if (s[i] == '#' || s[i] == '>') {
            if (push_elem(r, s[i] == '#' ? EL_NUM : EL_END, NULL, 0) != FB_OK)
                return FB_ENOMEM;
            i++;
        } else {
            size_t k = 0;
            while (i < n && s[i] != ' ' && s[i] != '\'' && s[i] != '#' && s[i] != '>' && k < sizeof buf) {
                if (s[i] == '\\' && i + 1 < n)
                    i++;
                buf[k++] = s[i++];
            }
            if (push_elem(r, EL_LIT, buf, k) != FB_OK || note_word(r, buf, k) != FB_OK)
                return FB_ENOMEM;
        }
    }
    return FB_OK;
}

static fb_status compile_oom(fb_err *err) { return fb_err_set(err, FB_ENOMEM, "word patterns: out of memory"); }

static int starts_ok(const elem *e) { return e->kind == EL_LIT || e->kind == EL_NUM || e->kind == EL_ALT; }

/* Compiles the slots into one program: the alternatives of each group first (each its own
 * short sequence), then the top-level sequence, which refers to them. */
static fb_status compile(fb_patterns *r, const char *where, const char *field, const slot *slots, size_t n_slots,
                         size_t *first, size_t *n, fb_err *err)
{
    size_t alt_base[MAX_SLOTS];
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
            if (ar->n == 0 || (i == 0 && r->elems[ar->first].kind != EL_LIT && r->elems[ar->first].kind != EL_NUM))
                return pattern_err(err, where, field, "must start with literal text or # (not a space, ' or gap)");
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
    while (r->n_elems > r->cur_first && r->elems[r->n_elems - 1].kind == EL_SEP)
        r->n_elems--;
    if (r->n_elems == r->cur_first || !starts_ok(&r->elems[r->cur_first]))
        return pattern_err(err, where, field, "must start with literal text or # (not a space, ' or gap)");
    *first = r->cur_first;
    *n = r->n_elems - r->cur_first;
    return FB_OK;
}

/* The buckets: for each byte, the patterns that can start with it, each with the sets of
 * bytes that can come second and third (a cheap check before trying the pattern: "i" in
 * "[i|we] expect" can be followed only by a separator or an "e", so "if", "in" and "it"
 * never try it). Rebuilt after each add, in time linear in the first elements. */
typedef struct first_entry {
    unsigned char b0;
    size_t prog;
    unsigned char second[32], third[32], later[FAR_BYTES][32];
} first_entry;

static void set_add(unsigned char s[32], unsigned char b) { s[b >> 3] |= (unsigned char)(1u << (b & 7)); }

static const char sep_chars[] = " \t\n\r-_";

/* Adds to set every byte that can stand at offset j (0-based) of a text matched by e[0..n)
 * followed by rest[0..n_rest) (rest: the program after an alternative; NULL at the top):
 * the second to fifth bytes of a start, checked before a pattern is tried (infl: the words
 * may be inflected). Where it cannot tell (a gap, a number past its first digit, the
 * pattern's end, nested alternatives), every byte: it may let a pattern be tried for
 * nothing, never skip one. */
static void bytes_at(const fb_patterns *r, const elem *e, size_t n, const elem *rest, size_t n_rest, size_t j,
                     int infl, unsigned char set[32])
{
    if (n == 0) {
        if (rest && n_rest)
            bytes_at(r, rest, n_rest, NULL, 0, j, infl, set);
        else
            memset(set, 0xff, 32);
        return;
    }
    switch (e->kind) {
    case EL_LIT: {
        const char *l = r->lit + e->off;
        size_t ln = e->n;
        int word_end = n == 1 || e[1].kind == EL_SEP || e[1].kind == EL_GAP;
        if (j < ln)
            set_add(set, (unsigned char)l[j]);
        else
            bytes_at(r, e + 1, n - 1, rest, n_rest, j - ln, infl, set);
        if (infl && word_end && ln >= 3 && j + 1 >= ln && is_alnum((unsigned char)l[ln - 1])) {
            /* an inflected word (inflected_end): its last letter or an ending's letter up to
             * 4 bytes on ("rate" -> "rating", "drop" -> "dropping"), then what follows */
            static const char endings[] = "sedingy";
            for (const char *c = endings; *c; c++)
                set_add(set, (unsigned char)*c);
            set_add(set, (unsigned char)l[ln - 1]);
            for (size_t len = ln + 1; len <= ln + 4 && len <= j; len++)
                bytes_at(r, e + 1, n - 1, rest, n_rest, j - len, infl, set);
        }
        return;
    }
    case EL_SEP:
        for (const char *c = sep_chars; *c; c++)
            set_add(set, (unsigned char)*c);
        for (size_t k = 0; k <= j; k++)   /* the separator took k bytes */
            bytes_at(r, e + 1, n - 1, rest, n_rest, j - k, infl, set);
        return;
    case EL_APOS: {
        static const unsigned char curly[3] = {0xe2, 0x80, 0x99};
        bytes_at(r, e + 1, n - 1, rest, n_rest, j, infl, set);
        if (j == 0)
            set_add(set, '\'');
        else
            bytes_at(r, e + 1, n - 1, rest, n_rest, j - 1, infl, set);
        if (j < 3)
            set_add(set, curly[j]);
        else
            bytes_at(r, e + 1, n - 1, rest, n_rest, j - 3, infl, set);
        return;
    }
    case EL_NUM:
        if (j > 0) {   /* past a number's first byte: more digits or what follows, untold */
            memset(set, 0xff, 32);
            return;
        }
        for (unsigned char c = '0'; c <= '9'; c++)
            set_add(set, c);
        return;
    case EL_ALT:
        if (rest) {
            memset(set, 0xff, 32);
            return;
        }
        for (size_t k = 0; k < e->n; k++) {
            const alt_range *a = &r->alts[e->off + k];
            bytes_at(r, r->elems + a->first, a->n, e + 1, n - 1, j, infl, set);
        }
        return;
    default:
        memset(set, 0xff, 32);
        return;
    }
}

static first_entry *entry_for(first_entry **ents, size_t *n, size_t *cap, size_t pi, unsigned char b0)
{
    /* entries of one pattern are contiguous: look back only over this pattern's */
    for (size_t k = *n; k > 0 && (*ents)[k - 1].prog == pi; k--)
        if ((*ents)[k - 1].b0 == b0)
            return &(*ents)[k - 1];
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 256;
        first_entry *ne = realloc(*ents, nc * sizeof *ne);
        if (!ne)
            return NULL;
        *ents = ne;
        *cap = nc;
    }
    first_entry *fe = &(*ents)[(*n)++];
    memset(fe, 0, sizeof *fe);
    fe->b0 = b0;
    fe->prog = pi;
    return fe;
}

/* e: the first element of a sequence of n; rest: what follows the sequence (the program
 * after an alternative), or NULL. */
static int note_first(const fb_patterns *r, const elem *e, size_t n, const elem *rest, size_t n_rest, size_t pi,
                      first_entry **ents, size_t *nents, size_t *cap)
{
    if (e->kind == EL_NUM) {
        for (unsigned b0 = '0'; b0 <= '9'; b0++) {
            first_entry *fe = entry_for(ents, nents, cap, pi, (unsigned char)b0);
            if (!fe)
                return -1;
            memset(fe->second, 0xff, 32);
            memset(fe->third, 0xff, 32);
            memset(fe->later, 0xff, sizeof fe->later);
        }
        return 0;
    }
    const unsigned char *l = (const unsigned char *)r->lit + e->off;
    first_entry *fe = entry_for(ents, nents, cap, pi, l[0]);
    if (!fe)
        return -1;
    if (e->n >= 2)
        set_add(fe->second, l[1]);
    else
        bytes_at(r, e + 1, n - 1, rest, n_rest, 0, 0, fe->second);
    if (e->n >= 3)
        set_add(fe->third, l[2]);
    else if (e->n == 2)
        bytes_at(r, e + 1, n - 1, rest, n_rest, 0, 0, fe->third);
    else
        memset(fe->third, 0xff, 32);
    for (size_t k = 0; k < FAR_BYTES; k++)
        bytes_at(r, e, n, rest, n_rest, 3 + k, !r->progs[pi].exact, fe->later[k]);
    return 0;
}

static int set_full(const unsigned char s[32])
{
    for (int i = 0; i < 32; i++)
        if (s[i] != 0xff)
            return 0;
    return 1;
}

static int set_has(const unsigned char s[32], unsigned b) { return (s[b >> 3] >> (b & 7)) & 1; }

/* pstart/pair and wstart/wild from bidx (see struct fb_patterns). */
static fb_status index_pairs(fb_patterns *r, fb_err *err)
{
    size_t total = r->bstart[256];
    if (total > UINT32_MAX - 1)
        return fb_err_set(err, FB_EINPUT, "word patterns: too many patterns");
    uint32_t *pstart = calloc(256 * 256 + 1, sizeof *pstart);
    size_t n_pair = 0, n_wild = 0;
    if (!pstart)
        return compile_oom(err);
    /* counts first, then starts, then fill in bidx order */
    for (size_t b0 = 0; b0 < 256; b0++)
        for (size_t k = r->bstart[b0]; k < r->bstart[b0 + 1]; k++) {
            const struct bucket_entry *be = &r->bidx[k];
            if (set_full(be->second)) {
                n_wild++;
                continue;
            }
            for (unsigned b1 = 0; b1 < 256; b1++)
                if (set_has(be->second, b1)) {
                    pstart[b0 * 256 + b1]++;
                    n_pair++;
                }
        }
    uint32_t *pair = malloc((n_pair ? n_pair : 1) * sizeof *pair), *wild = malloc((n_wild ? n_wild : 1) * sizeof *wild);
    uint32_t *fill = malloc(256 * 256 * sizeof *fill);
    if (!pair || !wild || !fill) {
        free(pstart);
        free(pair);
        free(wild);
        free(fill);
        return compile_oom(err);
    }
    uint32_t run = 0;
    for (size_t i = 0; i < 256 * 256; i++) {
        uint32_t c = pstart[i];
        pstart[i] = fill[i] = run;
        run += c;
    }
    pstart[256 * 256] = run;
    uint32_t w = 0;
    for (size_t b0 = 0; b0 < 256; b0++) {
        r->wstart[b0] = w;
        for (size_t k = r->bstart[b0]; k < r->bstart[b0 + 1]; k++) {
            const struct bucket_entry *be = &r->bidx[k];
            if (set_full(be->second)) {
                wild[w++] = (uint32_t)k;
                continue;
            }
            for (unsigned b1 = 0; b1 < 256; b1++)
                if (set_has(be->second, b1))
                    pair[fill[b0 * 256 + b1]++] = (uint32_t)k;
        }
    }
    r->wstart[256] = w;
    free(fill);
    free(r->pstart);
    free(r->pair);
    free(r->wild);
    r->pstart = pstart;
    r->pair = pair;
    r->wild = wild;
    return FB_OK;
}

static fb_status rebuild_buckets(fb_patterns *r, fb_err *err)
{
    first_entry *ents = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < r->n_progs; i++) {
        const elem *e = &r->elems[r->progs[i].first];
        size_t ne = r->progs[i].n;
        int rc = 0;
        if (e->kind != EL_ALT)
            rc = note_first(r, e, ne, NULL, 0, i, &ents, &n, &cap);
        else
            for (size_t k = 0; k < e->n && rc == 0; k++) {
                const alt_range *a = &r->alts[e->off + k];
                rc = note_first(r, &r->elems[a->first], a->n, e + 1, ne - 1, i, &ents, &n, &cap);
            }
        if (rc != 0) {
            free(ents);
            return compile_oom(err);
        }
    }
    size_t count[256] = {0};
    for (size_t k = 0; k < n; k++)
        count[ents[k].b0]++;
    size_t total = 0;
    for (size_t b = 0; b < 256; b++) {
        r->bstart[b] = total;
        total += count[b];
    }
    r->bstart[256] = total;
    struct bucket_entry *idx = realloc(r->bidx, (total ? total : 1) * sizeof *idx);
    if (!idx) {
        free(ents);
        return compile_oom(err);
    }
    r->bidx = idx;
    size_t fill[256];
    memcpy(fill, r->bstart, sizeof fill);
    /* entries are in pattern order, so each bucket keeps pattern order: matching is
     * deterministic */
    for (size_t k = 0; k < n; k++) {
        struct bucket_entry *be = &r->bidx[fill[ents[k].b0]++];
        be->prog = ents[k].prog;
        memcpy(be->second, ents[k].second, 32);
        memcpy(be->third, ents[k].third, 32);
        memcpy(be->later, ents[k].later, sizeof be->later);
    }
    free(ents);
    return index_pairs(r, err);
}

/* The alternatives of each new EL_ALT that all start with a literal, sorted by that first
 * byte (stable: alternatives with the same byte keep their order), so matching looks only
 * at those that can match the byte at hand. Only alternatives with the same first byte can
 * both match at one place, so the first match found is the same as in written order. */
static void index_alternatives(fb_patterns *r, size_t elems0)
{
    for (size_t i = elems0; i < r->n_elems; i++) {
        elem *e = &r->elems[i];
        if (e->kind != EL_ALT)
            continue;
        alt_range *a = &r->alts[e->off];
        int all = 1;
        for (size_t k = 0; k < e->n && all; k++) {
            const elem *fe = &r->elems[a[k].first];
            all = a[k].n > 0 && fe->kind == EL_LIT && fe->n > 0;
            if (all)
                a[k].byte = (unsigned char)r->lit[fe->off];
        }
        if (!all)
            continue;
        for (size_t k = 1; k < e->n; k++) {   /* insertion sort: stable, and lists are short */
            alt_range x = a[k];
            size_t j = k;
            while (j > 0 && a[j - 1].byte > x.byte) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = x;
        }
        e->by_byte = 1;
    }
}

void patterns_defer(fb_patterns *r, int on) { r->defer = on; }

fb_status patterns_build(fb_patterns *r, fb_err *err)
{
    if (!r->unbuilt)
        return FB_OK;
    if (rebuild_buckets(r, err) != FB_OK)
        return err->status;
    r->unbuilt = 0;
    return FB_OK;
}

fb_status patterns_add(fb_patterns *r, const char *where, const char *field, const char *pattern, int tag,
                       fb_err *err)
{
    return patterns_add_exact(r, where, field, pattern, tag, 0, err);
}

fb_status patterns_add_exact(fb_patterns *r, const char *where, const char *field, const char *pattern, int tag,
                             int exact, fb_err *err)
{
    if (!pattern || !*pattern)
        return pattern_err(err, where, field, "empty");
    slot *slots = malloc(MAX_SLOTS * sizeof *slots);
    if (!slots)
        return compile_oom(err);
    size_t n_slots = 0, first = 0, n = 0;
    size_t alts0 = r->n_alts, elems0 = r->n_elems, lit0 = r->n_lit;
    fb_status st = split_pattern(where, field, pattern, slots, &n_slots, err);
    if (st == FB_OK)
        st = compile(r, where, field, slots, n_slots, &first, &n, err);
    free(slots);
    if (st != FB_OK) {
        r->n_alts = alts0;
        r->n_elems = elems0;
        r->n_lit = lit0;
        return st;
    }
    index_alternatives(r, elems0);
    prog *pr = fb_grow((void **)&r->progs, &r->n_progs, sizeof *pr);
    if (!pr)
        return compile_oom(err);
    pr->tag = tag;
    pr->exact = exact;
    pr->first = first;
    pr->n = n;
    r->unbuilt = 1;
    return r->defer ? FB_OK : patterns_build(r, err);
}

static int lit_at(const fb_patterns *r, const elem *e, const char *t, size_t n, size_t p)
{
    /* literals are short words: a loop beats a call to memcmp */
    const char *l = r->lit + e->off;
    if (p + e->n > n)
        return 0;
    for (size_t i = 0; i < e->n; i++)
        if (t[p + i] != l[i])
            return 0;
    return 1;
}

static int is_letter(unsigned char ch) { return ch >= 'a' && ch <= 'z'; }

/* Where the word at t[p] ends when it is the literal word l[0..ln) inflected (English: -s,
 * -es, -d, -ed, -ing, -ies, -ied, a silent e dropped before -ing, a consonant doubled
 * before -ed or -ing: "refunds", "refunded", "rated", "rating", "dropped", "replies"), or
 * NONE. Done once here, so the lexicon names each word once and every form of it matches.
 * Literals shorter than 3 letters ("i", "me", "5") are never inflected. */
static size_t inflected_end(const char *l, size_t ln, const char *t, size_t n, size_t p)
{
    static const char *const suffixes[] = {"s", "es", "d", "ed", "ing"};
    if (ln < 3 || !is_letter((unsigned char)l[ln - 1]) || !is_letter((unsigned char)l[ln - 2]))
        return NONE;
    size_t stem = ln;                                  /* bytes of the literal the word keeps */
    size_t q = NONE;
    if (p + ln <= n && memcmp(t + p, l, ln) == 0) {
        for (size_t k = 0; k < sizeof suffixes / sizeof suffixes[0] && q == NONE; k++) {
            size_t sn = strlen(suffixes[k]);
            if ((suffixes[k][0] == 'd' && l[ln - 1] != 'e') || (k == 3 && l[ln - 1] == 'e'))
                continue;                              /* "rate"+"d", "refund"+"ed" */
            if (p + ln + sn <= n && memcmp(t + p + ln, suffixes[k], sn) == 0)
                q = p + ln + sn;
        }
        /* a doubled consonant: "drop" -> "dropped", "dropping" */
        char last = l[ln - 1];
        if (q == NONE && last != 'e' && last != 'y' && last != 'w' && last != 'x' && p + ln < n && t[p + ln] == last) {
            if (p + ln + 3 <= n && memcmp(t + p + ln + 1, "ed", 2) == 0)
                q = p + ln + 3;
            else if (p + ln + 4 <= n && memcmp(t + p + ln + 1, "ing", 3) == 0)
                q = p + ln + 4;
        }
    } else if (ln >= 4 && (l[ln - 1] == 'e' || l[ln - 1] == 'y')) {
        stem = ln - 1;                                 /* "rate" -> "rating", "reply" -> "replied" */
        if (p + stem > n || memcmp(t + p, l, stem) != 0)
            return NONE;
        const char *const *alts = l[ln - 1] == 'e' ? (const char *const[]){"ing", NULL}
                                                   : (const char *const[]){"ies", "ied", NULL};
        for (size_t k = 0; alts[k] && q == NONE; k++) {
            size_t sn = strlen(alts[k]);
            if (p + stem + sn <= n && memcmp(t + p + stem, alts[k], sn) == 0)
                q = p + stem + sn;
        }
    }
    /* the suffix ends the word */
    if (q == NONE || (q < n && is_alnum((unsigned char)t[q])))
        return NONE;
    return q;
}

/* Matches elems at t[p]; returns the end offset, or NONE. Only gaps, alternatives and
 * inflected literals branch; everything else is deterministic. */
static size_t match_at(const fb_patterns *r, const elem *e, size_t ne, const char *t, size_t n, size_t p, int infl)
{
    for (size_t i = 0; i < ne; i++) {
        switch (e[i].kind) {
        case EL_LIT: {
            int exact = lit_at(r, &e[i], t, n, p);
            /* a literal that ends a word of the pattern may meet an inflection of it: the
             * exact form is tried first, then the inflected one */
            const char *l = r->lit + e[i].off;
            size_t ln = e[i].n;
            /* cheap tests first: most literals tried do not match at all; an inflection
             * either continues the exact word with a letter, or puts the 'i' of -ing,
             * -ies, -ied where a final e or y was */
            int may = infl && ln >= 3 && p + ln < n &&
                      (exact ? is_letter((unsigned char)t[p + ln])
                             : ln >= 4 && t[p + ln - 1] == 'i' && (l[ln - 1] == 'e' || l[ln - 1] == 'y') &&
                                   t[p] == l[0]) &&
                      (i + 1 == ne || e[i + 1].kind == EL_SEP || e[i + 1].kind == EL_GAP);
            size_t q = may ? inflected_end(l, ln, t, n, p) : NONE;
            if (q == NONE) {
                if (!exact)
                    return NONE;
                p += e[i].n;
                break;
            }
            /* the last element of a sequence (maybe an alternative, whose continuation is
             * matched by the caller): the whole inflected word */
            if (!exact || i + 1 == ne)
                return i + 1 == ne ? q : match_at(r, e + i + 1, ne - i - 1, t, n, q, infl);
            size_t end = match_at(r, e + i + 1, ne - i - 1, t, n, p + e[i].n, infl);
            if (end != NONE)
                return end;
            return i + 1 == ne ? q : match_at(r, e + i + 1, ne - i - 1, t, n, q, infl);
        }
        case EL_SEP: {
            size_t q = p;
            while (p < n && is_sep((unsigned char)t[p]))
                p++;
            /* none at all only between a digit and a word ("5star"), never inside a word:
             * "refund me" is not "refundment" */
            if (p == q && p > 0 && p < n && is_letter((unsigned char)t[p - 1]) && is_letter((unsigned char)t[p]))
                return NONE;
            break;
        }
        case EL_APOS:
            if (p < n && t[p] == '\'')
                p++;
            else if (p + 3 <= n && memcmp(t + p, "\xe2\x80\x99", 3) == 0)
                p += 3;
            break;
        case EL_NUM:
            if (p >= n || !is_digit((unsigned char)t[p]))
                return NONE;
            while (p < n && (is_digit((unsigned char)t[p]) ||
                             ((t[p] == '.' || t[p] == ',') && p + 1 < n && is_digit((unsigned char)t[p + 1]))))
                p++;
            break;
        case EL_END:
            if (p < n && is_alnum((unsigned char)t[p]))
                return NONE;
            break;
        case EL_ALT: {
            size_t k = 0, kn = e[i].n;
            const alt_range *as = &r->alts[e[i].off];
            if (e[i].by_byte) {
                if (p >= n)
                    return NONE;
                unsigned char ch = (unsigned char)t[p];
                size_t lo = 0, hi = kn;       /* the first alternative with byte >= ch */
                while (lo < hi) {
                    size_t mid = (lo + hi) / 2;
                    if (as[mid].byte < ch)
                        lo = mid + 1;
                    else
                        hi = mid;
                }
                k = lo;
            }
            for (; k < kn; k++) {
                const alt_range *a = &as[k];
                if (e[i].by_byte && a->byte != (unsigned char)t[p])
                    break;
                const elem *fe = &r->elems[a->first];
                if (fe->kind == EL_LIT && (p >= n || t[p] != r->lit[fe->off]))
                    continue;
                size_t q = match_at(r, r->elems + a->first, a->n, t, n, p, infl);
                if (q == NONE)
                    continue;
                size_t end = i + 1 == ne ? q : match_at(r, e + i + 1, ne - i - 1, t, n, q, infl);
                if (end != NONE)
                    return end;
            }
            return NONE;
        }
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
                size_t end = match_at(r, e + i + 1, ne - i - 1, t, n, p, infl);
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

int patterns_scan(const fb_patterns *r, const char *t, size_t n, patterns_fn fn, void *ctx)
{
    if (!r || r->n_progs == 0)
        return 0;
    if (r->unbuilt)
        return -1;   /* patterns_build was not called after the last deferred add */
    for (size_t p = 0; p < n; p++) {
        unsigned char ch = (unsigned char)t[p];
        if (r->bstart[ch] == r->bstart[ch + 1] || (p > 0 && is_alnum((unsigned char)t[p - 1])))
            continue;
        /* the digits after a decimal point are not a number of their own */
        if (p > 1 && is_digit(ch) && (t[p - 1] == '.' || t[p - 1] == ',') && is_digit((unsigned char)t[p - 2]))
            continue;
        unsigned char next = p + 1 < n ? (unsigned char)t[p + 1] : 0;
        unsigned char third = p + 2 < n ? (unsigned char)t[p + 2] : 0;
        unsigned char far[FAR_BYTES];
        for (size_t k = 0; k < FAR_BYTES; k++)
            far[k] = p + 3 + k < n ? (unsigned char)t[p + 3 + k] : 0;
        size_t tried = NONE;
        const uint32_t *pp = r->pair + r->pstart[ch * 256 + next], *pe = r->pair + r->pstart[ch * 256 + next + 1];
        const uint32_t *wp = r->wild + r->wstart[ch], *we = r->wild + r->wstart[ch + 1];
        while (pp < pe || wp < we) {
            /* the next entry of the bucket, in bucket order, among those the second byte allows */
            size_t bi = wp == we || (pp < pe && *pp < *wp) ? *pp++ : *wp++;
            const struct bucket_entry *be = &r->bidx[bi];
            if (!(be->third[third >> 3] & (1u << (third & 7))))
                continue;
            int far_ok = 1;
            for (size_t k = 0; k < FAR_BYTES && far_ok; k++)
                far_ok = be->later[k][far[k] >> 3] & (1u << (far[k] & 7));
            if (!far_ok)
                continue;
            /* a pattern's entries in a bucket are next to each other: try it once per start */
            if (be->prog == tried)
                continue;
            tried = be->prog;
            const prog *pr = &r->progs[be->prog];
            size_t end = match_at(r, r->elems + pr->first, pr->n, t, n, p, !pr->exact);
            if (end == NONE || end == p)
                continue;
            int rc = fn(ctx, r->bidx[bi].prog, pr->tag, p, end);
            if (rc)
                return rc;
        }
    }
    return 0;
}
