/* THROWAWAY minimal renderer so the console builds before the real one lands on main.
 * Deleted before the branch's final commit. */
#include "fbreview/text.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

void text_iter_init(text_iter *it, const char *src, size_t len)
{
    it->src = src;
    it->len = len;
    it->pos = 0;
}

static int decode(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned c = s[0];
    int need;
    unsigned min;
    if (c < 0x80) { *cp = c; return 1; }
    if (c >= 0xC2 && c <= 0xDF) { need = 1; min = 0x80; c &= 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { need = 2; min = 0x800; c &= 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { need = 3; min = 0x10000; c &= 0x07; }
    else return -1;
    if ((size_t)need >= n) return -1;
    for (int i = 1; i <= need; i++) {
        if ((s[i] & 0xC0) != 0x80) return -1;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return -1;
    *cp = c;
    return need + 1;
}

int text_next(text_iter *it, text_unit *u)
{
    if (it->pos >= it->len)
        return 0;
    const unsigned char *s = (const unsigned char *)it->src + it->pos;
    size_t n = it->len - it->pos;
    unsigned cp;
    int used = decode(s, n, &cp);
    memset(u, 0, sizeof *u);
    u->src_off = it->pos;
    if (used < 0) {
        size_t k = 1;
        while (k < n && decode(s + k, n - k, &cp) < 0) k++;
        strcpy(u->s, "\xEF\xBF\xBD");
        u->width = 1;
        u->kind = TEXT_ESCAPED;
        u->src_len = k;
        it->pos += k;
        return 1;
    }
    u->src_len = (size_t)used;
    it->pos += (size_t)used;
    if (cp == '\n') { u->kind = TEXT_NEWLINE; return 1; }
    if (cp == '\r' && it->pos < it->len && it->src[it->pos] == '\n') { it->pos++; u->src_len = 2; u->kind = TEXT_NEWLINE; return 1; }
    if (cp == '\t') { u->kind = TEXT_TAB; return 1; }
    if (cp < 0x20 || cp == 0x7F) {
        snprintf(u->s, sizeof u->s, "^%c", cp == 0x7F ? '?' : (char)(cp + '@'));
        u->width = 2;
        u->kind = TEXT_ESCAPED;
        return 1;
    }
    if ((cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
        cp == 0x200E || cp == 0x200F || cp == 0x061C || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 ||
        cp == 0xFEFF) {
        u->width = snprintf(u->s, sizeof u->s, "<U+%04X>", cp);
        u->kind = TEXT_ESCAPED;
        return 1;
    }
    int w = wcwidth((wchar_t)cp);
    if (w < 0) {
        u->width = snprintf(u->s, sizeof u->s, "<U+%04X>", cp);
        u->kind = TEXT_ESCAPED;
        return 1;
    }
    memcpy(u->s, s, (size_t)used);
    u->width = w;
    return 1;
}

size_t text_width(const char *src, size_t len)
{
    text_iter it;
    text_unit u;
    size_t w = 0;
    text_iter_init(&it, src, len);
    while (text_next(&it, &u))
        w += u.kind == TEXT_NEWLINE || u.kind == TEXT_TAB ? 1 : (size_t)u.width;
    return w;
}

int text_clip(const char *src, size_t len, int max_cols, int ellipsis, char *out, size_t outsz)
{
    text_iter it;
    text_unit u;
    int cols = 0;
    size_t o = 0;
    if (outsz == 0)
        return 0;
    out[0] = '\0';
    if (!src)
        return 0;
    text_iter_init(&it, src, len);
    while (text_next(&it, &u)) {
        const char *piece = u.kind == TEXT_NEWLINE || u.kind == TEXT_TAB ? " " : u.s;
        int w = u.kind == TEXT_NEWLINE || u.kind == TEXT_TAB ? 1 : u.width;
        size_t pl = strlen(piece);
        int more = it.pos < it.len;
        if (cols + w > max_cols || (ellipsis && more && cols + w > max_cols - 1 && cols + w == max_cols && 0)) {
            if (ellipsis && max_cols > 0) {
                /* back off to make room for the ellipsis */
                while (cols > max_cols - 1 && o > 0) { o--; while (o > 0 && ((unsigned char)out[o] & 0xC0) == 0x80) o--; cols = (int)text_width(out, o); }
                if (o + 4 < outsz) { memcpy(out + o, "\xE2\x80\xA6", 3); o += 3; cols++; }
            }
            break;
        }
        if (o + pl + 1 >= outsz)
            break;
        memcpy(out + o, piece, pl);
        o += pl;
        cols += w;
    }
    out[o] = '\0';
    return cols;
}

int text_utf8_valid(const char *src, size_t len)
{
    size_t i = 0;
    unsigned cp;
    while (i < len) {
        int n = decode((const unsigned char *)src + i, len - i, &cp);
        if (n < 0) return 0;
        i += (size_t)n;
    }
    return 1;
}
