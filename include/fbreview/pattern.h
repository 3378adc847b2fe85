#ifndef FBREVIEW_PATTERN_H
#define FBREVIEW_PATTERN_H
/* Word patterns: the small matching language of the message analyser's word classes
 * (data/lexicon.tsv). A set of patterns is compiled once and scanned over folded text
 * (text_fold: lower case, NFKC, no accents) in one pass: at each word start only the
 * patterns that can begin with that byte are tried. No regex, no allocation per match.
 *
 *   text     literal text (lower case); a match may end inside a word ("star" ~ "stars")
 *   (space)  any run of spaces, tabs, line breaks, '-' or '_', or none ("5 star" ~ "5-star")
 *   '        an optional apostrophe, ASCII ' or ’ ("i'll" ~ "I'll", "I’ll", "ill")
 *   [a|b]    one of the alternatives (no nesting, no * inside)
 *   *        a gap of up to 6 whole words, never past the end of a sentence
 *   #        a number: digits, with . or , inside ("20", "4.99", "1,000")
 *   >        the word ends here ("you>" does not match "your")
 *   \c       the character c itself (\* is a star, \# a hash, \> a greater-than sign) */

#include <stddef.h>

#include "fbreview/err.h"

typedef struct fb_patterns fb_patterns;

fb_status patterns_new(fb_patterns **out, fb_err *err);
void patterns_free(fb_patterns **p);
/* Compiles one pattern; tag is handed back with its matches. where names it in errors
 * ("lexicon.tsv:12" -> "lexicon.tsv:12: term: '[' without its ']'"), field names the column. */
fb_status patterns_add(fb_patterns *p, const char *where, const char *field, const char *pattern, int tag,
                       fb_err *err);
size_t patterns_count(const fb_patterns *p);

/* Every match of every pattern in t[0..n) (folded text), by start then pattern order.
 * fn returns nonzero to stop the scan (scan then returns that value). */
typedef int (*patterns_fn)(void *ctx, size_t pattern, int tag, size_t start, size_t end);
int patterns_scan(const fb_patterns *p, const char *t, size_t n, patterns_fn fn, void *ctx);

/* The literal words of the patterns (letters only, 4 bytes or more), each once: the
 * vocabulary that spelling tolerance corrects towards. Valid until the next add. */
size_t patterns_words(const fb_patterns *p, const char *const **out);

#endif
