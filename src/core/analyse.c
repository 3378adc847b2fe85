/* The message analyser (analyse.h).
 *
 * Per message: fold (fold.h), rewrite spelling (the lexicon's "spelling" class, then near
 * misspellings of the lexicon's own words: one edit, same first letter, 6+ letters), scan
 * every class's terms in one pass (pattern.h), split into sentences, and try the frames:
 * first the sentence frames on each sentence (the first frame that fits claims it), then
 * the message frames on what no sentence frame claimed. A frame fits when every class it
 * needs occurs in the scope and none it excludes does; classes are bits, so a frame test
 * is two mask operations. Findings keep the first place each frame fired; every firing
 * adds its words to the case's matches, the first with the sentence that explains it. */
#include "fbreview/analyse.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data_files.h"
#include "fbreview/fold.h"
#include "fbreview/pattern.h"

#define MAX_CLASSES 256      /* an operator's lexicon may name this many word classes */
#define MAX_GROUPS 16       /* classes (or alternatives) one frame needs */
#define NAME_MAX_LEN 31
#define FUZZY_MIN 6          /* words shorter than this are never corrected */
#define WORDS_MAX 40         /* bytes of matched words quoted in an explanation */
#define UNREAD_WORDS 5       /* a message this many words long with no "common" word is unread */
#define UNREAD_NONASCII 5    /* ... or this many letters of other scripts (no spaces in CJK) */
#define DISGUISE_PREFIX "disguise_"  /* the findings of disguised words: "read_disguise_leet" */
#define UNEXPLAINED_MANY 3   /* sentences no frame took, each with words of a class: "unexplained" */

/* A set of word classes: which classes a frame needs or forbids, which a sentence holds. */
#define SET_WORDS (MAX_CLASSES / 64)
typedef struct clsset {
    uint64_t w[SET_WORDS];
} clsset;

static void set_add(clsset *s, int c) { s->w[c >> 6] |= (uint64_t)1 << (c & 63); }
static int set_has(const clsset *s, int c) { return (int)((s->w[c >> 6] >> (c & 63)) & 1); }
static void set_union(clsset *a, const clsset *b)
{
    for (int i = 0; i < SET_WORDS; i++)
        a->w[i] |= b->w[i];
}
static int set_meets(const clsset *a, const clsset *b)
{
    for (int i = 0; i < SET_WORDS; i++)
        if (a->w[i] & b->w[i])
            return 1;
    return 0;
}
static int set_empty(const clsset *s)
{
    for (int i = 0; i < SET_WORDS; i++)
        if (s->w[i])
            return 0;
    return 1;
}

/* Classes the analyser sets itself (no terms): frames name them like any other class.
 *   unread       a message in words the rules do not read (is_unread)
 *   ok_ground    an ok frame's judgement held for a sentence of this message (a plain request,
 *                thanks): nothing in the untaken sentences is a class that frame rules out
 *   unexplained  several sentences no frame took carry words of the classes: a long message
 *                whose plain sentence is not the whole story */
#define SET_CLASS_TABLE(X) \
    X(SET_UNREAD, "unread") \
    X(SET_OK_GROUND, "ok_ground") \
    X(SET_UNEXPLAINED, "unexplained")
enum set_class {
#define SET_X(e, name) e,
    SET_CLASS_TABLE(SET_X)
#undef SET_X
    SET_COUNT
};
static const char *const set_class_name[SET_COUNT] = {
#define SET_X(e, name) name,
    SET_CLASS_TABLE(SET_X)
#undef SET_X
};

/* SCOPE_SET: a named set of classes (outcome "set"), never tried itself; other frames write
 * @name for any of its classes and !@name for none of them, so a list kept by many frames
 * (what an ok frame rules out) is written once. */
enum scope { SCOPE_SENTENCE, SCOPE_MESSAGE, SCOPE_SET };

typedef struct term_row { char *cls, *term; } term_row;

typedef struct frame {
    char *name, *outcome_s, *scope_s, *needs, *sentence;
    fb_outcome outcome;
    fb_violation violation;
    int weight;
    enum scope scope;
    clsset need, forbid;    /* need: every class the frame names (its words are highlighted) */
    clsset group[MAX_GROUPS];   /* each must meet the scope: one class, or alternatives a|b|c */
    int n_group;
    int order[MAX_CLASSES]; /* the needed classes in the order written (for the sentence) */
    int n_order;
} frame;

typedef struct spell { char *from, *to; } spell;

struct fb_analyser {
    char *classes[MAX_CLASSES];
    int n_classes;
    term_row *terms;   size_t n_terms;
    size_t *term_set;  size_t term_cap;   /* terms by (class, term): index + 1, 0 empty */
    frame *frames;     size_t n_frames;
    spell *spells;     size_t n_spells;
    fb_patterns *pats;
    /* the vocabulary for spelling tolerance: every literal word of the terms and every
     * spelling target, in an open-addressing hash set */
    const char **vocab; size_t vocab_cap, n_vocab;
    /* the words that carry meaning: letter runs of the terms of every class but the everyday
     * ("common") and negation words, an open-addressing set; a disguised one is evidence */
    struct word_ref { const char *s; size_t n; } *meant; size_t meant_cap;
    /* the words a slip may be corrected towards (FUZZY_MIN letters or more), by first
     * letter: fuzzy[fstart[c - 'a'] .. fstart[c - 'a' + 1]) */
    const char **fuzzy; size_t *fuzzy_len; size_t fstart[27];
    /* spelling variants: an open-addressing table of index + 1 into spells */
    size_t *spell_tab; size_t spell_cap;
    int vocab_stale;
    int ignore;        /* the class "ignore", or -1 */
    int negation;      /* the class "negation", or -1: its sentences are split into clauses */
    int common;        /* the class "common", or -1: the everyday words of the rules' language */
    int courtesy;      /* the class "courtesy", or -1: polite conditions ("if you're happy") */
    /* the classes the analyser sets are classes[0 .. SET_COUNT): their index is their enum */
};

static fb_status vocab_ready(fb_analyser *a, fb_err *err);

/* ---- building ---- */

fb_status analyser_new(fb_analyser **out, fb_err *err)
{
    *out = calloc(1, sizeof **out);
    int named = 0;
    if (*out) {
        (*out)->ignore = (*out)->negation = (*out)->common = (*out)->courtesy = -1;
        /* the classes the analyser sets have no terms: a frame can send a message in words the
         * rules do not read, or one whose plain sentence is not the whole story, to the reviewer */
        for (int i = 0; i < SET_COUNT; i++)
            named += ((*out)->classes[i] = fb_strdup(set_class_name[i])) != NULL;
        (*out)->n_classes = SET_COUNT;
    }
    if (!*out || named != SET_COUNT || patterns_new(&(*out)->pats, err) != FB_OK) {
        if (*out)
            for (int i = 0; i < SET_COUNT; i++)
                free((*out)->classes[i]);
        free(*out);
        *out = NULL;
        return fb_err_set(err, FB_ENOMEM, "message analyser: out of memory");
    }
    /* the buckets are built once the terms are in (vocab_build), not after every term */
    patterns_defer((*out)->pats, 1);
    return FB_OK;
}

void analyser_free(fb_analyser **ap)
{
    fb_analyser *a = ap ? *ap : NULL;
    if (!a)
        return;
    for (int i = 0; i < a->n_classes; i++)
        free(a->classes[i]);
    for (size_t i = 0; i < a->n_terms; i++) {
        free(a->terms[i].cls);
        free(a->terms[i].term);
    }
    free(a->terms);
    for (size_t i = 0; i < a->n_frames; i++) {
        frame *f = &a->frames[i];
        free(f->name);
        free(f->outcome_s);
        free(f->scope_s);
        free(f->needs);
        free(f->sentence);
    }
    free(a->frames);
    for (size_t i = 0; i < a->n_spells; i++) {
        free(a->spells[i].from);
        free(a->spells[i].to);
    }
    free(a->spells);
    free(a->vocab);
    free(a->meant);
    free(a->fuzzy);
    free(a->fuzzy_len);
    free(a->spell_tab);
    free(a->term_set);
    patterns_free(&a->pats);
    free(a);
    *ap = NULL;
}

static int valid_name(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
            return 0;
    return n >= 1 && n <= NAME_MAX_LEN;
}

static int class_index(const fb_analyser *a, const char *name, size_t n)
{
    for (int i = 0; i < a->n_classes; i++)
        if (strlen(a->classes[i]) == n && memcmp(a->classes[i], name, n) == 0)
            return i;
    return -1;
}

static int is_word_char(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'); }

/* "variant=canonical": the variant is one lower-case word, the canonical any text. */
static fb_status add_spelling(fb_analyser *a, const char *where, const char *term, fb_err *err)
{
    const char *eq = strchr(term, '=');
    if (!eq || eq == term || !eq[1])
        return fb_err_set(err, FB_EINPUT, "%s: term: a spelling is variant=canonical (\"u=you\"), got \"%s\"",
                          where, term);
    for (const char *p = term; p < eq; p++)
        if (!is_word_char(*p))
            return fb_err_set(err, FB_EINPUT,
                              "%s: term: the variant before '=' must be one lower-case word (a-z, 0-9), got \"%.*s\"",
                              where, (int)(eq - term), term);
    for (size_t i = 0; i < a->n_spells; i++)
        if (strlen(a->spells[i].from) == (size_t)(eq - term) && memcmp(a->spells[i].from, term, (size_t)(eq - term)) == 0)
            return fb_err_set(err, FB_EINPUT, "%s: term: the spelling of \"%.*s\" is given twice", where,
                              (int)(eq - term), term);
    spell *s = fb_grow((void **)&a->spells, &a->n_spells, sizeof *s);
    if (!s)
        return fb_err_set(err, FB_ENOMEM, "message analyser: out of memory");
    s->from = strndup(term, (size_t)(eq - term));
    s->to = fb_strdup(eq + 1);
    a->vocab_stale = 1;
    return FB_OK;
}

static size_t term_hash(const char *cls, const char *term)
{
    uint64_t h = 1469598103934665603ULL;
    for (const char *p = cls; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    h = (h ^ 0x1f) * 1099511628211ULL;
    for (const char *p = term; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return (size_t)h;
}

/* Whether class cls already holds term: a hash set beside the list (a scan of the list
 * for each term made loading the lexicon quadratic). */
static int term_seen(const fb_analyser *a, const char *cls, const char *term)
{
    if (!a->term_cap)
        return 0;
    for (size_t i = term_hash(cls, term) & (a->term_cap - 1); a->term_set[i]; i = (i + 1) & (a->term_cap - 1)) {
        const term_row *t = &a->terms[a->term_set[i] - 1];
        if (strcmp(t->term, term) == 0 && strcmp(t->cls, cls) == 0)
            return 1;
    }
    return 0;
}

/* Puts the last term into the set, growing it to stay at most half full. */
static int term_note(fb_analyser *a)
{
    if (2 * a->n_terms > a->term_cap) {
        size_t cap = a->term_cap ? a->term_cap * 2 : 256;
        size_t *set = calloc(cap, sizeof *set);
        if (!set)
            return -1;
        free(a->term_set);
        a->term_set = set;
        a->term_cap = cap;
        for (size_t k = 0; k + 1 < a->n_terms; k++) {
            size_t i = term_hash(a->terms[k].cls, a->terms[k].term) & (cap - 1);
            while (set[i])
                i = (i + 1) & (cap - 1);
            set[i] = k + 1;
        }
    }
    const term_row *t = &a->terms[a->n_terms - 1];
    size_t i = term_hash(t->cls, t->term) & (a->term_cap - 1);
    while (a->term_set[i])
        i = (i + 1) & (a->term_cap - 1);
    a->term_set[i] = a->n_terms;
    return 0;
}

fb_status analyser_add_term(fb_analyser *a, const char *where, const char *cls, const char *term, fb_err *err)
{
    if (!cls || !valid_name(cls))
        return fb_err_set(err, FB_EINPUT, "%s: class: \"%s\" is not a class name (a-z, 0-9, _; at most 31)", where,
                          cls ? cls : "");
    if (!term || !*term)
        return fb_err_set(err, FB_EINPUT, "%s: term: empty", where);
    for (const char *p = term; *p; p++)
        if ((unsigned char)*p < 0x80 && *p >= 'A' && *p <= 'Z')
            return fb_err_set(err, FB_EINPUT, "%s: term: \"%s\" has upper case (write terms in lower case)", where, term);
    if (term_seen(a, cls, term))
        return fb_err_set(err, FB_EINPUT, "%s: term: \"%s\" appears twice in class %s", where, term, cls);
    fb_status st;
    for (int i = 0; i < SET_COUNT; i++)
        if (strcmp(cls, set_class_name[i]) == 0)
            return fb_err_set(err, FB_EINPUT, "%s: class: \"%s\" is set by the analyser and takes no terms", where, cls);
    if (strcmp(cls, "spelling") == 0)
        st = add_spelling(a, where, term, err);
    else {
        int ci = class_index(a, cls, strlen(cls));
        if (ci < 0) {
            if (a->n_classes == MAX_CLASSES)
                return fb_err_set(err, FB_EINPUT, "%s: class: more than %d classes", where, MAX_CLASSES);
            ci = a->n_classes;
            a->classes[a->n_classes++] = fb_strdup(cls);
            if (strcmp(cls, "ignore") == 0)
                a->ignore = ci;
            else if (strcmp(cls, "negation") == 0)
                a->negation = ci;
            else if (strcmp(cls, "common") == 0)
                a->common = ci;
            else if (strcmp(cls, "courtesy") == 0)
                a->courtesy = ci;
        }
        /* "ignore" and "courtesy" spans are exact: "your rate" is an hourly rate, "your rating"
         * is not */
        st = patterns_add_exact(a->pats, where, "term", term, ci, ci == a->ignore || ci == a->courtesy, err);
        a->vocab_stale = 1;
    }
    if (st != FB_OK)
        return st;
    term_row *r = fb_grow((void **)&a->terms, &a->n_terms, sizeof *r);
    if (!r)
        return fb_err_set(err, FB_ENOMEM, "message analyser: out of memory");
    r->cls = fb_strdup(cls);
    r->term = fb_strdup(term);
    if (term_note(a) != 0)
        return fb_err_set(err, FB_ENOMEM, "message analyser: out of memory");
    return a->n_frames ? vocab_ready(a, err) : FB_OK;
}

fb_status analyser_add_frame(fb_analyser *a, const char *where, const fb_frame_row *row, fb_err *err)
{
    frame f = {0};
    if (!row->name || !valid_name(row->name))
        return fb_err_set(err, FB_EINPUT, "%s: name: \"%s\" is not a frame name (a-z, 0-9, _; at most 31)", where,
                          row->name ? row->name : "");
    for (size_t i = 0; i < a->n_frames; i++)
        if (strcmp(a->frames[i].name, row->name) == 0)
            return fb_err_set(err, FB_EINPUT, "%s: name: \"%s\" appears twice", where, row->name);
    if (strncmp(row->name, DISGUISE_PREFIX, sizeof DISGUISE_PREFIX - 1) == 0)
        return fb_err_set(err, FB_EINPUT, "%s: name: \"%s\" (names starting \"" DISGUISE_PREFIX
                          "\" are the analyser's own findings of disguised words)", where, row->name);
    const char *oc = row->outcome ? row->outcome : "";
    int is_set = strcmp(oc, "set") == 0;
    if (is_set)
        f.outcome = FB_OUT_READ, f.violation = FB_V_NONE;
    else if (strcmp(oc, "read") == 0)
        f.outcome = FB_OUT_READ, f.violation = FB_V_NONE;
    else if (strcmp(oc, "ok") == 0)
        f.outcome = FB_OUT_OK, f.violation = FB_V_NONE;
    else if ((f.violation = fb_violation_from_str(oc)) != FB_V_NONE)
        f.outcome = FB_OUT_VIOLATION;
    else
        return fb_err_set(err, FB_EINPUT,
                          "%s: outcome: unknown \"%s\" (a violation code: fake_job, self_hire, conflict_of_interest, "
                          "paid_feedback, free_work_for_review, feedback_extortion; or read, ok, set)", where, oc);
    if (f.outcome == FB_OUT_VIOLATION && (row->weight < 1 || row->weight > 100))
        return fb_err_set(err, FB_EINPUT, "%s: weight: %d is out of range (a violation weighs 1..100)", where, row->weight);
    if (f.outcome != FB_OUT_VIOLATION && row->weight != 0)
        return fb_err_set(err, FB_EINPUT, "%s: weight: %d for a %s frame (read and ok frames and sets weigh 0)", where,
                          row->weight, oc);
    f.weight = row->weight;
    const char *sc = row->scope ? row->scope : "";
    if (is_set != (strcmp(sc, "-") == 0))
        return fb_err_set(err, FB_EINPUT, "%s: scope: \"%s\" (a set has scope -, a frame sentence or message)", where, sc);
    if (is_set)
        f.scope = SCOPE_SET;
    else if (strcmp(sc, "sentence") == 0)
        f.scope = SCOPE_SENTENCE;
    else if (strcmp(sc, "message") == 0)
        f.scope = SCOPE_MESSAGE;
    else
        return fb_err_set(err, FB_EINPUT, "%s: scope: \"%s\" (sentence or message)", where, sc);
    const char *p = row->needs ? row->needs : "";
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        int neg = *p == '!';
        p += neg;
        /* one need: a class, or alternatives a|b|c (any of them will do) */
        clsset alt = {{0}};
        for (;;) {
            const char *s = p;
            while (*p && *p != ' ' && *p != '|')
                p++;
            if (*s == '@') {
                /* a set written earlier in the file: all of its classes are alternatives here */
                const frame *set = NULL;
                for (size_t i = 0; i < a->n_frames && !set; i++)
                    if (a->frames[i].scope == SCOPE_SET && strlen(a->frames[i].name) == (size_t)(p - s - 1) &&
                        strncmp(a->frames[i].name, s + 1, (size_t)(p - s - 1)) == 0)
                        set = &a->frames[i];
                if (!set || is_set)
                    return fb_err_set(err, FB_EINPUT, "%s: needs: \"%.*s\" %s", where, (int)(p - s), s,
                                      is_set ? "(a set names classes, not other sets)"
                                             : "names no set written above it (a row with outcome set)");
                for (int k = 0; k < set->n_order; k++) {
                    set_add(&alt, set->order[k]);
                    if (!neg && !set_has(&f.need, set->order[k])) {
                        set_add(&f.need, set->order[k]);
                        f.order[f.n_order++] = set->order[k];
                    }
                }
            } else {
                int ci = class_index(a, s, (size_t)(p - s));
                if (ci < 0)
                    return fb_err_set(err, FB_EINPUT,
                                      "%s: needs: unknown class \"%.*s\" (no term in the lexicon has it)", where,
                                      (int)(p - s), s);
                set_add(&alt, ci);
                if (!neg && !set_has(&f.need, ci)) {
                    set_add(&f.need, ci);
                    f.order[f.n_order++] = ci;
                }
            }
            if (*p != '|')
                break;
            p++;
        }
        if (is_set && (neg || f.n_group > 0))
            return fb_err_set(err, FB_EINPUT, "%s: needs: a set is one list a|b|c, with no ! (it is used as @%s)",
                              where, row->name);
        if (neg)
            set_union(&f.forbid, &alt);
        else if (f.n_group == MAX_GROUPS)
            return fb_err_set(err, FB_EINPUT, "%s: needs: more than %d classes that must occur", where, MAX_GROUPS);
        else
            f.group[f.n_group++] = alt;
    }
    if (set_empty(&f.need))
        return fb_err_set(err, FB_EINPUT, "%s: needs: no class that must occur (name at least one)", where);
    if (!row->sentence || !*row->sentence)
        return fb_err_set(err, FB_EINPUT, "%s: sentence: empty (the reviewer needs to read why)", where);
    for (const char *q = row->sentence; (q = strchr(q, '{')); q++) {
        const char *e = strchr(q, '}');
        int ci = e ? class_index(a, q + 1, (size_t)(e - q - 1)) : -1;
        if (ci < 0 || !set_has(&f.need, ci))
            return fb_err_set(err, FB_EINPUT, "%s: sentence: \"{%.*s}\" names no class the frame needs", where,
                              e ? (int)(e - q - 1) : (int)strlen(q + 1), q + 1);
    }
    frame *nf = fb_grow((void **)&a->frames, &a->n_frames, sizeof *nf);
    if (!nf)
        return fb_err_set(err, FB_ENOMEM, "message analyser: out of memory");
    *nf = f;
    nf->name = fb_strdup(row->name);
    nf->outcome_s = fb_strdup(oc);
    nf->scope_s = fb_strdup(sc);
    nf->needs = fb_strdup(row->needs);
    nf->sentence = fb_strdup(row->sentence);
    return vocab_ready(a, err);
}

size_t analyser_term_count(const fb_analyser *a) { return a ? a->n_terms : 0; }
void analyser_term_get(const fb_analyser *a, size_t i, const char **cls, const char **term)
{
    *cls = a->terms[i].cls;
    *term = a->terms[i].term;
}
size_t analyser_frame_count(const fb_analyser *a) { return a ? a->n_frames : 0; }
void analyser_frame_get(const fb_analyser *a, size_t i, fb_frame_row *row)
{
    const frame *f = &a->frames[i];
    *row = (fb_frame_row){f->name, f->outcome_s, f->weight, f->scope_s, f->needs, f->sentence};
}

/* ---- TSV files ---- */

typedef fb_status (*tsv_line_fn)(fb_analyser *a, const char *where, char **col, int n, fb_err *err);

static fb_status parse_tsv(fb_analyser *a, const char *name, const char *tsv, int want, const char *const *field,
                           tsv_line_fn fn, fb_err *err)
{
    char *copy = fb_strdup(tsv ? tsv : "");
    fb_status st = FB_OK;
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
        char *col[8] = {0};
        int n = 0;
        for (char *c = s; n < 8;) {
            col[n++] = c;
            char *tab = strchr(c, '\t');
            if (!tab)
                break;
            *tab = '\0';
            c = tab + 1;
        }
        if (n < want) {
            st = fb_err_set(err, FB_EINPUT, "%s: %s: missing (expected %d columns separated by TABs)", where,
                            field[n], want);
            break;
        }
        if (n > want) {
            st = fb_err_set(err, FB_EINPUT, "%s: %s: contains a TAB (only %d columns are allowed)", where,
                            field[want - 1], want);
            break;
        }
        if ((st = fn(a, where, col, n, err)) != FB_OK)
            break;
    }
    free(copy);
    return st;
}

static fb_status lex_line(fb_analyser *a, const char *where, char **col, int n, fb_err *err)
{
    (void)n;
    return analyser_add_term(a, where, col[0], col[1], err);
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
    *out = (int)v;
    return v > 100 ? -1 : 0;
}

static fb_status frame_line(fb_analyser *a, const char *where, char **col, int n, fb_err *err)
{
    (void)n;
    int w = 0;
    if (parse_weight(col[2], &w) != 0)
        return fb_err_set(err, FB_EINPUT, "%s: weight: \"%s\" is not a whole number 0..100", where, col[2]);
    fb_frame_row row = {col[0], col[1], w, col[3], col[4], col[5]};
    return analyser_add_frame(a, where, &row, err);
}

fb_status analyser_parse(const char *lex_name, const char *lex_tsv, const char *frames_name, const char *frames_tsv,
                         fb_analyser **out, fb_err *err)
{
    static const char *const lex_fields[] = {"class", "term"};
    static const char *const frame_fields[] = {"name", "outcome", "weight", "scope", "needs", "sentence"};
    fb_analyser *a = NULL;
    *out = NULL;
    if (analyser_new(&a, err) != FB_OK)
        return err->status;
    if (parse_tsv(a, lex_name, lex_tsv, 2, lex_fields, lex_line, err) != FB_OK ||
        parse_tsv(a, frames_name, frames_tsv, 6, frame_fields, frame_line, err) != FB_OK) {
        analyser_free(&a);
        return err->status;
    }
    *out = a;
    return FB_OK;
}

static const char *data_file(const char *name)
{
    for (const struct fb_data_file *f = fb_data_files; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f->text;
    return "";
}

const char *analyser_default_lexicon(void) { return data_file("lexicon.tsv"); }
const char *analyser_default_frames(void) { return data_file("frames.tsv"); }

fb_status analyser_default(fb_analyser **out, fb_err *err)
{
    return analyser_parse("lexicon.tsv", analyser_default_lexicon(), "frames.tsv", analyser_default_frames(), out, err);
}

/* ---- the vocabulary (spelling tolerance) ---- */

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

static int vocab_has(const fb_analyser *a, const char *s, size_t n)
{
    if (!a->vocab_cap)
        return 0;
    for (size_t i = hash_bytes(s, n) & (a->vocab_cap - 1);; i = (i + 1) & (a->vocab_cap - 1)) {
        const char *v = a->vocab[i];
        if (!v)
            return 0;
        if (strncmp(v, s, n) == 0 && v[n] == '\0')   /* strncmp stops at v's end */
            return 1;
    }
}

static void vocab_put(fb_analyser *a, const char *w)
{
    size_t n = strlen(w);
    if (vocab_has(a, w, n))
        return;
    for (size_t i = hash_bytes(w, n) & (a->vocab_cap - 1);; i = (i + 1) & (a->vocab_cap - 1))
        if (!a->vocab[i]) {
            a->vocab[i] = w;
            a->n_vocab++;
            return;
        }
}

static int meant_has(const fb_analyser *a, const char *w, size_t n)
{
    if (!a->meant_cap)
        return 0;
    for (size_t i = hash_bytes(w, n) & (a->meant_cap - 1); a->meant[i].s; i = (i + 1) & (a->meant_cap - 1))
        if (a->meant[i].n == n && memcmp(a->meant[i].s, w, n) == 0)
            return 1;
    return 0;
}

static int meant_build(fb_analyser *a)
{
    size_t runs = 0;
    for (size_t t = 0; t < a->n_terms; t++)
        runs += strlen(a->terms[t].term) / 2 + 1;
    size_t cap = 64;
    while (cap < 2 * runs + 2)
        cap *= 2;
    free(a->meant);
    a->meant = calloc(cap, sizeof *a->meant);
    if (!a->meant)
        return -1;
    a->meant_cap = cap;
    for (size_t t = 0; t < a->n_terms; t++) {
        const char *cls = a->terms[t].cls, *w = a->terms[t].term;
        int ci = class_index(a, cls, strlen(cls));
        if (ci < 0 || ci == a->common || ci == a->negation)
            continue;   /* the spelling class has no index: its variants are not words of a class */
        for (const char *p = w; *p;) {
            const char *q = p;
            while (*q >= 'a' && *q <= 'z')
                q++;
            size_t n = (size_t)(q - p);
            if (n >= 3 && !meant_has(a, p, n)) {
                size_t i = hash_bytes(p, n) & (cap - 1);
                while (a->meant[i].s)
                    i = (i + 1) & (cap - 1);
                a->meant[i] = (struct word_ref){p, n};
            }
            p = *q ? q + 1 : q;
        }
    }
    return 0;
}

/* Rebuilt whenever a term or frame is added, so a loaded analyser is read-only and may be
 * shared between threads. */
static int vocab_build(fb_analyser *a)
{
    fb_err berr = {0};
    if (patterns_build(a->pats, &berr) != FB_OK)
        return -1;
    const char *const *words;
    size_t nw = patterns_words(a->pats, &words);
    size_t cap = 64;
    while (cap < 2 * (nw + a->n_spells) + 2)
        cap *= 2;
    free(a->vocab);
    a->vocab = calloc(cap, sizeof *a->vocab);
    if (!a->vocab)
        return -1;
    a->vocab_cap = cap;
    a->n_vocab = 0;
    for (size_t i = 0; i < nw; i++)
        vocab_put(a, words[i]);
    for (size_t i = 0; i < a->n_spells; i++)
        if (strlen(a->spells[i].to) >= 4 && !strchr(a->spells[i].to, ' '))
            vocab_put(a, a->spells[i].to);
    /* the correction candidates, grouped by first letter */
    free(a->fuzzy);
    free(a->fuzzy_len);
    a->fuzzy = calloc(a->n_vocab + 1, sizeof *a->fuzzy);
    a->fuzzy_len = calloc(a->n_vocab + 1, sizeof *a->fuzzy_len);
    if (!a->fuzzy || !a->fuzzy_len)
        return -1;
    size_t count[26] = {0}, n = 0;
    for (size_t i = 0; i < cap; i++)
        if (a->vocab[i] && strlen(a->vocab[i]) >= FUZZY_MIN && a->vocab[i][0] >= 'a' && a->vocab[i][0] <= 'z')
            count[a->vocab[i][0] - 'a']++;
    for (int c = 0; c < 26; c++) {
        a->fstart[c] = n;
        n += count[c];
    }
    a->fstart[26] = n;
    size_t fill[26];
    memcpy(fill, a->fstart, sizeof fill);
    for (size_t i = 0; i < cap; i++)
        if (a->vocab[i] && strlen(a->vocab[i]) >= FUZZY_MIN && a->vocab[i][0] >= 'a' && a->vocab[i][0] <= 'z')
        {
            size_t at = fill[a->vocab[i][0] - 'a']++;
            a->fuzzy[at] = a->vocab[i];
            a->fuzzy_len[at] = strlen(a->vocab[i]);
        }
    /* the spelling variants */
    size_t scap = 16;
    while (scap < 2 * a->n_spells + 2)
        scap *= 2;
    free(a->spell_tab);
    a->spell_tab = calloc(scap, sizeof *a->spell_tab);
    if (!a->spell_tab)
        return -1;
    a->spell_cap = scap;
    for (size_t k = 0; k < a->n_spells; k++) {
        const char *f = a->spells[k].from;
        size_t i = hash_bytes(f, strlen(f)) & (scap - 1);
        while (a->spell_tab[i])
            i = (i + 1) & (scap - 1);
        a->spell_tab[i] = k + 1;
    }
    if (meant_build(a) != 0)
        return -1;
    a->vocab_stale = 0;
    return 0;
}

static fb_status vocab_ready(fb_analyser *a, fb_err *err)
{
    if (!a->vocab_stale && a->vocab)
        return FB_OK;
    if (vocab_build(a) != 0)
        return fb_err_set(err, FB_ENOMEM, "message analyser: out of memory");
    return FB_OK;
}

/* 1 when a and b are one edit apart: a substitution, an insertion, a deletion or two
 * neighbours swapped (Damerau). */
static int one_edit(const char *a, size_t na, const char *b, size_t nb)
{
    if (na > nb + 1 || nb > na + 1)
        return 0;
    size_t i = 0;
    while (i < na && i < nb && a[i] == b[i])
        i++;
    if (i == na && i == nb)
        return 0;   /* equal */
    if (na == nb) {
        if (memcmp(a + i + 1, b + i + 1, na - i - 1) == 0)
            return 1;
        return i + 1 < na && a[i] == b[i + 1] && a[i + 1] == b[i] && memcmp(a + i + 2, b + i + 2, na - i - 2) == 0;
    }
    if (na > nb)
        return memcmp(a + i + 1, b + i, nb - i) == 0;
    return memcmp(a + i, b + i + 1, na - i) == 0;
}

static const struct { const char *s; size_t n; } endings[] = {
    {"s", 1}, {"es", 2}, {"d", 1}, {"ed", 2}, {"ing", 3}, {"er", 2}, {"ers", 3}, {"ly", 2}, {"y", 1},
    {"ment", 4}, {"ful", 3}, {"less", 4},
};

/* Known words with an ending ("refunded", "stars") are the word, inflected. */
static int known_inflected(const fb_analyser *a, const char *w, size_t n)
{
    for (size_t x = 0; x < sizeof endings / sizeof endings[0]; x++)
        if (endings[x].n + 4 <= n && memcmp(w + n - endings[x].n, endings[x].s, endings[x].n) == 0 &&
            vocab_has(a, w, n - endings[x].n))
            return 1;
    return 0;
}

/* w[0..n) is a word that carries meaning in the rules, as it is or inflected. */
static int meant_known(const fb_analyser *a, const char *w, size_t n)
{
    if (meant_has(a, w, n))
        return 1;
    for (size_t x = 0; x < sizeof endings / sizeof endings[0]; x++)
        if (endings[x].n + 3 <= n && memcmp(w + n - endings[x].n, endings[x].s, endings[x].n) == 0 &&
            meant_has(a, w, n - endings[x].n))
            return 1;
    return 0;
}

/* The vocabulary word w is one edit from (same first letter), or NULL; known words and
 * known words with an ending ("refunded") are left alone. A word of FUZZY_MIN letters
 * or more may be any slip; one letter shorter, only a letter dropped from a longer word
 * ("refnd", "ratng"): short words are too often other real words one slip away. */
static const char *correct(const fb_analyser *a, const char *w, size_t n)
{
    if (n < FUZZY_MIN - 1 || n > 40 || vocab_has(a, w, n) || known_inflected(a, w, n))
        return NULL;
    if (w[0] < 'a' || w[0] > 'z')
        return NULL;
    for (size_t i = a->fstart[w[0] - 'a']; i < a->fstart[w[0] - 'a' + 1]; i++) {
        const char *v = a->fuzzy[i];
        /* one edit apart means lengths within one: most candidates stop at the first test */
        size_t nv = a->fuzzy_len[i];
        if (nv + 1 >= n && nv <= n + 1 && (n >= FUZZY_MIN || nv == n + 1) && one_edit(w, n, v, nv))
            return v;
    }
    return NULL;
}

/* ---- running ---- */

typedef struct hit { int cls; size_t start, end; size_t sentence; } hit;

typedef struct run {
    const fb_analyser *a;
    fb_folded fold;
    char *t;         size_t n, cap;      /* normalised text */
    size_t *map;     size_t map_cap;     /* normalised offset -> original offset */
    unsigned char *kind;                 /* normalised offset -> FB_DISGUISE bits (fold.h) */
    int disguised;                       /* some kind is set */
    hit *hits;       size_t n_hits, hits_cap;
    size_t *sent;    size_t n_sent, sent_cap;   /* sentence start offsets in t */
    size_t last_end[MAX_CLASSES];
    size_t last_hit[MAX_CLASSES];         /* index + 1 of the class's latest hit */
    int oom;
} run;

/* The kind array is written only once a message has a disguised byte (most have none). */
static void kinds_on(run *r)
{
    if (!r->disguised) {
        memset(r->kind, 0, r->n);
        r->disguised = 1;
    }
}

/* Appends s[0..n), every byte from original offset orig, with disguise bits kind. */
static int put(run *r, const char *s, size_t n, size_t orig, unsigned kind)
{
    if (r->n + n + 1 > r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 512;
        while (cap < r->n + n + 1)
            cap *= 2;
        char *t = realloc(r->t, cap);
        size_t *m = realloc(r->map, (cap + 1) * sizeof *m);
        unsigned char *k = realloc(r->kind, cap + 1);
        if (t)
            r->t = t;
        if (m)
            r->map = m;
        if (k)
            r->kind = k;
        if (!t || !m || !k)
            return -1;
        r->cap = cap;
    }
    memcpy(r->t + r->n, s, n);
    for (size_t i = 0; i < n; i++)
        r->map[r->n + i] = orig;
    if (kind)
        kinds_on(r);
    if (r->disguised)
        memset(r->kind + r->n, (int)kind, n);
    r->n += n;
    return 0;
}

static const char *spelled(const fb_analyser *a, const char *w, size_t n)
{
    if (!a->spell_cap)
        return NULL;
    for (size_t i = hash_bytes(w, n) & (a->spell_cap - 1); a->spell_tab[i]; i = (i + 1) & (a->spell_cap - 1)) {
        const spell *sp = &a->spells[a->spell_tab[i] - 1];
        if (strlen(sp->from) == n && memcmp(sp->from, w, n) == 0)
            return sp->to;
    }
    return NULL;
}

/* The disguise bits of folded bytes [i, j). */
static unsigned fold_kinds(const fb_folded *f, size_t i, size_t j)
{
    unsigned k = 0;
    for (size_t x = i; f->disguised && x < j; x++)
        k |= text_fold_kind(f, x);
    return k;
}

/* The word f->t[i..j) (letters and digits): a spelling variant or a slip rewritten, else as
 * it is; extra: disguise bits the reading found. */
static int put_word(run *r, size_t i, size_t j, unsigned extra)
{
    const fb_folded *f = &r->fold;
    const char *rep = spelled(r->a, f->t + i, j - i);
    if (!rep)
        rep = correct(r->a, f->t + i, j - i);
    if (rep)   /* the last byte of a rewrite ends where the word ended */
        return put(r, rep, strlen(rep), text_fold_orig(f, i), fold_kinds(f, i, j) | extra);
    if (put(r, f->t + i, j - i, 0, extra) != 0)
        return -1;
    size_t at = r->n - (j - i);
    if (f->mapped)
        memcpy(r->map + at, f->map + i, (j - i) * sizeof *r->map);
    else
        for (size_t k = i; k < j; k++)
            r->map[at + k - i] = k;
    for (size_t k = i; f->disguised && k < j; k++) {
        unsigned kind = text_fold_kind(f, k);
        if (kind) {
            kinds_on(r);
            r->kind[at + k - i] |= (unsigned char)kind;
        }
    }
    return 0;
}

/* ---- disguise a filter cannot see through: digits for letters, letters spaced out ---- */

#define SPACED_MAX 64       /* single letters read as one run (a longer run: the next one) */
#define SPACED_WORD 20      /* letters one spaced-out word may have */
#define LEET_MAX 32         /* bytes of a token read for digits written as letters */

/* Letters, digits and the symbols written for letters: one token ("r3view", "$tars"). */
static int is_token_char(char ch) { return is_word_char(ch) || ch == '@' || ch == '$' || ch == '!' || ch == '|'; }
/* Between letters spaced out: "r e v", "r.e.v", "r-e-v", "r_e_v", "r*e*v", "r/e/v", "r, e, v". */
static int is_spacer(char ch)
{
    return ch == ' ' || ch == '.' || ch == '-' || ch == '_' || ch == '*' || ch == '/' || ch == '|' || ch == '~' ||
           ch == '+' || ch == ',' || ch == '\'';
}

/* Bytes of the spacer at t[i] (an ASCII one, or a middle dot or bullet: ·, •, ‧, ∙, ・), or 0. */
static size_t spacer_len(const char *t, size_t n, size_t i)
{
    static const char *const dots[] = {"\xc2\xb7", "\xe2\x80\xa2", "\xe2\x80\xa7", "\xe2\x88\x99", "\xe3\x83\xbb"};
    if ((unsigned char)t[i] < 0x80)
        return is_spacer(t[i]);
    for (size_t k = 0; k < sizeof dots / sizeof dots[0]; k++) {
        size_t len = strlen(dots[k]);
        if (i + len <= n && memcmp(t + i, dots[k], len) == 0)
            return len;
    }
    return 0;
}

/* The letter a digit or symbol stands for ('1' and '|': i first, l second), or 0. */
static char leet_letter(char ch, int second)
{
    switch (ch) {
    case '0': return 'o';
    case '1': return second ? 'l' : 'i';
    case '|': return second ? 'i' : 'l';
    case '3': return 'e';
    case '4': return 'a';
    case '5': return 's';
    case '7': return 't';
    case '@': return 'a';
    case '$': return 's';
    case '!': return 'i';
    default: return 0;
    }
}

/* Reads w[0..n) with digits and symbols as letters: a word the rules know, written into
 * out (n bytes, one letter for each), or 0. *subst: some character was read as a letter.
 * Characters with two readings ('1': i or l) are tried both ways, the first four of them. */
static int leet_read(const fb_analyser *a, const char *w, size_t n, char *out, int *subst)
{
    size_t amb[4], n_amb = 0;
    *subst = 0;
    for (size_t i = 0; i < n; i++) {
        char l = leet_letter(w[i], 0);
        if (!l) {
            out[i] = w[i];
            continue;
        }
        *subst = 1;
        out[i] = l;
        if ((w[i] == '1' || w[i] == '|') && n_amb < 4)
            amb[n_amb++] = i;
    }
    for (unsigned combo = 0; combo < (1u << n_amb); combo++) {
        for (size_t k = 0; k < n_amb; k++)
            out[amb[k]] = leet_letter(w[amb[k]], (combo >> k) & 1);
        int letters = 1;
        for (size_t i = 0; i < n && letters; i++)
            letters = out[i] >= 'a' && out[i] <= 'z';
        if (letters && (vocab_has(a, out, n) || known_inflected(a, out, n)))
            return 1;
    }
    return 0;
}

/* At a token start: a token mixing letters with digits or symbols ("r3view", "g00d",
 * "$tars", "rev!ew") whose letter reading is a word the rules know is read so. Tokens
 * without two letters (numbers, money: "$20", "4.9", "10/10") are never read. Returns the
 * bytes taken, 0 when the token is left to the ordinary path, -1 out of memory. */
static long unleet(run *r, size_t i)
{
    const fb_folded *f = &r->fold;
    size_t j = i;
    while (j < f->n && is_token_char(f->t[j]))
        j++;
    if (j < f->n && (unsigned char)f->t[j] >= 0x80)
        return 0;       /* part of a word with letters of another script */
    size_t end = j;
    while (end > i && (f->t[end - 1] == '!' || f->t[end - 1] == '|'))
        end--;          /* "great!" ends a sentence */
    size_t n = end - i;
    if (n < 3 || n > LEET_MAX)
        return 0;
    int letters = 0, other = 0, inside = 0;
    size_t first = n, last = 0;   /* the first and last letter */
    for (size_t k = i; k < end; k++) {
        char ch = f->t[k];
        int letter = ch >= 'a' && ch <= 'z';
        letters += letter;
        other += !letter && !leet_letter(ch, 0);
        if (letter) {
            if (first == n)
                first = k - i;
            last = k - i;
        }
    }
    /* a digit or symbol between letters ("r3view"), or a symbol before them ("$tars"); a
     * number before or after a word is a label or a count ("top5", "task1", "5tips") */
    for (size_t k = first; k < last && !inside; k++)
        inside = !(f->t[i + k] >= 'a' && f->t[i + k] <= 'z');
    if (letters < 2 || letters == (int)n || other || !(inside || f->t[i] == '$' || f->t[i] == '@'))
        return 0;
    /* a spelling variant ("5str", "gr8") is the spelling class's */
    int plain = 1;
    for (size_t k = i; k < end; k++)
        plain &= is_word_char(f->t[k]);
    if (plain && spelled(r->a, f->t + i, n))
        return 0;
    char out[LEET_MAX];
    int subst;
    if (!leet_read(r->a, f->t + i, n, out, &subst))
        return 0;
    if (put(r, out, n, 0, FB_DISGUISE(LEET)) != 0)
        return -1;
    for (size_t k = 0; k < n; k++) {
        r->map[r->n - n + k] = text_fold_orig(f, i + k);
        r->kind[r->n - n + k] = (unsigned char)(FB_DISGUISE(LEET) | text_fold_kind(f, i + k));
    }
    return (long)n;
}

/* At a token start: three or more single letters (or digits written for letters) with one
 * or two spacers between them ("r e v i e w", "f.e.e.d.b.a.c.k", "5-s-t-a-r-s") are joined
 * where the joined letters make a word the rules know; of the ways to read a run, the one
 * with the longest words wins ("a r e v i e w" is "a review", not "are view"), and letters
 * no word takes stay as they were ("a b c" makes no word). Takes the whole run (up to
 * SPACED_MAX letters), so a long run is read once. Returns the bytes taken, 0 when there is
 * no run, -1 out of memory. */
static long unspace(run *r, size_t i)
{
    const fb_folded *f = &r->fold;
    size_t pos[SPACED_MAX];
    char el[SPACED_MAX];
    size_t k = 0, q = i;
    while (k < SPACED_MAX && q < f->n) {
        char ch = f->t[q];
        if (!is_word_char(ch) && ch != '@' && ch != '$')
            break;
        size_t s = q + 1, m = 0, bytes = 0, sl;
        if (s < f->n && (is_token_char(f->t[s]) || (unsigned char)f->t[s] >= 0x80) && f->t[s] != '!' &&
            f->t[s] != '|' && !spacer_len(f->t, f->n, s))
            break;      /* not a single letter: the start of a longer word */
        pos[k] = q;
        el[k++] = ch;
        while (s + bytes < f->n && m < 2 && (sl = spacer_len(f->t, f->n, s + bytes)) > 0) {
            bytes += sl;
            m++;
        }
        if (m == 0)
            break;
        q = s + bytes;
    }
    if (k < 3)
        return 0;
    size_t lets[SPACED_MAX + 1];     /* lets[x]: letters among el[0..x) */
    lets[0] = 0;
    for (size_t x = 0; x < k; x++)
        lets[x + 1] = lets[x] + (el[x] >= 'a' && el[x] <= 'z');
    /* best[a]: the score of the best reading of el[a..k) (sum of squared word lengths),
     * upto[a]: where the word starting at a ends (0: el[a] stays a single letter) */
    unsigned best[SPACED_MAX + 1];
    size_t upto[SPACED_MAX];
    char out[SPACED_WORD];
    best[k] = 0;
    for (size_t a = k; a-- > 0;) {
        best[a] = best[a + 1];
        upto[a] = 0;
        for (size_t b = a + 3; b <= k && b - a <= SPACED_WORD; b++) {
            int subst;
            size_t letters = lets[b] - lets[a];
            if (letters < 2 || letters * 2 < b - a)
                continue;
            unsigned v = (unsigned)((b - a) * (b - a)) + best[b];
            if (v > best[a] && leet_read(r->a, el + a, b - a, out, &subst)) {
                best[a] = v;
                upto[a] = b;
            }
        }
    }
    /* emit: joined words, and between them the letters and spacers as the ordinary path
     * would (a run with no word is emitted whole here too: read once, not once a letter) */
    size_t cur = i;
    for (size_t a = 0; a <= k;) {
        size_t stop = a < k ? pos[a] : pos[k - 1] + 1;
        if (a < k && !upto[a]) {
            a++;
            continue;
        }
        for (size_t x = cur; x < stop;) {
            if (is_word_char(f->t[x])) {
                if (put_word(r, x, x + 1, 0) != 0)
                    return -1;
            } else if (put(r, f->t + x, 1, text_fold_orig(f, x), text_fold_kind(f, x)) != 0)
                return -1;
            x++;
        }
        cur = stop;
        if (a == k)
            break;
        size_t b = upto[a];
        int subst;
        leet_read(r->a, el + a, b - a, out, &subst);
        unsigned kind = FB_DISGUISE(SPACED) | (subst ? FB_DISGUISE(LEET) : 0);
        if (put(r, out, b - a, 0, kind) != 0)
            return -1;
        for (size_t x = a; x < b; x++) {
            r->map[r->n - (b - x)] = text_fold_orig(f, pos[x]);
            r->kind[r->n - (b - x)] = (unsigned char)(kind | text_fold_kind(f, pos[x]));
        }
        cur = pos[b - 1] + 1;
        a = b;
    }
    return (long)(cur - i);
}

/* At a token start: a word cut by dots, stars or underscores ("rev.iew", "fee*dback",
 * "re_view") is joined where the joined letters make a word that carries meaning in the rules
 * and some piece is no word of theirs ("review.pdf", "e.g." and "user_name" stay). Returns
 * the bytes taken, 0 when the word is left to the ordinary path, -1 out of memory. */
static long uncut(run *r, size_t i)
{
    const fb_folded *f = &r->fold;
    char out[SPACED_WORD];
    size_t pos[SPACED_WORD], n = 0, q = i, pieces = 0;
    int unknown = 0;
    for (;;) {
        size_t p0 = q;
        while (q < f->n && f->t[q] >= 'a' && f->t[q] <= 'z' && n < SPACED_WORD) {
            pos[n] = q;
            out[n++] = f->t[q++];
        }
        if (q == p0 || n == SPACED_WORD || (q < f->n && (is_word_char(f->t[q]) || (unsigned char)f->t[q] >= 0x80)))
            return 0;
        pieces++;
        unknown |= !vocab_has(r->a, f->t + p0, q - p0) && !known_inflected(r->a, f->t + p0, q - p0);
        if (q + 1 < f->n && (f->t[q] == '.' || f->t[q] == '*' || f->t[q] == '_') && f->t[q + 1] >= 'a' &&
            f->t[q + 1] <= 'z')
            q++;
        else
            break;
    }
    if (pieces < 2 || !unknown || n < 4 || !meant_known(r->a, out, n))
        return 0;
    if (put(r, out, n, 0, FB_DISGUISE(SPACED)) != 0)
        return -1;
    for (size_t k = 0; k < n; k++) {
        r->map[r->n - n + k] = text_fold_orig(f, pos[k]);
        r->kind[r->n - n + k] |= (unsigned char)text_fold_kind(f, pos[k]);
    }
    return (long)(q - i);
}

/* The folded text with words rewritten, and the map back to the original's bytes. The
 * disguise readings are tried only where a disguise can be: a single letter before a
 * spacer, a word mixing letters and digits, a word with a symbol in or before it. */
static int normalise(run *r)
{
    const fb_folded *f = &r->fold;
    r->n = 0;
    r->disguised = 0;
    for (size_t i = 0; i < f->n;) {
        char ch = f->t[i];
        size_t j = i;
        int digits = 0, letters = 0;
        while (j < f->n && is_word_char(f->t[j])) {
            digits |= f->t[j] <= '9';
            letters |= f->t[j] >= 'a';
            j++;
        }
        /* at a token start (not the tail of a longer run of letters) */
        if ((j > i || ch == '@' || ch == '$') &&
            (i == 0 || (!is_token_char(f->t[i - 1]) && (unsigned char)f->t[i - 1] < 0x80))) {
            long used = 0;
            if (i + 1 < f->n && (j == i + 1 || j == i) && spacer_len(f->t, f->n, i + 1))
                used = unspace(r, i);
            if (used == 0 && !digits && j + 1 < f->n && (f->t[j] == '.' || f->t[j] == '*' || f->t[j] == '_') &&
                f->t[j + 1] >= 'a' && f->t[j + 1] <= 'z')
                used = uncut(r, i);
            if (used == 0 && ((digits && letters) || j == i ||
                              (j < f->n && (f->t[j] == '@' || f->t[j] == '$' || f->t[j] == '!' || f->t[j] == '|'))))
                used = unleet(r, i);
            if (used < 0)
                return -1;
            if (used > 0) {
                i += (size_t)used;
                continue;
            }
        }
        if (j == i) {
            if (put(r, f->t + i, 1, text_fold_orig(f, i), text_fold_kind(f, i)) != 0)
                return -1;
            i++;
            continue;
        }
        if (put_word(r, i, j, 0) != 0)
            return -1;
        i = j;
    }
    if (put(r, "", 0, 0, 0) != 0)
        return -1;
    r->t[r->n] = '\0';
    r->map[r->n] = text_fold_orig(f, f->n);
    r->kind[r->n] = 0;
    return 0;
}

static int on_hit(void *ctx, size_t pattern, int tag, size_t start, size_t end)
{
    (void)pattern;
    run *r = ctx;
    /* a match that ends inside a word takes the whole word ("5 star" -> "5 stars"): the
     * highlight and the quoted words are whole words */
    while (end < r->n && is_word_char(r->t[end]))
        end++;
    /* one class, overlapping terms: one hit spanning them ("Leave 5" and "5 stars" are
     * "Leave 5 stars") */
    if (r->last_end[tag] > start) {
        if (end > r->last_end[tag] && r->last_hit[tag]) {
            r->last_end[tag] = end;
            r->hits[r->last_hit[tag] - 1].end = end;
        }
        return 0;
    }
    r->last_end[tag] = end;
    if (r->n_hits == r->hits_cap) {
        size_t cap = r->hits_cap ? r->hits_cap * 2 : 32;
        hit *h = realloc(r->hits, cap * sizeof *h);
        if (!h)
            return r->oom = 1;
        r->hits = h;
        r->hits_cap = cap;
    }
    r->hits[r->n_hits++] = (hit){tag, start, end, 0};
    r->last_hit[tag] = r->n_hits;
    return 0;
}

/* Hits of a shielding class take out the other classes' hits that start inside them: "ignore"
 * hits ("the review period" is not a review) then go themselves; "courtesy" hits ("if you're
 * happy with it": a polite condition, not a lever) stay, for the frames that name them. Hits
 * come in start order, so one sweep does it: a hit is covered when it starts before the
 * furthest end of the shield hits that started at or before it. An "ignore" hit says what its
 * words are not; a hit of another class that starts where it starts and runs past its end is
 * a longer reading of those words, and stays ("I'll pay the invoice and leave the review
 * tomorrow" is a plan to review, though "I'll pay the invoice" alone is no money offered).
 * Linear, so a huge message costs no more per byte. */
static void drop_inside(run *r, int sh, int keep_own)
{
    if (sh < 0)
        return;
    size_t k = 0, j = 0, reach = 0, reach_start = 0;
    /* the shield spans are copied out first: the sweep compacts the array it reads */
    size_t n = r->n_hits;
    size_t *ig_start = NULL, *ig_end = NULL, n_ig = 0;
    for (size_t h = 0; h < n; h++)
        n_ig += r->hits[h].cls == sh;
    if (n_ig == 0)
        return;
    ig_start = malloc(n_ig * sizeof *ig_start);
    ig_end = malloc(n_ig * sizeof *ig_end);
    if (!ig_start || !ig_end) {
        /* no memory for the sweep: keep every hit rather than lose one (the net reads more) */
        free(ig_start);
        free(ig_end);
        return;
    }
    n_ig = 0;
    for (size_t h = 0; h < n; h++)
        if (r->hits[h].cls == sh) {
            ig_start[n_ig] = r->hits[h].start;
            ig_end[n_ig++] = r->hits[h].end;
        }
    for (size_t h = 0; h < n; h++) {
        hit x = r->hits[h];
        while (j < n_ig && ig_start[j] <= x.start) {
            if (ig_end[j] > reach) {
                reach = ig_end[j];
                reach_start = ig_start[j];
            }
            j++;
        }
        int longer = !keep_own && x.start == reach_start && x.end > reach;
        /* everyday words stay: they say which language the message is in (is_unread) */
        if (x.cls == sh ? keep_own : x.start >= reach || longer || x.cls == r->a->common)
            r->hits[k++] = x;
    }
    r->n_hits = k;
    free(ig_start);
    free(ig_end);
}

static int sentence_end(const char *t, size_t n, size_t i)
{
    char ch = t[i];
    if (ch == '!' || ch == '?' || ch == '\n' || ch == ';')
        return 1;
    return ch == '.' && (i + 1 == n || t[i + 1] == ' ' || t[i + 1] == '\t' || t[i + 1] == '\r');
}

static int add_start(run *r, size_t start)
{
    if (r->n_sent == r->sent_cap) {
        size_t cap = r->sent_cap ? r->sent_cap * 2 : 16;
        size_t *s = realloc(r->sent, cap * sizeof *s);
        if (!s)
            return -1;
        r->sent = s;
        r->sent_cap = cap;
    }
    r->sent[r->n_sent++] = start;
    return 0;
}

static int cmp_offset(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* Bytes of a clause boundary at t[i] (',', ':', a dash, " but "), or 0. */
static size_t clause_mark(const char *t, size_t n, size_t i)
{
    if (t[i] == ',' || t[i] == ':')
        return 1;
    if (i + 3 <= n && memcmp(t + i, "\xe2\x80\x94", 3) == 0)   /* an em dash */
        return 3;
    if (i + 5 <= n && i > 0 && t[i - 1] == ' ' && memcmp(t + i, "but ", 4) == 0)
        return 4;
    return 0;
}

/* Sentences, and the clauses of a sentence with a negation in it: a negation denies what
 * follows in its clause, not the whole sentence ("I don't want a refund, just give me five
 * stars and I'll pay you" offers money for stars). Then each hit's sentence. */
static int split_sentences(run *r)
{
    r->n_sent = 0;
    size_t start = 0;
    for (size_t i = 0; i <= r->n; i++) {
        if (i < r->n && !sentence_end(r->t, r->n, i))
            continue;
        if (add_start(r, start) != 0)
            return -1;
        start = i + 1;
    }
    int neg = r->a->negation;
    if (neg >= 0) {
        size_t n_sent = r->n_sent, h = 0;
        for (size_t s = 0; s < n_sent; s++) {
            size_t s0 = r->sent[s], s1 = s + 1 < n_sent ? r->sent[s + 1] : r->n;
            int has_neg = 0;
            size_t h0 = h;
            while (h < r->n_hits && r->hits[h].start < s1)
                has_neg |= r->hits[h++].cls == neg;
            if (!has_neg)
                continue;
            /* clause starts inside the sentence, never inside a hit ("don't worry, I ..."):
             * one sweep, hits in start order, reach = the furthest end of those begun */
            size_t x = h0, reach = 0;
            for (size_t i = s0; i < s1;) {
                size_t k = clause_mark(r->t, r->n, i);
                while (x < h && r->hits[x].start <= i) {
                    if (r->hits[x].end > reach)
                        reach = r->hits[x].end;
                    x++;
                }
                if (k && reach <= i && i + k < s1 && add_start(r, i + k) != 0)
                    return -1;
                i += k ? k : 1;
            }
        }
        if (r->n_sent > n_sent)   /* the clause starts join the sentence starts, in order */
            qsort(r->sent, r->n_sent, sizeof *r->sent, cmp_offset);
    }
    size_t s = 0;
    for (size_t h = 0; h < r->n_hits; h++) {
        while (s + 1 < r->n_sent && r->sent[s + 1] <= r->hits[h].start)
            s++;
        r->hits[h].sentence = s;
    }
    return 0;
}

typedef struct out_ctx {
    fb_case *c;
    fb_finding *found;      /* indexed by frame, then by disguise kind after the frames;
                             * sentence == NULL: not fired */
} out_ctx;

/* Appends the quoted original words of hit h to buf. */
static void quote_words(const run *r, const char *body, const hit *h, char *buf, size_t cap)
{
    size_t s = r->map[h->start], e = r->map[h->end];
    if (e < s)
        e = s;
    size_t n = e - s;
    int cut = 0;
    if (n > WORDS_MAX) {
        n = WORDS_MAX;
        while (n > 0 && ((unsigned char)body[s + n] & 0xc0) == 0x80)
            n--;
        cut = 1;
    }
    /* no trailing separators or punctuation inside the quotes */
    while (n > 0 && (body[s + n - 1] == ' ' || body[s + n - 1] == ',' || body[s + n - 1] == '.'))
        n--;
    size_t len = strlen(buf);
    snprintf(buf + len, cap - len, "\u201c%.*s%s\u201d", (int)n, body + s, cut ? "\u2026" : "");
}

/* The frame's sentence with each {class} replaced by the words that matched it. */
static char *explain(const run *r, const frame *f, const char *body, const hit *first[MAX_CLASSES])
{
    char buf[1024] = "";
    for (const char *p = f->sentence; *p && strlen(buf) + 1 < sizeof buf;) {
        const char *e = *p == '{' ? strchr(p, '}') : NULL;
        if (e) {
            int ci = class_index(r->a, p + 1, (size_t)(e - p - 1));
            const hit *h = ci >= 0 ? first[ci] : NULL;
            /* {a} of a need a|b that b met: b's words */
            for (int g = 0; !h && ci >= 0 && g < f->n_group; g++)
                if (set_has(&f->group[g], ci))
                    for (int k = 0; k < r->a->n_classes; k++)
                        if (set_has(&f->group[g], k) && first[k] && (!h || first[k]->start < h->start))
                            h = first[k];
            if (h)
                quote_words(r, body, h, buf, sizeof buf);
            p = e + 1;
        } else {
            size_t len = strlen(buf);
            buf[len] = *p++;
            buf[len + 1] = '\0';
        }
    }
    return fb_strdup(buf);
}

/* Frame f fired on the hits [h0, h1) whose sentence is claimed (all of them when claim is
 * NULL): record the finding once, and the words as matches. */
static int fire(run *r, out_ctx *o, size_t m, size_t fi, size_t h0, size_t h1, const unsigned char *claim)
{
    const frame *f = &r->a->frames[fi];
    const char *body = o->c->messages[m].body;
    const hit *first[MAX_CLASSES] = {0};
    for (size_t h = h0; h < h1; h++) {
        const hit *x = &r->hits[h];
        if ((claim && !claim[x->sentence]) || !set_has(&f->need, x->cls) || first[x->cls])
            continue;
        first[x->cls] = x;
    }
    char *why = explain(r, f, body, first);
    fb_finding *fd = &o->found[fi];
    if (!fd->sentence) {
        snprintf(fd->code, sizeof fd->code, "%s%s",
                 f->outcome == FB_OUT_VIOLATION ? "msg_" : f->outcome == FB_OUT_READ ? "read_" : "ok_", f->name);
        fd->outcome = f->outcome;
        fd->violation = f->violation;
        fd->weight = f->weight;
        fd->sentence = fb_strdup(why);
    }
    /* words of a request without pressure are not highlighted: nothing in them to look at */
    if (f->outcome == FB_OUT_OK) {
        free(why);
        return 0;
    }
    /* the words, in text order, overlapping ones merged; the first carries the why */
    size_t ms = 0, me = 0;
    int have = 0;
    for (size_t h = h0; h <= h1; h++) {
        const hit *x = h < h1 ? &r->hits[h] : NULL;
        if (x && ((claim && !claim[x->sentence]) || !set_has(&f->need, x->cls)))
            continue;
        size_t s = x ? r->map[x->start] : 0, e = x ? r->map[x->end] : 0;
        if (x && have && s <= me) {
            if (e > me)
                me = e;
            continue;
        }
        if (have && me > ms) {
            fb_match *mt = fb_grow((void **)&o->c->matches, &o->c->n_matches, sizeof *mt);
            if (!mt) {
                free(why);
                return -1;
            }
            mt->message = m;
            mt->start = ms;
            mt->len = me - ms;
            mt->violation = f->violation;
            mt->why = why;
            why = NULL;
        }
        if (x) {
            ms = s;
            me = e;
            have = 1;
        }
    }
    free(why);
    return 0;
}

static clsset mask_of(const run *r, size_t h0, size_t h1, const unsigned char *claim)
{
    clsset m = {{0}};
    for (size_t h = h0; h < h1; h++)
        if (!claim || !claim[r->hits[h].sentence])
            set_add(&m, r->hits[h].cls);
    return m;
}

static int fits(const frame *f, const clsset *present)
{
    if (set_meets(present, &f->forbid))
        return 0;
    for (int g = 0; g < f->n_group; g++)
        if (!set_meets(present, &f->group[g]))
            return 0;
    return 1;
}

/* A message in words the rules do not read: long enough to say something, and not one of
 * the rules' everyday words ("common": the, you, will, ...) in it. The rules know one
 * language; silence on another is not a ground for no_violation. */
static int is_unread(const run *r)
{
    if (r->a->common < 0)
        return 0;
    for (size_t h = 0; h < r->n_hits; h++)
        if (r->hits[h].cls == r->a->common)
            return 0;
    /* by code point: letters are a-z and the letters of other scripts; symbols and
     * punctuation (U+2000-U+2FFF, lead byte 0xE2) and emoji (4-byte forms) are not words */
    size_t words = 0, other = 0;
    int prev = 0;
    for (size_t i = 0; i < r->n;) {
        unsigned char ch = (unsigned char)r->t[i];
        size_t len = ch < 0x80 ? 1 : ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : 2;
        int letter = ch < 0x80 ? (ch >= 'a' && ch <= 'z') : (ch >= 0xC2 && ch <= 0xEF && ch != 0xE2);
        other += ch >= 0x80 && letter;
        words += letter && !prev;
        prev = letter;
        i += len;
    }
    return words >= UNREAD_WORDS || other >= UNREAD_NONASCII;
}

static int is_word_byte(char ch) { return is_word_char(ch) || (unsigned char)ch >= 0x80; }

/* One disguised word, t[ws..we): a "read" finding for each kind of disguise in it (the
 * first place each kind is met), and the word as written highlighted with the sentence. */
static int disguised_word(run *r, out_ctx *o, size_t m, size_t ws, size_t we)
{
    const fb_analyser *a = r->a;
    unsigned kinds = 0;
    for (size_t k = ws; k < we; k++)
        kinds |= r->kind[k];
    hit word = {0, ws, we, 0};
    char quoted[256] = "";
    quote_words(r, o->c->messages[m].body, &word, quoted, sizeof quoted);
    char *why = NULL;
    for (int b = 0; b < FB_DISGUISE_COUNT; b++) {
        if (!(kinds & (1u << b)))
            continue;
        char buf[512];
        snprintf(buf, sizeof buf, "writes %s in disguise (%s)", quoted, text_disguise_what(b));
        fb_finding *fd = &o->found[a->n_frames + (size_t)b];
        if (!fd->sentence) {
            snprintf(fd->code, sizeof fd->code, "read_" DISGUISE_PREFIX "%s", text_disguise_name(b));
            fd->outcome = FB_OUT_READ;
            fd->violation = FB_V_NONE;
            fd->weight = 0;
            if (!(fd->sentence = fb_strdup(buf)))
                return -1;
        }
        if (!why && !(why = fb_strdup(buf)))
            return -1;
    }
    size_t s0 = r->map[ws], e0 = r->map[we];
    if (e0 <= s0) {
        free(why);
        return 0;
    }
    fb_match *mt = fb_grow((void **)&o->c->matches, &o->c->n_matches, sizeof *mt);
    if (!mt) {
        free(why);
        return -1;
    }
    *mt = (fb_match){m, s0, e0 - s0, FB_V_NONE, why};
    return 0;
}

/* Disguise is evidence: a disguised word that the rules know (one of their words that carry
 * meaning, as written in the terms, or inside a match of a class that is not everyday or
 * negation words: the "ignore" class too, since nobody disguises "review period" for
 * nothing) makes the message one to read, whatever else it says, and the word is
 * highlighted as written. The frames have already seen the words read plainly. Called
 * before the "ignore" matches take out what they cover. */
static int disguise_evidence(run *r, out_ctx *o, size_t m)
{
    const fb_analyser *a = r->a;
    for (size_t at = 0; at < r->n; at++) {
        if (!r->kind[at])
            continue;
        size_t ws = at, we = at;
        while (ws > 0 && is_word_byte(r->t[ws - 1]))
            ws--;
        while (we < r->n && is_word_byte(r->t[we]))
            we++;
        int known = meant_known(a, r->t + ws, we - ws);
        for (size_t h = 0; h < r->n_hits && !known; h++) {
            const hit *x = &r->hits[h];
            known = x->start < we && x->end > ws && x->cls != a->common && x->cls != a->negation;
        }
        if (known && disguised_word(r, o, m, ws, we) != 0)
            return -1;
        at = we;
    }
    return 0;
}

static int analyse_message(run *r, out_ctx *o, size_t m)
{
    const char *body = o->c->messages[m].body;
    if (!body || !*body)
        return 0;
    fb_err ferr = {0};
    if (text_fold(body, strlen(body), &r->fold, &ferr) != FB_OK || normalise(r) != 0)
        return -1;
    r->n_hits = 0;
    memset(r->last_end, 0, sizeof r->last_end);
    memset(r->last_hit, 0, sizeof r->last_hit);
    patterns_scan(r->a->pats, r->t, r->n, on_hit, r);
    if (r->oom)
        return -1;
    /* disguise is evidence before "ignore" and "courtesy" take out the words inside them */
    if (r->disguised && disguise_evidence(r, o, m) != 0)
        return -1;
    drop_inside(r, r->a->ignore, 0);
    drop_inside(r, r->a->courtesy, 1);
    if (split_sentences(r) != 0)
        return -1;
    int unread = is_unread(r);
    if (r->n_hits == 0 && !unread)
        return 0;
    unsigned char *claim = calloc(r->n_sent, 1);
    /* per sentence: the ok frame that took it (index + 1), fired once the message is seen */
    size_t *ok_by = calloc(r->n_sent, sizeof *ok_by);
    if (!claim || !ok_by) {
        free(claim);
        free(ok_by);
        return -1;
    }
    int decided = 0, ok_ground = 0, rc = 0;
    /* sentence frames, sentence by sentence */
    for (size_t h0 = 0; h0 < r->n_hits && rc == 0;) {
        size_t s = r->hits[h0].sentence, h1 = h0;
        while (h1 < r->n_hits && r->hits[h1].sentence == s)
            h1++;
        clsset present = mask_of(r, h0, h1, NULL);
        for (size_t fi = 0; fi < r->a->n_frames; fi++) {
            const frame *f = &r->a->frames[fi];
            if (f->scope != SCOPE_SENTENCE || !fits(f, &present))
                continue;
            claim[s] = 1;
            decided |= f->outcome == FB_OUT_VIOLATION;
            if (f->outcome == FB_OUT_OK)
                ok_by[s] = fi + 1;
            else
                rc = fire(r, o, m, fi, h0, h1, NULL);
            break;
        }
        h0 = h1;
    }
    /* An ok frame judges its sentence alone ("I gave you five stars" asks nothing). When
     * the message's other, untaken sentences bring a class that frame rules out ("Your turn
     * now"), its judgement does not hold: the sentence is left to the message frames. */
    clsset open_mask = {{0}};
    for (size_t h = 0; h < r->n_hits; h++)
        if (!claim[r->hits[h].sentence])
            set_add(&open_mask, r->hits[h].cls);
    for (size_t h0 = 0; h0 < r->n_hits && rc == 0;) {
        size_t s = r->hits[h0].sentence, h1 = h0;
        while (h1 < r->n_hits && r->hits[h1].sentence == s)
            h1++;
        if (ok_by[s]) {
            if (!decided && set_meets(&open_mask, &r->a->frames[ok_by[s] - 1].forbid))
                claim[s] = 0;
            else {
                ok_ground = 1;
                rc = fire(r, o, m, ok_by[s] - 1, h0, h1, NULL);
            }
        }
        h0 = h1;
    }
    free(ok_by);
    /* message frames, on what no sentence frame claimed */
    if (rc == 0 && !decided) {
        unsigned char *open = malloc(r->n_sent);
        if (!open) {
            free(claim);
            return -1;
        }
        for (size_t s = 0; s < r->n_sent; s++)
            open[s] = !claim[s];
        clsset present = {{0}};
        if (unread)
            set_add(&present, SET_UNREAD);
        if (ok_ground)
            set_add(&present, SET_OK_GROUND);
        /* sentences no frame took that carry words of a class (not everyday words, not a
         * courtesy): what the analyser noticed and could not account for */
        size_t open_noticed = 0, last = (size_t)-1;
        for (size_t h = 0; h < r->n_hits; h++) {
            const hit *x = &r->hits[h];
            if (!open[x->sentence])
                continue;
            set_add(&present, x->cls);
            if (x->cls != r->a->common && x->cls != r->a->courtesy && x->sentence != last) {
                last = x->sentence;
                open_noticed++;
            }
        }
        if (open_noticed >= UNEXPLAINED_MANY)
            set_add(&present, SET_UNEXPLAINED);
        for (size_t fi = 0; fi < r->a->n_frames && !set_empty(&present); fi++) {
            const frame *f = &r->a->frames[fi];
            if (f->scope != SCOPE_MESSAGE || !fits(f, &present))
                continue;
            rc = fire(r, o, m, fi, 0, r->n_hits, open);
            break;
        }
        free(open);
    }
    free(claim);
    return rc;
}

void analyser_findings_free(fb_finding **f, size_t n)
{
    if (!f || !*f)
        return;
    for (size_t i = 0; i < n; i++)
        free((*f)[i].sentence);
    free(*f);
    *f = NULL;
}

fb_status analyser_run(const fb_analyser *a, fb_case *c, fb_finding **out, size_t *n_out, fb_err *err)
{
    *out = NULL;
    *n_out = 0;
    if (!a || a->n_frames == 0 || c->n_messages == 0)
        return FB_OK;
    run r = {0};
    r.a = a;
    out_ctx o = {c, calloc(a->n_frames + FB_DISGUISE_COUNT, sizeof *o.found)};
    int rc = o.found ? 0 : -1;
    for (size_t m = 0; m < c->n_messages && rc == 0; m++)
        rc = analyse_message(&r, &o, m);
    text_fold_free(&r.fold);
    free(r.t);
    free(r.map);
    free(r.kind);
    free(r.hits);
    free(r.sent);
    if (rc != 0) {
        analyser_findings_free(&o.found, a->n_frames + FB_DISGUISE_COUNT);
        return fb_err_set(err, FB_ENOMEM, "message analysis of case %s: out of memory", c->id ? c->id : "?");
    }
    /* compact: only the frames that fired, in frame order, then the kinds of disguise */
    size_t k = 0;
    for (size_t i = 0; i < a->n_frames + FB_DISGUISE_COUNT; i++)
        if (o.found[i].sentence)
            o.found[k++] = o.found[i];
    *out = o.found;
    *n_out = k;
    return FB_OK;
}
