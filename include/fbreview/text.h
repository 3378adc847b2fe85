#ifndef FBREVIEW_TEXT_H
#define FBREVIEW_TEXT_H
/* The one safe renderer for untrusted text (evidence written by users and attackers).
 * It turns arbitrary bytes into display units that can never drive a terminal:
 * - C0 controls, DEL and ESC become visible placeholders in caret form ("^[", "^G", "^?");
 * - C1 controls (U+0080..U+009F), bidirectional controls (U+202A..U+202E, U+2066..U+2069,
 *   U+200E, U+200F, U+061C) and zero-width characters (U+200B..U+200D, U+2060, U+FEFF)
 *   become "<U+XXXX>" (so do every other format character, e.g. U+00AD soft hyphen, U+180E,
 *   tag characters, U+2028/U+2029, and anything wcwidth() calls non-printable);
 * - invalid UTF-8 (overlong, surrogates, truncated, > U+10FFFF) becomes one U+FFFD (kind
 *   TEXT_ESCAPED) per maximal ill-formed subpart, as Unicode recommends;
 * - a lone CR is "^M"; CR LF and LF are one line break;
 * - nothing is stripped silently; newline is reported as a line break and tab as a tab
 *   unit (width 1..8 decided by the caller's column) so layouts can wrap;
 * - widths come from wcwidth() under the current locale (wide CJK and emoji are 2 columns,
 *   combining marks 0 and attached to the previous printable unit while its s[] has room;
 *   a mark with no printable unit before it, or one that does not fit, is "<U+XXXX>"). */

#include <stddef.h>
#include <stdint.h>

enum text_kind {
    TEXT_PLAIN = 0,      /* ordinary printable character(s) */
    TEXT_ESCAPED,        /* a placeholder standing for a control/invisible/invalid sequence */
    TEXT_NEWLINE,        /* a line break in the source (LF, or CR LF) */
    TEXT_TAB,            /* a horizontal tab */
};

typedef struct text_unit {
    char s[24];          /* safe UTF-8 to draw, NUL-terminated (empty for NEWLINE/TAB) */
    int width;           /* columns (0 for NEWLINE/TAB) */
    enum text_kind kind;
    size_t src_off;      /* byte offset of the unit in the source (for highlight ranges) */
    size_t src_len;      /* bytes of the source it stands for */
} text_unit;

/* Decoder state: iterate units with text_next until it returns 0. */
typedef struct text_iter {
    const char *src;
    size_t len, pos;
} text_iter;

void text_iter_init(text_iter *it, const char *src, size_t len);
/* Fills *u with the next unit; 0 at the end. */
int text_next(text_iter *it, text_unit *u);

/* Columns the text takes on one line (newlines count as 1 column, tabs as 1). */
size_t text_width(const char *src, size_t len);

/* Writes a safe single-line rendering of src clipped to max_cols columns into out
 * (always NUL-terminated; newlines and tabs shown as a space). When clipped and
 * ellipsis is set, the last column is "…". Returns the columns used. */
int text_clip(const char *src, size_t len, int max_cols, int ellipsis, char *out, size_t outsz);

/* 1 if the bytes are valid UTF-8 (the importer refuses invalid text with this). */
int text_utf8_valid(const char *src, size_t len);

/* 1 when the locale's character set (LC_CTYPE, after setlocale) is UTF-8: block and
 * box characters can be drawn; else an ASCII fallback is. */
int text_locale_utf8(void);

#endif
