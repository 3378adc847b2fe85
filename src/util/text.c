/* The safe renderer for untrusted text: see include/fbreview/text.h.
 *
 * Evidence text is written by the people under review, some of them hostile. Whatever
 * bytes they sent, what we hand to the terminal must be plain printable UTF-8: no byte
 * below 0x20, no DEL, no C1 control, no bidirectional or invisible format character.
 * Everything that is not plainly printable is made visible instead of being dropped, so
 * the reviewer sees that something was there. */
#include "fbreview/text.h"

#include <stdio.h>
#include <langinfo.h>
#include <string.h>
#include <wchar.h>

#define REPLACEMENT_UTF8 "\xEF\xBF\xBD"   /* U+FFFD */
#define ELLIPSIS_UTF8 "\xE2\x80\xA6"      /* U+2026 */

/* Decodes one code point at s[0..len) strictly (Unicode 15, table 3-7, well-formed
 * byte sequences). Returns the bytes consumed; *cp is the code point, or -1 when the
 * bytes are ill-formed, in which case the return is the length of the maximal subpart
 * (the lead byte and the continuation bytes that were still possible), never 0. */
static size_t utf8_decode(const unsigned char *s, size_t len, long *cp)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    int need;
    long v;
    unsigned char lo = 0x80, hi = 0xBF;   /* allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0;   /* overlong below U+0800 */
        else if (c == 0xED)
            hi = 0x9F;   /* surrogates U+D800..U+DFFF */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90;   /* overlong below U+10000 */
        else if (c == 0xF4)
            hi = 0x8F;   /* above U+10FFFF */
    } else {
        /* 0x80..0xC1 (stray continuation, overlong 2-byte lead) and 0xF5..0xFF never start one. */
        *cp = -1;
        return 1;
    }
    size_t i = 1;
    for (int k = 0; k < need; k++, i++) {
        if (i >= len) {
            *cp = -1;   /* truncated: the whole prefix is one maximal subpart */
            return i;
        }
        unsigned char b = s[i];
        unsigned char l = k == 0 ? lo : 0x80, h = k == 0 ? hi : 0xBF;
        if (b < l || b > h) {
            *cp = -1;
            return i;   /* the bad byte starts the next unit */
        }
        v = (v << 6) | (b & 0x3F);
    }
    *cp = v;
    return i;
}

static size_t utf8_encode(long cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Code points that are shown as "<U+XXXX>" whatever wcwidth says: C1 controls, line and
 * paragraph separators, and every format character (general category Cf, Unicode 15):
 * the bidirectional controls, zero-width (non-)joiners and spaces, the BOM, soft hyphen,
 * Mongolian vowel separator, invisible operators, interlinear annotation and tag
 * characters. They are invisible or reorder text, so an attacker could hide or disguise
 * words with them. (The ZWJ inside emoji sequences is shown too: the price of safety.) */
static const struct { long lo, hi; } always_escaped[] = {
    {0x0080, 0x009F}, {0x00AD, 0x00AD}, {0x0600, 0x0605}, {0x061C, 0x061C},
    {0x06DD, 0x06DD}, {0x070F, 0x070F}, {0x0890, 0x0891}, {0x08E2, 0x08E2},
    {0x180E, 0x180E}, {0x200B, 0x200F}, {0x2028, 0x202E}, {0x2060, 0x2064},
    {0x2066, 0x206F}, {0xFEFF, 0xFEFF}, {0xFFF9, 0xFFFB}, {0x110BD, 0x110BD},
    {0x110CD, 0x110CD}, {0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A},
    {0xE0001, 0xE0001}, {0xE0020, 0xE007F},
};

static int is_always_escaped(long cp)
{
    if (cp < 0x80)
        return 0;
    for (size_t i = 0; i < sizeof always_escaped / sizeof always_escaped[0]; i++) {
        if (cp < always_escaped[i].lo)
            return 0;   /* the table is sorted */
        if (cp <= always_escaped[i].hi)
            return 1;
    }
    return 0;
}

/* Display class of one valid code point >= 0x80: -1 escape it, 0 zero-width mark, else columns. */
static int cp_width(long cp)
{
    if (is_always_escaped(cp))
        return -1;
    int w = wcwidth((wchar_t)cp);
    return w < 0 ? -1 : w;
}

static void unit_escape_cp(text_unit *u, long cp)
{
    int n = snprintf(u->s, sizeof u->s, "<U+%04lX>", cp);
    u->width = n;
    u->kind = TEXT_ESCAPED;
}

void text_iter_init(text_iter *it, const char *src, size_t len)
{
    it->src = src;
    it->len = src ? len : 0;
    it->pos = 0;
}

int text_next(text_iter *it, text_unit *u)
{
    if (it->pos >= it->len)
        return 0;
    const unsigned char *p = (const unsigned char *)it->src + it->pos;
    size_t left = it->len - it->pos;
    memset(u, 0, sizeof *u);
    u->src_off = it->pos;
    long cp;
    size_t n = utf8_decode(p, left, &cp);
    u->src_len = n;

    if (cp < 0) {
        memcpy(u->s, REPLACEMENT_UTF8, sizeof REPLACEMENT_UTF8);
        u->width = 1;
        u->kind = TEXT_ESCAPED;
    } else if (cp == '\n') {
        u->kind = TEXT_NEWLINE;
    } else if (cp == '\r' && left > 1 && p[1] == '\n') {
        u->kind = TEXT_NEWLINE;
        u->src_len = 2;
    } else if (cp == '\t') {
        u->kind = TEXT_TAB;
    } else if (cp < 0x20 || cp == 0x7F) {
        /* Caret notation: ESC is "^[", BEL "^G", lone CR "^M", DEL "^?". */
        u->s[0] = '^';
        u->s[1] = (char)(cp == 0x7F ? '?' : cp + 0x40);
        u->width = 2;
        u->kind = TEXT_ESCAPED;
    } else if (cp < 0x80) {
        u->s[0] = (char)cp;
        u->width = 1;
        u->kind = TEXT_PLAIN;
    } else {
        int w = cp_width(cp);
        if (w <= 0) {
            /* A zero-width mark with nothing printable before it in this unit would combine
             * with whatever the caller drew last (a border, a placeholder): show it instead. */
            unit_escape_cp(u, cp);
        } else {
            utf8_encode(cp, u->s);
            u->width = w;
            u->kind = TEXT_PLAIN;
        }
    }
    it->pos += u->src_len;

    /* Combining marks (width 0) that follow a printable character belong to it. */
    if (u->kind == TEXT_PLAIN) {
        size_t used = strlen(u->s);
        while (it->pos < it->len) {
            const unsigned char *q = (const unsigned char *)it->src + it->pos;
            size_t m = utf8_decode(q, it->len - it->pos, &cp);
            if (cp < 0x80 || cp_width(cp) != 0 || used + m >= sizeof u->s)
                break;   /* not a mark, or s[] is full: the mark becomes its own "<U+XXXX>" */
            memcpy(u->s + used, q, m);
            used += m;
            u->s[used] = '\0';
            u->src_len += m;
            it->pos += m;
        }
    }
    return 1;
}

size_t text_width(const char *src, size_t len)
{
    text_iter it;
    text_unit u;
    size_t w = 0;
    text_iter_init(&it, src, len);
    while (text_next(&it, &u))
        w += (u.kind == TEXT_NEWLINE || u.kind == TEXT_TAB) ? 1 : (size_t)u.width;
    return w;
}

int text_clip(const char *src, size_t len, int max_cols, int ellipsis, char *out, size_t outsz)
{
    if (!out || outsz == 0)
        return 0;
    out[0] = '\0';
    if (max_cols <= 0)
        return 0;
    text_iter it;
    text_unit u;
    size_t olen = 0;
    int cols = 0;
    /* The longest prefix that still leaves room (a column and the bytes) for "…". */
    size_t mark_len = 0;
    int mark_cols = 0;
    int clipped = 0;
    text_iter_init(&it, src, len);
    while (text_next(&it, &u)) {
        const char *s = u.s;
        int w = u.width;
        if (u.kind == TEXT_NEWLINE || u.kind == TEXT_TAB) {
            s = " ";
            w = 1;
        }
        size_t sl = strlen(s);
        if (cols + w > max_cols || olen + sl + 1 > outsz) {
            clipped = 1;
            break;
        }
        memcpy(out + olen, s, sl);
        olen += sl;
        cols += w;
        if (cols <= max_cols - 1 && olen + sizeof ELLIPSIS_UTF8 <= outsz) {
            mark_len = olen;
            mark_cols = cols;
        }
    }
    if (clipped && ellipsis && mark_len + sizeof ELLIPSIS_UTF8 <= outsz) {
        memcpy(out + mark_len, ELLIPSIS_UTF8, sizeof ELLIPSIS_UTF8);   /* with its NUL */
        return mark_cols + 1;
    }
    out[olen] = '\0';
    return cols;
}

int text_utf8_valid(const char *src, size_t len)
{
    const unsigned char *p = (const unsigned char *)src;
    size_t i = 0;
    while (i < len) {
        long cp;
        i += utf8_decode(p + i, len - i, &cp);
        if (cp < 0)
            return 0;
    }
    return 1;
}

int text_locale_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}
