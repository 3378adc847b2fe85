#ifndef FBREVIEW_PATTERN_H
#define FBREVIEW_PATTERN_H
/* Word patterns: the small matching language of the message analyser's word classes
 * (data/lexicon.tsv). A set of patterns is compiled once and scanned over folded text
 * (text_fold: lower case, NFKC, no accents) in one pass: at each word start only the
 * patterns that can begin with that byte are tried. No regex, no allocation per match.
 *
 *   text     literal text (lower case); a match may end inside a word ("star" ~ "stars")
 *   (space)  any run of spaces, tabs, line breaks, '-' or '_', or none where a word meets a
 *            number ("5 star" ~ "5-star", "5star"; "refund me" !~ "refundment")
 *   '        an optional apostrophe, ASCII ' or ’ ("i'll" ~ "I'll", "I’ll", "ill")
 *   [a|b]    one of the alternatives (no nesting, no * inside)
 *   *        a gap of up to 6 whole words, never past the end of a sentence
 *   #        a number: digits, with . or , inside ("20", "4.99", "1,000")
 *   >        the word ends here ("you>" does not match "your")
 *   \c       the character c itself (\* is a star, \# a hash, \> a greater-than sign)
 * A literal word that ends a word of the pattern (before a space, a gap or the end) also
 * matches its English inflections ("refund" ~ "refunded", "refunding"; "rate" ~ "rated",
 * "rating"; "drop" ~ "dropped"; "reply" ~ "replies"); not before '>' ("rate>" is "rate"
 * only), and not in a pattern added exact. */

#include <stddef.h>

#include "fbreview/err.h"

typedef struct fb_patterns fb_patterns;

fb_status patterns_new(fb_patterns **out, fb_err *err);
void patterns_free(fb_patterns **p);
/* Compiles one pattern; tag is handed back with its matches. where names it in errors
 * ("lexicon.tsv:12" -> "lexicon.tsv:12: term: '[' without its ']'"), field names the column. */
fb_status patterns_add(fb_patterns *p, const char *where, const char *field, const char *pattern, int tag,
                       fb_err *err);
/* The same, with exact != 0: no inflections (words that must be met as written). */
fb_status patterns_add_exact(fb_patterns *p, const char *where, const char *field, const char *pattern, int tag,
                             int exact, fb_err *err);
size_t patterns_count(const fb_patterns *p);
/* Loading many patterns: with defer on, patterns_add only compiles, and patterns_build makes
 * the set ready to scan once they are all in (patterns_scan of a set not built since the
 * last add returns -1 at once). Off (the default), every add builds. */
void patterns_defer(fb_patterns *p, int on);
fb_status patterns_build(fb_patterns *p, fb_err *err);

/* Every match of every pattern in t[0..n) (folded text), by start then pattern order.
 * fn returns nonzero to stop the scan (scan then returns that value); -1 when the set was
 * not built after a deferred add. */
typedef int (*patterns_fn)(void *ctx, size_t pattern, int tag, size_t start, size_t end);
int patterns_scan(const fb_patterns *p, const char *t, size_t n, patterns_fn fn, void *ctx);

/* The literal words of the patterns (letters only, 3 bytes or more), each once: the
 * vocabulary that inflections are reduced to and spelling tolerance corrects towards. Valid until the next add. */
size_t patterns_words(const fb_patterns *p, const char *const **out);

#endif
