/* Folding text for matching (fold.h). ASCII is lower-cased in place; every other character
 * goes through ICU: NFKC_Casefold (compatibility forms and case), then NFD, dropping the
 * nonspacing marks (accents). A small per-thread cache keeps a message in a non-Latin
 * script from paying for ICU on every character. */
#include "fbreview/fold.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#define FOLD_MAX 24          /* bytes a single character may fold to (longer: kept as is) */
#define CACHE_SLOTS 512

typedef struct cache_slot {
    UChar32 cp;              /* 0: empty */
    unsigned char len;
    char out[FOLD_MAX];
} cache_slot;

static _Thread_local cache_slot cache[CACHE_SLOTS];

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

/* The folded UTF-8 of one code point into out; its length, or -1 to keep the original. */
static int fold_cp(UChar32 cp, char *out)
{
    cache_slot *sl = &cache[(uint32_t)cp % CACHE_SLOTS];
    if (sl->cp == cp) {
        memcpy(out, sl->out, sl->len);
        return sl->len;
    }
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *cf = unorm2_getNFKCCasefoldInstance(&st);
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&st);
    if (U_FAILURE(st))
        return -1;
    UChar src[2], a[FOLD_MAX], b[FOLD_MAX];
    int32_t sn = 0;
    UBool bad = 0;
    U16_APPEND(src, sn, 2, cp, bad);
    if (bad)
        return -1;
    int32_t an = unorm2_normalize(cf, src, sn, a, FOLD_MAX, &st);
    int32_t bn = U_SUCCESS(st) ? unorm2_normalize(nfd, a, an, b, FOLD_MAX, &st) : 0;
    if (U_FAILURE(st))
        return -1;
    int32_t len = 0;
    for (int32_t i = 0; i < bn;) {
        UChar32 c;
        U16_NEXT(b, i, bn, c);
        if (u_charType(c) == U_NON_SPACING_MARK)
            continue;
        if (len + U8_LENGTH(c) > FOLD_MAX)
            return -1;
        U8_APPEND_UNSAFE(out, len, c);
    }
    sl->cp = cp;
    sl->len = (unsigned char)len;
    memcpy(sl->out, out, (size_t)len);
    return len;
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
    f->n = 0;
    if (grow(f, n + 1) != 0)
        return fb_err_set(err, FB_ENOMEM, "folding text: out of memory");
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x80) {
            if (mapped)
                f->map[o] = i;
            f->t[o++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
            i++;
            continue;
        }
        int32_t j = (int32_t)i;
        UChar32 cp;
        U8_NEXT((const uint8_t *)s, j, (int32_t)(n > INT32_MAX ? INT32_MAX : n), cp);
        size_t len = (size_t)j - i;
        char out[FOLD_MAX];
        int olen = cp < 0 ? -1 : fold_cp(cp, out);
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

void text_fold_free(fb_folded *f)
{
    free(f->t);
    free(f->map);
    memset(f, 0, sizeof *f);
}
