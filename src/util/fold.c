/* Folding text for matching (fold.h). ASCII is lower-cased in place; every other character
 * goes through ICU: NFKC_Casefold (compatibility forms and case), then NFD, dropping the
 * nonspacing marks (accents). A small per-thread cache keeps a message in a non-Latin
 * script from paying for ICU on every character.
 *
 * Disguise is looked for only where non-ASCII characters are: ASCII text takes the same
 * path as before. A look-alike is decided per word (mixed with Latin letters, or wholly of
 * look-alikes in a mostly Latin message), so the words of a real Russian or Greek message
 * keep their letters and the analyser's "unread language" rule still sees them. */
#include "fbreview/fold.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#define FOLD_MAX 24          /* bytes a single character may fold to (longer: kept as is) */
#define CACHE_SLOTS 512
#define WORD_MAX 40          /* letters of a word read for look-alikes */

static const struct { const char *name, *what; } disguises[FB_DISGUISE_COUNT] = {
#define X(id, name, what) {name, what},
    FB_DISGUISE_TABLE(X)
#undef X
};

const char *text_disguise_name(int bit) { return bit >= 0 && bit < FB_DISGUISE_COUNT ? disguises[bit].name : ""; }
const char *text_disguise_what(int bit) { return bit >= 0 && bit < FB_DISGUISE_COUNT ? disguises[bit].what : ""; }

/* What a letter is for the look-alike rule. */
enum letter { L_NONE, L_LATIN, L_OTHER };

typedef struct cache_slot {
    UChar32 cp;              /* 0: empty */
    unsigned char len;
    unsigned char letter;    /* enum letter */
    unsigned char ignorable; /* a default-ignorable code point (invisible) */
    unsigned char styled;    /* a styled compatibility form of a Latin letter or digit ("𝐫", "ⓡ") */
    signed char look;        /* 0: not yet asked; -1: none; else the ASCII letter it looks like */
    char out[FOLD_MAX];
} cache_slot;

static _Thread_local cache_slot cache[CACHE_SLOTS];

/* One spoof checker for the process: its skeleton functions are const, so thread-safe. */
static USpoofChecker *spoof;
static pthread_once_t spoof_once = PTHREAD_ONCE_INIT;
static void spoof_open(void)
{
    UErrorCode st = U_ZERO_ERROR;
    spoof = uspoof_open(&st);
    if (U_FAILURE(st))
        spoof = NULL;
}

static int grow(fb_folded *f, size_t need)
{
    if (need <= f->cap)
        return 0;
    size_t cap = f->cap ? f->cap : 256;
    while (cap < need)
        cap *= 2;
    char *t = realloc(f->t, cap);
    if (!t)
        return -1;
    f->t = t;
    f->cap = cap;
    return 0;
}

static int grow_map(fb_folded *f, size_t need)
{
    if (need <= f->map_cap)
        return 0;
    size_t cap = f->map_cap ? f->map_cap : 256;
    while (cap < need)
        cap *= 2;
    size_t *m = realloc(f->map, cap * sizeof *m);
    if (!m)
        return -1;
    f->map = m;
    f->map_cap = cap;
    return 0;
}

/* Marks folded byte i with disguise bits; the kind array is zero wherever nothing is marked. */
static int mark(fb_folded *f, size_t i, unsigned bits)
{
    if (i >= f->kind_cap) {
        size_t cap = f->kind_cap ? f->kind_cap : 256;
        while (cap <= i)
            cap *= 2;
        unsigned char *k = realloc(f->kind, cap);
        if (!k)
            return -1;
        memset(k + f->kind_cap, 0, cap - f->kind_cap);
        f->kind = k;
        f->kind_cap = cap;
    }
    f->kind[i] |= (unsigned char)bits;
    f->disguised = 1;
    return 0;
}

/* The cache slot of cp, filled: its fold (len 0xff: keep the original), what letter it is. */
static const cache_slot *slot_of(UChar32 cp)
{
    cache_slot *sl = &cache[(uint32_t)cp % CACHE_SLOTS];
    if (sl->cp == cp)
        return sl;
    sl->cp = 0;
    sl->len = 0xff;
    sl->look = 0;
    sl->ignorable = (unsigned char)u_hasBinaryProperty(cp, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *cf = unorm2_getNFKCCasefoldInstance(&st);
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&st);
    UChar src[2], a[FOLD_MAX], b[FOLD_MAX];
    int32_t sn = 0;
    UBool bad = 0;
    U16_APPEND(src, sn, 2, cp, bad);
    int32_t an = 0, bn = 0;
    if (U_SUCCESS(st) && !bad) {
        an = unorm2_normalize(cf, src, sn, a, FOLD_MAX, &st);
        bn = U_SUCCESS(st) ? unorm2_normalize(nfd, a, an, b, FOLD_MAX, &st) : 0;
    }
    int ascii_letters = 1, ascii = 1, any = 0;
    if (U_SUCCESS(st) && !bad) {
        int32_t len = 0;
        for (int32_t i = 0; i < bn;) {
            UChar32 c;
            U16_NEXT(b, i, bn, c);
            if (u_charType(c) == U_NON_SPACING_MARK)
                continue;
            if (len + U8_LENGTH(c) > FOLD_MAX) {
                len = -1;
                break;
            }
            U8_APPEND_UNSAFE(sl->out, len, c);
            any = 1;
            ascii_letters &= c >= 'a' && c <= 'z';
            ascii &= (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        }
        if (len >= 0)
            sl->len = (unsigned char)len;
    }
    int dt = u_getIntPropertyValue(cp, UCHAR_DECOMPOSITION_TYPE);
    sl->styled = (unsigned char)(any && ascii && sl->len != 0xff &&
                                 (dt == U_DT_FONT || dt == U_DT_CIRCLE || dt == U_DT_SUPER || dt == U_DT_SUB ||
                                  dt == U_DT_SMALL || dt == U_DT_SQUARE));
    /* a letter that folds to ASCII letters ("é", "Ｒ") reads as Latin whatever its script;
     * so does every letter of the Latin script ("ø", "ł", "ı" are letters of their languages,
     * never read as look-alikes) */
    UErrorCode se = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript(cp, &se);
    if (!u_isalpha(cp))
        sl->letter = L_NONE;
    else if ((any && ascii_letters) || sc == USCRIPT_LATIN)
        sl->letter = L_LATIN;
    else
        sl->letter = sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED ? L_NONE : L_OTHER;
    sl->cp = cp;
    return sl;
}

/* The ASCII letter cp is confusable with (its skeleton is one Latin letter), or -1. */
static int look_of(UChar32 cp)
{
    cache_slot *sl = &cache[(uint32_t)cp % CACHE_SLOTS];
    if (sl->cp == cp && sl->look)
        return sl->look;
    int look = -1;
    pthread_once(&spoof_once, spoof_open);
    UChar src[2], out[8];
    int32_t sn = 0;
    UBool bad = 0;
    U16_APPEND(src, sn, 2, cp, bad);
    UErrorCode st = U_ZERO_ERROR;
    int32_t on = spoof && !bad ? uspoof_getSkeleton(spoof, 0, src, sn, out, 8, &st) : 0;
    if (U_SUCCESS(st) && on == 1 && out[0] < 0x80 && ((out[0] >= 'a' && out[0] <= 'z') || (out[0] >= 'A' && out[0] <= 'Z')))
        look = out[0] | 0x20;
    if (sl->cp == cp)
        sl->look = (signed char)look;
    return look;
}

/* The code point at s[i] (-1: invalid) and its length. */
static UChar32 cp_at(const char *s, size_t n, size_t i, size_t *len)
{
    int32_t j = (int32_t)i;
    UChar32 cp;
    U8_NEXT((const uint8_t *)s, j, (int32_t)(n > INT32_MAX ? INT32_MAX : n), cp);
    *len = (size_t)j - i;
    return cp;
}

static int part_of_word(UChar32 cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    if (cp < 0)
        return 0;
    return u_isalnum(cp) || (U_GET_GC_MASK(cp) & U_GC_M_MASK) || slot_of(cp)->ignorable;
}

/* Letters of the message: more Latin than of other scripts? */
static int mostly_latin(const char *s, size_t n)
{
    size_t latin = 0, other = 0;
    for (size_t i = 0; i < n;) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x80) {
            latin += (ch | 0x20) >= 'a' && (ch | 0x20) <= 'z';
            i++;
            continue;
        }
        size_t len;
        UChar32 cp = cp_at(s, n, i, &len);
        if (cp >= 0) {
            unsigned char l = slot_of(cp)->letter;
            latin += l == L_LATIN;
            other += l == L_OTHER;
        }
        i += len;
    }
    return latin > other;
}

/* Whether the look-alikes of the word around s[i] are read as Latin; sets *end to where
 * the word ends. */
static int word_looks_latin(const char *s, size_t n, size_t i, int *msg_latin, size_t *end)
{
    size_t ws = i, we = i;
    while (ws > 0) {
        int32_t j = (int32_t)ws;
        UChar32 cp;
        U8_PREV((const uint8_t *)s, 0, j, cp);
        if (!part_of_word(cp))
            break;
        ws = (size_t)j;
    }
    int latin = 0, look = 0, other = 0;
    size_t letters = 0;
    for (size_t k = ws; k < n;) {
        size_t len;
        UChar32 cp = cp_at(s, n, k, &len);
        if (!part_of_word(cp))
            break;
        k += len;
        we = k;
        if (++letters > WORD_MAX)
            continue;   /* no disguised word is this long (a run of CJK has no spaces): find its end */
        if (cp < 0x80) {
            latin |= (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
            continue;
        }
        unsigned char l = slot_of(cp)->letter;
        if (l == L_LATIN)
            latin = 1;
        else if (l == L_OTHER) {
            if (look_of(cp) > 0)
                look = 1;
            else
                other = 1;
        }
    }
    *end = we > i ? we : i + 1;
    if (!look || letters > WORD_MAX)
        return 0;
    if (latin)
        return 1;
    if (other)
        return 0;
    if (*msg_latin < 0)
        *msg_latin = mostly_latin(s, n);
    return *msg_latin;
}

/* Switches from the identity shape to an explicit map covering the first n folded bytes. */
static int start_map(fb_folded *f, size_t n, size_t need)
{
    if (grow_map(f, need + 1) != 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        f->map[i] = i;
    return 0;
}

fb_status text_fold(const char *s, size_t n, fb_folded *f, fb_err *err)
{
    int mapped = 0;
    if (f->disguised)
        memset(f->kind, 0, f->kind_cap);
    f->disguised = 0;
    f->n = 0;
    if (grow(f, n + 1) != 0)
        return fb_err_set(err, FB_ENOMEM, "folding text: out of memory");
    size_t o = 0;
    int msg_latin = -1;        /* asked only when a word is wholly of look-alikes */
    size_t word_end = 0;       /* the word the look-alike decision below was made for */
    size_t hidden_end = 0;     /* the run of invisible characters already looked past */
    int word_look = 0;
    for (size_t i = 0; i < n;) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x80) {
            if (mapped)
                f->map[o] = i;
            f->t[o++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
            i++;
            continue;
        }
        size_t len;
        UChar32 cp = cp_at(s, n, i, &len);
        char out[FOLD_MAX];
        int olen = -1;
        unsigned bits = 0;
        const cache_slot *sl = cp < 0 ? NULL : slot_of(cp);
        if (sl && sl->ignorable) {
            /* invisible, and NFKC_Casefold drops it anyway; between two letters or digits
             * it hides a word from a filter. A run of them is looked past once. */
            if (i >= hidden_end) {
                size_t k = i + len, kl;
                UChar32 next = -1;
                while (k < n && (next = cp_at(s, n, k, &kl)) >= 0x80 && slot_of(next)->ignorable)
                    k += kl;
                hidden_end = k;
                unsigned char prev = o ? (unsigned char)f->t[o - 1] : 0;
                int prev_word = (prev >= 'a' && prev <= 'z') || (prev >= '0' && prev <= '9');
                if (prev_word && k < n && part_of_word(next) && mark(f, o - 1, FB_DISGUISE(HIDDEN)) != 0)
                    return fb_err_set(err, FB_ENOMEM, "folding text: out of memory");
            }
            olen = 0;
        } else if (sl && sl->letter == L_OTHER) {
            if (i >= word_end)
                word_look = word_looks_latin(s, n, i, &msg_latin, &word_end);
            int look = word_look ? look_of(cp) : -1;
            if (look > 0) {
                out[0] = (char)look;
                olen = 1;
                bits = FB_DISGUISE(LOOKALIKE);
            }
        }
        if (olen < 0 && sl && sl->len != 0xff) {
            memcpy(out, sl->out, sl->len);
            olen = sl->len;
            if (sl->styled)
                bits = FB_DISGUISE(STYLED);
        }
        if (olen < 0) {
            memcpy(out, s + i, len);
            olen = (int)len;
        }
        if (!mapped && ((size_t)olen != len || memcmp(out, s + i, len) != 0)) {
            if (start_map(f, o, n + FOLD_MAX) != 0)
                return fb_err_set(err, FB_ENOMEM, "folding text: out of memory");
            mapped = 1;
        }
        if (grow(f, o + (size_t)olen + (n - i) + 1) != 0 || (mapped && grow_map(f, o + (size_t)olen + (n - i) + 1) != 0))
            return fb_err_set(err, FB_ENOMEM, "folding text: out of memory");
        for (int k = 0; bits && k < olen; k++)
            if (mark(f, o + (size_t)k, bits) != 0)
                return fb_err_set(err, FB_ENOMEM, "folding text: out of memory");
        for (int k = 0; k < olen; k++) {
            if (mapped)
                f->map[o] = i;
            f->t[o++] = out[k];
        }
        i += len;
    }
    f->t[o] = '\0';
    f->n = o;
    if (mapped)
        f->map[o] = n;
    f->mapped = mapped;
    return FB_OK;
}

size_t text_fold_orig(const fb_folded *f, size_t i)
{
    return f->mapped ? f->map[i] : i;
}

unsigned text_fold_kind(const fb_folded *f, size_t i)
{
    return f->disguised && i < f->kind_cap ? f->kind[i] : 0;
}

void text_fold_free(fb_folded *f)
{
    free(f->t);
    free(f->map);
    free(f->kind);
    memset(f, 0, sizeof *f);
}
